"""The mailbox as Gmail delivers it (mail.md): forwards at any depth, Apple Mail, Thunderbird and
phone shapes, archives as Windows and 7-Zip make them, links and pasted tables, the board's own
mails. Each mail is written in its client's real shape (client_mails.py), each archive by the tool
or in the byte layout a unit's tool writes."""
from __future__ import annotations

import datetime as dt
import io
import json
import shutil
import struct
import subprocess
import unicodedata
import zipfile
import zlib
from pathlib import Path

import pytest
from click.testing import CliRunner
from client_mails import (apple_mail, gmail_body, gmail_forward_as_attachment, outlook_forward_as_attachment,
                          pasted_table, phone, thunderbird)
from docx import Document
from filler import filled
from mail_servers import gmail_message

from thidua_batch.batch import run_batch
from thidua_batch.cli import main
from thidua_batch.config.campaign import default_campaign_text, load_campaign, parse_campaign
from thidua_batch.config.limits import Limits
from thidua_batch.intake.archives import ArchiveUnusable, open_archive, zip_name

CAMPAIGN = load_campaign()
VN = dt.timezone(dt.timedelta(hours=7))
SEVEN = shutil.which("7z")
needs_7z = pytest.mark.skipif(SEVEN is None, reason="7-Zip (7z) not installed")


def when(day: int, hour: int = 9, minute: int = 0) -> dt.datetime:
    return dt.datetime(2020, 12, day, hour, minute, tzinfo=VN)


def workbook(tmp_path: Path, unit_id: str, individuals: int = 4) -> bytes:
    return filled(tmp_path, CAMPAIGN, unit_id, individuals=individuals).save(tmp_path / f"{unit_id}.xlsx").read_bytes()


def inbox_with(tmp_path: Path, files: dict[str, bytes]) -> Path:
    inbox = tmp_path / "inbox"
    inbox.mkdir(exist_ok=True)
    for name, data in files.items():
        (inbox / name).write_bytes(data)
    return inbox


def files_of(result):
    return {f.path: f for f in result.files}


def statuses(result):
    return {u.unit.id: u.status for u in result.units}


def campaign_with_emails(**emails: str):
    text = default_campaign_text()
    for unit_id, address in emails.items():
        unit_id = unit_id.replace("_", "-")
        text = text.replace(f'id = "{unit_id}"', f'id = "{unit_id}"\nemails = ["{address}"]', 1)
    return parse_campaign(text, "campaign.toml")


# ------------------------------------------------------------------------------ attachments anywhere

def test_apple_mail_attachment_inside_the_html_alternative_is_read(tmp_path):
    raw = apple_mail("ldldsinho@icloud.com", "LĐLĐ huyện Sìn Hồ", "Hồ sơ khen thưởng", when(16),
                     "Danh sách Sìn Hồ.xlsx", workbook(tmp_path, "sin-ho"), "<5E3C2B1A-0F9E@icloud.com>")
    result = run_batch(inbox_with(tmp_path, {"apple.eml": raw}), CAMPAIGN)
    entry = files_of(result)["apple.eml/Danh sách Sìn Hồ.xlsx"]
    assert (entry.status, entry.unit, entry.received_at) == ("accepted", "sin-ho", when(16))
    assert statuses(result)["sin-ho"] == "ok"


def test_thunderbird_continuations_and_phone_names_are_decoded(tmp_path):
    long_name = "Danh sách đề nghị khen thưởng văn hóa công sở năm 2020 - Công đoàn ngành Y tế.xlsx"
    mails = {
        "tb.eml": thunderbird("cdnyte@gmail.com", "Y tế gửi hồ sơ", when(15), long_name,
                              workbook(tmp_path, "cdn-y-te", 6), "<a1b2c3@gmail.com>"),
        "ct.eml": phone("ldldphongtho@gmail.com", "Phong Thổ", when(15), "Phong Thổ - danh sách.xlsx",
                        workbook(tmp_path, "phong-tho"), "<p1@samsung>", "content-type-name"),
        "raw.eml": phone("ldldthanuyen@gmail.com", "Than Uyên", when(15), "Than Uyên danh sách.xlsx",
                         workbook(tmp_path, "than-uyen"), "<p2@samsung>", "raw-utf8"),
        "noname.eml": phone("ldlduyen@gmail.com", "Tân Uyên", when(15), "", workbook(tmp_path, "tan-uyen"),
                            "<p3@samsung>", "no-name"),
    }
    result = run_batch(inbox_with(tmp_path, mails), CAMPAIGN)
    files = files_of(result)
    assert files[f"tb.eml/{long_name}"].unit == "cdn-y-te"
    assert files["ct.eml/Phong Thổ - danh sách.xlsx"].unit == "phong-tho"
    assert files["raw.eml/Than Uyên danh sách.xlsx"].unit == "than-uyen"
    assert files["noname.eml/tep-dinh-kem-1.xlsx"].unit == "tan-uyen"   # a known type with no name is a file
    assert {f.status for f in result.files} == {"accepted"}


def test_forwards_of_forwards_are_read_at_the_inner_mail_date_and_sender(tmp_path):
    campaign = campaign_with_emails(nam_nhun="namnhun.ldld@gmail.com")
    original = gmail_message("LĐLĐ huyện Tam Đường", "ldld.tamduong@gmail.com", "Tam Đường gửi hồ sơ", when(15),
                             "Gửi danh sách.", [("Danh sách.xlsx", workbook(tmp_path, "tam-duong"))],
                             "<CAtamduong@mail.gmail.com>")
    broken = gmail_message("Văn phòng", "namnhun.ldld@gmail.com", "Gui ho so", when(16), "Gửi.",
                           [("DS.xlsx", b"not really a workbook")], "<CAnamnhun@mail.gmail.com>")
    outlook = outlook_forward_as_attachment("vanthu@outlook.com", "FW: Tam Đường gửi hồ sơ", when(21), original,
                                            "<SG2PR01MB@outlook.com>")
    outer = gmail_forward_as_attachment("chuyentiep@gmail.com", "Fwd: hồ sơ", when(22), outlook,
                                        "FW Tam Đường gửi hồ sơ.eml", "<CAouter@mail.gmail.com>")
    forwarded_broken = gmail_forward_as_attachment("chuyentiep@gmail.com", "Fwd: Gui ho so", when(22), broken,
                                                   "Gui ho so.eml", "<CAouter2@mail.gmail.com>")
    result = run_batch(inbox_with(tmp_path, {"fwd.eml": outer, "fwd2.eml": forwarded_broken}), campaign)
    files = files_of(result)
    entry = files["fwd.eml/FW Tam Đường gửi hồ sơ.eml/FW- Tam Đường gửi hồ sơ.eml/Danh sách.xlsx"] \
        if "fwd.eml/FW Tam Đường gửi hồ sơ.eml/FW- Tam Đường gửi hồ sơ.eml/Danh sách.xlsx" in files else \
        next(f for p, f in files.items() if p.startswith("fwd.eml/") and p.endswith("/Danh sách.xlsx"))
    assert entry.path.count(".eml/") == 3   # two forwards deep
    assert (entry.status, entry.unit, entry.received_at) == ("accepted", "tam-duong", when(15))
    assert entry.mail.sender == "LĐLĐ huyện Tam Đường <ldld.tamduong@gmail.com>"
    assert not [f for f in result.findings if f.code == "submitted-late" and f.unit == "tam-duong"]
    rejected = files["fwd2.eml/Gui ho so.eml/DS.xlsx"]
    assert (rejected.status, rejected.unit) == ("rejected", "nam-nhun")   # by the inner sender's address
    assert statuses(result)["nam-nhun"] == "unusable"


# ------------------------------------------------------------------------------------------ archives

def windows_zip(members: dict[str, bytes], oem: str, unicode_path: bool) -> bytes:
    """A zip as Windows' "Send to > Compressed (zipped) folder" writes it: names in the machine's
    OEM code page, no UTF-8 flag; characters the page lacks are best-fitted to "?"; Explorer adds the
    Info-ZIP Unicode Path field (0x7075) carrying the real name (libarchive#489)."""
    buffer = io.BytesIO()
    placeholders = {}
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for number, (name, data) in enumerate(members.items()):
            raw = oem_bytes(name, oem)
            placeholder = (f"{number:03d}" + "x" * len(raw))[:len(raw)]
            info = zipfile.ZipInfo(placeholder, (2020, 12, 14, 8, 30, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 0
            if unicode_path:
                utf8 = name.encode("utf-8")
                info.extra = struct.pack("<HHBI", 0x7075, 5 + len(utf8), 1, zlib.crc32(raw)) + utf8
            archive.writestr(info, data)
            placeholders[placeholder.encode()] = raw
    out = buffer.getvalue()
    for placeholder, raw in placeholders.items():
        assert out.count(placeholder) == 2
        out = out.replace(placeholder, raw)
    return out


def oem_bytes(name: str, page: str) -> bytes:
    """Windows' conversion: a precomposed letter the page lacks becomes base + combining tone (1258),
    or "?" (437)."""
    out = b""
    for char in unicodedata.normalize("NFC", name):
        try:
            out += char.encode(page)
            continue
        except UnicodeEncodeError:
            pass
        decomposed = unicodedata.normalize("NFD", char)
        try:
            out += unicodedata.normalize("NFC", decomposed[:-1]).encode(page) + decomposed[-1].encode(page)
        except UnicodeEncodeError:
            out += b"?"
    return out


def test_windows_zip_names_in_the_oem_code_page_are_read_right(tmp_path):
    english = windows_zip({"Danh sách Tam Đường.xlsx": b"x"}, "cp437", unicode_path=True)
    vietnamese = windows_zip({"Tờ trình đề nghị khen thưởng.docx": b"y"}, "cp1258", unicode_path=False)
    assert [zip_name(i) for i in zipfile.ZipFile(io.BytesIO(english)).infolist()] == ["Danh sách Tam Đường.xlsx"]
    assert [zip_name(i) for i in zipfile.ZipFile(io.BytesIO(vietnamese)).infolist()] == \
        ["Tờ trình đề nghị khen thưởng.docx"]
    assert zipfile.ZipFile(io.BytesIO(vietnamese)).infolist()[0].flag_bits & 0x800 == 0   # no UTF-8 flag
    assert [m.name for m in open_archive(english, "a.zip")] == ["Danh sách Tam Đường.xlsx"]


def test_a_dossier_zipped_by_windows_is_read_member_by_member(tmp_path):
    archive = windows_zip({"Danh sách đề nghị.xlsx": workbook(tmp_path, "muong-te"),
                           "Tờ trình.docx": b"PK not a real docx", "Ảnh.jpg": b"\xff\xd8\xff"}, "cp437", True)
    raw = gmail_message("LĐLĐ huyện Mường Tè", "ldldmuongte@gmail.com", "Hồ sơ khen thưởng", when(17), "Gửi hồ sơ.",
                        [("Hồ sơ khen thưởng Mường Tè.zip", archive)], "<CAmuongte@mail.gmail.com>")
    inbox = inbox_with(tmp_path, {"thu.eml": raw, "Ho so Than Uyen.zip": windows_zip(
        {"DS Than Uyên.xlsx": workbook(tmp_path, "than-uyen")}, "cp437", True)})
    result = run_batch(inbox, CAMPAIGN)
    files = files_of(result)
    entry = files["thu.eml/Hồ sơ khen thưởng Mường Tè.zip/Danh sách đề nghị.xlsx"]
    assert (entry.status, entry.unit, entry.received_at) == ("accepted", "muong-te", when(17))
    assert files["thu.eml/Hồ sơ khen thưởng Mường Tè.zip/Ảnh.jpg"].status == "ignored"
    assert files["Ho so Than Uyen.zip/DS Than Uyên.xlsx"].unit == "than-uyen"   # an archive saved in the inbox
    assert statuses(result)["muong-te"] != "unusable"
    report = json.loads(json.dumps([f.path for f in result.files]))
    assert "thu.eml/Hồ sơ khen thưởng Mường Tè.zip/Danh sách đề nghị.xlsx" in report


@needs_7z
def test_7zip_archives_and_an_encrypted_one(tmp_path):
    folder = tmp_path / "Hồ sơ"
    folder.mkdir()
    (folder / "Danh sách Nậm Nhùn.xlsx").write_bytes(workbook(tmp_path, "nam-nhun"))
    subprocess.run([SEVEN, "a", "-bd", "-bso0", str(tmp_path / "hs.7z"), str(folder)], check=True)
    subprocess.run([SEVEN, "a", "-bd", "-bso0", "-tzip", str(tmp_path / "hs.zip"), str(folder)], check=True)
    subprocess.run([SEVEN, "a", "-bd", "-bso0", "-pmatkhau", "-mhe=on", str(tmp_path / "kin.7z"), str(folder)],
                   check=True)
    subprocess.run([SEVEN, "a", "-bd", "-bso0", "-tzip", "-pmatkhau", str(tmp_path / "kin.zip"), str(folder)],
                   check=True)
    seven = [(m.name, m.data) for m in open_archive((tmp_path / "hs.7z").read_bytes(), "hs.7z")]
    assert seven == [("Hồ sơ/Danh sách Nậm Nhùn.xlsx", (folder / "Danh sách Nậm Nhùn.xlsx").read_bytes())]
    assert [m.name for m in open_archive((tmp_path / "hs.zip").read_bytes(), "hs.zip")] == \
        ["Hồ sơ/Danh sách Nậm Nhùn.xlsx"]
    for name in ("kin.7z", "kin.zip"):
        with pytest.raises(ArchiveUnusable, match="mật khẩu.*giải nén"):
            open_archive((tmp_path / name).read_bytes(), name)
    raw = gmail_message("LĐLĐ huyện Nậm Nhùn", "ldldnamnhun@gmail.com", "Hồ sơ", when(16), "Gửi.",
                        [("Ho so Nam Nhun.7z", (tmp_path / "hs.7z").read_bytes())], "<CA7z@mail.gmail.com>")
    locked = gmail_message("LĐLĐ huyện Tân Uyên", "ldldtanuyen@gmail.com", "Hồ sơ Tân Uyên", when(16), "Gửi.",
                           [("Ho so Tan Uyen.zip", (tmp_path / "kin.zip").read_bytes())], "<CAkin@mail.gmail.com>")
    inbox = inbox_with(tmp_path, {"7z.eml": raw, "kin.eml": locked})
    out = tmp_path / "out"
    assert CliRunner().invoke(main, ["run", str(inbox), "--out", str(out)]).exit_code == 1
    report = json.loads((out / "report.json").read_text("utf-8"))
    files = {f["path"]: f for f in report["files"]}
    assert files["7z.eml/Ho so Nam Nhun.7z/Hồ sơ/Danh sách Nậm Nhùn.xlsx"]["status"] == "accepted"
    assert (files["kin.eml/Ho so Tan Uyen.zip"]["status"], files["kin.eml/Ho so Tan Uyen.zip"]["unit"]) == \
        ("rejected", "tan-uyen")
    assert {u["id"]: u["status"] for u in report["units"]}["tan-uyen"] == "unusable"
    document = Document(out / "phan_hoi" / "tan-uyen.docx")
    letter = "\n".join([p.text for p in document.paragraphs] +
                       [c.text for t in document.tables for r in t.rows for c in r.cells])
    assert "mật khẩu" in letter and "giải nén" in letter
    assert "không có danh sách đề nghị" not in letter


def test_archive_limits_bombs_climbing_paths_and_nesting(tmp_path):
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("Danh sach.xlsx", b"\0" * (20 * 1024 * 1024))
    with pytest.raises(ArchiveUnusable, match="bom nén"):
        open_archive(bomb.getvalue(), "bom.zip")
    with pytest.raises(ArchiveUnusable, match="quá giới hạn 2"):
        open_archive(windows_zip({"a.xlsx": b"1", "b.xlsx": b"2", "c.xlsx": b"3"}, "cp437", True), "n.zip",
                     Limits(max_members=2))
    climbing = io.BytesIO()
    with zipfile.ZipFile(climbing, "w") as archive:
        archive.writestr("../../Windows/Danh sach.xlsx", b"x")
        archive.writestr("ok.xlsx", b"y")
    members = open_archive(climbing.getvalue(), "c.zip")
    assert [(m.name, bool(m.refused)) for m in members] == [("Windows/Danh sach.xlsx", True), ("ok.xlsx", False)]
    nested = b"PK"
    inner = windows_zip({"Danh sách.xlsx": workbook(tmp_path, "tam-duong")}, "cp437", True)
    for depth in range(4):
        inner = windows_zip({f"lop{depth}.zip": inner}, "cp437", True)
        nested = inner
    with pytest.raises(ArchiveUnusable, match="không phải tệp nén thật"):
        open_archive(b"not a zip at all", "gia.zip")
    result = run_batch(inbox_with(tmp_path, {"LDLD Tam Duong long nhau.zip": nested}), CAMPAIGN)
    [entry] = result.files
    assert entry.status == "rejected" and "lồng" in entry.findings[0].message and entry.unit == "tam-duong"


def test_a_rar_without_a_tool_is_listed_with_that_reason(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path / "no-tools-here"))
    monkeypatch.setenv("ProgramFiles", str(tmp_path / "no-tools-here"))
    rar = b"Rar!\x1a\x07\x01\x00" + b"\x00" * 64
    result = run_batch(inbox_with(tmp_path, {"Ho so Phong Tho.rar": rar}), CAMPAIGN)
    [entry] = result.files
    assert (entry.status, entry.unit) == ("rejected", "phong-tho")
    assert "RAR" in entry.findings[0].message and "chưa cài" in entry.findings[0].message


# ------------------------------------------------------------------------------ links and pasted tables

def test_a_link_instead_of_a_file_makes_the_unit_unusable_and_its_reply_asks_for_the_file(tmp_path):
    campaign = campaign_with_emails(tan_uyen="ldldtanuyen@gmail.com")
    link = "https://docs.google.com/spreadsheets/d/1AbCdEfGhIjKlMnOpQrStUvWxYz0123456789/edit?usp=sharing"
    raw = gmail_body("ldldtanuyen@gmail.com", "Văn phòng LĐLĐ", "Danh sách đề nghị", when(16),
                     f'<div dir="ltr">Kính gửi Ban, danh sách ở đây: <a href="{link}">{link}</a></div>',
                     f"Kính gửi Ban, danh sách ở đây: {link}", "<CAlink@mail.gmail.com>")
    (tmp_path / "campaign.toml").write_text(campaign_text_with(tan_uyen="ldldtanuyen@gmail.com"), "utf-8")
    inbox = inbox_with(tmp_path, {"link.eml": raw})
    result = run_batch(inbox, campaign)
    [entry] = result.files
    assert (entry.path, entry.status, entry.reason, entry.unit) == \
        ("link.eml/Nội dung thư.html", "rejected", "file-link", "tan-uyen")
    assert "gửi đường dẫn, chưa gửi tệp" in entry.findings[0].message
    assert statuses(result)["tan-uyen"] == "unusable"
    out, drafts = tmp_path / "out", tmp_path / "drafts"
    runner = CliRunner()
    assert runner.invoke(main, ["run", str(inbox), "--out", str(out), "--campaign", str(tmp_path / "campaign.toml")]
                         ).exit_code == 1
    assert runner.invoke(main, ["mail", "replies", str(out), "--out", str(drafts), "--campaign",
                                str(tmp_path / "campaign.toml")]).exit_code == 0
    import email.policy
    reply = email.message_from_bytes((drafts / "tan-uyen.eml").read_bytes(), policy=email.policy.default)
    body = reply.get_body(("plain",)).get_content()
    assert "gửi đường dẫn, chưa gửi tệp" in body and "đính kèm" in body
    assert reply["In-Reply-To"] == "<CAlink@mail.gmail.com>"


def campaign_text_with(**emails: str) -> str:
    text = default_campaign_text()
    for unit_id, address in emails.items():
        unit_id = unit_id.replace("_", "-")
        text = text.replace(f'id = "{unit_id}"', f'id = "{unit_id}"\nemails = ["{address}"]', 1)
    return text


def test_a_table_pasted_into_the_mail_is_read_as_a_list(tmp_path):
    rows = [["STT", "Họ và tên", "Năm sinh Nam", "Năm sinh Nữ", "Chức vụ, đơn vị công tác"],
            ["1", "Lò Văn Thắng", "1980", "", "Chủ tịch CĐ xã Pa Ủ"],
            ["2", "Tao Thị Mai", "", "1985", "Kế toán CĐ xã Pa Ủ"]]
    html = pasted_table(rows, "Kính gửi Ban CSPL&amp;QHLĐ, LĐLĐ huyện Phong Thổ gửi danh sách đề nghị:")
    raw = gmail_body("vanphong.pt@gmail.com", "Văn phòng", "Danh sách đề nghị khen thưởng", when(18), html,
                     "(bảng)", "<CAtable@mail.gmail.com>")
    result = run_batch(inbox_with(tmp_path, {"bang.eml": raw}), CAMPAIGN)
    [entry] = result.files
    assert (entry.path, entry.status, entry.layout, entry.unit) == \
        ("bang.eml/Nội dung thư.html", "accepted", "mail-body", "phong-tho")   # not Mường Tè of the quoted mail
    assert [n.name for n in entry.individuals] == ["Lò Văn Thắng", "Tao Thị Mai"]
    assert any(f.code == "layout-own" and "dán trong nội dung thư" in f.message for f in entry.findings)


# ------------------------------------------------------------------------------- the board's own mails

def test_the_boards_own_template_mails_are_never_submissions(tmp_path):
    from thidua_batch.mail.drafts import write_template_drafts

    drafts = write_template_drafts(CAMPAIGN, tmp_path / "sent", now=when(1))
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for path in drafts.written[:5]:
        shutil.copy(path, inbox / path.name)
    result = run_batch(inbox, CAMPAIGN)
    assert {f.status for f in result.files} == {"ignored"}
    assert all(f.unit is None for f in result.files)
    assert set(statuses(result).values()) == {"missing"}
    assert "do chính Ban gửi" in result.files[0].findings[0].message


def rar4_stored(files: dict[str, bytes]) -> bytes:
    """A RAR 4 archive as WinRAR writes it with "Store" (-m0): marker block, archive header, one file
    header (type 0x74, method 0x30) and the bytes per file, end-of-archive block (RAR technote)."""
    def block(head_type: int, flags: int, body: bytes) -> bytes:
        head = struct.pack("<BHH", head_type, flags, 7 + len(body)) + body
        return struct.pack("<H", zlib.crc32(head) & 0xFFFF) + head

    out = b"Rar!\x1a\x07\x00" + block(0x73, 0, struct.pack("<HI", 0, 0))
    for name, data in files.items():
        raw = name.encode("ascii")
        out += block(0x74, 0x8000, struct.pack("<IIBIIBBHI", len(data), len(data), 2, zlib.crc32(data), 0x51864A00,
                                               20, 0x30, len(raw), 0x20) + raw) + data
    return out + block(0x7B, 0x4000, b"")


@needs_7z
def test_a_rar_is_read_through_7zip_when_installed(tmp_path):
    rar = rar4_stored({"Ho so/Danh sach de nghi.xlsx": workbook(tmp_path, "phong-tho"), "Anh chup.jpg": b"\xff\xd8"})
    raw = gmail_message("LĐLĐ huyện Phong Thổ", "ldldphongtho@gmail.com", "Hồ sơ Phong Thổ", when(17), "Gửi.",
                        [("Ho so Phong Tho.rar", rar)], "<CArar@mail.gmail.com>")
    result = run_batch(inbox_with(tmp_path, {"rar.eml": raw}), CAMPAIGN)
    files = files_of(result)
    entry = files["rar.eml/Ho so Phong Tho.rar/Ho so/Danh sach de nghi.xlsx"]
    assert (entry.status, entry.unit, entry.received_at) == ("accepted", "phong-tho", when(17))
    assert files["rar.eml/Ho so Phong Tho.rar/Anh chup.jpg"].status == "ignored"
    broken = rar[: len(rar) // 2]
    with pytest.raises(ArchiveUnusable, match="giải nén"):
        open_archive(broken, "hong.rar")


def test_a_signature_logo_shown_in_the_body_is_not_a_file(tmp_path):
    from client_mails import outlook_with_signature

    mails = {"ds.eml": outlook_with_signature("cdnyte@outlook.com", "Danh sách Y tế", when(15),
                                              [("Y tế.xlsx", workbook(tmp_path, "cdn-y-te", 6))], "<SG1@outlook.com>"),
             "hoi.eml": outlook_with_signature("cdnyte@outlook.com", "Hỏi hạn nộp", when(15), [], "<SG2@outlook.com>")}
    result = run_batch(inbox_with(tmp_path, mails), CAMPAIGN)
    assert sorted(f.path for f in result.files) == ["ds.eml/Y tế.xlsx", "hoi.eml"]
    assert files_of(result)["hoi.eml"].status == "ignored"


def test_a_table_pasted_from_excel_into_outlook_is_read_as_a_list(tmp_path):
    """Outlook's HTML for a pasted range: MsoNormal paragraphs in every cell, <o:p>, vertical merges."""
    def cell(text: str, extra: str = "") -> str:
        return (f'<td width=120 valign=top style="border:solid windowtext 1.0pt;padding:0in 5.4pt"{extra}>'
                f'<p class=MsoNormal><span lang=VI style="font-size:12.0pt">{text}<o:p></o:p></span></p></td>')

    rows = [cell("STT", " rowspan=2") + cell("Họ và tên", " rowspan=2") + cell("Năm sinh", " colspan=2")
            + cell("Chức vụ, đơn vị công tác", " rowspan=2"),
            cell("Nam") + cell("Nữ"),
            cell("1") + cell("Vàng A Dình") + cell("1990") + cell("") + cell("Đoàn viên CĐ trường THCS"),
            cell("2") + cell("Lò Thị Hoa") + cell("") + cell("1988") + cell("Giáo viên Trường Tiểu học Nậm Nhùn")]
    html = ('<html xmlns:o="urn:schemas-microsoft-com:office:office"><head><style><!-- p.MsoNormal {margin:0in;} -->'
            '</style></head><body lang=EN-US><div class=WordSection1><p class=MsoNormal>Kính gửi Ban CSPL&amp;QHLĐ,'
            '<o:p></o:p></p><p class=MsoNormal>LĐLĐ huyện Nậm Nhùn gửi danh sách đề nghị khen thưởng:<o:p></o:p></p>'
            '<table class=MsoTableGrid border=1 cellspacing=0 cellpadding=0 style="border-collapse:collapse">'
            + "".join(f"<tr>{r}</tr>" for r in rows) + "</table><p class=MsoNormal><o:p>&nbsp;</o:p></p>"
            '<div id=divRplyFwdMsg><b>From:</b> Ban CSPL LĐLĐ tỉnh<br><b>Subject:</b> Mẫu - LĐLĐ huyện Sìn Hồ</div>'
            "</div></body></html>")
    raw = join_outlook_html("vanthu.namnhun@outlook.com", "Danh sách khen thưởng", when(18), html)
    result = run_batch(inbox_with(tmp_path, {"outlook.eml": raw}), CAMPAIGN)
    [entry] = result.files
    assert (entry.status, entry.layout, entry.unit) == ("accepted", "mail-body", "nam-nhun")
    assert [(n.name, n.row) for n in entry.individuals] == [("Vàng A Dình", 3), ("Lò Thị Hoa", 4)]


def join_outlook_html(sender: str, subject: str, moment: dt.datetime, html: str) -> bytes:
    from client_mails import b64, date, join, words

    return join([b"From: " + sender.encode(), b"To: luonghaldld@gmail.com", b"Subject: " + words(subject),
                 b"Date: " + date(moment), b"Message-ID: <SG2PR06MB3456@outlook.com>", b"MIME-Version: 1.0",
                 b'Content-Type: multipart/alternative; boundary="_000_outlook_"', b"",
                 b"--_000_outlook_", b'Content-Type: text/plain; charset="utf-8"', b"Content-Transfer-Encoding: base64",
                 b"", b64("Kính gửi Ban (bảng trong phần HTML)".encode()), b"",
                 b"--_000_outlook_", b'Content-Type: text/html; charset="utf-8"', b"Content-Transfer-Encoding: base64",
                 b"", b64(html.encode()), b"", b"--_000_outlook_--"])
