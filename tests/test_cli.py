"""The command line through click's CliRunner: its words, exit codes and files (outputs.md, style.md)."""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
from pathlib import Path

import click
import openpyxl
import pytest
from click.testing import CliRunner
from filler import filled, make_filled

from thidua_batch.config import schema
from thidua_batch.cli import main

VN = dt.timezone(dt.timedelta(hours=7))
ON_TIME = dt.datetime(2020, 12, 15, 9, 0, tzinfo=VN)
ALL_IDS = ["tp-lai-chau", "tam-duong", "phong-tho", "sin-ho", "muong-te", "than-uyen", "tan-uyen",
           "nam-nhun", "cdn-giao-duc", "cdn-y-te", "cdvc-tinh"]
FINDING_KEYS = {"code", "severity", "file", "unit", "sheet", "cell", "value", "message"}


def invoke(*args: str):
    return CliRunner().invoke(main, [str(a) for a in args])


def _set_mtime(path: Path, moment: dt.datetime) -> None:
    stamp = moment.timestamp()
    os.utime(path, (stamp, stamp))


def _snapshot(directory: Path) -> dict[str, tuple[str, int]]:
    """Every file under DIRECTORY: (sha256, mtime in ns), to prove inputs are untouched."""
    return {p.relative_to(directory).as_posix(): (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime_ns)
            for p in sorted(directory.rglob("*")) if p.is_file()}


# --- help --------------------------------------------------------------------------------

def _all_commands(group=main, prefix=""):
    for name, command in group.commands.items():
        yield prefix + name, command
        if isinstance(command, click.Group):
            yield from _all_commands(command, prefix + name + " ")


def test_every_command_has_help_text():
    assert sorted(main.commands) == ["certificates", "check", "conference", "mail", "register", "run", "serve",
                                     "template"]
    assert sorted(main.commands["conference"].commands) == ["build", "template"]
    assert sorted(main.commands["mail"].commands) == ["fetch", "replies", "send", "templates"]
    assert sorted(main.commands["register"].commands) == ["export", "import", "list", "record", "remove", "template"]
    for name, command in _all_commands():
        assert command.help and command.help.strip(), name
        assert command.help.strip().endswith("."), name
        for param in command.params:
            if isinstance(param, click.Option) and param.name != "help":
                assert param.help, (name, param.name)


def test_group_help_is_vietnamese():
    result = invoke("--help")
    assert result.exit_code == 0
    assert "thidua-batch: mẫu biểu, kiểm tra và tổng hợp hồ sơ đề nghị khen thưởng" in result.output
    for name in ("check", "run", "template", "register", "certificates", "conference", "mail", "serve"):
        assert f"  {name} " in result.output


@pytest.mark.parametrize("command, words", [
    ("template", ["Ghi mẫu bảng tính Excel để gửi các đơn vị điền.", "--out", "--unit", "--all-units",
                  "--campaign", "Thư mục ghi mẫu biểu."]),
    ("check", ["Kiểm tra từng tệp Excel của đơn vị", "--json", "In kết quả dạng JSON."]),
    ("run", ["Đọc mọi tệp trong thư mục INBOX", "--out", "--json", "--templates", "Thư mục ghi kết quả."]),
])
def test_command_help_is_vietnamese(command, words):
    for flag in ("--help", "-h"):
        result = invoke(command, flag)
        assert result.exit_code == 0
        for word in words:
            assert word in result.output, (command, word)


def test_help_option_text_is_vietnamese():
    result = invoke("--help")
    assert "Show this message and exit." not in result.output
    assert "Show the version and exit." not in result.output


def test_usage_error_is_vietnamese(tmp_path):
    result = invoke("template")
    assert result.exit_code == 2
    assert "Missing option" not in result.output
    assert "--out" in result.output


def test_usage_error_exits_2_and_writes_nothing(tmp_path):
    result = invoke("template", "--unit", "tam-duong")
    assert result.exit_code == 2
    result = invoke("check")
    assert result.exit_code == 2
    result = invoke("run", tmp_path)
    assert result.exit_code == 2
    assert list(tmp_path.iterdir()) == []


# --- template --------------------------------------------------------------------------------

def _identity(path: Path) -> dict[str, object]:
    ws = openpyxl.load_workbook(path)[schema.SHEET_LISTS]
    return {ws.cell(r, 1).value: ws.cell(r, 2).value for r in range(1, 6)}


def test_template_writes_the_blank_template(tmp_path):
    out = tmp_path / "X"
    result = invoke("template", "--out", out)
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == ["mau_de_nghi_khen_thuong.xlsx"]
    assert result.output == f"Đã ghi {out / 'mau_de_nghi_khen_thuong.xlsx'}\n"
    wb = openpyxl.load_workbook(out / "mau_de_nghi_khen_thuong.xlsx")
    assert wb.sheetnames == ["Hướng dẫn", "Đơn vị", "Tập thể", "Cá nhân", "Danh mục"]
    assert _identity(out / "mau_de_nghi_khen_thuong.xlsx") == {
        "template_id": "thidua-batch/de-nghi-khen-thuong", "template_version": "1",
        "campaign_id": "vhcs-2020", "unit_id": None, "unit_name": None}


def test_template_all_units(tmp_path):
    out = tmp_path / "X"
    result = invoke("template", "--out", out, "--all-units")
    assert result.exit_code == 0, result.output
    expected = ["mau_de_nghi_khen_thuong.xlsx"] + [f"mau_de_nghi_khen_thuong_{i}.xlsx" for i in ALL_IDS]
    assert len(expected) == 12
    assert sorted(p.name for p in out.iterdir()) == sorted(expected)
    assert result.output.splitlines() == [f"Đã ghi {out / name}" for name in expected]
    assert _identity(out / "mau_de_nghi_khen_thuong_cdn-y-te.xlsx")["unit_id"] == "cdn-y-te"
    assert _identity(out / "mau_de_nghi_khen_thuong_cdn-y-te.xlsx")["unit_name"] == "Công đoàn ngành Y tế"


def test_template_one_unit(tmp_path):
    out = tmp_path / "X"
    result = invoke("template", "--out", out, "--unit", "tam-duong")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == ["mau_de_nghi_khen_thuong_tam-duong.xlsx"]
    identity = _identity(out / "mau_de_nghi_khen_thuong_tam-duong.xlsx")
    assert (identity["unit_id"], identity["unit_name"]) == ("tam-duong", "Liên đoàn Lao động huyện Tam Đường")


def test_template_unknown_unit(tmp_path):
    out = tmp_path / "X"
    result = invoke("template", "--out", out, "--unit", "khong-co")
    assert result.exit_code == 2
    assert result.output == (
        "Lỗi: Không có đơn vị mã “khong-co” trong danh sách. Các mã hợp lệ: " + ", ".join(ALL_IDS) + ".\n")
    assert not out.exists()


def test_template_unit_and_all_units_together(tmp_path):
    out = tmp_path / "X"
    result = invoke("template", "--out", out, "--unit", "x", "--all-units")
    assert result.exit_code == 2
    assert result.output == "Lỗi: Chỉ dùng một trong hai tùy chọn --unit hoặc --all-units.\n"
    assert not out.exists()


# --- check -----------------------------------------------------------------------------------

def test_check_valid_workbook(tmp_path, campaign):
    path, _ = make_filled(tmp_path, campaign, "tam-duong")
    result = invoke("check", path)
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        f"Tệp: {path.as_posix()}  [Đã nhận]",
        "  Đơn vị: Liên đoàn Lao động huyện Tam Đường (tam-duong)",
        "  Đọc được: 1 tập thể, 4 cá nhân",
        "  Không có lỗi hay cảnh báo.",
        "",
    ]


def _bad_gender(tmp_path: Path, campaign) -> tuple[Path, str]:
    filler = filled(tmp_path, campaign, "tam-duong")
    cell = f"{filler.column_of(schema.SHEET_INDIVIDUALS, 'Giới tính')}{filler.header_row(schema.SHEET_INDIVIDUALS) + 1}"
    filler.set_cell(schema.SHEET_INDIVIDUALS, cell, "X")
    return filler.save(tmp_path / "bad.xlsx"), cell


def test_check_wrong_value_names_the_cell(tmp_path, campaign):
    path, cell = _bad_gender(tmp_path, campaign)
    assert cell == "C4"
    result = invoke("check", path)
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[:3] == [
        f"Tệp: {path.as_posix()}  [Đã nhận]",
        "  Đơn vị: Liên đoàn Lao động huyện Tam Đường (tam-duong)",
        "  Đọc được: 1 tập thể, 4 cá nhân",
    ]
    assert lines[3] == ("  " + "Lỗi".ljust(9) + " " + f"Cá nhân!{cell}".ljust(16) + " "
                        + "“Giới tính” không hợp lệ: Giới tính phải là “Nam” hoặc “Nữ”.")
    assert lines[4:] == [""]


def test_check_json(tmp_path, campaign):
    path, cell = _bad_gender(tmp_path, campaign)
    result = invoke("check", "--json", path)
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert sorted(data) == ["files", "findings"]
    assert len(data["files"]) == 1
    entry = data["files"][0]
    assert set(entry) == {"path", "sha256", "status", "unit", "layout", "received_at", "reason", "mail"}
    assert (entry["path"], entry["status"], entry["unit"], entry["reason"]) == (
        path.as_posix(), "accepted", "tam-duong", None)
    assert entry["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
    assert dt.datetime.fromisoformat(entry["received_at"]).utcoffset() == dt.timedelta(hours=7)
    assert len(data["findings"]) == 1
    finding = data["findings"][0]
    assert set(finding) == FINDING_KEYS
    assert {k: finding[k] for k in FINDING_KEYS - {"message"}} == {
        "code": "invalid-value", "severity": "error", "file": path.as_posix(), "unit": "tam-duong",
        "sheet": "Cá nhân", "cell": cell, "value": "X"}
    assert "Giới tính" in finding["message"]


def test_check_json_valid_workbook(tmp_path, campaign):
    path, _ = make_filled(tmp_path, campaign, "cdn-y-te", individuals=6)
    result = invoke("check", "--json", path)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["findings"] == []
    assert [(f["status"], f["unit"]) for f in data["files"]] == [("accepted", "cdn-y-te")]


def test_check_several_files(tmp_path, campaign):
    good, _ = make_filled(tmp_path / "a", campaign, "tam-duong")
    bad, cell = _bad_gender(tmp_path / "b", campaign)
    result = invoke("check", good, bad)
    assert result.exit_code == 1
    assert f"Tệp: {good.as_posix()}  [Đã nhận]" in result.output
    assert f"Tệp: {bad.as_posix()}  [Đã nhận]" in result.output
    assert result.output.count("Đọc được: 1 tập thể, 4 cá nhân") == 2
    assert f"Cá nhân!{cell}" in result.output


def test_check_not_a_workbook(tmp_path):
    path = tmp_path / "thu.xlsx"
    path.write_text("đây không phải bảng tính", encoding="utf-8")
    result = invoke("check", "--json", path)
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert [(f["status"], f["reason"]) for f in data["files"]] == [("rejected", "file-unreadable")]
    assert [(f["code"], f["severity"]) for f in data["findings"]] == [("file-unreadable", "error")]


def test_check_missing_file_is_a_usage_error(tmp_path):
    result = invoke("check", tmp_path / "khong-co.xlsx")
    assert result.exit_code == 2


# --- run ---------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def inbox(tmp_path_factory, campaign) -> Path:
    """Valid workbooks of all 11 units, received on 15/12/2020 (before the deadline)."""
    root = tmp_path_factory.mktemp("run")
    inbox = root / "inbox"
    for unit in campaign.roster:
        filler = filled(root / "work" / unit.id, campaign, unit.id, unit.collectives, unit.individuals)
        _set_mtime(filler.save(inbox / f"{unit.id}.xlsx"), ON_TIME)
    return inbox


def test_run_missing_inbox(tmp_path):
    out = tmp_path / "out"
    result = invoke("run", tmp_path / "khong-co", "--out", out)
    assert result.exit_code == 2
    assert result.output == f"Lỗi: Không tìm thấy thư mục hồ sơ “{tmp_path / 'khong-co'}”.\n"
    assert not out.exists()
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("where", ["inside", "same", "deeper"])
def test_run_refuses_outputs_inside_inbox(tmp_path, where):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "a.txt").write_text("x", encoding="utf-8")
    out = {"inside": inbox / "out", "same": inbox, "deeper": inbox / "a" / "b"}[where]
    before = _snapshot(inbox)
    result = invoke("run", inbox, "--out", out)
    assert result.exit_code == 2
    assert result.output == ("Lỗi: Thư mục kết quả (--out) không được nằm trong thư mục hồ sơ: "
                             "đầu vào không bao giờ bị ghi đè.\n")
    assert _snapshot(inbox) == before
    assert sorted(p.name for p in inbox.iterdir()) == ["a.txt"]


def test_run_all_units_valid(inbox, tmp_path):
    before = _snapshot(inbox)
    out = tmp_path / "out"
    result = invoke("run", inbox, "--out", out)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[:5] == [
        "Tệp: 11 tệp; nhận 11, từ chối 0, bỏ qua 0, bị thay thế 0.",
        "Đơn vị: 11/11 đơn vị đã gửi; 11 đạt yêu cầu.",
        "Đưa vào dự thảo quyết định: 11 tập thể, 50 cá nhân.",
        "Lỗi: 0; cảnh báo: 0.",
        f"Kết quả đã ghi vào: {out} " + lines[4].split(f"{out} ", 1)[1],
    ]
    assert lines[4].endswith(" giây).")
    assert len(lines) == 5
    assert {"report.json", "tong_hop_khen_thuong.xlsx"} <= {p.name for p in out.iterdir()}
    assert _snapshot(inbox) == before          # inputs never modified


def test_run_json(inbox, tmp_path):
    out = tmp_path / "out"
    result = invoke("run", inbox, "--out", out, "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert list(report) == ["campaign", "generated_at", "valid", "stats", "files", "units", "findings", "decision"]
    assert report["campaign"]["id"] == "vhcs-2020"
    assert report["campaign"]["deadline"] == "2020-12-20"
    assert dt.datetime.fromisoformat(report["generated_at"]).tzinfo is not None
    assert report["valid"] is True
    assert report["stats"] == {
        "files": 11, "files_accepted": 11, "files_rejected": 0, "files_ignored": 0, "files_superseded": 0,
        "units_expected": 11, "units_submitted": 11, "units_missing": 0,
        "collectives": 11, "individuals": 50, "collectives_in_decision": 11, "individuals_in_decision": 50,
        "errors": 0, "warnings": 0}
    assert report["findings"] == []
    assert sorted((f["path"], f["status"], f["unit"], f["received_at"], f["reason"]) for f in report["files"]) == \
        sorted((f"{i}.xlsx", "accepted", i, "2020-12-15T09:00:00+07:00", None) for i in ALL_IDS)
    assert [(u["id"], u["status"], u["file"]) for u in report["units"]] == [
        (i, "ok", f"{i}.xlsx") for i in ALL_IDS]
    y_te = report["units"][ALL_IDS.index("cdn-y-te")]
    assert (y_te["quota"], y_te["submitted"], y_te["in_decision"]) == (
        {"collectives": 1, "individuals": 6}, {"collectives": 1, "individuals": 6},
        {"collectives": 1, "individuals": 6})
    # --json prints the same report that is written to disk
    written = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert written == report


def test_run_twice_gives_the_same_report(inbox, tmp_path):
    first = json.loads(invoke("run", inbox, "--out", tmp_path / "a", "--json").stdout)
    second = json.loads(invoke("run", inbox, "--out", tmp_path / "b", "--json").stdout)
    first.pop("generated_at")
    second.pop("generated_at")
    assert first == second


def test_run_late_files_warn_but_exit_0(inbox, tmp_path):
    late_inbox = tmp_path / "late"
    late_inbox.mkdir()
    for name in ("tam-duong.xlsx", "cdn-y-te.xlsx"):
        shutil.copyfile(inbox / name, late_inbox / name)
    _set_mtime(late_inbox / "tam-duong.xlsx", dt.datetime(2020, 12, 21, 0, 30, tzinfo=VN))
    _set_mtime(late_inbox / "cdn-y-te.xlsx", dt.datetime(2020, 12, 20, 23, 59, tzinfo=VN))
    result = invoke("run", late_inbox, "--out", tmp_path / "out", "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["valid"] is True
    late = [(f["code"], f["severity"], f["unit"], f["file"]) for f in report["findings"]
            if f["code"] == "submitted-late"]
    assert late == [("submitted-late", "warning", "tam-duong", "tam-duong.xlsx")]
    assert report["stats"]["units_submitted"] == 2
    assert report["stats"]["units_missing"] == 9


def test_run_with_an_error_exits_1(tmp_path, campaign):
    inbox = tmp_path / "inbox"
    path, _ = _bad_gender(tmp_path / "work", campaign)
    inbox.mkdir()
    shutil.copyfile(path, inbox / "tam-duong.xlsx")
    _set_mtime(inbox / "tam-duong.xlsx", ON_TIME)
    out = tmp_path / "out"
    result = invoke("run", inbox, "--out", out)
    assert result.exit_code == 1
    assert "Lỗi: 1; cảnh báo: 10." in result.output
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert report["valid"] is False
    errors = [(f["code"], f["sheet"], f["cell"]) for f in report["findings"] if f["severity"] == "error"]
    assert errors == [("invalid-value", "Cá nhân", "C4")]
    status = {u["id"]: u["status"] for u in report["units"]}
    assert status["tam-duong"] == "has-errors"
    assert status["phong-tho"] == "missing"


def test_run_inbox_is_a_file(tmp_path):
    inbox = tmp_path / "hop_thu.xlsx"
    inbox.write_bytes(b"x")
    out = tmp_path / "out"
    result = invoke("run", inbox, "--out", out)
    assert result.exit_code == 2
    assert result.output == f"Lỗi: Không tìm thấy thư mục hồ sơ “{inbox}”.\n"
    assert not out.exists()


def test_run_timings_names_every_phase(inbox, tmp_path):
    result = invoke("run", inbox, "--out", tmp_path / "out", "--timings")
    assert result.exit_code == 0, result.output
    line = next(line for line in result.output.splitlines() if line.startswith("Thời gian:"))
    for phase in ("tìm tệp", "đọc", "kiểm tra", "tổng hợp", "ghi report.json", "ghi bảng tổng hợp",
                  "ghi văn bản Word"):
        assert f"{phase} " in line and "giây" in line


def test_readme_documents_every_command_and_option():
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text("utf-8")
    for name, command in _all_commands():
        assert f"thidua-batch {name}" in readme, f"README does not show `thidua-batch {name}`"
        for param in command.params:
            for opt in getattr(param, "opts", []):
                if opt.startswith("--") and opt != "--help":
                    assert opt in readme, f"README does not mention {name} {opt}"
