"""The page's only ways to the disk: safe names for uploads inside INBOX, downloads only from
INBOX and OUT, and what changed since the last run."""
from __future__ import annotations

import contextlib
import os
import re
import tempfile
import threading
import unicodedata
from pathlib import Path, PurePosixPath

from ..common.filenames import fit_name, is_device_name


UPLOAD_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods", ".eml", ".mbox", ".docx", ".doc", ".zip", ".7z", ".rar")
_FORBIDDEN = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*]')
_SAVE_LOCK = threading.Lock()


def safe_upload_name(name: str) -> str | None:
    """The file name an upload is saved under: its own name, reduced to a plain Windows-safe file
    name (no folder, no traversal, not hidden, not a device name), NFC. None when nothing is left."""
    name = unicodedata.normalize("NFC", name or "")
    name = PurePosixPath(name.replace("\\", "/")).name          # "C:\\x\\..\\a.xlsx" → "a.xlsx"
    name = _FORBIDDEN.sub("_", name).strip().rstrip(". ")
    if not name or name.startswith(".") or name.startswith("~$") or name in (".", ".."):
        return None
    if is_device_name(name):
        return None
    stem, suffix = os.path.splitext(name)
    # counted in bytes (ext4 allows 255 bytes, not letters), with room left for " (12)"
    return fit_name(stem, suffix.lower(), 200) if suffix else None


def save_new(inbox: Path, name: str, data: bytes) -> Path:
    """Save under NAME in INBOX, or "name (2).xlsx"... when taken: an upload never overwrites, not
    even a file that arrives from outside (a mail fetch) at the same moment. The bytes are written
    under a hidden temporary name first, then given the final name only if it is free."""
    inbox.mkdir(parents=True, exist_ok=True)
    stem, suffix = os.path.splitext(name)
    with _SAVE_LOCK:
        fd, tmp = tempfile.mkstemp(prefix=".tai-len.", suffix=".tmp", dir=inbox)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.chmod(tmp, 0o644)
            number = 1
            while True:
                target = inbox / (name if number == 1 else f"{stem} ({number}){suffix}")
                if _place(Path(tmp), target, data):
                    return target
                number += 1
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)


def _place(tmp: Path, target: Path, data: bytes) -> bool:
    """Give TMP's bytes the name TARGET unless that name is taken; never replaces anything."""
    try:
        if os.name == "nt":
            os.rename(tmp, target)        # Windows' rename refuses an existing name
        else:
            os.link(tmp, target)          # POSIX rename would replace; a hard link refuses
        return True
    except FileExistsError:
        return False
    except OSError:                       # a file system without hard links: create exclusively
        try:
            with open(target, "xb") as handle:
                handle.write(data)
        except FileExistsError:
            return False
        return True


def inside(root: Path, rel: str) -> Path | None:
    """ROOT/REL when REL names a file inside ROOT; None for anything else (absolute, "..", "\\",
    a drive, a hidden part, a link out of ROOT, a folder)."""
    if not rel or "\\" in rel or "\x00" in rel or ":" in rel or rel.startswith("/"):
        return None
    parts = rel.split("/")
    if any(p in ("", ".", "..") or p.startswith(".") for p in parts):
        return None
    try:
        base = root.resolve()
        path = (base / Path(*parts)).resolve()
    except (OSError, ValueError):
        return None
    if base not in path.parents or not path.is_file():
        return None
    return path


def listing(root: Path) -> list[Path]:
    """Every visible file under ROOT, relative, in a stable order (temporary and hidden files left out)."""
    if not root.is_dir():
        return []
    found = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        found += [Path(folder, f).relative_to(root) for f in sorted(files) if not f.startswith((".", "~$"))]
    return found


def inbox_missing(inbox: Path) -> str | None:
    """The Vietnamese message every page shows when the inbox folder is gone (renamed, a drive
    disconnected); None while it is there. The page then neither runs nor receives, and keeps every
    output as it is: an empty inbox re-created here would give a report of zero files."""
    if inbox.is_dir():
        return None
    return (f"Không thấy thư mục hồ sơ “{inbox}” (bị đổi tên, chuyển đi, hoặc ổ đĩa, ổ mạng chưa kết nối). Trang "
            "không tổng hợp và không nhận hồ sơ cho đến khi thư mục có lại; các kết quả đã có vẫn giữ nguyên. Đặt lại "
            "thư mục đúng chỗ (hoặc kết nối lại ổ đĩa) rồi tải lại trang.")


def inbox_file_of(display_path: str) -> str:
    """The inbox file a result path lives in: "thư.eml/a.xlsx" → "thư.eml", "hộp.mbox#3/a.xlsx" → "hộp.mbox",
    "Hồ sơ.zip/Hồ sơ.eml/a.xlsx" → "Hồ sơ.zip" (the outermost mail or archive)."""
    lower = display_path.lower()
    found = [(lower.index(m), m) for m in (".eml/", ".mbox#", ".zip/", ".7z/", ".rar/") if m in lower]
    if not found:
        return display_path
    at, marker = min(found)
    return display_path[:at + len(marker) - 1]
