"""Printed awards (register.md): PDFs read back with poppler, the receipt workbook, layouts."""
from __future__ import annotations

import datetime as dt
import re
import subprocess
import unicodedata
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from thidua_batch.certificates import LayoutError, load_layout, write_certificates
from thidua_batch.cli import main
from thidua_batch.register.model import Awardee, Decision
from thidua_batch.register.store import open_register

LONG_COLLECTIVE = "Công đoàn cơ sở Trường Phổ thông Dân tộc bán trú Trung học cơ sở Pa Vệ Sủ"
PEOPLE = [("Lò Thị Ngọc Ánh", "Nữ", 1990, "Giáo viên", "Trường Tiểu học Bum Nưa"),
          ("Giàng A Páo", "Nam", 1983, "Cán bộ Văn phòng", "UBND xã Pha Mu"),
          ("Tẩn Láo San", "Nam", 1981, "Chủ tịch Công đoàn cơ sở",
           "Ủy ban nhân dân xã Pắc Ta, huyện Tân Uyên, tỉnh Lai Châu, kiêm Trưởng ban Thanh tra nhân dân"),
          ("Hoàng Thị Thu Hường", "Nữ", 1975, "Kế toán", "Trung tâm Y tế huyện Sìn Hồ")]


def decision(**changes) -> Decision:
    awardees = [Awardee("collective", LONG_COLLECTIVE, 1, unit_id="muong-te",
                        unit_name="Liên đoàn Lao động huyện Mường Tè", money=2980000, certificate_no="BK-2020-0001")]
    for i, (name, gender, year, position, workplace) in enumerate(PEOPLE, 2):
        awardees.append(Awardee("individual", name, i, gender, year, position, workplace, money=1490000,
                                 certificate_no=f"BK-2020-{i:04d}"))
    base = dict(number="123/QĐ-LĐLĐ", date=dt.date(2020, 12, 28), award="Bằng khen của Ban Chấp hành LĐLĐ tỉnh",
                year=2020, signer_title="PHÓ CHỦ TỊCH", signer_name="Hoàng Văn Trinh", on_behalf="TM. BAN THƯỜNG VỤ",
                place="Lai Châu", campaign_name="Cán bộ, công chức, viên chức thi đua thực hiện văn hóa công sở",
                awardees=tuple(awardees))
    return Decision(**{**base, **changes})


def poppler(*args: str) -> str:
    return subprocess.run(list(args), capture_output=True, text=True, check=True).stdout


def page_text(pdf: Path, page: int) -> str:
    text = poppler("pdftotext", "-f", str(page), "-l", str(page), "-layout", str(pdf), "-")
    return unicodedata.normalize("NFC", re.sub(r"\s+", " ", text))


def test_one_page_per_awardee_in_calling_order_fonts_embedded(tmp_path):
    paths = write_certificates(decision(), tmp_path, calibrate=True)
    assert [p.name for p in paths] == ["bang_khen.pdf", "danh_sach_ky_nhan.xlsx", "can_chinh.pdf"]
    pdf = tmp_path / "bang_khen.pdf"
    info = poppler("pdfinfo", str(pdf))
    assert re.search(r"Pages:\s+5\b", info)
    assert "1190.55 x 841.89 pts" in info   # A3 landscape, at actual size
    fonts = poppler("pdffonts", str(pdf)).splitlines()[2:]
    assert fonts and all(" yes yes yes " in line for line in fonts), fonts
    assert b"/PrintScaling /None" in pdf.read_bytes()
    first = page_text(pdf, 1)
    assert "Tập thể" in first and LONG_COLLECTIVE in first and "Liên đoàn Lao động huyện Mường Tè" in first
    assert "Số: BK-2020-0001" in first and "Quyết định số 123/QĐ-LĐLĐ ngày 28/12/2020" in first
    for page, (name, gender, *_rest) in enumerate(PEOPLE, 2):
        text = page_text(pdf, page)
        assert name in text and ("Bà" if gender == "Nữ" else "Ông") in text
        assert f"Số: BK-2020-{page:04d}" in text
        assert "Lai Châu, ngày 28 tháng 12 năm 2020" in text and "Hoàng Văn Trinh" in text
        assert not any(other[0] in text for other in PEOPLE if other[0] != name)
    assert re.search(r"Pages:\s+1\b", poppler("pdfinfo", str(tmp_path / "can_chinh.pdf")))


def test_long_text_shrinks_and_stays_inside_its_box(tmp_path):
    layout = load_layout()
    box = layout.boxes["detail"]
    write_certificates(decision(), tmp_path)
    html = poppler("pdftotext", "-f", "4", "-l", "4", "-bbox", str(tmp_path / "bang_khen.pdf"), "-")
    points = 72 / 25.4
    left, right = box.x_mm * points, (box.x_mm + box.width_mm) * points
    top, bottom = box.y_mm * points, (box.y_mm + box.height_mm) * points
    words = re.findall(r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]+)<', html)
    detail = [w for w in words if w[4] in ("Thanh", "tra", "Pắc", "Ủy")]
    assert detail
    for x0, y0, x1, y1, _ in detail:
        assert left - 1 <= float(x0) and float(x1) <= right + 1
        assert top - 2 <= float(y0) and float(y1) <= bottom + 2


def test_text_that_cannot_fit_names_the_awardee(tmp_path):
    long = decision(awardees=(Awardee("individual", "Lò Văn Pánh", 1, "Nam", 1979, "Giáo viên " * 80, "x"),))
    with pytest.raises(LayoutError, match="Lò Văn Pánh"):
        write_certificates(long, tmp_path)
    assert not (tmp_path / "bang_khen.pdf").exists()


def _layout_copy(tmp_path: Path, old: str, new: str) -> Path:
    from importlib import resources
    text = resources.files("thidua_batch").joinpath("certificates/data/bang_khen_a3.toml").read_text("utf-8")
    assert old in text
    path = tmp_path / "bố cục.toml"
    path.write_text(text.replace(old, new, 1), "utf-8")
    return path


def test_layout_errors_name_the_key_and_line(tmp_path):
    unknown = _layout_copy(tmp_path, "dy_mm = 0", "dy_mm = 0\ndz_mm = 1")
    with pytest.raises(LayoutError, match=r"\[offset\] dz_mm \(dòng \d+\)"):
        load_layout(unknown)
    off = _layout_copy(tmp_path, "[fields.name]\nx_mm = 60", "[fields.name]\nx_mm = 400")
    with pytest.raises(LayoutError, match=r"\[fields\.name\].*ngoài trang"):
        load_layout(off)
    shifted = _layout_copy(tmp_path, "dx_mm = 0", "dx_mm = 100")
    with pytest.raises(LayoutError, match="ngoài trang"):
        load_layout(shifted)
    font = _layout_copy(tmp_path, 'regular = ""', 'regular = "khong-co.ttf"')
    with pytest.raises(LayoutError, match=r"\[font\] regular"):
        load_layout(font)


def test_offset_moves_every_box(tmp_path):
    moved = _layout_copy(tmp_path, "dx_mm = 0", "dx_mm = 5")
    write_certificates(decision(), tmp_path / "a")
    write_certificates(decision(), tmp_path / "b", layout_path=moved)

    def x_of(pdf: Path, word: str) -> float:
        html = poppler("pdftotext", "-f", "2", "-l", "2", "-bbox", str(pdf), "-")
        return float(re.search(rf'xMin="([\d.]+)"[^>]*>{word}<', html).group(1))

    shift = x_of(tmp_path / "b" / "bang_khen.pdf", "Ánh") - x_of(tmp_path / "a" / "bang_khen.pdf", "Ánh")
    assert shift == pytest.approx(5 * 72 / 25.4, abs=0.2)


def test_receipt_sheet(tmp_path):
    write_certificates(decision(issuer="Ban Thường vụ LĐLĐ tỉnh Lai Châu"), tmp_path)
    wb = openpyxl.load_workbook(tmp_path / "danh_sach_ky_nhan.xlsx")
    ws = wb.active
    texts = [str(v) for row in ws.iter_rows(values_only=True) for v in row if v not in (None, "")]
    # the heading: organisation, national motto, a title naming the decision, its number and date
    assert texts[:4] == ["TỔNG LĐLĐ VIỆT NAM", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "LIÊN ĐOÀN LAO ĐỘNG TỈNH LAI CHÂU",
                         "Độc lập - Tự do - Hạnh phúc"]
    assert "DANH SÁCH KÝ NHẬN KHEN THƯỞNG" in texts
    assert ("(Kèm theo Quyết định số 123/QĐ-LĐLĐ ngày 28/12/2020 của Ban Thường vụ LĐLĐ tỉnh Lai Châu về việc tặng "
            "Bằng khen của Ban Chấp hành LĐLĐ tỉnh)") in texts
    rows = list(ws.iter_rows(min_row=8, values_only=True))
    assert [r[1] for r in rows[:5]] == [LONG_COLLECTIVE, *(p[0] for p in PEOPLE)]
    assert rows[5][0] == "Tổng cộng: 05 (01 tập thể, 04 cá nhân)" and rows[5][6] == "=SUM(G8:G12)"
    assert rows[6][0] == "Số tiền bằng chữ: Tám triệu chín trăm bốn mươi nghìn đồng."   # 2.980.000 + 4 × 1.490.000
    assert [r[7] for r in rows[:5]] == [f"BK-2020-{i:04d}" for i in range(1, 6)]
    assert "Lai Châu, ngày …… tháng …… năm ……" in texts
    assert [t for t in texts if t in ("NGƯỜI LẬP BIỂU", "KẾ TOÁN", "THỦ TRƯỞNG ĐƠN VỊ")] == [
        "NGƯỜI LẬP BIỂU", "KẾ TOÁN", "THỦ TRƯỞNG ĐƠN VỊ"]
    assert texts.count("(Ký, ghi rõ họ tên)") == 3
    assert ws.print_title_rows == "$7:$7"   # the header row repeated on each printed page
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.paperSize == 9
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToHeight == 0


def test_receipt_prints_on_one_page_wide_readable(tmp_path):
    """Rendered by LibreOffice: every column on the page, at a readable scale."""
    from helpers import soffice_convert

    write_certificates(decision(), tmp_path)
    pdf = soffice_convert(tmp_path / "danh_sach_ky_nhan.xlsx", "pdf", tmp_path / "pdf")
    assert re.search(r"Pages:\s+1\b", poppler("pdfinfo", str(pdf)))
    text = page_text(pdf, 1)
    for word in ("STT", "Ký nhận", "Số Bằng khen", "BK-2020-0005", "Tám triệu chín trăm bốn mươi nghìn đồng",
                 "NGƯỜI LẬP BIỂU", "THỦ TRƯỞNG ĐƠN VỊ", LONG_COLLECTIVE.split()[-1]):
        assert word in text, word
    # a 12 pt name printed at no less than 75% (a word's box is about 1.15 × the font size)
    html = poppler("pdftotext", "-bbox", str(pdf), "-")
    y0, y1 = map(float, re.search(r'yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">Hường<', html).groups())
    assert y1 - y0 >= 0.75 * 12 * 1.1, y1 - y0


def test_a_flag_is_a_list_not_a_certificate(tmp_path):
    flag = decision(award="Cờ thi đua của Ban Chấp hành LĐLĐ tỉnh", awardees=decision().awardees[:1])
    paths = write_certificates(flag, tmp_path)
    assert [p.name for p in paths] == ["danh_sach_co_thi_dua.pdf", "danh_sach_ky_nhan.xlsx"]
    assert LONG_COLLECTIVE in page_text(tmp_path / "danh_sach_co_thi_dua.pdf", 1)


def test_cli_numbers_once_and_keeps_them_on_reprint(tmp_path):
    register = tmp_path / "so.sqlite"
    with open_register(register) as book:
        book.record(decision(awardees=tuple(Awardee(**{**a.__dict__, "certificate_no": None})
                                            for a in decision().awardees)))
    runner = CliRunner()
    first = runner.invoke(main, ["certificates", "--decision", "123/QĐ-LĐLĐ", "--out", str(tmp_path / "in1"),
                                 "--register", str(register)])
    assert first.exit_code == 0, first.output
    assert "Actual size" in first.output
    again = runner.invoke(main, ["certificates", "--decision", "123/QĐ-LĐLĐ", "--out", str(tmp_path / "in2"),
                                 "--register", str(register)])
    assert again.exit_code == 0
    assert page_text(tmp_path / "in1" / "bang_khen.pdf", 3) == page_text(tmp_path / "in2" / "bang_khen.pdf", 3)
    assert "Số: BK-2020-0003" in page_text(tmp_path / "in2" / "bang_khen.pdf", 3)
    missing = runner.invoke(main, ["certificates", "--decision", "9/QĐ", "--out", str(tmp_path / "x"),
                                   "--register", str(register)])
    assert missing.exit_code == 2 and "Không có quyết định số" in missing.output


# ---------------------------------------------------------------- papers.md: never a blank name, never a lost number

def _unnumbered(**changes) -> Decision:
    base = decision(**changes)
    return replace_awardees(base, lambda a: {"certificate_no": None})


def replace_awardees(d: Decision, change) -> Decision:
    from dataclasses import replace
    return replace(d, awardees=tuple(replace(a, **change(a)) for a in d.awardees))


def test_a_character_the_font_cannot_draw_stops_naming_awardee_and_character(tmp_path):
    strange = replace_awardees(decision(), lambda a: {"name": "Lò Thị 李 Ánh"} if a.order == 2 else {})
    with pytest.raises(LayoutError, match=r"“Lò Thị 李 Ánh” \(số thứ tự 2\).*không có chữ “李” \(U\+674E\)"):
        write_certificates(strange, tmp_path)
    assert not list(tmp_path.glob("*.pdf")) and not list(tmp_path.glob("*.xlsx"))


def test_a_failed_print_gives_no_certificate_number(tmp_path):
    register = tmp_path / "so.sqlite"
    strange = replace_awardees(_unnumbered(), lambda a: {"name": "Giàng A 李"} if a.order == 3 else {})
    with open_register(register) as book:
        book.record(strange)
    before = register.read_bytes()
    result = CliRunner().invoke(main, ["certificates", "--decision", "123/QĐ-LĐLĐ", "--out", str(tmp_path / "in"),
                                       "--register", str(register)])
    assert result.exit_code == 2, result.output
    assert "Giàng A 李" in result.output and "U+674E" in result.output
    assert register.read_bytes() == before
    with open_register(register) as book:
        assert [a.certificate_no for a in book.decision("123/QĐ-LĐLĐ").awardees] == [None] * 5
    assert not (tmp_path / "in" / "bang_khen.pdf").exists()
    # a text too long for its box: the same, nothing numbered
    long = replace_awardees(_unnumbered(number="7/QĐ", award="Bằng khen"),
                            lambda a: {"position": "Giáo viên " * 80, "name": f"Người {a.order}"})
    with open_register(register) as book:
        book.record(long)
    result = CliRunner().invoke(main, ["certificates", "--decision", "7/QĐ", "--out", str(tmp_path / "in2"),
                                       "--register", str(register)])
    assert result.exit_code == 2 and "không đủ chỗ" in result.output
    with open_register(register) as book:
        assert {a.certificate_no for a in book.decision("7/QĐ").awardees} == {None}
    # a layout value that cannot be drawn: exit 2 with its key and line, nothing numbered
    bad = _layout_copy(tmp_path, "min_size = 11", "min_size = nan")
    result = CliRunner().invoke(main, ["certificates", "--decision", "7/QĐ", "--out", str(tmp_path / "in3"),
                                       "--layout", str(bad), "--register", str(register)])
    assert result.exit_code == 2 and re.search(r"\[font\] min_size \(dòng \d+\)", result.output)
    with open_register(register) as book:
        assert {a.certificate_no for a in book.decision("7/QĐ").awardees} == {None}
    assert not (tmp_path / "in3").exists()


@pytest.mark.parametrize("old, new, key", [
    ("[fields.name]\nx_mm = 60\ny_mm = 126\nwidth_mm = 300", "[fields.name]\nx_mm = 60\ny_mm = 126\nwidth_mm = nan",
     r"\[fields\.name\] width_mm \(dòng \d+\): giá trị “nan” phải là một số lớn hơn 0"),
    ("[fields.title]\nx_mm = 60\ny_mm = 112\nwidth_mm = 300\nheight_mm = 14\nsize = 26",
     "[fields.title]\nx_mm = 60\ny_mm = 112\nwidth_mm = 300\nheight_mm = 14\nsize = -26",
     r"\[fields\.title\] size \(dòng \d+\)"),
    ("[fields.title]\nx_mm = 60", "[fields.title]\nx_mm = inf", r"\[fields\.title\] x_mm \(dòng \d+\)"),
    ("width_mm = 420", "width_mm = 0", r"\[page\] width_mm \(dòng \d+\)"),
    ("min_size = 11", "min_size = -1", r"\[font\] min_size \(dòng \d+\)"),
    ("dx_mm = 0 ", "dx_mm = nan ", r"\[offset\] dx_mm \(dòng \d+\)"),
    ("năm {year}", "năm {nam}", r"\[fields\.achievement\] text \(dòng \d+\): không có chỗ điền “\{nam\}”"),
    ("năm {year}", "năm {year", r"\[fields\.achievement\] text \(dòng \d+\)"),
    ("[fields.name]\nx_mm = 60\ny_mm = 126\nwidth_mm = 300\nheight_mm = 18\nsize = 32\nbold = true\nitalic = false\n"
     "align = \"center\"\nshow = true", "[fields.name]\nx_mm = 60\ny_mm = 126\nwidth_mm = 300\nheight_mm = 18\n"
     "size = 32\nbold = true\nitalic = false\nalign = \"center\"\nshow = false", r"\[fields\.name\] show \(dòng \d+\)"),
    ("[fields.title]\nx_mm = 60", "[fields.title]\ntext = \"Ông\"\nx_mm = 60", r"\[fields\.title\] text \(dòng \d+\)"),
])
def test_layout_values_are_checked_before_drawing(tmp_path, old, new, key):
    with pytest.raises(LayoutError, match=key):
        load_layout(_layout_copy(tmp_path, old, new))


def test_a_layout_without_the_name_box_is_refused(tmp_path):
    from importlib import resources
    text = resources.files("thidua_batch").joinpath("certificates/data/bang_khen_a3.toml").read_text("utf-8")
    start = text.index("[fields.name]")
    path = tmp_path / "khong-ten.toml"
    path.write_text(text[:start] + text[text.index("[fields.detail]"):], "utf-8")
    with pytest.raises(LayoutError, match=r"\[fields\.name\].*phải in tên"):
        load_layout(path)


def test_the_calibration_page_speaks_vietnamese(tmp_path):
    write_certificates(decision(), tmp_path, calibrate=True)
    text = page_text(tmp_path / "can_chinh.pdf", 1)
    for words in ("Họ tên, tên tập thể: cách lề trái 60, cách mép trên 126, rộng 300, cao 18 (mm)",
                  "Số Bằng khen:", "Thành tích:", "Độ lệch máy in đang dùng: sang phải 0 mm, xuống dưới 0 mm"):
        assert words in text, words
    for english in ("x=", "width", "name:", "signer_", "place_date", "dx", "dy", "[offset]", "Actual size"):
        assert english not in text, english
