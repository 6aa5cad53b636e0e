"""Finding what is in an inbox folder: workbooks to read, and files to list as ignored.

Each workbook becomes a `Source`: a display path, its bytes or the file to read them from (a
worker process reads it), and when it was received. Everything else found is a `Skipped` with
its reason: a file the tool does not read, an office format it reads only once resaved, a file
the disk will not give (intake/disk.py), a folder that cannot be listed. Inputs are only read.
"""
from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ..common.library_words import library_detail
from ..config.limits import Limits
from ..model.results import MailInfo
from .disk import LOOP, DiskProblem, check_entry, digest, from_os_error, read_file
from .mailfiles import CONTAINER_SUFFIXES, FETCH_STATE_NAME, Expansion, MailNote, read_container
from .reader import WORKBOOK_SUFFIXES
from .word_lists import WORD_SUFFIXES


@dataclass(frozen=True)
class Source:
    """One workbook or Word file to read: its bytes (a mail attachment, an archive member), or the
    file on disk that holds them (read by the worker, within the size limit)."""

    path: str                        # display path, relative to INBOX, "/" separated
    data: bytes | None
    received_at: dt.datetime | None  # the mail date, else the file's modification time (aware)
    mail: MailInfo | None = None     # the mail it came attached to
    refusal: str = ""                # why it cannot be read, known already (an archive that does not open)
    file: Path | None = None         # where to read the bytes when `data` is None

    def load(self, limits: Limits) -> bytes:
        """The bytes; from disk, the size judged first (disk.TooLarge, disk.DiskProblem)."""
        return self.data if self.data is not None else read_file(self.file, limits.max_file_bytes)


@dataclass(frozen=True)
class Skipped:
    """A file found but not read, and why (Vietnamese)."""

    path: str
    reason: str
    sha256: str | None = None
    lock_or_hidden: bool = False   # never a unit's submission, so never attributed to one
    mail: MailInfo | None = None   # the mail it came in, when it did: its sender still says who sent it
    unreadable: bool = False       # a submission that could not be read: rejected (file-unreadable), not ignored


def display_path(path: Path, inbox: Path) -> str:
    return path.relative_to(inbox).as_posix()


def walk(inbox: Path) -> Iterator[Path]:
    """Every file under INBOX, subfolders included, in a stable order."""
    for item in _walk(inbox):
        if isinstance(item, Path):
            yield item


def _walk(inbox: Path) -> Iterator[Path | Skipped]:
    """Every file under INBOX, and a Skipped for each folder that cannot be listed (no
    permission, path too long) or is a link to a folder elsewhere: nothing is passed over in
    silence."""
    problems: list[OSError] = []
    for root, dirs, files in os.walk(inbox, onerror=problems.append):
        while problems:
            yield _folder_skipped(problems.pop(), inbox)
        here = Path(root)
        for name in sorted(dirs):
            try:
                linked = (here / name).is_symlink()
            except OSError as exc:   # a path too long to even look at
                dirs.remove(name)
                yield Skipped(display_path(here / name, inbox) + "/", f"Không đọc được thư mục này: "
                              f"{from_os_error(exc).reason}", lock_or_hidden=True)
                continue
            if linked:
                dirs.remove(name)
                yield Skipped(display_path(here / name, inbox) + "/", _LINKED_FOLDER, lock_or_hidden=True)
        dirs.sort()
        for name in sorted(files):
            yield here / name
    while problems:
        yield _folder_skipped(problems.pop(), inbox)


_LINKED_FOLDER = ("Là liên kết tới một thư mục ở nơi khác, không đọc (tránh đọc vòng hoặc đọc nhầm thư mục): đề nghị "
                  "chép các tệp cần tổng hợp vào thư mục hồ sơ.")


def _folder_skipped(exc: OSError, inbox: Path) -> Skipped:
    where = Path(exc.filename) if exc.filename else inbox
    try:
        rel = display_path(where, inbox) + "/"
    except ValueError:
        rel = str(where)
    return Skipped(rel, f"Không đọc được thư mục này: {from_os_error(exc).reason}", lock_or_hidden=True)


def _lock_or_hidden(path: Path) -> bool:
    return path.name.startswith(("~$", ".")) or any(p.startswith(".") for p in path.parts[:-1])


# Real office files the tool does not read: refused (rejected) with how to save them as a file it
# reads, the same way by `check` and by `run`.
RESAVE = {
    ".xlsb": "Là bảng tính nhị phân Excel (.xlsb) mà chương trình không đọc: đề nghị đơn vị mở tệp bằng Excel, "
             "chọn Lưu thành (Save As) kiểu «Excel Workbook (*.xlsx)» rồi gửi lại.",
    ".xltx": "Là tệp mẫu Excel (.xltx), không phải bảng tính đã điền: đề nghị đơn vị mở tệp bằng Excel, điền "
             "danh sách rồi chọn Lưu thành (Save As) kiểu «Excel Workbook (*.xlsx)» và gửi lại.",
    ".xltm": "Là tệp mẫu Excel có macro (.xltm), không phải bảng tính đã điền: đề nghị đơn vị mở tệp bằng Excel, "
             "điền danh sách rồi chọn Lưu thành (Save As) kiểu «Excel Workbook (*.xlsx)» và gửi lại.",
    ".docm": "Là văn bản Word có macro (.docm) mà chương trình không đọc: đề nghị đơn vị mở tệp bằng Word, chọn "
             "Lưu thành (Save As) kiểu «Word Document (*.docx)» rồi gửi lại.",
    ".dotx": "Là tệp mẫu Word (.dotx), không phải văn bản đã soạn: đề nghị đơn vị mở tệp bằng Word, chọn Lưu "
             "thành (Save As) kiểu «Word Document (*.docx)» rồi gửi lại.",
    ".dotm": "Là tệp mẫu Word có macro (.dotm), không phải văn bản đã soạn: đề nghị đơn vị mở tệp bằng Word, chọn "
             "Lưu thành (Save As) kiểu «Word Document (*.docx)» rồi gửi lại.",
}


def skip_reason(path: Path) -> str | None:
    name = path.name
    if name.startswith("~$"):
        return "Tệp khóa tạm của Excel/Word (bắt đầu bằng “~$”), không phải hồ sơ."
    if name.startswith(".") or any(p.startswith(".") for p in path.parts[:-1]):
        return "Tệp hoặc thư mục ẩn."
    if path.suffix.lower() in RESAVE:
        return RESAVE[path.suffix.lower()]
    if path.suffix.lower() not in WORKBOOK_SUFFIXES + WORD_SUFFIXES + CONTAINER_SUFFIXES:
        return (f"Không phải bảng tính Excel, văn bản Word, tệp thư hay tệp nén (đuôi “{path.suffix or 'không có'}”), "
                "không đọc.")
    return None


def file_time(path: Path) -> dt.datetime | None:
    try:
        return dt.datetime.fromtimestamp(path.stat().st_mtime, tz=dt.timezone.utc)
    except (OSError, ValueError, OverflowError):
        return None


def scan(inbox: Path, context: Expansion | None = None, limits: Limits = Limits()) -> Iterator[Source | Skipped]:
    for item in _walk(inbox):
        if isinstance(item, Skipped):
            yield item
        elif item.name == FETCH_STATE_NAME:   # what `mail fetch` remembers, not a file of the inbox
            continue
        else:
            yield from entry(item, display_path(item, inbox), item.relative_to(inbox), limits, context)


def entry(path: Path, rel: str, name: Path, limits: Limits = Limits(),
          context: Expansion | None = None) -> Iterator[Source | Skipped]:
    """What one file found on disk is: a Source to read, or a Skipped with its reason. `name` is
    the path the name rules look at (relative to INBOX for `run`, the path given for `check`)."""
    reason = skip_reason(name)
    hidden = _lock_or_hidden(name)
    try:
        check_entry(path)
    except DiskProblem as exc:
        yield Skipped(rel, exc.reason, None, hidden or exc.kind == LOOP, unreadable=exc.is_submission and not reason)
        return
    if reason:
        yield Skipped(rel, reason, digest(path, limits.max_file_bytes), hidden,
                      unreadable=path.suffix.lower() in RESAVE and not hidden)
    elif path.suffix.lower() in CONTAINER_SUFFIXES:   # mails and archives: their files (mailfiles.expand)
        yield from mail_sources(path, rel, context)
    else:
        yield Source(rel, None, file_time(path), file=path)


def is_list_name(name: str) -> bool:
    """A file that may hold a list: a workbook or a Word document (not a lock file)."""
    return not name.startswith("~$") and Path(name).suffix.lower() in WORKBOOK_SUFFIXES + WORD_SUFFIXES


def mail_sources(path: Path, rel: str, context: Expansion | None = None) -> Iterator[Source | Skipped]:
    """The files in a mail or an archive of the inbox (mailfiles.expand)."""
    try:
        for item in read_container(path, rel, is_list_name, context or Expansion()):
            if isinstance(item, MailNote):
                yield Skipped(item.path, item.reason, item.sha256, lock_or_hidden=item.own, mail=item.info)
            else:
                when = item.info.date if item.info and item.info.date else file_time(path)
                yield Source(item.path, item.data, when, item.info, item.refusal)
    except OSError as exc:
        yield Skipped(rel, f"Không đọc được tệp thư hoặc tệp nén: {from_os_error(exc).reason}", None, unreadable=True)
    except Exception as exc:   # a broken mail file is listed, and the batch goes on
        yield Skipped(rel, f"Không đọc được tệp thư hoặc tệp nén: {library_detail(exc)}.",
                      digest(path, Limits().max_file_bytes))
