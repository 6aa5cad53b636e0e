"""Each per-file finding code: a workbook that triggers it, at the right cell, and one that does not."""
from __future__ import annotations

import dataclasses

import pytest
from filler import filled, nfd, sample_collective, sample_individual
from helpers import check, flat

from thidua_batch.config import schema
from thidua_batch.config.campaign import load_campaign
from thidua_batch.model.results import ACCEPTED, REJECTED

CAMPAIGN = load_campaign()
CN, TT, DV = schema.SHEET_INDIVIDUALS, schema.SHEET_COLLECTIVES, schema.SHEET_UNIT


def _check(tmp_path, filler, name="w.xlsx", campaign=CAMPAIGN):
    return check(filler.save(tmp_path / name), campaign)


# -- the unit ---------------------------------------------------------------------------

@pytest.mark.parametrize("typed", ["LĐLĐ H. Tam Đường", "LDLD huyen Tam Duong", nfd("tam đường")])
def test_unit_named_in_other_ways_resolves(tmp_path, typed):
    filler = filled(tmp_path, CAMPAIGN, "tam-duong")
    filler.set_field("Đơn vị đề nghị", typed)
    result = _check(tmp_path, filler)
    assert (result.status, result.unit, flat(result)) == (ACCEPTED, "tam-duong", [])


def test_unit_unknown_names_the_closest_candidates(tmp_path):
    filler = filled(tmp_path, CAMPAIGN, "tam-duong")
    filler.set_field("Đơn vị đề nghị", "LĐLĐ huyện Tam Duongg")
    result = _check(tmp_path, filler)
    assert flat(result) == [("unit-unknown", DV, "B2")]
    assert result.status == REJECTED and result.reason == "unit-unknown"
    assert "Liên đoàn Lao động huyện Tam Đường" in result.findings[0].message
    assert result.findings[0].value == "LĐLĐ huyện Tam Duongg"


def test_unit_empty_is_unknown(tmp_path):
    filler = filled(tmp_path, CAMPAIGN, "tam-duong")
    filler.set_field("Đơn vị đề nghị", None)
    result = _check(tmp_path, filler)
    assert flat(result) == [("unit-unknown", DV, "B2")] and result.status == REJECTED


def test_unit_empty_on_a_per_unit_template_keeps_the_file_with_its_unit(tmp_path):
    filler = filled(tmp_path, CAMPAIGN, "tam-duong", per_unit_template=True)
    filler.set_field("Đơn vị đề nghị", "")
    result = _check(tmp_path, filler)
    assert flat(result) == [("unit-unknown", DV, "B2")]
    assert (result.status, result.unit) == (ACCEPTED, "tam-duong")


def test_unit_mismatch_with_the_template_identity(tmp_path):
    filler = filled(tmp_path, CAMPAIGN, "tam-duong", per_unit_template=True)
    filler.set_field("Đơn vị đề nghị", "LĐLĐ huyện Phong Thổ")
    result = _check(tmp_path, filler)
    assert flat(result) == [("unit-mismatch", DV, "B2")]
    assert (result.status, result.reason, result.unit) == (REJECTED, "unit-mismatch", "tam-duong")


def test_per_unit_template_with_its_own_unit_abbreviated_is_fine(tmp_path):
    filler = filled(tmp_path, CAMPAIGN, "tam-duong", per_unit_template=True)
    filler.set_field("Đơn vị đề nghị", "LĐLĐ H. Tam Đường")
    assert flat(_check(tmp_path, filler)) == []


# -- required and typed cells -------------------------------------------------------------

def test_required_fields_of_the_unit_sheet(tmp_path):
    filler = filled(tmp_path, CAMPAIGN)
    meeting = filler.set_field("Ngày họp xét", None)
    preparer = filler.set_field("Người lập biểu", "   ")
    filler.set_field("Số tờ trình", None)   # not required
    result = _check(tmp_path, filler)
    assert flat(result) == [("required-missing", DV, meeting), ("required-missing", DV, preparer)]


def test_required_cells_of_a_nomination(tmp_path):
    filler = filled(tmp_path, CAMPAIGN, collectives=0)
    row = filler.add_row(TT, {"Tên tập thể": "Công đoàn cơ sở Trường THCS Bình Lư"})
    result = _check(tmp_path, filler)
    assert flat(result) == [("required-missing", TT, f"C{row}")]
    assert result.collectives[0].has_error


@pytest.mark.parametrize("label,value,column", [
    ("Giới tính", "X", "C"), ("Giới tính", "Male", "C"), ("Năm sinh", "198", "D"), ("Năm sinh", 2019, "D"),
    ("Năm sinh", "năm 1980", "D"), ("Tỷ lệ phiếu đồng ý (%)", 150, "I"), ("Tỷ lệ phiếu đồng ý (%)", "cao", "I"),
])
def test_invalid_values_of_a_person(tmp_path, label, value, column):
    filler = filled(tmp_path, CAMPAIGN, individuals=3)
    row = filler.add_row(CN, {**sample_individual(7), label: value})
    result = _check(tmp_path, filler)
    assert flat(result) == [("invalid-value", CN, f"{column}{row}")]
    assert result.findings[0].value == str(value)
    assert result.individuals[-1].has_error and not any(n.has_error for n in result.individuals[:-1])


@pytest.mark.parametrize("label,value", [("Có tờ trình", "x"), ("Số thành viên dự họp", "chín"),
                                         ("Tổng số thành viên", 10.5), ("Ngày tờ trình", "hôm qua")])
def test_invalid_values_of_the_unit_sheet(tmp_path, label, value):
    filler = filled(tmp_path, CAMPAIGN)
    at = filler.set_field(label, value)
    assert flat(_check(tmp_path, filler)) == [("invalid-value", DV, at)]


def test_more_members_present_than_members(tmp_path):
    filler = filled(tmp_path, CAMPAIGN)
    at = filler.set_field("Số thành viên dự họp", 12)
    filler.set_field("Tổng số thành viên", 11)
    assert flat(_check(tmp_path, filler)) == [("invalid-value", DV, at)]


# -- quota --------------------------------------------------------------------------------

def test_quota_exceeded_points_at_the_first_row_over(tmp_path):
    filler = filled(tmp_path, CAMPAIGN, "tam-duong", collectives=2, individuals=5)
    result = _check(tmp_path, filler)
    assert flat(result) == [("quota-exceeded", TT, "B5"), ("quota-exceeded", CN, "B8")]
    assert result.findings[1].value == "5"


@pytest.mark.parametrize("unit_id,individuals", [("cdn-y-te", 6), ("cdvc-tinh", 8), ("tam-duong", 4)])
def test_each_unit_has_its_own_quota(tmp_path, unit_id, individuals):
    at_quota = filled(tmp_path, CAMPAIGN, unit_id, individuals=individuals)
    assert flat(_check(tmp_path, at_quota, "a.xlsx")) == []
    over = filled(tmp_path, CAMPAIGN, unit_id, individuals=individuals + 1)
    assert flat(_check(tmp_path, over, "b.xlsx")) == [("quota-exceeded", CN, f"B{4 + individuals}")]


def test_quota_under_is_a_warning(tmp_path):
    filler = filled(tmp_path, CAMPAIGN, "cdvc-tinh", collectives=0, individuals=5)
    result = _check(tmp_path, filler)
    assert flat(result) == [("quota-under", TT, None), ("quota-under", CN, None)]
    assert not any(f.is_error for f in result.findings)


# -- duplicates, votes, quorum, dossier ----------------------------------------------------

def test_person_duplicate_within_a_file(tmp_path):
    filler = filled(tmp_path, CAMPAIGN, individuals=3)
    first = filler.header_row(CN) + 1
    twin_name, twin_year = filler.ws(CN)[f"B{first}"].value, filler.ws(CN)[f"D{first}"].value
    row = filler.add_row(CN, {**sample_individual(90), "Họ và tên": nfd(twin_name.upper()),
                              "Năm sinh": str(twin_year)})
    result = _check(tmp_path, filler)
    # the name typed in capitals is also said (value-interpreted: how the drafts print it)
    assert flat(result) == [("value-interpreted", CN, f"B{row}"), ("person-duplicate", CN, f"B{row}")]
    assert f"dòng {first}" in result.findings[1].message


def test_same_name_other_year_is_not_a_duplicate(tmp_path):
    filler = filled(tmp_path, CAMPAIGN, individuals=3)
    first = filler.header_row(CN) + 1
    twin_name, twin_year = filler.ws(CN)[f"B{first}"].value, filler.ws(CN)[f"D{first}"].value
    filler.add_row(CN, {**sample_individual(90), "Họ và tên": twin_name, "Năm sinh": twin_year + 1})
    assert flat(_check(tmp_path, filler)) == []


def test_collective_duplicate_within_a_file(tmp_path):
    unit_id = "cdvc-tinh"
    filler = filled(tmp_path, CAMPAIGN, unit_id, collectives=1, individuals=8)
    name = sample_collective(CAMPAIGN.roster.order(unit_id) * 12 + 1, CAMPAIGN.roster.get(unit_id))["Tên tập thể"]
    row = filler.add_row(TT, {**sample_collective(5), "Tên tập thể": f"  {name.lower()} "})
    result = _check(tmp_path, filler)
    assert flat(result) == [("quota-exceeded", TT, f"B{row}"), ("collective-duplicate", TT, f"B{row}")]


@pytest.mark.parametrize("vote,expected", [(50, True), ("50%", True), (0.5, True), (45, True), (50.5, False),
                                           (51, False)])
def test_vote_at_or_below_threshold(tmp_path, vote, expected):
    filler = filled(tmp_path, CAMPAIGN, individuals=3)
    row = filler.add_row(CN, {**sample_individual(8), "Tỷ lệ phiếu đồng ý (%)": vote})
    result = _check(tmp_path, filler)
    assert flat(result) == ([("vote-below-threshold", CN, f"I{row}")] if expected else [])


@pytest.mark.parametrize("present,total,warned", [(7, 11, True), (8, 12, False), (8, 11, False), (1, 3, True)])
def test_quorum(tmp_path, present, total, warned):
    filler = filled(tmp_path, CAMPAIGN)
    at = filler.set_field("Số thành viên dự họp", present)
    filler.set_field("Tổng số thành viên", total)
    assert flat(_check(tmp_path, filler)) == ([("quorum-not-met", DV, at)] if warned else [])


def test_dossier_incomplete(tmp_path):
    filler = filled(tmp_path, CAMPAIGN)
    minutes = filler.set_field("Có biên bản họp xét", "Không")
    summary = filler.set_field("Có báo cáo tóm tắt thành tích", "khong")
    filler.set_field("Có tờ trình", None)   # not stated: not flagged
    result = _check(tmp_path, filler)
    assert flat(result) == [("dossier-incomplete", DV, minutes), ("dossier-incomplete", DV, summary)]
    assert "Biên bản họp xét" in result.findings[0].message


def test_checks_can_be_switched_off_by_the_campaign(tmp_path):
    relaxed = dataclasses.replace(CAMPAIGN, checks=dataclasses.replace(
        CAMPAIGN.checks, check_votes=False, check_quorum=False, check_dossier=False))
    filler = filled(tmp_path, CAMPAIGN, individuals=3)
    filler.add_row(CN, {**sample_individual(8), "Tỷ lệ phiếu đồng ý (%)": 40})
    filler.set_field("Số thành viên dự họp", 2)
    filler.set_field("Có tờ trình", "Không")
    path = filler.save(tmp_path / "w.xlsx")
    assert flat(check(path, relaxed)) == []
    assert {code for code, _, _ in flat(check(path, CAMPAIGN))} == {
        "vote-below-threshold", "quorum-not-met", "dossier-incomplete"}


def test_findings_carry_file_unit_and_vietnamese_message(tmp_path):
    filler = filled(tmp_path, CAMPAIGN, "cdn-y-te", individuals=5)
    filler.add_row(CN, {**sample_individual(20), "Giới tính": "X"})
    result = _check(tmp_path, filler, "y te.xlsx")
    finding = next(f for f in result.findings if f.code == "invalid-value")
    assert (finding.file, finding.unit, finding.severity.value) == ("y te.xlsx", "cdn-y-te", "error")
    assert "Nam" in finding.message and "Nữ" in finding.message
