"""Papers fit to sign (papers.md): one award per person, a tờ trình that states every fact in words,
letters complete in their form, counts that agree across every paper, a printable workbook.

Inboxes are filled as units fill the template (filler.py); every assertion reads the written
.docx/.xlsx back.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from filler import filled, sample_individual
from helpers import set_received, soffice_convert
from test_drafts import blocks, tables

from thidua_batch.batch import run_batch
from thidua_batch.config import schema
from thidua_batch.config.campaign import Board, CampaignError, load_campaign, parse_campaign, default_campaign_text
from thidua_batch.documents.consolidated import _COLUMNS, LINE_PT, PAD_PT, PRINTED, print_scale
from thidua_batch.documents.outputs import write_outputs
from thidua_batch.documents.vnformat import two_digits
from thidua_batch.model.findings import CODE_WORDS
from thidua_batch.model.results import COLLECTIVE, INDIVIDUAL

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "samples"))
from real_shaped import own_layout_workbook  # noqa: E402

CAMPAIGN = load_campaign()
VN = dt.timezone(dt.timedelta(hours=7))
CN, TT = schema.SHEET_INDIVIDUALS, schema.SHEET_COLLECTIVES
BEFORE_DEADLINE = dt.datetime(2020, 12, 18, 8, 0, tzinfo=VN)
AFTER_DEADLINE = dt.datetime(2020, 12, 23, 15, 0, tzinfo=VN)


def at(day: int, hour: int = 9) -> dt.datetime:
    return dt.datetime(2020, 12, day, hour, 0, tzinfo=VN)


def put(filler, inbox: Path, name: str, when: dt.datetime) -> Path:
    path = filler.save(inbox / name)
    set_received(path, when)
    return path


def run(inbox: Path, out: Path, campaign=CAMPAIGN, now: dt.datetime = BEFORE_DEADLINE):
    result = run_batch(inbox, campaign, now=now)
    write_outputs(result, out)
    return result


def submission_rows(out: Path) -> dict[str, list[str]]:
    """The tờ trình's summary table, by unit name."""
    summary = tables(out / "du_thao_to_trinh.docx")[1]
    return {row[1]: row for row in summary[1:]}


def letter(out: Path, unit_id: str) -> str:
    return "\n".join(blocks(out / "phan_hoi" / f"{unit_id}.docx"))


def held_lines(out: Path) -> list[str]:
    lines = blocks(out / "du_thao_to_trinh.docx")
    start = next(i for i, line in enumerate(lines) if line.startswith("2. Các đơn vị"))
    end = next(i for i, line in enumerate(lines) if line.startswith("3. Đề nghị"))
    return [line for line in lines[start:end] if line.startswith("- ")]


def workbook_rows(out: Path, sheet: str) -> list[dict[str, object]]:
    ws = openpyxl.load_workbook(out / "tong_hop_khen_thuong.xlsx", read_only=True)[sheet]
    rows = list(ws.iter_rows(values_only=True))
    return [dict(zip(rows[0], row)) for row in rows[1:]]


@pytest.fixture()
def inbox(tmp_path) -> Path:
    folder = tmp_path / "inbox"
    folder.mkdir()
    return folder


# ---------------------------------------------------------------- one award per person

SHARED = sample_individual(160)
TD, GD = "Liên đoàn Lao động huyện Tam Đường", "Công đoàn ngành Giáo dục"


@pytest.mark.parametrize("tam_duong_first", [True, False])
def test_a_person_proposed_by_two_units_is_awarded_once_and_both_are_told(tmp_path, inbox, tam_duong_first):
    td = filled(tmp_path, CAMPAIGN, "tam-duong", individuals=3)
    gd = filled(tmp_path, CAMPAIGN, "cdn-giao-duc", individuals=3)
    td_row = td.add_row(CN, SHARED)
    gd_row = gd.add_row(CN, {**SHARED, "Chức vụ": "Tổ trưởng chuyên môn"})
    put(td, inbox, "tam duong.xlsx", at(15) if tam_duong_first else at(17))
    put(gd, inbox, "giao duc.xlsx", at(17) if tam_duong_first else at(15))
    out = tmp_path / "out"
    result = run(inbox, out)
    first, later = (("tam-duong", TD, td_row), ("cdn-giao-duc", GD, gd_row))[::1 if tam_duong_first else -1]
    name = SHARED["Họ và tên"]

    report = json.loads((out / "report.json").read_text("utf-8"))
    dup = [f for f in report["findings"] if f["code"] == "person-duplicate"]
    assert [(f["unit"], f["severity"], f["cell"]) for f in dup] == [(later[0], "error", f"B{later[2]}")]
    assert f"đã được {first[1]} đề nghị trước" in dup[0]["message"] and f"dòng {first[2]}" in dup[0]["message"]

    # the decision names the person once, under the unit that sent first
    annex = [row for t in tables(out / "du_thao_quyet_dinh_khen_thuong.docx") for row in t]
    assert sum(1 for row in annex if name in row) == 1
    assert report["stats"]["individuals_in_decision"] == 7

    rows = submission_rows(out)
    assert rows[later[1]][5] == (f"Trùng đề nghị với {first[1]}: {name} (chưa đưa vào dự thảo: đơn vị kia gửi trước)")
    assert rows[first[1]][5] == f"Trùng đề nghị với {later[1]}: {name} (giữ đề nghị của đơn vị: gửi trước)"
    assert any(line.startswith(f"- {later[1]}: 01 cá nhân chưa đưa vào dự thảo: {name}") and
               f"trùng đề nghị với {first[1]}" in line for line in held_lines(out))

    later_letter, first_letter = letter(out, later[0]), letter(out, first[0])
    assert f"Cá nhân: {name}" in later_letter and f"đã được {first[1]} đề nghị trước" in later_letter
    assert f"{name} cũng được {later[1]} đề nghị; đơn vị gửi trước nên đề nghị của đơn vị được giữ" in first_letter

    people = workbook_rows(out, CN)
    mine = [r for r in people if r["Họ và tên"] == name]
    assert sorted((r["Đơn vị đề nghị"], r["Đưa vào quyết định"]) for r in mine) == sorted(
        [(first[1], "Có"), (later[1], "Không")])
    assert "trùng đề nghị với" in next(r["Lý do chưa đưa vào"] for r in mine if r["Đưa vào quyết định"] == "Không")


def test_a_person_twice_in_one_list_keeps_the_upper_row(tmp_path, inbox):
    f = filled(tmp_path, CAMPAIGN, "phong-tho", individuals=2)
    upper = f.add_row(CN, SHARED)
    lower = f.add_row(CN, SHARED)
    put(f, inbox, "phong tho.xlsx", at(15))
    result = run(inbox, tmp_path / "out")
    dup = [(x.cell, x.is_error) for x in result.findings if x.code == "person-duplicate"]
    assert dup == [(f"B{lower}", True)]
    chosen = [n.row for n in result.in_decision(INDIVIDUAL) if n.name == SHARED["Họ và tên"]]
    assert chosen == [upper]
    assert f"đã được đề nghị ở dòng {upper}" in next(x.message for x in result.findings if x.code == "person-duplicate")


def test_when_the_upper_row_has_its_own_error_the_lower_one_counts(tmp_path, inbox):
    f = filled(tmp_path, CAMPAIGN, "phong-tho", individuals=2)
    upper = f.add_row(CN, {**SHARED, "Tỷ lệ phiếu đồng ý (%)": 45})
    lower = f.add_row(CN, SHARED)
    put(f, inbox, "phong tho.xlsx", at(15))
    out = tmp_path / "out"
    result = run(inbox, out)
    assert not [x for x in result.findings if x.code == "person-duplicate"]   # nobody lost twice
    assert [n.row for n in result.in_decision(INDIVIDUAL) if n.name == SHARED["Họ và tên"]] == [lower]
    held = next(n for n in result.all_nominations(INDIVIDUAL) if n.row == upper)
    assert held.held_out == "tỷ lệ phiếu đồng ý 45%, chưa đạt trên 50%"
    assert any(f"{SHARED['Họ và tên']} (trang “Cá nhân”, dòng {upper}): tỷ lệ phiếu đồng ý 45%, chưa đạt trên 50%"
               in line for line in held_lines(out))


def test_first_proposal_held_out_for_quota_gives_way_to_the_next(tmp_path, inbox):
    over = filled(tmp_path, CAMPAIGN, "tam-duong", individuals=4)   # 5 with the shared person: over quota
    over.add_row(CN, SHARED)
    other = filled(tmp_path, CAMPAIGN, "sin-ho", individuals=3)
    other_row = other.add_row(CN, SHARED)
    put(over, inbox, "tam duong.xlsx", at(14))    # first, but held out for its quota
    put(other, inbox, "sin ho.xlsx", at(16))
    out = tmp_path / "out"
    result = run(inbox, out)
    assert not [x for x in result.findings if x.code == "person-duplicate"]
    chosen = [(n.unit, n.row) for n in result.in_decision(INDIVIDUAL) if n.name == SHARED["Họ và tên"]]
    assert chosen == [("sin-ho", other_row)]
    assert submission_rows(out)[TD][5] == (f"Chỉ tiêu 04 cá nhân, đề nghị 05: vượt 01; trùng đề nghị với Liên đoàn Lao "
                                           f"động huyện Sìn Hồ: {SHARED['Họ và tên']} (đề nghị của đơn vị chưa đưa vào "
                                           "được, tính đề nghị của đơn vị kia)")
    assert (f"- {TD}: 05 cá nhân chưa đưa vào dự thảo (chỉ tiêu 04 cá nhân, đề nghị 05: vượt 01; chờ đơn vị chọn "
            "lại).") in held_lines(out)
    assert "Có lỗi cần sửa ở dòng này" not in "\n".join(blocks(out / "du_thao_to_trinh.docx"))


# ---------------------------------------------------------------- quorum, dossier, layout, lateness

def _quorum_inbox(tmp_path, inbox):
    f = filled(tmp_path, CAMPAIGN, "cdvc-tinh", individuals=8)
    f.set_field("Số thành viên dự họp", 6)
    f.set_field("Tổng số thành viên", 11)
    put(f, inbox, "cdvc.xlsx", at(15))


def test_a_meeting_below_two_thirds_holds_the_units_rows_out(tmp_path, inbox):
    _quorum_inbox(tmp_path, inbox)
    out = tmp_path / "out"
    result = run(inbox, out)
    finding = next(f for f in result.findings if f.code == "quorum-not-met")
    assert finding.is_error and (finding.sheet, finding.value) == ("Đơn vị", "6")
    ur = next(u for u in result.units if u.unit.id == "cdvc-tinh")
    assert (ur.status, ur.in_decision.collectives, ur.in_decision.individuals) == ("has-errors", 0, 0)
    assert submission_rows(out)["Công đoàn Viên chức tỉnh"][5] == "Họp xét 6/11 thành viên (dưới 2/3)"
    assert ("- Công đoàn Viên chức tỉnh: 01 tập thể và 08 cá nhân chưa đưa vào dự thảo (họp xét 6/11 thành viên, "
            "dưới 2/3: kết quả xét chưa hợp lệ).") in held_lines(out)
    assert "Cuộc họp xét có 6/11 thành viên dự, dưới 2/3" in letter(out, "cdvc-tinh")


def test_a_campaign_may_make_the_quorum_a_warning_and_the_tờ_trình_still_says_it(tmp_path, inbox):
    _quorum_inbox(tmp_path, inbox)
    text = default_campaign_text().replace("check_quorum = true", 'check_quorum = true\nquorum_severity = "warning"')
    campaign = parse_campaign(text, "canh-bao.toml")
    out = tmp_path / "out"
    result = run(inbox, out, campaign)
    finding = next(f for f in result.findings if f.code == "quorum-not-met")
    assert finding.severity.value == "warning"
    report = json.loads((out / "report.json").read_text("utf-8"))
    assert next(f for f in report["findings"] if f["code"] == "quorum-not-met")["severity"] == "warning"
    assert report["stats"]["individuals_in_decision"] == 8
    assert submission_rows(out)["Công đoàn Viên chức tỉnh"][5] == "Họp xét 6/11 thành viên (dưới 2/3)"


def test_quorum_severity_accepts_only_error_or_warning():
    text = default_campaign_text().replace("check_quorum = true", 'check_quorum = true\nquorum_severity = "nhe"')
    with pytest.raises(CampaignError, match="quorum_severity"):
        parse_campaign(text, "sai.toml")


def test_no_biên_bản_is_said_and_asked_for_by_a_date_ahead(tmp_path, inbox):
    f = filled(tmp_path, CAMPAIGN, "tam-duong")
    f.set_field("Có biên bản họp xét", "Không")
    put(f, inbox, "tam duong.xlsx", at(15))
    out = tmp_path / "out"
    run(inbox, out, now=BEFORE_DEADLINE)
    assert submission_rows(out)[TD][5] == "Không có biên bản họp xét"
    body = letter(out, "tam-duong")
    assert "gửi bổ sung biên bản họp xét" in body and "chậm nhất ngày 20/12/2020" in body
    assert "không phải gửi lại hồ sơ" not in body   # never both asks for a paper and says nothing is due
    assert "không bắt buộc sửa" not in body         # nor calls optional what it asks for
    assert "có 01 cảnh báo cần xem lại, cụ thể như sau:" in body
    # after the deadline: the run's date plus resubmit_days, never a date already past
    late_out = tmp_path / "late"
    run(inbox, late_out, now=AFTER_DEADLINE)
    assert "chậm nhất ngày 26/12/2020" in letter(late_out, "tam-duong")
    five = dataclasses.replace(CAMPAIGN, resubmit_days=5)
    run(inbox, tmp_path / "five", campaign=five, now=AFTER_DEADLINE)
    assert "chậm nhất ngày 28/12/2020" in letter(tmp_path / "five", "tam-duong")


def test_an_own_layout_and_a_late_file_are_stated_never_called_đạt(tmp_path, inbox):
    own_layout_workbook(inbox / "Than Uyen - danh sach (mau rieng).xlsx")
    set_received(inbox / "Than Uyen - danh sach (mau rieng).xlsx", at(19))
    put(filled(tmp_path, CAMPAIGN, "tan-uyen"), inbox, "tan uyen.xlsx", dt.datetime(2020, 12, 23, 14, 10, tzinfo=VN))
    put(filled(tmp_path, CAMPAIGN, "sin-ho"), inbox, "sin ho.xlsx", at(16))
    out = tmp_path / "out"
    run(inbox, out, now=AFTER_DEADLINE)
    rows = submission_rows(out)
    assert rows["Liên đoàn Lao động huyện Than Uyên"][5].startswith(
        "Danh sách không theo mẫu: chưa kiểm tra được họp xét, tỷ lệ phiếu, hồ sơ")
    assert rows["Liên đoàn Lao động huyện Tân Uyên"][5] == "Nhận ngày 23/12/2020, sau hạn 20/12/2020"
    # the receiving time as a person reads it, in the letter and the workbook, never ISO
    late = [row for row in tables(out / "phan_hoi" / "tan-uyen.docx")[-2][1:] if "sau hạn" in row[4]]
    assert late and late[0][3] == "23/12/2020 14:10"
    said = [r["Giá trị tìm thấy"] for r in workbook_rows(out, "Lỗi - cảnh báo") if r["Loại"] == CODE_WORDS["submitted-late"]]
    assert said == ["23/12/2020 14:10"]
    assert rows["Liên đoàn Lao động huyện Sìn Hồ"][5] == "Đạt yêu cầu"   # nothing found: the only one
    assert [r[5] for r in rows.values()].count("Đạt yêu cầu") == 1
    # the workbook says it of the same units only
    status = {r["Đơn vị"]: r["Trạng thái"] for r in workbook_rows(out, "Tổng hợp đơn vị")}
    assert status["Liên đoàn Lao động huyện Sìn Hồ"] == "Đạt yêu cầu"
    assert status["Liên đoàn Lao động huyện Tân Uyên"] == status["Liên đoàn Lao động huyện Than Uyên"] \
        == "Không có lỗi, có điều cần lưu ý"
    # the own list's title, total and signature rows: one short sentence, not things to fix
    body = letter(out, "than-uyen")
    assert re.search(r"\d\d dòng tiêu đề, dòng cộng, chữ ký trong danh sách không phải là đề nghị", body)
    assert "Dòng không phải đề nghị" not in body and "Người lập biểu" not in body.split("3. Nội dung cần sửa")[1]
    # the verdict's counts are the rows of the table under it
    rows = tables(out / "phan_hoi" / "than-uyen.docx")[-2][1:]
    levels = [row[1] for row in rows]
    said = re.search(r"có (\d+) cảnh báo để đơn vị xem lại \(không bắt buộc sửa\) và (\d+) thông tin", body)
    assert said and (int(said.group(1)), int(said.group(2))) == (levels.count("Cảnh báo"), levels.count("Thông tin"))
    assert len(levels) == levels.count("Cảnh báo") + levels.count("Thông tin")


# ---------------------------------------------------------------- forms and counts

def test_counts_agree_across_every_paper(tmp_path, inbox):
    td = filled(tmp_path, CAMPAIGN, "tam-duong", individuals=3)
    td.add_row(CN, {**SHARED, "Giới tính": "Nữ", "Dân tộc": "Thái"})
    gd = filled(tmp_path, CAMPAIGN, "cdn-giao-duc", individuals=3)
    gd.add_row(CN, SHARED)                                           # duplicate: held out
    over = filled(tmp_path, CAMPAIGN, "tp-lai-chau", individuals=6)  # over quota: held out
    for filler, name, when in ((td, "td.xlsx", at(14)), (gd, "gd.xlsx", at(15)), (over, "tp.xlsx", at(16))):
        put(filler, inbox, name, when)
    _quorum_inbox(tmp_path, inbox)                                    # quorum: held out
    out = tmp_path / "out"
    result = run(inbox, out)
    people = result.in_decision(INDIVIDUAL)
    n_c, n_i = len(result.in_decision(COLLECTIVE)), len(people)
    assert (n_c, n_i) == (3, 7)

    report = json.loads((out / "report.json").read_text("utf-8"))["stats"]
    assert (report["collectives_in_decision"], report["individuals_in_decision"]) == (n_c, n_i)
    sub = "\n".join(blocks(out / "du_thao_to_trinh.docx"))
    assert f"đủ điều kiện đưa vào dự thảo Quyết định: {n_c} tập thể, {n_i} cá nhân" in sub
    assert f"cho {n_c:02d} tập thể và {n_i:02d} cá nhân" in sub
    assert submission_rows(out)["Tổng cộng"][4] == f"{n_c}/{n_i}"
    women = sum(1 for n in people if n.text("gender") == "Nữ")
    minorities = sum(1 for n in people if n.text("ethnicity") not in ("", "Kinh"))
    assert f"Trong {n_i:02d} cá nhân được đề nghị khen thưởng có {women:02d} nữ và {minorities:02d} người dân tộc" in sub
    decision = "\n".join(blocks(out / "du_thao_quyet_dinh_khen_thuong.docx"))
    assert f"cho {n_c:02d} tập thể và {n_i:02d} cá nhân" in decision
    assert f"Danh sách có {n_c} tập thể và {n_i} cá nhân" in decision
    annex = tables(out / "du_thao_quyet_dinh_khen_thuong.docx")
    rows = [row for t in annex[1:] for row in t[1:] if row[0].isdigit()]
    assert len(rows) == n_c + n_i
    units = workbook_rows(out, "Tổng hợp đơn vị")
    total = units[-1]
    assert total["Đơn vị"] == "Tổng cộng"
    assert (total["Đưa vào QĐ tập thể"], total["Đưa vào QĐ cá nhân"]) == (n_c, n_i)
    assert total["Đề nghị cá nhân"] == sum(r["Đề nghị cá nhân"] for r in units[:-1]) == 4 + 4 + 6 + 8
    assert f"Tổng số đề nghị: {total['Đề nghị tập thể']} tập thể, {total['Đề nghị cá nhân']} cá nhân" in sub
    assert submission_rows(out)["Tổng cộng"][3] == f"{total['Đề nghị tập thể']}/{total['Đề nghị cá nhân']}"
    assert sum(r["Đưa vào quyết định"] == "Có" for r in workbook_rows(out, CN)) == n_i
    # each letter's counts match the rows it lists
    for ur in result.units:
        if ur.file is None:
            continue
        body = letter(out, ur.unit.id)
        listed = body.split("Danh sách đưa vào dự thảo Quyết định:")[-1].split("3. Nội dung cần sửa")[0]
        assert body.count("- Cá nhân: ") == ur.submitted.individuals
        included = listed.split("Chưa đưa vào dự thảo Quyết định:")[0] if ur.in_decision.individuals else ""
        assert included.count("- Cá nhân: ") == ur.in_decision.individuals
        assert f"Đưa vào dự thảo Quyết định khen thưởng: {two_digits(ur.in_decision.collectives)} tập thể, " \
               f"{two_digits(ur.in_decision.individuals)} cá nhân." in body
    held = "\n".join(held_lines(out))
    assert "Có lỗi cần sửa ở dòng này" not in held and "có lỗi ở dòng này" not in held


def test_signature_blocks_take_the_campaigns_names_or_a_dotted_line(tmp_path, inbox):
    put(filled(tmp_path, CAMPAIGN, "tam-duong", individuals=3), inbox, "td.xlsx", at(15))
    out = tmp_path / "dots"
    run(inbox, out)
    sub = blocks(out / "du_thao_to_trinh.docx")
    assert "TRƯỞNG BAN" in sub[-2] and sub[-2].rstrip().endswith("………………………………")
    body = blocks(out / "phan_hoi" / "tam-duong.docx")
    assert body[1].startswith("Số:      /…\nV/v kết quả kiểm tra hồ sơ đề nghị khen thưởng năm 2020 | ")
    assert "TRƯỞNG BAN" in body[-2] and body[-2].rstrip().endswith("………………………………")

    named = dataclasses.replace(CAMPAIGN, board_signer=Board(
        head_name="Lương Thị Hà", letter_symbol="LĐLĐ-CSPL", letter_on_behalf="KT. TRƯỞNG BAN",
        letter_title="PHÓ TRƯỞNG BAN", letter_name="Lò Văn Minh"))
    out = tmp_path / "named"
    run(inbox, out, campaign=named)
    sub = blocks(out / "du_thao_to_trinh.docx")
    assert re.search(r"TRƯỞNG BAN\n+Lương Thị Hà$", sub[-2])
    body = blocks(out / "phan_hoi" / "tam-duong.docx")
    assert body[1].startswith("Số:      /LĐLĐ-CSPL\nV/v kết quả kiểm tra")
    assert re.search(r"KT\. TRƯỞNG BAN\nPHÓ TRƯỞNG BAN\n+Lò Văn Minh$", body[-2])


def test_board_keys_in_the_campaign_file():
    text = default_campaign_text().replace("[documents]", '[board]\nhead_name = "Lương Thị Hà"\n\n[documents]', 1)
    campaign = parse_campaign(text, "co-ban.toml")
    assert campaign.board_signer == Board(head_name="Lương Thị Hà") and campaign.resubmit_days == 3
    with pytest.raises(CampaignError, match="head_nam"):
        parse_campaign(text.replace("head_name", "head_nam"), "sai.toml")


def test_consolidated_workbook_prints_on_a4_landscape(tmp_path, inbox):
    own_layout_workbook(inbox / "Than Uyen.xlsx")
    set_received(inbox / "Than Uyen.xlsx", at(19))
    put(filled(tmp_path, CAMPAIGN, "cdvc-tinh", individuals=8), inbox, "cdvc.xlsx", at(15))
    out = tmp_path / "out"
    run(inbox, out)
    for name, columns in _COLUMNS.items():
        assert print_scale([w for _, w in columns[:PRINTED[name]]]) >= 60, name
    book = openpyxl.load_workbook(out / "tong_hop_khen_thuong.xlsx")
    for ws in book.worksheets:
        setup = ws.page_setup
        assert (setup.orientation, setup.paperSize, ws.sheet_properties.pageSetUpPr.fitToPage) == ("landscape", 9, True)
        assert (setup.fitToWidth or 1, setup.fitToHeight) == (1, 0)   # 1 is the default, left out
        printed = PRINTED[ws.title]
        assert re.search(rf":\${openpyxl.utils.get_column_letter(printed)}\$\d+$", ws.print_area), ws.print_area
    files = book["Tệp đã nhận"]
    assert [c.value for c in files[1]][PRINTED["Tệp đã nhận"]] == "SHA-256"   # technical: after the print area
    assert [c.value for c in book["Tổng hợp đơn vị"][book["Tổng hợp đơn vị"].max_row]][2] == "Tổng cộng"
    kinds = {r["Loại"] for r in workbook_rows(out, "Tổng hợp đơn vị")[:-1]}
    assert kinds == {"LĐLĐ huyện, thành phố", "Công đoàn ngành", "CĐVC"}
    # LibreOffice prints every sheet one page wide: each page starts with the header row's first and last
    # printed column titles (repeated rows), never a page holding only the right-hand columns
    pdf = soffice_convert(out / "tong_hop_khen_thuong.xlsx", "pdf", tmp_path / "pdf")
    pages = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                           check=True).stdout.split("\f")
    pages = [p for p in pages if p.strip()]
    heads = ["\n".join(p.strip("\n").splitlines()[:6]) for p in pages]   # a title may wrap above "STT"
    assert pages and all(re.search(r"^\s*STT\b", h, re.M) for h in heads), [p[:80] for p in pages]
    assert not any("SHA-256" in p for p in pages)


# ---------------------------------------------------------------- dates

def test_quota_under_asks_for_additions_only_while_the_deadline_is_ahead(tmp_path, inbox):
    put(filled(tmp_path, CAMPAIGN, "tam-duong", individuals=2), inbox, "td.xlsx", at(15))
    before, after = tmp_path / "before", tmp_path / "after"
    run(inbox, before, now=BEFORE_DEADLINE)
    run(inbox, after, now=AFTER_DEADLINE)
    early, late = letter(before, "tam-duong"), letter(after, "tam-duong")
    assert "Đơn vị đề nghị 02 cá nhân, ít hơn chỉ tiêu 04 cá nhân." in early
    assert "có thể bổ sung chậm nhất ngày 20/12/2020" in early
    assert "Đơn vị đề nghị 02 cá nhân, ít hơn chỉ tiêu 04 cá nhân. Hạn gửi hồ sơ (20/12/2020) đã qua" in late
    for out in (before, after):   # no paper asks for something by an unnamed or past date
        for text in (letter(out, "tam-duong"), *(str(r["Nội dung, cách sửa"]) for r in
                                                 workbook_rows(out, "Lỗi - cảnh báo"))):
            assert "trước hạn" not in text
    assert "bổ sung chậm nhất" not in late
    missing = [r["Nội dung, cách sửa"] for r in workbook_rows(after, "Lỗi - cảnh báo") if r["Loại"] == "Đơn vị chưa gửi"]
    assert missing and all(m.endswith("Hạn gửi hồ sơ (20/12/2020) đã qua.") for m in missing)


def test_every_date_line_follows_the_run_not_the_deadline(tmp_path, inbox):
    """A run in January for a December deadline: the drafts to be signed leave the day blank in the
    run's month and year; the letter, which goes out with the run, carries the run's date, and its
    due date comes after it."""
    f = filled(tmp_path, CAMPAIGN, "tam-duong", individuals=3)
    f.set_field("Có biên bản họp xét", "Không")
    put(f, inbox, "td.xlsx", at(15))
    out = tmp_path / "out"
    run(inbox, out, now=dt.datetime(2021, 1, 5, 9, 0, tzinfo=VN))
    sub = blocks(out / "du_thao_to_trinh.docx")
    decision = blocks(out / "du_thao_quyet_dinh_khen_thuong.docx")
    body = blocks(out / "phan_hoi" / "tam-duong.docx")
    assert sub[1].endswith("Lai Châu, ngày      tháng 01 năm 2021")
    assert decision[1].endswith("Lai Châu, ngày      tháng 01 năm 2021")
    assert any("(Kèm theo Quyết định số      /QĐ-LĐLĐ ngày …/01/2021" in line for line in decision)
    assert body[1].endswith("Lai Châu, ngày 05 tháng 01 năm 2021")
    assert "chậm nhất ngày 08/01/2021" in "\n".join(body)
    for paper in (sub, decision, body):
        assert not any("tháng 12 năm 2020" in line for line in paper[:3])


def test_workbook_rows_are_as_tall_as_their_text(tmp_path, inbox):
    """Each row's height fits its wrapped text: LibreOffice, left to size the same rows itself, needs no
    more lines, and at most one fewer (Excel on Windows, with Calibri, gives a column a little less room
    than LibreOffice does here, so the measure keeps that line in hand)."""
    own_layout_workbook(inbox / "Than Uyen.xlsx")
    set_received(inbox / "Than Uyen.xlsx", at(19))
    put(filled(tmp_path, CAMPAIGN, "cdvc-tinh", individuals=8), inbox, "cdvc.xlsx", at(15))
    f = filled(tmp_path, CAMPAIGN, "tam-duong", individuals=2)
    f.set_field("Có biên bản họp xét", "Không")
    put(f, inbox, "td.xlsx", at(16))
    out = tmp_path / "out"
    run(inbox, out, now=AFTER_DEADLINE)
    ours = openpyxl.load_workbook(out / "tong_hop_khen_thuong.xlsx")
    plain = openpyxl.load_workbook(out / "tong_hop_khen_thuong.xlsx")
    for ws in plain.worksheets:
        for dim in ws.row_dimensions.values():
            dim.height = None
    plain.save(tmp_path / "plain.xlsx")
    ods = soffice_convert(tmp_path / "plain.xlsx", "ods", tmp_path / "lo")
    sized = openpyxl.load_workbook(soffice_convert(ods, "xlsx", tmp_path / "lo2"))
    checked = taller = 0
    for ws in ours.worksheets:
        for r in range(2, ws.max_row + 1):
            height = ws.row_dimensions[r].height or 15
            lo_height = sized[ws.title].row_dimensions[r].height
            lines, lo_lines = round((height - PAD_PT) / LINE_PT), round((lo_height - 1.9) / 11.9)
            assert lo_lines <= lines <= lo_lines + 1, (ws.title, r, height, lo_height)
            checked += lo_lines > 1
            taller += lines > lo_lines
    assert checked > 20 and taller < checked   # many wrapped rows, most exactly as tall as needed


def _every_unit_sends(tmp_path, inbox, late: str | None = None) -> None:
    for i, unit in enumerate(CAMPAIGN.roster):
        when = dt.datetime(2020, 12, 23, 9, 0, tzinfo=VN) if unit.id == late else at(10 + i % 5)
        put(filled(tmp_path, CAMPAIGN, unit.id, unit.collectives, unit.individuals), inbox, f"{unit.id}.xlsx", when)


PROBLEM_WORDS = ("lỗi", "chưa đưa vào", "chưa gửi", "sau hạn", "không có biên bản", "vượt", "trùng", "cần sửa",
                 "bổ sung", "gửi lại", "lưu ý", "cảnh báo")


def test_a_tờ_trình_where_every_unit_is_đạt_says_nothing_about_problems(tmp_path, inbox):
    _every_unit_sends(tmp_path, inbox)
    out = tmp_path / "out"
    result = run(inbox, out)
    rows = submission_rows(out)
    assert [r[5] for name, r in rows.items() if name != "Tổng cộng"] == ["Đạt yêu cầu"] * len(CAMPAIGN.roster)
    text = "\n".join(blocks(out / "du_thao_to_trinh.docx"))
    assert "Tất cả các đơn vị đã gửi hồ sơ hợp lệ; mọi đề nghị đều đủ điều kiện" in text
    body = "\n".join(line for line in text.split("Chi tiết từng đơn vị")[1].lower().splitlines()
                     if not line.startswith("2. các đơn vị, đề nghị chưa đưa vào"))   # the heading stays
    assert not [w for w in PROBLEM_WORDS if w in body], [w for w in PROBLEM_WORDS if w in body]
    n_c, n_i = len(result.in_decision(COLLECTIVE)), len(result.in_decision(INDIVIDUAL))
    assert (n_c, n_i) == (sum(u.collectives for u in CAMPAIGN.roster), sum(u.individuals for u in CAMPAIGN.roster))
    assert f"cho {n_c:02d} tập thể và {n_i:02d} cá nhân" in text
    assert [r["Trạng thái"] for r in workbook_rows(out, "Tổng hợp đơn vị")[:-1]] == ["Đạt yêu cầu"] * len(CAMPAIGN.roster)
    for unit in CAMPAIGN.roster:   # each letter: nothing to fix, nothing to send
        body = letter(out, unit.id)
        assert "không có nội dung nào cần sửa, bổ sung" in body and "Đơn vị không phải gửi lại hồ sơ." in body
        assert "chậm nhất" not in body and "Chưa đưa vào dự thảo" not in body


def test_when_nobody_is_held_out_but_a_unit_was_late_the_tờ_trình_does_not_call_every_file_valid(tmp_path, inbox):
    _every_unit_sends(tmp_path, inbox, late="sin-ho")
    out = tmp_path / "out"
    run(inbox, out, now=AFTER_DEADLINE)
    text = "\n".join(blocks(out / "du_thao_to_trinh.docx"))
    assert submission_rows(out)["Liên đoàn Lao động huyện Sìn Hồ"][5] == "Nhận ngày 23/12/2020, sau hạn 20/12/2020"
    assert "Tất cả các đơn vị đã gửi hồ sơ hợp lệ" not in text
    assert "Mọi đề nghị đều đủ điều kiện đưa vào dự thảo Quyết định; điều cần lưu ý" in text


def test_a_letter_names_word_with_its_capital():
    from thidua_batch.documents.letters import _file_line
    from thidua_batch.model.results import ACCEPTED, WORD, FileResult
    file = FileResult(path="tan uyen.docx", sha256="0" * 64, status=ACCEPTED, layout=WORD,
                      received_at=at(15))
    line = _file_line(file, CAMPAIGN)
    assert "(bảng trong văn bản Word; lần sau đề nghị dùng mẫu)" in line.status


def test_the_console_calls_đạt_only_the_units_the_tờ_trình_calls_đạt(tmp_path, inbox):
    from click.testing import CliRunner
    from thidua_batch.cli import main
    good = filled(tmp_path, CAMPAIGN, "phong-tho")
    put(good, inbox, "phong tho.xlsx", at(15))
    noted = filled(tmp_path, CAMPAIGN, "tam-duong")
    noted.set_field("Có biên bản họp xét", "Không")
    put(noted, inbox, "tam duong.xlsx", at(15))
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["run", str(inbox), "--out", str(out)])
    rows = submission_rows(out)
    assert rows["Liên đoàn Lao động huyện Phong Thổ"][5] == "Đạt yêu cầu"
    assert rows[TD][5] == "Không có biên bản họp xét"
    assert "2/11 đơn vị đã gửi; 1 đạt yêu cầu." in result.output
    assert f"Không có lỗi, có điều cần lưu ý (xem Ghi chú của tờ trình): {TD}" in result.output
    statuses = {r["Đơn vị"]: r["Trạng thái"] for r in workbook_rows(out, "Tổng hợp đơn vị") if r["Đơn vị"]}
    assert statuses[TD] == "Không có lỗi, có điều cần lưu ý"
