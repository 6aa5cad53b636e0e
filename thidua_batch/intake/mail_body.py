"""The body of a mail that carries no file (mail.md, "No file, but a link or a table"): a table
pasted from Excel into Gmail or Outlook is read as a list (layout `mail-body`) by the one table
reader; a link to Google Sheets/Drive or another file host makes the file `file-link`: the unit
is asked to attach the file itself. Quoted earlier mails (Gmail's `gmail_quote`, `<blockquote>`)
are left out: they are not what the unit sent now."""
from __future__ import annotations

import datetime as dt
import hashlib
from html.parser import HTMLParser

from ..config.campaign import Campaign
from ..config.list_words import load_list_words
from ..model.findings import Finding
from ..model.results import IGNORED, MAIL_BODY, FileResult
from .grid import Grid, Merge
from .lists import CellReading, add_found_tables
from .mailfiles import file_links
from .tables import read_table

MAX_CELLS = 200_000   # a pasted table bigger than this is not a list anyone typed


class _Tables(HTMLParser):
    """Tables (rows of cell texts, with row and column spans) and the text outside them."""

    _BLOCKS = {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "pre"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: list[list[list[tuple[str, int, int]]]] = []
        self.lines: list[str] = []
        self._stack: list[list[list[tuple[str, int, int]]]] = []
        self._cell: list[str] | None = None
        self._span = (1, 1)
        self._line: list[str] = []
        self._quote = 0      # depth inside a quoted earlier mail
        self._tags: list[tuple[str, bool]] = []
        self._skip = 0       # inside <style>, <script>, <head>
        self.cells = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        quoted = tag == "blockquote" or "gmail_quote" in (attrs.get("class") or "") or \
            (attrs.get("id") or "").lower() in ("divrplyfwdmsg", "appendonsend")
        if tag not in ("br", "img", "meta", "hr", "input", "col"):
            self._tags.append((tag, quoted))
        self._quote += quoted
        if tag in ("style", "script", "head", "title"):
            self._skip += 1
        if self._quote or self._skip:
            return
        if tag == "table":
            self._stack.append([])
        elif tag == "tr" and self._stack:
            self._stack[-1].append([])
        elif tag in ("td", "th") and self._stack:
            if not self._stack[-1]:
                self._stack[-1].append([])
            self._cell, self._span = [], (_int(attrs.get("rowspan")), _int(attrs.get("colspan")))
        elif tag in self._BLOCKS:
            if self._cell is not None:
                self._cell.append("\n")
            else:
                self._flush()

    def handle_endtag(self, tag):
        while self._tags:
            open_tag, quoted = self._tags.pop()
            self._quote -= quoted
            if open_tag in ("style", "script", "head", "title"):
                self._skip -= 1
            if not (self._quote or self._skip):
                self._close(open_tag)
            if open_tag == tag:
                break

    def _close(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None and self._stack:
            text = "\n".join(" ".join(line.split()) for line in "".join(self._cell).split("\n")).strip()
            self._stack[-1][-1].append((text, *self._span))
            self.cells += self._span[0] * self._span[1]
            self._cell = None
        elif tag == "table" and self._stack:
            self.tables.append(self._stack.pop())
        elif tag in self._BLOCKS and self._cell is None:
            self._flush()

    def handle_data(self, data):
        if self._quote or self._skip:
            return
        if self._cell is not None:
            self._cell.append(data)
        elif not self._stack:
            self._line.append(data)

    def _flush(self) -> None:
        for part in "".join(self._line).splitlines():
            text = " ".join(part.split())
            if text:
                self.lines.append(text)
        self._line = []

    def close(self):
        super().close()
        self._flush()


def _int(text: str | None) -> int:
    try:
        return max(1, min(int(text or 1), 1000))
    except ValueError:
        return 1


def table_grid(rows: list[list[tuple[str, int, int]]], name: str) -> Grid:
    """An HTML table laid on a grid: a cell spanning rows or columns is a merged area, its text in its first cell."""
    taken: dict[tuple[int, int], bool] = {}
    values: dict[tuple[int, int], str] = {}
    merges = []
    for r, row in enumerate(rows):
        c = 0
        for text, rowspan, colspan in row:
            while taken.get((r, c)):
                c += 1
            for dr in range(rowspan):
                for dc in range(colspan):
                    taken[(r + dr, c + dc)] = True
            values[(r, c)] = text
            if rowspan > 1 or colspan > 1:
                merges.append(Merge(r, c, r + rowspan - 1, c + colspan - 1))
            c += colspan
    height = max((r for r, _ in taken), default=-1) + 1
    width = max((c for _, c in taken), default=-1) + 1
    grid_rows = [[values.get((r, c), "") for c in range(width)] for r in range(height)]
    return Grid(name, grid_rows, merges)


def read_mail_body(data: bytes, path: str, campaign: Campaign, received_at: dt.datetime | None = None) -> FileResult:
    """Never raises for bad input: problems become findings."""
    result = FileResult(path=path, sha256=hashlib.sha256(data).hexdigest(), received_at=received_at)
    markup = data.decode("utf-8", "replace")
    parser = _Tables()
    parser.feed(markup)
    parser.close()
    words, read_cell = load_list_words(), CellReading(campaign.year)
    tables = []
    if parser.cells <= MAX_CELLS:
        for number, rows in enumerate(parser.tables, 1):
            table = read_table(table_grid(rows, f"Bảng {number}"), words, read_cell)
            if table.header is not None and table.nominations:
                tables.append(table)
    result.title_lines = parser.lines[:40]
    if tables:
        add_found_tables(result, tables, MAIL_BODY)
        return result
    links = file_links(markup)
    if links:
        shown = ", ".join(links[:3]) + (f" và {len(links) - 3} đường dẫn khác" if len(links) > 3 else "")
        result.findings.append(Finding(
            "file-link", f"Đơn vị gửi đường dẫn, chưa gửi tệp: thư không có tệp đính kèm mà chỉ có đường dẫn tới tệp "
            f"({shown}). Công cụ không mở đường dẫn (tệp có thể bị sửa sau khi gửi, hoặc cần đăng nhập). Đề nghị đơn vị "
            "tải tệp Excel về máy và gửi lại thư, đính kèm chính tệp đó.", file=path, value=links[0]))
        result.reject("file-link")
        return result
    result.status, result.reason = IGNORED, "file-ignored"
    result.findings.append(Finding(
        "file-ignored", f"Thư “{path}” không có tệp đính kèm; bảng dán trong thư không phải danh sách đề nghị (không có "
        "cột “Họ và tên” hoặc “Tên tập thể”). Đề nghị đơn vị gửi danh sách bằng mẫu Excel, đính kèm thư.", file=path))
    return result
