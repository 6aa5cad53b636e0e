"""One draft: a valid RFC 5322 message that opens in Gmail, Outlook and Thunderbird (mail.md).

UTF-8 text, the subject as RFC 2047 encoded words, attachment names both ways clients read them
(RFC 2231 `filename*` and RFC 2047 words, as Gmail writes them), a Date, a fresh Message-ID, and `X-Unsent: 1` so
Outlook opens the file as a draft to send.
"""
from __future__ import annotations

import datetime as dt
import email.policy
import email.utils
import mimetypes
import re
import urllib.parse
from dataclasses import dataclass
from email import encoders
from email.charset import QP, Charset
from email.header import Header
from email.message import Message
from email.mime.base import MIMEBase
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from pathlib import Path

from ..common.atomic import write_bytes
from ..common.filenames import safe_name
from ..common.text import clean

POLICY = email.policy.compat32.clone(linesep="\r\n")   # headers kept as built; CRLF as on the wire
UNSENT = "X-Unsent"


@dataclass(frozen=True)
class Attachment:
    name: str      # as the recipient sees it, Vietnamese allowed
    data: bytes


@dataclass(frozen=True)
class Draft:
    """What goes into one .eml draft."""

    to: tuple[str, ...]
    subject: str
    body: str
    attachments: tuple[Attachment, ...] = ()
    in_reply_to: str = ""
    references: str = ""


def build(draft: Draft, sender: str, now: dt.datetime) -> Message:
    message = MIMEMultipart() if draft.attachments else _text(draft.body)
    message["From"] = _address(sender)
    if draft.to:
        message["To"] = ", ".join(_address(a) for a in draft.to)
    message["Subject"] = Header(draft.subject, "utf-8", header_name="Subject")
    message["Date"] = email.utils.format_datetime(now)
    message["Message-ID"] = email.utils.make_msgid(domain=_domain(sender))
    if draft.in_reply_to:
        message["In-Reply-To"] = draft.in_reply_to
        message["References"] = draft.references or draft.in_reply_to
    message[UNSENT] = "1"
    if draft.attachments:
        message.attach(_text(draft.body))
        for attachment in draft.attachments:
            message.attach(_part(attachment))
    return message


def _text(body: str) -> MIMEText:
    """UTF-8, quoted-printable: the Vietnamese body stays readable in the raw .eml."""
    charset = Charset("utf-8")
    charset.body_encoding = QP
    return MIMEText(body, "plain", charset)


def _address(text: str) -> str:
    name, address = email.utils.parseaddr(text)
    return email.utils.formataddr((name, address), charset="utf-8") if address else text


def _part(attachment: Attachment) -> MIMEBase:
    """Named the way Gmail names its own (an RFC 2047 word in `name` and `filename`, which Outlook
    and Thunderbird read too), with the standard RFC 2231 `filename*` that newer clients prefer."""
    kind = _KNOWN_TYPES.get(Path(attachment.name).suffix.lower()) or \
        mimetypes.guess_type(attachment.name)[0] or "application/octet-stream"
    maintype, subtype = kind.split("/", 1)
    words = Header(attachment.name, "utf-8").encode(maxlinelen=10_000)   # one word list, unfolded
    standard = "utf-8''" + urllib.parse.quote(attachment.name, safe="")
    part = MIMEBase(maintype, subtype)
    part.set_payload(attachment.data)
    encoders.encode_base64(part)
    part.replace_header("Content-Type", f'{kind}; name="{words}"')
    part["Content-Disposition"] = f'attachment; filename="{words}"; filename*={standard}'
    return part


_KNOWN_TYPES = {
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def _domain(sender: str) -> str:
    address = email.utils.parseaddr(sender)[1]
    return address.rpartition("@")[2] or "thidua-batch.local"


def as_bytes(message: Message) -> bytes:
    return message.as_bytes(policy=POLICY)


def write(message: Message, path: Path) -> Path:
    write_bytes(path, as_bytes(message))
    return path


def safe_attachment_name(text: str) -> str:
    """A unit's name as a file name on Windows: no \\ / : * ? " < > |, no trailing dot or space."""
    text = re.sub(r'[\\/:*?"<>|\x00-\x1f]+', "-", clean(text))
    return safe_name(" ".join(text.split()).strip(" .") or "tep", limit=150)
