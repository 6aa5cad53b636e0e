"""A zip container (xlsx, xlsm, ods, docx) judged from its central directory alone, and its
members inflated within bounds: never past a member's declared size, CRC checked."""
from __future__ import annotations

import io
import struct
import zipfile
import zlib
from collections.abc import Iterator

from ...config.limits import Limits, MiB
from .refusals import Refusal, bomb, corrupt, encrypted, mb, too_large_sheet, truncated


# ---------------------------------------------------------------------------
# Zip containers


def zip_directory(data: bytes, limits: Limits) -> list[zipfile.ZipInfo]:
    """The members, once the central directory alone has passed every bound (steps 3)."""
    count_members_bounded(data, limits.max_members)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError, struct.error, OSError, NotImplementedError):
        if find_eocd(data) is None:
            raise truncated() from None
        raise corrupt("mục lục của tệp nén không hợp lệ") from None
    check_directory(data, infos, limits)
    return infos


def check_odf_encryption(kind: str, data: bytes, infos: list[zipfile.ZipInfo]) -> None:
    manifest = read_small(data, infos, "META-INF/manifest.xml")
    if kind == "odf" and manifest is not None and b"encryption-data" in manifest:
        raise encrypted()


def find_eocd(data: bytes) -> int | None:
    pos = data.rfind(b"PK\x05\x06", max(0, len(data) - 22 - 65535))
    return None if pos < 0 or pos + 22 > len(data) else pos


def count_members_bounded(data: bytes, limit: int) -> None:
    """Count central-directory entries ourselves, stopping past `limit`, before zipfile
    builds an object for each of maybe a million entries."""
    eocd = find_eocd(data)
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
        raise bomb(f"chứa {declared} thành phần, giới hạn {limit}")
    count = 0
    pos = max(0, cd_end - cd_size)
    while pos + 46 <= cd_end and data[pos : pos + 4] == b"PK\x01\x02":
        count += 1
        if count > limit:
            raise bomb(f"chứa hơn {limit} thành phần")
        name_len, extra_len, comment_len = struct.unpack_from("<HHH", data, pos + 28)
        pos += 46 + name_len + extra_len + comment_len


def check_directory(data: bytes, infos: list[zipfile.ZipInfo], limits: Limits) -> None:
    if len(infos) > limits.max_members:
        raise bomb(f"chứa {len(infos)} thành phần, giới hạn {limits.max_members}")
    names = [i.filename for i in infos]
    if len(set(names)) != len(names):
        raise corrupt("có hai thành phần trùng tên trong tệp nén")
    for info in infos:
        if info.flag_bits & 0x1:
            raise encrypted()
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise corrupt(f"kiểu nén {info.compress_type} không được hỗ trợ")
    # A sheet too big says more to the unit than "zip bomb": checked first.
    for info in infos:
        if is_xml_name(info.filename) and info.file_size > limits.max_sheet_xml_bytes:
            raise too_large_sheet(info.file_size, limits.max_sheet_xml_bytes)
    if sum(i.file_size for i in infos) > limits.max_uncompressed_bytes:
        raise bomb(f"dung lượng giải nén khai báo vượt {mb(limits.max_uncompressed_bytes)}")
    for info in infos:
        if info.file_size > MiB:
            if info.compress_size == 0 or info.file_size / info.compress_size > limits.max_ratio:
                raise bomb(f"tỷ lệ nén của một thành phần vượt {limits.max_ratio:g} lần")
    check_overlaps(data, infos)


def check_overlaps(data: bytes, infos: list[zipfile.ZipInfo]) -> None:
    """Members whose data overlap (the trick behind non-recursive zip bombs) never occur
    in a file Excel or LibreOffice wrote."""
    spans = sorted((i.header_offset, i.header_offset + 30 + i.compress_size) for i in infos)
    for (start_a, end_a), (start_b, _end_b) in zip(spans, spans[1:]):
        if start_b < end_a:
            raise bomb("các thành phần chồng lên nhau")


def is_xml_name(name: str) -> bool:
    return name.lower().endswith((".xml", ".rels", ".vml"))


def zip_kind(names: set[str]) -> str:
    if "mimetype" in names or ("content.xml" in names and "META-INF/manifest.xml" in names):
        return "odf"
    if "[Content_Types].xml" in names:
        return "ooxml"
    return "zip"


def read_small(data: bytes, infos: list[zipfile.ZipInfo], name: str, limit: int = MiB) -> bytes | None:
    """A small member's content (first `limit` bytes), inflated with the same bounds."""
    for info in infos:
        if info.filename == name:
            out = bytearray()
            for chunk in inflate(data, info):
                out += chunk
                if len(out) >= limit:
                    break
            return bytes(out[:limit])
    return None


# ---------------------------------------------------------------------------
# Inflating a member: bounded, honest sizes, CRC checked

CHUNK = MiB


def local_data_span(data: bytes, info: zipfile.ZipInfo) -> tuple[int, int]:
    offset = info.header_offset
    if offset < 0 or offset + 30 > len(data):
        raise truncated()
    if data[offset : offset + 4] != b"PK\x03\x04":
        raise corrupt("thiếu đầu mục của một thành phần trong tệp nén")
    flags = struct.unpack_from("<H", data, offset + 6)[0]
    name_len, extra_len = struct.unpack_from("<HH", data, offset + 26)
    raw_name = data[offset + 30 : offset + 30 + name_len]
    name = raw_name.decode("utf-8" if flags & 0x800 else "cp437", errors="replace")
    if name != info.orig_filename:
        # Parsers that read local headers and those that read the directory would see different files.
        raise corrupt("tên thành phần trong tệp nén không khớp mục lục")
    start = offset + 30 + name_len + extra_len
    end = start + info.compress_size
    if end > len(data):
        raise truncated()
    return start, end


def inflate(data: bytes, info: zipfile.ZipInfo) -> Iterator[bytes]:
    """The member's bytes in chunks; never more than its declared size."""
    start, end = local_data_span(data, info)
    view = memoryview(data)[start:end]
    crc = 0
    produced = 0
    if info.compress_type == zipfile.ZIP_STORED:
        if info.compress_size != info.file_size:
            raise corrupt("kích thước của một thành phần không khớp")
        for pos in range(0, len(view), CHUNK):
            chunk = bytes(view[pos : pos + CHUNK])
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
                    feed = view[pos : pos + CHUNK]
                    pos += len(feed)
                else:
                    feed = b""
                # Ask for at most one byte past the declared size: enough to catch a liar.
                want = min(CHUNK, info.file_size - produced + 1)
                chunk = inflater.decompress(feed, want)
                if not chunk and not feed:
                    break
                produced += len(chunk)
                if produced > info.file_size:
                    raise bomb("một thành phần giải nén ra nhiều hơn kích thước khai báo")
                crc = zlib.crc32(chunk, crc)
                if chunk:
                    yield chunk
        except zlib.error:
            raise corrupt("dữ liệu nén bị hỏng") from None
        if not inflater.eof:
            raise corrupt("dữ liệu nén bị cắt ngang")
    if produced != info.file_size:
        raise corrupt("kích thước của một thành phần không khớp")
    if crc != info.CRC:
        raise corrupt("mã kiểm tra CRC của một thành phần không khớp")




# ---------------------------------------------------------------------------
# A checked workbook written again for the reader: every member stored, inflated once

SLIM_MAX = 64 * MiB   # inflated bytes a workbook may have for the reader to get its slim copy


def stored_zip(members: list[tuple[str, bytes]]) -> bytes:
    """A zip of MEMBERS (name, content), every one stored uncompressed, names in UTF-8."""
    out = bytearray()
    directory = bytearray()
    for name, content in members:
        raw = name.encode("utf-8")
        flags = 0x800 if not raw.isascii() else 0
        crc, size, offset = zlib.crc32(content), len(content), len(out)
        out += struct.pack("<4sHHHHHIIIHH", b"PK\x03\x04", 20, flags, 0, 0, 0x21, crc, size, size, len(raw), 0)
        out += raw
        out += content
        directory += struct.pack("<4sHHHHHHIIIHHHHHII", b"PK\x01\x02", 20, 20, flags, 0, 0, 0x21, crc, size, size,
                                 len(raw), 0, 0, 0, 0, 0, offset)
        directory += raw
    start = len(out)
    out += directory
    out += struct.pack("<4sHHHHIIH", b"PK\x05\x06", 0, 0, len(members), len(members), len(directory), start, 0)
    return bytes(out)
