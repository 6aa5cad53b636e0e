"""Real mail servers on 127.0.0.1 for the tests, never a mock of the protocol: pymap (an IMAP4rev1
server) in its own process, aiosmtpd (an SMTP server) in a thread; and mails shaped the way the
units' Gmail and Outlook write them."""
from __future__ import annotations

import asyncio
import base64
import contextlib
import datetime as dt
import imaplib
import os
import shutil
import socket
import ssl
import subprocess
import sys
import tempfile
import time
import warnings
from dataclasses import dataclass, field
from email.header import Header
from pathlib import Path

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

USER, PASSWORD = "luonghaldld@gmail.com", "abcd efgh ijkl mnop"   # a Gmail app password looks like this


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def self_signed(directory: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 / localhost, made by the openssl command."""
    cert, key = directory / "cert.pem", directory / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out",
                    str(cert), "-days", "2", "-subj", "/CN=127.0.0.1",
                    "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"], check=True, capture_output=True)
    return cert, key


def _wait_for_port(port: int, process: subprocess.Popen | None = None, seconds: float = 20) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"server exited: {process.stdout.read() if process.stdout else ''}")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return
        time.sleep(0.05)
    raise RuntimeError(f"nothing listens on 127.0.0.1:{port}")


@dataclass
class ImapServer:
    """pymap's in-memory backend, one mailbox (USER), seeded over IMAP APPEND like a real delivery."""

    port: int
    process: subprocess.Popen
    cert: Path | None = None

    @classmethod
    def start(cls, directory: Path, tls: bool = False) -> "ImapServer":
        port = free_port()
        cert = key = None
        args = [sys.executable, "-c", "from pymap.main import main; main()", "--host", "127.0.0.1",
                "--port", str(port)]
        if tls:
            cert, key = self_signed(directory)
            args += ["--cert", str(cert), "--key", str(key)]
        args += ["dict", "--demo-user", USER, "--demo-password", PASSWORD]
        process = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        _wait_for_port(port, process)
        return cls(port, process, cert)

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(10)
        if self.process.stdout:
            self.process.stdout.close()

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.port}"

    def _client(self) -> imaplib.IMAP4:
        client = imaplib.IMAP4("127.0.0.1", self.port, timeout=10)
        if self.cert:
            client.starttls(ssl.create_default_context(cafile=str(self.cert)))
        client.login(USER, PASSWORD)
        return client

    def deliver(self, raw: bytes, arrived: dt.datetime, folder: str = "INBOX") -> None:
        client = self._client()
        try:
            status, _ = client.append(folder, None, imaplib.Time2Internaldate(arrived.timestamp()), raw)
            assert status == "OK"
        finally:
            client.logout()

    def state(self, folder: str = "INBOX") -> list[tuple[bytes, bytes]]:
        """(UID, FLAGS) of every message, seen through EXAMINE: what the tests compare before and after."""
        client = self._client()
        try:
            client.select(folder, readonly=True)
            status, data = client.uid("FETCH", "1:*", "(UID FLAGS)")
            return sorted(d for d in data if d)
        finally:
            client.logout()

    def bodies(self, folder: str = "INBOX") -> list[bytes]:
        client = self._client()
        try:
            client.select(folder, readonly=True)
            status, data = client.uid("FETCH", "1:*", "(BODY.PEEK[])")
            return [part[1] for part in data if isinstance(part, tuple)]
        finally:
            client.logout()


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    data: bytes


@dataclass
class SmtpServer:
    """aiosmtpd on 127.0.0.1, AUTH required (as Gmail does); keeps every message it accepts."""

    controller: Controller
    port: int
    received: list[Received] = field(default_factory=list)
    refuse: set[str] = field(default_factory=set)   # recipients answered 550
    drop: set[str] = field(default_factory=set)     # recipients whose message is taken, then the line cut
    slow: float = 0.0                               # seconds before answering DATA (a server far away)

    @classmethod
    def start(cls, directory: Path, mode: str = "plain") -> "SmtpServer":
        port = free_port()
        server = cls.__new__(cls)
        server.received, server.refuse, server.drop, server.port, server.slow = [], set(), set(), port, 0.0
        kwargs = dict(hostname="127.0.0.1", port=port, auth_required=True, auth_require_tls=mode == "starttls",
                      authenticator=_authenticator, ready_timeout=10)
        if mode != "plain":
            cert, key = self_signed(directory)
            context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            context.load_cert_chain(cert, key)
            server.cert = cert
            kwargs.update(ssl_context=context) if mode == "tls" else kwargs.update(tls_context=context,
                                                                                   require_starttls=True)
        server.controller = Controller(_Handler(server), server_hostname="127.0.0.1", **kwargs)
        with warnings.catch_warnings():   # AUTH without TLS: on loopback only, the --plain case under test
            warnings.simplefilter("ignore", UserWarning)
            server.controller.start()
        return server

    def stop(self) -> None:
        with contextlib.suppress(Exception):
            self.controller.stop()

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.port}"


def _authenticator(server, session, envelope, mechanism, auth_data) -> AuthResult:
    ok = isinstance(auth_data, LoginPassword) and auth_data.login.decode() == USER and \
        auth_data.password.decode() == PASSWORD
    return AuthResult(success=ok)


class _Handler:
    def __init__(self, server: SmtpServer) -> None:
        self.server = server

    async def handle_RCPT(self, server, session, envelope, address, options):
        if address in self.server.refuse:
            return "550 5.1.1 No such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.server.slow:
            await asyncio.sleep(self.server.slow)
        self.server.received.append(Received(envelope.mail_from, list(envelope.rcpt_tos), envelope.content))
        if self.server.drop & set(envelope.rcpt_tos):   # stored, but the answer never reaches the client
            server.transport.close()
            return "250 2.0.0 OK (never heard)"
        return f"250 2.0.0 OK queued as Q{len(self.server.received):04d}"


# ------------------------------------------------------------------ mails as the units send them

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _b64_lines(data: bytes) -> bytes:
    text = base64.b64encode(data)
    return b"\r\n".join(text[i:i + 76] for i in range(0, len(text), 76))


def gmail_message(sender_name: str, sender: str, subject: str, when: dt.datetime, body: str,
                  files: list[tuple[str, bytes]], message_id: str | None, references: str = "") -> bytes:
    """Byte for byte the shape Gmail's web client writes: RFC 2047 words in the subject, the
    sender's name and the attachment names, multipart/alternative text and HTML, X-Attachment-Id."""
    boundary_mixed, boundary_alt = b"000000000000a1b2c3d4e5f6a7b8", b"000000000000f9e8d7c6b5a4b3c2"
    lines = [b"MIME-Version: 1.0",
             b"Date: " + when.strftime("%a, %d %b %Y %H:%M:%S %z").encode()]
    if references:
        lines += [b"References: " + references.encode(), b"In-Reply-To: " + references.split()[-1].encode()]
    if message_id:
        lines.append(b"Message-ID: " + message_id.encode())
    lines += [b"Subject: " + Header(subject, "utf-8").encode(linesep="\r\n").encode(),
              b"From: " + Header(sender_name, "utf-8").encode(linesep="\r\n").encode() + b" <" + sender.encode() + b">",
              b"To: " + USER.encode()]
    alt = [b"--" + boundary_alt, b'Content-Type: text/plain; charset="UTF-8"', b"Content-Transfer-Encoding: base64",
           b"", _b64_lines(body.encode()), b"--" + boundary_alt, b'Content-Type: text/html; charset="UTF-8"',
           b"Content-Transfer-Encoding: base64", b"",
           _b64_lines(f'<div dir="ltr">{body}</div>'.encode()), b"--" + boundary_alt + b"--"]
    if not files:
        return b"\r\n".join(lines + [b'Content-Type: multipart/alternative; boundary="' + boundary_alt + b'"', b""]
                            + alt) + b"\r\n"
    parts = [b'Content-Type: multipart/mixed; boundary="' + boundary_mixed + b'"', b"",
             b"--" + boundary_mixed, b'Content-Type: multipart/alternative; boundary="' + boundary_alt + b'"', b""]
    parts += alt + [b""]
    for number, (name, data) in enumerate(files):
        words = Header(name, "utf-8").encode(maxlinelen=10_000).encode()
        kind = DOCX if name.endswith(".docx") else XLSX if name.endswith(".xlsx") else "application/pdf"
        parts += [b"--" + boundary_mixed, kind.encode().join([b"Content-Type: ", b'; name="' + words + b'"']),
                  b'Content-Disposition: attachment; filename="' + words + b'"', b"Content-Transfer-Encoding: base64",
                  f"Content-ID: <f_kiw{number}abc{number}>".encode(), f"X-Attachment-Id: f_kiw{number}abc{number}".encode(),
                  b"", _b64_lines(data)]
    parts.append(b"--" + boundary_mixed + b"--")
    return b"\r\n".join(lines + parts) + b"\r\n"


def outlook_message(sender: str, subject: str, when: dt.datetime, name: str, data: bytes, message_id: str) -> bytes:
    """The shape Outlook writes: RFC 2231 filename*, quoted-printable body, Thread-Index."""
    quoted = "utf-8''" + "".join(c if c.isascii() and c.isalnum() else "".join(f"%{b:02X}" for b in c.encode())
                                 for c in name)
    head = [b"From: " + sender.encode(), b"To: " + USER.encode(),
            b"Subject: " + Header(subject, "utf-8").encode(linesep="\r\n").encode(),
            b"Thread-Topic: " + Header(subject, "utf-8").encode(linesep="\r\n").encode(),
            b"Thread-Index: AdbVb1mLk0fjQ2x9Q0KwY0n5t2H0uQ==",
            b"Date: " + when.strftime("%a, %d %b %Y %H:%M:%S %z").encode(),
            b"Message-ID: " + message_id.encode(), b"Content-Language: vi-VN", b"X-MS-Has-Attach: yes",
            b'Content-Type: multipart/mixed; boundary="_004_outlook_"', b"MIME-Version: 1.0", b""]
    body = [b"--_004_outlook_", b'Content-Type: text/plain; charset="utf-8"',
            b"Content-Transfer-Encoding: quoted-printable", b"",
            b"K=C3=ADnh g=E1=BB=ADi Ban CSPL&Q=48L=C4=90,", b"",
            b"--_004_outlook_", f'Content-Type: {XLSX}; name="{name.encode("ascii", "replace").decode()}"'.encode(),
            b"Content-Description: attachment",
            b"Content-Disposition: attachment; filename*=" + quoted.encode() + b"; size=" + str(len(data)).encode(),
            b"Content-Transfer-Encoding: base64", b"", _b64_lines(data), b"", b"--_004_outlook_--", b""]
    return b"\r\n".join(head + body)


# ------------------------------------------------------------------ Dovecot, the server units' hosts run

DOVECOT = shutil.which("dovecot") or ("/usr/sbin/dovecot" if Path("/usr/sbin/dovecot").exists() else None)


@dataclass
class DovecotServer(ImapServer):
    """Dovecot 2.3 started from a config written here, as whoever runs the tests: as an ordinary user
    every process runs as that user; as root (CI), the login processes run as the `dovenull` and
    `dovecot` users the Debian package creates. Implicit TLS on `tls_port` with a self-signed
    certificate the client checks (SSL_CERT_FILE); plain IMAP with STARTTLS on `port`."""

    tls_port: int = 0
    home: Path | None = None

    @classmethod
    def start(cls, directory: Path, tls: bool = True) -> "DovecotServer":
        import grp   # POSIX only, like Dovecot itself: imported here so the module loads on Windows
        import pwd

        home = Path(tempfile.mkdtemp(prefix="thidua-dovecot-"))   # traversable by the login user, unlike tmp_path
        os.chmod(home, 0o755)
        cert, key = self_signed(home)
        os.chmod(key, 0o644)
        port, tls_port = free_port(), free_port()
        root = os.geteuid() == 0 if hasattr(os, "geteuid") else False
        me = pwd.getpwuid(os.getuid()).pw_name
        group = grp.getgrgid(os.getgid()).gr_name
        internal, internal_group, login = ("dovecot", "dovecot", "dovenull") if root else (me, group, me)
        for sub in ("run", "state", "mail"):
            (home / sub).mkdir()
        uid, gid = os.getuid(), os.getgid()
        if root:   # Dovecot never gives mail to uid 0: the mail belongs to the `dovecot` user
            uid, gid = pwd.getpwnam(internal).pw_uid, grp.getgrnam(internal_group).gr_gid
            os.chown(home / "mail", uid, gid)
        (home / "passwd").write_text(f"{USER}:{{PLAIN}}{PASSWORD}\n", "utf-8")
        config = home / "dovecot.conf"
        config.write_text("\n".join([
            f"base_dir = {home}/run", f"state_dir = {home}/state", f"log_path = {home}/dovecot.log",
            "protocols = imap", "listen = 127.0.0.1", "ssl = yes", f"ssl_cert = <{cert}", f"ssl_key = <{key}",
            f"default_internal_user = {internal}", f"default_internal_group = {internal_group}",
            f"default_login_user = {login}", "auth_mechanisms = plain login", "disable_plaintext_auth = no",
            "first_valid_uid = 0", f"mail_location = maildir:{home}/mail/%u",
            "service imap-login {", "  chroot =", f"  inet_listener imap {{\n    port = {port}\n  }}",
            f"  inet_listener imaps {{\n    port = {tls_port}\n  }}", "}",
            "service anvil {", "  chroot =", "}",
            "service stats {", f"  unix_listener stats-writer {{\n    user = {internal}\n  }}", "}",
            "passdb {", "  driver = passwd-file", f"  args = scheme=PLAIN username_format=%u {home}/passwd", "}",
            "userdb {", "  driver = static", f"  args = uid={uid} gid={gid} home={home}/mail/%u", "}",
            ""]), "utf-8")
        process = subprocess.Popen([DOVECOT, "-F", "-c", str(config)], stdout=subprocess.PIPE,
                                   stderr=subprocess.STDOUT, text=True)
        try:
            _wait_for_port(tls_port, process)
            _wait_for_port(port, process)
        except BaseException:
            log = (home / "dovecot.log").read_text("utf-8", "replace") if (home / "dovecot.log").exists() else ""
            process.kill()
            shutil.rmtree(home, ignore_errors=True)
            raise RuntimeError(f"dovecot did not start: {log[-2000:]}") from None
        return cls(port, process, cert, tls_port, home)

    def stop(self) -> None:
        super().stop()
        if self.home:
            shutil.rmtree(self.home, ignore_errors=True)

    @property
    def tls_address(self) -> str:
        return f"127.0.0.1:{self.tls_port}"
