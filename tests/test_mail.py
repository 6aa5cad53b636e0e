"""Mail as input: .eml and .mbox anywhere in the inbox; the mail's date is the received time."""
from __future__ import annotations

import datetime as dt
import email.policy
import email.utils
import mailbox
from email.message import EmailMessage
from pathlib import Path

from filler import filled
from helpers import set_received

from thidua_batch.batch import run_batch
from thidua_batch.config.campaign import load_campaign
from thidua_batch.documents.report import to_report

CAMPAIGN = load_campaign()
VN = dt.timezone(dt.timedelta(hours=7))
XLSX = ("application", "vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def workbook_bytes(tmp_path: Path, unit_id: str, individuals: int = 4) -> bytes:
    return filled(tmp_path, CAMPAIGN, unit_id, individuals=individuals).save(tmp_path / f"{unit_id}.xlsx").read_bytes()


def message(sender: str, subject: str, when: dt.datetime, files: list[tuple[str, bytes]]) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = "luonghaldld@gmail.com"
    msg["Subject"] = subject
    msg["Date"] = email.utils.format_datetime(when)
    msg.set_content("Kính gửi Ban CSPL&QHLĐ, đơn vị gửi hồ sơ đề nghị khen thưởng.")
    for name, data in files:
        if name.endswith(".png"):
            msg.add_attachment(data, maintype="image", subtype="png", filename=name)
        else:
            msg.add_attachment(data, maintype=XLSX[0], subtype=XLSX[1], filename=name)
    return msg


def files_of(result):
    return {f.path: f for f in result.files}


def test_eml_attachment_with_vietnamese_name_and_mail_date(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    late = dt.datetime(2020, 12, 22, 16, 5, tzinfo=VN)
    msg = message("LĐLĐ Than Uyên <thanuyen.ldld@gmail.com>", "Hồ sơ khen thưởng văn hóa công sở", late,
                  [("Than Uyên - đề nghị khen thưởng.xlsx", workbook_bytes(tmp_path, "than-uyen"))])
    eml = inbox / "Thư Than Uyên.eml"
    eml.write_bytes(msg.as_bytes(policy=email.policy.SMTP))
    set_received(eml, dt.datetime(2020, 12, 10, tzinfo=VN))   # file time before the deadline: the mail date wins
    result = run_batch(inbox, CAMPAIGN)
    entry = files_of(result)["Thư Than Uyên.eml/Than Uyên - đề nghị khen thưởng.xlsx"]
    assert (entry.status, entry.unit) == ("accepted", "than-uyen")
    assert entry.received_at == late
    assert entry.mail.sender == "LĐLĐ Than Uyên <thanuyen.ldld@gmail.com>"
    assert entry.mail.subject == "Hồ sơ khen thưởng văn hóa công sở"
    assert [f.code for f in result.findings if f.unit == "than-uyen"] == ["submitted-late"]
    report = to_report(result)
    assert report["files"][0]["received_at"] == "2020-12-22T16:05:00+07:00"


def test_outlook_encoded_name_several_attachments_and_no_workbook(tmp_path):
    inbox = tmp_path / "inbox"
    (inbox / "thu").mkdir(parents=True)
    when = dt.datetime(2020, 12, 15, 9, 0, tzinfo=VN)
    msg = message("cdnyte@gmail.com", "De nghi khen thuong", when,
                  [("placeholder.xlsx", workbook_bytes(tmp_path, "cdn-y-te", 6)),
                   ("chu ky.png", b"\x89PNG fake"),
                   ("Sìn Hồ.xlsx", workbook_bytes(tmp_path, "sin-ho"))])
    # Outlook writes RFC 2047 encoded-words inside the quoted name
    raw = msg.as_bytes(policy=email.policy.SMTP)
    raw = raw.replace(b'filename="placeholder.xlsx"', b'filename="=?utf-8?B?' +
                      __import__("base64").b64encode("Y tế đề nghị.xlsx".encode()) + b'?="')
    (inbox / "thu" / "y te.eml").write_bytes(raw)
    empty = message("ai.do@gmail.com", "Hỏi về hạn nộp", when, [])
    (inbox / "thu" / "hoi.eml").write_bytes(empty.as_bytes(policy=email.policy.SMTP))
    result = run_batch(inbox, CAMPAIGN)
    files = files_of(result)
    assert files["thu/y te.eml/Y tế đề nghị.xlsx"].unit == "cdn-y-te"
    assert files["thu/y te.eml/Sìn Hồ.xlsx"].unit == "sin-ho"
    assert files["thu/y te.eml/chu ky.png"].status == "ignored"
    assert files["thu/hoi.eml"].status == "ignored"
    assert "không có tệp bảng tính" in next(f.message for f in result.findings if f.file == "thu/hoi.eml")
    stats = to_report(result)["stats"]
    assert stats["files"] == 4 == stats["files_accepted"] + stats["files_ignored"]


def test_mbox_newest_mail_wins_whatever_the_order(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    box = mailbox.mbox(inbox / "Hop thu den.mbox")
    first = dt.datetime(2020, 12, 12, 8, 0, tzinfo=VN)
    second = dt.datetime(2020, 12, 16, 8, 0, tzinfo=VN)
    newer = message("gd@gmail.com", "Bản đã sửa", second, [("giao duc.xlsx", workbook_bytes(tmp_path, "cdn-giao-duc"))])
    older = message("gd@gmail.com", "Bản đầu", first,
                    [("giao duc.xlsx", workbook_bytes(tmp_path, "cdn-giao-duc", individuals=3))])
    other = message("tp@gmail.com", "TP Lai Châu", first, [("tp.xlsx", workbook_bytes(tmp_path, "tp-lai-chau"))])
    for msg in (newer, other, older):   # the newer one first in the box
        box.add(msg)
    box.flush()
    box.close()
    result = run_batch(inbox, CAMPAIGN)
    files = files_of(result)
    assert files["Hop thu den.mbox#1/giao duc.xlsx"].status == "accepted"
    assert files["Hop thu den.mbox#3/giao duc.xlsx"].status == "superseded"
    assert files["Hop thu den.mbox#2/tp.xlsx"].received_at == first
    unit = next(u for u in result.units if u.unit.id == "cdn-giao-duc")
    assert unit.submitted.individuals == 4


def test_attachment_names_cannot_place_files(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    when = dt.datetime(2020, 12, 15, 9, 0, tzinfo=VN)
    msg = message("x@gmail.com", "thử", when, [("../../thoat ra.xlsx", workbook_bytes(tmp_path, "tam-duong")),
                                               ("/etc/passwd.xlsx", b"not a workbook")])
    (inbox / "m.eml").write_bytes(msg.as_bytes(policy=email.policy.SMTP))
    before = sorted(p for p in tmp_path.rglob("*"))
    result = run_batch(inbox, CAMPAIGN)
    assert sorted(p for p in tmp_path.rglob("*")) == before
    paths = [f.path for f in result.files]
    assert paths == ["m.eml/thoat ra.xlsx", "m.eml/passwd.xlsx"]
    assert files_of(result)["m.eml/passwd.xlsx"].reason == "file-unreadable"


def test_broken_mail_file_is_listed_and_the_batch_goes_on(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "hong.mbox").write_bytes(b"")
    (inbox / "a.xlsx").write_bytes(workbook_bytes(tmp_path, "tam-duong"))
    result = run_batch(inbox, CAMPAIGN)
    files = files_of(result)
    assert files["hong.mbox"].status == "ignored" and files["a.xlsx"].status == "accepted"


def test_unusable_attachment_is_attributed_by_the_sender_the_campaign_lists(tmp_path):
    """The last evidence of workbook.md: a broken file with a meaningless name, from a known address."""
    from thidua_batch.config.campaign import default_campaign_text, parse_campaign

    text = default_campaign_text().replace('id = "nam-nhun"', 'id = "nam-nhun"\nemails = ["NamNhun.LDLD@gmail.com"]', 1)
    campaign = parse_campaign(text, "campaign.toml")
    assert campaign.roster.get("nam-nhun").emails == ("namnhun.ldld@gmail.com",)
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    msg = message("Văn phòng <namnhun.ldld@gmail.com>", "Gui ho so", dt.datetime(2020, 12, 18, 9, tzinfo=VN),
                  [("DS.xlsx", b"not really a workbook")])
    (inbox / "thu.eml").write_bytes(msg.as_bytes(policy=email.policy.SMTP))
    result = run_batch(inbox, campaign)
    entry = files_of(result)["thu.eml/DS.xlsx"]
    assert (entry.status, entry.unit) == ("rejected", "nam-nhun")
    assert {u.unit.id: u.status for u in result.units}["nam-nhun"] == "unusable"
