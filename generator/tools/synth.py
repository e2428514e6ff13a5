"""`dangjian synth`: a realistic, entirely fictional multi-branch project for benchmarks and tests.

Layout written (one 党委 with many branches; each branch folder holds what a
single-branch project's `data/` holds, minus `evaluation.yml`, which is shared):

    DIR/mkdocs.yml, DIR/content/about.md
    DIR/data/organization.yml, DIR/data/evaluation.yml
    DIR/data/branches/<bNN>/branch.yml members.yml teams.yml duties.yml
        activities/YYYY-MM.yml dues/YYYY-MM.yml points/YYYY-MM.yml four-ones/YYYY.yml
        regulations/*.md news/*.md

Everything is drawn from one `random.Random(seed)` in a fixed order, so the same
arguments give byte-identical files. YAML is written as text (block style, like the
sample in data/) rather than through yaml.dump: 1,200 members over three years is
some 200,000 records and must take seconds. Every free-text value is double-quoted
and escaped; ids, dates, numbers and booleans are written bare and are safe as such.

Member ids are unique across the whole project. A member who moves between branches
appears in both rosters under the same id and name: in the old one with `left:`, in
the new one with `joined` unchanged (the Party joining date) and the arrival date in
a comment above the record.
"""

from __future__ import annotations

import calendar
import datetime as dt
import math
import random
import re
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.model.spec import BIRTHDAY_STEPS

D = dt.date

# --------------------------------------------------------------------------- word lists
_SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢"
    "姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
_GIVEN_M = "伟刚勇毅俊峰强军平保东文辉力明永健世广志义兴良海山仁波宁贵福生龙元全国胜学祥才发武新利清飞彬富顺信子杰涛昌成康星光天达安岩中茂进林有坚和彪博诚先敬震振壮会思群豪心邦承乐绍功松善厚庆磊民友裕河哲江超浩亮政谦亨奇固之轮翰朗伯宏言若鸣朋斌梁栋维启克伦翔旭鹏泽晨辰士以建家致树炎德行时泰盛雄琛钧冠策腾楠榕风航弘"
_GIVEN_F = "秀娟英华慧巧美娜静淑惠珠翠雅芝玉萍红娥玲芬芳燕彩春菊兰凤洁梅琳素云莲真环雪荣爱妹霞香月莺媛艳瑞凡佳嘉琼勤珍贞莉桂娣叶璧璐娅琦晶妍茜秋珊莎锦黛青倩婷姣婉娴瑾颖露瑶怡婵雁蓓纨仪荷丹蓉眉君琴蕊薇菁梦岚苑婕馨瑗琰韵融园艺咏卿聪澜纯毓悦昭冰爽琬茗羽希宁欣飘育滢馥筠柔竹霭凝晓欢霄枫芸菲寒伊亚宜可姬舒影荔枝思丽"

_ORG_PREFIXES = ("青岚", "沧澜", "星河", "松涛", "云岫", "翠屏", "明湖", "远山")
_DEPARTMENTS = (
    "机关第一", "机关第二", "机关第三", "财务部", "人力资源部", "综合办公室", "计划发展部", "投资管理部",
    "企业管理部", "物资采购部", "审计部", "法律事务部", "信息技术部", "安全环保部", "营销中心", "物流中心",
    "客户服务中心", "研发中心", "质量检测中心", "生产调度中心", "工程建设部", "培训中心", "档案中心", "后勤服务中心",
)
_POSTS = (
    "办公室主任", "文秘", "财务专员", "会计", "出纳", "人力资源专员", "薪酬主管", "计划专员", "投资专员", "法务专员",
    "审计专员", "采购专员", "信息系统工程师", "网络管理员", "安全员", "环保专员", "客户经理", "营销主管", "物流调度员",
    "仓储主管", "质检员", "研发工程师", "项目经理", "部门经理", "部门副经理", "综合管理员", "档案管理员", "培训专员",
    "统计员", "党务专员",
)
_MOTTOS = (
    "岗位在哪里，阵地就在哪里", "精益求精，担当作为", "支部建在岗位上，党员冲在最前面", "一名党员一面旗",
    "把党建优势转化为发展优势", "事事争一流，人人当先锋", "学在前，干在前，服务在前",
)
_ROLES = ("支部书记", "组织委员", "宣传委员", "纪检委员", "青年委员")
_GROUP_NAMES = ("第一党小组", "第二党小组", "第三党小组", "第四党小组")
_PLACES = ("三楼党员活动室", "党建活动中心", "二楼会议室", "五楼小会议室", "线上会议室")

# Month-of-year themes for 主题党日: (title, short ascii slug for news file names).
_THEMES = {
    1: [("新春走访慰问困难党员", "xinchun-zoufang"), ("回顾过去一年　谋划新年工作", "xinnian-mouhua")],
    2: [("廉洁过节　纪律教育", "lianjie-guojie"), ("学习上级年度工作会议精神", "gongzuo-huiyi")],
    3: [("学雷锋　树新风", "xue-leifeng"), ("巾帼建功　岗位争先", "jinguo-jiangong")],
    4: [("缅怀革命先烈　传承红色基因", "qingming-jisao"), ("全民国家安全教育", "guojia-anquan")],
    5: [("劳动最光荣　奋斗正当时", "laodong-guangrong"), ("青春心向党　建功新时代", "qingchun-xiangdang")],
    6: [("安全生产月　党员当先锋", "anquan-shengchan"), ("重温入党誓词　不忘入党初心", "chongwen-shici")],
    7: [("庆祝建党节　重温光辉历程", "jiandang-jie"), ("学习党章　做合格党员", "xuexi-dangzhang")],
    8: [("拥军优属　军民同心", "yongjun-youshu"), ("廉洁文化进家庭", "lianjie-jiating")],
    9: [("精益管理　提质增效", "jingyi-guanli"), ("服务基层办实事", "fuwu-jiceng")],
    10: [("爱国主义教育", "aiguo-jiaoyu"), ("重阳敬老志愿服务", "chongyang-jinglao")],
    11: [("党建与业务融合案例交流", "ronghe-anli"), ("消防安全演练", "xiaofang-yanlian")],
    12: [("宪法宣传日学法用法", "xianfa-xuanchuan"), ("年终述职　比学赶帮超", "nianzhong-shuzhi")],
}
_FIRST_TOPICS = (
    "学习党章", "学习《中国共产党支部工作条例（试行）》", "学习《中国共产党党员教育管理工作条例》",
    "学习上级党委全委会精神", "学习《中国共产党纪律处分条例》", "学习《中国共产党党务公开条例（试行）》",
    "学习党史重要事件", "学习上级关于安全生产的部署", "学习上级关于作风建设的要求", "学习上级年度工作会议精神",
    "学习国有企业改革有关政策", "学习中央八项规定精神",
)
_STUDY_TAILS = ("　提高政治站位", "　推动工作落实", "　筑牢思想根基", "　增强党性修养", "　对标对表抓落实")
_LECTURES = (
    "党课：坚定理想信念　做合格党员", "党课：从党史中汲取前进力量", "党课：以精益思维提升党建质量",
    "党课：严守纪律规矩　永葆清廉本色", "党课：党建引领业务发展", "党课：发扬斗争精神　勇于担当作为",
)
_MICRO = (
    "办公电脑信息安全小常识", "党费交纳的有关规定", "发展党员工作流程", "“三会一课”怎么开", "合同管理中的廉洁风险",
    "精益管理中的 5S 方法", "安全生产“四不伤害”", "如何写好一句心得", "党员的权利和义务", "主题党日的“五有”",
)
_REFLECTIONS = (
    "这次活动让我对初心使命有了更深的理解，要在岗位上做出表率。",
    "学习不能停在纸面上，要落到每一项具体工作中。",
    "听了大家的发言很受触动，比学赶帮超的氛围越来越浓了。",
    "作为一名党员，要时刻以高标准严格要求自己。",
    "把党建和业务结合起来，才能真正解决工作中的难题。",
    "身边的榜样就是最好的教材，我要向他们看齐。",
    "小事做细、细事做精，这就是精益的意义。",
    "服务群众的时候，才真切感受到“为人民服务”的分量。",
    "重温誓词，心潮澎湃，入党时的承诺一刻也不能忘。",
    "反思自己的不足，今后要在学习上多下功夫。",
    "活动形式新颖，内容实在，大家参与的热情很高。",
    "纪律是党员的底线，也是保护自己的防线。",
    "一百多年风雨兼程，靠的是信仰，也靠的是每一名党员的坚守。",
    "帮老人解决一个小问题，他们的笑容让我觉得很值得。",
)
_TEAMS = (
    ("zhengyan", "zy", "政研小组", "研究上级改革政策和行业形势，为决策提供政策解读与调研支撑。"),
    ("qiguan", "qg", "企管小组", "聚焦管理流程中的堵点，用精益方法压缩环节、缩短周期、减少返工。"),
    ("touzi", "tz", "投资采购小组", "规范投资和采购流程，提升资金使用效率，防范廉洁风险。"),
    ("shuzi", "sz", "数字化攻坚小组", "推动业务线上化、数据共享和报表自动化。"),
    ("anquan", "aq", "安全生产小组", "排查安全隐患，完善应急预案，提升全员安全意识。"),
    ("fuwu", "fw", "服务基层小组", "收集基层和客户的急难愁盼问题，推动办实事。"),
)
_PROBLEMS = (
    "审批环节多、周期长", "报表重复填报、口径不一", "政策解读慢、基层用不上", "采购询价周期长",
    "档案查找费时费力", "会议多、文件多，基层负担重", "跨部门协同效率低", "安全隐患整改闭环慢",
    "客户投诉响应慢", "培训内容与岗位需求脱节", "党建与业务融合缺少量化评价", "调研成果转化率不高",
)
_IDEAS = (
    "把串联会签改成并联审批。", "建立一页纸说明，讲清楚是什么、怎么做。", "上线共享台账，一次填报多方使用。",
    "每季度开一次诸葛亮会复盘进度。", "设立标准模板，减少返工。", "请业务骨干现场讲解，边学边改。",
    "把常见问题整理成问答清单。", "实行首问负责制，限时办结。",
)
_DUTIES = (
    ("制定年度支部工作要点", "明确全年党建工作目标，做到党建和业务同部署", "支委会"),
    ("召开年度组织生活会，开展民主评议党员", "落实支部工作条例的年度要求", "党员活动室"),
    ("更新党员信息库，核定党费基数", "保证党员信息准确、党费按规定交纳", "人力资源部"),
    ("党建看板季度内容更新", "让支部动态、党务公开和活动感悟及时上墙上网", "党建看板、内网"),
    ("做好“七一”表彰推荐工作", "树立身边榜样，营造比学赶帮超氛围", "支委会"),
    ("开展制度执行评估", "检验特色制度落实情况，及时修订", "支委会"),
    ("组织零点行动", "增强党员组织观念和纪律意识", "党建平台"),
    ("完成谈心谈话全覆盖", "了解党员思想动态，帮助解决实际困难", "各党小组"),
    ("编印攻坚成果汇编", "总结推广诸葛亮会成果", "宣传委员"),
    ("开展应知应会测试", "检验学习效果，查漏补缺", "线上平台"),
    ("落实党建与业务融合案例征集", "推动党建和业务深度融合", "各部门"),
    ("完成年度党费收缴公示", "做到党费收缴公开透明", "党务公开栏"),
)
_REGULATIONS = (
    # slug, title, text, and the execution evaluation's checks (`measures:`) the regulation is measured by
    ("zhengzhi-xuexi", "政治学习和“第一议题”制度", "政治学习每月至少一次，以“第一议题”开篇，由支部书记主持、党员轮流领学。",
     ("第一议题",)),
    ("zhuti-dangri", "主题党日“五有”制度", "主题党日每月固定日开展，做到有主题、有记录、有感悟、有评价、有保障。", ("五有",)),
    ("guangergaozhi", "宣传报道“广而告之”制度", "支部重要活动结束后一周内完成报道，经宣传委员审核后发布。", ("宣传报道",)),
    ("jifen-jinbang", "党员积分“金榜题名”制度", "按五力评价体系记录党员积分，每季度公布金榜题名。", ("积分台账",)),
    ("lingdian-xingdong", "党费交纳“零点行动”制度", "每年随机选定一个月，于当月一日零点起全体党员在线交纳党费。", ()),
)
_POST_PARTY = ("负责支部全面工作", "负责组织发展和党员管理", "负责宣传报道和看板更新", "负责纪律监督和廉洁教育",
               "负责青年党员培养", "负责党小组日常工作", "联系一名入党积极分子")

_QUARTER_NAMES = ("第一季度", "第二季度", "第三季度", "第四季度")
_CN_NUM = "〇一二三四五六七八九"

_QUOTED: dict[str, str] = {}


def q(text: str) -> str:
    """A double-quoted YAML scalar: safe for any text (':', '#', leading '-', digits, …)."""
    out = _QUOTED.get(text)
    if out is None:
        out = '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t") + '"'
        if len(_QUOTED) < 100_000:
            _QUOTED[text] = out
    return out


def _ids(ids) -> str:
    return "[" + ", ".join(ids) + "]"


# --------------------------------------------------------------------------- model
@dataclass
class Person:
    id: str
    num: int
    name: str
    gender: str
    joined: D
    birth: D
    status: str
    post: str
    dues_base: int
    grade: str
    discipline: str | None = None


@dataclass
class Stint:
    """A person's time in one branch: active on days start <= d < end (end None: to the end)."""

    person: Person
    start: D
    end: D | None = None
    group: int = 0
    arrived_from: str | None = None  # branch id they moved from
    moved_to: str | None = None

    def active(self, day: D) -> bool:
        return self.start <= day and (self.end is None or day < self.end)


@dataclass
class BranchPlan:
    index: int
    id: str
    name: str
    dept: str
    founded: D
    theme_day: int
    stints: list[Stint] = field(default_factory=list)
    committee: list[tuple[str, str]] = field(default_factory=list)
    groups: int = 2
    zero_months: set = field(default_factory=set)


@dataclass
class Summary:
    root: Path
    branches: int
    members: int
    movers: int
    files: int
    bytes: int
    seconds: float


# --------------------------------------------------------------------------- dates
def _last_day(y: int, m: int) -> int:
    return calendar.monthrange(y, m)[1]


def _weekday_on_or_after(y: int, m: int, day: int) -> D:
    """The first weekday on or after `day`, staying inside the month (else the last one before)."""
    last = _last_day(y, m)
    d = D(y, m, min(day, last))
    while d.weekday() >= 5 and d.day < last:
        d += dt.timedelta(days=1)
    while d.weekday() >= 5:
        d -= dt.timedelta(days=1)
    return d


_WEEKDAYS = "一二三四五六日"


def _cn_date(d: D) -> str:
    return f"{d.month}月{d.day}日"


def _months(end: tuple[int, int], years: int) -> list[tuple[int, int]]:
    y, m = end
    out = []
    for _ in range(years * 12):
        out.append((y, m))
        m -= 1
        if m == 0:
            y, m = y - 1, 12
    return out[::-1]


def parse_end(text: str) -> tuple[int, int]:
    m = re.fullmatch(r"(\d{4})-(\d{1,2})", text.strip())
    if not m or not 1 <= int(m.group(2)) <= 12:
        raise ValueError(f"--end 应写成 YYYY-MM，如 2026-11，实际是“{text}”")
    return int(m.group(1)), int(m.group(2))


# --------------------------------------------------------------------------- the generator
class _Synth:
    def __init__(self, branches: int, members: int, years: int, seed: int, end: tuple[int, int]):
        self.rng = random.Random(seed)
        self.n_branches = branches
        self.n_members = members
        self.months = _months(end, years)
        self.start = D(*self.months[0], 1)
        self.end = D(end[0], end[1], _last_day(*end))
        self.org_prefix = self.rng.choice(_ORG_PREFIXES)
        self.org = f"中共{self.org_prefix}示例集团有限公司委员会"
        self.company = f"{self.org_prefix}示例集团有限公司"
        self.width = max(4, len(str(members)))
        self.bwidth = max(2, len(str(branches)))
        self.files: dict[str, str] = {}  # relative path -> text, written at the end in order

    # -- people and branches -----------------------------------------------------
    def _sizes(self) -> list[int]:
        rng, b, n = self.rng, self.n_branches, self.n_members
        avg = n / b
        lo, hi = min(20, math.floor(avg)), max(60, math.ceil(avg))
        sizes = [lo] * b
        weights = [rng.uniform(0.25, 1.0) ** 2 for _ in range(b)]
        left = n - lo * b
        while left > 0:
            open_ = [i for i in range(b) if sizes[i] < hi]
            chunk = max(1, left // (4 * len(open_)))
            i = rng.choices(open_, [weights[k] for k in open_])[0]
            add = min(chunk, hi - sizes[i], left)
            sizes[i] += add
            left -= add
        return sizes

    def _name(self, gender: str, used: set) -> str:
        rng = self.rng
        pool = _GIVEN_M if gender == "男" else _GIVEN_F
        while True:
            given = rng.choice(pool) + (rng.choice(pool) if rng.random() < 0.75 else "")
            name = rng.choice(_SURNAMES) + given
            if name not in used:
                used.add(name)
                return name

    def _person(self, num: int, used: set) -> Person:
        rng = self.rng
        gender = "男" if rng.random() < 0.55 else "女"
        if rng.random() < 0.9:
            lo, hi = D(1985, 1, 1).toordinal(), (self.start - dt.timedelta(days=400)).toordinal()
        else:
            lo, hi = self.start.toordinal(), (self.end - dt.timedelta(days=30)).toordinal()
        joined = D.fromordinal(rng.randint(lo, max(lo, hi)))
        birth = D.fromordinal(joined.toordinal() - rng.randint(21 * 365, 34 * 365))
        status = "预备党员" if (self.end - joined).days < 365 else "正式党员"
        grade = "优秀" if rng.random() < 0.2 else "合格"
        discipline = None
        if rng.random() < 0.02:
            discipline = f"示例：{rng.randint(2015, self.end.year - 1)}年受到党内警告处分（虚构）"
        return Person(
            id=f"p{num:0{self.width}d}", num=num, name=self._name(gender, used), gender=gender,
            joined=joined, birth=birth, status=status, post=rng.choice(_POSTS),
            dues_base=rng.randrange(4000, 20001, 100), grade=grade, discipline=discipline,
        )

    def plan(self) -> list[BranchPlan]:
        rng = self.rng
        sizes = self._sizes()
        used: set = set()
        depts = list(_DEPARTMENTS)
        rng.shuffle(depts)
        plans: list[BranchPlan] = []
        num = 0
        for i, size in enumerate(sizes):
            dept = depts[i] if i < len(depts) else f"第{i - len(depts) + 1}分公司"
            plan = BranchPlan(
                index=i, id=f"b{i + 1:0{self.bwidth}d}", name=f"{self.company}{dept}党支部", dept=dept,
                founded=D(rng.randint(1998, 2018), rng.choice((1, 3, 5, 7, 9)), 1),
                theme_day=rng.choice((5, 10, 15, 18, 20, 25)),
                groups=2 if size < 30 else 3 if size < 50 else 4,
            )
            for _ in range(size):
                num += 1
                p = self._person(num, used)
                plan.stints.append(Stint(p, start=max(p.joined, self.start), group=rng.randrange(plan.groups)))
            # The committee: long-standing full members, never movers.
            stable = [s for s in plan.stints if s.person.joined < self.start and not s.person.discipline]
            seats = min(len(_ROLES) if size >= 30 else 4, len(stable))
            for role, s in zip(_ROLES, rng.sample(stable, seats)):
                plan.committee.append((s.person.id, role))
            plans.append(plan)
        self._moves(plans)
        for plan in plans:
            plan.zero_months = self._zero_months()
        return plans

    def _moves(self, plans: list[BranchPlan]) -> None:
        """About 2% of members move once to another branch in the middle of the period."""
        rng = self.rng
        if len(plans) < 2:
            return
        committee = {pid for plan in plans for pid, _ in plan.committee}
        candidates = [(plan, s) for plan in plans for s in plan.stints
                      if s.person.id not in committee and s.person.joined < self.start]
        count = min(len(candidates), round(self.n_members * 0.02))
        lo = self.start.toordinal() + 90
        hi = max(lo, self.end.toordinal() - 90)
        for plan, s in sorted(rng.sample(candidates, count), key=lambda ps: ps[1].person.num):
            target = rng.choice([p for p in plans if p is not plan])
            day = D.fromordinal(rng.randint(lo, hi))
            day = D(day.year, day.month, rng.randint(15, 28))
            s.end, s.moved_to = day, target.id
            target.stints.append(Stint(s.person, start=day, group=rng.randrange(target.groups), arrived_from=plan.id))
        for plan in plans:
            plan.stints.sort(key=lambda st: st.person.num)

    def _zero_months(self) -> set:
        """One 零点行动 month in each twelve-month stretch of the period."""
        return {self.rng.choice(self.months[i:i + 12]) for i in range(0, len(self.months), 12)}

    # -- output ------------------------------------------------------------------
    def run(self) -> tuple[list[BranchPlan], dict[str, str]]:
        plans = self.plan()
        self.files["data/organization.yml"] = self._organization(plans)
        self.files["content/about.md"] = self._about(plans)
        for plan in plans:
            _Branch(self, plan).run()
        return plans, self.files

    def _organization(self, plans) -> str:
        intro = (f"{self.company}党委下设 {len(plans)} 个党支部，共有党员 {self.n_members} 名。"
                 "党委以“精益党建”为抓手，推动各支部落实“七个一”工作法。本项目全部为程序生成的虚构示例数据。")
        return ("# 党委信息：党委名称和简介，各支部共用。本文件由 dangjian synth 生成，全部为虚构示例数据。\n\n"
                f"name: {q(self.org)}\nintro: {q(intro)}\n")

    def _about(self, plans) -> str:
        lines = [f"# 关于{self.org}", "",
                 f"本站汇集{self.company}党委所属 {len(plans)} 个党支部的党建工作记录。",
                 "", "本项目由 `dangjian synth` 生成，人名、单位、电话、证件号码等全部为虚构示例数据，用于性能测试和软件测试。", ""]
        return "\n".join(lines)


class _Branch:
    """Everything inside one branch folder."""

    def __init__(self, synth: _Synth, plan: BranchPlan):
        self.s = synth
        self.rng = synth.rng
        self.plan = plan
        self.base = f"data/branches/{plan.id}"
        self.names = {st.person.id: st.person.name for st in plan.stints}
        self.bases = {st.person.id: st.person.dues_base for st in plan.stints}
        self.committee_ids = [pid for pid, _ in plan.committee]
        self.role_of = {role: pid for pid, role in plan.committee}
        self.secretary = self.role_of.get("支部书记") or plan.stints[0].person.id
        self.points: dict[tuple[int, int], list] = {ym: [] for ym in synth.months}
        self.four_ones: dict[int, dict[tuple[str, str], tuple[D, str]]] = {}
        self.seq = 0
        self.news_topics: dict[tuple[int, int], tuple[D, str, str]] = {}

    # -- helpers -------------------------------------------------------------------
    def active(self, day: D) -> list[Stint]:
        return [st for st in self.plan.stints if st.active(day)]

    def point(self, day: D, member: str, indicator: str, points, note: str, ref: str | None, header: str) -> None:
        ym = (day.year, day.month)
        if ym in self.points:
            self.seq += 1
            self.points[ym].append((day, self.seq, header, member, indicator, points, note, ref))

    def four_one(self, member: str, item: str, day: D, title: str) -> None:
        year = self.four_ones.setdefault(day.year, {})
        have = year.get((member, item))
        if have is None or day < have[0]:
            year[(member, item)] = (day, title)

    def attend(self, eligible: list[Stint], rate: float, must: tuple = ()) -> tuple[list[str], list[str]]:
        rnd = self.rng.random
        att: list[str] = []
        ab: list[str] = []
        for st in eligible:
            pid = st.person.id
            (att if pid in must or rnd() < rate else ab).append(pid)
        return att, ab

    def pick(self, ids: list[str]) -> str:
        return self.rng.choice(ids)

    # -- run -----------------------------------------------------------------------
    def run(self) -> None:
        files = self.s.files
        files[f"{self.base}/members.yml"] = self._members()
        files[f"{self.base}/branch.yml"] = self._branch()
        for ym in self.s.months:
            files[f"{self.base}/activities/{ym[0]:04d}-{ym[1]:02d}.yml"] = self._activities(ym)
            files[f"{self.base}/dues/{ym[0]:04d}-{ym[1]:02d}.yml"] = self._dues(ym)
        files[f"{self.base}/teams.yml"] = self._teams()
        files[f"{self.base}/duties.yml"] = self._duties()
        self._regulations()
        self._news()
        self._quizzes()
        for ym in self.s.months:
            files[f"{self.base}/points/{ym[0]:04d}-{ym[1]:02d}.yml"] = self._points(ym)
        for year in sorted(self.four_ones):
            files[f"{self.base}/four-ones/{year:04d}.yml"] = self._four_ones_file(year)

    # -- branch and roster -------------------------------------------------------
    def _branch(self) -> str:
        p, rng = self.plan, self.rng
        intro = (f"本支部由{p.dept}的党员组成，下设 {p.groups} 个党小组。支部以“精益党建”为抓手，"
                 "坚持“七个一”工作法，推动党建与业务深度融合。")
        out = ["# 支部基本信息。本文件由 dangjian synth 生成，全部为虚构示例数据。", "",
               f"id: {p.id}", f"name: {q(p.name)}", f"organization: {q(self.s.org)}",
               f"founded: {p.founded.isoformat()}", f"motto: {q(rng.choice(_MOTTOS))}", f"intro: {q(intro)}", "",
               "committee:"]
        for pid, role in p.committee:
            out += [f"  - member: {pid}    # {self.names[pid]}", f"    role: {q(role)}"]
        out += ["", f"theme_day: {p.theme_day}", "honor_roll_size: 5", "news_plan: 12", ""]
        return "\n".join(out)

    def _members(self) -> str:
        out = ["# 党员名册。本文件由 dangjian synth 生成，全部为虚构示例数据（电话、身份证号、住址均为假值）。",
               "# 转入本支部的党员，转入日期写在该段上方的注释里；转出的党员保留原段并写 left。", ""]
        for st in self.plan.stints:
            p = st.person
            if st.arrived_from:
                out.append(f"# {st.start.isoformat()} 由 {st.arrived_from} 转入本支部")
            out += [f"- id: {p.id}", f"  name: {q(p.name)}", f"  gender: {p.gender}", f"  joined: {p.joined.isoformat()}",
                    f"  status: {p.status}", f"  post: {q(p.post)}", f"  group: {_GROUP_NAMES[st.group]}"]
            if st.end:
                out.append(f"  left: {st.end.isoformat()}    # 转往 {st.moved_to}")
            out += [f"  phone: 100-0000-{p.num % 10000:04d}",
                    f"  id_number: \"000000{p.birth:%Y%m%d}{p.num % 10000:04d}\"",
                    f"  address: {q(f'示例市示例路{p.num}号')}", f"  dues_base: {p.dues_base}", f"  review_grade: {p.grade}"]
            if p.discipline:
                out.append(f"  discipline: {q(p.discipline)}")
            out.append("")
        return "\n".join(out)

    # -- activities --------------------------------------------------------------
    def _activities(self, ym: tuple[int, int]) -> str:
        y, m = ym
        rng, plan = self.rng, self.plan
        tag = f"{plan.id}-{y:04d}-{m:02d}"
        acts: list[dict] = []
        sec = self.secretary

        def add(a: dict, *, points: dict | None = None) -> dict:
            acts.append(a)
            header = f"{a['type']}「{a['title']}」"
            ref = a["id"]
            attend = (points or {}).get("attend")
            if attend:
                code, note = attend
                for pid in a.get("attendees", ()):
                    self.point(a["date"], pid, code, 1, note, ref, header)
            for key, code, note in (points or {}).get("roles", ()):
                if a.get(key):
                    self.point(a["date"], a[key], code, 1, note, ref, header)
            for r in a.get("reflections", ()):
                self.point(a["date"], r[0], "L3", 1, "活动感悟", ref, header)
                self.four_one(r[0], "一句心得", a["date"], r[1])
            return a

        def reflections(att: list[str], n: int) -> list[tuple[str, str]]:
            who = rng.sample(att, min(n, len(att)))
            return [(pid, rng.choice(_REFLECTIONS)) for pid in who]

        # 支委会 early in the month.
        d = _weekday_on_or_after(y, m, rng.randint(2, 6))
        act = [st for st in self.active(d) if st.person.id in self.committee_ids]
        att, ab = self.attend(act, 0.95, must=(sec,))
        topic = rng.choice(("研究本月主题党日方案", "研究党员积分登记", "研究发展党员工作", "部署近期重点工作",
                            "研究制度执行评估", "听取攻坚团队进展汇报"))
        add({"id": f"{tag}-zhiweihui", "type": "支委会", "date": d, "title": topic, "place": rng.choice(_PLACES),
             "host": sec, "attendees": att, "absent": ab, "summary": f"{topic}；通报上月党费交纳和积分情况。",
             "audience": "party"},
            points={"attend": ("E1", "支委会出勤")})

        # 政治学习 with a 第一议题 most of the time.
        d = _weekday_on_or_after(y, m, rng.randint(6, 11))
        act = self.active(d)
        first = rng.choice(_FIRST_TOPICS) if rng.random() < 0.9 else None
        leader = self.pick([st.person.id for st in act])
        att, ab = self.attend(act, rng.uniform(0.85, 0.95), must=(sec, leader))
        title = (first or rng.choice(("学习上级文件精神", "学习先进典型事迹"))) + rng.choice(_STUDY_TAILS)
        a: dict[str, Any] = {"id": f"{tag}-xuexi", "type": "政治学习", "date": d, "title": title, "place": rng.choice(_PLACES),
             "host": sec, "leader": leader, "first_topic": first, "attendees": att, "absent": ab,
             "summary": f"{self.names[leader]}领学，大家结合岗位实际交流体会。"}
        add(a, points={"attend": ("L1", "政治学习出勤"),
                       "roles": (("leader", "L2", "政治学习领学"), ("host", "O1", "主持政治学习"))})
        self.four_one(leader, "一次领学", d, f"领学：{title}")

        # 党小组会: one per group.
        for g in range(plan.groups):
            d = _weekday_on_or_after(y, m, rng.randint(10, 14))
            act = [st for st in self.active(d) if st.group == g]
            if len(act) < 2:
                continue
            ids = [st.person.id for st in act]
            leader, speaker = rng.sample(ids, 2)
            micro = rng.choice(_MICRO)
            att, ab = self.attend(act, rng.uniform(0.85, 0.97), must=(leader, speaker))
            a = {"id": f"{tag}-xiaozu{g + 1}", "type": "党小组会", "date": d,
                 "title": f"{_GROUP_NAMES[g]}会：{micro}", "place": rng.choice(_PLACES), "leader": leader,
                 "speaker": speaker, "attendees": att, "absent": ab,
                 "summary": f"{self.names[leader]}领学党章有关内容；{self.names[speaker]}作“一堂微课”，讲{micro}。"}
            add(a, points={"attend": ("E1", "党小组会出勤"), "roles": (("leader", "L2", "党小组会领学"),)})
            self.point(d, speaker, "L4", 1, f"一堂微课：{micro}", a["id"], f"党小组会「{a['title']}」")
            self.four_one(leader, "一次领学", d, f"党小组会领学：{micro}")
            self.four_one(speaker, "一堂微课", d, f"微课：{micro}")

        # 主题党日 on the branch's fixed day, 五有 usually complete.
        d = _weekday_on_or_after(y, m, plan.theme_day)
        act = self.active(d)
        theme, _slug = rng.choice(_THEMES[m])
        host = self.pick([st.person.id for st in act])
        att, ab = self.attend(act, rng.uniform(0.85, 0.95), must=(host,))
        wuyou = {k: True for k in ("theme", "record", "reflection", "evaluation", "support")}
        if rng.random() < 0.1:
            wuyou[rng.choice(("record", "reflection", "evaluation", "support"))] = False
        refl = reflections(att, rng.randint(1, 2)) if wuyou["reflection"] else []
        a = {"id": f"{tag}-zhutidangri", "type": "主题党日", "date": d, "title": theme, "place": rng.choice(_PLACES),
             "host": host, "attendees": att, "absent": ab,
             "summary": f"围绕“{theme}”开展活动，{self.names[host]}主办，参加党员交流体会。", "wuyou": wuyou,
             "reflections": refl}
        add(a, points={"attend": ("E2", "主题党日出勤"), "roles": (("host", "O1", "主办主题党日"),)})
        self.four_one(host, "一次主办", d, f"主办主题党日：{theme}")
        self.news_topics[ym] = (d, theme, _slug)

        # 党课 in the middle month of each quarter, 党员大会 in the last.
        if m % 3 == 2:
            d = _weekday_on_or_after(y, m, rng.randint(18, 24))
            act = self.active(d)
            speaker = sec if rng.random() < 0.6 else rng.choice(self.committee_ids)
            title = rng.choice(_LECTURES)
            att, ab = self.attend(act, rng.uniform(0.85, 0.95), must=(speaker,))
            add({"id": f"{tag}-dangke", "type": "党课", "date": d, "title": title, "place": rng.choice(_PLACES),
                 "speaker": speaker, "attendees": att, "absent": ab, "summary": f"{self.names[speaker]}讲授{title}。"},
                points={"attend": ("E1", "党课出勤"), "roles": (("speaker", "L4", "主讲党课"),)})
            self.four_one(speaker, "一堂微课", d, title)
        if m % 3 == 0:
            d = _weekday_on_or_after(y, m, rng.randint(20, 26))
            act = self.active(d)
            att, ab = self.attend(act, rng.uniform(0.85, 0.95), must=(sec,))
            title = f"{y}年{_QUARTER_NAMES[m // 3 - 1]}党员大会"
            add({"id": f"{tag}-dahui", "type": "党员大会", "date": d, "title": title, "place": rng.choice(_PLACES),
                 "host": sec, "attendees": att, "absent": ab, "summary": "通报本季度支部工作和党员积分情况，部署下季度工作。"},
                points={"attend": ("E1", "党员大会出勤")})

        # January: 组织生活会 and 民主评议 for the year before.
        if m == 1:
            d = _weekday_on_or_after(y, m, rng.randint(20, 24))
            act = self.active(d)
            att, ab = self.attend(act, 0.95, must=(sec,))
            add({"id": f"{tag}-shenghuohui", "type": "组织生活会", "date": d, "title": f"{y - 1}年度组织生活会",
                 "place": rng.choice(_PLACES), "host": sec, "attendees": att, "absent": ab,
                 "summary": "对照检查，开展批评与自我批评，列出整改清单。"},
                points={"attend": ("E5", "参加组织生活会")})
            d2 = d + dt.timedelta(days=1) if d.day < _last_day(y, m) else d
            add({"id": f"{tag}-minzhu", "type": "民主评议", "date": d2, "title": f"{y - 1}年度民主评议党员",
                 "place": rng.choice(_PLACES), "host": sec, "attendees": att, "absent": ab,
                 "summary": "党员个人述评、互评，支委会综合评定等次。", "audience": "party"},
                points={"attend": ("E5", "参加民主评议")})

        # 政治生日 for members whose Party anniversary falls in this month.
        d = _weekday_on_or_after(y, m, rng.randint(2, 6))
        act = self.active(d)
        honorees = [st.person.id for st in act if st.person.joined.month == m and st.person.joined.year < y]
        if honorees:
            host = self.role_of.get("组织委员", sec)
            att, ab = self.attend(act, rng.uniform(0.85, 0.95), must=tuple(honorees) + (host,))
            steps = list(BIRTHDAY_STEPS)
            if rng.random() < 0.15:
                steps.pop(rng.randrange(len(steps)))
            names = "、".join(self.names[h] for h in honorees[:3])
            title = f"{names}{'等 ' + str(len(honorees)) + ' 名' if len(honorees) > 3 else ''}同志政治生日"
            add({"id": f"{tag}-shengri", "type": "政治生日", "date": d, "title": title, "place": rng.choice(_PLACES),
                 "host": host, "attendees": att, "absent": ab,
                 "summary": f"为{len(honorees)}名党员过政治生日，完成 {len(steps)} 个环节。",
                 "honorees": honorees, "steps": steps, "reflections": reflections(honorees, 1)},
                points={"roles": (("host", "O4", "组织政治生日"),)})

        # 志愿服务 now and then (always in March, 学雷锋).
        if m == 3 or rng.random() < 0.3:
            d = _weekday_on_or_after(y, m, rng.randint(16, 27))
            act = self.active(d)
            host = self.pick([st.person.id for st in act])
            size = min(len(act), max(2, len(act) * rng.randint(20, 45) // 100))
            att = sorted(set(rng.sample([st.person.id for st in act], size))
                         | {host})
            hours = rng.randint(2, 4)
            place = rng.choice(("示例社区", "示例敬老院", "示例小学", "示例公园", "示例火车站"))
            title = f"党员志愿服务走进{place}"
            a = add({"id": f"{tag}-zhiyuan", "type": "志愿服务", "date": d, "title": title, "place": place,
                     "host": host, "attendees": att, "summary": f"开展便民服务，每人服务 {hours} 小时。",
                     "reflections": reflections(att, 1) if rng.random() < 0.5 else []},
                    points={"roles": (("host", "O1", "主办志愿服务"),)})
            for pid in att:
                self.point(d, pid, "S1", hours, f"志愿服务 {hours} 小时", a["id"], f"志愿服务「{title}」")
            self.four_one(host, "一次主办", d, f"主办志愿服务：{title}")

        acts.sort(key=lambda a: (a["date"], a["id"]))
        out = [f"# {y}年{m}月活动记录。本文件由 dangjian synth 生成，全部为虚构示例数据。", ""]
        for a in acts:
            out.append(self._activity_text(a))
        return "\n".join(out)

    def _activity_text(self, a: dict) -> str:
        d = a["date"]
        out = [f"# —— {_cn_date(d)}（周{_WEEKDAYS[d.weekday()]}）{a['type']} ——", f"- id: {a['id']}",
               f"  type: {a['type']}", f"  date: {d.isoformat()}", f"  title: {q(a['title'])}"]
        if a.get("place"):
            out.append(f"  place: {q(a['place'])}")
        for key in ("host", "leader", "speaker"):
            if a.get(key):
                out.append(f"  {key}: {a[key]}")
        if a.get("first_topic"):
            out.append(f"  first_topic: {q(a['first_topic'])}")
        if a.get("attendees"):
            out.append(f"  attendees: {_ids(a['attendees'])}")
        if a.get("absent"):
            out.append(f"  absent: {_ids(a['absent'])}")
        out.append(f"  summary: {q(a['summary'])}")
        if "wuyou" in a:
            out.append("  wuyou:")
            out += [f"    {k}: {'true' if v else 'false'}" for k, v in a["wuyou"].items()]
        if a.get("honorees"):
            out.append(f"  honorees: {_ids(a['honorees'])}")
        if a.get("steps"):
            out.append("  steps:")
            out += [f"    - {q(s)}" for s in a["steps"]]
        if a.get("reflections"):
            out.append("  reflections:")
            for pid, text in a["reflections"]:
                out += [f"    - member: {pid}", f"      text: {q(text)}"]
        if a.get("audience"):
            out.append(f"  audience: {a['audience']}")
        out.append("")
        return "\n".join(out)

    # -- dues ----------------------------------------------------------------------
    def _dues(self, ym: tuple[int, int]) -> str:
        y, m = ym
        rng = self.rng
        first = D(y, m, 1)
        last = _last_day(y, m)
        is_last_month = ym == self.s.months[-1]
        zero = ym in self.plan.zero_months
        ny, nm = (y + 1, 1) if m == 12 else (y, m + 1)
        rnd = rng.random
        rows = []
        for st in self.plan.stints:
            if not st.active(first):
                continue
            pid = st.person.id
            moving = st.end is not None and st.end.year == y and st.end.month == m
            late = not is_last_month and not moving and rnd() < 0.03
            # (year, month, day, hour, minute); plain tuples are much faster than datetimes here.
            if late:
                paid = (ny, nm, 1 + int(rnd() * 12), 8 + int(rnd() * 14), int(rnd() * 60))
            elif zero and rnd() < 0.97:
                r = rnd()
                if r < 0.75:
                    minutes = min(59, int(rng.expovariate(0.25)))
                elif r < 0.92:
                    minutes = 60 + int(rnd() * 7 * 60)
                else:
                    minutes = 8 * 60 + int(rnd() * (3 * 24 - 8) * 60)
                paid = (y, m, 1 + minutes // 1440, minutes % 1440 // 60, minutes % 60)
            else:
                day = 1 + int(rnd() * 10) if rnd() < 0.93 or moving else 11 + int(rnd() * (min(last, 28) - 10))
                if moving:
                    assert st.end is not None  # moving: the stint ends this month
                    day = min(day, st.end.day - 1)
                paid = (y, m, day, 7 + int(rnd() * 16), int(rnd() * 60))
            rows.append((paid, pid, late))
        rows.sort()
        out = [f"# {y}年{m}月党费交纳记录。本文件由 dangjian synth 生成，全部为虚构示例数据。",
               "# 次月才补交的，仍记在本月文件里，交纳时间照实写。示例金额按党费基数的 1% 计。"]
        if zero:
            out.append(f"# 本月为“零点行动”月：{m} 月 1 日零点起，全体党员在党建平台上以最快速度交纳当月党费。")
        out.append("")
        if zero:
            out.append("zero_hour: true")
        out.append("payments:")
        days: dict[tuple[int, int, int], D] = {}
        on_time_note = f"按时交纳{m}月党费"
        late_note = f"{m}月党费逾期至次月交纳"
        names, bases, point = self.names, self.bases, self.point
        for paid, pid, late in rows:
            py, pm, pd, ph, pmin = paid
            when = days.get(paid[:3]) or days.setdefault(paid[:3], D(py, pm, pd))
            out.append(f"  - member: {pid}    # {names[pid]}\n    paid_at: {py:04d}-{pm:02d}-{pd:02d} {ph:02d}:{pmin:02d}\n"
                       f"    amount: {max(1, round(bases[pid] / 100))}\n")
            if late:
                point(when, pid, "扣分", 2, late_note, None, "扣分")
            elif zero and pd == 1:
                point(when, pid, "E3", 1, "零点行动当日交纳党费", None, "党费")
            else:
                point(when, pid, "E3", 1, on_time_note, None, "党费")
        return "\n".join(out)

    # -- teams and duties ----------------------------------------------------------
    def _stable_ids(self) -> list[str]:
        """Members present for the whole period (in a tiny branch: anyone still here)."""
        stints = self.plan.stints
        return ([st.person.id for st in stints if st.start <= self.s.start and st.end is None]
                or [st.person.id for st in stints if st.end is None] or [st.person.id for st in stints])

    def _random_day(self, lo: D, hi: D) -> D:
        return D.fromordinal(self.rng.randint(lo.toordinal(), max(lo.toordinal(), hi.toordinal())))

    def _teams(self) -> str:
        rng, s = self.rng, self.s
        stable = self._stable_ids()
        out = ["# 诸葛亮会攻坚团队及课题。本文件由 dangjian synth 生成，全部为虚构示例数据。", ""]
        span = (s.end - s.start).days
        for slug, prefix, name, focus in rng.sample(_TEAMS, rng.randint(2, 3)):
            members = rng.sample(stable, min(len(stable), rng.randint(4, 7)))
            lead = members[0]
            founded = self._random_day(s.start, s.start + dt.timedelta(days=span // 6))
            tid = f"{self.plan.id}-{slug}"
            out += [f"- id: {tid}", f"  name: {q(name)}", f"  lead: {lead}", f"  members: {_ids(members)}",
                    f"  founded: {founded.isoformat()}", f"  focus: {q(focus)}", "  problems:"]
            n = rng.randint(2, 4)
            for k in range(n):
                # Earlier problems are more likely solved; the newest is usually still open.
                frac_lo = k / n
                opened = self._random_day(founded + dt.timedelta(days=int(frac_lo * (s.end - founded).days)),
                                          founded + dt.timedelta(days=int((k + 1) / n * (s.end - founded).days) - 1))
                r = rng.random()
                status = "已破解" if (k < n - 1 and r < 0.7) else "攻坚中" if r < 0.85 else "待攻坚"
                solved = None
                if status == "已破解":
                    solved = opened + dt.timedelta(days=rng.randint(30, 200))
                    if solved > s.end:
                        status, solved = "攻坚中", None
                title = rng.choice(_PROBLEMS)
                pid_ = f"{self.plan.id}-{prefix}-{opened.year}-{k + 1:02d}"
                owner = rng.choice(members)
                part = sorted(set(rng.sample(members, min(len(members), rng.randint(2, 4)))) | {owner})
                out += [f"    - id: {pid_}", f"      title: {q(title)}", f"      status: {status}",
                        f"      opened: {opened.isoformat()}"]
                if solved:
                    out.append(f"      solved: {solved.isoformat()}")
                out += [f"      owner: {owner}", f"      members: {_ids(part)}"]
                if status == "已破解":
                    out.append(f"      outcome: {q(f'问题得到解决，办理周期缩短 {rng.randint(20, 60)}%（示例数据）。')}")
                elif status == "攻坚中":
                    out.append(f"      outcome: {q('已形成初步方案，正在试行。')}")
                header = "诸葛亮会"
                for m_ in part:
                    self.point(opened, m_, "I2", 1, f"参与攻坚课题 {pid_}", None, header)
                ideas = [(rng.choice(part), rng.choice(_IDEAS), rng.random() < 0.6) for _ in range(rng.randint(1, 3))]
                if ideas:
                    out.append("      ideas:")
                    for who, text, adopted in ideas:
                        out += [f"        - member: {who}", f"          text: {q(text)}",
                                f"          adopted: {'true' if adopted else 'false'}"]
                        self.point(opened, who, "I1", 1,
                                   f"金点子（{'已采纳' if adopted else '未采纳'}）：{title}", None, header)
                if solved:
                    self.point(solved, owner, "I2", 1, f"攻坚课题 {pid_} 破解", None, "攻坚课题破解")
                out.append("")
        return "\n".join(out)

    def _duties(self) -> str:
        rng, s = self.rng, self.s
        stable = self._stable_ids()
        leaders = [pid for pid in self.committee_ids if pid in stable] or stable[:1]
        out = ["# 5W2H 责任清单和一岗双责。本文件由 dangjian synth 生成，全部为虚构示例数据。", "", "items:"]
        year_start = D(s.end.year, 1, 1) if s.end.month > 3 else D(s.end.year - 1, 1, 1)
        year_start = max(year_start, s.start)
        for k, (what, why, where) in enumerate(rng.sample(_DUTIES, rng.randint(5, 10))):
            when = self._random_day(year_start, s.end + dt.timedelta(days=60))
            who = sorted(set([rng.choice(leaders)] + rng.sample(stable, rng.randint(0, 2))))
            past = when <= s.end
            r = rng.random()
            if past and r < 0.7:
                status = "已完成"
                done = when + dt.timedelta(days=rng.randint(-20, 3 if rng.random() < 0.85 else 20))
                done = min(max(done, year_start), s.end)
            elif past:
                status, done = ("进行中" if r < 0.9 else "未开始"), None  # overdue
            else:
                status, done = ("进行中" if r < 0.5 else "未开始"), None
            did = f"{self.plan.id}-zr-{when.year}-{k + 1:02d}"
            out += [f"  - id: {did}", f"    what: {q(what)}", f"    why: {q(why)}", f"    who: {_ids(who)}",
                    f"    when: {when.isoformat()}", f"    where: {q(where)}",
                    f"    how: {q('支委会研究部署，责任人按节点推进，完成后报支委会验收')}",
                    f"    how_much: {q('按期完成，资料归档')}", f"    status: {status}"]
            if done:
                out.append(f"    done: {done.isoformat()}")
                if done <= when:
                    for pid in who:
                        self.point(done, pid, "E4", 1, f"按期完成：{what}", None, "责任清单")
            if rng.random() < 0.3:
                out.append("    audience: public")
            out.append("")
        out.append("posts:")
        for pid, role in self.plan.committee:
            post = next(st.person.post for st in self.plan.stints if st.person.id == pid)
            party = _POST_PARTY[min(_ROLES.index(role), len(_POST_PARTY) - 1)]
            out += [f"  - member: {pid}    # {self.names[pid]}", f"    business: {q(post)}", f"    party: {q(party)}", ""]
        return "\n".join(out)

    # -- documents -----------------------------------------------------------------
    def _regulations(self) -> None:
        rng, s, p = self.rng, self.s, self.plan
        for k, (slug, title, rule, measures) in enumerate(rng.sample(_REGULATIONS, rng.randint(2, 4))):
            effective = self._random_day(D(max(p.founded.year, 2018), 1, 1), s.start)
            effective = D(effective.year, effective.month, 1)
            # Most were reviewed within the year; a few are overdue.
            back = rng.randint(1, 11) if rng.random() < 0.75 else rng.randint(13, 24)
            review = s.end - dt.timedelta(days=back * 30)
            review = max(review, effective)
            version = f"{rng.randint(1, 3)}.{rng.randint(0, 2)}"
            text = (f"---\n# 制度文件。本文件由 dangjian synth 生成，为虚构示例。\n"
                    f"number: {q(f'{p.id.upper()}-ZD-{k + 1:02d}')}\ntitle: {q(title)}\nversion: {q(version)}\n"
                    f"effective: {effective.isoformat()}\nlast_review: {review.isoformat()}\nreview_months: 12\n"
                    + (f"measures: [{', '.join(measures)}]\n" if measures else "") + "---\n\n"
                    f"## 一、总则\n\n{rule}\n\n## 二、职责分工\n\n支部书记负总责，支委分工负责，党小组组长具体落实。\n\n"
                    f"## 三、检查评估\n\n支委会每年对本制度的执行情况评估一次，评估结果在党务公开栏公布。\n")
            s.files[f"{self.base}/regulations/{slug}.md"] = text

    def _news(self) -> None:
        rng, s = self.rng, self.s
        for ym in s.months:
            if rng.random() < 0.1:
                continue  # a month without a report now and then
            d0, theme, slug = self.news_topics[ym]
            d = min(d0 + dt.timedelta(days=rng.randint(1, 5)), D(ym[0], ym[1], _last_day(*ym)))
            act = self.active(d)
            author = self.role_of.get("宣传委员") if rng.random() < 0.6 else None
            author = author or rng.choice([st.person.id for st in act])
            title = f"{self.plan.dept}党支部开展“{theme}”主题党日活动"
            body = (f"{d0.month} 月 {d0.day} 日，{self.plan.name}开展“{theme}”主题党日活动，支部党员参加。\n\n"
                    "活动中，大家结合岗位实际交流体会，表示要把学习成果转化为推动工作的实际行动。\n")
            text = (f"---\n# 宣传报道。本文件由 dangjian synth 生成，为虚构示例。\ntitle: {q(title)}\n"
                    f"date: {d.isoformat()}\nauthor: {author}\n---\n\n{body}")
            s.files[f"{self.base}/news/{d.isoformat()}-{slug}.md"] = text
            self.point(d, author, "O2", 1, "宣传报道", None, "宣传报道")

    def _quizzes(self) -> None:
        rng = self.rng
        for y, m in self.s.months:
            if m % 3:
                continue
            d = _weekday_on_or_after(y, m, 26)
            label = _QUARTER_NAMES[m // 3 - 1]
            for st in self.active(d):
                if rng.random() < 0.9:
                    score = rng.choice((6, 7, 8, 8, 9, 9, 9, 10, 10))
                    self.point(d, st.person.id, "L5", score, f"{label}应知应会测试 {score} 分", None, "应知应会测试")

    # -- ledgers -------------------------------------------------------------------
    def _points(self, ym: tuple[int, int]) -> str:
        y, m = ym
        out = [f"# {y}年{m}月积分台账。本文件由 dangjian synth 生成，全部为虚构示例数据。",
               "# 扣分的 indicator 写“扣分”，points 写扣几分（正数）。", ""]
        entries = sorted(self.points[ym])  # (day, seq, …): seq is unique, so this is date then insertion order
        last_day, last_header, iso = None, None, ""
        append = out.append
        for day, _seq, header, member, code, pts, note, ref in entries:
            if day != last_day:
                iso = day.isoformat()
            if day != last_day or header != last_header:
                append(f"# —— {day.month}月{day.day}日 {header} ——")
                last_day, last_header = day, header
            tail = f"  ref: {ref}\n" if ref else ""
            append(f"- date: {iso}\n  member: {member}\n  indicator: {code}\n  points: {pts}\n  note: {q(note)}\n{tail}")
        if not entries:
            out.append("[]")
        return "\n".join(out)

    def _four_ones_file(self, year: int) -> str:
        out = [f"# {year}年“四个一”完成情况。本文件由 dangjian synth 生成，全部为虚构示例数据。",
               "# 按党员编号排列，方便看出谁还差哪一项。", ""]
        order = {"一堂微课": 0, "一次主办": 1, "一次领学": 2, "一句心得": 3}
        rows = sorted(self.four_ones[year].items(), key=lambda kv: (kv[0][0], order[kv[0][1]]))
        current = None
        for (member, item), (day, title) in rows:
            if member != current:
                out.append(f"# {member} {self.names[member]}")
                current = member
            out += [f"- member: {member}", f"  item: {item}", f"  date: {day.isoformat()}", f"  title: {q(title)}", ""]
        return "\n".join(out)


# --------------------------------------------------------------------------- entry points
def synthesize(root: Path | str, branches: int = 40, members: int = 1200, years: int = 3, seed: int = 1,
               end: str = "2026-11") -> Summary:
    """Write the project under `root` (which should be empty or absent); return counts and timing."""
    started = time.perf_counter()
    root = Path(root)
    if branches < 1 or years < 1:
        raise ValueError("--branches 和 --years 至少为 1")
    if members < 5 * branches:
        raise ValueError(f"--members 太少：{branches} 个支部至少需要 {5 * branches} 名党员（每个支部至少 5 人）")
    if members > 99999:
        raise ValueError("--members 不能超过 99999")
    synth = _Synth(branches, members, years, seed, parse_end(end))
    plans, files = synth.run()
    from generator.load.validate import DEFAULTS_DIR
    from generator.tools.scaffold import _MKDOCS

    files["mkdocs.yml"] = _MKDOCS.format(name=synth.org)
    files[".gitignore"] = "site/\n.dangjian-*/\n"
    total = 0
    made: set = set()
    for rel in sorted(files):
        path = root / rel
        if path.parent not in made:
            path.parent.mkdir(parents=True, exist_ok=True)
            made.add(path.parent)
        data = files[rel].encode("utf-8")
        path.write_bytes(data)
        total += len(data)
    # synth's ledger writes every point itself, so it is scored by the default hierarchy without the rules that
    # earn points from records (they would count each of those points twice)
    (root / "data" / "evaluation.yml").write_bytes(_without_rules((DEFAULTS_DIR / "evaluation.yml").read_text(encoding="utf-8")).encode("utf-8"))
    total += (root / "data" / "evaluation.yml").stat().st_size
    movers = sum(1 for plan in plans for st in plan.stints if st.arrived_from)
    return Summary(root, len(plans), members, movers, len(files) + 1, total, time.perf_counter() - started)


def register(sub) -> None:
    p = sub.add_parser("synth", help="生成一个多支部的虚构示例项目（用于性能测试和软件测试）")
    p.add_argument("-o", "--output", default="synth-project", metavar="DIR", help="输出文件夹（默认 synth-project，须不存在或为空）")
    p.add_argument("--branches", type=int, default=40, help="支部数（默认 40）")
    p.add_argument("--members", type=int, default=1200, help="党员总数（默认 1200，每个支部 20–60 人）")
    p.add_argument("--years", type=int, default=3, help="记录覆盖几年（默认 3）")
    p.add_argument("--seed", type=int, default=1, help="随机种子：相同参数和种子生成完全相同的文件（默认 1）")
    p.add_argument("--end", default="2026-11", help="最后一个月 YYYY-MM（默认 2026-11）")
    p.set_defaults(func=cmd_synth)


def cmd_synth(args) -> int:
    target = Path(args.output)
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        print(f"dangjian: “{target}”已存在且不是空文件夹：请换一个名字", file=sys.stderr)
        return 2
    try:
        summary = synthesize(target, args.branches, args.members, args.years, args.seed, args.end)
    except ValueError as exc:
        print(f"dangjian: {exc}", file=sys.stderr)
        return 2
    print(f"已生成虚构示例项目：{target}（{summary.branches} 个支部，{summary.members} 名党员，"
          f"其中 {summary.movers} 人转过支部；{summary.files} 个文件，{summary.bytes / 1e6:.1f} MB，"
          f"用时 {summary.seconds:.1f} 秒）")
    return 0


def _without_rules(evaluation: str) -> str:
    """The default evaluation up to its record rules (`attendance:`, then `earn:`, each with the comment above
    it): the hierarchy alone, as the file's top-level keys say, not as its blank lines happen to fall."""
    lines = evaluation.split("\n")
    cut = next(i for i, line in enumerate(lines) if line.startswith(("attendance:", "earn:")))
    while cut and lines[cut - 1].startswith("#"):
        cut -= 1
    kept = "\n".join(lines[:cut]).rstrip("\n") + "\n"
    assert "\ndimensions:" in kept and not any(line.startswith(("attendance:", "earn:")) for line in lines[:cut])
    return kept
