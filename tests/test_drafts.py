"""The Word drafts: read back with python-docx and asserted on their text."""
from __future__ import annotations

import re
import shutil
import subprocess
import time
import zipfile
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn

import draft_factory as factory
from thidua_batch.documents import drafts, letters
from thidua_batch.documents.board import finding_value
from thidua_batch.documents.docx_templates import TEMPLATE_FILES, TEMPLATES_DIR, build_templates
from thidua_batch.documents.drafts import WordTemplateError, check_templates, write_drafts
from thidua_batch.model.findings import Finding
from thidua_batch.model.results import COLLECTIVE, INDIVIDUAL
from thidua_batch.documents.vnformat import money, money_words


# ---------------------------------------------------------------- helpers

def blocks(path: Path) -> list[str]:
    """Every paragraph's text in document order, table cells included (a row's cells joined by " | ")."""
    document = docx.Document(str(path))
    out = []
    for element in document.element.body.iterchildren():
        if element.tag == qn("w:p"):
            out.append(docx.text.paragraph.Paragraph(element, document).text)
        elif element.tag == qn("w:tbl"):
            table = docx.table.Table(element, document)
            for row in table.rows:
                seen, cells = set(), []
                for cell in row.cells:
                    if id(cell._tc) not in seen:  # a merged cell appears once
                        seen.add(id(cell._tc))
                        cells.append("\n".join(p.text for p in cell.paragraphs))
                out.append(" | ".join(cells))
    return out


def text(path: Path) -> str:
    return "\n".join(blocks(path))


def tables(path: Path) -> list[list[list[str]]]:
    document = docx.Document(str(path))
    result = []
    for table in document.tables:
        rows = []
        for row in table.rows:
            seen, cells = set(), []
            for cell in row.cells:
                if id(cell._tc) not in seen:
                    seen.add(id(cell._tc))
                    cells.append(cell.text)
            rows.append(cells)
        result.append(rows)
    return result


@pytest.fixture(scope="module")
def result():
    return factory.sample_result()


@pytest.fixture(scope="module")
def out(result, tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("drafts")
    write_drafts(result, folder)
    return folder


def decision(out: Path) -> Path:
    return out / "du_thao_quyet_dinh_khen_thuong.docx"


def submission(out: Path) -> Path:
    return out / "du_thao_to_trinh.docx"


# ---------------------------------------------------------------- files written

def test_files_written(result, tmp_path):
    paths = write_drafts(result, tmp_path)
    names = [p.relative_to(tmp_path).as_posix() for p in paths]
    letters = ["tp-lai-chau", "tam-duong", "phong-tho", "sin-ho", "than-uyen", "tan-uyen", "cdvc-tinh"]
    assert names == ["du_thao_quyet_dinh_khen_thuong.docx", "du_thao_to_trinh.docx",
                     *[f"phan_hoi/{u}.docx" for u in letters]]
    assert sorted(p.name for p in (tmp_path / "phan_hoi").iterdir()) == sorted(f"{u}.docx" for u in letters)
    assert not [p for p in tmp_path.rglob("*") if p.name.endswith(".tmp")]


def test_same_input_same_bytes(result, tmp_path):
    write_drafts(result, tmp_path / "a")
    write_drafts(result, tmp_path / "b")
    for path in (tmp_path / "a").rglob("*.docx"):
        assert path.read_bytes() == (tmp_path / "b" / path.relative_to(tmp_path / "a")).read_bytes()


def test_stale_letter_removed(result, tmp_path):
    stale = tmp_path / "phan_hoi" / "muong-te.docx"
    stale.parent.mkdir(parents=True)
    stale.write_bytes(b"old")
    foreign = tmp_path / "phan_hoi" / "ghi-chu-cua-ban.docx"
    foreign.write_bytes(b"mine")
    write_drafts(result, tmp_path)
    assert not stale.exists()
    assert foreign.exists()  # not a roster unit's letter: left alone


# ---------------------------------------------------------------- the decision

def test_decision_header_and_titles(out):
    lines = blocks(decision(out))
    header = lines[0]
    assert "TỔNG LĐLĐ VIỆT NAM" in header
    assert "LIÊN ĐOÀN LAO ĐỘNG\u00a0TỈNH\u00a0LAI\u00a0CHÂU".replace("\u00a0", " ") in header.replace("\u00a0", " ")
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in header
    assert "Độc lập - Tự do - Hạnh phúc" in header
    assert "Số:      /QĐ-LĐLĐ | Lai Châu, ngày      tháng 12 năm 2020" in lines[1]
    assert "QUYẾT ĐỊNH" in lines
    assert ("Về việc khen thưởng các tập thể, cá nhân có thành tích xuất sắc trong phong trào “Cán bộ, "
            "công chức, viên chức thi đua thực hiện văn hóa công sở” năm 2020") in lines
    assert "BAN THƯỜNG VỤ LIÊN ĐOÀN LAO ĐỘNG TỈNH LAI CHÂU" in lines
    assert "Xét đề nghị của Ban Chính sách pháp luật và Quan hệ lao động," in lines
    assert "QUYẾT ĐỊNH:" in lines


def test_decision_can_cu_italic_and_punctuated(out, result):
    document = docx.Document(str(decision(out)))
    can_cu = [p for p in document.paragraphs if p.text.startswith("Căn cứ")]
    assert len(can_cu) == len(result.campaign.can_cu)
    assert all(run.italic for p in can_cu for run in p.runs if run.text)
    assert [p.text[-1] for p in can_cu] == [";"] * (len(can_cu) - 1) + ["."]
    assert can_cu[0].text == "Căn cứ Điều lệ Công đoàn Việt Nam;"


def test_decision_article_1_counts(out, result):
    n, m = len(result.in_decision(COLLECTIVE)), len(result.in_decision(INDIVIDUAL))
    assert (n, m) == (6, 20)
    body = text(decision(out))
    assert ("Điều 1. Tặng Bằng khen của Ban Chấp hành Liên đoàn Lao động tỉnh cho 06 tập thể và 20 cá nhân "
            "đã có thành tích xuất sắc") in body
    assert "(có danh sách kèm theo)" in body


def test_decision_article_2_money(out, result):
    award = result.campaign.award
    n, m = len(result.in_decision(COLLECTIVE)), len(result.in_decision(INDIVIDUAL))
    total = award.per_collective * n + award.per_individual * m
    assert total == 47_680_000
    body = text(decision(out))
    assert "Mỗi tập thể được thưởng 2.980.000 đồng; mỗi cá nhân được thưởng 1.490.000 đồng." in body
    assert (f"Tổng số tiền thưởng là: {money(total)} đồng (Bằng chữ: {money_words(total)})." in body)
    assert "(Bằng chữ: Bốn mươi bảy triệu sáu trăm tám mươi nghìn đồng)" in body
    assert "Tiền thưởng được trích từ kinh phí khen thưởng của Liên đoàn Lao động tỉnh năm 2020." in body


def test_decision_ten_collectives_total_in_words(tmp_path):
    result = factory.big_result(10, individuals=0, findings_per_unit=0)
    write_drafts(result, tmp_path)
    body = text(decision(tmp_path))
    assert "cho 10 tập thể đã có thành tích" in body
    assert "Tổng số tiền thưởng là: 29.800.000 đồng (Bằng chữ: Hai mươi chín triệu tám trăm nghìn đồng)." in body


def test_decision_article_3_and_signature(out):
    lines = blocks(decision(out))
    article3 = next(line for line in lines if line.startswith("Điều 3."))
    assert article3.endswith("chịu trách nhiệm thi hành Quyết định này./.")
    assert "Văn phòng, Ban Chính sách pháp luật và Quan hệ lao động" in article3
    signature = next(line for line in lines if line.startswith("Nơi nhận:"))
    left, right = signature.split(" | ")
    assert left.splitlines() == ["Nơi nhận:", "- Như Điều 3;", "- Thường trực LĐLĐ tỉnh;", "- Các Ban LĐLĐ tỉnh;",
                                 "- LĐLĐ huyện, thành phố, CĐN, CĐVC;", "- Lưu: VT, CSPL&QHLĐ."]
    right_lines = [r for r in right.splitlines() if r]
    assert right_lines == ["TM. BAN THƯỜNG VỤ", "PHÓ CHỦ TỊCH", "Hoàng Văn Trinh"]


def test_decision_annex_in_roster_order(out, result):
    lines = blocks(decision(out))
    start = lines.index("DANH SÁCH TẬP THỂ, CÁ NHÂN ĐƯỢC TẶNG BẰNG KHEN")
    assert lines[start + 1] == ("(Kèm theo Quyết định số      /QĐ-LĐLĐ ngày …/12/2020 của Ban Thường vụ LĐLĐ "
                                "tỉnh Lai Châu)")
    collectives_table, people_table = tables(decision(out))[-2:]
    assert collectives_table[0] == ["STT", "Tên tập thể", "Đơn vị đề nghị"]
    expected = [(str(i), n.name, result.campaign.roster.get(n.unit).name)
                for i, n in enumerate(result.in_decision(COLLECTIVE), start=1)]
    assert [tuple(row) for row in collectives_table[1:]] == expected
    assert people_table[0] == ["STT", "Họ và tên", "Chức vụ - Đơn vị công tác"]
    people = [row for row in people_table[1:] if len(row) == 3]
    headings = [row[0] for row in people_table[1:] if len(row) == 1]
    assert [row[1] for row in people] == [n.name for n in result.in_decision(INDIVIDUAL)]
    assert [row[0] for row in people] == [str(i) for i in range(1, 21)]
    assert [row[2] for row in people][:2] == ["Chủ tịch Công đoàn - Sở Tài nguyên và Môi trường",
                                              "Phó Chủ tịch Công đoàn - Sở Tư pháp"]
    assert headings == ["Liên đoàn Lao động thành phố Lai Châu", "Liên đoàn Lao động huyện Tam Đường",
                        "Liên đoàn Lao động huyện Sìn Hồ", "Liên đoàn Lao động huyện Tân Uyên",
                        "Công đoàn Viên chức tỉnh"]
    assert "Danh sách có 6 tập thể và 20 cá nhân./." in lines


def test_decision_leaves_out_held_out_rows(out):
    body = text(decision(out))
    for name in [*factory.OVER_QUOTA_PEOPLE, factory.ERROR_PERSON]:
        assert name not in body


def test_special_characters_survive(out):
    body = text(decision(out))
    assert factory.AMP_COLLECTIVE in body
    assert f"Giáo viên - {factory.AMP_WORKPLACE}" in body
    letter = text(out / "phan_hoi" / "tam-duong.docx")
    assert factory.AMP_COLLECTIVE in letter and factory.AMP_WORKPLACE in letter
    with zipfile.ZipFile(decision(out)) as z:
        xml = z.read("word/document.xml").decode()
    assert "Bản Bo &amp; Khun Há &lt;điểm trường chính&gt;" in xml


def test_decision_layout(out):
    document = docx.Document(str(decision(out)))
    section = document.sections[0]
    assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297
    assert 20 <= round(section.top_margin.mm) <= 25 and 20 <= round(section.bottom_margin.mm) <= 25
    assert 30 <= round(section.left_margin.mm) <= 35 and 15 <= round(section.right_margin.mm) <= 20
    normal = document.styles["Normal"]
    assert normal.font.name == "Times New Roman"
    body = document.styles["Draft Body"]
    assert 13 <= (body.font.size or normal.font.size).pt <= 14
    assert 1.0 <= body.paragraph_format.first_line_indent.cm <= 1.27
    # header and signature tables have no borders
    for table in (document.tables[0], document.tables[1]):
        borders = table._tbl.tblPr.find(qn("w:tblBorders"))
        assert borders is not None and {b.get(qn("w:val")) for b in borders} == {"nil"}
    annex = next(p for p in document.paragraphs if p.text.startswith("DANH SÁCH TẬP THỂ"))
    assert annex.paragraph_format.page_break_before
    assert all(run.bold for run in annex.runs)


def test_no_one_in_decision(tmp_path):
    result = factory.build(factory.load_campaign(), [])
    write_drafts(result, tmp_path)
    body = text(decision(tmp_path))
    assert "cho 0 tập thể và 0 cá nhân" in body
    assert "Không có tập thể nào đủ điều kiện." in body and "Không có cá nhân nào đủ điều kiện." in body
    assert "Tổng số tiền thưởng là: 0 đồng (Bằng chữ: Không đồng)." in body
    assert not (tmp_path / "phan_hoi").exists() or not list((tmp_path / "phan_hoi").iterdir())


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="needs poppler")
def test_decision_pdf_has_annex_on_its_own_page(out, tmp_path):
    from helpers import soffice_convert

    pdf = soffice_convert(decision(out), "pdf", tmp_path)
    pages = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True,
                           text=True).stdout.split("\f")
    pages = [p for p in pages if p.strip()]
    assert len(pages) >= 2
    annex_page = next(i for i, p in enumerate(pages) if "DANH SÁCH TẬP THỂ, CÁ NHÂN" in p)
    assert annex_page >= 1
    assert not any("Điều 3." in p for p in pages[annex_page:])
    assert "Hoàng Văn Trinh" in "".join(pages[:annex_page])


# ---------------------------------------------------------------- the submission

def test_submission(out, result):
    lines = blocks(submission(out))
    body = "\n".join(lines)
    assert "Số:      /TTr-LĐLĐ" in lines[1]
    assert "BAN CSPL&QHLĐ" in lines[0]
    assert "TỜ TRÌNH" in lines
    assert "Kính gửi: Ban Thường vụ LĐLĐ tỉnh Lai Châu" in lines
    # Than Uyên sent a file that cannot be used: it is never counted as having sent nothing.
    assert ("Số đơn vị được phân bổ chỉ tiêu: 11; đã gửi hồ sơ: 7, trong đó 6 đơn vị có hồ sơ dùng được để "
            "tổng hợp và 1 đơn vị đã gửi nhưng chưa dùng được; chưa gửi hồ sơ: 4.") in body
    summary = tables(submission(out))[1]
    assert summary[0] == ["STT", "Đơn vị", "Chỉ tiêu (TT/CN)", "Đề nghị (TT/CN)", "Đưa vào dự thảo QĐ (TT/CN)",
                          "Ghi chú"]
    rows = {row[1]: row for row in summary[1:]}
    assert [row[1] for row in summary[1:-1]] == [u.name for u in result.campaign.roster]
    assert rows["Liên đoàn Lao động huyện Phong Thổ"][2:5] == ["1/4", "1/5", "1/0"]
    assert rows["Liên đoàn Lao động huyện Phong Thổ"][5] == "Chỉ tiêu 04 cá nhân, đề nghị 05: vượt 01"
    # "Đạt yêu cầu" only where nothing was found; otherwise each fact in words
    assert rows["Liên đoàn Lao động huyện Tam Đường"][5] == "Không có biên bản họp xét"
    assert rows["Liên đoàn Lao động huyện Sìn Hồ"][5] == ("Chỉ tiêu 04 cá nhân, đề nghị 03; 01 đề nghị có lỗi (xem mục "
                                                          "2); gửi lại hồ sơ, dùng tệp nhận ngày 17/12/2020")
    assert [row[1] for row in summary[1:-1] if row[5] == "Đạt yêu cầu"] == [
        "Liên đoàn Lao động thành phố Lai Châu", "Công đoàn Viên chức tỉnh"]
    assert rows["Liên đoàn Lao động huyện Mường Tè"][3:] == ["—", "0/0", "Chưa gửi hồ sơ"]
    assert rows["Liên đoàn Lao động huyện Than Uyên"][5] == "Đã gửi 1 tệp nhưng chưa dùng được: không mở được tệp"
    assert rows["Liên đoàn Lao động huyện Tân Uyên"][5] == ("Nhận ngày 21/12/2020, sau hạn 20/12/2020; chỉ tiêu 04 cá "
                                                            "nhân, đề nghị 02")
    assert rows["Tổng cộng"][2:5] == ["11/50", "6/26", "6/20"]
    held = [line for line in lines if line.startswith("- ")]
    assert held[0] == ("- Liên đoàn Lao động huyện Phong Thổ: 05 cá nhân chưa đưa vào dự thảo (chỉ tiêu 04 cá nhân, "
                       "đề nghị 05: vượt 01; chờ đơn vị chọn lại).")
    assert held[1] == ("- Liên đoàn Lao động huyện Sìn Hồ: 01 cá nhân chưa đưa vào dự thảo: Pờ Xé Mé (trang “Cá nhân”, "
                       "dòng 4): tỷ lệ phiếu đồng ý 40%, chưa đạt trên 50%.")
    assert "Có lỗi cần sửa ở dòng này" not in body
    # who the decision honours, counted from the lists (factory: 14 women, 16 of an ethnic minority)
    assert "Trong 20 cá nhân được đề nghị khen thưởng có 14 nữ và 16 người dân tộc thiểu số." in lines
    assert "- Liên đoàn Lao động huyện Mường Tè: chưa gửi hồ sơ." in held
    assert ("quyết định tặng Bằng khen của Ban Chấp hành Liên đoàn Lao động tỉnh cho 06 tập thể và 20 cá nhân"
            in body)
    assert "Tổng số tiền thưởng: 47.680.000 đồng (Bằng chữ: Bốn mươi bảy triệu sáu trăm tám mươi nghìn đồng)" in body
    assert lines[-1] == ""  # the closing paragraph after the signature table
    assert "TRƯỞNG BAN" in lines[-2] and lines[-2].endswith("………………………………")   # no name given: a dotted line


# ---------------------------------------------------------------- the letters

def test_letter_lists_each_finding(out, result):
    for ur in letters.letter_units(result):
        letter = out / "phan_hoi" / f"{ur.unit.id}.docx"
        lines = blocks(letter)
        body = "\n".join(lines)
        assert f"Kính gửi: {ur.unit.name}" in lines
        for finding in letters.unit_findings(result, ur):
            if finding.code == "row-not-nomination":   # said in one sentence, not as something to fix
                continue
            row = next((line for line in lines if finding.message in line), None)
            assert row is not None, (ur.unit.id, finding.code)
            if finding.place:
                assert finding.place in row
            if finding.value:   # as a person reads it: a receiving time never in ISO form
                assert finding_value(finding, result.campaign) in row and "T08:00" not in row
        for file in letters.unit_files(result, ur):
            assert f"Tệp “{file.path}”" in body


def test_letter_with_errors(out):
    lines = blocks(out / "phan_hoi" / "sin-ho.docx")
    body = "\n".join(lines)
    assert "Hồ sơ có 01 lỗi phải sửa và 02 cảnh báo cần xem lại, cụ thể như sau:" in lines
    assert ("1 | Lỗi | Cá nhân!I4 | 40 | Tỷ lệ phiếu đồng ý 40% không lớn hơn ngưỡng 50%. Kiểm tra lại biên bản "
            "họp xét hoặc bỏ đề nghị này.") in lines
    assert "3 | Cảnh báo | Cả tệp “sin_ho.xlsx” |" in body
    assert "- Tệp “sin_ho.xlsx”, nhận lúc 09:30 ngày 16/12/2020: không dùng, vì đơn vị đã gửi tệp mới hơn." in lines
    assert "- Tệp “sin_ho_v2.xlsx”, nhận lúc 09:30 ngày 17/12/2020: đã dùng để tổng hợp." in lines
    assert "- Cá nhân: Lò Văn Tiến (Chi cục trưởng - Chi cục Thuế huyện Sìn Hồ)." in lines
    assert f"- Cá nhân: {factory.ERROR_PERSON} (Nhân viên - Chi cục Thuế huyện Sìn Hồ) [trang “Cá nhân”, dòng 4]: " \
           "tỷ lệ phiếu đồng ý 40%, chưa đạt trên 50%." in lines
    # the run (22/12/2020) is after the deadline: corrections are due three days on, never "before 20/12"
    assert "chậm nhất ngày 25/12/2020" in body and "luonghaldld@gmail.com" in body
    assert "20/12/2020" not in body.split("3. Nội dung cần sửa")[1]


def test_letter_over_quota(out):
    body = text(out / "phan_hoi" / "phong-tho.docx")
    assert "Đưa vào dự thảo Quyết định khen thưởng: 01 tập thể, 0 cá nhân." in body
    for name in factory.OVER_QUOTA_PEOPLE:
        assert f"Cá nhân: {name}" in body
    assert body.count("chỉ tiêu 04 cá nhân, đề nghị 05: vượt 01; chờ đơn vị chọn lại") == 5


def test_letter_nothing_to_fix(out):
    body = text(out / "phan_hoi" / "cdvc-tinh.docx")
    assert "Hồ sơ của đơn vị hợp lệ, không có nội dung nào cần sửa, bổ sung." in body
    assert "Đơn vị không phải gửi lại hồ sơ." in body
    assert "Nội dung cần sửa |" not in body  # no findings table


def test_letter_rejected_file(out):
    body = text(out / "phan_hoi" / "than-uyen.docx")
    assert "Đơn vị đề nghị: chưa có tệp hồ sơ dùng được." in body
    assert "| Lỗi | Cả tệp “than_uyen.xls” |  | Không mở được tệp" in body
    assert "nhận lúc 23:50 ngày 20/12/2020: không dùng được: không mở được tệp (xem mục 3)." in body


def test_letter_text_cleaned(tmp_path):
    """Control characters a workbook may hold are dropped; a line break stays a line break."""
    c = factory.load_campaign()
    p = "x.xlsx"
    sent = [factory.Sent("tam-duong", p, received_at=factory.received(10), collectives=[
        factory.collective(p, 2, "Công đoàn\x0b xã\x00 Bình Lư")], findings=[
        Finding("invalid-value", "Dòng một.\nDòng hai.", file=p, unit="tam-duong", sheet="Cá nhân", cell="D7",
                value="19x0")])]
    write_drafts(factory.build(c, sent), tmp_path)
    assert "Công đoàn xã Bình Lư" in text(decision(tmp_path))
    assert "Dòng một.\nDòng hai." in text(tmp_path / "phan_hoi" / "tam-duong.docx")


# ---------------------------------------------------------------- templates

def _rewrite(src: Path, dst: Path, *replacements: tuple[str, str]) -> Path:
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename == "word/document.xml":
                xml = data.decode("utf-8")
                for old, new in replacements:
                    assert old in xml, old
                    xml = xml.replace(old, new)
                data = xml.encode("utf-8")
            zout.writestr(info, data)
    return dst


def test_shipped_templates_are_valid():
    check_templates()
    check_templates(None)


def test_committed_templates_are_up_to_date(tmp_path):
    """`python -m thidua_batch.documents.docx_templates` reproduces the committed templates."""
    build_templates(tmp_path)
    for name in TEMPLATE_FILES:
        with zipfile.ZipFile(TEMPLATES_DIR / name) as a, zipfile.ZipFile(tmp_path / name) as b:
            assert a.namelist() == b.namelist()
            for member in a.namelist():
                assert a.read(member) == b.read(member), (name, member)


@pytest.mark.parametrize("old, new, named", [
    ("{{ decision.total_words }}", "{{ decision.totl_words }}", "decision.totl_words"),
    ("{{ award.name }}", "{{ awrd.name }}", "awrd"),
    ("{{ row.name }}", "{{ row.nmae }}", "row.nmae"),
    ("{{ group.unit }}", "{{ group.unit.name }}", "group.unit.name"),
])
def test_misspelled_variable_is_named(tmp_path, old, new, named):
    _rewrite(TEMPLATES_DIR / "quyet_dinh_tpl.docx", tmp_path / "quyet_dinh_tpl.docx", (old, new))
    with pytest.raises(WordTemplateError) as caught:
        check_templates(tmp_path)
    message = str(caught.value)
    assert f"“{named}”" in message and "quyet_dinh_tpl.docx" in message
    with pytest.raises(WordTemplateError):
        write_drafts(factory.sample_result(), tmp_path / "out", tmp_path)
    assert not (tmp_path / "out" / "du_thao_quyet_dinh_khen_thuong.docx").exists()


def test_misspelling_suggests_the_right_name(tmp_path):
    _rewrite(TEMPLATES_DIR / "phan_hoi_tpl.docx", tmp_path / "phan_hoi_tpl.docx",
             ("{{ letter.unit_name }}", "{{ letter.unitname }}"))
    with pytest.raises(WordTemplateError, match="có phải “letter.unit_name”"):
        check_templates(tmp_path)


def test_template_syntax_error(tmp_path):
    _rewrite(TEMPLATES_DIR / "to_trinh_tpl.docx", tmp_path / "to_trinh_tpl.docx",
             ("{%p endfor %}", "{%p endfr %}"))
    with pytest.raises(WordTemplateError, match="to_trinh_tpl.docx") as caught:
        check_templates(tmp_path)
    message = str(caught.value)   # Jinja's English said in Vietnamese for the clerk who edited it
    assert "gặp thẻ “endfr” trong khi khối “for” chưa đóng (cần một trong các thẻ “endfor”, “else”)" in message
    assert "Encountered" not in message and "Jinja was looking" not in message


@pytest.mark.parametrize("source, said", [
    ("{% for a in b %}x", "mẫu hết mà khối “for” chưa đóng (thiếu một trong các thẻ “endfor”, “else”)"),
    ("{{ a }", "dấu “}” đặt sai chỗ"),
    ("{% endif %}", "thẻ “endif” không có khối nào mở trước nó"),
    ("{{ a b }}", "cần “}}” mà gặp “b”"),
    ("{{ a | khong_co }}", "không có bộ lọc “khong_co”"),
])
def test_jinja_messages_are_said_in_vietnamese(source, said):
    import jinja2
    from thidua_batch.documents.word import jinja_words
    with pytest.raises(jinja2.TemplateError) as caught:
        jinja2.Environment().from_string(source)
    assert said in jinja_words(caught.value)


def test_missing_templates_dir(tmp_path):
    with pytest.raises(WordTemplateError, match="Không tìm thấy thư mục mẫu văn bản"):
        check_templates(tmp_path / "khong-co")


def test_not_a_docx(tmp_path):
    (tmp_path / "phan_hoi_tpl.docx").write_text("không phải Word")
    with pytest.raises(WordTemplateError, match="phan_hoi_tpl.docx"):
        check_templates(tmp_path)


def test_custom_template_is_used(result, tmp_path):
    _rewrite(TEMPLATES_DIR / "quyet_dinh_tpl.docx", tmp_path / "quyet_dinh_tpl.docx",
             ("QUYẾT ĐỊNH:", "QUYẾT ĐỊNH (mẫu của Văn phòng):"),
             ("{{ signer.name }}", "{{ signer.name|upper }} - {{ annex.individuals|length }} người"))
    check_templates(tmp_path)
    write_drafts(result, tmp_path / "out", tmp_path)
    body = text(decision(tmp_path / "out"))
    assert "QUYẾT ĐỊNH (mẫu của Văn phòng):" in body
    assert "HOÀNG VĂN TRINH - 20 người" in body
    assert "TỜ TRÌNH" in text(submission(tmp_path / "out"))  # the others from the package


def test_context_variables_listed():
    names = drafts.context_variables(drafts.BoardContext)
    assert "decision.total_words" in names and "annex.individual_groups[].rows[].detail" in names
    assert "letter.findings[].message" in drafts.context_variables(drafts.LetterContext)


# ---------------------------------------------------------------- speed

def test_letters_are_fast(tmp_path):
    """The later issue: 1,000-3,000 units, one letter each, within seconds."""
    result = factory.big_result(300)
    started = time.perf_counter()
    paths = write_drafts(result, tmp_path)
    elapsed = time.perf_counter() - started
    assert len(paths) == 302
    assert elapsed < 10, elapsed


def test_a_misnamed_custom_template_is_refused(tmp_path):
    (tmp_path / "quyet_dinh_tlp.docx").write_bytes(b"")
    (tmp_path / "quyetdinh_tpl.docx").write_bytes(b"")
    with pytest.raises(drafts.WordTemplateError, match="quyetdinh_tpl.docx"):
        drafts.check_templates(tmp_path)


# ---------------------------------------------------------------- the listing characters' pre-check

def _compact_template(path: Path) -> Path:
    """A one-paragraph template whose XML has no line break between its tags (as the shipped ones)."""
    from lxml import etree
    template = docx.Document()
    template.add_paragraph("Nội dung: {{ text }}")
    template.save(path)
    with zipfile.ZipFile(path) as z:
        parts = {name: z.read(name) for name in z.namelist()}
    root = etree.fromstring(parts["word/document.xml"], etree.XMLParser(remove_blank_text=True))
    parts["word/document.xml"] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    with zipfile.ZipFile(path, "w") as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return path


@pytest.mark.parametrize("typed", ["Một dòng, không tab", "Dòng một\nDòng hai\tsau tab", "chuông\acuối\ftrang"])
def test_a_tab_or_line_break_typed_still_becomes_words_tab_or_break(tmp_path, typed):
    """word._has_listing_char lets a document with no tab, line break, bell or form feed anywhere skip
    docxtpl's listing pass; one with any of them still gets it (a Word tab, a Word line break)."""
    from thidua_batch.documents.word import CompiledTemplate, _has_listing_char
    compiled = CompiledTemplate(_compact_template(tmp_path / "t_tpl.docx"))
    (name, template), = compiled.parts
    rendered = template.render({"text": typed}).replace("\n<w:p ", "<w:p ").replace("\n<w:p>", "<w:p>")
    plain = typed == "Một dòng, không tab"
    assert _has_listing_char(rendered) is not plain         # the plain letter skips the pass
    (tmp_path / "out.docx").write_bytes(compiled.render({"text": typed}))
    xml = zipfile.ZipFile(tmp_path / "out.docx").read(name).decode("utf-8")
    assert ("<w:br/>" in xml) is ("\n" in typed) and ("<w:tab/>" in xml) is ("\t" in typed)
    texts = "".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", xml))
    assert not any(c in texts for c in "\t\n\a\f")        # none left raw inside a text run
    assert docx.Document(str(tmp_path / "out.docx")).paragraphs[0].text.startswith("Nội dung: ")
    if plain:
        assert texts == "Nội dung: Một dòng, không tab"


def test_a_letter_windows_cannot_name_stops_the_set_before_anything_is_replaced(tmp_path):
    """write_drafts writes straight into the set's temporary folder; a letter whose name Windows refuses
    (a device name) is still refused by name, as atomic_path refused it, and nothing is put in place."""
    import dataclasses as dc
    from thidua_batch.common.atomic import OutputBlocked
    result = factory.sample_result()
    result.units[0].unit = dc.replace(result.units[0].unit, id="CON")
    out = tmp_path / "out"
    with pytest.raises(OutputBlocked, match="trùng tên thiết bị của Windows"):
        write_drafts(result, out)
    assert [p.name for p in out.rglob("*") if p.is_file()] == []
