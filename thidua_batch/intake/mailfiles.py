"""Mail and archives as input: every file a unit sent, wherever its mail client or its archiver
put it, becomes a file of the inbox (mail.md, "The mailbox as Gmail delivers it").

`expand` is the one entry point: a mail (.eml, .mbox) or an archive (.zip, .7z, .rar) in, its
member files out, each with the mail it came in. A mail is walked through its whole MIME tree
(multipart/mixed, alternative, related; attachments named on Content-Disposition or only on
Content-Type, RFC 2231/2047 or raw UTF-8; application/octet-stream); a forwarded mail
(message/rfc822) at any depth is read as a mail of its own, its files received at its own date
from its own sender; an archive's members are files named "Hồ sơ.zip/Danh sách.xlsx". A mail with
no file but a link to one, or a pasted table, yields its body ("Nội dung thư.html") for the
mail-body reader. The board's own mails yield nothing to read.

Everything stays in memory: an attachment name such as "../../x.xlsx" cannot place a file anywhere.
"""
from __future__ import annotations

import datetime as dt
import email
import email.policy
import email.utils
import hashlib
import html
import mailbox
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path, PurePosixPath

from ..common.library_words import library_detail
from ..common.text import clean
from ..config.limits import Limits
from ..model.results import MailInfo
from .archives import ARCHIVE_SUFFIXES, MAX_NESTING, ArchiveUnusable, is_archive_name, open_archive

MAIL_SUFFIXES = (".eml", ".mbox")
CONTAINER_SUFFIXES = MAIL_SUFFIXES + ARCHIVE_SUFFIXES
MAIL_BODY_NAME = "Nội dung thư.html"   # the body of a mail that carries a link or a table instead of a file
FETCH_STATE_NAME = ".thidua-mail-fetch.json"   # `mail fetch` remembers the UIDs it has seen (not an input)
MAX_MAIL_DEPTH = 8                     # forwards of forwards; deeper is refused, not recursed


@dataclass(frozen=True)
class Attachment:
    path: str            # display path: "Hop thu den.mbox#3/than uyen.xlsx", "thu.eml/Hồ sơ.zip/DS.xlsx"
    data: bytes
    info: MailInfo | None   # the (innermost) mail it came in; None for a member of an archive on disk
    refusal: str = ""       # why it cannot be read, known already (an archive that does not open): rejected


@dataclass(frozen=True)
class MailNote:
    """A mail, or a part of it, that holds nothing to read: listed, not read."""

    path: str
    reason: str
    sha256: str
    info: MailInfo | None = None
    own: bool = False        # the board's own mail: never a unit's submission, never attributed


@dataclass(frozen=True)
class Expansion:
    """What expanding needs from the campaign: the reading limits, the board's own addresses."""

    limits: Limits = field(default_factory=Limits)
    board: frozenset[str] = frozenset()

    @classmethod
    def of(cls, campaign) -> "Expansion":
        return cls(campaign.limits, board_addresses(campaign))


def board_addresses(campaign, *more: str) -> frozenset[str]:
    """The board's own addresses (contact_email, mail_from, and any given, e.g. `--user`), lower case."""
    found = {campaign.contact_email, email.utils.parseaddr(campaign.mail_from or "")[1], *more}
    return frozenset(a.strip().lower() for a in found if a and "@" in a)


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _parse_date(message: EmailMessage) -> dt.datetime | None:
    raw = message.get("Date")
    if not raw:
        return None
    try:
        moment = email.utils.parsedate_to_datetime(str(raw))
    except (TypeError, ValueError, IndexError):
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.timezone.utc)


def _unescape(text: str) -> str:
    """Raw UTF-8 in a header arrives as surrogate escapes: back to the letters the sender typed."""
    if any("\udc80" <= ch <= "\udcff" for ch in text):
        return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    return text


def _safe_name(name: str | None, index: int) -> str:
    """A file name for display: decoded, without folders, never empty."""
    name = clean(_unescape(name or ""))
    name = PurePosixPath(name.replace("\\", "/")).name if name else ""
    return name or f"tep-dinh-kem-{index}"


def _header(message, key: str) -> str:
    try:
        return clean(_unescape(str(message.get(key, "") or "")))
    except Exception:   # a malformed header must not stop the batch
        return ""


def mail_info(message: EmailMessage, attachment: str = "") -> MailInfo:
    return MailInfo(_header(message, "From"), _header(message, "Subject"), _parse_date(message), attachment,
                    _header(message, "Message-ID"), _header(message, "References"))


def sender_address(info: MailInfo | None) -> str:
    return email.utils.parseaddr(info.sender)[1].lower() if info else ""


# ------------------------------------------------------------------------------------ MIME parts

# Document types a part is an attachment by, even without a name (the suffix it then gets).
KNOWN_TYPES = {
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ".xlsx",
    "application/vnd.ms-excel.sheet.macroenabled.12": ".xlsm",
    "application/vnd.ms-excel": ".xls",
    "application/vnd.oasis.opendocument.spreadsheet": ".ods",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
    "application/msword": ".doc",
    "application/zip": ".zip", "application/x-zip-compressed": ".zip", "application/x-zip": ".zip",
    "application/x-7z-compressed": ".7z",
    "application/vnd.rar": ".rar", "application/x-rar-compressed": ".rar", "application/x-rar": ".rar",
    "message/rfc822": ".eml",
}


@dataclass
class _Walk:
    """One mail's parts: its files, and its body text (for a link or a pasted table)."""

    files: list[tuple[str, EmailMessage]] = field(default_factory=list)   # (name, part)
    mails: list[tuple[str, EmailMessage]] = field(default_factory=list)   # forwarded mails (message/rfc822)
    html: list[str] = field(default_factory=list)
    text: list[str] = field(default_factory=list)
    broken: list[tuple[int, str]] = field(default_factory=list)


def _walk(part: EmailMessage, walk: _Walk) -> None:
    kind = part.get_content_type()
    if kind == "message/rfc822":
        inner = part.get_payload()
        inner = inner[0] if isinstance(inner, list) and inner else inner
        if isinstance(inner, EmailMessage):
            walk.mails.append((_part_name(part, len(walk.mails) + len(walk.files) + 1) or "", inner))
        return
    if part.is_multipart():
        for sub in part.iter_parts():
            _walk(sub, walk)
        return
    index = len(walk.files) + len(walk.mails) + 1
    name = _part_name(part, index)
    disposition = (part.get_content_disposition() or "").lower()
    if embedded_image(kind, disposition, bool(part.get("Content-ID"))):
        return   # a logo or a signature picture shown in the body (cid:), not a file the unit sent
    if name is None and kind in KNOWN_TYPES:
        name = f"tep-dinh-kem-{index}{KNOWN_TYPES[kind]}"
    if name is not None:
        walk.files.append((name, part))
    elif kind in ("text/html", "text/plain") and disposition != "attachment":
        try:
            content = part.get_content()
        except Exception:   # a body in an unknown charset: nothing to look for in it
            return
        (walk.html if kind == "text/html" else walk.text).append(content if isinstance(content, str) else "")


def embedded_image(kind: str, disposition: str, has_content_id: bool) -> bool:
    """An image the HTML body shows by its Content-ID (Outlook's image001.png in a signature)."""
    return kind.startswith("image/") and has_content_id and disposition != "attachment"


def _part_name(part: EmailMessage, index: int) -> str | None:
    try:
        raw = part.get_filename()
    except Exception:   # a malformed parameter: the part is still a file, with a made-up name
        raw = "" if part.get_content_disposition() == "attachment" else None
    if raw is None:
        return None
    return _safe_name(raw, index)


def _content(part: EmailMessage) -> bytes:
    data = part.get_content()
    if isinstance(data, str):
        return data.encode("utf-8")
    if isinstance(data, EmailMessage):
        return data.as_bytes(policy=email.policy.default)
    return data


# ---------------------------------------------------------------------------------- expansion

IsList = Callable[[str], bool]


def expand(path: str, data: bytes, is_list: IsList, context: Expansion = Expansion(),
           info: MailInfo | None = None, archives: int = 0, mails: int = 0) -> Iterator[Attachment | MailNote]:
    """A file (at display PATH, bytes DATA) as the files to read in it: itself when it is a list,
    its attachments when it is a mail, its members when it is an archive; notes for the rest."""
    name = PurePosixPath(path).name
    suffix = PurePosixPath(name).suffix.lower()
    if suffix == ".eml":
        if mails >= MAX_MAIL_DEPTH:
            yield MailNote(path, f"Thư “{name}” lồng quá {MAX_MAIL_DEPTH} lớp thư chuyển tiếp, không đọc.", _sha(data),
                           info)
            return
        message = email.message_from_bytes(data, policy=email.policy.default)
        yield from mail_files(message, data, path, is_list, context, archives, mails + 1)
    elif suffix == ".mbox":
        yield MailNote(path, "Hộp thư .mbox nằm trong thư hoặc tệp nén: đề nghị gửi từng thư.", _sha(data), info)
    elif is_archive_name(name):
        yield from _archive_files(path, data, is_list, context, info, archives, mails)
    elif is_list(name):
        yield Attachment(path, data, _with_attachment(info, name))
    else:
        where = "Tệp trong tệp nén" if info is None else "Tệp đính kèm"
        yield MailNote(path, f"{where} “{name}” không phải bảng tính Excel hay văn bản Word, không đọc.", _sha(data),
                       _with_attachment(info, name))


def _with_attachment(info: MailInfo | None, name: str) -> MailInfo | None:
    if info is None:
        return None
    return MailInfo(info.sender, info.subject, info.date, name, info.message_id, info.references)


def _archive_files(path: str, data: bytes, is_list: IsList, context: Expansion, info: MailInfo | None,
                   archives: int, mails: int) -> Iterator[Attachment | MailNote]:
    name = PurePosixPath(path).name
    if archives >= MAX_NESTING:
        yield Attachment(path, data, _with_attachment(info, name),
                         f"Tệp nén “{name}” nằm lồng trong quá {MAX_NESTING} lớp tệp nén, không mở. Đề nghị đơn vị "
                         "giải nén và gửi trực tiếp từng tệp (Excel, Word) đính kèm thư.")
        return
    try:
        members = open_archive(data, name, context.limits)
    except ArchiveUnusable as exc:
        yield Attachment(path, data, _with_attachment(info, name), str(exc))
        return
    if not members:
        yield Attachment(path, data, _with_attachment(info, name),
                         f"Tệp nén “{name}” không có tệp nào. Đề nghị đơn vị gửi trực tiếp từng tệp (Excel, Word) "
                         "đính kèm thư.")
        return
    for member in members:
        inner = f"{path}/{member.name}"
        if member.refused:
            yield MailNote(inner, member.refused, _sha(member.data), _with_attachment(info, member.name))
        else:
            yield from expand(inner, member.data, is_list, context, info, archives + 1, mails)


def mail_files(message: EmailMessage, raw: bytes, where: str, is_list: IsList, context: Expansion = Expansion(),
               archives: int = 0, mails: int = 1) -> Iterator[Attachment | MailNote]:
    """The files of one mail (and of the mails forwarded in it)."""
    info = mail_info(message)
    if mails == 1 and sender_address(info) in context.board:
        yield MailNote(where, f"Thư “{info.subject or '(không có tiêu đề)'}” do chính Ban gửi ({info.sender}): "
                       "không phải hồ sơ của đơn vị, không đọc.", _sha(raw), info, own=True)
        return
    walk = _Walk()
    try:
        _walk(message, walk)
    except Exception as exc:   # a broken MIME tree: what was found so far is still read
        walk.broken.append((0, str(exc)))
    found = 0
    seen: set[str] = set()
    for index, (name, part) in enumerate(walk.files, 1):
        shown = name if name not in seen else f"{index}-{name}"
        seen.add(shown)
        try:
            data = _content(part)
        except Exception as exc:  # broken encodings in a part: say so, go on
            yield MailNote(f"{where}/{shown}", f"Không giải mã được tệp đính kèm “{name}”: {library_detail(exc)}.", _sha(b""),
                           _with_attachment(info, name))
            continue
        for item in expand(f"{where}/{shown}", data, is_list, context, info, archives, mails):
            found += isinstance(item, Attachment)
            yield item
    for index, (name, inner) in enumerate(walk.mails, 1):
        label = name or (_safe_name(_header(inner, "Subject"), index) + ".eml")
        if not label.lower().endswith(".eml"):
            label += ".eml"
        shown = label if label not in seen else f"{index}-{label}"
        seen.add(shown)
        if mails >= MAX_MAIL_DEPTH:
            yield MailNote(f"{where}/{shown}", f"Thư lồng quá {MAX_MAIL_DEPTH} lớp thư chuyển tiếp, không đọc.",
                           _sha(b""), info)
            continue
        inner_raw = inner.as_bytes(policy=email.policy.default)
        for item in mail_files(inner, inner_raw, f"{where}/{shown}", is_list, context, archives, mails + 1):
            found += isinstance(item, Attachment)
            yield item
    if found:
        return
    body = _body_with_link_or_table(walk)
    if body is not None and not walk.mails:
        yield Attachment(f"{where}/{MAIL_BODY_NAME}", body.encode("utf-8"),
                         MailInfo(info.sender, info.subject, info.date, info.subject, info.message_id, info.references))
    elif not walk.mails:
        yield MailNote(where, f"Thư “{info.subject or '(không có tiêu đề)'}” của {info.sender or 'người gửi không rõ'} "
                       "không có tệp bảng tính hay văn bản Word đính kèm.", _sha(raw), info)


# ------------------------------------------------------------------------- links and pasted tables

FILE_HOSTS = ("docs.google.com", "drive.google.com", "sheets.google.com", "onedrive.live.com", "1drv.ms",
              "sharepoint.com", "dropbox.com", "fshare.vn", "mediafire.com", "wetransfer.com", "we.tl", "mega.nz",
              "box.com", "icloud.com", "drive.proton.me", "terabox.com")
_URL = re.compile(r"https?://[^\s\"'<>]+", re.I)


def file_links(text: str) -> list[str]:
    """Links to a file host in TEXT (Google Sheets/Drive, OneDrive, Dropbox, Fshare…), in order, once each."""
    found: list[str] = []
    for url in _URL.findall(html.unescape(text)):
        host = url.split("/", 3)[2].lower().split("@")[-1].split(":")[0]
        if any(host == h or host.endswith("." + h) for h in FILE_HOSTS) and url not in found:
            found.append(url.rstrip(".,);"))
    return found


def _body_with_link_or_table(walk: _Walk) -> str | None:
    """The body as HTML when it carries a table or a link to a file; None otherwise."""
    markup = "\n".join(walk.html)
    if markup and (re.search(r"<table\b", markup, re.I) or file_links(markup)):
        return markup
    text = "\n".join(walk.text)
    if text and file_links(text):
        return "<pre>" + html.escape(text) + "</pre>"
    return None


# ------------------------------------------------------------------------------------ files on disk

def read_container(path: Path, rel: str, is_list: IsList, context: Expansion = Expansion()
                   ) -> Iterator[Attachment | MailNote]:
    """A mail file (.eml, .mbox) or an archive found in the inbox, expanded."""
    if path.suffix.lower() == ".mbox":
        yield from read_mbox(path, rel, is_list, context)
    else:
        yield from expand(rel, path.read_bytes(), is_list, context)


def read_mbox(path: Path, rel: str, is_list: IsList, context: Expansion = Expansion()
              ) -> Iterator[Attachment | MailNote]:
    box = mailbox.mbox(path, factory=None, create=False)
    try:
        if not len(box):
            yield MailNote(rel, "Tệp hộp thư không có thư nào.", _sha(path.read_bytes()))
        for number, key in enumerate(box.iterkeys(), 1):
            raw = box.get_bytes(key)
            message = email.message_from_bytes(raw, policy=email.policy.default)
            yield from mail_files(message, raw, f"{rel}#{number}", is_list, context)
    finally:
        box.close()


def read_mail(path: Path, rel: str, is_list: IsList, context: Expansion = Expansion()
              ) -> Iterator[Attachment | MailNote]:
    """Kept for callers of the earlier name: a mail file expanded."""
    yield from read_container(path, rel, is_list, context)


def has_link_or_table(raw: bytes) -> bool:
    """Whether a mail holds something a unit sent: a file anywhere, or a body with a link to a file or a table
    (`mail fetch` asks this of a mail whose structure shows no file)."""
    try:
        message = email.message_from_bytes(raw, policy=email.policy.default)
        walk = _Walk()
        _walk(message, walk)
    except Exception:   # a mail the parser cannot walk is kept: `run` will say what is wrong with it
        return True
    return bool(walk.files or walk.mails) or _body_with_link_or_table(walk) is not None
