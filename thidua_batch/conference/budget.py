"""du_tru_kinh_phi.xlsx (conference.md, papers.md): the budget with live formulas, fit to sign.

Each quantity the conference file writes as a name ("so_dai_bieu", "so_o_xa * 2") becomes a formula
on the "Số liệu" sheet, where the counts of this build stand: the Văn phòng can change a count or a
price in Excel and every amount and the total follow. The accountant reads every quantity in words
("số đại biểu ở xa cần bố trí nơi nghỉ × 2"), never a name; a line whose quantity is 0 is left out;
the paper ends with its date line and the signatures of Người lập, Kế toán, Thủ trưởng đơn vị."""
from __future__ import annotations

from pathlib import Path

import xlsxwriter

from ..common.atomic import atomic_path
from ..documents.vnformat import money_words
from .config import QUANTITY_NAMES, BudgetLine, Conference, group_variable, parse_quantity, quantity_names
from .workbooks import row_height

SHEET_BUDGET, SHEET_FIGURES = "Dự trù", "Số liệu"
FIRST_LINE = 5          # 0-based row of the first budget line (header on row 5 in Excel terms)
SIGNERS = ("NGƯỜI LẬP", "KẾ TOÁN", "THỦ TRƯỞNG ĐƠN VỊ")
_OPERATORS = {"*": "×", "/": ":", "+": "+", "-": "−", "(": "(", ")": ")"}


def figures(conference: Conference, counts: dict[str, int], group_counts: dict[str, int]) -> list[tuple[str, str, int]]:
    """(name, meaning, value) of every name a quantity may use."""
    rows = [(name, meaning, counts.get(name, 0)) for name, meaning in QUANTITY_NAMES.items()]
    rows += [(group_variable(g), f"Số đại biểu nhóm “{g}”", group_counts.get(g, 0)) for g in conference.groups]
    return rows


def quantity_words(expression: str, names: set[str], meanings: dict[str, str]) -> str:
    """A quantity as the accountant reads it: "so_o_xa * 2" → "số đại biểu ở xa cần bố trí nơi nghỉ × 2";
    "" for a plain number."""
    tokens = parse_quantity(expression, names)
    if len(tokens) == 1 and tokens[0][0] == "num":
        return ""
    words = []
    for kind, token in tokens:
        if kind == "name":
            meaning = meanings[token]
            words.append(meaning[:1].lower() + meaning[1:])
        elif kind == "num":
            words.append(token)
        else:
            words.append(_OPERATORS[token])
    return " ".join(words).replace("( ", "(").replace(" )", ")")


def write_budget(conference: Conference, counts: dict[str, int], group_counts: dict[str, int], path: Path) -> Path:
    names = quantity_names(conference.groups)
    table = figures(conference, counts, group_counts)
    where = {name: f"'{SHEET_FIGURES}'!$C${i + 2}" for i, (name, _, _) in enumerate(table)}
    values = {name: value for name, _, value in table}
    meanings = {name: meaning for name, meaning, _ in table}
    lines = []
    for line in conference.budget:
        formula, quantity = _quantity(line.quantity, names, where, values)
        if quantity:                      # a line with nothing to buy is not on the paper
            lines.append((line, formula, quantity))
    with atomic_path(path) as tmp:
        book = xlsxwriter.Workbook(str(tmp), {"strings_to_formulas": False, "strings_to_numbers": False})
        base = {"font_name": "Times New Roman", "font_size": 12, "valign": "vcenter"}
        f = {k: book.add_format({**base, **v}) for k, v in {
            "org": {"align": "center"}, "org_bold": {"bold": True, "align": "center"},
            "title": {"bold": True, "font_size": 14, "align": "center"},
            "sub": {"italic": True, "align": "center", "text_wrap": True},
            "head": {"bold": True, "border": 1, "align": "center", "text_wrap": True, "bg_color": "#DDEBF7"},
            "text": {"border": 1, "text_wrap": True}, "center": {"border": 1, "align": "center", "text_wrap": True},
            "num": {"border": 1, "num_format": "#,##0"},
            "qty": {"border": 1, "num_format": "#,##0.##", "align": "center"},
            "total": {"border": 1, "bold": True}, "total_num": {"border": 1, "bold": True, "num_format": "#,##0"},
            "words": {"italic": True, "text_wrap": True}, "date": {"italic": True, "align": "center"},
            "hint": {"italic": True, "align": "center", "font_size": 11},
        }.items()}
        ws = book.add_worksheet(SHEET_BUDGET)
        columns = [("STT", 5), ("Nội dung chi", 30), ("Đơn vị tính", 11), ("Số lượng", 9), ("Đơn giá (đồng)", 12),
                   ("Thành tiền (đồng)", 14), ("Căn cứ", 36), ("Cách tính số lượng, ghi chú", 32)]
        ws.merge_range(0, 0, 0, 2, conference.issuer.parent, f["org"])
        ws.merge_range(1, 0, 1, 2, conference.issuer.name, f["org_bold"])
        ws.merge_range(0, 4, 0, 7, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", f["org_bold"])
        ws.merge_range(1, 4, 1, 7, "Độc lập - Tự do - Hạnh phúc", f["org_bold"])
        ws.merge_range(2, 0, 2, 7, conference.budget_title, f["title"])
        ws.merge_range(3, 0, 3, 7, f"{conference.name} ({conference.venue}, ngày {conference.date:%d/%m/%Y})",
                       f["sub"])
        ws.set_row(2, 24)
        ws.set_row(3, 34)
        header = FIRST_LINE - 1
        for c, (label, width) in enumerate(columns):
            ws.set_column(c, c, width)
            ws.write_string(header, c, label, f["head"])
        ws.repeat_rows(header)
        total = 0
        for i, (line, formula, quantity) in enumerate(lines):
            r = FIRST_LINE + i
            excel_row = r + 1
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
            how = _how(line, quantity_words(line.quantity, names, meanings))
            ws.write_string(r, 7, how, f["text"])
            ws.set_row(r, row_height([(line.item, columns[1][1]), (line.basis, columns[6][1]),
                                      (how, columns[7][1])]))
        last = FIRST_LINE + len(lines)
        ws.write_string(last, 0, "", f["total"])
        ws.merge_range(last, 1, last, 4, "Tổng cộng", f["total"])
        ws.write_formula(last, 5, f"=SUM(F{FIRST_LINE + 1}:F{last})" if lines else "=0", f["total_num"], total)
        ws.write_string(last, 6, "", f["total"])
        ws.write_string(last, 7, "", f["total"])
        ws.merge_range(last + 1, 0, last + 1, 7, f"Bằng chữ (theo số liệu khi lập): {money_words(total)}.",
                       f["words"])
        _signatures(ws, f, last + 3, conference.issuer.place)
        ws.set_paper(9)
        ws.set_landscape()
        ws.fit_to_pages(1, 0)
        ws.set_margins(left=0.5, right=0.4, top=0.6, bottom=0.6)
        ws.center_horizontally()
        ws.set_footer("&C&\"Times New Roman\"&10Trang &P/&N")
        _figures_sheet(book, f, table)
        book.close()
    return Path(path)


def _how(line: BudgetLine, words: str) -> str:
    if words and line.note:
        return f"{words} ({line.note})"
    return words or line.note


def _signatures(ws, f, row: int, place: str) -> None:
    """The date line and the three signatures, names left as dotted lines for those who sign."""
    ws.merge_range(row, 5, row, 7, f"{place}, ngày …… tháng …… năm ……", f["date"])
    for (a, b), title in zip(((0, 2), (3, 5), (6, 7)), SIGNERS):
        ws.merge_range(row + 1, a, row + 1, b, title, f["org_bold"])
        ws.merge_range(row + 2, a, row + 2, b, "(Ký, ghi rõ họ tên)", f["hint"])
        ws.merge_range(row + 7, a, row + 7, b, "………………………………", f["org"])


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
    """The counts the quantities use, in words; change one and the budget follows."""
    ws = book.add_worksheet(SHEET_FIGURES)
    for c, (label, width) in enumerate((("STT", 6), ("Số liệu dùng để tính số lượng", 60), ("Giá trị", 12))):
        ws.set_column(c, c, width)
        ws.write_string(0, c, label, f["head"])
    for i, (_name, meaning, value) in enumerate(table, 1):     # values at $C$2 onwards
        ws.write_number(i, 0, i, f["center"])
        ws.write_string(i, 1, meaning, f["text"])
        ws.write_number(i, 2, value, f["center"])
    ws.write_string(len(table) + 2, 1, "Sửa một số ở đây thì số lượng, thành tiền ở trang Dự trù tự tính lại.",
                    f["words"])
    ws.set_paper(9)
    ws.fit_to_pages(1, 0)
    ws.set_margins(left=0.7, right=0.5, top=0.7, bottom=0.7)
