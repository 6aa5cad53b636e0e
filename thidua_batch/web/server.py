"""`thidua-batch serve`: the page on this computer (loopback) unless asked otherwise, in the
officer's default browser. Werkzeug's threaded server: no fork, no signals, the same on Windows."""
from __future__ import annotations

import os
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
    hosts = (f"127.0.0.1:{port}", f"localhost:{port}", f"[::1]:{port}") if is_loopback(host) else ()
    return Settings(inbox, out, campaign, register, password if not is_loopback(host) else None, hosts)


def serve(settings: Settings, host: str, port: int, open_browser: bool = True,
          echo: Callable[[str], None] = print, ready: threading.Event | None = None) -> None:
    try:
        server = make_server(host, port, create_app(settings), threaded=True)
    except OSError as exc:
        raise ServeError(f"Không mở được cổng {port} trên {host}: {exc.strerror or exc}. "
                         "Dùng --port với số khác.") from None
    shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host
    address = f"http://{shown}:{server.port}/"
    echo(f"Trang làm việc: {address}")
    echo(f"Hồ sơ: {settings.inbox}   Kết quả: {settings.out}")
    echo("Nhấn Ctrl+C để dừng.")
    if open_browser:
        threading.Timer(0.5, webbrowser.open, args=(address,)).start()
    if ready:
        ready.set()
    try:
        server.serve_forever()
    finally:
        server.server_close()
