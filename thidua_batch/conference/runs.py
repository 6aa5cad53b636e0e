"""What the conference takes from the units (papers.md, "Conference input"): each unit's "Chủ đề
tham luận" and contacts, read from a run's output folder through its report.json. A run folder is
never read as an inbox; a folder without report.json is refused, saying what was expected."""
from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ..model.results import ACCEPTED, FileResult
from .config import ConferenceError

REPORT_FILE = "report.json"


@dataclass(frozen=True)
class UnitContact:
    """One unit's topic and contacts, as its file in use gave them."""

    unit_id: str
    topic: str = ""
    preparer: str = ""
    phone: str = ""
    email: str = ""
    source: str = ""            # where it was read: "…/report.json" or the unit's file

    @property
    def contact(self) -> str:
        return "\n".join(p for p in (self.preparer, self.phone, self.email) if p)


def read_run(run_dir: Path, campaign_id: str | None = None) -> list[UnitContact]:
    """The units of one run's report.json; ConferenceError when RUN_DIR is not a run's output folder."""
    run_dir = Path(run_dir)
    path = run_dir / REPORT_FILE
    if not path.is_file():
        inbox = any(p.suffix.lower() in (".xlsx", ".xls", ".xlsm", ".ods", ".docx", ".doc", ".eml", ".mbox")
                    for p in run_dir.rglob("*") if p.is_file()) if run_dir.is_dir() else False
        hint = (" Thư mục này có vẻ là thư mục hồ sơ (tệp của đơn vị): chạy “thidua-batch run” trước rồi đưa thư "
                "mục kết quả (--out) của lần chạy đó.") if inbox else ""
        raise ConferenceError(f"--run “{run_dir}”: không có {REPORT_FILE}. --run cần thư mục kết quả của "
                              f"“thidua-batch run” (thư mục --out, có {REPORT_FILE}).{hint}")
    try:
        report = json.loads(path.read_text("utf-8"))
        units = report["units"]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ConferenceError(f"Không đọc được “{path}” như kết quả của “thidua-batch run”: {exc}.") from None
    found = report.get("campaign", {}).get("id")
    if campaign_id and found != campaign_id:
        raise ConferenceError(f"“{path}” thuộc chiến dịch “{found}”, không phải “{campaign_id}”. Dùng --campaign "
                              "với đúng tệp chiến dịch của lần chạy đó.")
    out = []
    for u in units:
        if "topic" not in u:
            raise ConferenceError(f"“{path}” được ghi bằng phiên bản cũ, chưa có “Chủ đề tham luận” của đơn vị. "
                                  "Chạy lại “thidua-batch run” rồi dựng lại văn bản hội nghị.")
        contact = u.get("contact") or {}
        out.append(UnitContact(unit_id=u["id"], topic=u.get("topic") or "", preparer=contact.get("preparer") or "",
                               phone=contact.get("phone") or "", email=contact.get("email") or "",
                               source=str(path)))
    return out


def read_runs(run_dirs: Iterable[Path], campaign_id: str | None = None) -> list[UnitContact]:
    """Several runs: for each unit, the first run (in the order given) whose unit gave a topic."""
    return [c for run in run_dirs for c in read_run(run, campaign_id)]


def from_files(files: Iterable[FileResult]) -> list[UnitContact]:
    """The same from FileResults already read (a caller that ran the batch itself)."""
    return [UnitContact(unit_id=f.unit, topic=f.field_text("topic"), preparer=f.field_text("preparer"),
                        phone=f.field_text("phone"), email=f.field_text("email"), source=f.path)
            for f in files if f.status == ACCEPTED and f.unit]
