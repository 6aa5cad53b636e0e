"""Lists shaped the way district offices really return them, for samples/inbox.

Modelled on the nomination lists LĐLĐ huyện attach to their tờ trình (workbook.md, "Lists as
units really send them"): a two-column title block (the unit under the province; the national
motto), a title with the plan it answers, a two-row merged header whose "Năm sinh" spans
"Nam | Nữ" (the year typed under the gender), "Chức vụ, đơn vị công tác" in one column,
a column-number row, "I. TẬP THỂ" / "II. CÁ NHÂN" section rows, a "Cộng" row, the date line
and the signature block inside the sheet, and a person whose cells are merged over two rows.
"""
from __future__ import annotations

import io
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

COLLECTIVE = ("Công đoàn cơ sở Trường PTDTBT THCS Pha Mu",
              "Tổ chức tốt phong trào “Cán bộ, công chức, viên chức thi đua thực hiện văn hóa công sở”; "
              "100% đoàn viên thực hiện đúng quy tắc ứng xử, trang phục, giờ giấc; 3 năm liền đạt danh hiệu "
              "Công đoàn cơ sở vững mạnh.", 92)
# name, year, gender, ethnicity, "chức vụ, đơn vị công tác", achievements (lines), vote
PEOPLE = (
    ("Lò Văn Pánh", 1979, "Nam", "Thái", "Chủ tịch CĐCS, Trường PTDTBT Tiểu học Tà Mung",
     ["Gương mẫu thực hiện văn hóa công sở; vận động 100% đoàn viên ký cam kết."], 90),
    ("Lường Thị Ngọc", 1986, "Nữ", "Thái", "Giáo viên, Trường Mầm non Mường Kim",
     ["Xây dựng “Góc văn hóa công sở” tại trường; đạt giáo viên dạy giỏi cấp huyện."], 95),
    ("GIÀNG A PÁO", 1983, "Nam", "H'Mông", "Cán bộ Văn phòng, UBND xã Pha Mu",
     ["Thực hiện tốt quy chế văn hóa công sở tại bộ phận một cửa;",
      "được nhân dân đánh giá cao về thái độ phục vụ."], 88),
    ("Vàng Thị Mỷ", 1990, "Nữ", "H'Mông", "Kế toán, Trung tâm Y tế huyện Than Uyên",
     ["Hoàn thành xuất sắc nhiệm vụ; tích cực tham gia phong trào thi đua."], 100),
)


def own_layout_workbook(path: Path) -> Path:
    """LĐLĐ huyện Than Uyên's own Excel list: one sheet, everything in it (see the module doc)."""
    wb = Workbook()
    ws = wb.active
    ws.title = "DS khen thuong"
    bold = Font(name="Times New Roman", bold=True)

    def put(at: str, value, merge: str | None = None, font=None) -> None:
        ws[at] = value
        ws[at].alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        if font:
            ws[at].font = font
        if merge:
            ws.merge_cells(merge)

    put("A1", "LIÊN ĐOÀN LAO ĐỘNG TỈNH LAI CHÂU", "A1:D1")
    put("F1", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "F1:I1", bold)
    put("A2", "LĐLĐ H. THAN UYÊN", "A2:D2", bold)
    put("F2", "Độc lập - Tự do - Hạnh phúc", "F2:I2", bold)
    put("A4", "DANH SÁCH ĐỀ NGHỊ TẶNG BẰNG KHEN CỦA BAN CHẤP HÀNH LĐLĐ TỈNH", "A4:I4", bold)
    put("A5", "Tập thể, cá nhân có thành tích xuất sắc trong phong trào thi đua “Cán bộ, công chức, viên chức "
              "thi đua thực hiện văn hóa công sở” năm 2020", "A5:I5")
    put("A6", "(Kèm theo Tờ trình số 45/TTr-LĐLĐ ngày 10/12/2020 của Ban Thường vụ LĐLĐ huyện Than Uyên)", "A6:I6")
    for col, label in zip("ABEFGHI", ("TT", "Họ và tên", "Dân tộc", "Chức vụ, đơn vị công tác",
                                      "Tóm tắt thành tích", "Tỷ lệ phiếu đồng ý (%)", "Ghi chú")):
        put(f"{col}8", label, f"{col}8:{col}9", bold)
    put("C8", "Năm sinh", "C8:D8", bold)
    put("C9", "Nam", font=bold)
    put("D9", "Nữ", font=bold)
    for i, col in enumerate("ABCDEFGHI", 1):
        put(f"{col}10", f"({i})")
    put("A11", "I", font=bold)
    put("B11", "TẬP THỂ", font=bold)
    name, summary, vote = COLLECTIVE
    for col, value in zip("ABGH", (1, name, summary, vote)):
        ws[f"{col}12"] = value
    put("A13", "II", font=bold)
    put("B13", "CÁ NHÂN", font=bold)
    row = 14
    for i, (name, year, gender, ethnicity, where, lines, vote) in enumerate(PEOPLE, 1):
        year_col = "C" if gender == "Nam" else "D"
        for col, value in (("A", i), ("B", name), (year_col, year), ("E", ethnicity), ("F", where), ("H", vote)):
            ws[f"{col}{row}"] = value
        ws[f"G{row}"] = lines[0]
        if len(lines) > 1:   # the achievements run on into the next row; the person's cells are merged
            ws[f"G{row + 1}"] = lines[1]
            for col in "ABCDEFHI":
                ws.merge_cells(f"{col}{row}:{col}{row + 1}")
            row += 1
        row += 1
    put(f"A{row}", "Cộng: 01 tập thể, 04 cá nhân", f"A{row}:F{row}", bold)
    put(f"F{row + 2}", "Than Uyên, ngày 10 tháng 12 năm 2020", f"F{row + 2}:I{row + 2}")
    put(f"B{row + 3}", "Người lập biểu", font=bold)
    put(f"F{row + 3}", "TM. BAN THƯỜNG VỤ", f"F{row + 3}:I{row + 3}", bold)
    put(f"F{row + 4}", "CHỦ TỊCH", f"F{row + 4}:I{row + 4}", bold)
    put(f"B{row + 8}", "Lò Thị Hương", font=bold)
    put(f"F{row + 8}", "Hoàng Văn Sơn", f"F{row + 8}:I{row + 8}", bold)
    for col, width in zip("ABCDEFGHI", (5, 24, 7, 7, 9, 34, 50, 10, 10)):
        ws.column_dimensions[col].width = width
    wb.properties.creator = wb.properties.lastModifiedBy = "Lò Thị Hương"
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


WORD_PEOPLE = (
    ("Tẩn Láo San", 1981, "Nam", "Chủ tịch CĐCS, UBND xã Pắc Ta",
     "Duy trì nền nếp giờ giấc, trang phục, giao tiếp tại trụ sở; không có đơn thư khiếu nại."),
    ("Hoàng Thị Thu", 1988, "Nữ", "Giáo viên, Trường Tiểu học Trung Đồng",
     "Tổ chức chuyên đề “Văn hóa ứng xử trong trường học”; giáo viên chủ nhiệm giỏi cấp huyện."),
    ("Lý Văn Chăn", 1976, "Nam", "Trưởng phòng, Phòng Nội vụ huyện Tân Uyên",
     "Tham mưu ban hành quy chế văn hóa công sở của UBND huyện; hoàn thành xuất sắc nhiệm vụ."),
    ("Lò Thị Xuân", 1992, "Nữ", "Điều dưỡng, Trung tâm Y tế huyện Tân Uyên",
     "Thực hiện tốt quy tắc ứng xử của nhân viên y tế; được người bệnh khen ngợi."),
)


def word_list(path: Path) -> Path:
    """LĐLĐ huyện Tân Uyên's tờ trình with its list as a Word table (header table first, the list
    table with a two-row merged header and section rows, the signature table last)."""
    from docx import Document
    from docx.shared import Pt

    doc = Document()
    style = doc.styles["Normal"]
    style.font.name, style.font.size = "Times New Roman", Pt(13)
    head = doc.add_table(rows=3, cols=2)
    for (left, right), row in zip((("LIÊN ĐOÀN LAO ĐỘNG TỈNH LAI CHÂU", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
                                   ("LĐLĐ HUYỆN TÂN UYÊN", "Độc lập - Tự do - Hạnh phúc"),
                                   ("Số: 52/TTr-LĐLĐ", "Tân Uyên, ngày 15 tháng 12 năm 2020")), head.rows):
        row.cells[0].text, row.cells[1].text = left, right
    for text in ("TỜ TRÌNH",
                 "Về việc đề nghị tặng Bằng khen của Ban Chấp hành LĐLĐ tỉnh",
                 "Kính gửi: Ban Thường vụ Liên đoàn Lao động tỉnh Lai Châu",
                 "Thực hiện Kế hoạch số 199/KH-LĐLĐ ngày 13/11/2020 của Ban Thường vụ LĐLĐ tỉnh, Ban Thường vụ "
                 "LĐLĐ huyện Tân Uyên đã tổ chức họp xét ngày 12/12/2020 (có 9/11 đồng chí dự). Ban Thường vụ "
                 "LĐLĐ huyện Tân Uyên kính đề nghị Ban Thường vụ LĐLĐ tỉnh xem xét, tặng Bằng khen cho 01 tập thể "
                 "và 04 cá nhân có tên trong danh sách dưới đây.",
                 "DANH SÁCH ĐỀ NGHỊ TẶNG BẰNG KHEN"):
        doc.add_paragraph(text)
    table = doc.add_table(rows=2, cols=7)
    table.style = "Table Grid"
    labels = ("STT", "Họ và tên", "Năm sinh", None, "Chức vụ, đơn vị công tác", "Tóm tắt thành tích", "Ghi chú")
    for c, label in enumerate(labels):
        if label:
            table.cell(0, c).text = label
    table.cell(1, 2).text, table.cell(1, 3).text = "Nam", "Nữ"
    for c in (0, 1, 4, 5, 6):
        table.cell(0, c).merge(table.cell(1, c))
    table.cell(0, 2).merge(table.cell(0, 3))
    table.cell(0, 2).text = "Năm sinh"

    def add(values) -> None:
        cells = table.add_row().cells
        for c, value in enumerate(values):
            cells[c].text = "" if value is None else str(value)

    add(("I. TẬP THỂ", None, None, None, None, None, None))
    table.rows[-1].cells[0].merge(table.rows[-1].cells[6])
    add((1, "Công đoàn cơ sở Trường Tiểu học Trung Đồng", None, None, None,
         "Tập thể dẫn đầu khối trường học về thực hiện văn hóa công sở năm 2020.", None))
    add(("II. CÁ NHÂN", None, None, None, None, None, None))
    table.rows[-1].cells[0].merge(table.rows[-1].cells[6])
    for i, (name, year, gender, where, summary) in enumerate(WORD_PEOPLE, 1):
        add((i, name, year if gender == "Nam" else None, year if gender == "Nữ" else None, where, summary, None))
    doc.add_paragraph("Kính trình Ban Thường vụ LĐLĐ tỉnh xem xét, quyết định./.")
    sign = doc.add_table(rows=4, cols=2)
    for (left, right), row in zip((("Nơi nhận:", "TM. BAN THƯỜNG VỤ"), ("- Như trên;", "CHỦ TỊCH"),
                                   ("- Lưu: VT.", ""), ("", "Sùng A Lử")), sign.rows):
        row.cells[0].text, row.cells[1].text = left, right
    props = doc.core_properties
    props.author = props.last_modified_by = "LĐLĐ huyện Tân Uyên"
    props.title = "Tờ trình đề nghị khen thưởng"
    props.revision = 1
    buffer = io.BytesIO()
    doc.save(buffer)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(buffer.getvalue())
    return path
