"""XML members of a zip: no DTD (entity declarations are how XML bombs and external-entity
attacks start; Excel, Word and LibreOffice never write one), and an encoding the parsers read
safely. The keyword search runs only on the chunks where "!" or a NUL byte occurs (a UTF-16
or UTF-32 "<!" holds NUL bytes), which in files Office writes is almost none."""
from __future__ import annotations

import re
import zipfile
from collections.abc import Callable
from typing import Protocol

from .refusals import corrupt, dtd
from .zipped import inflate, is_xml_name

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


def looks_like_xml(head: bytes) -> bool:
    for bom in _BOMS:
        if head.startswith(bom):
            return True
    stripped = head.lstrip(b" \t\r\n")
    return stripped.startswith(_XML_START) or head.startswith(b"\x4c\x6f\xa7\x94")  # EBCDIC "<?xm"


def check_xml_encoding(head: bytes) -> None:
    if head.startswith(b"\x4c\x6f\xa7\x94"):
        raise corrupt("tệp XML dùng bảng mã EBCDIC")
    if head.startswith(_BOMS):
        return
    declared = _ENCODING_DECL.match(head)
    if declared and declared.group(1).lower() not in _ALLOWED_ENCODINGS:
        raise corrupt(f"tệp XML dùng bảng mã không hợp lệ {declared.group(1).decode('ascii')}")


class Sink(Protocol):
    def feed(self, chunk: bytes) -> None: ...


def scan_member(data: bytes, info: zipfile.ZipInfo, sink_for: Callable[[str, bytes], Sink | None] | None = None,
                kept: list[bytes] | None = None) -> Sink | None:
    """Inflate one member to its end (sizes and CRC are checked for every member); refuse an XML
    member holding a DTD or a foreign encoding. When `sink_for(name, first bytes)` gives a sink
    for this XML member (a sheet), every chunk is also fed to it: the one inflation serves both.
    Every chunk of a member without a sink is appended to `kept` when it is given."""
    tail = b""
    is_xml = None
    sink = None
    for chunk in inflate(data, info):
        if is_xml is None:
            is_xml = is_xml_name(info.filename) or looks_like_xml(chunk[:64])
            if is_xml:
                check_xml_encoding(chunk[:1024])
                sink = sink_for(info.filename, chunk[:4096]) if sink_for is not None else None
        if kept is not None and sink is None:
            kept.append(chunk)
        if not is_xml:
            continue
        if sink is not None:
            sink.feed(chunk)
        seam = tail + chunk[:_OVERLAP]
        # "!" and NUL are single bytes (a fast memchr); a UTF-16/32 "<!" holds NULs
        if b"!" in chunk or b"\x00" in chunk or b"!" in seam or b"\x00" in seam:
            window = (tail + chunk).lower()
            if any(p in window for p in _PATTERNS):
                raise dtd()
        tail = chunk[-_OVERLAP:]
    return sink
