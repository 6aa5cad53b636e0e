"""What the award register keeps (register.md): signed decisions and their awardees."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from ..model.results import PastAward

__all__ = ["COLLECTIVE", "INDIVIDUAL", "Awardee", "Decision", "PastAward"]

COLLECTIVE, INDIVIDUAL = "collective", "individual"


@dataclass(frozen=True)
class Awardee:
    kind: str                       # COLLECTIVE or INDIVIDUAL
    name: str                       # NFC, as printed in the decision's annex
    order: int                      # 1-based position in the annex: the calling order on stage
    gender: str | None = None       # "Nam" / "Nữ" (individuals)
    birth_year: int | None = None
    position: str = ""              # chức vụ
    workplace: str = ""             # đơn vị công tác
    unit_id: str | None = None      # the proposing unit's roster id
    unit_name: str = ""             # the proposing unit's name
    summary: str = ""               # achievements, as proposed
    money: int = 0                  # đồng
    certificate_no: str | None = None  # assigned once, when first printed

    @property
    def position_and_workplace(self) -> str:
        return " - ".join(p for p in (self.position, self.workplace) if p)


@dataclass(frozen=True)
class Decision:
    number: str                     # "123/QĐ-LĐLĐ"
    date: dt.date
    award: str                      # "Bằng khen của Ban Chấp hành LĐLĐ tỉnh", "Cờ thi đua"
    year: int
    issuer: str = ""                # "Ban Thường vụ Liên đoàn Lao động tỉnh Lai Châu"
    signer_title: str = ""          # "PHÓ CHỦ TỊCH"
    signer_name: str = ""
    on_behalf: str = ""             # "TM. BAN THƯỜNG VỤ"
    place: str = ""                 # "Lai Châu"
    campaign_id: str | None = None
    campaign_name: str = ""
    money_collective: int = 0
    money_individual: int = 0
    source: str = ""                # "run: output/report.json", "import: CNVCLĐ 2020.xlsx"
    awardees: tuple[Awardee, ...] = field(default_factory=tuple)

    @property
    def is_flag(self) -> bool:
        """A Cờ thi đua: printed as a list, not on certificate blanks."""
        return "cờ" in self.award.casefold()
