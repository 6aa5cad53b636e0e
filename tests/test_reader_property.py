"""Property: whatever a unit types in any cell, the reader never crashes, and each value is
either accepted (a parsed value) or reported at its cell; nothing is silently dropped."""
from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

from filler import filled
from helpers import check
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from thidua_batch.config import schema
from thidua_batch.config.campaign import load_campaign

CAMPAIGN = load_campaign()
FIELDS = schema.INDIVIDUAL_FIELDS
UNIT_FIELDS = [f for f in schema.UNIT_FIELDS if f.key != "unit"]

texts = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40).filter(
    lambda s: not ILLEGAL_CHARACTERS_RE.search(s))
values = st.one_of(
    st.none(), texts, st.sampled_from(["Nam", "nữ", "1980", "85%", "15/12/2020", "Có", "khong", "=1+1", "-", "@x",
                                      " ", "0,85", "31/02/2020", "#N/A"]),
    st.integers(min_value=-10**9, max_value=10**9),
    st.floats(allow_nan=False, allow_infinity=False, min_value=-1e12, max_value=1e12),
    st.booleans(),
    st.dates(min_value=dt.date(1900, 3, 1), max_value=dt.date(2200, 1, 1)),
    st.datetimes(min_value=dt.datetime(1900, 3, 1), max_value=dt.datetime(2200, 1, 1)),
)


def _accounted(result, sheet: str, field, cell) -> bool:
    places = {(f.code, f.sheet, f.cell) for f in result.findings}
    if cell.formula_without_value:
        return ("formula-no-value", sheet, cell.ref) in places
    if cell.problem:
        return ("invalid-value", sheet, cell.ref) in places
    if cell.raw is None:
        return not field.required or ("required-missing", sheet, cell.ref) in places
    return cell.value is not None


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(row=st.fixed_dictionaries({f.label: values for f in FIELDS if f.key != "stt"}),
       unit_value=values, unit_field=st.sampled_from(UNIT_FIELDS))
def test_any_cell_value_is_accepted_or_reported(row, unit_value, unit_field):
    with tempfile.TemporaryDirectory() as tmp:
        filler = filled(Path(tmp), CAMPAIGN, "tam-duong", individuals=0)
        at_row = filler.add_row(schema.SHEET_INDIVIDUALS, row)
        filler.set_field(unit_field.label, unit_value)
        result = check(filler.save(Path(tmp) / "p.xlsx"), CAMPAIGN)
    assert result.status == "accepted"
    assert all(f.message for f in result.findings)
    unit_cell = result.fields[unit_field.key]
    assert _accounted(result, schema.SHEET_UNIT, unit_field, unit_cell), (unit_field.label, unit_cell)
    people = [n for n in result.individuals if n.row == at_row]
    required_typed = [f for f in FIELDS if f.required and row.get(f.label) not in (None, "") and
                      not (isinstance(row[f.label], str) and not row[f.label].strip())]
    if not required_typed:
        return   # no required cell filled: not a nomination, by the reading rules
    assert len(people) == 1, "a row with a required cell filled must be read as a nomination"
    for field in FIELDS:
        cell = people[0].cells[field.key]
        assert _accounted(result, schema.SHEET_INDIVIDUALS, field, cell), (field.label, cell)
