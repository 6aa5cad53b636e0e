"""`mail fetch`: the board's mails that carry files, saved whole as .eml, read-only (mail.md).

The folder is opened with EXAMINE, bodies are fetched with BODY.PEEK: nothing on the server is
flagged, moved or deleted. A message's file name ends with a hash of its Message-ID, so a message
already saved is recognised without downloading it again, and never rewritten.
"""
from __future__ import annotations

import base64
import datetime as dt
import email
import email.policy
import email.utils
import hashlib
import imaplib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..common.atomic import write_bytes
from .connection import PLAIN, STARTTLS, MailError, Server, failure, tls_context

TIMEOUT_SECONDS = 60
_HEADERS = "BODY.PEEK[HEADER.FIELDS (MESSAGE-ID DATE FROM SUBJECT CONTENT-TYPE CONTENT-DISPOSITION)]"
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@dataclass(frozen=True)
class Fetched:
    """One message seen on the server, and what became of it."""

    name: str          # the .eml file name (saved or already there), or "" when not saved
    sender: str
    subject: str
    reason: str = ""   # why it was not saved (Vietnamese); "" when saved now


@dataclass
class FetchReport:
    saved: list[Fetched] = field(default_factory=list)
    skipped: list[Fetched] = field(default_factory=list)


def fetch(server: Server, user: str, password: str, out: Path, since: dt.date | None = None,
          folder: str = "INBOX", tz: dt.tzinfo = dt.timezone.utc,
          progress: Callable[[int, int], None] | None = None) -> FetchReport:
    """Save into OUT every message of FOLDER since SINCE that has an attachment. Raises MailError
    (before anything is written) when the connection, TLS or login fails."""
    imap = _connect(server)
    try:
        _login(imap, server, user, password)
        status, data = imap.select(_quote(folder), readonly=True)
        if status != "OK":
            raise MailError(f"Máy chủ thư {server}: không mở được thư mục “{folder}” "
                            f"({_text(data)}).")
        return _fetch_all(imap, server, out, since, tz, progress)
    except (imaplib.IMAP4.error, OSError) as exc:
        raise failure(server, "kết nối", exc) from None
    finally:
        _close(imap)


def _connect(server: Server) -> imaplib.IMAP4:
    try:
        if server.security == PLAIN:
            return imaplib.IMAP4(server.host, server.port, timeout=TIMEOUT_SECONDS)
        if server.security == STARTTLS:
            imap = imaplib.IMAP4(server.host, server.port, timeout=TIMEOUT_SECONDS)
            try:
                imap.starttls(tls_context())
            except (imaplib.IMAP4.error, OSError) as exc:
                _close(imap)
                raise failure(server, "TLS", exc) from None
            return imap
        return imaplib.IMAP4_SSL(server.host, server.port, ssl_context=tls_context(), timeout=TIMEOUT_SECONDS)
    except (imaplib.IMAP4.error, OSError) as exc:
        raise failure(server, "kết nối", exc) from None


def _login(imap: imaplib.IMAP4, server: Server, user: str, password: str) -> None:
    try:
        imap.login(user, password)
    except (imaplib.IMAP4.error, UnicodeEncodeError) as exc:
        raise failure(server, "đăng nhập", exc) from None


def _close(imap: imaplib.IMAP4) -> None:
    try:
        imap.logout()
    except Exception:   # the connection may already be gone; nothing to save there
        pass


def _fetch_all(imap, server, out: Path, since, tz, progress) -> FetchReport:
    criteria = ["SINCE", f"{since.day:02d}-{_MONTHS[since.month - 1]}-{since.year}"] if since else ["ALL"]
    status, data = imap.uid("SEARCH", *criteria)
    if status != "OK":
        raise MailError(f"Máy chủ thư {server}: không tìm được thư ({_text(data)}).")
    uids = data[0].split() if data and data[0] else []
    report = FetchReport()
    known = _saved_hashes(out)
    for number, uid in enumerate(uids, 1):
        _fetch_one(imap, uid, out, tz, known, report)
        if progress:
            progress(number, len(uids))
    return report


def _fetch_one(imap, uid: bytes, out: Path, tz, known: set[str], report: FetchReport) -> None:
    headers = _message(_body(imap, uid, _HEADERS))
    sender, subject = _header(headers, "From"), _header(headers, "Subject")
    message_id = _header(headers, "Message-ID")
    if not _may_have_attachment(headers):
        report.skipped.append(Fetched("", sender, subject, "không có tệp đính kèm"))
        return
    digest = _hash(message_id.encode("utf-8")) if message_id else None
    if digest in known:
        report.skipped.append(Fetched(known_name(out, digest), sender, subject, "đã lưu từ lần trước"))
        return
    raw = _body(imap, uid, "BODY.PEEK[]")
    message = _message(raw)
    if not any(True for _ in message.iter_attachments()):
        report.skipped.append(Fetched("", sender, subject, "không có tệp đính kèm"))
        return
    digest = digest or _hash(raw)
    if digest in known:
        report.skipped.append(Fetched(known_name(out, digest), sender, subject, "đã lưu từ lần trước"))
        return
    name = f"{_stamp(message, imap, uid, tz)}_{_sender_slug(sender)}_{digest}.eml"
    write_bytes(out / name, raw)   # a temporary name, then renamed: never a half-written .eml
    known.add(digest)
    report.saved.append(Fetched(name, sender, subject))


def _body(imap, uid: bytes, item: str) -> bytes:
    status, data = imap.uid("FETCH", uid, f"({item})")
    if status != "OK":
        raise imaplib.IMAP4.error(_text(data))
    for part in data:
        if isinstance(part, tuple):
            return part[1]
    raise imaplib.IMAP4.error(f"thư UID {uid.decode()} không còn trên máy chủ")


def _may_have_attachment(headers) -> bool:
    """A message that is not multipart has an attachment only when its one part is one."""
    content_type = (headers.get("Content-Type") or "text/plain").lower()
    disposition = (headers.get("Content-Disposition") or "").lower()
    return content_type.startswith("multipart/") or disposition.startswith("attachment")


def _hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:12]


def _saved_hashes(out: Path) -> set[str]:
    if not out.is_dir():
        return set()
    return {p.stem.rsplit("_", 1)[-1] for p in out.glob("*.eml") if "_" in p.stem}


def known_name(out: Path, digest: str) -> str:
    return next((p.name for p in sorted(out.glob(f"*_{digest}.eml"))), "")


def _stamp(message, imap, uid: bytes, tz) -> str:
    """YYYY-MM-DD_HHMM in the campaign's time: the mail's Date, else the server's arrival time."""
    moment = None
    try:
        moment = email.utils.parsedate_to_datetime(str(message.get("Date", "")))
    except (TypeError, ValueError, IndexError):
        status, data = imap.uid("FETCH", uid, "(INTERNALDATE)")
        parsed = imaplib.Internaldate2tuple(data[0]) if status == "OK" and data and data[0] else None
        moment = dt.datetime(*parsed[:6]) if parsed else None
    if moment is None:
        return "0000-00-00_0000"
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.timezone.utc)
    return moment.astimezone(tz).strftime("%Y-%m-%d_%H%M")


def _sender_slug(sender: str) -> str:
    address = email.utils.parseaddr(sender)[1].lower() or "khong-ro"
    return re.sub(r"[^a-z0-9.@-]+", "-", address).strip(".-")[:60] or "khong-ro"


def _message(raw: bytes):
    return email.message_from_bytes(raw, policy=email.policy.default)


def _header(message, key: str) -> str:
    try:
        return " ".join(str(message.get(key, "") or "").split())
    except Exception:   # a malformed header names nothing; the mail is still saved whole
        return ""


def _text(data) -> str:
    parts = [d.decode("utf-8", "replace") if isinstance(d, bytes) else str(d) for d in (data or []) if d]
    return " ".join(parts) or "không rõ lý do"


def _quote(folder: str) -> str:
    """A folder name as IMAP wants it: modified UTF-7 (RFC 3501 §5.1.3), quoted."""
    encoded, pending = [], []

    def flush() -> None:
        if pending:
            data = "".join(pending).encode("utf-16-be")
            encoded.append("&" + base64.b64encode(data).decode().rstrip("=").replace("/", ",") + "-")
            pending.clear()

    for char in folder:
        if 0x20 <= ord(char) <= 0x7E:
            flush()
            encoded.append("&-" if char == "&" else char)
        else:
            pending.append(char)
    flush()
    text = "".join(encoded).replace("\\", "\\\\").replace('"', '\\"')
    return f'"{text}"'
