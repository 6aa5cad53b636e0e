"""The delegates workbook (`dai_bieu.xlsx`): the blank the Văn phòng fills, and its reader.

Written with openpyxl like the units' template (dropdowns from a hidden list sheet); read with
python-calamine by the reader's rules: the sheet and the columns are found by their labels,
every text is NFC with spaces collapsed, and every problem names the file, sheet and cell.
"""
from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path

import python_calamine
from openpyxl import Workbook
from openpyxl.styles import Alignment
from openpyxl.workbook.defined_name import DefinedName

from ..common.atomic import atomic_path
from ..common.library_words import library_detail
from ..common.text import clean, fold, label_key_ascii
from ..config.campaign import Campaign
# The units' template's look: same font, fills and dropdown prompts.
from ..config.unit_template import BORDER, HEADER_FILL, INPUT_FILL, font, list_validation
from ..model.findings import Finding
from ..intake.grid import column_letter, ref
from ..intake.safety import inspect_workbook_bytes
from .config import Conference, ConferenceError

DELEGATES_FILE = "dai_bieu.xlsx"
SHEET, SHEET_LISTS = "Đại biểu", "Danh mục"
HEADER_ROW = 3          # 1-based: title, hint, header
DATA_ROWS = 400
PERSONAL, BY_ORGANISATION = "Mời đích danh", "Mời cơ quan"
MODES = (PERSONAL, BY_ORGANISATION)
YES, NO = "Có", "Không"
GENDERS = ("Nam", "Nữ")


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    required: bool
    width: int


COLUMNS = (
    Column("stt", "STT", False, 6),
    Column("group", "Nhóm", True, 24),
    Column("name", "Họ và tên", False, 24),
    Column("gender", "Giới tính", False, 9),
    Column("position", "Chức vụ", False, 28),
    Column("organisation", "Cơ quan, đơn vị", True, 36),
    Column("unit_id", "Mã đơn vị", False, 14),
    Column("rank", "Thứ tự trong nhóm", False, 10),
    Column("phone", "Điện thoại", False, 14),
    Column("email", "Email", False, 26),
    Column("far", "Ở xa (cần nơi nghỉ)", False, 11),
    Column("mode", "Hình thức mời", False, 16),
)


@dataclass(frozen=True)
class Delegate:
    group: str
    name: str               # "" for an organisation invited as such
    gender: str
    position: str
    organisation: str
    unit_id: str | None
    rank: int | None
    phone: str
    email: str
    far: bool
    personal: bool          # Mời đích danh; else one invitation for the organisation
    source: str             # "dai_bieu.xlsx, Đại biểu!C7", or the decision that awarded them
    seq: int = 0            # reading order, to keep the list as typed within a rank


# ---------------------------------------------------------------- the blank

def write_delegates_template(conference: Conference, campaign: Campaign, path: Path) -> Path:
    wb = Workbook()
    wb.properties.creator = wb.properties.lastModifiedBy = "thidua-batch"
    wb.properties.title = "Danh sách đại biểu dự hội nghị"
    wb.properties.created = dt.datetime.combine(conference.plan_date, dt.time())
    ws = wb.active
    ws.title = SHEET
    lists = wb.create_sheet(SHEET_LISTS)
    names = _write_lists(wb, lists, conference, campaign)
    ws.cell(1, 1, f"DANH SÁCH ĐẠI BIỂU DỰ {conference.name.upper()}").font = font(13, bold=True)
    ws.cell(2, 1, "Mỗi dòng một đại biểu. Cột có dấu * là bắt buộc; “Họ và tên” bắt buộc khi mời đích danh. "
                  "Mời cơ quan: một giấy mời cho cơ quan, không cần họ tên. “Mã đơn vị”: chỉ ghi khi là "
                  "đơn vị trong danh sách đơn vị.").font = font(11, italic=True, color="595959")
    h = HEADER_ROW
    ws.row_dimensions[h].height = 36
    for c, column in enumerate(COLUMNS):
        cell = ws.cell(h, c + 1, column.label + (" *" if column.required else ""))
        cell.font = font(bold=True)
        cell.fill = HEADER_FILL
        cell.border = BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        ws.column_dimensions[column_letter(c)].width = column.width
        for r in range(h + 1, h + 1 + DATA_ROWS):
            data = ws.cell(r, c + 1)
            data.font = font()
            if column.key in ("phone",):
                data.number_format = "@"
        dropdown = {"group": ("ds_nhom", "Nhóm", "Chọn nhóm đại biểu."),
                    "gender": ("ds_gioi_tinh_db", "Giới tính", "Chọn Nam hoặc Nữ."),
                    "unit_id": ("ds_ma_don_vi", "Mã đơn vị", "Chọn mã đơn vị (chỉ khi là đơn vị trong danh sách)."),
                    "far": ("ds_o_xa", "Ở xa", "Chọn Có nếu cần bố trí nơi nghỉ."),
                    "mode": ("ds_hinh_thuc", "Hình thức mời", "Mời đích danh (mặc định) hoặc mời cơ quan.")}
        if column.key in dropdown:
            name, title, prompt = dropdown[column.key]
            assert name in names
            dv = list_validation(name, title, prompt)
            dv.add(f"{column_letter(c)}{h + 1}:{column_letter(c)}{h + DATA_ROWS}")
            ws.add_data_validation(dv)
    for r in range(h + 1, h + 21):
        for c in range(len(COLUMNS)):
            ws.cell(r, c + 1).fill = INPUT_FILL
            ws.cell(r, c + 1).border = BORDER
    ws.freeze_panes = f"A{h + 1}"
    ws.print_title_rows = f"{h}:{h}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    wb.active = 0
    with atomic_path(path) as tmp:
        wb.save(tmp)
    return Path(path)


def _write_lists(wb: Workbook, ws, conference: Conference, campaign: Campaign) -> set[str]:
    lists = (("A", "ds_nhom", "Nhóm", list(conference.groups)),
             ("B", "ds_hinh_thuc", "Hình thức mời", list(MODES)),
             ("C", "ds_o_xa", "Ở xa", [YES, NO]),
             ("D", "ds_gioi_tinh_db", "Giới tính", list(GENDERS)),
             ("E", "ds_ma_don_vi", "Mã đơn vị", [u.id for u in campaign.roster]))
    for column, name, title, items in lists:
        ws[f"{column}1"] = title
        for i, item in enumerate(items, start=2):
            ws[f"{column}{i}"] = item
        wb.defined_names[name] = DefinedName(name, attr_text=f"'{ws.title}'!${column}$2:${column}${len(items) + 1}")
        ws.column_dimensions[column].width = 28
    for i, unit in enumerate(campaign.roster, start=2):
        ws[f"F{i}"] = unit.name
    ws["F1"] = "Tên đơn vị"
    ws.column_dimensions["F"].width = 45
    ws.sheet_state = "hidden"
    return {name for _, name, _, _ in lists}


# ---------------------------------------------------------------- reading

def read_delegates(path: Path, conference: Conference, campaign: Campaign) -> tuple[list[Delegate], list[Finding]]:
    """The delegates as listed (duplicates not yet merged) and the problems of each row.

    A file that cannot be opened, or without the sheet or its required columns, raises
    ConferenceError: there is nothing to invite then."""
    path = Path(path)
    file = path.name
    try:
        data = path.read_bytes() if path.stat().st_size <= campaign.limits.max_file_bytes else b""
    except OSError:
        raise ConferenceError(f"Không đọc được tệp danh sách đại biểu “{path}”: tệp không còn, không có quyền đọc "
                              "hoặc đang bị chương trình khác khóa.") from None
    rejection = inspect_workbook_bytes(data, path.suffix.lower(), campaign.limits) if data else None
    if not data or rejection is not None:    # the inbox's file-safety checks, before any parser
        raise ConferenceError(f"Không dùng được tệp danh sách đại biểu “{path}”: "
                              f"{rejection.message if rejection else 'tệp rỗng hoặc quá lớn.'}")
    try:
        book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    except Exception as exc:  # noqa: BLE001 - calamine raises many types for bad input
        raise ConferenceError(f"Không mở được tệp danh sách đại biểu “{path}” như một bảng tính: "
                              f"{library_detail(exc)}.") from None
    sheet = next((n for n in book.sheet_names if label_key_ascii(n) == label_key_ascii(SHEET)), None)
    if sheet is None:
        raise ConferenceError(f"Tệp “{file}” không có trang “{SHEET}” (các trang: {', '.join(book.sheet_names)}).")
    rows = book.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
    header, where = _find_header(rows)
    missing = [c.label for c in COLUMNS if c.required and c.key not in where]
    if header is None or missing:
        raise ConferenceError(f"Tệp “{file}”, trang “{sheet}”: không thấy dòng tiêu đề có các cột "
                              f"{', '.join('“' + m + '”' for m in (missing or [c.label for c in COLUMNS if c.required]))}.")
    groups = {fold(g): g for g in conference.groups}
    units = {u.id for u in campaign.roster}
    delegates, problems = [], []
    for r in range(header + 1, len(rows)):
        row = rows[r]
        values = {k: _text(row[c]) if c < len(row) else "" for k, c in where.items()}
        if not any(v for k, v in values.items() if k != "stt"):
            continue
        at = {k: ref(r, c) for k, c in where.items()}

        def problem(code: str, key: str, message: str) -> None:
            problems.append(Finding(code, message, file=file, sheet=sheet, cell=at.get(key, ref(r, 0)),
                                    value=values.get(key)))

        usable = True
        group = groups.get(fold(values["group"]))
        if not values["group"]:
            problem("required-missing", "group", "Chưa chọn nhóm đại biểu.")
            usable = False
        elif group is None:
            problem("invalid-value", "group", f"Nhóm “{values['group']}” không có trong danh sách nhóm của tệp hội "
                                              f"nghị ({', '.join(conference.groups)}).")
            usable = False
        mode = values.get("mode", "")
        personal = fold(mode) != fold(BY_ORGANISATION)
        if mode and fold(mode) not in {fold(m) for m in MODES}:
            problem("invalid-value", "mode", f"Hình thức mời “{mode}” phải là “{PERSONAL}” hoặc “{BY_ORGANISATION}”.")
        if not values["organisation"]:
            problem("required-missing", "organisation", "Chưa ghi cơ quan, đơn vị.")
            usable = False
        if personal and not values.get("name"):
            problem("required-missing", "name", "Mời đích danh nhưng chưa ghi họ và tên.")
            usable = False
        gender = values.get("gender", "")
        if gender and gender not in GENDERS:
            problem("invalid-value", "gender", f"Giới tính “{gender}” phải là Nam hoặc Nữ.")
            gender = ""
        unit_id = values.get("unit_id") or None
        if unit_id and unit_id not in units:
            problem("invalid-value", "unit_id", f"Mã đơn vị “{unit_id}” không có trong danh sách đơn vị.")
            unit_id = None
        rank = None
        if values.get("rank"):
            try:
                rank = int(float(values["rank"]))
            except ValueError:
                problem("invalid-value", "rank", f"Thứ tự trong nhóm “{values['rank']}” phải là một số.")
        far_text = values.get("far", "")
        far = fold(far_text) in ("có", "co", "x")
        if far_text and not far and fold(far_text) not in ("không", "khong"):
            problem("invalid-value", "far", f"Ở xa “{far_text}” phải là Có hoặc Không.")
        if not far_text and unit_id in conference.far_units:
            far = True
        if usable:
            delegates.append(Delegate(group=group, name=values.get("name", ""), gender=gender,
                                      position=values.get("position", ""), organisation=values["organisation"],
                                      unit_id=unit_id, rank=rank, phone=values.get("phone", ""),
                                      email=values.get("email", ""), far=far, personal=personal,
                                      source=f"{file}, {sheet}!{at.get('name', at['organisation'])}", seq=r))
    return delegates, problems


def _find_header(rows: list[list[object]]) -> tuple[int | None, dict[str, int]]:
    labels = {label_key_ascii(c.label): c.key for c in COLUMNS}
    for r, row in enumerate(rows[:15]):
        where = {}
        for c, value in enumerate(row):
            key = labels.get(label_key_ascii(str(value))) if value not in ("", None) else None
            if key and key not in where:
                where[key] = c
        if "group" in where and "organisation" in where:
            return r, where
    return None, {}


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, (dt.date, dt.datetime)):
        value = value.strftime("%d/%m/%Y")
    return clean(str(value))
