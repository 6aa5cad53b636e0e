"""The batch: every file of an inbox read and checked, then merged (the library's entry points).

Each file is read and checked on its own by `judge`, in worker processes (intake/workers.py);
`run`, `check` and the web page all go through `read_items`, so they judge every file alike.
"""
from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from pathlib import Path, PurePosixPath

from .checks.history import awarded_before
from .checks.merge import merge
from .checks.rules import check_file
from .common.timings import Timings
from .config.campaign import Campaign
from .intake.disk import DiskProblem, TooLarge, digest
from .intake.inbox import Skipped, Source, entry, scan
from .intake.mail_body import read_mail_body
from .intake.mailfiles import MAIL_BODY_NAME, Expansion
from .intake.reader import read_workbook
from .intake.safety.refusals import too_large_file
from .intake.word_lists import WORD_SUFFIXES
from .intake.word_reader import read_word_file
from .model.findings import Finding
from .intake.workers import Lost, Readers
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


def judge(source: Source, campaign: Campaign) -> FileResult:
    """One file read and checked on its own: the task every reading worker runs. Its bytes are
    read here, from disk when the source names a file, within the size limit."""
    try:
        data = source.load(campaign.limits)
    except TooLarge as exc:
        return unreadable(source.path, too_large_file(exc.size, campaign.limits.max_file_bytes).rejection.message,
                          campaign, mail=source.mail, received_at=source.received_at)
    except DiskProblem as exc:
        return ignored(Skipped(source.path, exc.reason, None, mail=source.mail, unreadable=exc.is_submission),
                       campaign)
    return check_source(replace(source, data=data, file=None), campaign)


def ignored(skipped: Skipped, campaign: Campaign) -> FileResult:
    """A file listed, not read; still attributed to a unit when its name says which (a lock file
    "~$…" or a hidden file was not sent by anyone). A submission that could not be read (locked,
    no permission, a format to resave) is rejected rather than ignored."""
    if skipped.unreadable:
        return unreadable(skipped.path, skipped.reason, campaign, skipped.sha256, skipped.mail,
                          skipped.mail.date if skipped.mail else None)
    result = FileResult(path=skipped.path, sha256=skipped.sha256, status=IGNORED, reason="file-ignored",
                        mail=skipped.mail, received_at=skipped.mail.date if skipped.mail else None,
                        findings=[Finding("file-ignored", f"Bỏ qua “{skipped.path}”: {skipped.reason}",
                                          file=skipped.path)])
    if not skipped.lock_or_hidden:
        check_file(result, campaign)
    return result


def unreadable(path: str, message: str, campaign: Campaign, sha256: str | None = None, mail=None,
               received_at: dt.datetime | None = None) -> FileResult:
    result = FileResult(path=path, sha256=sha256, received_at=received_at, mail=mail)
    result.findings.append(Finding("file-unreadable", message, file=path))
    result.reject("file-unreadable")
    return check_file(result, campaign)


LOST_WORDS = "tệp làm chương trình đọc bảng tính dừng đột ngột"
_RESEND = ("các tệp khác vẫn được đọc. Đề nghị đơn vị mở tệp bằng Excel (hoặc Word), lưu lại thành tệp mới rồi "
           "gửi lại.")


def lost(source: Source, why: Lost, campaign: Campaign) -> FileResult:
    """The file whose worker was lost (native crash, memory cap, time limit): rejected, the batch goes on."""
    if why.why == "time":
        detail = f"đọc quá {campaign.limits.max_read_seconds:g} giây mà chưa xong nên đã bị dừng"
    elif why.why == "crash":
        detail = "tệp hỏng, quá lớn so với bộ nhớ cho phép hoặc có cấu trúc bất thường"
    else:
        detail = f"lỗi khi đọc: {why.why.removeprefix('error: ')}"
    if source.data is not None:
        sha256 = hashlib.sha256(source.data).hexdigest()
    else:
        sha256 = digest(source.file, campaign.limits.max_file_bytes) if source.file else None
    return unreadable(source.path, f"{LOST_WORDS[0].upper()}{LOST_WORDS[1:]} ({detail}); {_RESEND}", campaign,
                      sha256, source.mail, source.received_at)


def read_items(items: Sequence[Source | Skipped], campaign: Campaign, progress: Progress | None = None,
               timings: Timings | None = None, jobs: int | None = None,
               readers: Readers | None = None) -> list[FileResult]:
    """Every item judged: the Sources by the reading workers (`readers`, else a pool of `jobs`
    made for this call), the Skipped listed with their reason. Results in the items' order."""
    timings = timings or Timings()
    results: list[FileResult | None] = [None] * len(items)
    sources = [(i, item) for i, item in enumerate(items) if isinstance(item, Source)]
    for i, item in enumerate(items):
        if isinstance(item, Skipped):
            results[i] = ignored(item, campaign)
            if progress:
                progress(item.path)
    own = readers is None
    pool = readers or reading_pool(campaign, jobs)
    try:
        with timings.phase("read"):
            for k, result in pool.map([source for _i, source in sources]):
                i, source = sources[k]
                results[i] = lost(source, result, campaign) if isinstance(result, Lost) else result
                if progress:
                    progress(source.path)
    finally:
        if own:
            pool.close()
    return results


def reading_pool(campaign: Campaign, jobs: int | None = None) -> Readers:
    """Worker processes that judge files for this campaign (jobs: None = every core, 1 = in-process)."""
    limits = campaign.limits
    return Readers(judge, campaign, jobs, memory_cap=limits.max_reader_bytes, time_limit=limits.max_read_seconds)


def read_inbox(inbox: Path, campaign: Campaign, progress: Progress | None = None,
               timings: Timings | None = None, jobs: int | None = None,
               readers: Readers | None = None) -> list[FileResult]:
    timings = timings or Timings()
    items = list(timings.timed("discover", scan(inbox, Expansion.of(campaign), campaign.limits)))
    return read_items(items, campaign, progress, timings, jobs, readers)


def run_batch(inbox: Path, campaign: Campaign, now: dt.datetime | None = None,
              progress: Progress | None = None, timings: Timings | None = None,
              register: Path | None = None, jobs: int | None = None,
              readers: Readers | None = None) -> BatchResult:
    """Read, check and merge an inbox. With an award register file (that exists), every nominee is
    looked up in it (awarded-before); a missing register changes nothing."""
    timings = timings or Timings()
    files = read_inbox(inbox, campaign, progress, timings, jobs, readers)
    return merge_files(files, campaign, now, timings, register)


def merge_files(files: list[FileResult], campaign: Campaign, now: dt.datetime | None = None,
                timings: Timings | None = None, register: Path | None = None) -> BatchResult:
    timings = timings or Timings()
    generated_at = now or dt.datetime.now(campaign.tz)
    with timings.phase("merge"):
        result = merge(files, campaign, generated_at.replace(microsecond=0))
    if register is not None and Path(register).is_file():
        with timings.phase("history"), open_register(register, create=False) as book:
            awarded_before(result, book.history)
    return result


def check_paths(paths: Iterable[Path], campaign: Campaign, jobs: int | None = None) -> list[FileResult]:
    """`thidua-batch check`: each file read and checked on its own (no cross-file rules), judged
    as `run` judges it (the same name rules, disk checks and workers); a mail (.eml, .mbox) is
    each of its attachments, an archive each of its members."""
    context = Expansion.of(campaign)
    items = [item for path in paths for item in entry(path, path.as_posix(), Path(path.name), campaign.limits, context)]
    return read_items(items, campaign, jobs=jobs)
