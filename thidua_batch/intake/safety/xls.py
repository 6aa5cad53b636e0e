"""An .xls file (BIFF in a compound file): the Workbook stream present, not encrypted (FILEPASS),
and no sheet reaching so far that reading it would build a huge grid: each sheet's DIMENSIONS
record (calamine reserves its grid from it) and its cell records, against `max_cells`."""
from __future__ import annotations

import struct

from .compound import CompoundFile, CompoundFileError, Truncated
from .refusals import Refusal, corrupt, encrypted, not_workbook, too_many_cells, truncated

OOXML_SUFFIXES = (".xlsx", ".xlsm")
_FILEPASS = 0x002F
_BOF_RECORDS = (0x0809, 0x0009, 0x0209, 0x0409)
_EOF_RECORD = 0x000A
_BOUNDSHEET = 0x0085
_DIMENSIONS = 0x0200
# Records that place one value at (row, col): FORMULA, LABELSST, NUMBER, RK, LABEL, BOOLERR, RSTRING.
_CELL_RECORDS = frozenset((0x0006, 0x00FD, 0x0203, 0x027E, 0x0204, 0x0205, 0x00D6))
_MULRK = 0x00BD   # row, first col, …, last col in its last two bytes


def inspect_cfb(data: bytes, suffix: str, max_cells: int) -> None:
    try:
        cfb = CompoundFile(data)
        names = cfb.names()
        if "encryptioninfo" in names or "encryptedpackage" in names:
            raise encrypted()
        workbook = cfb.stream("Workbook") or cfb.stream("Book")
        if workbook is None:
            raise _cfb_not_workbook(names, suffix)
        if suffix in OOXML_SUFFIXES + (".ods",):
            raise not_workbook(
                suffix,
                "thực chất là bảng tính Excel 97-2003 (.xls) được đổi đuôi",
                "đề nghị đơn vị mở tệp bằng Excel, chọn Lưu thành (Save As) kiểu «Excel Workbook (*.xlsx)» rồi gửi lại",
            )
        stream = cfb.read(workbook, len(data))
    except Truncated:
        raise truncated() from None
    except (CompoundFileError, struct.error, IndexError):
        raise corrupt("cấu trúc tệp Excel 97-2003 không hợp lệ") from None
    if len(stream) < min(workbook.size, 4):
        raise truncated()
    _check_biff(stream)
    for sheet, (rows, cols) in biff_extents(stream).items():
        if rows * cols > max_cells:
            raise too_many_cells(sheet, rows, cols, max_cells)


def _cfb_not_workbook(names: set[str], suffix: str) -> Refusal:
    if "worddocument" in names:
        return not_workbook(suffix, "thực chất là văn bản Word 97-2003 (.doc)")
    if "powerpoint document" in names:
        return not_workbook(suffix, "thực chất là tệp trình chiếu PowerPoint 97-2003 (.ppt)")
    if any(n.startswith("__substg1.0_") for n in names):
        return not_workbook(suffix, "thực chất là một thư Outlook (.msg)")
    return not_workbook(suffix, "không chứa bảng tính Excel")


def _check_biff(stream: bytes) -> None:
    """Walk the workbook globals' records: an encrypted .xls has FILEPASS right after BOF."""
    if len(stream) < 4:
        raise corrupt("luồng dữ liệu bảng tính rỗng")
    record = struct.unpack_from("<H", stream, 0)[0]
    if record not in _BOF_RECORDS:
        raise corrupt("luồng dữ liệu bảng tính không bắt đầu bằng bản ghi BOF")
    pos = 0
    while pos + 4 <= len(stream):
        record, length = struct.unpack_from("<HH", stream, pos)
        if record == _FILEPASS:
            raise encrypted()
        if record == _EOF_RECORD:
            return
        pos += 4 + length


def biff_extents(stream: bytes) -> dict[str, tuple[int, int]]:
    """Sheet name → (rows, cols) from A1: the larger of its DIMENSIONS record and its farthest
    value cell. Sheets are found by the BOUNDSHEET records of the globals (their stream offsets)."""
    names: dict[int, str] = {}
    extents: dict[str, tuple[int, int]] = {}
    current: str | None = None
    rows = cols = 0
    pos, end = 0, len(stream)
    unpack = struct.unpack_from
    while pos + 4 <= end:
        record, length = unpack("<HH", stream, pos)
        body = pos + 4
        if record in _BOF_RECORDS:
            if current is not None:
                extents[current] = (rows, cols)
            current = names.get(pos) if names else None
            if current is None and pos:
                current = f"Trang {len(extents) + 1}"
            rows = cols = 0
        elif record == _BOUNDSHEET and length >= 8:
            offset = unpack("<I", stream, body)[0]
            names[offset] = _sheet_name(stream[body + 6: body + length])
        elif current is not None and length >= 4:
            if record in _CELL_RECORDS:
                row, col = unpack("<HH", stream, body)
                rows, cols = max(rows, row + 1), max(cols, col + 1)
            elif record == _MULRK and length >= 6:
                row = unpack("<H", stream, body)[0]
                last = unpack("<H", stream, body + length - 2)[0]
                rows, cols = max(rows, row + 1), max(cols, last + 1)
            elif record == _DIMENSIONS:
                if length >= 14:   # BIFF8: rows as 32-bit numbers, one past the last
                    _first_row, last_row, _first_col, last_col = unpack("<IIHH", stream, body)
                else:
                    _first_row, last_row, _first_col, last_col = unpack("<HHHH", stream, body)
                rows, cols = max(rows, last_row), max(cols, last_col)
        pos = body + length
    if current is not None:
        extents[current] = (rows, cols)
    return extents


def _sheet_name(raw: bytes) -> str:
    """A BOUNDSHEET's ShortXLUnicodeString (BIFF8), or a byte string (BIFF5)."""
    if len(raw) < 2:
        return "?"
    count, flags = raw[0], raw[1]
    if flags & 0x1:
        return raw[2: 2 + 2 * count].decode("utf-16-le", "replace")
    return raw[2: 2 + count].decode("latin-1")
