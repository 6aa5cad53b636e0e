"""The Word drafts written from a batch result (outputs.md, domain.md "Word documents").

    du_thao_quyet_dinh_khen_thuong.docx   the decision and its annex      (board.py)
    du_thao_to_trinh.docx                 the board's submission          (board.py)
    phan_hoi/<unit-id>.docx               one letter per unit that sent something (letters.py)

Each is a template of `templates/` rendered by the one Word engine (`word.py`) with a
context of `draft_context.py`.
"""
from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..common.atomic import OutputBlocked, OutputSet, output_set
from ..common.filenames import name_problem
from ..intake.workers import Later, Readers
from ..model.results import BatchResult, UnitResult
from .board import UnitIndex, board_context, common_parts
from .docx_templates import DECISION_TPL, FEEDBACK_TPL, SUBMISSION_TPL, TEMPLATES_DIR
from .draft_context import BoardContext, LetterContext
from .letters import letter_info, letter_units
from .word import TemplateSet, WordTemplateError, context_variables

__all__ = ["DECISION_FILE", "SUBMISSION_FILE", "FEEDBACK_DIR", "TEMPLATES", "WordTemplateError", "check_templates",
           "context_variables", "render_decision", "render_submission", "render_letter", "write_drafts"]

DECISION_FILE = "du_thao_quyet_dinh_khen_thuong.docx"
SUBMISSION_FILE = "du_thao_to_trinh.docx"
FEEDBACK_DIR = "phan_hoi"

TEMPLATES = TemplateSet(TEMPLATES_DIR, {DECISION_TPL: BoardContext, SUBMISSION_TPL: BoardContext,
                                        FEEDBACK_TPL: LetterContext})


def check_templates(templates_dir: str | Path | None = None) -> None:
    """Refuse, before a run reads anything, a template that cannot be used (see `TemplateSet.check`)."""
    TEMPLATES.check(templates_dir)


def render_decision(result: BatchResult, templates_dir: str | Path | None = None,
                    context: BoardContext | None = None) -> bytes:
    return TEMPLATES.render(DECISION_TPL, context or board_context(result), templates_dir)


def render_submission(result: BatchResult, templates_dir: str | Path | None = None,
                      context: BoardContext | None = None) -> bytes:
    return TEMPLATES.render(SUBMISSION_TPL, context or board_context(result), templates_dir)


def render_letter(result: BatchResult, unit: UnitResult, templates_dir: str | Path | None = None,
                  common: dict[str, object] | None = None, index: UnitIndex | None = None) -> bytes:
    common = common or common_parts(result)
    context = LetterContext(**common, letter=letter_info(result, unit, index))
    return TEMPLATES.render(FEEDBACK_TPL, context, templates_dir)


@dataclass(frozen=True)
class Paper:
    """One draft to write: its template, its context and its place in the output folder."""

    template: str
    context: object
    rel: str


def plan_drafts(result: BatchResult) -> list[Paper]:
    """The decision, the submission and one feedback letter per unit that sent something."""
    common = common_parts(result)
    index = UnitIndex(result)
    board = board_context(result, common, index)
    papers = [Paper(DECISION_TPL, board, DECISION_FILE), Paper(SUBMISSION_TPL, board, SUBMISSION_FILE)]
    papers += [Paper(FEEDBACK_TPL, LetterContext(**common, letter=letter_info(result, ur, index)),
                     f"{FEEDBACK_DIR}/{ur.unit.id}.docx") for ur in letter_units(result, index)]
    return papers


def write_papers(papers: list[Paper], folder: Path, templates_dir: Path | None = None) -> list[str]:
    """Write PAPERS under FOLDER (a set's temporary folder); their relative paths. Runs in a
    reading worker while the main process writes the workbook (`start_drafts`)."""
    made: set[Path] = set()
    for paper in papers:
        target = folder / paper.rel
        if target.parent not in made:
            target.parent.mkdir(parents=True, exist_ok=True)
            made.add(target.parent)
        problem = name_problem(target.name)      # (as atomic_path: Windows would write "CON.docx" nowhere)
        if problem:
            raise OutputBlocked(target, problem=problem)
        # Inside the set's own temporary folder atomic_path's random name, mode change and checks are not
        # needed (one letter per unit makes them count), but a name of this process's own is: a worker
        # lost while writing leaves a hidden part-file, never a half letter under the paper's name,
        # whoever writes the paper again.
        part = target.with_name(f".{target.name}.{os.getpid()}.tmp")
        part.write_bytes(TEMPLATES.render(paper.template, paper.context, templates_dir))
        os.replace(part, target)
    return [paper.rel for paper in papers]


LETTERS_PER_TASK = 50   # letters handed to a worker at once: small enough to keep every core busy to the end


def start_drafts(result: BatchResult, out: OutputSet, templates_dir: Path | None = None,
                 workers: Readers | None = None) -> Callable[[], list[Path]]:
    """Begin writing the drafts into OUT (in WORKERS when given, the decision first, the letters in
    groups); the returned function waits for them and gives the paths they will have. Every
    template is loaded here first, so that an unusable one stops the run before anything is written."""
    for name in TEMPLATES.contexts:
        TEMPLATES.load(name, templates_dir)
    papers = plan_drafts(result)
    groups = [papers[:2]] + [papers[i:i + LETTERS_PER_TASK] for i in range(2, len(papers), LETTERS_PER_TASK)]
    if workers is None:
        calls = [Later(write_papers, (group, out.folder, templates_dir), None) for group in groups]
    else:
        calls = [workers.later(write_papers, group, out.folder, templates_dir) for group in groups]
    out.drop_unless_written(f"{FEEDBACK_DIR}/{ur.unit.id}.docx" for ur in result.units)

    def finish() -> list[Path]:
        return [out.final(out.folder / rel) for call in calls for rel in call.value()]
    return finish


def write_drafts(result: BatchResult, out_dir: Path | OutputSet, templates_dir: Path | None = None) -> list[Path]:
    """Write the decision, the submission and one feedback letter per unit that sent something,
    as one set (or as part of the caller's set).

    Returns the paths written. Letters left in phan_hoi/ by an earlier run for a roster unit
    that sent nothing this time are removed, so no stale letter is mailed by mistake.
    """
    with output_set(out_dir) as out:
        return start_drafts(result, out, templates_dir)()
