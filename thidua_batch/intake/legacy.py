"""Cells typed in the legacy Vietnamese encodings TCVN3 (ABC) and VNI-Windows, back to Unicode.

An office that still types with a TCVN3 font (.VnTime, .VnTimeH) or a VNI font (VNI-Times)
sends text that looks right on its own screen only because of the font. Excel stores the
Windows-1252 reading of the legacy bytes, so "Nguyễn Văn An" arrives as "NguyÔn V¨n An"
(TCVN3) or "Nguyeãn Vaên An" (VNI). `detect_and_convert` recognises such text and returns
its Unicode reading; real Unicode text (Vietnamese, foreign names, symbols) is left alone.

Decisions, for whoever reads this later:

* TCVN3 is the VN3 level of TCVN 5712:1993: 67 lowercase letters, the 7 capitals
  Ă Â Ê Ô Ơ Ư Đ and the no-break space, at the codes glibc's TCVN5712-1 gives them.
  The capitals that only the fuller VN1/VN2 levels have are also decoded as glibc does
  (0xA0-0xFF, the C0 codes, and 0x80-0x9F when they arrive as C1 control characters,
  which is how a byte that Windows-1252 leaves undefined shows up, e.g. U+0081).
  0x80-0x9F arriving as the Windows-1252 punctuation they are (“ ” ‘ ’ – … •) stay
  punctuation: TCVN3 does not use those codes and offices do type "H’Mông" with a
  curly apostrophe.
* .VnTimeH and the other all-capital fonts draw the lowercase codes as capitals, and TCVN3
  has no capital codes for toned vowels: "NGUYỄN" is stored as "NGUYÔN". We cannot see
  the font, so each code becomes the letter it stands for, except that a toned vowel
  inside a word that is otherwise in capitals ("NGUYễN", "ĐƯờNG") is made a capital, and
  once one word of a cell shows that, every word of that cell without a lowercase letter
  follows ("SÌN Hồ" → "SÌN HỒ"). "Lò" stays "Lò". The warning shows before and after,
  so a person checks.
* VNI-Windows writes a letter as its base letter followed by one diacritic byte
  ("eã" = "ễ"), plus single bytes for ơ ư đ and the toned i/ỵ.
* "Nguye64n" is the VNI *typing method* with the keyboard driver off: it is not handled.
  The typist sees those digits on screen (unlike TCVN3, which looks right in its font),
  and reading digits as tones would corrupt real data such as "A1", "B52" or "12A2".
* A cell is converted only when the legacy reading turns words that are not Vietnamese
  into words that are (a syllable check: onset, vowel cluster, final, one tone, the tones
  a syllable ending in c/ch/p/t may take, consistent letter case). Words that contain a
  Unicode letter no legacy font can produce (ễ, ă, ư...) are never touched. A cell whose
  legacy reading and Unicode reading are both valid Vietnamese (VNI "Hoà" for "Hồ") is
  ambiguous and left as it is.
"""
from __future__ import annotations

from functools import lru_cache

import re
import unicodedata
from dataclasses import dataclass

from ..model.results import Conversion

__all__ = [
    "Conversion",
    "detect_and_convert",
    "tcvn3_to_unicode",
    "vni_to_unicode",
    "unicode_to_tcvn3",
    "unicode_to_vni",
]


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


# ---------------------------------------------------------------------------
# Vietnamese letters
_ACUTE, _GRAVE, _HOOK, _TILDE, _DOT = "\u0301", "\u0300", "\u0309", "\u0303", "\u0323"
_TONES = (_ACUTE, _GRAVE, _HOOK, _TILDE, _DOT)
_BASE_VOWELS = "aăâeêioôơuưy"
_LOWER_VOWELS = frozenset(_nfc(v + t) for v in _BASE_VOWELS for t in ("",) + _TONES)
_VOWELS = _LOWER_VOWELS | frozenset(v.upper() for v in _LOWER_VOWELS)
_ASCII_LETTERS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
_LETTERS = _VOWELS | _ASCII_LETTERS | {"đ", "Đ"}

# ---------------------------------------------------------------------------
# TCVN3: byte -> Unicode. CORE is VN3 (what .VnTime fonts have); EXTENDED is what the
# fuller VN1/VN2 levels put at the other codes (glibc TCVN5712-1 agrees with all of it).
_TCVN3_CORE: dict[int, str] = {
    0xA0: "\u00a0",
    0xA1: "Ă", 0xA2: "Â", 0xA3: "Ê", 0xA4: "Ô", 0xA5: "Ơ", 0xA6: "Ư", 0xA7: "Đ",
    0xA8: "ă", 0xA9: "â", 0xAA: "ê", 0xAB: "ô", 0xAC: "ơ", 0xAD: "ư", 0xAE: "đ",
    0xB5: "à", 0xB6: "ả", 0xB7: "ã", 0xB8: "á", 0xB9: "ạ",
    0xBB: "ằ", 0xBC: "ẳ", 0xBD: "ẵ", 0xBE: "ắ", 0xC6: "ặ",
    0xC7: "ầ", 0xC8: "ẩ", 0xC9: "ẫ", 0xCA: "ấ", 0xCB: "ậ",
    0xCC: "è", 0xCE: "ẻ", 0xCF: "ẽ", 0xD0: "é", 0xD1: "ẹ",
    0xD2: "ề", 0xD3: "ể", 0xD4: "ễ", 0xD5: "ế", 0xD6: "ệ",
    0xD7: "ì", 0xD8: "ỉ", 0xDC: "ĩ", 0xDD: "í", 0xDE: "ị",
    0xDF: "ò", 0xE1: "ỏ", 0xE2: "õ", 0xE3: "ó", 0xE4: "ọ",
    0xE5: "ồ", 0xE6: "ổ", 0xE7: "ỗ", 0xE8: "ố", 0xE9: "ộ",
    0xEA: "ờ", 0xEB: "ở", 0xEC: "ỡ", 0xED: "ớ", 0xEE: "ợ",
    0xEF: "ù", 0xF1: "ủ", 0xF2: "ũ", 0xF3: "ú", 0xF4: "ụ",
    0xF5: "ừ", 0xF6: "ử", 0xF7: "ữ", 0xF8: "ứ", 0xF9: "ự",
    0xFA: "ỳ", 0xFB: "ỷ", 0xFC: "ỹ", 0xFD: "ý", 0xFE: "ỵ",
}
_TCVN3_EXTENDED: dict[int, str] = {
    0x01: "Ú", 0x02: "Ụ", 0x04: "Ừ", 0x05: "Ử", 0x06: "Ữ",
    0x11: "Ứ", 0x12: "Ự", 0x13: "Ỳ", 0x14: "Ỷ", 0x15: "Ỹ", 0x16: "Ý", 0x17: "Ỵ",
    0x80: "À", 0x81: "Ả", 0x82: "Ã", 0x83: "Á", 0x84: "Ạ", 0x85: "Ặ", 0x86: "Ậ", 0x87: "È",
    0x88: "Ẻ", 0x89: "Ẽ", 0x8A: "É", 0x8B: "Ẹ", 0x8C: "Ệ", 0x8D: "Ì", 0x8E: "Ỉ", 0x8F: "Ĩ",
    0x90: "Í", 0x91: "Ị", 0x92: "Ò", 0x93: "Ỏ", 0x94: "Õ", 0x95: "Ó", 0x96: "Ọ", 0x97: "Ộ",
    0x98: "Ờ", 0x99: "Ở", 0x9A: "Ỡ", 0x9B: "Ớ", 0x9C: "Ợ", 0x9D: "Ù", 0x9E: "Ủ", 0x9F: "Ũ",
    0xAF: "Ằ", 0xB0: _GRAVE, 0xB1: _HOOK, 0xB2: _TILDE, 0xB3: _ACUTE, 0xB4: _DOT,
    0xBA: "Ẳ", 0xBF: "Ẵ", 0xC0: "Ắ", 0xC1: "Ầ", 0xC2: "Ẩ", 0xC3: "Ẫ", 0xC4: "Ấ", 0xC5: "Ề",
    0xCD: "Ể", 0xD9: "Ễ", 0xDA: "Ế", 0xDB: "Ồ", 0xE0: "Ổ", 0xF0: "Ỗ", 0xFF: "Ố",
}
TCVN3_TABLE: dict[int, str] = {**_TCVN3_CORE, **_TCVN3_EXTENDED}
TCVN3_CORE_BYTES = frozenset(_TCVN3_CORE)


def _cp1252_char(byte: int) -> str | None:
    try:
        return bytes([byte]).decode("cp1252")
    except UnicodeDecodeError:
        return None


def _tcvn3_input_map() -> dict[str, int]:
    """The characters a cell may hold for each TCVN3 byte, and that byte."""
    chars: dict[str, int] = {}
    for byte in TCVN3_TABLE:
        if byte < 0x80:
            chars[chr(byte)] = byte
            continue
        chars[chr(byte)] = byte  # Latin-1 view: C1 controls for 0x80-0x9F
        ch = _cp1252_char(byte)
        if ch is not None and byte >= 0xA0:
            chars[ch] = byte
    return chars


_TCVN3_INPUT = _tcvn3_input_map()
_TCVN3_DECODE: dict[str, str] = {ch: TCVN3_TABLE[b] for ch, b in _TCVN3_INPUT.items()}
_TCVN3_ALPHABET = frozenset(ch for ch, u in _TCVN3_DECODE.items() if u != ch)
_TCVN3_EXT_INPUT = frozenset(ch for ch, b in _TCVN3_INPUT.items() if b not in _TCVN3_CORE)
_COMBINING_TONES = frozenset(_TONES)
# Lowercase codes that TCVN3 has no capital for: their case is the font's business.
_TCVN3_CASELESS = frozenset(
    u for b, u in _TCVN3_CORE.items() if u.islower() and u not in "ăâêôơưđ"
)
# Unicode letter -> the Windows-1252 character a TCVN3 cell shows for it (VN3 codes only).
_TCVN3_ENCODE: dict[str, str] = {
    uni: _cp1252_char(byte) or chr(byte) for byte, uni in _TCVN3_CORE.items() if byte != 0xA0
}

# ---------------------------------------------------------------------------
# VNI-Windows: base letter + one diacritic byte; a few letters are single bytes.
_VNI_TONE = {"": "", _ACUTE: "ù", _GRAVE: "ø", _HOOK: "û", _TILDE: "õ", _DOT: "ï"}
_VNI_CIRCUMFLEX = {"": "â", _ACUTE: "á", _GRAVE: "à", _HOOK: "å", _TILDE: "ã", _DOT: "ä"}
_VNI_BREVE = {"": "ê", _ACUTE: "é", _GRAVE: "è", _HOOK: "ú", _TILDE: "ü", _DOT: "ë"}
_VNI_I = {"": "i", _ACUTE: "í", _GRAVE: "ì", _HOOK: "æ", _TILDE: "ó", _DOT: "ò"}
_CIRCUMFLEX, _BREVE, _HORN = "\u0302", "\u0306", "\u031b"


def _vni_lower(letter: str) -> str:
    """VNI-Windows spelling of one lowercase Vietnamese letter."""
    if letter == "đ":
        return "ñ"
    parts = unicodedata.normalize("NFD", letter)
    base, marks = parts[0], parts[1:]
    tone = next((m for m in marks if m in _COMBINING_TONES), "")
    if base == "i":
        return _VNI_I[tone]
    if base == "y" and tone == _DOT:
        return "î"
    if _CIRCUMFLEX in marks:
        return base + _VNI_CIRCUMFLEX[tone]
    if _BREVE in marks:
        return base + _VNI_BREVE[tone]
    if _HORN in marks:
        return {"o": "ô", "u": "ö"}[base] + _VNI_TONE[tone]
    return base + _VNI_TONE[tone]


def _vni_tables() -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    encode: dict[str, str] = {}
    pairs: dict[str, str] = {}
    singles: dict[str, str] = {}
    for letter in sorted(_VOWELS | {"đ", "Đ"}):
        if not letter.islower():
            continue
        for uni in (letter, letter.upper()):
            low = _vni_lower(letter)
            vni = low.upper() if uni.isupper() else low
            if vni == uni:
                continue
            encode[uni] = vni
            if len(vni) == 1:
                singles[vni] = uni
            else:  # the diacritic byte may come in either case
                pairs[vni[0] + vni[1].lower()] = uni
                pairs[vni[0] + vni[1].upper()] = uni
    return encode, pairs, singles


_VNI_ENCODE, _VNI_PAIRS, _VNI_SINGLES = _vni_tables()
_VNI_ALPHABET = frozenset(pair[1] for pair in _VNI_PAIRS) | frozenset(_VNI_SINGLES)

# Every character a cell typed with a legacy font can hold (Windows-1252, with the C0/C1
# controls for undefined bytes). A word with any other non-ASCII character is Unicode.
_LEGACY_REPERTOIRE = frozenset(chr(b) for b in range(0x100)) | frozenset(
    c for c in (_cp1252_char(b) for b in range(0x80, 0xA0)) if c is not None
)

# ---------------------------------------------------------------------------
# Words. Separators: white space, ASCII other than letters, and the Windows-1252
# punctuation that TCVN3 leaves as punctuation. C0 codes that TCVN3 uses as letters
# stay inside words.
_KEPT_PUNCT = "\u201a\u201e\u2026\u2020\u2021\u2030\u2039\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u2122\u203a\u20ac"
# (Not \\s: Python counts U+0085, TCVN3's VN1 code for "Ặ", as white space.)
_WHITE = " \\t\\n\\r\\f\\v\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000"
_SEPARATORS = re.compile(
    "([" + _WHITE + "\\x00\\x03\\x07-\\x10\\x18-\\x40\\x5b-\\x60\\x7b-\\x7f" + _KEPT_PUNCT + "]+)"
)

_ONSETS = (
    "ngh", "ng", "nh", "ch", "gh", "gi", "kh", "ph", "th", "tr", "qu",
    "b", "c", "d", "đ", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "x", "",
)
_CODAS = ("ch", "ng", "nh", "c", "m", "n", "p", "t")
_STOPS = frozenset({"c", "ch", "p", "t"})
# Vowel clusters with what may follow them: None (nothing), True (a final consonant), or both.
_OPEN_ONLY = frozenset(
    "ai ao au ay âu ây eo êu ia iu oi ôi ơi ua ui ưa ưi ưu uơ oai oay oao oeo uây uôi ươi ươu "
    "iêu yêu uyu uya y".split()  # "y" alone never closes: "lý", but "lịch", "huých"
)
_CLOSED_ONLY = frozenset("ă â iê yê uô ươ uyê oă uâ oo".split())
_EITHER = frozenset("a e ê i o ô ơ u ư oa oe uê uy".split())
_NUCLEI = _OPEN_ONLY | _CLOSED_ONLY | _EITHER


# Spelling rules: which onsets go before which vowels ("nghe", never "nge" or "ngha").
_ONSET_BEFORE_ONLY = {"ngh": "ieê", "gh": "ieê", "k": "ieêy"}
_ONSET_NOT_BEFORE = {"c": "ieêy", "ng": "ieêy", "g": "eê", "qu": "uư"}


def _rime_ok(onset: str, rime: str, tone: str) -> bool:
    first = rime[0]
    if onset in _ONSET_BEFORE_ONLY and first not in _ONSET_BEFORE_ONLY[onset]:
        return False
    if first in _ONSET_NOT_BEFORE.get(onset, ""):
        return False
    # The "u" of "qu" is also the glide of the rime: "quýt" is "uyt" after a "q".
    return _nucleus_coda_ok(rime, tone) or (onset == "qu" and _nucleus_coda_ok("u" + rime, tone))


def _nucleus_coda_ok(rime: str, tone: str) -> bool:
    for coda in _CODAS + ("",):
        if coda and not rime.endswith(coda):
            continue
        nucleus = rime[: len(rime) - len(coda)] if coda else rime
        if nucleus not in _NUCLEI:
            continue
        if (coda and nucleus in _OPEN_ONLY) or (not coda and nucleus in _CLOSED_ONLY):
            continue
        if coda in ("ch", "nh") and nucleus[-1] not in "aêiy":  # "anh", "ếch", "inh", "huỳnh"
            continue
        if coda in ("c", "ng") and nucleus[-1] in "iy":  # "inh", "ích", never "ing", "íc"
            continue
        if coda in _STOPS and tone in (_GRAVE, _HOOK, _TILDE):
            continue
        return True
    return False


def _is_syllable(word: str) -> bool:
    """One written Vietnamese syllable, in lower, Title or UPPER case."""
    rest = word[1:]
    if not (word == word.lower() or word == word.upper() or (word[0].isupper() and rest == rest.lower())):
        return False
    decomposed = unicodedata.normalize("NFD", word.lower())
    tones = [c for c in decomposed if c in _COMBINING_TONES]
    if len(tones) > 1:
        return False
    bare = _nfc("".join(c for c in decomposed if c not in _COMBINING_TONES))
    tone = tones[0] if tones else ""
    for onset in _ONSETS:
        if bare.startswith(onset) and len(bare) > len(onset) and _rime_ok(onset, bare[len(onset):], tone):
            return True
    return False


def _judge_plain(word: str) -> bool | None:
    """True: a Vietnamese syllable with a non-ASCII letter; False: not Vietnamese; None: no say
    (ASCII, symbols without letters, abbreviations)."""
    if word.isascii() or not any(unicodedata.category(c)[0] == "L" for c in word):
        return None
    if any(c not in _LETTERS for c in word):
        return False
    if not any(c in _VOWELS for c in word):
        return None  # an abbreviation: "LĐLĐ", "CĐVC"
    return _is_syllable(word)


def _strip_edges(word: str, keep: frozenset[str]) -> str:
    def loose(ch: str) -> bool:
        return ch not in keep and unicodedata.category(ch)[0] not in "LM"

    start, end = 0, len(word)
    while start < end and loose(word[start]):
        start += 1
    while end > start and loose(word[end - 1]):
        end -= 1
    return word[start:end]


def _judge(word: str, keep: frozenset[str] = frozenset()) -> bool | None:
    """`_judge_plain`, forgiving punctuation around a good word ("«Hà»") unless it is in `keep`,
    the characters the legacy reading being weighed turns into letters (TCVN3 "§inh")."""
    verdict = _judge_plain(word)
    if verdict is not False:
        return verdict
    stripped = _strip_edges(word, keep)
    return stripped != word and _judge_plain(stripped) is True


# ---------------------------------------------------------------------------
# TCVN3 conversion


def _tcvn3_word(word: str) -> tuple[list[str], list[bool]]:
    """Decode one word; the flags mark letters whose case TCVN3 cannot tell."""
    chars: list[str] = []
    caseless: list[bool] = []
    for ch in word:
        uni = _TCVN3_DECODE.get(ch)
        if uni is None or (uni in _COMBINING_TONES and not (chars and chars[-1].isalpha())):
            chars.append(ch)
            caseless.append(False)
        else:
            chars.append(uni)
            caseless.append(uni in _TCVN3_CASELESS)
    return chars, caseless


def _has_lower(chars: list[str], caseless: list[bool]) -> bool:
    return any(c.islower() and not amb for c, amb in zip(chars, caseless))


def _capitals_evident(chars: list[str], caseless: list[bool]) -> bool:
    """A word typed in capitals: no lowercase letter, capitals around its toned vowels."""
    if True not in caseless or _has_lower(chars, caseless):
        return False
    first = caseless.index(True)
    capitals = [i for i, (c, amb) in enumerate(zip(chars, caseless)) if c.isupper() and not amb]
    return len(capitals) >= 2 or any(i > first for i in capitals)


def _capitalise(chars: list[str], caseless: list[bool]) -> list[str]:
    return [c.upper() if amb else c for c, amb in zip(chars, caseless)]


def _tcvn3_words(words: list[str]) -> list[str]:
    decoded = [_tcvn3_word(w) for w in words]
    in_capitals = any(_capitals_evident(c, a) for c, a in decoded)
    out = []
    for chars, caseless in decoded:
        if _capitals_evident(chars, caseless) or (in_capitals and not _has_lower(chars, caseless)):
            chars = _capitalise(chars, caseless)
        out.append(_nfc("".join(chars)))
    return out


def tcvn3_to_unicode(text: str) -> str:
    """Read all of `text` as TCVN3 (the Windows-1252 view of its bytes); NFC result."""
    parts = _SEPARATORS.split(_nfc(text))
    parts[0::2] = _tcvn3_words(parts[0::2])
    return _nfc("".join(parts))


# ---------------------------------------------------------------------------
# VNI conversion


def _vni_word(word: str) -> str:
    out: list[str] = []
    i = 0
    while i < len(word):
        pair = word[i : i + 2]
        if len(pair) == 2 and pair in _VNI_PAIRS:
            out.append(_VNI_PAIRS[pair])
            i += 2
            continue
        out.append(_VNI_SINGLES.get(word[i], word[i]))
        i += 1
    return _nfc("".join(out))


def vni_to_unicode(text: str) -> str:
    """Read all of `text` as VNI-Windows (the Windows-1252 view of its bytes); NFC result."""
    parts = _SEPARATORS.split(_nfc(text))
    parts[0::2] = [_vni_word(w) for w in parts[0::2]]
    return _nfc("".join(parts))


# ---------------------------------------------------------------------------
# The other way, for tests and for showing what a legacy font would have stored.


def unicode_to_tcvn3(text: str) -> str:
    """TCVN3 spelling (as Windows-1252 text); capitals TCVN3 lacks become the lowercase code."""
    out = []
    for ch in _nfc(text):
        if ch in _TCVN3_ENCODE:
            out.append(_TCVN3_ENCODE[ch])
        elif ch.lower() in _TCVN3_ENCODE and ch.lower() in _TCVN3_CASELESS:
            out.append(_TCVN3_ENCODE[ch.lower()])
        else:
            out.append(ch)
    return "".join(out)


def unicode_to_vni(text: str) -> str:
    """VNI-Windows spelling (as Windows-1252 text)."""
    return "".join(_VNI_ENCODE.get(ch, ch) for ch in _nfc(text))


# ---------------------------------------------------------------------------
# Detection


# "µm", "µg": a unit, not TCVN3 "àm".
_UNIT = re.compile(r"µ(?:m|g|l|L|s|A|V|W|F|H|mol|Pa|Gy|Sv|Ci)\Z")


@dataclass
class _Reading:
    encoding: str
    after: str
    worse: int  # words still not Vietnamese after conversion
    better: int  # words that became Vietnamese
    was_worse: int  # words not Vietnamese before


def _read_as(text: str, encoding: str) -> _Reading | None:
    alphabet = _TCVN3_ALPHABET if encoding == "TCVN3" else _VNI_ALPHABET
    parts = _SEPARATORS.split(text)
    words = parts[0::2]
    if encoding == "TCVN3":
        converted = _tcvn3_words(words)
    else:
        converted = [_vni_word(w) for w in words]
    worse = better = was_worse = 0
    out = list(words)
    for i, (word, cand) in enumerate(zip(words, converted)):
        if cand == word or not alphabet.intersection(word) or _UNIT.match(word):
            continue
        if not _LEGACY_REPERTOIRE.issuperset(word):
            continue  # a Unicode letter no legacy font produces: this word is Unicode
        if len(word) < 2:  # a lone "ª" or "µ" says nothing either way
            before = after = None
        else:
            before, after = _judge(word, alphabet), _judge(cand)
        was_worse += before is False
        worse += after is False
        better += after is True
        keep = before is True and (
            after is False or (encoding == "TCVN3" and _TCVN3_EXT_INPUT.intersection(word))
        )
        if not keep:
            out[i] = cand
    if not (worse < was_worse and better > worse):
        return None
    parts[0::2] = out
    return _Reading(encoding, _nfc("".join(parts)), worse, better, was_worse)


# What a cell typed with a TCVN3 or VNI font can hold: the cp1252 reading of single bytes, and
# the C1 controls for the bytes cp1252 leaves undefined.
_SINGLE_BYTE_CHARS = frozenset(
    [c for b in range(256) if (c := _cp1252_char(b)) is not None] + [chr(b) for b in range(0x80, 0xA0)]
)
# Of those, the ones Vietnamese Unicode text does not use: letters outside its alphabet and
# symbols (¨ © ª « ¬ ® µ ¸ ø ö …). Typographic quotes, dashes and the ellipsis are common in
# real text, so they do not count.
_LEGACY_MARKERS = frozenset(
    c for c in _SINGLE_BYTE_CHARS
    if not c.isascii() and c not in "àáâãèéêìíòóôõùúýÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝ“”‘’–—…\u00a0•"
)


# TCVN3 shows toned lowercase letters as Latin-1 capitals ("NguyÔn"): a capital right after a
# lowercase letter inside a word is a marker too.
_MID_WORD_CAPITAL = re.compile("[a-zß-öø-ÿ][ÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝ]")


# A legacy marker or a capital _MID_WORD_CAPITAL looks for: text with neither has no marker and no
# mid-word capital, found in one scan (a regex class is several times faster than set.isdisjoint).
_MARKER_OR_CAPITAL = re.compile("[%s]" % re.escape("".join(sorted(_LEGACY_MARKERS | set("ÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝ")))))


def _may_be_legacy(text: str) -> bool:
    if text.isascii():
        return False
    # A character outside cp1252 (ư, ă, đ, ạ, …) proves Unicode, unless a legacy-only character
    # is there too (a cell that mixes both): the cheap exit for nearly all Vietnamese text.
    if not _SINGLE_BYTE_CHARS.issuperset(text) and (
            not _MARKER_OR_CAPITAL.search(text)
            or _LEGACY_MARKERS.isdisjoint(text) and not _MID_WORD_CAPITAL.search(text)):
        return False
    return bool(_TCVN3_ALPHABET.intersection(text) or _VNI_ALPHABET.intersection(text))


def detect_and_convert(text: str) -> Conversion | None:
    """The Unicode reading of a cell typed in TCVN3 or VNI; None for Unicode or ASCII text."""
    if not isinstance(text, str) or not _may_be_legacy(text):
        return None
    return _converted(text)


@lru_cache(maxsize=1 << 16)
def _converted(text: str) -> Conversion | None:
    """Cached: the same names, places and positions come back in file after file."""
    normal = _nfc(text)
    readings = [r for r in (_read_as(normal, "TCVN3"), _read_as(normal, "VNI")) if r is not None]
    if not readings:
        return None
    best = min(readings, key=lambda r: (r.worse, -r.better, r.encoding != "TCVN3"))
    if best.after == normal:
        return None
    return Conversion(encoding=best.encoding, before=text, after=best.after)
