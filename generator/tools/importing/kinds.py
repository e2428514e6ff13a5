"""What each kind of sheet holds: the fields of its rows, the record they land in, the usual headings
of its columns and the labels the user is told."""

from __future__ import annotations

from generator.model import spec

KINDS = ("roster", "points", "dues", "activities", "attendance")
KIND_LABELS = {"roster": "党员名册", "points": "积分台账", "dues": "党费交纳记录", "activities": "活动记录",
               "attendance": "签到表"}
# The shape of a sheet's row, and of the record it lands in (a 签到表's row is one person of an activity).
ROW_SHAPES = {"roster": spec.MEMBER, "points": spec.POINT, "dues": spec.PAYMENT, "activities": spec.ACTIVITY,
              "attendance": spec.ABSENCE}
RECORD_SHAPES = {**ROW_SHAPES, "attendance": spec.ACTIVITY}

# Usual headings of each column, per kind. Keys are spec field keys, plus
# `member_id` (a member's 编号 in a points or dues sheet) and `month` (the month the
# dues are for). Headings are compared after `headings._norm` (no spaces, no "(元)" suffix).
HEADINGS: dict[str, dict[str, tuple[str, ...]]] = {
    "roster": {
        "id": ("编号", "党员编号"),
        "name": ("姓名", "党员姓名"),
        "gender": ("性别",),
        "joined": ("入党时间", "入党日期", "入党年月日"),
        "status": ("党员类别", "人员类别", "党籍状态", "党员身份", "政治面貌"),
        "confirmed": ("转正时间", "转正日期"),
        "post": ("岗位", "职务", "工作岗位", "岗位职务", "部门及职务", "工作单位及职务", "单位及职务", "现工作单位及职务"),
        "unit": ("工作单位", "现工作单位", "所在单位", "单位"),
        "group": ("党小组", "所在党小组"),
        "left": ("转出日期", "转出时间"),
        "phone": ("手机号码", "手机号", "手机", "联系电话", "电话"),
        "id_number": ("身份证号", "身份证号码", "公民身份号码", "身份证"),
        "address": ("家庭住址", "住址", "家庭地址", "现住址"),
        "dues_base": ("党费基数", "月收入", "党费计算基数"),
        "review_grade": ("民主评议等次", "评议等次", "民主评议结果"),
        "discipline": ("纪律处分情况", "纪律处分", "处分情况"),
    },
    "points": {
        "date": ("日期", "积分日期", "得分日期", "时间"),
        "member": ("姓名", "党员", "党员姓名"),
        "member_id": ("党员编号",),
        "indicator": ("指标", "指标代码", "积分指标", "积分项目", "评价指标", "项目", "考核项目", "加减分项目", "积分内容"),
        "points": ("分值", "积分", "得分", "分数", "加减分", "积分分值"),
        "note": ("事项", "事由", "积分事由", "事项说明", "说明", "备注", "备注说明", "情况说明", "具体事由"),
        "ref": ("相关活动编号", "活动编号", "相关活动"),
    },
    "dues": {
        "member": ("姓名", "党员", "党员姓名", "缴费人", "交纳人"),
        "member_id": ("党员编号",),
        "paid_at": ("缴费时间", "交纳时间", "缴纳时间", "支付时间", "交费时间", "缴费日期时间"),
        "paid_on": ("缴纳日期", "缴费日期", "交纳日期", "交费日期", "支付日期"),
        "amount": ("金额", "缴费金额", "交纳金额", "缴纳金额", "实缴金额", "实交金额"),
        "month": ("所属月份", "党费月份", "缴费月份", "交纳月份", "所属期", "月份", "所属月"),
        "year": ("年份", "年度", "所属年份", "缴费年份"),
    },
    "activities": {
        "date": ("日期", "活动日期", "时间", "活动时间", "会议时间"),
        "type": ("活动类型", "类型", "会议类型", "活动形式"),
        "title": ("主题", "活动主题", "会议主题", "活动名称", "会议名称"),
        "place": ("地点", "活动地点", "会议地点"),
        "host": ("主持人", "主持", "主办人"),
        "leader": ("领学人",),
        "speaker": ("主讲人", "授课人"),
        "first_topic": ("第一议题",),
        "recorder": ("记录人",),
        "attendees": ("参加人员", "出席人员", "参会人员", "参加人"),
        "absent": ("缺席人员", "缺席"),
        "wuyou": ("五有", "五有落实", "五有落实情况"),
        "summary": ("内容纪要", "纪要", "主要内容", "活动内容", "内容"),
    },
    "attendance": {
        "member": ("姓名", "党员姓名", "党员"),
        "member_id": ("党员编号",),
        "sign": ("签到", "签名", "本人签字", "签字", "签到情况", "出席情况", "是否参加", "是否出席", "签到栏"),
        "reason": ("请假原因", "缺席原因", "备注", "说明"),
    },
}
# Keys read from a sheet that are no field of a record: a member's 编号 in a points or dues sheet,
# the month dues are for, and the date a probationary member became a full one (it sets 党员类别).
# A dues sheet may give only the day of payment (paid_on) and the year apart from the month.
PSEUDO_KEYS = {"member_id": ("党员编号", "id"), "month": ("所属月份", "month"), "confirmed": ("转正时间", "date"),
               "paid_on": ("缴纳日期", "day"), "year": ("年份", "year"), "sign": ("签到", "sign"),
               "unit": ("工作单位", "str")}


def field_of(kind: str, key: str) -> spec.Field | None:
    return ROW_SHAPES[kind].by_key.get(key)


def key_labels(kind: str) -> dict[str, str]:
    out = {}
    for key in HEADINGS[kind]:
        f = field_of(kind, key)
        out[key] = f.label if f else PSEUDO_KEYS[key][0]
    return out
