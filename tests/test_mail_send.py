"""Sending you can trust (mail.md): two sends on one folder never send a draft twice, a refused
recipient is reported and keeps a draft of their own, a campaign's `emails` are checked when it is
read, and header lines stay within RFC 5322 limits whatever the names. Against aiosmtpd on 127.0.0.1."""
from __future__ import annotations

import email
import email.policy
import json
import os
import socket
import subprocess
import sys
import threading
import time
from email.header import decode_header, make_header
from pathlib import Path

import pytest
from click.testing import CliRunner
from mail_servers import PASSWORD, USER, SmtpServer

from thidua_batch.cli import main
from thidua_batch.config.campaign import default_campaign_text
from thidua_batch.mail import messages
from thidua_batch.mail.connection import parse_server
from thidua_batch.mail.send import LOCK, send_drafts

import datetime as dt

VN = dt.timezone(dt.timedelta(hours=7))


@pytest.fixture
def smtp(tmp_path):
    server = SmtpServer.start(tmp_path)
    yield server
    server.stop()


def invoke(*args):
    return CliRunner().invoke(main, [str(a) for a in args], env={"THIDUA_SMTP_PASSWORD": PASSWORD})


def drafts(folder: Path, to: dict[str, tuple[str, ...]], subject: str = "Thư thử", attachment: str = "Phản hồi.docx"):
    for stem, addresses in to.items():
        draft = messages.Draft(addresses, f"{subject} {stem}", "Nội dung.\n", (messages.Attachment(attachment, b"PK"),))
        messages.write(messages.build(draft, "Ban CSPL&QHLĐ <luonghaldld@gmail.com>",
                                      dt.datetime(2020, 12, 21, 9, tzinfo=VN)), folder / f"{stem}.eml")
    return folder


def test_two_sends_on_one_folder_never_send_a_draft_twice(smtp, tmp_path):
    folder = drafts(tmp_path / "nhap", {f"d{n}": (f"u{n}@units.test",) for n in range(4)})
    smtp.slow = 0.6
    server = parse_server(smtp.address, tls_port=465, starttls_port=587, starttls=False, plain=True)
    first = threading.Thread(target=send_drafts, args=(folder, server, USER, lambda: PASSWORD))
    first.start()
    for _ in range(200):
        if (folder / LOCK).exists():
            break
        time.sleep(0.01)
    # the second, in its own process, while the first is sending
    second = subprocess.run([sys.executable, "-m", "thidua_batch.cli", "mail", "send", str(folder), "--smtp",
                             smtp.address, "--plain", "--user", USER], capture_output=True, text=True,
                            env={**os.environ, "THIDUA_SMTP_PASSWORD": PASSWORD}, timeout=120)
    first.join(60)
    assert second.returncode == 2, second.stdout + second.stderr
    assert "đang gửi thư trong thư mục" in second.stdout + second.stderr
    assert sorted(r.rcpt_tos[0] for r in smtp.received) == [f"u{n}@units.test" for n in range(4)]   # once each
    assert not (folder / LOCK).exists()
    assert invoke("mail", "send", folder, "--smtp", smtp.address, "--plain", "--user", USER).exit_code == 0
    assert len(smtp.received) == 4


def test_a_lock_left_by_a_process_that_ended_is_taken_over(smtp, tmp_path):
    folder = drafts(tmp_path / "nhap", {"a": ("a@units.test",)})
    ended = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    (folder / LOCK).write_text(json.dumps({"pid": int(ended.stdout), "host": socket.gethostname(),
                                           "since": "2020-12-21T09:00:00"}), "utf-8")
    result = invoke("mail", "send", folder, "--smtp", smtp.address, "--plain", "--user", USER)
    assert result.exit_code == 0, result.output
    assert len(smtp.received) == 1 and not (folder / LOCK).exists()


def test_a_refused_recipient_is_reported_and_keeps_a_draft_for_them_alone(smtp, tmp_path):
    folder = drafts(tmp_path / "nhap", {"tam-duong": ("ldld.tamduong@units.test", "khong-ton-tai@units.test")})
    smtp.refuse.add("khong-ton-tai@units.test")
    result = invoke("mail", "send", folder, "--smtp", smtp.address, "--plain", "--user", USER)
    assert result.exit_code == 1
    assert "khong-ton-tai@units.test (550" in result.output
    [delivery] = smtp.received
    assert delivery.rcpt_tos == ["ldld.tamduong@units.test"]
    sent_note = (folder / "da_gui" / "tam-duong.ket-qua.txt").read_text("utf-8")
    assert "Người nhận: ldld.tamduong@units.test\n" in sent_note
    [rest] = list(folder.glob("*.eml"))
    left = email.message_from_bytes(rest.read_bytes(), policy=email.policy.default)
    original = email.message_from_bytes((folder / "da_gui" / "tam-duong.eml").read_bytes(),
                                        policy=email.policy.default)
    assert [a.addr_spec for a in left["To"].addresses] == ["khong-ton-tai@units.test"]
    assert left["Message-ID"] != original["Message-ID"] and left["Subject"] == original["Subject"]
    assert left["X-Unsent"] == "1" and list(left.iter_attachments())[0].get_filename() == "Phản hồi.docx"
    smtp.refuse.clear()
    again = invoke("mail", "send", folder, "--smtp", smtp.address, "--plain", "--user", USER)
    assert again.exit_code == 0, again.output
    assert [r.rcpt_tos for r in smtp.received] == [["ldld.tamduong@units.test"], ["khong-ton-tai@units.test"]]


def test_campaign_emails_with_two_addresses_in_one_entry_are_refused_when_read(tmp_path):
    path = tmp_path / "campaign.toml"
    path.write_text(default_campaign_text().replace(
        'id = "nam-nhun"', 'id = "nam-nhun"\nemails = ["namnhun@gmail.com; vanphong.namnhun@gmail.com"]', 1), "utf-8")
    result = invoke("mail", "templates", "--out", tmp_path / "mau", "--campaign", path)
    assert result.exit_code == 2
    assert "“emails”" in result.output and "dòng" in result.output
    assert '["namnhun@gmail.com", "vanphong.namnhun@gmail.com"]' in result.output
    assert not (tmp_path / "mau").exists()


def test_header_lines_stay_within_limits_whatever_the_names(smtp, tmp_path):
    name = "Công đoàn cơ sở Trường Phổ thông Dân tộc Nội trú Trung học cơ sở và Trung học phổ thông " * 12
    name = name.strip()
    addresses = tuple(f"Văn phòng {name} <vp{n}@units.test>" for n in range(3))
    folder = drafts(tmp_path / "nhap", {"dai": addresses}, subject=f"Phản hồi - {name}",
                    attachment=messages.safe_attachment_name(f"Phản hồi - {name}") + ".docx")
    raw = (folder / "dai.eml").read_bytes()
    head = raw.split(b"\r\n\r\n", 1)[0]
    assert max(len(line) for line in raw.split(b"\r\n")) <= 98   # RFC 5322: 998 at most, 78 recommended
    message = email.message_from_bytes(raw, policy=email.policy.default.clone(raise_on_defect=True))
    assert str(message["Subject"]) == f"Phản hồi - {name} dai"
    assert str(make_header(decode_header(
        email.message_from_bytes(head + b"\r\n\r\n", policy=email.policy.compat32)["To"]))).count(name) == 3
    assert list(message.iter_attachments())[0].get_filename() == messages.safe_attachment_name(
        f"Phản hồi - {name}") + ".docx"
    result = invoke("mail", "send", folder, "--smtp", smtp.address, "--plain", "--user", USER)
    assert result.exit_code == 0, result.output
    assert sorted(smtp.received[0].rcpt_tos) == [f"vp{n}@units.test" for n in range(3)]


def test_the_progress_callback_sees_each_draft_settled_in_turn(smtp, tmp_path):
    folder = drafts(tmp_path / "nhap", {f"d{n}": (f"u{n}@units.test",) for n in range(3)})
    drafts(folder, {"khong-nguoi-nhan": ()})                  # left out: no recipient, settled too
    smtp.refuse = {"u1@units.test"}                           # refused: settled, not sent
    server = parse_server(smtp.address, tls_port=465, starttls_port=587, starttls=False, plain=True)
    seen = []
    report = send_drafts(folder, server, USER, lambda: PASSWORD,
                         progress=lambda done, total: seen.append((done, total, len(smtp.received))))
    # the draft without recipient is settled first (before any connection), then one call per message,
    # each after the server has answered that message
    assert [(d, t) for d, t, _ in seen] == [(1, 4), (2, 4), (3, 4), (4, 4)]
    assert [r for _, _, r in seen] == [0, 1, 1, 2]
    assert len(report.sent) == 2 and len(report.failed) == 1 and len(report.skipped) == 1


def test_the_progress_callback_counts_one_per_message_sent(smtp, tmp_path):
    folder = drafts(tmp_path / "nhap", {f"d{n}": (f"u{n}@units.test",) for n in range(5)})
    server = parse_server(smtp.address, tls_port=465, starttls_port=587, starttls=False, plain=True)
    seen = []
    send_drafts(folder, server, USER, lambda: PASSWORD,
                progress=lambda done, total: seen.append((done, total, len(smtp.received))))
    assert seen == [(n, 5, n) for n in range(1, 6)]
