"""The words of lists as units really write them (`data/list_words.toml`): column headers and
their synonyms, section titles, and the rows that are not nominations (totals, signatures,
date lines, notes). Data, in one place; the table reader (`intake/tables.py`) uses it."""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

from ..common.text import clean, fold_ascii, label_key, label_key_ascii
from . import schema

LABEL_MAX_CHARS = 80   # a longer cell is never a header label
# Header keys that are not schema fields.
COLLECTIVE_NAME, POSITION_WORKPLACE, MALE, FEMALE = "collective_name", "position_workplace", "male", "female"

# Row kinds that are not nominations, with the words a letter uses for them.
ROW_KINDS = {
    "title": "dòng tiêu đề",
    "section": "dòng tên mục (tập thể / cá nhân)",
    "column-numbers": "dòng đánh số cột",
    "total": "dòng cộng, tổng cộng",
    "signature": "khối chữ ký",
    "date-line": "dòng địa danh, ngày tháng",
    "note": "dòng ghi chú",
}


@dataclass(frozen=True)
class ListWords:
    headers: dict[str, str]                 # a header's label key (both forms) → header key
    sections: dict[str, tuple[str, ...]]    # "collective"/"individual" → words
    rows: re.Pattern                        # one alternation, a named group per row kind
    # A cell's text → its header key or None, as found so far (the same labels in every file).
    _header_of: dict[str, str | None] = field(default_factory=dict, init=False, repr=False, compare=False)

    def header(self, text: object) -> str | None:
        """The header key of a header cell's text: "Họ tên" → "name", "Nữ" → "female"."""
        if not isinstance(text, str) or len(text) > LABEL_MAX_CHARS:
            return None
        known = self._header_of
        try:
            return known[text]
        except KeyError:
            pass
        key = None
        if text.strip():
            exact = label_key(text)
            key = self.headers.get(exact) or self.headers.get(fold_ascii(exact))   # label_key_ascii(text)
        if len(known) >= 8192:
            known.clear()
        known[text] = key
        return key

    def row_kind(self, text: str) -> str | None:
        """"total", "signature", "date-line" or "note" when one cell's text says so."""
        match = self.rows.search(clean(text).lower())
        return match.lastgroup.replace("_", "-") if match else None

    def section(self, text: str) -> str | None:
        """"collective" or "individual" for a section title ("I. TẬP THỂ", "II. Cá nhân (04)")."""
        folded = clean(text).lower()
        match = _SECTION.match(folded)
        if not match:
            return None
        rest = match.group("rest")
        for kind, words in self.sections.items():
            if any(rest.startswith(w) and _SECTION_TAIL.match(rest[len(w):]) for w in words):
                return kind
        return None


# "I.", "II -", "A)", "1." then optional "danh sách", "đề nghị khen thưởng", "các", then the words;
# at most a short tail ("(01)", ": 04 người").
_SECTION = re.compile(r"^(?:(?:[ivx]+|[a-d]|\d{1,2})(?:\s*[.)/:\-–]\s*|\s+))?(?:danh sách\s+)?(?:đề nghị\s+)?"
                      r"(?:khen thưởng\s+)?(?:(?:cho|các)\s+)?(?P<rest>.{1,40})$")

# What may follow the section word: a count ("(01)", ": 04 người") or "đề nghị tặng bằng khen…";
# never more words of a name ("Tập thể lớp 5A" is a collective, not a section).
_SECTION_TAIL = re.compile(r"^\s*(?:[:(\-–]\s*)?(?:\d{1,3}\s*(?:người|tập thể|cá nhân|đơn vị)?\s*\)?)?\s*"
                           r"(?:(?:được\s+)?đề nghị\b.*)?[:.]?$")




@lru_cache(maxsize=1)
def load_list_words() -> ListWords:
    data = tomllib.loads(resources.files("thidua_batch").joinpath("config/data/list_words.toml").read_text("utf-8"))
    headers: dict[str, str] = {}
    labels = [(f.key, f.label) for f in (*schema.INDIVIDUAL_FIELDS, *schema.COLLECTIVE_FIELDS)]
    labels = [(COLLECTIVE_NAME if label == "Tên tập thể" else key, label) for key, label in labels]
    labels += [(key, label) for key, synonyms in data["headers"].items() for label in synonyms]
    for key, label in labels:
        # Exact keys first, so "Nam" (male) and "Năm" never meet through the diacritic-free key.
        headers.setdefault(label_key(label), key)
    for key, label in labels:
        headers.setdefault(label_key_ascii(label), key)
    return ListWords(headers=headers,
                     sections={k: tuple(clean(w).lower() for w in v) for k, v in data["sections"].items()},
                     rows=re.compile("|".join(f"(?P<{kind}>{'|'.join(f'(?:{p})' for p in patterns)})"
                                              for kind, patterns in data["rows"].items())))

