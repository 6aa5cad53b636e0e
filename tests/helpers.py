"""Small helpers shared by the reader, rules and run tests."""
from __future__ import annotations

import datetime as dt
import os
import subprocess
from pathlib import Path

import pytest

from thidua_batch.batch import check_source
from thidua_batch.intake.word_lists import find_soffice
from thidua_batch.model.findings import flatten
from thidua_batch.intake.inbox import Source
from thidua_batch.model.results import FileResult

# LibreOffice as the tool finds it: on PATH, else under Program Files (64- and 32-bit) on Windows.
SOFFICE = find_soffice()
needs_soffice = pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) not installed")

ON_TIME = dt.datetime(2020, 12, 15, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=7)))


def check(path: Path, campaign, received_at: dt.datetime = ON_TIME) -> FileResult:
    """Read and check one workbook as the batch does."""
    return check_source(Source(path.name, path.read_bytes(), received_at), campaign)


def flat(result: FileResult, *, skip: tuple[str, ...] = ()) -> list[tuple[str, str | None, str | None]]:
    return [row for row in flatten(result.findings) if row[0] not in skip]


def set_received(path: Path, moment: dt.datetime) -> None:
    stamp = moment.timestamp()
    os.utime(path, (stamp, stamp))


def soffice_convert(path: Path, fmt: str, out_dir: Path) -> Path:
    """Have LibreOffice save PATH in another format (fmt like "xls", "ods", 'pdf')."""
    if SOFFICE is None:
        pytest.skip("LibreOffice (soffice) not installed")
    out_dir.mkdir(parents=True, exist_ok=True)
    profile = (out_dir / ".lo-profile").resolve()
    subprocess.run([SOFFICE, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", fmt,
                    "--outdir", str(out_dir), str(path)], check=True, capture_output=True, timeout=180)
    target = out_dir / (path.stem + "." + fmt.split(":")[0])
    assert target.exists(), f"LibreOffice did not write {target}"
    return target
