"""Across files: one workbook per unit, lateness, duplicates across units, who goes into
the decision, and each unit's status (outputs.md)."""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator

from ..config.campaign import Campaign
from ..model.findings import Finding
from ..model.results import (ACCEPTED, COLLECTIVE, HAS_ERRORS, IGNORED, INDIVIDUAL, MISSING, OK, OVER_QUOTA,
                             REASON_WORDS, SUPERSEDED, UNDER_QUOTA, UNUSABLE, BatchResult, Counts, FileResult,
                             Nomination, UnitResult)
from .rules import DUPLICATE_CODES, KIND_WORDS, describe, duplicate_key

_EPOCH = dt.datetime.min.replace(tzinfo=dt.timezone.utc)


def merge(files: list[FileResult], campaign: Campaign, generated_at: dt.datetime) -> BatchResult:
    extra: list[Finding] = []
    extra.extend(_supersede(files, campaign))
    extra.extend(_late(files, campaign))
    accepted = {f.unit: f for f in files if f.status == ACCEPTED}
    extra.extend(_cross_duplicates(accepted, campaign))
    by_unit: dict[str | None, list[FileResult]] = defaultdict(list)
    for file in files:
        by_unit[file.unit].append(file)
    units = [_unit_result(unit, accepted.get(unit.id), by_unit.get(unit.id, [])) for unit in campaign.roster]
    _hold_out_unused(files)
    extra.extend(_missing(units))
    # A superseded file's own problems are no longer the unit's to fix: its rows are listed as
    # replaced, and the unit-superseded warning names it.
    findings = [f for file in files if file.status != SUPERSEDED for f in file.findings] + extra
    return BatchResult(campaign=campaign, generated_at=generated_at, files=files, units=units,
                       findings=findings)


def _received(file: FileResult) -> tuple[dt.datetime, str]:
    return (file.received_at or _EPOCH, file.path)


def _supersede(files: list[FileResult], campaign: Campaign) -> Iterator[Finding]:
    """Of several accepted workbooks from one unit, the newest is used."""
    by_unit: dict[str, list[FileResult]] = defaultdict(list)
    for file in files:
        if file.status == ACCEPTED:
            by_unit[file.unit].append(file)
    for unit_id, group in by_unit.items():
        if len(group) < 2:
            continue
        group.sort(key=_received)
        newest = group[-1]
        for older in group[:-1]:
            older.status, older.reason = SUPERSEDED, "unit-superseded"
            when = _when(older.received_at, campaign)
            yield Finding("unit-superseded",
                          f"Đơn vị gửi nhiều tệp. Tệp “{older.path}” (nhận {when}) được thay bằng tệp mới hơn "
                          f"“{newest.path}” (nhận {_when(newest.received_at, campaign)}); chỉ tệp mới hơn được "
                          "dùng. Nếu không đúng ý, đề nghị đơn vị gửi lại một tệp duy nhất.",
                          file=older.path, unit=unit_id)


def _when(moment: dt.datetime | None, campaign: Campaign) -> str:
    return moment.astimezone(campaign.tz).strftime("%H:%M ngày %d/%m/%Y") if moment else "không rõ thời điểm"


def _late(files: list[FileResult], campaign: Campaign) -> Iterator[Finding]:
    for file in files:
        if file.status == ACCEPTED and file.received_at and campaign.is_late(file.received_at):
            yield Finding("submitted-late",
                          f"Hồ sơ nhận lúc {_when(file.received_at, campaign)}, sau hạn "
                          f"{campaign.deadline:%d/%m/%Y}.", file=file.path, unit=file.unit,
                          value=file.received_at.astimezone(campaign.tz).isoformat())


def _cross_duplicates(accepted: dict[str, FileResult], campaign: Campaign) -> Iterator[Finding]:
    """The same person or collective proposed by more than one unit: each unit is told."""
    roster = campaign.roster
    for kind in (COLLECTIVE, INDIVIDUAL):
        groups: dict[object, list[Nomination]] = defaultdict(list)
        for unit_id in sorted(accepted, key=roster.order):
            seen_here: set[object] = set()
            for nomination in accepted[unit_id].nominations(kind):
                key = duplicate_key(nomination)
                if key is not None and key not in seen_here:  # repeats within a file are reported there
                    seen_here.add(key)
                    groups[key].append(nomination)
        for group in groups.values():
            if len(group) < 2:
                continue
            for nomination in group:
                others = "; ".join(f"{roster.get(o.unit).name} ({o.sheet}!{o.ref('name')})"
                                   for o in group if o is not nomination)
                yield Finding(DUPLICATE_CODES[kind],
                              f"“{describe(nomination)}” cũng được đề nghị bởi: {others}. Đề nghị các đơn vị "
                              f"thống nhất, mỗi {KIND_WORDS[kind]} chỉ do một đơn vị đề nghị.",
                              file=nomination.file, unit=nomination.unit, sheet=nomination.sheet,
                              cell=nomination.ref("name"), value=nomination.name)


def _decide(file: FileResult, kind: str, quota: int) -> int:
    rows = file.nominations(kind)
    over = len(rows) > quota
    for nomination in rows:
        nomination.in_decision = not nomination.has_error and not over
        if over:
            nomination.held_out = (f"Đơn vị đề nghị {len(rows)} {KIND_WORDS[kind]}, vượt chỉ tiêu {quota}; "
                                   "chờ đơn vị chọn lại")
    return sum(n.in_decision for n in rows)


def _unit_result(unit, file: FileResult | None, attributed: list[FileResult]) -> UnitResult:
    if file is None:
        # Files from the unit arrived but none could be used: never "missing" (outputs.md).
        status = UNUSABLE if attributed else MISSING
        return UnitResult(unit, status, Counts(), Counts(), None, attributed)
    in_collectives = _decide(file, COLLECTIVE, unit.collectives)
    in_individuals = _decide(file, INDIVIDUAL, unit.individuals)
    codes = {f.code for f in file.findings if f.is_error}
    if codes - {"quota-exceeded"}:
        status = HAS_ERRORS
    elif "quota-exceeded" in codes:
        status = OVER_QUOTA
    elif any(f.code == "quota-under" for f in file.findings):
        status = UNDER_QUOTA
    else:
        status = OK
    submitted = Counts(len(file.collectives), len(file.individuals))
    return UnitResult(unit, status, submitted, Counts(in_collectives, in_individuals), file, attributed)


def _hold_out_unused(files: list[FileResult]) -> None:
    """Rows of superseded or rejected files are listed, never used."""
    for file in files:
        if file.status == ACCEPTED:
            continue
        why = ("Tệp đã được thay bằng tệp mới hơn của đơn vị" if file.status == SUPERSEDED
               else f"Tệp bị từ chối ({REASON_WORDS.get(file.reason or '', 'không dùng được')})")
        for kind in (COLLECTIVE, INDIVIDUAL):
            for nomination in file.nominations(kind):
                nomination.in_decision, nomination.held_out = False, why


def _missing(units: list[UnitResult]) -> Iterator[Finding]:
    for result in units:
        if result.status == MISSING:
            yield Finding("unit-missing", f"{result.unit.name}: chưa nhận được hồ sơ nào. Đề nghị đơn vị gửi hồ sơ "
                          "đúng mẫu trước hạn.", unit=result.unit.id)
        elif result.status == UNUSABLE:
            what = "; ".join(f"“{f.path}” ({_why_unused(f)})" for f in result.files)
            yield Finding("unit-unusable", f"{result.unit.name} đã gửi {len(result.files)} tệp nhưng chưa tệp nào dùng "
                          f"được để tổng hợp: {what}. Đề nghị đơn vị sửa theo thư phản hồi và gửi lại danh sách đúng "
                          "mẫu.", unit=result.unit.id, value=str(len(result.files)))


def _why_unused(file: FileResult) -> str:
    if file.status == IGNORED:
        return "không có danh sách đề nghị"
    return REASON_WORDS.get(file.reason or "", "không dùng được")
