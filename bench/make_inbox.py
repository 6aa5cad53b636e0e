"""Write a national-scale inbox for the benchmark: DIR/campaign.toml with N generated units
(quotas as in the default campaign) and DIR/inbox/ with one filled workbook per unit, made
from the real template by the same filler the tests use. About a fifth of the units make a
typical mistake. Deterministic for a given N.

    python bench/make_inbox.py --units 1000 --out bench/work/n1000
"""
from __future__ import annotations

import argparse
import datetime as dt
import multiprocessing
import os
import re
import shutil
import sys
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from filler import Filler, fill_unit, sample_individual  # noqa: E402

from thidua_batch.config import schema  # noqa: E402
from thidua_batch.config.campaign import default_campaign_text, parse_campaign  # noqa: E402
from thidua_batch.config.unit_template import write_template  # noqa: E402

VN = dt.timezone(dt.timedelta(hours=7))
KINDS = ("Trường Tiểu học", "Trường Trung học cơ sở", "Trạm Y tế xã", "Ủy ban nhân dân xã", "Chi cục Thuế",
         "Kho bạc Nhà nước", "Bệnh viện Đa khoa", "Phòng Giáo dục và Đào tạo")
# Given names appended to every generated person (see given_names).
_GIVEN = ("An", "Bình", "Cường", "Dũng", "Giang", "Hà", "Hải", "Hạnh", "Hiếu", "Hoa", "Hùng", "Hương", "Khánh",
          "Lan", "Linh", "Long", "Mai", "Minh", "Nam", "Nga", "Ngọc", "Nhung", "Phong", "Phương", "Quang",
          "Quân", "Sơn", "Tâm", "Thảo", "Thắng", "Thủy", "Trang", "Trung", "Tú", "Tuấn", "Vân", "Việt", "Xuân",
          "Yến", "Đức")
MISTAKES = ("over-quota", "bad-gender", "missing-position", "low-vote", "no-minutes", "nfd", "text-dates",
            "late", "abbreviated")


def given_names(person: int) -> str:
    """Given names that differ for every person number below 40**4 (2.56 million): three words in
    base 40, and a fourth once the three are used up, so no two people of 10,000 units (about
    60,000 people) share a name and the duplicate checks measure the tool, not the generator."""
    words = [_GIVEN[(person // len(_GIVEN) ** k) % len(_GIVEN)] for k in range(3)]
    if person >= len(_GIVEN) ** 3:
        words.append(_GIVEN[(person // len(_GIVEN) ** 3) % len(_GIVEN)])
    return " ".join(words)


def unit_table(n: int) -> list[dict]:
    units = []
    for i in range(1, n + 1):
        individuals = 8 if i % 25 == 0 else 6 if i % 10 == 0 else 4
        units.append({"id": f"cdcs-{i:04d}", "name": f"Công đoàn cơ sở {KINDS[i % len(KINDS)]} số {i}",
                      "type": "công đoàn cơ sở", "collectives": 1, "individuals": individuals})
    return units


def campaign_text(n: int) -> str:
    head = default_campaign_text().split("[[units]]")[0]
    head = re.sub(r'^id = ".*"$', 'id = "bench-quoc-gia"', head, count=1, flags=re.M)
    blocks = [f'[[units]]\nid = "{u["id"]}"\nname = "{u["name"]}"\ntype = "{u["type"]}"\n'
              f'collectives = {u["collectives"]}\nindividuals = {u["individuals"]}\n' for u in unit_table(n)]
    return head + "\n".join(blocks)


def mistake_of(i: int) -> str | None:
    """One unit in five makes a mistake, cycling through the typical ones."""
    return MISTAKES[(i // 5) % len(MISTAKES)] if i % 5 == 0 else None


_CAMPAIGN = {}


def _campaign(campaign_file: str):
    if campaign_file not in _CAMPAIGN:
        _CAMPAIGN[campaign_file] = parse_campaign(Path(campaign_file).read_text("utf-8"), campaign_file)
    return _CAMPAIGN[campaign_file]


def _make(job: tuple[int, str, str, str]) -> None:
    i, work, campaign_file, inbox = job
    campaign = _campaign(campaign_file)
    unit = campaign.roster.units[i - 1]
    mistake = mistake_of(i)
    # each unit fills the template made for it, as the board sends them out
    template = write_template(campaign, Path(work) / f"mau_{unit.id}.xlsx", unit)
    filler = Filler(template)
    extra = 1 if mistake == "over-quota" else 0
    fill_unit(filler, unit, collectives=1, individuals=unit.individuals + extra, offset=i % 97, first=(i * 7) % 150 + 1)
    tt = schema.SHEET_COLLECTIVES
    collective = f"{filler.column_of(tt, 'Tên tập thể')}{filler.header_row(tt) + 1}"
    filler.set_cell(tt, collective, f"Tổ công đoàn {KINDS[(i + 3) % len(KINDS)]} thuộc {unit.name}")
    cn = schema.SHEET_INDIVIDUALS
    first_row = filler.header_row(cn) + 1
    name_col = filler.column_of(cn, "Họ và tên")
    for k in range(unit.individuals + extra):
        person = i * 10 + k
        cell = f"{name_col}{first_row + k}"
        filler.set_cell(cn, cell, f"{filler.ws(cn)[cell].value} {given_names(person)}")
    if mistake == "bad-gender":
        filler.set_cell(cn, f"{filler.column_of(cn, 'Giới tính')}{first_row}", "X")
    elif mistake == "missing-position":
        filler.set_cell(cn, f"{filler.column_of(cn, 'Chức vụ')}{first_row + 1}", None)
    elif mistake == "low-vote":
        filler.set_cell(cn, f"{filler.column_of(cn, 'Tỷ lệ phiếu đồng ý (%)')}{first_row}", 45)
    elif mistake == "no-minutes":
        filler.set_field("Có biên bản họp xét", "Không")
    elif mistake == "text-dates":
        filler.set_field("Ngày họp xét", "12/12/2020")
        filler.set_field("Ngày tờ trình", "2020-12-14")
    elif mistake == "abbreviated":
        filler.set_field("Đơn vị đề nghị", unit.name.replace("Công đoàn cơ sở", "CĐCS"))
    elif mistake == "nfd":
        filler.add_row(cn, {k: unicodedata.normalize("NFD", v) if isinstance(v, str) else v
                            for k, v in sample_individual(160 + i % 40, unit).items()}, at_row=first_row)
    path = filler.save(Path(inbox) / f"{unit.id} de nghi khen thuong.xlsx")
    template.unlink()
    day = 23 if mistake == "late" else 10 + i % 9
    stamp = dt.datetime(2020, 12, day, 8 + i % 9, i % 60, tzinfo=VN).timestamp()
    os.utime(path, (stamp, stamp))


def make(n: int, out: Path, workers: int = 2) -> Path:
    marker = out / f".complete-{n}"
    if marker.exists():
        return out
    if out.exists():
        shutil.rmtree(out)
    (out / "inbox").mkdir(parents=True)
    campaign_file = out / "campaign.toml"
    campaign_file.write_text(campaign_text(n), "utf-8")
    (out / "templates").mkdir()
    jobs = [(i, str(out / "templates"), str(campaign_file), str(out / "inbox")) for i in range(1, n + 1)]
    with multiprocessing.Pool(workers) as pool:
        for _ in pool.imap_unordered(_make, jobs, chunksize=8):
            pass
    marker.write_text("ok")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, required=True)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    make(args.units, args.out)
    print(f"{args.out}: {args.units} units")


if __name__ == "__main__":
    main()
