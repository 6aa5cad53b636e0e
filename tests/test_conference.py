"""The year-end conference of plan 203 (conference.md): the samples run, two decisions recorded,
the delegates list filled as the Văn phòng would, every paper built and read back."""
from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import docx
import openpyxl
import pytest

from helpers import SOFFICE, soffice_convert
from thidua_batch.batch import run_batch
from thidua_batch.conference import (BuildResult, ConferenceError, WordTemplateError, build_conference, flatten,
                                     load_conference, write_conference_template)
from thidua_batch.conference.config import QUANTITY_NAMES, group_variable, parse_conference
from thidua_batch.conference.docx_templates import BUILDERS, build_templates
from thidua_batch.conference.files import TEMPLATES_DIR
from thidua_batch.documents.outputs import write_outputs
from thidua_batch.register.commands import decision_from_run
from thidua_batch.register.model import COLLECTIVE, Awardee, Decision
from thidua_batch.register.store import open_register

ROOT = Path(__file__).resolve().parents[1]
BK, CTD = "123/QĐ-LĐLĐ", "130/QĐ-LĐLĐ"
HAS_LO = SOFFICE is not None and bool(shutil.which("pdfinfo"))

# What the Văn phòng types: group, name, gender, position, organisation, unit id, rank, phone, email, far, mode.
ROWS = [
    ("Đơn vị", "Vàng A Chá", "Nam", "Chủ tịch LĐLĐ huyện Sìn Hồ", "Liên đoàn Lao động huyện Sìn Hồ", "sin-ho", 2,
     "0912000001", "", "", ""),
    ("Lãnh đạo tỉnh", "Lê Minh Tâm", "Nam", "Phó Bí thư Tỉnh ủy", "Tỉnh ủy Lai Châu", "", 1, "", "", "", ""),
    ("Đơn vị", "Đỗ Thị Hạnh", "Nữ", "Chủ tịch LĐLĐ thành phố", "Liên đoàn Lao động thành phố Lai Châu",
     "tp-lai-chau", 1, "0912000002", "", "Không", ""),
    ("Báo chí", "", "", "Phóng viên", "Báo Lai Châu", "", "", "", "", "", "Mời cơ quan"),
    ("Ban Chấp hành", "Lò Văn Pản", "Nam", "Ủy viên Ban Chấp hành", "Liên đoàn Lao động huyện Mường Tè",
     "muong-te", "", "", "", "Có", ""),
    ("Đơn vị", "Vàng  A Chá", "Nam", "Chủ tịch LĐLĐ huyện Sìn Hồ", "Liên đoàn Lao động huyện  Sìn Hồ", "sin-ho", 2,
     "", "", "", ""),                                                       # the duplicate (row 9)
    ("Lãnh đạo tỉnh", "Trần Quốc Việt", "Nam", "Phó Chủ tịch UBND tỉnh", "Ủy ban nhân dân tỉnh Lai Châu", "", 2,
     "", "", "", ""),
    ("Khách mời", "Phạm Văn Nam", "Nam", "Giám đốc", "Công ty ABC", "", "", "", "", "", ""),   # unknown group
    ("Đơn vị", "Sùng Thị Mai", "Nữ", "Phó Chủ tịch LĐLĐ huyện Phong Thổ", "Liên đoàn Lao động huyện Phong Thổ",
     "phong-tho", 3, "", "", "", ""),                                        # far by unit (far_units)
]
DUPLICATE_CELL, UNKNOWN_GROUP_CELL = "C9", "B11"


def fill_delegates(template: Path, target: Path) -> Path:
    book = openpyxl.load_workbook(template)
    ws = book["Đại biểu"]
    for i, row in enumerate(ROWS, start=4):
        ws.cell(i, 1, i - 3)
        for c, value in enumerate(row, start=2):
            if value != "":
                ws.cell(i, c, value)
    book.save(target)
    return target


@pytest.fixture(scope="module")
def world(tmp_path_factory, campaign):
    """The samples run and recorded (Bằng khen, numbered), a Cờ thi đua recorded by hand, the
    conference template written and the delegates list filled."""
    base = tmp_path_factory.mktemp("conf")
    result = run_batch(ROOT / "samples" / "inbox", campaign, now=dt.datetime(2020, 12, 22, 9, 0, tzinfo=campaign.tz))
    write_outputs(result, base / "run")
    bang_khen = decision_from_run(base / "run", BK, dt.date(2020, 12, 28), campaign)
    first = next(a for a in bang_khen.awardees if a.kind == COLLECTIVE)
    flag = Decision(number=CTD, date=dt.date(2020, 12, 28), award="Cờ thi đua của Ban Chấp hành Liên đoàn Lao động tỉnh",
                    year=2020, issuer="Ban Thường vụ Liên đoàn Lao động tỉnh Lai Châu", signer_title="PHÓ CHỦ TỊCH",
                    signer_name="Hoàng Văn Trinh", on_behalf="TM. BAN THƯỜNG VỤ", place="Lai Châu",
                    awardees=(Awardee(COLLECTIVE, first.name, 1, unit_id=first.unit_id, unit_name=first.unit_name),
                              Awardee(COLLECTIVE, "Công đoàn Bệnh viện Đa khoa tỉnh", 2, unit_id="cdn-y-te",
                                      unit_name="Công đoàn ngành Y tế")))
    with open_register(base / "so.sqlite") as book:
        book.record(bang_khen)
        book.record(flag)
        book.assign_certificate_numbers(BK)
        book.assign_certificate_numbers(CTD)
        decisions = book.decisions(2020)
    template_dir = base / "template"
    written = write_conference_template(template_dir)
    delegates = fill_delegates(template_dir / "dai_bieu.xlsx", base / "dai_bieu.xlsx")
    conference = load_conference(template_dir / "hoi_nghi.toml", campaign)
    out = base / "out"
    built = build_conference(conference, delegates, out, decisions=decisions, files=result.files, campaign=campaign)
    return {"base": base, "written": written, "conference": conference, "decisions": decisions, "out": out,
            "built": built, "delegates": delegates, "files": result.files}


def text_of(path: Path) -> str:
    """Every paragraph of the body and of its tables, in order."""
    document = docx.Document(path)
    lines = []
    for block in document.element.body.iter():
        if block.tag.endswith("}p"):
            lines.append("".join(t.text or "" for t in block.iter() if t.tag.endswith("}t")))
    return "\n".join(lines)


def script_rows(path: Path) -> list[list[str]]:
    table = docx.Document(path).tables[1]
    return [[cell.text for cell in row.cells] for row in table.rows]


# ---------------------------------------------------------------- template and conference file

def test_template_writes_the_example_and_the_delegates_workbook(world, campaign):
    toml, xlsx = world["written"]
    assert (toml.name, xlsx.name) == ("hoi_nghi.toml", "dai_bieu.xlsx")
    conference = world["conference"]
    assert conference.venue.startswith("Hội trường A3") and dt.date(2020, 12, 25) <= conference.date <= dt.date(2020, 12, 31)
    assert [a.item for a in conference.agenda if a.kind] == [
        "Thảo luận: tham luận của các đơn vị",
        "Công bố các quyết định khen thưởng tập thể, cá nhân có thành tích xuất sắc năm 2020 và trao khen thưởng",
        "Ký kết giao ước thi đua năm 2021 giữa các khối thi đua"]
    assert sorted(m for k in conference.khoi for m in k.members) == sorted(u.id for u in campaign.roster)
    assert any("Thông tư 40/2017/TT-BTC" in line.basis for line in conference.budget)
    book = openpyxl.load_workbook(xlsx)
    ws = book["Đại biểu"]
    assert [c.value for c in ws[3]][:6] == ["STT", "Nhóm *", "Họ và tên", "Giới tính", "Chức vụ", "Cơ quan, đơn vị *"]
    lists = {str(dv.sqref)[0]: dv.formula1 for dv in ws.data_validations.dataValidation}
    assert lists["B"] == "ds_nhom" and lists["L"] == "ds_hinh_thuc" and lists["K"] == "ds_o_xa"
    assert book["Danh mục"].sheet_state == "hidden"
    assert [book["Danh mục"].cell(r, 1).value for r in range(2, 10)] == list(conference.groups)


@pytest.mark.parametrize("change, key", [
    (('date = 2020-12-29', 'date = 2021-01-05'), "date"),                       # outside 25-31/12/2020
    (('batch_size = 10 ', 'batch_size = 0 '), "batch_size"),
    (('members = ["muong-te",', 'members = ["muong-xa",'), "members"),          # not a roster unit
    (('quantity = "so_tap_the + so_ca_nhan"', 'quantity = "so_tap_the + so_hoa"'), "quantity"),
    (('venue = "Hội trường', 'venu = "Hội trường'), "venu"),                     # unknown key
])
def test_an_invalid_conference_file_names_key_and_line_and_nothing_is_written(tmp_path, campaign, change, key):
    text = (TEMPLATES_DIR.parent / "data" / "hoi_nghi.toml").read_text("utf-8")
    line = next(n for n, row in enumerate(text.splitlines(), 1) if change[0] in row)
    bad = tmp_path / "hoi_nghi.toml"
    bad.write_text(text.replace(change[0], change[1], 1), "utf-8")
    out = tmp_path / "out"
    with pytest.raises(ConferenceError) as info:
        conference = load_conference(bad, campaign)
        build_conference(conference, tmp_path / "none.xlsx", out, campaign=campaign)
    assert f"khóa “{key}”" in str(info.value) and f"dòng {line}" in str(info.value), str(info.value)
    assert not out.exists()


def test_a_toml_syntax_error_says_the_line(campaign):
    with pytest.raises(ConferenceError, match="dòng 2"):
        parse_conference('name = "x"\nyear = \n', "hoi_nghi.toml", campaign)


# ---------------------------------------------------------------- the build

def test_every_paper_is_written_and_problems_name_file_sheet_cell(world):
    built: BuildResult = world["built"]
    out = world["out"]
    names = {p.relative_to(out).as_posix() for p in built.paths}
    assert {"giay_moi.docx", "danh_sach_dai_bieu.xlsx", "chuong_trinh.docx", "kich_ban.docx", "tham_luan.docx",
            "giao_uoc_khoi-1.docx", "giao_uoc_khoi-2.docx", "giao_uoc_khoi-3.docx", "du_tru_kinh_phi.xlsx"} <= names
    assert flatten(built.problems) == [("invalid-value", "Đại biểu", UNKNOWN_GROUP_CELL),
                                       ("delegate-duplicate", "Đại biểu", DUPLICATE_CELL),
                                       ("discussion-overtime", None, None)]
    talks = len(docx.Document(out / "tham_luan.docx").tables[1].rows) - 1
    assert built.problems[-1].message.startswith(f"{talks} tham luận × 10 phút = {talks * 10} phút, vượt thời gian "
                                                 "thảo luận 75 phút (09:00 - 10:15)")
    assert all(p.file == "dai_bieu.xlsx" for p in built.problems[:2]) and built.problems[2].file == "hoi_nghi.toml"
    duplicate = built.problems[1]
    assert "Vàng A Chá" in duplicate.message and "Đại biểu!C4" in duplicate.message


def test_invitations_one_per_page_each_invitee_once(world):
    out = world["out"]
    decisions = world["decisions"]
    text = text_of(out / "giay_moi.docx")
    files = sorted((out / "giay_moi").glob("*.docx"))
    count = text.count("GIẤY MỜI")
    honoured_people = {(a.name, a.birth_year) for d in decisions for a in d.awardees if a.kind != COLLECTIVE}
    honoured_collectives = {a.name for d in decisions for a in d.awardees if a.kind == COLLECTIVE}
    listed = 7   # 9 rows - the duplicate - the unknown group
    assert count == len(files) == listed + len(honoured_people) + len(honoured_collectives)
    body = zipfile.ZipFile(out / "giay_moi.docx").read("word/document.xml").decode()
    assert body.count('w:type="page"') == count - 1
    assert text.count("Đồng chí Vàng A Chá") == 1                      # listed twice, invited once
    for name in honoured_collectives:                                  # in both decisions, invited once
        assert text.count(f"Đại diện {name}\n") == 1, name
    assert "Ban Thường vụ Liên đoàn Lao động tỉnh Lai Châu trân trọng kính mời:" in text
    assert "Tới dự: Hội nghị Tổng kết phong trào thi đua trong CNVCLĐ năm 2020" in text
    assert "Thời gian: buổi sáng, bắt đầu từ 07 giờ 30 phút, thứ Ba, ngày 29 tháng 12 năm 2020." in text
    assert "Địa điểm: Hội trường A3 Trung tâm hành chính, chính trị tỉnh." in text
    assert "Số:      /GM-LĐLĐ" in text and "Lai Châu, ngày 21 tháng 12 năm 2020" in text
    assert "TM. BAN THƯỜNG VỤ" in text and "Hoàng Văn Trinh" in text and "Nơi nhận:" in text
    one = text_of(out / "giay_moi" / "lo-van-pan.docx")
    assert "Đồng chí Lò Văn Pản" in one and "bố trí nơi nghỉ cho đại biểu ở xa" in one and one.count("GIẤY MỜI") == 1
    assert "bố trí nơi nghỉ" not in text_of(out / "giay_moi" / "do-thi-hanh.docx")
    assert all(re.fullmatch(r"[a-z0-9-]+\.docx", f.name) for f in files)


@pytest.mark.skipif(not HAS_LO, reason="needs LibreOffice and poppler")
def test_invitations_print_one_page_each(world, tmp_path):
    pdf = soffice_convert(world["out"] / "giay_moi.docx", "pdf", tmp_path)
    pages = int(re.search(r"Pages:\s+(\d+)", subprocess.run(["pdfinfo", str(pdf)], capture_output=True,
                                                             text=True).stdout).group(1))
    assert pages == len(list((world["out"] / "giay_moi").glob("*.docx")))


def test_mc_script_blocks_in_award_order_batches_in_annex_order_with_trays(world):
    conference = world["conference"]
    rows = script_rows(world["out"] / "kich_ban.docx")
    assert rows[0] == ["NGƯỜI GIỚI THIỆU", "NGƯỜI THỰC HIỆN", "NỘI DUNG", "GHI CHÚ"]
    headings = [r[0] for r in rows if len(set(r)) == 1]
    blocks = [h for h in headings if h.startswith("Quyết định số")]
    assert [b.split(" ngày")[0] for b in blocks] == [f"Quyết định số {CTD}", f"Quyết định số {BK}"]  # Cờ first
    by_number = {d.number: d for d in world["decisions"]}
    called, trays, presenters = {BK: [], CTD: []}, {BK: [], CTD: []}, []
    current = None
    for r in rows:
        if r[0].startswith("Quyết định số"):
            current = r[0].split(" ")[3]
        elif current and "lên nhận:" in r[2]:
            called[current] += [line.split(". ", 1)[0] for line in r[2].splitlines()[1:]]
            trays[current] += [line.split(". ", 1)[1] for line in r[3].splitlines()[1:]]
            presenters.append(r[1])
            assert len(r[2].splitlines()) - 1 <= conference.batch_size
        elif r[0].startswith(tuple("0123456789")) and current and not r[0].startswith("Quyết"):
            current = None
    for number, decision in by_number.items():
        assert called[number] == [str(a.order) for a in decision.awardees]            # annex order
        assert trays[number] == [a.certificate_no for a in decision.awardees]         # stack = certificate order
        assert all(no is not None for no in trays[number])
    cycle = conference.presenters
    assert presenters == [cycle[i % len(cycle)] for i in range(len(presenters))]
    assert len(presenters) == 1 + -(-len(by_number[BK].awardees) // conference.batch_size)
    text = text_of(world["out"] / "kich_ban.docx")
    assert "KỊCH BẢN ĐIỀU HÀNH" in text and "Tham luận 1:" in text and "lên ký giao ước" in text


def test_agenda_discussion_and_pledges(world, campaign):
    out, conference = world["out"], world["conference"]
    agenda = text_of(out / "chuong_trinh.docx")
    positions = [agenda.index(a.item) for a in conference.agenda]
    assert positions == sorted(positions) and "CHƯƠNG TRÌNH" in agenda
    talks = text_of(out / "tham_luan.docx")
    with_topic = [f for f in world["files"] if f.status == "accepted" and f.field_text("topic")]
    for f in with_topic:
        assert campaign.roster.get(f.unit).name in talks
        assert f.field_text("preparer") in talks and f.field_text("email") in talks
    assert "Nâng cao chất lượng thực hiện văn hóa công sở" in talks
    assert "Đồng chí Vàng A Chá - Chủ tịch LĐLĐ huyện Sìn Hồ" in talks          # the speaker from the list
    # every roster unit that gave no topic is named, whether it sent a file or not (papers.md)
    speaking = {f.unit for f in with_topic}
    silent = [u.name for u in campaign.roster if u.id not in speaking]
    assert len(silent) >= 2 and f"Đơn vị chưa gửi chủ đề tham luận: {'; '.join(silent)}." in talks
    pledge = text_of(out / "giao_uoc_khoi-1.docx")
    assert "BẢN GIAO ƯỚC THI ĐUA NĂM 2021" in pledge
    for unit_id in conference.khoi[0].members:
        assert campaign.roster.get(unit_id).name.upper() in pledge
    assert "Trưởng khối" in pledge and "Đỗ Thị Hạnh" in pledge and "PHÓ CHỦ TỊCH" in pledge  # Sùng Thị Mai signs
    assert len(docx.Document(out / "giao_uoc_khoi-1.docx").tables[2].rows) == 2   # 4 members, 3 a row


def test_delegates_workbook_sheets(world):
    book = openpyxl.load_workbook(world["out"] / "danh_sach_dai_bieu.xlsx")
    assert book.sheetnames == ["Đại biểu", "Ký tên", "Ở xa", "Tổng hợp"]
    all_rows = [[c for c in row] for row in book["Đại biểu"].iter_rows(min_row=5, values_only=True)]
    groups = [r[0] for r in all_rows if r[1] is None]
    assert groups[:2] == ["I. Lãnh đạo tỉnh (2)", "II. Ban Chấp hành (1)"]
    names = [r[1] for r in all_rows if r[1]]
    assert names[:2] == ["Lê Minh Tâm", "Trần Quốc Việt"]                       # rank within the group
    assert names.index("Đỗ Thị Hạnh") < names.index("Vàng A Chá") < names.index("Sùng Thị Mai")
    assert names.count("Vàng A Chá") == 1 and "Phạm Văn Nam" not in names
    sign = book["Ký tên"]
    assert sign.print_title_rows == "$4:$4" and [c.value for c in sign[4]][-1] == "Ký tên"
    far = [r[1] for r in book["Ở xa"].iter_rows(min_row=5, values_only=True)]
    assert {"Lò Văn Pản", "Sùng Thị Mai", "Vàng A Chá"} <= set(far) and "Đỗ Thị Hạnh" not in far
    counts = {r[1]: r[2] for r in book["Tổng hợp"].iter_rows(min_row=5, values_only=True)}
    total = book["Tổng hợp"].cell(5 + len(world["conference"].groups), 3).value
    assert total.startswith("=SUM(C5:")
    # each once: a person by name and birth year, a collective by name (the collective given the Cờ thi
    # đua is in both decisions; the Bằng khen names each person once, papers.md)
    honoured = len({(a.kind, a.name, a.birth_year) for d in world["decisions"] for a in d.awardees})
    assert honoured == sum(len(d.awardees) for d in world["decisions"]) - 1
    assert counts["Điển hình tiên tiến"] == honoured and counts["Báo chí"] == 1


def _computed(xlsx: Path, tmp: Path) -> openpyxl.Workbook:
    """The workbook as LibreOffice computes it: formulas recalculated, saved back with values."""
    converted = soffice_convert(xlsx, "xlsx:Calc MS Excel 2007 XML", tmp)
    return openpyxl.load_workbook(converted, data_only=True)


@pytest.mark.skipif(not HAS_LO, reason="needs LibreOffice")
def test_budget_has_live_formulas_that_libreoffice_recalculates(world, tmp_path):
    path = world["out"] / "du_tru_kinh_phi.xlsx"
    formulas = openpyxl.load_workbook(path)["Dự trù"]
    conference = world["conference"]
    lines = len(conference.budget)
    assert formulas["F6"].value == "=D6*E6" and formulas["D6"].value == "='Số liệu'!$C$2"
    assert formulas["D9"].value == "='Số liệu'!$C$4*2"                            # "so_o_xa * 2"
    assert formulas.cell(6 + lines, 6).value == f"=SUM(F6:F{5 + lines})"
    assert [formulas.cell(r, 7).value for r in range(6, 6 + lines)] == [b.basis for b in conference.budget]
    # change a count as the Văn phòng would: every amount follows once recalculated
    edited = openpyxl.load_workbook(path)
    edited["Số liệu"]["C2"] = 200                                                   # so_dai_bieu
    edited.save(tmp_path / "du_tru_kinh_phi.xlsx")
    sheet = _computed(tmp_path / "du_tru_kinh_phi.xlsx", tmp_path / "lo")["Dự trù"]
    figures = openpyxl.load_workbook(path)["Số liệu"]
    names = list(QUANTITY_NAMES) + [group_variable(g) for g in conference.groups]
    values = {name: figures.cell(r, 3).value for r, name in enumerate(names, 2)}
    assert figures.cell(2, 2).value == QUANTITY_NAMES["so_dai_bieu"]
    values["so_dai_bieu"] = 200
    expected = []
    for line in conference.budget:
        quantity = eval(line.quantity, {"__builtins__": {}}, values)  # noqa: S307 - the example's own formulas
        expected.append(quantity * line.price)
    assert [sheet.cell(r, 6).value for r in range(6, 6 + lines)] == expected
    assert sheet.cell(6 + lines, 6).value == sum(expected)
    far_honoured = {(a.kind, a.name, a.birth_year) for d in world["decisions"] for a in d.awardees
                    if a.unit_id in conference.far_units}
    # from the list: Lò Văn Pản ("Có"), Vàng A Chá and Sùng Thị Mai (their units are far_units)
    assert sheet["D6"].value == 200 and values["so_o_xa"] == 3 + len(far_honoured)


# ---------------------------------------------------------------- templates

def test_templates_rebuild_byte_identical(tmp_path):
    built = build_templates(tmp_path)
    assert [p.name for p in built] == list(BUILDERS)
    for path in built:
        assert path.read_bytes() == (TEMPLATES_DIR / path.name).read_bytes(), path.name
    subprocess.run([sys.executable, "-m", "thidua_batch.conference.docx_templates",
                    str(tmp_path / "again")], check=True, cwd=ROOT, capture_output=True)
    assert (tmp_path / "again" / "kich_ban_tpl.docx").read_bytes() == (TEMPLATES_DIR / "kich_ban_tpl.docx").read_bytes()


def _custom(tmp_path: Path, old: str, new: str) -> Path:
    folder = tmp_path / "mau"
    folder.mkdir()
    source = TEMPLATES_DIR / "giay_moi_tpl.docx"
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(folder / source.name, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename == "word/document.xml":
                assert old.encode() in data
                data = data.replace(old.encode(), new.encode())
            zout.writestr(info, data)
    return folder


def test_an_unknown_variable_in_a_custom_template_is_refused_before_writing(world, tmp_path, campaign):
    folder = _custom(tmp_path, "{{ inv.invitee }}", "{{ inv.invitee_name }}")
    out = tmp_path / "out"
    with pytest.raises(WordTemplateError, match="inv.invitee_name"):
        build_conference(world["conference"], world["delegates"], out, decisions=world["decisions"],
                         templates_dir=folder, campaign=campaign)
    assert not out.exists()


def test_a_custom_template_changes_the_wording(world, tmp_path, campaign):
    folder = _custom(tmp_path, "trân trọng kính mời:", "kính mời:")
    out = tmp_path / "out"
    build_conference(world["conference"], world["delegates"], out, decisions=world["decisions"],
                     templates_dir=folder, campaign=campaign)
    text = text_of(out / "giay_moi.docx")
    assert "Lai Châu kính mời:" in text and "trân trọng kính mời" not in text


def test_cli_template_then_build_from_the_register(tmp_path):
    """The commands as an officer types them: template, then build with the register and the inbox."""
    from click.testing import CliRunner

    from thidua_batch.cli import main

    root = Path(__file__).resolve().parents[1]
    runner = CliRunner()
    run_dir, register = tmp_path / "run", tmp_path / "so.sqlite"
    assert runner.invoke(main, ["run", str(root / "samples" / "inbox"), "--out", str(run_dir), "--register",
                                str(register)]).exit_code == 1
    assert runner.invoke(main, ["register", "record", str(run_dir), "--number", "123/QĐ-LĐLĐ", "--date",
                                "2020-12-28", "--register", str(register)]).exit_code == 0
    made = runner.invoke(main, ["conference", "template", "--out", str(tmp_path / "hn")])
    assert made.exit_code == 0, made.output
    built = runner.invoke(main, ["conference", "build", "--config", str(tmp_path / "hn" / "hoi_nghi.toml"),
                                 "--delegates", str(tmp_path / "hn" / "dai_bieu.xlsx"), "--out", str(tmp_path / "out"),
                                 "--run", str(run_dir), "--register", str(register)])
    assert built.exit_code == 0, built.output
    assert "1 quyết định năm 2020" in built.output
    # the topics and contacts come from the run folder's report.json (papers.md, "Conference input")
    report = __import__("json").loads((run_dir / "report.json").read_text("utf-8"))
    topics = [(u["name"], u["topic"], u["contact"]["preparer"]) for u in report["units"] if u["topic"]]
    talks = text_of(tmp_path / "out" / "tham_luan.docx")
    assert len(topics) >= 3 and all(t in talks and n in talks and p in talks for n, t, p in topics)
    assert "Chưa có đơn vị nào gửi chủ đề tham luận" not in talks
    # an inbox (or any folder without report.json) is refused, saying what was expected; nothing written
    inbox = runner.invoke(main, ["conference", "build", "--config", str(tmp_path / "hn" / "hoi_nghi.toml"),
                                 "--delegates", str(tmp_path / "hn" / "dai_bieu.xlsx"), "--out", str(tmp_path / "o3"),
                                 "--run", str(root / "samples" / "inbox"), "--register", str(register)])
    assert inbox.exit_code == 2
    assert "không có report.json" in inbox.output and "thư mục kết quả của “thidua-batch run”" in inbox.output
    assert not (tmp_path / "o3").exists()
    for name in ("giay_moi.docx", "danh_sach_dai_bieu.xlsx", "chuong_trinh.docx", "kich_ban.docx", "tham_luan.docx",
                 "du_tru_kinh_phi.xlsx"):
        assert (tmp_path / "out" / name).is_file(), name
    bad = tmp_path / "sai.toml"
    bad.write_text((tmp_path / "hn" / "hoi_nghi.toml").read_text("utf-8") + "\nkhoa_la = 1\n", "utf-8")
    refused = runner.invoke(main, ["conference", "build", "--config", str(bad), "--delegates",
                                   str(tmp_path / "hn" / "dai_bieu.xlsx"), "--out", str(tmp_path / "out2")])
    assert refused.exit_code == 2 and "khoa_la" in refused.output
    assert not (tmp_path / "out2").exists()


# ---------------------------------------------------------------- papers fit to sign (papers.md)

def _all_texts(path: Path) -> list[str]:
    book = openpyxl.load_workbook(path)
    return [str(v) for ws in book.worksheets for row in ws.iter_rows(values_only=True) for v in row
            if isinstance(v, str) and not v.startswith("=")]


def test_budget_speaks_words_signs_and_leaves_out_zero_lines(world, tmp_path, campaign):
    texts = _all_texts(world["out"] / "du_tru_kinh_phi.xlsx")
    names = list(QUANTITY_NAMES) + [group_variable(g) for g in world["conference"].groups]
    assert not [t for t in texts if any(n in t for n in names)]                 # never a variable name
    assert "số đại biểu ở xa cần bố trí nơi nghỉ × 2 (02 ngày: ngày đi và ngày họp)" in texts
    assert "tổng số đại biểu được mời" in texts and "số tập thể được khen thưởng + số cá nhân được khen thưởng" in texts
    assert "Lai Châu, ngày …… tháng …… năm ……" in texts
    assert [t for t in texts if t in ("NGƯỜI LẬP", "KẾ TOÁN", "THỦ TRƯỞNG ĐƠN VỊ")] == [
        "NGƯỜI LẬP", "KẾ TOÁN", "THỦ TRƯỞNG ĐƠN VỊ"]
    assert "Cờ thi đua" in texts                                                   # a flag was recorded: 2 flags
    # without a flag decision, the flags' line (quantity 0) is not on the paper
    no_flag = [d for d in world["decisions"] if not d.is_flag]
    built = build_conference(world["conference"], world["delegates"], tmp_path / "o", decisions=no_flag,
                             files=world["files"], campaign=campaign)
    assert built.paths
    sheet = openpyxl.load_workbook(tmp_path / "o" / "du_tru_kinh_phi.xlsx")["Dự trù"]
    items = [sheet.cell(r, 2).value for r in range(6, 6 + len(world["conference"].budget))]
    assert "Cờ thi đua" not in items and "Khung Bằng khen" in items
    assert [sheet.cell(r, 1).value for r in range(6, 6 + items.index("Tổng cộng"))] == list(
        range(1, 1 + items.index("Tổng cộng")))                                    # numbered without gaps


@pytest.mark.skipif(not HAS_LO, reason="needs LibreOffice")
def test_budget_sheets_print_on_a4(world, tmp_path):
    pdf = soffice_convert(world["out"] / "du_tru_kinh_phi.xlsx", "pdf", tmp_path)
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"Pages:\s+2\b", info)                                        # one page a sheet
    assert re.search(r"Page size:.*\(A4\)", info)
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True).stdout
    assert "Cách tính số lượng, ghi chú" in text and "THỦ TRƯỞNG ĐƠN VỊ" in text


def test_mc_script_rows_kept_whole_mc_never_invites_himself_no_file_names(world):
    path = world["out"] / "kich_ban.docx"
    table = docx.Document(path).tables[1]
    for row in table.rows[1:]:
        assert row._tr.find(docx.oxml.ns.qn("w:trPr")) is not None
        assert row._tr.trPr.find(docx.oxml.ns.qn("w:cantSplit")) is not None, row.cells[2].text[:40]
    text = text_of(path)
    mc = world["conference"].mc
    himself = mc.split(" (")[0]
    assert f"kính mời {himself}" not in text and "kính mời Người dẫn chương trình" not in text
    assert "Tuyên bố lý do, giới thiệu đại biểu: người dẫn chương trình trực tiếp thực hiện." in text
    assert not re.search(r"\w+\.(docx|xlsx|toml|pdf)\b", text)
    assert "Bản giao ước thi đua của Khối thi đua số 1 (02 bản)" in text


def test_invitation_duration_follows_the_agenda_and_talks_over_their_slot_are_said(world, tmp_path, campaign):
    text = (world["base"] / "template" / "hoi_nghi.toml").read_text("utf-8")
    # a file that still says "01 ngày" for a morning: the invitation follows the agenda, the build says so
    said = parse_conference(text.replace('duration = "buổi sáng"', 'duration = "01 ngày"'), "hoi_nghi.toml", campaign)
    built = build_conference(said, world["delegates"], tmp_path / "a", decisions=world["decisions"],
                             files=world["files"], campaign=campaign)
    mismatch = [p for p in built.problems if p.code == "duration-mismatch"]
    assert len(mismatch) == 1 and "“01 ngày”" in mismatch[0].message and "“buổi sáng”" in mismatch[0].message
    assert "Thời gian: buổi sáng, bắt đầu từ 07 giờ 30 phút" in text_of(tmp_path / "a" / "giay_moi.docx")
    # an agenda running into the afternoon is a whole day; talks that fit their slot raise nothing
    longer = parse_conference(text.replace('time = "11:45 - 12:00"', 'time = "16:30 - 17:00"')
                              .replace('time = "09:00 - 10:15"', 'time = "09:00 - 11:00"')
                              .replace('duration = "buổi sáng"', 'duration = "01 ngày"'), "hoi_nghi.toml", campaign)
    built = build_conference(longer, world["delegates"], tmp_path / "b", decisions=world["decisions"],
                             files=world["files"], campaign=campaign)
    assert not [p for p in built.problems if p.code in ("duration-mismatch", "discussion-overtime")]
    assert "Thời gian: 01 ngày, bắt đầu từ 07 giờ 30 phút" in text_of(tmp_path / "b" / "giay_moi.docx")


def test_report_json_carries_topics_and_contacts(world):
    report = __import__("json").loads((world["base"] / "run" / "report.json").read_text("utf-8"))
    by_id = {u["id"]: u for u in report["units"]}
    for f in world["files"]:
        if f.status == "accepted" and f.unit and by_id[f.unit]["file"] == f.path:
            unit = by_id[f.unit]
            assert unit["topic"] == (f.field_text("topic") or None)
            assert unit["contact"] == {"preparer": f.field_text("preparer") or None,
                                       "phone": f.field_text("phone") or None, "email": f.field_text("email") or None}
    assert any(u["topic"] for u in report["units"]) and any(u["topic"] is None for u in report["units"])
    missing = next(u for u in report["units"] if u["status"] == "missing")
    assert missing["topic"] is None and missing["contact"] == {"preparer": None, "phone": None, "email": None}


def test_a_run_folder_is_read_through_report_json_never_as_an_inbox(world, tmp_path, campaign):
    built = build_conference(world["conference"], world["delegates"], tmp_path / "a", decisions=world["decisions"],
                             runs=[world["base"] / "run"], campaign=campaign)
    assert text_of(tmp_path / "a" / "tham_luan.docx") == text_of(world["out"] / "tham_luan.docx")
    assert built.paths
    with pytest.raises(ConferenceError, match=r"không có report\.json.*thư mục hồ sơ"):
        build_conference(world["conference"], world["delegates"], tmp_path / "b", runs=[ROOT / "samples" / "inbox"],
                         campaign=campaign)
    empty = tmp_path / "trong"
    empty.mkdir()
    with pytest.raises(ConferenceError, match=r"không có report\.json") as refused:
        build_conference(world["conference"], world["delegates"], tmp_path / "c", runs=[empty], campaign=campaign)
    assert "thư mục hồ sơ" not in str(refused.value)
    assert not (tmp_path / "b").exists() and not (tmp_path / "c").exists()


def test_an_mc_who_also_reads_the_decisions_does_not_invite_himself(world, tmp_path, campaign):
    text = (world["base"] / "template" / "hoi_nghi.toml").read_text("utf-8")
    reader = 'decision_reader = "Đồng chí Trưởng Ban CSPL&QHLĐ LĐLĐ tỉnh"'
    assert reader in text
    same = parse_conference(text.replace(reader, 'decision_reader = "Đồng chí Chánh Văn phòng LĐLĐ tỉnh"'),
                            "hoi_nghi.toml", campaign)
    build_conference(same, world["delegates"], tmp_path, decisions=world["decisions"], files=world["files"],
                     campaign=campaign)
    script = text_of(tmp_path / "kich_ban.docx")
    assert "kính mời Đồng chí Chánh Văn phòng" not in script
    assert f"Người dẫn chương trình công bố Quyết định số {BK}" in script
