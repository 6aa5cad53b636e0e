"""The context of the decision and of the tờ trình: the annex (who goes into the decision, by
unit in roster order) and the summary table per unit, from a batch result."""
from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Iterable

from ..config.campaign import Campaign, Organisation, Signer
from ..checks.rules import quota_words
from ..common.text import fold
from ..config import schema
from ..model.findings import CODE_WORDS, Finding, Severity
from ..model.results import (ACCEPTED, COLLECTIVE, IGNORED, INDIVIDUAL, MISSING, OK, REASON_WORDS, REJECTED, STATUS_WORDS,
                             SUPERSEDED, UNUSABLE, BatchResult, FileResult, Nomination, UnitResult)
from .draft_context import (AnnexGroup, AnnexInfo, AnnexRow, AwardInfo, BoardContext, BoardSigner, CampaignInfo,
                            DecisionInfo,
                            HeaderInfo, IssueInfo, SummaryInfo, SummaryRow)
from .vnformat import datetime_text, long_date, money, money_words, place_date, short_date, short_month_year, two_digits
from .word import doc_text


DOTS = "………………………………"   # a name the campaign does not give: the signer writes it


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


def units_with_notes(result: BatchResult, index: UnitIndex | None = None) -> set[str]:
    """Units without errors of which the tờ trình still states a fact (no biên bản, late, own layout…):
    every paper and the console call only the others "Đạt yêu cầu"."""
    index = index or UnitIndex(result)
    return {u.unit.id for u in result.units if u.status == OK and unit_facts(result, u, index.findings(u))}


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
    # Dated from the run, never from the deadline: the drafts to be signed (tờ trình, decision) leave the
    # day for the clerk, as it is the signing day; a letter goes out with the run, dated by it (its due
    # date counts from it).
    today = result.generated_at.astimezone(c.tz).date()
    month, year = today.month, today.year
    issue = IssueInfo(place_date=place_date(org.place, month=month, year=year),
                      month_year=short_month_year(month, year), month=month, year=year,
                      generated_at=datetime_text(result.generated_at, c.tz),
                      letter_place_date=place_date(org.place, today))
    a = c.award
    award = AwardInfo(name=doc_text(a.name), base_salary=money(a.base_salary),
                      per_collective=money(a.per_collective), per_collective_words=money_words(a.per_collective),
                      per_individual=money(a.per_individual), per_individual_words=money_words(a.per_individual),
                      funding_source=doc_text(a.funding_source))
    header = HeaderInfo(parent=org.parent, name=_keep_place_together(org.name), board=f"BAN {org.board_short}")
    b = c.board_signer
    title = doc_text(b.letter_title or b.head_title)
    board = BoardSigner(head_title=doc_text(b.head_title), head_name=doc_text(b.head_name) or DOTS,
                        letter_symbol=doc_text(b.letter_symbol) or "…",
                        letter_heading=f"{doc_text(b.letter_on_behalf)}\n{title}" if b.letter_on_behalf else title,
                        letter_name=doc_text(b.letter_name or b.head_name) or DOTS)
    return {"org": org, "board": board, "header": header, "signer": signer, "campaign": info, "issue": issue, "award": award}


def board_context(result: BatchResult, common: dict[str, object] | None = None,
                  index: UnitIndex | None = None) -> BoardContext:
    common = common or common_parts(result)
    c = result.campaign
    collectives = result.in_decision(COLLECTIVE)
    individuals = result.in_decision(INDIVIDUAL)
    n, m = len(collectives), len(individuals)
    total_c, total_i = c.award.per_collective * n, c.award.per_individual * m
    women, minorities, unknown = honoured(individuals)
    decision = DecisionInfo(collectives=n, individuals=m, recipients=_recipients(n, m),
                            total_collectives=money(total_c), total_individuals=money(total_i),
                            total=money(total_c + total_i), total_words=money_words(total_c + total_i),
                            women=women, minorities=minorities, people=_people_phrase(m, women, minorities, unknown))
    return BoardContext(**common, can_cu=_ending(c.can_cu), noi_nhan=_ending(c.noi_nhan), decision=decision,
                        annex=_annex(result, collectives, individuals),
                        summary=_summary(result, index or UnitIndex(result)))


def honoured(individuals: list[Nomination]) -> tuple[int, int, int]:
    """Of the individuals: women, members of an ethnic minority (Dân tộc other than Kinh), and those
    whose Dân tộc the list does not give, counted from the lists."""
    women = sum(1 for n in individuals if fold(n.text("gender")) == "nữ")
    ethnic = [fold(n.text("ethnicity")) for n in individuals]
    return women, sum(1 for e in ethnic if e and e != "kinh"), sum(1 for e in ethnic if not e)


def _people_phrase(total: int, women: int, minorities: int, unknown: int) -> str:
    if not total:
        return ""
    text = (f"Trong {two_digits(total)} cá nhân được đề nghị khen thưởng có {two_digits(women)} nữ và "
            f"{two_digits(minorities)} người dân tộc thiểu số")
    if unknown:
        text += f" ({two_digits(unknown)} người danh sách không ghi dân tộc)"
    return text + "."


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
    """The Ghi chú of the summary table: "Đạt yêu cầu" only when no check found anything; otherwise
    each fact in words (papers.md)."""
    if ur.status == MISSING:
        return "Chưa gửi hồ sơ"
    if ur.status == UNUSABLE:
        return f"Đã gửi {len(ur.files)} tệp nhưng chưa dùng được: {_unusable_reasons(ur)}"
    facts = "; ".join(unit_facts(result, ur, findings))
    return facts[:1].upper() + facts[1:] if facts else STATUS_WORDS[OK]


_LAYOUT_FACT = "danh sách không theo mẫu: chưa kiểm tra được họp xét, tỷ lệ phiếu, hồ sơ"
# Facts said in their own words; the other findings (warnings and errors) by the words of their code.
_OWN_WORDS = {"quorum-not-met", "dossier-incomplete", "layout-own", "submitted-late", "quota-exceeded", "quota-under",
              "person-duplicate", "collective-duplicate", "unit-superseded", "unit-missing", "unit-unusable"}


_FACT_WORDS = {"cells-merged": "có ô gộp qua nhiều dòng của danh sách", "row-hidden": "có dòng, cột bị ẩn",
               "legacy-encoding": "chữ gõ bảng mã cũ, đã chuyển sang Unicode"}


def unit_facts(result: BatchResult, ur: UnitResult, findings: list[Finding]) -> list[str]:
    """What the checks found about a unit that sent a usable file, each fact in words."""
    c = result.campaign
    facts: list[str] = []
    codes = {f.code for f in findings}
    file = ur.file
    if "quorum-not-met" in codes and file is not None:
        facts.append(f"họp xét {file.field_text('members_present')}/{file.field_text('members_total')} thành viên "
                     f"(dưới {c.checks.quorum_numerator}/{c.checks.quorum_denominator})")
    facts.extend(f"không có {paper}" for paper in missing_papers(findings))
    if "layout-own" in codes:
        facts.append(_LAYOUT_FACT)
    if "submitted-late" in codes and file is not None and file.received_at is not None:
        facts.append(f"nhận ngày {_received_day(file, c)}, sau hạn {short_date(c.deadline)}")
    for kind, quota, got in ((COLLECTIVE, ur.quota.collectives, ur.submitted.collectives),
                             (INDIVIDUAL, ur.quota.individuals, ur.submitted.individuals)):
        if got != quota and file is not None:
            facts.append(quota_words(kind, quota, got))
    facts.extend(_duplicate_facts(result, ur))
    own_rows = [n for n in _held_out(ur) if n.reasons and n.duplicate_of is None]
    if own_rows:
        facts.append(f"{two_digits(len(own_rows))} đề nghị có lỗi (xem mục 2)")
    if "unit-superseded" in codes and file is not None:
        facts.append(f"gửi lại hồ sơ, dùng tệp nhận ngày {_received_day(file, c)}")
    row_cells = {(n.sheet, n.ref(k)) for n in (*file.collectives, *file.individuals) for k in n.cells} if file else set()
    others: list[str] = []
    for f in findings:
        on_row = (f.sheet, f.cell) in row_cells
        if f.code in _OWN_WORDS or f.severity is Severity.INFO or (on_row and f.is_error):
            continue   # row errors are counted above and told row by row in section 2
        words = _FACT_WORDS.get(f.code) or CODE_WORDS[f.code].lower() + (f" ({f.place})" if f.place and not on_row else "")
        if words not in others:
            others.append(words)
    facts.extend(others)
    return facts


def finding_value(finding: Finding, campaign: Campaign) -> str:
    """A finding's value as a person reads it: a receiving time (report.json keeps it ISO) as
    "23/12/2020 14:10" in the campaign's time zone."""
    value = finding.value or ""
    if finding.code == "submitted-late" and value:
        try:
            return datetime_text(dt.datetime.fromisoformat(value), campaign.tz)
        except ValueError:
            return value
    return value


def missing_papers(findings: list[Finding]) -> list[str]:
    """The papers of the dossier marked as not attached ("biên bản họp xét"), in words."""
    papers = []
    for f in findings:
        if f.code == "dossier-incomplete":
            named = [p.lower() for _, p in schema.DOSSIER_FIELDS if fold(p) in fold(f.message)]
            for paper in named or ["giấy tờ còn thiếu của hồ sơ"]:
                if paper not in papers:
                    papers.append(paper)
    return papers


def _received_day(file: FileResult, campaign: Campaign) -> str:
    return short_date(file.received_at.astimezone(campaign.tz).date()) if file.received_at else "không rõ ngày"


def _duplicate_facts(result: BatchResult, ur: UnitResult) -> list[str]:
    """"trùng đề nghị với LĐLĐ huyện Tam Đường: Tòng Thị Hải Yến", said of both units."""
    if ur.file is None:
        return []
    by_unit: dict[str, list[str]] = {}
    for n in (*ur.file.collectives, *ur.file.individuals):
        others = [o for o in n.also_proposed if o.unit != ur.unit.id]
        if n.duplicate_of is not None and n.duplicate_of.unit != ur.unit.id:
            others = [n.duplicate_of]
        for other in others:
            names = by_unit.setdefault(_unit_name(result.campaign, other.unit), [])
            who = doc_text(n.display_name)
            if n.duplicate_of is not None:
                who += " (chưa đưa vào dự thảo: đơn vị kia gửi trước)"
            elif n.in_decision:
                who += " (giữ đề nghị của đơn vị: gửi trước)"
            elif any(o.in_decision for o in n.also_proposed):
                who += " (đề nghị của đơn vị chưa đưa vào được, tính đề nghị của đơn vị kia)"
            if who not in names:
                names.append(who)
    within = [doc_text(n.display_name) for n in (*ur.file.collectives, *ur.file.individuals)
              if n.duplicate_of is not None and n.duplicate_of.unit == ur.unit.id]
    facts = [f"trùng đề nghị với {unit}: {', '.join(names)}" for unit, names in by_unit.items()]
    if within:
        facts.append(f"đề nghị trùng trong danh sách: {', '.join(within)}")
    return facts


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
    what = _recipients(c, len(held) - c)
    reasons = list(dict.fromkeys(doc_text(n.held_out or "chưa đủ điều kiện").rstrip(". ") for n in held))
    if len(reasons) == 1 and len(held) > 1:
        return f"{name}: {what} chưa đưa vào dự thảo ({reasons[0]})."
    rows = "; ".join(f"{doc_text(n.display_name) or '(chưa ghi tên)'} (trang “{doc_text(n.sheet)}”, dòng {n.row}): "
                     f"{doc_text(n.held_out or 'chưa đủ điều kiện').rstrip('. ')}" for n in held)
    return f"{name}: {what} chưa đưa vào dự thảo: {rows}."


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
        rows=rows, total=total, held_out=held_out, all_clear=all(r.note == STATUS_WORDS[OK] for r in rows),
        awarded_before=[
            f"{doc_text(n.display_name)} ({_unit_name(result.campaign, n.unit)}): "
            + "; ".join(doc_text(p.sentence) for p in n.past_awards) + "."
            for kind in (COLLECTIVE, INDIVIDUAL) for n in result.in_decision(kind) if n.past_awards])
