"""TCVN3 / VNI detection and conversion (thidua_batch.legacy)."""
from __future__ import annotations

import shutil
import subprocess
import unicodedata

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from thidua_batch.intake import legacy
from thidua_batch.intake.legacy import (
    TCVN3_CORE_BYTES,
    TCVN3_TABLE,
    Conversion,
    detect_and_convert,
    tcvn3_to_unicode,
    unicode_to_tcvn3,
    unicode_to_vni,
    vni_to_unicode,
)


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def cp1252_or_latin1(byte: int) -> str:
    """What a cell holds for one legacy byte: its Windows-1252 character, else the C1 control."""
    try:
        return bytes([byte]).decode("cp1252")
    except UnicodeDecodeError:
        return chr(byte)


def to_bytes(text: str) -> bytes:
    """The legacy bytes behind a cell's text (inverse of cp1252_or_latin1)."""
    out = bytearray()
    for ch in text:
        try:
            out += ch.encode("cp1252")
        except UnicodeEncodeError:
            out.append(ord(ch))  # C1 controls stand for the bytes cp1252 leaves undefined
    return bytes(out)


# ---------------------------------------------------------------------------
# The reference: glibc iconv, TCVN5712-1


def _iconv_available() -> bool:
    if shutil.which("iconv") is None:
        return False
    run = subprocess.run(["iconv", "-f", "TCVN5712-1", "-t", "UTF-8"], input=b"a", capture_output=True)
    return run.returncode == 0


needs_iconv = pytest.mark.skipif(not _iconv_available(), reason="glibc iconv with TCVN5712-1 not available")


def iconv_tcvn(data: bytes) -> str:
    run = subprocess.run(["iconv", "-f", "TCVN5712-1", "-t", "UTF-8"], input=data, capture_output=True, check=True)
    return run.stdout.decode("utf-8")


@pytest.fixture(scope="module")
def iconv_bytes() -> dict[int, str]:
    """iconv's reading of each byte 0x01-0xFF on its own (one call; newline between bytes)."""
    if not _iconv_available():
        pytest.skip("glibc iconv with TCVN5712-1 not available")
    codes = [b for b in range(1, 256) if b != 0x0A]
    text = iconv_tcvn(b"".join(bytes([b, 0x0A]) for b in codes))
    pieces = text.split("\n")[:-1]
    assert len(pieces) == len(codes)
    return dict(zip(codes, pieces))


def test_table_matches_iconv_byte_by_byte(iconv_bytes):
    for byte, uni in TCVN3_TABLE.items():
        assert iconv_bytes[byte] == uni, f"byte {byte:#04x}: table {uni!r}, iconv {iconv_bytes[byte]!r}"


def test_table_covers_every_byte_iconv_reads_as_vietnamese(iconv_bytes):
    differing = {b for b, u in iconv_bytes.items() if u != chr(b)}
    assert differing <= set(TCVN3_TABLE)
    assert set(range(0x80, 0x100)) <= set(TCVN3_TABLE)


def test_core_is_tcvn3_vn3():
    """VN3: 67 lowercase letters, 7 capitals without tone, and the no-break space."""
    core = [TCVN3_TABLE[b] for b in TCVN3_CORE_BYTES]
    assert sum(c.islower() for c in core) == 67
    assert sorted(c for c in core if c.isupper()) == sorted("ĂÂÊÔƠƯĐ")
    assert "\u00a0" in core and len(core) == 75


@pytest.mark.parametrize("byte", range(0x80, 0x100))
def test_each_high_byte_as_a_cell_holds_it(byte, iconv_bytes):
    """Every byte 0x80-0xFF in its Windows-1252 form, through tcvn3_to_unicode, against iconv."""
    ch = cp1252_or_latin1(byte)
    expected = iconv_bytes[byte]
    if 0x80 <= byte < 0xA0 and ch != chr(byte):
        # Windows-1252 punctuation (“ ” ’ – …): TCVN3 has nothing there, it stays punctuation...
        assert tcvn3_to_unicode(ch) == ch
        # ...but the same byte arriving as a C1 control is the VN1 capital iconv reads.
        assert tcvn3_to_unicode(chr(byte)) == expected
    elif unicodedata.combining(expected):
        assert tcvn3_to_unicode("a" + ch) == nfc("a" + expected)
        assert tcvn3_to_unicode(ch) == ch  # a tone mark on nothing is left as typed (e.g. "25°")
    else:
        assert tcvn3_to_unicode(ch) == expected


@pytest.mark.parametrize("byte", sorted(b for b in TCVN3_TABLE if b < 0x20))
def test_c0_capitals(byte, iconv_bytes):
    assert tcvn3_to_unicode(chr(byte)) == iconv_bytes[byte]


LAI_CHAU = [
    "Lò Văn Thắng",
    "Giàng A Páo",
    "Sùng Thị Mỷ",
    "Hà Nhì",
    "Khơ Mú",
    "Nậm Nhùn",
    "Sìn Hồ",
    "Mường Tè",
    "Phong Thổ",
    "Nguyễn Văn An",
    "Tam Đường",
    "Than Uyên",
    "Tân Uyên",
    "Liên đoàn Lao động huyện Tam Đường",
    "Công đoàn ngành Giáo dục",
    "Trường Phổ thông dân tộc nội trú",
    "Tẩn Láo Lở",
    "Pờ Xì Phủ",
    "Vàng Thị Sếnh",
    "Chủ tịch Công đoàn cơ sở",
    "Hoàn thành xuất sắc nhiệm vụ năm 2020",
    "Quàng Văn Quyết",
    "Lý Thị Giáy",
    "Đinh Thị Huyền Trang",
    "giữ gìn, giường, nghiêng ngả, khuya, quyết, quýt, thuở, hoạch, huỳnh, huých, kỹ, lịch",
]


@needs_iconv
@pytest.mark.parametrize("name", LAI_CHAU)
def test_whole_names_agree_with_iconv(name):
    legacy_text = unicode_to_tcvn3(name.lower())
    assert tcvn3_to_unicode(legacy_text) == nfc(iconv_tcvn(to_bytes(legacy_text))) == name.lower()


# ---------------------------------------------------------------------------
# VNI-Windows


VIETNAMESE_LETTERS = sorted(legacy._VOWELS | {"đ", "Đ"})


@pytest.mark.parametrize("letter", VIETNAMESE_LETTERS)
def test_vni_round_trips_each_letter(letter):
    vni = unicode_to_vni(letter)
    vni.encode("cp1252")  # the VNI spelling is plain Windows-1252 text
    assert len(vni) <= 2
    assert vni_to_unicode(vni) == letter


@pytest.mark.parametrize(
    "vni, uni",
    [
        # VNI-Windows spellings as published in keyboard drivers' tables
        ("Nguyeãn", "Nguyễn"),
        ("Vaên", "Văn"),
        ("Thaéng", "Thắng"),
        ("ñöôøng", "đường"),
        ("ÑÖÔØNG", "ĐƯỜNG"),
        ("Möôøng Teø", "Mường Tè"),
        ("Thò", "Thị"),
        ("Myû", "Mỷ"),
        ("Kyø", "Kỳ"),
        ("Lî", "Lỵ"),
        ("æ", "ỉ"),
        ("Ó", "Ĩ"),
        ("AÀ", "Ầ"),
        ("aÀ", "ầ"),  # a capital diacritic byte after a lowercase base still reads
        ("uõ", "ũ"),
        ("ôù", "ớ"),
    ],
)
def test_vni_known_spellings(vni, uni):
    assert vni_to_unicode(vni) == uni
    assert unicode_to_vni(uni) in (vni, vni[0] + vni[1:].lower())


# ---------------------------------------------------------------------------
# Detection: real Unicode is never touched


UNICODE_UNTOUCHED = LAI_CHAU + [
    "ĐƯỜNG",
    "ÔNG",
    "Ở",
    "Đ",
    "Ô tô",
    "LĐLĐ huyện Sìn Hồ",
    "CĐVC tỉnh",
    "H'Mông",
    "H’Mông",
    "NGUYỄN VĂN AN",
    "Müller",
    "José",
    "Zoë",
    "François",
    "São Paulo",
    "Ørsted",
    "µg",
    "5 µg/ml",
    "10 µm",
    "µ",
    "1ª",
    "Nº 5",
    "© 2020",
    "«Hà Nội»",
    "25°C",
    "3×4 m²",
    "±5%",
    "Ðoàn Văn A",  # an Icelandic eth typed for Đ: wrong, but Unicode
    "Nguyễn Văn A 😀",
    "Hoà",
    "Thuý",
    "hoá",
    "Sìn Hoà",  # VNI for "Sìn Hồ" and Unicode at once: ambiguous, left alone
    "Café Phố Núi",
    "plain ASCII, nothing to see",
    "A1",
    "B52",
    "12A2",
    "Nguye64n",  # VNI keystrokes with the driver off: not an encoding, not converted
    "",
    "   ",
]


@pytest.mark.parametrize("text", UNICODE_UNTOUCHED)
def test_unicode_is_left_alone(text):
    assert detect_and_convert(text) is None


@pytest.mark.parametrize("text", ["Nguyễn Văn An", "Sìn Hồ", "ĐƯỜNG"])
def test_decomposed_unicode_is_left_alone(text):
    assert detect_and_convert(unicodedata.normalize("NFD", text)) is None


def test_non_strings_are_left_alone():
    assert detect_and_convert(None) is None  # type: ignore[arg-type]
    assert detect_and_convert(1980) is None  # type: ignore[arg-type]


# ---------------------------------------------------------------------------
# Detection: legacy text comes back


def test_the_spec_example():
    assert detect_and_convert("NguyÔn V¨n An") == Conversion("TCVN3", "NguyÔn V¨n An", "Nguyễn Văn An")
    assert detect_and_convert("Nguyeãn Vaên An") == Conversion("VNI", "Nguyeãn Vaên An", "Nguyễn Văn An")


@pytest.mark.parametrize("name", LAI_CHAU)
def test_tcvn3_names_convert_back(name):
    legacy_text = unicode_to_tcvn3(name)
    result = detect_and_convert(legacy_text)
    assert result is not None and result.encoding == "TCVN3"
    assert result.before == legacy_text
    assert result.after == name


@pytest.mark.parametrize("name", [n for n in LAI_CHAU if n != "Sìn Hồ"])
def test_vni_names_convert_back(name):
    legacy_text = unicode_to_vni(name)
    result = detect_and_convert(legacy_text)
    assert result is not None and result.encoding == "VNI"
    assert result.after == name


def test_vni_ambiguous_alone_but_not_in_context():
    assert unicode_to_vni("Sìn Hồ") == "Sìn Hoà"
    assert detect_and_convert("Sìn Hoà") is None
    assert detect_and_convert(unicode_to_vni("Huyện Sìn Hồ")).after == "Huyện Sìn Hồ"


@pytest.mark.parametrize(
    "legacy_text, expected",
    [
        # .VnTimeH: capitals drawn from lowercase codes
        ("§¦êNG", "ĐƯỜNG"),
        ("NGUYÔN V¡N AN", "NGUYỄN VĂN AN"),
        ("S×N Hå", "SÌN HỒ"),
        ("LI£N §OµN LAO §éNG", "LIÊN ĐOÀN LAO ĐỘNG"),
        # ...while a capital initial alone says nothing about the rest of the word
        ("Lß V¨n Th¾ng", "Lò Văn Thắng"),
        ("THCS Lß V¨n Th¾ng", "THCS Lò Văn Thắng"),
        # all lowercase codes (a .VnTimeH user typing lowercase): we cannot know, lowercase it is
        ("®­êng", "đường"),
    ],
)
def test_tcvn3_capitals(legacy_text, expected):
    assert detect_and_convert(legacy_text).after == expected


@pytest.mark.parametrize(
    "legacy_text, expected",
    [
        ("“NguyÔn V¨n An”", "“Nguyễn Văn An”"),
        ("H’M«ng", "H’Mông"),
        ("NguyÔn V¨n An – Tr\u00adëng phßng", "Nguyễn Văn An – Trưởng phòng"),
        ("Tr\u00adêng THCS x· Nïng N¸ng…", "Trường THCS xã Nùng Náng…"),
        ("§inh", "Đinh"),
        ("§oµn", "Đoàn"),
        ("¡n uèng", "Ăn uống"),
        ("ë Lai Ch©u", "ở Lai Châu"),
        ("ViÖc ®¸", "Việc đá"),
        ("Hoµn thµnh xuÊt s¾c nhiÖm vô n¨m 2020", "Hoàn thành xuất sắc nhiệm vụ năm 2020"),
        ("Chñ tÞch C§CS", "Chủ tịch CĐCS"),
        # bytes cp1252 leaves undefined, kept as C1 controls (VN1 capitals)
        ("\x81nh", "Ảnh"),
        ("\x90t", "Ít"),
        ("H\x8d", "HÌ"),
        # a word already in Unicode next to TCVN3 ones is kept
        ("NguyÔn V¨n An - Hà Nội", "Nguyễn Văn An - Hà Nội"),
        ("NguyÔn Văn An", "Nguyễn Văn An"),
    ],
)
def test_tcvn3_in_context(legacy_text, expected):
    result = detect_and_convert(legacy_text)
    assert result is not None and result.encoding == "TCVN3"
    assert result.after == expected


def test_tcvn3_combining_tone_after_a_letter():
    """TCVN3's combining tone codes (VN2) attach to the letter before; after a digit they stay."""
    assert tcvn3_to_unicode("a³") == "á"
    assert tcvn3_to_unicode("25°C") == "25°C"


@pytest.mark.parametrize(
    "legacy_text, expected",
    [
        ("Huyeän Sìn Hoà", "Huyện Sìn Hồ"),
        ("Coâng ñoaøn ngaønh Giaùo duïc", "Công đoàn ngành Giáo dục"),
        ("ÑAÛNG BOÄ", "ĐẢNG BỘ"),
        ("Chuû tòch", "Chủ tịch"),
    ],
)
def test_vni_in_context(legacy_text, expected):
    result = detect_and_convert(legacy_text)
    assert result is not None and result.encoding == "VNI"
    assert result.after == expected


def test_after_is_nfc():
    result = detect_and_convert("a³ V¨n")
    assert result is not None and result.after == nfc(result.after)


# ---------------------------------------------------------------------------
# Properties


def _syllables():
    onsets = st.sampled_from(legacy._ONSETS)
    tones = st.sampled_from(("",) + legacy._TONES)

    @st.composite
    def syllable(draw):
        onset = draw(onsets)
        kind = draw(st.sampled_from(("open", "closed", "either")))
        if kind == "open":
            nucleus, coda = draw(st.sampled_from(sorted(legacy._OPEN_ONLY))), ""
        elif kind == "closed":
            nucleus, coda = draw(st.sampled_from(sorted(legacy._CLOSED_ONLY))), draw(st.sampled_from(legacy._CODAS))
        else:
            nucleus = draw(st.sampled_from(sorted(legacy._EITHER)))
            coda = draw(st.sampled_from(legacy._CODAS + ("",)))
        tone = draw(tones)
        if coda in legacy._STOPS and tone in (legacy._GRAVE, legacy._HOOK, legacy._TILDE):
            tone = draw(st.sampled_from(("", legacy._ACUTE, legacy._DOT)))
        where = draw(st.integers(0, len(nucleus) - 1))
        word = nfc(onset + nucleus[: where + 1] + tone + nucleus[where + 1 :] + coda)
        case = draw(st.sampled_from(("lower", "title", "upper")))
        return {"lower": word, "title": word[:1].upper() + word[1:], "upper": word.upper()}[case]

    # The spelling rules (onset before vowel, "anh" not "ang"...) are the validator's own.
    return syllable().filter(legacy._is_syllable)


vietnamese_texts = st.lists(_syllables(), min_size=1, max_size=6).map(" ".join)
CASELESS_CAPITALS = {c.upper() for c in legacy._TCVN3_CASELESS}


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(vietnamese_texts)
def test_property_unicode_is_left_alone(text):
    assert detect_and_convert(text) is None


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(vietnamese_texts)
def test_property_tcvn3_comes_back(text):
    legacy_text = unicode_to_tcvn3(text)
    # When every legacy word also reads as good Vietnamese (e.g. "cã" for "có"), nobody can
    # tell; the property is about text that does not. A lone character ("û") says nothing.
    assume(any(len(w) > 1 and legacy._judge(w, legacy._TCVN3_ALPHABET) is False
               and legacy._TCVN3_ALPHABET.intersection(w) for w in legacy_text.split()))
    result = detect_and_convert(legacy_text)
    assert result is not None
    if result.encoding != "TCVN3":
        return assert_equally_good(result)
    # Capital toned vowels have no TCVN3 code: only the letters are certain, not their case...
    assert result.after.casefold() == text.casefold()
    # ...and where the original had none, the text comes back exactly.
    if not CASELESS_CAPITALS.intersection(text):
        assert result.after == text


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(vietnamese_texts)
def test_property_vni_comes_back(text):
    legacy_text = unicode_to_vni(text)
    assume(any(len(w) > 1 and legacy._judge(w, legacy._VNI_ALPHABET) is False
               and legacy._VNI_ALPHABET.intersection(w) for w in legacy_text.split()))
    result = detect_and_convert(legacy_text)
    assert result is not None
    if result.encoding != "VNI":
        # e.g. VNI "ngöa" ("ngưa") is also TCVN3 "ngửa": a tie goes to TCVN3, the north's font
        return assert_equally_good(result)
    assert result.after == text


def assert_equally_good(result: Conversion) -> None:
    """The other encoding won: only acceptable when its reading is good Vietnamese throughout."""
    assert all(legacy._judge(w) is not False for w in result.after.split())


@settings(max_examples=300)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=40))
def test_property_never_crashes_and_converts_to_nfc(text):
    result = detect_and_convert(text)
    if result is not None:
        assert result.before == text
        assert result.after == nfc(result.after)
        assert result.encoding in ("TCVN3", "VNI")


def test_the_legacy_check_of_a_text_seen_before_is_not_redone():
    from thidua_batch.intake import legacy

    text = unicode_to_tcvn3("Nguyễn Văn Thắng, xã Bản Giang")
    first = legacy.detect_and_convert(text)
    before = legacy._converted.cache_info().hits
    assert legacy.detect_and_convert(text) is first and legacy._converted.cache_info().hits == before + 1
