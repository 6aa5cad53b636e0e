"""`mail send`: each draft in a folder sent once, exactly as drafted (mail.md).

Before a message goes, a marker file says it is being sent; once the server has accepted it, the
draft moves to da_gui/ with the server's answer beside it and the marker goes. A marker left by a
connection lost mid-message means "perhaps sent": that draft is not sent again until the officer
has looked in the Sent folder and removed the marker, so no unit ever gets a message twice.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import email
import email.policy
import email.utils
import json
import os
import smtplib
import socket
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from pathlib import Path

from ..common.atomic import OutputBlocked, write_bytes, write_text
from .connection import PLAIN, STARTTLS, TLS, MailError, Server, failure, tls_context
from .messages import UNSENT

SENT_DIR = "da_gui"
MARKER = ".dang-gui"
TIMEOUT_SECONDS = 60


@dataclass(frozen=True)
class Outgoing:
    """One draft as it will go: who from, who to, what."""

    path: Path
    sender: str
    recipients: tuple[str, ...]
    subject: str
    message_id: str
    data: bytes        # the draft's bytes without the X-Unsent line


@dataclass(frozen=True)
class Outcome:
    path: Path
    recipients: tuple[str, ...]
    subject: str
    answer: str        # the server's answer, or why it was not sent (Vietnamese)


@dataclass
class SendReport:
    sent: list[Outcome] = field(default_factory=list)
    failed: list[Outcome] = field(default_factory=list)
    skipped: list[Outcome] = field(default_factory=list)    # no recipient, already sent, perhaps sent
    planned: list[Outcome] = field(default_factory=list)    # --dry-run


def drafts_in(folder: Path) -> list[Path]:
    return sorted(p for p in Path(folder).glob("*.eml") if p.is_file() and not p.name.startswith("."))


def read_draft(path: Path) -> Outgoing:
    raw = path.read_bytes()
    message = email.message_from_bytes(raw, policy=email.policy.default)
    recipients = tuple(a for _, a in email.utils.getaddresses(
        [str(v) for key in ("To", "Cc", "Bcc") for v in message.get_all(key, [])]) if a)
    sender = email.utils.parseaddr(str(message.get("From", "")))[1]
    return Outgoing(path, sender, recipients, str(message.get("Subject", "")), str(message.get("Message-ID", "")),
                    _without_unsent(raw))


def _without_unsent(raw: bytes) -> bytes:
    """The same bytes, less the X-Unsent and Bcc header lines (and their folded continuations)."""
    newline = b"\r\n" if b"\r\n\r\n" in raw else b"\n"
    end = raw.find(newline * 2)
    if end < 0:
        return raw
    head, rest = raw[:end + len(newline)], raw[end + len(newline):]
    kept, dropping = [], False
    for line in head.splitlines(keepends=True):
        if dropping and line[:1] in (b" ", b"\t"):
            continue
        dropping = line.lower().startswith((UNSENT.lower().encode() + b":", b"bcc:"))
        if not dropping:
            kept.append(line)
    return b"".join(kept) + rest


def send_drafts(folder: Path, server: Server | None, user: str, password: Callable[[], str] | None,
                dry_run: bool = False, now: Callable[[], dt.datetime] | None = None,
                only: Collection[str] | None = None,
                progress: Callable[[int, int], None] | None = None) -> SendReport:
    """Send every draft of FOLDER (or only the drafts named in ONLY: the officer's choice on the
    page). `password` is asked for only when something is to be sent. PROGRESS(done, total), when
    given, is called once per draft of the run (total: the drafts considered) as soon as that draft is
    settled: sent, refused, or left out (unreadable, no recipient, already or perhaps sent).
    Raises MailError when the server cannot be reached or refuses the login (nothing was sent), or
    when another `mail send` works on FOLDER (its lock file is there)."""
    folder = Path(folder)
    if dry_run:
        return _send_drafts(folder, server, user, password, dry_run, now, only)
    with folder_lock(folder):
        return _send_drafts(folder, server, user, password, dry_run, now, only, progress)


LOCK = ".thidua-gui.lock"


@contextlib.contextmanager
def folder_lock(folder: Path):
    """One `mail send` at a time on a folder: a lock file created exclusively (O_EXCL works the same on
    Windows and POSIX), holding who took it; removed at the end. A lock left by a process that no
    longer runs on this computer is taken over; any other lock stops this run with a message."""
    path = Path(folder) / LOCK
    stamp = json.dumps({"pid": os.getpid(), "host": socket.gethostname(),
                        "since": dt.datetime.now().isoformat(timespec="seconds")})
    for attempt in (1, 2):
        try:
            handle = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
        except FileExistsError:
            holder = _lock_holder(path)
            if attempt == 1 and holder is not None and holder.get("host") == socket.gethostname() \
                    and not _running(holder.get("pid")):
                path.unlink(missing_ok=True)   # left by a run that ended abruptly: taken over
                continue
            since = holder.get("since", "?") if holder else "?"
            raise MailError(f"Một lệnh “mail send” khác đang gửi thư trong thư mục {folder} (từ {since}, tệp khóa "
                            f"{path.name}): không gửi gì để không thư nào bị gửi hai lần. Chờ lệnh kia xong rồi chạy "
                            f"lại; nếu chắc chắn không còn lệnh nào đang gửi, xóa tệp {path} rồi chạy lại.") from None
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(stamp)
        break
    try:
        yield
    finally:
        path.unlink(missing_ok=True)


def _lock_holder(path: Path) -> dict | None:
    try:
        data = json.loads(path.read_text("utf-8"))
        return data if isinstance(data, dict) else None
    except (OSError, ValueError):
        return None


def _running(pid: object) -> bool:
    """Whether a process of this computer runs with that id (Windows: OpenProcess; POSIX: signal 0)."""
    if not isinstance(pid, int) or pid <= 0:
        return False
    if os.name == "nt":
        import ctypes
        handle = ctypes.windll.kernel32.OpenProcess(0x1000, False, pid)   # PROCESS_QUERY_LIMITED_INFORMATION
        if not handle:
            return False
        code = ctypes.c_ulong()
        ctypes.windll.kernel32.GetExitCodeProcess(handle, ctypes.byref(code))
        ctypes.windll.kernel32.CloseHandle(handle)
        return code.value == 259   # STILL_ACTIVE
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _send_drafts(folder: Path, server: Server | None, user: str, password, dry_run: bool, now,
                 only: Collection[str] | None = None,
                 progress: Callable[[int, int], None] | None = None) -> SendReport:
    report, ready = SendReport(), []
    sent_ids = _sent_message_ids(folder / SENT_DIR)
    paths = [p for p in drafts_in(folder) if only is None or p.name in only]
    settled = _Counter(len(paths), progress)
    for path in paths:
        try:
            out = read_draft(path)
        except (OSError, ValueError) as exc:
            report.failed.append(Outcome(path, (), "", f"không đọc được thư nháp: {exc}"))
            settled.one()
            continue
        reason = _not_to_send(out, sent_ids, path)
        if reason:
            report.skipped.append(Outcome(path, out.recipients, out.subject, reason))
            settled.one()
        else:
            ready.append(out)
    if dry_run:
        report.planned = [Outcome(o.path, o.recipients, o.subject, "sẽ gửi") for o in ready]
        return report
    if ready:
        _send_all(ready, server, user, password(), report, now or dt.datetime.now, settled)
    return report


class _Counter:
    """The drafts settled so far, told to the caller's progress callback (if any) one at a time."""

    def __init__(self, total: int, progress: Callable[[int, int], None] | None) -> None:
        self.done, self.total, self.progress = 0, total, progress

    def one(self, count: int = 1) -> None:
        for _ in range(count):
            self.done += 1
            if self.progress is not None:
                self.progress(self.done, self.total)


def _not_to_send(out: Outgoing, sent_ids: set[str], path: Path) -> str:
    if not out.recipients:
        return "thư nháp chưa có người nhận (To): điền địa chỉ rồi chạy lại"
    if out.message_id and out.message_id in sent_ids:
        return f"đã gửi trước đây (có trong {SENT_DIR}/), không gửi lại"
    if _marker(path).exists():
        return (f"lần gửi trước bị ngắt giữa chừng, có thể đã gửi: xem thư mục Đã gửi của hộp thư; nếu chưa có thì "
                f"xóa tệp {_marker(path).name} rồi chạy lại")
    return ""


def _marker(path: Path) -> Path:
    return path.with_name(path.name + MARKER)


def _sent_message_ids(sent: Path) -> set[str]:
    ids = set()
    for path in sent.glob("*.eml") if sent.is_dir() else ():
        with path.open("rb") as handle:
            head = email.message_from_binary_file(handle, policy=email.policy.default)
        if head.get("Message-ID"):
            ids.add(str(head["Message-ID"]))
    return ids


def _send_all(ready: list[Outgoing], server: Server, user: str, password: str, report: SendReport, now,
              settled: _Counter) -> None:
    """One connection for all; when the server drops it, one new connection for the rest."""
    smtp = _connect(server, user, password)
    try:
        for number, out in enumerate(ready):
            if smtp is None:
                try:
                    smtp = _connect(server, user, password)
                except MailError as exc:
                    report.failed += [Outcome(o.path, o.recipients, o.subject, f"chưa gửi: {exc}")
                                      for o in ready[number:]]
                    settled.one(len(ready) - number)
                    return
            try:
                answer, refused = _send_one(smtp, out)
            except (smtplib.SMTPResponseException, smtplib.SMTPRecipientsRefused) as exc:
                _marker(out.path).unlink(missing_ok=True)   # refused before acceptance: certainly not sent
                report.failed.append(Outcome(out.path, out.recipients, out.subject, _refusal(exc)))
                settled.one()
                continue
            except OSError as exc:   # the connection broke: perhaps sent, so the marker stays
                report.failed.append(Outcome(out.path, out.recipients, out.subject,
                                             f"mất kết nối với máy chủ khi đang gửi ({exc or type(exc).__name__}); "
                                             f"{_not_to_send(out, set(), out.path)}"))
                _quit(smtp)
                smtp = None
                settled.one()
                continue
            accepted = tuple(r for r in out.recipients if r not in refused)
            rest = _draft_for(out, tuple(refused)) if refused else None
            note = _file_sent(out, answer, now(), accepted)
            report.sent.append(Outcome(out.path, accepted, out.subject, answer + note))
            if rest is not None:
                report.failed.append(Outcome(rest, tuple(refused), out.subject, (
                    "máy chủ từ chối người nhận " + ", ".join(f"{a} ({c} {t})" for a, (c, t) in refused.items())
                    + f"; đã gửi cho {', '.join(accepted)}; thư nháp cho người bị từ chối vẫn ở thư mục: {rest.name}")))
            settled.one()
    finally:
        _quit(smtp)


def _quit(smtp: smtplib.SMTP | None) -> None:
    if smtp is None:
        return
    try:
        smtp.quit()
    except (smtplib.SMTPException, OSError):
        smtp.close()


def _connect(server: Server, user: str, password: str) -> smtplib.SMTP:
    try:
        if server.security == TLS:
            smtp = smtplib.SMTP_SSL(server.host, server.port, timeout=TIMEOUT_SECONDS, context=tls_context())
        else:
            smtp = smtplib.SMTP(server.host, server.port, timeout=TIMEOUT_SECONDS)
    except (smtplib.SMTPException, OSError) as exc:
        raise failure(server, "kết nối", exc) from None
    try:
        if server.security == STARTTLS:
            try:
                smtp.starttls(context=tls_context())
            except (smtplib.SMTPException, OSError) as exc:
                raise failure(server, "TLS", exc) from None
        try:
            smtp.login(user, password)
        except smtplib.SMTPNotSupportedError as exc:   # a local test server may take mail without AUTH
            if server.security != PLAIN:
                raise failure(server, "đăng nhập", exc) from None
        except (smtplib.SMTPException, UnicodeEncodeError) as exc:
            raise failure(server, "đăng nhập", exc) from None
    except BaseException:
        smtp.close()
        raise
    return smtp


def _send_one(smtp: smtplib.SMTP, out: Outgoing) -> tuple[str, dict[str, tuple[int, str]]]:
    """MAIL, RCPT, DATA by hand, to keep the server's final answer (its queue id) for da_gui/."""
    write_text(_marker(out.path), f"Bắt đầu gửi tới: {', '.join(out.recipients)}\n")
    smtp.ehlo_or_helo_if_needed()
    code, text = smtp.mail(out.sender)
    if code != 250:
        smtp.rset()
        raise smtplib.SMTPSenderRefused(code, text, out.sender)
    refused: dict[str, tuple[int, str]] = {}
    for recipient in out.recipients:
        code, text = smtp.rcpt(recipient)
        if code not in (250, 251):
            refused[recipient] = (code, text.decode("utf-8", "replace") if isinstance(text, bytes) else str(text))
    if len(refused) == len(out.recipients):
        smtp.rset()
        raise smtplib.SMTPRecipientsRefused(refused)
    code, text = smtp.data(out.data)
    if code != 250:
        smtp.rset()
        raise smtplib.SMTPDataError(code, text)
    answer = f"{code} {text.decode('utf-8', 'replace')}"
    if refused:
        answer += "; bị từ chối: " + ", ".join(f"{a} ({c} {t})" for a, (c, t) in refused.items())
    return answer, refused


def _draft_for(out: Outgoing, recipients: tuple[str, ...]) -> Path:
    """A draft like OUT for RECIPIENTS alone, with a Message-ID of its own (the sent one is in da_gui/)."""
    message = email.message_from_bytes(out.path.read_bytes(), policy=email.policy.compat32)
    for key in ("To", "Cc", "Bcc", "Message-ID"):
        del message[key]
    message["To"] = ", ".join(recipients)
    message["Message-ID"] = email.utils.make_msgid(domain=out.sender.rpartition("@")[2] or "thidua-batch.local")
    target = _free_name(out.path.parent, f"{out.path.stem}-nguoi-nhan-con-lai{out.path.suffix}")
    write_bytes(target, message.as_bytes(policy=email.policy.compat32.clone(linesep="\r\n")))
    return target


def _file_sent(out: Outgoing, answer: str, when: dt.datetime, accepted: tuple[str, ...] | None = None) -> str:
    """Move the sent draft into da_gui/ with the server's answer. A draft that cannot be moved (open in
    Outlook, read-only) leaves a copy of what was sent in da_gui/ instead: its Message-ID there is what
    keeps it from being sent again. If not even that can be written, the marker stays, which also keeps
    it from being sent again. Returns a note for the officer ("" when moved)."""
    sent = out.path.parent / SENT_DIR
    kept = (f" (đã gửi, nhưng không ghi được vào {SENT_DIR}/: giữ tệp đánh dấu {_marker(out.path).name} để thư này "
            "không bị gửi lại; xem thư mục Đã gửi của hộp thư)")
    try:
        sent.mkdir(exist_ok=True)
        target = _free_name(sent, out.path.name)
        write_text(target.with_suffix(".ket-qua.txt"),
                   f"Gửi lúc: {when:%d/%m/%Y %H:%M:%S}\nNgười nhận: {', '.join(accepted or out.recipients)}\n"
                   f"Tiêu đề: {out.subject}\nMáy chủ trả lời: {answer}\n")
    except (OSError, OutputBlocked):
        return kept
    note = ""
    try:
        os.replace(out.path, target)
    except OSError:
        try:
            write_bytes(target, out.data)
        except (OSError, OutputBlocked):
            return kept
        note = (f" (không chuyển được {out.path.name} vào {SENT_DIR}/ vì tệp đang mở ở chương trình khác: đã chép "
                f"bản đã gửi vào {SENT_DIR}/, lần sau không gửi lại; đóng tệp rồi xóa thư nháp này)")
    with contextlib.suppress(OSError):
        _marker(out.path).unlink(missing_ok=True)
    return note


def _free_name(folder: Path, name: str) -> Path:
    target, number = folder / name, 2
    while target.exists():
        target = folder / f"{Path(name).stem}_{number}{Path(name).suffix}"
        number += 1
    return target


def _refusal(exc: BaseException) -> str:
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return "máy chủ từ chối mọi người nhận: " + ", ".join(
            f"{a} ({c} {t.decode('utf-8', 'replace') if isinstance(t, bytes) else t})"
            for a, (c, t) in exc.recipients.items())
    if isinstance(exc, smtplib.SMTPResponseException):
        error = exc.smtp_error.decode("utf-8", "replace") if isinstance(exc.smtp_error, bytes) else exc.smtp_error
        return f"máy chủ từ chối thư: {exc.smtp_code} {error}"
    return f"lỗi khi gửi: {exc}"
