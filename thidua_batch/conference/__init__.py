"""The year-end conference of plan 203 (conference.md): every paper from the conference file, the
delegates workbook, the year's decisions and the units' files.

    write_conference_template(out_dir)                 hoi_nghi.toml + dai_bieu.xlsx
    load_conference(path, campaign)                    Conference, or ConferenceError (key and line)
    build_conference(conference, delegates_path, out_dir, decisions=…, files=…, campaign=…)

The units' "Chủ đề tham luận" and contacts come from the run's output folder (`--run RUN_DIR`):
its report.json carries them (papers.md); a run folder is never read as an inbox.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ..common.atomic import OutputSet, write_text
from ..config.campaign import Campaign, load_campaign
from ..documents.word import TemplateSet, WordTemplateError
from ..model.results import FileResult
from ..register.model import Decision
from . import papers
from .budget import write_budget
from .config import EXAMPLE_FILE, Conference, ConferenceError, example_text, load_conference, parse_conference
from .context import AgendaContext, DiscussionContext, InvitationsContext, PledgeContext, ScriptContext
from ..model.findings import Finding, flatten
from .delegates import DELEGATES_FILE, Delegate, read_delegates, write_delegates_template
from .files import (AGENDA_FILE, AGENDA_TPL, BUDGET_FILE, DELEGATES_LIST_FILE, DISCUSSION_FILE, DISCUSSION_TPL,
                    INVITATION_TPL, INVITATIONS_DIR, INVITATIONS_FILE, PLEDGE_TPL, SCRIPT_FILE, SCRIPT_TPL,
                    TEMPLATES_DIR, pledge_file)
from .runs import UnitContact, from_files, read_run, read_runs
from .workbooks import write_delegates_list

__all__ = ["BuildResult", "Conference", "ConferenceError", "Delegate", "TEMPLATES", "WordTemplateError",
           "UnitContact", "build_conference", "check_templates", "flatten", "load_conference", "parse_conference",
           "read_run", "write_conference_template"]

TEMPLATES = TemplateSet(TEMPLATES_DIR, {INVITATION_TPL: InvitationsContext, AGENDA_TPL: AgendaContext,
                                        SCRIPT_TPL: ScriptContext, DISCUSSION_TPL: DiscussionContext,
                                        PLEDGE_TPL: PledgeContext})


@dataclass(frozen=True)
class BuildResult:
    paths: list[Path]
    problems: list[Finding] = field(default_factory=list)   # findings with conference codes

    @property
    def valid(self) -> bool:
        return not any(p.is_error for p in self.problems)


def check_templates(templates_dir: str | Path | None = None) -> None:
    """Refuse, before anything is written, a template that cannot be used or uses an unknown variable."""
    TEMPLATES.check(templates_dir)


def write_conference_template(out_dir: Path, campaign: Campaign | None = None) -> list[Path]:
    """The filled example conference file of plan 203 and the blank delegates workbook."""
    campaign = campaign or load_campaign()
    out_dir = Path(out_dir)
    text = example_text()
    conference = parse_conference(text, EXAMPLE_FILE, campaign)
    with OutputSet(out_dir) as out:
        write_text(out.path(EXAMPLE_FILE), text)
        write_delegates_template(conference, campaign, out.path(DELEGATES_FILE))
    return [out_dir / EXAMPLE_FILE, out_dir / DELEGATES_FILE]


def build_conference(conference: Conference, delegates_path: Path, out_dir: Path, *,
                     decisions: Iterable[Decision] = (), runs: Iterable[Path] = (),
                     files: Iterable[FileResult] = (), templates_dir: Path | None = None,
                     campaign: Campaign | None = None) -> BuildResult:
    """Write every paper of the conference into OUT_DIR.

    `decisions`: the register's decisions (those of the conference's year are announced);
    `runs`: output folders of `thidua-batch run`, whose report.json gives the units' topics and
    contacts (papers.md); `files`: FileResults already read, for a caller that ran the batch itself.
    Raises ConferenceError (a run folder without report.json, the delegates file cannot be read) or
    WordTemplateError (a template cannot be used) before anything is written; row problems are
    returned, never raised."""
    campaign = campaign or load_campaign()
    contacts = read_runs(runs, campaign.id) + from_files(files)
    for name in TEMPLATES.contexts:          # every template usable before anything is written
        TEMPLATES.load(name, templates_dir)
    listed, problems = read_delegates(Path(delegates_path), conference, campaign)
    ordered = papers.conference_decisions(conference, list(decisions))
    honoured = papers.honoured_delegates(conference, ordered) if conference.add_honoured else []
    delegates, duplicates = papers.merge_delegates(conference, listed, honoured)
    problems += duplicates
    invites = papers.invitations(conference, delegates)
    talks, missing, talk_problems = papers.discussion(conference, campaign, contacts, delegates)
    khoi = papers.khoi_infos(conference, campaign, delegates)
    script = papers.script(conference, ordered, talks, khoi)
    problems += talk_problems + script.problems + papers.schedule_problems(conference, len(talks))
    if not ordered:
        problems.append(Finding("decisions-missing",
                                f"Sổ khen thưởng chưa có quyết định nào của năm {conference.year}: kịch bản chưa có "
                                "phần công bố khen thưởng."))

    header, info = papers.header_info(conference), papers.conference_info(conference)
    issue = papers.issue_info(conference, conference.invitation_date)
    day_issue = papers.issue_info(conference, conference.date)
    common = dict(header=header, issue=issue, conference=info, signer=conference.signer,
                  noi_nhan=list(conference.invitation_noi_nhan))
    out_dir = Path(out_dir)
    with OutputSet(out_dir) as out:          # one set: nothing replaced unless every paper is written
        written = [TEMPLATES.write(INVITATION_TPL, InvitationsContext(**common, invitations=invites),
                                   out.path(INVITATIONS_FILE), templates_dir)]
        for invitation in invites:
            written.append(TEMPLATES.write(INVITATION_TPL, InvitationsContext(**common, invitations=[invitation]),
                                           out.path(f"{INVITATIONS_DIR}/{invitation.slug}.docx"), templates_dir))
        folder = out_dir / INVITATIONS_DIR   # an invitee no longer listed gets no stale invitation
        out.drop_unless_written(p.relative_to(out_dir) for p in folder.glob("*.docx") if folder.is_dir())
        written.append(write_delegates_list(conference, delegates, out.path(DELEGATES_LIST_FILE)))
        written.append(TEMPLATES.write(AGENDA_TPL, AgendaContext(header=header, issue=day_issue, conference=info,
                                                                 rows=papers.agenda_rows(conference)),
                                       out.path(AGENDA_FILE), templates_dir))
        written.append(TEMPLATES.write(SCRIPT_TPL, ScriptContext(header=header, issue=day_issue, conference=info,
                                                                 mc=conference.mc, batch_size=conference.batch_size,
                                                                 decisions=script.decisions, rows=script.rows),
                                       out.path(SCRIPT_FILE), templates_dir))
        written.append(TEMPLATES.write(DISCUSSION_TPL, DiscussionContext(header=header, issue=day_issue,
                                                                         conference=info, rows=talks,
                                                                         missing=missing,
                                                                         talk_minutes=conference.talk_minutes),
                                       out.path(DISCUSSION_FILE), templates_dir))
        for k in khoi:
            context = PledgeContext(header=header, issue=day_issue, conference=info, year=conference.pledge_year,
                                    can_cu=list(conference.pledge_can_cu), contents=list(conference.pledges), khoi=k)
            written.append(TEMPLATES.write(PLEDGE_TPL, context, out.path(pledge_file(k.id)), templates_dir))
        counts = papers.counts(delegates, invites, ordered, talks, khoi)
        groups = {g: sum(d.group == g for d in delegates) for g in conference.groups}
        written.append(write_budget(conference, counts, groups, out.path(BUDGET_FILE)))
        written = [out.final(p) for p in written]
    return BuildResult(written, problems)

