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


def nearest_for(encoding: str) -> str:
    """The name of an error handler that writes, for ENCODING, the nearest thing a console can show.

    One handler per encoding: a charmap codec such as cp1258 reports itself as "charmap" in the
    error, so the handler must know which code page it is writing."""
    encoding = codecs.lookup(encoding).name
    name = f"{ERRORS}:{encoding}"
    try:
        codecs.lookup_error(name)
    except LookupError:
        codecs.register_error(name, lambda exc: _nearest(exc, encoding))
    return name


def _nearest(exc: UnicodeError, encoding: str):
    """One character at a time: a byte of a file name that was not UTF-8 (surrogate-escaped) goes out
    as that byte; a letter as the nearest the code page has."""
    if not isinstance(exc, UnicodeEncodeError):
        raise exc
    ch = exc.object[exc.start]
    if "\udc80" <= ch <= "\udcff":
        return bytes([ord(ch) - 0xDC00]), exc.start + 1
    for candidate in _candidates(ch):
        try:
            candidate.encode(encoding)
        except (UnicodeEncodeError, LookupError):
            continue
        return candidate, exc.start + 1
    return "?", exc.start + 1


def use_safe_streams() -> None:
    """UTF-8 for stdout and stderr when they are files or pipes; the nearest letter on a console."""
    for name in ("stdout", "stderr"):
        stream = getattr(sys, name, None)
        if not isinstance(stream, io.TextIOWrapper):
            continue
        try:
            if stream.isatty():
                stream.reconfigure(errors=nearest_for(stream.encoding))
            else:
                stream.reconfigure(encoding="utf-8", errors=nearest_for("utf-8"))
        except (OSError, ValueError, io.UnsupportedOperation):
            continue
