"""The year's pages' rules that need no browser (web.md: login, downloads, "The whole year from the
page"), through Flask's test client with real folders, a real SQLite register and, where mail is
involved, the real test servers on 127.0.0.1."""
from __future__ import annotations

import datetime as dt
import io
import logging
import os
import threading
import time
import zipfile
from pathlib import Path

import pytest
from mail_servers import PASSWORD, USER, ImapServer, SmtpServer

from thidua_batch.batch import run_batch
from thidua_batch.config.campaign import default_campaign_text, load_campaign
from thidua_batch.documents.outputs import write_outputs
from thidua_batch.mail import messages
from thidua_batch.mail.connection import parse_server
from thidua_batch.mail.send import drafts_in, send_drafts
from thidua_batch.register.store import open_register
from thidua_batch.web import app as web_app
from thidua_batch.web.app import Settings, create_app
from thidua_batch.web.folders import safe_upload_name, save_new

SAMPLES = Path(__file__).resolve().parent.parent / "samples" / "inbox"
CAMPAIGN = load_campaign()
NUMBER = "123/QĐ-LĐLĐ"


@pytest.fixture
def folders(tmp_path):
    inbox, out = tmp_path / "hộp thư", tmp_path / "kết quả"
    inbox.mkdir()
    out.mkdir()
    return inbox, out, tmp_path / "sổ.sqlite"


def make_app(folders, password=None):
    inbox, out, register = folders
    app = create_app(Settings(inbox, out, CAMPAIGN, register=register, password=password))
    app.testing = False          # errors go through the page's own handlers, as in use
    return app


def token(c, path="/so") -> str:
    page = c.get(path).get_data(as_text=True)
    return page.split('name="csrf" value="', 1)[1].split('"', 1)[0]


@pytest.fixture(scope="module")
def run_out(tmp_path_factory):
    """The samples run once, its outputs written (what Tổng hợp leaves in OUT)."""
    out = tmp_path_factory.mktemp("ket-qua")
    write_outputs(run_batch(SAMPLES, CAMPAIGN), out)
    return out


def wait_idle(app, seconds=60):
    runner = app.extensions["thidua"][2]
    end = time.monotonic() + seconds
    while runner.state.running and time.monotonic() < end:
        time.sleep(0.05)
    assert not runner.state.running


# ------------------------------------------------------------------------------------------ login

def login(c, password, client="10.0.0.5"):
    page = c.get("/dang-nhap", environ_base={"REMOTE_ADDR": client}).get_data(as_text=True)
    if 'name="csrf"' in page:          # a locked page shows no form: the token of the session stays valid
        c.csrf = page.split('name="csrf" value="', 1)[1].split('"', 1)[0]
    return c.post("/dang-nhap", data={"csrf": c.csrf, "password": password}, environ_base={"REMOTE_ADDR": client})


def test_failed_logins_are_slowed_then_locked_per_client_and_unlocked_later(folders, monkeypatch):
    monkeypatch.setattr(web_app, "SLOW_SECONDS", 0.4)
    app = make_app(folders, password="mật khẩu đúng")
    door = app.extensions["thidua_door"]
    now = [1000.0]
    door.clock = lambda: now[0]
    c = app.test_client()
    took = []
    for attempt in range(1, web_app.LOCK_AFTER + 1):
        started = time.monotonic()
        answer = login(c, f"sai {attempt}")
        took.append(time.monotonic() - started)
        assert answer.status_code == (429 if attempt == web_app.LOCK_AFTER else 401), attempt
    assert all(t < 0.3 for t in took[:web_app.SLOW_AFTER - 1])                # the first guesses answer at once
    assert all(t >= 0.4 for t in took[web_app.SLOW_AFTER - 1:])               # then each waits
    locked = login(c, "mật khẩu đúng")                                         # even the right one, while locked
    assert locked.status_code == 429 and "tạm khóa đăng nhập" in locked.get_data(as_text=True)
    assert "Traceback" not in locked.get_data(as_text=True)
    other = app.test_client()                                                  # another computer is not locked
    assert login(other, "mật khẩu đúng", client="10.0.0.6").status_code == 302
    now[0] += web_app.LOCK_SECONDS + 1
    assert login(c, "mật khẩu đúng").status_code == 302                       # the lock is for a while only
    assert c.get("/", environ_base={"REMOTE_ADDR": "10.0.0.5"}).status_code == 200


def test_logout_and_a_session_lasts_a_working_day(folders):
    app = make_app(folders, password="mk")
    now = [50_000.0]
    app.config["SESSION_CLOCK"] = lambda: now[0]
    c = app.test_client()
    assert login(c, "mk").status_code == 302
    page = c.get("/").get_data(as_text=True)
    assert "Đăng xuất" in page
    now[0] += web_app.SESSION_SECONDS - 60
    assert c.get("/so").status_code == 200
    now[0] += 120                                                              # a working day has passed
    expired = c.get("/so")
    assert expired.status_code == 302 and "/dang-nhap" in expired.headers["Location"]
    assert login(c, "mk").status_code == 302 and c.get("/").status_code == 200
    out = c.get("/dang-xuat")
    assert out.status_code == 302 and out.headers["Location"].endswith("/dang-nhap")
    assert c.get("/").status_code == 302                                       # logged out


# ------------------------------------------------------------------------------------------ register

def test_record_import_and_remove_each_need_their_confirmation(folders, run_out):
    import shutil
    inbox, out, register = folders
    shutil.copytree(run_out, out, dirs_exist_ok=True)
    c = make_app(folders).test_client()
    csrf = token(c)
    preview = c.post("/so/ghi/xem", data={"csrf": csrf, "so": NUMBER, "ngay": "28/12/2020"})
    assert preview.status_code == 200 and "Xác nhận ghi vào sổ" in preview.get_data(as_text=True)
    assert not register.exists()                                               # the preview records nothing
    unconfirmed = c.post("/so/ghi", data={"csrf": csrf, "so": NUMBER, "ngay": "28/12/2020"})
    assert unconfirmed.status_code == 400 and not register.exists()
    done = c.post("/so/ghi", data={"csrf": csrf, "so": NUMBER, "ngay": "28/12/2020", "xac_nhan": "co"})
    assert done.status_code == 200 and "Đã ghi vào sổ" in done.get_data(as_text=True)
    again = c.post("/so/ghi", data={"csrf": csrf, "so": NUMBER, "ngay": "28/12/2020", "xac_nhan": "co"})
    assert "đã có trong sổ, giống hệt: không ghi lại" in again.get_data(as_text=True)
    bad_date = c.post("/so/ghi/xem", data={"csrf": csrf, "so": NUMBER, "ngay": "31/02/2020"})
    assert bad_date.status_code == 422 and "Ngày quyết định “31/02/2020” không hợp lệ" in bad_date.get_data(as_text=True)
    confirm = c.get("/so/xoa", query_string={"so": NUMBER})
    assert confirm.status_code == 200 and "Xác nhận xóa" in confirm.get_data(as_text=True)
    assert c.post("/so/xoa", data={"csrf": csrf, "so": NUMBER}).status_code == 400
    with open_register(register, create=False) as book:
        assert book.decision(NUMBER) is not None                                # not removed without a yes
    removed = c.post("/so/xoa", data={"csrf": csrf, "so": NUMBER, "xac_nhan": "co"})
    assert "Đã xóa khỏi sổ Quyết định số 123/QĐ-LĐLĐ" in removed.get_data(as_text=True)
    with open_register(register, create=False) as book:
        assert book.decisions() == []
    assert c.get("/so/xoa", query_string={"so": NUMBER}).status_code == 404


def test_recording_without_a_run_says_so_in_words(folders):
    c = make_app(folders).test_client()
    answer = c.post("/so/ghi/xem", data={"csrf": token(c), "so": NUMBER, "ngay": "28/12/2020"})
    body = answer.get_data(as_text=True)
    assert answer.status_code == 422 and "report.json" in body and "Traceback" not in body
    assert not folders[2].exists()


# ------------------------------------------------------------------------------------------ mail

def test_a_wrong_mail_password_is_a_message_and_the_typed_password_is_kept_nowhere(folders, tmp_path, caplog):
    caplog.set_level(logging.DEBUG, logger="thidua_batch")
    imap = ImapServer.start(tmp_path)
    try:
        app = make_app(folders)
        c = app.test_client()
        typed = "mật-khẩu-gõ-sai 9137"
        started = c.post("/thu/tai", data={"csrf": token(c, "/thu"), "may_chu": imap.address, "dia_chi": USER,
                                           "mat_khau": typed, "bao_mat": "plain"})
        assert started.status_code == 302
        wait_idle(app)
        page = c.get("/thu").get_data(as_text=True)
        assert "đăng nhập" in page.lower() and "Traceback" not in page
        assert typed not in page and typed not in caplog.text
        runner = app.extensions["thidua"][2]
        assert typed not in repr(runner.state.__dict__)
        assert list(folders[0].iterdir()) == []                               # nothing written
        for path in tmp_path.rglob("*"):
            if path.is_file():
                assert typed.encode() not in path.read_bytes(), path
    finally:
        imap.stop()


def test_sending_needs_its_confirmation_and_one_piece_of_work_at_a_time(folders, tmp_path):
    inbox, out, register = folders
    folder = out / "thu-tra-loi"
    draft = messages.Draft(("a@example.com",), "Thư thử", "Nội dung.\n", ())
    messages.write(messages.build(draft, "Ban <luonghaldld@gmail.com>", dt.datetime(2020, 12, 21, 9)),
                   folder / "tam-duong.eml")
    (folder / "da_gui").mkdir()
    (folder / "da_gui" / "tam-duong.eml").write_bytes((folder / "tam-duong.eml").read_bytes())
    (folder / "da_gui" / "tam-duong.ket-qua.txt").write_text("Gửi lúc: 20/12/2020 09:00:00\nNgười nhận: a@example.com\n",
                                                             encoding="utf-8")
    app = make_app(folders)
    c = app.test_client()
    assert "Đơn vị này đã được gửi một thư lúc 20/12/2020 09:00:00" in c.get("/thu").get_data(as_text=True)
    csrf = token(c, "/thu")
    form = {"csrf": csrf, "chon": "tam-duong.eml", "may_chu": "127.0.0.1:1", "dia_chi": USER, "mat_khau": "x",
            "bao_mat": "plain"}
    assert c.post("/thu/tra-loi/gui", data=form).status_code == 400         # no confirmation: nothing sent
    assert (folder / "tam-duong.eml").is_file() and len(list((folder / "da_gui").iterdir())) == 2
    left_out = c.post("/thu/tra-loi/xem", data={"csrf": csrf, "thu": "tam-duong.eml", "bo_qua": "tam-duong.eml"})
    assert left_out.status_code == 400 and "Chưa chọn thư nào" in left_out.get_data(as_text=True)
    runner, gate = app.extensions["thidua"][2], threading.Event()
    assert runner.start_work("in", lambda progress: gate.wait(30), CAMPAIGN.tz)
    try:
        busy = c.post("/thu/tra-loi/gui", data={**form, "xac_nhan": "co"})
        assert busy.status_code == 409 and "Đang có một việc khác chạy" in busy.get_data(as_text=True)
        assert c.post("/tong-hop/chay", data={"csrf": csrf}).headers["Location"].endswith("busy=1")
        assert c.post("/thu/tra-loi/soan", data={"csrf": csrf}).status_code == 409     # drafts not rewritten meanwhile
        assert c.post("/hoi-nghi/mau", data={"csrf": csrf}).status_code == 409
    finally:
        gate.set()
    wait_idle(app)
    assert (folder / "tam-duong.eml").is_file()


def test_the_page_shows_each_message_sent_while_sending(folders, tmp_path):
    inbox, out, register = folders
    folder = out / "thu-tra-loi"
    names = [f"don-vi-{n}.eml" for n in range(3)]
    for n, name in enumerate(names):
        draft = messages.Draft((f"u{n}@example.com",), f"Thư {n}", "Nội dung.\n", ())
        messages.write(messages.build(draft, "Ban <luonghaldld@gmail.com>", dt.datetime(2020, 12, 21, 9)),
                       folder / name)
    app = make_app(folders)
    c = app.test_client()
    watcher = app.test_client()
    shown = []

    class Watching(list):
        """The server's store of accepted mail: as each message arrives, what the page's progress says."""

        def append(self, item):
            shown.append(watcher.get("/tong-hop/tien-do").get_json())
            super().append(item)

    smtp = SmtpServer.start(tmp_path)
    smtp.received = Watching()
    try:
        csrf = token(c, "/thu")
        form = {"csrf": csrf, "chon": names, "may_chu": smtp.address, "dia_chi": USER, "mat_khau": PASSWORD,
                "bao_mat": "plain", "xac_nhan": "co"}
        assert c.post("/thu/tra-loi/gui", data=form).status_code == 302
        wait_idle(app)
    finally:
        smtp.stop()
    assert len(smtp.received) == 3
    # while message k arrives, the page says k-1 of 3 are done: the count moves with each message
    assert [(s["kind"], s["done"], s["total"]) for s in shown] == [("thu-gui", 0, 3), ("thu-gui", 1, 3),
                                                                   ("thu-gui", 2, 3)]
    final = c.get("/tong-hop/tien-do").get_json()
    assert (final["done"], final["total"], final["running"]) == (3, 3, False)


def test_drafting_replies_again_leaves_out_the_units_already_sent_this_run(folders, tmp_path):
    inbox, out, register = folders
    text = default_campaign_text()
    for unit_id in ("tam-duong", "sin-ho"):
        text = text.replace(f'id = "{unit_id}"', f'id = "{unit_id}"\nemails = ["{unit_id}@example.com"]', 1)
    (tmp_path / "chien-dich.toml").write_text(text, "utf-8")
    campaign = load_campaign(tmp_path / "chien-dich.toml")
    write_outputs(run_batch(SAMPLES, campaign), out)
    app = create_app(Settings(inbox, out, campaign, register=register))
    app.testing = False
    c = app.test_client()
    folder = out / "thu-tra-loi"
    csrf = token(c, "/thu")
    first = c.post("/thu/tra-loi/soan", data={"csrf": csrf}).get_data(as_text=True)
    assert "Soạn lại cả thư đã gửi" in first and "Không soạn lại thư" not in first
    everyone = sorted(p.name for p in drafts_in(folder))
    assert len(everyone) == 10 and {"tam-duong.eml", "sin-ho.eml"} <= set(everyone)
    smtp = SmtpServer.start(tmp_path)
    try:
        form = {"csrf": csrf, "chon": ["tam-duong.eml", "sin-ho.eml"], "may_chu": smtp.address, "dia_chi": USER,
                "mat_khau": PASSWORD, "bao_mat": "plain", "xac_nhan": "co"}
        assert c.post("/thu/tra-loi/gui", data=form).status_code == 302
        wait_idle(app)
    finally:
        smtp.stop()
    assert sorted(r.rcpt_tos[0] for r in smtp.received) == ["sin-ho@example.com", "tam-duong@example.com"]
    # an old unsent draft of a unit already answered (made before the send) must not linger either
    (folder / "tam-duong.eml").write_bytes((folder / "da_gui" / "tam-duong.eml").read_bytes())

    again = c.post("/thu/tra-loi/soan", data={"csrf": csrf}).get_data(as_text=True)
    assert ("Không soạn lại thư cho 2 đơn vị đã được gửi thư trả lời của lần tổng hợp này" in again
            and "Liên đoàn Lao động huyện Tam Đường" in again and "Liên đoàn Lao động huyện Sìn Hồ" in again)
    assert sorted(p.name for p in drafts_in(folder)) == [n for n in everyone if n not in ("tam-duong.eml", "sin-ho.eml")]
    assert sorted(p.name for p in (folder / "da_gui").glob("*.eml")) == ["sin-ho.eml", "tam-duong.eml"]   # kept

    ticked = c.post("/thu/tra-loi/soan", data={"csrf": csrf, "soan_lai": "co"}).get_data(as_text=True)
    assert "Không soạn lại thư" not in ticked and sorted(p.name for p in drafts_in(folder)) == everyone
    assert "Đơn vị này đã được gửi một thư lúc" in ticked          # the page's warning still says it

    # a new run: the replies sent were to the earlier one, so every unit gets its draft again
    for name in ("tam-duong.eml", "sin-ho.eml"):
        (folder / name).unlink()
    later = dt.datetime.now(campaign.tz) + dt.timedelta(seconds=2)    # never within the drafting's second
    write_outputs(run_batch(SAMPLES, campaign, now=later), out)
    after = c.post("/thu/tra-loi/soan", data={"csrf": csrf}).get_data(as_text=True)
    assert "Không soạn lại thư" not in after and sorted(p.name for p in drafts_in(folder)) == everyone


def test_send_drafts_only_the_chosen_ones(tmp_path):
    smtp = SmtpServer.start(tmp_path)
    try:
        folder = tmp_path / "nháp"
        for stem in ("mot", "hai"):
            draft = messages.Draft((f"{stem}@example.com",), f"Thư {stem}", "Nội dung.\n", ())
            messages.write(messages.build(draft, "Ban <luonghaldld@gmail.com>", dt.datetime(2020, 12, 21, 9)),
                           folder / f"{stem}.eml")
        server = parse_server(smtp.address, tls_port=465, starttls_port=587, starttls=False, plain=True)
        report = send_drafts(folder, server, USER, lambda: PASSWORD, only={"hai.eml"})
        assert [o.path.name for o in report.sent] == ["hai.eml"] and not report.skipped
        assert [r.rcpt_tos for r in smtp.received] == [["hai@example.com"]]
        assert (folder / "mot.eml").is_file() and (folder / "da_gui" / "hai.eml").is_file()
    finally:
        smtp.stop()


# ------------------------------------------------------------------------------------------ files

def test_upload_names_are_limited_in_bytes_as_the_file_system_counts_them(tmp_path):
    name = "Danh sách đề nghị khen thưởng của Liên đoàn Lao động huyện Mường Tè " * 6 + ".xlsx"
    safe = safe_upload_name(name)
    assert safe.endswith(".xlsx") and len(safe.encode("utf-8")) <= 205
    assert safe.encode("utf-8").decode("utf-8") == safe                      # never cut inside a letter
    first, second = save_new(tmp_path, safe, b"1"), save_new(tmp_path, safe, b"2")
    assert first.read_bytes() == b"1" and second.read_bytes() == b"2" and second.name.endswith(" (2).xlsx")
    assert len(second.name.encode("utf-8")) <= 255


def test_zips_never_follow_a_link_out_of_out(folders, tmp_path):
    inbox, out, register = folders
    (tmp_path / "bí mật.txt").write_text("bí mật", encoding="utf-8")
    (out / "report.json").write_text("{}", encoding="utf-8")
    try:
        (out / "lien-ket.txt").symlink_to(tmp_path / "bí mật.txt")
    except OSError:                    # Windows without the right to make links
        pytest.skip("this computer cannot make symbolic links")
    papers = out / "hoi-nghi" / "van-ban"
    papers.mkdir(parents=True)
    (papers / "kich_ban.docx").write_bytes(b"PK kich ban")
    (papers / "lien-ket.docx").symlink_to(tmp_path / "bí mật.txt")
    (out / "thu-tra-loi").mkdir()
    (out / "thu-tra-loi" / "tam-duong.eml").write_bytes(b"From: x\r\n\r\n")
    c = make_app(folders).test_client()
    whole = zipfile.ZipFile(io.BytesIO(c.get("/tai/ket-qua.zip").data))
    assert whole.namelist() == ["report.json"]                                  # no link, no year folders
    conference = zipfile.ZipFile(io.BytesIO(c.get("/hoi-nghi/van-ban.zip").data))
    assert conference.namelist() == ["kich_ban.docx"]
    assert c.get("/tai/ket-qua/hoi-nghi/van-ban/lien-ket.docx").status_code == 404


def test_a_layout_is_checked_as_the_command_line_checks_it(folders):
    inbox, out, register = folders
    c = make_app(folders).test_client()
    csrf = token(c, "/in")
    default = c.get("/in/bo-cuc-mac-dinh.toml").data
    broken = default.replace(b"dx_mm = 0", b"dx_mm = [", 1)
    answer = c.post("/in/bo-cuc", data={"csrf": csrf, "tep": (io.BytesIO(broken), "máy in tầng 2.toml")},
                    content_type="multipart/form-data")
    body = answer.get_data(as_text=True)
    assert answer.status_code == 422 and "máy in tầng 2.toml" in body and "sai cú pháp" in body
    assert not (out / "in-bang-khen" / "bo_cuc_may_in.toml").exists()
    good = c.post("/in/bo-cuc", data={"csrf": csrf, "tep": (io.BytesIO(default.replace(b"dx_mm = 0", b"dx_mm = 2", 1)),
                                                            "máy in tầng 2.toml")}, content_type="multipart/form-data")
    assert good.status_code == 200 and (out / "in-bang-khen" / "bo_cuc_may_in.toml").read_bytes().count(b"dx_mm = 2")


def test_a_wrong_conference_file_is_refused_and_the_one_in_place_kept(folders):
    inbox, out, register = folders
    c = make_app(folders).test_client()
    csrf = token(c, "/hoi-nghi")
    assert c.post("/hoi-nghi/mau", data={"csrf": csrf}).status_code == 302
    config = out / "hoi-nghi" / "hoi_nghi.toml"
    before = config.read_bytes()
    for name, data, words in [("hoi_nghi.toml", before.replace(b"[", b"[[", 1), "hoi_nghi.toml"),
                              ("hoi_nghi.toml", "tên = 'x'".encode("cp1258"), "UTF-8"),
                              ("dai_bieu.xlsx", b"<html></html>", "Không nhận danh sách đại biểu"),
                              ("ghi chu.txt", b"x", "chỉ nhận tệp hội nghị")]:
        answer = c.post("/hoi-nghi/tai-len", data={"csrf": csrf, "tep": (io.BytesIO(data), name)},
                        content_type="multipart/form-data")
        body = answer.get_data(as_text=True)
        assert answer.status_code in (400, 422) and words in body and "Traceback" not in body, name
    assert config.read_bytes() == before
    again = c.post("/hoi-nghi/mau", data={"csrf": csrf})
    assert again.status_code == 409 and config.read_bytes() == before          # never overwritten


def test_the_strip_says_where_an_untouched_campaign_stands(folders):
    c = make_app(folders).test_client()
    page = c.get("/").get_data(as_text=True)
    for step in ("Nhận hồ sơ", "Tổng hợp", "Trả lời đơn vị", "Trình ký", "Vào sổ", "In bằng", "Hội nghị"):
        assert step in page
    assert page.count('class="step chua"') == 7
    if os.name != "nt":
        assert "0/11 đơn vị đã gửi" in page


def test_an_import_list_with_bad_rows_names_the_cells_and_records_nothing(folders, tmp_path):
    import openpyxl
    from click.testing import CliRunner

    from thidua_batch.cli import main
    CliRunner().invoke(main, ["register", "template", "--out", str(tmp_path)])
    book = openpyxl.load_workbook(tmp_path / "mau_nhap_quyet_dinh.xlsx")
    book["Cá nhân"].append([1, "", "Nam", "năm", "Chủ tịch", "UBND xã", "Tân Uyên", None])
    data = io.BytesIO()
    book.save(data)
    c = make_app(folders).test_client()
    answer = c.post("/so/nhap/xem", data={"csrf": token(c), "tep": (io.BytesIO(data.getvalue()), "QĐ sai.xlsx"),
                                          "so": "45/QĐ-TLĐ", "ngay": "15/01/2021", "hinh_thuc": "Bằng khen", "nam": "2020"},
                    content_type="multipart/form-data")
    body = answer.get_data(as_text=True)
    assert answer.status_code == 422 and "QĐ sai.xlsx" in body and "Cá nhân!" in body and "Traceback" not in body
    assert not folders[2].exists()
    fake = c.post("/so/nhap/xem", data={"csrf": token(c), "tep": (io.BytesIO(b"<html></html>"), "gia.xlsx"),
                                        "so": "1", "ngay": "15/01/2021", "hinh_thuc": "x"},
                  content_type="multipart/form-data")
    assert fake.status_code == 422 and "Không nhận tệp “gia.xlsx”" in fake.get_data(as_text=True)


def test_a_conference_file_that_cannot_be_replaced_is_said_and_kept(folders):
    inbox, out, register = folders
    c = make_app(folders).test_client()
    csrf = token(c, "/hoi-nghi")
    c.post("/hoi-nghi/mau", data={"csrf": csrf})
    delegates = out / "hoi-nghi" / "dai_bieu.xlsx"
    data = delegates.read_bytes()
    delegates.unlink()                     # something in its place that cannot be replaced (for any user)
    delegates.mkdir()
    (delegates / "giữ.txt").write_text("x", encoding="utf-8")
    answer = c.post("/hoi-nghi/tai-len", data={"csrf": csrf, "tep": (io.BytesIO(data), "dai_bieu.xlsx")},
                    content_type="multipart/form-data")
    body = answer.get_data(as_text=True)
    assert answer.status_code == 422 and "dai_bieu.xlsx" in body and "Traceback" not in body
    assert "Không ghi được" in body or "Không thay được" in body
    assert (delegates / "giữ.txt").read_text(encoding="utf-8") == "x"


def test_a_damaged_register_is_said_in_words_on_every_page_that_reads_it(folders):
    inbox, out, register = folders
    register.write_bytes(b"SQLite format 3\x00" + b"\xff" * 4000)
    c = make_app(folders).test_client()
    csrf = token(c, "/thu")
    for answer in (c.get("/so"), c.get("/in"), c.get("/"), c.get("/so/xoa", query_string={"so": NUMBER}),
                   c.post("/in/xem", data={"csrf": csrf, "so": NUMBER})):
        body = answer.get_data(as_text=True)
        assert answer.status_code in (200, 422) and "Traceback" not in body and "Có lỗi khi xử lý" not in body
    assert "bị hỏng" in c.get("/so").get_data(as_text=True)
    assert "bị hỏng" in c.get("/").get_data(as_text=True)
