"""Where a mail server is and how to speak to it safely: TLS unless asked otherwise, and never
in clear text except to this computer (mail.md)."""
from __future__ import annotations

import ipaddress
import os
import ssl
from dataclasses import dataclass

TLS, STARTTLS, PLAIN = "tls", "starttls", "plain"
_STARTTLS_PORTS = (25, 143, 587)
SECURITY_WORDS = {TLS: "TLS", STARTTLS: "STARTTLS", PLAIN: "không mã hóa"}


class MailError(Exception):
    """The mail command cannot go on (connection, TLS, login, a missing password): nothing was left half-done."""


@dataclass(frozen=True)
class Server:
    host: str
    port: int
    security: str

    def __str__(self) -> str:
        return f"{self.host}:{self.port}"


def is_loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def parse_server(text: str, *, tls_port: int, starttls_port: int, starttls: bool, plain: bool) -> Server:
    """"imap.gmail.com", "127.0.0.1:1143" → a Server. Implicit TLS (on TLS_PORT unless a port is
    given); STARTTLS when asked or on a port known for it (587, 25, 143); plain only when asked,
    and only on loopback."""
    if starttls and plain:
        raise MailError("Chỉ chọn một trong hai: --starttls hoặc --plain.")
    host, _, port_text = text.strip().rpartition(":") if text.count(":") == 1 else (text.strip(), "", "")
    host = host or text.strip()
    if not host:
        raise MailError("Thiếu tên máy chủ thư.")
    if port_text and not port_text.isdigit():
        raise MailError(f"Cổng “{port_text}” của máy chủ {host} không phải là số.")
    if plain:
        if not is_loopback(host):
            raise MailError(f"Không gửi mật khẩu và thư không mã hóa tới {host}: --plain chỉ dùng với máy chủ "
                            "thử trên chính máy này (127.0.0.1, localhost).")
        security = PLAIN
    elif starttls:
        security = STARTTLS
    else:
        security = STARTTLS if port_text and int(port_text) in (starttls_port, *_STARTTLS_PORTS) else TLS
    default = {TLS: tls_port, STARTTLS: starttls_port, PLAIN: starttls_port}[security]
    return Server(host, int(port_text) if port_text else default, security)


def tls_context() -> ssl.SSLContext:
    """The system's trusted certificates, with host names checked (SSL_CERT_FILE is honoured)."""
    return ssl.create_default_context(cafile=os.environ.get("SSL_CERT_FILE") or None)


def failure(server: Server, stage: str, exc: BaseException) -> MailError:
    """A Vietnamese message naming the host and what failed: "kết nối", "TLS", "đăng nhập"."""
    detail = _detail(exc)
    if stage == "kết nối" and isinstance(exc, ssl.SSLError):
        stage = "TLS"
    return MailError(f"Máy chủ thư {server} ({SECURITY_WORDS[server.security]}): {_STAGE_WORDS.get(stage, stage)}"
                     + (f" ({detail})" if detail else "") + ".")


_STAGE_WORDS = {"kết nối": "không kết nối được", "TLS": "không lập được kết nối mã hóa TLS",
                "đăng nhập": "đăng nhập không được, kiểm tra địa chỉ và mật khẩu ứng dụng"}


def _detail(exc: BaseException) -> str:
    if isinstance(exc, ssl.SSLCertVerificationError):
        return f"chứng chỉ không hợp lệ: {exc.verify_message}"
    if isinstance(exc, ConnectionRefusedError):
        return "máy chủ từ chối kết nối"
    if isinstance(exc, TimeoutError):
        return "quá thời gian chờ"
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    text = exc.args[0] if exc.args else ""
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    return str(text).strip()
