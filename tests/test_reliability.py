"""The officer's Windows PC (reliability.md): outputs as one set, files edited by hand, damaged and
read-only registers, consoles in legacy code pages, click's words, Windows names. Every fault is
injected for real; a refusal is checked by its exit code, its Vietnamese words, and outputs that
are byte for byte what they were."""
from __future__ import annotations

import contextlib
import datetime as dt
import io
import json
import os
import re
import shutil
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from click.testing import CliRunner
from hostile import _ratio_bomb

from thidua_batch.cli import main
from thidua_batch.common.atomic import OutputBlocked, OutputSet
from thidua_batch.common.filenames import fit_name, is_device_name, name_bytes, safe_name
from thidua_batch.common.library_words import library_detail
from thidua_batch.common.tomlfile import TomlFileError, decode, parse
from thidua_batch.config.campaign import CampaignError, default_campaign_text, load_campaign
from thidua_batch.conference.papers import slugify

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples" / "inbox"
NUMBER = "123/QĐ-LĐLĐ"
CAMPAIGN = load_campaign()


def invoke(*args, env=None):
    return CliRunner().invoke(main, [str(a) for a in args], env=env)


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@contextlib.contextmanager
def held(path: Path):
    """What Windows does to a file open in Word or Excel: it cannot be renamed or replaced. Here the
    immutable attribute (as root), else a read-only folder; on Windows an open handle does it."""
    if os.name == "nt":
        with path.open("rb"):
            yield
        return
    if os.geteuid() == 0:
        if not shutil.which("chattr") or subprocess.run(["chattr", "+i", str(path)], capture_output=True).returncode:
            pytest.skip("no way to make a file unreplaceable here (chattr +i)")
        try:
            yield
        finally:
            subprocess.run(["chattr", "-i", str(path)], check=True)
        return
    folder = path if path.is_dir() else path.parent
    mode = folder.stat().st_mode
    folder.chmod(0o555)
    try:
        yield
    finally:
        folder.chmod(mode)


@contextlib.contextmanager
def read_only(path: Path):
    """A register marked read-only: Windows' Read-only attribute or a chmod 444 (for root, whom permissions
    do not stop, the immutable attribute)."""
    if os.name != "nt" and os.geteuid() == 0:
        with held(path):
            yield
        return
    mode = path.stat().st_mode
    path.chmod(0o444)
    try:
        yield
    finally:
        path.chmod(mode)


def no_staging_left(out: Path) -> bool:
    return not [p for p in out.rglob("*") if p.name.startswith(".dang-ghi-") or p.name.endswith(".tmp")]


# ---------------------------------------------------------------------------------- outputs as one set

@pytest.fixture
def run_out(tmp_path):
    inbox = tmp_path / "hop-thu"
    shutil.copytree(SAMPLES, inbox)
    out = tmp_path / "ket-qua"
    first = invoke("run", inbox, "--out", out, "--register", tmp_path / "khong-co.sqlite")
    assert first.exit_code == 1, first.output
    (inbox / "Nam Nhun de nghi khen thuong nam 2020.xlsx").unlink()     # the next run would differ
    return inbox, out


def test_run_stops_before_replacing_anything_when_a_draft_is_open(run_out, tmp_path):
    inbox, out = run_out
    letter = out / "phan_hoi" / "nam-nhun.docx"          # would be removed: Nậm Nhùn sent nothing now
    before = snapshot(out)
    with held(out / "du_thao_to_trinh.docx"):
        result = invoke("run", inbox, "--out", out, "--register", tmp_path / "khong-co.sqlite")
        assert result.exit_code == 2, result.output
        assert "du_thao_to_trinh.docx" in result.output and "Hãy đóng tệp du_thao_to_trinh.docx trong Word " \
            "rồi chạy lại" in result.output
        assert "Chưa tệp kết quả nào bị thay" in result.output and "Traceback" not in result.output
        assert snapshot(out) == before and letter.is_file()
        assert no_staging_left(out)
    again = invoke("run", inbox, "--out", out, "--register", tmp_path / "khong-co.sqlite")
    assert again.exit_code == 1, again.output
    assert not letter.exists()                           # the whole set changed at once
    report = json.loads((out / "report.json").read_text("utf-8"))
    assert report != json.loads(before["report.json"])
    assert no_staging_left(out)


def test_run_stops_when_a_folder_stands_where_an_output_goes(run_out, tmp_path):
    inbox, out = run_out
    (out / "tong_hop_khen_thuong.xlsx").unlink()
    (out / "tong_hop_khen_thuong.xlsx").mkdir()
    (out / "tong_hop_khen_thuong.xlsx" / "ghi-chu.txt").write_text("của Văn phòng")
    before = snapshot(out)
    result = invoke("run", inbox, "--out", out, "--json", "--register", tmp_path / "khong-co.sqlite")
    assert result.exit_code == 2
    assert "tong_hop_khen_thuong.xlsx" in result.output and "thư mục" in result.output
    assert snapshot(out) == before and no_staging_left(out)


def test_a_workbook_held_open_by_excel_keeps_the_last_set_whole(run_out, tmp_path):
    inbox, out = run_out
    before = snapshot(out)
    with held(out / "tong_hop_khen_thuong.xlsx"):
        result = invoke("run", inbox, "--out", out, "--register", tmp_path / "khong-co.sqlite")
    assert result.exit_code == 2 and "trong Excel rồi chạy lại" in result.output
    assert snapshot(out) == before


@pytest.mark.skipif(os.name == "nt", reason="a read-only folder is made with chattr or chmod here")
def test_a_read_only_out_folder_is_a_message(tmp_path):
    out = tmp_path / "ket-qua"
    out.mkdir()
    (out / "report.json").write_text("{}")
    sub = out / "con-ghi"
    with held(out):
        result = invoke("template", "--out", out)
    assert result.exit_code == 2 and "không có quyền ghi vào thư mục" in result.output
    assert snapshot(out) == {"report.json": b"{}"} and not sub.exists()


def test_output_set_unit_rules(tmp_path):
    out = tmp_path / "out"
    with OutputSet(out) as first:
        first.path("a.txt").write_text("1")
        first.path("sub/b.txt").write_text("1")
    assert snapshot(out) == {"a.txt": b"1", "sub/b.txt": b"1"}
    with pytest.raises(RuntimeError), OutputSet(out) as failing:     # a writer that fails: nothing moves
        failing.path("a.txt").write_text("2")
        raise RuntimeError
    assert snapshot(out) == {"a.txt": b"1", "sub/b.txt": b"1"}
    with OutputSet(out) as second:
        second.path("a.txt").write_text("2")
        second.drop_unless_written(["sub/b.txt", "sub/c.txt"])
    assert snapshot(out) == {"a.txt": b"2"}
    with pytest.raises(OutputBlocked, match="trùng tên thiết bị của Windows"), OutputSet(out) as device:
        device.path("con.docx").write_text("x")
    assert snapshot(out) == {"a.txt": b"2"} and no_staging_left(out)
    old, young = out / ".dang-ghi-tu-hom-qua", out / ".dang-ghi-dang-chay"   # a PC switched off while writing
    old.mkdir(), young.mkdir()
    os.utime(old, (old.stat().st_atime - 2 * 86400, old.stat().st_mtime - 2 * 86400))
    with OutputSet(out) as third:
        third.path("a.txt").write_text("3")
    assert not old.exists() and young.is_dir()


def test_unit_templates_are_one_set(tmp_path):
    out = tmp_path / "mau"
    assert invoke("template", "--all-units", "--out", out).exit_code == 0
    before = snapshot(out)
    with held(out / "mau_de_nghi_khen_thuong_tam-duong.xlsx"):
        result = invoke("template", "--all-units", "--out", out)
    assert result.exit_code == 2 and "Hãy đóng tệp mau_de_nghi_khen_thuong_tam-duong.xlsx trong Excel" in result.output
    assert snapshot(out) == before and no_staging_left(out)


def test_conference_build_is_one_set(tmp_path):
    from test_conference import fill_delegates

    template = tmp_path / "mau"
    assert invoke("conference", "template", "--out", template).exit_code == 0
    delegates = fill_delegates(template / "dai_bieu.xlsx", tmp_path / "dai_bieu.xlsx")
    out = tmp_path / "hoi-nghi"
    args = ["conference", "build", "--config", template / "hoi_nghi.toml", "--delegates", delegates, "--out", out,
            "--register", tmp_path / "khong-co.sqlite"]
    assert invoke(*args).exit_code in (0, 1)
    invitation = sorted((out / "giay_moi").glob("*.docx"))[0]
    before = snapshot(out)
    with held(invitation):
        result = invoke(*args)
    assert result.exit_code == 2 and f"Hãy đóng tệp {invitation.name} trong Word" in result.output
    assert snapshot(out) == before and no_staging_left(out)


def test_certificates_are_one_set(tmp_path):
    from test_certificates import decision

    from thidua_batch.register.store import open_register

    register = tmp_path / "so.sqlite"
    with open_register(register) as book:
        book.record(decision())
    out = tmp_path / "in"
    args = ["certificates", "--decision", NUMBER, "--out", out, "--register", register]
    assert invoke(*args).exit_code == 0
    before = snapshot(out)
    with held(out / "danh_sach_ky_nhan.xlsx"):
        result = invoke(*args, "--calibrate")
    assert result.exit_code == 2 and "Hãy đóng tệp danh_sach_ky_nhan.xlsx trong Excel" in result.output
    assert snapshot(out) == before            # not even can_chinh.pdf was added


def test_mail_templates_and_replies_are_one_set(run_out, tmp_path):
    _, run_dir = run_out
    drafts = tmp_path / "thu-nhap"
    assert invoke("mail", "templates", "--out", drafts).exit_code == 0
    before = snapshot(drafts)
    with held(drafts / "tam-duong.eml"):
        result = invoke("mail", "templates", "--out", drafts)
    assert result.exit_code == 2 and "Hãy đóng tệp tam-duong.eml trong chương trình thư" in result.output
    assert snapshot(drafts) == before
    replies = tmp_path / "tra-loi"
    assert invoke("mail", "replies", run_dir, "--out", replies).exit_code == 0
    before = snapshot(replies)
    with held(replies / "tam-duong.eml"):
        result = invoke("mail", "replies", run_dir, "--out", replies)
    assert result.exit_code == 2 and "tam-duong.eml" in result.output
    assert snapshot(replies) == before and no_staging_left(replies)


def test_send_goes_on_and_never_sends_twice_when_a_sent_draft_cannot_be_moved(tmp_path):
    from mail_servers import PASSWORD, USER, SmtpServer

    from thidua_batch.mail import messages

    smtp = SmtpServer.start(tmp_path)
    try:
        folder = tmp_path / "nháp"
        for stem in ("a", "b", "c"):
            draft = messages.Draft((f"{stem}@units.test",), f"Thư {stem}", "Nội dung.\n", ())
            messages.write(messages.build(draft, "Ban <ban@ldld.test>", dt.datetime(2020, 12, 21, 9, tzinfo=CAMPAIGN.tz)),
                           folder / f"{stem}.eml")
        env = {"THIDUA_SMTP_PASSWORD": PASSWORD}
        args = ["mail", "send", folder, "--smtp", smtp.address, "--plain", "--user", USER]
        with held(folder / "b.eml"):
            first = invoke(*args, env=env)
        assert first.exit_code == 0, first.output
        assert "Đã gửi b.eml" in first.output and "không chuyển được b.eml vào da_gui/" in first.output
        assert len(smtp.received) == 3 and "Traceback" not in first.output
        assert sorted(p.name for p in (folder / "da_gui").glob("*.eml")) == ["a.eml", "b.eml", "c.eml"]
        assert not list(folder.glob("*.dang-gui"))
        second = invoke(*args, env=env)
        assert second.exit_code == 0 and "Không gửi b.eml: đã gửi trước đây" in second.output
        assert len(smtp.received) == 3                     # never twice
    finally:
        smtp.stop()


def test_the_page_refuses_a_missing_inbox_and_keeps_every_output(tmp_path):
    from thidua_batch.web.app import Settings, create_app

    inbox, out = tmp_path / "hộp thư", tmp_path / "kết quả"
    shutil.copytree(SAMPLES, inbox)
    assert invoke("run", inbox, "--out", out, "--register", tmp_path / "khong-co.sqlite").exit_code == 1
    before = snapshot(out)
    inbox.rename(tmp_path / "hộp thư cũ")                # renamed in Explorer, or a drive disconnected
    client = create_app(Settings(inbox, out, CAMPAIGN)).test_client()
    for page in ("/", "/nhan", "/tong-hop", "/mau", "/don-vi/tam-duong"):
        answer = client.get(page)
        assert answer.status_code in (200, 404)
        if answer.status_code == 200:
            assert "Không thấy thư mục hồ sơ" in answer.get_data(as_text=True), page
    csrf = client.get("/nhan").get_data(as_text=True).split('name="csrf" value="', 1)[1].split('"', 1)[0]
    started = client.post("/tong-hop/chay", data={"csrf": csrf})
    assert started.status_code == 302
    state = client.get("/tong-hop/tien-do").get_json()
    assert state["running"] is False and state["error"].startswith("Không tổng hợp: Không thấy thư mục hồ sơ")
    upload = client.post("/nhan", data={"csrf": csrf, "tep": (io.BytesIO(b"x"), "a.xlsx")},
                         content_type="multipart/form-data")
    assert upload.status_code == 409
    assert not inbox.exists()                            # never re-created empty
    assert snapshot(out) == before


def test_the_page_keeps_the_last_set_when_a_draft_is_open_in_word(run_out):
    import threading

    from thidua_batch.web.app import Settings, create_app

    inbox, out = run_out
    before = snapshot(out)
    client = create_app(Settings(inbox, out, CAMPAIGN)).test_client()
    csrf = client.get("/nhan").get_data(as_text=True).split('name="csrf" value="', 1)[1].split('"', 1)[0]
    with held(out / "du_thao_quyet_dinh_khen_thuong.docx"):
        assert client.post("/tong-hop/chay", data={"csrf": csrf}).status_code == 302
        for _ in range(1200):
            state = client.get("/tong-hop/tien-do").get_json()
            if not state["running"]:
                break
            threading.Event().wait(0.05)
    assert state["running"] is False
    assert "Hãy đóng tệp du_thao_quyet_dinh_khen_thuong.docx trong Word rồi chạy lại" in state["error"]
    assert "Hãy đóng tệp" in client.get("/tong-hop").get_data(as_text=True)
    assert snapshot(out) == before and no_staging_left(out)


# ---------------------------------------------------------------------------------- files edited by hand

def test_campaign_saved_by_notepad_with_a_bom_is_read(tmp_path):
    path = tmp_path / "chien_dich.toml"
    path.write_bytes(b"\xef\xbb\xbf" + default_campaign_text().encode("utf-8"))
    assert load_campaign(path).roster == CAMPAIGN.roster
    result = invoke("template", "--campaign", path, "--out", tmp_path / "mau")
    assert result.exit_code == 0, result.output
    unicode = tmp_path / "unicode.toml"
    unicode.write_bytes(default_campaign_text().encode("utf-16"))          # Notepad's "Unicode"
    assert load_campaign(unicode).roster == CAMPAIGN.roster


def test_campaign_in_a_legacy_code_page_says_save_as_utf8(tmp_path):
    path = tmp_path / "chien_dich.toml"
    path.write_bytes(default_campaign_text().encode("cp1258", errors="ignore"))
    out = tmp_path / "mau"
    result = invoke("template", "--campaign", path, "--out", out)
    assert result.exit_code == 2
    assert "không được lưu bằng UTF-8" in result.output and "Save As" in result.output
    assert "codec" not in result.output and not out.exists()


def test_conference_and_layout_read_by_the_same_loader(tmp_path):
    from thidua_batch.certificates import LayoutError, load_layout
    from thidua_batch.conference import ConferenceError, load_conference
    from thidua_batch.conference.config import example_text

    conference = tmp_path / "hoi_nghi.toml"
    conference.write_bytes(b"\xef\xbb\xbf" + example_text().encode("utf-8"))
    assert load_conference(conference, CAMPAIGN).year == load_conference_text_year()
    conference.write_bytes(example_text().encode("utf-8").replace(b"\n", b"\n=\n", 1))
    with pytest.raises(ConferenceError, match=r"Tệp hội nghị .* sai cú pháp TOML ở dòng 2, cột 1: "):
        load_conference(conference, CAMPAIGN)
    layout_text = (ROOT / "thidua_batch" / "certificates" / "data" / "bang_khen_a3.toml").read_text("utf-8")
    layout = tmp_path / "bo_cuc.toml"
    layout.write_bytes(b"\xef\xbb\xbf" + layout_text.encode("utf-8"))
    assert load_layout(layout).boxes == load_layout().boxes
    pasted = layout_text + '\n[font]\nregular = "C:\\Windows\\Fonts\\times.ttf"\n' \
        if "[font]" not in layout_text else re.sub(r"(?m)^\[font\]\n", '[font]\nregular = "C:\\\\Windows\\\\Fonts\\\\'
                                                   'times.ttf"\n', layout_text, count=1)
    layout.write_text(pasted, "utf-8")
    with pytest.raises(LayoutError) as info:
        load_layout(layout)
    message = str(info.value)
    assert "đường dẫn Windows" in message and "'C:\\Windows\\Fonts\\times.ttf'" in message
    assert '"C:\\\\Windows\\\\Fonts\\\\times.ttf"' in message and "Unescaped" not in message


def load_conference_text_year() -> int:
    from thidua_batch.conference.config import example_text, parse_conference

    return parse_conference(example_text(), "mẫu", CAMPAIGN).year


@pytest.mark.parametrize("text, words", [
    ("a = @", "ở dòng 1, cột 5: giá trị không hợp lệ"),
    ("a = ", "ở dòng 1 (cuối tệp): giá trị không hợp lệ"),
    ("[bang\nx = 1", "ở dòng 1, cột 6: thiếu dấu “]” ở cuối tên bảng"),
    ("a = 1\na = 2\nb = 3", "ở dòng 2, cột 6: khóa này đã có giá trị ở trên"),
    ('a = "không đóng', "chuỗi chữ thiếu dấu ngoặc kép đóng"),
    ('path = "C:\\new\\times.ttf"', "dòng 1: đường dẫn Windows"),      # parses, into a newline: refused too
    ('path = "\\\\may-chu\\chung\\mau.docx"', "đường dẫn Windows"),
])
def test_toml_errors_in_vietnamese_with_line_and_column(text, words):
    with pytest.raises(TomlFileError) as info:
        parse(text, "x.toml", "chiến dịch")
    assert words in str(info.value)
    assert not re.search(r"\b(line|column|Invalid|Expected|Unescaped|Unterminated|Cannot)\b", str(info.value))


def test_toml_paths_written_the_two_right_ways_are_read():
    assert parse("a = 'C:\\Windows\\Fonts\\times.ttf'\nb = \"C:\\\\Windows\\\\x.ttf\"", "x", "bố cục") == \
        {"a": "C:\\Windows\\Fonts\\times.ttf", "b": "C:\\Windows\\x.ttf"}
    with pytest.raises(TomlFileError, match="dòng 2 có chữ ở bảng mã cũ"):
        decode("a = 1\nb = 'Lai Châu'".encode("cp1258"), "x", "hội nghị")


# ---------------------------------------------------------------------------------- the register

@pytest.fixture(scope="module")
def recorded(tmp_path_factory):
    base = tmp_path_factory.mktemp("so")
    out = base / "run"
    assert invoke("run", SAMPLES, "--out", out, "--register", base / "none.sqlite").exit_code == 1
    register = base / "so.sqlite"
    assert invoke("register", "record", out, "--number", NUMBER, "--date", "2020-12-28",
                  "--register", register).exit_code == 0
    return out, register


def _commands(run_dir: Path, register: Path, tmp_path: Path) -> dict[str, list]:
    return {
        "record": ["register", "record", run_dir, "--number", "200/QĐ-LĐLĐ", "--date", "2020-12-29"],
        "list": ["register", "list"],
        "export": ["register", "export", "--out", tmp_path / "so.xlsx"],
        "certificates": ["certificates", "--decision", NUMBER, "--out", tmp_path / "in"],
        "run": ["run", SAMPLES, "--out", tmp_path / "run-out"],
        "serve": ["serve", "--inbox", tmp_path / "hop-thu", "--out", tmp_path / "serve-out", "--no-browser"],
    }


@pytest.mark.parametrize("damage, words", [
    ("not-sqlite", "không phải sổ khen thưởng (không phải tệp SQLite)"),
    ("damaged", "bị hỏng (kiểm tra toàn vẹn của SQLite không đạt)"),
])
def test_a_register_that_is_not_sqlite_or_is_damaged_stops_every_command(recorded, tmp_path, damage, words):
    run_dir, good = recorded
    register = tmp_path / "so.sqlite"
    if damage == "not-sqlite":
        register.write_text("Sổ khen thưởng năm 2020 (bản Word cũ)\n" * 50, "utf-8")
    else:
        data = bytearray(good.read_bytes())
        assert len(data) >= 3 * 4096
        data[4096 + 8: 2 * 4096] = b"\xa5" * (4096 - 8)            # a page of the tables overwritten
        register.write_bytes(bytes(data))
    before = register.read_bytes()
    for name, args in _commands(run_dir, register, tmp_path).items():   # `serve` too: it stops before opening
        result = invoke(*args, "--register", register)
        assert result.exit_code == 2, (name, result.output)
        assert words in result.output and "Traceback" not in result.output, name
        assert register.read_bytes() == before, name
    assert not (tmp_path / "run-out").exists() and not (tmp_path / "so.xlsx").exists()
    assert not (tmp_path / "in").exists() and not (tmp_path / "hop-thu").exists()


def test_a_read_only_register_serves_reading_and_refuses_writing(recorded, tmp_path):
    run_dir, good = recorded
    register = tmp_path / "so.sqlite"
    shutil.copy(good, register)
    _earlier_award(register, tmp_path)    # this campaign's own decision is not "before" (papers.md)
    before = register.read_bytes()
    commands = _commands(run_dir, register, tmp_path)
    with read_only(register):
        listed = invoke(*commands["list"], "--register", register)
        assert listed.exit_code == 0 and NUMBER in listed.output
        assert invoke(*commands["export"], "--register", register).exit_code == 0
        assert (tmp_path / "so.xlsx").is_file()
        run = invoke(*commands["run"], "--register", register)
        assert run.exit_code == 1 and (tmp_path / "run-out" / "report.json").is_file()
        report = json.loads((tmp_path / "run-out" / "report.json").read_text("utf-8"))   # history looked up
        assert [f["value"] for f in report["findings"] if f["code"] == "awarded-before"] == ["45/QĐ-LĐLĐ (2019)"]
        for name in ("record", "certificates"):
            result = invoke(*commands[name], "--register", register)
            assert result.exit_code == 2, (name, result.output)
            assert "chỉ đọc được, không ghi được" in result.output and "Traceback" not in result.output
        assert register.read_bytes() == before


def _earlier_award(register: Path, tmp_path: Path) -> None:
    """Last year's campaign (the same roster under its own id) awarded one of the samples' nominees."""
    import openpyxl

    campaign = tmp_path / "vhcs-2019.toml"
    campaign.write_text(default_campaign_text().replace('id = "vhcs-2020"', 'id = "vhcs-2019"', 1), "utf-8")
    assert invoke("register", "template", "--out", tmp_path / "mau").exit_code == 0
    book = openpyxl.load_workbook(tmp_path / "mau" / "mau_nhap_quyet_dinh.xlsx")
    book["Cá nhân"].append([1, "Lò Văn Pánh", "Nam", 1979, "Giáo viên", "", "LĐLĐ huyện Than Uyên", None])
    book.save(tmp_path / "qd-2019.xlsx")
    done = invoke("register", "import", tmp_path / "qd-2019.xlsx", "--number", "45/QĐ-LĐLĐ", "--date", "2019-12-27",
                  "--award", "Bằng khen của Ban Chấp hành Liên đoàn Lao động tỉnh", "--year", "2019",
                  "--campaign", campaign, "--register", register)
    assert done.exit_code == 0, done.output


def test_register_import_goes_through_the_inbox_safety_checks(tmp_path):
    bomb = tmp_path / "danh_sach.xlsx"
    bomb.write_bytes(_ratio_bomb())
    register = tmp_path / "so.sqlite"
    result = invoke("register", "import", bomb, "--number", "9/QĐ", "--date", "2020-12-28", "--award", "Cờ thi đua",
                    "--register", register)
    assert result.exit_code == 2 and "Không nhập được" in result.output
    assert not register.exists()
    fake = tmp_path / "gia.xlsx"
    fake.write_bytes(b"%PDF-1.4 " + b"x" * 2000)
    result = invoke("register", "import", fake, "--number", "9/QĐ", "--date", "2020-12-28", "--award", "Cờ thi đua",
                    "--register", register)
    assert result.exit_code == 2 and "Cannot detect" not in result.output and not register.exists()


def test_reader_library_words_are_vietnamese():
    import python_calamine

    try:
        python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(b"not a workbook at all"))
    except Exception as exc:  # noqa: BLE001
        detail = library_detail(exc)
    assert detail.startswith("không nhận ra định dạng tệp") and "Cannot" not in detail
    assert library_detail(ValueError("something else")) == "tệp hỏng hoặc không đúng định dạng"


# ---------------------------------------------------------------------------------- consoles

def _cli(args: list, tmp_path: Path, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", "from thidua_batch.cli import main; main()", *map(str, args)],
                          cwd=tmp_path, timeout=300, **kwargs)


@pytest.mark.parametrize("encoding", ["cp1252", "cp1258", "ascii"])
def test_output_to_a_pipe_or_file_is_utf8_whatever_the_code_page(tmp_path, encoding):
    env = {**os.environ, "PYTHONIOENCODING": encoding}
    piped = _cli(["template", "--out", tmp_path / "mẫu"], tmp_path, env=env, capture_output=True)
    assert piped.returncode == 0, piped.stderr.decode("utf-8", "replace")
    assert "Đã ghi" in piped.stdout.decode("utf-8")
    with (tmp_path / "log.txt").open("wb") as log:       # `thidua-batch run … > log.txt` in cmd
        run = _cli(["run", SAMPLES, "--out", tmp_path / "ket-qua", "--json"], tmp_path, env=env, stdout=log,
                   stderr=subprocess.PIPE)
    assert run.returncode == 1, run.stderr.decode("utf-8", "replace")
    report = json.loads((tmp_path / "log.txt").read_text("utf-8"))
    assert report["campaign"]["id"] == CAMPAIGN.id
    error = _cli(["check", "không-có.xlsx"], tmp_path, env=env, capture_output=True)
    assert error.returncode == 2 and error.stderr.decode("utf-8") == "Lỗi: Không tìm thấy tệp: không-có.xlsx\n"


def test_a_pipe_closed_early_is_no_trace(tmp_path):
    """`thidua-batch run … --json | more`, quit at once (click's own EPIPE handling, kept by our main)."""
    process = subprocess.Popen([sys.executable, "-c", "from thidua_batch.cli import main; main()", "run", str(SAMPLES),
                                "--out", str(tmp_path / "ket-qua"), "--json"], cwd=tmp_path, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE)
    process.stdout.close()          # before anything is written: every write meets a closed pipe
    error = process.stderr.read().decode("utf-8")
    assert process.wait(timeout=300) in (0, 1)
    assert "Traceback" not in error and "BrokenPipe" not in error, error
    assert (tmp_path / "ket-qua" / "report.json").is_file()


@pytest.mark.skipif(os.name == "nt", reason="a pseudo-terminal is POSIX; Windows consoles are UTF-16 anyway")
@pytest.mark.parametrize("encoding", ["cp1258", "cp1252"])
def test_a_console_in_a_legacy_code_page_shows_what_it_can_and_never_crashes(tmp_path, encoding):
    import pty

    leader, follower = pty.openpty()
    env = {**os.environ, "PYTHONIOENCODING": encoding}
    try:
        done = _cli(["check", "không-có.xlsx"], tmp_path, env=env, stdout=follower, stderr=follower)
        os.close(follower)
        shown = b""
        with contextlib.suppress(OSError):
            while chunk := os.read(leader, 4096):
                shown += chunk
    finally:
        os.close(leader)
    assert done.returncode == 2
    text = unicodedata.normalize("NFC", shown.decode(encoding).replace("\r\n", "\n"))
    if encoding == "cp1258":      # Vietnamese's own code page: every letter, tones as combining marks
        assert text == "Lỗi: Không tìm thấy tệp: không-có.xlsx\n"
    else:                         # Western: the nearest letters
        assert text.startswith("Loi: Không tìm thay tep:") and "Traceback" not in text


# ---------------------------------------------------------------------------------- click's words

ENGLISH = re.compile(r"\b(Usage|Error|Options|Commands|Missing|No such|does not|is not|not a valid|exist|"
                     r"required|default|Try|option|argument|requires|Got unexpected|Did you mean|Show)\b")


@pytest.mark.parametrize("args", [
    ["khong-co-lenh"],
    ["run", "--khong-co"],
    ["run", "--out"],
    ["run"],
    ["run", "a", "b", "--out", "c"],
    ["run", "a"],
    ["check"],
    ["check", "--json=co"],
    ["register", "list", "--year", "hai-nghìn"],
    ["register", "import", "khong-co.xlsx", "--number", "1", "--date", "2020-12-28", "--award", "x"],
    ["register", "record"],
    ["serve", "--port", "cổng"],
    ["certificates", "--decision", "1", "--out", "x", "--layout", "khong-co.toml"],
    ["conference", "build", "--config", ".", "--delegates", "x", "--out", "y"],
    ["mail", "replies", "khong-co", "--out", "x"],
    ["mail", "send", "README.md"],
    ["conference"],
])
def test_every_click_error_a_user_can_cause_reads_in_vietnamese(args, tmp_path):
    (tmp_path / "README.md").write_text("x")
    with contextlib.chdir(tmp_path):
        result = invoke(*args)
    assert result.exit_code == 2, result.output
    words = result.output
    assert words.startswith(("Lỗi: ", "Cách dùng: ")), words
    assert not ENGLISH.search(words.replace("--help", "").replace("--out", "").replace("--", "")), words


def _commands_of(group, prefix=()):
    for name, command in group.commands.items():
        yield (*prefix, name)
        if hasattr(command, "commands"):
            yield from _commands_of(command, (*prefix, name))


@pytest.mark.parametrize("path", [(), *_commands_of(main)])
def test_every_help_page_is_vietnamese(path):
    result = invoke(*path, "--help")
    assert result.exit_code == 0
    text = re.sub(r"--[a-z-]+|\b[A-Z_]{3,}\b|so_khen_thuong\.sqlite|THIDUA_\w+|INBOX|[\w.]+\.(toml|xlsx|docx)",
                  "", result.output)
    assert "Cách dùng:" in result.output and not ENGLISH.search(text), result.output
    if "[default" in result.output or "default:" in result.output:
        pytest.fail(result.output)


# ---------------------------------------------------------------------------------- Windows names

def test_device_names_and_byte_limits():
    for name in ("CON", "con.docx", "Com1 .txt", "LPT¹.pdf", "nul", "aux.eml", "COM9.xlsx", "conin$"):
        assert is_device_name(name), name
    for name in ("console.docx", "com10.txt", "con-van-pan.docx", "tam-duong.eml"):
        assert not is_device_name(name), name
    assert slugify("Côn") == "con_" and slugify("Nùng Văn Côm¹") == "nung-van-com"
    assert safe_name("prn", ".docx") == "prn_.docx"
    long = "Trường Phổ thông Dân tộc bán trú Trung học cơ sở " * 6
    fitted = fit_name(long, ".xlsx")
    assert name_bytes(fitted) <= 255 and fitted.endswith(".xlsx") and len(long) + 5 > len(fitted)
    assert unicodedata.is_normalized("NFC", fitted)


def test_a_unit_id_that_is_a_device_name_is_refused_in_the_campaign():
    text = default_campaign_text().replace('id = "tam-duong"', 'id = "con"', 1)
    from thidua_batch.config.campaign import parse_campaign

    with pytest.raises(CampaignError, match="trùng tên thiết bị CON"):
        parse_campaign(text, "x.toml")


@pytest.mark.parametrize("variable", ["ProgramFiles", "ProgramW6432", "ProgramFiles(x86)"])
def test_libreoffice_is_found_under_program_files(tmp_path, monkeypatch, variable):
    from thidua_batch.intake.word_lists import find_soffice

    program = tmp_path / variable / "LibreOffice" / "program" / "soffice.exe"
    program.parent.mkdir(parents=True)
    program.write_bytes(b"")
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))          # not on PATH
    for name in ("ProgramFiles", "ProgramW6432", "ProgramFiles(x86)"):
        monkeypatch.delenv(name, raising=False)
    assert find_soffice() is None
    monkeypatch.setenv(variable, str(tmp_path / variable))
    assert find_soffice() == str(program)


def test_readme_commands_work_in_windows_powershell_51_and_cmd():
    readme = (ROOT / "README.md").read_text("utf-8")
    blocks = [b for b in re.findall(r"```[a-z]*\n(.*?)```", readme, re.S) if "\\Scripts\\" in b or "py -m" in b]
    blocks = ["\n".join(line for line in b.splitlines() if "/bin/" not in line) for b in blocks]   # Linux lines beside
    assert len(blocks) >= 4
    for block in blocks:     # Windows PowerShell 5.1 has no && nor ||; cmd and PowerShell both run one per line
        assert "&&" not in block and "||" not in block, block
        assert "/bin/" not in block and "export " not in block, block
