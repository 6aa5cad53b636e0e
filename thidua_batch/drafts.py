"""The Word drafts written from a batch result (outputs.md, domain.md "Word documents").

    du_thao_quyet_dinh_khen_thuong.docx   the decision and its annex
    du_thao_to_trinh.docx                 the board's submission to Ban Thường vụ
    phan_hoi/<unit-id>.docx               one letter per unit that sent something

Templates are Word files the clerk can edit (`*_tpl.docx`, built by `docx_templates.py`),
overridable file by file with `templates_dir`. They are rendered with Jinja2, autoescape on
(a "&" or "<" typed by a unit stays text) and StrictUndefined (a misspelled variable is an
error, never an empty gap). `check_templates` finds such a variable before a run.

The context a template sees is made of the frozen dataclasses below (`BoardContext` for
the decision and the submission, `LetterContext` for a letter); every variable path a
template may use is a field path of those classes, and `check_templates` checks
templates against exactly that.

Speed: a template is loaded once; docxtpl's patching of its XML is done once and the
result compiled once by Jinja. A document is then one Jinja render of word/document.xml
(and of headers/footers holding tags) appended to a zip whose other parts were
compressed once. No python-docx object is built per letter.
"""
from __future__ import annotations

import dataclasses
import difflib
import functools
import re
import struct
import typing
import zipfile
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from docxtpl import DocxTemplate
from jinja2 import Environment, StrictUndefined, TemplateError, nodes
from lxml import etree

from .atomic import atomic_path
from .docx_templates import DECISION_TPL, FEEDBACK_TPL, SUBMISSION_TPL, TEMPLATE_FILES, TEMPLATES_DIR
from .campaign import Campaign, Organisation, Signer
from .findings import SEVERITY_WORDS, Finding, Severity
from .model import (ACCEPTED, COLLECTIVE, FILE_STATUS_WORDS, IGNORED, INDIVIDUAL, MISSING, REJECTED,
                    STATUS_WORDS, SUPERSEDED, BatchResult, FileResult, Nomination, UnitResult)
from .vnformat import (datetime_text, long_date, money, money_words, place_date, short_date,
                       short_month_year, two_digits)

DECISION_FILE = "du_thao_quyet_dinh_khen_thuong.docx"
SUBMISSION_FILE = "du_thao_to_trinh.docx"
FEEDBACK_DIR = "phan_hoi"


class DraftTemplateError(Exception):
    """A Word template cannot be used; the message (Vietnamese) names the file and the variable."""


# ====================================================================== the context

@dataclass(frozen=True)
class CampaignInfo:
    id: str
    name: str
    movement: str
    year: int
    deadline: str          # "20/12/2020"
    deadline_long: str     # "ngày 20 tháng 12 năm 2020"
    contact: str
    contact_email: str
    plan_number: str       # "199/KH-LĐLĐ"
    plan_date: str         # "13/11/2020"
    plan_title: str
    plan_about: str        # the plan's title as it follows "về việc": "sơ kết phong trào …"
    standards_number: str
    standards_date: str
    standards_title: str


@dataclass(frozen=True)
class HeaderInfo:
    """The issuer's lines of the header table (Nghị định 30: parent upright, issuer bold)."""

    parent: str            # "TỔNG LĐLĐ VIỆT NAM"
    name: str              # "LIÊN ĐOÀN LAO ĐỘNG TỈNH LAI CHÂU", the place kept on one line
    board: str             # "BAN CSPL&QHLĐ"


@dataclass(frozen=True)
class IssueInfo:
    """The date line and the decision's date, the day left blank for the clerk."""

    place_date: str        # "Lai Châu, ngày      tháng 12 năm 2020"
    month_year: str        # "…/12/2020"
    month: int
    year: int
    generated_at: str      # "22/12/2020 10:15": when the batch ran


@dataclass(frozen=True)
class AwardInfo:
    name: str
    base_salary: str               # "1.490.000"
    per_collective: str            # "2.980.000"
    per_collective_words: str      # "Hai triệu chín trăm tám mươi nghìn đồng"
    per_individual: str
    per_individual_words: str
    funding_source: str


@dataclass(frozen=True)
class DecisionInfo:
    collectives: int               # nominations with in_decision, by kind
    individuals: int
    recipients: str                # "02 tập thể và 08 cá nhân"
    total_collectives: str         # "5.960.000"
    total_individuals: str
    total: str                     # "17.880.000"
    total_words: str               # "Mười bảy triệu tám trăm tám mươi nghìn đồng"


@dataclass(frozen=True)
class AnnexRow:
    stt: int
    name: str
    detail: str                    # "Chức vụ - Đơn vị công tác" ("" for a collective)
    unit: str                      # the proposing unit's name


@dataclass(frozen=True)
class AnnexGroup:
    unit: str
    rows: list[AnnexRow]


@dataclass(frozen=True)
class AnnexInfo:
    collectives: list[AnnexRow]
    individuals: list[AnnexRow]
    collective_groups: list[AnnexGroup]
    individual_groups: list[AnnexGroup]


@dataclass(frozen=True)
class SummaryRow:
    stt: str
    unit: str
    quota: str                     # "1/4" (tập thể/cá nhân)
    submitted: str                 # "1/5", "—" when nothing usable came
    in_decision: str
    status: str                    # "Vượt chỉ tiêu"
    note: str                      # status and why, for the Ghi chú column


@dataclass(frozen=True)
class SummaryInfo:
    units_expected: int
    units_submitted: int
    units_missing: int
    files: int
    files_accepted: int
    files_rejected: int
    files_superseded: int
    files_ignored: int
    collectives: int               # nominations read from accepted files
    individuals: int
    errors: int
    warnings: int
    rows: list[SummaryRow]
    total: SummaryRow
    held_out: list[str]            # one line a unit left out of the draft, or partly, and why


@dataclass(frozen=True)
class CommonContext:
    """What every template sees."""

    org: Organisation
    header: HeaderInfo
    signer: Signer
    campaign: CampaignInfo
    issue: IssueInfo
    award: AwardInfo


@dataclass(frozen=True)
class BoardContext(CommonContext):
    """What the decision and the submission templates see."""

    can_cu: list[str]              # each ending ";" and the last "."
    noi_nhan: list[str]            # each ending ";" and the last "." (without the leading "- ")
    decision: DecisionInfo
    annex: AnnexInfo
    summary: SummaryInfo


@dataclass(frozen=True)
class FileLine:
    name: str
    received: str                  # "lúc 09:05 ngày 18/12/2020"
    status: str                    # "đã dùng để tổng hợp"


@dataclass(frozen=True)
class FindingRow:
    stt: int
    severity: str                  # "Lỗi" / "Cảnh báo" / "Thông tin"
    code: str
    place: str                     # "Cá nhân!D7"
    value: str
    message: str


@dataclass(frozen=True)
class LetterInfo:
    unit_id: str
    unit_name: str
    status: str                    # "Có lỗi cần sửa"
    quota: str                     # "01 tập thể, 04 cá nhân"
    submitted: str
    included: str
    included_lines: list[str]
    held_out_lines: list[str]
    files: list[FileLine]
    findings: list[FindingRow]
    errors: int
    warnings: int
    has_errors: bool
    verdict: str                   # the sentence before the findings table


@dataclass(frozen=True)
class LetterContext(CommonContext):
    """What the feedback letter template sees."""

    letter: LetterInfo


CONTEXTS = {DECISION_TPL: BoardContext, SUBMISSION_TPL: BoardContext, FEEDBACK_TPL: LetterContext}

_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def _s(text: object) -> str:
    """Text for a document: str, line ends as "\\n", characters XML cannot hold removed."""
    if text is None:
        return ""
    text = str(text).replace("\r\n", "\n").replace("\r", "\n")
    return _XML_INVALID.sub("", text)


def _ending(lines: Iterable[str]) -> list[str]:
    """Each line ends with ";", the last with "." (Nghị định 30 for căn cứ and nơi nhận)."""
    cleaned = [_s(line).strip().rstrip(";.,").rstrip() for line in lines]
    cleaned = [line for line in cleaned if line]
    return [line + ("." if i == len(cleaned) - 1 else ";") for i, line in enumerate(cleaned)]


def _counts_phrase(collectives: int, individuals: int) -> str:
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
    return _s(unit.name if unit else unit_id or "")


def common_parts(result: BatchResult) -> dict[str, object]:
    """org, header, signer, campaign, issue, award: shared by every document."""
    c = result.campaign
    org = Organisation(**{k: _s(v) for k, v in dataclasses.asdict(c.organisation).items()})
    signer = Signer(**{k: _s(v) for k, v in dataclasses.asdict(c.signer).items()})
    info = CampaignInfo(
        id=_s(c.id), name=_s(c.name), movement=_s(c.movement), year=c.year,
        deadline=short_date(c.deadline), deadline_long=long_date(c.deadline),
        contact=_s(c.contact), contact_email=_s(c.contact_email),
        plan_number=_s(c.plan.number), plan_date=short_date(c.plan.date), plan_title=_s(c.plan.title),
        plan_about=_lower_first(_s(c.plan.title)),
        standards_number=_s(c.standards.number), standards_date=short_date(c.standards.date),
        standards_title=_s(c.standards.title),
    )
    # The decision follows the units' deadline: same month and year; the day is the clerk's.
    month, year = c.deadline.month, c.deadline.year
    issue = IssueInfo(place_date=place_date(org.place, month=month, year=year),
                      month_year=short_month_year(month, year), month=month, year=year,
                      generated_at=datetime_text(result.generated_at, c.tz))
    a = c.award
    award = AwardInfo(name=_s(a.name), base_salary=money(a.base_salary),
                      per_collective=money(a.per_collective), per_collective_words=money_words(a.per_collective),
                      per_individual=money(a.per_individual), per_individual_words=money_words(a.per_individual),
                      funding_source=_s(a.funding_source))
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
        rows.append(AnnexRow(stt=stt, name=_s(nomination.name),
                             detail=_s(nomination.position_and_workplace) if with_detail else "",
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
        return "Tệp gửi đến không dùng được" if ur.files else "Chưa gửi hồ sơ"
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
    name = _s(ur.unit.name)
    if ur.status == MISSING:
        if ur.files:
            return f"{name}: chưa gửi hồ sơ hợp lệ (các tệp gửi đến đều không dùng được)."
        return f"{name}: chưa gửi hồ sơ."
    held = _held_out(ur)
    if not held:
        return None
    c = sum(1 for n in held if n.kind == COLLECTIVE)
    i = len(held) - c
    reasons: list[str] = []
    for nomination in held:
        reason = _s(nomination.held_out or "có lỗi cần sửa").rstrip(". ")
        if reason not in reasons:
            reasons.append(reason)
    what = _recipients(c, i)
    return f"{name} ({STATUS_WORDS[ur.status].lower()}): {what} chưa đưa vào dự thảo ({'; '.join(reasons)})."


def _summary(result: BatchResult, index: UnitIndex) -> SummaryInfo:
    rows = []
    held_out = []
    totals = [0] * 6
    for stt, ur in enumerate(result.units, start=1):
        findings = index.findings(ur)
        q, s, d = ur.quota, ur.submitted, ur.in_decision
        rows.append(SummaryRow(stt=str(stt), unit=_s(ur.unit.name), quota=f"{q.collectives}/{q.individuals}",
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
    return SummaryInfo(
        units_expected=len(result.units), units_submitted=len(result.units) - missing, units_missing=missing,
        files=len(files), files_accepted=count(ACCEPTED), files_rejected=count(REJECTED),
        files_superseded=count(SUPERSEDED), files_ignored=count(IGNORED),
        collectives=sum(len(f.collectives) for f in result.accepted_files()),
        individuals=sum(len(f.individuals) for f in result.accepted_files()),
        errors=result.count(Severity.ERROR), warnings=result.count(Severity.WARNING),
        rows=rows, total=total, held_out=held_out)


# ---------------------------------------------------------------------- letters

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


_FILE_STATUS = {
    ACCEPTED: "đã dùng để tổng hợp",
    SUPERSEDED: "không dùng, vì đơn vị đã gửi tệp mới hơn",
    REJECTED: "không dùng được (xem mục 3)",
    IGNORED: "không phải hồ sơ, bỏ qua",
}


def _file_line(file: FileResult, campaign: Campaign) -> FileLine:
    if file.received_at is not None:
        when = datetime_text(file.received_at, campaign.tz)
        day, hour = when.split(" ")
        received = f"lúc {hour} ngày {day}"
    else:
        received = "không rõ thời điểm"
    status = _FILE_STATUS.get(file.status) or FILE_STATUS_WORDS.get(file.status, file.status)
    return FileLine(name=_s(file.path), received=received, status=status)


def _nomination_line(n: Nomination, with_reason: bool) -> str:
    name = _s(n.name) or "(chưa ghi tên)"
    if n.kind == COLLECTIVE:
        text = f"Tập thể: {name}"
    else:
        detail = _s(n.position_and_workplace)
        text = f"Cá nhân: {name}" + (f" ({detail})" if detail else "")
    if with_reason:
        reason = _s(n.held_out or "chưa đủ điều kiện").rstrip(". ")
        text += f" [trang “{_s(n.sheet)}”, dòng {n.row}]: {reason}"
    return text + "."


_VALUE_LIMIT = 200


def _finding_rows(findings: list[Finding], used_file: str | None) -> list[FindingRow]:
    rows = []
    for stt, f in enumerate(findings, start=1):
        place = _s(f.place)
        if f.file and f.file != used_file:  # about another file the unit sent: name it
            place = f"{place}\ntrong tệp “{_s(f.file)}”" if place else f"Cả tệp “{_s(f.file)}”"
        place = place or ("Cả tệp" if f.file else "Cả hồ sơ")
        value = _s(f.value)
        if len(value) > _VALUE_LIMIT:
            value = value[:_VALUE_LIMIT - 1] + "…"
        rows.append(FindingRow(stt=stt, severity=SEVERITY_WORDS[f.severity], code=f.code, place=place,
                               value=value, message=_s(f.message)))
    return rows


def _verdict(errors: int, warnings: int, infos: int) -> str:
    if errors:
        text = f"Hồ sơ có {two_digits(errors)} lỗi phải sửa"
        if warnings:
            text += f" và {two_digits(warnings)} cảnh báo cần xem lại"
        return text + ", cụ thể như sau:"
    if warnings:
        return (f"Hồ sơ không có lỗi; có {two_digits(warnings)} cảnh báo để đơn vị xem lại "
                "(không bắt buộc sửa), cụ thể như sau:")
    return "Hồ sơ không có lỗi; có thông tin dưới đây để đơn vị biết:"


def letter_info(result: BatchResult, ur: UnitResult, index: UnitIndex | None = None) -> LetterInfo:
    index = index or UnitIndex(result)
    files = index.files(ur)
    findings = index.findings(ur, files)
    errors = sum(1 for f in findings if f.severity is Severity.ERROR)
    warnings = sum(1 for f in findings if f.severity is Severity.WARNING)
    infos = len(findings) - errors - warnings
    included, held = [], []
    if ur.file is not None:
        for n in (*ur.file.collectives, *ur.file.individuals):
            (included if n.in_decision else held).append(n)
    q, s, d = ur.quota, ur.submitted, ur.in_decision
    return LetterInfo(
        unit_id=ur.unit.id, unit_name=_s(ur.unit.name), status=STATUS_WORDS[ur.status],
        quota=_counts_phrase(q.collectives, q.individuals),
        submitted=_counts_phrase(s.collectives, s.individuals) if ur.file else "chưa có tệp hồ sơ dùng được",
        included=_counts_phrase(d.collectives, d.individuals),
        included_lines=[_nomination_line(n, False) for n in included],
        held_out_lines=[_nomination_line(n, True) for n in held],
        files=[_file_line(f, result.campaign) for f in files],
        findings=_finding_rows(findings, ur.file.path if ur.file else None),
        errors=errors, warnings=warnings, has_errors=errors > 0, verdict=_verdict(errors, warnings, infos))


def letter_units(result: BatchResult, index: UnitIndex | None = None) -> list[UnitResult]:
    """The units that sent something (any file attributed to them), in roster order."""
    index = index or UnitIndex(result)
    return [ur for ur in result.units if index.files(ur)]


# ====================================================================== rendering

def _environment() -> Environment:
    return Environment(autoescape=True, undefined=StrictUndefined)


_RENDERED_PART = re.compile(r"^word/(document|header\d*|footer\d*|footnotes|endnotes)\.xml$")
_XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_CELL_TAGS = re.compile(r"\{[{%]-?\s*(tc|colspan|cellbg|vm|hm)\b")
# A tab, line break, bell or form feed inside a text run (docxtpl's "listing" characters).
_LISTING_CHARS = re.compile("<w:t(?: [^>]*)?>[^<]*[\t\n\a\f]")


class CompiledTemplate:
    """A .docx template read, patched by docxtpl and compiled by Jinja once, rendered many times."""

    def __init__(self, path: Path, env: Environment | None = None):
        self.path = path
        self.env = env or _environment()
        self._docxtpl = DocxTemplate(path)  # only its XML helpers (patch, listing, tables) are used
        try:
            with zipfile.ZipFile(path) as zin:
                entries = [(info, zin.read(info.filename)) for info in zin.infolist()]
        except (OSError, zipfile.BadZipFile) as exc:
            raise DraftTemplateError(f"Không mở được mẫu văn bản “{path}”: không phải tệp Word .docx ({exc}).") \
                from exc
        if not any(info.filename == "word/document.xml" for info, _ in entries):
            raise DraftTemplateError(f"Mẫu văn bản “{path}” không phải tệp Word .docx (thiếu word/document.xml).")
        self.sources: dict[str, str] = {}
        self.parts: list[tuple[str, object]] = []
        self.cell_tags = False
        self.static = _Zip()
        for info, blob in entries:
            if _RENDERED_PART.match(info.filename) and b"{" in blob:
                self._compile(info.filename, blob)
            else:
                self.static.add(info.filename, blob)

    def _compile(self, name: str, blob: bytes) -> None:
        try:
            xml = etree.tostring(etree.fromstring(blob), encoding="unicode")
        except etree.XMLSyntaxError as exc:
            raise DraftTemplateError(f"Mẫu văn bản “{self.path.name}”: phần {name} hỏng ({exc}).") from exc
        if _CELL_TAGS.search(re.sub(r"<[^>]+>", "", xml)):
            self.cell_tags = True
        source = re.sub(r"<w:p([ >])", r"\n<w:p\1", self._docxtpl.patch_xml(xml))
        try:
            template = self.env.from_string(source)
        except TemplateError as exc:
            raise DraftTemplateError(_syntax_message(self.path, exc)) from exc
        self.sources[name] = source
        self.parts.append((name, template))

    def render_part(self, template, context: dict[str, object]) -> bytes:
        try:
            xml = template.render(context)
        except TemplateError as exc:
            raise DraftTemplateError(f"Mẫu văn bản “{self.path.name}”: lỗi khi điền dữ liệu: {exc}.") from exc
        xml = xml.replace("\n<w:p ", "<w:p ").replace("\n<w:p>", "<w:p>")
        xml = xml.replace("{_{", "{{").replace("}_}", "}}").replace("{_%", "{%").replace("%_}", "%}")
        if _LISTING_CHARS.search(xml):
            xml = self._docxtpl.resolve_listing(xml)
        if self.cell_tags or "docPr" in xml:
            tree = self._docxtpl.fix_tables(xml)
            self._docxtpl.docx_ids_index = 1000
            self._docxtpl.fix_docpr_ids(tree)
            xml = etree.tostring(tree, encoding="unicode")
        return (_XML_DECLARATION + xml).encode("utf-8")

    def render(self, context: dict[str, object]) -> bytes:
        """The filled document as .docx bytes."""
        out = self.static.copy()
        for name, template in self.parts:
            out.add(name, self.render_part(template, context))
        return out.finish()


class _Zip:
    """A minimal zip writer. The template's unchanged parts are compressed once; a document
    copies them and adds its rendered parts (zipfile would re-read or re-compress them).
    Fixed times (1980-01-01) so that the same input gives the same bytes."""

    _LOCAL = struct.Struct("<IHHHHHIIIHH")
    _CENTRAL = struct.Struct("<IHHHHHHIIIHHHHHII")
    _END = struct.Struct("<IHHHHIIH")
    _DATE = (0 << 9) | (1 << 5) | 1
    _UTF8 = 0x800

    def __init__(self):
        self.blob = bytearray()
        self.central: list[bytes] = []

    def add(self, name: str, data: bytes) -> None:
        packer = zlib.compressobj(6, zlib.DEFLATED, -15)
        packed = packer.compress(data) + packer.flush()
        crc, raw, offset = zlib.crc32(data), name.encode("utf-8"), len(self.blob)
        self.blob += self._LOCAL.pack(0x04034B50, 20, self._UTF8, 8, 0, self._DATE, crc, len(packed), len(data),
                                      len(raw), 0) + raw + packed
        self.central.append(self._CENTRAL.pack(0x02014B50, 0x0314, 20, self._UTF8, 8, 0, self._DATE, crc,
                                               len(packed), len(data), len(raw), 0, 0, 0, 0, 0o100644 << 16,
                                               offset) + raw)

    def copy(self) -> _Zip:
        other = _Zip()
        other.blob, other.central = bytearray(self.blob), list(self.central)
        return other

    def finish(self) -> bytes:
        directory = b"".join(self.central)
        count = len(self.central)
        end = self._END.pack(0x06054B50, 0, 0, count, count, len(directory), len(self.blob), 0)
        return bytes(self.blob) + directory + end


def _syntax_message(path: Path, exc: TemplateError) -> str:
    return (f"Mẫu văn bản “{path.name}” có thẻ Jinja viết sai: {exc}. "
            "Kiểm tra các cặp {{ }}, {%p %}, {%tr %} và các lệnh for/if/endfor/endif.")


def template_path(name: str, templates_dir: str | Path | None = None) -> Path:
    """The clerk's template in `templates_dir` when present, else the one shipped with the package."""
    if templates_dir is not None:
        if not Path(templates_dir).is_dir():
            raise DraftTemplateError(f"Không tìm thấy thư mục mẫu văn bản “{templates_dir}”.")
        custom = Path(templates_dir) / name
        if custom.exists():
            return custom
    return TEMPLATES_DIR / name


@functools.lru_cache(maxsize=16)
def _load(path: Path, mtime_ns: int, size: int) -> CompiledTemplate:
    compiled = CompiledTemplate(path)
    problems = _unknown_paths(compiled, CONTEXTS[path.name])
    if problems:
        raise DraftTemplateError(_unknown_message(path, problems))
    return compiled


def load_template(name: str, templates_dir: str | Path | None = None) -> CompiledTemplate:
    path = template_path(name, templates_dir)
    try:
        stat = path.stat()
    except OSError as exc:
        raise DraftTemplateError(f"Không tìm thấy mẫu văn bản “{path}”.") from exc
    return _load(path, stat.st_mtime_ns, stat.st_size)


# ====================================================================== checking templates

_ANY = ("any",)
_JINJA_GLOBALS = {"range", "dict", "lipsum", "cycler", "joiner", "namespace", "loop", "caller", "varargs",
                  "kwargs", "true", "false", "none", "True", "False", "None"}


def _shape(tp) -> tuple:
    """What a template can do with a value of this type: ("obj", cls), ("list", elem), ("leaf", type)."""
    if dataclasses.is_dataclass(tp):
        return ("obj", tp)
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if origin in (list, tuple) and args:
        return ("list", _shape(args[0]))
    if origin in (typing.Union, getattr(__import__("types"), "UnionType", None)):
        real = [a for a in args if a is not type(None)]
        return _shape(real[0]) if len(real) == 1 else _ANY
    if tp in (str, int, float, bool):
        return ("leaf", tp)
    return _ANY


@functools.lru_cache(maxsize=None)
def _fields(cls) -> dict[str, object]:
    return typing.get_type_hints(cls)


def context_variables(cls=BoardContext, prefix: str = "") -> list[str]:
    """Every variable path a template of this context may use: "org.name", "annex.collectives[].stt"…"""
    out = []
    for name, tp in _fields(cls).items():
        out.extend(_paths(prefix + name, _shape(tp)))
    return out


def _paths(path: str, shape: tuple) -> list[str]:
    if shape[0] == "obj":
        return [p for name, tp in _fields(shape[1]).items() for p in _paths(f"{path}.{name}", _shape(tp))]
    if shape[0] == "list":
        inner = _paths(path + "[]", shape[1])
        return inner if shape[1][0] == "obj" else [path + "[]"]
    return [path]


class _Checker:
    """Walks a compiled template's AST: every name and attribute path must exist in the context."""

    def __init__(self, context_cls):
        self.top = {name: _shape(tp) for name, tp in _fields(context_cls).items()}
        self.problems: list[tuple[str, list[str]]] = []  # (path as written, the names possible there)

    def check(self, ast) -> None:
        self._walk_all(ast.body, dict(self.top))

    def _walk_all(self, items, scope) -> None:
        for item in items:
            self._walk(item, scope)

    def _walk(self, node, scope) -> None:
        if isinstance(node, nodes.For):
            shape = self._expr(node.iter, scope)
            inner = dict(scope)
            elem = shape[1] if shape[0] == "list" else _ANY
            self._bind(node.target, elem, inner)
            inner["loop"] = _ANY
            if node.test is not None:
                self._expr(node.test, inner)
            self._walk_all(node.body, inner)
            self._walk_all(node.else_, scope)
        elif isinstance(node, nodes.Assign):
            shape = self._expr(node.node, scope)
            self._bind(node.target, shape, scope)
        elif isinstance(node, nodes.AssignBlock):
            self._walk_all(node.body, scope)
            self._bind(node.target, _ANY, scope)
        elif isinstance(node, (nodes.Macro, nodes.CallBlock)):
            inner = dict(scope)
            for arg in node.args:
                self._bind(arg, _ANY, inner)
            for default in node.defaults:
                self._expr(default, scope)
            if isinstance(node, nodes.Macro):
                scope[node.name] = _ANY
                inner[node.name] = _ANY
            else:
                self._expr(node.call, scope)
            inner["caller"] = _ANY
            self._walk_all(node.body, inner)
        elif isinstance(node, nodes.With):
            inner = dict(scope)
            for target, value in zip(node.targets, node.values):
                self._bind(target, self._expr(value, scope), inner)
            self._walk_all(node.body, inner)
        elif isinstance(node, nodes.Expr):
            self._expr(node, scope)
        else:
            for child in node.iter_child_nodes():
                self._walk(child, scope)

    def _bind(self, target, shape, scope) -> None:
        if isinstance(target, nodes.Name):
            scope[target.name] = shape
        elif isinstance(target, nodes.Tuple):
            for item in target.items:
                self._bind(item, _ANY, scope)

    def _expr(self, node, scope) -> tuple:
        if isinstance(node, nodes.Name):
            if node.name in scope:
                return scope[node.name]
            if node.name not in _JINJA_GLOBALS:
                self.problems.append((node.name, sorted(scope)))
            return _ANY
        if isinstance(node, nodes.Getattr):
            return self._attr(node, self._expr(node.node, scope), node.attr)
        if isinstance(node, nodes.Getitem):
            base = self._expr(node.node, scope)
            if isinstance(node.arg, nodes.Const) and isinstance(node.arg.value, str):
                return self._attr(node, base, node.arg.value)
            self._expr(node.arg, scope)
            return base[1] if base[0] == "list" else _ANY
        if isinstance(node, nodes.Test) and node.name in ("defined", "undefined"):
            return _ANY  # a guarded lookup: the template expects it may be missing
        for child in node.iter_child_nodes():
            if isinstance(child, nodes.Expr):
                self._expr(child, scope)
            else:
                self._walk(child, scope)
        return _ANY

    def _attr(self, node, base: tuple, name: str) -> tuple:
        kind = base[0]
        if kind == "obj":
            fields = _fields(base[1])
            if name in fields:
                return _shape(fields[name])
            self.problems.append((_written(node), sorted(fields)))
            return _ANY
        if kind in ("leaf", "list"):
            pytype = base[1] if kind == "leaf" else list
            if not hasattr(pytype, name):
                self.problems.append((_written(node), []))
        return _ANY


def _written(node) -> str:
    """The expression as the clerk wrote it: "decision.totl", "row.nmae"."""
    if isinstance(node, nodes.Name):
        return node.name
    if isinstance(node, nodes.Getattr):
        return f"{_written(node.node)}.{node.attr}"
    if isinstance(node, nodes.Getitem):
        arg = node.arg.value if isinstance(node.arg, nodes.Const) else "…"
        return f"{_written(node.node)}[{arg!r}]"
    return "…"


def _unknown_paths(compiled: CompiledTemplate, context_cls) -> list[tuple[str, list[str]]]:
    checker = _Checker(context_cls)
    for source in compiled.sources.values():
        checker.check(compiled.env.parse(source))
    seen, out = set(), []
    for written, possible in checker.problems:
        if written not in seen:
            seen.add(written)
            out.append((written, possible))
    return out


def _unknown_message(path: Path, problems: list[tuple[str, list[str]]]) -> str:
    parts = []
    for written, possible in problems:
        last = written.rsplit(".", 1)[-1]
        close = difflib.get_close_matches(last, possible, n=1)
        hint = ""
        if close:
            head = written.rsplit(".", 1)[0] + "." if "." in written else ""
            hint = f" (có phải “{head}{close[0]}”?)"
        elif possible:
            hint = f" (ở chỗ này chỉ có: {', '.join(possible)})"
        parts.append(f"“{written}”{hint}")
    return (f"Mẫu văn bản “{path.name}” ({path}) dùng biến không có trong dữ liệu: {'; '.join(parts)}. "
            "Sửa lại tên biến trong tệp Word cho đúng.")


def check_templates(templates_dir: str | Path | None = None) -> None:
    """Raise DraftTemplateError when a template (the clerk's in `templates_dir`, else the shipped
    one) cannot be opened, has a Jinja syntax error, or uses a variable the context does not have."""
    if templates_dir is not None and not Path(templates_dir).is_dir():
        raise DraftTemplateError(f"Không tìm thấy thư mục mẫu văn bản “{templates_dir}”.")
    messages = []
    if templates_dir is not None:
        # A misnamed template would otherwise be passed over and the shipped one used instead.
        strays = sorted(p.name for p in Path(templates_dir).glob("*_tpl.docx") if p.name not in TEMPLATE_FILES)
        if strays:
            messages.append(f"Thư mục mẫu có tệp không đúng tên: {', '.join(strays)}. Các tên mẫu hợp lệ: "
                            f"{', '.join(TEMPLATE_FILES)}.")
    for name in TEMPLATE_FILES:
        path = template_path(name, templates_dir)
        try:
            compiled = load_template(name, templates_dir)
        except DraftTemplateError as exc:
            messages.append(str(exc))
            continue
        unknown = _undeclared_top_level(path, compiled, CONTEXTS[name])
        if unknown:
            messages.append(_unknown_message(path, [(u, sorted(_fields(CONTEXTS[name]))) for u in unknown]))
    if messages:
        raise DraftTemplateError("\n".join(messages))


def _undeclared_top_level(path: Path, compiled: CompiledTemplate, context_cls) -> list[str]:
    """docxtpl's own view of the variables the template needs (body, headers, footers)."""
    try:
        names = DocxTemplate(path).get_undeclared_template_variables(compiled.env)
    except TemplateError as exc:
        raise DraftTemplateError(_syntax_message(path, exc)) from exc
    known = set(_fields(context_cls)) | _JINJA_GLOBALS
    return sorted(n for n in names if n not in known)


# ====================================================================== writing

def _as_dict(context) -> dict[str, object]:
    return {f.name: getattr(context, f.name) for f in dataclasses.fields(context)}


def render_decision(result: BatchResult, templates_dir: str | Path | None = None,
                    context: BoardContext | None = None) -> bytes:
    context = context or board_context(result)
    return load_template(DECISION_TPL, templates_dir).render(_as_dict(context))


def render_submission(result: BatchResult, templates_dir: str | Path | None = None,
                      context: BoardContext | None = None) -> bytes:
    context = context or board_context(result)
    return load_template(SUBMISSION_TPL, templates_dir).render(_as_dict(context))


def render_letter(result: BatchResult, unit: UnitResult, templates_dir: str | Path | None = None,
                  common: dict[str, object] | None = None, index: UnitIndex | None = None) -> bytes:
    common = common or common_parts(result)
    context = LetterContext(**common, letter=letter_info(result, unit, index))
    return load_template(FEEDBACK_TPL, templates_dir).render(_as_dict(context))


def write_drafts(result: BatchResult, out_dir: Path, templates_dir: Path | None = None) -> list[Path]:
    """Write the decision, the submission and one feedback letter per unit that sent something.

    Returns the paths written. Letters left in phan_hoi/ by an earlier run for a roster unit
    that sent nothing this time are removed, so no stale letter is mailed by mistake.
    """
    out_dir = Path(out_dir)
    templates = {name: load_template(name, templates_dir) for name in TEMPLATE_FILES}
    common = common_parts(result)
    index = UnitIndex(result)
    board = _as_dict(board_context(result, common, index))
    written = []
    for name, target in ((DECISION_TPL, out_dir / DECISION_FILE), (SUBMISSION_TPL, out_dir / SUBMISSION_FILE)):
        data = templates[name].render(board)
        with atomic_path(target) as tmp:
            tmp.write_bytes(data)
        written.append(target)
    letters_dir = out_dir / FEEDBACK_DIR
    letter_template = templates[FEEDBACK_TPL]
    sent = set()
    for ur in letter_units(result, index):
        context = _as_dict(LetterContext(**common, letter=letter_info(result, ur, index)))
        target = letters_dir / f"{ur.unit.id}.docx"
        data = letter_template.render(context)
        with atomic_path(target) as tmp:
            tmp.write_bytes(data)
        written.append(target)
        sent.add(ur.unit.id)
    for ur in result.units:
        stale = letters_dir / f"{ur.unit.id}.docx"
        if ur.unit.id not in sent and stale.exists():
            stale.unlink()
    return written
