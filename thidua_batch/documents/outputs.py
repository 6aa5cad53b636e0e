"""Everything a run writes into --out (outputs.md, "Files in DIR"), as one set: written into a
temporary folder inside --out and put in place only when complete (common.atomic.OutputSet)."""
from __future__ import annotations

from pathlib import Path

from ..common.atomic import OutputSet
from ..common.timings import Timings
from ..intake.workers import Readers
from ..model.results import BatchResult
from .consolidated import FILE_NAME as CONSOLIDATED
from .consolidated import write_consolidated
from .drafts import check_templates, start_drafts
from .report import write_report

REPORT = "report.json"


def check_output_templates(templates_dir: Path | None) -> None:
    """Stop before reading anything when custom Word templates use unknown variables."""
    check_templates(templates_dir)


def write_outputs(result: BatchResult, out_dir: Path, templates_dir: Path | None = None,
                  timings: Timings | None = None, workers: Readers | None = None) -> list[Path]:
    """Write the run's outputs; raises OutputBlocked (nothing replaced) when one cannot be replaced.
    With WORKERS (the run's reading pool), the Word papers are written there while this process
    writes report.json and the consolidated workbook."""
    timings = timings or Timings()
    with OutputSet(out_dir) as out:
        with timings.phase("write docx"):
            drafts = start_drafts(result, out, templates_dir, workers)
        with timings.phase("write json"):
            written = [out.final(write_report(result, out.path(REPORT)))]
        with timings.phase("write xlsx"):
            written.append(out.final(write_consolidated(result, out.path(CONSOLIDATED))))
        with timings.phase("write docx"):
            written += drafts()
    return written
