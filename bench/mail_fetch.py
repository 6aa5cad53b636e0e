"""`mail fetch` on a mailbox far away (issue 19): a real IMAP server on 127.0.0.1 (Dovecot when
installed, else pymap) holding N mails, reached through a proxy that delays every byte by half of
RTT each way (80 ms round trip: Gmail seen from Lai Châu). Times the first fetch and a fetch with
nothing new, end to end (the `thidua-batch` command in its own process, interpreter start
included) and in process (the library's `fetch`), and counts the client's round trips.

    python bench/mail_fetch.py [--mails 1000] [--rtt 0.080] [--server dovecot|pymap]

Targets: first fetch ≤ 10 s, nothing new ≤ 2 s, at N = 1000 and 80 ms.
"""
from __future__ import annotations

import argparse
import datetime as dt
import imaplib
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(HERE))

from delay_proxy import DelayProxy  # noqa: E402
from mail_servers import DOVECOT, PASSWORD, USER, DovecotServer, ImapServer, gmail_message  # noqa: E402

from thidua_batch.config.campaign import load_campaign  # noqa: E402
from thidua_batch.mail.connection import parse_server  # noqa: E402
from thidua_batch.mail.fetch import fetch  # noqa: E402

VN = dt.timezone(dt.timedelta(hours=7))
SAMPLE = ROOT / "samples" / "inbox" / "LDLD Tam Duong - de nghi khen thuong 2020.xlsx"


def seed(server: ImapServer, count: int) -> int:
    """COUNT mails like a real inbox: one in three from a unit with a workbook, the rest notices,
    newsletters, questions and the board's own mails. Returns how many carry a file."""
    data = SAMPLE.read_bytes()
    client = server._client()
    with_files = 0
    try:
        for number in range(count):
            when = dt.datetime(2020, 12, 1, 8, tzinfo=VN) + dt.timedelta(minutes=37 * number)
            kind = number % 6
            if kind in (0, 3):
                with_files += 1
                raw = gmail_message(f"Đơn vị {number}", f"donvi{number}@gmail.com", f"Hồ sơ khen thưởng {number}",
                                    when, "Kính gửi Ban, đơn vị gửi hồ sơ.", [(f"Danh sách {number}.xlsx", data)],
                                    f"<CA{number}@mail.gmail.com>")
            elif kind == 1:
                raw = gmail_message("Google", "no-reply@accounts.google.com", f"Cảnh báo bảo mật {number}", when,
                                    "Thông báo.", [], f"<news{number}@google.com>")
            elif kind == 2:
                raw = gmail_message("Ban CSPL", USER, f"Đã gửi mẫu {number}", when, "Kính gửi.",
                                    [("Mẫu.xlsx", data)], f"<own{number}@mail.gmail.com>")
            else:
                raw = gmail_message(f"Người {number}", f"nguoi{number}@gmail.com", f"Hỏi về lịch họp {number}", when,
                                    "Cho hỏi.", [], f"<q{number}@mail.gmail.com>")
            status, _ = client.append("INBOX", None, imaplib.Time2Internaldate(when.timestamp()), raw)
            assert status == "OK"
    finally:
        client.logout()
    return with_files


def timed_fetch(port: int, inbox: Path) -> tuple[float, str]:
    command = [sys.executable, "-m", "thidua_batch.cli", "mail", "fetch", "--imap", f"127.0.0.1:{port}", "--plain",
               "--user", USER, "--out", str(inbox), "--since", "01/11/2020"]
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, env={**os.environ, "THIDUA_IMAP_PASSWORD": PASSWORD})
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(done.stdout + done.stderr)
    return elapsed, done.stdout.strip().splitlines()[-1]


def in_process(port: int, inbox: Path) -> tuple[float, int]:
    server = parse_server(f"127.0.0.1:{port}", tls_port=993, starttls_port=143, starttls=False, plain=True)
    campaign = load_campaign()
    start = time.perf_counter()
    report = fetch(server, USER, PASSWORD, inbox, dt.date(2020, 11, 1), "INBOX", campaign.tz, campaign=campaign)
    return time.perf_counter() - start, len(report.saved)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--mails", type=int, default=1000)
    parser.add_argument("--rtt", type=float, default=0.080)
    parser.add_argument("--server", choices=("dovecot", "pymap"), default="dovecot" if DOVECOT else "pymap")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-fetch-") as folder:
        work = Path(folder)
        server = (DovecotServer if args.server == "dovecot" else ImapServer).start(work)
        try:
            t0 = time.perf_counter()
            with_files = seed(server, args.mails)
            seeded = time.perf_counter() - t0
            with DelayProxy(server.port, rtt=args.rtt) as proxy:
                first, first_line = timed_fetch(proxy.port, work / "inbox")
                first_turns = proxy.turns
                proxy.reset()
                again, again_line = timed_fetch(proxy.port, work / "inbox")
                again_turns = proxy.turns
                lib_first, lib_saved = in_process(proxy.port, work / "inbox-lib")
                lib_again, _ = in_process(proxy.port, work / "inbox-lib")
            saved = len(list((work / "inbox").glob("*.eml")))
        finally:
            server.stop()
    print(f"cores: {os.cpu_count()}; python {sys.version.split()[0]}; server: {args.server}")
    print(f"mailbox: {args.mails} mails ({with_files} with a workbook, seeded in {seeded:.1f} s); "
          f"round trip {args.rtt * 1000:.0f} ms")
    print(f"first fetch (command): {first:.2f} s, {first_turns} round trips, {saved} saved ({first_line})")
    print(f"nothing new (command): {again:.2f} s, {again_turns} round trips ({again_line})")
    print(f"in process (library fetch): first {lib_first:.2f} s ({lib_saved} saved), nothing new {lib_again:.2f} s")
    ok = first <= 10 and again <= 2 and saved == with_files == lib_saved
    print("targets (first ≤ 10 s, nothing new ≤ 2 s, every unit's mail saved):", "met" if ok else "NOT met")


if __name__ == "__main__":
    main()
