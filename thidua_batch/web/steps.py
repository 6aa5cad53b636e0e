"""The year's steps as the page calls them: one small adapter per step, each making the same library
call as the matching command of cli.py, on the same folders and register, so the page and the
terminal write the same files. The page's own folders for these steps live inside OUT (downloads
come only from INBOX and OUT):

    OUT/thu-tra-loi/          mail replies RUN_DIR --out …      (RUN_DIR = OUT)
    OUT/thu-gui-mau/          mail templates --out …
    OUT/in-bang-khen/<số>/    certificates --decision SỐ --out … --calibrate [--layout …]
    OUT/in-bang-khen/bo_cuc_may_in.toml   this printer's layout, once uploaded
    OUT/hoi-nghi/             conference template --out …       (hoi_nghi.toml, dai_bieu.xlsx)
    OUT/hoi-nghi/van-ban/     conference build --config … --delegates … --out … --run OUT
"""
from __future__ import annotations

import datetime as dt
import email
import email.parser
import email.policy
import email.utils
import re
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from pathlib import Path

from ..common.atomic import OutputBlocked
from ..certificates import LayoutError, load_layout, print_certificates as certificates_entry
from ..conference import BuildResult, ConferenceError, build_conference, load_conference, write_conference_template
from ..conference.config import EXAMPLE_FILE
from ..conference.delegates import DELEGATES_FILE
from ..config.campaign import Campaign
from ..documents.word import WordTemplateError
from ..mail.connection import MailError, Server, parse_server
from ..mail.drafts import DraftReport, write_reply_drafts, write_template_drafts
from ..mail.fetch import FetchReport, fetch
from ..mail.run_report import read_report
from ..mail.send import SENT_DIR, SendReport, drafts_in, send_drafts
from ..register.commands import (decision_from_list, decision_from_run, export, parse_date, record_run,
                                 remove_decision)
from ..register.model import Awardee, Decision
from ..register.store import RegisterError, open_register

REPLIES_DIR, UNIT_MAILS_DIR = "thu-tra-loi", "thu-gui-mau"
PRINT_DIR, LAYOUT_FILE = "in-bang-khen", "bo_cuc_may_in.toml"
CONFERENCE_DIR, PAPERS_DIR = "hoi-nghi", "van-ban"
YEAR_DIRS = (REPLIES_DIR, UNIT_MAILS_DIR, PRINT_DIR, CONFERENCE_DIR)   # not part of the batch's outputs

# Every library refusal a step can give: its message is already Vietnamese, shown as it is.
STEP_ERRORS = (RegisterError, MailError, LayoutError, ConferenceError, WordTemplateError, OutputBlocked)

# The two sets of drafts on Thư điện tử: the folder inside OUT and what it is.
DRAFT_SETS = {"tra-loi": (REPLIES_DIR, "Thư trả lời đơn vị"), "gui-mau": (UNIT_MAILS_DIR, "Thư gửi mẫu cho đơn vị")}


# ------------------------------------------------------------------ mail (cli: mail fetch/replies/templates/send)

def mail_server(text: str, security: str, *, incoming: bool) -> Server:
    """The server as typed in the form; security "tls" (default), "starttls" or "plain" (loopback only)."""
    return parse_server(text, tls_port=993 if incoming else 465, starttls_port=143 if incoming else 587,
                        starttls=security == "starttls", plain=security == "plain")


def fetch_mail(server: Server, user: str, password: str, inbox: Path, campaign: Campaign,
               progress: Callable[[int, int], None]) -> FetchReport:
    """`mail fetch --out INBOX`: the units' mails with files, since the plan's date."""
    return fetch(server, user, password, inbox, campaign.plan.date, "INBOX", campaign.tz, progress, campaign)


def draft_replies(out: Path, campaign: Campaign, again: bool = False) -> DraftReport:
    """`mail replies OUT --out OUT/thu-tra-loi`, less the units whose reply to this very run was
    already sent (unless AGAIN: the officer asked to draft those too)."""
    sent = {} if again else replies_sent_for_run(out, campaign)
    return write_reply_drafts(out, campaign, out / REPLIES_DIR, leave_out=set(sent))


def replies_sent_for_run(out: Path, campaign: Campaign) -> dict[str, dt.datetime]:
    """Unit id → when its reply to the run now in OUT was drafted, for the replies in da_gui/ that
    belong to that run. A reply is drafted from report.json, so one whose Date (the drafting time,
    sent as drafted) is not before report.json's generated_at was drafted from this run; a reply to
    an earlier run is older than this run's generated_at."""
    try:
        generated = read_report(out).generated_at
    except (OSError, ValueError, KeyError, MailError):
        return {}
    sent = out / REPLIES_DIR / SENT_DIR
    if generated is None or not sent.is_dir():
        return {}
    generated = _aware(generated, campaign)
    found: dict[str, dt.datetime] = {}
    for path in sorted(sent.glob("*.eml")):
        try:
            with path.open("rb") as handle:
                head = email.parser.BytesHeaderParser(policy=email.policy.compat32).parse(handle)
            drafted = _aware(email.utils.parsedate_to_datetime(str(head.get("Date", ""))), campaign)
        except (OSError, TypeError, ValueError):
            continue
        if drafted >= generated:
            found[re.sub(r"_\d+$", "", path.stem)] = drafted
    return found


def _aware(moment: dt.datetime, campaign: Campaign) -> dt.datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=campaign.tz)


def draft_unit_mails(out: Path, campaign: Campaign) -> DraftReport:
    """`mail templates --out OUT/thu-gui-mau`."""
    return write_template_drafts(campaign, out / UNIT_MAILS_DIR)


def plan_sending(folder: Path, names: Collection[str]) -> SendReport:
    """`mail send FOLDER --dry-run`, for the chosen drafts: what would go, what would not and why."""
    return send_drafts(folder, None, "", None, dry_run=True, only=set(names))


def send_mail(folder: Path, server: Server, user: str, password: str, names: Collection[str],
              progress: Callable[[int, int], None] | None = None) -> SendReport:
    """`mail send FOLDER`, for the chosen drafts only; each goes once, then moves to da_gui/.
    PROGRESS(done, total) after each draft settled."""
    return send_drafts(folder, server, user, lambda: password, only=set(names), progress=progress)


@dataclass(frozen=True)
class MailView:
    """A draft as the officer reads it before sending."""

    name: str
    to: str
    subject: str
    body: str
    attachments: tuple[str, ...]


def read_mail(path: Path) -> MailView:
    message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    text = message.get_body(preferencelist=("plain",))
    return MailView(path.name, ", ".join(f"{n} <{a}>" if n else a for n, a in email.utils.getaddresses(
        [str(v) for v in message.get_all("To", [])]) if a), str(message.get("Subject", "")),
        text.get_content() if text is not None else "",
        tuple(p.get_filename() or "(không tên)" for p in message.iter_attachments()))


def drafts(folder: Path) -> list[MailView]:
    """The drafts waiting in FOLDER; one moved to da_gui/ while being listed (a send under way) is left out."""
    views = []
    for path in drafts_in(folder) if folder.is_dir() else ():
        try:
            views.append(read_mail(path))
        except OSError:
            continue
    return views


@dataclass(frozen=True)
class SentEntry:
    name: str                     # the sent .eml inside da_gui/
    lines: tuple[tuple[str, str], ...]   # the server's record: (label, value)


def sent_log(folder: Path) -> list[SentEntry]:
    """da_gui/'s records (*.ket-qua.txt), newest last."""
    sent = folder / SENT_DIR
    entries = []
    for record in sorted(sent.glob("*.ket-qua.txt")) if sent.is_dir() else ():
        try:
            text = record.read_text("utf-8", "replace")
        except OSError:
            continue
        pairs = tuple(tuple(p.strip() for p in line.split(":", 1)) for line in text.splitlines() if ":" in line)
        entries.append(SentEntry(record.name.removesuffix(".ket-qua.txt") + ".eml", pairs))
    return entries


def sent_before(folder: Path) -> dict[str, str]:
    """Draft name → when a mail of the same name (the same unit) was sent before, from da_gui/: the
    page warns before a unit gets a second mail."""
    found: dict[str, str] = {}
    for entry in sent_log(folder):
        name = re.sub(r"_\d+$", "", entry.name.removesuffix(".eml")) + ".eml"
        found[name] = dict(entry.lines).get("Gửi lúc", "") or "trước đây"
    return found


# ------------------------------------------------------------------ register (cli: register record/import/list/export)

def run_decision(out: Path, number: str, date_text: str, campaign: Campaign) -> Decision:
    """What `register record OUT --number … --date …` would record."""
    return decision_from_run(out, number, parse_date(date_text), campaign)


def list_decision(path: Path, number: str, date_text: str, award: str, year: int | None,
                  campaign: Campaign) -> Decision:
    """What `register import FILE --number … --date … --award … [--year …]` would record."""
    return decision_from_list(path, number, parse_date(date_text), award, campaign, year)


def record(register: Path, decision: Decision) -> bool:
    """`register import`'s recording: True when recorded, False when the very same decision was already there."""
    with open_register(register) as book:
        return book.record(decision)


def record_signed(register: Path, out: Path, number: str, date_text: str, campaign: Campaign) -> tuple[bool, Decision]:
    """`register record OUT --number … --date …` (register.commands.record_run): refused (a second award,
    a reused number) with the register untouched."""
    return record_run(register, out, number, date_text, campaign)


def remove(register: Path, number: str) -> Decision:
    """`register remove --number N --yes` (register.commands.remove_decision), once the page has asked."""
    with open_register(register, create=False) as book:
        return remove_decision(book, number)


def decisions(register: Path, year: int | None = None) -> list[Decision]:
    if not register.is_file():
        return []
    with open_register(register, create=False) as book:
        return book.decisions(year)


def decision(register: Path, number: str) -> Decision | None:
    """The recorded decision of that number, or None."""
    return next((d for d in decisions(register) if d.number == number), None)


def search(register: Path, name: str | None, unit: str | None, year: int | None) -> list[tuple[Decision, Awardee]]:
    if not register.is_file():
        return []
    with open_register(register, create=False) as book:
        return book.search(name=name or None, unit=unit or None, year=year)


def export_register(register: Path, path: Path) -> Path:
    """`register export --out PATH`."""
    with open_register(register, create=False) as book:
        return export(book, path)


# ------------------------------------------------------------------ certificates (cli: certificates … --calibrate)

def print_dir(out: Path, number: str) -> Path:
    """OUT/in-bang-khen/<the decision's number as a folder name>: "123/QĐ-LĐLĐ" → "123-QĐ-LĐLĐ"."""
    return out / PRINT_DIR / (re.sub(r"[^\w.-]+", "-", number).strip("-.") or "quyet-dinh")


def layout_file(out: Path) -> Path | None:
    path = out / PRINT_DIR / LAYOUT_FILE
    return path if path.is_file() else None


def check_layout(path: Path) -> None:
    """As the command line checks --layout: a broken layout raises LayoutError with line and key."""
    load_layout(path)


def print_certificates(register: Path, number: str, out: Path, campaign: Campaign) -> list[Path]:
    """`certificates --decision SỐ --out OUT/in-bang-khen/<số> --calibrate [--layout this printer's]`."""
    with open_register(register, create=False) as book:   # numbers given only if every file is written
        return certificates_entry(book, number, print_dir(out, number), layout_path=layout_file(out), calibrate=True,
                                  campaign=campaign)


# ------------------------------------------------------------------ conference (cli: conference template/build)

def conference_dir(out: Path) -> Path:
    return out / CONFERENCE_DIR


def conference_files(out: Path) -> tuple[Path, Path]:
    return conference_dir(out) / EXAMPLE_FILE, conference_dir(out) / DELEGATES_FILE


def conference_template(out: Path, campaign: Campaign) -> list[Path]:
    """`conference template --out OUT/hoi-nghi`."""
    return write_conference_template(conference_dir(out), campaign)


def check_conference(path: Path, campaign: Campaign) -> None:
    load_conference(path, campaign)


@dataclass
class Built:
    result: BuildResult
    decisions: int
    year: int
    papers: list[str] = field(default_factory=list)


def build_papers(out: Path, inbox: Path, register: Path, campaign: Campaign) -> Built:
    """`conference build --config … --delegates … --out OUT/hoi-nghi/van-ban --run OUT --register …` (the
    units' topics and contacts from the run's report.json)."""
    config_path, delegates_path = conference_files(out)
    config = load_conference(config_path, campaign)
    found = decisions(register, config.year)
    target = conference_dir(out) / PAPERS_DIR
    result = build_conference(config, delegates_path, target, decisions=found, runs=(out,), campaign=campaign)
    return Built(result, len(found), config.year, [p.relative_to(out).as_posix() for p in result.paths])

