"""The product's own docs cannot drift from the code (style.md: docs that cannot drift)."""
from __future__ import annotations

import re
from pathlib import Path

from thidua_batch.config import schema
from thidua_batch.config.campaign import _OPTIONAL, _SCHEMA
from thidua_batch.model.findings import CODES

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"


def test_every_finding_code_is_documented_once_and_no_other():
    text = (DOCS / "report.md").read_text("utf-8")
    documented = re.findall(r"^\|\s*`([a-z-]+)`\s*\|", text, re.M)
    assert sorted(documented) == sorted(CODES)
    assert len(documented) == len(set(documented))


def test_every_label_of_the_workbook_is_documented():
    text = (DOCS / "workbook.md").read_text("utf-8")
    for field in (*schema.UNIT_FIELDS, *schema.COLLECTIVE_FIELDS, *schema.INDIVIDUAL_FIELDS):
        assert field.label in text, field.label
    for sheet in (schema.SHEET_GUIDE, schema.SHEET_UNIT, schema.SHEET_COLLECTIVES, schema.SHEET_INDIVIDUALS):
        assert sheet in text


def test_every_campaign_key_is_documented():
    text = (DOCS / "campaign.md").read_text("utf-8")
    keys = {key for table in _SCHEMA.values() for key in table} | {key for _, key in _OPTIONAL}
    missing = sorted(k for k in keys if f"`{k}`" not in text)
    assert missing == []


def test_links_in_readme_and_docs_resolve_inside_the_repository():
    for page in [ROOT / "README.md", *DOCS.glob("*.md")]:
        text = page.read_text("utf-8")
        assert "../shared" not in text, page
        for target in re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", text):
            if target.startswith(("http://", "https://", "mailto:")):
                continue
            assert (page.parent / target).exists(), f"{page.name} links to missing {target}"
