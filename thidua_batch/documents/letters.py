"""The context of each unit's feedback letter: what arrived, what was used, each problem with
its place and how to fix it."""
from __future__ import annotations

import datetime as dt

from ..config.campaign import Campaign
from ..model.findings import SEVERITY_WORDS, Finding, Severity
from ..model.results import (ACCEPTED, COLLECTIVE, FILE_STATUS_WORDS, IGNORED, LAYOUT_WORDS, MAIL_BODY, OWN, REASON_WORDS,
                             REJECTED, STATUS_WORDS, SUPERSEDED, WORD, BatchResult, FileResult, Nomination, UnitResult)
from .board import UnitIndex, counts_phrase, finding_value, missing_papers
from .draft_context import FileLine, FindingRow, LetterInfo
from .vnformat import datetime_text, short_date, two_digits
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
    if file.status == ACCEPTED and file.layout in (OWN, WORD, MAIL_BODY):
        words = LAYOUT_WORDS[file.layout]   # "Bảng trong văn bản Word": only the first letter lowered
        status += f" ({words[:1].lower()}{words[1:]}; lần sau đề nghị dùng mẫu)"
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


def _finding_rows(findings: list[Finding], used_file: str | None, campaign: Campaign) -> list[FindingRow]:
    rows = []
    for stt, f in enumerate(findings, start=1):
        place = doc_text(f.place)
        if f.file and f.file != used_file:  # about another file the unit sent: name it
            place = f"{place}\ntrong tệp “{doc_text(f.file)}”" if place else f"Cả tệp “{doc_text(f.file)}”"
        place = place or ("Cả tệp" if f.file else "Cả hồ sơ")
        value = doc_text(finding_value(f, campaign))
        if len(value) > _VALUE_LIMIT:
            value = value[:_VALUE_LIMIT - 1] + "…"
        rows.append(FindingRow(stt=stt, severity=SEVERITY_WORDS[f.severity], code=f.code, place=place,
                               value=value, message=doc_text(f.message)))
    return rows


def _verdict(errors: int, warnings: int, infos: int, asked: bool = False) -> str:
    """The sentence before the findings table; its counts are the table's rows."""
    also = f" và {two_digits(infos)} thông tin" if infos else ""
    if errors:
        text = f"Hồ sơ có {two_digits(errors)} lỗi phải sửa"
        if warnings:
            text += f", {two_digits(warnings)} cảnh báo cần xem lại" if infos else \
                f" và {two_digits(warnings)} cảnh báo cần xem lại"
        return text + also + ", cụ thể như sau:"
    if warnings and asked:   # a paper to send: never "không bắt buộc" over what the closing asks for
        return f"Hồ sơ không có lỗi; có {two_digits(warnings)} cảnh báo cần xem lại{also}, cụ thể như sau:"
    if warnings:
        return (f"Hồ sơ không có lỗi; có {two_digits(warnings)} cảnh báo để đơn vị xem lại "
                f"(không bắt buộc sửa){also}, cụ thể như sau:")
    return "Hồ sơ không có lỗi; có thông tin dưới đây để đơn vị biết:"


# Not things for the unit to fix: rows skipped as titles, totals or signatures (said in one sentence),
# and the register's earlier awards (for the board).
_NOT_TO_FIX = {"row-not-nomination", "awarded-before"}
_SKIPPED_KINDS = {"title", "section", "column-numbers", "total", "signature", "date-line", "note"}


def due_date(result: BatchResult) -> dt.date:
    """By when a letter asks for corrections: the deadline while it is ahead of the run's date, else the
    run's date plus the campaign's resubmit_days (papers.md): never a date already past."""
    return result.campaign.resubmit_due(result.generated_at)


def _closing(result: BatchResult, ur: UnitResult, errors: int, warnings: int, papers: list[str]) -> list[str]:
    """What the unit must send back, and by when; never both asks for a paper and says nothing is due."""
    c = result.campaign
    due = short_date(due_date(result))
    name, mail = doc_text(ur.unit.name), doc_text(c.contact_email)
    asked = " và ".join(papers)
    if errors:
        lines = [f"Đề nghị {name} sửa các lỗi nêu trên và gửi lại tệp danh sách đã sửa qua thư điện tử {mail} "
                 f"chậm nhất ngày {due}. Các đề nghị có lỗi chỉ được đưa vào dự thảo Quyết định khi hồ sơ đã sửa "
                 "đúng."]
        if papers:
            lines.append(f"Đồng thời gửi bổ sung {asked} trong cùng thời hạn.")
        return lines
    if papers:
        return [f"Đề nghị {name} gửi bổ sung {asked} về {doc_text(c.organisation.board)} qua thư điện tử {mail} "
                f"chậm nhất ngày {due}. Danh sách không có lỗi nên đơn vị không phải gửi lại tệp danh sách."]
    if warnings:
        return ["Hồ sơ không có lỗi nên đơn vị không phải gửi lại; đề nghị đơn vị xem các cảnh báo nêu trên để lần "
                "sau thực hiện đúng."]
    return ["Đơn vị không phải gửi lại hồ sơ."]


def _skipped_sentence(ur: UnitResult, findings: list[Finding]) -> str:
    if not any(f.code == "row-not-nomination" for f in findings):
        return ""
    rows = [r for f in ur.files for r in f.skipped_rows if r.kind in _SKIPPED_KINDS]
    count = f"{two_digits(len(rows))} dòng " if rows else "Các dòng "
    return (f"{count}tiêu đề, dòng cộng, chữ ký trong danh sách không phải là đề nghị nên không được tính; đơn vị "
            "không phải sửa.")


def _duplicate_notes(result: BatchResult, ur: UnitResult) -> list[str]:
    """The unit whose proposal of a person counts is told who else proposed them (papers.md: both units'
    letters say it); the unit whose proposal is held out reads it in section 3."""
    notes = []
    for n in ur.file.collectives + ur.file.individuals if ur.file else []:
        later = [o for o in n.also_proposed if o.duplicate_of is n and o.unit != ur.unit.id]
        if later:
            others = ", ".join(_unit_name(result, o.unit) for o in later)
            notes.append(f"{doc_text(n.display_name)} cũng được {others} đề nghị; đơn vị gửi trước nên đề nghị "
                         "của đơn vị được giữ, đề nghị của đơn vị kia chưa đưa vào dự thảo (mỗi người, mỗi tập "
                         "thể chỉ được khen một lần trong đợt).")
    return notes


def _unit_name(result: BatchResult, unit_id: str | None) -> str:
    unit = result.campaign.roster.get(unit_id or "")
    return doc_text(unit.name if unit else unit_id or "")


def letter_info(result: BatchResult, ur: UnitResult, index: UnitIndex | None = None) -> LetterInfo:
    index = index or UnitIndex(result)
    files = index.files(ur)
    every = index.findings(ur, files)
    findings = [f for f in every if f.code not in _NOT_TO_FIX]
    errors = sum(1 for f in findings if f.severity is Severity.ERROR)
    warnings = sum(1 for f in findings if f.severity is Severity.WARNING)
    infos = len(findings) - errors - warnings
    included, held = [], []
    if ur.file is not None:
        for n in (*ur.file.collectives, *ur.file.individuals):
            (included if n.in_decision else held).append(n)
    q, s, d = ur.quota, ur.submitted, ur.in_decision
    papers = missing_papers(findings)
    return LetterInfo(
        unit_id=ur.unit.id, unit_name=doc_text(ur.unit.name), status=STATUS_WORDS[ur.status],
        quota=counts_phrase(q.collectives, q.individuals),
        submitted=counts_phrase(s.collectives, s.individuals) if ur.file else "chưa có tệp hồ sơ dùng được",
        included=counts_phrase(d.collectives, d.individuals),
        included_lines=[_nomination_line(n, False) for n in included],
        held_out_lines=[_nomination_line(n, True) for n in held],
        notes=_duplicate_notes(result, ur) + [doc_text(f.message) for f in every if f.code == "awarded-before"],
        files=[_file_line(f, result.campaign) for f in files],
        findings=_finding_rows(findings, ur.file.path if ur.file else None, result.campaign),
        skipped=_skipped_sentence(ur, every),
        errors=errors, warnings=warnings, has_errors=errors > 0,
        verdict=_verdict(errors, warnings, infos, bool(papers)), closing=_closing(result, ur, errors, warnings, papers))


def letter_units(result: BatchResult, index: UnitIndex | None = None) -> list[UnitResult]:
    """The units that sent something (any file attributed to them), in roster order."""
    index = index or UnitIndex(result)
    return [ur for ur in result.units if index.files(ur)]
