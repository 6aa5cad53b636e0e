"""Across files: one workbook per unit, lateness, duplicates across units, who goes into
the decision, and each unit's status (outputs.md)."""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import replace
from collections.abc import Iterator

from ..config.campaign import Campaign
from ..model.findings import Finding
from ..model.results import (ACCEPTED, COLLECTIVE, HAS_ERRORS, IGNORED, INDIVIDUAL, MISSING, OK, OVER_QUOTA,
                             REASON_WORDS, SUPERSEDED, UNDER_QUOTA, UNUSABLE, BatchResult, Counts, FileResult,
                             UnitResult)
from . import duplicates
from .duplicates import over_quota, quorum_blocks
from .rules import by_deadline, quota_words

_EPOCH = dt.datetime.min.replace(tzinfo=dt.timezone.utc)


def merge(files: list[FileResult], campaign: Campaign, generated_at: dt.datetime) -> BatchResult:
    extra: list[Finding] = []
    today = generated_at.astimezone(campaign.tz).date()
    _date_quota_under(files, campaign, today)
    extra.extend(_supersede(files, campaign))
    extra.extend(_late(files, campaign))
    accepted = {f.unit: f for f in files if f.status == ACCEPTED}
    for finding in duplicates.across_files(list(accepted.values()), campaign):
        accepted[finding.unit].findings.append(finding)   # an error of that file's row: it sets the status
    by_unit: dict[str | None, list[FileResult]] = defaultdict(list)
    for file in files:
        by_unit[file.unit].append(file)
    units = [_unit_result(unit, accepted.get(unit.id), by_unit.get(unit.id, []), campaign) for unit in campaign.roster]
    _hold_out_unused(files)
    extra.extend(_missing(units, campaign, today))
    # A superseded file's own problems are no longer the unit's to fix: its rows are listed as
    # replaced, and the unit-superseded warning names it.
    findings = [f for file in files if file.status != SUPERSEDED for f in file.findings] + extra
    return BatchResult(campaign=campaign, generated_at=generated_at, files=files, units=units,
                       findings=findings)


def _date_quota_under(files: list[FileResult], campaign: Campaign, today: dt.date) -> None:
    """quota-under says what the unit may still do as of the run's date (a file checked on its own
    has no run date, so the rule states only the fact)."""
    sentence = by_deadline(campaign, today)
    for file in files:   # idempotent: a file merged again (a cached read) gets today's sentence once
        file.findings = [replace(f, message=f"{f.message.split(' Nếu đơn vị còn')[0].split(' Hạn gửi hồ sơ (')[0]} "
                                            f"{sentence}") if f.code == "quota-under" else f
                         for f in file.findings]


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


def _decide(file: FileResult, kind: str, quota: int, campaign: Campaign) -> int:
    """Who of the file's rows of KIND goes into the decision; the others get their reasons in words."""
    rows = file.nominations(kind)
    over = over_quota(file, kind, campaign)
    unit_reasons = []
    if quorum_blocks(file):
        present, total = file.fields.get("members_present"), file.fields.get("members_total")
        checks = campaign.checks
        unit_reasons.append(f"họp xét {present.value}/{total.value} thành viên, dưới {checks.quorum_numerator}/"
                            f"{checks.quorum_denominator}: kết quả xét chưa hợp lệ")
    if over:
        unit_reasons.append(f"{quota_words(kind, quota, len(rows))}; chờ đơn vị chọn lại")
    for nomination in rows:
        nomination.in_decision = not nomination.has_error and not unit_reasons
        own = nomination.reasons or ([nomination.held_out] if nomination.held_out else [])   # said by the reader
        reasons = own + unit_reasons
        nomination.held_out = None if nomination.in_decision else "; ".join(reasons) or "chưa đủ điều kiện"
    return sum(n.in_decision for n in rows)


def _unit_result(unit, file: FileResult | None, attributed: list[FileResult], campaign: Campaign) -> UnitResult:
    if file is None:
        # Files from the unit arrived but none could be used: never "missing" (outputs.md).
        status = UNUSABLE if attributed else MISSING
        return UnitResult(unit, status, Counts(), Counts(), None, attributed)
    in_collectives = _decide(file, COLLECTIVE, unit.collectives, campaign)
    in_individuals = _decide(file, INDIVIDUAL, unit.individuals, campaign)
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


def _missing(units: list[UnitResult], campaign: Campaign, today: dt.date) -> Iterator[Finding]:
    deadline = f"{campaign.deadline:%d/%m/%Y}"
    ask = (f"Đề nghị đơn vị gửi hồ sơ đúng mẫu chậm nhất ngày {deadline}." if today <= campaign.deadline
           else f"Hạn gửi hồ sơ ({deadline}) đã qua.")
    for result in units:
        if result.status == MISSING:
            yield Finding("unit-missing", f"{result.unit.name}: chưa nhận được hồ sơ nào. {ask}", unit=result.unit.id)
        elif result.status == UNUSABLE:
            what = "; ".join(f"“{f.path}” ({_why_unused(f)})" for f in result.files)
            yield Finding("unit-unusable", f"{result.unit.name} đã gửi {len(result.files)} tệp nhưng chưa tệp nào dùng "
                          f"được để tổng hợp: {what}. Đề nghị đơn vị sửa theo thư phản hồi và gửi lại danh sách đúng "
                          "mẫu.", unit=result.unit.id, value=str(len(result.files)))


def _why_unused(file: FileResult) -> str:
    if file.status == IGNORED:
        return "không có danh sách đề nghị"
    return REASON_WORDS.get(file.reason or "", "không dùng được")
