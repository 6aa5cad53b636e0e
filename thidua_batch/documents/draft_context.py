"""What the drafts' templates see: frozen dataclasses whose field paths are the variables a
template may use (`word.TemplateSet` checks templates against exactly these)."""
from __future__ import annotations

from dataclasses import dataclass

from ..config.campaign import Organisation, Signer


@dataclass(frozen=True)
class CampaignInfo:
    id: str
    name: str
    movement: str
    year: int
    deadline: str          # "20/12/2020"
    deadline_long: str     # "ngày 20 tháng 12 năm 2020"
    contact: str
    contact_email: str
    plan_number: str       # "199/KH-LĐLĐ"
    plan_date: str         # "13/11/2020"
    plan_title: str
    plan_about: str        # the plan's title as it follows "về việc": "sơ kết phong trào …"
    standards_number: str
    standards_date: str
    standards_title: str


@dataclass(frozen=True)
class HeaderInfo:
    """The issuer's lines of the header table (Nghị định 30: parent upright, issuer bold)."""

    parent: str            # "TỔNG LĐLĐ VIỆT NAM"
    name: str              # "LIÊN ĐOÀN LAO ĐỘNG TỈNH LAI CHÂU", the place kept on one line
    board: str             # "BAN CSPL&QHLĐ"


@dataclass(frozen=True)
class IssueInfo:
    """The date lines, from the run's date: the drafts' with the day left blank for the clerk (the
    signing day), the letters' whole (a letter goes out with the run)."""

    place_date: str        # "Lai Châu, ngày      tháng 12 năm 2020"
    month_year: str        # "…/12/2020"
    month: int
    year: int
    generated_at: str      # "22/12/2020 10:15": when the batch ran
    letter_place_date: str  # "Lai Châu, ngày 22 tháng 12 năm 2020"


@dataclass(frozen=True)
class AwardInfo:
    name: str
    base_salary: str               # "1.490.000"
    per_collective: str            # "2.980.000"
    per_collective_words: str      # "Hai triệu chín trăm tám mươi nghìn đồng"
    per_individual: str
    per_individual_words: str
    funding_source: str


@dataclass(frozen=True)
class DecisionInfo:
    collectives: int               # nominations with in_decision, by kind
    individuals: int
    recipients: str                # "02 tập thể và 08 cá nhân"
    total_collectives: str         # "5.960.000"
    total_individuals: str
    total: str                     # "17.880.000"
    total_words: str               # "Mười bảy triệu tám trăm tám mươi nghìn đồng"
    women: int                     # of the individuals: women (Giới tính "Nữ")
    minorities: int                # of the individuals: Dân tộc other than Kinh
    people: str                    # the sentence saying both, "" when no individual


@dataclass(frozen=True)
class AnnexRow:
    stt: int
    name: str
    detail: str                    # "Chức vụ - Đơn vị công tác" ("" for a collective)
    unit: str                      # the proposing unit's name


@dataclass(frozen=True)
class AnnexGroup:
    unit: str
    rows: list[AnnexRow]


@dataclass(frozen=True)
class AnnexInfo:
    collectives: list[AnnexRow]
    individuals: list[AnnexRow]
    collective_groups: list[AnnexGroup]
    individual_groups: list[AnnexGroup]


@dataclass(frozen=True)
class SummaryRow:
    stt: str
    unit: str
    quota: str                     # "1/4" (tập thể/cá nhân)
    submitted: str                 # "1/5", "—" when nothing usable came
    in_decision: str
    status: str                    # "Vượt chỉ tiêu"
    note: str                      # status and why, for the Ghi chú column


@dataclass(frozen=True)
class SummaryInfo:
    units_expected: int
    units_submitted: int           # sent anything
    units_missing: int             # sent nothing
    units_usable: int              # sent a file that could be used
    units_unusable: int            # sent files, none usable
    files: int
    files_accepted: int
    files_rejected: int
    files_superseded: int
    files_ignored: int
    collectives: int               # nominations read from accepted files
    individuals: int
    errors: int
    warnings: int
    rows: list[SummaryRow]
    total: SummaryRow
    held_out: list[str]            # one line a unit left out of the draft, or partly, and why
    all_clear: bool                # every unit "Đạt yêu cầu": nothing found anywhere
    awarded_before: list[str]      # one line a nominee of the draft already in the award register


@dataclass(frozen=True)
class BoardSigner:
    """The board's own signer (campaign [board]): a dotted line where the campaign gives no name."""

    head_title: str                # "TRƯỞNG BAN"
    head_name: str                 # the name, or "……………………"
    letter_symbol: str             # after "Số:      /" of a letter, or "…"
    letter_heading: str            # the letter's on-behalf line and title ("KT. TRƯỞNG BAN\nPHÓ TRƯỞNG BAN")
    letter_name: str


@dataclass(frozen=True)
class CommonContext:
    """What every template sees."""

    org: Organisation
    board: BoardSigner
    header: HeaderInfo
    signer: Signer
    campaign: CampaignInfo
    issue: IssueInfo
    award: AwardInfo


@dataclass(frozen=True)
class BoardContext(CommonContext):
    """What the decision and the submission templates see."""

    can_cu: list[str]              # each ending ";" and the last "."
    noi_nhan: list[str]            # each ending ";" and the last "." (without the leading "- ")
    decision: DecisionInfo
    annex: AnnexInfo
    summary: SummaryInfo


@dataclass(frozen=True)
class FileLine:
    name: str
    received: str                  # "lúc 09:05 ngày 18/12/2020"
    status: str                    # "đã dùng để tổng hợp"


@dataclass(frozen=True)
class FindingRow:
    stt: int
    severity: str                  # "Lỗi" / "Cảnh báo" / "Thông tin"
    code: str
    place: str                     # "Cá nhân!D7"
    value: str
    message: str


@dataclass(frozen=True)
class LetterInfo:
    unit_id: str
    unit_name: str
    status: str                    # "Có lỗi cần sửa"
    quota: str                     # "01 tập thể, 04 cá nhân"
    submitted: str
    included: str
    included_lines: list[str]
    held_out_lines: list[str]
    notes: list[str]               # the unit's proposals another unit also made (its own kept)
    files: list[FileLine]
    findings: list[FindingRow]     # only what the unit must fix or check
    skipped: str                   # one sentence on rows skipped as titles, totals, signatures ("" when none)
    errors: int
    warnings: int
    has_errors: bool
    verdict: str                   # the sentence before the findings table
    closing: list[str]             # what to send back and by when (never a date already past)


@dataclass(frozen=True)
class LetterContext(CommonContext):
    """What the feedback letter template sees."""

    letter: LetterInfo

