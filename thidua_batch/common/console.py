"""Output that never fails on the officer's console (reliability.md, "The console and the messages").

Windows cmd and PowerShell redirect a program's output to a file in the ANSI code page
(cp1252, cp1258), where "Đã ghi" cannot be encoded: Python would stop with UnicodeEncodeError
after the work was done. So files and pipes get UTF-8, and a console that cannot show a letter
shows the nearest thing it can: on a cp1258 console "ế" as "ê" plus the combining acute accent
(how that code page writes Vietnamese), else the letter without its marks, else "?".
"""
from __future__ import annotations

import codecs
import io
import sys
import unicodedata

from .text import strip_diacritics

ERRORS = "thidua-nearest"
# The five tone marks; cp1258 has the vowels with their other marks (â, ê, ô, ơ, ư, ă) precomposed.
_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}


def _candidates(ch: str):
    decomposed = unicodedata.normalize("NFD", ch)
    tones = "".join(c for c in decomposed if c in _TONES)
    yield unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in _TONES)) + tones
    yield decomposed
    yield strip_diacritics(ch)
    yield "?"


def _nearest(exc: UnicodeError):
    if not isinstance(exc, UnicodeEncodeError):
        raise exc
    shown = []
    for ch in exc.object[exc.start:exc.end]:
        for candidate in _candidates(ch):
            try:
                candidate.encode(exc.encoding)
            except (UnicodeEncodeError, LookupError):
                continue
            shown.append(candidate)
            break
    return "".join(shown), exc.end


codecs.register_error(ERRORS, _nearest)


def use_safe_streams() -> None:
    """UTF-8 for stdout and stderr when they are files or pipes; the nearest letter on a console."""
    for name in ("stdout", "stderr"):
        stream = getattr(sys, name, None)
        if not isinstance(stream, io.TextIOWrapper):
            continue
        try:
            if stream.isatty():
                stream.reconfigure(errors=ERRORS)
            else:
                stream.reconfigure(encoding="utf-8", errors=ERRORS)
        except (OSError, ValueError, io.UnsupportedOperation):
            continue
