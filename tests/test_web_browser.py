"""The officer's page in a real browser: Debian's Chromium driven by Playwright, against a real
server on 127.0.0.1. From an empty inbox to the downloaded drafts and letters, as an officer
with no terminal skills would do it. Screenshots go to tests/artifacts/web/ to be looked at."""
from __future__ import annotations

import os
import socket
import threading
from pathlib import Path

import pytest

from thidua_batch.config.campaign import load_campaign
from thidua_batch.intake.inbox import walk
from thidua_batch.web.server import serve, settings_for

CHROMIUM = Path("/usr/bin/chromium")
SAMPLES = Path(__file__).resolve().parent.parent / "samples" / "inbox"
SHOTS = Path(__file__).resolve().parent / "artifacts" / "web"
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"]

if not CHROMIUM.exists() and not os.environ.get("CI"):
    pytest.skip("Debian's chromium is not installed (apt-get install chromium); CI installs it", allow_module_level=True)
playwright = pytest.importorskip("playwright.sync_api") if not os.environ.get("CI") else \
    __import__("playwright.sync_api", fromlist=["sync_playwright"])


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def site(tmp_path):
    inbox, out = tmp_path / "hop-thu", tmp_path / "output"
    port = free_port()
    settings = settings_for(inbox, out, load_campaign(), None, "127.0.0.1", port)
    ready = threading.Event()
    threading.Thread(target=serve, args=(settings, "127.0.0.1", port, False, lambda _t: None, ready),
                     daemon=True).start()
    assert ready.wait(10)
    return f"http://127.0.0.1:{port}", inbox, out


@pytest.fixture
def page(tmp_path):
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=FLAGS)
        context = browser.new_context(accept_downloads=True, viewport={"width": 1360, "height": 900}, locale="vi-VN")
        yield context.new_page()
        browser.close()


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def sample_files() -> list[Path]:
    return [p for p in walk(SAMPLES) if not p.name.startswith("~$")]


def test_from_an_empty_inbox_to_the_downloaded_drafts_and_letters(site, page, tmp_path, monkeypatch):
    base, inbox, out = site
    page.goto(base + "/")
    assert page.locator("table.board tbody tr").count() == 11
    assert page.locator("table.board").inner_text().count("chưa gửi") == 11
    shot(page, "1-tong-quan-trong")

    page.locator("nav").get_by_role("link", name="Nhận hồ sơ").click()
    page.set_input_files("#tep", [str(p) for p in sample_files()])
    page.get_by_role("button", name="Nhận và kiểm tra").click()
    page.wait_for_load_state()
    body = page.locator("main").inner_text()
    assert body.count("Đã lưu thành") == len(sample_files())
    assert "Cá nhân" in body and "Lỗi" in body          # findings by sheet and cell
    nam_nhun = page.locator("section.upload", has_text="Nam Nhun de nghi khen thuong nam 2020.xlsx")
    assert nam_nhun.locator("table.findings tbody tr").count() >= 1
    shot(page, "2-nhan-ho-so")
    assert sorted(p.name for p in inbox.iterdir()) == sorted(p.name for p in sample_files())

    page.locator("nav").get_by_role("link", name="Tổng quan").click()
    board = page.locator("table.board").inner_text()
    for words in ("đạt", "có lỗi", "vượt chỉ tiêu", "chưa gửi", "nộp muộn"):
        assert words in board, words
    assert "Chưa tổng hợp lần nào" in page.locator("main").inner_text()
    shot(page, "3-tong-quan")

    page.locator("nav").get_by_role("link", name="Tổng hợp").click()
    from thidua_batch.web import jobs
    real, gate = jobs.run_batch, threading.Event()

    def held(*args, **kwargs):      # the run waits until the page has been seen running
        assert gate.wait(60)
        return real(*args, **kwargs)
    monkeypatch.setattr(jobs, "run_batch", held)
    page.get_by_role("button", name="Tổng hợp").click()
    page.wait_for_selector("progress")
    assert "Đang tổng hợp: đã đọc 0/12 tệp" in page.locator("main").inner_text()
    assert page.get_by_role("button", name="Tổng hợp").is_disabled()
    shot(page, "4a-dang-tong-hop")
    gate.set()                      # the page's script polls the progress and reloads when the run ends
    page.wait_for_selector("text=Đã tổng hợp xong", timeout=120_000)
    shot(page, "4-tong-hop")
    links = page.locator("table.files a")
    names = [links.nth(i).inner_text() for i in range(links.count())]
    assert "report.json" in names and "phan_hoi/tam-duong.docx" in names and len(names) >= 14
    for name in names:
        with page.expect_download() as info:
            page.locator("table.files a", has_text=name).first.click()
        saved = tmp_path / "tai-ve" / name
        saved.parent.mkdir(parents=True, exist_ok=True)
        info.value.save_as(saved)
        assert saved.read_bytes() == (out / name).read_bytes(), name
    with page.expect_download() as info:
        page.get_by_role("link", name="Tải tất cả (ket-qua.zip)").click()
    import zipfile
    archive = zipfile.ZipFile(info.value.path())
    assert sorted(archive.namelist()) == sorted(names)
    assert archive.read("du_thao_to_trinh.docx") == (out / "du_thao_to_trinh.docx").read_bytes()

    page.locator("nav").get_by_role("link", name="Tổng quan").click()
    assert "khớp với hộp hồ sơ" in page.locator("main").inner_text()
    page.get_by_role("link", name="Liên đoàn Lao động huyện Nậm Nhùn").click()
    unit = page.locator("main").inner_text()
    assert "có lỗi" in unit and "Vào dự thảo" in unit and "không" in unit and "Lỗi, cảnh báo" in unit
    with page.expect_download() as info:
        page.get_by_role("link", name="Tải thư phản hồi").click()
    assert Path(info.value.path()).read_bytes() == (out / "phan_hoi" / "nam-nhun.docx").read_bytes()
    shot(page, "5-don-vi")

    page.locator("nav").get_by_role("link", name="Mẫu").click()
    shot(page, "6-mau")
    with page.expect_download() as info:
        page.get_by_role("link", name="mau_de_nghi_khen_thuong_muong-te.xlsx").click()
    assert info.value.suggested_filename == "mau_de_nghi_khen_thuong_muong-te.xlsx"
    assert Path(info.value.path()).read_bytes()[:2] == b"PK"


def test_the_browser_sees_refusals_and_404s_as_vietnamese_messages(site, page, tmp_path):
    base, inbox, out = site
    page.goto(base + "/nhan")
    hostile = tmp_path / "danh sach.xlsx"
    hostile.write_text("<html><script>alert('x')</script></html>", encoding="utf-8")
    page.set_input_files("#tep", str(hostile))
    page.get_by_role("button", name="Nhận và kiểm tra").click()
    page.wait_for_load_state()
    assert "Không nhận:" in page.locator("main").inner_text()
    assert list(inbox.iterdir()) == []
    shot(page, "7-tu-choi")
    for path in ("/tai/ho-so/../../etc/passwd", "/tai/ho-so/%2e%2e%2f%2e%2e%2fetc%2fpasswd", "/tai/ket-qua//etc/passwd",
                 "/don-vi/khong-co"):
        response = page.goto(base + path)
        assert response.status == 404, path
        assert "Không có trang hay tệp này." in page.locator("main").inner_text()
    shot(page, "8-khong-co")


def test_drag_and_drop_saves_and_checks_the_file(site, page):
    base, inbox, out = site
    page.goto(base + "/nhan")
    data = (SAMPLES / "LDLD Tam Duong - de nghi khen thuong 2020.xlsx").read_bytes()
    handle = page.evaluate_handle("""(bytes) => {
        const dt = new DataTransfer();
        dt.items.add(new File([new Uint8Array(bytes)], "Tam Đường kéo thả.xlsx"));
        return dt; }""", list(data))
    with page.expect_navigation():
        page.dispatch_event("#drop", "drop", {"dataTransfer": handle})
    assert "Đã lưu thành" in page.locator("main").inner_text()
    assert (inbox / "Tam Đường kéo thả.xlsx").read_bytes() == data


def test_a_remote_page_asks_for_the_password_first(tmp_path, page, monkeypatch):
    inbox, out = tmp_path / "hop-thu", tmp_path / "output"
    monkeypatch.setenv("THIDUA_WEB_PASSWORD", "Công đoàn 2020")
    settings = settings_for(inbox, out, load_campaign(), None, "0.0.0.0", 0)   # as for another computer
    port = free_port()
    ready = threading.Event()
    threading.Thread(target=serve, args=(settings, "127.0.0.1", port, False, lambda _t: None, ready),
                     daemon=True).start()
    assert ready.wait(10)
    page.goto(f"http://127.0.0.1:{port}/tong-hop")
    assert page.url.endswith("/dang-nhap?tiep=/tong-hop") and page.get_by_label("Mật khẩu").is_visible()
    page.get_by_label("Mật khẩu").fill("sai")
    page.get_by_role("button", name="Vào").click()
    assert "Mật khẩu không đúng." in page.locator("main").inner_text()
    shot(page, "9-dang-nhap")
    page.get_by_label("Mật khẩu").fill("Công đoàn 2020")
    page.get_by_role("button", name="Vào").click()
    assert page.locator("h1").inner_text() == "Tổng hợp"          # back to the page asked for
    page.locator("nav").get_by_role("link", name="Tổng quan").click()
    assert page.locator("table.board tbody tr").count() == 11


def test_a_file_over_the_campaigns_limit_is_refused_with_the_limit_in_words(tmp_path, page):
    import dataclasses
    campaign = load_campaign()
    small = dataclasses.replace(campaign, limits=dataclasses.replace(campaign.limits, max_file_bytes=20_000))
    inbox, out, port = tmp_path / "hop-thu", tmp_path / "output", free_port()
    ready = threading.Event()
    threading.Thread(target=serve, args=(settings_for(inbox, out, small, None, "127.0.0.1", port), "127.0.0.1", port,
                                         False, lambda _t: None, ready), daemon=True).start()
    assert ready.wait(10)
    page.goto(f"http://127.0.0.1:{port}/nhan")
    one = tmp_path / "mot tep lon.xlsx"           # over the limit of a file, under the limit of a form
    one.write_bytes(b"PK" + os.urandom(100_000))
    page.set_input_files("#tep", str(one))
    page.get_by_role("button", name="Nhận và kiểm tra").click()
    page.wait_for_load_state()
    assert "quá giới hạn 20 KB một tệp" in page.locator("main").inner_text()
    every = tmp_path / "ca hop thu.mbox"           # over the limit of the whole form: Werkzeug's 413, in words
    every.write_bytes(b"From x\n" + os.urandom(600_000))
    page.set_input_files("#tep", str(every))
    page.get_by_role("button", name="Nhận và kiểm tra").click()
    page.wait_for_load_state()
    text = page.locator("main").inner_text()
    assert "Lần gửi này quá lớn" in text and "Traceback" not in text, text
    shot(page, "7b-qua-lon")
    assert list(inbox.iterdir()) == []
