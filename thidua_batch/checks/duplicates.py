"""One award per person per campaign (papers.md): of several proposals of the same person (name and
year of birth) or collective (name), the first that can go into the decision stays; every later one
is an error naming it and is held out.

"First" is the received time, then the upper row within a file. A proposal held out for a reason of
its own (an error on its row, its unit over quota for its kind, its meeting without quorum) does not
take the place: the next proposal of that person counts, so nobody is lost twice over.
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache

from ..common.text import fold
from ..config.campaign import Campaign
from ..model.findings import Finding
from ..model.results import COLLECTIVE, INDIVIDUAL, FileResult, Nomination

KIND_WORDS = {COLLECTIVE: "tập thể", INDIVIDUAL: "cá nhân"}
DUPLICATE_CODES = {INDIVIDUAL: "person-duplicate", COLLECTIVE: "collective-duplicate"}
_EPOCH = dt.datetime.min.replace(tzinfo=dt.timezone.utc)
# The same names are folded again at every merge (the page merges on each change of the inbox).
_fold = lru_cache(maxsize=1 << 16)(fold)


def person_key(nomination: Nomination) -> tuple[str, int] | None:
    name, year = nomination.name, nomination.birth_year
    if not name or year is None:
        return None
    return _fold(name), year


def collective_key(nomination: Nomination) -> str | None:
    return _fold(nomination.name) or None


def duplicate_key(nomination: Nomination):
    return person_key(nomination) if nomination.kind == INDIVIDUAL else collective_key(nomination)


def describe(nomination: Nomination) -> str:
    who = nomination.name
    if nomination.kind == INDIVIDUAL and nomination.birth_year:
        who += f" (sinh năm {nomination.birth_year})"
    return who


def over_quota(file: FileResult, kind: str, campaign: Campaign) -> bool:
    unit = campaign.roster.get(file.unit or "")
    limit = (unit.collectives if kind == COLLECTIVE else unit.individuals) if unit else None
    return limit is not None and len(file.nominations(kind)) > limit


def quorum_blocks(file: FileResult) -> bool:
    """The unit's meeting had no quorum and the campaign makes that an error: no row of it counts."""
    return any(f.code == "quorum-not-met" and f.is_error for f in file.findings)


def eligible(nomination: Nomination, file: FileResult, campaign: Campaign) -> bool:
    """Could go into the decision, duplicates aside."""
    return not nomination.has_error and not over_quota(file, nomination.kind, campaign) and not quorum_blocks(file)


Order = Callable[[Nomination], tuple]


def _groups(files: Iterable[FileResult], order: Order) -> Iterator[list[Nomination]]:
    for kind in (COLLECTIVE, INDIVIDUAL):
        groups: dict[object, list[Nomination]] = defaultdict(list)
        for file in files:
            for nomination in file.nominations(kind):
                key = duplicate_key(nomination)
                if key is not None and nomination.duplicate_of is None:
                    groups[key].append(nomination)
        for group in groups.values():
            if len(group) > 1:
                yield sorted(group, key=order)


def hold_out(files: list[FileResult], campaign: Campaign, order: Order,
             say: Callable[[Nomination, Nomination], tuple[str, str]]) -> Iterator[Finding]:
    """Mark every later proposal of a person or collective as a duplicate of the one that counts;
    `say(later, first)` gives the finding's message and the row's held-out reason."""
    by_path = {f.path: f for f in files}
    for group in _groups(files, order):
        first = next((n for n in group if eligible(n, by_path[n.file], campaign)), group[0])
        for nomination in group:
            nomination.also_proposed = [o for o in group if o is not nomination]
        for later in group[group.index(first) + 1:]:
            message, reason = say(later, first)
            later.duplicate_of, later.has_error = first, True
            later.reasons.append(reason)
            yield Finding(DUPLICATE_CODES[later.kind], message, file=later.file, unit=later.unit, sheet=later.sheet,
                          cell=later.ref("name"), value=later.name)


def within_file(file: FileResult, campaign: Campaign) -> Iterator[Finding]:
    """The same person or collective twice in one list: the upper row counts (if it can)."""
    def say(later: Nomination, first: Nomination) -> tuple[str, str]:
        return (f"“{describe(later)}” đã được đề nghị ở dòng {first.row} của trang “{first.sheet}”; mỗi "
                f"{KIND_WORDS[later.kind]} chỉ được khen một lần trong đợt này. Đề nghị xóa dòng trùng "
                f"(dòng {later.row}).", f"trùng với dòng {first.row} của danh sách")
    yield from hold_out([file], campaign, lambda n: (n.row,), say)


def across_files(files: list[FileResult], campaign: Campaign) -> Iterator[Finding]:
    """The same person or collective proposed by two units: the proposal received first counts."""
    roster = campaign.roster
    by_path = {f.path: f for f in files}

    def order(n: Nomination) -> tuple:
        file = by_path[n.file]
        return file.received_at or _EPOCH, roster.order(file.unit), file.path, n.row

    def say(later: Nomination, first: Nomination) -> tuple[str, str]:
        unit = roster.get(first.unit or "")
        name = unit.name if unit else (first.unit or "")
        received = by_path[first.file].received_at
        when = f", nhận {received.astimezone(campaign.tz):%H:%M ngày %d/%m/%Y}" if received else ""
        words = KIND_WORDS[later.kind]
        return (f"“{describe(later)}” đã được {name} đề nghị trước (tệp “{first.file}”, trang “{first.sheet}”, "
                f"dòng {first.row}{when}). Mỗi {words} chỉ được khen một lần trong đợt này nên đề nghị này chưa "
                f"đưa vào dự thảo. Nếu hai đơn vị thống nhất để đơn vị mình đề nghị, đề nghị {name} rút đề nghị "
                "của đơn vị đó.", f"trùng đề nghị với {name} (trang “{first.sheet}”, dòng {first.row}), "
                "đơn vị đó gửi trước")
    yield from hold_out(files, campaign, order, say)
