"""The campaign as data (domain.md): the default plan-199 campaign, and broken campaign files.

A broken file stops the tool with a message naming the key and the line, both from the
library (`parse_campaign`) and from the command line (exit status 2, nothing written).
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import re
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from thidua_batch.config.campaign import CampaignError, default_campaign_text, load_campaign, parse_campaign
from thidua_batch.cli import main

DEFAULT = default_campaign_text()
VN = dt.timezone(dt.timedelta(hours=7))

ROSTER = [
    ("tp-lai-chau", "Liên đoàn Lao động thành phố Lai Châu", "LĐLĐ huyện, thành phố", 1, 4),
    ("tam-duong", "Liên đoàn Lao động huyện Tam Đường", "LĐLĐ huyện, thành phố", 1, 4),
    ("phong-tho", "Liên đoàn Lao động huyện Phong Thổ", "LĐLĐ huyện, thành phố", 1, 4),
    ("sin-ho", "Liên đoàn Lao động huyện Sìn Hồ", "LĐLĐ huyện, thành phố", 1, 4),
    ("muong-te", "Liên đoàn Lao động huyện Mường Tè", "LĐLĐ huyện, thành phố", 1, 4),
    ("than-uyen", "Liên đoàn Lao động huyện Than Uyên", "LĐLĐ huyện, thành phố", 1, 4),
    ("tan-uyen", "Liên đoàn Lao động huyện Tân Uyên", "LĐLĐ huyện, thành phố", 1, 4),
    ("nam-nhun", "Liên đoàn Lao động huyện Nậm Nhùn", "LĐLĐ huyện, thành phố", 1, 4),
    ("cdn-giao-duc", "Công đoàn ngành Giáo dục", "công đoàn ngành", 1, 4),
    ("cdn-y-te", "Công đoàn ngành Y tế", "công đoàn ngành", 1, 6),
    ("cdvc-tinh", "Công đoàn Viên chức tỉnh", "CĐVC", 1, 8),
]


# --- the default campaign -------------------------------------------------------------

def test_default_roster_in_order(campaign):
    assert [(u.id, u.name, u.type, u.collectives, u.individuals) for u in campaign.roster] == ROSTER
    assert len(campaign.roster) == 11


def test_default_roster_lookup_by_id(campaign):
    assert campaign.roster.get("cdn-y-te").individuals == 6
    assert campaign.roster.get("cdvc-tinh").individuals == 8
    assert campaign.roster.get("khong-co") is None
    assert campaign.roster.order("tp-lai-chau") == 0
    assert campaign.roster.order("cdvc-tinh") == 10
    assert campaign.roster.order("khong-co") == 11


def test_default_identity_and_deadline(campaign):
    assert campaign.id == "vhcs-2020"
    assert campaign.year == 2020
    assert campaign.deadline == dt.date(2020, 12, 20)
    assert campaign.utc_offset_hours == 7
    assert campaign.tz == VN


def test_default_plan_and_standards(campaign):
    assert (campaign.plan.number, campaign.plan.date) == ("199/KH-LĐLĐ", dt.date(2020, 11, 13))
    assert (campaign.standards.number, campaign.standards.date) == ("117/KH-LĐLĐ", dt.date(2019, 9, 13))


def test_default_award_money(campaign):
    award = campaign.award
    assert award.name == "Bằng khen của Ban Chấp hành Liên đoàn Lao động tỉnh"
    assert (award.base_salary, award.coefficient_collective, award.coefficient_individual,
            award.round_up_to) == (1_490_000, 2.0, 1.0, 10_000)
    assert award.per_collective == 2_980_000
    assert award.per_individual == 1_490_000


@pytest.mark.parametrize("coefficient, amount", [
    (1.5, 2_240_000),    # 2.235.000 rounded up to the next 10.000
    (1.0, 1_490_000),    # already a multiple: unchanged
    (0.3, 450_000),      # 447.000 -> 450.000
    (2.1, 3_130_000),    # 3.129.000 -> 3.130.000 (float 1490000 * 2.1 is not exact)
])
def test_award_rounds_up_to_ten_thousand(campaign, coefficient, amount):
    award = dataclasses.replace(campaign.award, coefficient_individual=coefficient,
                                coefficient_collective=coefficient)
    assert award.per_individual == amount
    assert award.per_collective == amount


def test_award_without_rounding(campaign):
    award = dataclasses.replace(campaign.award, coefficient_individual=1.5, round_up_to=0)
    assert award.per_individual == 2_235_000


def test_default_signer(campaign):
    assert (campaign.signer.on_behalf, campaign.signer.title, campaign.signer.name) == (
        "TM. BAN THƯỜNG VỤ", "PHÓ CHỦ TỊCH", "Hoàng Văn Trinh")


def test_default_checks(campaign):
    checks = campaign.checks
    assert (checks.quorum_numerator, checks.quorum_denominator) == (2, 3)
    assert checks.vote_threshold_percent == 50
    assert (checks.check_votes, checks.check_quorum, checks.check_dossier) == (True, True, True)


@pytest.mark.parametrize("present, total, met", [
    (8, 12, True),     # exactly 2/3
    (7, 11, False),    # 7/11 = 0.636
    (8, 11, True),
    (6, 9, True),
    (5, 9, False),
    (11, 11, True),
    (2, 3, True),
    (1, 3, False),
    (0, 9, False),
])
def test_quorum_two_thirds(campaign, present, total, met):
    assert campaign.checks.quorum_met(present, total) is met


@pytest.mark.parametrize("received, late", [
    (dt.datetime(2020, 12, 20, 23, 59, tzinfo=VN), False),
    (dt.datetime(2020, 12, 20, 0, 0, tzinfo=VN), False),
    (dt.datetime(2020, 12, 15, 9, 0, tzinfo=VN), False),
    (dt.datetime(2020, 12, 21, 0, 0, tzinfo=VN), True),
    (dt.datetime(2020, 12, 20, 16, 59, tzinfo=dt.timezone.utc), False),  # 23:59 in Lai Châu
    (dt.datetime(2020, 12, 20, 17, 30, tzinfo=dt.timezone.utc), True),   # 21/12 00:30 in Lai Châu
    (dt.datetime(2020, 12, 20, 12, 0, tzinfo=dt.timezone(dt.timedelta(hours=-5))), True),  # 21/12 00:00 +07
])
def test_is_late_at_the_day_boundary_in_vietnam(campaign, received, late):
    assert campaign.is_late(received) is late


def test_default_documents(campaign):
    assert campaign.can_cu[0] == "Căn cứ Điều lệ Công đoàn Việt Nam"
    assert len(campaign.can_cu) == 4
    assert campaign.noi_nhan[0] == "Như Điều 3"
    assert campaign.noi_nhan[-1] == "Lưu: VT, CSPL&QHLĐ"


def test_load_campaign_from_path_equals_default(tmp_path, campaign):
    path = tmp_path / "copy.toml"
    path.write_text(DEFAULT, encoding="utf-8")
    loaded = load_campaign(path)
    assert dataclasses.replace(loaded, roster=campaign.roster) == campaign   # `source` is not compared
    assert [dataclasses.astuple(u) for u in loaded.roster] == [dataclasses.astuple(u) for u in campaign.roster]
    assert loaded.source == str(path)


def test_same_campaign_loaded_twice_is_equal(campaign):
    assert load_campaign() == campaign


def test_load_campaign_missing_file(tmp_path):
    with pytest.raises(CampaignError, match="Không đọc được tệp chiến dịch"):
        load_campaign(tmp_path / "khong-co.toml")


# --- broken campaign files ------------------------------------------------------------

def _unit_block_edit(text: str, index: int, old: str, new: str) -> str:
    """Replace OLD by NEW inside the INDEX-th (0-based) [[units]] block only."""
    parts = text.split("[[units]]")
    block = parts[index + 1]
    assert old in block, (old, index)
    parts[index + 1] = block.replace(old, new, 1)
    return "[[units]]".join(parts)


def _line_of(text: str, pattern: str, nth: int = 0) -> int:
    """1-based line number of the NTH line matching the regex PATTERN."""
    hits = [n for n, line in enumerate(text.splitlines(), start=1) if re.search(pattern, line)]
    return hits[nth]


def _broken_syntax() -> tuple[str, str, int]:
    text = DEFAULT.replace("year = 2020", "year = = 2020", 1)
    return text, "", _line_of(text, r"^year = = 2020")


def _unknown_root_key() -> tuple[str, str, int]:
    text = DEFAULT.replace("year = 2020\n", "year = 2020\nnam = 2020\n", 1)
    return text, "nam", _line_of(text, r"^nam = 2020")


def _unknown_unit_key() -> tuple[str, str, int]:
    text = _unit_block_edit(DEFAULT, 2, "individuals = 4\n", "individuals = 4\nquota = 5\n")
    return text, "quota", _line_of(text, r"^quota = 5")


def _unit_without_name() -> tuple[str, str, int]:
    text = _unit_block_edit(DEFAULT, 2, 'name = "Liên đoàn Lao động huyện Phong Thổ"\n', "")
    # A missing key has no line of its own: the message points at the unit's header.
    return text, "name", _line_of(text, r"^\[\[units\]\]", nth=2)


def _unit_empty_name() -> tuple[str, str, int]:
    text = _unit_block_edit(DEFAULT, 2, 'name = "Liên đoàn Lao động huyện Phong Thổ"', 'name = "  "')
    return text, "name", _line_of(text, r'^name = "  "')


def _negative_quota() -> tuple[str, str, int]:
    text = _unit_block_edit(DEFAULT, 2, "individuals = 4", "individuals = -1")
    return text, "individuals", _line_of(text, r"^individuals = -1")


def _duplicate_unit_id() -> tuple[str, str, int]:
    text = _unit_block_edit(DEFAULT, 2, 'id = "phong-tho"', 'id = "tam-duong"')
    return text, "id", _line_of(text, r'^id = "tam-duong"', nth=1)


def _wrong_type() -> tuple[str, str, int]:
    text = _unit_block_edit(DEFAULT, 2, "collectives = 1", 'collectives = "1"')
    return text, "collectives", _line_of(text, r'^collectives = "1"')


def _missing_award_key() -> tuple[str, str, int]:
    text = DEFAULT.replace("round_up_to = 10000\n", "", 1)
    return text, "round_up_to", _line_of(text, r"^\[award\]")


def _wrong_root_type() -> tuple[str, str, int]:
    text = DEFAULT.replace("year = 2020", 'year = "2020"', 1)
    return text, "year", _line_of(text, r'^year = "2020"')


def _negative_base_salary() -> tuple[str, str, int]:
    text = DEFAULT.replace("base_salary = 1490000", "base_salary = -1490000", 1)
    return text, "base_salary", _line_of(text, r"^base_salary = -1490000")


def _bad_quorum() -> tuple[str, str, int]:
    text = DEFAULT.replace("quorum_numerator = 2", "quorum_numerator = 4", 1)
    return text, "quorum_numerator", _line_of(text, r"^quorum_numerator = 4")


def _bad_unit_id() -> tuple[str, str, int]:
    text = _unit_block_edit(DEFAULT, 2, 'id = "phong-tho"', 'id = "Phong Thổ"')
    return text, "id", _line_of(text, r'^id = "Phong Thổ"')


BROKEN = {
    "unknown-root-key": _unknown_root_key,
    "unknown-unit-key": _unknown_unit_key,
    "unit-without-name": _unit_without_name,
    "unit-empty-name": _unit_empty_name,
    "negative-quota": _negative_quota,
    "duplicate-unit-id": _duplicate_unit_id,
    "wrong-type": _wrong_type,
    "missing-award-key": _missing_award_key,
    "wrong-root-type": _wrong_root_type,
    "negative-base-salary": _negative_base_salary,
    "bad-quorum": _bad_quorum,
    "bad-unit-id": _bad_unit_id,
}


def test_broken_cases_have_the_expected_lines():
    """Guard the fixtures themselves: the line numbers are the ones in the default layout."""
    assert _unknown_unit_key()[2] == 95        # 3rd [[units]] at line 89, its 6th key line
    assert _unit_without_name()[2] == 89
    assert _negative_quota()[2] == 94
    assert _missing_award_key()[2] == 36


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_parse_broken_campaign_names_key_and_line(case):
    text, key, line = BROKEN[case]()
    with pytest.raises(CampaignError) as info:
        parse_campaign(text, "bad.toml")
    message = str(info.value)
    assert "bad.toml" in message
    assert f"khóa “{key}”" in message
    assert f"dòng {line})" in message


@pytest.mark.parametrize("case, where", [
    ("unknown-unit-key", "bảng [units] thứ 3"),
    ("unit-without-name", "bảng [units] thứ 3"),
    ("negative-quota", "bảng [units] thứ 3"),
    ("duplicate-unit-id", "bảng [units] thứ 3"),
    ("unknown-root-key", "bảng gốc"),
    ("missing-award-key", "bảng [award]"),
])
def test_parse_broken_campaign_names_the_table(case, where):
    text, _, _ = BROKEN[case]()
    with pytest.raises(CampaignError) as info:
        parse_campaign(text, "bad.toml")
    assert where in str(info.value)


@pytest.mark.parametrize("case, problem", [
    ("unit-without-name", "bị thiếu"),
    ("unit-empty-name", "không được để trống"),
    ("negative-quota", "chỉ tiêu không được âm (đang là -1)"),
    ("duplicate-unit-id", "mã đơn vị “tam-duong” bị trùng"),
    ("wrong-type", "phải là số nguyên"),
    ("wrong-root-type", "phải là số nguyên"),
    ("unknown-unit-key", "khóa không có trong định dạng"),
])
def test_parse_broken_campaign_says_what_is_wrong(case, problem):
    text, _, _ = BROKEN[case]()
    with pytest.raises(CampaignError) as info:
        parse_campaign(text, "bad.toml")
    assert problem in str(info.value)


def test_parse_bad_toml_syntax_names_the_line():
    text, _, line = _broken_syntax()
    assert line == 5
    with pytest.raises(CampaignError) as info:
        parse_campaign(text, "bad.toml")
    message = str(info.value)
    assert message.startswith("Tệp chiến dịch bad.toml sai cú pháp TOML")
    assert f"ở dòng {line}, cột " in message
    assert "line" not in message and "column" not in message        # said in Vietnamese only


def test_parse_bad_toml_syntax_line_in_vietnamese():
    text, _, line = _broken_syntax()
    with pytest.raises(CampaignError) as info:
        parse_campaign(text, "bad.toml")
    assert f"dòng {line}" in str(info.value)


def test_parse_unknown_root_table_names_its_line():
    text = DEFAULT.replace("[award]", "[awrd]", 1)
    line = _line_of(text, r"^\[awrd\]")
    with pytest.raises(CampaignError) as info:
        parse_campaign(text, "bad.toml")
    assert "khóa “awrd”" in str(info.value)
    assert f"dòng {line})" in str(info.value)


# --- broken campaign files through the command line ------------------------------------

def _write_broken(tmp_path: Path, case: str) -> tuple[Path, str, int]:
    if case == "syntax":
        text, key, line = _broken_syntax()
    else:
        text, key, line = BROKEN[case]()
    path = tmp_path / "bad.toml"
    path.write_text(text, encoding="utf-8")
    return path, key, line


def _assert_campaign_stop(result, key: str, line: int, syntax: bool) -> None:
    assert result.exit_code == 2, result.output
    assert result.output.startswith("Lỗi: Tệp chiến dịch ")
    assert "bad.toml" in result.output
    if syntax:
        assert f"ở dòng {line}, cột " in result.output
    else:
        assert f"khóa “{key}”" in result.output
        assert f"dòng {line})" in result.output


CLI_CASES = ["syntax", "unknown-root-key", "unknown-unit-key", "unit-without-name", "unit-empty-name",
             "negative-quota", "duplicate-unit-id", "wrong-type", "missing-award-key"]


@pytest.mark.parametrize("case", CLI_CASES)
def test_cli_check_with_broken_campaign(tmp_path, case):
    campaign_path, key, line = _write_broken(tmp_path, case)
    workbook = tmp_path / "somefile.xlsx"
    workbook.write_bytes(b"never read")
    before = sorted(p.name for p in tmp_path.iterdir())
    result = CliRunner().invoke(main, ["check", "--campaign", str(campaign_path), str(workbook)])
    _assert_campaign_stop(result, key, line, syntax=case == "syntax")
    assert sorted(p.name for p in tmp_path.iterdir()) == before
    assert workbook.read_bytes() == b"never read"


@pytest.mark.parametrize("case", CLI_CASES)
def test_cli_template_with_broken_campaign(tmp_path, case):
    campaign_path, key, line = _write_broken(tmp_path, case)
    out = tmp_path / "X"
    result = CliRunner().invoke(main, ["template", "--campaign", str(campaign_path), "--out", str(out)])
    _assert_campaign_stop(result, key, line, syntax=case == "syntax")
    assert not out.exists()


def test_cli_run_with_broken_campaign(tmp_path):
    campaign_path, key, line = _write_broken(tmp_path, "negative-quota")
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["run", str(inbox), "--out", str(out), "--campaign", str(campaign_path)])
    _assert_campaign_stop(result, key, line, syntax=False)
    assert not out.exists()


def test_cli_missing_campaign_file(tmp_path):
    out = tmp_path / "X"
    result = CliRunner().invoke(main, ["template", "--campaign", str(tmp_path / "khong-co.toml"),
                                       "--out", str(out)])
    assert result.exit_code == 2
    assert "Không đọc được tệp chiến dịch" in result.output
    assert not out.exists()


# --- a valid custom campaign ------------------------------------------------------------

CUSTOM_UNITS = """
[[units]]
id = "tam-duong"
name = "Liên đoàn Lao động huyện Tam Đường"
type = "LĐLĐ huyện, thành phố"
collectives = 2
individuals = 5

[[units]]
id = "cdcs-so-tu-phap"
name = "Công đoàn cơ sở Sở Tư pháp"
type = "công đoàn cơ sở trực thuộc"
collectives = 1
individuals = 2
aliases = ["CĐCS Sở Tư pháp"]
"""


def _custom_text() -> str:
    head = DEFAULT.split("[[units]]", 1)[0]
    head = head.replace('id = "vhcs-2020"', 'id = "vhcs-2021"', 1)
    head = head.replace("year = 2020", "year = 2021", 1)
    head = head.replace("deadline = 2020-12-20", "deadline = 2021-12-15", 1)
    return head + CUSTOM_UNITS


def test_custom_campaign_loads(tmp_path):
    path = tmp_path / "vhcs-2021.toml"
    path.write_text(_custom_text(), encoding="utf-8")
    custom = load_campaign(path)
    assert (custom.id, custom.year, custom.deadline) == ("vhcs-2021", 2021, dt.date(2021, 12, 15))
    assert [(u.id, u.collectives, u.individuals) for u in custom.roster] == [
        ("tam-duong", 2, 5), ("cdcs-so-tu-phap", 1, 2)]
    assert custom.roster.get("cdcs-so-tu-phap").aliases == ("CĐCS Sở Tư pháp",)
    assert custom.roster.match("Công đoàn cơ sở Sở Tư pháp").unit.id == "cdcs-so-tu-phap"
    assert custom.roster.match("LĐLĐ huyện Tam Đường").unit.id == "tam-duong"


def test_cli_template_uses_custom_campaign(tmp_path):
    path = tmp_path / "vhcs-2021.toml"
    path.write_text(_custom_text(), encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["template", "--campaign", str(path), "--out", str(out), "--all-units"])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == [
        "mau_de_nghi_khen_thuong.xlsx", "mau_de_nghi_khen_thuong_cdcs-so-tu-phap.xlsx",
        "mau_de_nghi_khen_thuong_tam-duong.xlsx"]
    wb = openpyxl.load_workbook(out / "mau_de_nghi_khen_thuong.xlsx")
    lists = wb["Danh mục"]
    assert lists.sheet_state == "hidden"
    identity = {lists.cell(r, 1).value: lists.cell(r, 2).value for r in range(1, 6)}
    assert identity["campaign_id"] == "vhcs-2021"
    units = [c.value for c in lists["D"][1:] if c.value is not None]
    assert units == ["Liên đoàn Lao động huyện Tam Đường", "Công đoàn cơ sở Sở Tư pháp"]


# --- values the validation lets through ------------------------------------------------

def _offset_24() -> tuple[str, int]:
    text = DEFAULT.replace("utc_offset_hours = 7", "utc_offset_hours = 24", 1)
    return text, _line_of(text, r"^utc_offset_hours = 24")


def test_utc_offset_out_of_range_is_a_campaign_error():
    text, line = _offset_24()
    try:
        parse_campaign(text, "bad.toml")
    except CampaignError as exc:
        assert "khóa “utc_offset_hours”" in str(exc)
        assert f"dòng {line})" in str(exc)
    else:
        raise AssertionError("utc_offset_hours = 24 was accepted")


def test_cli_run_with_utc_offset_out_of_range(tmp_path):
    text, line = _offset_24()
    campaign_path = tmp_path / "bad.toml"
    campaign_path.write_text(text, encoding="utf-8")
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["run", str(inbox), "--out", str(out), "--campaign", str(campaign_path)])
    assert result.exit_code == 2
    assert f"dòng {line})" in result.output
    assert not out.exists()


def test_duplicate_unit_name_is_a_campaign_error():
    text = _unit_block_edit(DEFAULT, 2, 'name = "Liên đoàn Lao động huyện Phong Thổ"',
                            'name = "Liên đoàn Lao động huyện Tam Đường"')
    line = _line_of(text, r'^name = "Liên đoàn Lao động huyện Tam Đường"', nth=1)
    try:
        parse_campaign(text, "bad.toml")
    except CampaignError as exc:
        assert "khóa “name”" in str(exc)
        assert f"dòng {line})" in str(exc)
    else:
        raise AssertionError("a duplicate unit name was accepted")
