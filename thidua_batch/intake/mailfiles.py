"""Mail as input: each workbook attached to an .eml or .mbox message is read as a file of the inbox.

The mail's Date is the received time; attachment names are decoded (RFC 2047/2231) for display
only: attachments are read from memory and never written to disk, so a name such as
"../../x.xlsx" cannot place a file anywhere.
"""
from __future__ import annotations

import datetime as dt
import email
import email.policy
import email.utils
import hashlib
import mailbox
from collections.abc import Iterator
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path, PurePosixPath

from ..common.library_words import library_detail
from ..common.text import clean
from ..model.results import MailInfo

MAIL_SUFFIXES = (".eml", ".mbox")


@dataclass(frozen=True)
class Attachment:
    path: str            # display path: "Hop thu den.mbox#3/than uyen.xlsx"
    data: bytes
    info: MailInfo


@dataclass(frozen=True)
class MailNote:
    """A mail, or a part of it, that holds no workbook: listed, not read."""

    path: str
    reason: str
    sha256: str
    info: MailInfo | None = None


def _parse_date(message: EmailMessage) -> dt.datetime | None:
    raw = message.get("Date")
    if not raw:
        return None
    try:
        moment = email.utils.parsedate_to_datetime(str(raw))
    except (TypeError, ValueError, IndexError):
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.timezone.utc)


def _safe_name(name: str | None, index: int) -> str:
    """The attachment's name for display: decoded, without folders, never empty."""
    name = clean(name or "")
    name = PurePosixPath(name.replace("\\", "/")).name if name else ""
    return name or f"tep-dinh-kem-{index}"


def _header(message: EmailMessage, key: str) -> str:
    try:
        return clean(str(message.get(key, "") or ""))
    except Exception:   # a malformed header must not stop the batch
        return ""


def attachments(message: EmailMessage, raw: bytes, where: str, is_list) -> Iterator[Attachment | MailNote]:
    date = _parse_date(message)
    sender, subject = _header(message, "From"), _header(message, "Subject")
    ids = _header(message, "Message-ID"), _header(message, "References")
    info = MailInfo(sender, subject, date, "", *ids)
    found = 0
    seen: set[str] = set()
    for index, part in enumerate(message.iter_attachments() if message.is_multipart() else (), 1):
        try:
            name = _safe_name(part.get_filename(), index)
            data = part.get_content()
        except Exception as exc:  # broken encodings in a part: say so, go on
            yield MailNote(f"{where}/tep-dinh-kem-{index}", f"Không giải mã được tệp đính kèm thứ {index}: {library_detail(exc)}.",
                           hashlib.sha256(b"").hexdigest(), info)
            continue
        if isinstance(data, str):
            data = data.encode("utf-8")
        if not isinstance(data, bytes):   # an attached message (message/rfc822)
            continue
        shown = name if name not in seen else f"{index}-{name}"
        seen.add(shown)
        path = f"{where}/{shown}"
        if is_list(name):
            found += 1
            yield Attachment(path, data, MailInfo(sender, subject, date, name, *ids))
        else:
            yield MailNote(path, f"Tệp đính kèm “{name}” không phải bảng tính Excel hay văn bản Word, không đọc.",
                           hashlib.sha256(data).hexdigest(), info)
    if not found:
        yield MailNote(where, f"Thư “{subject or '(không có tiêu đề)'}” của {sender or 'người gửi không rõ'} "
                       "không có tệp bảng tính hay văn bản Word đính kèm.", hashlib.sha256(raw).hexdigest(), info)


def read_eml(path: Path, rel: str, is_list) -> Iterator[Attachment | MailNote]:
    raw = path.read_bytes()
    message = email.message_from_bytes(raw, policy=email.policy.default)
    yield from attachments(message, raw, rel, is_list)


def read_mbox(path: Path, rel: str, is_list) -> Iterator[Attachment | MailNote]:
    box = mailbox.mbox(path, factory=None, create=False)
    try:
        if not len(box):
            yield MailNote(rel, "Tệp hộp thư không có thư nào.", hashlib.sha256(path.read_bytes()).hexdigest())
        for number, key in enumerate(box.iterkeys(), 1):
            raw = box.get_bytes(key)
            message = email.message_from_bytes(raw, policy=email.policy.default)
            yield from attachments(message, raw, f"{rel}#{number}", is_list)
    finally:
        box.close()


def read_mail(path: Path, rel: str, is_list) -> Iterator[Attachment | MailNote]:
    reader = read_mbox if path.suffix.lower() == ".mbox" else read_eml
    yield from reader(path, rel, is_list)
