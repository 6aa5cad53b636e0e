"""The page's rules that need no browser (web.md), through Flask's test client and, for the
Host and password rules, a real server on 127.0.0.1."""
from __future__ import annotations

import dataclasses
import io
import shutil
import threading
import urllib.error
import urllib.request
import zipfile
from pathlib import Path

import pytest
from hostile import _ratio_bomb

from thidua_batch.config.campaign import load_campaign
from thidua_batch.web.app import Settings, create_app
from thidua_batch.web.folders import safe_upload_name
from thidua_batch.web.server import ServeError, serve, settings_for

SAMPLES = Path(__file__).resolve().parent.parent / "samples" / "inbox"
CAMPAIGN = load_campaign()


@pytest.fixture
def folders(tmp_path):
    inbox, out = tmp_path / "hộp thư", tmp_path / "kết quả"
    inbox.mkdir()
    out.mkdir()
    return inbox, out


def client(inbox: Path, out: Path, password: str | None = None):
    app = create_app(Settings(inbox, out, CAMPAIGN, password=password))
    app.testing = False          # errors go through the page's own handlers, as in use
    return app.test_client()


def token(c) -> str:
    page = c.get("/nhan").get_data(as_text=True)
    return page.split('name="csrf" value="', 1)[1].split('"', 1)[0]


def upload(c, name: str, data: bytes, csrf: str | None = None):
    return c.post("/nhan", data={"csrf": csrf if csrf is not None else token(c), "tep": (io.BytesIO(data), name)},
                  content_type="multipart/form-data")


def test_every_page_answers_in_vietnamese_and_lists_every_roster_unit(folders):
    inbox, out = folders
    c = client(inbox, out)
    home = c.get("/").get_data(as_text=True)
    for unit in CAMPAIGN.roster:
        assert unit.name in home
    assert home.count("chưa gửi") >= len(CAMPAIGN.roster) and "Hạn nộp" in home
    for path in ("/nhan", "/tong-hop", "/mau", "/don-vi/tam-duong"):
        assert c.get(path).status_code == 200, path


@pytest.mark.parametrize("path", [
    "/tai/ho-so/../report.json", "/tai/ho-so/%2e%2e/report.json", "/tai/ho-so/%2e%2e%2freport.json",
    "/tai/ho-so/%252e%252e%252freport.json", "/tai/ket-qua/..%2f..%2fetc%2fpasswd", "/tai/ket-qua//etc/passwd",
    "/tai/ket-qua/%2fetc%2fpasswd", "/tai/ho-so/..%5c..%5cwin.ini", "/tai/ho-so/C:%5cWindows%5cwin.ini",
    "/tai/ho-so/.an.xlsx", "/tai/ho-so/thu-muc", "/tai/ket-qua/", "/don-vi/..%2f..", "/mau/../../x.xlsx",
    "/mau/khong-co.xlsx", "/tai/ho-so/link.xlsx",
])
def test_traversal_and_anything_outside_inbox_and_out_is_404(folders, tmp_path, path):
    inbox, out = folders
    (out / "report.json").write_text("{}", encoding="utf-8")
    (tmp_path / "report.json").write_text("bí mật", encoding="utf-8")
    (inbox / ".an.xlsx").write_bytes(b"x")
    (inbox / "thu-muc").mkdir()
    (inbox / "link.xlsx").symlink_to(tmp_path / "report.json")
    response = client(inbox, out).get(path)
    assert response.status_code == 404
    body = response.get_data(as_text=True)
    assert "Không có trang hay tệp này." in body and "Traceback" not in body and "bí mật" not in body


def test_downloads_come_from_inbox_and_out_as_attachments(folders):
    inbox, out = folders
    shutil.copy(SAMPLES / "LDLD Tam Duong - de nghi khen thuong 2020.xlsx", inbox / "Tam Đường.xlsx")
    (out / "phan_hoi").mkdir()
    (out / "phan_hoi" / "tam-duong.docx").write_bytes(b"PK letter")
    c = client(inbox, out)
    got = c.get("/tai/ho-so/Tam%20%C4%90%C6%B0%E1%BB%9Dng.xlsx")
    assert got.status_code == 200 and got.data == (inbox / "Tam Đường.xlsx").read_bytes()
    assert got.headers["Content-Disposition"].startswith("attachment")
    assert got.headers["X-Content-Type-Options"] == "nosniff"
    letter = c.get("/tai/ket-qua/phan_hoi/tam-duong.docx")
    assert letter.data == b"PK letter"
    archive = zipfile.ZipFile(io.BytesIO(c.get("/tai/ket-qua.zip").data))
    assert archive.namelist() == ["phan_hoi/tam-duong.docx"]


def test_upload_is_saved_under_its_own_name_never_overwriting_and_checked_at_once(folders):
    inbox, out = folders
    c = client(inbox, out)
    data = (SAMPLES / "Nam Nhun de nghi khen thuong nam 2020.xlsx").read_bytes()
    first = upload(c, "Nậm Nhùn đề nghị.xlsx", data)
    assert first.status_code == 200
    page = first.get_data(as_text=True)
    assert "Đã lưu thành" in page and "Liên đoàn Lao động huyện Nậm Nhùn" in page
    assert "<td>Cá nhân</td>" in page and "Lỗi" in page                     # findings by sheet and cell
    second = upload(c, "Nậm Nhùn đề nghị.xlsx", b"PK" + data[2:])
    assert second.status_code == 200
    assert sorted(p.name for p in inbox.iterdir()) == ["Nậm Nhùn đề nghị (2).xlsx", "Nậm Nhùn đề nghị.xlsx"]
    assert (inbox / "Nậm Nhùn đề nghị.xlsx").read_bytes() == data
    assert "Liên đoàn Lao động huyện Nậm Nhùn" in c.get("/").get_data(as_text=True)


def test_a_zipped_dossier_is_taken_and_read_member_by_member(folders):
    import zipfile

    inbox, out = folders
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("Danh sách.xlsx", (SAMPLES / "Nam Nhun de nghi khen thuong nam 2020.xlsx").read_bytes())
    response = upload(client(inbox, out), "Hồ sơ Nậm Nhùn.zip", buffer.getvalue())
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "<b>Danh sách.xlsx</b>: Đọc được" in page, page
    assert "Liên đoàn Lao động huyện Nậm Nhùn" in page
    assert [p.name for p in inbox.iterdir()] == ["Hồ sơ Nậm Nhùn.zip"]


@pytest.mark.parametrize("name, data, words", [
    ("bang-tinh.xlsx", b"<html><script>alert(1)</script></html>", "không phải"),
    ("ho-so.zip", b"PK\x03\x04 cut short", "giải nén"),
    ("trang.html", b"<html></html>", "Không nhận tệp đuôi “.html”"),
    ("thu.eml", b"<html><body>not a mail</body></html>", "không phải thư điện tử"),
    ("CON.xlsx", b"PK", "Tên tệp không dùng được"),
    (".an.xlsx", b"PK", "Tên tệp không dùng được"),
    ("rong.xlsx", b"", "rỗng"),
])
def test_hostile_uploads_are_refused_with_a_message_and_not_saved(folders, name, data, words):
    inbox, out = folders
    response = upload(client(inbox, out), name, data)
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "Không nhận:" in page and words in page, page
    assert list(inbox.iterdir()) == []


def test_zip_bomb_and_oversized_uploads_are_refused(folders):
    inbox, out = folders
    response = upload(client(inbox, out), "bom.xlsx", _ratio_bomb())
    assert response.status_code == 422 and "nén" in response.get_data(as_text=True)
    small = dataclasses.replace(CAMPAIGN, limits=dataclasses.replace(CAMPAIGN.limits, max_file_bytes=1000))
    app = create_app(Settings(inbox, out, small))
    c = app.test_client()
    big = upload(c, "lon.xlsx", (SAMPLES / "LDLD Tam Duong - de nghi khen thuong 2020.xlsx").read_bytes(), token(c))
    assert big.status_code in (413, 422) and "quá" in big.get_data(as_text=True)
    assert list(inbox.iterdir()) == []


@pytest.mark.parametrize("name, expected", [
    ("../../x.xlsx", "x.xlsx"), ("C:\\Users\\a\\..\\b.xlsx", "b.xlsx"), ("/etc/passwd.xlsx", "passwd.xlsx"),
    ("a<b>c?.xlsx", "a_b_c_.xlsx"), ("NUL.docx", None), ("com1.xls", None), ("..", None), ("tệp", None),
    ("Nậm Nhùn.XLSX", "Nậm Nhùn.xlsx"), ("~$Tam Duong.xlsx", None),
])
def test_safe_upload_names(name, expected):
    assert safe_upload_name(name) == expected


def test_every_post_needs_the_form_token(folders):
    inbox, out = folders
    c = client(inbox, out)
    c.get("/")
    forged = upload(c, "a.xlsx", b"PK", csrf="gia-mao")
    assert forged.status_code == 403 and "Biểu mẫu đã cũ" in forged.get_data(as_text=True)
    assert c.post("/tong-hop/chay").status_code == 403
    assert list(inbox.iterdir()) == [] and list(out.iterdir()) == []


def test_a_file_added_from_outside_shows_on_the_next_request(folders):
    inbox, out = folders
    c = client(inbox, out)
    assert "nộp muộn" not in c.get("/").get_data(as_text=True)
    shutil.copytree(SAMPLES / "thang 12", inbox / "thang 12")
    page = c.get("/").get_data(as_text=True)
    assert "Tan Uyen - To trinh va danh sach khen thuong.docx" in page and "nộp muộn" in page


def serve_in_thread(settings, port):
    ready = threading.Event()
    thread = threading.Thread(target=serve, args=(settings, "127.0.0.1", port, False, lambda _t: None, ready),
                              daemon=True)
    thread.start()
    assert ready.wait(10)
    return thread


def free_port() -> int:
    import socket
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_a_real_server_answers_only_its_own_host_names(folders):
    inbox, out = folders
    port = free_port()
    serve_in_thread(settings_for(inbox, out, CAMPAIGN, None, "127.0.0.1", port), port)
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/") as response:
        assert response.status == 200 and "Tổng quan" in response.read().decode()
    rebound = urllib.request.Request(f"http://127.0.0.1:{port}/", headers={"Host": f"evil.example:{port}"})
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(rebound)
    assert refused.value.code == 400


def test_a_remote_host_needs_a_password_and_then_every_page_asks_for_it(folders, monkeypatch):
    inbox, out = folders
    monkeypatch.delenv("THIDUA_WEB_PASSWORD", raising=False)
    with pytest.raises(ServeError, match="THIDUA_WEB_PASSWORD"):
        settings_for(inbox, out, CAMPAIGN, None, "0.0.0.0", 8765)
    monkeypatch.setenv("THIDUA_WEB_PASSWORD", "mật-khẩu-ban")
    settings = settings_for(inbox, out, CAMPAIGN, None, "0.0.0.0", 8765)
    assert settings.password == "mật-khẩu-ban"
    c = create_app(settings).test_client()
    for path in ("/", "/nhan", "/tong-hop", "/mau", "/mau/trang.xlsx", "/tai/ket-qua.zip", "/don-vi/tam-duong"):
        response = c.get(path)
        location = response.headers["Location"]
        assert response.status_code == 302 and location.split("?")[0].endswith("/dang-nhap"), path
        assert location.endswith("/dang-nhap") if path == "/" else "tiep=" in location, path
    page = c.get("/dang-nhap").get_data(as_text=True)
    csrf = page.split('name="csrf" value="', 1)[1].split('"', 1)[0]
    wrong = c.post("/dang-nhap", data={"csrf": csrf, "password": "sai"})
    assert wrong.status_code == 401 and "Mật khẩu không đúng" in wrong.get_data(as_text=True)
    assert c.post("/dang-nhap?tiep=//evil.example/", data={"csrf": csrf, "password": "mật-khẩu-ban"}
                  ).headers["Location"] == "/"                      # never back to another site
    assert c.get("/").status_code == 200
    c2 = create_app(settings).test_client()
    csrf2 = c2.get("/dang-nhap").get_data(as_text=True).split('name="csrf" value="', 1)[1].split('"', 1)[0]
    back = c2.post("/dang-nhap?tiep=/don-vi/tam-duong", data={"csrf": csrf2, "password": "mật-khẩu-ban"})
    assert back.headers["Location"] == "/don-vi/tam-duong" and c2.get("/don-vi/tam-duong").status_code == 200


def test_serve_command_refuses_a_remote_host_without_password(folders, monkeypatch):
    from click.testing import CliRunner

    from thidua_batch.cli import main
    inbox, out = folders
    monkeypatch.delenv("THIDUA_WEB_PASSWORD", raising=False)
    result = CliRunner().invoke(main, ["serve", "--inbox", str(inbox), "--out", str(out), "--host", "0.0.0.0",
                                       "--no-browser"])
    assert result.exit_code == 2 and "THIDUA_WEB_PASSWORD" in result.output


def test_the_board_says_web_md_words_for_every_unit_status_of_the_model():
    from thidua_batch.model import results
    from thidua_batch.web.board import STATUS
    statuses = {results.MISSING, results.UNUSABLE, results.HAS_ERRORS, results.OVER_QUOTA, results.UNDER_QUOTA,
                results.OK}
    assert set(STATUS) == statuses == set(results.STATUS_WORDS)
    assert sorted(words for words, _colour in STATUS.values()) == sorted(
        ["đạt", "có lỗi", "vượt chỉ tiêu", "chưa đủ", "chưa gửi", "đã gửi nhưng chưa dùng được"])


@pytest.mark.parametrize("name", ["../../x.xlsx", "..\\..\\x.xlsx", "/tmp/x.xlsx", "C:\\Windows\\x.xlsx",
                                  "%2e%2e%2fx.xlsx"])
def test_an_upload_named_with_a_path_is_saved_inside_the_inbox_under_its_own_base_name(folders, tmp_path, name):
    inbox, out = folders
    data = (SAMPLES / "LDLD Tam Duong - de nghi khen thuong 2020.xlsx").read_bytes()
    response = upload(client(inbox, out), name, data)
    saved = list(inbox.iterdir())
    if response.status_code == 422:
        # Werkzeug reads "\\" in the quoted file name as an escape: "..\\..\\x.xlsx" arrives as "....x.xlsx",
        # a hidden name, refused (browsers send the base name alone anyway).
        assert "Tên tệp không dùng được" in response.get_data(as_text=True) and saved == []
    else:
        assert response.status_code == 200, response.get_data(as_text=True)
        assert len(saved) == 1 and saved[0].read_bytes() == data
        assert not set(saved[0].name) & set("/\\:") and saved[0].name.endswith("x.xlsx")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["hộp thư", "kết quả"]
    assert not any(p.name == "x.xlsx" for p in tmp_path.parent.iterdir())


def test_wrong_method_too_large_and_a_crash_show_a_vietnamese_message_never_a_trace(folders, monkeypatch):
    inbox, out = folders
    c = client(inbox, out)
    wrong = c.put("/nhan")
    assert wrong.status_code == 405 and "Trang này không nhận cách gửi đó." in wrong.get_data(as_text=True)
    assert c.post("/mau", data={"csrf": token(c)}).status_code == 405

    small = dataclasses.replace(CAMPAIGN, limits=dataclasses.replace(CAMPAIGN.limits, max_file_bytes=1000))
    s = create_app(Settings(inbox, out, small)).test_client()
    huge = upload(s, "lon.xlsx", b"PK" + b"\0" * 40_000, token(s))
    assert huge.status_code == 413 and "quá lớn" in huge.get_data(as_text=True)

    from thidua_batch.web import board

    def broken(_result):
        raise RuntimeError("chi tiết nội bộ /srv/secret.py line 3")
    monkeypatch.setattr(board, "unit_rows", broken)
    crashed = c.get("/")
    body = crashed.get_data(as_text=True)
    assert crashed.status_code == 500 and "Có lỗi khi xử lý yêu cầu" in body
    assert "Traceback" not in body and "RuntimeError" not in body and "secret" not in body
    assert list(inbox.iterdir()) == []


def test_the_run_button_runs_once_at_a_time_and_the_outputs_then_match_the_inbox(folders, monkeypatch):
    from thidua_batch.web import jobs
    inbox, out = folders
    shutil.copy(SAMPLES / "LDLD Tam Duong - de nghi khen thuong 2020.xlsx", inbox)
    real, gate = jobs.run_batch, threading.Event()

    def slow(*args, **kwargs):
        assert gate.wait(30)
        return real(*args, **kwargs)
    monkeypatch.setattr(jobs, "run_batch", slow)
    c = client(inbox, out)
    csrf = token(c)
    first = c.post("/tong-hop/chay", data={"csrf": csrf})
    assert first.status_code == 302 and "busy" not in first.headers["Location"]
    assert c.get("/tong-hop/tien-do").get_json()["running"] is True
    page = c.get("/tong-hop").get_data(as_text=True)
    assert "Đang tổng hợp" in page and '<noscript><meta http-equiv="refresh"' in page
    second = c.post("/tong-hop/chay", data={"csrf": csrf})
    assert "busy=1" in second.headers["Location"]
    assert "Đang có một lần tổng hợp chạy" in c.get(second.headers["Location"]).get_data(as_text=True)
    gate.set()
    for _ in range(600):
        state = c.get("/tong-hop/tien-do").get_json()
        if not state["running"]:
            break
        threading.Event().wait(0.05)
    assert state["running"] is False and state["error"] == "" and state["done"] == state["total"] == 1
    assert (out / "report.json").is_file() and (out / "phan_hoi" / "tam-duong.docx").is_file()
    assert "khớp với hộp hồ sơ" in c.get("/").get_data(as_text=True)
    shutil.copy(SAMPLES / "Nam Nhun de nghi khen thuong nam 2020.xlsx", inbox)   # from outside the page
    assert "đã cũ: hộp hồ sơ đã thay đổi" in c.get("/").get_data(as_text=True)


def test_serve_prints_the_address_and_how_to_stop(folders):
    inbox, out = folders
    port, lines = free_port(), []
    ready = threading.Event()
    threading.Thread(target=serve, args=(settings_for(inbox, out, CAMPAIGN, None, "127.0.0.1", port), "127.0.0.1",
                                         port, False, lines.append, ready), daemon=True).start()
    assert ready.wait(10)
    assert f"http://127.0.0.1:{port}/" in lines[0] and "Nhấn Ctrl+C để dừng." in lines
    with pytest.raises(ServeError, match="cổng đang được chương trình khác dùng"):   # the port is taken now
        serve(settings_for(inbox, out, CAMPAIGN, None, "127.0.0.1", port), "127.0.0.1", port, False, lines.append)


def test_a_saved_mail_is_kept_whole_and_each_attachment_is_checked(folders):
    from email.message import EmailMessage
    inbox, out = folders
    mail = EmailMessage()
    mail["From"], mail["To"] = "ldld.namnhun@example.vn", "ban.cspl@example.vn"
    mail["Subject"], mail["Date"] = "Đề nghị khen thưởng", "Fri, 18 Dec 2020 09:00:00 +0700"
    mail.set_content("Gửi Ban danh sách.")
    data = (SAMPLES / "Nam Nhun de nghi khen thuong nam 2020.xlsx").read_bytes()
    mail.add_attachment(data, maintype="application", subtype="octet-stream", filename="Nậm Nhùn.xlsx")
    response = upload(client(inbox, out), "thư Nậm Nhùn.eml", mail.as_bytes())
    page = response.get_data(as_text=True)
    assert response.status_code == 200, page
    assert (inbox / "thư Nậm Nhùn.eml").read_bytes() == mail.as_bytes()
    assert "<b>Nậm Nhùn.xlsx</b>: Đọc được" in page and "Liên đoàn Lao động huyện Nậm Nhùn" in page
    assert "D10" in page and str(inbox) not in page.split("<footer>")[0]


def test_save_new_takes_the_next_free_name_and_leaves_no_temporary_file(tmp_path):
    from thidua_batch.web.folders import save_new
    (tmp_path / "a.xlsx").write_bytes(b"one")
    (tmp_path / "a (2).xlsx").mkdir()                  # a folder of that name is taken too
    assert save_new(tmp_path, "a.xlsx", b"three").name == "a (3).xlsx"
    assert (tmp_path / "a.xlsx").read_bytes() == b"one" and (tmp_path / "a (3).xlsx").read_bytes() == b"three"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a (2).xlsx", "a (3).xlsx", "a.xlsx"]


def test_even_a_broken_page_template_answers_in_words(folders, monkeypatch):
    inbox, out = folders
    app = create_app(Settings(inbox, out, CAMPAIGN))

    def broken(*_args, **_kwargs):
        raise RuntimeError("template gone")
    monkeypatch.setattr("thidua_batch.web.app.render_template", broken)
    response = app.test_client().get("/khong-co")
    body = response.get_data(as_text=True)
    assert response.status_code == 404 and "Không có trang hay tệp này." in body and "template gone" not in body
    assert app.test_client().get("/").status_code == 500


@pytest.mark.parametrize("host, good, bad", [
    ("127.0.0.1", "127.0.0.1", "evil.example"), ("localhost", "localhost", "evil.example"),
    ("127.0.0.2", "127.0.0.2", "127.0.0.2.evil.example"), ("::1", "[::1]", "evil.example"),
])
def test_every_loopback_host_answers_its_own_name_only(folders, host, good, bad):
    inbox, out = folders
    c = create_app(settings_for(inbox, out, CAMPAIGN, None, host, 8765)).test_client()
    assert c.get("/", headers={"Host": f"{good}:8765"}).status_code == 200
    assert c.get("/", headers={"Host": f"{bad}:8765"}).status_code == 400


@pytest.mark.parametrize("path, inbox_file", [
    ("thư.eml/a.xlsx", "thư.eml"), ("hộp.mbox#3/a.xlsx", "hộp.mbox"), ("Hồ sơ.zip/Hồ sơ.eml/a.xlsx", "Hồ sơ.zip"),
    ("m.eml/n.zip/o.xlsx", "m.eml"), ("x.7z/y/z.xlsx", "x.7z"), ("a.xlsx", "a.xlsx"),
])
def test_a_file_inside_a_mail_or_an_archive_belongs_to_the_outermost_inbox_file(path, inbox_file):
    from thidua_batch.web.folders import inbox_file_of

    assert inbox_file_of(path) == inbox_file
