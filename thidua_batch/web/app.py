"""The Flask application: five pages (web.md), downloads, login and cross-site protection."""
from __future__ import annotations

import datetime as dt
import hmac
import io
import secrets
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from flask import Flask, abort, jsonify, redirect, render_template, request, send_file, session, url_for
from markupsafe import Markup
from werkzeug.exceptions import HTTPException

from ..config.campaign import Campaign
from ..config.unit_template import build_workbook, quota_text, template_filename
from ..documents.drafts import FEEDBACK_DIR
from ..model.findings import SEVERITY_WORDS
from ..model.results import REASON_WORDS
from . import board
from .folders import UPLOAD_SUFFIXES, inbox_file_of, inbox_missing, inside
from .jobs import BATCH, RunState, Runner
from .steps import STEP_ERRORS, YEAR_DIRS
from .uploads import receive_file
from .year import year_routes, year_steps, zip_of

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ERRORS = {400: "Yêu cầu không hợp lệ.", 401: "Cần đăng nhập.", 403: "Không được phép.",
          404: "Không có trang hay tệp này.", 405: "Trang này không nhận cách gửi đó.",
          413: "Tệp gửi lên quá lớn so với giới hạn của chiến dịch."}


@dataclass(frozen=True)
class Settings:
    inbox: Path
    out: Path
    campaign: Campaign
    register: Path | None = None
    password: str | None = None        # required (and then asked) when not on loopback
    hosts: tuple[str, ...] = ()        # Host headers accepted ("127.0.0.1:8765"); empty = any

    @property
    def register_file(self) -> Path:
        """The award register the page records into: --register, else the command line's default
        (./so_khen_thuong.sqlite), so the page and the terminal agree (papers.md)."""
        return self.register or Path("so_khen_thuong.sqlite")


# Login when not on loopback (web.md): failures per client are slowed, then locked for a while;
# a session lasts a working day.
SLOW_AFTER, LOCK_AFTER = 3, 6              # failed attempts
SLOW_SECONDS, LOCK_SECONDS = 2.0, 15 * 60
SESSION_SECONDS = 10 * 3600


class Doorkeeper:
    """Failed logins per client address. `clock` is time.monotonic, replaceable in tests."""

    def __init__(self, clock=time.monotonic) -> None:
        self.clock = clock
        self._lock = threading.Lock()
        self._failures: dict[str, list[float]] = {}

    def locked_for(self, client: str) -> float:
        """Seconds until CLIENT may try again; 0 when it may now."""
        with self._lock:
            times = [t for t in self._failures.get(client, []) if self.clock() - t < LOCK_SECONDS]
            self._failures[client] = times
            return LOCK_SECONDS - (self.clock() - times[-1]) if len(times) >= LOCK_AFTER else 0.0

    def failed(self, client: str) -> int:
        with self._lock:
            self._failures.setdefault(client, []).append(self.clock())
            return len(self._failures[client])

    def passed(self, client: str) -> None:
        with self._lock:
            self._failures.pop(client, None)


def create_app(settings: Settings) -> Flask:
    app = Flask(__name__)
    app.config.update(SECRET_KEY=secrets.token_hex(32), SESSION_COOKIE_HTTPONLY=True,
                      SESSION_COOKIE_SAMESITE="Strict", MAX_CONTENT_LENGTH=settings.campaign.limits.max_file_bytes * 21)
    app.jinja_env.autoescape = True
    app.url_map.merge_slashes = False   # "//etc/passwd" is refused (404), not redirected
    live, runner, door = board.Live(), Runner(), Doorkeeper()
    app.extensions["thidua"] = (settings, live, runner)
    app.extensions["thidua_door"] = door
    app.config["SESSION_CLOCK"] = time.time

    @app.before_request
    def guard():
        if settings.hosts and request.host not in settings.hosts:   # a rebound DNS name reaching loopback
            abort(400)
        if settings.password and session.get("ok") and \
                not 0 <= app.config["SESSION_CLOCK"]() - session.get("since", 0) < SESSION_SECONDS:
            session.clear()            # a working day has passed: log in again
        if settings.password and not session.get("ok") and request.endpoint not in ("login", "static"):
            wanted = request.full_path.rstrip("?") if request.method == "GET" else "/"
            return redirect(url_for("login", tiep=wanted if wanted != "/" else None))
        if request.method == "POST":
            sent = request.form.get("csrf") or request.headers.get("X-CSRF-Token", "")
            if not sent or not hmac.compare_digest(sent.encode(), session.get("csrf", "").encode()):
                abort(403)

    @app.after_request
    def headers(response):
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["Content-Security-Policy"] = "default-src 'self'; img-src 'self' data:"
        response.headers["Referrer-Policy"] = "no-referrer"
        return response

    @app.context_processor
    def common():
        if "csrf" not in session:
            session["csrf"] = secrets.token_urlsafe(32)
        return {"csrf": session["csrf"], "campaign": settings.campaign, "logged_in": bool(settings.password),
                "inbox": settings.inbox, "out": settings.out, "inbox_missing": inbox_missing(settings.inbox),
                "severity_words": {s.value: w for s, w in SEVERITY_WORDS.items()}, "fmt_time": _fmt_time}

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        if exc.code == 403 and request.method == "POST":
            message = "Biểu mẫu đã cũ hoặc không gửi từ trang này. Tải lại trang rồi làm lại."
        elif exc.code == 413:
            message = (f"Lần gửi này quá lớn: mỗi lần gửi tối đa {_mb(app.config['MAX_CONTENT_LENGTH'])}, mỗi tệp "
                       f"tối đa {_mb(settings.campaign.limits.max_file_bytes)} (giới hạn [limits] của chiến dịch). "
                       "Chọn ít tệp hơn mỗi lần, hoặc chép tệp thẳng vào thư mục hồ sơ.")
        else:
            message = ERRORS.get(exc.code or 500, "Có lỗi.")
        return _message_page(exc.code or 500, message)

    for refusal in STEP_ERRORS:         # a library's refusal (a damaged register…): its own Vietnamese words
        app.register_error_handler(refusal, lambda exc: _message_page(422, str(exc)))

    @app.errorhandler(Exception)
    def crash(exc: Exception):
        app.logger.exception("page failed")     # the trace goes to the console window, never to the page
        return _message_page(500, "Có lỗi khi xử lý yêu cầu. Thử lại; nếu vẫn lỗi, chạy lệnh tương ứng trong "
                                  "cửa sổ dòng lệnh để xem thông báo.")

    _routes(app, settings, live, runner)
    return app


def _message_page(code: int, message: str):
    """The message page; if even that cannot be drawn (a broken template), a bare page in the same words."""
    try:
        return render_template("loi.html", code=code, message=message), code
    except Exception:   # noqa: BLE001 - whatever broke, the answer is still words, not a trace
        from markupsafe import escape
        return (f'<!doctype html><html lang="vi"><meta charset="utf-8"><title>Lỗi</title>'
                f"<h1>Không làm được</h1><p>{escape(message)}</p><p><a href=\"/\">Về trang Tổng quan</a></p></html>",
                code, {"Content-Type": "text/html; charset=utf-8"})


def _mb(size: int) -> str:
    return f"{size / 2**20:.0f} MB" if size >= 2**20 else f"{size / 1024:.0f} KB"


def _local(target: str) -> str:
    """A page of this site to go back to after the login; anything else (another site, "//x") is dropped."""
    if not target.startswith("/") or target.startswith("//") or "\\" in target or any(ord(c) < 32 for c in target):
        return ""
    return target


def _fmt_time(moment: dt.datetime | None) -> str:
    return moment.strftime("%H:%M %d/%m/%Y") if moment else ""


def _routes(app: Flask, settings: Settings, live: board.Live, runner: Runner) -> None:
    campaign = settings.campaign

    def result():
        return live.result(settings.inbox, campaign, settings.register)

    door = app.extensions["thidua_door"]
    drawn: dict[tuple, Markup] = {}

    def drawn_rows(rows: list[board.UnitRow]) -> list[Markup]:
        """The Tổng quan table's rows as HTML: a row is drawn once and kept while it stays the same
        (a thousand units, one file changed: one row drawn). Only this request's rows are kept."""
        nonlocal drawn
        row_template = app.jinja_env.get_template("_dong_tong_quan.html")
        kept, now, html = drawn, {}, []
        for row in rows:
            key = (request.script_root, row, row.last_time.utcoffset() if row.last_time else None)
            now[key] = kept.get(key) or Markup(row_template.render(row=row, fmt_time=_fmt_time))
            html.append(now[key])
        drawn = now
        return html

    @app.route("/dang-nhap", methods=["GET", "POST"])
    def login():
        wrong, client = False, request.remote_addr or "?"
        wait = door.locked_for(client)
        if wait:
            return render_template("dang_nhap.html", locked=int(wait // 60) + 1), 429
        if request.method == "POST":
            typed = request.form.get("password", "").encode("utf-8")   # bytes: a Vietnamese password compares too
            if settings.password and hmac.compare_digest(typed, settings.password.encode("utf-8")):
                door.passed(client)
                session.clear()
                session.update(ok=True, since=app.config["SESSION_CLOCK"](), csrf=secrets.token_urlsafe(32))
                return redirect(_local(request.args.get("tiep", "")) or url_for("overview"))
            count = door.failed(client)
            if count >= SLOW_AFTER:    # slowed: each further wrong guess waits
                time.sleep(SLOW_SECONDS)
            if count >= LOCK_AFTER:
                return render_template("dang_nhap.html", locked=LOCK_SECONDS // 60), 429
            wrong = True
        return render_template("dang_nhap.html", wrong=wrong), 401 if wrong else 200

    @app.get("/dang-xuat")
    def logout():
        session.clear()
        return redirect(url_for("login") if settings.password else url_for("overview"))

    @app.get("/")
    def overview():
        now = result()
        totals, outputs = board.totals(now), board.outputs(settings.out, now)
        return render_template("tong_quan.html", rows=drawn_rows(board.unit_rows(now)), totals=totals,
                               days_left=board.days_left(campaign), outputs=outputs,
                               running=runner.state.running,
                               strip=year_steps(settings, settings.register_file, totals, outputs))

    @app.route("/nhan", methods=["GET", "POST"])
    def upload():
        uploads = []
        if request.method == "POST":
            files = [f for f in request.files.getlist("tep") if f and f.filename]
            if inbox_missing(settings.inbox):     # never re-create a renamed or disconnected inbox
                return render_template("nhan.html", uploads=[], empty=False, suffixes=UPLOAD_SUFFIXES), 409
            if not files:
                return render_template("nhan.html", uploads=[], empty=True, suffixes=UPLOAD_SUFFIXES), 400
            uploads = [receive_file(f, settings.inbox, campaign) for f in files]
        return render_template("nhan.html", uploads=uploads, empty=False, suffixes=UPLOAD_SUFFIXES,
                               reasons=REASON_WORDS), 200 if all(not u.refused for u in uploads) else 422

    @app.get("/don-vi/<unit_id>")
    def unit(unit_id: str):
        now = result()
        found = board.unit_of(now, unit_id)
        if found is None:
            abort(404)
        letter = settings.out / FEEDBACK_DIR / f"{unit_id}.docx"
        row = next(r for r in board.unit_rows(now) if r.id == unit_id)
        return render_template("don_vi.html", unit=found, row=row, words=board.STATUS[found.status],
                               files=found.files, nominations=board.unit_nominations(now, unit_id),
                               findings=board.unit_findings(now, found), reasons=REASON_WORDS,
                               letter=f"{FEEDBACK_DIR}/{unit_id}.docx" if letter.is_file() else None,
                               file_words=board.file_words, inbox_path=inbox_file_of)

    @app.get("/tong-hop")
    def summary():
        now = result()
        state = runner.state if runner.state.kind == BATCH else RunState()
        files = [f for f in board.output_files(settings.out, campaign) if f.rel.split("/", 1)[0] not in YEAR_DIRS]
        return render_template("tong_hop.html", state=state, busy=runner.state.running, files=files,
                               outputs=board.outputs(settings.out, now))

    @app.post("/tong-hop/chay")
    def start():
        started = runner.start(settings.inbox, settings.out, campaign, settings.register)
        return redirect(url_for("summary", busy=None if started else 1))

    @app.get("/tong-hop/tien-do")
    def progress():
        return jsonify(runner.state.to_dict())

    @app.get("/mau")
    def templates():
        return render_template("mau.html", units=list(campaign.roster), quota_text=quota_text)

    @app.get("/mau/<unit_id>.xlsx")
    def template_file(unit_id: str):
        unit = None if unit_id == "trang" else campaign.roster.get(unit_id)
        if unit_id != "trang" and unit is None:
            abort(404)
        buffer = io.BytesIO()
        build_workbook(campaign, unit).save(buffer)
        buffer.seek(0)
        return send_file(buffer, mimetype=XLSX, as_attachment=True, download_name=template_filename(unit))

    @app.get("/tai/ho-so/<path:rel>")
    def inbox_file(rel: str):
        return _download(settings.inbox, rel)

    @app.get("/tai/ket-qua/<path:rel>")
    def out_file(rel: str):
        return _download(settings.out, rel)

    @app.get("/tai/ket-qua.zip")
    def out_zip():
        # The batch's outputs only (the year's folders have their own pages), never a link out of OUT.
        return zip_of(settings.out, settings.out, "ket-qua.zip", skip=YEAR_DIRS)

    year_routes(app, settings, runner, settings.register_file)


def _download(root: Path, rel: str):
    path = inside(root, rel)
    if path is None:
        abort(404)
    # Always a download, never shown in the page: nothing uploaded is ever served back as HTML.
    return send_file(path, as_attachment=True, download_name=path.name, mimetype="application/octet-stream",
                     max_age=0)

