"""The whole year from the page (web.md, "The whole year from the page"), in Debian's Chromium
through Playwright, against real servers on 127.0.0.1: the page itself, pymap for IMAP, aiosmtpd
for SMTP, a real SQLite register, real LibreOffice-free PDF and Office writers. Every file the
officer downloads is compared with what the command line writes from the same inputs:
byte for byte, or, for Office files (.xlsx/.docx: a zip whose docProps/core.xml carries the time
of writing), member by member with the created/modified times taken out; for mail drafts (whose
Date, Message-ID and MIME boundaries are made at writing), header by header and part by part.
Screenshots go to tests/artifacts/web/ (year-*.png)."""
from __future__ import annotations

import datetime as dt
import email
import email.policy
import io
import logging
import re
import shutil
import threading
import zipfile
from collections import Counter
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from mail_servers import PASSWORD, USER, ImapServer, SmtpServer, gmail_message
from test_web_browser import CHROMIUM, FLAGS, free_port, playwright

from thidua_batch.cli import main
from thidua_batch.config.campaign import default_campaign_text, load_campaign
from thidua_batch.web.server import serve, settings_for

SAMPLES = Path(__file__).resolve().parent.parent / "samples" / "inbox"
SHOTS = Path(__file__).resolve().parent / "artifacts" / "web"
VN = dt.timezone(dt.timedelta(hours=7))
NUMBER, OTHER = "123/QĐ-LĐLĐ", "45/QĐ-TLĐ"
OFFICE_COMPARED: list[str] = []       # the downloads equal to the CLI's only with their writing time taken out


def when(day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2020, 12, day, hour, minute, tzinfo=VN)


def campaign_file(tmp_path: Path) -> Path:
    """The default campaign with the addresses of some units (the others' drafts have no To)."""
    text = default_campaign_text()
    for unit_id, addresses in {"tam-duong": '["vanphong.ldldtamduong@gmail.com"]',
                               "sin-ho": '["ldldsinho@gmail.com"]',
                               "cdn-y-te": '["congdoanyte.laichau@outlook.com", "chutich.cdyt@gmail.com"]'}.items():
        text = text.replace(f'id = "{unit_id}"', f'id = "{unit_id}"\nemails = {addresses}', 1)
    path = tmp_path / "chiến dịch.toml"
    path.write_text(text, encoding="utf-8")
    return path


# The units that mail their files (Tam Đường's comes through the page's upload instead).
MAILS = [
    ("tp-lai-chau", "LĐLĐ thành phố Lai Châu", "ldldtplaichau@gmail.com", "Đề nghị khen thưởng VHCS 2020",
     "thang 12/LDLD TP Lai Chau - de nghi khen thuong VHCS 2020.xlsx", when(17, 15, 42)),
    ("phong-tho", "LĐLĐ huyện Phong Thổ", "ldldphongtho@gmail.com", "Phong Thổ gửi danh sách khen thưởng",
     "Phong Tho_DS de nghi khen thuong VHCS.xlsx", when(18, 16, 5)),
    ("sin-ho", "LĐLĐ Sìn Hồ", "ldldsinho@gmail.com", "Sìn Hồ - hồ sơ khen thưởng",
     "mau_de_nghi_khen_thuong_sin-ho.xlsx", when(16, 10, 30)),
    ("than-uyen", "LĐLĐ huyện Than Uyên", "ldldthanuyen@gmail.com", "Danh sách đề nghị khen thưởng",
     "Than Uyen - danh sach de nghi khen thuong (mau rieng).xlsx", when(19, 8, 47)),
    ("nam-nhun", "LĐLĐ huyện Nậm Nhùn", "ldld.namnhun@gmail.com", "Nậm Nhùn gửi hồ sơ",
     "Nam Nhun de nghi khen thuong nam 2020.xlsx", when(18, 10, 12)),
    ("cdn-giao-duc", "Công đoàn ngành Giáo dục", "congdoangiaoduc.lc@gmail.com", "Hồ sơ khen thưởng CĐN Giáo dục",
     "CDN Giao duc - de nghi khen thuong (da sua).xlsx", when(12, 16, 30)),
    ("cdn-y-te", "Công đoàn ngành Y tế", "cdyte.laichau@gmail.com", "Danh sách khen thưởng CĐN Y tế",
     "Danh sach khen thuong CDN Y te.xlsx", when(14, 11)),
    ("cdvc-tinh", "Công đoàn Viên chức tỉnh", "cdvctinh.laichau@gmail.com", "CĐVC tỉnh đề nghị khen thưởng",
     "CDVC tinh - de nghi khen thuong VHCS 2020.xlsx", when(15, 15, 30)),
]
UPLOADED = SAMPLES / "LDLD Tam Duong - de nghi khen thuong 2020.xlsx"


def invoke(*args):
    result = CliRunner().invoke(main, [str(a) for a in args],
                                env={"THIDUA_IMAP_PASSWORD": PASSWORD, "THIDUA_SMTP_PASSWORD": PASSWORD})
    return result


def office_parts(data: bytes) -> dict[str, bytes]:
    """An .xlsx/.docx member by member, with the time of writing taken out of docProps/core.xml."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    if "docProps/core.xml" in parts:
        parts["docProps/core.xml"] = re.sub(rb"<dcterms:(created|modified)[^>]*>[^<]*</dcterms:\1>", b"",
                                            parts["docProps/core.xml"])
    return parts


def same_file(page_bytes: bytes, cli_path: Path) -> str:
    """How the downloaded file equals the command line's: "bytes" or "office" (times taken out)."""
    cli = cli_path.read_bytes()
    if page_bytes == cli:
        return "bytes"
    assert cli_path.suffix in (".xlsx", ".docx"), cli_path
    assert office_parts(page_bytes) == office_parts(cli), cli_path
    OFFICE_COMPARED.append(cli_path.name)
    return "office"


def mail_parts(data: bytes) -> tuple:
    """A draft as its reader sees it: the headers but Date and Message-ID, each part's type, name, content
    (an attached Office file with its time of writing taken out)."""
    message = email.message_from_bytes(data, policy=email.policy.default)
    heads = tuple((k, str(v)) for k, v in message.items() if k not in ("Date", "Message-ID", "Content-Type"))
    parts = tuple((p.get_content_type(), p.get_filename(),
                   office_parts(p.get_content()) if (p.get_filename() or "").endswith((".xlsx", ".docx"))
                   else p.get_content()) for p in message.walk() if not p.is_multipart())
    return heads, parts


class Shots:
    def __init__(self, page) -> None:
        self.page, self.html = page, []

    def __call__(self, name: str) -> None:
        SHOTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(SHOTS / f"year-{name}.png"), full_page=True)
        self.html.append(self.page.content())


@pytest.fixture
def servers(tmp_path):
    imap, smtp = ImapServer.start(tmp_path), SmtpServer.start(tmp_path)
    yield imap, smtp
    imap.stop()
    smtp.stop()


@pytest.fixture
def browser_page():
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=FLAGS)
        context = browser.new_context(accept_downloads=True, viewport={"width": 1360, "height": 900}, locale="vi-VN")
        yield context.new_page()
        browser.close()


def start_site(tmp_path: Path, campaign_path: Path, echo: list[str]):
    inbox, out, register = tmp_path / "hop-thu", tmp_path / "output", tmp_path / "so_khen_thuong.sqlite"
    port = free_port()
    settings = settings_for(inbox, out, load_campaign(campaign_path), register, "127.0.0.1", port)
    ready = threading.Event()
    threading.Thread(target=serve, args=(settings, "127.0.0.1", port, False, echo.append, ready), daemon=True).start()
    assert ready.wait(10)
    return f"http://127.0.0.1:{port}", inbox, out, register


def download(page, locator, saved: Path) -> bytes:
    with page.expect_download() as info:
        locator.click()
    saved.parent.mkdir(parents=True, exist_ok=True)
    info.value.save_as(saved)
    return saved.read_bytes()


def wait_done(page, words: str) -> None:
    """The page's script polls the progress and reloads when the work ends."""
    page.wait_for_selector(f"text={words}", timeout=120_000)


def test_the_whole_year_on_the_page_alone(servers, browser_page, tmp_path, caplog, capfd):
    for name in ("thidua_batch", "werkzeug"):     # the page's own logs (not the test mail servers')
        caplog.set_level(logging.DEBUG, logger=name)
    imap, smtp = servers
    for unit_id, name, sender, subject, file, moment in MAILS:
        imap.deliver(gmail_message(name, sender, subject, moment, "Kính gửi Ban CSPL&QHLĐ.",
                                   [(Path(file).name, (SAMPLES / file).read_bytes())],
                                   f"<CA{unit_id.replace('-', '')}=1@mail.gmail.com>"), moment)
    imap.deliver(gmail_message("Ai đó", "someone@example.com", "Quảng cáo", when(17, 9), "Không có tệp", [],
                               "<ad@example.com>"), when(17, 9))
    campaign_path = campaign_file(tmp_path)
    echo: list[str] = []
    base, inbox, out, register = start_site(tmp_path, campaign_path, echo)
    page, cli, got = browser_page, tmp_path / "dong-lenh", tmp_path / "tai-ve"
    shot = Shots(page)
    kinds = Counter()

    # 1. Nhận hồ sơ: one unit's file through the page.
    page.goto(base + "/")
    strip = page.locator("ol.strip li")
    assert strip.count() == 7 and "chưa làm" in strip.nth(1).inner_text()
    shot("0-tong-quan")
    page.locator("nav").get_by_role("link", name="Nhận hồ sơ").click()
    page.set_input_files("#tep", str(UPLOADED))
    page.get_by_role("button", name="Nhận và kiểm tra").click()
    page.wait_for_load_state()
    assert "Đã lưu thành" in page.locator("main").inner_text()

    # 2. Thư điện tử: fetch with the password typed into the form.
    page.locator("nav").get_by_role("link", name="Thư điện tử").click()
    page.get_by_label("Máy chủ IMAP").fill(imap.address)
    page.get_by_label("Địa chỉ hộp thư").first.fill(USER)
    page.get_by_label("Mật khẩu ứng dụng").fill(PASSWORD)
    page.locator("#tai ~ form select[name=bao_mat]").select_option("plain")
    page.get_by_role("button", name="Tải thư").click()
    wait_done(page, "Tải xong lúc")
    text = page.locator("main").inner_text()
    assert f"lưu mới {len(MAILS)} thư, bỏ qua 1" in text and "không có tệp đính kèm" in text
    assert page.get_by_label("Mật khẩu ứng dụng").input_value() == ""       # never put back into the page
    shot("1-thu-tai")
    fetched = invoke("mail", "fetch", "--imap", imap.address, "--plain", "--user", USER, "--out", cli / "hop-thu",
                     "--campaign", campaign_path)
    assert fetched.exit_code == 0, fetched.output
    saved_by_page = sorted(p.name for p in inbox.glob("*.eml"))
    assert saved_by_page == sorted(p.name for p in (cli / "hop-thu").glob("*.eml")) and len(saved_by_page) == len(MAILS)
    for name in saved_by_page:
        kinds[same_file((inbox / name).read_bytes(), cli / "hop-thu" / name)] += 1

    # 3. Tổng hợp.
    page.locator("nav").get_by_role("link", name="Tổng hợp").click()
    page.get_by_role("button", name="Tổng hợp").click()
    wait_done(page, "Đã tổng hợp xong")
    assert not page.locator("table.files a", has_text="thu-tra-loi").count()

    # 4. Trả lời đơn vị: draft, leave one out, confirm, send; then the one left out.
    page.locator("nav").get_by_role("link", name="Thư điện tử").click()
    page.get_by_role("button", name="Soạn thư trả lời từ lần tổng hợp gần nhất").click()
    page.wait_for_load_state()
    drafts = page.locator("#tra-loi section.draft")
    units_sent = len(MAILS) + 1
    assert drafts.count() == units_sent
    first = drafts.filter(has_text="Sìn Hồ").first
    assert "Re: Sìn Hồ - hồ sơ khen thưởng" in first.inner_text() and "Phản hồi - " in first.inner_text()
    first.locator("summary").click()                                          # the body, read before sending
    assert "Kính gửi: Liên đoàn Lao động huyện Sìn Hồ" in first.locator("pre.body").inner_text()
    shot("2-thu-tra-loi")
    first.get_by_label("Bỏ, không gửi thư này").check()
    page.get_by_role("button", name="Gửi các thư đã chọn…").first.click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text().startswith("Xác nhận gửi")
    assert page.locator("table.planned tbody tr").count() == units_sent - 1
    assert not smtp.received                                                  # nothing before the confirmation
    shot("3-thu-xac-nhan")
    page.get_by_label("Máy chủ SMTP").fill(smtp.address)
    page.get_by_label("Mật khẩu ứng dụng").fill(PASSWORD)
    page.locator("select[name=bao_mat]").select_option("plain")
    page.get_by_role("button", name=re.compile("Xác nhận gửi")).click()
    wait_done(page, "Gửi xong lúc")
    assert len(smtp.received) == units_sent - 1
    assert f"đã gửi {units_sent - 1}" in page.locator("main").inner_text()
    left = page.locator("#tra-loi section.draft")
    assert left.count() == 1 and "Sìn Hồ" in left.inner_text()
    shot("4-thu-da-gui")
    page.get_by_role("button", name="Gửi các thư đã chọn…").first.click()
    page.get_by_label("Máy chủ SMTP").fill(smtp.address)
    page.get_by_label("Mật khẩu ứng dụng").fill(PASSWORD)
    page.locator("select[name=bao_mat]").select_option("plain")
    page.get_by_role("button", name="Xác nhận gửi 1 thư").click()
    wait_done(page, "Gửi xong lúc")
    assert len(smtp.received) == units_sent
    letters = Counter(next(p for p in email.message_from_bytes(r.data, policy=email.policy.default)
                           .iter_attachments()).get_filename() for r in smtp.received)
    assert len(letters) == units_sent and set(letters.values()) == {1}       # each unit exactly once
    assert page.locator("#tra-loi table.sent tbody tr").count() == units_sent
    replies = invoke("mail", "replies", out, "--out", cli / "thu-tra-loi", "--campaign", campaign_path)
    assert replies.exit_code == 0, replies.output
    for sent in (out / "thu-tra-loi" / "da_gui").glob("*.eml"):
        assert mail_parts(sent.read_bytes()) == mail_parts((cli / "thu-tra-loi" / sent.name).read_bytes()), sent.name
        kinds["mail"] += 1

    # ... and the templates to the units the same way (the units without an address are not sent).
    page.get_by_role("button", name="Soạn thư gửi mẫu cho các đơn vị").click()
    page.wait_for_load_state()
    page.locator("#gui-mau form").get_by_role("button", name="Gửi các thư đã chọn…").click()
    page.wait_for_load_state()
    assert page.locator("table.planned tbody tr").count() == 3
    assert "chưa có người nhận" in page.locator("main").inner_text()
    page.get_by_label("Máy chủ SMTP").fill(smtp.address)
    page.get_by_label("Mật khẩu ứng dụng").fill(PASSWORD)
    page.locator("select[name=bao_mat]").select_option("plain")
    page.get_by_role("button", name="Xác nhận gửi 3 thư").click()
    wait_done(page, "Gửi xong lúc")
    assert len(smtp.received) == units_sent + 3
    templates = invoke("mail", "templates", "--out", cli / "thu-gui-mau", "--campaign", campaign_path)
    assert templates.exit_code == 0
    for sent in (out / "thu-gui-mau" / "da_gui").glob("*.eml"):
        assert mail_parts(sent.read_bytes()) == mail_parts((cli / "thu-gui-mau" / sent.name).read_bytes())
        kinds["mail"] += 1
    shot("5-thu-gui-mau")

    # 5. Sổ khen thưởng: record after the confirmation, a second recording refused, import, remove.
    page.locator("nav").get_by_role("link", name="Sổ khen thưởng").click()
    page.get_by_label("Số quyết định").first.fill(NUMBER)
    page.get_by_label("Ngày ký").first.fill("28/12/2020")
    page.get_by_role("button", name="Xem trước khi ghi…").click()
    page.wait_for_load_state()
    assert not register.exists() or "123" not in invoke("register", "list", "--register", register).output
    shot("6-so-xac-nhan")
    page.get_by_role("button", name="Xác nhận ghi vào sổ").click()
    page.wait_for_load_state()
    assert f"Đã ghi vào sổ: Quyết định số {NUMBER} ngày 28/12/2020" in page.locator("main").inner_text()
    page.get_by_label("Số quyết định").first.fill(NUMBER)
    page.get_by_label("Ngày ký").first.fill("29/12/2020")
    page.get_by_role("button", name="Xem trước khi ghi…").click()
    page.get_by_role("button", name="Xác nhận ghi vào sổ").click()
    page.wait_for_load_state()
    refusal = page.locator("p.message.error").inner_text()
    assert "Không ghi, không xóa gì" in refusal and NUMBER in refusal and "Traceback" not in refusal
    assert invoke("register", "list", "--json", "--register", register).output.count('"number"') == 1
    page.get_by_label("Số quyết định").first.fill("124/QĐ-LĐLĐ")                # the same run under another number
    page.get_by_label("Ngày ký").first.fill("29/12/2020")
    page.get_by_role("button", name="Xem trước khi ghi…").click()
    page.get_by_role("button", name="Xác nhận ghi vào sổ").click()
    page.wait_for_load_state()
    second = page.locator("p.message.error").inner_text()
    assert "Không ghi, không xóa gì" in second and NUMBER in second               # names the earlier decision
    assert "“Xóa khỏi sổ…”" in second                                            # and the page's way to take it back
    assert invoke("register", "list", "--json", "--register", register).output.count('"number"') == 1
    shot("7-so-tu-choi")
    invoke("register", "template", "--out", tmp_path / "mau-so")
    book = openpyxl.load_workbook(tmp_path / "mau-so" / "mau_nhap_quyet_dinh.xlsx")
    book["Cá nhân"].append([1, "Tẩn Láo San", "Nam", 1981, "Chủ tịch CĐCS", "UBND xã Pắc Ta", "LĐLĐ huyện Tân Uyên",
                            2000000])
    book.save(tmp_path / "QĐ Tổng LĐLĐ.xlsx")
    form = page.locator("form", has_text="Nhập quyết định ban hành ngoài công cụ")
    form.get_by_label("Tệp danh sách").set_input_files(str(tmp_path / "QĐ Tổng LĐLĐ.xlsx"))
    form.get_by_label("Số quyết định").fill(OTHER)
    form.get_by_label("Ngày ký").fill("15/01/2021")
    form.get_by_label("Hình thức").fill("Bằng khen của Tổng LĐLĐ Việt Nam")
    form.get_by_role("button", name="Xem trước khi nhập…").click()
    page.wait_for_load_state()
    assert "Tẩn Láo San" in page.locator("table.awardees").inner_text()
    page.get_by_role("button", name="Xác nhận ghi vào sổ").click()
    page.wait_for_load_state()
    assert page.locator("table.decisions tbody tr").count() == 2
    assert "import: QĐ Tổng LĐLĐ.xlsx" in page.locator("table.decisions").inner_text()   # as `register import` says
    page.get_by_label("Tên").fill("tẩn láo")
    page.get_by_role("button", name="Tra").click()
    assert "Tẩn Láo San" in page.locator("table.found").inner_text() and OTHER in page.locator("table.found").inner_text()
    shot("8-so-tra-cuu")
    page.locator("table.decisions tr", has_text=OTHER).get_by_role("link", name="Xóa khỏi sổ…").click()
    assert OTHER in page.locator("main").inner_text() and "Tẩn Láo San" in page.locator("table.awardees").inner_text()
    shot("9-so-xoa-xac-nhan")
    page.get_by_role("button", name="Xác nhận xóa").click()
    page.wait_for_load_state()
    assert f"Đã xóa khỏi sổ Quyết định số {OTHER}" in page.locator("main").inner_text()
    assert page.locator("table.decisions tbody tr").count() == 1
    exported = download(page, page.get_by_role("link", name=re.compile("Xuất toàn bộ sổ")), got / "so.xlsx")
    assert invoke("register", "export", "--out", cli / "so.xlsx", "--register", register).exit_code == 0
    kinds[same_file(exported, cli / "so.xlsx")] += 1

    # 6. In Bằng khen: a wrong layout refused by line, this printer's layout taken, then printed.
    page.locator("nav").get_by_role("link", name="In Bằng khen").click()
    default = download(page, page.get_by_role("link", name="Tải bố cục có sẵn để sửa"), got / "bang_khen_a3.toml")
    broken = tmp_path / "bố cục hỏng.toml"
    broken.write_bytes(default.replace(b"dx_mm = 0", "dx_mm = \"năm\"".encode(), 1))
    page.get_by_label("Tệp bố cục (.toml)").set_input_files(str(broken))
    page.get_by_role("button", name="Kiểm tra và dùng").click()
    page.wait_for_load_state()
    assert "bố cục hỏng.toml" in page.locator("p.message.error").inner_text()
    mine = tmp_path / "máy in phòng.toml"
    mine.write_bytes(re.sub(rb"dx_mm = [-0-9.]+", b"dx_mm = 1.5", default, count=1))
    page.get_by_label("Tệp bố cục (.toml)").set_input_files(str(mine))
    page.get_by_role("button", name="Kiểm tra và dùng").click()
    page.wait_for_load_state()
    assert "Đã nhận bố cục" in page.locator("main").inner_text()
    page.get_by_role("button", name="Ghi tệp in…").click()
    page.wait_for_load_state()
    shot("10-in-xac-nhan")
    page.get_by_role("button", name="Xác nhận ghi tệp in").click()
    wait_done(page, "Đã ghi 3 tệp in")
    shot("11-in")
    shutil.copy(register, tmp_path / "so-ban-sao.sqlite")
    printed = invoke("certificates", "--decision", NUMBER, "--out", cli / "in", "--calibrate", "--layout", mine,
                     "--register", tmp_path / "so-ban-sao.sqlite")
    assert printed.exit_code == 0, printed.output
    for name in ("bang_khen.pdf", "danh_sach_ky_nhan.xlsx", "can_chinh.pdf"):
        data = download(page, page.locator("table.printed a", has_text=name), got / "in" / name)
        kinds[same_file(data, cli / "in" / name)] += 1
    assert (got / "in" / "bang_khen.pdf").read_bytes() == (cli / "in" / "bang_khen.pdf").read_bytes()

    # 7. Hội nghị: the filled files down, the delegates filled in Excel and sent back, the papers built.
    page.locator("nav").get_by_role("link", name="Hội nghị").click()
    page.get_by_role("button", name="Ghi tệp hội nghị mẫu").click()
    page.wait_for_load_state()
    config = download(page, page.get_by_role("link", name=re.compile("Tải tệp hội nghị")), got / "hoi_nghi.toml")
    delegates = download(page, page.get_by_role("link", name=re.compile("Tải danh sách đại biểu")),
                         got / "dai_bieu.xlsx")
    assert invoke("conference", "template", "--out", cli / "hoi-nghi", "--campaign", campaign_path).exit_code == 0
    kinds[same_file(config, cli / "hoi-nghi" / "hoi_nghi.toml")] += 1
    kinds[same_file(delegates, cli / "hoi-nghi" / "dai_bieu.xlsx")] += 1
    book = openpyxl.load_workbook(got / "dai_bieu.xlsx")
    sheet = book["Đại biểu"]
    rows = [("Đơn vị", "Vàng A Chá", "Nam", "Chủ tịch LĐLĐ huyện Sìn Hồ", "Liên đoàn Lao động huyện Sìn Hồ", "sin-ho"),
            ("Lãnh đạo tỉnh", "Lê Minh Tâm", "Nam", "Phó Bí thư Tỉnh ủy", "Tỉnh ủy Lai Châu", ""),
            ("Đơn vị", "Vàng  A Chá", "Nam", "Chủ tịch LĐLĐ huyện Sìn Hồ", "Liên đoàn Lao động huyện Sìn Hồ", "sin-ho")]
    for i, row in enumerate(rows, start=4):
        sheet.cell(i, 1, i - 3)
        for c, value in enumerate(row, start=2):
            if value:
                sheet.cell(i, c, value)
    edited = tmp_path / "đại biểu đã điền.xlsx"
    book.save(edited)
    page.get_by_label(re.compile("Gửi lên tệp đã sửa")).set_input_files(str(edited))
    page.get_by_role("button", name="Gửi lên", exact=True).click()
    page.wait_for_load_state()
    assert "Đã nhận" in page.locator("main").inner_text()
    page.get_by_role("button", name="Ghi văn bản hội nghị").click()
    wait_done(page, "quyết định năm 2020 trong sổ")
    problems = page.locator("table.findings").inner_text()
    assert "Đại biểu!" in problems                                            # the duplicate, by sheet and cell
    shot("12-hoi-nghi")
    built = invoke("conference", "build", "--config", out / "hoi-nghi" / "hoi_nghi.toml", "--delegates",
                   out / "hoi-nghi" / "dai_bieu.xlsx", "--out", cli / "van-ban", "--run", out,
                   "--register", register, "--campaign", campaign_path)
    assert built.exit_code in (0, 1), built.output
    links = page.locator("ul.files a")
    names = [links.nth(i).inner_text() for i in range(links.count())]
    assert "kich_ban.docx" in names and "du_tru_kinh_phi.xlsx" in names
    for name in names:
        data = download(page, page.locator("ul.files a", has_text=name).first, got / "van-ban" / name)
        kinds[same_file(data, cli / "van-ban" / name)] += 1
    archive = download(page, page.get_by_role("link", name=re.compile("Tải tất cả")), got / "van-ban.zip")
    with zipfile.ZipFile(io.BytesIO(archive)) as z:
        assert sorted(z.namelist()) == sorted(names)

    # 8. The strip: every step done or under way.
    page.locator("nav").get_by_role("link", name="Tổng quan").click()
    steps = [strip.nth(i).inner_text() for i in range(7)]
    assert all("chưa làm" not in s for s in steps), steps
    assert f"Quyết định số {NUMBER}" in steps[4] and "1/1" in steps[5]
    shot("13-tong-quan-ca-nam")

    # The typed password appears nowhere: pages, files, the server's log and output.
    secret = PASSWORD.encode()
    for html in shot.html:
        assert PASSWORD not in html
    for path in tmp_path.rglob("*"):
        if path.is_file():
            assert secret not in path.read_bytes(), path
    ours = [r.getMessage() + (r.exc_text or "") for r in caplog.records if r.name.startswith(("thidua_batch", "werkzeug"))]
    assert all(PASSWORD not in line for line in ours + echo)
    captured = capfd.readouterr()
    assert PASSWORD not in captured.out and PASSWORD not in captured.err
    print("compared:", dict(kinds), "office files:", OFFICE_COMPARED)


def test_shared_office_login_is_locked_after_wrong_guesses_and_the_officer_can_log_out(tmp_path, browser_page,
                                                                                      monkeypatch):
    from thidua_batch.web import app as web_app
    monkeypatch.setattr(web_app, "SLOW_SECONDS", 0.2)
    monkeypatch.setenv("THIDUA_WEB_PASSWORD", "Công đoàn 2020")
    settings = settings_for(tmp_path / "hop-thu", tmp_path / "output", load_campaign(), None, "0.0.0.0", 0)
    port, ready = free_port(), threading.Event()
    threading.Thread(target=serve, args=(settings, "127.0.0.1", port, False, lambda _t: None, ready),
                     daemon=True).start()
    assert ready.wait(10)
    page, shot = browser_page, Shots(browser_page)
    page.goto(f"http://127.0.0.1:{port}/so")
    assert "Thư mục hồ sơ" not in page.content() and not page.locator("nav").count()   # nothing before the login
    page.get_by_label("Mật khẩu").fill("Công đoàn 2020")
    page.get_by_role("button", name="Vào").click()
    assert page.locator("h1").inner_text() == "Sổ khen thưởng"
    shot("14-dang-nhap-roi")
    page.get_by_role("link", name="Đăng xuất").click()
    assert page.url.endswith("/dang-nhap") and page.get_by_label("Mật khẩu").is_visible()
    page.goto(f"http://127.0.0.1:{port}/thu")
    assert "/dang-nhap" in page.url                                             # logged out: asked again
    for attempt in range(web_app.LOCK_AFTER):
        page.get_by_label("Mật khẩu").fill(f"đoán {attempt}")
        page.get_by_role("button", name="Vào").click()
    text = page.locator("main").inner_text()
    assert "tạm khóa đăng nhập" in text and not page.get_by_label("Mật khẩu").count()
    shot("15-dang-nhap-bi-khoa")
