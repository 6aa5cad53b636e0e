"""The Word drafts written from a batch result (outputs.md, domain.md "Word documents").

    du_thao_quyet_dinh_khen_thuong.docx   the decision and its annex      (board.py)
    du_thao_to_trinh.docx                 the board's submission          (board.py)
    phan_hoi/<unit-id>.docx               one letter per unit that sent something (letters.py)

Each is a template of `templates/` rendered by the one Word engine (`word.py`) with a
context of `draft_context.py`.
"""
from __future__ import annotations

from pathlib import Path

from ..common.atomic import OutputSet, output_set
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


def write_drafts(result: BatchResult, out_dir: Path | OutputSet, templates_dir: Path | None = None) -> list[Path]:
    """Write the decision, the submission and one feedback letter per unit that sent something,
    as one set (or as part of the caller's set).

    Returns the paths written. Letters left in phan_hoi/ by an earlier run for a roster unit
    that sent nothing this time are removed, so no stale letter is mailed by mistake.
    """
    for name in TEMPLATES.contexts:  # every template usable before anything is written
        TEMPLATES.load(name, templates_dir)
    common = common_parts(result)
    index = UnitIndex(result)
    board = board_context(result, common, index)
    with output_set(out_dir) as out:
        written = [TEMPLATES.write(DECISION_TPL, board, out.path(DECISION_FILE), templates_dir),
                   TEMPLATES.write(SUBMISSION_TPL, board, out.path(SUBMISSION_FILE), templates_dir)]
        for ur in letter_units(result, index):
            context = LetterContext(**common, letter=letter_info(result, ur, index))
            written.append(TEMPLATES.write(FEEDBACK_TPL, context, out.path(f"{FEEDBACK_DIR}/{ur.unit.id}.docx"),
                                           templates_dir))
        out.drop_unless_written(f"{FEEDBACK_DIR}/{ur.unit.id}.docx" for ur in result.units)
        written = [out.final(p) for p in written]
    return written
