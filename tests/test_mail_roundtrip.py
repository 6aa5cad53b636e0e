"""The mail round trip (mail.md) against real servers on 127.0.0.1: pymap for IMAP, aiosmtpd for
SMTP. Fetch → run → replies → send, with mails shaped as the units' Gmail and Outlook write them."""
from __future__ import annotations

import datetime as dt
import email
import email.policy
import email.utils
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from mail_servers import PASSWORD, USER, ImapServer, SmtpServer, free_port, gmail_message, outlook_message

from thidua_batch.batch import check_paths
from thidua_batch.cli import main
from thidua_batch.config.campaign import default_campaign_text, load_campaign

VN = dt.timezone(dt.timedelta(hours=7))
SAMPLES = Path(__file__).resolve().parent.parent / "samples" / "inbox"
STRICT = email.policy.default.clone(raise_on_defect=True)
NAME = re.compile(r"^\d{4}-\d{2}-\d{2}_\d{4}_[a-z0-9.@-]+_[0-9a-f]{12}\.eml$")


def invoke(*args, env=None):
    env = {"THIDUA_IMAP_PASSWORD": PASSWORD, "THIDUA_SMTP_PASSWORD": PASSWORD, **(env or {})}
    return CliRunner().invoke(main, [str(a) for a in args], env=env)


@pytest.fixture
def imap(tmp_path):
    server = ImapServer.start(tmp_path)
    yield server
    server.stop()


@pytest.fixture
def smtp(tmp_path):
    server = SmtpServer.start(tmp_path)
    yield server
    server.stop()


def parse(raw: bytes):
    return email.message_from_bytes(raw, policy=email.policy.default)


def sample(name: str) -> bytes:
    return (SAMPLES / name).read_bytes()


def when(day: int, hour: int, minute: int = 0, month: int = 12) -> dt.datetime:
    return dt.datetime(2020, month, day, hour, minute, tzinfo=VN)


# ------------------------------------------------------------------------------------------- fetch

def seed_fetch_cases(imap: ImapServer) -> dict[str, bytes]:
    mails = {
        "two-files": gmail_message(
            "LĐLĐ huyện Tam Đường", "ldld.tamduong@gmail.com", "V/v đề nghị khen thưởng VHCS năm 2020",
            when(15, 9, 20), "Kính gửi Ban CSPL&QHLĐ, LĐLĐ huyện gửi danh sách và biên bản họp xét.",
            [("LĐLĐ Tam Đường - đề nghị khen thưởng.xlsx", sample("LDLD Tam Duong - de nghi khen thuong 2020.xlsx")),
             ("Biên bản họp xét.docx", sample("Huong dan gui ho so.docx"))], "<CAJx1=tamduong@mail.gmail.com>"),
        "outlook": outlook_message(
            "Công đoàn ngành Y tế <congdoanyte.laichau@outlook.com>", "Danh sách khen thưởng Công đoàn ngành Y tế",
            when(14, 11), "Danh sách khen thưởng CĐN Y tế.xlsx", sample("Danh sach khen thuong CDN Y te.xlsx"),
            "<PS2PR01MB1234ABCD@PS2PR01MB1234.apcprd01.prod.exchangelabs.com>"),
        "no-attachment": gmail_message(
            "LĐLĐ huyện Phong Thổ", "ldldphongtho@gmail.com", "Hỏi về mẫu biểu", when(16, 8),
            "Cho hỏi cột Ngày sinh ghi thế nào?", [], "<CAKq=phongtho-question@mail.gmail.com>"),
        "older": gmail_message(
            "LĐLĐ huyện Sìn Hồ", "ldldsinho@gmail.com", "Hồ sơ năm trước", when(20, 10, month=11),
            "Gửi lại hồ sơ cũ.", [("Danh sách cũ.xlsx", sample("mau_de_nghi_khen_thuong_sin-ho.xlsx"))],
            "<CAold=sinho@mail.gmail.com>"),
        "no-message-id": gmail_message(
            "LĐLĐ huyện Nậm Nhùn", "ldld.namnhun@gmail.com", "Nậm Nhùn gửi hồ sơ", when(18, 10, 12),
            "Gửi hồ sơ.", [("Nậm Nhùn.xlsx", sample("Nam Nhun de nghi khen thuong nam 2020.xlsx"))], None),
    }
    arrivals = {"older": when(20, 10, month=11)}
    for key, raw in mails.items():
        imap.deliver(raw, arrivals.get(key, when(18, 12)))
    return mails


def test_fetch_saves_exactly_the_mails_with_attachments_whole_and_leaves_the_server_as_it_was(imap, tmp_path):
    mails = seed_fetch_cases(imap)
    before = imap.state()
    inbox = tmp_path / "hộp thư"
    result = invoke("mail", "fetch", "--imap", imap.address, "--plain", "--user", USER, "--out", inbox,
                    "--since", "01/12/2020")
    assert result.exit_code == 0, result.output
    assert PASSWORD not in result.output
    saved = sorted(p.name for p in inbox.glob("*.eml"))
    assert all(NAME.match(n) for n in saved), saved
    assert sorted(p.name for p in inbox.iterdir()) == sorted(saved + [".thidua-mail-fetch.json"])
    by_bytes = {p.read_bytes(): p.name for p in inbox.glob("*.eml")}
    assert set(by_bytes) == {mails["two-files"], mails["outlook"], mails["no-message-id"]}   # byte-identical
    assert by_bytes[mails["two-files"]].startswith("2020-12-15_0920_ldld.tamduong@gmail.com_")
    assert by_bytes[mails["outlook"]].startswith("2020-12-14_1100_congdoanyte.laichau@outlook.com_")
    assert "lưu mới 3, bỏ qua 1" in result.output and "không có tệp đính kèm" in result.output
    assert imap.state() == before          # nothing flagged (\Seen), moved or deleted
    assert len(imap.bodies()) == 5

    again = invoke("mail", "fetch", "--imap", imap.address, "--plain", "--user", USER, "--out", inbox,
                   "--since", "01/12/2020")
    assert again.exit_code == 0, again.output
    assert "lưu mới 0, bỏ qua 0" in again.output   # every UID remembered: nothing asked for again
    assert sorted(p.name for p in inbox.glob("*.eml")) == saved
    (inbox / ".thidua-mail-fetch.json").unlink()      # forgotten: recognised by Message-ID and size, not rewritten
    third = invoke("mail", "fetch", "--imap", imap.address, "--plain", "--user", USER, "--out", inbox,
                   "--since", "01/12/2020")
    assert "lưu mới 0" in third.output and third.output.count("đã lưu từ lần trước") == 3, third.output
    assert sorted(p.name for p in inbox.glob("*.eml")) == saved
    assert imap.state() == before

    # The batch reads the saved mails: attachments with Vietnamese names, from Gmail and Outlook.
    report = json.loads(invoke("check", *sorted(inbox.glob("*.eml")), "--json").output)
    paths = {f["path"].rsplit("/", 1)[-1]: f for f in report["files"]}
    assert paths["LĐLĐ Tam Đường - đề nghị khen thưởng.xlsx"]["unit"] == "tam-duong"
    assert paths["Danh sách khen thưởng CĐN Y tế.xlsx"]["unit"] == "cdn-y-te"


def test_fetch_with_a_wrong_password_fails_cleanly_and_writes_nothing(imap, tmp_path):
    seed_fetch_cases(imap)
    inbox = tmp_path / "inbox"
    result = invoke("mail", "fetch", "--imap", imap.address, "--plain", "--user", USER, "--out", inbox,
                    env={"THIDUA_IMAP_PASSWORD": "sai mat khau"})
    assert result.exit_code == 2
    assert f"127.0.0.1:{imap.port}" in result.output and "đăng nhập không được" in result.output
    assert "sai mat khau" not in result.output
    assert not inbox.exists()


def test_fetch_over_starttls_checks_the_certificate(tmp_path):
    server = ImapServer.start(tmp_path, tls=True)
    try:
        server.deliver(gmail_message("LĐLĐ huyện Mường Tè", "ldldmuongte@gmail.com", "Hồ sơ Mường Tè", when(17, 7),
                                     "Gửi hồ sơ", [("Mường Tè.xlsx", sample("mau_de_nghi_khen_thuong_sin-ho.xlsx"))],
                                     "<CAmt=1@mail.gmail.com>"), when(17, 7))
        inbox = tmp_path / "inbox"
        untrusted = invoke("mail", "fetch", "--imap", server.address, "--starttls", "--user", USER, "--out", inbox,
                           env={"SSL_CERT_FILE": str(tmp_path / "none.pem")})
        assert untrusted.exit_code == 2 and "TLS" in untrusted.output, untrusted.output
        assert not inbox.exists()
        trusted = invoke("mail", "fetch", "--imap", server.address, "--starttls", "--user", USER, "--out", inbox,
                         env={"SSL_CERT_FILE": str(server.cert)})
        assert trusted.exit_code == 0, trusted.output
        assert len(list(inbox.glob("*.eml"))) == 1
    finally:
        server.stop()


def test_fetch_refuses_clear_text_to_a_remote_host_and_reports_a_stopped_server(tmp_path):
    remote = invoke("mail", "fetch", "--imap", "imap.gmail.com", "--plain", "--user", USER, "--out", tmp_path / "a")
    assert remote.exit_code == 2 and "--plain chỉ dùng" in remote.output
    port = free_port()
    stopped = invoke("mail", "fetch", "--imap", f"127.0.0.1:{port}", "--plain", "--user", USER, "--out", tmp_path / "b")
    assert stopped.exit_code == 2 and f"127.0.0.1:{port}" in stopped.output and "không kết nối được" in stopped.output
    assert not (tmp_path / "b").exists()
    as_argument = invoke("mail", "fetch", "--imap", "imap.gmail.com", "--user", USER, "--out", tmp_path / "c",
                         "--password", PASSWORD)
    assert as_argument.exit_code == 2 and "không có tùy chọn “--password”" in as_argument.output


# ------------------------------------------------------------------------------------------ drafts

def campaign_with_emails(tmp_path: Path) -> Path:
    text = default_campaign_text()
    for unit_id, addresses in {"tam-duong": '["vanphong.ldldtamduong@gmail.com"]',
                               "cdn-y-te": '["congdoanyte.laichau@outlook.com", "chutich.cdyt@gmail.com"]'}.items():
        text = text.replace(f'id = "{unit_id}"', f'id = "{unit_id}"\nemails = {addresses}', 1)
    path = tmp_path / "chiến dịch.toml"
    path.write_text(text, encoding="utf-8")
    return path


def assert_valid_draft(raw: bytes):
    assert b"\n" not in raw.replace(b"\r\n", b"")           # CRLF line ends only
    assert all(len(line) <= 998 for line in raw.split(b"\r\n"))
    raw.decode("ascii")                                       # every header and part encoded, nothing 8-bit
    message = email.message_from_bytes(raw, policy=STRICT)  # raises on any defect
    assert message["X-Unsent"] == "1" and message["Date"] and message["Message-ID"]
    assert email.utils.parseaddr(str(message["From"]))[1] == "luonghaldld@gmail.com"
    assert str(message["From"]).startswith("CSPL&QHLĐ - LĐLĐ tỉnh Lai Châu")
    return message


def test_template_drafts_one_per_unit_with_its_own_template(tmp_path):
    campaign_path = campaign_with_emails(tmp_path)
    out = tmp_path / "thư nháp"
    result = invoke("mail", "templates", "--out", out, "--campaign", campaign_path)
    assert result.exit_code == 0, result.output
    campaign = load_campaign(campaign_path)
    drafts = {p.stem: p for p in out.glob("*.eml")}
    assert set(drafts) == {u.id for u in campaign.roster}
    assert "Chưa có địa chỉ người nhận" in result.output and "Liên đoàn Lao động huyện Phong Thổ" in result.output
    ids = set()
    for unit in campaign.roster:
        message = assert_valid_draft(drafts[unit.id].read_bytes())
        ids.add(message["Message-ID"])
        assert tuple(a for _, a in email.utils.getaddresses(message.get_all("To", []))) == unit.emails
        assert message["Subject"] == f"199/KH-LĐLĐ: đề nghị khen thưởng năm 2020 - {unit.name}"
        body = message.get_body().get_content()
        assert f"Kính gửi: {unit.name}" in body and "trước ngày 20/12/2020" in body
        assert f"{unit.collectives:02d} tập thể và {unit.individuals:02d} cá nhân" in body
        (attachment,) = message.iter_attachments()
        assert attachment.get_filename() == f"Mẫu đề nghị khen thưởng - {unit.name}.xlsx"
        saved = tmp_path / "đọc lại" / f"{unit.id}.xlsx"
        saved.parent.mkdir(exist_ok=True)
        saved.write_bytes(attachment.get_content())
        assert check_paths([saved], campaign)[0].unit == unit.id      # the unit's own template
    assert len(ids) == len(campaign.roster)


# ------------------------------------------------------------------------------ the whole round trip

def unit_mails() -> list[tuple[str, str, str, bytes, dt.datetime, str]]:
    """(unit id, sender, subject, raw, arrival, message id) as the units sent them in December 2020."""
    cases = [
        ("tp-lai-chau", "LĐLĐ thành phố Lai Châu", "ldldtplaichau@gmail.com", "Đề nghị khen thưởng VHCS 2020",
         ["thang 12/LDLD TP Lai Chau - de nghi khen thuong VHCS 2020.xlsx"], when(17, 15, 42)),
        ("tam-duong", "Văn phòng LĐLĐ Tam Đường", "ldld.tamduong@gmail.com", "V/v đề nghị khen thưởng",
         ["LDLD Tam Duong - de nghi khen thuong 2020.xlsx"], when(15, 9, 20)),
        ("phong-tho", "LĐLĐ huyện Phong Thổ", "ldldphongtho@gmail.com", "Phong Thổ gửi danh sách khen thưởng",
         ["Phong Tho_DS de nghi khen thuong VHCS.xlsx"], when(18, 16, 5)),
        ("sin-ho", "LĐLĐ Sìn Hồ", "ldldsinho@gmail.com", "Sìn Hồ - hồ sơ khen thưởng",
         ["mau_de_nghi_khen_thuong_sin-ho.xlsx"], when(16, 10, 30)),
        ("than-uyen", "LĐLĐ huyện Than Uyên", "ldldthanuyen@gmail.com", "Danh sách đề nghị khen thưởng",
         ["Than Uyen - danh sach de nghi khen thuong (mau rieng).xlsx"], when(19, 8, 47)),
        ("tan-uyen", "LĐLĐ huyện Tân Uyên", "ldldtanuyen@gmail.com", "Tờ trình đề nghị khen thưởng",
         ["thang 12/Tan Uyen - To trinh va danh sach khen thuong.docx"], when(19, 14, 10)),
        ("nam-nhun", "LĐLĐ huyện Nậm Nhùn", "ldld.namnhun@gmail.com", "Nậm Nhùn gửi hồ sơ",
         ["Nam Nhun de nghi khen thuong nam 2020.xlsx"], when(18, 10, 12)),
        ("cdn-giao-duc", "Công đoàn ngành Giáo dục", "congdoangiaoduc.lc@gmail.com", "Hồ sơ khen thưởng CĐN Giáo dục",
         ["CDN Giao duc - de nghi khen thuong (ban cu).xlsx"], when(12, 16, 30)),
        ("cdn-y-te", "Công đoàn ngành Y tế", "cdyte.laichau@gmail.com", "Danh sách khen thưởng CĐN Y tế",
         ["Danh sach khen thuong CDN Y te.xlsx"], when(14, 11)),
        ("cdvc-tinh", "Công đoàn Viên chức tỉnh", "cdvctinh.laichau@gmail.com", "CĐVC tỉnh đề nghị khen thưởng",
         ["CDVC tinh - de nghi khen thuong VHCS 2020.xlsx"], when(15, 15, 30)),
    ]
    out = []
    for unit_id, name, sender, subject, files, moment in cases:
        message_id = f"<CA{unit_id.replace('-', '')}=1@mail.gmail.com>"
        attachments = [(Path(f).name, sample(f)) for f in files]
        out.append((unit_id, sender, subject, gmail_message(name, sender, subject, moment, "Kính gửi Ban CSPL&QHLĐ.",
                                                            attachments, message_id), moment, message_id))
    # Giáo dục corrects its file four days later, answering in its own thread.
    first = next(c for c in out if c[0] == "cdn-giao-duc")
    corrected = "<CAcdngiaoduc=2@mail.gmail.com>"
    out.append(("cdn-giao-duc", first[1], "Re: " + first[2], gmail_message(
        "Công đoàn ngành Giáo dục", first[1], "Re: " + first[2], when(16, 8, 15), "Gửi lại bản đã sửa.",
        [("CĐN Giáo dục - đề nghị khen thưởng (đã sửa).xlsx", sample("CDN Giao duc - de nghi khen thuong (da sua).xlsx"))],
        corrected, references=first[5]), when(16, 8, 15), corrected))
    return out


def test_fetch_run_replies_send_every_unit_gets_one_reply_in_its_own_thread_with_its_own_letter(imap, smtp, tmp_path):
    mails = unit_mails()
    for _, _, _, raw, moment, _ in mails:
        imap.deliver(raw, moment)
    imap.deliver(gmail_message("Ai đó", "someone@example.com", "Quảng cáo", when(17, 9), "Không có tệp", [],
                               "<ad@example.com>"), when(17, 9))
    campaign_path = campaign_with_emails(tmp_path)
    inbox, out, drafts = tmp_path / "hop-thu", tmp_path / "ket-qua", tmp_path / "thu-tra-loi"

    fetched = invoke("mail", "fetch", "--imap", imap.address, "--plain", "--user", USER, "--out", inbox,
                     "--since", "01/12/2020", "--campaign", campaign_path)
    assert fetched.exit_code == 0 and "lưu mới 11, bỏ qua 1" in fetched.output, fetched.output
    run = invoke("run", inbox, "--out", out, "--campaign", campaign_path)
    assert run.exit_code in (0, 1), run.output
    report = json.loads((out / "report.json").read_text("utf-8"))
    sent_units = {u["id"] for u in report["units"] if u["status"] != "missing"}
    assert sent_units == {c[0] for c in mails}

    replies = invoke("mail", "replies", out, "--out", drafts, "--campaign", campaign_path)
    assert replies.exit_code == 0, replies.output
    assert sorted(p.stem for p in drafts.glob("*.eml")) == sorted(sent_units)

    preview = invoke("mail", "send", drafts, "--dry-run")
    assert preview.exit_code == 0 and preview.output.count(".eml tới ") == len(sent_units) and not smtp.received

    sent = invoke("mail", "send", drafts, "--smtp", smtp.address, "--plain", "--user", USER)
    assert sent.exit_code == 0, sent.output
    assert len(smtp.received) == len(sent_units)
    newest = {}
    for unit_id, sender, subject, _, moment, message_id in mails:
        if unit_id not in newest or moment > newest[unit_id][2]:
            newest[unit_id] = (sender, subject, moment, message_id)
    by_unit = {}
    for delivery in smtp.received:
        message = parse(delivery.data)
        assert "X-Unsent" not in message
        (letter,) = message.iter_attachments()
        unit_id = next(u for u in sent_units if letter.get_content() == (out / "phan_hoi" / f"{u}.docx").read_bytes())
        assert unit_id not in by_unit            # exactly one reply per unit
        by_unit[unit_id] = (delivery, message)
    assert set(by_unit) == sent_units
    campaign = load_campaign(campaign_path)
    for unit_id, (delivery, message) in by_unit.items():
        sender, subject, _, message_id = newest[unit_id]
        assert message["In-Reply-To"] == message_id                       # in the unit's own thread
        assert message["References"].split()[-1] == message_id
        assert message["Subject"] == (subject if subject.startswith("Re: ") else f"Re: {subject}")
        expected = list(campaign.roster.get(unit_id).emails) or [sender]
        assert delivery.rcpt_tos == expected
        assert message.get_body().get_content().startswith(f"Kính gửi: {campaign.roster.get(unit_id).name}")
    giao_duc = by_unit["cdn-giao-duc"][1]
    assert giao_duc["References"] == "<CAcdngiaoduc=1@mail.gmail.com> <CAcdngiaoduc=2@mail.gmail.com>"
    y_te_body = by_unit["cdn-y-te"][1].get_body().get_content()
    assert "Có lỗi cần sửa" in y_te_body and "ô " in y_te_body

    assert not list(drafts.glob("*.eml"))
    assert len(list((drafts / "da_gui").glob("*.eml"))) == len(sent_units)
    answer = (drafts / "da_gui" / "tam-duong.ket-qua.txt").read_text("utf-8")
    assert "250 2.0.0 OK queued as Q" in answer and "vanphong.ldldtamduong@gmail.com" in answer
    again = invoke("mail", "send", drafts, "--smtp", smtp.address, "--plain", "--user", USER)
    assert again.exit_code == 0 and len(smtp.received) == len(sent_units)   # never twice


# -------------------------------------------------------------------------------------------- send

def write_drafts(tmp_path: Path, to: dict[str, str]) -> Path:
    from thidua_batch.mail import messages

    folder = tmp_path / "nháp"
    for stem, address in to.items():
        draft = messages.Draft((address,) if address else (), f"Thư thử {stem} – Lai Châu", "Nội dung thư.\n",
                               (messages.Attachment(f"Phản hồi {stem}.docx", b"PK-data-" + stem.encode()),))
        messages.write(messages.build(draft, "Ban CSPL&QHLĐ <luonghaldld@gmail.com>", when(21, 9)),
                       folder / f"{stem}.eml")
    return folder


def test_send_goes_on_after_a_refused_message_and_keeps_it_and_skips_a_draft_with_no_recipient(smtp, tmp_path):
    folder = write_drafts(tmp_path, {"a": "a@units.test", "b": "khong-ton-tai@units.test", "c": "c@units.test",
                                     "d": ""})
    originals = {p.name: p.read_bytes() for p in folder.glob("*.eml")}
    smtp.refuse.add("khong-ton-tai@units.test")
    result = invoke("mail", "send", folder, "--smtp", smtp.address, "--plain", "--user", USER)
    assert result.exit_code == 1
    assert "Gửi không được b.eml" in result.output and "550" in result.output
    assert "Không gửi d.eml: thư nháp chưa có người nhận" in result.output
    assert sorted(p.name for p in folder.glob("*.eml")) == ["b.eml", "d.eml"]
    assert not list(folder.glob("*.dang-gui"))
    for delivery in smtp.received:   # exactly as drafted, less the X-Unsent line
        name = parse(delivery.data).get_body().get_content() and \
            next(n for n, raw in originals.items() if raw.replace(b"X-Unsent: 1\r\n", b"") == delivery.data)
        assert name in ("a.eml", "c.eml")
    assert len(smtp.received) == 2
    smtp.refuse.clear()
    retry = invoke("mail", "send", folder, "--smtp", smtp.address, "--plain", "--user", USER)
    assert retry.exit_code == 0 and len(smtp.received) == 3
    assert sorted(p.name for p in (folder / "da_gui").glob("*.eml")) == ["a.eml", "b.eml", "c.eml"]


@pytest.mark.parametrize("mode, flag", [("tls", None), ("starttls", "--starttls")])
def test_send_over_tls_and_starttls(tmp_path, mode, flag):
    server = SmtpServer.start(tmp_path, mode)
    try:
        folder = write_drafts(tmp_path, {"a": "a@units.test"})
        args = ["mail", "send", folder, "--smtp", server.address, "--user", USER] + ([flag] if flag else [])
        untrusted = invoke(*args, env={"SSL_CERT_FILE": str(tmp_path / "none.pem")})
        assert untrusted.exit_code == 2 and "TLS" in untrusted.output and not server.received
        result = invoke(*args, env={"SSL_CERT_FILE": str(server.cert)})
        assert result.exit_code == 0, result.output
        assert len(server.received) == 1
    finally:
        server.stop()


def test_send_to_a_stopped_server_or_with_a_wrong_password_keeps_every_draft(smtp, tmp_path):
    folder = write_drafts(tmp_path, {"a": "a@units.test", "b": "b@units.test"})
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    wrong = invoke("mail", "send", folder, "--smtp", smtp.address, "--plain", "--user", USER,
                   env={"THIDUA_SMTP_PASSWORD": "sai"})
    assert wrong.exit_code == 2 and "đăng nhập không được" in wrong.output and "sai" not in wrong.output.split(":")[-1]
    port = free_port()
    stopped = invoke("mail", "send", folder, "--smtp", f"127.0.0.1:{port}", "--plain", "--user", USER)
    assert stopped.exit_code == 2 and f"127.0.0.1:{port}" in stopped.output
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before
    assert not smtp.received


def test_a_connection_lost_while_sending_leaves_a_marker_and_that_draft_is_never_sent_twice(smtp, tmp_path):
    folder = write_drafts(tmp_path, {"a": "a@units.test", "b": "b@units.test", "c": "c@units.test"})
    smtp.drop.add("b@units.test")
    first = invoke("mail", "send", folder, "--smtp", smtp.address, "--plain", "--user", USER)
    assert first.exit_code == 1
    assert "Gửi không được b.eml: mất kết nối với máy chủ khi đang gửi" in first.output
    assert (folder / "b.eml.dang-gui").exists() and (folder / "b.eml").exists()
    assert sorted(p.name for p in (folder / "da_gui").glob("*.eml")) == ["a.eml", "c.eml"]   # went on after it
    assert len(smtp.received) == 3
    smtp.drop.clear()
    second = invoke("mail", "send", folder, "--smtp", smtp.address, "--plain", "--user", USER)
    assert second.exit_code == 0
    assert "Không gửi b.eml: lần gửi trước bị ngắt giữa chừng, có thể đã gửi" in second.output
    assert len(smtp.received) == 3                       # the server already had it: not sent twice
    (folder / "b.eml.dang-gui").unlink()                 # the officer looked in Sent and found nothing
    third = invoke("mail", "send", folder, "--smtp", smtp.address, "--plain", "--user", USER)
    assert third.exit_code == 0 and len(smtp.received) == 4


def test_replies_to_files_that_did_not_come_by_mail_have_no_recipient_and_are_listed(tmp_path):
    out, drafts = tmp_path / "ket-qua", tmp_path / "tra-loi"
    invoke("run", SAMPLES, "--out", out)
    result = invoke("mail", "replies", out, "--out", drafts)
    assert result.exit_code == 0, result.output
    assert "Chưa có địa chỉ người nhận" in result.output and "Liên đoàn Lao động huyện Tam Đường" in result.output
    message = assert_valid_draft((drafts / "nam-nhun.eml").read_bytes())
    assert "To" not in message and "In-Reply-To" not in message
    assert message["Subject"] == ("Phản hồi hồ sơ đề nghị khen thưởng năm 2020 (199/KH-LĐLĐ) - "
                                  "Liên đoàn Lao động huyện Nậm Nhùn")
    body = message.get_body().get_content()
    assert "Kết quả kiểm tra: Có lỗi cần sửa." in body and "Lỗi, trang “Cá nhân”, ô " in body
    (letter,) = message.iter_attachments()
    assert letter.get_content() == (out / "phan_hoi" / "nam-nhun.docx").read_bytes()
    assert letter.get_filename() == "Phản hồi - Liên đoàn Lao động huyện Nậm Nhùn.docx"
    preview = invoke("mail", "send", drafts, "--dry-run")
    assert preview.exit_code == 0 and "Không gửi nam-nhun.eml: thư nháp chưa có người nhận" in preview.output
    missing = invoke("mail", "replies", tmp_path / "khong-co", "--out", drafts)
    assert missing.exit_code == 2
    (out / "phan_hoi" / "tam-duong.docx").unlink()
    incomplete = invoke("mail", "replies", out, "--out", tmp_path / "moi")
    assert incomplete.exit_code == 2 and "tam-duong.docx" in incomplete.output and not (tmp_path / "moi").exists()


def test_a_reply_written_after_the_deadline_asks_by_the_same_date_as_its_letter(tmp_path):
    from docx import Document
    out, drafts = tmp_path / "ket-qua", tmp_path / "tra-loi"
    invoke("run", SAMPLES, "--out", out)
    generated = dt.datetime.fromisoformat(json.loads((out / "report.json").read_text("utf-8"))["generated_at"])
    due = (generated.astimezone(VN).date() + dt.timedelta(days=3)).strftime("%d/%m/%Y")   # resubmit_days = 3
    assert invoke("mail", "replies", out, "--out", drafts).exit_code == 0
    body = assert_valid_draft((drafts / "nam-nhun.eml").read_bytes()).get_body().get_content()
    letter = "\n".join(p.text for p in Document(str(out / "phan_hoi" / "nam-nhun.docx")).paragraphs)
    assert f"gửi lại chậm nhất ngày {due}" in body and f"chậm nhất ngày {due}" in letter
    assert "20/12/2020 bằng cách" not in body and "trước ngày 20/12/2020" not in body


@pytest.mark.parametrize("text, said", [
    ("{không phải json", "không phải JSON, hoặc một mục sai kiểu"),
    ('{"campaign": {"id": "vhcs-2020"}, "files": []}', "thiếu mục “units”"),
])
def test_a_broken_report_json_is_said_in_vietnamese(tmp_path, text, said):
    (tmp_path / "ket-qua").mkdir()
    (tmp_path / "ket-qua" / "report.json").write_text(text, "utf-8")
    result = invoke("mail", "replies", tmp_path / "ket-qua", "--out", tmp_path / "tra-loi")
    assert result.exit_code == 2 and said in result.output, result.output
    assert "Expecting" not in result.output and "KeyError" not in result.output
    assert not (tmp_path / "tra-loi").exists()
