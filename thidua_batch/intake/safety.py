"""Checks on a workbook file's bytes before any parser sees it.

Units email what they have: a renamed PDF, a password-protected file, a half-downloaded
attachment, an HTML table that a web system called ".xls". A hostile file may also come
(a zip bomb, XML with entity declarations). `inspect_workbook_bytes` looks at the bytes
only, cheaply and within fixed bounds, and returns a `Rejection` with a Vietnamese message
saying what the unit must do, or None when the file may be handed to calamine/openpyxl.
It never raises, never writes anything, and never inflates more than a member declares.

What is checked, in order:
1. empty (0 bytes or white space only), all zero bytes, larger than `max_file_bytes`;
2. the container: a zip (xlsx, xlsm, ods), a CFB/OLE2 compound file (xls, or an OOXML
   file encrypted with a password), or anything else (PDF, HTML, text...);
3. for a zip, from the central directory alone: member count, duplicate names, encrypted
   members, compression methods, size of each XML part (a sheet), declared total size,
   per-member compression ratio, overlapping members;
4. whether the zip is what its name says (xl/workbook.xml or a spreadsheet main part for
   .xlsx/.xlsm; mimetype + content.xml for .ods), and ODF encryption (manifest);
5. every member inflated in 1 MiB steps, never past its declared size (a member that
   inflates further is a lying header: rejected as a zip bomb), CRC checked; XML members
   scanned for "<!DOCTYPE" / "<!ENTITY" in UTF-8, UTF-16 and UTF-32, any case, and for
   an XML encoding other than UTF-8/UTF-16/Latin-1;
6. for a compound file: EncryptionInfo/EncryptedPackage streams (encrypted OOXML), the
   Workbook/Book stream, and a FILEPASS record in its BIFF globals (encrypted .xls).

The compound-file reader is a minimal one written here (the header, FAT, DIFAT, directory,
mini stream) rather than a new dependency; olefile would do the same job.

`inspect_document_bytes` does the same for a Word file (a list attached to a tờ trình):
steps 1-3 and 5 unchanged, then a .docx must be an OOXML package with a Word main part
(word/document.xml) and a .doc a compound file with a WordDocument stream, whose FIB is
not marked encrypted and whose sectors are all present. Its messages speak of Word.
"""
from __future__ import annotations

import io
import re
import struct
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass

__all__ = ["Limits", "Rejection", "sniff_format", "inspect_workbook_bytes", "inspect_document_bytes"]

from ..config.limits import Limits, MiB


@dataclass(frozen=True)
class Rejection:
    reason: str  # "empty", "not-a-workbook", "not-a-document", "encrypted", "truncated", "zip-bomb", "dtd",
    #              "too-large", "corrupt"
    message: str  # Vietnamese, for the unit: what is wrong and what to do


ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
CFB_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")


def sniff_format(data: bytes) -> str | None:
    """"zip" (xlsx, xlsm, ods), "cfb" (xls, or encrypted OOXML), or None."""
    if data[:4] in ZIP_MAGICS:
        return "zip"
    if data[:8] == CFB_MAGIC:
        return "cfb"
    return None


# ---------------------------------------------------------------------------
# Messages

_RESEND = "đề nghị đơn vị mở tệp bằng Excel, lưu lại thành tệp mới (.xlsx) và gửi lại"


def _mb(size: int) -> str:
    """"157,3 MB": Vietnamese decimal comma."""
    return f"{size / MiB:.1f}".replace(".", ",") + " MB"


class _Reject(Exception):
    def __init__(self, reason: str, message: str):
        super().__init__(reason)
        self.rejection = Rejection(reason, message)


def _empty() -> _Reject:
    return _Reject("empty", "Tệp rỗng (không có nội dung): đề nghị đơn vị kiểm tra lại tệp đã điền và gửi lại.")


def _truncated() -> _Reject:
    return _Reject(
        "truncated",
        "Tệp không đầy đủ (bị cắt cụt, thường do gửi hoặc tải về bị gián đoạn): "
        "đề nghị đơn vị gửi lại tệp.",
    )


def _corrupt(detail: str) -> _Reject:
    return _Reject("corrupt", f"Tệp bị hỏng, không đọc được ({detail}): {_RESEND}.")


def _encrypted() -> _Reject:
    return _Reject("encrypted", "Tệp được đặt mật khẩu: đề nghị đơn vị gỡ mật khẩu và gửi lại.")


def _bomb(detail: str) -> _Reject:
    return _Reject(
        "zip-bomb",
        f"Tệp có cấu trúc nén bất thường ({detail}) nên không được mở để bảo đảm an toàn: {_RESEND}.",
    )


def _dtd() -> _Reject:
    return _Reject(
        "dtd",
        "Tệp chứa khai báo DOCTYPE/ENTITY mà Excel không bao giờ tạo ra (có thể là tệp độc hại) "
        f"nên không được mở: {_RESEND}.",
    )


def _not_workbook(suffix: str, what: str, todo: str = "") -> _Reject:
    todo = todo or (
        "đề nghị đơn vị mở mẫu biểu bằng Excel, điền và lưu đúng định dạng Excel (.xlsx) rồi gửi lại"
    )
    return _Reject("not-a-workbook", f"Tệp có đuôi {suffix or '(không có)'} nhưng {what}: {todo}.")


def _too_large_file(size: int, limit: int) -> _Reject:
    return _Reject(
        "too-large",
        f"Tệp quá lớn ({_mb(size)}, giới hạn {_mb(limit)}): đề nghị đơn vị xoá các trang tính, "
        "hình ảnh, dòng thừa rồi gửi lại.",
    )


def _too_large_sheet(size: int, limit: int) -> _Reject:
    return _Reject(
        "too-large",
        f"Một trang tính trong tệp quá lớn ({_mb(size)} khi giải nén, giới hạn {_mb(limit)}; "
        "thường do có hàng trăm nghìn dòng hoặc định dạng kéo xuống hết trang): "
        "đề nghị đơn vị xoá các dòng, cột thừa và gửi lại.",
    )


# ---------------------------------------------------------------------------
# Entry point

_OOXML_SUFFIXES = (".xlsx", ".xlsm")


def _normal_suffix(suffix: str) -> str:
    suffix = (suffix or "").strip().lower()
    return suffix if not suffix or suffix.startswith(".") else "." + suffix


def inspect_workbook_bytes(data: bytes, suffix: str, limits: Limits = Limits()) -> Rejection | None:
    """None when `data` may be opened as a workbook of type `suffix`; else why not."""
    return _guarded(_inspect, data, suffix, limits)


def _guarded(inspect, data: bytes, suffix: str, limits: Limits) -> Rejection | None:
    suffix = _normal_suffix(suffix)
    try:
        inspect(bytes(data), suffix, limits)
    except _Reject as reject:
        return reject.rejection
    except (MemoryError, RecursionError):
        return _bomb("cần quá nhiều bộ nhớ để kiểm tra").rejection
    except Exception as exc:  # noqa: BLE001 - a hostile file must never crash the batch
        return _corrupt(f"cấu trúc không hợp lệ: {type(exc).__name__}").rejection
    return None


def _check_basics(data: bytes, limits: Limits) -> None:
    if not data or data.isspace():
        raise _empty()
    if data[:1] == b"\x00" and data.count(0) == len(data):
        raise _corrupt("tệp chỉ chứa các byte 0, thường do sao chép hoặc tải về bị lỗi")
    if len(data) > limits.max_file_bytes:
        raise _too_large_file(len(data), limits.max_file_bytes)


def _inspect(data: bytes, suffix: str, limits: Limits) -> None:
    _check_basics(data, limits)
    container = sniff_format(data)
    if container == "zip":
        _inspect_zip(data, suffix, limits)
    elif container == "cfb":
        _inspect_cfb(data, suffix)
    else:
        raise _what_else(data, suffix)


# ---------------------------------------------------------------------------
# Neither zip nor compound file

_BIFF_BOF = (b"\x09\x00", b"\x09\x02", b"\x09\x04", b"\x09\x08")


def _what_else(data: bytes, suffix: str) -> _Reject:
    head = data[:4096]
    if head.startswith(b"%PDF"):
        return _not_workbook(suffix, "thực chất là tệp PDF")
    if head[:2] in _BIFF_BOF and len(head) >= 4:
        return _not_workbook(
            suffix, "là bảng tính Excel đời rất cũ (Excel 2.x-4.0) mà công cụ không đọc được"
        )
    text = _head_text(head).lower()
    if "urn:schemas-microsoft-com:office:spreadsheet" in text:
        return _not_workbook(
            suffix,
            "thực chất là tệp «XML Spreadsheet 2003», không phải bảng tính Excel thật",
            "đề nghị đơn vị mở tệp bằng Excel, chọn Lưu thành (Save As) kiểu «Excel Workbook (*.xlsx)» rồi gửi lại",
        )
    if any(tag in text for tag in ("<html", "<table", "<!doctype html", "<meta", "<body")):
        return _not_workbook(
            suffix,
            "thực chất là trang web (HTML, thường do phần mềm khác xuất ra), không phải bảng tính Excel thật",
            "đề nghị đơn vị mở tệp bằng Excel, chọn Lưu thành (Save As) kiểu «Excel Workbook (*.xlsx)» rồi gửi lại",
        )
    if text.startswith("{\\rtf"):
        return _not_workbook(suffix, "thực chất là văn bản RTF")
    if _looks_like_text(head):
        return _not_workbook(suffix, "thực chất là tệp văn bản (chữ thường hoặc CSV), không phải bảng tính Excel")
    return _not_workbook(suffix, "không phải là bảng tính Excel hay OpenDocument")


def _head_text(head: bytes) -> str:
    for bom, codec in ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")):
        if head.startswith(bom):
            return head[len(bom):].decode(codec, errors="replace")
    if len(head) > 1 and head[1:2] == b"\x00" and head[0:1] != b"\x00":
        return head.decode("utf-16-le", errors="replace")
    return head.decode("utf-8", errors="replace")


def _looks_like_text(head: bytes) -> bool:
    text = _head_text(head)
    printable = sum(ch != "\ufffd" and (ch.isprintable() or ch in "\r\n\t") for ch in text)
    return bool(text) and printable / len(text) > 0.95


# ---------------------------------------------------------------------------
# Zip containers


def _inspect_zip(data: bytes, suffix: str, limits: Limits) -> None:
    infos = _zip_directory(data, limits)
    kind = _zip_kind({i.filename for i in infos})
    _check_kind_by_names(kind, suffix)
    _check_odf_encryption(kind, data, infos)
    _scan_members(data, infos)
    _check_kind_by_content(kind, suffix, data, infos)


def _zip_directory(data: bytes, limits: Limits) -> list[zipfile.ZipInfo]:
    """The members, once the central directory alone has passed every bound (steps 3)."""
    _count_members_bounded(data, limits.max_members)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError, struct.error, OSError, NotImplementedError):
        if _find_eocd(data) is None:
            raise _truncated() from None
        raise _corrupt("mục lục của tệp nén không hợp lệ") from None
    _check_directory(data, infos, limits)
    return infos


def _check_odf_encryption(kind: str, data: bytes, infos: list[zipfile.ZipInfo]) -> None:
    manifest = _read_small(data, infos, "META-INF/manifest.xml")
    if kind == "odf" and manifest is not None and b"encryption-data" in manifest:
        raise _encrypted()


def _scan_members(data: bytes, infos: list[zipfile.ZipInfo]) -> None:
    for info in infos:
        _scan_member(data, info)


def _find_eocd(data: bytes) -> int | None:
    pos = data.rfind(b"PK\x05\x06", max(0, len(data) - 22 - 65535))
    return None if pos < 0 or pos + 22 > len(data) else pos


def _count_members_bounded(data: bytes, limit: int) -> None:
    """Count central-directory entries ourselves, stopping past `limit`, before zipfile
    builds an object for each of maybe a million entries."""
    eocd = _find_eocd(data)
    if eocd is None:
        return  # zipfile will say what is wrong
    declared, cd_size = struct.unpack_from("<HI", data, eocd + 10)
    cd_end = eocd
    if declared == 0xFFFF or cd_size == 0xFFFFFFFF:  # zip64: the real numbers are in its own record
        record = eocd - 20 - 56
        if record < 0 or data[record : record + 4] != b"PK\x06\x06":
            return
        declared, cd_size = struct.unpack_from("<QQ", data, record + 32)
        cd_end = record
    if declared > limit:
        raise _bomb(f"chứa {declared} thành phần, giới hạn {limit}")
    count = 0
    pos = max(0, cd_end - cd_size)
    while pos + 46 <= cd_end and data[pos : pos + 4] == b"PK\x01\x02":
        count += 1
        if count > limit:
            raise _bomb(f"chứa hơn {limit} thành phần")
        name_len, extra_len, comment_len = struct.unpack_from("<HHH", data, pos + 28)
        pos += 46 + name_len + extra_len + comment_len


def _check_directory(data: bytes, infos: list[zipfile.ZipInfo], limits: Limits) -> None:
    if len(infos) > limits.max_members:
        raise _bomb(f"chứa {len(infos)} thành phần, giới hạn {limits.max_members}")
    names = [i.filename for i in infos]
    if len(set(names)) != len(names):
        raise _corrupt("có hai thành phần trùng tên trong tệp nén")
    for info in infos:
        if info.flag_bits & 0x1:
            raise _encrypted()
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise _corrupt(f"kiểu nén {info.compress_type} không được hỗ trợ")
    # A sheet too big says more to the unit than "zip bomb": checked first.
    for info in infos:
        if _is_xml_name(info.filename) and info.file_size > limits.max_sheet_xml_bytes:
            raise _too_large_sheet(info.file_size, limits.max_sheet_xml_bytes)
    if sum(i.file_size for i in infos) > limits.max_uncompressed_bytes:
        raise _bomb(f"dung lượng giải nén khai báo vượt {_mb(limits.max_uncompressed_bytes)}")
    for info in infos:
        if info.file_size > MiB:
            if info.compress_size == 0 or info.file_size / info.compress_size > limits.max_ratio:
                raise _bomb(f"tỷ lệ nén của một thành phần vượt {limits.max_ratio:g} lần")
    _check_overlaps(data, infos)


def _check_overlaps(data: bytes, infos: list[zipfile.ZipInfo]) -> None:
    """Members whose data overlap (the trick behind non-recursive zip bombs) never occur
    in a file Excel or LibreOffice wrote."""
    spans = sorted((i.header_offset, i.header_offset + 30 + i.compress_size) for i in infos)
    for (start_a, end_a), (start_b, _end_b) in zip(spans, spans[1:]):
        if start_b < end_a:
            raise _bomb("các thành phần chồng lên nhau")


def _is_xml_name(name: str) -> bool:
    return name.lower().endswith((".xml", ".rels", ".vml"))


def _zip_kind(names: set[str]) -> str:
    if "mimetype" in names or ("content.xml" in names and "META-INF/manifest.xml" in names):
        return "odf"
    if "[Content_Types].xml" in names:
        return "ooxml"
    return "zip"


def _check_kind_by_names(kind: str, suffix: str) -> None:
    if kind == "zip":
        raise _not_workbook(suffix, "thực chất là một tệp nén (ZIP) thông thường, không phải bảng tính")
    if suffix in _OOXML_SUFFIXES and kind == "odf":
        raise _not_workbook(
            suffix,
            "thực chất là tệp OpenDocument (.ods hoặc .odt)",
            "đề nghị đơn vị mở tệp, chọn Lưu thành (Save As) kiểu «Excel Workbook (*.xlsx)» rồi gửi lại",
        )
    if suffix == ".ods" and kind == "ooxml":
        raise _not_workbook(suffix, "thực chất là tệp Office Open XML (.xlsx/.docx)")
    if suffix == ".xls" and kind in ("ooxml", "odf"):
        raise _not_workbook(
            suffix,
            "thực chất là tệp định dạng khác được đổi đuôi thành .xls",
            "đề nghị đơn vị mở tệp bằng Excel, chọn Lưu thành (Save As) kiểu «Excel Workbook (*.xlsx)» rồi gửi lại",
        )


_SPREADSHEET_MAIN = (
    b"spreadsheetml.sheet.main+xml",
    b"spreadsheetml.template.main+xml",
    b"ms-excel.sheet.macroenabled.main+xml",
    b"ms-excel.template.macroenabled.main+xml",
)


def _check_kind_by_content(kind: str, suffix: str, data: bytes, infos: list[zipfile.ZipInfo]) -> None:
    names = {i.filename for i in infos}
    if kind == "ooxml":
        types = (_read_small(data, infos, "[Content_Types].xml") or b"").lower()
        if "xl/workbook.xml" in names or any(t in types for t in _SPREADSHEET_MAIN):
            return
        if b"wordprocessingml" in types:
            raise _not_workbook(suffix, "thực chất là văn bản Word (.docx)")
        if b"presentationml" in types:
            raise _not_workbook(suffix, "thực chất là tệp trình chiếu PowerPoint (.pptx)")
        if b"sheet.binary" in types:
            raise _not_workbook(suffix, "là bảng tính nhị phân Excel (.xlsb) mà công cụ không đọc",
                                "đề nghị đơn vị lưu lại thành «Excel Workbook (*.xlsx)» rồi gửi lại")
        raise _not_workbook(suffix, "không chứa bảng tính Excel (thiếu xl/workbook.xml)")
    mimetype = (_read_small(data, infos, "mimetype") or b"").strip()
    if mimetype.startswith(b"application/vnd.oasis.opendocument.spreadsheet"):
        if "content.xml" not in names:
            raise _corrupt("thiếu phần nội dung content.xml")
        return
    if not mimetype and "content.xml" in names:
        return  # an ODF writer that left out the optional mimetype member
    if mimetype.startswith(b"application/vnd.oasis.opendocument.text"):
        raise _not_workbook(suffix, "thực chất là văn bản OpenDocument (.odt)")
    raise _not_workbook(suffix, "không phải là bảng tính OpenDocument (.ods)")


def _read_small(data: bytes, infos: list[zipfile.ZipInfo], name: str, limit: int = MiB) -> bytes | None:
    """A small member's content (first `limit` bytes), inflated with the same bounds."""
    for info in infos:
        if info.filename == name:
            out = bytearray()
            for chunk in _inflate(data, info):
                out += chunk
                if len(out) >= limit:
                    break
            return bytes(out[:limit])
    return None


# ---------------------------------------------------------------------------
# Inflating a member: bounded, honest sizes, CRC checked

_CHUNK = MiB


def _local_data_span(data: bytes, info: zipfile.ZipInfo) -> tuple[int, int]:
    offset = info.header_offset
    if offset < 0 or offset + 30 > len(data):
        raise _truncated()
    if data[offset : offset + 4] != b"PK\x03\x04":
        raise _corrupt("thiếu đầu mục của một thành phần trong tệp nén")
    flags = struct.unpack_from("<H", data, offset + 6)[0]
    name_len, extra_len = struct.unpack_from("<HH", data, offset + 26)
    raw_name = data[offset + 30 : offset + 30 + name_len]
    name = raw_name.decode("utf-8" if flags & 0x800 else "cp437", errors="replace")
    if name != info.orig_filename:
        # Parsers that read local headers and those that read the directory would see different files.
        raise _corrupt("tên thành phần trong tệp nén không khớp mục lục")
    start = offset + 30 + name_len + extra_len
    end = start + info.compress_size
    if end > len(data):
        raise _truncated()
    return start, end


def _inflate(data: bytes, info: zipfile.ZipInfo) -> Iterator[bytes]:
    """The member's bytes in chunks; never more than its declared size."""
    start, end = _local_data_span(data, info)
    view = memoryview(data)[start:end]
    crc = 0
    produced = 0
    if info.compress_type == zipfile.ZIP_STORED:
        if info.compress_size != info.file_size:
            raise _corrupt("kích thước của một thành phần không khớp")
        for pos in range(0, len(view), _CHUNK):
            chunk = bytes(view[pos : pos + _CHUNK])
            crc = zlib.crc32(chunk, crc)
            yield chunk
        produced = len(view)
    else:
        inflater = zlib.decompressobj(-15)
        pos = 0
        try:
            while not inflater.eof:
                if inflater.unconsumed_tail:
                    feed = inflater.unconsumed_tail
                elif pos < len(view):
                    feed = view[pos : pos + _CHUNK]
                    pos += len(feed)
                else:
                    feed = b""
                # Ask for at most one byte past the declared size: enough to catch a liar.
                want = min(_CHUNK, info.file_size - produced + 1)
                chunk = inflater.decompress(feed, want)
                if not chunk and not feed:
                    break
                produced += len(chunk)
                if produced > info.file_size:
                    raise _bomb("một thành phần giải nén ra nhiều hơn kích thước khai báo")
                crc = zlib.crc32(chunk, crc)
                if chunk:
                    yield chunk
        except zlib.error:
            raise _corrupt("dữ liệu nén bị hỏng") from None
        if not inflater.eof:
            raise _corrupt("dữ liệu nén bị cắt ngang")
    if produced != info.file_size:
        raise _corrupt("kích thước của một thành phần không khớp")
    if crc != info.CRC:
        raise _corrupt("mã kiểm tra CRC của một thành phần không khớp")


# ---------------------------------------------------------------------------
# DTD scan

_KEYWORDS = ("<!doctype", "<!entity")
_CODECS = ("utf-8", "utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be")
_PATTERNS = tuple({kw.encode(codec) for kw in _KEYWORDS for codec in _CODECS})
_OVERLAP = max(len(p) for p in _PATTERNS) - 1
_BOMS = (b"\xef\xbb\xbf", b"\x00\x00\xfe\xff", b"\xff\xfe\x00\x00", b"\xff\xfe", b"\xfe\xff")
_XML_START = (b"<", b"<\x00", b"\x00<", b"<\x00\x00\x00", b"\x00\x00\x00<")
_ENCODING_DECL = re.compile(rb"^\s*<\?xml[^>]*?encoding\s*=\s*[\"']([A-Za-z0-9._:-]+)[\"']", re.IGNORECASE)
_ALLOWED_ENCODINGS = {
    b"utf-8", b"utf8", b"utf-16", b"utf-16le", b"utf-16be", b"us-ascii", b"ascii",
    b"iso-8859-1", b"latin-1", b"latin1", b"windows-1252", b"cp1252",
}


def _looks_like_xml(head: bytes) -> bool:
    for bom in _BOMS:
        if head.startswith(bom):
            return True
    stripped = head.lstrip(b" \t\r\n")
    return stripped.startswith(_XML_START) or head.startswith(b"\x4c\x6f\xa7\x94")  # EBCDIC "<?xm"


def _check_xml_encoding(head: bytes) -> None:
    if head.startswith(b"\x4c\x6f\xa7\x94"):
        raise _corrupt("tệp XML dùng bảng mã EBCDIC")
    if head.startswith(_BOMS):
        return
    declared = _ENCODING_DECL.match(head)
    if declared and declared.group(1).lower() not in _ALLOWED_ENCODINGS:
        raise _corrupt(f"tệp XML dùng bảng mã không hợp lệ {declared.group(1).decode('ascii')}")


def _scan_member(data: bytes, info: zipfile.ZipInfo) -> None:
    tail = b""
    is_xml = None
    for chunk in _inflate(data, info):
        if is_xml is None:
            is_xml = _is_xml_name(info.filename) or _looks_like_xml(chunk[:64])
            if is_xml:
                _check_xml_encoding(chunk[:1024])
        if not is_xml:
            continue  # still inflated to the end: sizes and CRC are checked for every member
        window = tail + chunk.lower()
        if any(p in window for p in _PATTERNS):
            raise _dtd()
        tail = window[-_OVERLAP:]


# ---------------------------------------------------------------------------
# Compound files (OLE2 / CFB)

_FREESECT, _ENDOFCHAIN, _FATSECT, _DIFSECT = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFC
_MAXREGSECT = 0xFFFFFFFA


class _Truncated(Exception):
    pass


class _CfbError(Exception):
    pass


@dataclass(frozen=True)
class _Entry:
    name: str
    kind: int  # 1 storage, 2 stream, 5 root
    start: int
    size: int


class _Cfb:
    """Just enough of [MS-CFB] to list streams and read the start of one."""

    def __init__(self, data: bytes):
        self.data = data
        if len(data) < 512:
            raise _Truncated
        major, byte_order, sector_shift, mini_shift = struct.unpack_from("<HHHH", data, 0x1A)
        if byte_order != 0xFFFE or sector_shift not in (9, 12) or mini_shift != 6:
            raise _CfbError("header")
        self.sector_size = 1 << sector_shift
        (n_fat, first_dir, _txn, self.mini_cutoff, first_minifat, _n_minifat, first_difat, _n_difat) = (
            struct.unpack_from("<IIIIIIII", data, 0x2C)
        )
        self.n_sectors = max(0, len(data) // self.sector_size - 1)
        if n_fat > self.n_sectors + 1:
            raise _CfbError("FAT size")
        self.fat = self._read_fat(data, n_fat, first_difat)
        self.entries = self._read_directory(first_dir, major)
        root = self.entries[0] if self.entries else None
        if root is None or root.kind != 5:
            raise _CfbError("root entry")
        self.minifat = self._ints(self._read_chain(first_minifat)) if first_minifat < _MAXREGSECT else []
        self.root = root

    def _sector(self, index: int) -> bytes:
        if index >= _MAXREGSECT:
            raise _CfbError("sector id")
        offset = (index + 1) * self.sector_size
        if offset + self.sector_size > len(self.data):
            raise _Truncated
        return self.data[offset : offset + self.sector_size]

    @staticmethod
    def _ints(block: bytes) -> list[int]:
        return list(struct.unpack(f"<{len(block) // 4}I", block[: len(block) // 4 * 4]))

    def _read_fat(self, data: bytes, n_fat: int, first_difat: int) -> list[int]:
        difat = list(struct.unpack_from("<109I", data, 0x4C))
        seen: set[int] = set()
        sector = first_difat
        while sector < _MAXREGSECT:
            if sector in seen or len(seen) > self.n_sectors:
                raise _CfbError("DIFAT loop")
            seen.add(sector)
            values = self._ints(self._sector(sector))
            difat.extend(values[:-1])
            sector = values[-1]
        fat_sectors = [s for s in difat if s < _MAXREGSECT][:n_fat]
        fat: list[int] = []
        for sector in fat_sectors:
            fat.extend(self._ints(self._sector(sector)))
        return fat

    def _chain(self, start: int, table: list[int]) -> Iterator[int]:
        seen: set[int] = set()
        sector = start
        while sector < _MAXREGSECT:
            if sector in seen or sector >= len(table):
                raise _CfbError("sector chain")
            seen.add(sector)
            yield sector
            sector = table[sector]
        if sector not in (_ENDOFCHAIN, _FREESECT):
            raise _CfbError("sector chain end")

    def _read_chain(self, start: int, limit: int | None = None) -> bytes:
        out = bytearray()
        for sector in self._chain(start, self.fat):
            out += self._sector(sector)
            if limit is not None and len(out) >= limit:
                break
        return bytes(out)

    def _read_directory(self, first_dir: int, major: int) -> list[_Entry]:
        raw = self._read_chain(first_dir)
        entries = []
        for pos in range(0, len(raw) - 127, 128):
            name_len = struct.unpack_from("<H", raw, pos + 0x40)[0]
            kind = raw[pos + 0x42]
            start, size = struct.unpack_from("<IQ", raw, pos + 0x74)
            if major == 3:
                size &= 0xFFFFFFFF  # version 3 files may leave garbage in the high half
            name = raw[pos : pos + min(max(name_len - 2, 0), 62)].decode("utf-16-le", errors="replace")
            entries.append(_Entry(name, kind, start, size))
        return entries

    def stream(self, name: str) -> _Entry | None:
        wanted = name.lower()
        return next((e for e in self.entries if e.kind == 2 and e.name.lower() == wanted), None)

    def names(self) -> set[str]:
        return {e.name.lower() for e in self.entries if e.kind in (1, 2)}

    def read(self, entry: _Entry, limit: int) -> bytes:
        """The first `limit` bytes of a stream."""
        want = min(entry.size, limit)
        if entry.size < self.mini_cutoff:
            mini = self._read_chain(self.root.start, limit=None) if self.root.size else b""
            out = bytearray()
            for sector in self._chain(entry.start, self.minifat):
                piece = mini[sector * 64 : sector * 64 + 64]
                if len(piece) < 64:
                    raise _Truncated
                out += piece
                if len(out) >= want:
                    break
            return bytes(out[:want])
        return self._read_chain(entry.start, limit=want)[:want]


_FILEPASS = 0x002F
_BOF_RECORDS = (0x0809, 0x0009, 0x0209, 0x0409)
_EOF_RECORD = 0x000A


def _inspect_cfb(data: bytes, suffix: str) -> None:
    try:
        cfb = _Cfb(data)
        names = cfb.names()
        if "encryptioninfo" in names or "encryptedpackage" in names:
            raise _encrypted()
        workbook = cfb.stream("Workbook") or cfb.stream("Book")
        if workbook is None:
            raise _cfb_not_workbook(names, suffix)
        if suffix in _OOXML_SUFFIXES + (".ods",):
            raise _not_workbook(
                suffix,
                "thực chất là bảng tính Excel 97-2003 (.xls) được đổi đuôi",
                "đề nghị đơn vị mở tệp bằng Excel, chọn Lưu thành (Save As) kiểu «Excel Workbook (*.xlsx)» rồi gửi lại",
            )
        head = cfb.read(workbook, 256 * 1024)
    except _Truncated:
        raise _truncated() from None
    except (_CfbError, struct.error, IndexError):
        raise _corrupt("cấu trúc tệp Excel 97-2003 không hợp lệ") from None
    if len(head) < min(workbook.size, 4):
        raise _truncated()
    _check_biff(head)


def _cfb_not_workbook(names: set[str], suffix: str) -> _Reject:
    if "worddocument" in names:
        return _not_workbook(suffix, "thực chất là văn bản Word 97-2003 (.doc)")
    if "powerpoint document" in names:
        return _not_workbook(suffix, "thực chất là tệp trình chiếu PowerPoint 97-2003 (.ppt)")
    if any(n.startswith("__substg1.0_") for n in names):
        return _not_workbook(suffix, "thực chất là một thư Outlook (.msg)")
    return _not_workbook(suffix, "không chứa bảng tính Excel")


def _check_biff(head: bytes) -> None:
    """Walk the workbook globals' records: an encrypted .xls has FILEPASS right after BOF."""
    if len(head) < 4:
        raise _corrupt("luồng dữ liệu bảng tính rỗng")
    record = struct.unpack_from("<H", head, 0)[0]
    if record not in _BOF_RECORDS:
        raise _corrupt("luồng dữ liệu bảng tính không bắt đầu bằng bản ghi BOF")
    pos = 0
    while pos + 4 <= len(head):
        record, length = struct.unpack_from("<HH", head, pos)
        if record == _FILEPASS:
            raise _encrypted()
        if record == _EOF_RECORD:
            return
        pos += 4 + length


# ---------------------------------------------------------------------------
# Word documents: a list attached to a tờ trình

_WORD_TODO = "đề nghị đơn vị mở tệp bằng Word, chọn Lưu thành (Save As) kiểu «Word Document (*.docx)» rồi gửi lại"

# The shared checks above speak of Excel and sheets; a Word file's unit is told about Word.
_WORD_WORDING = (
    (_RESEND, "đề nghị đơn vị mở tệp bằng Word, lưu lại thành tệp mới (.docx) và gửi lại"),
    ("mà Excel không bao giờ tạo ra", "mà Word không bao giờ tạo ra"),
    ("Một trang tính trong tệp quá lớn", "Phần nội dung văn bản trong tệp quá lớn"),
    ("; thường do có hàng trăm nghìn dòng hoặc định dạng kéo xuống hết trang): "
     "đề nghị đơn vị xoá các dòng, cột thừa và gửi lại",
     "): đề nghị đơn vị xoá hình ảnh, trang thừa hoặc tách thành nhiều tệp rồi gửi lại"),
    ("đề nghị đơn vị xoá các trang tính, hình ảnh, dòng thừa rồi gửi lại",
     "đề nghị đơn vị xoá hình ảnh, trang thừa hoặc tách thành nhiều tệp rồi gửi lại"),
)

_WORD_MAIN = (
    b"wordprocessingml.document.main+xml",
    b"wordprocessingml.template.main+xml",
    b"ms-word.document.macroenabled.main+xml",
    b"ms-word.template.macroenabledtemplate.main+xml",
)


def inspect_document_bytes(data: bytes, suffix: str, limits: Limits = Limits()) -> Rejection | None:
    """None when `data` may be opened as a Word document of type `suffix` (".docx": an OOXML
    package with word/document.xml; ".doc": a compound file with a WordDocument stream);
    else why not. Same bounds as `inspect_workbook_bytes`; never raises, never writes."""
    rejection = _guarded(_inspect_document, data, suffix, limits)
    if rejection is None:
        return None
    message = rejection.message
    for excel, word in _WORD_WORDING:
        message = message.replace(excel, word)
    return Rejection(rejection.reason, message)


def _not_document(suffix: str, what: str, todo: str = "") -> _Reject:
    return _Reject("not-a-document", f"Tệp có đuôi {suffix or '(không có)'} nhưng {what}: {todo or _WORD_TODO}.")


def _rename_to(right: str) -> str:
    return f"đề nghị đơn vị đặt lại đúng đuôi {right} cho tệp rồi gửi lại"


def _inspect_document(data: bytes, suffix: str, limits: Limits) -> None:
    _check_basics(data, limits)
    container = sniff_format(data)
    if container == "zip":
        infos = _zip_directory(data, limits)
        kind = _zip_kind({i.filename for i in infos})
        _check_odf_encryption(kind, data, infos)
        _scan_members(data, infos)
        _check_document_kind(kind, suffix, data, infos)
    elif container == "cfb":
        _inspect_word_cfb(data, suffix)
    else:
        raise _document_else(data, suffix)


def _check_document_kind(kind: str, suffix: str, data: bytes, infos: list[zipfile.ZipInfo]) -> None:
    names = {i.filename for i in infos}
    if kind == "zip":
        raise _not_document(suffix, "thực chất là một tệp nén (ZIP) thông thường, không phải văn bản Word")
    if kind == "odf":
        mimetype = (_read_small(data, infos, "mimetype") or b"").strip()
        if mimetype.startswith(b"application/vnd.oasis.opendocument.spreadsheet"):
            raise _not_document(suffix, "thực chất là bảng tính OpenDocument (.ods)", _rename_to(".ods"))
        raise _not_document(suffix, "thực chất là văn bản OpenDocument (.odt)")
    types = (_read_small(data, infos, "[Content_Types].xml") or b"").lower()
    if "word/document.xml" in names or any(t in types for t in _WORD_MAIN):
        if suffix == ".doc":
            raise _not_document(suffix, "thực chất là văn bản Word .docx được đổi đuôi", _rename_to(".docx"))
        return
    if "xl/workbook.xml" in names or any(t in types for t in _SPREADSHEET_MAIN):
        raise _not_document(suffix, "thực chất là bảng tính Excel (.xlsx)", _rename_to(".xlsx"))
    if b"presentationml" in types:
        raise _not_document(suffix, "thực chất là tệp trình chiếu PowerPoint (.pptx)")
    raise _not_document(suffix, "không chứa nội dung văn bản Word (thiếu word/document.xml)")


def _document_else(data: bytes, suffix: str) -> _Reject:
    head = data[:4096]
    text = _head_text(head).lower()
    if head.startswith(b"%PDF"):
        return _not_document(suffix, "thực chất là tệp PDF",
                             "đề nghị đơn vị gửi tệp Word (.docx) gốc hoặc danh sách bằng Excel (.xlsx)")
    if text.startswith("{\\rtf"):
        return _not_document(suffix, "thực chất là văn bản RTF")
    if "schemas.microsoft.com/office/word/2003/wordml" in text:
        return _not_document(suffix, "thực chất là tệp «Word XML 2003», không phải văn bản Word thật")
    if text.startswith("mime-version") or "multipart/related" in text:
        return _not_document(suffix, "thực chất là trang web đơn tệp (MHT), không phải văn bản Word thật")
    if any(tag in text for tag in ("<html", "<table", "<!doctype html", "<meta", "<body")):
        return _not_document(suffix, "thực chất là trang web (HTML), không phải văn bản Word thật")
    if _looks_like_text(head):
        return _not_document(suffix, "thực chất là tệp chữ thường (văn bản thuần), không phải văn bản Word")
    return _not_document(suffix, "không phải là văn bản Word")


_FIB_IDENT = 0xA5EC
_FIB_ENCRYPTED = 0x0100  # fEncrypted in FibBase's flags (also set, with fObfuscated, for XOR)


def _inspect_word_cfb(data: bytes, suffix: str) -> None:
    try:
        cfb = _Cfb(data)
        names = cfb.names()
        if "encryptioninfo" in names or "encryptedpackage" in names:
            raise _encrypted()
        word = cfb.stream("WordDocument")
        if word is None:
            raise _cfb_not_document(names, suffix)
        if suffix == ".docx":
            raise _not_document(suffix, "thực chất là văn bản Word 97-2003 (.doc) được đổi đuôi", _rename_to(".doc"))
        _check_complete(cfb)
        fib = cfb.read(word, 32)
    except _Truncated:
        raise _truncated() from None
    except (_CfbError, struct.error, IndexError):
        raise _corrupt("cấu trúc tệp Word 97-2003 không hợp lệ") from None
    if len(fib) < 12 or struct.unpack_from("<H", fib, 0)[0] != _FIB_IDENT:
        raise _corrupt("luồng nội dung của văn bản Word 97-2003 không hợp lệ")
    if struct.unpack_from("<H", fib, 10)[0] & _FIB_ENCRYPTED:
        raise _encrypted()


def _check_complete(cfb: _Cfb) -> None:
    """Every sector of every stream (and of the mini stream) lies inside the file: a .doc cut
    short keeps its header and directory but loses the text at its end. Each sector is
    visited once, so the walk is bounded by the file's size whatever the directory says."""
    seen: set[int] = set()
    limit = len(cfb.data)
    for entry in cfb.entries:
        if not (entry.kind == 5 or (entry.kind == 2 and entry.size >= cfb.mini_cutoff)) or not entry.size:
            continue
        count = 0
        for sector in cfb._chain(entry.start, cfb.fat):
            if sector in seen:
                raise _CfbError("shared sector")
            seen.add(sector)
            if (sector + 2) * cfb.sector_size > limit:
                raise _Truncated
            count += 1
        if count * cfb.sector_size < entry.size:
            raise _Truncated


def _cfb_not_document(names: set[str], suffix: str) -> _Reject:
    if "workbook" in names or "book" in names:
        return _not_document(suffix, "thực chất là bảng tính Excel 97-2003 (.xls)", _rename_to(".xls"))
    if "powerpoint document" in names:
        return _not_document(suffix, "thực chất là tệp trình chiếu PowerPoint 97-2003 (.ppt)")
    if any(n.startswith("__substg1.0_") for n in names):
        return _not_document(suffix, "thực chất là một thư Outlook (.msg)",
                             "đề nghị đơn vị gửi chính tệp văn bản Word đính kèm")
    return _not_document(suffix, "không chứa văn bản Word")
