"""danh_sach_ky_nhan.xlsx: the receipt sheet awardees sign when they receive the award and money
(papers.md): the organisation's heading, a title naming the decision, the table, the total in
figures and words, the preparer's signature block with its date line; A4 landscape, every column
readable, the table header repeated on each printed page."""
from __future__ import annotations

from pathlib import Path

import xlsxwriter

from ..common.atomic import atomic_path
from ..documents.vnformat import money_words, two_digits
from ..register.model import COLLECTIVE, Decision

_COLUMNS = (("STT", 5), ("Họ và tên / Tên tập thể", 26), ("Đơn vị", 30), ("Hình thức khen thưởng", 22),
            ("Số quyết định", 14), ("Ngày quyết định", 11), ("Số tiền (đồng)", 13), ("Số Bằng khen", 13),
            ("Ký nhận", 16))
HEADER_ROW = 6          # 0-based: the table's header row (Excel row 7)
SIGNERS = ("NGƯỜI LẬP BIỂU", "KẾ TOÁN", "THỦ TRƯỞNG ĐƠN VỊ")


def write_receipt(decision: Decision, path: Path, organisation: tuple[str, str] = ("", "")) -> Path:
    """ORGANISATION: the heading's two lines ("TỔNG LĐLĐ VIỆT NAM", "LIÊN ĐOÀN LAO ĐỘNG TỈNH LAI CHÂU")."""
    with atomic_path(path) as tmp:
        book = xlsxwriter.Workbook(str(tmp), {"strings_to_formulas": False, "strings_to_numbers": False})
        ws = book.add_worksheet("Ký nhận")
        base = {"font_name": "Times New Roman", "font_size": 12, "valign": "vcenter"}
        f = {k: book.add_format({**base, **v}) for k, v in {
            "org": {"align": "center"}, "org_bold": {"align": "center", "bold": True},
            "title": {"bold": True, "align": "center", "font_size": 14},
            "sub": {"italic": True, "align": "center", "text_wrap": True},
            "head": {"bold": True, "border": 1, "align": "center", "text_wrap": True},
            "cell": {"border": 1, "text_wrap": True}, "center": {"border": 1, "align": "center", "text_wrap": True},
            "money": {"border": 1, "num_format": "#,##0"},
            "total": {"border": 1, "bold": True, "text_wrap": True},
            "total_money": {"border": 1, "bold": True, "num_format": "#,##0"},
            "words": {"italic": True, "text_wrap": True},
            "date": {"italic": True, "align": "center"}, "sign": {"bold": True, "align": "center"},
            "hint": {"italic": True, "align": "center", "font_size": 11},
        }.items()}
        last = len(_COLUMNS) - 1
        parent, name = organisation
        ws.merge_range(0, 0, 0, 2, parent, f["org"])
        ws.merge_range(1, 0, 1, 2, name, f["org_bold"])
        ws.merge_range(0, 4, 0, last, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", f["org_bold"])
        ws.merge_range(1, 4, 1, last, "Độc lập - Tự do - Hạnh phúc", f["org_bold"])
        ws.merge_range(3, 0, 3, last, "DANH SÁCH KÝ NHẬN KHEN THƯỞNG", f["title"])
        issuer = f" của {decision.issuer}" if decision.issuer else ""
        ws.merge_range(4, 0, 4, last, f"(Kèm theo Quyết định số {decision.number} ngày {decision.date:%d/%m/%Y}"
                                      f"{issuer} về việc tặng {decision.award})", f["sub"])
        ws.set_row(4, 34)
        for c, (label, width) in enumerate(_COLUMNS):
            ws.set_column(c, c, width)
            ws.write_string(HEADER_ROW, c, label, f["head"])
        ws.set_row(HEADER_ROW, 32)
        row = HEADER_ROW + 1
        for awardee in decision.awardees:
            unit = awardee.unit_name if awardee.kind == COLLECTIVE else (awardee.workplace or awardee.unit_name)
            ws.write_number(row, 0, awardee.order, f["center"])
            for c, value in enumerate((awardee.name, unit, decision.award, decision.number,
                                       decision.date.strftime("%d/%m/%Y")), 1):
                ws.write_string(row, c, value, f["center"] if c >= 4 else f["cell"])
            ws.write_number(row, 6, awardee.money, f["money"])
            ws.write_string(row, 7, awardee.certificate_no or "", f["center"])
            ws.write_string(row, 8, "", f["cell"])
            ws.set_row(row, _height(awardee.name, unit, decision.award))
            row += 1
        collectives = sum(a.kind == COLLECTIVE for a in decision.awardees)
        individuals = len(decision.awardees) - collectives
        total = sum(a.money for a in decision.awardees)
        ws.merge_range(row, 0, row, 5, f"Tổng cộng: {two_digits(len(decision.awardees))} "
                                       f"({two_digits(collectives)} tập thể, {two_digits(individuals)} cá nhân)",
                       f["total"])
        first, end = HEADER_ROW + 2, row
        ws.write_formula(row, 6, f"=SUM(G{first}:G{end})" if decision.awardees else "=0", f["total_money"], total)
        ws.write_string(row, 7, "", f["total"])
        ws.write_string(row, 8, "", f["total"])
        row += 1
        ws.merge_range(row, 0, row, last, f"Số tiền bằng chữ: {money_words(total)}.", f["words"])
        row += 2
        place = decision.place or "Lai Châu"
        ws.merge_range(row, 6, row, last, f"{place}, ngày …… tháng …… năm ……", f["date"])
        row += 1
        spans = ((0, 2), (3, 5), (6, last))
        for (a, b), title in zip(spans, SIGNERS):
            ws.merge_range(row, a, row, b, title, f["sign"])
            ws.merge_range(row + 1, a, row + 1, b, "(Ký, ghi rõ họ tên)", f["hint"])
            ws.merge_range(row + 6, a, row + 6, b, "………………………………", f["org"])
        ws.set_paper(9)   # A4
        ws.set_landscape()
        ws.fit_to_pages(1, 0)
        ws.repeat_rows(HEADER_ROW)
        ws.set_margins(left=0.5, right=0.4, top=0.6, bottom=0.6)
        ws.center_horizontally()
        ws.set_footer("&C&\"Times New Roman\"&10Trang &P/&N")
        ws.freeze_panes(HEADER_ROW + 1, 0)
        book.close()
    return path


def _height(*texts: str) -> float:
    """Row height for the wrapped texts of a row (points), at the columns' widths."""
    widths = (_COLUMNS[1][1], _COLUMNS[2][1], _COLUMNS[3][1])
    lines = max(max(1, -(-len(t) * 11 // (w * 10))) for t, w in zip(texts, widths))
    return max(30, 16 * lines + 4)
