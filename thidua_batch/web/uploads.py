"""Files added on Nhận hồ sơ: the same safety checks as the batch before anything is saved, then
saved under their own name (never overwriting) and checked at once."""
from __future__ import annotations

import email
import email.policy
from dataclasses import dataclass, field
from pathlib import Path

from ..batch import check_paths
from ..config.campaign import Campaign
from ..intake.mailfiles import MAIL_SUFFIXES
from ..intake.safety import inspect_document_bytes, inspect_workbook_bytes
from ..intake.word_lists import WORD_SUFFIXES
from ..model.results import FileResult
from .folders import UPLOAD_SUFFIXES, safe_upload_name, save_new


@dataclass
class Upload:
    """One file as the officer chose it, and what became of it."""

    name: str                       # as sent by the browser
    saved: Path | None = None
    refused: str = ""               # Vietnamese, when not saved
    results: list[FileResult] = field(default_factory=list)


def receive(name: str, data: bytes, inbox: Path, campaign: Campaign) -> Upload:
    upload = Upload(name)
    safe = safe_upload_name(name)
    if safe is None:
        upload.refused = "Tên tệp không dùng được (tên ẩn, tên thiết bị hay không có đuôi). Đổi tên tệp rồi thêm lại."
        return upload
    suffix = Path(safe).suffix.lower()
    if suffix not in UPLOAD_SUFFIXES:
        upload.refused = (f"Không nhận tệp đuôi “{suffix}”: chỉ nhận bảng tính Excel (.xlsx .xlsm .xls .ods), "
                          "văn bản Word (.docx .doc) và thư đã lưu (.eml .mbox).")
        return upload
    limit = campaign.limits.max_file_bytes
    if len(data) > limit:
        upload.refused = f"Tệp lớn {len(data) / 2**20:.1f} MB, quá giới hạn {limit / 2**20:.0f} MB của chiến dịch."
        return upload
    problem = _problem(data, suffix, campaign)
    if problem:
        upload.refused = problem
        return upload
    upload.saved = save_new(inbox, safe, data)
    upload.results = check_paths([upload.saved], campaign)
    return upload


def _problem(data: bytes, suffix: str, campaign: Campaign) -> str:
    if suffix in MAIL_SUFFIXES:
        return _mail_problem(data, suffix)
    inspect = inspect_document_bytes if suffix in WORD_SUFFIXES else inspect_workbook_bytes
    rejection = inspect(data, suffix, campaign.limits)
    return rejection.message if rejection else ""


def _mail_problem(data: bytes, suffix: str) -> str:
    """A saved mail starts with its headers (an .mbox with a "From " line): anything else renamed
    to .eml is refused rather than kept."""
    if not data.strip():
        return "Tệp thư rỗng."
    body = data[data.index(b"\n") + 1:] if suffix == ".mbox" and data.startswith(b"From ") else data
    if suffix == ".mbox" and not data.startswith(b"From "):
        return "Tệp không phải hộp thư .mbox (phải bắt đầu bằng dòng “From ”)."
    message = email.message_from_bytes(body[:65536], policy=email.policy.compat32)
    if not any(message.get(h) for h in ("From", "Date", "Subject", "Message-ID")) or message.defects and \
            not message.keys():
        return "Tệp không phải thư điện tử đã lưu (.eml): không có phần đầu thư (From, Date, Subject)."
    return ""
