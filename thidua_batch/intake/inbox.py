"""Finding what is in an inbox folder: workbooks to read, and files to list as ignored.

Each workbook becomes a `Source`: a display path, its bytes, and when it was received.
Inputs are only ever read.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ..common.library_words import library_detail
from ..model.results import MailInfo
from .mailfiles import CONTAINER_SUFFIXES, FETCH_STATE_NAME, Expansion, MailNote, read_container
from .reader import WORKBOOK_SUFFIXES
from .word_lists import WORD_SUFFIXES


@dataclass(frozen=True)
class Source:
    """One workbook to read."""

    path: str                        # display path, relative to INBOX, "/" separated
    data: bytes
    received_at: dt.datetime | None  # the mail date, else the file's modification time (aware)
    mail: MailInfo | None = None     # the mail it came attached to
    refusal: str = ""                # why it cannot be read, known already (an archive that does not open)


@dataclass(frozen=True)
class Skipped:
    """A file found but not read, and why (Vietnamese)."""

    path: str
    reason: str
    sha256: str | None = None
    lock_or_hidden: bool = False   # never a unit's submission, so never attributed to one
    mail: MailInfo | None = None   # the mail it came in, when it did: its sender still says who sent it


def display_path(path: Path, inbox: Path) -> str:
    return path.relative_to(inbox).as_posix()


def walk(inbox: Path) -> Iterator[Path]:
    """Every file under INBOX, subfolders included, in a stable order."""
    for root, dirs, files in os.walk(inbox):
        dirs.sort()
        for name in sorted(files):
            yield Path(root) / name


def _lock_or_hidden(path: Path) -> bool:
    return path.name.startswith(("~$", ".")) or any(p.startswith(".") for p in path.parts[:-1])


def skip_reason(path: Path) -> str | None:
    name = path.name
    if name.startswith("~$"):
        return "Tệp khóa tạm của Excel/Word (bắt đầu bằng “~$”), không phải hồ sơ."
    if name.startswith(".") or any(p.startswith(".") for p in path.parts[:-1]):
        return "Tệp hoặc thư mục ẩn."
    if path.suffix.lower() not in WORKBOOK_SUFFIXES + WORD_SUFFIXES + CONTAINER_SUFFIXES:
        return (f"Không phải bảng tính Excel, văn bản Word, tệp thư hay tệp nén (đuôi “{path.suffix or 'không có'}”), "
                "không đọc.")
    return None


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def file_time(path: Path) -> dt.datetime:
    return dt.datetime.fromtimestamp(path.stat().st_mtime, tz=dt.timezone.utc)


def scan(inbox: Path, context: Expansion | None = None) -> Iterator[Source | Skipped]:
    for path in walk(inbox):
        if path.name == FETCH_STATE_NAME:   # what `mail fetch` remembers, not a file of the inbox
            continue
        rel = display_path(path, inbox)
        reason = skip_reason(path.relative_to(inbox))
        if reason:
            yield Skipped(rel, reason, _sha256(path), _lock_or_hidden(path.relative_to(inbox)))
            continue
        if path.suffix.lower() in CONTAINER_SUFFIXES:   # mails and archives: their files (mailfiles.expand)
            yield from mail_sources(path, rel, context)
        else:
            yield Source(rel, path.read_bytes(), file_time(path))


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
    except Exception as exc:   # a broken mail file is listed, and the batch goes on
        yield Skipped(rel, f"Không đọc được tệp thư hoặc tệp nén: {library_detail(exc)}.", _sha256(path))
