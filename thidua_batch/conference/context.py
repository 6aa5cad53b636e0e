"""What the conference papers' templates see: frozen dataclasses whose field paths are the
variables a template may use (`word.TemplateSet` refuses any other)."""
from __future__ import annotations

from dataclasses import dataclass

from ..config.campaign import Signer


@dataclass(frozen=True)
class HeaderInfo:
    parent: str                 # "TỔNG LĐLĐ VIỆT NAM"
    name: str                   # "LIÊN ĐOÀN LAO ĐỘNG TỈNH LAI CHÂU"


@dataclass(frozen=True)
class IssueInfo:
    place_date: str             # "Lai Châu, ngày 21 tháng 12 năm 2020" (day blank when not set)
    symbol: str                 # "GM-LĐLĐ"


@dataclass(frozen=True)
class ConferenceInfo:
    name: str
    name_upper: str
    year: int
    next_year: int
    date: str                   # "29/12/2020"
    date_long: str              # "ngày 29 tháng 12 năm 2020"
    weekday: str                # "thứ Ba"
    start: str                  # "07 giờ 30 phút"
    duration: str               # "buổi sáng" / "buổi chiều" / "01 ngày", from the agenda
    venue: str
    chair: str
    authority: str              # "Ban Thường vụ Liên đoàn Lao động tỉnh Lai Châu"
    plan_number: str
    plan_date: str
    plan_title: str


@dataclass(frozen=True)
class Invitation:
    slug: str                   # the file name in giay_moi/, ASCII
    invitee: str                # "Đồng chí Lò Văn Pánh" / "Báo Lai Châu"
    detail: str                 # position and organisation, or "" 
    addressee: str              # "đồng chí" / "quý cơ quan", for the closing sentence
    notes: list[str]            # the conference's notes, plus the lodging note for delegates from afar
    group: str


@dataclass(frozen=True)
class InvitationsContext:
    header: HeaderInfo
    issue: IssueInfo
    conference: ConferenceInfo
    signer: Signer
    noi_nhan: list[str]
    invitations: list[Invitation]


@dataclass(frozen=True)
class AgendaRow:
    stt: str
    time: str
    item: str
    presenter: str


@dataclass(frozen=True)
class AgendaContext:
    header: HeaderInfo
    issue: IssueInfo
    conference: ConferenceInfo
    rows: list[AgendaRow]


@dataclass(frozen=True)
class ScriptRow:
    heading: str                # a row across the table ("" for an ordinary row)
    introducer: str             # NGƯỜI GIỚI THIỆU
    performer: str              # NGƯỜI THỰC HIỆN
    content: str                # NỘI DUNG (lines separated by "\n")
    note: str                   # GHI CHÚ: time, the tray's stack numbers


@dataclass(frozen=True)
class ScriptDecision:
    number: str
    date: str
    award: str
    collectives: int
    individuals: int
    batches: int


@dataclass(frozen=True)
class ScriptContext:
    header: HeaderInfo
    issue: IssueInfo
    conference: ConferenceInfo
    mc: str
    batch_size: int
    decisions: list[ScriptDecision]
    rows: list[ScriptRow]


@dataclass(frozen=True)
class DiscussionRow:
    stt: int
    unit: str
    topic: str
    presenter: str
    contact: str                # the unit's preparer, phone, email, one a line


@dataclass(frozen=True)
class DiscussionContext:
    header: HeaderInfo
    issue: IssueInfo
    conference: ConferenceInfo
    rows: list[DiscussionRow]
    missing: list[str]          # units expected to speak that sent no topic
    talk_minutes: int           # each talk at most this long


@dataclass(frozen=True)
class MemberRow:
    stt: int
    name: str
    role: str                   # "Trưởng khối" / "Phó khối" / "Thành viên"


@dataclass(frozen=True)
class SignatureCell:
    role: str                   # "TRƯỞNG KHỐI" …, "" for an empty cell
    on_behalf: str              # "TM. BAN CHẤP HÀNH"
    unit: str                   # the unit's name in capitals
    title: str                  # "CHỦ TỊCH"
    name: str                   # the signer's name when the delegates list gives it, else ""


@dataclass(frozen=True)
class SignatureRow:
    a: SignatureCell
    b: SignatureCell
    c: SignatureCell


@dataclass(frozen=True)
class KhoiInfo:
    id: str
    name: str
    name_upper: str
    members: list[MemberRow]
    signature_rows: list[SignatureRow]


@dataclass(frozen=True)
class PledgeContext:
    header: HeaderInfo
    issue: IssueInfo
    conference: ConferenceInfo
    year: int
    can_cu: list[str]
    contents: list[str]
    khoi: KhoiInfo
