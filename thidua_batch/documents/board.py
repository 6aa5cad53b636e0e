"""The context of the decision and of the tờ trình: the annex (who goes into the decision, by
unit in roster order) and the summary table per unit, from a batch result."""
from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable

from ..config.campaign import Campaign, Organisation, Signer
from ..model.findings import Finding, Severity
from ..model.results import (ACCEPTED, COLLECTIVE, IGNORED, INDIVIDUAL, MISSING, REASON_WORDS, REJECTED, STATUS_WORDS,
                             SUPERSEDED, UNUSABLE, BatchResult, FileResult, Nomination, UnitResult)
from .draft_context import (AnnexGroup, AnnexInfo, AnnexRow, AwardInfo, BoardContext, CampaignInfo, DecisionInfo,
                            HeaderInfo, IssueInfo, SummaryInfo, SummaryRow)
from .vnformat import datetime_text, long_date, money, money_words, place_date, short_date, short_month_year, two_digits
from .word import doc_text


class UnitIndex:
    """Findings of each unit, found in one pass over the result (a run may have
    thousands of units: looking them up unit by unit would be quadratic)."""

    def __init__(self, result: BatchResult):
        self._finding_pos = {id(f): i for i, f in enumerate(result.findings)}
        self._by_unit: dict[str, list[Finding]] = {}
        self._by_file: dict[str, list[Finding]] = {}
        for finding in result.findings:
            if finding.unit is not None:
                self._by_unit.setdefault(finding.unit, []).append(finding)
            elif finding.file is not None:
                self._by_file.setdefault(finding.file, []).append(finding)

    @staticmethod
    def files(ur: UnitResult) -> list[FileResult]:
        """Every file the unit sent (accepted, superseded or rejected): merge attributes them."""
        return list(ur.files)

    def findings(self, ur: UnitResult, files: list[FileResult] | None = None) -> list[Finding]:
        """Findings about this unit or about a file it sent, in the result's order."""
        found = {id(f): f for f in self._by_unit.get(ur.unit.id, ())}
        for file in self.files(ur) if files is None else files:
            found.update((id(f), f) for f in self._by_file.get(file.path, ()))
        return sorted(found.values(), key=lambda f: self._finding_pos[id(f)])


def unit_files(result: BatchResult, ur: UnitResult) -> list[FileResult]:
    """Every file the unit sent (accepted, superseded or rejected), in the result's order."""
    return UnitIndex(result).files(ur)


def unit_findings(result: BatchResult, ur: UnitResult) -> list[Finding]:
    """Findings about this unit or about a file it sent, in the result's order."""
    return UnitIndex(result).findings(ur)


def _ending(lines: Iterable[str]) -> list[str]:
    """Each line ends with ";", the last with "." (Nghị định 30 for căn cứ and nơi nhận)."""
    cleaned = [doc_text(line).strip().rstrip(";.,").rstrip() for line in lines]
    cleaned = [line for line in cleaned if line]
    return [line + ("." if i == len(cleaned) - 1 else ";") for i, line in enumerate(cleaned)]


def counts_phrase(collectives: int, individuals: int) -> str:
    return f"{two_digits(collectives)} tập thể, {two_digits(individuals)} cá nhân"


def _recipients(collectives: int, individuals: int) -> str:
    if collectives and not individuals:
        return f"{two_digits(collectives)} tập thể"
    if individuals and not collectives:
        return f"{two_digits(individuals)} cá nhân"
    return f"{two_digits(collectives)} tập thể và {two_digits(individuals)} cá nhân"


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


_PLACE_LEVEL = re.compile(r"\b(TỈNH|THÀNH PHỐ|HUYỆN|QUẬN|THỊ XÃ|XÃ|PHƯỜNG)\s", re.IGNORECASE)


def _keep_place_together(name: str) -> str:
    """"… TỈNH LAI CHÂU" with no-break spaces from the level word on, so a narrow header
    column breaks the line before "TỈNH", never inside the place's name."""
    found = list(_PLACE_LEVEL.finditer(name))
    if not found:
        return name
    start = found[-1].start()
    return name[:start] + name[start:].replace(" ", "\u00a0")


def _unit_name(campaign: Campaign, unit_id: str | None) -> str:
    unit = campaign.roster.get(unit_id) if unit_id else None
    return doc_text(unit.name if unit else unit_id or "")


def common_parts(result: BatchResult) -> dict[str, object]:
    """org, header, signer, campaign, issue, award: shared by every document."""
    c = result.campaign
    org = Organisation(**{k: doc_text(v) for k, v in dataclasses.asdict(c.organisation).items()})
    signer = Signer(**{k: doc_text(v) for k, v in dataclasses.asdict(c.signer).items()})
    info = CampaignInfo(
        id=doc_text(c.id), name=doc_text(c.name), movement=doc_text(c.movement), year=c.year,
        deadline=short_date(c.deadline), deadline_long=long_date(c.deadline),
        contact=doc_text(c.contact), contact_email=doc_text(c.contact_email),
        plan_number=doc_text(c.plan.number), plan_date=short_date(c.plan.date), plan_title=doc_text(c.plan.title),
        plan_about=_lower_first(doc_text(c.plan.title)),
        standards_number=doc_text(c.standards.number), standards_date=short_date(c.standards.date),
        standards_title=doc_text(c.standards.title),
    )
    # The decision follows the units' deadline: same month and year; the day is the clerk's.
    month, year = c.deadline.month, c.deadline.year
    issue = IssueInfo(place_date=place_date(org.place, month=month, year=year),
                      month_year=short_month_year(month, year), month=month, year=year,
                      generated_at=datetime_text(result.generated_at, c.tz))
    a = c.award
    award = AwardInfo(name=doc_text(a.name), base_salary=money(a.base_salary),
                      per_collective=money(a.per_collective), per_collective_words=money_words(a.per_collective),
                      per_individual=money(a.per_individual), per_individual_words=money_words(a.per_individual),
                      funding_source=doc_text(a.funding_source))
    header = HeaderInfo(parent=org.parent, name=_keep_place_together(org.name), board=f"BAN {org.board_short}")
    return {"org": org, "header": header, "signer": signer, "campaign": info, "issue": issue, "award": award}


def board_context(result: BatchResult, common: dict[str, object] | None = None,
                  index: UnitIndex | None = None) -> BoardContext:
    common = common or common_parts(result)
    c = result.campaign
    collectives = result.in_decision(COLLECTIVE)
    individuals = result.in_decision(INDIVIDUAL)
    n, m = len(collectives), len(individuals)
    total_c, total_i = c.award.per_collective * n, c.award.per_individual * m
    decision = DecisionInfo(collectives=n, individuals=m, recipients=_recipients(n, m),
                            total_collectives=money(total_c), total_individuals=money(total_i),
                            total=money(total_c + total_i), total_words=money_words(total_c + total_i))
    return BoardContext(**common, can_cu=_ending(c.can_cu), noi_nhan=_ending(c.noi_nhan), decision=decision,
                        annex=_annex(result, collectives, individuals),
                        summary=_summary(result, index or UnitIndex(result)))


def _annex_rows(result: BatchResult, nominations: list[Nomination], with_detail: bool) -> list[AnnexRow]:
    names: dict[str | None, str] = {}
    rows = []
    for stt, nomination in enumerate(nominations, start=1):
        if nomination.unit not in names:
            names[nomination.unit] = _unit_name(result.campaign, nomination.unit)
        rows.append(AnnexRow(stt=stt, name=doc_text(nomination.display_name),
                             detail=doc_text(nomination.position_and_workplace) if with_detail else "",
                             unit=names[nomination.unit]))
    return rows


def _groups(rows: list[AnnexRow]) -> list[AnnexGroup]:
    groups: list[AnnexGroup] = []
    for row in rows:
        if not groups or groups[-1].unit != row.unit:
            groups.append(AnnexGroup(unit=row.unit, rows=[]))
        groups[-1].rows.append(row)
    return groups


def _annex(result: BatchResult, collectives, individuals) -> AnnexInfo:
    c_rows = _annex_rows(result, collectives, with_detail=False)
    i_rows = _annex_rows(result, individuals, with_detail=True)
    return AnnexInfo(collectives=c_rows, individuals=i_rows, collective_groups=_groups(c_rows),
                     individual_groups=_groups(i_rows))


def _held_out(unit_result: UnitResult) -> list[Nomination]:
    file = unit_result.file
    if file is None:
        return []
    return [n for n in (*file.collectives, *file.individuals) if not n.in_decision]


def _unit_note(result: BatchResult, ur: UnitResult, findings: list[Finding]) -> str:
    """The Ghi chú of the summary table: the status, then what makes it so."""
    if ur.status == MISSING:
        return "Chưa gửi hồ sơ"
    if ur.status == UNUSABLE:
        return f"Đã gửi {len(ur.files)} tệp nhưng chưa dùng được: {_unusable_reasons(ur)}"
    parts = []
    over = [f"{word} {got}/{quota}" for word, got, quota in (
        ("tập thể", ur.submitted.collectives, ur.quota.collectives),
        ("cá nhân", ur.submitted.individuals, ur.quota.individuals)) if got > quota]
    if over:
        parts.append(", ".join(over))
    errors = sum(1 for f in findings if f.is_error and f.code != "quota-exceeded")
    if errors:
        parts.append(f"{errors} lỗi")
    held = _held_out(ur)
    if held:
        parts.append(f"{len(held)} đề nghị chưa đưa vào dự thảo")
    if any(f.code == "submitted-late" for f in findings):
        parts.append("gửi sau hạn")
    note = STATUS_WORDS[ur.status]
    return note + (": " + "; ".join(parts) if parts else "")


def _held_out_line(ur: UnitResult, findings: list[Finding]) -> str | None:
    name = doc_text(ur.unit.name)
    if ur.status == MISSING:
        return f"{name}: chưa gửi hồ sơ."
    if ur.status == UNUSABLE:
        return f"{name}: đã gửi {len(ur.files)} tệp nhưng chưa dùng được để tổng hợp ({_unusable_reasons(ur)})."
    held = _held_out(ur)
    if not held:
        return None
    c = sum(1 for n in held if n.kind == COLLECTIVE)
    i = len(held) - c
    reasons: list[str] = []
    for nomination in held:
        reason = doc_text(nomination.held_out or "có lỗi cần sửa").rstrip(". ")
        if reason not in reasons:
            reasons.append(reason)
    what = _recipients(c, i)
    return f"{name} ({STATUS_WORDS[ur.status].lower()}): {what} chưa đưa vào dự thảo ({'; '.join(reasons)})."


def _unusable_reasons(ur: UnitResult) -> str:
    reasons = dict.fromkeys("không có danh sách đề nghị" if f.status == IGNORED
                            else REASON_WORDS.get(f.reason or "", "không dùng được") for f in ur.files)
    return "; ".join(reasons)


def _summary(result: BatchResult, index: UnitIndex) -> SummaryInfo:
    rows = []
    held_out = []
    totals = [0] * 6
    for stt, ur in enumerate(result.units, start=1):
        findings = index.findings(ur)
        q, s, d = ur.quota, ur.submitted, ur.in_decision
        rows.append(SummaryRow(stt=str(stt), unit=doc_text(ur.unit.name), quota=f"{q.collectives}/{q.individuals}",
                               submitted="—" if ur.file is None else f"{s.collectives}/{s.individuals}",
                               in_decision=f"{d.collectives}/{d.individuals}", status=STATUS_WORDS[ur.status],
                               note=_unit_note(result, ur, findings)))
        for i, value in enumerate((q.collectives, q.individuals, s.collectives, s.individuals,
                                   d.collectives, d.individuals)):
            totals[i] += value
        line = _held_out_line(ur, findings)
        if line:
            held_out.append(line)
    total = SummaryRow(stt="", unit="Tổng cộng", quota=f"{totals[0]}/{totals[1]}",
                       submitted=f"{totals[2]}/{totals[3]}", in_decision=f"{totals[4]}/{totals[5]}",
                       status="", note="")
    files = result.files
    count = lambda status: sum(1 for f in files if f.status == status)  # noqa: E731
    missing = sum(1 for ur in result.units if ur.status == MISSING)
    unusable = sum(1 for ur in result.units if ur.status == UNUSABLE)
    return SummaryInfo(
        units_expected=len(result.units), units_submitted=len(result.units) - missing, units_missing=missing,
        units_usable=len(result.units) - missing - unusable, units_unusable=unusable,
        files=len(files), files_accepted=count(ACCEPTED), files_rejected=count(REJECTED),
        files_superseded=count(SUPERSEDED), files_ignored=count(IGNORED),
        collectives=sum(len(f.collectives) for f in result.accepted_files()),
        individuals=sum(len(f.individuals) for f in result.accepted_files()),
        errors=result.count(Severity.ERROR), warnings=result.count(Severity.WARNING),
        rows=rows, total=total, held_out=held_out, awarded_before=[
            f"{doc_text(n.display_name)} ({_unit_name(result.campaign, n.unit)}): "
            + "; ".join(doc_text(p.sentence) for p in n.past_awards) + "."
            for kind in (COLLECTIVE, INDIVIDUAL) for n in result.in_decision(kind) if n.past_awards])
