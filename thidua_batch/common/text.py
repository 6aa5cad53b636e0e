"""Vietnamese text as the tool reads and compares it (domain.md, "Vietnamese text")."""
from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")
# Separators that units use interchangeably inside names: "H.", "TP.", "Tam-Đường".
_NAME_PUNCT = re.compile(r"[.,;:/\\\-–—_()\[\]\"'“”‘’]+")


def clean(text: str) -> str:
    """NFC, runs of white space collapsed to one space, ends trimmed; otherwise as typed.

    `str.split()` splits on exactly the characters `\\s` matches in a str pattern (both use
    `str.isspace`), so this is `_SPACES.sub(" ", …).strip()`, three times faster."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def fold(text: str) -> str:
    """Key for comparing names of people and collectives: NFC, case-folded, spaces collapsed."""
    return clean(text).casefold()


class _Bare(dict):
    """str.translate table, filled as characters are met: combining marks dropped, đ → d."""

    def __missing__(self, code: int) -> int | None:
        value = None if unicodedata.combining(chr(code)) else code
        self[code] = value
        return value


_BARE = _Bare({ord("đ"): ord("d"), ord("Đ"): ord("D")})


# The combining marks of Vietnamese (and most Latin text) in one regex: the quick first step.
_COMMON_MARKS = re.compile("[%s]" % "".join(chr(c) for c in range(0x300, 0x370) if unicodedata.combining(chr(c))))


def strip_diacritics(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text)
    if decomposed.isascii():
        return decomposed
    bare = _COMMON_MARKS.sub("", decomposed).replace("đ", "d").replace("Đ", "D")
    return bare if bare.isascii() else bare.translate(_BARE)


def fold_ascii(text: str) -> str:
    """Key for unit names: folded, without diacritics, punctuation turned into spaces."""
    bare = strip_diacritics(fold(text))
    return " ".join(_NAME_PUNCT.sub(" ", bare).split())   # = _SPACES.sub(" ", …).strip(), see clean


_LABEL_NOTE = re.compile(r"\([^)]*\)")


def label_key(text: str) -> str:
    """Key for a header or label: folded, a trailing '*' and parenthesised notes dropped.

    "Giới tính (Nam/Nữ) *" and "GIỚI TÍNH" give the same key. Diacritics are kept:
    "Ca nhan" is matched separately through `label_key_ascii`.
    """
    key = fold(_LABEL_NOTE.sub(" ", clean(text)))
    key = key.rstrip("* ").strip()
    return _SPACES.sub(" ", key)


def label_key_ascii(text: str) -> str:
    return fold_ascii(label_key(text))
