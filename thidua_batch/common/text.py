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


def strip_diacritics(text: str) -> str:
    return unicodedata.normalize("NFD", text).translate(_BARE)


def fold_ascii(text: str) -> str:
    """Key for unit names: folded, without diacritics, punctuation turned into spaces."""
    bare = strip_diacritics(fold(text))
    return _SPACES.sub(" ", _NAME_PUNCT.sub(" ", bare)).strip()


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
