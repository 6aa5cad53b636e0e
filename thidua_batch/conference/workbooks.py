"""danh_sach_dai_bieu.xlsx (conference.md): the delegates by group, the check-in sheet, those from
afar, the counts. Written with xlsxwriter like the consolidated workbook: every text through
`write_string`, so a name typed "=…" stays text."""
from __future__ import annotations

from pathlib import Path

import xlsxwriter

from ..common.atomic import atomic_path
from .config import Conference
from .delegates import Delegate

SHEET_ALL, SHEET_SIGN, SHEET_FAR, SHEET_COUNTS = "Đại biểu", "Ký tên", "Ở xa", "Tổng hợp"
_ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII", "XIV", "XV")


def row_height(cells: list[tuple[str, float]], minimum: float = 16.0) -> float:
    """A row tall enough for its wrapped texts ((text, column width)): neither xlsxwriter nor
    LibreOffice grows a row when the file is opened."""
    lines = 1
    for text, width in cells:
        per_line = max(width * 1.1, 1)
        lines = max(lines, sum(max(1, -(-len(part) // int(per_line))) for part in str(text).split("\n")))
    return max(minimum, 16.0 * lines)


class _Formats:
    def __init__(self, book):
        base = {"font_name": "Times New Roman", "font_size": 12, "valign": "vcenter"}
        self.title = book.add_format({**base, "bold": True, "font_size": 14, "align": "center"})
        self.subtitle = book.add_format({**base, "italic": True, "align": "center", "text_wrap": True})
        self.head = book.add_format({**base, "bold": True, "border": 1, "align": "center", "text_wrap": True,
                                     "bg_color": "#DDEBF7"})
        self.cell = book.add_format({**base, "border": 1, "text_wrap": True})
        self.center = book.add_format({**base, "border": 1, "align": "center"})
        self.group = book.add_format({**base, "border": 1, "bold": True, "bg_color": "#F2F2F2"})
        self.total = book.add_format({**base, "border": 1, "bold": True})
        self.total_center = book.add_format({**base, "border": 1, "bold": True, "align": "center"})


def _sheet(book, fmt, name: str, title: str, subtitle: str, columns: list[tuple[str, int]], landscape: bool):
    ws = book.add_worksheet(name)
    last = len(columns) - 1
    ws.merge_range(0, 0, 0, last, title, fmt.title)
    ws.merge_range(1, 0, 1, last, subtitle, fmt.subtitle)
    ws.set_row(1, 32)
    for c, (label, width) in enumerate(columns):
        ws.set_column(c, c, width)
        ws.write_string(3, c, label, fmt.head)
    ws.repeat_rows(3)            # the header on every printed page
    ws.freeze_panes(4, 0)
    ws.set_paper(9)              # A4
    if landscape:
        ws.set_landscape()
    ws.fit_to_pages(1, 0)
    ws.set_margins(left=0.6, right=0.4, top=0.6, bottom=0.6)
    ws.set_footer("&CTrang &P/&N")
    return ws


def write_delegates_list(conference: Conference, delegates: list[Delegate], path: Path) -> Path:
    subtitle = f"{conference.name}\n{conference.venue}, ngày {conference.date:%d/%m/%Y}"
    with atomic_path(path) as tmp:
        book = xlsxwriter.Workbook(str(tmp), {"strings_to_formulas": False, "strings_to_numbers": False})
        fmt = _Formats(book)
        groups = [g for g in conference.groups if any(d.group == g for d in delegates)]
        _all(book, fmt, subtitle, groups, delegates)
        _sign(book, fmt, subtitle, groups, delegates)
        _far(book, fmt, subtitle, delegates)
        _counts(book, fmt, subtitle, conference, delegates)
        book.close()
    return Path(path)


def _all(book, fmt, subtitle, groups, delegates) -> None:
    ws = _sheet(book, fmt, SHEET_ALL, "DANH SÁCH ĐẠI BIỂU MỜI DỰ HỘI NGHỊ", subtitle,
                [("STT", 6), ("Họ và tên", 24), ("Giới tính", 8), ("Chức vụ", 30), ("Cơ quan, đơn vị", 36),
                 ("Điện thoại", 14), ("Email", 26), ("Ở xa", 7), ("Hình thức mời", 14), ("Nguồn", 30)], True)
    row = 4
    for g, group in enumerate(groups):
        members = [d for d in delegates if d.group == group]
        ws.merge_range(row, 0, row, 9, f"{_ROMAN[g] if g < len(_ROMAN) else g + 1}. {group} ({len(members)})",
                       fmt.group)
        row += 1
        for i, d in enumerate(members, 1):
            ws.write_number(row, 0, i, fmt.center)
            texts = (d.name, d.gender, d.position, d.organisation, d.phone, d.email, "Có" if d.far else "",
                     "Mời đích danh" if d.personal else "Mời cơ quan", d.source)
            for c, text in enumerate(texts, 1):
                ws.write_string(row, c, text, fmt.center if c in (2, 7) else fmt.cell)
            ws.set_row(row, row_height([(d.name, 24), (d.position, 30), (d.organisation, 36), (d.source, 30)]))
            row += 1


def _sign(book, fmt, subtitle, groups, delegates) -> None:
    ws = _sheet(book, fmt, SHEET_SIGN, "DANH SÁCH ĐẠI BIỂU DỰ HỘI NGHỊ (KÝ TÊN)", subtitle,
                [("STT", 6), ("Họ và tên", 26), ("Chức vụ", 28), ("Cơ quan, đơn vị", 34), ("Ký tên", 18)], False)
    row = 4
    stt = 0
    for group in groups:
        ws.merge_range(row, 0, row, 4, group, fmt.group)
        row += 1
        for d in (d for d in delegates if d.group == group):
            stt += 1
            ws.set_row(row, row_height([(d.name, 26), (d.position, 28), (d.organisation, 34)], minimum=30))
            ws.write_number(row, 0, stt, fmt.center)
            ws.write_string(row, 1, d.name, fmt.cell)
            ws.write_string(row, 2, d.position, fmt.cell)
            ws.write_string(row, 3, d.organisation, fmt.cell)
            ws.write_string(row, 4, "", fmt.cell)
            row += 1


def _far(book, fmt, subtitle, delegates) -> None:
    ws = _sheet(book, fmt, SHEET_FAR, "DANH SÁCH ĐẠI BIỂU Ở XA CẦN BỐ TRÍ NƠI NGHỈ", subtitle,
                [("STT", 6), ("Họ và tên", 24), ("Giới tính", 8), ("Chức vụ", 26), ("Cơ quan, đơn vị", 34),
                 ("Điện thoại", 14), ("Nơi nghỉ", 20), ("Ghi chú", 16)], True)
    for i, d in enumerate((d for d in delegates if d.far), 1):
        row = 3 + i
        ws.write_number(row, 0, i, fmt.center)
        for c, text in enumerate((d.name, d.gender, d.position, d.organisation, d.phone, "", ""), 1):
            ws.write_string(row, c, text, fmt.center if c == 2 else fmt.cell)
        ws.set_row(row, row_height([(d.name, 24), (d.position, 26), (d.organisation, 34)]))


def _counts(book, fmt, subtitle, conference: Conference, delegates) -> None:
    ws = _sheet(book, fmt, SHEET_COUNTS, "TỔNG HỢP SỐ LƯỢNG ĐẠI BIỂU", subtitle,
                [("STT", 6), ("Nhóm đại biểu", 36), ("Số đại biểu", 12), ("Trong đó ở xa", 12)], False)
    row = 4
    for i, group in enumerate(conference.groups, 1):
        members = [d for d in delegates if d.group == group]
        ws.write_number(row, 0, i, fmt.center)
        ws.write_string(row, 1, group, fmt.cell)
        ws.write_number(row, 2, len(members), fmt.center)
        ws.write_number(row, 3, sum(d.far for d in members), fmt.center)
        row += 1
    ws.write_string(row, 0, "", fmt.total)
    ws.write_string(row, 1, "Tổng cộng", fmt.total)
    for c, value in ((2, len(delegates)), (3, sum(d.far for d in delegates))):
        col = "CD"[c - 2]
        ws.write_formula(row, c, f"=SUM({col}5:{col}{row})", fmt.total_center, value)
