"""Cell values as units type them (workbook.md, "Cell values"): parsed, or Invalid with a reason."""
from __future__ import annotations

import datetime as dt
import unicodedata

import pytest

from thidua_batch.config.schema import Kind
from thidua_batch.intake.values import (
    Invalid, as_text, parse, parse_date, parse_gender, parse_percent, parse_whole, parse_year, parse_yes_no,
)


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


# --- dates ------------------------------------------------------------------------------

@pytest.mark.parametrize("raw, expected", [
    (dt.date(2020, 12, 15), dt.date(2020, 12, 15)),
    (dt.datetime(2020, 12, 15), dt.date(2020, 12, 15)),
    (dt.datetime(2020, 12, 15, 10, 30), dt.date(2020, 12, 15)),
    (44180, dt.date(2020, 12, 15)),           # Excel serial
    (44180.0, dt.date(2020, 12, 15)),
    (43831, dt.date(2020, 1, 1)),
    ("15/3/2020", dt.date(2020, 3, 15)),
    ("15/03/2020", dt.date(2020, 3, 15)),
    ("15-03-2020", dt.date(2020, 3, 15)),
    ("2020-03-15", dt.date(2020, 3, 15)),
    ("2020-03-15 00:00:00", dt.date(2020, 3, 15)),
    ("5.1.2021", dt.date(2021, 1, 5)),        # day first: 5 January
    ("1/12/2020", dt.date(2020, 12, 1)),      # day first, never month first
    (" 15 / 3 / 2020 ", dt.date(2020, 3, 15)),
    ("29/02/2020", dt.date(2020, 2, 29)),     # leap year
])
def test_date_accepted(raw, expected):
    assert parse_date(raw) == expected
    assert parse(Kind.DATE, raw) == expected


@pytest.mark.parametrize("raw", [
    "31/02/2020",      # no such day
    "29/02/2021",      # not a leap year
    "15/13/2020",      # no such month
    "2020",            # a year, not a date
    2020,              # a year typed as a number: serial 2020 would be 1905, never converted
    2020.0,
    1980,
    0,
    -5,
    44180.5,           # a serial with a time part in a plain number cell
    "15/3/20",         # two-digit year is ambiguous
    "abc",
    "44180",           # a serial as text is not a date anyone typed
    "15/3",
    "2020/03/15 10:30",
    True,
])
def test_date_invalid(raw):
    with pytest.raises(Invalid):
        parse_date(raw)
    with pytest.raises(Invalid):
        parse(Kind.DATE, raw)


def test_date_invalid_messages_say_how_to_write_it():
    with pytest.raises(Invalid) as no_such_day:
        parse_date("31/02/2020")
    assert str(no_such_day.value) == "Ngày không có thật. Ghi ngày theo dạng ngày/tháng/năm, ví dụ 15/12/2020."
    with pytest.raises(Invalid) as year_only:
        parse_date(2020)
    assert str(year_only.value) == "Không phải là ngày. Ghi ngày theo dạng ngày/tháng/năm, ví dụ 15/12/2020."
    with pytest.raises(Invalid) as text:
        parse_date("abc")
    assert str(text.value) == "Không đọc được ngày. Ghi ngày theo dạng ngày/tháng/năm, ví dụ 15/12/2020."


@pytest.mark.parametrize("raw, expected", [
    (7306, dt.date(1920, 1, 1)),      # first serial accepted
    (73050, dt.date(2099, 12, 31)),   # last serial accepted
])
def test_date_serial_window_bounds(raw, expected):
    assert parse_date(raw) == expected


@pytest.mark.parametrize("raw", [7305, 73051 + 1])
def test_date_serial_outside_window(raw):
    with pytest.raises(Invalid):
        parse_date(raw)


# --- years ------------------------------------------------------------------------------

@pytest.mark.parametrize("raw", [1980, "1980", 1980.0, "1980.0", "1980,0", " 1980 "])
def test_year_accepted(raw):
    assert parse_year(raw) == 1980
    assert parse(Kind.YEAR, raw) == 1980


@pytest.mark.parametrize("raw", ["198", 198, 19800, "19800", "năm 1980", 1980.5, "1980.5", "80", True,
                                 "abc", "1980-1981", dt.date(1980, 1, 1)])
def test_year_invalid(raw):
    with pytest.raises(Invalid) as info:
        parse_year(raw)
    assert str(info.value) == "Năm phải là số có 4 chữ số trong khoảng 1900-2100, ví dụ 1980."


@pytest.mark.parametrize("raw, ok", [(1899, False), (1900, True), (2100, True), (2101, False)])
def test_year_default_range_bounds(raw, ok):
    if ok:
        assert parse_year(raw) == raw
    else:
        with pytest.raises(Invalid):
            parse_year(raw)


@pytest.mark.parametrize("raw, ok", [(1899, False), (1900, True), (2010, True), (2011, False), ("2011", False)])
def test_year_custom_range_bounds(raw, ok):
    if ok:
        assert parse_year(raw, 1900, 2010) == int(raw)
        assert parse(Kind.YEAR, raw, year_range=(1900, 2010)) == int(raw)
    else:
        with pytest.raises(Invalid) as info:
            parse(Kind.YEAR, raw, year_range=(1900, 2010))
        assert "1900-2010" in str(info.value)


# --- percentages --------------------------------------------------------------------------

@pytest.mark.parametrize("raw, expected", [
    (85, 85.0),
    (85.0, 85.0),
    ("85", 85.0),
    ("85%", 85.0),
    ("85 %", 85.0),
    ("85,5%", 85.5),
    ("85.5%", 85.5),
    ("85,5", 85.5),
    (0.85, 85.0),        # a cell shown as 85% stores 0.85
    (0.855, 85.5),
    (1, 100.0),          # documented rule: a number from 0 to 1 is a fraction
    (1.0, 100.0),
    (0, 0.0),
    (100, 100.0),
    ("100%", 100.0),
    ("0.5%", 0.5),       # an explicit % is never read as a fraction
    ("1%", 1.0),
    (50, 50.0),
])
def test_percent_accepted(raw, expected):
    assert parse_percent(raw) == expected
    assert parse(Kind.PERCENT, raw) == expected


@pytest.mark.parametrize("raw", [150, 100.5, "150%", "-5", -5, "abc", "85 phần trăm", "%", "", True,
                                 float("nan"), float("inf")])
def test_percent_invalid(raw):
    with pytest.raises(Invalid):
        parse_percent(raw)


def test_percent_messages():
    with pytest.raises(Invalid) as out_of_range:
        parse_percent(150)
    assert str(out_of_range.value) == "Tỷ lệ phải nằm trong khoảng từ 0 đến 100%."
    with pytest.raises(Invalid) as not_number:
        parse_percent("abc")
    assert str(not_number.value) == "Tỷ lệ phải là một số từ 0 đến 100, ví dụ 85 hoặc 85%."


# --- gender ---------------------------------------------------------------------------------

@pytest.mark.parametrize("raw, expected", [
    ("Nam", "Nam"), ("nam", "Nam"), ("NAM", "Nam"), (" Nam ", "Nam"), (nfd("Nam"), "Nam"),
    ("Nữ", "Nữ"), ("nữ", "Nữ"), ("NỮ", "Nữ"), ("Nu", "Nữ"), ("nu", "Nữ"),
    (nfd("Nữ"), "Nữ"), (nfd("NỮ"), "Nữ"),
])
def test_gender_accepted(raw, expected):
    result = parse_gender(raw)
    assert result == expected
    assert unicodedata.is_normalized("NFC", result)
    assert parse(Kind.GENDER, raw) == expected


@pytest.mark.parametrize("raw", ["X", "Male", "Female", "M", "F", "Nam/Nữ", "Nam nữ", "1", 1, True])
def test_gender_invalid(raw):
    with pytest.raises(Invalid) as info:
        parse_gender(raw)
    assert str(info.value) == "Giới tính phải là “Nam” hoặc “Nữ”."


# --- yes / no -----------------------------------------------------------------------------

@pytest.mark.parametrize("raw, expected", [
    ("Có", "Có"), ("có", "Có"), ("CÓ", "Có"), ("co", "Có"), (nfd("Có"), "Có"), (True, "Có"),
    ("Không", "Không"), ("không", "Không"), ("khong", "Không"), ("KHÔNG", "Không"), (nfd("Không"), "Không"),
    (False, "Không"),
])
def test_yes_no_accepted(raw, expected):
    assert parse_yes_no(raw) == expected
    assert parse(Kind.YES_NO, raw) == expected


@pytest.mark.parametrize("raw", ["x", "X", "Yes", "No", "C", "K", "1", 1, 0, "Có/Không"])
def test_yes_no_invalid(raw):
    with pytest.raises(Invalid) as info:
        parse_yes_no(raw)
    assert str(info.value) == "Chỉ ghi “Có” hoặc “Không”."


# --- whole numbers ------------------------------------------------------------------------

@pytest.mark.parametrize("raw, expected", [(9, 9), (9.0, 9), ("9", 9), (" 9 ", 9), (0, 0), ("12", 12)])
def test_whole_accepted(raw, expected):
    result = parse_whole(raw)
    assert result == expected
    assert type(result) is int
    assert parse(Kind.WHOLE, raw) == expected


@pytest.mark.parametrize("raw", [-1, "-1", 9.5, "9,5", "chín", "9 người", True, "", float("inf")])
def test_whole_invalid(raw):
    with pytest.raises(Invalid) as info:
        parse_whole(raw)
    assert str(info.value) == "Phải là một số nguyên không âm, ví dụ 9."


# --- text -------------------------------------------------------------------------------

@pytest.mark.parametrize("raw, expected", [
    (912345678.0, "912345678"),
    (912345678, "912345678"),
    ("0912345678", "0912345678"),     # text keeps its leading zero
    (1.5, "1.5"),
    (dt.date(2020, 3, 5), "05/03/2020"),
    (dt.datetime(2020, 3, 5), "05/03/2020"),
    (dt.datetime(2020, 3, 5, 8, 5), "05/03/2020 08:05"),
    (True, "Có"),
    (False, "Không"),
    ("  Lò   Văn  Thắng ", "Lò Văn Thắng"),
    (nfd("Nguyễn Thị Thu Hằng"), "Nguyễn Thị Thu Hằng"),
    ("=SUM(A1)", "=SUM(A1)"),         # text that looks like a formula is data
])
def test_as_text(raw, expected):
    result = as_text(raw)
    assert result == expected
    assert unicodedata.is_normalized("NFC", result)


@pytest.mark.parametrize("kind", [Kind.TEXT, Kind.UNIT])
def test_parse_text_kinds(kind):
    assert parse(kind, 912345678.0) == "912345678"
    assert parse(kind, nfd(" LĐLĐ  huyện Tam Đường ")) == "LĐLĐ huyện Tam Đường"
