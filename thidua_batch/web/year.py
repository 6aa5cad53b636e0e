"""The whole year from the page (web.md, "The whole year from the page"): Thư điện tử, Sổ khen
thưởng, In Bằng khen, Hội nghị, and the strip of the year's steps on Tổng quan. Every action calls
an adapter of steps.py; sending, recording and removing always pass through a confirmation page.
A typed mail password is read from the one request that uses it and handed to the work's closure:
never put in the session, the state, a page, a log or a file."""
from __future__ import annotations

import io
import secrets
import shutil
import tempfile
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path

from flask import Flask, abort, redirect, render_template, request, send_file, url_for

from ..certificates import CALIBRATION_FILE, CERTIFICATES_FILE, FLAG_LIST_FILE, RECEIPT_FILE
from ..common.atomic import OutputBlocked, write_bytes
from ..conference.config import EXAMPLE_FILE, ConferenceError, parse_conference
from ..conference.delegates import DELEGATES_FILE
from ..documents.drafts import DECISION_FILE
from ..documents.outputs import REPORT
from ..intake.safety import inspect_workbook_bytes
from ..mail.send import drafts_in
from ..model.results import COLLECTIVE, INDIVIDUAL
from . import steps
from .folders import inside, listing, safe_upload_name
from .jobs import JobFailed, RunState, Runner

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SECURITY_WORDS = {"tls": "TLS (Gmail, Outlook)", "starttls": "STARTTLS", "plain": "Không mã hóa (chỉ máy thử trên máy này)"}


@dataclass(frozen=True)
class Step:
    name: str
    state: str          # "xong", "dang" (under way) or "chua" (not yet)
    words: str
    link: str


def _state_of(runner: Runner, kind: str) -> RunState | None:
    return runner.state if runner.state.kind == kind and runner.state.started else None


def year_routes(app: Flask, settings, runner: Runner, register: Path) -> None:
    campaign, out, inbox = settings.campaign, settings.out, settings.inbox
    uploads = Path(tempfile.mkdtemp(prefix="thidua-trang-"))   # import lists between preview and confirmation

    def busy_page(back: str):
        return render_template("loi.html", code=409, message="Đang có một việc khác chạy (tổng hợp, tải hay gửi "
                               "thư, in, hội nghị): chờ xong rồi làm lại.", back=back), 409

    def problem(template: str, message: str, code: int = 422, **extra):
        return render_template(template, error=message, **page_data(template), **extra), code

    def page_data(template: str) -> dict:
        return {"thu.html": mail_data, "so.html": register_data, "in.html": print_data,
                "hoi_nghi.html": conference_data}[template]()

    # ---------------------------------------------------------------- Thư điện tử
    def mail_data() -> dict:
        sets = {key: {"words": words, "folder": folder, "drafts": steps.drafts(out / folder),
                      "sent": steps.sent_log(out / folder), "before": steps.sent_before(out / folder)}
                for key, (folder, words) in steps.DRAFT_SETS.items()}
        return {"sets": sets, "fetch": _state_of(runner, "thu-tai"), "sending": _state_of(runner, "thu-gui"),
                "state": runner.state, "built": (out / REPORT).is_file(), "security_words": SECURITY_WORDS,
                "default_user": campaign.contact_email}

    @app.get("/thu")
    def mail():
        return render_template("thu.html", **mail_data())

    @app.post("/thu/tai")
    def mail_fetch():
        server_text, user = request.form.get("may_chu", "").strip(), request.form.get("dia_chi", "").strip()
        password = request.form.get("mat_khau", "")
        if not server_text or not user or not password:
            return problem("thu.html", "Cần điền máy chủ IMAP, địa chỉ hộp thư và mật khẩu ứng dụng.", 400)
        try:
            server = steps.mail_server(server_text, request.form.get("bao_mat", "tls"), incoming=True)
        except steps.STEP_ERRORS as exc:
            return problem("thu.html", str(exc), 400)

        def work(progress):
            try:
                return steps.fetch_mail(server, user, password, inbox, campaign, progress)
            except steps.STEP_ERRORS as exc:
                raise JobFailed(str(exc)) from None
        if not runner.start_work("thu-tai", work, campaign.tz):
            return busy_page(url_for("mail"))
        return redirect(url_for("mail") + "#tai")

    def draft_set(key: str) -> tuple[Path, str]:
        if key not in steps.DRAFT_SETS:
            abort(404)
        folder, words = steps.DRAFT_SETS[key]
        return out / folder, words

    @app.post("/thu/<bo>/soan")
    def mail_draft(bo: str):
        draft_set(bo)
        if runner.state.running:          # never change what a running piece of work reads or writes
            return busy_page(url_for("mail"))
        try:
            report = steps.draft_replies(out, campaign, again=request.form.get("soan_lai") == "co") \
                if bo == "tra-loi" else steps.draft_unit_mails(out, campaign)
        except steps.STEP_ERRORS as exc:
            return problem("thu.html", str(exc))
        return render_template("thu.html", drafted=(bo, report), **mail_data())

    def chosen(folder: Path) -> list[str]:
        left_out = set(request.form.getlist("bo_qua"))
        offered = set(request.form.getlist("thu"))
        return [p.name for p in drafts_in(folder) if p.name in offered and p.name not in left_out]

    @app.post("/thu/<bo>/xem")
    def mail_confirm(bo: str):
        folder, words = draft_set(bo)
        names = chosen(folder)
        if not names:
            return problem("thu.html", "Chưa chọn thư nào để gửi (mọi thư đều được đánh dấu bỏ qua).", 400)
        plan = steps.plan_sending(folder, names)
        return render_template("thu_xac_nhan.html", bo=bo, words=words, plan=plan, names=names,
                               before=steps.sent_before(folder),
                               views={v.name: v for v in steps.drafts(folder)}, security_words=SECURITY_WORDS,
                               default_user=campaign.contact_email)

    @app.post("/thu/<bo>/gui")
    def mail_send(bo: str):
        folder, _words = draft_set(bo)
        names = [n for n in request.form.getlist("chon") if n in {p.name for p in drafts_in(folder)}]
        server_text, user = request.form.get("may_chu", "").strip(), request.form.get("dia_chi", "").strip()
        password = request.form.get("mat_khau", "")
        if request.form.get("xac_nhan") != "co" or not names:
            return problem("thu.html", "Chưa xác nhận gửi: không gửi thư nào.", 400)
        if not server_text or not user or not password:
            return problem("thu.html", "Cần điền máy chủ SMTP, địa chỉ hộp thư và mật khẩu ứng dụng để gửi; "
                                       "chưa gửi thư nào.", 400)
        try:
            server = steps.mail_server(server_text, request.form.get("bao_mat", "tls"), incoming=False)
        except steps.STEP_ERRORS as exc:
            return problem("thu.html", str(exc), 400)

        def work(progress):
            progress(0, len(names))       # while connecting; then one step per draft settled
            try:
                report = steps.send_mail(folder, server, user, password, names, progress)
            except steps.STEP_ERRORS as exc:
                raise JobFailed(str(exc)) from None
            return bo, report
        if not runner.start_work("thu-gui", work, campaign.tz):
            return busy_page(url_for("mail"))
        return redirect(url_for("mail") + "#gui")

    # ---------------------------------------------------------------- Sổ khen thưởng
    def register_data() -> dict:
        args = request.args
        year_text = args.get("nam", "").strip()
        year = int(year_text) if year_text.isdigit() else None
        searched = any(args.get(k) for k in ("ten", "don_vi", "nam"))
        found, error = [], ""
        if searched:
            try:
                found = steps.search(register, args.get("ten", "").strip(), args.get("don_vi", ""), year)
            except steps.STEP_ERRORS as exc:
                error = str(exc)
        try:
            recorded = steps.decisions(register)
        except steps.STEP_ERRORS as exc:
            recorded, error = [], str(exc)
        return {"recorded": recorded, "found": found, "searched": searched, "built": (out / REPORT).is_file(),
                "register_path": register, "units": list(campaign.roster), "search_error": error,
                "collective": COLLECTIVE, "individual": INDIVIDUAL}

    @app.get("/so")
    def book():
        return render_template("so.html", **register_data())

    @app.post("/so/ghi/xem")
    def record_confirm():
        number, date_text = request.form.get("so", "").strip(), request.form.get("ngay", "").strip()
        try:
            decision = steps.run_decision(out, number, date_text, campaign)
        except steps.STEP_ERRORS as exc:
            return problem("so.html", str(exc))
        return render_template("so_xac_nhan.html", decision=decision, action=url_for("record_run"),
                               fields={"so": number, "ngay": date_text}, what="Ghi vào sổ quyết định đã ký",
                               source=f"dự thảo của lần tổng hợp trong {out}")

    @app.post("/so/ghi")
    def record_run():
        if request.form.get("xac_nhan") != "co":
            return problem("so.html", "Chưa xác nhận: sổ không thay đổi.", 400)
        try:
            done, decision = steps.record_signed(register, out, request.form.get("so", ""),
                                                 request.form.get("ngay", ""), campaign)
        except steps.STEP_ERRORS as exc:
            return problem("so.html", str(exc))
        return render_template("so.html", done=(done, decision), **register_data())

    @app.post("/so/nhap/xem")
    def import_confirm():
        sent = request.files.get("tep")
        if sent is None or not sent.filename:
            return problem("so.html", "Chưa chọn tệp danh sách (.xlsx) để nhập.", 400)
        data = sent.read(campaign.limits.max_file_bytes + 1)
        refusal = inspect_workbook_bytes(data, Path(sent.filename).suffix.lower() or ".xlsx", campaign.limits) \
            if len(data) <= campaign.limits.max_file_bytes else None
        if len(data) > campaign.limits.max_file_bytes or refusal is not None:
            return problem("so.html", f"Không nhận tệp “{sent.filename}”: "
                           + (refusal.message if refusal else "tệp quá giới hạn một tệp của chiến dịch."))
        _forget_old(uploads)
        token = secrets.token_hex(12)
        path = uploads / token / (safe_upload_name(sent.filename) or "danh-sach.xlsx")   # its name goes in the source
        path.parent.mkdir()
        path.write_bytes(data)
        form = {k: request.form.get(k, "").strip() for k in ("so", "ngay", "hinh_thuc", "nam")}
        try:
            decision = steps.list_decision(path, form["so"], form["ngay"], form["hinh_thuc"],
                                           int(form["nam"]) if form["nam"].isdigit() else None, campaign)
        except steps.STEP_ERRORS as exc:
            return problem("so.html", f"Tệp “{sent.filename}”: {exc}")
        return render_template("so_xac_nhan.html", decision=decision, action=url_for("import_list"),
                               fields={**form, "tep": token, "ten": sent.filename},
                               what="Nhập vào sổ quyết định ban hành ngoài công cụ", source=f"tệp “{sent.filename}”")

    @app.post("/so/nhap")
    def import_list():
        token = request.form.get("tep", "")
        found = sorted((uploads / token).glob("*")) if token.isalnum() else []
        path = found[0] if found else uploads / "-"
        if not path.is_file():
            return problem("so.html", "Tệp danh sách đã hết hạn: chọn lại tệp rồi nhập lại.", 400)
        if request.form.get("xac_nhan") != "co":
            return problem("so.html", "Chưa xác nhận: sổ không thay đổi.", 400)
        form = {k: request.form.get(k, "").strip() for k in ("so", "ngay", "hinh_thuc", "nam")}
        try:
            decision = steps.list_decision(path, form["so"], form["ngay"], form["hinh_thuc"],
                                           int(form["nam"]) if form["nam"].isdigit() else None, campaign)
            done = steps.record(register, decision)
        except steps.STEP_ERRORS as exc:
            return problem("so.html", str(exc))
        finally:
            path.unlink(missing_ok=True)
            path.parent.rmdir()
        return render_template("so.html", done=(done, decision), **register_data())

    @app.get("/so/xoa")
    def remove_confirm():
        number = request.args.get("so", "")
        try:
            found = steps.decision(register, number)
        except steps.STEP_ERRORS as exc:
            return problem("so.html", str(exc))
        if found is None:
            abort(404)
        return render_template("so_xac_nhan.html", decision=found, action=url_for("remove_decision"),
                               fields={"so": number}, what="Xóa khỏi sổ quyết định ghi nhầm", source="sổ khen thưởng",
                               removing=True)

    @app.post("/so/xoa")
    def remove_decision():
        if request.form.get("xac_nhan") != "co":
            return problem("so.html", "Chưa xác nhận: sổ không thay đổi.", 400)
        try:
            decision = steps.remove(register, request.form.get("so", ""))
        except steps.STEP_ERRORS as exc:
            return problem("so.html", str(exc))
        return render_template("so.html", removed=decision, **register_data())

    @app.get("/so/so_khen_thuong.xlsx")
    def export_book():
        if not register.is_file():
            return problem("so.html", "Sổ khen thưởng chưa có quyết định nào: chưa có gì để xuất.", 404)
        with tempfile.TemporaryDirectory(prefix="thidua-xuat-") as folder:
            path = steps.export_register(register, Path(folder) / "so_khen_thuong.xlsx")
            data = path.read_bytes()
        return send_file(io.BytesIO(data), mimetype=XLSX, as_attachment=True, download_name="so_khen_thuong.xlsx")

    # ---------------------------------------------------------------- In Bằng khen
    def print_data() -> dict:
        try:
            recorded = steps.decisions(register)
        except steps.STEP_ERRORS:
            recorded = []
        printed = {}
        for d in recorded:
            folder = steps.print_dir(out, d.number)
            names = [n for n in (CERTIFICATES_FILE, FLAG_LIST_FILE, RECEIPT_FILE, CALIBRATION_FILE)
                     if (folder / n).is_file()]
            printed[d.number] = [(folder / n).relative_to(out).as_posix() for n in names]
        layout = steps.layout_file(out)
        return {"recorded": recorded, "printed": printed, "job": _state_of(runner, "in"), "state": runner.state,
                "layout": layout.relative_to(out).as_posix() if layout else None}

    @app.get("/in")
    def printing():
        return render_template("in.html", **print_data())

    @app.post("/in/xem")
    def print_confirm():
        number = request.form.get("so", "")
        try:
            found = steps.decision(register, number)
        except steps.STEP_ERRORS as exc:
            return problem("in.html", str(exc))
        if found is None:
            return problem("in.html", "Chọn một quyết định đã ghi trong sổ.", 400)
        return render_template("so_xac_nhan.html", decision=found, action=url_for("print_start"),
                               fields={"so": number}, what="Ghi tệp in Bằng khen", source="sổ khen thưởng",
                               printing=True)

    @app.post("/in/ghi")
    def print_start():
        number = request.form.get("so", "")
        if request.form.get("xac_nhan") != "co":
            return problem("in.html", "Chưa xác nhận: chưa ghi gì.", 400)

        def certificates():
            paths = steps.print_certificates(register, number, out, campaign)
            return number, [p.relative_to(out).as_posix() for p in paths]
        if not runner.start_work("in", _one_step(certificates), campaign.tz):
            return busy_page(url_for("printing"))
        return redirect(url_for("printing"))

    @app.post("/in/bo-cuc")
    def layout_upload():
        if runner.state.running:          # never change what a running piece of work reads or writes
            return busy_page(url_for("printing"))
        sent = request.files.get("tep")
        if sent is None or not sent.filename:
            return problem("in.html", "Chưa chọn tệp bố cục (.toml).", 400)
        data = sent.read(256 * 1024 + 1)
        if len(data) > 256 * 1024 or not sent.filename.lower().endswith(".toml"):
            return problem("in.html", f"Tệp “{sent.filename}” không phải tệp bố cục .toml (tối đa 256 KB).", 400)
        with tempfile.TemporaryDirectory(prefix="thidua-bo-cuc-") as folder:
            trial = Path(folder) / sent.filename.replace("/", "_").replace("\\", "_")
            trial.write_bytes(data)
            try:
                steps.check_layout(trial)
            except steps.STEP_ERRORS as exc:
                return problem("in.html", str(exc).replace(str(trial), sent.filename))
        try:
            write_bytes(out / steps.PRINT_DIR / steps.LAYOUT_FILE, data)
        except (OSError, OutputBlocked) as exc:
            return problem("in.html", _not_replaced(steps.LAYOUT_FILE, exc))
        return render_template("in.html", layout_saved=sent.filename, **print_data())

    @app.get("/in/bo-cuc-mac-dinh.toml")
    def default_layout():
        from importlib import resources
        data = resources.files("thidua_batch").joinpath("certificates/data/bang_khen_a3.toml").read_bytes()
        return send_file(io.BytesIO(data), mimetype="application/octet-stream", as_attachment=True,
                         download_name="bang_khen_a3.toml")

    # ---------------------------------------------------------------- Hội nghị
    def conference_data() -> dict:
        config, delegates = steps.conference_files(out)
        papers = steps.conference_dir(out) / steps.PAPERS_DIR
        return {"config": config.relative_to(out).as_posix() if config.is_file() else None,
                "delegates": delegates.relative_to(out).as_posix() if delegates.is_file() else None,
                "papers": [(papers / rel).relative_to(out).as_posix() for rel in listing(papers)],
                "job": _state_of(runner, "hoi-nghi"), "state": runner.state}

    @app.get("/hoi-nghi")
    def conference():
        return render_template("hoi_nghi.html", **conference_data())

    @app.post("/hoi-nghi/mau")
    def conference_start():
        if runner.state.running:          # never change what a running piece of work reads or writes
            return busy_page(url_for("conference"))
        config, delegates = steps.conference_files(out)
        if config.is_file() or delegates.is_file():
            return problem("hoi_nghi.html", "Đã có tệp hội nghị: không ghi đè. Tải về, sửa rồi gửi lên lại.", 409)
        steps.conference_template(out, campaign)
        return redirect(url_for("conference"))

    @app.post("/hoi-nghi/tai-len")
    def conference_upload():
        if runner.state.running:          # never change what a running piece of work reads or writes
            return busy_page(url_for("conference"))
        sent = [f for f in request.files.getlist("tep") if f and f.filename]
        if not sent:
            return problem("hoi_nghi.html", "Chưa chọn tệp nào.", 400)
        config, delegates = steps.conference_files(out)
        placed = []
        for f in sent:
            data = f.read(campaign.limits.max_file_bytes + 1)
            name = f.filename.rsplit("/", 1)[-1].rsplit("\\", 1)[-1]
            if len(data) > campaign.limits.max_file_bytes:
                return problem("hoi_nghi.html", f"Tệp “{name}” quá giới hạn một tệp của chiến dịch.")
            if name.lower().endswith(".toml"):
                try:
                    parse_conference(data.decode("utf-8"), name, campaign)
                except UnicodeDecodeError:
                    return problem("hoi_nghi.html", f"Tệp hội nghị “{name}” không lưu dạng UTF-8: mở bằng Notepad, "
                                                    "chọn Lưu thành… với mã hóa UTF-8.")
                except ConferenceError as exc:
                    return problem("hoi_nghi.html", f"Không nhận tệp hội nghị: {exc}")
                try:
                    write_bytes(config, data)
                except (OSError, OutputBlocked) as exc:
                    return problem("hoi_nghi.html", _not_replaced(EXAMPLE_FILE, exc))
                placed.append((name, EXAMPLE_FILE))
            elif name.lower().endswith(".xlsx"):
                refusal = inspect_workbook_bytes(data, ".xlsx", campaign.limits)
                if refusal is not None:
                    return problem("hoi_nghi.html", f"Không nhận danh sách đại biểu “{name}”: {refusal.message}")
                try:
                    write_bytes(delegates, data)
                except (OSError, OutputBlocked) as exc:
                    return problem("hoi_nghi.html", _not_replaced(DELEGATES_FILE, exc))
                placed.append((name, DELEGATES_FILE))
            else:
                return problem("hoi_nghi.html", f"Không nhận tệp “{name}”: chỉ nhận tệp hội nghị (.toml) và danh "
                                                "sách đại biểu (.xlsx).", 400)
        return render_template("hoi_nghi.html", placed=placed, **conference_data())

    @app.post("/hoi-nghi/ghi")
    def conference_build():
        config, delegates = steps.conference_files(out)
        if not config.is_file() or not delegates.is_file():
            return problem("hoi_nghi.html", "Chưa có tệp hội nghị và danh sách đại biểu: ghi tệp mẫu trước.", 409)

        papers = _one_step(lambda: steps.build_papers(out, inbox, register, campaign))
        if not runner.start_work("hoi-nghi", papers, campaign.tz):
            return busy_page(url_for("conference"))
        return redirect(url_for("conference"))

    @app.get("/hoi-nghi/van-ban.zip")
    def papers_zip():
        folder = steps.conference_dir(out) / steps.PAPERS_DIR
        return zip_of(out, folder, "van-ban-hoi-nghi.zip")


def _one_step(call):
    """A piece of work of one step for the runner: the library's refusal becomes the job's message."""
    def work(progress):
        progress(0, 1)
        try:
            result = call()
        except steps.STEP_ERRORS as exc:
            raise JobFailed(str(exc)) from None
        progress(1, 1)
        return result
    return work


def _not_replaced(name: str, exc: Exception) -> str:
    if isinstance(exc, OutputBlocked):   # already says which file and what to do, in Vietnamese
        return str(exc)
    return (f"Không thay được tệp {name} ({getattr(exc, 'strerror', None) or exc}): có thể tệp đang mở trong Excel "
            "hay Notepad. Đóng tệp rồi gửi lên lại; tệp cũ vẫn giữ nguyên.")


def _forget_old(uploads: Path, hours: float = 12) -> None:
    """Import lists never confirmed are dropped after a while (they are copies; the officer keeps the file)."""
    for folder in uploads.iterdir():
        try:
            if time.time() - folder.stat().st_mtime > hours * 3600:
                shutil.rmtree(folder, ignore_errors=True)
        except OSError:
            continue


def zip_of(root: Path, folder: Path, name: str, skip: tuple[str, ...] = ()):
    """Every file under FOLDER that is really inside ROOT (a link out of it is left out), as a zip;
    SKIP: top folders of FOLDER left out."""
    files = [rel for rel in listing(folder) if rel.parts[0] not in skip
             and inside(root, (folder / rel).relative_to(root).as_posix())]
    if not files:
        abort(404)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for rel in files:
            archive.write(folder / rel, rel.as_posix())
    buffer.seek(0)
    return send_file(buffer, mimetype="application/zip", as_attachment=True, download_name=name)


# -------------------------------------------------------------------- the strip on Tổng quan

def year_steps(settings, register: Path, totals, outputs) -> list[Step]:
    """Where the campaign stands on each step of the year, read from the folders and the register."""
    out, campaign = settings.out, settings.campaign
    strip = []
    sent, units = totals["sent"], totals["units"]
    strip.append(Step("Nhận hồ sơ", "xong" if sent == units else "dang" if sent else "chua",
                      f"{sent}/{units} đơn vị đã gửi", "upload"))
    if not outputs.built:
        strip.append(Step("Tổng hợp", "chua", "chưa tổng hợp", "summary"))
    else:
        strip.append(Step("Tổng hợp", "dang" if outputs.stale else "xong",
                          f"lúc {outputs.built:%H:%M %d/%m/%Y}" + (", hộp hồ sơ đã đổi sau đó" if outputs.stale else ""),
                          "summary"))
    replies = out / steps.REPLIES_DIR
    waiting, done = len(drafts_in(replies)) if replies.is_dir() else 0, len(steps.sent_log(replies))
    strip.append(Step("Trả lời đơn vị", "xong" if done and not waiting else "dang" if waiting or done else "chua",
                      f"đã gửi {done} thư" + (f", còn {waiting} thư nháp" if waiting else "") if waiting or done
                      else "chưa soạn thư trả lời", "mail"))
    try:
        ours = [d for d in steps.decisions(register) if d.campaign_id == campaign.id and d.source.startswith("run:")]
    except steps.STEP_ERRORS:
        ours = []
    drafted = (out / DECISION_FILE).is_file()
    strip.append(Step("Trình ký", "xong" if ours else "dang" if drafted else "chua",
                      "đã ký" if ours else "dự thảo quyết định sẵn sàng trình ký" if drafted else "chưa có dự thảo",
                      "summary"))
    strip.append(Step("Vào sổ", "xong" if ours else "chua",
                      "; ".join(f"Quyết định số {d.number} ngày {d.date:%d/%m/%Y}" for d in ours) or "chưa ghi vào sổ",
                      "book"))
    printed = [d for d in ours if any((steps.print_dir(out, d.number) / n).is_file()
                                      for n in (CERTIFICATES_FILE, FLAG_LIST_FILE))]
    strip.append(Step("In bằng", "xong" if ours and len(printed) == len(ours) else "dang" if printed else "chua",
                      f"đã ghi tệp in {len(printed)}/{len(ours)} quyết định" if ours else "chưa có quyết định trong sổ",
                      "printing"))
    papers = listing(steps.conference_dir(out) / steps.PAPERS_DIR)
    has_config = steps.conference_files(out)[0].is_file()
    strip.append(Step("Hội nghị", "xong" if papers else "dang" if has_config else "chua",
                      f"đã ghi {len(papers)} văn bản" if papers else "đã có tệp hội nghị" if has_config
                      else "chưa chuẩn bị", "conference"))
    return strip
