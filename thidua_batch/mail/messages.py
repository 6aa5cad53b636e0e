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
    message["From"] = _addresses((sender,), "From")
    if draft.to:
        message["To"] = _addresses(draft.to, "To")
    message["Subject"] = Header(draft.subject, "utf-8", header_name="Subject")
    message["Date"] = email.utils.format_datetime(now)
    message["Message-ID"] = email.utils.make_msgid(domain=_domain(sender))
    if draft.in_reply_to:
        message["In-Reply-To"] = draft.in_reply_to
        message["References"] = _fold_words(draft.references or draft.in_reply_to)
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


def _addresses(texts, name: str) -> Header:
    """Addresses as a header the generator folds within 78 columns whatever the length of the names:
    a Vietnamese display name as several RFC 2047 words, each address on its own."""
    header = Header(header_name=name)
    for number, text in enumerate(texts):
        shown, address = email.utils.parseaddr(text)
        end = "," if number < len(texts) - 1 else ""
        if not address:
            header.append(text + end, "utf-8" if not text.isascii() else "us-ascii")
        elif shown and not shown.isascii():
            header.append(shown, "utf-8")
            header.append(f"<{address}>{end}", "us-ascii")
        else:
            header.append(email.utils.formataddr((shown, address)) + end, "us-ascii")
    return header


def _fold_words(text: str, width: int = 76) -> str:
    """A header of space-separated words (Message-IDs) folded before WIDTH columns."""
    lines, line = [], ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    return "\r\n ".join(lines + [line])


def _parameter(key: str, value: str) -> str:
    """KEY for a non-ASCII VALUE both ways clients read it, folded: RFC 2047 words in the quoted value
    (Gmail's way, Outlook reads it), then RFC 2231 continuations (KEY*0*=, KEY*1*=, …)."""
    words = Header(value, "utf-8").encode(linesep="\r\n", maxlinelen=76)
    quoted = urllib.parse.quote(value, safe="")
    tokens = re.findall(r"%[0-9A-F]{2}|.", quoted)
    pieces, piece = [], ""
    for token in tokens:
        if len(piece) + len(token) > 60:
            pieces.append(piece)
            piece = ""
        piece += token
    pieces.append(piece)
    sections = ";\r\n ".join(f"{key}*{n}*={'utf-8' + chr(39) * 2 if n == 0 else ''}{text}"
                                for n, text in enumerate(pieces))
    return f'{key}="{words}";\r\n {sections}'


def _part(attachment: Attachment) -> MIMEBase:
    """Named the way Gmail names its own (an RFC 2047 word in `name` and `filename`, which Outlook
    and Thunderbird read too), with the standard RFC 2231 `filename*` that newer clients prefer."""
    kind = _KNOWN_TYPES.get(Path(attachment.name).suffix.lower()) or \
        mimetypes.guess_type(attachment.name)[0] or "application/octet-stream"
    maintype, subtype = kind.split("/", 1)
    part = MIMEBase(maintype, subtype)
    part.set_payload(attachment.data)
    encoders.encode_base64(part)
    words = Header(attachment.name, "utf-8").encode(linesep="\r\n", maxlinelen=76)
    part.replace_header("Content-Type", f'{kind};\r\n name="{words}"')
    part["Content-Disposition"] = "attachment;\r\n " + _parameter("filename", attachment.name)
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
