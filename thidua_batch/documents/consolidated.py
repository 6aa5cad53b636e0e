"""tong_hop_khen_thuong.xlsx: the consolidated workbook, made for a person (outputs.md).

Written with xlsxwriter: every text is written as a string (`write_string`, or a data row kept whole by
`_Sheet.put_row`, which writes xlsxwriter's own XML for it), so a summary typed as "- Hoàn thành…" or
"=abc" comes out as typed, never as a formula. All text is NFC.

Speed (a thousand units' workbook holds some 115,000 cells): a data row is one object and one string,
not xlsxwriter's object and calls per cell; a text's lines are measured once per column width.
"""
from __future__ import annotations

import functools
import re
import unicodedata
from pathlib import Path

import xlsxwriter
from xlsxwriter.utility import xl_col_to_name
from xlsxwriter.worksheet import Worksheet

from ..common.atomic import atomic_path
from ..common.text import fold
from ..config.list_words import ROW_KINDS
from .board import finding_value, units_with_notes
from ..model.findings import CODE_WORDS, SEVERITY_WORDS, Severity
from ..model.results import (COLLECTIVE, FILE_STATUS_WORDS, INDIVIDUAL, LAYOUT_WORDS, REASON_WORDS, STATUS_WORDS,
                             BatchResult, Cell, FileResult)

FILE_NAME = "tong_hop_khen_thuong.xlsx"
SKIPPED_WORDS = {**ROW_KINDS, "hidden": "dòng bị ẩn", "continuation": "dòng viết tiếp của người ở dòng trên"}
SHEET_UNITS, SHEET_COLLECTIVES, SHEET_INDIVIDUALS = "Tổng hợp đơn vị", "Tập thể", "Cá nhân"
SHEET_FINDINGS, SHEET_FILES = "Lỗi - cảnh báo", "Tệp đã nhận"
SHEET_SKIPPED = "Dòng không tính"
OK_WITH_NOTES = "Không có lỗi, có điều cần lưu ý"

# Each sheet prints on A4 landscape, one page wide, at no less than 60% (papers.md): the columns a person
# reads come first and fit; the technical ones (source file and cell, sha256, mail headers) follow,
# outside the print area. Widths are in Excel's character units.
_NOMINATION_TAIL = (("Đưa vào quyết định", 8), ("Lý do chưa đưa vào", 34), ("Đã được khen trước đây", 24),
                    ("Tệp nguồn", 30), ("Ô nguồn", 14))
_COLUMNS = {
    SHEET_UNITS: (("STT", 5), ("Mã đơn vị", 12), ("Đơn vị", 32), ("Loại", 16), ("Chỉ tiêu tập thể", 9),
                  ("Chỉ tiêu cá nhân", 9), ("Đề nghị tập thể", 9), ("Đề nghị cá nhân", 9),
                  ("Đưa vào QĐ tập thể", 9), ("Đưa vào QĐ cá nhân", 9), ("Trạng thái", 16),
                  ("Tệp được dùng", 30), ("Thời điểm nhận", 16), ("Số lỗi", 7), ("Số cảnh báo", 8)),
    SHEET_COLLECTIVES: (("STT", 5), ("Đơn vị đề nghị", 22), ("Tên tập thể", 30), ("Tóm tắt thành tích", 50),
                        ("Tỷ lệ phiếu đồng ý (%)", 8), ("Ghi chú", 14)) + _NOMINATION_TAIL,
    SHEET_INDIVIDUALS: (("STT", 5), ("Đơn vị đề nghị", 20), ("Họ và tên", 20), ("Giới tính", 6), ("Năm sinh", 6),
                        ("Dân tộc", 8), ("Chức vụ", 16), ("Đơn vị công tác", 22), ("Tóm tắt thành tích", 40),
                        ("Tỷ lệ phiếu đồng ý (%)", 7), ("Ghi chú", 12)) + _NOMINATION_TAIL,
    SHEET_FINDINGS: (("STT", 5), ("Mức độ", 9), ("Loại", 18), ("Đơn vị", 24), ("Tệp", 26), ("Trang", 10),
                     ("Ô", 6), ("Giá trị tìm thấy", 16), ("Nội dung, cách sửa", 70)),
    SHEET_FILES: (("STT", 5), ("Tệp", 36), ("Trạng thái", 14), ("Dạng danh sách", 18), ("Đơn vị", 24),
                  ("Thời điểm nhận", 16), ("Lý do", 26), ("Người gửi", 26), ("Tiêu đề thư", 30), ("SHA-256", 66)),
    SHEET_SKIPPED: (("STT", 5), ("Đơn vị", 28), ("Tệp", 34), ("Trang / bảng", 12), ("Dòng", 7), ("Là", 22),
                    ("Nội dung dòng", 70)),
}
# How many of each sheet's first columns are printed (the rest are technical).
PRINTED = {SHEET_UNITS: 15, SHEET_COLLECTIVES: 9, SHEET_INDIVIDUALS: 14, SHEET_FINDINGS: 9, SHEET_FILES: 9,
           SHEET_SKIPPED: 7}
# A4 landscape, 0.4" margins: 10.9" of 96 px; a column of width w takes 7w + 5 px (Calibri 11's digit).
PRINTABLE_PX = int((11.69 - 0.8) * 96)


def print_scale(widths: list[float]) -> int:
    """The scale (%) a sheet of these printed column widths needs to fit one page wide."""
    pixels = sum(int(w * 7 + 5) for w in widths)
    return min(100, PRINTABLE_PX * 100 // pixels)


_FIELDS = {COLLECTIVE: ("name", "summary", "vote", "note"),
           INDIVIDUAL: ("name", "gender", "birth_year", "ethnicity", "position", "workplace", "summary", "vote",
                        "note")}
_WRAPPED = {"Tệp được dùng", "Trạng thái", "Đã được khen trước đây", "Tóm tắt thành tích", "Nội dung, cách sửa", "Nội dung dòng", "Lý do", "Loại", "Lý do chưa đưa vào", "Đơn vị", "Đơn vị đề nghị",
            "Tên tập thể", "Tệp nguồn", "Tệp", "Chức vụ", "Đơn vị công tác"}


def _nfc(value: object) -> object:
    return unicodedata.normalize("NFC", value) if isinstance(value, str) else value


def cell_shown(cell: Cell | None) -> object:
    """The parsed value when valid, else exactly what was found: nothing read is lost."""
    if cell is None or (cell.raw is None and cell.value is None):
        return None
    if cell.value is not None and not cell.problem:
        return cell.value if isinstance(cell.value, (int, float)) else cell.text
    return cell.raw if isinstance(cell.raw, (int, float)) else str(cell.raw)


_BLANK, _NUMBER, _STRING = 0, 1, 2
_NO_VALUE = (_BLANK, None)
_normalize = unicodedata.normalize


def _cell(value: object) -> tuple[int, object]:
    """How a value is written: (_BLANK, None), (_NUMBER, number) or (_STRING, text)."""
    if value is None or value == "":
        return _NO_VALUE
    if isinstance(value, bool):
        return _STRING, "Có" if value else "Không"
    if isinstance(value, (int, float)):
        return _NUMBER, value
    return _STRING, _nfc(str(value))


class _Row:
    """A data row kept whole by _Sheet.put_row: each cell's XML after its style (from ' t="s">' or '/>'
    on: plain strings, which the garbage collector does not follow) and the formats of its columns."""
    __slots__ = ("tails", "formats")

    def __init__(self, tails: tuple[str, ...], formats: list):
        self.tails, self.formats = tails, formats


_COVERED = object()     # the last column of a row kept whole: written with the row's first cell
_COLUMN_NAMES = [xl_col_to_name(c) for c in range(64)]
_BLANK_TAIL = "/>"
_FINITE = 1.7976931348623157e308   # numbers beyond (and NaN) are xlsxwriter's to refuse or turn into errors


class _Sheet(Worksheet):
    """A worksheet whose data rows are kept one object per row (put_row) and written as one string when
    the workbook is closed, instead of xlsxwriter's object per cell and calls per cell and attribute.
    The XML is xlsxwriter's own, byte for byte (tests/test_consolidated_rows.py compares the two): the
    shared strings are numbered when the row is put, the formats when the row is written, in the same
    order as write_string/write_number/write_blank would."""

    def __init__(self):
        super().__init__()
        self._styles: dict[tuple[int, int], list[int]] = {}   # (id of a row's formats, cells): their numbers

    def put_row(self, row: int, cells: list[tuple[int, object]], formats: list) -> bool:
        """Keep a row of cells (kind, value) written from column A, cell i in formats[i]; False (nothing
        kept) when a cell needs xlsxwriter's own care (a text it would shorten, a number that is not
        finite, no format) or the row lies outside the sheet: write that row cell by cell instead."""
        if not cells or row >= self.xls_rowmax or len(cells) > min(self.xls_colmax, len(_COLUMN_NAMES)) \
                or len(formats) < len(cells) or self.constant_memory:
            return False
        longest = self.xls_strmax // 2
        for (kind, value), fmt in zip(cells, formats):
            if fmt is None:
                return False
            if kind == _STRING:
                if len(value) > longest:
                    return False
            elif kind == _NUMBER:
                if value.__class__ is not float and value.__class__ is not int or not -_FINITE < value < _FINITE:
                    return False
        self._check_dimensions(row, 0)
        self._check_dimensions(row, len(cells) - 1)
        index = self.str_table._get_shared_string_index
        tails = tuple([f' t="s"><v>{index(value)}</v></c>' if kind == _STRING else
                       f"><v>{value:.16G}</v></c>" if kind == _NUMBER else _BLANK_TAIL for kind, value in cells])
        # the row's first and last columns are enough for xlsxwriter's spans and its walk over the row
        self.table[row] = {len(cells) - 1: _COVERED, 0: _Row(tails, formats)}
        return True

    def _write_cell(self, row: int, col: int, cell) -> None:
        if cell is _COVERED:
            return
        if cell.__class__ is not _Row:
            super()._write_cell(row, col, cell)
            return
        # the formats' numbers looked up in the row's cell order, as xlsxwriter's _write_cell would
        key = (id(cell.formats), len(cell.tails))     # the row keeps its formats' list alive
        styles = self._styles.get(key)
        if styles is None:
            styles = self._styles[key] = [fmt._get_xf_index() for fmt, _ in zip(cell.formats, cell.tails)]
        number = str(row + 1)
        self.fh.write("".join([f'<c r="{name}{number}" s="{style}"{tail}'
                               for name, style, tail in zip(_COLUMN_NAMES, styles, cell.tails)]))


class _Writer:
    def __init__(self, book: xlsxwriter.Workbook, whole_rows: bool = True):
        self.book = book
        self.whole_rows = whole_rows   # data rows through _Sheet.put_row (False: cell by cell, the reference)
        base = {"font_name": "Times New Roman", "font_size": 11, "valign": "top"}
        self.fmt = {
            "header": book.add_format({**base, "bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True,
                                       "align": "center", "valign": "vcenter"}),
            "text": book.add_format(base),
            "wrap": book.add_format({**base, "text_wrap": True}),
        }
        self.fmt["total"] = book.add_format({**base, "bold": True, "top": 1, "bottom": 1})
        for name, colour in (("error", "#F8CBAD"), ("warning", "#FFF2CC"), ("held", "#FCE4D6")):
            self.fmt[name] = book.add_format({**base, "bg_color": colour})
            self.fmt[name + "-wrap"] = book.add_format({**base, "bg_color": colour, "text_wrap": True})
        self.measured: dict[tuple[str, float], int] = {}   # the lines of a (text, column width)

    def sheet(self, name: str, rows: list[tuple[list[object], str | None]],
              total: list[object] | None = None):
        columns = _COLUMNS[name]
        ws = self.book.add_worksheet(name, worksheet_class=_Sheet)
        for c, (title, width) in enumerate(columns):
            ws.set_column(c, c, width)
            ws.write_string(0, c, title, self.fmt["header"])
        # bold titles in narrow columns wrap a little sooner than measured: one spare line, centred
        ws.set_row(0, row_height(1 + max(_lines(title, width, bold=True) for title, width in columns)))
        ws.freeze_panes(1, 0)
        ws.set_landscape()
        ws.set_paper(9)            # A4
        printed = PRINTED[name]
        ws.print_area(0, 0, len(rows) + (1 if total else 0), printed - 1)
        ws.fit_to_pages(1, 0)      # one page wide (print_scale() says at what scale), as many tall as needed
        ws.repeat_rows(0)
        ws.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.5)
        ws.autofilter(0, 0, max(len(rows), 1), len(columns) - 1)
        wrapped_cols = [c for c, (title, _) in enumerate(columns) if title in _WRAPPED]
        widths = [width for _, width in columns]
        # each tone's format per column, looked up once; a text's lines measured once per (text, width)
        formats = {tone: [self.fmt[(tone + "-wrap" if c in wrapped_cols else tone) if tone else
                                    ("wrap" if c in wrapped_cols else "text")] for c in range(len(columns))]
                   for tone in {tone for _, tone in rows}}
        measured = self.measured
        whole_rows = self.whole_rows
        for r, (values, tone) in enumerate(rows, start=1):
            row_formats = formats[tone]
            if len(values) > len(columns):
                row_formats = row_formats + [self.fmt[tone or "text"]] * (len(values) - len(columns))
            # (_cell's result, its common cases spelt out: a call per cell costs more than writing it)
            cells = [(_STRING, _normalize("NFC", v)) if v.__class__ is str and v else
                     (_NUMBER, v) if v.__class__ is int or v.__class__ is float else
                     _NO_VALUE if v is None else _cell(v) for v in values]
            if not (whole_rows and ws.put_row(r, cells, row_formats)):
                for c, ((kind, value), fmt) in enumerate(zip(cells, row_formats)):
                    self.put(ws, r, c, kind, value, fmt)
            lines = 1
            for c in wrapped_cols:
                if c < len(values):
                    value = values[c]
                    if isinstance(value, str) and value:
                        key = (value, widths[c])
                        n = measured.get(key)
                        if n is None:
                            n = measured[key] = _lines(value, widths[c])
                        if n > lines:
                            lines = n
            if lines > 1:   # neither Excel nor Calc fits row heights to wrapped text on opening
                ws.set_row(r, row_height(lines))
        if total:
            for c, value in enumerate(total):
                self.write(ws, len(rows) + 1, c, value, self.fmt["total"])
        return ws

    @staticmethod
    def write(ws, r: int, c: int, value: object, fmt) -> None:
        _Writer.put(ws, r, c, *_cell(value), fmt)

    @staticmethod
    def put(ws, r: int, c: int, kind: int, value, fmt) -> None:
        if kind == _BLANK:
            ws.write_blank(r, c, None, fmt)
        elif kind == _NUMBER:
            ws.write_number(r, c, value, fmt)
        else:
            ws.write_string(r, c, value, fmt)


# Advance widths (1/1000 em) of Times New Roman, regular and bold (Liberation Serif has the same metrics),
# for " " to "~"; the Vietnamese letters are their base letter's width (ư, ơ, đ their own).
_WIDTHS = {
    False: (250, 333, 408, 500, 500, 833, 778, 180, 333, 333, 500, 564, 250, 333, 250, 278, 500, 500, 500, 500, 500,
            500, 500, 500, 500, 500, 278, 278, 564, 564, 564, 444, 921, 722, 667, 667, 722, 611, 556, 722, 722, 333,
            389, 722, 611, 889, 722, 722, 556, 722, 667, 556, 611, 722, 722, 944, 722, 722, 611, 333, 278, 333, 469,
            500, 333, 444, 500, 444, 500, 444, 333, 500, 500, 278, 278, 500, 278, 778, 500, 500, 500, 500, 333, 389,
            278, 500, 500, 722, 500, 500, 444, 480, 200, 480, 541),
    True: (250, 333, 555, 500, 500, 1000, 833, 278, 333, 333, 500, 570, 250, 333, 250, 278, 500, 500, 500, 500, 500,
           500, 500, 500, 500, 500, 333, 333, 570, 570, 570, 500, 930, 722, 667, 722, 722, 667, 611, 778, 778, 389,
           500, 778, 667, 944, 722, 778, 611, 778, 722, 556, 667, 722, 722, 1000, 722, 722, 667, 333, 278, 333, 581,
           500, 333, 500, 556, 444, 556, 444, 333, 500, 556, 278, 333, 556, 278, 833, 556, 500, 556, 556, 444, 389,
           333, 556, 500, 722, 500, 500, 444, 394, 220, 394, 520),
}
_OWN_WIDTHS = {False: {"đ": 500, "Đ": 722, "ư": 542, "Ư": 776, "ơ": 529, "Ơ": 722, "…": 1000, "“": 444, "”": 444,
                       "–": 500, "—": 1000},
               True: {"đ": 556, "Đ": 722, "ư": 600, "Ư": 796, "ơ": 554, "Ơ": 778, "…": 1000, "“": 500, "”": 500,
                      "–": 500, "—": 1000}}
FONT_PT = 11
LINE_PT = 12.75      # a line of Times New Roman 11 (Excel's; LibreOffice's is a little less)
PAD_PT = 2.25        # above and below the lines


@functools.lru_cache(maxsize=4096)
def _char_width(ch: str, bold: bool) -> float:
    code = ord(ch)
    if 32 <= code < 127:
        return _WIDTHS[bold][code - 32]
    own = _OWN_WIDTHS[bold]
    if ch in own:
        return own[ch]
    # "ữ" is "ư" with a tilde: drop every mark but the horn, which widens the letter
    base = unicodedata.normalize("NFC", "".join(c for c in unicodedata.normalize("NFD", ch)
                                                if not unicodedata.combining(c) or c == "\u031b"))
    if len(base) == 1 and base != ch:
        return _char_width(base, bold)
    return 1000 if unicodedata.east_asian_width(ch) in ("W", "F") else 556


@functools.lru_cache(maxsize=65536)   # Vietnamese syllables repeat: a thousand units' rows share most words
def text_width_pt(text: str, bold: bool = False) -> float:
    return sum(_char_width(ch, bold) for ch in text) * FONT_PT / 1000


def column_text_pt(width: float) -> float:
    """The room for text in a column WIDTH characters wide, in points: Excel gives it 7w + 5 px (the
    workbook font's digit is 7 px), less the padding LibreOffice keeps (a little more than Excel's 5 px)."""
    return width * 7 * 0.75 - 4


_PIECES = re.compile(r"[^-]*-|[^-]+")   # a word's pieces: a line may break after each hyphen


def _lines(value: object, width: float, bold: bool = False) -> int:
    """Lines a wrapped text takes in a column WIDTH characters wide, wrapped as Excel and LibreOffice do:
    at spaces and after hyphens, a word longer than the line broken where it reaches the edge."""
    if not isinstance(value, str) or not value:
        return 1
    room = column_text_pt(width)
    space = text_width_pt(" ", bold)
    total = 0
    for part in _nfc(value).split("\n"):
        lines, used = 1, 0.0
        for word in part.split():
            for i, piece in enumerate(_PIECES.findall(word) if "-" in word else (word,)):
                gap = space if used and i == 0 else 0.0
                size = text_width_pt(piece, bold)
                if used and used + gap + size > room:
                    lines, used, gap = lines + 1, 0.0, 0.0
                if size <= room:
                    used += gap + size
                    continue
                for ch in piece:   # wider than the column: broken at the edge
                    step = text_width_pt(ch, bold)
                    if used and used + step > room:
                        lines, used = lines + 1, 0.0
                    used += step
        total += lines
    return total


def row_height(lines: int) -> float:
    return min(PAD_PT + LINE_PT * lines, 409)


def _when(file: FileResult | None, result: BatchResult) -> str | None:
    if file is None or file.received_at is None:
        return None
    return file.received_at.astimezone(result.campaign.tz).strftime("%d/%m/%Y %H:%M")


def _unit_rows(result: BatchResult):
    counts: dict[str, tuple[int, int]] = {}
    for f in result.findings:
        if f.unit:
            e, w = counts.get(f.unit, (0, 0))
            counts[f.unit] = (e + (f.severity is Severity.ERROR), w + (f.severity is Severity.WARNING))
    kinds = kind_names(result)
    noted = units_with_notes(result)
    for i, u in enumerate(result.units, 1):
        errors, warnings = counts.get(u.unit.id, (0, 0))
        tone = "error" if errors else ("warning" if warnings else None)
        status = STATUS_WORDS[u.status]
        if u.unit.id in noted:
            status = OK_WITH_NOTES   # "Đạt yêu cầu" only where the tờ trình says it: nothing found
        yield [i, u.unit.id, u.unit.name, kinds[u.unit.id], u.quota.collectives, u.quota.individuals,
               u.submitted.collectives, u.submitted.individuals, u.in_decision.collectives,
               u.in_decision.individuals, status, u.file.path if u.file else None,
               _when(u.file, result), errors, warnings], tone


def kind_names(result: BatchResult) -> dict[str, str]:
    """One name per unit kind: kinds typed differently in the roster ("công đoàn ngành", "Công đoàn
    ngành") are shown by the first spelling, capitalised."""
    seen: dict[str, str] = {}
    names = {}
    for u in result.units:
        typed = u.unit.type.strip()
        shown = seen.setdefault(fold(typed), typed[:1].upper() + typed[1:])
        names[u.unit.id] = shown
    return names


def _unit_total(rows: list[list[object]]) -> list[object]:
    """The total row of Tổng hợp đơn vị: each count summed (numbers, never formulas)."""
    total: list[object] = [None, None, "Tổng cộng", f"{len(rows)} đơn vị"]
    for c in range(4, 10):
        total.append(sum(r[c] for r in rows))
    sent = sum(1 for r in rows if r[11])
    return total + [f"{sent} đơn vị có tệp dùng được", None, None, sum(r[13] for r in rows),
                    sum(r[14] for r in rows)]


def _nomination_rows(result: BatchResult, kind: str):
    roster = result.campaign.roster
    for i, n in enumerate(result.all_nominations(kind), 1):
        unit = roster.get(n.unit or "")
        values = [i, unit.name if unit else None, *(cell_shown(n.cells.get(k)) for k in _FIELDS[kind]),
                  "Có" if n.in_decision else "Không", None if n.in_decision else n.held_out,
                  "; ".join(p.sentence for p in n.past_awards) or None,
                  n.file, f"{n.sheet}!{n.ref('name') or f'A{n.row}'}"]
        yield values, (None if n.in_decision else "held")


def _finding_rows(result: BatchResult):
    roster = result.campaign.roster
    for i, f in enumerate(result.findings, 1):
        unit = roster.get(f.unit or "")
        tone = {Severity.ERROR: "error", Severity.WARNING: "warning"}.get(f.severity)
        yield [i, SEVERITY_WORDS[f.severity], CODE_WORDS[f.code], unit.name if unit else None, f.file, f.sheet,
               f.cell, finding_value(f, result.campaign) or None, f.message], tone


def _file_rows(result: BatchResult):
    roster = result.campaign.roster
    for i, f in enumerate(result.files, 1):
        unit = roster.get(f.unit or "")
        tone = {"rejected": "error", "superseded": "warning"}.get(f.status)
        sender, subject = (f.mail.sender, f.mail.subject) if f.mail else (None, None)
        reason = REASON_WORDS.get(f.reason, CODE_WORDS.get(f.reason)) if f.reason else None
        yield [i, f.path, FILE_STATUS_WORDS[f.status], LAYOUT_WORDS.get(f.layout), unit.name if unit else None,
               _when(f, result), reason, sender, subject, f.sha256], tone


def _skipped_rows(result: BatchResult):
    """Rows of the lists that were not counted as nominations, and what they were (workbook.md)."""
    roster = result.campaign.roster
    i = 0
    for f in result.files:
        unit = roster.get(f.unit or "")
        for row in f.skipped_rows:
            i += 1
            yield [i, unit.name if unit else None, f.path, row.sheet, row.row, SKIPPED_WORDS[row.kind],
                   row.text], ("warning" if row.kind == "hidden" else None)


def write_consolidated(result: BatchResult, path: Path) -> Path:
    return write_book(result, path)


def write_book(result: BatchResult, path: Path, whole_rows: bool = True) -> Path:
    """write_consolidated; WHOLE_ROWS False writes every data cell through xlsxwriter's own calls (the
    reference the whole-row path is compared with, byte for byte, in tests/test_consolidated_rows.py)."""
    with atomic_path(path) as tmp:
        # The workbook's own font is Times New Roman: column widths are counted in its digit (7 px at 11 pt,
        # as Calibri's), so they come out the same wherever Calibri is missing (LibreOffice on Linux).
        book = xlsxwriter.Workbook(str(tmp), {"strings_to_formulas": False, "strings_to_numbers": False,
                                              "strings_to_urls": False,
                                              "default_format_properties": {"font_name": "Times New Roman",
                                                                            "font_size": 11}})
        book.set_properties({"title": "Tổng hợp đề nghị khen thưởng", "author": "thidua-batch",
                             "created": result.generated_at.replace(tzinfo=None)})
        writer = _Writer(book, whole_rows)
        units = list(_unit_rows(result))
        writer.sheet(SHEET_UNITS, units, total=_unit_total([values for values, _ in units]))
        writer.sheet(SHEET_COLLECTIVES, list(_nomination_rows(result, COLLECTIVE)))
        writer.sheet(SHEET_INDIVIDUALS, list(_nomination_rows(result, INDIVIDUAL)))
        writer.sheet(SHEET_FINDINGS, list(_finding_rows(result)))
        writer.sheet(SHEET_FILES, list(_file_rows(result)))
        writer.sheet(SHEET_SKIPPED, list(_skipped_rows(result)))
        book.close()
    return path

