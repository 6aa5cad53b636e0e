"""What flows through a run: cells read, nominations, one file's result, the batch result.

files → FileResult (reader + per-file rules) → BatchResult (merge) → writers.
Writers only read these; they never open a workbook.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from ..config.campaign import Campaign
from ..config.roster import Unit
from .findings import Finding, Severity

COLLECTIVE, INDIVIDUAL = "collective", "individual"

# File statuses (outputs.md).
ACCEPTED, REJECTED, IGNORED, SUPERSEDED = "accepted", "rejected", "ignored", "superseded"
# Unit statuses, in the order the first that applies wins (outputs.md).
MISSING, UNUSABLE, HAS_ERRORS = "missing", "unusable", "has-errors"
OVER_QUOTA, UNDER_QUOTA, OK = "over-quota", "under-quota", "ok"
# How a list was laid out (report.json files[].layout).
TEMPLATE, OWN, WORD = "template", "own", "word"
MAIL_BODY = "mail-body"   # a table pasted into a mail's body (mail.md)

STATUS_WORDS = {
    MISSING: "Chưa gửi hồ sơ",
    UNUSABLE: "Đã gửi nhưng chưa dùng được",
    HAS_ERRORS: "Có lỗi cần sửa",
    OVER_QUOTA: "Vượt chỉ tiêu",
    UNDER_QUOTA: "Dưới chỉ tiêu",
    OK: "Đạt yêu cầu",
}
FILE_STATUS_WORDS = {ACCEPTED: "Đã nhận", REJECTED: "Bị từ chối", IGNORED: "Bỏ qua", SUPERSEDED: "Đã được thay thế"}
# Why a file was not used (its `reason`, a finding code), in words for the workbook and the letters.
REASON_WORDS = {
    "file-unreadable": "không mở được tệp",
    "file-ignored": "không phải hồ sơ hoặc không có danh sách đề nghị",
    "sheet-missing": "không có danh sách đề nghị theo mẫu",
    "unit-unknown": "không xác định được đơn vị",
    "unit-mismatch": "tên đơn vị khác với đơn vị của mẫu",
    "unit-superseded": "đã có tệp mới hơn của đơn vị",
    "file-link": "gửi đường dẫn, chưa gửi tệp",
}
LAYOUT_WORDS = {TEMPLATE: "Theo mẫu", OWN: "Bảng tính tự lập (không theo mẫu)", WORD: "Bảng trong văn bản Word",
                MAIL_BODY: "Bảng dán trong nội dung thư"}


@dataclass(frozen=True)
class MailInfo:
    """The mail a file came attached to."""

    sender: str
    subject: str
    date: dt.datetime | None
    attachment: str      # the attachment's own name, decoded ("" for a mail with no list attached)
    message_id: str = ""   # "<...@mail.gmail.com>": a reply threads on it (mail.md)
    references: str = ""   # the mail's own References header, kept for the reply's References

    def to_dict(self) -> dict:
        return {"from": self.sender, "subject": self.subject,
                "date": self.date.isoformat() if self.date else None,
                "message_id": self.message_id or None, "references": self.references or None}


@dataclass(frozen=True)
class Conversion:
    encoding: str  # "TCVN3" | "VNI"
    before: str
    after: str  # Unicode NFC


@dataclass(frozen=True)
class PastAward:
    """One earlier award of a nominee, as `awarded-before` tells it."""

    award: str
    number: str
    date: dt.date
    year: int
    name: str
    unit_name: str = ""
    campaign_id: str | None = None   # the campaign whose decision it was: its own decisions are not "before"

    @property
    def sentence(self) -> str:
        return f"Đã được tặng {self.award} năm {self.year} (Quyết định số {self.number} ngày {self.date:%d/%m/%Y})"


@dataclass
class Cell:
    """One cell read: where it is, what was found there, and the value parsed for its field."""

    ref: str            # A1 form, "D7"
    raw: object = None  # as found: NFC text, a number, a date; None when empty
    value: object = None  # parsed value (str, int, float, date); None when empty or invalid
    problem: str | None = None   # why the value is invalid (Vietnamese), for an invalid-value finding
    formula_without_value: bool = False  # a formula whose result Excel never stored
    legacy: Conversion | None = None     # the text was typed in TCVN3/VNI and converted to Unicode
    interpreted: str | None = None       # read as an officer would ("12/05/1980" → 1980): the value after

    @property
    def empty(self) -> bool:
        return self.raw is None

    @property
    def text(self) -> str:
        """The parsed value as a person reads it ("" when empty or invalid)."""
        if self.value is None:
            return ""
        if isinstance(self.value, dt.date):
            return self.value.strftime("%d/%m/%Y")
        if isinstance(self.value, float):
            return f"{self.value:g}"
        return str(self.value)


@dataclass
class Nomination:
    """One row of Tập thể or Cá nhân that counts as a nomination."""

    kind: str            # COLLECTIVE or INDIVIDUAL
    file: str            # display path of the source file
    sheet: str           # sheet name as found in the file
    row: int             # 1-based row number in that sheet
    cells: dict[str, Cell]
    last_row: int | None = None   # when the nomination spans rows (merged cells, continuation lines)
    unit: str | None = None
    has_error: bool = False       # an error finding of its own
    in_decision: bool = False
    held_out: str | None = None   # Vietnamese reason when it does not go into the decision
    reasons: list[str] = field(default_factory=list)   # its own errors in words, with the rule and the value
    duplicate_of: Nomination | None = None   # the proposal of the same person that counts (papers.md)
    also_proposed: list[Nomination] = field(default_factory=list)   # every other proposal of the same person
    past_awards: list[PastAward] = field(default_factory=list)   # from the award register, when there is one

    def text(self, key: str) -> str:
        cell = self.cells.get(key)
        return cell.text if cell else ""

    def ref(self, key: str) -> str | None:
        cell = self.cells.get(key)
        return cell.ref if cell else None

    @property
    def name(self) -> str:
        return self.text("name")

    @property
    def display_name(self) -> str:
        """The name as the drafts print it: a person's name typed in capitals is put in normal
        Vietnamese capitalisation ("LÒ VĂN PÁNH" → "Lò Văn Pánh"); collectives keep theirs
        (their names hold abbreviations: "UBND", "THCS")."""
        name = self.name
        if self.kind == INDIVIDUAL and name.isupper():
            return " ".join(word[:1] + word[1:].lower() for word in name.split(" "))
        return name

    @property
    def birth_year(self) -> int | None:
        cell = self.cells.get("birth_year")
        return cell.value if cell and isinstance(cell.value, int) else None

    @property
    def vote(self) -> float | None:
        cell = self.cells.get("vote")
        return cell.value if cell and isinstance(cell.value, (int, float)) else None

    @property
    def position_and_workplace(self) -> str:
        """ "Chức vụ - Đơn vị công tác" of the annex."""
        parts = [p for p in (self.text("position"), self.text("workplace")) if p]
        return " - ".join(parts)


@dataclass(frozen=True)
class SkippedRow:
    """A row of a list that is not a nomination (workbook.md, "Lists as units really send them")."""

    sheet: str
    row: int        # 1-based
    kind: str       # "title", "section", "column-numbers", "total", "signature", "date-line", "note",
                    # "hidden", "continuation" (joined to the nomination above)
    text: str       # the row's text, cells joined with " | "


@dataclass
class FileResult:
    """One file found in the inbox, read or not, with the findings about it."""

    path: str                      # relative to INBOX (or "mail.mbox#3/attachment.xlsx")
    sha256: str | None = None
    received_at: dt.datetime | None = None
    mail: MailInfo | None = None   # sender, subject, date, attachment name when it came by mail
    status: str = ACCEPTED
    reason: str | None = None      # a finding code when not accepted
    unit: str | None = None        # the unit it belongs to, when known (also for rejected files)
    unit_typed: str | None = None  # "Đơn vị đề nghị" as typed
    identity: dict[str, str] = field(default_factory=dict)
    fields: dict[str, Cell] = field(default_factory=dict)   # the Đơn vị sheet
    unit_sheet: str | None = None  # name of the Đơn vị sheet as found
    collectives: list[Nomination] = field(default_factory=list)
    individuals: list[Nomination] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    layout: str | None = None      # TEMPLATE, OWN, WORD; None when no list was read
    title_lines: list[str] = field(default_factory=list)  # text above a list / of a document: who sent it
    skipped_rows: list[SkippedRow] = field(default_factory=list)  # rows of a list that are not nominations

    @property
    def readable(self) -> bool:
        return self.status in (ACCEPTED, SUPERSEDED)

    def nominations(self, kind: str) -> list[Nomination]:
        return self.collectives if kind == COLLECTIVE else self.individuals

    def field_text(self, key: str) -> str:
        cell = self.fields.get(key)
        return cell.text if cell else ""

    def reject(self, code: str) -> None:
        self.status, self.reason = REJECTED, code


@dataclass(frozen=True)
class Counts:
    collectives: int = 0
    individuals: int = 0

    def to_dict(self) -> dict:
        return {"collectives": self.collectives, "individuals": self.individuals}


@dataclass
class UnitResult:
    unit: Unit
    status: str
    submitted: Counts
    in_decision: Counts
    file: FileResult | None      # the accepted file, if any
    files: list[FileResult] = field(default_factory=list)  # every file attributed to this unit

    @property
    def quota(self) -> Counts:
        return Counts(self.unit.collectives, self.unit.individuals)


@dataclass
class BatchResult:
    campaign: Campaign
    generated_at: dt.datetime
    files: list[FileResult]
    units: list[UnitResult]
    findings: list[Finding]

    @property
    def valid(self) -> bool:
        return not any(f.is_error for f in self.findings)

    def accepted_files(self) -> list[FileResult]:
        return [f for f in self.files if f.status == ACCEPTED]

    def nominations(self, kind: str) -> list[Nomination]:
        """Every nomination of accepted files, in roster order, each unit's rows as listed."""
        roster = self.campaign.roster
        files = sorted(self.accepted_files(), key=lambda f: roster.order(f.unit))
        return [n for f in files for n in f.nominations(kind)]

    def all_nominations(self, kind: str) -> list[Nomination]:
        """Every nomination read from any file, accepted files first within each unit."""
        roster = self.campaign.roster
        rank = {ACCEPTED: 0, SUPERSEDED: 1, REJECTED: 2}
        files = sorted((f for f in self.files if f.nominations(kind)),
                       key=lambda f: (roster.order(f.unit), rank.get(f.status, 3)))
        return [n for f in files for n in f.nominations(kind)]

    def in_decision(self, kind: str) -> list[Nomination]:
        return [n for n in self.nominations(kind) if n.in_decision]

    def count(self, severity: Severity) -> int:
        return sum(1 for f in self.findings if f.severity is severity)
