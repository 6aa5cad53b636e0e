"""History: a nominee already in the award register by an earlier campaign gets `awarded-before`
[info] (register.md, "History in the batch run"; papers.md: the campaign's own decisions are not
"before"). The look-up is given, so the checks never open the register."""
from __future__ import annotations

from collections.abc import Callable, Iterable

from ..model.findings import Finding
from ..model.results import COLLECTIVE, INDIVIDUAL, BatchResult, Nomination, PastAward

Key = tuple[str, str, int | None]
Lookup = Callable[[Iterable[Key]], dict[Key, list[PastAward]]]


def key(nomination: Nomination) -> Key:
    """A person by name and year of birth, a collective by name."""
    birth_year = nomination.birth_year if nomination.kind == INDIVIDUAL else None
    return nomination.kind, nomination.display_name, birth_year


def awarded_before(result: BatchResult, lookup: Lookup) -> None:
    """Find every nominee of the files in use in the register (one look-up per distinct key); note the
    earlier awards on the nomination and add one finding each."""
    nominations = [n for kind in (COLLECTIVE, INDIVIDUAL) for n in result.nominations(kind) if n.name]
    found = lookup(key(n) for n in nominations)
    for nomination in nominations:
        # Earlier awards only: a decision of this very campaign (this run recorded already) is not "before".
        past = [p for p in found.get(key(nomination), ()) if p.campaign_id != result.campaign.id]
        if not past:
            continue
        nomination.past_awards = past
        said = "; ".join(p.sentence for p in past)
        result.findings.append(Finding(
            "awarded-before", f"“{nomination.display_name}”: {said}. Thông tin để Ban xem xét; không phải lỗi.",
            file=nomination.file, unit=nomination.unit, sheet=nomination.sheet, cell=nomination.ref("name"),
            value="; ".join(f"{p.number} ({p.year})" for p in past)))
