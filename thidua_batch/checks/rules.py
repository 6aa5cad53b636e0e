"""Per-file rules: each a small function that yields findings about one FileResult.

`check_file` runs them all, then marks the nominations that carry an error of their own
and decides whether the file is accepted (it can be attributed to a roster unit).
"""
from __future__ import annotations

import email.utils
import datetime as dt
import re
from collections.abc import Callable, Iterator
from dataclasses import replace

from ..config import schema
from ..config.campaign import Campaign
from ..config.schema import Field
from ..intake.values import show_value
from ..model.findings import Finding, Severity
from . import duplicates
from ..model.results import (ACCEPTED, COLLECTIVE, INDIVIDUAL, MAIL_BODY, OWN, TEMPLATE, WORD, Cell, FileResult,
                             Nomination)

Rule = Callable[[FileResult, Campaign], Iterator[Finding]]

KIND_WORDS = {COLLECTIVE: "tập thể", INDIVIDUAL: "cá nhân"}
_FIELDS = {COLLECTIVE: schema.COLLECTIVE_FIELDS, INDIVIDUAL: schema.INDIVIDUAL_FIELDS}


def _unit_names(units) -> str:
    return "; ".join(f"“{u.name}”" for u in units)


def unit_identity(file: FileResult, campaign: Campaign) -> Iterator[Finding]:
    """unit-unknown / unit-mismatch; sets file.unit when the unit is known (workbook.md, "Which unit a
    file belongs to": the template's identity, the typed unit, a title block, the file or folder name)."""
    if file.unit_sheet is None:
        yield from _unit_from_evidence(file, campaign)
        return
    cell = file.fields.get("unit")
    sheet = file.unit_sheet
    template_unit = campaign.roster.get(file.identity.get("unit_id", "")) if file.identity else None
    typed = file.unit_typed
    at = cell.ref if cell else None
    if not typed:
        file.unit = template_unit.id if template_unit else None
        yield Finding("unit-unknown", "Chưa ghi “Đơn vị đề nghị”. Đề nghị chọn tên đơn vị trong danh sách.",
                      file=file.path, unit=file.unit, sheet=sheet, cell=at)
        return
    match = campaign.roster.match(typed)
    if match.unit is None:
        if match.ambiguous:
            why = f"khớp với nhiều đơn vị: {_unit_names(match.candidates)}"
        elif match.candidates:
            why = f"không khớp đơn vị nào; gần nhất là: {_unit_names(match.candidates)}"
        else:
            why = "không khớp đơn vị nào trong danh sách"
        file.unit = template_unit.id if template_unit else None
        yield Finding("unit-unknown", f"“Đơn vị đề nghị” ghi “{typed}” {why}. "
                      "Đề nghị chọn đúng tên đơn vị trong danh sách.",
                      file=file.path, unit=file.unit, sheet=sheet, cell=at, value=typed)
        return
    if template_unit is not None and template_unit.id != match.unit.id:
        file.unit = template_unit.id
        yield Finding("unit-mismatch", f"Mẫu này được lập cho “{template_unit.name}” nhưng “Đơn vị đề nghị” "
                      f"ghi “{typed}” ({match.unit.name}). Đề nghị dùng đúng mẫu của đơn vị mình "
                      "hoặc sửa lại tên đơn vị.", file=file.path, unit=file.unit, sheet=sheet, cell=at, value=typed)
        return
    file.unit = match.unit.id


def attribute(file: FileResult, campaign: Campaign) -> str | None:
    """The unit a list without the template's Đơn vị sheet (or a file that could not be used) belongs
    to: the one unit its title block names, else the one its attachment, file or folder name names,
    else the unit whose address (campaign `emails`) the mail came from."""
    roster = campaign.roster
    for evidence in (" ".join(file.title_lines), file.mail.attachment if file.mail else "", file.path):
        unit = roster.mentioned_in(evidence) if evidence else None
        if unit is not None:
            return unit.id
    sender = email.utils.parseaddr(file.mail.sender)[1] if file.mail else ""
    unit = roster.by_email(sender) if sender else None
    return unit.id if unit else None


def _unit_from_evidence(file: FileResult, campaign: Campaign) -> Iterator[Finding]:
    if file.layout not in (OWN, WORD, MAIL_BODY):
        return   # no list, or a template without its Đơn vị sheet: sheet-missing says it
    file.unit = attribute(file, campaign)
    if file.unit is None:
        title = "; ".join(file.title_lines[:4]) or "không có"
        yield Finding("unit-unknown", "Danh sách không theo mẫu và không xác định được đơn vị gửi: phần tiêu đề "
                      f"(“{title}”) và tên tệp không nêu rõ một đơn vị trong danh sách. Đề nghị đơn vị ghi rõ tên "
                      "đơn vị ở đầu danh sách hoặc dùng mẫu của Ban CSPL&QHLĐ.", file=file.path,
                      value=title if file.title_lines else None)


def layout_own(file: FileResult, campaign: Campaign) -> Iterator[Finding]:
    if file.layout not in (OWN, WORD, MAIL_BODY):
        return
    where = {WORD: "bảng trong văn bản Word", MAIL_BODY: "bảng dán trong nội dung thư"}.get(file.layout, "bảng tính tự lập")
    yield Finding("layout-own",
                  f"Danh sách gửi dưới dạng {where}, không theo mẫu; công cụ đã đọc được "
                  f"{len(file.collectives)} tập thể, {len(file.individuals)} cá nhân. Mẫu có các mục danh sách này "
                  "không có (ngày họp xét, số thành viên dự họp, người lập biểu, tỷ lệ phiếu, hồ sơ kèm theo) nên "
                  "không kiểm tra được. Lần sau đề nghị dùng mẫu Excel của Ban CSPL&QHLĐ.",
                  file=file.path, unit=file.unit)


def interpreted_values(file: FileResult, campaign: Campaign) -> Iterator[Finding]:
    """value-interpreted: what was read as an officer reads it, before → after."""
    for sheet, field, cell in _all_cells(file, "interpreted"):
        if cell.interpreted is not None:
            yield Finding("value-interpreted",
                          f"“{field.label}” ghi “{show_value(cell.raw)}”, đã đọc là “{cell.interpreted}”. "
                          "Đề nghị kiểm tra lại; lần sau ghi đúng như mẫu.",
                          file=file.path, unit=file.unit, sheet=sheet, cell=cell.ref, value=show_value(cell.raw))
    for nomination in file.individuals:
        if nomination.display_name != nomination.name:
            yield Finding("value-interpreted",
                          f"Họ tên “{nomination.name}” viết in hoa; trong dự thảo quyết định ghi là "
                          f"“{nomination.display_name}”.", file=file.path, unit=file.unit, sheet=nomination.sheet,
                          cell=nomination.ref("name"), value=nomination.name)


def required_missing(file: FileResult, campaign: Campaign) -> Iterator[Finding]:
    if file.unit_sheet is not None:
        for field in schema.UNIT_FIELDS:
            if not field.required or field.key == "unit":
                continue
            cell = file.fields.get(field.key)
            if cell is None:
                yield Finding("required-missing", f"Không tìm thấy dòng “{field.label}” trên trang "
                              f"“{file.unit_sheet}”. Đề nghị dùng đúng mẫu và điền mục này.",
                              file=file.path, unit=file.unit, sheet=file.unit_sheet)
            elif cell.empty and not cell.formula_without_value:
                yield Finding("required-missing", f"Chưa điền “{field.label}”. {field.help}",
                              file=file.path, unit=file.unit, sheet=file.unit_sheet, cell=cell.ref)
    for kind in (COLLECTIVE, INDIVIDUAL):
        for nomination in file.nominations(kind):
            for field in _FIELDS[kind]:
                cell = nomination.cells.get(field.key)
                if field.required and cell is not None and cell.empty and not cell.formula_without_value:
                    yield Finding("required-missing",
                                  f"Dòng {nomination.row}: chưa điền “{field.label}”. {field.help}",
                                  file=file.path, unit=file.unit, sheet=nomination.sheet, cell=cell.ref)


def _all_cells(file: FileResult, having: str) -> list[tuple[str | None, Field, Cell]]:
    """The cells read whose attribute `having` is set (neither None nor False), with their sheet and
    field: the Đơn vị sheet's, then each nomination's, in the fields' order. Nearly always none."""
    sheet, fields = file.unit_sheet, file.fields
    found = [(sheet, field, fields[field.key]) for field in schema.UNIT_FIELDS
             if field.key in fields and _set(getattr(fields[field.key], having))]
    for kind in (COLLECTIVE, INDIVIDUAL):
        kind_fields = _FIELDS[kind]
        for nomination in file.nominations(kind):
            cells = nomination.cells
            for cell in cells.values():
                value = getattr(cell, having)
                if value is not None and value is not False:
                    break
            else:
                continue   # the usual row: nothing to say
            sheet = nomination.sheet
            found += [(sheet, field, cells[field.key]) for field in kind_fields
                      if field.key in cells and _set(getattr(cells[field.key], having))]
    return found


def _set(value: object) -> bool:
    return value is not None and value is not False


def invalid_values(file: FileResult, campaign: Campaign) -> Iterator[Finding]:
    for sheet, field, cell in _all_cells(file, "problem"):
        if cell.problem:
            yield Finding("invalid-value", f"“{field.label}” không hợp lệ: {cell.problem}",
                          file=file.path, unit=file.unit, sheet=sheet, cell=cell.ref, value=show_value(cell.raw))
    present, total = file.fields.get("members_present"), file.fields.get("members_total")
    if present and total and isinstance(present.value, int) and isinstance(total.value, int) \
            and present.value > total.value:
        yield Finding("invalid-value", f"Số thành viên dự họp ({present.value}) lớn hơn tổng số thành viên "
                      f"({total.value}). Đề nghị kiểm tra lại hai số này.",
                      file=file.path, unit=file.unit, sheet=file.unit_sheet, cell=present.ref,
                      value=str(present.value))


def formulas_without_value(file: FileResult, campaign: Campaign) -> Iterator[Finding]:
    for sheet, field, cell in _all_cells(file, "formula_without_value"):
        if cell.formula_without_value:
            yield Finding("formula-no-value", f"Ô “{field.label}” chứa công thức nhưng không có giá trị đã tính. "
                          "Đề nghị mở tệp bằng Excel, lưu lại, hoặc nhập giá trị trực tiếp.",
                          file=file.path, unit=file.unit, sheet=sheet, cell=cell.ref)


def quota(file: FileResult, campaign: Campaign) -> Iterator[Finding]:
    unit = campaign.roster.get(file.unit or "")
    if unit is None:
        return
    absent = {f.sheet for f in file.findings if f.code == "sheet-missing"}
    for kind, limit in ((COLLECTIVE, unit.collectives), (INDIVIDUAL, unit.individuals)):
        rows = file.nominations(kind)
        sheet = rows[0].sheet if rows else (schema.SHEET_COLLECTIVES if kind == COLLECTIVE
                                            else schema.SHEET_INDIVIDUALS)
        if sheet in absent:
            continue  # sheet-missing already says it
        words = KIND_WORDS[kind]
        if len(rows) > limit:
            first_over = rows[limit]
            yield Finding("quota-exceeded",
                          f"Đơn vị có {quota_words(kind, limit, len(rows))}. Toàn bộ {len(rows):02d} {words} tạm chưa đưa "
                          f"vào dự thảo quyết định cho đến khi đơn vị chọn lại, giữ không quá {limit:02d} {words}.",
                          file=file.path, unit=unit.id, sheet=sheet, cell=first_over.ref("name"),
                          value=str(len(rows)))
        elif len(rows) < limit:
            yield Finding("quota-under",
                          f"Đơn vị đề nghị {len(rows):02d} {words}, ít hơn chỉ tiêu {limit:02d} {words}.",
                          file=file.path, unit=unit.id, sheet=sheet, value=str(len(rows)))


def by_deadline(campaign: Campaign, today: dt.date) -> str:
    """What a unit under its quota may still do, as of the run's date (`merge` adds it to quota-under):
    add by the deadline while it is ahead; never asked by a date already past (papers.md)."""
    deadline = f"{campaign.deadline:%d/%m/%Y}"
    if today <= campaign.deadline:
        return f"Nếu đơn vị còn tập thể, cá nhân đủ tiêu chuẩn, có thể bổ sung chậm nhất ngày {deadline}."
    return f"Hạn gửi hồ sơ ({deadline}) đã qua; danh sách được tổng hợp theo số đơn vị đã đề nghị."


def quota_words(kind: str, limit: int, proposed: int) -> str:
    """ "chỉ tiêu 04 cá nhân, đề nghị 06: vượt 02" (papers.md)."""
    words = KIND_WORDS[kind]
    text = f"chỉ tiêu {limit:02d} {words}, đề nghị {proposed:02d}"
    if proposed > limit:
        text += f": vượt {proposed - limit:02d}"
    return text


def _describe(nomination: Nomination) -> str:
    who = nomination.name
    if nomination.kind == INDIVIDUAL and nomination.birth_year:
        who += f" (sinh năm {nomination.birth_year})"
    return who


def votes(file: FileResult, campaign: Campaign) -> Iterator[Finding]:
    if not campaign.checks.check_votes:
        return
    threshold = campaign.checks.vote_threshold_percent
    for kind in (COLLECTIVE, INDIVIDUAL):
        for nomination in file.nominations(kind):
            if nomination.vote is not None and nomination.vote <= threshold:
                yield Finding("vote-below-threshold",
                              f"“{_describe(nomination)}” có tỷ lệ phiếu đồng ý {nomination.vote:g}%, không đạt "
                              f"trên {threshold:g}% nên không đủ điều kiện đề nghị khen thưởng.",
                              file=file.path, unit=file.unit, sheet=nomination.sheet,
                              cell=nomination.ref("vote"), value=f"{nomination.vote:g}%")


def quorum(file: FileResult, campaign: Campaign) -> Iterator[Finding]:
    checks = campaign.checks
    present, total = file.fields.get("members_present"), file.fields.get("members_total")
    if not checks.check_quorum or not present or not total:
        return
    if isinstance(present.value, int) and isinstance(total.value, int) and present.value <= total.value \
            and not checks.quorum_met(present.value, total.value):
        share = f"{checks.quorum_numerator}/{checks.quorum_denominator}"
        if checks.quorum_severity == "warning":
            consequence = "Chiến dịch này chỉ cảnh báo; đề nghị kiểm tra lại biên bản họp xét."
        else:
            consequence = ("Theo Điều lệ Công đoàn Việt Nam, cuộc họp không đủ số thành viên thì kết quả xét chưa "
                           "hợp lệ, nên các đề nghị của đơn vị chưa đưa vào dự thảo. Đề nghị đơn vị họp xét lại "
                           "với đủ thành viên (hoặc sửa lại số liệu nếu ghi nhầm) và gửi lại hồ sơ.")
        yield Finding("quorum-not-met",
                      f"Cuộc họp xét có {present.value}/{total.value} thành viên dự, dưới {share} tổng số thành "
                      f"viên. {consequence}",
                      file=file.path, unit=file.unit, sheet=file.unit_sheet, cell=present.ref,
                      value=str(present.value),
                      level=Severity.WARNING if checks.quorum_severity == "warning" else None)


def dossier(file: FileResult, campaign: Campaign) -> Iterator[Finding]:
    if not campaign.checks.check_dossier:
        return
    for key, paper in schema.DOSSIER_FIELDS:
        cell = file.fields.get(key)
        if cell is not None and cell.value == schema.NO:
            yield Finding("dossier-incomplete", f"Hồ sơ chưa có “{paper}”. Đề nghị gửi bổ sung {paper.lower()} "
                          "về Ban CSPL&QHLĐ.", file=file.path, unit=file.unit, sheet=file.unit_sheet,
                          cell=cell.ref, value=schema.NO)


def legacy_text(file: FileResult, campaign: Campaign) -> Iterator[Finding]:
    for sheet, field, cell in _all_cells(file, "legacy"):
        if cell.legacy:
            yield Finding("legacy-encoding",
                          f"“{field.label}” được gõ bằng bảng mã cũ {cell.legacy.encoding}, đã chuyển sang Unicode: "
                          f"“{cell.legacy.before}” → “{cell.legacy.after}”. Đề nghị kiểm tra lại chữ sau khi chuyển; "
                          "lần sau gõ bằng Unicode (bộ gõ Unikey, bảng mã Unicode).",
                          file=file.path, unit=file.unit, sheet=sheet, cell=cell.ref, value=cell.legacy.before)


RULES: tuple[Rule, ...] = (legacy_text, unit_identity, layout_own, interpreted_values, required_missing,
                           invalid_values, formulas_without_value, quota, votes, quorum, dossier)
# Findings that make a file unusable: its rows cannot be attributed to a unit.
_REJECTING = {"file-unreadable", "unit-mismatch"}
# Findings about a unit's quota, not about the row they point at.
_NOT_ROW_ERRORS = {"quota-exceeded", "quota-under"}
_CELL_ROW = re.compile(r"[A-Z]+(\d+)$")


def check_file(file: FileResult, campaign: Campaign) -> FileResult:
    """Run every per-file rule; decide acceptance; mark nominations with errors of their own.
    A file that cannot be used is still attributed to its unit where the evidence allows."""
    if file.status != ACCEPTED:
        file.unit = file.unit or attribute(file, campaign)
        file.findings = [f if f.unit or not file.unit else replace(f, unit=file.unit) for f in file.findings]
        return file
    for rule in RULES:
        file.findings.extend(rule(file, campaign))
    rejecting = next((f.code for f in file.findings if f.code in _REJECTING), None)
    if file.layout is None or file.layout == TEMPLATE and file.unit_sheet is None:
        template_unit = campaign.roster.get(file.identity.get("unit_id", ""))
        file.unit = file.unit or (template_unit.id if template_unit else attribute(file, campaign))
        file.reject("sheet-missing")
    elif file.unit is None:
        file.reject("unit-unknown")
    elif rejecting:
        file.reject(rejecting)
    file.findings = [f if f.unit or not file.unit else replace(f, unit=file.unit) for f in file.findings]
    for kind in (COLLECTIVE, INDIVIDUAL):
        for nomination in file.nominations(kind):
            nomination.unit = file.unit
    _mark_row_errors(file, campaign)
    if file.status == ACCEPTED:
        file.findings.extend(duplicates.within_file(file, campaign))
    return file


def _mark_row_errors(file: FileResult, campaign: Campaign) -> None:
    """A row with an error of its own is held out; its reasons are the findings in words."""
    reasons: dict[tuple[str, int], list[str]] = {}
    for finding in file.findings:
        if finding.is_error and finding.code not in _NOT_ROW_ERRORS and finding.cell and finding.sheet:
            m = _CELL_ROW.search(finding.cell)
            if m:
                reasons.setdefault((finding.sheet, int(m.group(1))), []).append(row_reason(finding, campaign))
    for kind in (COLLECTIVE, INDIVIDUAL):
        for nomination in file.nominations(kind):
            found = reasons.get((nomination.sheet, nomination.row))
            if found:
                nomination.has_error = True
                nomination.reasons.extend(r for r in found if r not in nomination.reasons)


_ADVICE = ("Đề nghị", "Lần sau", "Nếu ")
_ROW_PREFIX = re.compile(r"^Dòng \d+: ")


def row_reason(finding: Finding, campaign: Campaign) -> str:
    """Why a row is held out, in words with the rule and the value ("tỷ lệ phiếu đồng ý 45%, chưa đạt
    trên 50%"): the finding's message without its advice."""
    if finding.code == "vote-below-threshold":
        return (f"tỷ lệ phiếu đồng ý {finding.value}, chưa đạt trên "
                f"{campaign.checks.vote_threshold_percent:g}%")
    sentences = [s for s in re.split(r"(?<=[.!?])\s+", _ROW_PREFIX.sub("", finding.message)) if s]
    if finding.code == "required-missing":
        sentences = sentences[:1]   # the rest is the field's help: how to fill it
    kept = [s for s in sentences if not s.startswith(_ADVICE)] or sentences[:1]
    text = " ".join(kept).rstrip(". ")
    if finding.value and finding.code == "invalid-value" and f"“{finding.value}”" not in text:
        text = text.replace(" không hợp lệ:", f" ghi “{finding.value}” không hợp lệ:", 1)
    return text[:1].lower() + text[1:] if text[:2] != text[:2].upper() else text
