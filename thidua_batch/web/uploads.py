"""Files added on Nhận hồ sơ: the same safety checks as the batch before anything is saved, then
saved under their own name (never overwriting) and checked at once."""
from __future__ import annotations

import email
import email.policy
import os
from dataclasses import dataclass, field
from pathlib import Path

from werkzeug.datastructures import FileStorage

from ..batch import check_paths
from ..config.campaign import Campaign
from ..intake.archives import ARCHIVE_SUFFIXES, ArchiveUnusable, open_archive
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


def receive_file(storage: FileStorage, inbox: Path, campaign: Campaign) -> Upload:
    """One file of the form: its size is measured before its bytes are read into memory."""
    stream = storage.stream
    try:
        stream.seek(0, os.SEEK_END)
        size = stream.tell()
        stream.seek(0)
    except (OSError, AttributeError, ValueError):
        size = None
    if size is not None and size > campaign.limits.max_file_bytes:
        return Upload(storage.filename or "", refused=_too_big(size, campaign.limits.max_file_bytes))
    return receive(storage.filename or "", storage.read(), inbox, campaign)


def _too_big(size: int, limit: int) -> str:
    def words(n: int) -> str:
        return f"{n / 2**20:.1f} MB".replace(".0 MB", " MB") if n >= 2**20 else f"{max(1, round(n / 1024))} KB"
    return f"Tệp lớn {words(size)}, quá giới hạn {words(limit)} một tệp của chiến dịch (mục [limits])."


def receive(name: str, data: bytes, inbox: Path, campaign: Campaign) -> Upload:
    upload = Upload(name)
    safe = safe_upload_name(name)
    if safe is None:
        upload.refused = "Tên tệp không dùng được (tên ẩn, tên thiết bị hay không có đuôi). Đổi tên tệp rồi thêm lại."
        return upload
    suffix = Path(safe).suffix.lower()
    if suffix not in UPLOAD_SUFFIXES:
        upload.refused = (f"Không nhận tệp đuôi “{suffix}”: chỉ nhận bảng tính Excel (.xlsx .xlsm .xls .ods), "
                          "văn bản Word (.docx .doc), thư đã lưu (.eml .mbox) và tệp nén (.zip .7z .rar).")
        return upload
    limit = campaign.limits.max_file_bytes
    if len(data) > limit:
        upload.refused = _too_big(len(data), limit)
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
    if suffix in ARCHIVE_SUFFIXES:   # opened in memory now, as `run` will: a broken or locked one is refused
        try:
            open_archive(data, "tệp" + suffix, campaign.limits)
        except ArchiveUnusable as exc:
            return str(exc)
        return ""
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
