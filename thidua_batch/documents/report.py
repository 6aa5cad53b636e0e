"""report.json (outputs.md): the whole result, machine-readable."""
from __future__ import annotations

import json
from pathlib import Path

from ..common.atomic import write_text
from ..model.findings import Severity
from ..model.results import (ACCEPTED, COLLECTIVE, IGNORED, INDIVIDUAL, MISSING, REJECTED, SUPERSEDED, BatchResult,
                             FileResult)


def _iso(moment) -> str | None:
    return moment.isoformat() if moment else None


def file_entry(file: FileResult, campaign=None) -> dict:
    received = file.received_at.astimezone(campaign.tz) if (file.received_at and campaign) else file.received_at
    return {"path": file.path, "sha256": file.sha256, "status": file.status, "unit": file.unit,
            "layout": file.layout, "received_at": _iso(received), "reason": file.reason,
            "mail": file.mail.to_dict() if file.mail else None}


def stats(result: BatchResult) -> dict:
    by_status = {s: sum(1 for f in result.files if f.status == s) for s in (ACCEPTED, REJECTED, IGNORED, SUPERSEDED)}
    submitted = sum(1 for u in result.units if u.status != MISSING)
    return {
        "files": len(result.files), "files_accepted": by_status[ACCEPTED], "files_rejected": by_status[REJECTED],
        "files_ignored": by_status[IGNORED], "files_superseded": by_status[SUPERSEDED],
        "units_expected": len(result.units), "units_submitted": submitted,
        "units_missing": len(result.units) - submitted,
        "collectives": len(result.nominations(COLLECTIVE)), "individuals": len(result.nominations(INDIVIDUAL)),
        "collectives_in_decision": len(result.in_decision(COLLECTIVE)),
        "individuals_in_decision": len(result.in_decision(INDIVIDUAL)),
        "errors": result.count(Severity.ERROR), "warnings": result.count(Severity.WARNING),
    }


def to_report(result: BatchResult) -> dict:
    campaign = result.campaign
    return {
        "campaign": {"id": campaign.id, "name": campaign.name, "deadline": campaign.deadline.isoformat()},
        "generated_at": result.generated_at.isoformat(),
        "valid": result.valid,
        "stats": stats(result),
        "files": [file_entry(f, campaign) for f in result.files],
        "units": [{
            "id": u.unit.id, "name": u.unit.name, "type": u.unit.type, "quota": u.quota.to_dict(),
            "submitted": u.submitted.to_dict(), "in_decision": u.in_decision.to_dict(), "status": u.status,
            "file": u.file.path if u.file else None, **conference_entry(u.file),
        } for u in result.units],
        "findings": [f.to_dict() for f in result.findings],
        "decision": decision_entries(result),
    }


def conference_entry(file: FileResult | None) -> dict:
    """What the year-end conference needs from a unit's file in use (papers.md, "Conference input"):
    its "Chủ đề tham luận" and who to contact, so `conference build --run` reads the run folder."""
    text = (lambda key: file.field_text(key) or None) if file else (lambda key: None)
    return {"topic": text("topic"),
            "contact": {"preparer": text("preparer"), "phone": text("phone"), "email": text("email")}}


def decision_entries(result: BatchResult) -> list[dict]:
    """Who the decision draft names, in annex order (collectives, then individuals; by unit in roster
    order): what `register record` keeps once the decision is signed."""
    entries = []
    for kind in (COLLECTIVE, INDIVIDUAL):
        for n in result.in_decision(kind):
            entries.append({"kind": kind, "name": n.display_name, "gender": n.text("gender") or None,
                            "birth_year": n.birth_year, "position": n.text("position"),
                            "workplace": n.text("workplace"), "unit": n.unit, "summary": n.text("summary"),
                            "source": {"file": n.file, "sheet": n.sheet, "row": n.row}})
    return entries


def dumps(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def write_report(result: BatchResult, path: Path) -> Path:
    write_text(path, dumps(to_report(result)))
    return path
