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


@pytest.mark.parametrize("name, data, words", [
    ("bang-tinh.xlsx", b"<html><script>alert(1)</script></html>", "không phải"),
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
        assert response.status_code == 302 and response.headers["Location"].endswith("/dang-nhap"), path
    page = c.get("/dang-nhap").get_data(as_text=True)
    csrf = page.split('name="csrf" value="', 1)[1].split('"', 1)[0]
    wrong = c.post("/dang-nhap", data={"csrf": csrf, "password": "sai"})
    assert wrong.status_code == 401 and "Mật khẩu không đúng" in wrong.get_data(as_text=True)
    assert c.post("/dang-nhap", data={"csrf": csrf, "password": "mật-khẩu-ban"}).status_code == 302
    assert c.get("/").status_code == 200


def test_serve_command_refuses_a_remote_host_without_password(folders, monkeypatch):
    from click.testing import CliRunner

    from thidua_batch.cli import main
    inbox, out = folders
    monkeypatch.delenv("THIDUA_WEB_PASSWORD", raising=False)
    result = CliRunner().invoke(main, ["serve", "--inbox", str(inbox), "--out", str(out), "--host", "0.0.0.0",
                                       "--no-browser"])
    assert result.exit_code == 2 and "THIDUA_WEB_PASSWORD" in result.output
