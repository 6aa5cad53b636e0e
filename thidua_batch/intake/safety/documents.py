"""A Word file (a list attached to a tờ trình) judged before python-docx or LibreOffice sees it:
the same container checks as a workbook, then a .docx must be an OOXML package with a Word main
part (word/document.xml) and a .doc a compound file with a WordDocument stream, whose FIB is not
marked encrypted and whose sectors are all present. Its messages speak of Word."""
from __future__ import annotations

import struct
import zipfile

from ...config.limits import Limits
from .basics import check_basics, guarded, head_text, looks_like_text, sniff_format
from .compound import CompoundFile, CompoundFileError, Truncated
from .refusals import RESEND, Refusal, Rejection, corrupt, encrypted, truncated
from .workbooks import SPREADSHEET_MAIN
from .xmlscan import scan_member
from .zipped import check_odf_encryption, read_small, zip_directory, zip_kind

_WORD_TODO = "đề nghị đơn vị mở tệp bằng Word, chọn Lưu thành (Save As) kiểu «Word Document (*.docx)» rồi gửi lại"

# The shared checks above speak of Excel and sheets; a Word file's unit is told about Word.
_WORD_WORDING = (
    (RESEND, "đề nghị đơn vị mở tệp bằng Word, lưu lại thành tệp mới (.docx) và gửi lại"),
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
    rejection, _nothing = guarded(_inspect_document, data, suffix, limits)
    if rejection is None:
        return None
    message = rejection.message
    for excel, word in _WORD_WORDING:
        message = message.replace(excel, word)
    return Rejection(rejection.reason, message)


def _not_document(suffix: str, what: str, todo: str = "") -> Refusal:
    return Refusal("not-a-document", f"Tệp có đuôi {suffix or '(không có)'} nhưng {what}: {todo or _WORD_TODO}.")


def _rename_to(right: str) -> str:
    return f"đề nghị đơn vị đặt lại đúng đuôi {right} cho tệp rồi gửi lại"


def _inspect_document(data: bytes, suffix: str, limits: Limits) -> None:
    check_basics(data, limits)
    container = sniff_format(data)
    if container == "zip":
        infos = zip_directory(data, limits)
        kind = zip_kind({i.filename for i in infos})
        check_odf_encryption(kind, data, infos)
        for info in infos:
            scan_member(data, info)
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
        mimetype = (read_small(data, infos, "mimetype") or b"").strip()
        if mimetype.startswith(b"application/vnd.oasis.opendocument.spreadsheet"):
            raise _not_document(suffix, "thực chất là bảng tính OpenDocument (.ods)", _rename_to(".ods"))
        raise _not_document(suffix, "thực chất là văn bản OpenDocument (.odt)")
    types = (read_small(data, infos, "[Content_Types].xml") or b"").lower()
    if "word/document.xml" in names or any(t in types for t in _WORD_MAIN):
        if suffix == ".doc":
            raise _not_document(suffix, "thực chất là văn bản Word .docx được đổi đuôi", _rename_to(".docx"))
        return
    if "xl/workbook.xml" in names or any(t in types for t in SPREADSHEET_MAIN):
        raise _not_document(suffix, "thực chất là bảng tính Excel (.xlsx)", _rename_to(".xlsx"))
    if b"presentationml" in types:
        raise _not_document(suffix, "thực chất là tệp trình chiếu PowerPoint (.pptx)")
    raise _not_document(suffix, "không chứa nội dung văn bản Word (thiếu word/document.xml)")


def _document_else(data: bytes, suffix: str) -> Refusal:
    head = data[:4096]
    text = head_text(head).lower()
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
    if looks_like_text(head):
        return _not_document(suffix, "thực chất là tệp chữ thường (văn bản thuần), không phải văn bản Word")
    return _not_document(suffix, "không phải là văn bản Word")


_FIB_IDENT = 0xA5EC
_FIB_ENCRYPTED = 0x0100  # fEncrypted in FibBase's flags (also set, with fObfuscated, for XOR)


def _inspect_word_cfb(data: bytes, suffix: str) -> None:
    try:
        cfb = CompoundFile(data)
        names = cfb.names()
        if "encryptioninfo" in names or "encryptedpackage" in names:
            raise encrypted()
        word = cfb.stream("WordDocument")
        if word is None:
            raise _cfb_not_document(names, suffix)
        if suffix == ".docx":
            raise _not_document(suffix, "thực chất là văn bản Word 97-2003 (.doc) được đổi đuôi", _rename_to(".doc"))
        _check_complete(cfb)
        fib = cfb.read(word, 32)
    except Truncated:
        raise truncated() from None
    except (CompoundFileError, struct.error, IndexError):
        raise corrupt("cấu trúc tệp Word 97-2003 không hợp lệ") from None
    if len(fib) < 12 or struct.unpack_from("<H", fib, 0)[0] != _FIB_IDENT:
        raise corrupt("luồng nội dung của văn bản Word 97-2003 không hợp lệ")
    if struct.unpack_from("<H", fib, 10)[0] & _FIB_ENCRYPTED:
        raise encrypted()


def _check_complete(cfb: CompoundFile) -> None:
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
                raise CompoundFileError("shared sector")
            seen.add(sector)
            if (sector + 2) * cfb.sector_size > limit:
                raise Truncated
            count += 1
        if count * cfb.sector_size < entry.size:
            raise Truncated


def _cfb_not_document(names: set[str], suffix: str) -> Refusal:
    if "workbook" in names or "book" in names:
        return _not_document(suffix, "thực chất là bảng tính Excel 97-2003 (.xls)", _rename_to(".xls"))
    if "powerpoint document" in names:
        return _not_document(suffix, "thực chất là tệp trình chiếu PowerPoint 97-2003 (.ppt)")
    if any(n.startswith("__substg1.0_") for n in names):
        return _not_document(suffix, "thực chất là một thư Outlook (.msg)",
                             "đề nghị đơn vị gửi chính tệp văn bản Word đính kèm")
    return _not_document(suffix, "không chứa văn bản Word")
