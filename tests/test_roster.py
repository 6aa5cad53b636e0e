"""Unit names as units type them (domain.md, "The default roster"): resolved, or never guessed."""
from __future__ import annotations

import unicodedata

import pytest

from thidua_batch.config.roster import Roster, Unit, core_name


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def _ids(units) -> list[str]:
    return [u.id for u in units]


# --- Tam Đường in every form domain.md lists ------------------------------------------

TAM_DUONG_FORMS = [
    "Liên đoàn Lao động huyện Tam Đường",
    "LĐLĐ huyện Tam Đường",
    "LĐLĐ H. Tam Đường",
    "LDLD huyen Tam Duong",
    "Tam Đường",
]
VARIANTS = {
    "as-typed": lambda s: s,
    "upper": str.upper,
    "lower": str.lower,
    "title": str.title,
    "spaced": lambda s: "  " + "   ".join(s.split(" ")) + "\t ",
    "nfd": nfd,
    "nfd-upper": lambda s: nfd(s.upper()),
    "nfd-spaced": lambda s: nfd("  " + "  ".join(s.split(" ")) + " "),
    "nbsp": lambda s: s.replace(" ", "\u00a0"),
}


@pytest.mark.parametrize("variant", sorted(VARIANTS))
@pytest.mark.parametrize("form", TAM_DUONG_FORMS)
def test_tam_duong_forms_resolve(campaign, form, variant):
    typed = VARIANTS[variant](form)
    match = campaign.roster.match(typed)
    assert match.unit is not None, typed
    assert match.unit.id == "tam-duong"
    assert match.candidates == ()
    assert match.ambiguous is False


def test_nfd_variants_really_differ_from_nfc():
    """Guard: the NFD cases above are not NFC in disguise."""
    for form in TAM_DUONG_FORMS:
        if form.isascii():
            continue
        assert nfd(form) != form


@pytest.mark.parametrize("typed", [
    "Tam-Đường", "LĐLĐ huyện Tam Đường, tỉnh Lai Châu", "Liên đoàn Lao động huyện Tam Đường tỉnh Lai Châu",
    "Huyện Tam Đường", "LĐLĐ  H.Tam Đường",
])
def test_tam_duong_with_punctuation_and_province(campaign, typed):
    assert campaign.roster.match(typed).unit.id == "tam-duong"


# --- every unit, by its full name and common abbreviations -----------------------------

ALL_IDS = ["tp-lai-chau", "tam-duong", "phong-tho", "sin-ho", "muong-te", "than-uyen", "tan-uyen",
           "nam-nhun", "cdn-giao-duc", "cdn-y-te", "cdvc-tinh"]


@pytest.mark.parametrize("unit_id", ALL_IDS)
def test_each_unit_by_its_full_name(campaign, unit_id):
    unit = campaign.roster.get(unit_id)
    assert campaign.roster.match(unit.name).unit.id == unit_id
    assert campaign.roster.match(nfd(unit.name)).unit.id == unit_id
    assert campaign.roster.match(unit.name.upper()).unit.id == unit_id


def test_roster_order_matches_ids(campaign):
    assert _ids(campaign.roster) == ALL_IDS


@pytest.mark.parametrize("typed, unit_id", [
    ("CĐN Y tế", "cdn-y-te"),
    ("Công đoàn ngành Y tế tỉnh Lai Châu", "cdn-y-te"),
    ("CĐ ngành Giáo dục", "cdn-giao-duc"),
    ("Công đoàn ngành Giáo dục tỉnh Lai Châu", "cdn-giao-duc"),
    ("CĐN Giáo dục", "cdn-giao-duc"),
    ("CĐVC tỉnh", "cdvc-tinh"),
    ("CĐVC tỉnh Lai Châu", "cdvc-tinh"),
    ("Công đoàn Viên chức", "cdvc-tinh"),
    ("Công đoàn Viên chức tỉnh Lai Châu", "cdvc-tinh"),
    ("TP. Lai Châu", "tp-lai-chau"),
    ("Thành phố Lai Châu", "tp-lai-chau"),
    ("LĐLĐ TP Lai Châu", "tp-lai-chau"),
    ("LĐLĐ TP. Lai Châu", "tp-lai-chau"),
    ("LDLD thanh pho Lai Chau", "tp-lai-chau"),
    ("LĐLĐ huyện Phong Thổ", "phong-tho"),
    ("Sìn Hồ", "sin-ho"),
    ("LDLD H. Muong Te", "muong-te"),
    ("Nậm Nhùn", "nam-nhun"),
])
def test_abbreviations(campaign, typed, unit_id):
    for form in (typed, nfd(typed), typed.lower()):
        match = campaign.roster.match(form)
        assert match.unit is not None, form
        assert match.unit.id == unit_id


# --- Than Uyên and Tân Uyên -----------------------------------------------------------

@pytest.mark.parametrize("typed, unit_id", [
    ("Than Uyên", "than-uyen"),
    ("Than Uyen", "than-uyen"),
    ("THAN UYÊN", "than-uyen"),
    ("LĐLĐ huyện Than Uyên", "than-uyen"),
    ("LDLD huyen Than Uyen", "than-uyen"),
    ("Liên đoàn Lao động huyện Than Uyên", "than-uyen"),
    ("Tân Uyên", "tan-uyen"),
    ("Tan Uyen", "tan-uyen"),
    ("TÂN UYÊN", "tan-uyen"),
    ("LĐLĐ huyện Tân Uyên", "tan-uyen"),
    ("LDLD huyen Tan Uyen", "tan-uyen"),
    ("Liên đoàn Lao động huyện Tân Uyên", "tan-uyen"),
])
def test_than_uyen_and_tan_uyen_never_confused(campaign, typed, unit_id):
    for form in (typed, nfd(typed)):
        match = campaign.roster.match(form)
        assert match.unit is not None and match.unit.id == unit_id, form


def test_than_uyen_and_tan_uyen_have_distinct_cores():
    assert core_name("Liên đoàn Lao động huyện Than Uyên") == "than uyen"
    assert core_name("Liên đoàn Lao động huyện Tân Uyên") == "tan uyen"


@pytest.mark.parametrize("typed, first", [
    ("Thann Uyên", "than-uyen"),
    ("Tan Uyenn", "tan-uyen"),
])
def test_uyen_typos_offer_the_closer_unit_first(campaign, typed, first):
    match = campaign.roster.match(typed)
    assert match.unit is None
    assert match.candidates[0].id == first
    assert {"than-uyen", "tan-uyen"} <= set(_ids(match.candidates))


# --- names that resolve to no unit ---------------------------------------------------

def test_unknown_name_offers_closest_candidates(campaign):
    match = campaign.roster.match("Tam Duongg")
    assert match.unit is None
    assert match.ambiguous is False
    assert _ids(match.candidates) == ["tam-duong", "muong-te", "tan-uyen"]


@pytest.mark.parametrize("typed, first", [
    ("Phong Thoo", "phong-tho"),
    ("LĐLĐ huyện Sìn Hô Hồ", "sin-ho"),
    ("Công đoàn ngành Y tếe", "cdn-y-te"),
])
def test_misspelt_names_offer_the_intended_unit_first(campaign, typed, first):
    match = campaign.roster.match(typed)
    assert match.unit is None
    assert match.candidates[0].id == first
    assert len(match.candidates) <= 3


@pytest.mark.parametrize("typed", [
    "LĐLĐ tỉnh Lai Châu",
    "Liên đoàn Lao động tỉnh Lai Châu",
    "LDLD tinh Lai Chau",
    "LIÊN ĐOÀN LAO ĐỘNG TỈNH LAI CHÂU",
])
def test_the_federation_itself_is_not_a_unit(campaign, typed):
    for form in (typed, nfd(typed)):
        match = campaign.roster.match(form)
        assert match.unit is None, form
        assert match.ambiguous is False


@pytest.mark.parametrize("typed", ["", "   ", "LĐLĐ", "Liên đoàn Lao động", "..."])
def test_empty_or_generic_names_resolve_to_nothing(campaign, typed):
    match = campaign.roster.match(typed)
    assert match.unit is None
    assert match.candidates == ()


def test_unrelated_name_has_no_candidates(campaign):
    match = campaign.roster.match("Xyz")
    assert (match.unit, match.candidates, match.ambiguous) == (None, (), False)


# --- a roster where two units share a core: never guessed -------------------------------

def _ambiguous_roster() -> Roster:
    return Roster((
        Unit("cdn-giao-duc", "Công đoàn ngành Giáo dục", "công đoàn ngành", 1, 4),
        Unit("tam-duong", "Liên đoàn Lao động huyện Tam Đường", "LĐLĐ huyện, thành phố", 1, 4),
        Unit("cdcs-giao-duc", "Công đoàn Giáo dục", "công đoàn cơ sở trực thuộc", 1, 2),
    ))


@pytest.mark.parametrize("typed", ["Giáo dục", "CĐ Giáo dục", "Công đoàn ngành Giáo dục", "CDN giao duc"])
def test_shared_core_is_ambiguous(typed):
    match = _ambiguous_roster().match(typed)
    assert match.unit is None
    assert match.ambiguous is True
    assert _ids(match.candidates) == ["cdn-giao-duc", "cdcs-giao-duc"]


def test_shared_core_does_not_disturb_other_units():
    match = _ambiguous_roster().match("Tam Đường")
    assert (match.unit.id, match.ambiguous) == ("tam-duong", False)


def test_alias_resolves_and_duplicate_alias_is_ignored():
    roster = Roster((
        Unit("cdvc-tinh", "Công đoàn Viên chức tỉnh", "CĐVC", 1, 8,
             aliases=("Công đoàn Viên chức", "CĐVC tỉnh Lai Châu")),
    ))
    for typed in ("Công đoàn Viên chức", "CĐVC", "cong doan vien chuc tinh"):
        match = roster.match(typed)
        assert match.unit is not None and match.unit.id == "cdvc-tinh", typed
        assert match.ambiguous is False


# --- core names -------------------------------------------------------------------------

@pytest.mark.parametrize("typed, core", [
    ("Liên đoàn Lao động huyện Tam Đường", "tam duong"),
    ("LĐLĐ H. Tam Đường", "tam duong"),
    ("LĐLĐ TP. Lai Châu", "lai chau"),
    ("Công đoàn ngành Y tế tỉnh Lai Châu", "y te"),
    ("CĐVC tỉnh", "vien chuc tinh"),
    ("LĐLĐ tỉnh Lai Châu", "tinh lai chau"),
    ("Liên đoàn Lao động", "lien doan lao dong"),
])
def test_core_name(typed, core):
    assert core_name(typed) == core
    assert core_name(nfd(typed)) == core


def test_grassroots_unions_abbreviated_cdcs():
    from thidua_batch.config.roster import Roster, Unit
    roster = Roster((Unit("cdcs-1", "Công đoàn cơ sở Trường Tiểu học số 1", "công đoàn cơ sở", 1, 4),
                     Unit("cdcs-2", "Công đoàn cơ sở Trường Tiểu học số 2", "công đoàn cơ sở", 1, 4)))
    assert roster.match("CĐCS Trường Tiểu học số 2").unit.id == "cdcs-2"
    assert roster.match("cdcs truong tieu hoc so 1").unit.id == "cdcs-1"
    assert roster.match("Trường Tiểu học số 3").unit is None
