"""Findings: problems in the data, collected as values, never raised (spec/outputs.md, style.md).

An exception means the run cannot go on; a finding means the data is wrong somewhere.
Codes and severities are a contract; messages are Vietnamese and may change.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from enum import Enum


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


CODES: dict[str, Severity] = {
    "file-unreadable": Severity.ERROR,
    "file-ignored": Severity.INFO,
    "file-link": Severity.ERROR,
    "sheet-missing": Severity.ERROR,
    "column-missing": Severity.ERROR,
    "unit-unknown": Severity.ERROR,
    "unit-mismatch": Severity.ERROR,
    "unit-missing": Severity.WARNING,
    "unit-unusable": Severity.WARNING,
    "unit-superseded": Severity.WARNING,
    "required-missing": Severity.ERROR,
    "invalid-value": Severity.ERROR,
    "formula-no-value": Severity.ERROR,
    "quota-exceeded": Severity.ERROR,
    "quota-under": Severity.WARNING,
    "person-duplicate": Severity.ERROR,
    "collective-duplicate": Severity.ERROR,
    "vote-below-threshold": Severity.ERROR,
    "quorum-not-met": Severity.ERROR,   # a campaign may lower it (checks.quorum_severity)
    "dossier-incomplete": Severity.WARNING,
    "submitted-late": Severity.WARNING,
    "row-not-nomination": Severity.INFO,
    "row-hidden": Severity.WARNING,
    "cells-merged": Severity.WARNING,
    "layout-own": Severity.WARNING,
    "value-interpreted": Severity.INFO,
    "legacy-encoding": Severity.WARNING,
    "awarded-before": Severity.INFO,
    # The conference of plan 203 (conference.md): its inputs' problems are findings too.
    "delegate-duplicate": Severity.WARNING,
    "topic-missing": Severity.WARNING,
    "certificate-unnumbered": Severity.WARNING,
    "decisions-missing": Severity.WARNING,
    "duration-mismatch": Severity.WARNING,
    "discussion-overtime": Severity.WARNING,
}

# What each code means, in a few Vietnamese words (the consolidated workbook shows these, never a bare code).
CODE_WORDS: dict[str, str] = {
    "file-unreadable": "Tệp không mở được",
    "file-ignored": "Tệp bỏ qua",
    "file-link": "Gửi đường dẫn, chưa gửi tệp",
    "sheet-missing": "Thiếu trang",
    "column-missing": "Thiếu cột",
    "unit-unknown": "Không rõ đơn vị",
    "unit-mismatch": "Sai đơn vị của mẫu",
    "unit-missing": "Đơn vị chưa gửi",
    "unit-unusable": "Đơn vị gửi nhưng chưa dùng được",
    "unit-superseded": "Tệp bị thay thế",
    "required-missing": "Thiếu thông tin bắt buộc",
    "invalid-value": "Giá trị không hợp lệ",
    "formula-no-value": "Công thức chưa có giá trị",
    "quota-exceeded": "Vượt chỉ tiêu",
    "quota-under": "Dưới chỉ tiêu",
    "person-duplicate": "Trùng cá nhân",
    "collective-duplicate": "Trùng tập thể",
    "vote-below-threshold": "Tỷ lệ phiếu không đạt",
    "quorum-not-met": "Họp xét chưa đủ thành viên",
    "dossier-incomplete": "Thiếu hồ sơ kèm theo",
    "submitted-late": "Gửi muộn",
    "row-not-nomination": "Dòng không phải đề nghị",
    "row-hidden": "Dòng bị ẩn",
    "cells-merged": "Ô gộp",
    "layout-own": "Không theo mẫu",
    "value-interpreted": "Giá trị đã được hiểu",
    "awarded-before": "Đã được khen trước đây",
    "legacy-encoding": "Chữ gõ bảng mã cũ",
    "delegate-duplicate": "Đại biểu ghi trùng",
    "topic-missing": "Chưa có chủ đề tham luận",
    "certificate-unnumbered": "Bằng khen chưa có số",
    "decisions-missing": "Chưa có quyết định khen thưởng",
    "duration-mismatch": "Thời gian hội nghị không khớp chương trình",
    "discussion-overtime": "Tham luận vượt thời gian thảo luận",
}

SEVERITY_WORDS = {Severity.ERROR: "Lỗi", Severity.WARNING: "Cảnh báo", Severity.INFO: "Thông tin"}


@dataclass(frozen=True)
class Finding:
    code: str
    message: str
    file: str | None = None
    unit: str | None = None
    sheet: str | None = None
    cell: str | None = None
    value: str | None = None
    # The campaign's own severity where it may choose one (quorum-not-met); None = the code's.
    level: Severity | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        if self.code not in CODES:
            raise ValueError(f"unknown finding code {self.code!r}")

    @property
    def severity(self) -> Severity:
        return self.level or CODES[self.code]

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    @property
    def place(self) -> str:
        """"Cá nhân!D7", "Cá nhân" or "" — how a person reads the location."""
        if self.sheet and self.cell:
            return f"{self.sheet}!{self.cell}"
        return self.sheet or ""

    def to_dict(self) -> dict:
        data = asdict(self)
        data.pop("level")
        return {"code": data.pop("code"), "severity": self.severity.value, **data}


def flatten(findings) -> list[tuple[str, str | None, str | None]]:
    """(code, sheet, cell) rows: what tests assert on."""
    return [(f.code, f.sheet, f.cell) for f in findings]
