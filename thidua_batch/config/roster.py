"""The roster of units and how a name typed by a unit resolves to one of them.

Units name themselves in many ways ("LĐLĐ H. Tam Đường", "LDLD huyen Tam Duong",
"Tam Đường"). A name is reduced to its core: folded without diacritics, abbreviations
expanded, the generic prefix ("Liên đoàn Lao động huyện", "Công đoàn ngành") and the
province suffix removed. A name resolves when exactly one unit has that core;
otherwise the closest units are offered, never guessed.
"""
from __future__ import annotations

import difflib
from dataclasses import dataclass

from ..common.text import fold_ascii

# Abbreviations, already folded to ASCII (đ → d).
_ABBREVIATIONS = {
    "ldld": "lien doan lao dong",
    "cdn": "cong doan nganh",
    "cdvc": "cong doan vien chuc",
    "cdcs": "cong doan co so",
    "cd": "cong doan",
    "h": "huyen",
    "tp": "thanh pho",
    "tx": "thi xa",
    "gd": "giao duc",
    "gddt": "giao duc",
    "yt": "y te",
    "vc": "vien chuc",
}
# "Công đoàn ngành Giáo dục và Đào tạo": the sector is Giáo dục.
_SYNONYMS = {"giao duc va dao tao": "giao duc", "giao duc dao tao": "giao duc"}
# Generic words a name may start with, longest first; removed repeatedly.
_PREFIXES = (
    "lien doan lao dong", "cong doan nganh", "cong doan", "nganh", "huyen", "thanh pho", "thi xa",
)
_SUFFIXES = ("tinh lai chau",)


@dataclass(frozen=True)
class Unit:
    id: str
    name: str
    type: str
    collectives: int
    individuals: int
    aliases: tuple[str, ...] = ()
    emails: tuple[str, ...] = ()   # the unit's mail addresses, lower case: a mail from one is the unit's


@dataclass(frozen=True)
class Match:
    """The result of resolving a typed name: one unit, or none with the closest candidates."""

    unit: Unit | None
    candidates: tuple[Unit, ...]
    ambiguous: bool = False


def expand(text: str) -> str:
    """Folded without diacritics, abbreviations written out: "CĐ ngành GD" → "cong doan nganh giao duc"."""
    expanded = " ".join(_ABBREVIATIONS.get(w, w) for w in fold_ascii(text).split())
    for long, short in _SYNONYMS.items():
        expanded = expanded.replace(long, short)
    return expanded


def core_name(name: str) -> str:
    expanded = expand(name)
    changed = True
    while changed:
        changed = False
        for prefix in _PREFIXES:
            if expanded == prefix:
                break
            if expanded.startswith(prefix + " "):
                expanded = expanded[len(prefix) + 1:]
                changed = True
        for suffix in _SUFFIXES:
            if expanded.endswith(" " + suffix):
                expanded = expanded[: -len(suffix) - 1]
                changed = True
    return expanded


class Roster:
    def __init__(self, units: tuple[Unit, ...]):
        self.units = units
        self._by_id = {u.id: u for u in units}
        self._order = {u.id: i for i, u in enumerate(units)}
        self._cores: dict[str, list[Unit]] = {}
        for unit in units:
            for name in (unit.name, *unit.aliases):
                bucket = self._cores.setdefault(core_name(name), [])
                if unit not in bucket:
                    bucket.append(unit)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Roster) and self.units == other.units

    def __hash__(self) -> int:
        return hash(self.units)

    def __iter__(self):
        return iter(self.units)

    def __len__(self) -> int:
        return len(self.units)

    def get(self, unit_id: str) -> Unit | None:
        return self._by_id.get(unit_id)

    def order(self, unit_id: str | None) -> int:
        """Position in the roster; unknown units sort last."""
        return self._order.get(unit_id, len(self.units))

    def match(self, typed: str) -> Match:
        core = core_name(typed)
        if not core:
            return Match(None, ())
        found = self._cores.get(core, [])
        if len(found) == 1:
            return Match(found[0], ())
        if len(found) > 1:
            return Match(None, tuple(found), ambiguous=True)
        return Match(None, self.closest(core))

    def by_email(self, address: str) -> Unit | None:
        """The one unit that lists this mail address."""
        found = [u for u in self.units if address.strip().lower() in u.emails]
        return found[0] if len(found) == 1 else None

    def mentioned_in(self, text: str) -> Unit | None:
        """The one unit whose name a free text mentions ("DANH SÁCH … LĐLĐ HUYỆN MƯỜNG TÈ", a file
        name "CĐ ngành GD - danh sách.xlsx"); None when none, or more than one, is mentioned.
        The province itself ("tỉnh Lai Châu") is not the unit "thành phố Lai Châu"."""
        words = f" {expand(text)} ".replace(" tinh lai chau ", " ")
        found = {unit for key, units in self._cores.items() if key and f" {key} " in words for unit in units}
        return found.pop() if len(found) == 1 else None

    def closest(self, core: str, n: int = 3) -> tuple[Unit, ...]:
        scored = []
        for key, units in self._cores.items():
            ratio = difflib.SequenceMatcher(None, core, key).ratio()
            for unit in units:
                scored.append((ratio, self.order(unit.id), unit))
        scored.sort(key=lambda t: (-t[0], t[1]))
        result: list[Unit] = []
        for ratio, _, unit in scored:
            if ratio < 0.4 or len(result) == n:
                break
            if unit not in result:
                result.append(unit)
        return tuple(result)
