"""What the `register` commands do (register.md, "Commands"): a run's decision once signed, a
decision made elsewhere from a list workbook, the import template, the export."""
from __future__ import annotations

import datetime as dt
import io
import json
from dataclasses import dataclass
from pathlib import Path

import python_calamine
import xlsxwriter

from ..common.atomic import atomic_path
from ..common.library_words import library_detail
from ..common.text import clean, label_key_ascii
from ..config.campaign import Campaign
from ..intake.safety import inspect_workbook_bytes
from ..model.results import COLLECTIVE, INDIVIDUAL
from .model import Awardee, Decision
from .store import Register, RegisterError, open_register


def parse_date(text: str) -> dt.date:
    """A decision's date as the officer types it: 2020-12-28 or 28/12/2020."""
    text = text.strip()
    for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise RegisterError(f"Ngày quyết định “{text}” không hợp lệ. Ghi dạng 2020-12-28 hoặc 28/12/2020.")


def _base(campaign: Campaign, number: str, date: dt.date, award: str | None, year: int | None,
          source: str) -> dict:
    if not clean(number):
        raise RegisterError("Chưa có số quyết định (--number), ví dụ “123/QĐ-LĐLĐ”.")
    org, signer = campaign.organisation, campaign.signer
    return dict(number=clean(number), date=date, award=clean(award or campaign.award.name),
                year=year or campaign.year, issuer=org.authority_short, signer_title=signer.title,
                signer_name=signer.name, on_behalf=signer.on_behalf, place=org.place, campaign_id=campaign.id,
                campaign_name=campaign.movement, money_collective=campaign.award.per_collective,
                money_individual=campaign.award.per_individual, source=source)


def decision_from_run(run_dir: Path, number: str, date: dt.date, campaign: Campaign) -> Decision:
    """The decision a run drafted: exactly the nominations of its report.json that went into it, in
    annex order, with the campaign's award, money and signer."""
    path = Path(run_dir) / "report.json"
    try:
        report = json.loads(path.read_text("utf-8"))
    except FileNotFoundError:
        raise RegisterError(f"Không thấy “{path}”: RUN_DIR phải là thư mục kết quả của “thidua-batch run”.") from None
    except (OSError, ValueError) as exc:
        raise RegisterError(f"Không đọc được “{path}”: {exc}.") from None
    if report.get("campaign", {}).get("id") != campaign.id:
        raise RegisterError(f"Kết quả “{path}” thuộc chiến dịch “{report.get('campaign', {}).get('id')}”, không "
                            f"phải “{campaign.id}”. Dùng --campaign với đúng tệp chiến dịch của lần chạy đó.")
    if "decision" not in report:
        raise RegisterError(f"“{path}” được ghi bằng phiên bản cũ, chưa có danh sách quyết định. Chạy lại "
                            "“thidua-batch run” rồi ghi sổ.")
    money = {COLLECTIVE: campaign.award.per_collective, INDIVIDUAL: campaign.award.per_individual}
    awardees = tuple(
        Awardee(kind=e["kind"], name=clean(e["name"]), order=i, gender=e.get("gender"), birth_year=e.get("birth_year"),
                position=e.get("position") or "", workplace=e.get("workplace") or "", unit_id=e.get("unit"),
                unit_name=_unit_name(campaign, e.get("unit")), summary=e.get("summary") or "", money=money[e["kind"]])
        for i, e in enumerate(report["decision"], 1))
    return Decision(**_base(campaign, number, date, None, None, f"run: {path}"), awardees=awardees)


def record_run(register_path: Path | None, run_dir: Path, number: str, date: dt.date | str, campaign: Campaign
               ) -> tuple[bool, Decision]:
    """`register record` as a library call (the page calls it too): the run's decision recorded, or
    RegisterError (SecondAward when someone would be awarded twice in the campaign and form) with the
    register untouched (not even created when the run cannot be read). (True, decision) when
    recorded, (False, decision) when already there identically."""
    day = parse_date(date) if isinstance(date, str) else date
    decision = decision_from_run(run_dir, number, day, campaign)
    with open_register(register_path) as register:
        return register.record(decision), decision


def remove_decision(register: Register, number: str) -> Decision:
    """`register remove --yes` as a library call: the decision, its awardees and certificate numbers
    taken back; RegisterError for an unknown number. Show `removal_lines` and ask first."""
    return register.remove(number)


def removal_lines(decision: Decision) -> list[str]:
    """What `register remove` takes back, said before it asks: the decision, each awardee and the
    certificate number printed for them."""
    collectives = sum(a.kind == COLLECTIVE for a in decision.awardees)
    lines = [f"Quyết định số {decision.number} ngày {decision.date:%d/%m/%Y}: {decision.award} "
             f"({collectives} tập thể, {len(decision.awardees) - collectives} cá nhân; nguồn: {decision.source or '-'})."]
    for a in decision.awardees:
        who = a.name + (f" ({a.birth_year})" if a.kind == INDIVIDUAL and a.birth_year else "")
        number = f", số bằng {a.certificate_no}" if a.certificate_no else ""
        lines.append(f"  {a.order}. {'Tập thể ' if a.kind == COLLECTIVE else ''}{who}{number}")
    printed = sum(1 for a in decision.awardees if a.certificate_no)
    if printed:
        lines.append(f"{printed} số Bằng khen đã cấp cũng bị gỡ; bằng đã in theo các số này không còn trong sổ.")
    return lines


def _unit_name(campaign: Campaign, unit_id: str | None) -> str:
    unit = campaign.roster.get(unit_id) if unit_id else None
    return unit.name if unit else (unit_id or "")


# -- the list workbook of `register import` -------------------------------------------------

SHEET_COLLECTIVES, SHEET_INDIVIDUALS = "Tập thể", "Cá nhân"


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    required: bool
    width: int


IMPORT_COLUMNS = {
    SHEET_COLLECTIVES: (Column("stt", "STT", False, 6), Column("name", "Tên tập thể", True, 50),
                        Column("unit", "Đơn vị đề nghị", False, 36), Column("money", "Số tiền (đồng)", False, 16)),
    SHEET_INDIVIDUALS: (Column("stt", "STT", False, 6), Column("name", "Họ và tên", True, 28),
                        Column("gender", "Giới tính", False, 10), Column("birth_year", "Năm sinh", True, 10),
                        Column("position", "Chức vụ", False, 26), Column("workplace", "Đơn vị công tác", False, 36),
                        Column("unit", "Đơn vị đề nghị", False, 36), Column("money", "Số tiền (đồng)", False, 16)),
}


def write_import_template(out_dir: Path) -> Path:
    """The list workbook `register import` reads: the decision's annex columns plus gender, year, money."""
    path = Path(out_dir) / "mau_nhap_quyet_dinh.xlsx"
    with atomic_path(path) as tmp:
        book = xlsxwriter.Workbook(str(tmp), {"strings_to_formulas": False, "strings_to_numbers": False})
        head = book.add_format({"bold": True, "border": 1, "text_wrap": True, "align": "center", "valign": "vcenter"})
        for sheet, columns in IMPORT_COLUMNS.items():
            ws = book.add_worksheet(sheet)
            for c, column in enumerate(columns):
                ws.set_column(c, c, column.width)
                ws.write_string(0, c, column.label + (" *" if column.required else ""), head)
            ws.freeze_panes(1, 0)
            if sheet == SHEET_INDIVIDUALS:
                ws.data_validation(1, 2, 2000, 2, {"validate": "list", "source": ["Nam", "Nữ"]})
        book.close()
    return path


class ImportProblems(RegisterError):
    """Rows of an import workbook that cannot be recorded; nothing was recorded."""


def decision_from_list(path: Path, number: str, date: dt.date, award: str, campaign: Campaign,
                       year: int | None = None) -> Decision:
    """A decision made elsewhere, from a list workbook; every bad row is named by sheet and cell."""
    book = _open_list(Path(path), campaign)
    problems: list[str] = []
    awardees: list[Awardee] = []
    money = {COLLECTIVE: campaign.award.per_collective, INDIVIDUAL: campaign.award.per_individual}
    for sheet, kind in ((SHEET_COLLECTIVES, COLLECTIVE), (SHEET_INDIVIDUALS, INDIVIDUAL)):
        name = next((n for n in book.sheet_names if label_key_ascii(n) == label_key_ascii(sheet)), None)
        if name is None:
            continue
        rows = book.get_sheet_by_name(name).to_python(skip_empty_area=False)
        for awardee in _read_rows(name, rows, kind, IMPORT_COLUMNS[sheet], campaign, money[kind], problems):
            awardees.append(awardee)
    if problems:
        raise ImportProblems("Không ghi gì vào sổ vì tệp có lỗi:\n" + "\n".join(f"- {p}" for p in problems))
    if not awardees:
        raise RegisterError(f"“{path}” không có dòng nào ở trang “{SHEET_COLLECTIVES}” hay “{SHEET_INDIVIDUALS}”.")
    ordered = tuple(Awardee(**{**a.__dict__, "order": i}) for i, a in enumerate(awardees, 1))
    return Decision(**_base(campaign, number, date, award, year, f"import: {Path(path).name}"), awardees=ordered)


def _open_list(path: Path, campaign: Campaign) -> python_calamine.CalamineWorkbook:
    """The list workbook, through the inbox's file-safety checks (size from the file system, zip bombs,
    entity declarations, passwords) before any parser sees it."""
    limits = campaign.limits
    try:
        size = path.stat().st_size
        if size > limits.max_file_bytes:
            raise RegisterError(f"Không nhập được “{path}”: tệp {size / 2**20:.1f} MB, quá giới hạn "
                                f"{limits.max_file_bytes / 2**20:.0f} MB ([limits] của chiến dịch).")
        data = path.read_bytes()
    except OSError:
        raise RegisterError(f"Không đọc được “{path}”: tệp không còn, không có quyền đọc hoặc đang bị chương trình "
                            "khác khóa.") from None
    rejection = inspect_workbook_bytes(data, path.suffix.lower(), limits)
    if rejection is not None:
        raise RegisterError(f"Không nhập được “{path}”: {rejection.message}")
    try:
        return python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    except Exception as exc:  # noqa: BLE001 - calamine raises many types for bad input
        raise RegisterError(f"Không mở được “{path}” như một bảng tính: {library_detail(exc)}. Mở tệp bằng Excel, "
                            "lưu lại dạng .xlsx rồi nhập lại.") from None


def _read_rows(sheet: str, rows: list[list[object]], kind: str, columns, campaign: Campaign, default_money: int,
               problems: list[str]):
    from ..intake.grid import ref

    if not rows:
        return
    keys = {label_key_ascii(str(v).rstrip(" *")): c for c, v in enumerate(rows[0]) if v not in ("", None)}
    where = {col.key: keys.get(label_key_ascii(col.label)) for col in columns}
    for col in columns:
        if col.required and where[col.key] is None:
            problems.append(f"{sheet}!1: thiếu cột “{col.label}”.")
            return
    for r, row in enumerate(rows[1:], start=1):
        value = {k: (row[c] if c is not None and c < len(row) else "") for k, c in where.items()}
        if all(v in ("", None) for k, v in value.items() if k != "stt"):
            continue
        at = {k: f"{sheet}!{ref(r, c)}" for k, c in where.items() if c is not None}
        name = clean(str(value["name"] or ""))
        if not name:
            problems.append(f"{at['name']}: chưa ghi tên.")
        gender, year = None, None
        if kind == INDIVIDUAL:
            gender = clean(str(value.get("gender") or "")) or None
            if gender is not None and gender not in ("Nam", "Nữ"):
                problems.append(f"{at['gender']}: giới tính “{gender}” phải là Nam hoặc Nữ.")
            year = _whole(value.get("birth_year"))
            if year is None or not 1900 <= year <= campaign.year:
                problems.append(f"{at['birth_year']}: năm sinh “{value.get('birth_year')}” không hợp lệ.")
        money = default_money if value.get("money") in ("", None) else _whole(value["money"])
        if money is None or money < 0:
            problems.append(f"{at['money']}: số tiền “{value['money']}” không phải số nguyên không âm.")
        unit_text = clean(str(value.get("unit") or ""))
        unit = campaign.roster.match(unit_text).unit if unit_text else None
        yield Awardee(kind=kind, name=name, order=0, gender=gender, birth_year=year,
                      position=clean(str(value.get("position") or "")),
                      workplace=clean(str(value.get("workplace") or "")),
                      unit_id=unit.id if unit else None, unit_name=unit.name if unit else unit_text, money=money or 0)


def _whole(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)) and float(value).is_integer():
        return int(value)
    text = str(value or "").strip().replace(".", "").replace(",", "")
    return int(text) if text.isdigit() else None


def export(register: Register, path: Path) -> Path:
    """Every decision and awardee, one sheet each."""
    decisions = register.decisions()
    with atomic_path(Path(path)) as tmp:
        book = xlsxwriter.Workbook(str(tmp), {"strings_to_formulas": False, "strings_to_numbers": False})
        head = book.add_format({"bold": True, "border": 1, "text_wrap": True})
        sheets = {
            "Quyết định": (("Số quyết định", 18), ("Ngày", 12), ("Hình thức", 40), ("Năm", 8), ("Cơ quan ban hành", 30),
                           ("Người ký", 24), ("Chiến dịch", 30), ("Số tập thể", 10), ("Số cá nhân", 10), ("Nguồn", 40)),
            "Người được khen": (("Số quyết định", 18), ("Thứ tự", 8), ("Loại", 10), ("Tên", 30), ("Giới tính", 8),
                                ("Năm sinh", 8), ("Chức vụ", 24), ("Đơn vị công tác", 30), ("Đơn vị đề nghị", 30),
                                ("Số tiền", 12), ("Số bằng khen", 16)),
        }
        rows = {
            "Quyết định": [[d.number, d.date.strftime("%d/%m/%Y"), d.award, d.year, d.issuer,
                            f"{d.signer_title} {d.signer_name}".strip(), d.campaign_name,
                            sum(a.kind == COLLECTIVE for a in d.awardees),
                            sum(a.kind == INDIVIDUAL for a in d.awardees), d.source] for d in decisions],
            "Người được khen": [[d.number, a.order, "Tập thể" if a.kind == COLLECTIVE else "Cá nhân", a.name,
                                 a.gender, a.birth_year, a.position, a.workplace, a.unit_name, a.money,
                                 a.certificate_no] for d in decisions for a in d.awardees],
        }
        for name, columns in sheets.items():
            ws = book.add_worksheet(name)
            for c, (label, width) in enumerate(columns):
                ws.set_column(c, c, width)
                ws.write_string(0, c, label, head)
            for r, values in enumerate(rows[name], 1):
                for c, value in enumerate(values):
                    if isinstance(value, str):
                        ws.write_string(r, c, value)
                    elif value is not None:
                        ws.write_number(r, c, value)
            ws.freeze_panes(1, 0)
        book.close()
    return Path(path)
