"""The shape of every data file, declared once.

The validator reads these declarations to check a user's YAML, and the JSON Schemas
for editors are generated from them, so a field is described in exactly one place.
Keys are short English words; values (types, roles, statuses) are Chinese, as a
branch writes them. `label` is the Chinese name used in messages and schemas.
"""

from __future__ import annotations

from dataclasses import dataclass, field

AUDIENCES = ("public", "party", "committee")
# A branch may write the audience in Chinese too.
AUDIENCE_ALIASES = {"公开": "public", "党内": "party", "支委": "committee", "支委会": "committee"}

def visible(audience: str, record_audience: str) -> bool:
    """A record is shown to a build for `audience` when its own audience is not above it."""
    return AUDIENCES.index(record_audience) <= AUDIENCES.index(audience)


def stricter(a: str, b: str) -> str:
    """The narrower of two audiences."""
    return max(a, b, key=AUDIENCES.index)


IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp", ".gif")  # pictures a page and `photos:` may show


# Visible characters of one article, regulation or content/ page that go into the search index
# (every reader downloads all of it at the first search); `check` reminds of each longer text.
SEARCH_PAGE_CHARS = 20_000


def is_image(name: str) -> bool:
    return name.lower().endswith(IMAGE_SUFFIXES)


ACTIVITY_TYPES = (
    "主题党日", "政治学习", "支委会", "党员大会", "党小组会", "党课",
    "组织生活会", "民主评议", "谈心谈话", "政治生日", "志愿服务", "其他",
)
# Meetings about people (criticism, grades, personal talks): the committee's unless the record says otherwise.
COMMITTEE_BY_DEFAULT = ("组织生活会", "民主评议", "谈心谈话")
# Meetings the 支部工作条例 asks to be minuted: each has its own 会议纪实 page and goes into the 台账.
MEETING_TYPES = ("支委会", "党员大会", "党小组会", "党课", "主题党日", "组织生活会", "民主评议", "谈心谈话")
SANHUI_YIKE = ("支委会", "党员大会", "党小组会", "党课")
WUYOU_KEYS = ("theme", "record", "reflection", "evaluation", "support")
WUYOU_LABELS = {"theme": "有主题", "record": "有记录", "reflection": "有感悟", "evaluation": "有评价", "support": "有保障"}
BIRTHDAY_STEPS = (
    "主持人介绍情况", "重读入党申请书", "畅谈入党初心", "回顾重要点滴",
    "寄语再接再厉", "重温入党誓词", "歌唱我的祖国", "定格珍贵瞬间",
)
FOUR_ONES = ("一堂微课", "一次主办", "一次领学", "一句心得")
# what a regulation's `measures:` may name: the checks of the yearly execution evaluation
EXECUTION_MEASURES = ("五有", "第一议题", "宣传报道", "积分台账")
PROBLEM_STATUSES = ("待攻坚", "攻坚中", "已破解")
DUTY_STATUSES = ("未开始", "进行中", "已完成")
MEMBER_STATUSES = ("正式党员", "预备党员")
GENDERS = ("男", "女")

ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$"


@dataclass(frozen=True)
class Field:
    """One key of a record.

    kind: str, text (multi-line), int, number, bool, date, datetime, month, choice,
    audience, id, member (a reference by id or unique name), members (a list of
    those), strings, object (nested `shape`), objects (a list of `shape`).
    """

    key: str
    kind: str
    label: str
    required: bool = False
    choices: tuple[str, ...] = ()
    shape: Shape | None = None
    private: bool = False
    minimum: float | None = None
    help: str = ""
    longest: int | None = None  # characters at most (a str field shown in narrow table cells)

    @property
    def nested(self) -> Shape:
        """The shape of an object or objects field: spec.py gives every such field one."""
        assert self.shape is not None, self.key
        return self.shape


@dataclass(frozen=True)
class Shape:
    name: str
    label: str
    fields: tuple[Field, ...]
    help: str = ""
    by_key: dict = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self):
        self.by_key.update({f.key: f for f in self.fields})


def _shape(name, label, *fields, help=""):
    return Shape(name, label, tuple(fields), help)


AUDIENCE = Field("audience", "audience", "公开范围", help="public/公开（全单位）、party/党内（本支部党员）、committee/支委（支委会）")

COMMITTEE_SEAT = _shape(
    "committee_seat", "支委成员",
    Field("member", "member", "党员", required=True),
    Field("role", "str", "职务", required=True, help="如 支部书记、组织委员、宣传委员、纪检委员"),
)

BRANCH = _shape(
    "branch", "支部信息",
    Field("id", "id", "支部代号", required=True, help="英文字母或数字，用于网址，如 jiguan2"),
    Field("name", "str", "支部名称", required=True),
    Field("organization", "str", "上级党组织", required=True),
    Field("founded", "date", "成立日期"),
    Field("since", "str", "开始在本网站记录的月份", help="写成 YYYY-MM，如 2025-12；此前的月份不计入、不算缺"),
    Field("motto", "str", "支部口号"),
    Field("intro", "text", "支部简介"),
    Field("committee", "objects", "支部委员会", shape=COMMITTEE_SEAT),
    Field("theme_day", "int", "主题党日固定日", minimum=1, help="每月第几日开展主题党日，如 15"),
    Field("honor_roll_size", "int", "金榜题名人数", minimum=1, help="每期上榜人数，默认 5"),
    Field("news_plan", "int", "年度宣传报道计划篇数", minimum=0),
    help="data/branch.yml：支部的基本信息和设置",
)

MEMBER = _shape(
    "member", "党员",
    Field("id", "id", "编号", required=True, help="每人唯一，如 m01"),
    # the longest names (少数民族 names written in full, with the interpunct) stay well under 40
    Field("name", "str", "姓名", required=True, longest=40),
    Field("gender", "choice", "性别", choices=GENDERS),
    Field("joined", "date", "入党时间", required=True, help="写成 YYYY-MM-DD，用于计算政治生日"),
    Field("status", "choice", "党员类别", choices=MEMBER_STATUSES),
    Field("post", "str", "工作岗位"),
    Field("group", "str", "党小组"),
    Field("transferred_in", "date", "转入日期", help="组织关系转入本支部的日期；不写为入党时间。积分从这天算起"),
    Field("left", "date", "转出日期", help="组织关系转出本支部的日期；转出后不再列入名册"),
    Field("phone", "str", "手机号码", private=True),
    Field("id_number", "str", "身份证号", private=True),
    Field("address", "str", "家庭住址", private=True),
    Field("dues_base", "number", "党费基数（月收入）", private=True, minimum=0),
    Field("review_grade", "str", "民主评议等次", private=True),
    Field("discipline", "text", "纪律处分情况", private=True, help="有内容时该党员不进入金榜题名"),
    help="data/members.yml：党员名册，每人一项",
)

WUYOU = _shape(
    "wuyou", "五有",
    *(Field(k, "bool", WUYOU_LABELS[k]) for k in WUYOU_KEYS),
)

REFLECTION = _shape(
    "reflection", "感悟",
    Field("member", "member", "党员", required=True),
    Field("text", "text", "感悟内容", required=True),
)

ABSENCE = _shape(
    "absence", "请假人员",
    Field("member", "member", "党员", required=True),
    Field("reason", "str", "缺席原因", private=True, help="如 出差、病假；只有支委会能看到"),
)

ACTIVITY = _shape(
    "activity", "活动",
    Field("id", "id", "编号", help="可不写，自动生成"),
    Field("type", "choice", "活动类型", required=True, choices=ACTIVITY_TYPES),
    Field("date", "date", "日期", required=True),
    Field("title", "str", "主题", required=True),
    Field("place", "str", "地点"),
    Field("host", "member", "主持/主办人"),
    Field("leader", "member", "领学人"),
    Field("speaker", "member", "主讲人"),
    Field("first_topic", "str", "第一议题", help="政治学习的第一议题"),
    Field("attendees", "members", "出席人员"),
    Field("absent", "members", "缺席人员"),
    Field("excused", "objects", "请假人员及原因", shape=ABSENCE, help="写了原因的缺席人员，原因只有支委会能看到；不必再写进 absent"),
    Field("recorder", "member", "记录人"),
    Field("agenda", "strings", "会议议程", help="按顺序一条一行"),
    Field("decisions", "strings", "会议决议", help="会议形成的决议或决定，一条一行"),
    Field("summary", "text", "内容纪要"),
    Field("wuyou", "object", "五有落实", shape=WUYOU, help="主题党日必填"),
    Field("honorees", "members", "过政治生日的党员", help="政治生日必填"),
    Field("steps", "strings", "完成的环节", help="政治生日的八个规定环节"),
    Field("reflections", "objects", "活动感悟", shape=REFLECTION),
    Field("photos", "strings", "照片", help="content/ 下的图片路径"),
    AUDIENCE,
    help="data/activities/YYYY-MM.yml：当月的主题党日、政治学习、三会一课、政治生日等",
)

FREQUENCIES = ("每月", "每季度", "每年")  # how often a kind of meeting is due

FREQUENCY = _shape(
    "frequency", "组织生活频次",
    Field("type", "choice", "活动类型", required=True, choices=ACTIVITY_TYPES),
    Field("every", "choice", "周期", required=True, choices=FREQUENCIES),
    Field("times", "int", "每个周期至少几次", minimum=1, help="不写为 1"),
    Field("basis", "str", "依据", help="如 《支部工作条例》：党员大会一般每季度召开 1 次"),
    help="data/frequencies.yml：各类组织生活多久至少开展一次，用于落实情况日历；不写这个文件时用《支部工作条例》的默认频次",
)

IDEA = _shape(
    "idea", "金点子",
    Field("member", "member", "提出人", required=True),
    Field("text", "text", "内容", required=True),
    Field("adopted", "bool", "是否采纳"),
    Field("date", "date", "提出日期", help="不写为课题的立项日期；评价体系按这个日期计积分"),
)

TEAM_PROBLEM = _shape(
    "team_problem", "攻坚课题",
    Field("id", "id", "编号", required=True),
    Field("title", "str", "课题", required=True),
    Field("status", "choice", "状态", required=True, choices=PROBLEM_STATUSES),
    Field("opened", "date", "立项日期", required=True),
    Field("solved", "date", "破解日期"),
    Field("owner", "member", "牵头人"),
    Field("members", "members", "参与人员"),
    Field("outcome", "text", "成效"),
    Field("ideas", "objects", "金点子", shape=IDEA),
    AUDIENCE,
)

TEAM = _shape(
    "team", "攻坚团队",
    Field("id", "id", "编号", required=True),
    Field("name", "str", "团队名称", required=True),
    Field("lead", "member", "组长", required=True),
    Field("members", "members", "成员"),
    Field("founded", "date", "组建日期"),
    Field("focus", "text", "攻坚方向"),
    Field("problems", "objects", "攻坚课题", shape=TEAM_PROBLEM),
    help="data/teams.yml：诸葛亮会攻坚团队及其课题",
)

DUTY = _shape(
    "duty", "责任事项（5W2H）",
    Field("id", "id", "编号", required=True),
    Field("what", "str", "做什么（What）", required=True),
    Field("why", "str", "为什么（Why）"),
    Field("who", "members", "谁来做（Who）", required=True),
    Field("when", "date", "何时完成（When）", required=True),
    Field("where", "str", "在哪里（Where）"),
    Field("how", "text", "怎么做（How）"),
    Field("how_much", "str", "做到什么程度（How much）"),
    Field("status", "choice", "状态", required=True, choices=DUTY_STATUSES),
    Field("done", "date", "完成日期"),
    AUDIENCE,
)

POST_DUTY = _shape(
    "post_duty", "一岗双责",
    Field("member", "member", "党员", required=True),
    Field("business", "str", "业务职责", required=True),
    Field("party", "str", "党建职责", required=True),
)

DUTIES = _shape(
    "duties", "责任制",
    Field("items", "objects", "5W2H 责任清单", shape=DUTY),
    Field("posts", "objects", "一岗双责", shape=POST_DUTY),
    help="data/duties.yml：5W2H 责任清单和一岗双责",
)

FOUR_ONE = _shape(
    "four_one", "四个一",
    Field("member", "member", "党员", required=True),
    Field("item", "choice", "项目", required=True, choices=FOUR_ONES),
    Field("date", "date", "日期", required=True),
    Field("title", "str", "题目或内容", required=True),
    help="data/four-ones/YYYY.yml：一堂微课、一次主办、一次领学、一句心得",
)

PAYMENT = _shape(
    "payment", "党费交纳",
    Field("member", "member", "党员", required=True),
    Field("paid_at", "datetime", "交纳时间", required=True, help="写成 YYYY-MM-DD HH:MM"),
    Field("amount", "number", "金额", private=True, minimum=0),
)

DUES_MONTH = _shape(
    "dues_month", "党费交纳",
    Field("zero_hour", "bool", "是否零点行动月"),
    Field("payments", "objects", "交纳记录", required=True, shape=PAYMENT),
    help="data/dues/YYYY-MM.yml：当月党费交纳记录；零点行动月写 zero_hour: true",
)

POINT = _shape(
    "point", "积分",
    Field("date", "date", "日期", required=True),
    Field("member", "member", "党员", required=True),
    Field("indicator", "str", "指标", required=True, help="评价体系中的指标代码，如 L1；扣分写“扣分”"),
    Field("points", "number", "分值", required=True, minimum=0),
    Field("note", "str", "事由"),
    Field("ref", "str", "相关活动编号"),
    Field("audience", "audience", "事由公开范围",
          help="谁能看到事由和相关活动：party/党内（默认）、committee/支委（扣分默认）；分值总是计入得分。"
               "有 ref 时不会比那次活动更公开"),
    help="data/points/YYYY-MM.yml：当月积分台账",
)

REGULATION = _shape(
    "regulation", "制度",
    Field("number", "str", "制度编号", required=True),
    Field("title", "str", "制度名称", required=True),
    Field("version", "str", "版本", required=True),
    Field("effective", "date", "施行日期", required=True),
    Field("last_review", "date", "上次评估日期"),
    Field("review_months", "int", "评估周期（月）", minimum=1, help="默认 12"),
    Field("measures", "strings", "执行评估指标", help="“年度执行情况”中用哪些指标检验本制度：" + "、".join(EXECUTION_MEASURES)),
    AUDIENCE,
    help="data/regulations/*.md：每项制度一个 Markdown 文件",
)

NEWS = _shape(
    "news", "宣传报道",
    Field("title", "str", "标题", required=True),
    Field("date", "date", "日期", required=True),
    Field("author", "person", "作者", help="党员编号或姓名；作者不是本支部党员时直接写姓名"),
    Field("photos", "strings", "照片", help="content/ 下的图片路径，同活动记录的 photos"),
    Field("audience", "audience", "公开范围"),
    help="data/news/YYYY-MM-DD-名称.md：每篇报道一个 Markdown 文件",
)

ORGANIZATION = _shape(
    "organization", "党委信息",
    Field("name", "str", "党委名称", required=True),
    Field("intro", "text", "简介"),
    help="data/organization.yml：多支部项目的上级党委；各支部放在 data/branches/支部代号/",
)
