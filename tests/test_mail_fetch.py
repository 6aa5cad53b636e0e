"""`mail fetch` against a real IMAP server (pymap on 127.0.0.1) on a mailbox as Gmail delivers it
(mail.md): Apple Mail and forwards saved, links from units fetched, the board's own mails
skipped, --since in campaign time, folders listed, reused Message-IDs, and a few round trips
whatever the number of mails (counted through the delay proxy of bench/)."""
from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from client_mails import apple_mail, gmail_body, gmail_forward_as_attachment
from mail_servers import DOVECOT, PASSWORD, USER, DovecotServer, ImapServer, gmail_message

from thidua_batch.cli import main
from thidua_batch.config.campaign import default_campaign_text
from thidua_batch.mail.fetch import _quote
from thidua_batch.mail.imap_parse import decode_utf7, fetch_items, leaves

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
from delay_proxy import DelayProxy  # noqa: E402

VN = dt.timezone(dt.timedelta(hours=7))
UTC = dt.timezone.utc
XLSX_BYTES = (Path(__file__).resolve().parents[1] / "samples" / "inbox" /
              "LDLD Tam Duong - de nghi khen thuong 2020.xlsx").read_bytes()


SERVERS = ["pymap", pytest.param("dovecot", marks=pytest.mark.skipif(DOVECOT is None, reason="dovecot not installed"))]


@pytest.fixture(params=SERVERS)
def imap(request, tmp_path):
    """pymap, and Dovecot (reached over implicit TLS with the certificate checked, as Gmail is)."""
    server = (DovecotServer if request.param == "dovecot" else ImapServer).start(tmp_path)
    yield server
    server.stop()


def fetch(server, inbox: Path, *more: str, campaign: Path | None = None):
    """`mail fetch` against SERVER (an ImapServer: TLS for Dovecot, plain for pymap) or an address (plain)."""
    env = {"THIDUA_IMAP_PASSWORD": PASSWORD}
    if isinstance(server, DovecotServer):
        args, env["SSL_CERT_FILE"] = ["--imap", server.tls_address], str(server.cert)
    else:
        args = ["--imap", server if isinstance(server, str) else server.address, "--plain"]
    args = ["mail", "fetch", *args, "--user", USER, "--out", str(inbox), *more]
    if campaign:
        args += ["--campaign", str(campaign)]
    return CliRunner().invoke(main, args, env=env)


def vn(day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2020, 12, day, hour, minute, tzinfo=VN)


def saved(inbox: Path) -> dict[bytes, str]:
    return {p.read_bytes(): p.name for p in inbox.glob("*.eml")}


def test_a_mailbox_as_gmail_delivers_it(imap, tmp_path):
    campaign = tmp_path / "campaign.toml"
    campaign.write_text(default_campaign_text().replace('id = "tan-uyen"', 'id = "tan-uyen"\nemails = '
                                                        '["ldldtanuyen@gmail.com"]', 1), "utf-8")
    sheet = "https://docs.google.com/spreadsheets/d/1AbCdEfGh/edit?usp=sharing"
    original = gmail_message("LĐLĐ huyện Tam Đường", "ldld.tamduong@gmail.com", "Hồ sơ", vn(15, 9), "Gửi.",
                             [("DS.xlsx", XLSX_BYTES)], "<CAorig@mail.gmail.com>")
    mails = {
        "apple": apple_mail("ldldsinho@icloud.com", "Sìn Hồ", "Hồ sơ khen thưởng", vn(16, 8), "Danh sách.xlsx",
                            XLSX_BYTES, "<A1B2-C3D4@icloud.com>"),
        "forward": gmail_forward_as_attachment("chuyentiep@gmail.com", "Fwd: Hồ sơ", vn(17, 8), original, "Hồ sơ.eml",
                                               "<CAfwd@mail.gmail.com>"),
        "link": gmail_body("ldldtanuyen@gmail.com", "Tân Uyên", "Gửi danh sách", vn(16, 10),
                           f'<div dir="ltr"><a href="{sheet}">{sheet}</a></div>', sheet, "<CAlink@mail.gmail.com>"),
        "newsletter": gmail_body("no-reply@accounts.google.com", "Google", "Security alert", vn(16, 11),
                                 '<a href="https://drive.google.com/settings">Drive</a>', "x", "<news@google.com>"),
        "own-template": gmail_message("Ban CSPL", USER, "199/KH-LĐLĐ: đề nghị khen thưởng - LĐLĐ huyện Mường Tè",
                                      vn(16, 7), "Kính gửi", [("Mẫu.xlsx", XLSX_BYTES)], "<own@mail.gmail.com>"),
        "early-morning": gmail_message("LĐLĐ huyện Phong Thổ", "ldldphongtho@gmail.com", "Hồ sơ Phong Thổ",
                                       vn(18, 6, 40), "Gửi.", [("PT.xlsx", XLSX_BYTES)], "<CAearly@mail.gmail.com>"),
        "day-before": gmail_message("LĐLĐ huyện Than Uyên", "ldldthanuyen@gmail.com", "Hồ sơ Than Uyên",
                                    vn(17, 23), "Gửi.", [("TU.xlsx", XLSX_BYTES)], "<CAbefore@mail.gmail.com>"),
    }
    for key, raw in mails.items():   # the server keeps UTC: the 06:40 mail arrived on the 17th there
        arrived = {"early-morning": vn(18, 6, 40), "day-before": vn(17, 23)}.get(key, vn(18, 12))
        imap.deliver(raw, arrived.astimezone(UTC))
    inbox = tmp_path / "inbox"
    result = fetch(imap, inbox, "--since", "18/12/2020", campaign=campaign)
    assert result.exit_code == 0, result.output
    names = saved(inbox)
    assert mails["early-morning"] in names and mails["day-before"] not in names   # the 18th in Vietnam time
    assert "thư của chính Ban" in result.output
    result = fetch(imap, inbox, "--since", "15/12/2020", campaign=campaign)
    names = saved(inbox)
    assert set(names) == {mails[k] for k in ("apple", "forward", "link", "early-morning", "day-before")}
    # and `run` reads each: the Apple Mail list, the forwarded list, the link as a reason
    out = tmp_path / "out"
    CliRunner().invoke(main, ["run", str(inbox), "--out", str(out), "--campaign", str(campaign)])
    report = json.loads((out / "report.json").read_text("utf-8"))
    by_unit = {u["id"]: u["status"] for u in report["units"]}
    assert by_unit["tan-uyen"] == "unusable"
    reasons = {f["path"].split("/", 1)[1]: f["reason"] for f in report["files"]}
    assert reasons["Nội dung thư.html"] == "file-link"
    read = (None, "unit-superseded")   # every list here is Tam Đường's sample: the newest is used
    assert reasons["Danh sách.xlsx"] in read and reasons["Hồ sơ.eml/DS.xlsx"] in read


def test_a_missing_folder_lists_the_folders_that_exist(imap, tmp_path):
    client = imap._client()
    try:
        assert client.create(_quote("Khen thưởng 2020"))[0] == "OK"
    finally:
        client.logout()
    result = fetch(imap, tmp_path / "inbox", "--folder", "Khen thuong 2020")
    assert result.exit_code == 2
    assert "“Khen thuong 2020”" in result.output and "“Khen thưởng 2020”" in result.output
    assert "“INBOX”" in result.output
    assert not (tmp_path / "inbox").exists()


def test_a_different_message_reusing_a_saved_message_id_is_saved_too(imap, tmp_path):
    first = gmail_message("A", "ldldsinho@gmail.com", "Hồ sơ", vn(15, 9), "Gửi.", [("a.xlsx", XLSX_BYTES)], "<same@x>")
    second = gmail_message("A", "ldldsinho@gmail.com", "Hồ sơ (sửa)", vn(16, 9), "Gửi lại.", [("a.xlsx", XLSX_BYTES)],
                           "<same@x>")
    imap.deliver(first, vn(15, 9))
    inbox = tmp_path / "inbox"
    assert fetch(imap, inbox, "--since", "01/12/2020").exit_code == 0
    imap.deliver(second, vn(16, 9))
    imap.deliver(first, vn(16, 10))   # the very same message again (as All Mail shows it twice)
    result = fetch(imap, inbox, "--since", "01/12/2020")
    assert set(saved(inbox)) == {first, second}, result.output
    assert "đã lưu từ lần trước" in result.output


def test_fetch_costs_a_few_round_trips_whatever_the_number_of_mails(imap, tmp_path):
    for number in range(60):
        files = [(f"DS {number}.xlsx", XLSX_BYTES)] if number % 3 == 0 else []
        imap.deliver(gmail_message("Đơn vị", f"unit{number}@gmail.com", f"Thư số {number}", vn(10 + number % 8, 9),
                                   "Nội dung.", files, f"<m{number}@mail.gmail.com>"), vn(10 + number % 8, 9))
    inbox = tmp_path / "inbox"
    with DelayProxy(imap.port, rtt=0.0) as proxy:
        first = fetch(f"127.0.0.1:{proxy.port}", inbox, "--since", "01/12/2020")
        assert first.exit_code == 0, first.output
        assert len(list(inbox.glob("*.eml"))) == 20
        first_turns = proxy.turns
        proxy.reset()
        again = fetch(f"127.0.0.1:{proxy.port}", inbox, "--since", "01/12/2020")
        assert "lưu mới 0, bỏ qua 0" in again.output
        again_turns = proxy.turns
    # login, select, search, one structure fetch, one body fetch, logout (+ capability): never one per mail
    assert first_turns <= 8, first_turns
    assert again_turns <= 6, again_turns


def test_fetch_responses_and_structures_are_parsed():
    data = [(b'1 (UID 7 RFC822.SIZE 420 BODYSTRUCTURE (("text" "plain" ("charset" "utf-8") NIL NIL "7bit" 10 1 NIL '
             b'NIL NIL NIL)(("text" "html" ("charset" "utf-8") NIL NIL "qp" 20 1 NIL NIL NIL NIL)("application" '
             b'"octet-stream" ("name" {8}', b"Danh s\xc3\xa1"),
            (b' ) NIL NIL "base64" 300 NIL ("inline" ("filename*" "utf-8\'\'Danh%20s%C3%A1ch.xlsx")) NIL NIL) "mixed" '
             b'("boundary" "b") NIL NIL NIL) "alternative" ("boundary" "a") NIL NIL NIL) '
             b'BODY[HEADER.FIELDS (MESSAGE-ID DATE FROM SUBJECT)] {12}', b"Subject: x\r\n"),
            b")"]
    [items] = fetch_items(data)
    assert items["UID"] == b"7" and items["BODY[HEADER.FIELDS (MESSAGE-ID DATE FROM SUBJECT)]"] == b"Subject: x\r\n"
    parts = leaves(items["BODYSTRUCTURE"])
    assert [p.kind for p in parts] == ["text/plain", "text/html", "application/octet-stream"]
    assert parts[2].has_name and parts[2].disposition == "inline" and not parts[0].has_name
    assert decode_utf7(_quote("Khen thưởng 2020").strip('"')) == "Khen thưởng 2020"
