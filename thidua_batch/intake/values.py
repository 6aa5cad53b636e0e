"""Typed cell values (workbook.md, "Cell values"): each kind parsed from what a unit may have typed.

A parser returns the value, or raises `Invalid` with a Vietnamese reason. It never guesses:
a value that could mean two things is invalid, and the reason says how to write it.
"""
from __future__ import annotations

import datetime as dt
import re

from ..common.text import clean, fold_ascii
from ..config.schema import GENDERS, NO, YES, Kind


class Invalid(ValueError):
    """The value is not of its column's kind; the message says what is expected."""


_EXCEL_EPOCH = dt.date(1899, 12, 30)
# Serials outside this window are not dates anyone would type here (a year "2020" typed
# in a date cell would be serial 2020 = 1905): they are reported, not converted.
_SERIAL_MIN, _SERIAL_MAX = 7306, 73051   # 1920-01-01 .. 2099-12-31
_DATE_MIN = _EXCEL_EPOCH + dt.timedelta(days=_SERIAL_MIN)
_DATE_MAX = _EXCEL_EPOCH + dt.timedelta(days=_SERIAL_MAX)
_DMY = re.compile(r"^(\d{1,2})\s*[/\-.]\s*(\d{1,2})\s*[/\-.]\s*(\d{4})$")
_YMD = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]00:00(?::00)?)?$")
_NUMBER = re.compile(r"^[+]?\d+(?:[.,]\d+)?$")
_YEAR_TEXT = re.compile(r"^(\d{4})(?:[.,]0+)?$")

DATE_HINT = "Ghi ngày theo dạng ngày/tháng/năm, ví dụ 15/12/2020."


def as_text(raw: object) -> str:
    """Any cell value as text, as a person would read it in the cell."""
    if isinstance(raw, bool):
        return YES if raw else NO
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    if isinstance(raw, dt.datetime):
        return raw.strftime("%d/%m/%Y") if raw.time() == dt.time() else raw.strftime("%d/%m/%Y %H:%M")
    if isinstance(raw, dt.date):
        return raw.strftime("%d/%m/%Y")
    return clean(str(raw))


def parse_date(raw: object) -> dt.date:
    if isinstance(raw, dt.date):
        day = raw.date() if isinstance(raw, dt.datetime) else raw
        if not _DATE_MIN <= day <= _DATE_MAX:
            raise Invalid(f"Ngày {day:%d/%m/%Y} không hợp lý (có thể đã gõ năm vào ô ngày). {DATE_HINT}")
        return day
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        if float(raw).is_integer() and _SERIAL_MIN <= raw <= _SERIAL_MAX:
            return _EXCEL_EPOCH + dt.timedelta(days=int(raw))
        raise Invalid(f"Không phải là ngày. {DATE_HINT}")
    text = as_text(raw)
    try:
        if m := _DMY.match(text):
            day, month, year = (int(g) for g in m.groups())
            return dt.date(year, month, day)
        if m := _YMD.match(text):
            year, month, day = (int(g) for g in m.groups())
            return dt.date(year, month, day)
    except ValueError:
        raise Invalid(f"Ngày không có thật. {DATE_HINT}") from None
    raise Invalid(f"Không đọc được ngày. {DATE_HINT}")


def parse_year(raw: object, earliest: int = 1900, latest: int = 2100) -> int:
    year: int | None = None
    if isinstance(raw, (int, float)) and not isinstance(raw, bool) and float(raw).is_integer():
        year = int(raw)
    elif isinstance(raw, str) and (m := _YEAR_TEXT.match(clean(raw))):
        year = int(m.group(1))
    if year is None or not earliest <= year <= latest:
        raise Invalid(f"Năm phải là số có 4 chữ số trong khoảng {earliest}-{latest}, ví dụ 1980.")
    return year


def parse_percent(raw: object) -> float:
    """85, "85", "85%", 85% stored as 0.85: all 85.0.

    A number from 0 to 1 is read as a fraction, because Excel stores a cell shown as
    "85%" as 0.85; nobody's approval share is a literal 0-1%.
    """
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        value = float(raw)
    else:
        text = as_text(raw).replace(" ", "")
        explicit = text.endswith("%")
        text = text.rstrip("%")
        if not _NUMBER.match(text):
            raise Invalid("Tỷ lệ phải là một số từ 0 đến 100, ví dụ 85 hoặc 85%.")
        value = float(text.replace(",", "."))
        if explicit:
            return _percent_in_range(value)
    if 0 <= value <= 1:
        value *= 100
    return _percent_in_range(value)


def _percent_in_range(value: float) -> float:
    if not 0 <= value <= 100:
        raise Invalid("Tỷ lệ phải nằm trong khoảng từ 0 đến 100%.")
    return round(value, 4)


_GENDER_KEYS = {fold_ascii(g): g for g in GENDERS}


def parse_gender(raw: object) -> str:
    key = fold_ascii(as_text(raw))
    if key in _GENDER_KEYS:
        return _GENDER_KEYS[key]
    raise Invalid("Giới tính phải là “Nam” hoặc “Nữ”.")


_YES_NO_KEYS = {"co": YES, "khong": NO}


def parse_yes_no(raw: object) -> str:
    if isinstance(raw, bool):
        return YES if raw else NO
    key = fold_ascii(as_text(raw))
    if key in _YES_NO_KEYS:
        return _YES_NO_KEYS[key]
    raise Invalid("Chỉ ghi “Có” hoặc “Không”.")


def parse_whole(raw: object) -> int:
    if isinstance(raw, (int, float)) and not isinstance(raw, bool) and float(raw).is_integer() and raw >= 0:
        return int(raw)
    if isinstance(raw, str) and (m := re.fullmatch(r"(\d+)(?:[.,]0+)?", clean(raw))):
        return int(m.group(1))
    raise Invalid("Phải là một số nguyên không âm, ví dụ 9.")


def parse(kind: Kind, raw: object, *, year_range: tuple[int, int] = (1900, 2100)) -> object:
    """Parse a non-empty raw cell value for a field of KIND."""
    if kind in (Kind.TEXT, Kind.UNIT):
        return as_text(raw)
    if kind is Kind.DATE:
        return parse_date(raw)
    if kind is Kind.YEAR:
        return parse_year(raw, *year_range)
    if kind is Kind.PERCENT:
        return parse_percent(raw)
    if kind is Kind.GENDER:
        return parse_gender(raw)
    if kind is Kind.YES_NO:
        return parse_yes_no(raw)
    if kind is Kind.WHOLE:
        return parse_whole(raw)
    raise AssertionError(kind)


def show_value(value: object) -> str | None:
    """The value as found, for a finding (None for an empty cell)."""
    if value is None or value == "":
        return None
    return as_text(value)
