"""A Word file from a unit (.docx, or .doc through LibreOffice) into a FileResult: its list tables
read by the one table reader, like a sheet (workbook.md, "Word lists"). A Word file with no
list (a tờ trình, a biên bản) is ignored, its text kept to tell which unit sent it."""
from __future__ import annotations

import datetime as dt
import hashlib

from ..config.campaign import Campaign
from ..config.list_words import load_list_words
from ..model.findings import Finding
from ..model.results import IGNORED, WORD, FileResult
from .lists import CellReading, add_found_tables
from .tables import read_table
from .word_lists import WordUnreadable, read_word


def read_word_file(data: bytes, path: str, campaign: Campaign,
                   received_at: dt.datetime | None = None) -> FileResult:
    """Never raises for bad input: problems become findings."""
    result = FileResult(path=path, sha256=hashlib.sha256(data).hexdigest(), received_at=received_at)
    try:
        document = read_word(data, path, campaign.limits)
    except WordUnreadable as exc:
        result.findings.append(Finding("file-unreadable", str(exc), file=path))
        result.reject("file-unreadable")
        return result
    words, read_cell = load_list_words(), CellReading(campaign.year)
    tables = [t for t in (read_table(grid, words, read_cell) for grid in document.grids)
              if t.header is not None and t.nominations]
    in_lists = {part.strip() for t in tables for row in t.grid.rows for v in row if v not in ("", None)
                for part in (str(v), *str(v).split("\n"))}
    result.title_lines = [line for line in document.lines if line and line not in in_lists]
    if not tables:
        result.status, result.reason = IGNORED, "file-ignored"
        result.findings.append(Finding(
            "file-ignored", f"Văn bản Word “{path}” không có bảng danh sách đề nghị (bảng có cột “Họ và tên” "
            "hoặc “Tên tập thể”), có thể là tờ trình hoặc biên bản: đã nhận, không dùng để tổng hợp. Đề nghị gửi "
            "danh sách bằng mẫu Excel của Ban CSPL&QHLĐ.", file=path))
        return result
    add_found_tables(result, tables, WORD)
    return result
