"""du_tru_kinh_phi.xlsx (conference.md): the budget with live formulas.

Each quantity the conference file writes as a name ("so_dai_bieu", "so_o_xa * 2") becomes a formula
on the "Số liệu" sheet, where the counts of this build stand: the Văn phòng can change a count or a
price in Excel and every amount and the total follow."""
from __future__ import annotations

from pathlib import Path

import xlsxwriter

from ..common.atomic import atomic_path
from ..documents.vnformat import money_words
from .workbooks import row_height
from .config import QUANTITY_NAMES, Conference, group_variable, parse_quantity, quantity_names

SHEET_BUDGET, SHEET_FIGURES = "Dự trù", "Số liệu"
FIRST_LINE = 5          # 0-based row of the first budget line (header on row 5 in Excel terms)


def figures(conference: Conference, counts: dict[str, int], group_counts: dict[str, int]) -> list[tuple[str, str, int]]:
    """(name, meaning, value) of every name a quantity may use."""
    rows = [(name, meaning, counts.get(name, 0)) for name, meaning in QUANTITY_NAMES.items()]
    rows += [(group_variable(g), f"Số đại biểu nhóm “{g}”", group_counts.get(g, 0)) for g in conference.groups]
    return rows


def write_budget(conference: Conference, counts: dict[str, int], group_counts: dict[str, int], path: Path) -> Path:
    names = quantity_names(conference.groups)
    table = figures(conference, counts, group_counts)
    where = {name: f"'{SHEET_FIGURES}'!$C${i + 2}" for i, (name, _, _) in enumerate(table)}
    values = {name: value for name, _, value in table}
    with atomic_path(path) as tmp:
        book = xlsxwriter.Workbook(str(tmp), {"strings_to_formulas": False, "strings_to_numbers": False})
        base = {"font_name": "Times New Roman", "font_size": 12, "valign": "vcenter"}
        f = {
            "org": book.add_format({**base, "bold": True, "align": "center"}),
            "title": book.add_format({**base, "bold": True, "font_size": 14, "align": "center"}),
            "sub": book.add_format({**base, "italic": True, "align": "center", "text_wrap": True}),
            "head": book.add_format({**base, "bold": True, "border": 1, "align": "center", "text_wrap": True,
                                     "bg_color": "#DDEBF7"}),
            "text": book.add_format({**base, "border": 1, "text_wrap": True}),
            "center": book.add_format({**base, "border": 1, "align": "center"}),
            "num": book.add_format({**base, "border": 1, "num_format": "#,##0"}),
            "qty": book.add_format({**base, "border": 1, "num_format": "#,##0.##", "align": "center"}),
            "total": book.add_format({**base, "border": 1, "bold": True}),
            "total_num": book.add_format({**base, "border": 1, "bold": True, "num_format": "#,##0"}),
            "words": book.add_format({**base, "italic": True}),
        }
        ws = book.add_worksheet(SHEET_BUDGET)
        columns = [("STT", 6), ("Nội dung chi", 34), ("Đơn vị tính", 12), ("Số lượng", 10), ("Đơn giá (đồng)", 13),
                   ("Thành tiền (đồng)", 15), ("Căn cứ", 40), ("Cách tính số lượng, ghi chú", 26)]
        ws.merge_range(0, 0, 0, 2, conference.issuer.name, f["org"])
        ws.merge_range(1, 0, 1, 7, conference.budget_title, f["title"])
        ws.merge_range(2, 0, 2, 7, f"{conference.name} ({conference.venue}, ngày {conference.date:%d/%m/%Y})",
                       f["sub"])
        ws.set_row(2, 32)
        header = FIRST_LINE - 1
        for c, (label, width) in enumerate(columns):
            ws.set_column(c, c, width)
            ws.write_string(header, c, label, f["head"])
        ws.repeat_rows(header)
        total = 0
        for i, line in enumerate(conference.budget):
            r = FIRST_LINE + i
            excel_row = r + 1
            formula, quantity = _quantity(line.quantity, names, where, values)
            amount = round(quantity * line.price)
            total += amount
            ws.write_number(r, 0, i + 1, f["center"])
            ws.write_string(r, 1, line.item, f["text"])
            ws.write_string(r, 2, line.unit, f["center"])
            if formula:
                ws.write_formula(r, 3, formula, f["qty"], quantity)
            else:
                ws.write_number(r, 3, quantity, f["qty"])
            ws.write_number(r, 4, line.price, f["num"])
            ws.write_formula(r, 5, f"=D{excel_row}*E{excel_row}", f["num"], amount)
            ws.write_string(r, 6, line.basis, f["text"])
            how = "; ".join(p for p in (line.quantity if formula else "", line.note) if p)
            ws.write_string(r, 7, how, f["text"])
            ws.set_row(r, row_height([(line.item, 34), (line.basis, 40), (how, 26)]))
        last = FIRST_LINE + len(conference.budget)
        ws.write_string(last, 0, "", f["total"])
        ws.merge_range(last, 1, last, 4, "Tổng cộng", f["total"])
        ws.write_formula(last, 5, f"=SUM(F{FIRST_LINE + 1}:F{last})" if conference.budget else "=0",
                         f["total_num"], total)
        ws.write_string(last, 6, "", f["total"])
        ws.write_string(last, 7, "", f["total"])
        ws.write_string(last + 1, 1, f"(Bằng chữ, theo số liệu khi lập: {money_words(total)}.)", f["words"])
        ws.set_paper(9)
        ws.set_landscape()
        ws.fit_to_pages(1, 0)
        _figures_sheet(book, f, table)
        book.close()
    return Path(path)


def _quantity(expression: str, names: set[str], where: dict[str, str], values: dict[str, int]
              ) -> tuple[str | None, float]:
    """A number stays a number; an expression becomes a formula over the "Số liệu" cells, with its value."""
    tokens = parse_quantity(expression, names)
    if len(tokens) == 1 and tokens[0][0] == "num":
        value = float(tokens[0][1])
        return None, int(value) if value.is_integer() else value
    excel = "".join(where[t] if kind == "name" else t for kind, t in tokens)
    python = " ".join(str(values[t]) if kind == "name" else t for kind, t in tokens)
    value = eval(python, {"__builtins__": {}}, {})  # noqa: S307 - tokens are numbers and + - * / ( ) only
    return "=" + excel, value


def _figures_sheet(book, f, table) -> None:
    ws = book.add_worksheet(SHEET_FIGURES)
    for c, (label, width) in enumerate((("Tên dùng trong tệp hội nghị", 28), ("Ý nghĩa", 50), ("Giá trị", 10))):
        ws.set_column(c, c, width)
        ws.write_string(0, c, label, f["head"])
    for i, (name, meaning, value) in enumerate(table, 1):
        ws.write_string(i, 0, name, f["text"])
        ws.write_string(i, 1, meaning, f["text"])
        ws.write_number(i, 2, value, f["center"])
