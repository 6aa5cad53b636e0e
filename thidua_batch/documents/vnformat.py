"""Vietnamese formatting for the Word drafts: money, money in words, dates (domain.md).

Written here rather than taken from num2words, whose Vietnamese drops "không trăm" inside
a number (1.005.000 must read "một triệu không trăm linh năm nghìn").
"""
from __future__ import annotations

import datetime as dt

_DIGITS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")
_SCALES = ("", "nghìn", "triệu")  # each group of three digits below a tỷ
_BILLION = 1_000_000_000


def money(amount: int) -> str:
    """1490000 → "1.490.000" (dots between thousands)."""
    amount = _whole(amount)
    sign = "-" if amount < 0 else ""
    return sign + f"{abs(amount):,}".replace(",", ".")


def number_words(n: int, capital: bool = True) -> str:
    """25 → "Hai mươi lăm"; 1005000 → "Một triệu không trăm linh năm nghìn"."""
    n = _whole(n)
    if n < 0:
        raise ValueError(f"negative number: {n}")
    words = _words(n, full=False) if n else "không"
    return words[0].upper() + words[1:] if capital else words


def money_words(amount: int) -> str:
    """1490000 → "Một triệu bốn trăm chín mươi nghìn đồng"."""
    return number_words(amount) + " đồng"


def _whole(n: int) -> int:
    if isinstance(n, bool) or not isinstance(n, int):
        if isinstance(n, float) and n.is_integer():
            return int(n)
        raise TypeError(f"expected a whole number, got {n!r}")
    return n


def _words(n: int, full: bool) -> str:
    """Words for n > 0. `full`: a higher part was read, so leading zeros are spoken."""
    if n >= _BILLION:
        high, low = divmod(n, _BILLION)
        head = _words(high, full) + " tỷ"
        return head + (" " + _words(low, full=True) if low else "")
    groups = []
    while n:
        n, group = divmod(n, 1000)
        groups.append(group)
    parts = []
    for index in range(len(groups) - 1, -1, -1):
        group = groups[index]
        if group == 0:
            continue
        is_leading = index == len(groups) - 1 and not full
        parts.append(_group_words(group, full=not is_leading))
        if _SCALES[index]:
            parts.append(_SCALES[index])
    return " ".join(parts)


def _group_words(group: int, full: bool) -> str:
    """One group of three digits (1-999). `full`: read "không trăm" / "linh" as inside a number."""
    hundreds, rest = divmod(group, 100)
    tens, units = divmod(rest, 10)
    words = []
    if hundreds or full:
        words += [_DIGITS[hundreds], "trăm"]
    if tens == 0:
        if units and words:
            words.append("linh")
    elif tens == 1:
        words.append("mười")
    else:
        words += [_DIGITS[tens], "mươi"]
    if units == 1 and tens >= 2:
        words.append("mốt")
    elif units == 5 and tens >= 1:
        words.append("lăm")
    elif units:
        words.append(_DIGITS[units])
    return " ".join(words)


def two_digits(n: int) -> str:
    """Counts as the plans write them: 1 → "01", 12 → "12", 0 → "0"."""
    return f"{n:02d}" if 0 < n < 10 else str(n)


def short_date(day: dt.date) -> str:
    """"05/01/2021"."""
    return f"{day.day:02d}/{day.month:02d}/{day.year}"


def _month(month: int) -> str:
    # Nghị định 30/2020/NĐ-CP: months 1 and 2 take a leading zero, the others do not.
    return f"{month:02d}" if month < 3 else str(month)


def long_date(day: dt.date) -> str:
    """"ngày 05 tháng 01 năm 2021"; "ngày 13 tháng 11 năm 2020"."""
    return f"ngày {day.day:02d} tháng {_month(day.month)} năm {day.year}"


def place_date(place: str, day: dt.date | None = None, month: int | None = None,
               year: int | None = None) -> str:
    """"Lai Châu, ngày 05 tháng 01 năm 2021", or with the day left blank for the clerk:
    "Lai Châu, ngày      tháng 12 năm 2020"."""
    if day is not None:
        return f"{place}, {long_date(day)}"
    if month is None or year is None:
        raise ValueError("place_date needs a day, or a month and a year")
    return f"{place}, ngày      tháng {_month(month)} năm {year}"


def short_month_year(month: int, year: int) -> str:
    """"…/12/2020": the day left for the clerk."""
    return f"…/{month:02d}/{year}"


def datetime_text(moment: dt.datetime, tz: dt.tzinfo | None = None) -> str:
    """"18/12/2020 09:05" in the campaign's time zone."""
    if tz is not None and moment.tzinfo is not None:
        moment = moment.astimezone(tz)
    return f"{short_date(moment.date())} {moment.hour:02d}:{moment.minute:02d}"
