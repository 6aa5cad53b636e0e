"""The batch: every file of an inbox read and checked, then merged (the library's entry points)."""
from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Iterable
from pathlib import Path, PurePosixPath

from .checks.history import awarded_before
from .checks.merge import merge
from .checks.rules import check_file
from .common.timings import Timings
from .config.campaign import Campaign
from .intake.inbox import Skipped, Source, file_time, mail_sources, scan
from .intake.mail_body import read_mail_body
from .intake.mailfiles import CONTAINER_SUFFIXES, MAIL_BODY_NAME, Expansion
from .intake.reader import read_workbook
from .intake.word_lists import WORD_SUFFIXES
from .intake.word_reader import read_word_file
from .model.findings import Finding
from .model.results import IGNORED, BatchResult, FileResult
from .register.store import open_register

Progress = Callable[[str], None]


def _reader(source: Source):
    """The reader of a source by what it is: refused already (an archive that does not open), a Word
    file, a mail's body (a pasted table or a link), a workbook."""
    path = PurePosixPath(source.path)
    if source.refusal:
        return lambda data, shown, campaign, received_at: _refused(data, shown, source.refusal, received_at)
    if path.name == MAIL_BODY_NAME and source.mail is not None:
        return read_mail_body
    return read_word_file if path.suffix.lower() in WORD_SUFFIXES else read_workbook


def _refused(data: bytes, path: str, reason: str, received_at) -> FileResult:
    result = FileResult(path=path, sha256=hashlib.sha256(data).hexdigest(), received_at=received_at)
    result.findings.append(Finding("file-unreadable", reason, file=path))
    result.reject("file-unreadable")
    return result


def check_source(source: Source, campaign: Campaign, timings: Timings | None = None) -> FileResult:
    timings = timings or Timings()
    read = _reader(source)
    with timings.phase("read"):
        result = read(source.data, source.path, campaign, source.received_at)
        result.mail = source.mail
    with timings.phase("check"):
        return check_file(result, campaign)


def ignored(skipped: Skipped, campaign: Campaign) -> FileResult:
    """A file listed, not read; still attributed to a unit when its name says which (a lock file
    "~$…" or a hidden file was not sent by anyone)."""
    result = FileResult(path=skipped.path, sha256=skipped.sha256, status=IGNORED, reason="file-ignored",
                        mail=skipped.mail, received_at=skipped.mail.date if skipped.mail else None,
                        findings=[Finding("file-ignored", f"Bỏ qua “{skipped.path}”: {skipped.reason}",
                                          file=skipped.path)])
    if not skipped.lock_or_hidden:
        check_file(result, campaign)
    return result


def read_inbox(inbox: Path, campaign: Campaign, progress: Progress | None = None,
               timings: Timings | None = None) -> list[FileResult]:
    timings = timings or Timings()
    files: list[FileResult] = []
    for item in timings.timed("discover", scan(inbox, Expansion.of(campaign))):
        if progress:
            progress(item.path)
        files.append(ignored(item, campaign) if isinstance(item, Skipped) else check_source(item, campaign, timings))
    return files


def run_batch(inbox: Path, campaign: Campaign, now: dt.datetime | None = None,
              progress: Progress | None = None, timings: Timings | None = None,
              register: Path | None = None) -> BatchResult:
    """Read, check and merge an inbox. With an award register file (that exists), every nominee is
    looked up in it (awarded-before); a missing register changes nothing."""
    timings = timings or Timings()
    files = read_inbox(inbox, campaign, progress, timings)
    generated_at = now or dt.datetime.now(campaign.tz)
    with timings.phase("merge"):
        result = merge(files, campaign, generated_at.replace(microsecond=0))
    if register is not None and Path(register).is_file():
        with timings.phase("history"), open_register(register, create=False) as book:
            awarded_before(result, book.history)
    return result


def check_paths(paths: Iterable[Path], campaign: Campaign) -> list[FileResult]:
    """`thidua-batch check`: each file read and checked on its own (no cross-file rules); a mail
    (.eml, .mbox) is each of its attachments, an archive each of its members."""
    results = []
    for path in paths:
        if path.suffix.lower() in CONTAINER_SUFFIXES:
            results += [ignored(item, campaign) if isinstance(item, Skipped) else check_source(item, campaign)
                        for item in mail_sources(path, path.as_posix(), Expansion.of(campaign))]
        else:
            results.append(check_source(Source(path.as_posix(), path.read_bytes(), file_time(path)), campaign))
    return results
