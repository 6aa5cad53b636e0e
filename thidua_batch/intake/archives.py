"""Archives from the units (.zip, .7z, .rar) opened in memory: each member is a file of the inbox
(mail.md, "Archives"). Nothing is ever extracted to disk by this module, so a member named
"../../x.xlsx" can place nothing anywhere; such a name is still refused, like a bomb.

.zip: the standard library, names decoded as Windows writes them (UTF-8 flag, else the
Info-ZIP Unicode Path field that Explorer's "Send to > Compressed folder" adds, else the raw
bytes as UTF-8 (macOS), else the OEM code page: Vietnamese 1258, or 437/850 of an English or
European Windows). .7z: py7zr. .rar: an installed tool (7-Zip, unrar or bsdtar) into a private
temporary folder that is removed afterwards; without one, the archive is listed with that reason.
"""
from __future__ import annotations

import io
import os
import shutil
import struct
import subprocess
import tempfile
import unicodedata
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from ..config.limits import Limits

ARCHIVE_SUFFIXES = (".zip", ".7z", ".rar")
MAX_NESTING = 3            # an archive in an archive in an archive, no deeper
RAR_TIMEOUT_SECONDS = 120
_UNZIP = "Đề nghị đơn vị giải nén và gửi trực tiếp từng tệp (Excel, Word) đính kèm thư."


class ArchiveUnusable(Exception):
    """The archive as a whole cannot be read; the message (Vietnamese) says why and asks for the files unzipped."""


@dataclass(frozen=True)
class Member:
    name: str                 # "Hồ sơ/Danh sách.xlsx": decoded, "/" separated
    data: bytes = b""
    refused: str = ""         # why this member is not read (Vietnamese); "" when it is


def is_archive_name(name: str) -> bool:
    return PurePosixPath(name).suffix.lower() in ARCHIVE_SUFFIXES


def open_archive(data: bytes, name: str, limits: Limits = Limits()) -> list[Member]:
    """Every file member of the archive NAME (its bytes in DATA), folders left out. Raises
    ArchiveUnusable when the archive cannot be used at all (broken, encrypted, too big, a bomb)."""
    if len(data) > limits.max_file_bytes:
        raise ArchiveUnusable(f"Tệp nén “{name}” quá lớn ({_mb(len(data))}, giới hạn {_mb(limits.max_file_bytes)}). "
                              + _UNZIP)
    suffix = PurePosixPath(name).suffix.lower()
    kind = _sniff(data)
    if kind == ".zip":
        return _zip_members(data, name, limits)
    if kind == ".7z":
        return _7z_members(data, name, limits)
    if kind == ".rar":
        return _rar_members(data, name, limits)
    raise ArchiveUnusable(f"Tệp “{name}” mang đuôi {suffix} nhưng không phải tệp nén thật (tệp hỏng hoặc bị "
                          "đổi tên). " + _UNZIP)


def _sniff(data: bytes) -> str | None:
    if data.startswith(b"PK\x03\x04") or data.startswith(b"PK\x05\x06"):
        return ".zip"
    if data.startswith(b"7z\xbc\xaf\x27\x1c"):
        return ".7z"
    if data.startswith(b"Rar!\x1a\x07"):
        return ".rar"
    return None


def _mb(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"


def _broken(name: str, detail: object) -> ArchiveUnusable:
    return ArchiveUnusable(f"Không mở được tệp nén “{name}” (tệp hỏng hoặc bị cắt cụt khi gửi; chi tiết: {detail}). "
                           + _UNZIP)


def _encrypted(name: str) -> ArchiveUnusable:
    return ArchiveUnusable(f"Tệp nén “{name}” được đặt mật khẩu nên không mở được. " + _UNZIP)


def _check_totals(name: str, sizes: list[tuple[int, int]], limits: Limits) -> None:
    """SIZES: (uncompressed, compressed) per file member, as the archive declares them."""
    if len(sizes) > limits.max_members:
        raise ArchiveUnusable(f"Tệp nén “{name}” có {len(sizes)} tệp, quá giới hạn {limits.max_members}. " + _UNZIP)
    total = sum(u for u, _ in sizes)
    if total > limits.max_uncompressed_bytes:
        raise ArchiveUnusable(f"Tệp nén “{name}” khi giải nén lên tới {_mb(total)}, quá giới hạn "
                              f"{_mb(limits.max_uncompressed_bytes)} (có thể là “bom nén”). " + _UNZIP)
    for size, packed in sizes:
        if size > 1024 * 1024 and packed > 0 and size / packed > limits.max_ratio:
            raise ArchiveUnusable(f"Tệp nén “{name}” có tỷ lệ nén bất thường ({size / packed:.0f} lần, giới hạn "
                                  f"{limits.max_ratio:.0f}): có thể là “bom nén”, không mở. " + _UNZIP)


def member_refusal(name: str) -> str:
    """Why a member's path is refused: one that climbs out (".."), is absolute or names a drive."""
    parts = name.replace("\\", "/").split("/")
    if name.startswith(("/", "\\")) or (len(name) > 1 and name[1] == ":") or ".." in parts:
        return (f"Tệp “{name}” trong tệp nén có đường dẫn ra ngoài thư mục giải nén (“..”, ổ đĩa hoặc thư mục gốc): "
                "không đọc, vì lý do an toàn.")
    return ""


def _member(name: str, data: bytes = b"", refused: str = "") -> Member:
    shown = "/".join(p for p in unicodedata.normalize("NFC", name).replace("\\", "/").split("/")
                     if p not in ("", ".", ".."))
    return Member(shown or "tep", data, refused or member_refusal(name))


# --------------------------------------------------------------------------------------------- zip

def _zip_members(data: bytes, name: str, limits: Limits) -> list[Member]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = [i for i in archive.infolist() if not i.is_dir()]
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError) as exc:
        raise _broken(name, exc) from None
    _check_totals(name, [(i.file_size, i.compress_size) for i in infos], limits)
    if infos and all(i.flag_bits & 0x1 for i in infos):
        raise _encrypted(name)
    members = []
    with archive:
        for info in infos:
            shown = zip_name(info)
            if info.flag_bits & 0x1:
                members.append(_member(shown, refused=f"Tệp “{shown}” trong tệp nén được đặt mật khẩu, không đọc."))
                continue
            refused = member_refusal(shown)
            if refused:
                members.append(_member(shown, refused=refused))
                continue
            try:   # ZipExtFile stops at the declared size, checked above, and checks the CRC
                members.append(_member(shown, archive.read(info)))
            except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError, zlib.error) as exc:
                members.append(_member(shown, refused=f"Tệp “{shown}” trong tệp nén bị hỏng ({exc}), không đọc."))
    return members


_UNICODE_PATH = 0x7075
_VIETNAMESE = set("ăâđêôơưĂÂĐÊÔƠƯàảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợùủũúụừửữứựỳỷỹýỵ"
                  "ÀẢÃÁẠẰẲẴẮẶẦẨẪẤẬÈẺẼÉẸỀỂỄẾỆÌỈĨÍỊÒỎÕÓỌỒỔỖỐỘỜỞỠỚỢÙỦŨÚỤỪỬỮỨỰỲỶỸÝỴ")
_OEM_PAGES = ("cp1258", "cp437", "cp850")


def zip_name(info: zipfile.ZipInfo) -> str:
    """A member's name as its author typed it, whatever wrote the archive."""
    if info.flag_bits & 0x800:        # the UTF-8 flag: zipfile has decoded it already
        return unicodedata.normalize("NFC", info.filename)
    raw = info.orig_filename.encode("cp437")   # zipfile decoded the bytes as cp437: undo it
    unicode_path = _unicode_path_field(info.extra, raw)
    if unicode_path:
        return unicodedata.normalize("NFC", unicode_path)
    try:
        return unicodedata.normalize("NFC", raw.decode("utf-8"))
    except UnicodeDecodeError:
        pass
    return max((_decoded(raw, page) for page in _OEM_PAGES), key=_vietnamese_score)


def _decoded(raw: bytes, page: str) -> str:
    return unicodedata.normalize("NFC", raw.decode(page, "replace"))


def _vietnamese_score(text: str) -> tuple[int, int]:
    """More Vietnamese letters is better; then fewer symbols that never appear in a file name."""
    letters = sum(1 for c in text if c in _VIETNAMESE)
    odd = sum(1 for c in text if unicodedata.category(c)[0] in "SCM" or c == "\ufffd")
    return letters, -odd


def _unicode_path_field(extra: bytes, raw: bytes) -> str:
    """Info-ZIP Unicode Path extra field (0x7075): version 1, CRC-32 of the header name, UTF-8 name."""
    at = 0
    while at + 4 <= len(extra):
        kind, size = struct.unpack_from("<HH", extra, at)
        body = extra[at + 4:at + 4 + size]
        if kind == _UNICODE_PATH and len(body) >= 5 and body[0] == 1:
            (crc,) = struct.unpack_from("<I", body, 1)
            if crc == zlib.crc32(raw):
                try:
                    return body[5:].decode("utf-8")
                except UnicodeDecodeError:
                    return ""
        at += 4 + size
    return ""


# ---------------------------------------------------------------------------------------------- 7z

def _7z_members(data: bytes, name: str, limits: Limits) -> list[Member]:
    import py7zr   # imported here: only units that send .7z need it loaded
    from py7zr.exceptions import Bad7zFile, PasswordRequired

    try:
        archive = py7zr.SevenZipFile(io.BytesIO(data), mode="r")
    except PasswordRequired:
        raise _encrypted(name) from None
    except (Bad7zFile, OSError, ValueError, EOFError, KeyError, IndexError, TypeError) as exc:
        raise _broken(name, exc) from None
    with archive:
        try:
            if archive.needs_password():
                raise _encrypted(name)
            entries = [e for e in archive.list() if not e.is_directory]
        except (Bad7zFile, OSError, ValueError, EOFError, KeyError, IndexError, TypeError) as exc:
            raise _broken(name, exc) from None
        packed = max(len(data), 1)
        _check_totals(name, [(e.uncompressed or 0, 0) for e in entries], limits)
        total = sum(e.uncompressed or 0 for e in entries)
        if total > 1024 * 1024 and total / packed > limits.max_ratio:
            raise ArchiveUnusable(f"Tệp nén “{name}” có tỷ lệ nén bất thường ({total / packed:.0f} lần, giới hạn "
                                  f"{limits.max_ratio:.0f}): có thể là “bom nén”, không mở. " + _UNZIP)
        wanted = [e.filename for e in entries if not member_refusal(e.filename)]
        try:
            contents = _read_7z(archive, wanted, limits) if wanted else {}
        except ArchiveUnusable:
            raise
        except Exception as exc:   # noqa: BLE001 - py7zr raises many kinds for a broken stream
            raise _broken(name, exc) from None
    members = []
    for entry in entries:
        refused = member_refusal(entry.filename)
        members.append(_member(entry.filename, b"" if refused else contents.get(entry.filename, b""), refused))
    return members


def _read_7z(archive, wanted: list[str], limits: Limits) -> dict[str, bytes]:
    """In memory, never more than the declared total (py7zr's in-memory factory)."""
    from py7zr.io import BytesIOFactory

    factory = BytesIOFactory(limits.max_uncompressed_bytes)
    archive.extract(targets=wanted, factory=factory)
    contents = {}
    for name in wanted:
        product = factory.products.get(name)
        if product is not None:
            product.seek(0)
            contents[name] = product.read()
    return contents


# --------------------------------------------------------------------------------------------- rar

def rar_tool() -> list[str] | None:
    """The command that lists and extracts a .rar here, or None: 7-Zip, unrar, or bsdtar (libarchive)."""
    for exe in ("7z", "7zz", "7za"):
        found = shutil.which(exe) or (shutil.which(exe + ".exe") if os.name == "nt" else None)
        if found:
            return [found, "x", "-y", "-p-", "-bd"]
    if os.name == "nt":
        for folder in (os.environ.get("ProgramFiles", ""), os.environ.get("ProgramFiles(x86)", "")):
            candidate = Path(folder) / "7-Zip" / "7z.exe"
            if folder and candidate.is_file():
                return [str(candidate), "x", "-y", "-p-", "-bd"]
    if shutil.which("unrar"):
        return [shutil.which("unrar"), "x", "-y", "-p-", "-idq"]
    if shutil.which("bsdtar"):
        return [shutil.which("bsdtar"), "-x", "-f"]
    return None


def _rar_members(data: bytes, name: str, limits: Limits) -> list[Member]:
    tool = rar_tool()
    if tool is None:
        raise ArchiveUnusable(f"Tệp nén “{name}” (RAR) không đọc được trên máy này vì chưa cài chương trình giải nén "
                              "RAR (7-Zip). " + _UNZIP)
    seven = "7z" in Path(tool[0]).name.lower()
    with tempfile.TemporaryDirectory(prefix="thidua-rar-") as folder:
        archive, out = Path(folder) / "a.rar", Path(folder) / "x"
        out.mkdir()
        archive.write_bytes(data)
        if seven:   # sizes and encryption first, from the listing: a bomb is never expanded on disk
            listing = _run_tool([tool[0], "l", "-slt", "-p-", str(archive)], name)
            entries = _seven_listing(listing)
            if any(e.get("Encrypted") == "+" for e in entries):
                raise _encrypted(name)
            _check_totals(name, [(int(e.get("Size") or 0), int(e.get("Packed Size") or 0)) for e in entries
                                 if e.get("Folder") != "+"], limits)
        command = tool + ([str(archive), "-C", str(out)] if tool[1] == "-x" else
                          [str(archive), f"-o{out}"] if seven else [str(archive), f"{out}{os.sep}"])
        _run_tool(command, name)
        files = [p for p in sorted(out.rglob("*")) if p.is_file() and not p.is_symlink()]
        _check_totals(name, [(p.stat().st_size, 0) for p in files], limits)
        return [_member(p.relative_to(out).as_posix(), p.read_bytes()) for p in files]


def _run_tool(command: list[str], name: str) -> str:
    try:
        done = subprocess.run(command, capture_output=True, timeout=RAR_TIMEOUT_SECONDS, stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        raise ArchiveUnusable(f"Tệp nén “{name}” đọc quá {RAR_TIMEOUT_SECONDS} giây, dừng lại. " + _UNZIP) from None
    text = (done.stdout + done.stderr).decode("utf-8", "replace")
    if done.returncode != 0:
        lowered = text.lower()
        if "password" in lowered or "encrypted" in lowered:
            raise _encrypted(name)
        lines = [line for line in text.strip().splitlines() if line.strip()]
        raise _broken(name, lines[-1] if lines else f"mã lỗi {done.returncode}")
    return text


def _seven_listing(text: str) -> list[dict[str, str]]:
    """`7z l -slt`: blocks of "Key = value" lines after the "----------" line, one block a member."""
    entries: list[dict[str, str]] = []
    body = text.split("----------", 1)[1] if "----------" in text else ""
    for block in body.split("\n\n"):
        entry = dict(line.split(" = ", 1) for line in block.splitlines() if " = " in line)
        if entry.get("Path"):
            entries.append(entry)
    return entries
