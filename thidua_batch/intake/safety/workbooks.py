"""A workbook file judged before any parser sees it (`inspect_workbook`), and what the reader
needs from its sheets, gathered on the way (`Inspection.sheets`): each sheet's XML is inflated
once, here, and calamine's own read is the only other.

What is checked, in order:
1. empty (0 bytes or white space only), all zero bytes, larger than `max_file_bytes`;
2. the container: a zip (xlsx, xlsm, ods), a compound file (xls, or an OOXML file encrypted with
   a password), or anything else (PDF, HTML, text...: said what it really is);
3. for a zip, from the central directory alone: member count, duplicate names, encrypted
   members, compression methods, size of each XML part, declared total, per-member ratio,
   overlapping members (zipped.py);
4. whether the zip is what its name says, and ODF encryption (its manifest);
5. every member inflated in 1 MiB steps, never past its declared size, CRC checked; XML members
   searched for a DTD and a foreign encoding (xmlscan.py); sheets kept for the next step;
6. each sheet's extent against `max_cells` (sheets.py: xlsx cell references, ods repeats;
   xls.py: the DIMENSIONS record and cell records), and for .xlsx/.xlsm the cells calamine
   cannot describe;
7. for a compound file: encrypted OOXML, the Workbook/Book stream, FILEPASS (encrypted .xls).
"""
from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from functools import partial

from ...config.limits import Limits
from .basics import check_basics, guarded, head_text, looks_like_text, sniff_format
from .refusals import Refusal, Rejection, corrupt, not_workbook, too_many_cells
from .sheets import OdsStream, SheetFacts, WorksheetStream, sheet_parts, sheet_stream
from .xls import OOXML_SUFFIXES, inspect_cfb
from .xmlscan import scan_member
from .zipped import SLIM_MAX, check_odf_encryption, read_small, stored_zip, zip_directory, zip_kind


@dataclass(frozen=True)
class Inspection:
    """The safety pass's verdict, and what it learnt of the sheets on the way."""

    rejection: Rejection | None
    sheets: dict[str, SheetFacts] = field(default_factory=dict)   # by sheet name (.xlsx/.xlsm)
    slim: bytes | None = None   # with `slim`: the .xlsx/.xlsm again, stored, without its sheets' empty cells


def inspect_workbook(data: bytes, suffix: str, limits: Limits = Limits(), slim: bool = False) -> Inspection:
    """Never raises, never writes anything, never inflates more than a member declares. With
    `slim`, an .xlsx/.xlsm that passes comes back written again for the reader: every member as
    inflated here (stored: calamine does not inflate it a second time), each sheet without the
    empty cells that calamine would only drop (sheets.py), unless it holds more than `SLIM_MAX`."""
    rejection, found = guarded(partial(_inspect, slim=slim), data, suffix, limits)
    sheets, copy = found or ({}, None)
    return Inspection(rejection, sheets, copy)


def inspect_workbook_bytes(data: bytes, suffix: str, limits: Limits = Limits()) -> Rejection | None:
    """None when `data` may be opened as a workbook of type `suffix`; else why not."""
    return inspect_workbook(data, suffix, limits).rejection


Found = tuple[dict[str, SheetFacts], bytes | None]


def _inspect(data: bytes, suffix: str, limits: Limits, slim: bool = False) -> Found:
    check_basics(data, limits)
    container = sniff_format(data)
    if container == "zip":
        return _inspect_zip(data, suffix, limits, slim)
    if container == "cfb":
        inspect_cfb(data, suffix, limits.max_cells)
        return {}, None
    raise _what_else(data, suffix)


def _inspect_zip(data: bytes, suffix: str, limits: Limits, slim: bool) -> Found:
    infos = zip_directory(data, limits)
    kind = zip_kind({i.filename for i in infos})
    _check_kind_by_names(kind, suffix)
    check_odf_encryption(kind, data, infos)
    keep = slim and kind == "ooxml" and sum(i.file_size for i in infos) <= SLIM_MAX
    streams, kept = {}, {}
    for info in infos:
        chunks: list[bytes] | None = [] if keep else None
        stream = scan_member(data, info, lambda name, head: sheet_stream(name, head, limits.max_cells, keep), chunks)
        if stream is not None:
            streams[info.filename] = stream
        elif chunks is not None:
            kept[info.filename] = b"".join(chunks)
    _check_kind_by_content(kind, suffix, data, infos)
    if kind == "odf":
        ods = streams.get("content.xml")
        _check_extents(ods.result() if isinstance(ods, OdsStream) else {}, limits.max_cells)
        return {}, None
    facts = {part: stream.facts() for part, stream in streams.items() if isinstance(stream, WorksheetStream)}
    sheets = _worksheets(data, infos, facts, limits.max_cells)
    return sheets, (_slim_copy(infos, streams, kept) if keep else None)


def _slim_copy(infos: list[zipfile.ZipInfo], streams: dict[str, object], kept: dict[str, bytes]) -> bytes | None:
    """The workbook for the reader: each member as inflated, the sheets without their empty cells;
    None (the file itself is read) when a sheet could not be kept as calamine would read it."""
    members = []
    for info in infos:
        stream = streams.get(info.filename)
        content = stream.slim_xml() if isinstance(stream, WorksheetStream) else kept.get(info.filename)
        if content is None:
            return None
        members.append((info.filename, content))
    return stored_zip(members)


def _worksheets(data: bytes, infos: list[zipfile.ZipInfo], facts: dict[str, SheetFacts],
                max_cells: int) -> dict[str, SheetFacts]:
    """Sheet name → its facts. Any member that is a worksheet is held to `max_cells`, named by
    its sheet when the workbook lists it."""
    parts = sheet_parts(read_small(data, infos, "xl/workbook.xml"), read_small(data, infos, "xl/_rels/workbook.xml.rels"))
    names = {part: name for name, part in parts.items()}
    _check_extents({names.get(part, part): (f.rows, f.cols) for part, f in facts.items()}, max_cells)
    return {name: facts[part] for name, part in parts.items() if part in facts}


def _check_extents(extents: dict[str, tuple[int, int]], max_cells: int) -> None:
    for name, (rows, cols) in extents.items():
        if rows * cols > max_cells:
            raise too_many_cells(name, rows, cols, max_cells)


_BIFF_BOF = (b"\x09\x00", b"\x09\x02", b"\x09\x04", b"\x09\x08")


def _what_else(data: bytes, suffix: str) -> Refusal:
    head = data[:4096]
    if head.startswith(b"%PDF"):
        return not_workbook(suffix, "thực chất là tệp PDF")
    if head[:2] in _BIFF_BOF and len(head) >= 4:
        return not_workbook(
            suffix, "là bảng tính Excel đời rất cũ (Excel 2.x-4.0) mà công cụ không đọc được"
        )
    text = head_text(head).lower()
    if "urn:schemas-microsoft-com:office:spreadsheet" in text:
        return not_workbook(
            suffix,
            "thực chất là tệp «XML Spreadsheet 2003», không phải bảng tính Excel thật",
            "đề nghị đơn vị mở tệp bằng Excel, chọn Lưu thành (Save As) kiểu «Excel Workbook (*.xlsx)» rồi gửi lại",
        )
    if any(tag in text for tag in ("<html", "<table", "<!doctype html", "<meta", "<body")):
        return not_workbook(
            suffix,
            "thực chất là trang web (HTML, thường do phần mềm khác xuất ra), không phải bảng tính Excel thật",
            "đề nghị đơn vị mở tệp bằng Excel, chọn Lưu thành (Save As) kiểu «Excel Workbook (*.xlsx)» rồi gửi lại",
        )
    if text.startswith("{\\rtf"):
        return not_workbook(suffix, "thực chất là văn bản RTF")
    if looks_like_text(head):
        return not_workbook(suffix, "thực chất là tệp văn bản (chữ thường hoặc CSV), không phải bảng tính Excel")
    return not_workbook(suffix, "không phải là bảng tính Excel hay OpenDocument")


def _check_kind_by_names(kind: str, suffix: str) -> None:
    if kind == "zip":
        raise not_workbook(suffix, "thực chất là một tệp nén (ZIP) thông thường, không phải bảng tính")
    if suffix in OOXML_SUFFIXES and kind == "odf":
        raise not_workbook(
            suffix,
            "thực chất là tệp OpenDocument (.ods hoặc .odt)",
            "đề nghị đơn vị mở tệp, chọn Lưu thành (Save As) kiểu «Excel Workbook (*.xlsx)» rồi gửi lại",
        )
    if suffix == ".ods" and kind == "ooxml":
        raise not_workbook(suffix, "thực chất là tệp Office Open XML (.xlsx/.docx)")
    if suffix == ".xls" and kind in ("ooxml", "odf"):
        raise not_workbook(
            suffix,
            "thực chất là tệp định dạng khác được đổi đuôi thành .xls",
            "đề nghị đơn vị mở tệp bằng Excel, chọn Lưu thành (Save As) kiểu «Excel Workbook (*.xlsx)» rồi gửi lại",
        )


SPREADSHEET_MAIN = (
    b"spreadsheetml.sheet.main+xml",
    b"spreadsheetml.template.main+xml",
    b"ms-excel.sheet.macroenabled.main+xml",
    b"ms-excel.template.macroenabled.main+xml",
)


def _check_kind_by_content(kind: str, suffix: str, data: bytes, infos: list[zipfile.ZipInfo]) -> None:
    names = {i.filename for i in infos}
    if kind == "ooxml":
        types = (read_small(data, infos, "[Content_Types].xml") or b"").lower()
        if "xl/workbook.xml" in names or any(t in types for t in SPREADSHEET_MAIN):
            return
        if b"wordprocessingml" in types:
            raise not_workbook(suffix, "thực chất là văn bản Word (.docx)")
        if b"presentationml" in types:
            raise not_workbook(suffix, "thực chất là tệp trình chiếu PowerPoint (.pptx)")
        if b"sheet.binary" in types:
            raise not_workbook(suffix, "là bảng tính nhị phân Excel (.xlsb) mà công cụ không đọc",
                                "đề nghị đơn vị lưu lại thành «Excel Workbook (*.xlsx)» rồi gửi lại")
        raise not_workbook(suffix, "không chứa bảng tính Excel (thiếu xl/workbook.xml)")
    mimetype = (read_small(data, infos, "mimetype") or b"").strip()
    if mimetype.startswith(b"application/vnd.oasis.opendocument.spreadsheet"):
        if "content.xml" not in names:
            raise corrupt("thiếu phần nội dung content.xml")
        return
    if not mimetype and "content.xml" in names:
        return  # an ODF writer that left out the optional mimetype member
    if mimetype.startswith(b"application/vnd.oasis.opendocument.text"):
        raise not_workbook(suffix, "thực chất là văn bản OpenDocument (.odt)")
    raise not_workbook(suffix, "không phải là bảng tính OpenDocument (.ods)")
