"""`thidua-batch serve`: the page on this computer (loopback) unless asked otherwise, in the
officer's default browser. Werkzeug's threaded server: no fork, no signals, the same on Windows."""
from __future__ import annotations

import errno
import logging
import os
import socket
import threading
import webbrowser
from collections.abc import Callable
from pathlib import Path

from werkzeug.serving import make_server

from ..config.campaign import Campaign
from ..mail.connection import is_loopback
from .app import Settings, create_app

PASSWORD_VARIABLE = "THIDUA_WEB_PASSWORD"


class ServeError(Exception):
    """The page cannot start (a remote host without a password, a port in use): nothing was served."""


def settings_for(inbox: Path, out: Path, campaign: Campaign, register: Path | None, host: str,
                 port: int) -> Settings:
    password = os.environ.get(PASSWORD_VARIABLE) or None
    if not is_loopback(host) and not password:
        raise ServeError(f"Mở trang cho máy khác ({host}) cần mật khẩu: đặt biến môi trường {PASSWORD_VARIABLE} "
                         "rồi chạy lại. Chỉ dùng trên máy này thì bỏ --host.")
    inbox.mkdir(parents=True, exist_ok=True)
    out.mkdir(parents=True, exist_ok=True)
    if inbox.resolve() == out.resolve() or inbox.resolve() in out.resolve().parents:
        raise ServeError("Thư mục kết quả (--out) không được nằm trong thư mục hồ sơ (--inbox).")
    names = ("127.0.0.1", "localhost", "[::1]", _url_host(host.strip("[]")))
    hosts = tuple(dict.fromkeys(f"{name}:{port}" for name in names)) if is_loopback(host) else ()
    return Settings(inbox, out, campaign, register, password if not is_loopback(host) else None, hosts)


def serve(settings: Settings, host: str, port: int, open_browser: bool = True,
          echo: Callable[[str], None] = print, ready: threading.Event | None = None) -> None:
    taken = _bind_problem(host, port)
    if taken is not None:
        raise _port_error(host, port, taken)
    try:
        server = make_server(host, port, create_app(settings), threaded=True)
    except (OSError, SystemExit) as exc:   # Werkzeug prints its own English line and exits when it cannot bind
        raise _port_error(host, port, exc) from None
    logging.getLogger("werkzeug").setLevel(logging.WARNING)   # no line per request in the officer's window
    shown = "127.0.0.1" if host in ("0.0.0.0", "::", "[::]") else _url_host(host.strip("[]"))
    address = f"http://{shown}:{server.port}/"
    echo(f"Trang làm việc: {address}")
    echo(f"Hồ sơ: {settings.inbox}   Kết quả: {settings.out}")
    echo("Nhấn Ctrl+C để dừng.")
    if open_browser:
        threading.Timer(0.5, webbrowser.open, args=(address,)).start()
    if ready:
        ready.set()
    try:
        server.serve_forever()          # Werkzeug's: returns on Ctrl+C
    finally:
        server.server_close()
    echo("Đã dừng trang.")


def _url_host(host: str) -> str:
    """A host as written in an address: an IPv6 one in brackets."""
    return f"[{host}]" if ":" in host else host


def _port_error(host: str, port: int, exc: BaseException) -> ServeError:
    code = getattr(exc, "errno", None)
    if code in (errno.EADDRINUSE, 10048) or isinstance(exc, SystemExit):      # 10048: WSAEADDRINUSE
        why = "cổng đang được chương trình khác dùng (có thể trang đã mở ở một cửa sổ lệnh khác)"
    elif code in (errno.EACCES, 10013):                                          # 10013: WSAEACCES
        why = "máy không cho dùng cổng này"
    elif code == errno.EADDRNOTAVAIL or code == 10049:
        why = "máy này không có địa chỉ đó"
    else:
        why = getattr(exc, "strerror", None) or str(exc)
    return ServeError(f"Không mở được trang ở {host}:{port}: {why}. Dùng --port với số khác, ví dụ --port {port + 1}.")


def _bind_problem(host: str, port: int) -> OSError | None:
    """Why HOST:PORT cannot be listened on, asked before Werkzeug, which would print English and exit."""
    if port == 0:
        return None
    try:
        family, kind, proto, _name, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
    except (OSError, UnicodeError) as exc:
        return OSError(getattr(exc, "errno", None), f"không hiểu địa chỉ “{host}”")
    with socket.socket(family, kind, proto) as probe:
        if os.name != "nt":   # as the server will: a port left in TIME_WAIT is free on POSIX
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as exc:
            return exc
    return None
