"""The README's "Công việc hằng năm" runs as written (papers.md, "The README"): every command of that
section, taken from the README itself, run in order through the installed `thidua-batch` entry
point on a fresh copy of the samples; then the counts agree across the decision's annex, the
register, the certificates, the receipt list and the MC script."""
from __future__ import annotations

import importlib.util
import json
import os
import re
import shlex
import shutil
import sqlite3
import subprocess
import sys
import unicodedata
from pathlib import Path

import docx
import openpyxl
import pytest

ROOT = Path(__file__).resolve().parents[1]
NUMBER = "123/QĐ-LĐLĐ"
# Commands of the section that cannot run in a test, and why (each must still be in the README).
NOT_RUN = {
    "thidua-batch mail fetch --imap imap.gmail.com --user luonghaldld@gmail.com --out hop-thu":
        "needs the board's Gmail account (tested against a real IMAP server in test_mail_roundtrip.py)",
    "thidua-batch mail send thu-tra-loi --smtp smtp.gmail.com --user luonghaldld@gmail.com":
        "needs the board's Gmail account (tested against a real SMTP server in test_mail_roundtrip.py)",
    "thidua-batch serve": "serves until Ctrl+C (tested in test_web_http.py and test_web_browser.py)",
}
# What each command that runs must end with (outputs.md, README's table of exit codes).
EXIT = {"run": 1}      # the samples hold errors units must fix by design
PLACEHOLDERS = ("…", " SỐ", "TỆP", "THƯ_MỤC")


def section_commands() -> list[str]:
    text = (ROOT / "README.md").read_text("utf-8")
    start = text.index("## Công việc hằng năm")
    section = text[start:text.index("Thư mục hồ sơ có thể chứa", start)]
    return re.findall(r"`(thidua-batch [^`]+)`", section)


def runnable(command: str) -> str | None:
    """The command to run: as written, with optional parts "[…]" taken in; None for a syntax line
    with placeholders ("…", "SỐ") or one that cannot run here (NOT_RUN)."""
    if command in NOT_RUN or any(p in command for p in PLACEHOLDERS):
        return None
    return re.sub(r"\[([^\]]*)\]", r"\1", command)


def entry_point() -> str:
    found = Path(sys.executable).with_name("thidua-batch" + (".exe" if os.name == "nt" else ""))
    return str(found) if found.exists() else shutil.which("thidua-batch")


@pytest.fixture(scope="module")
def year(tmp_path_factory) -> dict:
    """A fresh copy of the samples as `hop-thu`, then every runnable command in README order."""
    work = tmp_path_factory.mktemp("nam")
    shutil.copytree(ROOT / "samples" / "inbox", work / "hop-thu")
    spec = importlib.util.spec_from_file_location("make_samples", ROOT / "samples" / "make_samples.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.touch(work / "hop-thu") == []          # make_samples.py --touch-only, on the copy
    done = []
    for command in section_commands():
        line = runnable(command)
        if line is None:
            continue
        args = shlex.split(line)
        result = subprocess.run([entry_point(), *args[1:]], cwd=work, capture_output=True, text=True,
                                stdin=subprocess.DEVNULL, timeout=600, encoding="utf-8",
                                env={**os.environ, "PYTHONIOENCODING": "utf-8"})
        done.append((command, args, result))
        expected = EXIT.get(args[1], 0)
        assert result.returncode == expected, (f"`{command}` ended with {result.returncode}, not {expected}:\n"
                                               f"{result.stdout}\n{result.stderr}")
    return {"work": work, "done": done}


def test_every_command_of_the_section_runs_or_is_accounted_for(year):
    commands = section_commands()
    assert set(NOT_RUN) <= set(commands)                 # nothing skipped that the README no longer says
    ran = [c for c, _, _ in year["done"]]
    skipped = [c for c in commands if c not in ran]
    assert all(c in NOT_RUN or any(p in c for p in PLACEHOLDERS) for c in skipped), skipped
    steps = [" ".join(a for a in args[1:3] if not a.startswith("-")) for _, args, _ in year["done"]]
    for step in ("template", "check", "run hop-thu", "register record", "register template", "register list",
                 "register export", "certificates", "conference template", "conference build", "mail templates",
                 "mail replies"):
        assert any(s == step or s.startswith(step + " ") for s in steps), step
    assert len(ran) >= 13


def test_each_step_wrote_what_the_readme_says(year):
    work = year["work"]
    for path in ("mau/mau_de_nghi_khen_thuong.xlsx", "mau/mau_nhap_quyet_dinh.xlsx", "ket-qua/report.json",
                 "ket-qua/du_thao_quyet_dinh_khen_thuong.docx", "ket-qua/du_thao_to_trinh.docx",
                 "so_khen_thuong.sqlite", "so.xlsx", "in-bang-khen/bang_khen.pdf",
                 "in-bang-khen/danh_sach_ky_nhan.xlsx", "in-thu/can_chinh.pdf", "hoi-nghi/hoi_nghi.toml",
                 "hoi-nghi/dai_bieu.xlsx", "hoi-nghi/van-ban/giay_moi.docx", "hoi-nghi/van-ban/kich_ban.docx",
                 "hoi-nghi/van-ban/tham_luan.docx", "hoi-nghi/van-ban/du_tru_kinh_phi.xlsx"):
        assert (work / path).is_file(), path
    assert list((work / "thu-gui-mau").glob("*.eml")) and list((work / "thu-tra-loi").glob("*.eml"))
    outputs = {" ".join(args[1:3]): result.stdout for _, args, result in year["done"]}
    assert f"Đã ghi vào sổ: Quyết định số {NUMBER} ngày 28/12/2020" in outputs["register record"]
    assert "Liên đoàn Lao động huyện Tam Đường" in next(v for k, v in outputs.items() if k.startswith("check"))
    listed = json.loads(next(v for k, v in outputs.items() if k.startswith("register list")))
    assert isinstance(listed, list)
    # the tham luận list comes from the run folder (report.json), never "no unit gave a topic"
    talks = "\n".join(p.text for p in docx.Document(work / "hoi-nghi/van-ban/tham_luan.docx").paragraphs)
    assert "Chưa có đơn vị nào gửi chủ đề tham luận" not in talks


def _pdf_pages(pdf: Path) -> list[str]:
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return [unicodedata.normalize("NFC", re.sub(r"\s+", " ", page)) for page in text.split("\f") if page.strip()]


def test_counts_agree_across_every_paper(year):
    work = year["work"]
    report = json.loads((work / "ket-qua" / "report.json").read_text("utf-8"))
    names = [e["name"] for e in report["decision"]]
    collectives = sum(e["kind"] == "collective" for e in report["decision"])
    assert collectives == report["stats"]["collectives_in_decision"]
    assert len(names) - collectives == report["stats"]["individuals_in_decision"]
    # the decision's annex: one numbered row per awardee
    annex = docx.Document(work / "ket-qua" / "du_thao_quyet_dinh_khen_thuong.docx").tables
    rows = [[c.text for c in r.cells] for t in annex if t.rows[0].cells[0].text == "STT" for r in t.rows[1:]]
    numbered = [r for r in rows if r[0].strip().isdigit()]
    assert [r[1] for r in numbered] == names
    # the register
    db = sqlite3.connect(work / "so_khen_thuong.sqlite")
    recorded = [r[0] for r in db.execute("SELECT a.name FROM awardees a JOIN decisions d ON d.id = a.decision_id "
                                         "WHERE d.number = ? ORDER BY a.ord", (NUMBER,))]
    numbers = [r[0] for r in db.execute("SELECT a.certificate_no FROM awardees a JOIN decisions d "
                                        "ON d.id = a.decision_id WHERE d.number = ? ORDER BY a.ord", (NUMBER,))]
    db.close()
    assert recorded == names and None not in numbers and len(set(numbers)) == len(numbers)
    # the certificates: one page per awardee, in that order, each with its number
    pages = _pdf_pages(work / "in-bang-khen" / "bang_khen.pdf")
    assert len(pages) == len(names)
    for page, name, number in zip(pages, names, numbers):
        assert name in page and f"Số: {number}" in page
    # the receipt list
    sheet = openpyxl.load_workbook(work / "in-bang-khen" / "danh_sach_ky_nhan.xlsx").active
    receipt = [r for r in sheet.iter_rows(values_only=True) if isinstance(r[0], int)]
    assert [r[1] for r in receipt] == names and [r[7] for r in receipt] == numbers
    assert any(isinstance(v, str) and v.startswith(f"Tổng cộng: {len(names):02d}") for r in sheet.iter_rows(
        values_only=True) for v in r)
    # the MC script: each awardee called once, in annex order, its tray number beside it
    script = docx.Document(work / "hoi-nghi" / "van-ban" / "kich_ban.docx").tables[1]
    called, trays = [], []
    for row in script.rows:
        cells = [c.text for c in row.cells]
        if "lên nhận:" in cells[2]:
            called += [line.split(". ", 1)[1] for line in cells[2].splitlines()[1:]]
            trays += [line.split(". ", 1)[1] for line in cells[3].splitlines()[1:]]
    assert len(called) == len(names) and trays == numbers
    assert all(name in line for name, line in zip(names, called))
