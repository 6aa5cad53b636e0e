"""Files on the officer's disk as they really are: a file can vanish between listing and reading
(Excel's "~$" lock files, OneDrive, the tool's own temporary files), be locked by another program
or unreadable for want of permission, not be a regular file at all (a FIFO, a device, a link to
one, a link loop), lie beyond the path-length limit, or be far too big. Each becomes a
`DiskProblem` with a Vietnamese reason, never a trace and never a hang: files are opened without
blocking and judged by `fstat` of what was opened, and the size is known before anything is read.
"""
from __future__ import annotations

import errno
import hashlib
import os
import stat
from pathlib import Path

# Windows counts a path in UTF-16 characters and, unless long paths are enabled, refuses one of
# MAX_PATH (260) or more; POSIX systems count bytes (PATH_MAX 4096, a name 255).
WINDOWS_MAX_PATH = 260
_WINDOWS_LOCKED = (32, 33)   # ERROR_SHARING_VIOLATION, ERROR_LOCK_VIOLATION
_FLAGS = os.O_RDONLY | getattr(os, "O_BINARY", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOINHERIT", 0)

VANISHED, LOCKED, DENIED, NOT_REGULAR, LOOP, TOO_LONG, OTHER = (
    "vanished", "locked", "denied", "not-regular", "loop", "too-long", "other")
# Problems after which the file is still a unit's submission that could not be read (rejected:
# the officer must act); the others are not files the tool could ever read (ignored).
SUBMISSION_PROBLEMS = (LOCKED, DENIED, OTHER)

_REASONS = {
    VANISHED: "Tệp đã bị xoá hoặc chuyển đi trong lúc chương trình đọc thư mục (thường là tệp tạm của Excel/Word, "
              "của OneDrive hoặc của chính chương trình), nên không đọc.",
    LOCKED: "Tệp đang bị chương trình khác khoá (đang mở trong Excel, phần mềm diệt virus đang quét hoặc OneDrive "
            "đang đồng bộ): đóng tệp hoặc chờ đồng bộ xong rồi chạy lại.",
    DENIED: "Máy không cho phép đọc tệp này (không có quyền truy cập): kiểm tra quyền của tệp (Properties → "
            "Security) hoặc chép tệp sang thư mục khác rồi chạy lại.",
    NOT_REGULAR: "Không phải một tệp thông thường (là thiết bị, đường ống FIFO hoặc liên kết tới những thứ đó), "
                 "nên không đọc.",
    LOOP: "Là liên kết (shortcut/symlink) trỏ vòng lại chính nó hoặc trỏ tới nơi không còn tồn tại, nên không đọc.",
    TOO_LONG: "Đường dẫn của tệp dài quá giới hạn của hệ điều hành nên không mở được: di chuyển thư mục hồ sơ lên "
              "gần gốc ổ đĩa hoặc đặt tên thư mục, tên tệp ngắn hơn rồi chạy lại.",
}


class DiskProblem(Exception):
    """A file that cannot be read from the disk; `reason` is for the officer (Vietnamese)."""

    def __init__(self, kind: str, reason: str):
        super().__init__(reason)
        self.kind, self.reason = kind, reason

    @property
    def is_submission(self) -> bool:
        return self.kind in SUBMISSION_PROBLEMS


class TooLarge(Exception):
    """The file is larger than the limit: known from the file system, nothing was read."""

    def __init__(self, size: int):
        super().__init__(size)
        self.size = size


def problem(kind: str, detail: str = "") -> DiskProblem:
    reason = _REASONS.get(kind) or f"Không đọc được tệp trên máy ({detail})."
    return DiskProblem(kind, reason)


def from_os_error(exc: OSError) -> DiskProblem:
    if getattr(exc, "winerror", None) in _WINDOWS_LOCKED:
        return problem(LOCKED)
    if isinstance(exc, FileNotFoundError):
        return problem(VANISHED)
    if isinstance(exc, PermissionError):
        return problem(DENIED)
    if exc.errno == errno.ELOOP:
        return problem(LOOP)
    if exc.errno == errno.ENAMETOOLONG:
        return problem(TOO_LONG)
    if exc.errno in (errno.ENXIO, errno.ENODEV, errno.EISDIR):
        return problem(NOT_REGULAR)
    return problem(OTHER, exc.strerror or type(exc).__name__)


def too_long(path: Path) -> bool:
    """Beyond the path-length limit of the system the officer uses (Windows: 260 characters)."""
    if os.name == "nt":
        return len(str(path)) >= WINDOWS_MAX_PATH
    return len(os.fsencode(path)) >= 4096 or any(len(os.fsencode(part)) > 255 for part in path.parts)


def check_entry(path: Path) -> int:
    """The size of a regular file found in a folder listing, following links; else a DiskProblem."""
    if too_long(path):
        raise problem(TOO_LONG)
    try:
        info = path.stat()
    except OSError as exc:
        if isinstance(exc, FileNotFoundError) and path.is_symlink():
            raise problem(LOOP) from None   # a link to nothing
        raise from_os_error(exc) from None
    if not stat.S_ISREG(info.st_mode):
        raise problem(NOT_REGULAR)
    return info.st_size


def _open(path: Path) -> tuple[int, os.stat_result]:
    if too_long(path):
        raise problem(TOO_LONG)
    try:
        fd = os.open(path, _FLAGS)
    except OSError as exc:
        raise from_os_error(exc) from None
    try:
        info = os.fstat(fd)
    except OSError as exc:
        os.close(fd)
        raise from_os_error(exc) from None
    if not stat.S_ISREG(info.st_mode):
        os.close(fd)
        raise problem(NOT_REGULAR)
    return fd, info


def read_file(path: Path, max_bytes: int) -> bytes:
    """The bytes of a regular file, its size judged from the file system first (a 3 GB file is
    never read into memory: TooLarge); never blocks on a FIFO or a device."""
    fd, info = _open(path)
    try:
        if info.st_size > max_bytes:
            raise TooLarge(info.st_size)
        chunks, size = [], 0
        while True:
            try:
                chunk = os.read(fd, min(1 << 24, max_bytes + 1 - size))
            except OSError as exc:
                raise from_os_error(exc) from None
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
            if size > max_bytes:   # it grew while being read
                raise TooLarge(size)
        return b"".join(chunks)
    finally:
        os.close(fd)


def digest(path: Path, max_bytes: int) -> str | None:
    """The SHA-256 of a file that is listed but not read (an ignored file), or None when it cannot be
    read or is larger than `max_bytes` (hashing gigabytes only to list a file is not worth it)."""
    try:
        fd, info = _open(path)
    except DiskProblem:
        return None
    try:
        if info.st_size > max_bytes:
            return None
        sha = hashlib.sha256()
        while chunk := os.read(fd, 1 << 20):
            sha.update(chunk)
        return sha.hexdigest()
    except OSError:
        return None
    finally:
        os.close(fd)
