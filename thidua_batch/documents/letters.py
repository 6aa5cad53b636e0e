"""The context of each unit's feedback letter: what arrived, what was used, each problem with
its place and how to fix it."""
from __future__ import annotations

from ..config.campaign import Campaign
from ..model.findings import SEVERITY_WORDS, Finding, Severity
from ..model.results import (ACCEPTED, COLLECTIVE, FILE_STATUS_WORDS, IGNORED, LAYOUT_WORDS, OWN, REASON_WORDS,
                             REJECTED, STATUS_WORDS, SUPERSEDED, WORD, BatchResult, FileResult, Nomination, UnitResult)
from .board import UnitIndex, counts_phrase
from .draft_context import FileLine, FindingRow, LetterInfo
from .vnformat import datetime_text, two_digits
from .word import doc_text


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
    IGNORED: "không có danh sách đề nghị, không dùng để tổng hợp",
}


def _file_line(file: FileResult, campaign: Campaign) -> FileLine:
    if file.received_at is not None:
        when = datetime_text(file.received_at, campaign.tz)
        day, hour = when.split(" ")
        received = f"lúc {hour} ngày {day}"
    else:
        received = "không rõ thời điểm"
    status = _FILE_STATUS.get(file.status) or FILE_STATUS_WORDS.get(file.status, file.status)
    if file.status == REJECTED and file.reason in REASON_WORDS:
        status = f"không dùng được: {REASON_WORDS[file.reason]} (xem mục 3)"
    if file.status == ACCEPTED and file.layout in (OWN, WORD):
        status += f" ({LAYOUT_WORDS[file.layout].lower()}; lần sau đề nghị dùng mẫu)"
    return FileLine(name=doc_text(file.path), received=received, status=status)


def _nomination_line(n: Nomination, with_reason: bool) -> str:
    name = doc_text(n.display_name) or "(chưa ghi tên)"
    if n.kind == COLLECTIVE:
        text = f"Tập thể: {name}"
    else:
        detail = doc_text(n.position_and_workplace)
        text = f"Cá nhân: {name}" + (f" ({detail})" if detail else "")
    if with_reason:
        reason = doc_text(n.held_out or "chưa đủ điều kiện").rstrip(". ")
        text += f" [trang “{doc_text(n.sheet)}”, dòng {n.row}]: {reason}"
    return text + "."


_VALUE_LIMIT = 200


def _finding_rows(findings: list[Finding], used_file: str | None) -> list[FindingRow]:
    rows = []
    for stt, f in enumerate(findings, start=1):
        place = doc_text(f.place)
        if f.file and f.file != used_file:  # about another file the unit sent: name it
            place = f"{place}\ntrong tệp “{doc_text(f.file)}”" if place else f"Cả tệp “{doc_text(f.file)}”"
        place = place or ("Cả tệp" if f.file else "Cả hồ sơ")
        value = doc_text(f.value)
        if len(value) > _VALUE_LIMIT:
            value = value[:_VALUE_LIMIT - 1] + "…"
        rows.append(FindingRow(stt=stt, severity=SEVERITY_WORDS[f.severity], code=f.code, place=place,
                               value=value, message=doc_text(f.message)))
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
        unit_id=ur.unit.id, unit_name=doc_text(ur.unit.name), status=STATUS_WORDS[ur.status],
        quota=counts_phrase(q.collectives, q.individuals),
        submitted=counts_phrase(s.collectives, s.individuals) if ur.file else "chưa có tệp hồ sơ dùng được",
        included=counts_phrase(d.collectives, d.individuals),
        included_lines=[_nomination_line(n, False) for n in included],
        held_out_lines=[_nomination_line(n, True) for n in held],
        files=[_file_line(f, result.campaign) for f in files],
        findings=_finding_rows(findings, ur.file.path if ur.file else None),
        errors=errors, warnings=warnings, has_errors=errors > 0, verdict=_verdict(errors, warnings, infos))


def letter_units(result: BatchResult, index: UnitIndex | None = None) -> list[UnitResult]:
    """The units that sent something (any file attributed to them), in roster order."""
    index = index or UnitIndex(result)
    return [ur for ur in result.units if index.files(ur)]
