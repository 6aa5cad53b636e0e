"""Hostile and broken workbook files, built in code (no opaque binaries in the repository).

`make_hostile(kind, dest)` writes one file into the folder `dest` and returns its path;
`HOSTILE_KINDS` lists the kinds and `EXPECTED_REASON[kind]` the `Rejection.reason` that
`thidua_batch.intake.safety.inspect_workbook_bytes` must give. Most start from a real workbook
written by openpyxl and tamper with its zip; the compound files (encrypted OOXML,
encrypted .xls) come from a small CFB writer below.
"""
from __future__ import annotations

import io
import struct
import zipfile
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

MiB = 1024 * 1024


# ---------------------------------------------------------------------------
# A real workbook to start from


@lru_cache(maxsize=1)
def base_xlsx() -> bytes:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Cá nhân"
    ws.append(["STT", "Họ và tên", "Giới tính", "Năm sinh"])
    ws.append([1, "Lò Văn Thắng", "Nam", 1980])
    ws.append([2, "Giàng Thị Mỷ", "Nữ", 1985])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _members(data: bytes) -> list[tuple[zipfile.ZipInfo, bytes]]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return [(info, zf.read(info)) for info in zf.infolist()]


def rezip(
    data: bytes,
    replace: dict[str, bytes] | None = None,
    add: dict[str, bytes] | None = None,
    drop: tuple[str, ...] = (),
    compression: int = zipfile.ZIP_DEFLATED,
) -> bytes:
    """A copy of the zip `data`: members replaced (or added when absent), added, dropped."""
    replace = dict(replace or {})
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression) as zf:
        for info, content in _members(data):
            if info.filename in drop:
                continue
            zf.writestr(info.filename, replace.pop(info.filename, content))
        for name, content in {**replace, **(add or {})}.items():
            zf.writestr(name, content)
    return out.getvalue()


def make_zip(members: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression) as zf:
        for name, content in members.items():
            zf.writestr(name, content)
    return out.getvalue()


SHEET = "xl/worksheets/sheet1.xml"
SHARED = "xl/sharedStrings.xml"


def _sheet_xml() -> bytes:
    sheet = dict((i.filename, c) for i, c in _members(base_xlsx()))[SHEET]
    if not sheet.startswith(b"<?xml"):  # openpyxl leaves the declaration out
        sheet = b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' + sheet
    return sheet


# ---------------------------------------------------------------------------
# Editing zip headers in place (what a hand-made hostile file does)


def _central_entries(data: bytes) -> tuple[int, int, list[int]]:
    """(EOCD offset, central directory start, offsets of its entries)."""
    eocd = data.rfind(b"PK\x05\x06")
    count, size, start = struct.unpack_from("<HII", data, eocd + 10)
    offsets, pos = [], start
    for _ in range(count):
        offsets.append(pos)
        n, m, k = struct.unpack_from("<HHH", data, pos + 28)
        pos += 46 + n + m + k
    return eocd, start, offsets


def _entry_name(data: bytes, pos: int) -> str:
    n = struct.unpack_from("<H", data, pos + 28)[0]
    return data[pos + 46 : pos + 46 + n].decode("utf-8")


def patch_member(data: bytes, name: str, *, file_size: int | None = None, crc: int | None = None,
                 flag_bits_or: int = 0) -> bytes:
    """Change what the central directory and the local header declare for one member."""
    buf = bytearray(data)
    _eocd, _start, offsets = _central_entries(data)
    for pos in offsets:
        if _entry_name(data, pos) != name:
            continue
        local = struct.unpack_from("<I", data, pos + 42)[0]
        if file_size is not None:
            struct.pack_into("<I", buf, pos + 24, file_size)
            struct.pack_into("<I", buf, local + 22, file_size)
        if crc is not None:
            struct.pack_into("<I", buf, pos + 16, crc)
            struct.pack_into("<I", buf, local + 14, crc)
        if flag_bits_or:
            struct.pack_into("<H", buf, pos + 8, struct.unpack_from("<H", buf, pos + 8)[0] | flag_bits_or)
            struct.pack_into("<H", buf, local + 6, struct.unpack_from("<H", buf, local + 6)[0] | flag_bits_or)
        return bytes(buf)
    raise KeyError(name)


def duplicate_entry(data: bytes, name: str, new_name: str) -> bytes:
    """Add a second central-directory entry for the member `name`, pointing at the same data."""
    assert len(new_name.encode()) == len(name.encode())
    eocd, start, offsets = _central_entries(data)
    entries = []
    for i, pos in enumerate(offsets):
        end = offsets[i + 1] if i + 1 < len(offsets) else eocd
        entries.append(data[pos:end])
    twin = next(e for e in entries if e[46 : 46 + len(name.encode())] == name.encode())
    twin = twin[:46] + new_name.encode() + twin[46 + len(new_name.encode()) :]
    entries.append(twin)
    directory = b"".join(entries)
    eocd_record = bytearray(data[eocd : eocd + 22])
    struct.pack_into("<HHII", eocd_record, 8, len(entries), len(entries), len(directory), start)
    return data[:start] + directory + bytes(eocd_record)


# ---------------------------------------------------------------------------
# A minimal compound-file (CFB, version 3) writer


def make_cfb(streams: dict[str, bytes]) -> bytes:
    """A compound file holding `streams` at the root. Each stream is padded to 4096 bytes so
    that it lives in regular sectors (smaller ones would belong in the mini stream)."""
    sector = 512
    padded = {name: content.ljust(4096, b"\x00") for name, content in streams.items()}
    fat: list[int] = [0xFFFFFFFD, 0xFFFFFFFE]  # sector 0: the FAT itself; sector 1: the directory
    starts: dict[str, int] = {}
    body = bytearray()
    for name, content in padded.items():
        n = -(-len(content) // sector)
        first = len(fat)
        starts[name] = first
        fat.extend(range(first + 1, first + n))
        fat.append(0xFFFFFFFE)
        body += content.ljust(n * sector, b"\x00")
    assert len(fat) <= sector // 4, "a one-sector FAT is enough for these test files"
    fat_sector = struct.pack(f"<{sector // 4}I", *(fat + [0xFFFFFFFF] * (sector // 4 - len(fat))))

    def entry(name: str, kind: int, start: int, size: int, right: int = 0xFFFFFFFF, child: int = 0xFFFFFFFF) -> bytes:
        raw = name.encode("utf-16-le") + b"\x00\x00"
        out = bytearray(128)
        out[: len(raw)] = raw
        struct.pack_into("<HBBIII", out, 0x40, len(raw), kind, 1, 0xFFFFFFFF, right, child)
        struct.pack_into("<IQ", out, 0x74, start, size)
        return bytes(out)

    names = list(padded)
    directory = entry("Root Entry", 5, 0xFFFFFFFE, 0, child=1 if names else 0xFFFFFFFF)
    for i, name in enumerate(names):
        right = i + 2 if i + 1 < len(names) else 0xFFFFFFFF
        directory += entry(name, 2, starts[name], len(padded[name]), right=right)
    directory = directory.ljust(-(-len(directory) // sector) * sector, b"\x00")
    assert len(directory) == sector, "one directory sector (up to 3 streams)"

    header = bytearray(512)
    header[:8] = bytes.fromhex("D0CF11E0A1B11AE1")
    struct.pack_into("<HHHHH", header, 0x18, 0x3E, 3, 0xFFFE, 9, 6)
    struct.pack_into("<IIIIIIIII", header, 0x28, 0, 1, 1, 0, 4096, 0xFFFFFFFE, 0, 0xFFFFFFFE, 0)
    struct.pack_into("<109I", header, 0x4C, 0, *([0xFFFFFFFF] * 108))
    return bytes(header) + fat_sector + directory + bytes(body)


def _biff_record(kind: int, payload: bytes = b"") -> bytes:
    return struct.pack("<HH", kind, len(payload)) + payload


def _biff_globals(encrypted: bool) -> bytes:
    bof = _biff_record(0x0809, struct.pack("<HHHHII", 0x0600, 0x0005, 0x2775, 0x07CD, 0, 0x06))
    filepass = _biff_record(0x002F, struct.pack("<HHH", 1, 4, 2) + bytes(48))  # RC4 CryptoAPI header
    codepage = _biff_record(0x0042, struct.pack("<H", 1200))
    return bof + (filepass if encrypted else b"") + codepage + _biff_record(0x000A)


def encrypted_ooxml() -> bytes:
    info = struct.pack("<HHI", 4, 4, 0x40) + (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'
        b'<encryption xmlns="http://schemas.microsoft.com/office/2006/encryption">'
        b'<keyData saltSize="16" blockSize="16" keyBits="256" hashSize="64" cipherAlgorithm="AES" '
        b'cipherChaining="ChainingModeCBC" hashAlgorithm="SHA512" saltValue="AAAAAAAAAAAAAAAAAAAAAA=="/>'
        b"</encryption>"
    )
    package = struct.pack("<Q", 9000) + bytes(range(256)) * 36
    return make_cfb({"EncryptionInfo": info, "EncryptedPackage": package})


# ---------------------------------------------------------------------------
# Other documents a unit might send by mistake

MINIMAL_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def docx_bytes() -> bytes:
    types = (
        b'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        b'<Default Extension="xml" ContentType="application/xml"/>'
        b'<Override PartName="/word/document.xml" '
        b'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
    )
    document = (
        '<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/'
        'wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>Tờ trình</w:t></w:r></w:p></w:body></w:document>'
    ).encode()
    return make_zip({"[Content_Types].xml": types, "word/document.xml": document})


HTML_TABLE = (
    '<html xmlns:o="urn:schemas-microsoft-com:office:office" xmlns:x="urn:schemas-microsoft-com:office:excel">'
    '<head><meta http-equiv=Content-Type content="text/html; charset=utf-8"></head><body>'
    "<table><tr><td>Họ và tên</td><td>Năm sinh</td></tr><tr><td>Lò Văn Thắng</td><td>1980</td></tr></table>"
    "</body></html>"
).encode()

SPREADSHEET_2003 = (
    '<?xml version="1.0"?><?mso-application progid="Excel.Sheet"?>'
    '<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet" '
    'xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet"><Worksheet ss:Name="Cá nhân"><Table>'
    '<Row><Cell><Data ss:Type="String">Lò Văn Thắng</Data></Cell></Row></Table></Worksheet></Workbook>'
).encode()

ODS_CONTENT = (
    b'<?xml version="1.0" encoding="UTF-8"?><office:document-content '
    b'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    b'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    b'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.3">'
    b'<office:body><office:spreadsheet><table:table table:name="Sheet1"><table:table-row>'
    b"<table:table-cell><text:p>x</text:p></table:table-cell></table:table-row></table:table>"
    b"</office:spreadsheet></office:body></office:document-content>"
)


def ods_bytes(content: bytes = ODS_CONTENT, encrypted: bool = False) -> bytes:
    manifest = (
        b'<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
        b'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3">'
        b'<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        b'<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml">'
        + (b'<manifest:encryption-data manifest:checksum-type="SHA1/1K" manifest:checksum="AAAA"/>' if encrypted else b"")
        + b"</manifest:file-entry></manifest:manifest>"
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr("mimetype", b"application/vnd.oasis.opendocument.spreadsheet", zipfile.ZIP_STORED)
        zf.writestr("content.xml", bytes(range(256)) * 8 if encrypted else content, zipfile.ZIP_STORED if encrypted else zipfile.ZIP_DEFLATED)
        zf.writestr("META-INF/manifest.xml", manifest, zipfile.ZIP_DEFLATED)
    return out.getvalue()


# ---------------------------------------------------------------------------
# XML with declarations OOXML never has

BILLION_LAUGHS = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
    b'<!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">'
    b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>\n'
    b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1">'
    b"<si><t>&lol3;</t></si></sst>"
)


def _with_doctype(xml: bytes, doctype: bytes) -> bytes:
    decl_end = xml.index(b"?>") + 2
    return xml[:decl_end] + b"\n" + doctype + xml[decl_end:]


XXE = b'<!DOCTYPE worksheet [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'


def _utf16_sheet_with_dtd() -> bytes:
    text = _with_doctype(_sheet_xml(), XXE).decode("utf-8")
    text = text.replace('encoding="UTF-8"', 'encoding="UTF-16"', 1)
    return b"\xff\xfe" + text.encode("utf-16-le")


def _utf7_sheet() -> bytes:
    sheet = _sheet_xml().decode("utf-8").replace('encoding="UTF-8"', 'encoding="UTF-7"', 1)
    decl_end = sheet.index("?>") + 2
    # "+ADw-" is "<" in UTF-7: a DOCTYPE no byte-level scan for "<!DOCTYPE" would see
    return (sheet[:decl_end] + "+ADwAIQ-DOCTYPE x [+ADwAIQ-ENTITY a 'b'+AD4-]+AD4-" + sheet[decl_end:]).encode()


# ---------------------------------------------------------------------------
# Size attacks


def _ratio_bomb() -> bytes:
    return rezip(base_xlsx(), add={"xl/media/image1.png": bytes(20 * MiB)})


def _declared_bomb() -> bytes:
    data = rezip(base_xlsx(), add={f"xl/media/image{i}.png": bytes(1000) for i in range(1, 5)})
    for i in range(1, 5):
        data = patch_member(data, f"xl/media/image{i}.png", file_size=100 * MiB)
    return data


def _members_bomb() -> bytes:
    return rezip(base_xlsx(), add={f"xl/media/x{i}.bin": b"" for i in range(10_001)}, compression=zipfile.ZIP_STORED)


def _lying_bomb() -> bytes:
    data = rezip(base_xlsx(), add={"xl/media/image1.png": bytes(5 * MiB)})
    return patch_member(data, "xl/media/image1.png", file_size=1000)


def _overlap_bomb() -> bytes:
    return duplicate_entry(base_xlsx(), SHEET, "xl/worksheets/sheet9.xml")


def _oversized_file() -> bytes:
    return rezip(base_xlsx(), add={"xl/media/video.bin": bytes(51 * MiB)}, compression=zipfile.ZIP_STORED)


@lru_cache(maxsize=2)  # about 2 s to build: once per test session
def million_rows_xlsx(rows: int = 1_048_576) -> bytes:
    """A real workbook whose sheet has `rows` rows (about 170 MB of XML, 160 bytes a row),
    written streaming so that it never sits in memory uncompressed."""
    sheet = _sheet_xml()
    head = sheet[: sheet.index(b"<sheetData>") + len(b"<sheetData>")]
    foot = sheet[sheet.index(b"</sheetData>") :]
    row = (
        '<row r="%d"><c r="A%d"><v>%d</v></c><c r="B%d" t="inlineStr"><is><t>Lò Văn Thắng</t></is></c>'
        '<c r="C%d" t="inlineStr"><is><t>Nam</t></is></c><c r="D%d"><v>1980</v></c></row>'
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        for info, content in _members(base_xlsx()):
            if info.filename != SHEET:
                zf.writestr(info.filename, content)
        with zf.open(SHEET, "w", force_zip64=True) as member:
            member.write(head)
            batch = 8192
            for first in range(1, rows + 1, batch):
                chunk = "".join(row % ((n,) * 6) for n in range(first, min(first + batch, rows + 1)))
                member.write(chunk.encode("utf-8"))
            member.write(foot)
    return out.getvalue()


# ---------------------------------------------------------------------------
# The catalogue

_Builder = Callable[[], bytes]

_CATALOGUE: dict[str, tuple[str, str, _Builder]] = {
    # kind: (file suffix, expected Rejection.reason, builder)
    "empty": (".xlsx", "empty", lambda: b""),
    "whitespace": (".xlsx", "empty", lambda: b" \r\n\t \r\n"),
    "zero-bytes": (".xlsx", "corrupt", lambda: bytes(4096)),
    "pdf-named-xlsx": (".xlsx", "not-a-workbook", lambda: MINIMAL_PDF),
    "docx-named-xlsx": (".xlsx", "not-a-workbook", docx_bytes),
    "text-named-xlsx": (".xlsx", "not-a-workbook", lambda: "Họ và tên,Năm sinh\nLò Văn Thắng,1980\n".encode()),
    "csv-named-xls": (".xls", "not-a-workbook", lambda: "STT;Họ và tên\r\n1;Lò Văn Thắng\r\n".encode("cp1252", "replace")),
    "html-named-xls": (".xls", "not-a-workbook", lambda: HTML_TABLE),
    "spreadsheetml2003-named-xls": (".xls", "not-a-workbook", lambda: SPREADSHEET_2003),
    "plain-zip-named-xlsx": (".xlsx", "not-a-workbook", lambda: make_zip({"ho_so/to_trinh.txt": b"x"})),
    "xlsx-named-ods": (".ods", "not-a-workbook", base_xlsx),
    "ods-named-xlsx": (".xlsx", "not-a-workbook", ods_bytes),
    "xlsx-named-xls": (".xls", "not-a-workbook", base_xlsx),
    "xls-named-xlsx": (".xlsx", "not-a-workbook", lambda: make_cfb({"Workbook": _biff_globals(False)})),
    "doc-named-xls": (".xls", "not-a-workbook", lambda: make_cfb({"WordDocument": b"\xec\xa5" + bytes(100)})),
    "zip-without-workbook-xlsx": (".xlsx", "not-a-workbook", lambda: rezip(base_xlsx(), drop=("xl/workbook.xml",),
                                                                            replace={"[Content_Types].xml": b"<Types/>"})),
    "truncated-xlsx": (".xlsx", "truncated", lambda: base_xlsx()[: len(base_xlsx()) // 2]),
    "truncated-xls": (".xls", "truncated", lambda: make_cfb({"Workbook": _biff_globals(False)})[:1500]),
    "bad-crc-xlsx": (".xlsx", "corrupt", lambda: patch_member(base_xlsx(), SHEET, crc=0x12345678)),
    "garbage-cfb-xls": (".xls", "corrupt", lambda: bytes.fromhex("D0CF11E0A1B11AE1") + bytes(range(256)) * 8),
    "duplicate-member-xlsx": (".xlsx", "corrupt", lambda: _duplicate_member()),
    "utf7-xml-xlsx": (".xlsx", "corrupt", lambda: rezip(base_xlsx(), replace={SHEET: _utf7_sheet()})),
    "encrypted-xlsx": (".xlsx", "encrypted", encrypted_ooxml),
    "encrypted-xlsm": (".xlsm", "encrypted", encrypted_ooxml),
    "encrypted-xls": (".xls", "encrypted", lambda: make_cfb({"Workbook": _biff_globals(True)})),
    "encrypted-ods": (".ods", "encrypted", lambda: ods_bytes(encrypted=True)),
    "zip-encrypted-xlsx": (".xlsx", "encrypted", lambda: patch_member(base_xlsx(), SHEET, flag_bits_or=0x1)),
    "billion-laughs-xlsx": (".xlsx", "dtd", lambda: rezip(base_xlsx(), replace={SHARED: BILLION_LAUGHS})),
    "xxe-xlsx": (".xlsx", "dtd", lambda: rezip(base_xlsx(), replace={SHEET: _with_doctype(_sheet_xml(), XXE)})),
    "lowercase-doctype-xlsx": (".xlsx", "dtd", lambda: rezip(
        base_xlsx(), replace={SHEET: _with_doctype(_sheet_xml(), XXE.replace(b"<!DOCTYPE", b"<!doctype"))})),
    "entity-only-xlsx": (".xlsx", "dtd", lambda: rezip(
        base_xlsx(), add={"customXml/item1.xml": b'<?xml version="1.0"?><!ENTITY a "b"><r/>'})),
    "utf16-dtd-xlsx": (".xlsx", "dtd", lambda: rezip(base_xlsx(), replace={SHEET: _utf16_sheet_with_dtd()})),
    "dtd-in-oddly-named-member-xlsx": (".xlsx", "dtd", lambda: rezip(
        base_xlsx(), add={"xl/worksheets/sheet2.bin": _with_doctype(_sheet_xml(), XXE)})),
    "dtd-ods": (".ods", "dtd", lambda: ods_bytes(_with_doctype(ODS_CONTENT, b"<!DOCTYPE office:document-content>"))),
    "ratio-bomb-xlsx": (".xlsx", "zip-bomb", _ratio_bomb),
    "declared-size-bomb-xlsx": (".xlsx", "zip-bomb", _declared_bomb),
    "many-members-xlsx": (".xlsx", "zip-bomb", _members_bomb),
    "lying-size-xlsx": (".xlsx", "zip-bomb", _lying_bomb),
    "overlapping-members-xlsx": (".xlsx", "zip-bomb", _overlap_bomb),
    "oversized-file-xlsx": (".xlsx", "too-large", _oversized_file),
    "million-rows-xlsx": (".xlsx", "too-large", million_rows_xlsx),
}


def _duplicate_member() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for info, content in _members(base_xlsx()):
            zf.writestr(info.filename, content)
        import warnings

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # zipfile warns about the duplicate name: that is the point
            zf.writestr(SHEET, _with_doctype(_sheet_xml(), b""))
    return out.getvalue()


HOSTILE_KINDS: list[str] = list(_CATALOGUE)
EXPECTED_REASON: dict[str, str] = {kind: reason for kind, (_suffix, reason, _b) in _CATALOGUE.items()}
SUFFIX: dict[str, str] = {kind: suffix for kind, (suffix, _r, _b) in _CATALOGUE.items()}
SLOW_KINDS = frozenset({"million-rows-xlsx", "oversized-file-xlsx"})


def hostile_bytes(kind: str) -> bytes:
    return _CATALOGUE[kind][2]()


def make_hostile(kind: str, dest: Path) -> Path:
    """Write the hostile file `kind` into the folder `dest`; return its path."""
    dest = Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    path = dest / f"{kind}{SUFFIX[kind]}"
    path.write_bytes(hostile_bytes(kind))
    return path
