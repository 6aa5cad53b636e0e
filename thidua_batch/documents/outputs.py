"""Everything a run writes into --out (outputs.md, "Files in DIR")."""
from __future__ import annotations

from pathlib import Path

from ..common.timings import Timings
from ..model.results import BatchResult
from .consolidated import FILE_NAME as CONSOLIDATED
from .consolidated import write_consolidated
from .drafts import check_templates, write_drafts
from .report import write_report

REPORT = "report.json"


def check_output_templates(templates_dir: Path | None) -> None:
    """Stop before reading anything when custom Word templates use unknown variables."""
    check_templates(templates_dir)


def write_outputs(result: BatchResult, out_dir: Path, templates_dir: Path | None = None,
                  timings: Timings | None = None) -> list[Path]:
    timings = timings or Timings()
    out_dir.mkdir(parents=True, exist_ok=True)
    with timings.phase("write json"):
        written = [write_report(result, out_dir / REPORT)]
    with timings.phase("write xlsx"):
        written.append(write_consolidated(result, out_dir / CONSOLIDATED))
    with timings.phase("write docx"):
        written += write_drafts(result, out_dir, templates_dir)
    return written
