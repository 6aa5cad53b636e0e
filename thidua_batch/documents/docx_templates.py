"""Builds the three Word templates of the drafts with python-docx, reproducibly.

    python -m thidua_batch.documents.docx_templates [OUT_DIR]

writes quyet_dinh_tpl.docx, to_trinh_tpl.docx and phan_hoi_tpl.docx into
thidua_batch/templates/ (or OUT_DIR). The files are committed: they are what the board's
clerk opens in Word to change the wording; the Jinja tags ({{ ... }}, {%p ... %},
{%tr ... %}) are the variables of `drafts.py` (see the context there).

Layout follows Nghị định 30/2020/NĐ-CP, Phụ lục I (domain.md): A4, Times New Roman,
a borderless two-column header table, the body justified with a first-line indent,
the signature block in a borderless table, the annex on its own page.
Building twice gives the same bytes (fixed document properties and zip times).
"""
from __future__ import annotations

import datetime as dt
import io
import sys
import zipfile
from pathlib import Path

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt, RGBColor

from ..common.atomic import atomic_path

TEMPLATES_DIR = Path(__file__).with_name("templates")
DECISION_TPL = "quyet_dinh_tpl.docx"
SUBMISSION_TPL = "to_trinh_tpl.docx"
FEEDBACK_TPL = "phan_hoi_tpl.docx"
TEMPLATE_FILES = (DECISION_TPL, SUBMISSION_TPL, FEEDBACK_TPL)

FONT = "Times New Roman"
TEXT_WIDTH_MM = 165  # A4 210 mm - left 30 mm - right 15 mm
_FIXED_TIME = dt.datetime(2020, 11, 13, 0, 0, 0, tzinfo=dt.timezone.utc)
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)

CENTER, LEFT, JUSTIFY = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.LEFT, WD_ALIGN_PARAGRAPH.JUSTIFY
# Paragraph styles of the templates (the clerk sees them in Word's style list).
BODY, CELL, CENTERED, SMALL = "Draft Body", "Draft Table", "Draft Center", "Draft Small"


# ---------------------------------------------------------------- document and styles

def new_document() -> Document:
    doc = Document()
    _drop_extra_parts(doc)
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    section.header_distance, section.footer_distance = Mm(10), Mm(10)
    _setup_styles(doc)
    _page_numbers(section)
    props = doc.core_properties
    props.author = props.last_modified_by = "thidua-batch"
    props.comments = "Mẫu dự thảo văn bản của thidua-batch; các thẻ {{ ... }} là dữ liệu điền tự động."
    props.created = props.modified = _FIXED_TIME.replace(tzinfo=None)
    props.revision = 1
    props.language = "vi-VN"
    return doc


def _drop_extra_parts(doc: Document) -> None:
    """python-docx's blank document carries a thumbnail, custom XML, a second styles part
    and ~100 table styles nobody uses: dropped to keep the templates (and every letter) small."""
    for rel_id, rel in list(doc.part.rels.items()):
        if rel.reltype.endswith(("/stylesWithEffects", "/customXml")):
            doc.part.drop_rel(rel_id)
    package = doc.part.package
    for rel_id, rel in list(package.rels.items()):
        if rel.reltype.endswith("/thumbnail"):
            package.rels.pop(rel_id)
    keep_tables = {"Normal Table", "Table Grid"}
    styles = doc.styles.element
    for style in list(styles.findall(qn("w:style"))):
        name = style.find(qn("w:name"))
        if style.get(qn("w:type")) == "table" and name is not None and name.get(qn("w:val")) not in keep_tables:
            styles.remove(style)


def _set_fonts(rpr, size_pt: float | None = None) -> None:
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in list(fonts.attrib):
        del fonts.attrib[attr]  # theme fonts would override the named font
    for key in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(key), FONT)
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), "vi-VN")


def _setup_styles(doc: Document) -> None:
    styles = doc.styles
    defaults = styles.element.find(qn("w:docDefaults"))
    if defaults is not None:
        rpr = defaults.find(qn("w:rPrDefault") + "/" + qn("w:rPr"))
        if rpr is not None:
            _set_fonts(rpr)
    normal = styles["Normal"]
    normal.font.name, normal.font.size, normal.font.color.rgb = FONT, Pt(14), RGBColor(0, 0, 0)
    _set_fonts(normal.element.get_or_add_rPr())
    fmt = normal.paragraph_format
    fmt.space_before, fmt.space_after, fmt.line_spacing = Pt(0), Pt(0), 1.0
    fmt.widow_control = True

    body = styles.add_style(BODY, WD_STYLE_TYPE.PARAGRAPH)
    body.base_style = normal
    body.quick_style = True
    fmt = body.paragraph_format
    fmt.alignment, fmt.first_line_indent = JUSTIFY, Cm(1.27)
    fmt.space_before, fmt.space_after, fmt.line_spacing = Pt(0), Pt(6), 1.0

    centered = styles.add_style(CENTERED, WD_STYLE_TYPE.PARAGRAPH)
    centered.base_style = normal
    centered.quick_style = True
    centered.paragraph_format.alignment = CENTER

    cell = styles.add_style(CELL, WD_STYLE_TYPE.PARAGRAPH)
    cell.base_style = normal
    cell.quick_style = True
    cell.font.size = Pt(12)
    fmt = cell.paragraph_format
    fmt.space_before, fmt.space_after = Pt(2), Pt(2)

    small = styles.add_style(SMALL, WD_STYLE_TYPE.PARAGRAPH)
    small.base_style = normal
    small.quick_style = True
    small.font.size = Pt(11)


def _page_numbers(section) -> None:
    """Page number centred at the top from page 2 (Nghị định 30: not on the first page)."""
    section.different_first_page_header_footer = True
    para = section.header.paragraphs[0]
    para.alignment = CENTER
    run = para.add_run()
    run.font.size = Pt(13)
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        else:
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = f" {text} "
        run._r.append(el)


# ---------------------------------------------------------------- paragraphs

def para(container, *runs, style: str = BODY, align=None, bold: bool = False, italic: bool = False,
         size: float | None = None, before: float | None = None, after: float | None = None,
         indent: bool | None = None, keep_next: bool = False, page_break: bool = False):
    """A paragraph of runs; a run is a string or (text, "b"/"i"/"bi") for bold and italic."""
    p = container.add_paragraph(style=style)
    fmt = p.paragraph_format
    if align is not None:
        fmt.alignment = align
    if before is not None:
        fmt.space_before = Pt(before)
    if after is not None:
        fmt.space_after = Pt(after)
    if indent is False:
        fmt.first_line_indent = Cm(0)
    if keep_next:
        fmt.keep_with_next = True
    if page_break:
        fmt.page_break_before = True
    for item in runs:
        text, marks = (item, "") if isinstance(item, str) else item
        run = p.add_run(text)
        if bold or "b" in marks:
            run.bold = True
        if italic or "i" in marks:
            run.italic = True
        if size:
            run.font.size = Pt(size)
    return p


def tag(container, text: str, style: str = CENTERED):
    """A paragraph holding only a docxtpl paragraph/row tag ({%p ... %}); it disappears when rendered."""
    return container.add_paragraph(text, style=style)


def rule(container, length_mm: float, width_mm: float):
    """A short centred horizontal line: an empty paragraph with a top border, narrowed by indents."""
    p = container.add_paragraph(style=CENTERED)
    fmt = p.paragraph_format
    side = max((width_mm - length_mm) / 2, 0)
    fmt.left_indent = fmt.right_indent = Mm(side)
    fmt.space_before, fmt.space_after = Pt(4), Pt(0)
    fmt.line_spacing = Pt(4)
    ppr = p._p.get_or_add_pPr()
    border = OxmlElement("w:pBdr")
    top = OxmlElement("w:top")
    for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        top.set(qn(key), value)
    border.append(top)
    # pBdr must come before spacing/ind/jc in pPr (schema order)
    anchor = ppr.find(qn("w:spacing"))
    if anchor is None:
        anchor = ppr.find(qn("w:ind"))
    if anchor is not None:
        anchor.addprevious(border)
    else:
        ppr.append(border)
    run = p.add_run("")
    run.font.size = Pt(2)
    return p


# ---------------------------------------------------------------- tables

def table(container, widths_mm: list[float], rows: int = 1, borders: bool = True):
    t = container.add_table(rows=rows, cols=len(widths_mm))
    t.style = container.part.document.styles["Table Grid"] if borders else None
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    t.autofit = False  # w:tblLayout fixed
    tbl_pr = t._tbl.tblPr
    width = OxmlElement("w:tblW")
    width.set(qn("w:w"), str(int(sum(widths_mm) / 25.4 * 1440)))
    width.set(qn("w:type"), "dxa")
    old = tbl_pr.find(qn("w:tblW"))
    if old is not None:
        tbl_pr.replace(old, width)
    else:
        _insert_tblpr(tbl_pr, width)
    if not borders:
        _no_borders(t)
    for col, w in zip(t.columns, widths_mm):
        col.width = Mm(w)
    for row in t.rows:
        _row_widths(row, widths_mm)
    return t


def _row_widths(row, widths_mm):
    for cell, w in zip(row.cells, widths_mm):
        cell.width = Mm(w)


def add_row(t, widths_mm):
    row = t.add_row()
    _row_widths(row, widths_mm)
    return row


# Child order of w:tblPr in the OOXML schema (Word rejects a file that breaks it).
_TBLPR_ORDER = ("tblStyle", "tblpPr", "tblOverlap", "bidiVisual", "tblStyleRowBandSize", "tblStyleColBandSize",
                "tblW", "jc", "tblCellSpacing", "tblInd", "tblBorders", "shd", "tblLayout", "tblCellMar",
                "tblLook", "tblCaption", "tblDescription")


def _insert_tblpr(tbl_pr, element) -> None:
    rank = _TBLPR_ORDER.index(element.tag.split("}")[1])
    for child in tbl_pr:
        name = child.tag.split("}")[1]
        if name in _TBLPR_ORDER and _TBLPR_ORDER.index(name) > rank:
            child.addprevious(element)
            return
    tbl_pr.append(element)


def _no_borders(t) -> None:
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:val"), "nil")
        borders.append(el)
    _insert_tblpr(t._tbl.tblPr, borders)
    margins = OxmlElement("w:tblCellMar")
    for edge in ("left", "right"):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:w"), "0")
        el.set(qn("w:type"), "dxa")
        margins.append(el)
    _insert_tblpr(t._tbl.tblPr, margins)


def repeat_header(row) -> None:
    trpr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    trpr.append(el)


def cant_split(row) -> None:
    trpr = row._tr.get_or_add_trPr()
    trpr.append(OxmlElement("w:cantSplit"))


def cell_text(cell, *runs, align=LEFT, bold=False, italic=False, style=CELL, size=None):
    """Fill the cell's first paragraph (a new cell has one, empty)."""
    p = cell.paragraphs[0]
    p.style = cell.part.document.styles[style]
    p.paragraph_format.alignment = align
    for item in runs:
        text, marks = (item, "") if isinstance(item, str) else item
        run = p.add_run(text)
        run.bold = True if (bold or "b" in marks) else None
        run.italic = True if (italic or "i" in marks) else None
        if size:
            run.font.size = Pt(size)
    return p


def cell_para(cell, *runs, **kw):
    """Another paragraph in a cell."""
    kw.setdefault("style", CENTERED)
    return para(cell, *runs, **kw)


def tag_row(t, widths_mm, text: str):
    """A table row holding a docxtpl row tag ({%tr ... %}); the whole row disappears when rendered."""
    row = add_row(t, widths_mm)
    cell = row.cells[0].merge(row.cells[-1]) if len(row.cells) > 1 else row.cells[0]
    cell_text(cell, text)  # one cell across the table, so the clerk reads the tag on one line
    return row


def grid_table(container, widths_mm, headers, loop: str, cells: list[str], aligns=None,
               groups: tuple[str, str] | None = None):
    """A bordered table: a bold header row repeated on each page, then one row per item.

    `loop` is the Jinja "for" of the rows ("row in annex.collectives"); `cells` the row's
    cell texts. With `groups` = (outer loop, heading text), rows are grouped under a
    heading row spanning all columns.
    """
    aligns = aligns or [CENTER] + [LEFT] * (len(widths_mm) - 1)
    t = table(container, widths_mm)
    header = t.rows[0]
    repeat_header(header)
    for cell, text in zip(header.cells, headers):
        cell_text(cell, text, align=CENTER, bold=True)
    if groups:
        outer, heading = groups
        tag_row(t, widths_mm, f"{{%tr for {outer} %}}")
        row = add_row(t, widths_mm)
        merged = row.cells[0].merge(row.cells[-1])
        cell_text(merged, heading, bold=True)
        cant_split(row)
    tag_row(t, widths_mm, f"{{%tr for {loop} %}}")
    row = add_row(t, widths_mm)
    cant_split(row)
    for cell, text, align in zip(row.cells, cells, aligns):
        cell_text(cell, text, align=align)
    tag_row(t, widths_mm, "{%tr endfor %}")
    if groups:
        tag_row(t, widths_mm, "{%tr endfor %}")
    return t


# ---------------------------------------------------------------- shared blocks

# The left column is sized so that a long issuer name breaks as "LIÊN ĐOÀN LAO ĐỘNG / TỈNH LAI CHÂU".
HEADER_LEFT_MM, HEADER_RIGHT_MM = 62, 103


def header_table(doc, left_lines, number_line, rule_left_mm=24, subject_line: str | None = None,
                 date_line: str = "{{ issue.place_date }}"):
    """Nghị định 30 header: issuer and number on the left; the national name, the motto and
    the place and date on the right. Two rows, so the number and the date share a line."""
    widths = [HEADER_LEFT_MM, HEADER_RIGHT_MM]
    t = table(doc, widths, rows=2, borders=False)
    left, right = t.rows[0].cells
    first = True
    for text, marks in left_lines:
        p = left.paragraphs[0] if first else left.add_paragraph()
        first = False
        p.style = doc.styles[CENTERED]
        run = p.add_run(text)
        run.font.size = Pt(13)
        run.bold = "b" in marks or None
    rule(left, rule_left_mm, HEADER_LEFT_MM)
    p = right.paragraphs[0]
    p.style = doc.styles[CENTERED]
    run = p.add_run("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    run.bold, run.font.size = True, Pt(12.5)
    para(right, "Độc lập - Tự do - Hạnh phúc", style=CENTERED, bold=True, size=13.5)
    rule(right, 60, HEADER_RIGHT_MM)
    left, right = t.rows[1].cells
    p = left.paragraphs[0]
    p.style = doc.styles[CENTERED]
    p.paragraph_format.space_before = Pt(6)
    for text, marks in number_line:
        run = p.add_run(text)
        run.font.size = Pt(13)
        run.italic = "i" in marks or None
    if subject_line:   # a letter's "V/v …" under its number (Nghị định 30, công văn)
        para(left, subject_line, style=CENTERED, size=12, before=2)
    p = right.paragraphs[0]
    p.style = doc.styles[CENTERED]
    p.paragraph_format.space_before = Pt(6)
    run = p.add_run(date_line)
    run.italic, run.font.size = True, Pt(14)
    return t


def signature_table(doc, noi_nhan_lines: list[str], right_lines: list[tuple[str, str]], name: str,
                    noi_nhan_loop: str | None = None, signature_room: int = 4):
    """Nơi nhận on the left (12 bold italic, list 11); the signature block on the right."""
    widths = [80, 85]
    last = doc.paragraphs[-1] if doc.paragraphs else None
    if last is not None:
        last.paragraph_format.keep_with_next = True  # never a signature page without text
    t = table(doc, widths, borders=False)
    cant_split(t.rows[0])
    left, right = t.rows[0].cells
    p = left.paragraphs[0]
    p.style = doc.styles[SMALL]
    p.paragraph_format.space_before = Pt(6)
    run = p.add_run("Nơi nhận:")
    run.bold = run.italic = True
    run.font.size = Pt(12)
    if noi_nhan_loop:
        tag(left, f"{{%p for {noi_nhan_loop} %}}", style=SMALL)
    for line in noi_nhan_lines:
        para(left, line, style=SMALL)
    if noi_nhan_loop:
        tag(left, "{%p endfor %}", style=SMALL)
    p = right.paragraphs[0]
    p.style = doc.styles[CENTERED]
    p.paragraph_format.space_before = Pt(6)
    for i, (text, marks) in enumerate(right_lines):
        if i:
            p = para(right, style=CENTERED)
        run = p.add_run(text)
        run.bold = "b" in marks or None
        run.italic = "i" in marks or None
    for _ in range(signature_room):
        para(right, "", style=CENTERED)
    para(right, name, style=CENTERED, bold=True)
    end = para(doc, "", style=SMALL)  # Word ends a body with a paragraph, not a table
    end.paragraph_format.line_spacing = Pt(1)
    return t


def subject(doc, title: str, lines: list[str], rule_mm: float = 40):
    para(doc, title, style=CENTERED, bold=True, before=12, keep_next=True)
    for line in lines:
        para(doc, line, style=CENTERED, bold=True, keep_next=True)
    rule(doc, rule_mm, TEXT_WIDTH_MM)


MOVEMENT = "trong phong trào “{{ campaign.movement }}” năm {{ campaign.year }}"


# ---------------------------------------------------------------- the decision

def build_decision() -> Document:
    doc = new_document()
    header_table(doc, [("{{ header.parent }}", ""), ("{{ header.name }}", "b")],
                 [("Số:      /{{ org.decision_symbol }}", "")])
    subject(doc, "QUYẾT ĐỊNH",
            ["Về việc khen thưởng các tập thể, cá nhân có thành tích xuất sắc " + MOVEMENT])
    para(doc, "{{ org.authority }}", style=CENTERED, bold=True, before=12, after=6)
    tag(doc, "{%p for line in can_cu %}", style=BODY)
    para(doc, "{{ line }}", italic=True)
    tag(doc, "{%p endfor %}", style=BODY)
    para(doc, "Xét đề nghị của {{ org.board }},", italic=True)
    para(doc, "QUYẾT ĐỊNH:", style=CENTERED, bold=True, before=0, after=6)
    para(doc, ("Điều 1.", "b"), " Tặng {{ award.name }} cho {{ decision.recipients }} đã có thành tích "
         "xuất sắc " + MOVEMENT + " (có danh sách kèm theo).")
    para(doc, ("Điều 2.", "b"), " Mỗi tập thể được thưởng {{ award.per_collective }} đồng; mỗi cá nhân "
         "được thưởng {{ award.per_individual }} đồng.")
    para(doc, "Tổng số tiền thưởng là: {{ decision.total }} đồng (Bằng chữ: {{ decision.total_words }}).")
    para(doc, "Tiền thưởng được trích từ {{ award.funding_source }}.")
    para(doc, ("Điều 3.", "b"), " Văn phòng, {{ org.board }} {{ org.short_name }}, các cấp công đoàn có "
         "liên quan và các tập thể, cá nhân có tên tại Điều 1 chịu trách nhiệm thi hành Quyết định này./.")
    signature_table(doc, ["- {{ item }}"], [("{{ signer.on_behalf }}", "b"), ("{{ signer.title }}", "b")],
                    "{{ signer.name }}", noi_nhan_loop="item in noi_nhan")
    _annex(doc)
    return doc


ANNEX_COLLECTIVES = [13, 82, 70]
ANNEX_INDIVIDUALS = [13, 60, 92]


def _annex(doc) -> None:
    para(doc, "DANH SÁCH TẬP THỂ, CÁ NHÂN ĐƯỢC TẶNG BẰNG KHEN", style=CENTERED, bold=True, page_break=True)
    para(doc, "(Kèm theo Quyết định số      /{{ org.decision_symbol }} ngày {{ issue.month_year }} "
         "của {{ org.authority_short }})", style=CENTERED, italic=True, after=12)
    para(doc, "I. TẬP THỂ", style=BODY, bold=True, indent=False, before=6, keep_next=True)
    tag(doc, "{%p if annex.collectives %}")
    grid_table(doc, ANNEX_COLLECTIVES, ["STT", "Tên tập thể", "Đơn vị đề nghị"],
               "row in annex.collectives", ["{{ row.stt }}", "{{ row.name }}", "{{ row.unit }}"])
    tag(doc, "{%p else %}")
    para(doc, "Không có tập thể nào đủ điều kiện.", italic=True)
    tag(doc, "{%p endif %}")
    para(doc, "II. CÁ NHÂN", style=BODY, bold=True, indent=False, before=12, keep_next=True)
    tag(doc, "{%p if annex.individuals %}")
    grid_table(doc, ANNEX_INDIVIDUALS, ["STT", "Họ và tên", "Chức vụ - Đơn vị công tác"],
               "row in group.rows", ["{{ row.stt }}", "{{ row.name }}", "{{ row.detail }}"],
               groups=("group in annex.individual_groups", "{{ group.unit }}"))
    tag(doc, "{%p else %}")
    para(doc, "Không có cá nhân nào đủ điều kiện.", italic=True)
    tag(doc, "{%p endif %}")
    para(doc, "Danh sách có {{ decision.collectives }} tập thể và {{ decision.individuals }} cá nhân./.",
         style=BODY, italic=True, before=6)


# ---------------------------------------------------------------- the submission (tờ trình)

SUMMARY_WIDTHS = [12, 45, 21, 21, 22, 44]


def build_submission() -> Document:
    doc = new_document()
    header_table(doc, [("{{ header.name }}", ""), ("{{ header.board }}", "b")],
                 [("Số:      /{{ org.submission_symbol }}", "")])
    subject(doc, "TỜ TRÌNH", ["Về việc đề nghị khen thưởng các tập thể, cá nhân có thành tích xuất sắc "
                              + MOVEMENT])
    para(doc, "Kính gửi: {{ org.authority_short }}", style=CENTERED, before=12, after=12)
    para(doc, "Thực hiện Kế hoạch số {{ campaign.plan_number }} ngày {{ campaign.plan_date }} của "
         "{{ org.authority_short }} về việc {{ campaign.plan_about }}, {{ org.board }} đã tiếp nhận, kiểm tra "
         "hồ sơ đề nghị khen thưởng của các đơn vị (hạn gửi: ngày {{ campaign.deadline }}). Kết quả như sau:")
    para(doc, ("1. Kết quả tiếp nhận hồ sơ", "b"), keep_next=True)
    para(doc, "Số đơn vị được phân bổ chỉ tiêu: {{ summary.units_expected }}; đã gửi hồ sơ: "
         "{{ summary.units_submitted }}, trong đó {{ summary.units_usable }} đơn vị có hồ sơ dùng được để tổng hợp"
         "{% if summary.units_unusable %} và {{ summary.units_unusable }} đơn vị đã gửi nhưng chưa dùng được"
         "{% endif %}; chưa gửi hồ sơ: {{ summary.units_missing }}.")
    para(doc, "Số tệp đã nhận: {{ summary.files }} (sử dụng {{ summary.files_accepted }}; bị từ chối "
         "{{ summary.files_rejected }}; được thay bằng tệp gửi sau {{ summary.files_superseded }}; "
         "không phải hồ sơ {{ summary.files_ignored }}).")
    para(doc, "Tổng số đề nghị: {{ summary.collectives }} tập thể, {{ summary.individuals }} cá nhân; đủ điều "
         "kiện đưa vào dự thảo Quyết định: {{ decision.collectives }} tập thể, {{ decision.individuals }} cá "
         "nhân. Chi tiết từng đơn vị (TT: tập thể; CN: cá nhân):", keep_next=True)
    t = grid_table(doc, SUMMARY_WIDTHS,
                   ["STT", "Đơn vị", "Chỉ tiêu (TT/CN)", "Đề nghị (TT/CN)", "Đưa vào dự thảo QĐ (TT/CN)",
                    "Ghi chú"],
                   "row in summary.rows",
                   ["{{ row.stt }}", "{{ row.unit }}", "{{ row.quota }}", "{{ row.submitted }}",
                    "{{ row.in_decision }}", "{{ row.note }}"],
                   aligns=[CENTER, LEFT, CENTER, CENTER, CENTER, LEFT])
    row = add_row(t, SUMMARY_WIDTHS)
    cant_split(row)
    for cell, text, align in zip(row.cells, ["", "Tổng cộng", "{{ summary.total.quota }}",
                                             "{{ summary.total.submitted }}", "{{ summary.total.in_decision }}",
                                             ""], [CENTER, LEFT, CENTER, CENTER, CENTER, LEFT]):
        cell_text(cell, text, align=align, bold=True)
    para(doc, ("2. Các đơn vị, đề nghị chưa đưa vào dự thảo Quyết định", "b"), before=12, keep_next=True)
    tag(doc, "{%p if summary.held_out %}", style=BODY)
    tag(doc, "{%p for line in summary.held_out %}", style=BODY)
    para(doc, "- {{ line }}")
    tag(doc, "{%p endfor %}", style=BODY)
    para(doc, "{{ org.board }} đã gửi phản hồi cho từng đơn vị về nội dung cần sửa, bổ sung; các đề nghị "
         "trên được xem xét khi đơn vị gửi lại hồ sơ đúng quy định.")
    tag(doc, "{%p elif summary.all_clear %}", style=BODY)
    para(doc, "Tất cả các đơn vị đã gửi hồ sơ hợp lệ; mọi đề nghị đều đủ điều kiện đưa vào dự thảo Quyết định.")
    tag(doc, "{%p else %}", style=BODY)
    para(doc, "Mọi đề nghị đều đủ điều kiện đưa vào dự thảo Quyết định; điều cần lưu ý về hồ sơ của từng đơn vị "
         "ghi ở cột Ghi chú của bảng trên.")
    tag(doc, "{%p endif %}", style=BODY)
    tag(doc, "{%p if summary.awarded_before %}", style=BODY)
    para(doc, "Theo sổ khen thưởng, các tập thể, cá nhân sau trong dự thảo đã được khen thưởng trước đây "
         "(để Ban Thường vụ xem xét):", keep_next=True)
    tag(doc, "{%p for line in summary.awarded_before %}", style=BODY)
    para(doc, "- {{ line }}")
    tag(doc, "{%p endfor %}", style=BODY)
    tag(doc, "{%p endif %}", style=BODY)
    para(doc, ("3. Đề nghị", "b"), keep_next=True)
    para(doc, "{{ org.board }} kính trình {{ org.authority_short }} xem xét, quyết định tặng {{ award.name }} "
         "cho {{ decision.recipients }} đã có thành tích xuất sắc " + MOVEMENT
         + " (có dự thảo Quyết định và danh sách kèm theo).")
    tag(doc, "{%p if decision.people %}", style=BODY)
    para(doc, "{{ decision.people }}")
    tag(doc, "{%p endif %}", style=BODY)
    para(doc, "Mức thưởng: mỗi tập thể {{ award.per_collective }} đồng, mỗi cá nhân {{ award.per_individual }} "
         "đồng. Tổng số tiền thưởng: {{ decision.total }} đồng (Bằng chữ: {{ decision.total_words }}), trích "
         "từ {{ award.funding_source }}.")
    para(doc, "Kính trình {{ org.authority_short }} xem xét, quyết định./.")
    signature_table(doc, ["- Như trên;", "- Lưu: VT, {{ org.board_short }}."], [("{{ board.head_title }}", "b")],
                    "{{ board.head_name }}")
    return doc


# ---------------------------------------------------------------- the feedback letter (phản hồi)

FINDING_WIDTHS = [12, 20, 32, 31, 70]


def build_feedback() -> Document:
    doc = new_document()
    header_table(doc, [("{{ header.name }}", ""), ("{{ header.board }}", "b")],
                 [("Số:      /{{ board.letter_symbol }}", "")],
                 subject_line="V/v kết quả kiểm tra hồ sơ đề nghị khen thưởng năm {{ campaign.year }}",
                 date_line="{{ issue.letter_place_date }}")
    para(doc, "Kính gửi: {{ letter.unit_name }}", style=CENTERED, before=18, after=12)
    para(doc, "{{ org.board }} {{ org.short_name }} đã nhận hồ sơ đề nghị khen thưởng của {{ letter.unit_name }} "
         "theo Kế hoạch số {{ campaign.plan_number }} ngày {{ campaign.plan_date }} của {{ org.authority_short }} "
         "về việc {{ campaign.plan_about }}. Kết quả kiểm tra như sau:")
    para(doc, ("1. Tệp đã nhận", "b"), keep_next=True)
    tag(doc, "{%p for file in letter.files %}", style=BODY)
    para(doc, "- Tệp “{{ file.name }}”, nhận {{ file.received }}: {{ file.status }}.")
    tag(doc, "{%p endfor %}", style=BODY)
    para(doc, ("2. Đề nghị khen thưởng", "b"), keep_next=True)
    para(doc, "Chỉ tiêu của đơn vị: {{ letter.quota }}. Đơn vị đề nghị: {{ letter.submitted }}. "
         "Đưa vào dự thảo Quyết định khen thưởng: {{ letter.included }}.")
    tag(doc, "{%p if letter.included_lines %}", style=BODY)
    para(doc, "Danh sách đưa vào dự thảo Quyết định:", keep_next=True)
    tag(doc, "{%p for line in letter.included_lines %}", style=BODY)
    para(doc, "- {{ line }}")
    tag(doc, "{%p endfor %}", style=BODY)
    tag(doc, "{%p endif %}", style=BODY)
    tag(doc, "{%p if letter.held_out_lines %}", style=BODY)
    para(doc, "Chưa đưa vào dự thảo Quyết định:", keep_next=True)
    tag(doc, "{%p for line in letter.held_out_lines %}", style=BODY)
    para(doc, "- {{ line }}")
    tag(doc, "{%p endfor %}", style=BODY)
    tag(doc, "{%p endif %}", style=BODY)
    tag(doc, "{%p for line in letter.notes %}", style=BODY)
    para(doc, "{{ line }}")
    tag(doc, "{%p endfor %}", style=BODY)
    para(doc, ("3. Nội dung cần sửa, bổ sung", "b"), keep_next=True)
    tag(doc, "{%p if letter.findings %}", style=BODY)
    para(doc, "{{ letter.verdict }}", keep_next=True)
    grid_table(doc, FINDING_WIDTHS, ["STT", "Mức độ", "Vị trí", "Giá trị", "Nội dung cần sửa"],
               "row in letter.findings",
               ["{{ row.stt }}", "{{ row.severity }}", "{{ row.place }}", "{{ row.value }}", "{{ row.message }}"],
               aligns=[CENTER, LEFT, LEFT, LEFT, LEFT])
    tag(doc, "{%p else %}", style=BODY)
    para(doc, "Hồ sơ của đơn vị hợp lệ, không có nội dung nào cần sửa, bổ sung.")
    tag(doc, "{%p endif %}", style=BODY)
    tag(doc, "{%p if letter.skipped %}", style=BODY)
    para(doc, "{{ letter.skipped }}", before=6)
    tag(doc, "{%p endif %}", style=BODY)
    tag(doc, "{%p for line in letter.closing %}", style=BODY)
    para(doc, "{{ line }}", before=6)
    tag(doc, "{%p endfor %}", style=BODY)
    para(doc, "Mọi thắc mắc xin liên hệ {{ campaign.contact }}, thư điện tử: {{ campaign.contact_email }}.")
    signature_table(doc, ["- Như trên;", "- Lưu: {{ org.board_short }}."], [("{{ board.letter_heading }}", "b")],
                    "{{ board.letter_name }}")
    return doc


BUILDERS = {DECISION_TPL: build_decision, SUBMISSION_TPL: build_submission, FEEDBACK_TPL: build_feedback}


# ---------------------------------------------------------------- saving

def docx_bytes(doc: Document) -> bytes:
    """The document as .docx bytes with fixed zip times, so a rebuild gives the same bytes."""
    raw = io.BytesIO()
    doc.save(raw)
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=_ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            zout.writestr(fixed, zin.read(info.filename))
    return out.getvalue()


def write_templates(builders, out_dir: str | Path) -> list[Path]:
    """Each builder's document written as OUT_DIR/<name>, reproducibly: the one writer of every
    *_tpl.docx set (the drafts here, the conference's papers)."""
    out_dir = Path(out_dir)
    written = []
    for name, build in builders.items():
        target = out_dir / name
        with atomic_path(target) as tmp:
            tmp.write_bytes(docx_bytes(build()))
        written.append(target)
    return written


def build_templates(out_dir: str | Path = TEMPLATES_DIR) -> list[Path]:
    return write_templates(BUILDERS, out_dir)


def run_main(build, default_dir: Path, argv: list[str] | None = None) -> int:
    """`python -m …docx_templates [DIR]`: rebuild a template set and print what was written."""
    args = sys.argv[1:] if argv is None else argv
    for path in build(args[0] if args else default_dir):
        print(path)
    return 0


def main(argv: list[str] | None = None) -> int:
    return run_main(build_templates, TEMPLATES_DIR, argv)


if __name__ == "__main__":
    raise SystemExit(main())
