"""What a sheet's own XML says, read once during the safety pass: how far its cells reach (so a
workbook whose grid would be huge is refused before calamine builds it), and for .xlsx/.xlsm what
calamine cannot tell the reader (formulas without a stored value, error cells, hidden rows and
columns). The reader takes these facts instead of opening the sheet again.

The extent counts the cells that hold something (`<c …>…</c>`; an empty styled `<c …/>` does
not make calamine build anything), from A1, since the reader asks calamine for the grid from A1.

A template's lists are pre-formatted far below the last row a unit fills: most of a sheet's XML
is rows of empty styled cells (`<row r="57"><c r="B57" s="23"/>…</row>`), which calamine would
parse only to build nothing (it builds a cell only for a `<v>` or `<is>` value). With `keep`,
the rows after the last value are left out of the copy the reader gives calamine (workbooks.py);
the facts about formulas, errors and hidden rows are still found in the whole sheet, the extent in
what calamine will read.
"""
from __future__ import annotations

import codecs
import html
import posixpath
import re
from dataclasses import dataclass, field


NO_CELLS: dict[str, str | None] = {}


@dataclass(frozen=True)
class SheetFacts:
    """One sheet: its extent (rows × columns from A1 to its farthest cell with content; an upper
    bound of 999 × 702 when every reference is nearer than that) and, for .xlsx/.xlsm, the cells
    calamine cannot describe."""

    rows: int = 0
    cols: int = 0
    formulas: dict[str, str | None] = field(default_factory=dict)  # "D7" → None (no cached value) or "#NAME?"
    hidden_rows: frozenset[int] = frozenset()   # 0-based
    hidden_cols: frozenset[int] = frozenset()   # 0-based

    @property
    def cells(self) -> int:
        return self.rows * self.cols


# -- a sheet's XML, fed in chunks ---------------------------------------------------------

_WORKSHEET_ROOT = re.compile(rb"<(?:[\w.-]+:)?worksheet[\s>/]")
_PART = 1024 * 1024   # bytes held before a part is looked at: a big sheet is never held whole


class _Stream:
    """Takes a member's XML chunk by chunk (never all of it at once) and hands `_part` whole
    elements: each chunk is cut before the last element start it holds, the rest waits for the
    next chunk. UTF-16 members are decoded to UTF-8 first."""

    _STARTS: tuple[bytes, ...] = ()

    def __init__(self) -> None:
        self._pending = b""
        self._decoder: codecs.IncrementalDecoder | None = None
        self._first = True

    def feed(self, chunk: bytes) -> None:
        if self._first:
            self._first = False
            codec = _utf16(chunk)
            if codec:
                self._decoder = codecs.getincrementaldecoder(codec)("replace")
        if self._decoder is not None:
            chunk = self._decoder.decode(chunk).encode("utf-8")
        buffer = self._pending + chunk if self._pending else chunk
        if len(buffer) < _PART:   # a sheet of usual size is looked at once, on close
            self._pending = buffer
            return
        cut = self._cut(buffer)
        if cut > 0:
            self._part(buffer[:cut])
            self._pending = buffer[cut:]
        else:
            self._pending = buffer

    def close(self) -> None:
        if self._pending:
            self._part(self._pending)
            self._pending = b""

    def _cut(self, buffer: bytes) -> int:
        cut = -1
        for start in self._STARTS:
            at = buffer.rfind(start)
            if at > 0 and start[:1] == b":":   # a prefixed name: cut at its "<"
                at = buffer.rfind(b"<", 0, at)
            cut = max(cut, at)
        return cut

    def _part(self, xml: bytes) -> None:
        raise NotImplementedError


def _utf16(head: bytes) -> str | None:
    if head[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return "utf-16"
    if len(head) > 1 and b"\x00" in head[:64]:
        return "utf-16-le" if head[1:2] == b"\x00" else "utf-16-be"
    return None


def sheet_stream(name: str, head: bytes, max_cells: int, keep: bool = False) -> "_Stream | None":
    """A scanner for a member calamine may read as a sheet: by its usual place or by its root
    element (a hostile file can point its workbook at any member); content.xml of an .ods."""
    if name == "content.xml":
        return OdsStream()
    if _utf16(head) and not _WORKSHEET_ROOT.search(head):
        try:
            head = head.decode(_utf16(head), "replace").encode("utf-8")
        except LookupError:
            return None
    if name.startswith("xl/worksheets/") and name.endswith(".xml") or _WORKSHEET_ROOT.search(head):
        return WorksheetStream(max_cells, keep)
    return None


# -- .xlsx / .xlsm worksheets ----------------------------------------------------------

# A formula element or an error cell (with or without a namespace prefix); the "<formula1>"
# of data validations does not count. Plain substring tests: far cheaper than a regex here.
_FORMULA_MARKERS = (b"<f>", b"<f ", b":f>", b":f ", b't="e"')
_CELL = re.compile(rb"<(?:\w+:)?c\b([^>]*?)(?:/>|>(.*?)</(?:\w+:)?c>)", re.S)
_ATTR_R = re.compile(rb'\br="([A-Z]+[0-9]+)"')
_ATTR_T_ERROR = re.compile(rb'\bt="e"')
_VALUE = re.compile(rb"<(?:\w+:)?v>(.*?)</(?:\w+:)?v>", re.S)
_FORMULA = re.compile(rb"<(?:\w+:)?f\b")
_HIDDEN_ROW = re.compile(rb'<(?:\w+:)?row\b(?=[^>]*\bhidden="1")[^>]*?\br="(\d+)"')
_HIDDEN_COLS = re.compile(rb'<(?:\w+:)?col\b(?=[^>]*\bhidden="1")[^>]*?\bmin="(\d+)"[^>]*?\bmax="(\d+)"')
# Any reference past column ZZ or row 999: only then is the exact extent worth working out.
_FAR_REF = re.compile(rb'r="(?:[A-Z]{3}|[A-Z]{1,2}[0-9]{4})')   # a literal start: a fast scan
_NEAR = (999, 702)
_ROW_OR_CELL = re.compile(rb"<(?:\w+:)?(row|c)\b([^>]*?)(/?)>")
_REF = re.compile(rb'\br="([A-Z]*)([0-9]*)"')


class WorksheetStream(_Stream):
    """An .xlsx/.xlsm worksheet's facts, gathered part by part."""

    _STARTS = (b"<row", b"<c ", b"<c>", b":row", b":c ", b":c>")

    def __init__(self, max_cells: int, keep: bool = False) -> None:
        super().__init__()
        self.max_cells = max_cells
        self.rows = self.cols = 0
        self._row = self._col = 0
        self.formulas: dict[str, str | None] = {}
        self.hidden_rows: set[int] = set()
        self.hidden_cols: set[int] = set()
        self.kept: list[bytes] | None = [] if keep else None
        self._parts = 0
        self._whole = False   # the part being looked at is the whole sheet

    def close(self) -> None:
        self._whole = self._parts == 0
        super().close()

    def _part(self, xml: bytes) -> None:
        self._parts += 1
        read = _without_empty_tail(xml) if self._whole else xml   # what calamine will read
        if self.kept is not None:
            self.kept.append(read)
        if _NEAR[0] * _NEAR[1] <= self.max_cells and _FAR_REF.search(read) is None and _all_referenced(read):
            if b"<c" in read or b":c " in read:
                self.rows, self.cols = max(self.rows, _NEAR[0]), max(self.cols, _NEAR[1])
            self._row, self._col = _NEAR[0], 0
        else:
            self._walk(read)
        if any(_holds(xml, m) for m in _FORMULA_MARKERS):
            self.formulas.update(_formula_cells(xml))
        if _holds(xml, b'hidden="1"'):
            self.hidden_rows.update(int(n) - 1 for n in _HIDDEN_ROW.findall(xml))
            self.hidden_cols.update(c - 1 for low, high in _HIDDEN_COLS.findall(xml)
                                    for c in range(int(low), min(int(high), 16384) + 1))

    def slim_xml(self) -> bytes | None:
        """The sheet's XML as calamine is to read it (without the empty rows after its last value),
        None for a UTF-16 sheet (kept here as UTF-8 under its UTF-16 declaration)."""
        self.close()
        if self.kept is None or self._decoder is not None:
            return None
        return b"".join(self.kept)

    def _walk(self, xml: bytes) -> None:
        """Every row and cell, placed the way calamine places them (a cell without a reference
        follows the one before it); only cells with content count."""
        row, col, rows, cols = self._row, self._col, self.rows, self.cols
        for match in _ROW_OR_CELL.finditer(xml):
            kind, attrs, empty = match.groups()
            ref = _REF.search(attrs)
            if kind == b"row":
                row = int(ref.group(2)) if ref and ref.group(2) else row + 1
                col = 0
                continue
            if ref and ref.group(1):
                col = _column_number(ref.group(1))
                row = int(ref.group(2)) if ref.group(2) else row
            else:
                col += 1
            if not empty:
                rows, cols = max(rows, row), max(cols, col)
        self._row, self._col, self.rows, self.cols = row, col, rows, cols

    def facts(self) -> SheetFacts:
        self.close()
        return SheetFacts(self.rows, self.cols, self.formulas or NO_CELLS, frozenset(self.hidden_rows),
                          frozenset(self.hidden_cols))


# Where a value starts: calamine builds a cell only for these (an empty <c>, a formula without
# its <v>, an error without one: nothing). Prefixed and self-closing forms included.
_VALUE_STARTS = (b"<v", b":v", b"<is", b":is")


def _without_empty_tail(xml: bytes) -> bytes:
    """The sheet without the rows after the one holding its last value (they hold no value, so
    calamine would build nothing from them); the sheet as it is when its shape is not the usual one."""
    end = xml.rfind(b"</sheetData>")
    if end < 0:
        return xml
    last = max(xml.rfind(start, 0, end) for start in _VALUE_STARTS)
    if last < 0:
        cut = xml.find(b"<sheetData>")
        cut = cut + len(b"<sheetData>") if cut >= 0 else -1
    else:
        cut = xml.find(b"</row>", last, end)
        cut = cut + len(b"</row>") if cut >= 0 else -1
    if cut < 0 or cut >= end or not xml.startswith(b"<row", cut):
        return xml
    return xml[:cut] + xml[end:]


def _holds(xml: bytes, needle: bytes) -> bool:
    """`needle in xml`, searched from the end: for short needles that are absent (the usual case
    here) CPython's reverse search is two to three times faster than `in` on sheet XML."""
    return xml.rfind(needle) >= 0


def _all_referenced(xml: bytes) -> bool:
    """Every row and cell has its reference (prefixed element names are rare: walked instead)."""
    if b":c" in xml or b":row" in xml:
        return False
    elements = xml.count(b"<c ") + xml.count(b"<c>") + xml.count(b"<row")
    return xml.count(b' r="') >= elements


def _column_number(letters: bytes) -> int:
    number = 0
    for byte in letters[:4]:
        number = number * 26 + byte - 64
    return number if len(letters) <= 3 else 16385 + len(letters)


def _formula_cells(xml: bytes) -> dict[str, str | None]:
    found: dict[str, str | None] = {}
    for match in _CELL.finditer(xml):
        attrs, body = match.group(1), match.group(2) or b""
        cell_ref = _ATTR_R.search(attrs)
        if not cell_ref:
            continue
        value = _VALUE.search(body)
        if _ATTR_T_ERROR.search(attrs):
            found[cell_ref.group(1).decode()] = value.group(1).decode("utf-8", "replace") if value else "#N/A"
        elif _FORMULA.search(body) and (value is None or not value.group(1).strip()):
            found[cell_ref.group(1).decode()] = None
    return found


_SHEET = re.compile(rb"<(?:\w+:)?sheet\b([^>]*)>")
_RELATIONSHIP = re.compile(rb"<(?:\w+:)?Relationship\b([^>]*)>")
_ATTR = re.compile(rb'([\w:]+)\s*=\s*(?:"([^"]*)"|\'([^\']*)\')')


def _attributes(raw: bytes) -> dict[str, str]:
    """Attribute name (without its prefix: r:id → id) → unescaped value."""
    return {name.decode("utf-8", "replace").rsplit(":", 1)[-1]:
            html.unescape((double if double else single).decode("utf-8", "replace"))
            for name, double, single in _ATTR.findall(raw)}


def sheet_parts(workbook_xml: bytes | None, rels_xml: bytes | None) -> dict[str, str]:
    """Sheet name → its zip member, from xl/workbook.xml and its relationships (both already
    checked for DTDs: plain attribute reading is enough)."""
    if not workbook_xml or not rels_xml:
        return {}
    targets = {}
    for match in _RELATIONSHIP.finditer(rels_xml):
        attrs = _attributes(match.group(1))
        if "Id" in attrs and "Target" in attrs:
            targets[attrs["Id"]] = attrs["Target"]
    parts = {}
    for match in _SHEET.finditer(workbook_xml):
        attrs = _attributes(match.group(1))
        target = targets.get(attrs.get("id", ""))
        if target and "name" in attrs:
            parts[attrs["name"]] = (target.lstrip("/") if target.startswith("/")
                                    else posixpath.normpath(posixpath.join("xl", target)))
    return parts


# -- .ods: content.xml holds every table -------------------------------------------------

_ODS_TOKEN = re.compile(
    rb"<(/?)table:(table|table-row|table-cell|covered-table-cell)(?=[\s/>])([^>]*?)(/?)>")
_ODS_NAME = re.compile(rb'\btable:name="([^"]*)"')
_ODS_ROWS = re.compile(rb'\btable:number-rows-repeated="(\d+)"')
_ODS_COLS = re.compile(rb'\btable:number-columns-repeated="(\d+)"')
_ODS_VALUE = re.compile(rb"\boffice:value-type=")


class OdsStream(_Stream):
    """Table name → (rows, cols) to its farthest cell with content, repeats counted as calamine
    expands them (a cell repeated 16,384 times across 1,048,576 repeated rows is that many cells;
    the repeated empty cells at the end of rows, which LibreOffice always writes, are not)."""

    _STARTS = (b"<table:",)

    def __init__(self) -> None:
        super().__init__()
        self.extents: dict[str, tuple[int, int]] = {}
        self._name, self._rows, self._cols = "", 0, 0
        self._row = self._col = 0
        self._row_repeat = 1
        self._depth = 0

    def _part(self, xml: bytes) -> None:
        for match in _ODS_TOKEN.finditer(xml):
            closing, kind, attrs, empty = match.groups()
            if kind == b"table":
                self._table(closing, attrs)
            elif self._depth == 1:   # a table inside a cell: its cells are not the sheet's
                self._row_or_cell(kind, closing, attrs, empty)

    def _table(self, closing: bytes, attrs: bytes) -> None:
        if closing:
            self._depth -= 1
            if self._depth == 0:
                self.extents[self._name] = (self._rows, self._cols)
            return
        self._depth += 1
        if self._depth == 1:
            found = _ODS_NAME.search(attrs)
            self._name = found.group(1).decode("utf-8", "replace") if found else f"Trang {len(self.extents) + 1}"
            self._rows = self._cols = self._row = 0

    def _row_or_cell(self, kind: bytes, closing: bytes, attrs: bytes, empty: bytes) -> None:
        if kind == b"table-row":
            if closing:
                self._row += self._row_repeat
            else:
                repeat = _ODS_ROWS.search(attrs)
                self._row_repeat = int(repeat.group(1)) if repeat else 1
                self._col = 0
                if empty:
                    self._row += self._row_repeat
            return
        if closing:
            return
        repeat = _ODS_COLS.search(attrs)
        span = int(repeat.group(1)) if repeat else 1
        if not empty or _ODS_VALUE.search(attrs):
            self._rows = max(self._rows, self._row + self._row_repeat)
            self._cols = max(self._cols, self._col + span)
        self._col += span

    def result(self) -> dict[str, tuple[int, int]]:
        self.close()
        return self.extents
