"""The blank workbook units fill (spec/workbook.md): written with openpyxl from `schema`.

The sheet names, labels and identity block are the contract the reader relies on;
everything else here (colours, widths, help text, protection) is presentation.
"""
from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from ..common.atomic import OutputSet, atomic_path
from . import schema
from .campaign import Campaign, load_campaign
from .roster import Unit
from .schema import Field, Kind

BLANK_FILENAME = "mau_de_nghi_khen_thuong.xlsx"
BLANK_ROWS = 8          # pre-numbered rows in the blank template
DATA_ROWS = 300         # rows under the header left unlocked for units to fill
HEADER_ROW = 3          # title on row 1, a hint on row 2; the reader finds the header by its labels
DATE_FORMAT = "dd/mm/yyyy"
FONT = "Times New Roman"

_THIN = Side(style="thin", color="808080")
BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
INPUT_FILL = PatternFill("solid", fgColor="FFFDE7")
_UNLOCKED = Protection(locked=False)


class TemplateUnitError(ValueError):
    """The unit id asked for is not in the campaign's roster."""


def template_filename(unit: Unit | None) -> str:
    return BLANK_FILENAME if unit is None else f"mau_de_nghi_khen_thuong_{unit.id}.xlsx"


def write_templates(campaign: Campaign, out_dir: Path, unit_id: str | None = None,
                    all_units: bool = False) -> list[Path]:
    """The blank template, one unit's (unit_id), or the blank plus every unit's (all_units)."""
    out_dir = Path(out_dir)
    if unit_id is not None and all_units:
        raise TemplateUnitError("Chỉ chọn một trong hai: một đơn vị (--unit) hoặc tất cả đơn vị (--all-units).")
    if unit_id is not None:
        unit = campaign.roster.get(unit_id)
        if unit is None:
            valid = ", ".join(u.id for u in campaign.roster)
            raise TemplateUnitError(f"Không có đơn vị mã “{unit_id}” trong danh sách. Các mã hợp lệ: {valid}.")
        units: list[Unit | None] = [unit]
    elif all_units:
        units = [None, *campaign.roster]
    else:
        units = [None]
    with OutputSet(out_dir) as out:      # one set: a template open in Excel leaves all of them as they were
        return [out.final(write_template(campaign, out.path(template_filename(u)), u)) for u in units]


def write_template(campaign: Campaign, path: Path, unit: Unit | None = None) -> Path:
    wb = build_workbook(campaign, unit)
    with atomic_path(path) as tmp:
        wb.save(tmp)
    return Path(path)


def build_workbook(campaign: Campaign, unit: Unit | None = None) -> Workbook:
    wb = Workbook()
    wb.properties.creator = "thidua-batch"
    wb.properties.lastModifiedBy = "thidua-batch"
    wb.properties.title = "Mẫu đề nghị khen thưởng"
    wb.properties.created = dt.datetime.combine(campaign.plan.date, dt.time())
    guide = wb.active
    guide.title = schema.SHEET_GUIDE
    unit_ws = wb.create_sheet(schema.SHEET_UNIT)
    coll_ws = wb.create_sheet(schema.SHEET_COLLECTIVES)
    ind_ws = wb.create_sheet(schema.SHEET_INDIVIDUALS)
    lists_ws = wb.create_sheet(schema.SHEET_LISTS)

    _write_lists(wb, lists_ws, campaign, unit)
    _write_guide(guide, campaign, unit)
    _write_unit_sheet(unit_ws, unit)
    quota_c = unit.collectives if unit else BLANK_ROWS
    quota_i = unit.individuals if unit else BLANK_ROWS
    years = schema.birth_years(campaign.year)
    _write_nomination_sheet(coll_ws, schema.COLLECTIVE_FIELDS, _collective_title(unit), quota_c, years)
    _write_nomination_sheet(ind_ws, schema.INDIVIDUAL_FIELDS, _individual_title(unit), quota_i, years)
    wb.active = 0
    return wb


# --- helpers ---------------------------------------------------------------

def font(size: int = 12, bold: bool = False, italic: bool = False, color: str | None = None) -> Font:
    return Font(name=FONT, size=size, bold=bold, italic=italic, color=color)


def header_text(field: Field) -> str:
    """The label as written in the template: required ones carry a trailing " *"."""
    return f"{field.label} *" if field.required else field.label


def quota_text(unit: Unit) -> str:
    return f"{unit.collectives:02d} tập thể và {unit.individuals:02d} cá nhân"


def _date(d: dt.date) -> str:
    return d.strftime("%d/%m/%Y")


def _protect(ws: Worksheet) -> None:
    """Protect locked cells without a password; units may still insert, delete, format, sort, filter."""
    p = ws.protection
    p.sheet = True
    for attr in ("formatCells", "formatColumns", "formatRows", "insertColumns", "insertRows",
                 "insertHyperlinks", "deleteColumns", "deleteRows", "sort", "autoFilter",
                 "selectLockedCells", "selectUnlockedCells"):
        setattr(p, attr, False)  # False means "allowed"
    p.objects = True
    p.scenarios = True


def list_validation(name: str, prompt_title: str, prompt: str) -> DataValidation:
    dv = DataValidation(type="list", formula1=name, allow_blank=True, showDropDown=False)
    dv.promptTitle, dv.prompt = prompt_title, prompt
    dv.errorTitle = "Giá trị không có trong danh sách"
    dv.error = "Vui lòng chọn một giá trị trong danh sách."
    dv.errorStyle = "warning"
    dv.showErrorMessage = True
    dv.showInputMessage = True
    return dv


# --- Danh mục (hidden): identity and lists ---------------------------------------

def _write_lists(wb: Workbook, ws: Worksheet, campaign: Campaign, unit: Unit | None) -> None:
    values = (schema.TEMPLATE_ID, schema.TEMPLATE_VERSION, campaign.id,
              unit.id if unit else "", unit.name if unit else "")
    for row, (key, value) in enumerate(zip(schema.IDENTITY_KEYS, values), start=1):
        ws.cell(row, 1, key)
        ws.cell(row, 2, value)
    lists = (
        # A unit's own template offers only its own name: nothing to pick wrongly, and its size
        # does not grow with the roster (a national roll-up has thousands of units).
        (schema.LIST_UNITS, schema.NAME_UNITS, "Đơn vị", [unit.name] if unit else [u.name for u in campaign.roster]),
        (schema.LIST_GENDER, schema.NAME_GENDER, "Giới tính", list(schema.GENDERS)),
        (schema.LIST_YES_NO, schema.NAME_YES_NO, "Có/Không", [schema.YES, schema.NO]),
    )
    for column, name, title, items in lists:
        ws[f"{column}1"] = title
        ws[f"{column}1"].font = font(bold=True)
        for i, item in enumerate(items, start=2):
            ws[f"{column}{i}"] = item
        ref = f"'{ws.title}'!${column}$2:${column}${len(items) + 1}"
        wb.defined_names[name] = DefinedName(name, attr_text=ref)
        ws.column_dimensions[column].width = 45 if column == schema.LIST_UNITS else 14
    ws.column_dimensions["A"].width = 18
    ws.column_dimensions["B"].width = 45
    ws.sheet_state = "hidden"
    _protect(ws)


# --- Hướng dẫn ----------------------------------------------------------------------

def _write_guide(ws: Worksheet, campaign: Campaign, unit: Unit | None) -> None:
    ws.column_dimensions["A"].width = 16
    ws.column_dimensions["B"].width = 30
    ws.column_dimensions["C"].width = 11
    ws.column_dimensions["D"].width = 70
    ws.sheet_view.showGridLines = False
    row = 1

    def line(text: str, *, size: int = 12, bold: bool = False, italic: bool = False,
             gap: int = 0, color: str | None = None) -> None:
        nonlocal row
        row += gap
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=4)
        cell = ws.cell(row, 1, text)
        cell.font = font(size, bold, italic, color)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        # merged cells do not grow to fit wrapped text: give long lines room
        lines = max(1, -(-len(text) // 140))
        if lines > 1:
            ws.row_dimensions[row].height = 16 * lines
        row += 1

    org = campaign.organisation
    plan = campaign.plan
    line("HƯỚNG DẪN ĐIỀN MẪU ĐỀ NGHỊ KHEN THƯỞNG", size=14, bold=True)
    line(campaign.name, italic=True)
    line(f"Thực hiện Kế hoạch số {plan.number} ngày {_date(plan.date)} của {org.authority_short}.", italic=True)
    if unit is not None:
        line(f"Đơn vị: {unit.name}", bold=True, gap=1)
        line(f"Chỉ tiêu: xét lựa chọn tối đa {quota_text(unit)}.", bold=True)
    else:
        line("Chỉ tiêu của các đơn vị (số tối đa được đề nghị):", bold=True, gap=1)
        for u in campaign.roster:
            line(f"   • {u.name}: {quota_text(u)}.")
    line(f"Hạn gửi: chậm nhất ngày {_date(campaign.deadline)}.", bold=True, color="C00000", gap=1)
    line(f"Nơi nhận: gửi tệp này (định dạng .xlsx) qua thư điện tử về địa chỉ {campaign.contact_email} "
         f"({campaign.contact}) trước hạn nói trên.")

    line("CÁCH ĐIỀN", size=13, bold=True, gap=1)
    name_hint = ("Tên đơn vị đã được điền sẵn, vui lòng không sửa." if unit is not None
                 else "Chọn tên đơn vị trong danh sách thả xuống.")
    steps = (
        f"1. Trang “{schema.SHEET_UNIT}”: điền thông tin của đơn vị đề nghị vào cột “Giá trị”. {name_hint}",
        f"2. Trang “{schema.SHEET_COLLECTIVES}”: mỗi dòng một tập thể được đề nghị khen thưởng.",
        f"3. Trang “{schema.SHEET_INDIVIDUALS}”: mỗi dòng một cá nhân được đề nghị khen thưởng.",
        "4. Các ô có dấu * là bắt buộc. Cột STT đã đánh số sẵn; dòng chỉ có STT được coi là dòng trống.",
        "5. Ngày ghi theo dạng ngày/tháng/năm, ví dụ 15/12/2020. Năm sinh ghi đủ bốn chữ số, ví dụ 1985. "
        "Tỷ lệ phiếu đồng ý ghi số phần trăm, ví dụ 85.",
        "6. Không đổi tên các trang tính và không sửa chữ ở dòng tiêu đề các cột. "
        "Được chèn thêm dòng, thêm cột nếu cần.",
        "7. Các dòng tiêu đề được khóa (không có mật khẩu) để tránh sửa nhầm; nếu thật cần, chọn "
        "Xem lại (Review) › Bỏ bảo vệ trang tính (Unprotect Sheet).",
        "8. Lưu tệp ở định dạng Excel .xlsx (không chuyển sang PDF, ảnh hay Word) rồi gửi kèm thư điện tử.",
        "9. Gửi kèm hồ sơ: tờ trình, biên bản họp xét của đơn vị và báo cáo tóm tắt thành tích "
        f"(mục IV.3 Kế hoạch số {plan.number}); đánh dấu Có/Không tương ứng ở trang “{schema.SHEET_UNIT}”.",
    )
    for step in steps:
        line(step)

    line("Ý NGHĨA CÁC CỘT", size=13, bold=True, gap=1)
    for col, title in enumerate(("Trang", "Cột / Thông tin", "Bắt buộc", "Cách ghi"), start=1):
        cell = ws.cell(row, col, title)
        cell.font = font(bold=True)
        cell.fill = HEADER_FILL
        cell.border = BORDER
    row += 1
    sections = ((schema.SHEET_UNIT, schema.UNIT_FIELDS),
                (schema.SHEET_COLLECTIVES, schema.COLLECTIVE_FIELDS),
                (schema.SHEET_INDIVIDUALS, schema.INDIVIDUAL_FIELDS))
    for sheet, fields in sections:
        for field in fields:
            values = (sheet, field.label, "Có (*)" if field.required else "", field.help)
            for col, value in enumerate(values, start=1):
                cell = ws.cell(row, col, value)
                cell.font = font(bold=(col == 2 and field.required))
                cell.border = BORDER
                cell.alignment = Alignment(wrap_text=True, vertical="top")
            row += 1
    line("Xin cảm ơn sự phối hợp của các đơn vị.", italic=True, gap=1)
    _print_and_protect(ws, "portrait")


def _print_and_protect(ws: Worksheet, orientation: str) -> None:
    """A4, one page wide, then the sheet protected (headers locked, data area editable)."""
    ws.page_setup.orientation = orientation
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    _protect(ws)


# --- Đơn vị -------------------------------------------------------------------------

def _write_unit_sheet(ws: Worksheet, unit: Unit | None) -> None:
    for col, title in enumerate(("Thông tin", "Giá trị", "Hướng dẫn"), start=1):
        cell = ws.cell(1, col, title)
        cell.font = font(bold=True)
        cell.fill = HEADER_FILL
        cell.border = BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center")
    ws.column_dimensions["A"].width = 32
    ws.column_dimensions["B"].width = 45
    ws.column_dimensions["C"].width = 60
    validations: dict[str, DataValidation] = {}

    def validation(key: str, make) -> DataValidation:
        if key not in validations:
            validations[key] = make()
            ws.add_data_validation(validations[key])
        return validations[key]

    for row, field in enumerate(schema.UNIT_FIELDS, start=2):
        label = ws.cell(row, 1, header_text(field))
        label.font = font(bold=field.required)
        label.border = BORDER
        label.alignment = Alignment(vertical="center")
        value = ws.cell(row, 2)
        value.font = font()
        value.border = BORDER
        value.fill = INPUT_FILL
        value.protection = _UNLOCKED
        value.alignment = Alignment(horizontal="left", vertical="center", wrap_text=True)
        hint = ws.cell(row, 3, field.help)
        hint.font = font(11, italic=True, color="595959")
        hint.alignment = Alignment(vertical="center", wrap_text=True)
        ref = f"B{row}"
        if field.kind is Kind.UNIT:
            validation("unit", lambda: list_validation(schema.NAME_UNITS, "Đơn vị đề nghị",
                                                        "Chọn tên đơn vị trong danh sách.")).add(ref)
            if unit is not None:
                value.value = unit.name
        elif field.kind is Kind.YES_NO:
            validation("yes-no", lambda: list_validation(schema.NAME_YES_NO, "Có/Không",
                                                          "Chọn Có hoặc Không.")).add(ref)
        elif field.kind is Kind.DATE:
            value.number_format = DATE_FORMAT
        elif field.kind is Kind.WHOLE:
            validation("whole", _members_validation).add(ref)
        elif field.key == "phone":
            value.number_format = "@"
    ws.freeze_panes = "A2"
    _print_and_protect(ws, "landscape")


def _members_validation() -> DataValidation:
    dv = DataValidation(type="whole", operator="between", formula1="0", formula2="1000", allow_blank=True)
    dv.errorTitle = "Số thành viên"
    dv.error = "Số thành viên là một số nguyên, ví dụ 9."
    dv.errorStyle = "warning"
    dv.showErrorMessage = True
    return dv


# --- Tập thể / Cá nhân ----------------------------------------------------------------

def _collective_title(unit: Unit | None) -> str:
    title = "DANH SÁCH TẬP THỂ ĐỀ NGHỊ KHEN THƯỞNG"
    return f"{title} - {unit.name} (tối đa {unit.collectives:02d} tập thể)" if unit else title


def _individual_title(unit: Unit | None) -> str:
    title = "DANH SÁCH CÁ NHÂN ĐỀ NGHỊ KHEN THƯỞNG"
    return f"{title} - {unit.name} (tối đa {unit.individuals:02d} cá nhân)" if unit else title


def _write_nomination_sheet(ws: Worksheet, fields: tuple[Field, ...], title: str, rows: int,
                            years: tuple[int, int]) -> None:
    h = HEADER_ROW
    last_col = get_column_letter(len(fields))
    ws.cell(1, 1, title).font = font(13, bold=True)
    ws.cell(2, 1, "Mỗi dòng một đề nghị. Cột có dấu * là bắt buộc. "
                  "Xem trang “Hướng dẫn” trước khi điền.").font = font(11, italic=True, color="595959")
    ws.row_dimensions[h].height = 36
    for col, field in enumerate(fields, start=1):
        letter = get_column_letter(col)
        cell = ws.cell(h, col, header_text(field))
        cell.font = font(bold=True)
        cell.fill = HEADER_FILL
        cell.border = BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        ws.column_dimensions[letter].width = field.width
        wrap = field.key in ("summary", "name", "workplace", "position", "note")
        for r in range(h + 1, h + 1 + DATA_ROWS):
            data = ws.cell(r, col)
            data.protection = _UNLOCKED
            data.font = font()
            data.alignment = Alignment(vertical="top", wrap_text=wrap,
                                       horizontal="center" if field.key in ("stt", "gender", "birth_year", "vote")
                                       else None)
            if r <= h + rows:
                data.border = BORDER
        if field.key == "stt":
            for i in range(1, rows + 1):
                ws.cell(h + i, col, i)
        data_range = f"{letter}{h + 1}:{letter}{h + DATA_ROWS}"
        if field.kind is Kind.GENDER:
            dv = list_validation(schema.NAME_GENDER, "Giới tính", "Chọn Nam hoặc Nữ.")
        elif field.kind is Kind.YEAR:
            dv = DataValidation(type="whole", operator="between", formula1=str(years[0]),
                                formula2=str(years[1]), allow_blank=True)
            dv.promptTitle, dv.prompt = "Năm sinh", "Ghi năm sinh đủ bốn chữ số, ví dụ 1985."
            dv.errorTitle = "Năm sinh chưa đúng"
            dv.error = f"Năm sinh là số có bốn chữ số, từ {years[0]} đến {years[1]}."
        elif field.kind is Kind.PERCENT:
            dv = DataValidation(type="decimal", operator="between", formula1="0", formula2="100",
                                allow_blank=True)
            dv.promptTitle, dv.prompt = "Tỷ lệ phiếu đồng ý", "Ghi số phần trăm, ví dụ 85."
            dv.errorTitle = "Tỷ lệ chưa đúng"
            dv.error = "Tỷ lệ phiếu đồng ý là một số từ 0 đến 100, ví dụ 85."
        else:
            continue
        # a warning, not a stop: unusual values can be kept, and the reader reports them
        dv.errorStyle = "warning"
        dv.showErrorMessage = True
        dv.showInputMessage = True
        dv.add(data_range)
        ws.add_data_validation(dv)
    ws.freeze_panes = f"A{h + 1}"
    ws.print_title_rows = f"{h}:{h}"
    ws.print_area = f"A1:{last_col}{h + rows}"
    _print_and_protect(ws, "landscape")


def main(argv: list[str] | None = None) -> int:
    """python -m thidua_batch.config.unit_template DIR: the blank template and every unit's into DIR."""
    args = sys.argv[1:] if argv is None else argv
    out_dir = Path(args[0]) if args else Path("input_templates")
    for path in write_templates(load_campaign(), out_dir, all_units=True):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
