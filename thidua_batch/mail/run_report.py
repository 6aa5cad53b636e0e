"""What `mail replies` needs of a run, read back from its report.json into types."""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path

from .connection import MailError


@dataclass(frozen=True)
class RunMail:
    sender: str
    subject: str
    message_id: str
    references: str


@dataclass(frozen=True)
class RunFile:
    path: str
    status: str
    received_at: dt.datetime | None
    mail: RunMail | None

    @property
    def name(self) -> str:
        return self.path.rsplit("/", 1)[-1]


@dataclass(frozen=True)
class RunFinding:
    severity: str
    sheet: str
    cell: str
    message: str


@dataclass(frozen=True)
class RunUnit:
    id: str
    name: str
    status: str
    quota: dict
    submitted: dict
    in_decision: dict
    files: tuple[RunFile, ...]
    findings: tuple[RunFinding, ...]

    @property
    def last_mail(self) -> RunMail | None:
        """The mail of the unit's newest file that came by mail: the reply goes into its thread."""
        mailed = [f for f in self.files if f.mail]
        return max(mailed, key=_order).mail if mailed else None


@dataclass(frozen=True)
class RunReport:
    campaign_id: str
    units: tuple[RunUnit, ...]
    generated_at: dt.datetime | None = None   # when the run wrote its letters: their due dates count from it


def _order(file: RunFile):
    return (file.received_at or dt.datetime.min.replace(tzinfo=dt.timezone.utc), file.path)


def read_report(run_dir: Path) -> RunReport:
    path = Path(run_dir) / "report.json"
    try:
        data = json.loads(path.read_text("utf-8"))
        files = [_file(f) for f in data["files"]]
        units = tuple(_unit(u, data, files) for u in data["units"])
        generated = dt.datetime.fromisoformat(data["generated_at"]) if data.get("generated_at") else None
        return RunReport(data["campaign"]["id"], units, generated)
    except FileNotFoundError:
        raise MailError(f"Không có {path}: hãy chạy “thidua-batch run” trước, rồi chỉ thư mục kết quả.") from None
    except KeyError as exc:
        raise MailError(f"Tệp {path} không đúng định dạng report.json: thiếu mục “{exc.args[0]}”. Hãy chạy lại "
                        "“thidua-batch run”.") from None
    except (ValueError, TypeError):
        raise MailError(f"Tệp {path} không đúng định dạng report.json (không phải JSON, hoặc một mục sai kiểu). "
                        "Hãy chạy lại “thidua-batch run”.") from None


def _file(entry: dict) -> tuple[str | None, RunFile]:
    mail = entry.get("mail")
    received = dt.datetime.fromisoformat(entry["received_at"]) if entry.get("received_at") else None
    return entry.get("unit"), RunFile(entry["path"], entry["status"], received, RunMail(
        mail.get("from") or "", mail.get("subject") or "", mail.get("message_id") or "",
        mail.get("references") or "") if mail else None)


def _unit(entry: dict, data: dict, files: list[tuple[str | None, RunFile]]) -> RunUnit:
    unit_id = entry["id"]
    mine = tuple(f for owner, f in files if owner == unit_id)
    paths = {f.path for f in mine}
    findings = tuple(RunFinding(f["severity"], f.get("sheet") or "", f.get("cell") or "", f["message"])
                     for f in data["findings"] if f.get("unit") == unit_id or f.get("file") in paths)
    return RunUnit(unit_id, entry["name"], entry["status"], entry["quota"], entry["submitted"],
                   entry["in_decision"], mine, findings)
