"""Cell values: one cell to the value a data file holds, held to the same field checks as a
hand-written data file; a bad cell raises `CellError` with a Chinese message."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import Any

from generator.load.fields import Checker
from generator.load.yamlio import control_name, first_control
from generator.model import spec
from generator.tools.importing.kinds import PSEUDO_KEYS, field_of, key_labels

TICKS = ("√", "✓", "✔", "☑", "是", "已交", "已缴")

GENDER_ALIASES = {"男性": "男", "女性": "女"}
# 政治面貌 as party systems export it; the other values of that column name people who are not members.
STATUS_ALIASES = {"正式": "正式党员", "预备": "预备党员", "中共党员": "正式党员", "中共正式党员": "正式党员",
                  "中国共产党党员": "正式党员", "中共预备党员": "预备党员", "中国共产党预备党员": "预备党员"}
NOT_MEMBERS = ("群众", "共青团员", "中共团员", "民主党派", "无党派人士", "无党派")

_DATE_TEXT = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
                        r"(?:[ T]+(\d{1,2})[:：](\d{1,2})(?:[:：](\d{1,2}))?(?:\.\d+)?)?$")
_CJK_NAME = re.compile(r"[\u4e00-\u9fff·]+(?:\s+[\u4e00-\u9fff·]+)*")
_MONTH_TEXT = re.compile(r"^(\d{4})\s*(?:[-/.年]\s*(\d{1,2})\s*月?|(\d{2}))$")


class CellError(Exception):
    pass


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def cell_text(value: Any) -> str:
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat(sep=" ") if isinstance(value, dt.datetime) else value.isoformat()
    return str(value).strip()


def cell_date(value: Any, label: str) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    # Excel keeps 2021.10 typed in a number cell as 2021.1: a year and month is read with two decimals
    text = f"{value:.2f}" if isinstance(value, float) and not value.is_integer() else unicodedata.normalize("NFKC", cell_text(value))
    m = _DATE_TEXT.match(text)
    if m and not m.group(4) or m and int(m.group(4)) == 0 and int(m.group(5)) == 0:
        try:
            return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            raise CellError(f"“{label}”“{text}”不是日历上存在的日期：请核对月份和日")
    if m:
        raise CellError(f"“{label}”只要日期，不要时刻，实际是“{text}”：请改成如 2026-09-15")
    month = year_month(text)
    if month is not None:  # 2021.07: the 1st of the month (read_rows says so in a note)
        return month
    raise CellError(f"“{label}”应是日期，如 2026-09-15，实际是“{text}”：请改成 年-月-日 的写法，或把单元格设为日期格式")


def year_month(text: str) -> dt.date | None:
    """The first day of a year-and-month cell (2021.07, 2021-07, 2021年7月), or None."""
    m = _MONTH_TEXT.match(text)
    month = int(m.group(2) or m.group(3)) if m else 0
    return dt.date(int(m.group(1)), month, 1) if m and 1 <= month <= 12 else None


def cell_datetime(value: Any, label: str) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return value.replace(microsecond=0, tzinfo=None)
    if isinstance(value, dt.date):
        raise CellError(f"“{label}”只有日期、缺少时刻：请写成如 2026-09-01 00:05（零点行动按分钟统计）")
    text = unicodedata.normalize("NFKC", cell_text(value))
    m = _DATE_TEXT.match(text)
    if not m:
        raise CellError(f"“{label}”应是日期和时刻，如 2026-09-01 00:05，实际是“{text}”：请改正")
    if not m.group(4):
        raise CellError(f"“{label}”只有日期、缺少时刻：请写成如 2026-09-01 00:05（零点行动按分钟统计）")
    try:
        return dt.datetime(int(m.group(1)), int(m.group(2)), int(m.group(3)),
                           int(m.group(4)), int(m.group(5)), int(m.group(6) or 0))
    except ValueError:
        raise CellError(f"“{label}”“{text}”不是存在的日期或时刻：请核对月、日（小时 0–23，分钟 0–59）")


def cell_month(value: Any, label: str) -> str:
    if isinstance(value, (dt.date, dt.datetime)):
        return f"{value.year:04d}-{value.month:02d}"
    text = unicodedata.normalize("NFKC", cell_text(value))
    m = _MONTH_TEXT.match(text)
    month = int(m.group(2) or m.group(3)) if m else 0
    alone = re.fullmatch(r"(\d{1,2})\s*月?份?", text)
    if alone and 1 <= int(alone.group(1)) <= 12:  # 9 or 9月 beside a 年份 column: to_records adds the year
        return f"{int(alone.group(1)):02d}"
    if not m or not 1 <= month <= 12:
        raise CellError(f"“{label}”应是年月，如 2026-09，实际是“{text}”：请改正")
    return f"{int(m.group(1)):04d}-{month:02d}"


def cell_day(value: Any, label: str) -> dt.date | dt.datetime:
    """The day of a payment, with its time when the cell has one (a date cell of Excel reads as midnight)."""
    if isinstance(value, dt.datetime):
        return value.replace(microsecond=0, tzinfo=None) if value.time() != dt.time(0) else value.date()
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        raise CellError(f"“{label}”这一格是数字“{cell_text(value)}”（像是金额），不是交纳日期：网站按交纳日期判断是否按时交纳，"
                        "请写交纳日期，如 2026-03-05")
    text = unicodedata.normalize("NFKC", cell_text(value))
    if text in TICKS:
        raise CellError(f"“{label}”这一格只写了“{text}”，没有交纳日期：网站按交纳日期判断是否按时交纳，请写交纳日期，如 2026-03-05")
    m = _DATE_TEXT.match(text)
    if m and m.group(4):
        return cell_datetime(value, label)
    return cell_date(value, label)


def cell_number(value: Any, label: str, minimum: float | None) -> int | float:
    if isinstance(value, bool):
        raise CellError(f"“{label}”应是数字，实际是“{cell_text(value)}”")
    if isinstance(value, (int, float)):
        number = value
    else:
        text = unicodedata.normalize("NFKC", cell_text(value))
        cleaned = re.sub(r"[¥￥,元分\s]", "", text)
        try:
            number = float(cleaned)
        except ValueError:
            raise CellError(f"“{label}”应是数字，实际是“{text}”：请只写数字，如 1 或 0.5")
    if isinstance(number, float) and number.is_integer():
        number = int(number)
    if minimum is not None and number < minimum:
        raise CellError(f"“{label}”不能小于 {minimum:g}，这里是 {number}")
    return number


def convert(kind: str, key: str, value: Any) -> Any:
    """One cell to the value a data file holds; raises CellError with a Chinese message."""
    f = field_of(kind, key)
    label = f.label if f else key_labels(kind)[key]
    fkind = f.kind if f else PSEUDO_KEYS[key][1]
    if fkind == "date":
        return cell_date(value, label)
    if fkind == "datetime":
        return cell_datetime(value, label)
    if fkind == "month":
        return cell_month(value, label)
    if fkind == "day":
        return cell_day(value, label)
    if fkind == "sign":  # a tick, a signature or 请假: attendance_records reads it
        return cell_text(value)
    if fkind == "year":
        year = cell_number(value, label, None)
        if not (isinstance(year, int) and 1950 <= year <= 2100):
            raise CellError(f"“{label}”应是四位数的年份，如 2026，实际是“{cell_text(value)}”")
        return year
    if fkind in ("int", "number"):
        if key == "points":  # a negative number is a deduction (to_records makes it 扣分 and positive)
            return cell_number(value, label, None)
        return cell_number(value, label, f.minimum if f else None)
    text = cell_text(value)
    if key in ("name", "member") and _CJK_NAME.fullmatch(text):
        text = re.sub(r"\s+", "", text)  # 王　伟 aligned with a full-width space in the sheet is 王伟
    if key in ("id_number", "phone") and isinstance(value, float) and not value.is_integer():
        raise CellError(f"“{label}”被 Excel 当成了数字（{value}），末几位可能已丢失：请把这一列设为“文本”格式后重新录入")
    if key == "id_number" and isinstance(value, (int, float)) and len(text) >= 16:
        raise CellError(f"“{label}”被 Excel 当成了数字，18 位号码的末几位会丢失：请把这一列设为“文本”格式后重新录入")
    if fkind == "choice":
        text = GENDER_ALIASES.get(text, STATUS_ALIASES.get(text, text))
        if key == "type":
            from generator.tools.import_activities import activity_type

            text = activity_type(text)
        if key == "status" and text in NOT_MEMBERS:
            raise CellError(f"“{label}”是“{text}”，不是党员：党员名册只收本支部党员，请删除这一行")
        assert f is not None  # every choice is a field of spec.py: PSEUDO_KEYS has none
        if text not in f.choices:
            raise CellError(f"“{label}”“{text}”不是可选的值：请写 {'、'.join(f.choices)} 之一")
        return text
    if fkind == "id" and f is None:  # 党员编号 in a points or dues sheet, found in the roster later
        if not re.match(spec.ID_PATTERN, text):
            raise CellError(f"“{label}”“{text}”只能由英文字母、数字、- 和 _ 组成，如 m01")
        return text
    if fkind == "str" and "\n" in text:
        raise CellError(f"“{label}”应是一行文字：请删除单元格里的换行")
    return text


def field_checked(kind: str, key: str, value: Any) -> Any:
    """`value` after the checks a hand-written data file gets (load/fields.py), so that a sheet
    from elsewhere is held to the same rules as YAML; raises CellError with their messages."""
    f = field_of(kind, key)
    if f is None or f.kind in ("member", "members", "object"):  # names and 五有 are read into ids and keys later
        return value
    control = first_control(value) if isinstance(value, str) else None
    if control is not None:  # in a YAML file the reader refuses these before the fields are checked
        raise CellError(f"这个单元格里有一个看不见的控制字符 {control_name(control)}")
    checker = Checker("")
    checked = checker.value(value, f, 0)
    if checker.problems:
        raise CellError("；".join(problem.message for problem in checker.problems))
    return value if checked is None else checked
