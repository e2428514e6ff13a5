"""How dates, shares and amounts are written: on the site (the templates' filters) and in Word alike."""

from __future__ import annotations

import datetime as dt


def format_date(value: dt.date | None, fmt: str = "%Y-%m-%d") -> str:
    return value.strftime(fmt) if value else ""


def cn_date(value: dt.date | None) -> str:
    return f"{value.year}年{value.month}月{value.day}日" if value else ""


def percent(value: float | None, digits: int = 0) -> str:
    return "—" if value is None else f"{value * 100:.{digits}f}%"


def num(value: float | int | None, digits: int = 2) -> str:
    """A count or an amount as people write it: 1, 1.5, 0.25; never 1.0."""
    if value is None:
        return "—"
    text = f"{value:.{digits}f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text
