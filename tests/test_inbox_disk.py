"""The inbox as the file system really is (reliability.md, "No file can stop the batch"): files
that vanish, cannot be read, are not regular files, loop, or lie past the path-length limit, and
folders that cannot be listed are each listed with a reason; never a trace, never a hang. And
`check` and `run` judge every file alike."""
from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
import threading
from pathlib import Path

import pytest
from filler import filled

from thidua_batch.batch import check_paths, read_items, run_batch
from thidua_batch.intake.inbox import Skipped, Source, entry, scan

POSIX_ONLY = pytest.mark.skipif(os.name == "nt", reason="FIFOs, devices and symlinks as POSIX has them")


def _finish(call, seconds: float = 120):
    """Run CALL in a thread: a hang fails the test instead of stopping the suite."""
    out: dict = {}
    thread = threading.Thread(target=lambda: out.setdefault("value", call()), daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), "the batch hung"
    return out["value"]


def _by_path(result):
    return {f.path: f for f in result.files}


@POSIX_ONLY
def test_fifos_devices_and_links_are_listed_never_read(tmp_path, campaign):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    filled(tmp_path / "w", campaign, "tam-duong").save(inbox / "tam-duong.xlsx")
    os.mkfifo(inbox / "sin-ho.xlsx")                          # reading it would wait forever
    (inbox / "phong-tho.xlsx").symlink_to("/dev/zero")        # reading it would never end
    (inbox / "vong-a.xlsx").symlink_to(inbox / "vong-b.xlsx")
    (inbox / "vong-b.xlsx").symlink_to(inbox / "vong-a.xlsx")
    (inbox / "mat.xlsx").symlink_to(inbox / "khong-co.xlsx")
    (inbox / "thu-muc-khac").symlink_to(tmp_path / "w", target_is_directory=True)
    files = _by_path(_finish(lambda: run_batch(inbox, campaign, jobs=2)))
    assert files["tam-duong.xlsx"].status == "accepted"
    for path in ("sin-ho.xlsx", "phong-tho.xlsx"):
        assert files[path].status == "ignored" and "không phải một tệp thông thường" in files[path].findings[0].message.lower()
        assert files[path].unit == path.removesuffix(".xlsx")     # still shows who it was meant to come from
    for path in ("vong-a.xlsx", "vong-b.xlsx", "mat.xlsx"):
        assert files[path].status == "ignored" and "liên kết" in files[path].findings[0].message.lower()
    assert "liên kết tới một thư mục" in files["thu-muc-khac/"].findings[0].message


def test_a_file_that_vanishes_before_it_is_read_is_listed(tmp_path, campaign):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    kept = filled(tmp_path / "w", campaign, "tam-duong").save(inbox / "tam-duong.xlsx")
    gone = shutil.copy(kept, inbox / "sin-ho.xlsx")
    lock = inbox / "~$sin-ho.xlsx"
    lock.write_bytes(b"\x0bExcel lock")
    items = list(scan(inbox, limits=campaign.limits))   # listed ...
    os.unlink(gone)                              # ... then removed (Excel, OneDrive, the tool's own temporary file)
    lock.unlink()
    assert [entry_ for entry_ in entry(lock, lock.name, Path(lock.name))][0].reason.startswith("Tệp đã bị xoá")
    results = {r.path: r for r in read_items(items, campaign, jobs=2)}
    assert results["tam-duong.xlsx"].status == "accepted"
    assert results["sin-ho.xlsx"].status == "ignored"
    assert "đã bị xoá hoặc chuyển đi" in results["sin-ho.xlsx"].findings[0].message
    assert results["~$sin-ho.xlsx"].status == "ignored"


@contextlib.contextmanager
def _as_another_user():
    """Permissions mean nothing to root: as root, act as `nobody` for the duration."""
    if os.name == "nt" or os.geteuid() != 0:
        yield
        return
    os.seteuid(65534)
    try:
        yield
    finally:
        os.seteuid(0)


@pytest.mark.skipif(os.name == "nt", reason="POSIX permissions")
def test_unreadable_files_and_folders_are_listed_with_a_reason(campaign):
    root = Path(tempfile.mkdtemp(prefix="thidua-perm-"))
    try:
        root.chmod(0o755)
        inbox = root / "inbox"
        (inbox / "khoa").mkdir(parents=True)
        work = root / "w"
        filled(work, campaign, "tam-duong").save(inbox / "tam-duong.xlsx")
        secret = filled(work, campaign, "sin-ho").save(inbox / "sin-ho.xlsx")
        filled(work, campaign, "muong-te").save(inbox / "khoa" / "muong-te.xlsx")
        for path in (inbox, inbox / "tam-duong.xlsx"):
            path.chmod(0o755 if path.is_dir() else 0o644)
        secret.chmod(0o000)
        (inbox / "khoa").chmod(0o000)
        run_batch(inbox, campaign, jobs=1)   # everything imported before changing user
        with _as_another_user():
            files = _by_path(run_batch(inbox, campaign, jobs=1))
    finally:
        (inbox / "khoa").chmod(0o755)
        shutil.rmtree(root)
    assert files["tam-duong.xlsx"].status == "accepted"
    assert files["sin-ho.xlsx"].status == "rejected" and files["sin-ho.xlsx"].unit == "sin-ho"
    assert "không cho phép đọc" in files["sin-ho.xlsx"].findings[0].message
    assert files["khoa/"].status == "ignored" and "Không đọc được thư mục này" in files["khoa/"].findings[0].message


@pytest.mark.skipif(os.name == "nt", reason="builds a path longer than PATH_MAX with POSIX dir_fd calls")
def test_a_folder_past_the_path_length_limit_is_listed(tmp_path, campaign):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    data = filled(tmp_path / "w", campaign, "tam-duong").save(tmp_path / "a.xlsx").read_bytes()
    fd = os.open(inbox, os.O_RDONLY)
    depth = 0
    try:
        while depth * 201 < 4200:
            name = f"{depth:02d}" + "d" * 199
            os.mkdir(name, dir_fd=fd)
            inner = os.open(name, os.O_RDONLY, dir_fd=fd)
            os.close(fd)
            fd, depth = inner, depth + 1
        out = os.open("sin-ho.xlsx", os.O_WRONLY | os.O_CREAT, 0o644, dir_fd=fd)
        os.write(out, data)
        os.close(out)
    finally:
        os.close(fd)
    files = run_batch(inbox, campaign, jobs=2).files
    too_long = [f for f in files if f.status == "ignored" and "dài quá giới hạn" in f.findings[0].message]
    assert len(too_long) == 1 and too_long[0].path.endswith("/")


def test_check_and_run_judge_every_file_alike(tmp_path, campaign):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    good = filled(tmp_path / "w", campaign, "tam-duong").save(inbox / "tam-duong.xlsx")
    for name in ("sin-ho.xlsb", "phong-tho.xltx", "muong-te.docm", "nam-nhun.dotx", "tan-uyen.pdf", "~$tam-duong.xlsx"):
        shutil.copy(good, inbox / name)
    (inbox / "than-uyen.xlsx").write_bytes(b"%PDF-1.4 not a workbook")
    run = {f.path: (f.status, f.reason, [x.message for x in f.findings if x.code.startswith("file-")])
           for f in run_batch(inbox, campaign, jobs=2).files}
    paths = sorted(inbox.iterdir())
    where = inbox.as_posix() + "/"   # check names a file by the path it was given
    check = {Path(f.path).name: (f.status, f.reason, [x.message.replace(where, "") for x in f.findings
                                                      if x.code.startswith("file-")])
             for f in check_paths(paths, campaign, jobs=2)}
    assert check == run
    for name, save_as in (("sin-ho.xlsb", "Excel Workbook (*.xlsx)"), ("phong-tho.xltx", "Excel Workbook (*.xlsx)"),
                          ("muong-te.docm", "Word Document (*.docx)"), ("nam-nhun.dotx", "Word Document (*.docx)")):
        status, reason, messages = run[name]
        assert (status, reason) == ("rejected", "file-unreadable") and save_as in messages[0], name
    assert run["tan-uyen.pdf"][0] == run["~$tam-duong.xlsx"][0] == "ignored"
    assert run["than-uyen.xlsx"][:2] == ("rejected", "file-unreadable")


def test_a_file_bigger_than_the_limit_is_refused_from_its_size_alone(tmp_path, campaign, monkeypatch):
    import dataclasses

    small = dataclasses.replace(campaign, limits=dataclasses.replace(campaign.limits, max_file_bytes=1000))
    big = tmp_path / "tam-duong.xlsx"
    with big.open("wb") as fh:
        fh.truncate(3 * 1024**3)   # 3 GB on paper, a sparse file on disk
    read = []
    monkeypatch.setattr(os, "read", lambda *args: read.append(args) or b"")
    [result] = read_items([Source("tam-duong.xlsx", None, None, file=big)], small, jobs=1)
    assert read == [] and result.status == "rejected" and "3072,0 MB" in result.findings[0].message
    assert isinstance(next(iter(entry(big, big.name, Path(big.name), small.limits))), Source)
    listed = next(iter(entry(big, big.name, Path("~$x.xlsx"), small.limits)))   # listed, not hashed: too big
    assert isinstance(listed, Skipped) and listed.sha256 is None and read == []
