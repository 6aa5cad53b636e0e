"""The award register (register.md): a real SQLite file, the CLI's words and exits, history in the run."""
from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import docx
import openpyxl
import pytest
from click.testing import CliRunner

from thidua_batch.cli import main
from thidua_batch.register.store import SCHEMA_VERSION, RegisterError, open_register

ROOT = Path(__file__).resolve().parents[1]
NUMBER, DATE = "123/QĐ-LĐLĐ", "2020-12-28"


def invoke(*args) -> object:
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory) -> Path:
    """The samples run once: its decision is what gets recorded."""
    out = tmp_path_factory.mktemp("run") / "out"
    result = invoke("run", ROOT / "samples" / "inbox", "--out", out, "--register", out.parent / "none.sqlite")
    assert result.exit_code == 1, result.output
    return out


def _record(run_dir: Path, register: Path, number: str = NUMBER, date: str = DATE):
    return invoke("register", "record", run_dir, "--number", number, "--date", date, "--register", register)


def test_record_keeps_exactly_the_decision_in_annex_order(run_dir, tmp_path):
    register = tmp_path / "sổ khen thưởng.sqlite"
    result = _record(run_dir, register)
    assert result.exit_code == 0, result.output
    assert f"Đã ghi vào sổ: Quyết định số {NUMBER} ngày 28/12/2020" in result.output
    report = json.loads((run_dir / "report.json").read_text("utf-8"))
    db = sqlite3.connect(register)
    rows = db.execute("SELECT a.ord, a.kind, a.name, a.birth_year, a.unit_id, a.money FROM awardees a "
                      "JOIN decisions d ON d.id = a.decision_id WHERE d.number = ? ORDER BY a.ord", (NUMBER,)).fetchall()
    assert [(r[1], r[2], r[3], r[4]) for r in rows] == [(e["kind"], e["name"], e["birth_year"], e["unit"])
                                                         for e in report["decision"]]
    assert len(rows) == report["stats"]["collectives_in_decision"] + report["stats"]["individuals_in_decision"]
    assert {r[5] for r in rows if r[1] == "collective"} == {2980000} and {r[5] for r in rows if r[1] == "individual"} == {1490000}
    assert ("individual", "Giàng A Páo") in {(r[1], r[2]) for r in rows}   # as the signed annex prints it
    decision = db.execute("SELECT date, award, signer_name, on_behalf, year FROM decisions").fetchone()
    assert decision == ("2020-12-28", "Bằng khen của Ban Chấp hành Liên đoàn Lao động tỉnh", "Hoàng Văn Trinh",
                        "TM. BAN THƯỜNG VỤ", 2020)
    assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_record_twice_identically_is_fine_a_reused_number_is_refused(run_dir, tmp_path):
    register = tmp_path / "so.sqlite"
    assert _record(run_dir, register).exit_code == 0
    again = _record(run_dir, register)
    assert again.exit_code == 0 and "đã có trong sổ, giống hệt" in again.output
    before = register.read_bytes()
    other = _record(run_dir, register, date="2020-12-29")
    assert other.exit_code == 2 and "đã có trong sổ cho một quyết định khác" in other.output
    assert register.read_bytes() == before


@pytest.mark.parametrize("args, words", [
    (["--date", "28/13/2020"], "không hợp lệ"),
    (["--date", "2020-12-28", "--number", " "], "Chưa có số quyết định"),
])
def test_record_bad_input_exits_2(run_dir, tmp_path, args, words):
    base = {"--number": NUMBER, "--date": DATE}
    for i in range(0, len(args), 2):
        base[args[i]] = args[i + 1]
    result = invoke("register", "record", run_dir, *[x for kv in base.items() for x in kv], "--register",
                    tmp_path / "so.sqlite")
    assert result.exit_code == 2 and words in result.output
    assert not (tmp_path / "so.sqlite").exists()


def test_record_without_report_or_with_no_awardee(tmp_path):
    result = _record(tmp_path, tmp_path / "so.sqlite")
    assert result.exit_code == 2 and "report.json" in result.output
    (tmp_path / "report.json").write_text(json.dumps({"campaign": {"id": "vhcs-2020"}, "decision": []}), "utf-8")
    result = _record(tmp_path, tmp_path / "so.sqlite")
    assert result.exit_code == 2 and "không có tập thể, cá nhân nào" in result.output


def _import_list(path: Path, people: list[list[object]], collectives: list[list[object]] | None = None) -> Path:
    invoke("register", "template", "--out", path.parent)
    wb = openpyxl.load_workbook(path.parent / "mau_nhap_quyet_dinh.xlsx")
    for row in collectives or []:
        wb["Tập thể"].append(row)
    for row in people:
        wb["Cá nhân"].append(row)
    wb.save(path)
    return path


def test_import_a_decision_made_elsewhere(tmp_path):
    path = _import_list(tmp_path / "QĐ Tổng LĐLĐ.xlsx", [
        [1, "Tẩn Láo San", "Nam", 1981, "Chủ tịch CĐCS", "UBND xã Pắc Ta", "LĐLĐ huyện Tân Uyên", 2000000],
        [2, "Hoàng Thị Thu", "Nữ", "1988", "Giáo viên", "Trường Tiểu học Trung Đồng", "Tân Uyên", None]],
        [[1, "Công đoàn Trường THPT Mường Tè", "LĐLĐ H. Mường Tè", None]])
    register = tmp_path / "so.sqlite"
    result = invoke("register", "import", path, "--number", "45/QĐ-TLĐ", "--date", "15/01/2021", "--award",
                    "Bằng khen của Tổng LĐLĐ Việt Nam", "--year", "2020", "--register", register)
    assert result.exit_code == 0, result.output
    with open_register(register, create=False) as book:
        decision = book.decision("45/QĐ-TLĐ")
    assert [(a.kind, a.name, a.unit_id, a.money) for a in decision.awardees] == [
        ("collective", "Công đoàn Trường THPT Mường Tè", "muong-te", 2980000),
        ("individual", "Tẩn Láo San", "tan-uyen", 2000000), ("individual", "Hoàng Thị Thu", "tan-uyen", 1490000)]
    assert decision.date == dt.date(2021, 1, 15) and decision.year == 2020


def test_import_with_bad_rows_names_every_cell_and_records_nothing(tmp_path):
    path = _import_list(tmp_path / "sai.xlsx", [
        [1, "Lò Văn Pánh", "Nam", 1979, "", "", "", None],
        [2, "", "Nữ", 1990, "", "", "", None],
        [3, "Vàng Thị Mỷ", "N", "199", "", "", "", "một triệu"]])
    register = tmp_path / "so.sqlite"
    result = invoke("register", "import", path, "--number", "9/QĐ", "--date", DATE, "--award", "Cờ thi đua",
                    "--register", register)
    assert result.exit_code == 2
    for place in ("Cá nhân!B3", "Cá nhân!C4", "Cá nhân!D4", "Cá nhân!H4"):
        assert place in result.output, place
    assert not register.exists() or open_register(register).decisions() == []


def test_list_history_and_export(run_dir, tmp_path):
    register = tmp_path / "so.sqlite"
    _record(run_dir, register)
    listed = invoke("register", "list", "--register", register)
    assert f"{NUMBER} ngày 28/12/2020" in listed.output
    person = invoke("register", "list", "--name", "lò văn pánh", "--json", "--register", register)
    data = json.loads(person.output)
    assert [(d["name"], d["birth_year"], d["decision"]) for d in data] == [("Lò Văn Pánh", 1979, NUMBER)]
    by_unit = json.loads(invoke("register", "list", "--unit", "than-uyen", "--json", "--register", register).output)
    assert {d["name"] for d in by_unit} >= {"Giàng A Páo", "Lò Văn Pánh"}
    out = tmp_path / "xuất.xlsx"
    assert invoke("register", "export", "--out", out, "--register", register).exit_code == 0
    wb = openpyxl.load_workbook(out, read_only=True)
    assert wb.sheetnames == ["Quyết định", "Người được khen"]
    assert len(list(wb["Người được khen"].iter_rows(min_row=2))) == len(data and json.loads(
        (run_dir / "report.json").read_text("utf-8"))["decision"])
    missing = invoke("register", "list", "--register", tmp_path / "chua-co.sqlite")
    assert missing.exit_code == 2 and "Chưa có sổ khen thưởng" in missing.output


def _campaign_2019(tmp_path: Path) -> Path:
    """Last year's campaign: the same roster under its own id."""
    text = (ROOT / "thidua_batch" / "config" / "data" / "vhcs-2020.toml").read_text("utf-8")
    path = tmp_path / "vhcs-2019.toml"
    path.write_text(text.replace('id = "vhcs-2020"', 'id = "vhcs-2019"', 1), "utf-8")
    return path


def test_next_years_run_tells_the_board(run_dir, tmp_path):
    register = tmp_path / "so.sqlite"
    earlier = _import_list(tmp_path / "QĐ 2019.xlsx", [
        [1, "Lò Văn Pánh", "Nam", 1979, "Giáo viên", "Trường THCS Mường Kim", "LĐLĐ huyện Than Uyên", None]])
    done = invoke("register", "import", earlier, "--number", NUMBER, "--date", DATE, "--award",
                  "Bằng khen của Ban Chấp hành Liên đoàn Lao động tỉnh", "--campaign", _campaign_2019(tmp_path),
                  "--register", register)
    assert done.exit_code == 0, done.output
    out = tmp_path / "nam-sau"
    result = invoke("run", ROOT / "samples" / "inbox", "--out", out, "--register", register)
    assert result.exit_code == 1
    report = json.loads((out / "report.json").read_text("utf-8"))
    found = [f for f in report["findings"] if f["code"] == "awarded-before"]
    assert found and all(f["severity"] == "info" for f in found)
    assert len(found) == 1   # only the person of the earlier campaign
    pank = next(f for f in found if "Lò Văn Pánh" in f["message"])
    assert f"năm 2020 (Quyết định số {NUMBER} ngày 28/12/2020)" in pank["message"]
    assert pank["unit"] == "than-uyen" and pank["cell"] == "B14"
    wb = openpyxl.load_workbook(out / "tong_hop_khen_thuong.xlsx", read_only=True)
    rows = list(wb["Cá nhân"].iter_rows(values_only=True))
    column = rows[0].index("Đã được khen trước đây")
    assert any(r[column] and NUMBER in r[column] for r in rows[1:] if r[2] == "Lò Văn Pánh")
    letter = docx.Document(out / "phan_hoi" / "than-uyen.docx")
    # told to the unit, not as something to fix
    assert any("Lò Văn Pánh" in p.text and NUMBER in p.text for p in letter.paragraphs)
    submission = "\n".join(p.text for p in docx.Document(out / "du_thao_to_trinh.docx").paragraphs)
    assert "đã được khen thưởng trước đây" in submission and "Lò Văn Pánh (Liên đoàn Lao động huyện Than Uyên)" in submission


def test_a_missing_register_changes_nothing(run_dir, tmp_path):
    out = tmp_path / "out"
    invoke("run", ROOT / "samples" / "inbox", "--out", out, "--register", tmp_path / "khong-co.sqlite")
    first = json.loads((run_dir / "report.json").read_text("utf-8"))
    second = json.loads((out / "report.json").read_text("utf-8"))
    assert second["findings"] == first["findings"]
    assert not (tmp_path / "khong-co.sqlite").exists()


def test_a_newer_register_is_refused_untouched(tmp_path):
    register = tmp_path / "moi.sqlite"
    db = sqlite3.connect(register)
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    db.close()
    before = register.read_bytes()
    with pytest.raises(RegisterError, match="phiên bản mới hơn"):
        open_register(register)
    assert register.read_bytes() == before


_WRITER = textwrap.dedent("""
    import datetime as dt, sys, time
    from thidua_batch.register.model import Awardee, Decision
    from thidua_batch.register.store import open_register
    path, number, pause = sys.argv[1], sys.argv[2], float(sys.argv[3])
    people = tuple(Awardee("individual", f"Người {i}", i, gender="Nam", birth_year=1980) for i in range(1, 2001))
    book = open_register(path)
    if pause:   # hold the write transaction open, then get killed in the middle of it
        book.db.execute("BEGIN IMMEDIATE")
        book.db.execute("INSERT INTO decisions (number, date, award, year, fingerprint, recorded_at) "
                        "VALUES (?, '2020-12-28', 'x', 2020, 'f', 'now')", (number,))
        print("inside", flush=True)
        time.sleep(pause)
    book.record(Decision(number, dt.date(2020, 12, 28), "Bằng khen", 2020, awardees=people))
    print("done", flush=True)
""")


def _writer(path: Path, number: str, pause: float = 0) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", _WRITER, str(path), number, str(pause)], stdout=subprocess.PIPE,
                            text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})


def test_a_write_killed_midway_leaves_the_register_as_it_was(tmp_path):
    register = tmp_path / "so.sqlite"
    assert _writer(register, "1/QĐ").wait(60) == 0
    writer = _writer(register, "2/QĐ", pause=30)
    assert writer.stdout.readline().strip() == "inside"
    writer.kill()
    writer.wait(30)
    with open_register(register) as book:
        assert [d.number for d in book.decisions()] == ["1/QĐ"]
        assert len(book.decision("1/QĐ").awardees) == 2000
        assert book.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_two_writers_at_once_both_land_intact(tmp_path):
    register = tmp_path / "so.sqlite"
    open_register(register).close()
    writers = [_writer(register, f"{i}/QĐ") for i in range(1, 4)]
    assert [w.wait(120) for w in writers] == [0, 0, 0]
    with open_register(register) as book:
        assert sorted(d.number for d in book.decisions()) == ["1/QĐ", "2/QĐ", "3/QĐ"]
        assert all(len(d.awardees) == 2000 for d in book.decisions())
        assert book.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_certificate_numbers_are_given_once_and_kept(run_dir, tmp_path):
    register = tmp_path / "so.sqlite"
    _record(run_dir, register)
    with open_register(register) as book:
        first = book.assign_certificate_numbers(NUMBER)
        again = book.assign_certificate_numbers(NUMBER)
    numbers = [a.certificate_no for a in first.awardees]
    assert numbers[:3] == ["BK-2020-0001", "BK-2020-0002", "BK-2020-0003"]
    assert [a.certificate_no for a in again.awardees] == numbers


# ---------------------------------------------------------------- one award per person per campaign (papers.md)

def test_the_same_run_under_a_second_number_is_refused_naming_the_first(run_dir, tmp_path):
    register = tmp_path / "so.sqlite"
    assert _record(run_dir, register).exit_code == 0
    before = register.read_bytes()
    again = _record(run_dir, register, number="124/QĐ-LĐLĐ")
    assert again.exit_code == 2, again.output
    assert f"đã được ghi vào sổ theo Quyết định số {NUMBER} ngày 28/12/2020" in again.output
    assert "register remove" in again.output and "sổ không bị thay đổi" in again.output
    assert register.read_bytes() == before
    with open_register(register, create=False) as book:
        assert [d.number for d in book.decisions()] == [NUMBER]


def test_an_import_awarding_someone_again_in_the_campaign_is_refused(run_dir, tmp_path):
    register = tmp_path / "so.sqlite"
    assert _record(run_dir, register).exit_code == 0
    award = "Bằng khen của Ban Chấp hành Liên đoàn Lao động tỉnh"
    again = _import_list(tmp_path / "bo sung.xlsx", [
        [1, "Sần Thị Dung", "Nữ", 1992, "", "", "", None],
        [2, "LÒ VĂN PÁNH", "Nam", 1979, "Giáo viên", "", "Than Uyên", None]])
    before = register.read_bytes()
    result = invoke("register", "import", again, "--number", "130/QĐ-LĐLĐ", "--date", "2020-12-30", "--award", award,
                    "--register", register)
    assert result.exit_code == 2, result.output
    assert f"LÒ VĂN PÁNH (sinh năm 1979): đã được ghi theo Quyết định số {NUMBER} ngày 28/12/2020" in result.output
    assert "Sần Thị Dung" not in result.output and register.read_bytes() == before
    # another form (a flag, the Tổng LĐLĐ's Bằng khen) in the same year is another award
    other = invoke("register", "import", again, "--number", "131/QĐ-LĐLĐ", "--date", "2020-12-30", "--award",
                   "Bằng khen của Tổng LĐLĐ Việt Nam", "--register", register)
    assert other.exit_code == 0, other.output


def test_a_decision_naming_someone_twice_is_refused(tmp_path):
    twice = _import_list(tmp_path / "trung.xlsx", [
        [1, "Tòng Thị Hải Yến", "Nữ", 1987, "Giáo viên", "", "Tam Đường", None],
        [2, "Lò Văn Pánh", "Nam", 1979, "", "", "", None],
        [3, "Tòng  thị Hải Yến", "Nữ", 1987, "Giáo viên", "", "CĐN Giáo dục", None]])
    register = tmp_path / "so.sqlite"
    result = invoke("register", "import", twice, "--number", "9/QĐ", "--date", DATE, "--award", "Bằng khen",
                    "--register", register)
    assert result.exit_code == 2
    assert "Tòng thị Hải Yến (sinh năm 1987): có ở số thứ tự 1 và 3" in result.output
    assert not register.exists() or open_register(register).decisions() == []


def test_remove_takes_a_wrong_record_back(run_dir, tmp_path):
    register = tmp_path / "so.sqlite"
    assert _record(run_dir, register, number="12/QĐ-LĐLĐ").exit_code == 0     # the wrong number
    with open_register(register) as book:
        book.assign_certificate_numbers("12/QĐ-LĐLĐ")
    unknown = invoke("register", "remove", "--number", "999/QĐ", "--yes", "--register", register)
    assert unknown.exit_code == 2 and "Không có quyết định số “999/QĐ”" in unknown.output
    before = register.read_bytes()
    declined = CliRunner().invoke(main, ["register", "remove", "--number", "12/QĐ-LĐLĐ", "--register", str(register)],
                                  input="n\n")
    assert "Sẽ gỡ khỏi sổ:" in declined.output and "Lò Văn Pánh (1979), số bằng BK-2020-" in declined.output
    assert "Không gỡ gì" in declined.output and register.read_bytes() == before
    asked = CliRunner().invoke(main, ["register", "remove", "--number", "12/QĐ-LĐLĐ", "--register", str(register)],
                               input="y\n")
    assert asked.exit_code == 0 and "Đã gỡ Quyết định số 12/QĐ-LĐLĐ" in asked.output
    with open_register(register) as book:
        assert book.decisions() == []
        assert book.db.execute("SELECT COUNT(*) FROM awardees").fetchone()[0] == 0
    assert _record(run_dir, register).exit_code == 0                          # now under the right number
    with open_register(register) as book:
        first = book.assign_certificate_numbers(NUMBER).awardees[0].certificate_no
    assert first == "BK-2020-0001"
    assert invoke("register", "remove", "--number", NUMBER, "--yes", "--register", register).exit_code == 0


def test_this_campaigns_own_decision_is_not_awarded_before(run_dir, tmp_path):
    register = tmp_path / "so.sqlite"
    assert _record(run_dir, register).exit_code == 0
    out = tmp_path / "lai"
    assert invoke("run", ROOT / "samples" / "inbox", "--out", out, "--register", register).exit_code == 1
    report = json.loads((out / "report.json").read_text("utf-8"))
    assert not [f for f in report["findings"] if f["code"] == "awarded-before"]


def test_run_and_serve_find_the_register_the_same_way():
    defaults = {name: next(p.default for p in main.commands[name].params if p.name == "register_path")
                for name in ("run", "serve")}
    assert defaults == {"run": "so_khen_thuong.sqlite", "serve": "so_khen_thuong.sqlite"}


def test_record_and_remove_as_library_calls(run_dir, tmp_path, campaign):
    """What the page calls: the same refusals as the command line, the register untouched."""
    from thidua_batch.register.commands import record_run, remove_decision
    from thidua_batch.register.store import SecondAward

    register = tmp_path / "so.sqlite"
    with pytest.raises(RegisterError, match="report.json"):
        record_run(register, tmp_path, NUMBER, DATE, campaign)
    assert not register.exists()
    done, decision = record_run(register, run_dir, NUMBER, DATE, campaign)
    assert done and decision.number == NUMBER
    assert record_run(register, run_dir, NUMBER, DATE, campaign)[0] is False
    with pytest.raises(SecondAward, match=NUMBER):
        record_run(register, run_dir, "124/QĐ-LĐLĐ", DATE, campaign)
    with open_register(register) as book:
        with pytest.raises(RegisterError, match="Không có quyết định số"):
            remove_decision(book, "124/QĐ-LĐLĐ")
        assert remove_decision(book, NUMBER).number == NUMBER
        assert book.decisions() == []
