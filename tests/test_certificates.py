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
    write_certificates(decision(), tmp_path)
    wb = openpyxl.load_workbook(tmp_path / "danh_sach_ky_nhan.xlsx")
    ws = wb.active
    rows = list(ws.iter_rows(min_row=5, values_only=True))
    assert [r[1] for r in rows[:5]] == [LONG_COLLECTIVE, *(p[0] for p in PEOPLE)]
    assert rows[5][1] == "Tổng cộng" and rows[5][6].startswith("=SUM(")
    assert [r[7] for r in rows[:5]] == [f"BK-2020-{i:04d}" for i in range(1, 6)]
    assert ws.print_title_rows == "$4:$4"   # the header row repeated on each printed page
    assert ws.page_setup.orientation == "landscape"


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
