"""What the pages show, computed from the folders on each request (web.md: the page reads the
folder, not a cache that can go stale). Each file's reading is kept by its stamp (path, size,
modification time, mode, change time) and the batch result while the inbox is exactly the same
files, so a file added or changed from outside shows on the next request and costs only that file's
reading (and the merge of all, on fresh copies)."""
from __future__ import annotations

import datetime as dt
import gc
import hashlib
import json
import os
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

from ..batch import ignored, merge_files, read_items, reading_pool, run_batch
from ..config.campaign import Campaign
from ..documents.consolidated import FILE_NAME as CONSOLIDATED
from ..documents.drafts import DECISION_FILE, FEEDBACK_DIR, SUBMISSION_FILE
from ..documents.outputs import REPORT
from ..intake.disk import LOCKED, problem
from ..intake.inbox import Skipped, Source, _walk, entry
from ..intake.mailfiles import FETCH_STATE_NAME, Expansion
from ..intake.workers import Readers
from ..model.findings import Finding
from ..model.results import (ACCEPTED, COLLECTIVE, FILE_STATUS_WORDS, HAS_ERRORS, INDIVIDUAL, MISSING, OK,
                             OVER_QUOTA, UNDER_QUOTA, UNUSABLE, BatchResult, FileResult, Nomination, UnitResult)
from .folders import listing

# web.md's words, and a colour each (the CSS class).
STATUS = {OK: ("đạt", "ok"), HAS_ERRORS: ("có lỗi", "error"), OVER_QUOTA: ("vượt chỉ tiêu", "error"),
          UNDER_QUOTA: ("chưa đủ", "warn"), MISSING: ("chưa gửi", "none"),
          UNUSABLE: ("đã gửi nhưng chưa dùng được", "warn")}


@dataclass(frozen=True)
class UnitRow:
    id: str
    name: str
    status: str
    words: str
    colour: str
    quota: str
    submitted: str
    in_decision: str
    last_file: str
    last_time: dt.datetime | None
    late: bool


@dataclass(frozen=True)
class OutputFile:
    rel: str                       # inside OUT, "/"-separated: the download link
    words: str                     # what it is, for the officer
    size: str
    written: dt.datetime


_OUTPUT_WORDS = {DECISION_FILE: "Dự thảo quyết định khen thưởng (Word)", SUBMISSION_FILE: "Dự thảo tờ trình (Word)",
                 CONSOLIDATED: "Bảng tổng hợp khen thưởng (Excel)", REPORT: "Báo cáo cho máy đọc (JSON)"}


def output_files(out: Path, campaign: Campaign) -> list[OutputFile]:
    """Every file in OUT as it is now, the drafts first, then the letters, then the rest."""
    rows = []
    for rel in listing(out):
        try:
            stat = (out / rel).stat()
        except OSError:
            continue
        name = rel.as_posix()
        unit = campaign.roster.get(rel.stem) if rel.parent.as_posix() == FEEDBACK_DIR else None
        words = _OUTPUT_WORDS.get(name) or (f"Thư phản hồi gửi {unit.name} (Word)" if unit else "")
        size = f"{stat.st_size / 1024:.0f} KB" if stat.st_size >= 1024 else f"{stat.st_size} byte"
        rows.append(OutputFile(name, words, size, dt.datetime.fromtimestamp(stat.st_mtime, campaign.tz)))
    order = {name: i for i, name in enumerate(_OUTPUT_WORDS)}
    return sorted(rows, key=lambda r: (order.get(r.rel, len(order)), not r.rel.startswith(FEEDBACK_DIR + "/"), r.rel))


@dataclass(frozen=True)
class Outputs:
    built: dt.datetime | None      # report.json's generated_at
    stale: bool                    # the inbox is not what that run read


class Live:
    """The batch result of the inbox as it is now. The inbox is listed once per request (each file
    with its stamp: path, size, modification time, mode, change time); while that listing is what it
    was, the last result is the answer. What each file on disk gave (its Source, or a mail's or an
    archive's files) and each reading are kept under that stamp: only new or changed files are
    expanded and read again, by reading workers kept open. The merge marks the
    results it is given (superseded, in the decision, past awards), so it is given fresh copies and
    the kept readings stay as read."""

    SETTLE_AFTER = 100   # readings made since the last settling after which the kept ones are set aside (_settle)

    def __init__(self, jobs: int | None = None) -> None:
        self._lock = threading.Lock()
        self._key: tuple | None = None
        self._result: BatchResult | None = None
        self._jobs = jobs
        self._campaign: Campaign | None = None
        self._readers: Readers | None = None
        self._read: dict[tuple, FileResult] = {}
        self._entries: dict[tuple, tuple[tuple, ...]] = {}   # a file's stamp → the keys of the items it gave
        self._unsettled = 0                                  # readings made since the last _settle
        self._passing = False                                # the last merge had a reading not kept (_passing)

    def result(self, inbox: Path, campaign: Campaign, register: Path | None) -> BatchResult:
        found = _listing(inbox) if inbox.is_dir() else None
        key = (found, _stamp(register) if register else None, id(campaign))
        with self._lock:
            if key != self._key or self._result is None:
                self._passing = False
                self._result = merge_files(self._files(inbox, found, campaign), campaign, register=register) \
                    if found is not None else _nothing_received(campaign)
                self._key = None if self._passing else key   # a file held open elsewhere: look again next time
            return self._result

    def _files(self, inbox: Path, found: tuple, campaign: Campaign) -> list[FileResult]:
        """The readings of the inbox's items, in `scan`'s order: kept ones copied, the others read."""
        if campaign is not self._campaign:
            self.close()
            self._campaign, self._read, self._entries = campaign, {}, {}
        context, limits = Expansion.of(campaign), campaign.limits
        entries: dict[tuple, tuple[tuple, ...]] = {}
        keys: list[tuple] = []
        new: dict[tuple, Source | Skipped] = {}     # items not read yet, by key
        for item in found:
            if isinstance(item, Skipped):          # a folder that cannot be listed, or a linked one
                keys.append(_item_key(item))
                new.setdefault(keys[-1], item)
                continue
            path, stamp = item[0], item[1]
            if stamp is not None and stamp in self._entries:
                entries[stamp] = self._entries[stamp]
                keys.extend(entries[stamp])
                continue
            path = Path(path)
            rel = path.relative_to(inbox)
            given = [(_item_key(i, stamp), i) for i in entry(path, rel.as_posix(), rel, limits, context)]
            for k, i in given:
                new.setdefault(k, i)
            keys.extend(k for k, _i in given)
            if stamp is not None:                  # a file whose stat failed is looked at again next time
                entries[stamp] = tuple(k for k, _i in given)
        todo = [k for k in dict.fromkeys(keys) if k not in self._read]
        passing: dict[tuple, FileResult] = {}
        if todo:
            items = [new[k] for k in todo]
            if self._readers is None and any(isinstance(i, Source) for i in items):
                self._readers = reading_pool(campaign, self._jobs)
            fresh = read_items(items, campaign, readers=self._readers) \
                if self._readers is not None else [ignored(i, campaign) for i in items]
            passing = {k: r for k, r in zip(todo, fresh) if _passing(r)}
            self._read.update((k, r) for k, r in zip(todo, fresh) if k not in passing)
            if passing:     # neither the reading nor what the file gave is kept: both are made again
                self._passing = True
                entries = {stamp: given for stamp, given in entries.items() if not any(k in passing for k in given)}
            self._unsettled += len(todo) - len(passing)
            if self._unsettled >= max(self.SETTLE_AFTER, len(self._read) // 4):
                _settle()
                self._unsettled = 0
        wanted = set(keys)
        for k in [k for k in self._read if k not in wanted]:
            del self._read[k]
        self._entries = entries
        return [_fresh(passing[k] if k in passing else self._read[k]) for k in keys]

    def close(self) -> None:
        if self._readers is not None:
            self._readers.close()
            self._readers = None


# Why a file could not be read that passes without the file changing (Excel or OneDrive holds it
# open: Windows refuses to share it); its stamp stays the same, so such a reading is never kept.
_PASSING_REASONS = frozenset({problem(LOCKED).reason})


def _passing(reading: FileResult) -> bool:
    return any(f.code == "file-unreadable" and f.message in _PASSING_REASONS for f in reading.findings)


def _settle() -> None:
    """Set what is alive now (above all the readings just kept, which stay as long as their files
    do) aside from Python's cyclic garbage collector. Its full collections walk every object that
    is not set aside; at 1,000 units the kept readings are some 200,000 objects, and the copies each
    merge makes trigger a full collection every two or three merges (0.1 s each). Objects set aside
    are still freed as soon as nothing uses them; only a reference cycle among them (a file's
    duplicate rows point at each other) stays until the page stops. Called after many readings
    (Live.SETTLE_AFTER, or a quarter of those kept), so its own full collection is rare."""
    gc.collect()
    gc.freeze()


def _listing(inbox: Path) -> tuple:
    """The inbox as `scan` will find it, listed once: each file's path with its stamp (its path,
    size, modification time, mode, change time; None when it cannot be stat'ed), and the folders
    `scan` reports as they are (unreadable, linked elsewhere)."""
    found: list = []
    for item in _walk(inbox):
        if isinstance(item, Skipped):
            found.append(item)
        elif item.name != FETCH_STATE_NAME:
            path = str(item)
            try:
                info = os.stat(path)
            except (OSError, ValueError) as exc:
                found.append((path, None, type(exc).__name__, getattr(exc, "errno", None)))
                continue
            found.append((path, (path, info.st_size, info.st_mtime_ns, info.st_mode, info.st_ctime_ns)))
    return tuple(found)


def _fresh(file: FileResult) -> FileResult:
    """A copy for one merge. The merge, the duplicate checks and the history look-up mark what
    they are given: they set a file's status and reason and add to its findings; they set a
    nomination's decision, held-out reason, duplicate, other proposals and past awards, and add to
    its reasons. So the file and its nominations are copied, with the two lists added to; the rest
    (cells, fields, findings, which nothing after reading changes in place) is shared.
    tests/test_web_cache.py checks that the kept readings stay exactly as read."""
    fresh = _copy(file, "findings")
    fresh.collectives = [_copy(n, "reasons") for n in file.collectives]
    fresh.individuals = [_copy(n, "reasons") for n in file.individuals]
    return fresh


def _copy(obj, grows: str):
    fresh = object.__new__(type(obj))
    values = obj.__dict__.copy()
    values[grows] = list(values[grows])
    fresh.__dict__ = values
    return fresh


def _item_key(item: Source | Skipped, stamp: tuple | None = None) -> tuple:
    """What a reading depends on: the file's path, size, modification time, mode and change time
    (STAMP, from the listing, when given); for bytes that came inside a mail, the bytes themselves."""
    if isinstance(item, Skipped):
        return ("skipped", item)
    if item.file is not None:
        return ("file", item.path, *(stamp[1:] if stamp else _stamp(item.file)), item.received_at)
    return ("data", item.path, hashlib.sha256(item.data or b"").digest(), item.received_at, item.mail)


def _nothing_received(campaign: Campaign) -> BatchResult:
    """What the page shows while the inbox folder is missing: nothing received. The folder is never
    re-created here (a renamed folder or a disconnected drive must not turn into an empty inbox)."""
    with tempfile.TemporaryDirectory(prefix="thidua-trong-") as empty:
        return run_batch(Path(empty), campaign)


def _stamp(path: Path) -> tuple:
    try:
        stat = path.stat()
        return stat.st_size, stat.st_mtime_ns, stat.st_mode, stat.st_ctime_ns
    except OSError:
        return ()


def _counts(counts) -> str:
    return f"{counts.collectives} + {counts.individuals}"


def unit_rows(result: BatchResult) -> list[UnitRow]:
    campaign = result.campaign
    rows = []
    for unit in result.units:
        words, colour = STATUS[unit.status]
        newest = max((f for f in unit.files if f.received_at), key=lambda f: f.received_at, default=None)
        used = unit.file or newest
        rows.append(UnitRow(unit.unit.id, unit.unit.name, unit.status, words, colour, _counts(unit.quota),
                            _counts(unit.submitted) if unit.status != MISSING else "", _counts(unit.in_decision)
                            if unit.status != MISSING else "", newest.path if newest else "",
                            newest.received_at.astimezone(campaign.tz) if newest else None,
                            bool(used and used.received_at and campaign.is_late(used.received_at))))
    return rows


def totals(result: BatchResult) -> dict:
    units = result.units
    return {"units": len(units), "sent": sum(1 for u in units if u.status != MISSING),
            "ok": sum(1 for u in units if u.status == OK),
            "collectives": len(result.nominations(COLLECTIVE)), "individuals": len(result.nominations(INDIVIDUAL)),
            "collectives_in": len(result.in_decision(COLLECTIVE)),
            "individuals_in": len(result.in_decision(INDIVIDUAL)),
            "quota_collectives": sum(u.unit.collectives for u in units),
            "quota_individuals": sum(u.unit.individuals for u in units)}


def outputs(out: Path, result: BatchResult) -> Outputs:
    """When the outputs were built, and whether the inbox is still what that run read (same files,
    same bytes)."""
    read = _report_files(out / REPORT)
    if read is None:
        return Outputs(None, False)
    built, then = read
    now = {(f.path, f.sha256) for f in result.files}
    return Outputs(built, now != then)


_REPORTS: dict[str, tuple] = {}   # report.json's path → (its stamp, what _report_files found in it)


def _report_files(path: Path) -> tuple[dt.datetime, frozenset] | None:
    """When report.json was built and the files (path, sha256) it read; None when there is none
    that can be read. Kept while the file keeps its size, modification time, mode and change time:
    at 1,000 units it is 5 MB, 35 ms to parse on every request."""
    stamp = _stamp(path)
    kept = _REPORTS.get(str(path))
    if stamp and kept and kept[0] == stamp:
        return kept[1]
    try:
        report = json.loads(path.read_text("utf-8"))
        found = (dt.datetime.fromisoformat(report["generated_at"]),
                 frozenset((f["path"], f.get("sha256")) for f in report["files"]))
    except (OSError, ValueError, KeyError, TypeError):
        found = None
    _REPORTS.clear()   # one page, one OUT: only the last one is kept
    if stamp:
        _REPORTS[str(path)] = (stamp, found)
    return found


def days_left(campaign: Campaign, today: dt.date | None = None) -> int:
    today = today or dt.datetime.now(campaign.tz).date()
    return (campaign.deadline - today).days


def unit_of(result: BatchResult, unit_id: str) -> UnitResult | None:
    return next((u for u in result.units if u.unit.id == unit_id), None)


def unit_nominations(result: BatchResult, unit_id: str) -> list[Nomination]:
    return [n for kind in (COLLECTIVE, INDIVIDUAL) for n in result.all_nominations(kind) if n.unit == unit_id]


def unit_findings(result: BatchResult, unit: UnitResult) -> list[Finding]:
    paths = {f.path for f in unit.files}
    return [f for f in result.findings if f.unit == unit.unit.id or f.file in paths]


def file_words(file: FileResult) -> str:
    return FILE_STATUS_WORDS.get(file.status, file.status)


def is_accepted(file: FileResult) -> bool:
    return file.status == ACCEPTED
