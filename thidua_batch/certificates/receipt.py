"""danh_sach_ky_nhan.xlsx: the receipt sheet awardees sign when they receive the award and money."""
from __future__ import annotations

from pathlib import Path

import xlsxwriter

from ..common.atomic import atomic_path
from ..register.model import COLLECTIVE, Decision

_COLUMNS = (("STT", 5), ("Họ và tên / Tên tập thể", 30), ("Đơn vị", 30), ("Hình thức khen thưởng", 24),
            ("Số quyết định", 14), ("Ngày quyết định", 11), ("Số tiền (đồng)", 13), ("Số Bằng khen", 13),
            ("Ký nhận", 18))


def write_receipt(decision: Decision, path: Path) -> Path:
    with atomic_path(path) as tmp:
        book = xlsxwriter.Workbook(str(tmp), {"strings_to_formulas": False, "strings_to_numbers": False})
        ws = book.add_worksheet("Ký nhận")
        title = book.add_format({"bold": True, "align": "center", "font_name": "Times New Roman", "font_size": 13})
        head = book.add_format({"bold": True, "border": 1, "align": "center", "valign": "vcenter", "text_wrap": True,
                                "font_name": "Times New Roman"})
        cell = book.add_format({"border": 1, "valign": "vcenter", "text_wrap": True, "font_name": "Times New Roman"})
        money = book.add_format({"border": 1, "valign": "vcenter", "num_format": "#,##0",
                                 "font_name": "Times New Roman"})
        bold_money = book.add_format({"border": 1, "bold": True, "num_format": "#,##0", "font_name": "Times New Roman"})
        last = len(_COLUMNS) - 1
        ws.merge_range(0, 0, 0, last, "DANH SÁCH KÝ NHẬN KHEN THƯỞNG", title)
        ws.merge_range(1, 0, 1, last, f"Quyết định số {decision.number} ngày {decision.date:%d/%m/%Y}: "
                                      f"{decision.award}", title)
        for c, (label, width) in enumerate(_COLUMNS):
            ws.set_column(c, c, width)
            ws.write_string(3, c, label, head)
        row = 4
        for awardee in decision.awardees:
            unit = awardee.unit_name if awardee.kind == COLLECTIVE else (awardee.workplace or awardee.unit_name)
            values = (awardee.order, awardee.name, unit, decision.award, decision.number,
                      decision.date.strftime("%d/%m/%Y"), awardee.money, awardee.certificate_no or "", "")
            for c, value in enumerate(values):
                if c == 6:
                    ws.write_number(row, c, value, money)
                elif isinstance(value, int):
                    ws.write_number(row, c, value, cell)
                else:
                    ws.write_string(row, c, value, cell)
            ws.set_row(row, 30)
            row += 1
        ws.write_string(row, 1, "Tổng cộng", head)
        ws.write_formula(row, 6, f"=SUM(G5:G{row})", bold_money, sum(a.money for a in decision.awardees))
        ws.set_paper(9)   # A4
        ws.set_landscape()
        ws.fit_to_pages(1, 0)
        ws.repeat_rows(3)
        ws.set_margins(left=0.5, right=0.4, top=0.6, bottom=0.6)
        ws.freeze_panes(4, 0)
        book.close()
    return path
