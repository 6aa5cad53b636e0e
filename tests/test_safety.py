"""Checks on a file's bytes before any parser sees it (thidua_batch.intake.safety)."""
from __future__ import annotations

import io
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
import tracemalloc
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hostile import (
    EXPECTED_REASON,
    HOSTILE_KINDS,
    SUFFIX,
    base_xlsx,
    encrypted_ooxml,
    hostile_bytes,
    make_cfb,
    make_hostile,
    million_rows_xlsx,
    rezip,
)
from thidua_batch.intake.safety import Limits, Rejection, inspect_workbook_bytes, sniff_format
from thidua_batch.intake.word_lists import find_soffice

REASONS = {"empty", "not-a-workbook", "encrypted", "truncated", "zip-bomb", "dtd", "too-large", "corrupt"}
HAS_SOFFICE = find_soffice() is not None


def inspect_file(path: Path, limits: Limits = Limits()) -> Rejection | None:
    return inspect_workbook_bytes(path.read_bytes(), path.suffix, limits)


# ---------------------------------------------------------------------------
# Every hostile kind is rejected for its reason


@pytest.mark.parametrize("kind", HOSTILE_KINDS)
def test_hostile_kind_is_rejected_for_its_reason(kind, tmp_path):
    path = make_hostile(kind, tmp_path)
    assert path.suffix == SUFFIX[kind]
    rejection = inspect_file(path)
    assert rejection is not None, f"{kind} was let through"
    assert rejection.reason == EXPECTED_REASON[kind], rejection.message
    assert rejection.reason in REASONS


@pytest.mark.parametrize("kind", HOSTILE_KINDS)
def test_message_is_vietnamese_and_says_what_to_do(kind):
    rejection = inspect_workbook_bytes(hostile_bytes(kind), SUFFIX[kind])
    assert "đề nghị đơn vị" in rejection.message
    assert rejection.message.endswith(".")
    assert not rejection.message.isascii()


def test_encrypted_message_is_the_agreed_one():
    rejection = inspect_workbook_bytes(encrypted_ooxml(), ".xlsx")
    assert rejection == Rejection("encrypted", "Tệp được đặt mật khẩu: đề nghị đơn vị gỡ mật khẩu và gửi lại.")


def test_too_large_sheet_message_gives_the_size():
    rejection = inspect_workbook_bytes(hostile_bytes("million-rows-xlsx"), ".xlsx")
    assert rejection.reason == "too-large"
    assert "MB khi giải nén" in rejection.message and "150,0 MB" in rejection.message


# ---------------------------------------------------------------------------
# Bounded time and memory, nothing written

# Generous for slow CI machines; the point is "does not inflate", which would take far longer.
TIME_LIMIT_S = 2.0
MEMORY_LIMIT = 16 * 1024 * 1024


@pytest.mark.parametrize("kind", HOSTILE_KINDS)
def test_each_check_runs_in_bounded_time_and_memory(kind):
    data = hostile_bytes(kind)
    tracemalloc.start()
    started = time.perf_counter()
    try:
        inspect_workbook_bytes(data, SUFFIX[kind])
        elapsed = time.perf_counter() - started
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert elapsed < TIME_LIMIT_S, f"{kind}: {elapsed:.2f}s"
    assert peak < MEMORY_LIMIT, f"{kind}: {peak / 2**20:.1f} MiB"


def test_bombs_are_rejected_from_the_directory_without_inflating(monkeypatch):
    import thidua_batch.intake.safety.xmlscan as xmlscan
    import thidua_batch.intake.safety.zipped as zipped

    def no_inflating(*_args, **_kwargs):
        raise AssertionError("inflated a member of a zip bomb")

    monkeypatch.setattr(zipped, "inflate", no_inflating)
    monkeypatch.setattr(xmlscan, "inflate", no_inflating)
    for kind in ("ratio-bomb-xlsx", "declared-size-bomb-xlsx", "many-members-xlsx",
                 "overlapping-members-xlsx", "million-rows-xlsx"):
        assert inspect_workbook_bytes(hostile_bytes(kind), ".xlsx").reason == EXPECTED_REASON[kind]


def test_a_big_legal_sheet_is_inflated_in_small_steps():
    data = million_rows_xlsx(rows=60_000)  # about 11 MB of XML: under every limit
    tracemalloc.start()
    try:
        assert inspect_workbook_bytes(data, ".xlsx") is None
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 8 * 1024 * 1024, f"{peak / 2**20:.1f} MiB: the sheet was held in memory"


def test_nothing_is_written(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for kind in HOSTILE_KINDS:
        if kind not in ("million-rows-xlsx", "oversized-file-xlsx"):
            inspect_workbook_bytes(hostile_bytes(kind), SUFFIX[kind])
    inspect_workbook_bytes(base_xlsx(), ".xlsx")
    assert list(tmp_path.iterdir()) == []


# ---------------------------------------------------------------------------
# Real workbooks pass


def test_openpyxl_workbook_passes():
    assert inspect_workbook_bytes(base_xlsx(), ".xlsx") is None
    assert inspect_workbook_bytes(base_xlsx(), ".xlsm") is None


@pytest.mark.parametrize("suffix", ["xlsx", ".XLSX", "Xlsx"])
def test_suffix_is_normalised(suffix):
    assert inspect_workbook_bytes(base_xlsx(), suffix) is None


def test_the_projects_template_passes(tmp_path, campaign):
    from thidua_batch.config.unit_template import write_template

    path = write_template(campaign, tmp_path / "mau_de_nghi_khen_thuong.xlsx")
    assert inspect_file(path) is None


@pytest.fixture(scope="module")
def libreoffice_files(tmp_path_factory) -> dict[str, Path]:
    if not HAS_SOFFICE:
        pytest.skip("LibreOffice (soffice) not installed")
    from helpers import soffice_convert

    folder = tmp_path_factory.mktemp("lo")
    source = folder / "don_vi.xlsx"
    source.write_bytes(base_xlsx())
    return {fmt: soffice_convert(source, fmt, folder / fmt) for fmt in ("xls", "ods", "xlsx")}


@pytest.mark.parametrize("fmt", ["xls", "ods", "xlsx"])
def test_libreoffice_saved_workbooks_pass(libreoffice_files, fmt):
    path = libreoffice_files[fmt]
    assert sniff_format(path.read_bytes()) == ("cfb" if fmt == "xls" else "zip")
    assert inspect_file(path) is None


def test_libreoffice_xls_cut_in_half_is_truncated(libreoffice_files):
    data = libreoffice_files["xls"].read_bytes()
    assert inspect_workbook_bytes(data[: len(data) // 2], ".xls").reason == "truncated"


def test_libreoffice_xls_renamed_xlsx_is_named_for_what_it_is(libreoffice_files):
    rejection = inspect_workbook_bytes(libreoffice_files["xls"].read_bytes(), ".xlsx")
    assert rejection.reason == "not-a-workbook" and "97-2003" in rejection.message


# LibreOffice saves password-protected .xls and .ods through its UNO API (there is no
# command-line option for it), with the system Python that carries the `uno` module.
UNO_SCRIPT = textwrap.dedent(
    """
    import os, signal, subprocess, sys, time
    import uno
    from com.sun.star.beans import PropertyValue

    def prop(name, value):
        p = PropertyValue(); p.Name = name; p.Value = value; return p

    source, out_dir, profile = sys.argv[1:4]
    port = 20000 + os.getpid() % 20000
    office = subprocess.Popen(
        ["soffice", "--headless", "--invisible", "--norestore", "-env:UserInstallation=" + profile,
         "--accept=socket,host=127.0.0.1,port=%d;urp;" % port],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    print(office.pid, flush=True)
    try:
        local = uno.getComponentContext()
        resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
        for _ in range(150):
            try:
                ctx = resolver.resolve("uno:socket,host=127.0.0.1,port=%d;urp;StarOffice.ComponentContext" % port)
                break
            except Exception:
                time.sleep(0.2)
        desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
        doc = desktop.loadComponentFromURL(uno.systemPathToFileUrl(source), "_blank", 0, (prop("Hidden", True),))
        for name, flt in (("encrypted.xls", "MS Excel 97"), ("encrypted.ods", "calc8")):
            url = uno.systemPathToFileUrl(os.path.join(out_dir, name))
            doc.storeToURL(url, (prop("FilterName", flt), prop("Password", "matkhau")))
        doc.close(True)
    finally:
        os.killpg(office.pid, signal.SIGKILL)
        office.wait()
    """
)


def _system_python_with_uno() -> str | None:
    for python in ("/usr/bin/python3", shutil.which("python3")):
        if python and python != sys.executable and os.path.exists(python):
            probe = subprocess.run([python, "-c", "import uno"], capture_output=True)
            if probe.returncode == 0:
                return python
    return None


@pytest.mark.skipif(not HAS_SOFFICE, reason="LibreOffice (soffice) not installed")
def test_libreoffice_password_protected_files_are_encrypted(tmp_path):
    python = _system_python_with_uno()
    if python is None:
        pytest.skip("no Python with LibreOffice's uno module")
    source = tmp_path / "don_vi.xlsx"
    source.write_bytes(base_xlsx())
    script = tmp_path / "encrypt.py"
    script.write_text(UNO_SCRIPT)
    run = subprocess.Popen([python, str(script), str(source), str(tmp_path), (tmp_path / "profile").resolve().as_uri()],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        out, err = run.communicate(timeout=120)
    except subprocess.TimeoutExpired:
        run.kill()
        out, err = run.communicate()
        office = out.split()[0] if out.split() else None
        if office:
            os.killpg(int(office), signal.SIGKILL)
        pytest.skip("LibreOffice did not answer in time")
    if run.returncode != 0:
        pytest.skip(f"LibreOffice could not save with a password: {err[-300:]}")
    for name in ("encrypted.xls", "encrypted.ods"):
        rejection = inspect_file(tmp_path / name)
        assert rejection is not None and rejection.reason == "encrypted", name


# ---------------------------------------------------------------------------
# Details


def test_sniff_format():
    assert sniff_format(base_xlsx()) == "zip"
    assert sniff_format(encrypted_ooxml()) == "cfb"
    assert sniff_format(b"%PDF-1.4") is None
    assert sniff_format(b"") is None


def test_limits_are_settings():
    data = base_xlsx()
    assert inspect_workbook_bytes(data, ".xlsx", Limits(max_file_bytes=1000)).reason == "too-large"
    assert inspect_workbook_bytes(data, ".xlsx", Limits(max_members=3)).reason == "zip-bomb"
    assert inspect_workbook_bytes(data, ".xlsx", Limits(max_uncompressed_bytes=1000)).reason == "zip-bomb"
    assert inspect_workbook_bytes(data, ".xlsx", Limits(max_sheet_xml_bytes=100)).reason == "too-large"
    bomb = hostile_bytes("ratio-bomb-xlsx")
    assert inspect_workbook_bytes(bomb, ".xlsx", Limits(max_ratio=10_000)) is None


def test_a_big_stored_member_within_ratio_passes():
    data = rezip(base_xlsx(), add={"xl/media/image1.png": os.urandom(2 * 1024 * 1024)})
    assert inspect_workbook_bytes(data, ".xlsx") is None


def test_doctype_split_across_inflate_chunks_is_found():
    import thidua_batch.intake.safety.zipped as safety

    filler = b"<!-- " + os.urandom(safety.CHUNK // 2).hex().encode()[:-9] + b" -->"  # does not compress
    sheet = b'<?xml version="1.0"?>' + filler + b'<!DOCTYPE x [<!ENTITY a "b">]><worksheet/>'
    data = rezip(base_xlsx(), replace={"xl/worksheets/sheet1.xml": sheet})
    assert inspect_workbook_bytes(data, ".xlsx").reason == "dtd"


def test_xls_with_workbook_stream_in_regular_sectors():
    from hostile import _biff_globals

    assert inspect_workbook_bytes(make_cfb({"Workbook": _biff_globals(False)}), ".xls") is None
    assert inspect_workbook_bytes(make_cfb({"Workbook": _biff_globals(True)}), ".xls").reason == "encrypted"


def test_outlook_message_named_xls():
    data = make_cfb({"__substg1.0_0037001F": "Đề nghị khen thưởng".encode("utf-16-le")})
    rejection = inspect_workbook_bytes(data, ".xls")
    assert rejection.reason == "not-a-workbook" and "Outlook" in rejection.message


# ---------------------------------------------------------------------------
# Fuzzing: whatever the bytes, an answer and never an exception

_SEEDS = {
    ".xlsx": base_xlsx(),
    ".xls": make_cfb({"Workbook": b"\x09\x08\x10\x00" + bytes(16) + b"\x0a\x00\x00\x00"}),
    ".ods": hostile_bytes("dtd-ods"),
}


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    suffix=st.sampled_from(sorted(_SEEDS)),
    flips=st.lists(st.tuples(st.floats(0, 1, exclude_max=True), st.integers(0, 255)), max_size=8),
    cut=st.one_of(st.none(), st.floats(0, 1)),
)
def test_property_mutated_files_never_crash(suffix, flips, cut):
    data = bytearray(_SEEDS[suffix])
    for where, value in flips:
        data[int(where * len(data))] = value
    if cut is not None:
        data = data[: int(cut * len(data))]
    started = time.perf_counter()
    result = inspect_workbook_bytes(bytes(data), suffix)
    assert time.perf_counter() - started < TIME_LIMIT_S
    assert result is None or result.reason in REASONS


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=2048), st.sampled_from([".xlsx", ".xls", ".ods", ".xlsm", ""]))
def test_property_random_bytes_never_crash(data, suffix):
    for prefix in (b"", b"PK\x03\x04", bytes.fromhex("D0CF11E0A1B11AE1")):
        result = inspect_workbook_bytes(prefix + data, suffix)
        assert result is None or result.reason in REASONS


def test_zip_reading_goes_through_zipfile_only_for_the_directory():
    """The reader may open the same bytes afterwards: inspection leaves them unchanged."""
    data = base_xlsx()
    before = bytes(data)
    inspect_workbook_bytes(data, ".xlsx")
    assert data == before
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        assert zf.testzip() is None
