"""`mail fetch`: the board's mails that carry files, saved whole as .eml, read-only (mail.md).

The folder is opened with EXAMINE, bodies are fetched with BODY.PEEK: nothing on the server is
flagged, moved or deleted. A run costs a few round trips whatever the size of the folder
("A real mailbox is large and far away"): one SEARCH; one FETCH of the structure, size and headers
of all the messages not seen before (in batches of a few hundred); one FETCH of the bodies to
save. What was seen is remembered in INBOX/.thidua-mail-fetch.json (the folder's UIDVALIDITY and
its UIDs), so a run with nothing new asks for nothing but the search.

A message's file name ends with a hash of its Message-ID (or of its bytes when it has none, or
when another message already saved under that Message-ID differs from it), so a message already
saved is never downloaded or rewritten again.
"""
from __future__ import annotations

import base64
import datetime as dt
import email
import email.policy
import email.utils
import hashlib
import imaplib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..common.atomic import write_bytes, write_text
from ..intake.mailfiles import FETCH_STATE_NAME, KNOWN_TYPES, board_addresses, embedded_image, has_link_or_table
from .connection import PLAIN, STARTTLS, MailError, Server, failure, tls_context
from .imap_parse import fetch_items, header_block, leaves, list_names

TIMEOUT_SECONDS = 60
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
          progress: Callable[[int, int], None] | None = None, campaign=None) -> FetchReport:
    """Save into OUT every message of FOLDER since SINCE (a day in TZ, the campaign's zone) that a
    unit sent: with a file anywhere in it, or with a link or a pasted table when it comes from a
    unit or names one. The board's own mails (USER, the campaign's addresses) are skipped. Raises
    MailError (before anything is written) when the connection, TLS or login fails."""
    imap = _connect(server)
    try:
        _login(imap, server, user, password)
        status, data = imap.select(_quote(folder), readonly=True)
        if status != "OK":
            raise MailError(f"Máy chủ thư {server}: không mở được thư mục “{folder}” ({_text(data)}). "
                            + _existing_folders(imap))
        validity = _uidvalidity(imap)
        rules = _Rules.of(user, campaign, tz)
        return _fetch_all(imap, server, out, since, rules, progress, f"{user.lower()} {server.host} {folder}", validity)
    except (imaplib.IMAP4.error, OSError) as exc:
        raise failure(server, "kết nối", exc) from None
    finally:
        _close(imap)


def _existing_folders(imap) -> str:
    try:
        status, data = imap.list()
    except (imaplib.IMAP4.error, OSError):
        return ""
    names = list_names(data) if status == "OK" else []
    if not names:
        return ""
    return "Các thư mục có trên máy chủ: " + ", ".join(f"“{n}”" for n in names) + "."


def _uidvalidity(imap) -> str:
    _, data = imap.response("UIDVALIDITY")
    return (data[0].decode("ascii", "replace") if data and isinstance(data[0], bytes) else "") or ""


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


FETCH_BATCH = 300                 # messages per FETCH of structures: one round trip each
BODY_BATCH_BYTES = 24 * 1024 * 1024   # bodies per FETCH, by their announced size
_HEADER_ITEM = "BODY.PEEK[HEADER.FIELDS (MESSAGE-ID DATE FROM SUBJECT)]"
_CAMPAIGN_WORDS = ("khen thuong", "de nghi", "danh sach", "ho so")


@dataclass(frozen=True)
class _Rules:
    """Whose mails are the board's own, which are the units', and the campaign's time zone."""

    board: frozenset[str]
    units: frozenset[str]
    roster: object
    plan: str
    tz: dt.tzinfo

    @classmethod
    def of(cls, user: str, campaign, tz: dt.tzinfo) -> "_Rules":
        if campaign is None:
            return cls(frozenset({user.lower()}), frozenset(), None, "", tz)
        units = frozenset(a for u in campaign.roster for a in u.emails)
        return cls(board_addresses(campaign, user), units, campaign.roster, campaign.plan.number.lower(), campaign.tz)

    def names_a_unit_or_the_campaign(self, sender: str, subject: str) -> bool:
        if email.utils.parseaddr(sender)[1].lower() in self.units:
            return True
        if self.roster is not None and self.roster.mentioned_in(subject) is not None:
            return True
        plain = _ascii(subject)
        return bool(self.plan and self.plan in subject.lower()) or any(w in plain for w in _CAMPAIGN_WORDS)


@dataclass
class _Seen:
    """One message as its FETCH of structure and headers showed it."""

    uid: int
    size: int
    sender: str
    subject: str
    message_id: str
    moment: dt.datetime | None     # the Date header, else the server's arrival time
    has_file: bool
    arrived: dt.datetime | None = None   # the server's arrival time (INTERNALDATE)

    def before(self, day: dt.date, tz: dt.tzinfo) -> bool:
        """Sent and arrived before DAY in campaign time (a sender's clock may be wrong: either date keeps it)."""
        moments = [m for m in (self.moment, self.arrived) if m is not None]
        return bool(moments) and all(m.astimezone(tz).date() < day for m in moments)


def _fetch_all(imap, server, out: Path, since, rules: _Rules, progress, key: str, validity: str) -> FetchReport:
    # SINCE compares the server's own dates, often UTC: a day earlier, then the exact day in campaign time.
    criteria = ["SINCE", _imap_day(since - dt.timedelta(days=1))] if since else ["ALL"]
    status, data = imap.uid("SEARCH", *criteria)
    if status != "OK":
        raise MailError(f"Máy chủ thư {server}: không tìm được thư ({_text(data)}).")
    uids = [int(u) for u in (data[0].split() if data and data[0] else []) if u.isdigit()]
    state = _State.load(out)
    seen = state.seen(key, validity)
    new = [u for u in uids if u not in seen]
    report = FetchReport()
    known = _saved_hashes(out)
    to_save: list[tuple[_Seen, str]] = []       # (message, digest or "" when by its bytes)
    for message in _structures(imap, new):
        if since and message.before(since, rules.tz):
            continue   # before the day asked: not remembered, a run with an earlier --since takes it
        address = email.utils.parseaddr(message.sender)[1].lower()
        if address in rules.board:
            report.skipped.append(Fetched("", message.sender, message.subject, "thư của chính Ban (mẫu, trả lời đã gửi)"))
            seen.add(message.uid)
            continue
        if not message.has_file and not rules.names_a_unit_or_the_campaign(message.sender, message.subject):
            report.skipped.append(Fetched("", message.sender, message.subject, "không có tệp đính kèm"))
            seen.add(message.uid)
            continue
        digest = _hash(message.message_id.encode("utf-8")) if message.message_id else ""
        if digest in known and _size(known[digest]) == message.size:   # the same message: not downloaded again
            report.skipped.append(Fetched(known[digest].name, message.sender, message.subject, "đã lưu từ lần trước"))
            seen.add(message.uid)
            continue
        to_save.append((message, digest))
    total, done = len(to_save), 0
    digests = {m.uid: d for m, d in to_save}
    for message, raw in _bodies(imap, [m for m, _ in to_save]):
        digest = digests[message.uid]
        done += 1
        _keep(out, message, raw, digest, known, report, rules)
        seen.add(message.uid)
        if progress:
            progress(done, total)
    state.remember(key, validity, seen)
    if out.is_dir() or report.saved:
        state.save(out)
    return report


def _keep(out: Path, message: _Seen, raw: bytes, digest: str, known: dict[str, Path], report: FetchReport,
          rules: _Rules) -> None:
    """Save one downloaded message, unless it is saved already or holds nothing a unit sent."""
    if not message.has_file and not has_link_or_table(raw):
        report.skipped.append(Fetched("", message.sender, message.subject,
                                      "không có tệp đính kèm, đường dẫn tới tệp hay bảng danh sách"))
        return
    bytes_digest = _hash(raw)
    if bytes_digest in known:
        report.skipped.append(Fetched(known[bytes_digest].name, message.sender, message.subject, "đã lưu từ lần trước"))
        return
    if digest in known:
        if _same_bytes(known[digest], raw):
            report.skipped.append(Fetched(known[digest].name, message.sender, message.subject, "đã lưu từ lần trước"))
            return
        digest = bytes_digest   # another message reusing a saved Message-ID: saved too, by its bytes
    digest = digest or bytes_digest
    name = f"{_stamp(message.moment, rules.tz)}_{_sender_slug(message.sender)}_{digest}.eml"
    write_bytes(out / name, raw)   # a temporary name, then renamed: never a half-written .eml
    known[digest] = out / name
    report.saved.append(Fetched(name, message.sender, message.subject))


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return -1


def _same_bytes(path: Path, raw: bytes) -> bool:
    try:
        return path.stat().st_size == len(raw) and path.read_bytes() == raw
    except OSError:
        return False


def _structures(imap, uids: list[int]):
    """FETCH of size, arrival, structure and headers, FETCH_BATCH messages per command."""
    for start in range(0, len(uids), FETCH_BATCH):
        chunk = uids[start:start + FETCH_BATCH]
        status, data = imap.uid("FETCH", _uid_set(chunk),
                                f"(UID RFC822.SIZE INTERNALDATE BODYSTRUCTURE {_HEADER_ITEM})")
        if status != "OK":
            raise imaplib.IMAP4.error(_text(data))
        for items in fetch_items(data):
            uid = items.get("UID")
            if not isinstance(uid, bytes) or not uid.isdigit():
                continue
            headers = _message(header_block(items))
            parts = leaves(items.get("BODYSTRUCTURE"))
            has_file = any((p.has_name or p.kind in KNOWN_TYPES or
                            (p.disposition == "attachment" and not p.kind.startswith("text/")))
                           and not embedded_image(p.kind, p.disposition, bool(p.content_id)) for p in parts)
            arrived = _internal(items.get("INTERNALDATE"))
            size = items.get("RFC822.SIZE")
            yield _Seen(int(uid), int(size) if isinstance(size, bytes) and size.isdigit() else 0,
                        _header(headers, "From"), _header(headers, "Subject"), _header(headers, "Message-ID"),
                        _date(headers) or arrived, has_file, arrived)


def _bodies(imap, messages: list[_Seen]):
    """The whole messages, BODY.PEEK[], as few FETCH commands as their sizes allow."""
    batch: list[_Seen] = []
    size = 0
    for message in messages + [None]:
        if message is not None and (not batch or size + message.size <= BODY_BATCH_BYTES):
            batch.append(message)
            size += message.size
            continue
        if batch:
            by_uid = {m.uid: m for m in batch}
            status, data = imap.uid("FETCH", _uid_set(sorted(by_uid)), "(UID BODY.PEEK[])")
            if status != "OK":
                raise imaplib.IMAP4.error(_text(data))
            for items in fetch_items(data):
                uid, raw = items.get("UID"), items.get("BODY[]")
                if isinstance(uid, bytes) and uid.isdigit() and int(uid) in by_uid and isinstance(raw, bytes):
                    yield by_uid.pop(int(uid)), bytes(raw)
        batch, size = ([message], message.size) if message is not None else ([], 0)


def _uid_set(uids: list[int]) -> str:
    """[1, 2, 3, 7] → "1:3,7"."""
    ranges, start, prev = [], None, None
    for uid in sorted(uids):
        if start is None:
            start = prev = uid
        elif uid == prev + 1:
            prev = uid
        else:
            ranges.append(f"{start}:{prev}" if prev != start else str(start))
            start = prev = uid
    if start is not None:
        ranges.append(f"{start}:{prev}" if prev != start else str(start))
    return ",".join(ranges)


def _parse_uid_set(text: str) -> set[int]:
    found: set[int] = set()
    for piece in text.split(","):
        low, _, high = piece.partition(":")
        if low.isdigit() and (not high or high.isdigit()):
            found.update(range(int(low), int(high or low) + 1))
    return found


@dataclass
class _State:
    """INBOX/.thidua-mail-fetch.json: per account and folder, its UIDVALIDITY and the UIDs seen."""

    folders: dict[str, dict[str, str]]

    @classmethod
    def load(cls, out: Path) -> "_State":
        try:
            data = json.loads((out / FETCH_STATE_NAME).read_text("utf-8"))
            folders = {str(k): {"uidvalidity": str(v.get("uidvalidity", "")), "seen": str(v.get("seen", ""))}
                       for k, v in data.get("folders", {}).items() if isinstance(v, dict)}
        except (OSError, ValueError, AttributeError):
            folders = {}
        return cls(folders)

    def seen(self, key: str, validity: str) -> set[int]:
        entry = self.folders.get(key)
        if not entry or not validity or entry.get("uidvalidity") != validity:
            return set()   # another folder behind the same name: every UID is new again
        return _parse_uid_set(entry.get("seen", ""))

    def remember(self, key: str, validity: str, seen: set[int]) -> None:
        if validity:
            self.folders[key] = {"uidvalidity": validity, "seen": _uid_set(sorted(seen))}

    def save(self, out: Path) -> None:
        out.mkdir(parents=True, exist_ok=True)
        write_text(out / FETCH_STATE_NAME, json.dumps({"version": 1, "folders": self.folders}, ensure_ascii=False,
                                                      indent=1) + "\n")


def _imap_day(day: dt.date) -> str:
    return f"{day.day:02d}-{_MONTHS[day.month - 1]}-{day.year}"


def _date(headers) -> dt.datetime | None:
    try:
        moment = email.utils.parsedate_to_datetime(str(headers.get("Date", "")))
    except (TypeError, ValueError, IndexError):
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.timezone.utc)


def _internal(value: object) -> dt.datetime | None:
    """INTERNALDATE "17-Dec-2020 23:40:00 +0000" → an aware datetime."""
    if not isinstance(value, bytes):
        return None
    try:
        return dt.datetime.strptime(bytes(value).decode("ascii"), "%d-%b-%Y %H:%M:%S %z")
    except ValueError:
        return None


def _ascii(text: str) -> str:
    import unicodedata
    return unicodedata.normalize("NFD", text.lower().replace("đ", "d")).encode("ascii", "ignore").decode()


def _hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:12]


def _saved_hashes(out: Path) -> dict[str, Path]:
    if not out.is_dir():
        return {}
    return {p.stem.rsplit("_", 1)[-1]: p for p in sorted(out.glob("*.eml")) if "_" in p.stem}


def known_name(out: Path, digest: str) -> str:
    return next((p.name for p in sorted(out.glob(f"*_{digest}.eml"))), "")


def _stamp(moment: dt.datetime | None, tz) -> str:
    """YYYY-MM-DD_HHMM in the campaign's time: the mail's Date, else the server's arrival time."""
    if moment is None:
        return "0000-00-00_0000"
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
