"""The benchmark's inbox generator stays working: real per-unit templates, planted mistakes."""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))

from make_inbox import make  # noqa: E402

from thidua_batch.batch import run_batch  # noqa: E402
from thidua_batch.config.campaign import load_campaign  # noqa: E402


def test_generated_inbox_reads_with_only_the_planted_mistakes(tmp_path):
    work = make(10, tmp_path / "n10")
    campaign = load_campaign(work / "campaign.toml")
    assert len(campaign.roster) == 10 and campaign.roster.get("cdcs-0010").individuals == 6
    result = run_batch(work / "inbox", campaign)
    assert [f.status for f in result.files] == ["accepted"] * 10
    errors = {(f.code, f.unit) for f in result.findings if f.is_error}
    # one unit in five makes a mistake: unit 5 types Giới tính "X", unit 10 leaves a Chức vụ empty
    assert errors == {("invalid-value", "cdcs-0005"), ("required-missing", "cdcs-0010")}
    assert [f.code for f in result.findings if not f.is_error] == []


def test_generated_names_do_not_repeat_within_ten_thousand_units():
    from make_inbox import given_names

    people = range(10, 10_001 * 10 + 10)   # person = unit * 10 + k, as the generator numbers them
    assert len({given_names(p) for p in people}) == len(people)
