"""Fill the real generated template the way a unit would, for tests and for samples/make_samples.py.

Usage in a test::

    filler = filled(tmp_path, campaign, "tam-duong")          # valid, not yet saved
    filler.set_field("Ngày họp xét", "31/02/2020")            # customise...
    path = filler.save(tmp_path / "x.xlsx")                   # ...then save

or in one step: ``path, filler = make_filled(tmp_path, campaign)``.

Sample people: ``sample_individual(i)`` gives a different person (name and year of birth)
for each i from 1 to 200; ``filled()`` starts each unit at its own offset so two units
filled in one test never nominate the same person by accident.
"""
from __future__ import annotations

import datetime as dt
import math
import unicodedata
from collections.abc import Callable
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.utils import column_index_from_string, get_column_letter
from openpyxl.worksheet.cell_range import CellRange, MultiCellRange
from openpyxl.worksheet.worksheet import Worksheet

from thidua_batch.config import schema
from thidua_batch.config.campaign import Campaign
from thidua_batch.config.roster import Unit
from thidua_batch.config.unit_template import template_filename, write_template
from thidua_batch.common.text import label_key, label_key_ascii

_FORMULA_START = ("=", "+", "-", "@")


def nfd(s: str) -> str:
    return unicodedata.normalize("NFD", s)


def write_value(cell, value) -> None:
    """Write like a person typing: text starting with = + - @ stays text, never a formula."""
    cell.value = value
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        cell.data_type = "s"


class Filler:
    """An opened template (openpyxl) with the edits a unit makes."""

    def __init__(self, template_path: Path):
        self.path = Path(template_path)
        self.wb = load_workbook(self.path, keep_vba=False)

    # --- finding things by their labels ---------------------------------------------

    def ws(self, sheet: str) -> Worksheet:
        """The worksheet named SHEET, matched like the reader does (case, spaces, diacritics)."""
        for ws in self.wb.worksheets:
            if label_key(ws.title) == label_key(sheet):
                return ws
        for ws in self.wb.worksheets:
            if label_key_ascii(ws.title) == label_key_ascii(sheet):
                return ws
        raise KeyError(f"no sheet {sheet!r} in {self.wb.sheetnames}")

    def header_row(self, sheet: str) -> int:
        ws = self.ws(sheet)
        fields = schema.NOMINATION_SHEETS.get(self._contract_name(sheet), ())
        wanted = {label_key(f.label) for f in fields}
        for row in ws.iter_rows(min_row=1, max_row=min(ws.max_row, 60)):
            keys = {label_key(str(c.value)) for c in row if c.value is not None}
            if len(keys & wanted) >= 2:
                return row[0].row
        raise KeyError(f"no header row in sheet {ws.title!r}")

    def column_of(self, sheet: str, label: str) -> str:
        ws = self.ws(sheet)
        h = self.header_row(sheet)
        for cell in ws[h]:
            if cell.value is not None and label_key(str(cell.value)) == label_key(label):
                return cell.column_letter
        raise KeyError(f"no column {label!r} in {ws.title!r} row {h}")

    def _contract_name(self, sheet: str) -> str:
        for name in schema.NOMINATION_SHEETS:
            if label_key_ascii(name) == label_key_ascii(sheet):
                return name
        title = self.ws(sheet).title
        for name in schema.NOMINATION_SHEETS:
            if label_key_ascii(name) == label_key_ascii(title):
                return name
        return sheet

    # --- writing ----------------------------------------------------------------------

    def set_field(self, label: str, value) -> str:
        """Write VALUE beside LABEL on the Đơn vị sheet; returns the cell, e.g. "B5"."""
        ref = self._field_ref(label)
        write_value(self.ws(schema.SHEET_UNIT)[ref], value)
        return ref

    def get_field(self, label: str):
        """The value beside LABEL on the Đơn vị sheet."""
        return self.ws(schema.SHEET_UNIT)[self._field_ref(label)].value

    def _field_ref(self, label: str) -> str:
        ws = self.ws(schema.SHEET_UNIT)
        for row in range(1, ws.max_row + 1):
            found = ws.cell(row, 1).value
            if found is not None and label_key(str(found)) == label_key(label):
                return f"B{row}"
        raise KeyError(f"no label {label!r} on sheet {ws.title!r}")

    def add_row(self, sheet: str, values: dict[str, object], at_row: int | None = None) -> int:
        """Write one nomination by label into the first blank row (or AT_ROW); returns the row."""
        ws = self.ws(sheet)
        h = self.header_row(sheet)
        columns = {label_key(str(c.value)): c.column for c in ws[h] if c.value is not None}
        stt_col = columns.get(label_key("STT"))
        row = at_row if at_row is not None else self._first_blank_row(ws, h, stt_col)
        for label, value in values.items():
            col = columns.get(label_key(label))
            if col is None:
                raise KeyError(f"no column {label!r} in {ws.title!r} row {h}")
            write_value(ws.cell(row, col), value)
        if stt_col is not None and not any(label_key(k) == label_key("STT") for k in values):
            if ws.cell(row, stt_col).value is None:
                ws.cell(row, stt_col, row - h)
        _fit_row_height(ws, row)
        return row

    def _first_blank_row(self, ws: Worksheet, h: int, stt_col: int | None) -> int:
        last = max(ws.max_column, 1)
        row = h + 1
        while any(ws.cell(row, c).value not in (None, "") for c in range(1, last + 1) if c != stt_col):
            row += 1
        return row

    def set_cell(self, sheet: str, ref: str, value) -> None:
        write_value(self.ws(sheet)[ref], value)

    # --- what units do to the layout --------------------------------------------------

    def insert_columns(self, sheet: str, before_label: str, header: str = "Cột thêm", amount: int = 1) -> None:
        ws = self.ws(sheet)
        h = self.header_row(sheet)
        idx = column_index_from_string(self.column_of(sheet, before_label))
        _insert_cols(ws, idx, amount)
        for i in range(amount):
            ws.cell(h, idx + i, header if amount == 1 else f"{header} {i + 1}")

    def insert_rows_above_header(self, sheet: str, amount: int) -> None:
        ws = self.ws(sheet)
        h = self.header_row(sheet)
        height = ws.row_dimensions[h].height
        ws.insert_rows(h, amount)
        _shift_validations(ws, row_from=h, rows=amount)
        _grow_print_setup(ws, rows=amount, header=h + amount)
        ws.row_dimensions[h].height = None
        ws.row_dimensions[h + amount].height = height
        if ws.freeze_panes:
            frozen = CellRange(ws.freeze_panes)
            if frozen.min_row > h:
                ws.freeze_panes = f"{get_column_letter(frozen.min_col)}{frozen.min_row + amount}"

    def move_column(self, sheet: str, label: str, to_end: bool = True) -> None:
        """Cut a column (header and data) and paste it at the first free column, or first if not TO_END."""
        ws = self.ws(sheet)
        h = self.header_row(sheet)
        if not to_end:
            _insert_cols(ws, 1, 1)
        src = column_index_from_string(self.column_of(sheet, label))
        if to_end:
            dest = max(c.column for c in ws[h] if c.value is not None) + 1
        else:
            dest = 1
        letter = get_column_letter(src)
        width = ws.column_dimensions[letter].width
        ws.move_range(f"{letter}1:{letter}{ws.max_row}", cols=dest - src)
        ws.column_dimensions[get_column_letter(dest)].width = width
        _move_validations(ws, src, dest)

    def rename_sheet(self, old: str, new: str) -> None:
        self.ws(old).title = new

    def remove_sheet(self, name: str) -> None:
        self.wb.remove(self.ws(name))

    def save(self, path: Path) -> Path:
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        self.wb.save(path)
        return path


def _insert_cols(ws: Worksheet, idx: int, amount: int) -> None:
    """Insert columns, carrying widths and data validations along (openpyxl leaves them behind)."""
    widths = {column_index_from_string(k): d.width for k, d in ws.column_dimensions.items() if d.width}
    ws.insert_cols(idx, amount)
    _shift_validations(ws, col_from=idx, cols=amount)
    _grow_print_setup(ws, cols=amount)
    for col, width in sorted(widths.items(), reverse=True):
        if col >= idx:
            ws.column_dimensions[get_column_letter(col + amount)].width = width
    for i in range(amount):
        ws.column_dimensions[get_column_letter(idx + i)].width = 16


def _fit_row_height(ws: Worksheet, row: int) -> None:
    """Grow the row for wrapped text, as Excel does when a person types (openpyxl does not)."""
    lines = 1
    for cell in ws[row]:
        if isinstance(cell.value, str) and cell.alignment.wrap_text:
            width = ws.column_dimensions[cell.column_letter].width or 9
            lines = max(lines, math.ceil(len(cell.value) / (width * 1.2)))
    if lines > 1:
        ws.row_dimensions[row].height = 15.75 * lines


def _grow_print_setup(ws: Worksheet, *, cols: int = 0, rows: int = 0, header: int | None = None) -> None:
    """Keep the print area and repeated header row covering the table after an insert."""
    if ws.print_area:
        area = CellRange(ws.print_area.split("!")[-1].replace("$", ""))
        area.expand(right=cols, down=rows)
        ws.print_area = area.coord
    if header is not None and ws.print_title_rows:
        ws.print_title_rows = f"{header}:{header}"


def _shift_validations(ws: Worksheet, *, col_from: int = 0, cols: int = 0,
                       row_from: int = 0, rows: int = 0) -> None:
    """openpyxl's insert_cols/insert_rows leave data validations behind; move them as Excel would."""
    for dv in ws.data_validations.dataValidation:
        shifted = []
        for rng in dv.sqref.ranges:
            r = CellRange(rng.coord)
            if cols and r.min_col >= col_from:
                r.shift(col_shift=cols)
            elif cols and r.max_col >= col_from:
                r.expand(right=cols)
            if rows and r.min_row >= row_from:
                r.shift(row_shift=rows)
            elif rows and r.max_row >= row_from:
                r.expand(down=rows)
            shifted.append(r.coord)
        dv.sqref = MultiCellRange(" ".join(shifted))


def _move_validations(ws: Worksheet, src: int, dest: int) -> None:
    for dv in ws.data_validations.dataValidation:
        moved = []
        for rng in dv.sqref.ranges:
            r = CellRange(rng.coord)
            if r.min_col == r.max_col == src:
                r.shift(col_shift=dest - src)
            moved.append(r.coord)
        dv.sqref = MultiCellRange(" ".join(moved))


# --- sample data ---------------------------------------------------------------------

# (ethnicity, surnames, men's middle+given names, women's middle+given names)
_PEOPLE = (
    ("Thái", ("Lò", "Lường", "Tòng", "Điêu", "Cầm"),
     ("Văn Thắng", "Văn Pấng", "Văn Ngoan", "Văn Tiến", "Văn Hùng", "Văn Sơn", "Văn Khiêm"),
     ("Thị Xuân", "Thị Ánh", "Thị Phương", "Thị Hương", "Thị Lả", "Thị Bình", "Thị Thoa")),
    ("Kinh", ("Nguyễn", "Trần", "Lê", "Phạm", "Đỗ", "Vũ"),
     ("Văn Minh", "Quốc Huy", "Đức Thành", "Mạnh Cường", "Hữu Nghĩa", "Văn Tuấn", "Thanh Tùng"),
     ("Thị Thu Hằng", "Thị Hồng Nhung", "Thị Lan Anh", "Thị Thanh Hoa", "Thị Mai Hương", "Thị Ngọc Lan",
      "Thị Kim Dung")),
    ("H'Mông", ("Giàng", "Vàng", "Sùng", "Thào", "Mùa"),
     ("A Páo", "A Chứ", "Seo Lử", "A Lử", "Văn Chư", "A Dế", "A Sềnh"),
     ("Thị Mai", "Thị Dua", "Thị Sua", "Thị Dợ", "Thị Pà", "Thị Mỷ", "Thị Chía")),
    ("Dao", ("Tẩn", "Chảo", "Phàn", "Lý", "Đặng"),
     ("Láo Sử", "Văn Lâm", "Văn Chiến", "Láo Tả", "Văn Sài", "Tả Chiêu", "Văn Quẩy"),
     ("Mý Chiêu", "Thị Mẩy", "Thị Dung", "Mý Sử", "Thị Phấy", "Thị Sinh", "Thị Xoan")),
    ("Giáy", ("Hoàng", "Lù", "Vương", "Sầm"),
     ("Văn Thịnh", "Văn Dũng", "Văn Quý", "Văn Chung", "Văn Pao", "Văn Hải", "Văn Lực"),
     ("Thị Nga", "Thị Duyên", "Thị Hoa", "Thị Yến", "Thị Lượng", "Thị Thảo", "Thị Hiền")),
    ("Hà Nhì", ("Lỳ", "Pờ", "Chu", "Sừ"),
     ("Hừ Chừ", "Phì Ma", "Xá Lò", "Gò Xá", "Hờ Chè", "Chừ Gò", "Lù Hờ"),
     ("Thị Sú", "Thị Pá", "Mỳ Chừ", "Thị Xé", "Thị Lé", "Thị Gò", "Thị Hù")),
    ("Lự", ("Lò", "Tao", "Đao"),
     ("Văn Thương", "Văn Quang", "Văn Khăm", "Văn Phanh", "Văn Nhất", "Văn Ún", "Văn Xiêng"),
     ("Thị Phăn", "Thị Ín", "Thị Kham", "Thị Un", "Thị Noọng", "Thị Bua", "Thị Hoa")),
    ("Khơ Mú", ("Vì", "Quàng", "Lò"),
     ("Văn Vinh", "Văn Hướng", "Văn Chăn", "Văn Piêng", "Văn Xuân", "Văn Lả", "Văn Khút"),
     ("Thị Hòa", "Thị Phăng", "Thị Lan", "Thị Ngân", "Thị Thủy", "Thị Chiến", "Thị Nọi")),
    ("La Hủ", ("Phàn", "Chang", "Lò"),
     ("Văn Ho", "A Nà", "Xe Phà", "Văn Xá", "A Phù", "Văn Giá", "Nhù Xá"),
     ("Thị Mai", "Thị Na", "Mó Xí", "Thị Sa", "Thị Nu", "Thị Mé", "Thị Phí")),
)

_ACHIEVEMENTS = (
    "chấp hành nghiêm giờ giấc làm việc, trang phục, đeo thẻ công chức, viên chức đúng quy định",
    "thực hiện tốt quy tắc ứng xử nơi công sở, giao tiếp chuẩn mực, tận tình với nhân dân",
    "không hút thuốc lá, không uống rượu bia trong giờ làm việc",
    "giữ gìn cảnh quan cơ quan xanh - sạch - đẹp, bố trí phòng làm việc gọn gàng, khoa học",
    "tích cực ứng dụng công nghệ thông tin, góp phần thực hiện tốt cải cách hành chính",
    "gương mẫu thực hiện các biện pháp phòng, chống dịch Covid-19",
    "tham gia đầy đủ các hoạt động văn hóa, văn nghệ, thể dục thể thao do công đoàn tổ chức",
    "có sáng kiến cải tiến lề lối làm việc được cơ quan ghi nhận",
    "tích cực tham gia ủng hộ đồng bào miền Trung bị thiệt hại do bão lũ",
)
_COLLECTIVE_ACHIEVEMENTS = (
    "100% cán bộ, đoàn viên thực hiện tốt quy tắc ứng xử nơi công sở",
    "xây dựng cơ quan xanh - sạch - đẹp, niêm yết công khai thủ tục hành chính đúng quy định",
    "không có đoàn viên vi phạm kỷ luật, không có đơn thư khiếu nại vượt cấp",
    "tổ chức tốt phong trào văn hóa, văn nghệ, thể thao chào mừng các ngày lễ lớn",
    "được Ban Thường vụ công đoàn cấp trên đánh giá xếp loại vững mạnh",
)

_GENERIC_WORKPLACES = (
    "UBND xã Bình Lư, huyện Tam Đường", "Trường THCS thị trấn Phong Thổ", "Trung tâm Y tế huyện Sìn Hồ",
    "Phòng Giáo dục và Đào tạo huyện Than Uyên", "Kho bạc Nhà nước huyện Tân Uyên",
    "Bệnh viện Đa khoa tỉnh Lai Châu", "Sở Tài chính tỉnh Lai Châu", "Trường Mầm non xã Nậm Tăm",
)
_GENERIC_POSITIONS = (
    "Chuyên viên", "Giáo viên", "Kế toán", "Phó Trưởng phòng", "Chủ tịch Công đoàn cơ sở",
    "Văn thư - Lưu trữ", "Điều dưỡng", "Ủy viên Ban Chấp hành Công đoàn cơ sở",
)


def _place(unit: Unit) -> str:
    """"huyện Tam Đường" from "Liên đoàn Lao động huyện Tam Đường"."""
    for word in ("thành phố ", "huyện "):
        if word in unit.name:
            return word + unit.name.split(word, 1)[1]
    return "tỉnh Lai Châu"


def _unit_pools(unit: Unit | None) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    """(workplaces, positions, collectives) that fit the unit."""
    if unit is None:
        return _GENERIC_WORKPLACES, _GENERIC_POSITIONS, tuple(
            f"Công đoàn cơ sở {w}" for w in _GENERIC_WORKPLACES)
    if unit.id == "cdn-giao-duc":
        places = ("Trường THPT chuyên Lê Quý Đôn", "Trường Phổ thông Dân tộc nội trú tỉnh",
                  "Trường THPT Tam Đường", "Trường THPT Phong Thổ", "Trường THPT Mường Kim",
                  "Trường THPT Quyết Thắng", "Sở Giáo dục và Đào tạo tỉnh Lai Châu")
        positions = ("Giáo viên", "Tổ trưởng chuyên môn", "Phó Hiệu trưởng", "Giáo viên chủ nhiệm",
                     "Chủ tịch Công đoàn trường", "Kế toán")
        return places, positions, tuple(f"Công đoàn {p}" for p in places)
    if unit.id == "cdn-y-te":
        places = ("Bệnh viện Đa khoa tỉnh Lai Châu", "Trung tâm Kiểm soát bệnh tật tỉnh Lai Châu",
                  "Bệnh viện Y dược cổ truyền tỉnh Lai Châu", "Bệnh viện Nội tiết tỉnh Lai Châu",
                  "Trung tâm Y tế huyện Phong Thổ", "Sở Y tế tỉnh Lai Châu")
        positions = ("Bác sĩ", "Điều dưỡng trưởng khoa", "Dược sĩ", "Kỹ thuật viên xét nghiệm",
                     "Trưởng khoa Hồi sức tích cực - Chống độc", "Y sĩ")
        return places, positions, tuple(f"Công đoàn {p}" for p in places)
    if unit.id == "cdvc-tinh":
        places = ("Sở Tư pháp tỉnh Lai Châu", "Sở Nội vụ tỉnh Lai Châu", "Văn phòng UBND tỉnh Lai Châu",
                  "Sở Kế hoạch và Đầu tư tỉnh Lai Châu", "Ban Dân tộc tỉnh Lai Châu",
                  "Sở Văn hóa, Thể thao và Du lịch tỉnh Lai Châu", "Thanh tra tỉnh Lai Châu",
                  "Sở Nông nghiệp và Phát triển nông thôn tỉnh Lai Châu")
        positions = ("Chuyên viên", "Phó Chánh Văn phòng", "Kế toán trưởng", "Phó Trưởng phòng",
                     "Thanh tra viên", "Chuyên viên chính")
        return places, positions, tuple(f"Công đoàn cơ sở {p}" for p in places)
    place = _place(unit)
    places = tuple(f"{office} {place}" for office in (
        "Phòng Giáo dục và Đào tạo", "Văn phòng HĐND và UBND", "Phòng Nội vụ", "Trung tâm Y tế",
        "Phòng Tài chính - Kế hoạch", "Kho bạc Nhà nước", "Phòng Văn hóa và Thông tin",
        "Phòng Lao động - Thương binh và Xã hội"))
    positions = ("Chuyên viên", "Phó Trưởng phòng", "Kế toán", "Chủ tịch Công đoàn cơ sở",
                 "Văn thư - Lưu trữ", "Viên chức")
    return places, positions, tuple(f"Công đoàn cơ sở {p}" for p in places)


def sample_person(i: int) -> tuple[str, str, int, str]:
    """(full name, gender, year of birth, ethnicity): a different person for each i in 1..200."""
    group = _PEOPLE[(i - 1) % len(_PEOPLE)]
    k = (i - 1) // len(_PEOPLE)
    ethnicity, surnames, men, women = group
    gender = "Nữ" if k % 2 else "Nam"
    given = (women if k % 2 else men)[(k // 2) % 7]
    surname = surnames[(k // 2 + k % 2) % len(surnames)]
    year = 1966 + (i * 7) % 31
    return f"{surname} {given}", gender, year, ethnicity


def _summary(i: int, pool: tuple[str, ...], lead: str) -> str:
    picks = [pool[(i + j * 2) % len(pool)] for j in range(3)]
    return f"{lead}; " + "; ".join(picks) + "."


def sample_individual(i: int = 1, unit: Unit | None = None) -> dict[str, object]:
    name, gender, year, ethnicity = sample_person(i)
    workplaces, positions, _ = _unit_pools(unit)
    lead = "Hoàn thành xuất sắc nhiệm vụ năm 2020" if i % 3 else "Hoàn thành tốt nhiệm vụ được giao năm 2020"
    return {
        "Họ và tên": name,
        "Giới tính": gender,
        "Năm sinh": year,
        "Dân tộc": ethnicity,
        "Chức vụ": positions[i % len(positions)],
        "Đơn vị công tác": workplaces[i % len(workplaces)],
        "Tóm tắt thành tích": _summary(i, _ACHIEVEMENTS, lead),
        "Tỷ lệ phiếu đồng ý (%)": 85 + (i * 3) % 16,
    }


def sample_collective(i: int = 1, unit: Unit | None = None) -> dict[str, object]:
    _, _, collectives = _unit_pools(unit)
    return {
        "Tên tập thể": collectives[i % len(collectives)],
        "Tóm tắt thành tích": _summary(i, _COLLECTIVE_ACHIEVEMENTS,
                                       "Tập thể đoàn kết, hoàn thành xuất sắc nhiệm vụ năm 2020"),
        "Tỷ lệ phiếu đồng ý (%)": 90 + (i * 7) % 11,
    }


def _proposal_symbol(unit: Unit) -> str:
    return {"cdn-giao-duc": "TTr-CĐGD", "cdn-y-te": "TTr-CĐYT", "cdvc-tinh": "TTr-CĐVC"}.get(unit.id, "TTr-LĐLĐ")


def unit_values(unit: Unit, offset: int = 0) -> dict[str, object]:
    """A valid Đơn vị sheet for UNIT, by label. OFFSET varies the people and dates between units."""
    preparer, _, _, _ = sample_person(150 + offset)
    return {
        "Đơn vị đề nghị": unit.name,
        "Số tờ trình": f"{12 + offset}/{_proposal_symbol(unit)}",
        "Ngày tờ trình": dt.date(2020, 12, 10 + offset % 5),
        "Ngày họp xét": dt.date(2020, 12, 8 + offset % 5),
        "Số thành viên dự họp": 9,
        "Tổng số thành viên": 11,
        "Người lập biểu": preparer,
        "Điện thoại": f"0213387{6100 + offset * 37:04d}",
        "Email": f"{unit.id.replace('-', '')}.congdoan@gmail.com",
        "Chủ đề tham luận": "Nâng cao chất lượng thực hiện văn hóa công sở trong cán bộ, công chức, viên chức",
        "Có tờ trình": schema.YES,
        "Có biên bản họp xét": schema.YES,
        "Có báo cáo tóm tắt thành tích": schema.YES,
    }


def fill_unit(filler: Filler, unit: Unit, collectives: int = 1, individuals: int = 4,
              offset: int = 0, first: int | None = None, overrides: dict[str, object] | None = None,
              transform: Callable[[str, object], object] | None = None) -> Filler:
    """Fill a valid Đơn vị sheet and the rows.

    OFFSET (the unit's roster position in `filled`) varies dates, phone and people between
    units; people start at FIRST, by default offset * 12 + 1. OVERRIDES replaces Đơn vị
    values by label; TRANSFORM(label, value) changes every value as it is typed.
    """
    if first is None:
        first = offset * 12 + 1
    typed = transform or (lambda label, value: value)

    def row(values: dict[str, object]) -> dict[str, object]:
        return {label: typed(label, value) for label, value in values.items()}

    for label, value in {**unit_values(unit, offset), **(overrides or {})}.items():
        filler.set_field(label, typed(label, value))
    for k in range(collectives):
        filler.add_row(schema.SHEET_COLLECTIVES, row(sample_collective(first + k, unit)))
    for k in range(individuals):
        filler.add_row(schema.SHEET_INDIVIDUALS, row(sample_individual(first + k, unit)))
    return filler


def new_filler(directory: Path, campaign: Campaign, unit: Unit | None = None) -> Filler:
    """Write the template (blank, or UNIT's) into DIRECTORY and open it."""
    path = write_template(campaign, Path(directory) / template_filename(unit), unit)
    return Filler(path)


def filled(tmp_path: Path, campaign: Campaign, unit_id: str = "tam-duong", collectives: int = 1,
           individuals: int = 4, per_unit_template: bool = False) -> Filler:
    """A valid filled workbook for UNIT_ID, not yet saved: customise it, then `save`."""
    unit = campaign.roster.get(unit_id)
    if unit is None:
        raise KeyError(unit_id)
    filler = new_filler(tmp_path, campaign, unit if per_unit_template else None)
    return fill_unit(filler, unit, collectives, individuals, offset=campaign.roster.order(unit.id))


def make_filled(tmp_path: Path, campaign: Campaign, unit_id: str = "tam-duong", collectives: int = 1,
                individuals: int = 4, per_unit_template: bool = False,
                name: str = "x.xlsx") -> tuple[Path, Filler]:
    filler = filled(tmp_path, campaign, unit_id, collectives, individuals, per_unit_template)
    return filler.save(Path(tmp_path) / name), filler
