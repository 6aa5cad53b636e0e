import datetime as dt

import pytest
from hypothesis import given, strategies as st

from thidua_batch.documents.vnformat import (
    datetime_text, long_date, money, money_words, number_words, place_date, short_date,
    short_month_year, two_digits,
)


@pytest.mark.parametrize("amount, text", [
    (0, "0"), (5, "5"), (1000, "1.000"), (1_490_000, "1.490.000"), (2_980_000, "2.980.000"),
    (29_800_000, "29.800.000"), (101_000_000, "101.000.000"), (1_234_567_890, "1.234.567.890"),
])
def test_money_dot_thousands(amount, text):
    assert money(amount) == text


@pytest.mark.parametrize("amount, words", [
    (1_490_000, "Một triệu bốn trăm chín mươi nghìn đồng"),
    (2_980_000, "Hai triệu chín trăm tám mươi nghìn đồng"),
    (10_000_000, "Mười triệu đồng"),
    (101_000_000, "Một trăm linh một triệu đồng"),
    (2_980_000 * 10, "Hai mươi chín triệu tám trăm nghìn đồng"),
    (30_500_000, "Ba mươi triệu năm trăm nghìn đồng"),
    (1_005_000, "Một triệu không trăm linh năm nghìn đồng"),
    (21_000, "Hai mươi mốt nghìn đồng"),
    (15_000, "Mười lăm nghìn đồng"),
    (17_880_000, "Mười bảy triệu tám trăm tám mươi nghìn đồng"),
    (1_000_005, "Một triệu không trăm linh năm đồng"),
    (1_010_000, "Một triệu không trăm mười nghìn đồng"),
    (1_015_000, "Một triệu không trăm mười lăm nghìn đồng"),
    (1_021_000, "Một triệu không trăm hai mươi mốt nghìn đồng"),
    (1_111_000, "Một triệu một trăm mười một nghìn đồng"),
    (1_000_000_000, "Một tỷ đồng"),
    (1_500_000_000_000, "Một nghìn năm trăm tỷ đồng"),
    (2_000_001_000, "Hai tỷ không trăm linh một nghìn đồng"),
])
def test_money_words(amount, words):
    assert money_words(amount) == words


@pytest.mark.parametrize("n, words", [
    (0, "Không"), (1, "Một"), (5, "Năm"), (10, "Mười"), (11, "Mười một"), (15, "Mười lăm"),
    (21, "Hai mươi mốt"), (25, "Hai mươi lăm"), (40, "Bốn mươi"), (105, "Một trăm linh năm"),
    (110, "Một trăm mười"), (115, "Một trăm mười lăm"), (205, "Hai trăm linh năm"),
    (1001, "Một nghìn không trăm linh một"),
])
def test_number_words(n, words):
    assert number_words(n) == words


def test_number_words_lower_and_errors():
    assert number_words(25, capital=False) == "hai mươi lăm"
    assert money_words(2.98e6) == "Hai triệu chín trăm tám mươi nghìn đồng"
    with pytest.raises(ValueError):
        number_words(-1)
    with pytest.raises(TypeError):
        number_words(1.5)


@given(st.integers(min_value=1, max_value=10**15))
def test_words_are_well_formed(n):
    words = number_words(n, capital=False).split()
    assert words and "" not in words
    # "mốt" and "lăm" only after a tens word; "linh" only after "trăm".
    for i, w in enumerate(words):
        if w == "mốt":
            assert words[i - 1] == "mươi"
        if w == "lăm":
            assert words[i - 1] in ("mươi", "mười")
        if w == "linh":
            assert words[i - 1] == "trăm"


def test_dates_have_leading_zeros():
    assert long_date(dt.date(2021, 1, 5)) == "ngày 05 tháng 01 năm 2021"
    assert long_date(dt.date(2020, 11, 13)) == "ngày 13 tháng 11 năm 2020"
    assert long_date(dt.date(2021, 3, 5)) == "ngày 05 tháng 3 năm 2021"
    assert short_date(dt.date(2021, 1, 5)) == "05/01/2021"
    assert short_date(dt.date(2020, 12, 20)) == "20/12/2020"
    assert place_date("Lai Châu", dt.date(2021, 2, 5)) == "Lai Châu, ngày 05 tháng 02 năm 2021"
    assert place_date("Lai Châu", month=12, year=2020) == "Lai Châu, ngày      tháng 12 năm 2020"
    assert short_month_year(1, 2021) == "…/01/2021"
    tz = dt.timezone(dt.timedelta(hours=7))
    moment = dt.datetime(2020, 12, 18, 2, 5, tzinfo=dt.timezone.utc)
    assert datetime_text(moment, tz) == "18/12/2020 09:05"


def test_two_digits():
    assert [two_digits(n) for n in (0, 1, 9, 10, 46)] == ["0", "01", "09", "10", "46"]
