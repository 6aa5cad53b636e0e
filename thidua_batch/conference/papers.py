"""From the conference file, the delegates, the decisions and the units' files to the papers'
contexts (conference.md): who is invited and how, the order of the award blocks, the calling
batches with their trays, the tham luận list, each khối's giao ước."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from ..common.filenames import safe_name
from ..common.text import clean, fold, strip_diacritics
from ..config.campaign import Campaign
from ..documents.vnformat import long_date, place_date, short_date, two_digits
from ..register.model import COLLECTIVE, INDIVIDUAL, Decision
from .config import AWARDS, DISCUSSION, PLEDGES, Conference
from .context import (AgendaRow, ConferenceInfo, DiscussionRow, HeaderInfo, Invitation, IssueInfo, KhoiInfo,
                      MemberRow, ScriptDecision, ScriptRow, SignatureCell, SignatureRow)
from ..model.findings import Finding
from .delegates import Delegate
from .runs import UnitContact

_WEEKDAYS = ("thứ Hai", "thứ Ba", "thứ Tư", "thứ Năm", "thứ Sáu", "thứ Bảy", "Chủ nhật")


def header_info(conference: Conference) -> HeaderInfo:
    return HeaderInfo(parent=conference.issuer.parent, name=conference.issuer.name)


def issue_info(conference: Conference, day: dt.date | None = None) -> IssueInfo:
    place = conference.issuer.place
    text = (place_date(place, day) if day else
            place_date(place, month=conference.date.month, year=conference.date.year))
    return IssueInfo(place_date=text, symbol=conference.issuer.invitation_symbol)


_CLOCK = re.compile(r"(\d{1,2})\s*[:hg]\s*(\d{2})")


def _times(text: str) -> list[dt.time]:
    out = []
    for hour, minute in _CLOCK.findall(text):
        if int(hour) < 24 and int(minute) < 60:
            out.append(dt.time(int(hour), int(minute)))
    return out


def _minutes(a: dt.time, b: dt.time) -> int:
    return (b.hour * 60 + b.minute) - (a.hour * 60 + a.minute)


def agenda_end(conference: Conference) -> dt.time | None:
    """When the agenda's last item ends, or None when its times cannot be read."""
    ends = [t[-1] for t in (_times(a.time) for a in conference.agenda) if t]
    return max(ends) if ends else None


def duration_words(conference: Conference) -> str:
    """How long the conference is, as the agenda has it (papers.md): a morning ending by 12:00 is
    "buổi sáng", an afternoon "buổi chiều", otherwise "01 ngày"; the file's words when no time can be read."""
    end = agenda_end(conference)
    if end is None:
        return conference.duration or "01 ngày"
    if end <= dt.time(12, 0):
        return "buổi sáng"
    if conference.start >= dt.time(12, 0):
        return "buổi chiều"
    return "01 ngày"


def schedule_problems(conference: Conference, talks: int) -> list[Finding]:
    """The file's duration against its agenda, and the talks' total time against their slot."""
    problems = []
    source = Path(conference.source).name if conference.source else None
    words = duration_words(conference)
    if conference.duration and fold(conference.duration) != fold(words):
        end = agenda_end(conference)
        problems.append(Finding("duration-mismatch",
                                f"Tệp hội nghị ghi thời gian “{conference.duration}”, nhưng chương trình từ "
                                f"{conference.start:%H:%M} đến {end:%H:%M} là “{words}”: giấy mời ghi “{words}” theo "
                                "chương trình. Sửa duration hoặc chương trình cho khớp.",
                                file=source, value=conference.duration))
    for item in conference.agenda:
        times = _times(item.time)
        if item.kind != DISCUSSION or len(times) < 2 or not talks:
            continue
        slot, needed = _minutes(times[0], times[-1]), talks * conference.talk_minutes
        if needed > slot:
            problems.append(Finding("discussion-overtime",
                                    f"{talks} tham luận × {conference.talk_minutes} phút = {needed} phút, vượt thời "
                                    f"gian thảo luận {slot} phút ({item.time}) trong chương trình. Chọn bớt đơn vị "
                                    "tham luận (discussion_units), rút thời gian mỗi tham luận (talk_minutes) hoặc "
                                    "sửa chương trình.", file=source, value=item.time))
    return problems


def conference_info(conference: Conference) -> ConferenceInfo:
    start = conference.start
    return ConferenceInfo(
        name=conference.name, name_upper=conference.name.upper(), year=conference.year,
        next_year=conference.year + 1, date=short_date(conference.date), date_long=long_date(conference.date),
        weekday=_WEEKDAYS[conference.date.weekday()], start=f"{start.hour:02d} giờ {start.minute:02d} phút",
        duration=duration_words(conference), venue=conference.venue, chair=conference.chair,
        authority=conference.issuer.authority, plan_number=conference.plan_number,
        plan_date=short_date(conference.plan_date), plan_title=conference.plan_title)


# ---------------------------------------------------------------- delegates

def conference_decisions(conference: Conference, decisions: list[Decision]) -> list[Decision]:
    """The year's decisions in the announcing order: the first `award_order` phrase the award
    contains ranks it (Cờ thi đua before Bằng khen by default); then by date and number."""
    order = [fold(p) for p in conference.award_order]

    def rank(decision: Decision) -> tuple:
        award = fold(decision.award)
        hit = next((i for i, phrase in enumerate(order) if phrase in award), len(order))
        return hit, decision.date, decision.number

    return sorted((d for d in decisions if d.year == conference.year), key=rank)


def honoured_delegates(conference: Conference, decisions: list[Decision]) -> list[Delegate]:
    """The awarded collectives' representatives and the awarded individuals, each once: a person is a
    name and a birth year, a collective a name, whatever the number of decisions naming them."""
    seen: set[tuple] = set()
    out = []
    for decision in decisions:
        for a in decision.awardees:
            key = (a.kind, fold(a.name), a.birth_year if a.kind == INDIVIDUAL else None)
            if key in seen:
                continue
            seen.add(key)
            far = a.unit_id in conference.far_units
            source = f"Quyết định số {decision.number}"
            if a.kind == COLLECTIVE:
                out.append(Delegate(group=conference.honoured_group, name="", gender="",
                                    position="Đại diện tập thể được khen thưởng", organisation=a.name,
                                    unit_id=a.unit_id, rank=None, phone="", email="", far=far, personal=False,
                                    source=source, seq=10**6 + len(out)))
            else:
                out.append(Delegate(group=conference.honoured_group, name=a.name, gender=a.gender or "",
                                    position=a.position, organisation=a.workplace or a.unit_name,
                                    unit_id=a.unit_id, rank=None, phone="", email="", far=far, personal=True,
                                    source=source, seq=10**6 + len(out)))
    return out


def merge_delegates(conference: Conference, listed: list[Delegate], honoured: list[Delegate]
                    ) -> tuple[list[Delegate], list[Finding]]:
    """One entry per delegate, ordered by group, rank, then as listed. A row repeating an earlier one
    (same name and organisation) is reported once and dropped; an honoured person already listed by
    the Văn phòng is not added twice."""
    problems: list[Finding] = []
    kept: dict[tuple[str, str], Delegate] = {}
    for d in listed:
        key = (fold(d.name), fold(d.organisation))
        if key in kept:
            first = kept[key]
            file, place = d.source.split(", ", 1)
            sheet, cell = place.split("!")
            who = d.name or d.organisation
            problems.append(Finding("delegate-duplicate",
                                    f"“{who}” ({d.organisation}) đã có ở {first.source.split(', ', 1)[1]}: "
                                    "chỉ mời một lần.", file=file, sheet=sheet, cell=cell, value=who))
            continue
        kept[key] = d
    names = {(fold(d.name), d.unit_id) for d in kept.values() if d.name and d.unit_id}
    for d in honoured:
        key = (fold(d.name), fold(d.organisation))
        if key in kept or (d.name and (fold(d.name), d.unit_id) in names):
            continue
        kept[key] = d
    groups = {g: i for i, g in enumerate(conference.groups)}
    ordered = sorted(kept.values(), key=lambda d: (groups.get(d.group, len(groups)),
                                                   d.rank if d.rank is not None else 10**9, d.seq))
    return ordered, problems


def slugify(text: str) -> str:
    """The file name stem of a per-invitee paper: ASCII, at most 60 letters, never a Windows device
    name ("Côn" would give "con", the console: it gets "con_")."""
    slug = re.sub(r"[^a-z0-9]+", "-", strip_diacritics(text).lower()).strip("-")
    return safe_name(slug[:60].strip("-") or "dai-bieu")


def invitations(conference: Conference, delegates: list[Delegate]) -> list[Invitation]:
    """One invitation per delegate invited by name, one per organisation invited as such; file names
    unique."""
    out: list[Invitation] = []
    by_org: set[str] = set()
    slugs: set[str] = set()
    notes = list(conference.invitation_notes)
    for d in delegates:
        if d.personal:
            invitee = f"Đồng chí {d.name}"
            detail = ", ".join(p for p in (d.position, d.organisation) if p)
            addressee, base = "đồng chí", d.name
        else:
            if fold(d.organisation) in by_org:
                continue
            by_org.add(fold(d.organisation))
            invitee = f"Đại diện {d.organisation}" if d.group == conference.honoured_group else d.organisation
            detail = "" if d.group == conference.honoured_group else d.position
            addressee, base = "quý cơ quan" if d.group != conference.honoured_group else "đồng chí", d.organisation
        slug = slugify(base)
        n = 2
        while slug in slugs:
            slug = f"{slugify(base)}-{n}"
            n += 1
        slugs.add(slug)
        extra = [conference.far_note] if d.far and conference.far_note else []
        out.append(Invitation(slug=slug, invitee=invitee, detail=detail, addressee=addressee,
                              notes=notes + extra, group=d.group))
    return out


# ---------------------------------------------------------------- agenda and MC script

def agenda_rows(conference: Conference) -> list[AgendaRow]:
    return [AgendaRow(stt=str(i), time=a.time, item=a.item, presenter=a.presenter)
            for i, a in enumerate(conference.agenda, 1)]


@dataclass(frozen=True)
class Script:
    decisions: list[ScriptDecision]
    rows: list[ScriptRow]
    problems: list[Finding]


def script(conference: Conference, decisions: list[Decision], discussion: list[DiscussionRow],
           khoi: list[KhoiInfo]) -> Script:
    rows: list[ScriptRow] = []
    infos: list[ScriptDecision] = []
    problems: list[Finding] = []
    batch_no = 0
    for n, item in enumerate(conference.agenda, 1):
        introducer = item.introducer
        rows.append(ScriptRow(heading=f"{n}. {item.item} ({item.time})", introducer="", performer="",
                              content="", note=""))
        rows.append(ScriptRow(heading="", introducer=introducer, performer=item.presenter,
                              content=_intro(conference, item.item, item.presenter, introducer), note=item.time))
        if item.kind == AWARDS:
            for decision in decisions:
                block, batch_no, info, problem = _decision_block(conference, decision, batch_no)
                rows += block
                infos.append(info)
                problems += problem
        elif item.kind == DISCUSSION:
            for d in discussion:
                rows.append(ScriptRow(heading="", introducer=item.introducer or conference.mc,
                                      performer=d.presenter,
                                      content=f"Tham luận {d.stt}: “{d.topic}” ({d.unit}).", note=""))
        elif item.kind == PLEDGES:
            for k in khoi:
                members = "\n".join(f"{m.stt}. {m.name} ({m.role})" for m in k.members)
                rows.append(ScriptRow(heading="", introducer=item.introducer or conference.mc,
                                      performer="Lãnh đạo các đơn vị trong khối",
                                      content=f"Trân trọng kính mời lãnh đạo các đơn vị {k.name} lên ký giao ước "
                                              f"thi đua năm {conference.year + 1}:\n{members}",
                                      note=f"Bản giao ước thi đua của {_khoi_short(k.name)} (02 bản) đặt sẵn "
                                           "trên bàn ký."))
    return Script(infos, rows, problems)


def is_mc(conference: Conference, person: str) -> bool:
    """Whether PERSON is the MC himself ("Người dẫn chương trình", or the MC as the file names him,
    with or without the bracketed role)."""
    who = fold(re.sub(r"\s*\(.*?\)\s*", " ", person))
    mc = fold(re.sub(r"\s*\(.*?\)\s*", " ", conference.mc))
    return bool(who) and (who == mc or who == fold(conference.mc) or who == "người dẫn chương trình")


def _intro(conference: Conference, item: str, presenter: str, introducer: str) -> str:
    """What the introducer says: an invitation to the presenter, never the MC inviting himself (he
    does the item himself), nothing to say when nobody introduces it."""
    if not presenter or not introducer:
        return item
    if is_mc(conference, presenter):
        return f"{item}: người dẫn chương trình trực tiếp thực hiện."
    return f"{item}.\nTrân trọng kính mời {presenter} thực hiện."


def _decision_block(conference: Conference, decision: Decision, batch_no: int
                    ) -> tuple[list[ScriptRow], int, ScriptDecision, list[Finding]]:
    awardees = sorted(decision.awardees, key=lambda a: a.order)   # annex order = calling order = tray order
    collectives = sum(a.kind == COLLECTIVE for a in awardees)
    individuals = len(awardees) - collectives
    recipients = " và ".join(p for p in (f"{two_digits(collectives)} tập thể" if collectives else "",
                                          f"{two_digits(individuals)} cá nhân" if individuals else "") if p)
    head = (f"Quyết định số {decision.number} ngày {short_date(decision.date)}"
            f"{' của ' + decision.issuer if decision.issuer else ''}: tặng {decision.award} cho {recipients}")
    rows = [ScriptRow(heading=head, introducer="", performer="", content="", note=""),
            ScriptRow(heading="", introducer=conference.mc, performer=conference.decision_reader,
                      content=("Người dẫn chương trình công bố Quyết định số "
                               if is_mc(conference, conference.decision_reader) else
                               f"Trân trọng kính mời {conference.decision_reader} công bố Quyết định số ")
                              + f"{decision.number} ngày {short_date(decision.date)} về việc tặng {decision.award}"
                              + (f" trong phong trào “{decision.campaign_name}”" if decision.campaign_name else "")
                              + ".", note="")]
    size = conference.batch_size
    batches = [awardees[i:i + size] for i in range(0, len(awardees), size)]
    for k, batch in enumerate(batches, 1):
        presenter = conference.presenters[batch_no % len(conference.presenters)]
        batch_no += 1
        names = "\n".join(f"{a.order}. {_called(a)}" for a in batch)
        trays = "\n".join(f"{a.order}. {a.certificate_no or 'chưa có số'}" for a in batch)
        rows.append(ScriptRow(
            heading="", introducer=conference.mc, performer=presenter,
            content=f"Lượt {k}/{len(batches)}: trân trọng kính mời {presenter} lên trao {decision.award} "
                    f"và kính mời các tập thể, cá nhân sau lên nhận:\n{names}",
            note=f"Khay lượt {k}, xếp từ trên xuống:\n{trays}"))
    problems = []
    unnumbered = [a for a in awardees if not a.certificate_no]
    if unnumbered:
        problems.append(Finding("certificate-unnumbered",
                                f"Quyết định số {decision.number}: {len(unnumbered)} bằng chưa có số (chưa in bằng "
                                "lệnh certificates); khay xếp theo số thứ tự trong danh sách kèm quyết định.",
                                value=decision.number))
    info = ScriptDecision(number=decision.number, date=short_date(decision.date), award=decision.award,
                          collectives=collectives, individuals=individuals, batches=len(batches))
    return rows, batch_no, info, problems


def _called(a) -> str:
    if a.kind == COLLECTIVE:
        return f"{a.name}" + (f" ({a.unit_name})" if a.unit_name and a.unit_name != a.name else "")
    detail = a.position_and_workplace
    return f"{'Bà' if a.gender == 'Nữ' else 'Ông'} {a.name}" + (f" - {detail}" if detail else "")


# ---------------------------------------------------------------- tham luận

def discussion(conference: Conference, campaign: Campaign, contacts: list[UnitContact], delegates: list[Delegate]
               ) -> tuple[list[DiscussionRow], list[str], list[Finding]]:
    """Who speaks, in order: the units the file names (else every unit that gave a topic, roster order);
    the topic and contact from the unit's file in use (report.json of the run). Every unit expected
    to speak (the file's, else the whole roster) that gave no topic is named."""
    by_unit: dict[str, UnitContact] = {}
    for c in contacts:
        if c.unit_id and (c.unit_id not in by_unit or (c.topic and not by_unit[c.unit_id].topic)):
            by_unit[c.unit_id] = c
    wanted = list(conference.discussion_units) or [u.id for u in campaign.roster]
    rows, missing, problems = [], [], []
    for unit_id in wanted:
        unit = campaign.roster.get(unit_id)
        c = by_unit.get(unit_id)
        topic = clean(c.topic) if c else ""
        if not topic:
            missing.append(unit.name)
            if conference.discussion_units:
                problems.append(Finding("topic-missing",
                                        f"{unit.name} được phân công tham luận nhưng chưa gửi “Chủ đề tham luận”.",
                                        file=c.source if c else None, unit=unit_id, value=unit_id))
            continue
        speaker = next((d for d in delegates if d.unit_id == unit_id and d.name and d.personal
                        and d.group != conference.honoured_group), None)
        presenter = (f"Đồng chí {speaker.name}" + (f" - {speaker.position}" if speaker.position else "")
                     if speaker else f"Đại diện {unit.name}")
        rows.append(DiscussionRow(stt=len(rows) + 1, unit=unit.name, topic=topic, presenter=presenter,
                                  contact=c.contact))
    return rows, missing, problems


# ---------------------------------------------------------------- khối thi đua

def khoi_infos(conference: Conference, campaign: Campaign, delegates: list[Delegate]) -> list[KhoiInfo]:
    out = []
    for k in conference.khoi:
        ordered = [k.truong_khoi, k.pho_khoi] + [m for m in k.members if m not in (k.truong_khoi, k.pho_khoi)]
        roles = {k.truong_khoi: "Trưởng khối", k.pho_khoi: "Phó khối"}
        members = [MemberRow(stt=i, name=campaign.roster.get(m).name, role=roles.get(m, "Thành viên"))
                   for i, m in enumerate(ordered, 1)]
        listed = [d for d in delegates if d.group != conference.honoured_group]
        cells = [_signature(campaign.roster.get(m).name, roles.get(m, ""), m, listed) for m in ordered]
        blank = SignatureCell(role="", on_behalf="", unit="", title="", name="")
        while len(cells) % 3:
            cells.append(blank)
        rows = [SignatureRow(*cells[i:i + 3]) for i in range(0, len(cells), 3)]
        out.append(KhoiInfo(id=k.id, name=k.name, name_upper=_khoi_short(k.name).upper(), members=members,
                            signature_rows=rows))
    return out


def _khoi_short(name: str) -> str:
    return name.split(" (")[0]


def _signature(unit_name: str, role: str, unit_id: str, delegates: list[Delegate]) -> SignatureCell:
    leader = next((d for d in delegates if d.unit_id == unit_id and d.name and d.personal
                   and "chủ tịch" in fold(d.position)), None)
    title = "PHÓ CHỦ TỊCH" if leader and fold(leader.position).startswith("phó chủ tịch") else "CHỦ TỊCH"
    return SignatureCell(role=f"({role})" if role else "", on_behalf="TM. BAN CHẤP HÀNH", unit=unit_name.upper(),
                         title=title, name=leader.name if leader else "")


def counts(delegates: list[Delegate], invites: list[Invitation], decisions: list[Decision],
           discussion_rows: list[DiscussionRow], khoi: list[KhoiInfo]) -> dict[str, int]:
    awardees = [a for d in decisions for a in d.awardees]
    return {
        "so_dai_bieu": len(delegates),
        "so_giay_moi": len(invites),
        "so_o_xa": sum(d.far for d in delegates),
        "so_tap_the": sum(a.kind == COLLECTIVE for a in awardees),
        "so_ca_nhan": sum(a.kind == INDIVIDUAL for a in awardees),
        "so_bang_khen": sum(len(d.awardees) for d in decisions if not d.is_flag),
        "so_co_thi_dua": sum(len(d.awardees) for d in decisions if d.is_flag),
        "so_quyet_dinh": len(decisions),
        "so_khoi": len(khoi),
        "so_tham_luan": len(discussion_rows),
    }


__all__ = ["agenda_rows", "conference_decisions", "conference_info", "counts", "discussion", "duration_words",
           "header_info", "is_mc", "schedule_problems",
           "honoured_delegates", "invitations", "issue_info", "khoi_infos", "merge_delegates", "script", "slugify"]
