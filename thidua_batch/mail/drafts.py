"""`mail templates` and `mail replies`: one .eml draft per unit, nothing sent (mail.md)."""
from __future__ import annotations

import datetime as dt
import email.utils
import io
from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path

from ..common.atomic import OutputSet
from ..config.campaign import Campaign
from ..config.roster import Unit
from ..config.unit_template import build_workbook, quota_text
from ..model.results import FILE_STATUS_WORDS, MISSING, OK, STATUS_WORDS
from . import messages
from .connection import MailError
from .messages import Attachment, Draft
from .run_report import RunUnit, read_report

SEVERITY_WORDS = {"error": "Lỗi", "warning": "Cảnh báo", "info": "Thông tin"}


@dataclass
class DraftReport:
    written: list[Path] = field(default_factory=list)
    no_address: list[str] = field(default_factory=list)   # unit names whose draft has no To
    left_out: list[str] = field(default_factory=list)     # unit names not drafted: asked to leave them out


def write_template_drafts(campaign: Campaign, out: Path, now: dt.datetime | None = None) -> DraftReport:
    """One draft per roster unit, its own template attached."""
    now = now or dt.datetime.now(campaign.tz)
    report = DraftReport()
    with OutputSet(out) as drafts:       # one set: every draft written before any replaces an old one
        for unit in campaign.roster:
            buffer = io.BytesIO()
            build_workbook(campaign, unit).save(buffer)
            name = messages.safe_attachment_name(f"Mẫu đề nghị khen thưởng - {unit.name}") + ".xlsx"
            draft = Draft(unit.emails, f"{campaign.plan.number}: đề nghị khen thưởng năm {campaign.year} - "
                          f"{unit.name}", template_body(campaign, unit), (Attachment(name, buffer.getvalue()),))
            _write(campaign, draft, drafts, f"{unit.id}.eml", now, report, unit.name)
    return report


def write_reply_drafts(run_dir: Path, campaign: Campaign, out: Path, now: dt.datetime | None = None,
                       leave_out: Collection[str] = ()) -> DraftReport:
    """One reply per unit that sent something, in its own thread, its letter attached. Checks the
    whole run first: a missing letter stops everything before any draft is written. Units whose id
    is in LEAVE_OUT (the page: their reply to this run already sent) get no draft, and a draft of
    theirs still waiting in OUT is removed, so they cannot be sent a second one."""
    run = read_report(run_dir)
    if run.campaign_id != campaign.id:
        raise MailError(f"Kết quả trong {run_dir} là của chiến dịch “{run.campaign_id}”, không phải “{campaign.id}”: "
                        "dùng --campaign với đúng tệp chiến dịch.")
    units = [u for u in run.units if u.status != MISSING]
    skipped = [u for u in units if u.id in leave_out]
    units = [u for u in units if u.id not in leave_out]
    letters = {u.id: Path(run_dir) / "phan_hoi" / f"{u.id}.docx" for u in units}
    absent = [str(p) for p in letters.values() if not p.is_file()]
    if absent:
        raise MailError("Thiếu thư phản hồi: " + ", ".join(absent) + ". Hãy chạy lại “thidua-batch run”.")
    now = now or dt.datetime.now(campaign.tz)
    due = campaign.resubmit_due(run.generated_at or now)   # the same date as the attached letter's
    report = DraftReport(left_out=[u.name for u in skipped])
    with OutputSet(out) as drafts:
        drafts.drop_unless_written(f"{u.id}.eml" for u in skipped)
        for unit in units:
            draft = reply_draft(campaign, unit, letters[unit.id].read_bytes(), due)
            _write(campaign, draft, drafts, f"{unit.id}.eml", now, report, unit.name)
    return report


def _write(campaign: Campaign, draft: Draft, drafts: OutputSet, file_name: str, now: dt.datetime,
           report: DraftReport, name: str) -> None:
    path = messages.write(messages.build(draft, campaign.from_address, now), drafts.path(file_name))
    report.written.append(drafts.final(path))
    if not draft.to:
        report.no_address.append(name)


def reply_draft(campaign: Campaign, unit: RunUnit, letter: bytes, due: dt.date) -> Draft:
    roster_unit = campaign.roster.get(unit.id)
    mail = unit.last_mail
    to = roster_unit.emails if roster_unit and roster_unit.emails else ()
    if not to and mail and email.utils.parseaddr(mail.sender)[1]:
        to = (mail.sender,)
    subject = f"Phản hồi hồ sơ đề nghị khen thưởng năm {campaign.year} ({campaign.plan.number}) - {unit.name}"
    if mail and mail.subject:
        subject = mail.subject if mail.subject.lower().startswith("re:") else f"Re: {mail.subject}"
    references = " ".join(x for x in ((mail.references if mail else ""), (mail.message_id if mail else "")) if x)
    name = messages.safe_attachment_name(f"Phản hồi - {unit.name}") + ".docx"
    return Draft(tuple(to), subject, reply_body(campaign, unit, due), (Attachment(name, letter),),
                 in_reply_to=mail.message_id if mail else "", references=references)


def _date(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


def _signature(campaign: Campaign) -> str:
    return f"{campaign.contact}\nThư điện tử: {campaign.contact_email}"


def template_body(campaign: Campaign, unit: Unit) -> str:
    return "\n".join([
        f"Kính gửi: {unit.name}",
        "",
        f"Thực hiện Kế hoạch số {campaign.plan.number} ngày {_date(campaign.plan.date)} về việc {campaign.plan.title}, "
        f"{campaign.organisation.board} gửi đơn vị mẫu danh sách đề nghị khen thưởng (tệp Excel đính kèm).",
        "",
        f"Chỉ tiêu của đơn vị: {quota_text(unit)}.",
        f"Hạn gửi: trước ngày {_date(campaign.deadline)}.",
        "",
        "Cách gửi lại:",
        "1. Điền tệp đính kèm theo hướng dẫn ở trang đầu của tệp; giữ nguyên tên các trang và các cột.",
        "2. Lưu dạng Excel (.xlsx), không cần đổi tên tệp.",
        f"3. Trả lời thư này (hoặc gửi tới {campaign.contact_email}), đính kèm tệp đã điền và hồ sơ kèm theo.",
        "   Đính kèm chính tệp Excel (nén .zip cũng được), không gửi đường dẫn Google Drive hay Google Trang tính.",
        "",
        "Trân trọng,",
        _signature(campaign),
    ]) + "\n"


def reply_body(campaign: Campaign, unit: RunUnit, due: dt.date) -> str:
    """The reply's text; DUE is the letter's own due date (Campaign.resubmit_due of the run)."""
    lines = [f"Kính gửi: {unit.name}", "",
             f"{campaign.organisation.board} đã nhận {len(unit.files)} tệp của đơn vị:"]
    lines += [f"- {f.name}" + (f" (nhận lúc {f.received_at.astimezone(campaign.tz):%H:%M ngày %d/%m/%Y})"
                                if f.received_at else "") + f": {FILE_STATUS_WORDS.get(f.status, f.status)}."
              for f in unit.files]
    lines += ["", f"Kết quả kiểm tra: {STATUS_WORDS.get(unit.status, unit.status)}.",
              f"Chỉ tiêu: {_counts(unit.quota)}; đơn vị đề nghị: {_counts(unit.submitted)}; "
              f"được đưa vào dự thảo quyết định: {_counts(unit.in_decision)}."]
    lines += _problems(unit)
    if unit.status == OK:
        lines += ["", "Hồ sơ của đơn vị đạt yêu cầu, đơn vị không cần gửi lại."]
    else:
        lines += ["", f"Đề nghị đơn vị sửa theo các mục trên và gửi lại chậm nhất ngày {_date(due)} "
                      "bằng cách trả lời thư này, đính kèm tệp đã sửa."]
    lines += ["Chi tiết từng mục, cách sửa và danh sách đã nhận có trong thư phản hồi đính kèm (tệp Word).",
              "", "Trân trọng,", _signature(campaign)]
    return "\n".join(lines) + "\n"


def _counts(counts: dict) -> str:
    return f"{counts.get('collectives', 0)} tập thể, {counts.get('individuals', 0)} cá nhân"


def _problems(unit: RunUnit) -> list[str]:
    shown = [f for f in unit.findings if f.severity in ("error", "warning")]
    if not shown:
        return []
    lines = ["", "Những điểm cần xem:"]
    for finding in sorted(shown, key=lambda f: f.severity != "error"):
        place = f"trang “{finding.sheet}”, ô {finding.cell}: " if finding.sheet and finding.cell else (
            f"trang “{finding.sheet}”: " if finding.sheet else "")
        lines.append(f"- {SEVERITY_WORDS[finding.severity]}, {place}{finding.message}")
    return lines
