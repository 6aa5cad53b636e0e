"""Builds the conference papers' Word templates with python-docx, reproducibly.

    python -m thidua_batch.conference.docx_templates [OUT_DIR]

writes giay_moi_tpl.docx, chuong_trinh_tpl.docx, kich_ban_tpl.docx, tham_luan_tpl.docx and
giao_uoc_tpl.docx into thidua_batch/conference/templates/ (or OUT_DIR). The files are committed:
the Văn phòng opens them in Word to change the wording; the Jinja tags are the variables of
`context.py`. The layout helpers are the drafts' (`documents/docx_templates.py`): the same
Nghị định 30 header table, titles, body and signature block.
"""
from __future__ import annotations

from pathlib import Path

from docx.enum.text import WD_BREAK
from docx.shared import Pt

from ..documents.docx_templates import (BODY, CELL, CENTER, CENTERED, LEFT, SMALL, add_row, cant_split,
                                        cell_para, cell_text, docx_bytes, grid_table, header_table, new_document,
                                        para, repeat_header, run_main, signature_table, subject, table, tag, tag_row,
                                        write_templates)
from .files import AGENDA_TPL, DISCUSSION_TPL, INVITATION_TPL, PLEDGE_TPL, SCRIPT_TPL, TEMPLATES_DIR


ISSUER = [("{{ header.parent }}", ""), ("{{ header.name }}", "b")]


def _no_page_numbers(doc) -> None:
    """One-page papers (an invitation) carry no page number."""
    for p in doc.sections[0].header.paragraphs:
        for run in list(p.runs):
            run._r.getparent().remove(run._r)


def _page_break(doc, condition: str) -> None:
    tag(doc, f"{{%p if {condition} %}}", style=SMALL)
    p = doc.add_paragraph(style=SMALL)
    p.add_run().add_break(WD_BREAK.PAGE)
    tag(doc, "{%p endif %}", style=SMALL)


# ---------------------------------------------------------------- giấy mời (NĐ 30/2020, Phụ lục III)

def build_invitation():
    doc = new_document()
    _no_page_numbers(doc)
    tag(doc, "{%p for inv in invitations %}", style=SMALL)
    header_table(doc, ISSUER, [("Số:      /{{ issue.symbol }}", "")])
    subject(doc, "GIẤY MỜI", ["Dự {{ conference.name }}"], rule_mm=40)
    para(doc, "{{ conference.authority }} trân trọng kính mời:", before=12, after=6)
    para(doc, "{{ inv.invitee }}", style=CENTERED, bold=True, size=14, after=0)
    tag(doc, "{%p if inv.detail %}", style=CENTERED)
    para(doc, "{{ inv.detail }}", style=CENTERED, italic=True, after=0)
    tag(doc, "{%p endif %}", style=CENTERED)
    para(doc, ("Tới dự: ", "b"), "{{ conference.name }}.", before=12)
    para(doc, ("Thời gian: ", "b"), "{{ conference.duration }}, bắt đầu từ {{ conference.start }}, "
         "{{ conference.weekday }}, {{ conference.date_long }}.")
    para(doc, ("Địa điểm: ", "b"), "{{ conference.venue }}.")
    tag(doc, "{%p for note in inv.notes %}", style=BODY)
    para(doc, "{{ note }}", italic=True)
    tag(doc, "{%p endfor %}", style=BODY)
    para(doc, "Rất mong {{ inv.addressee }} đến dự đúng thời gian./.")
    signature_table(doc, ["- {{ item }}"], [("{{ signer.on_behalf }}", "b"), ("{{ signer.title }}", "b")],
                    "{{ signer.name }}", noi_nhan_loop="item in noi_nhan")
    _page_break(doc, "not loop.last")
    tag(doc, "{%p endfor %}", style=SMALL)
    return doc


# ---------------------------------------------------------------- chương trình

AGENDA_WIDTHS = [12, 30, 73, 50]


def build_agenda():
    doc = new_document()
    header_table(doc, ISSUER, [("", "")])
    subject(doc, "CHƯƠNG TRÌNH", ["{{ conference.name }}"])
    para(doc, ("Thời gian: ", "b"), "{{ conference.start }}, {{ conference.weekday }}, {{ conference.date_long }}.",
         before=12, indent=False)
    para(doc, ("Địa điểm: ", "b"), "{{ conference.venue }}.", indent=False)
    para(doc, ("Chủ trì: ", "b"), "{{ conference.chair }}.", indent=False, after=12)
    grid_table(doc, AGENDA_WIDTHS, ["STT", "Thời gian", "Nội dung", "Người thực hiện"], "row in rows",
               ["{{ row.stt }}", "{{ row.time }}", "{{ row.item }}", "{{ row.presenter }}"],
               aligns=[CENTER, CENTER, LEFT, LEFT])
    para(doc, "BAN TỔ CHỨC", style=CENTERED, bold=True, before=18)
    return doc


# ---------------------------------------------------------------- kịch bản (MC script)

SCRIPT_WIDTHS = [29, 31, 66, 39]


def build_script():
    doc = new_document()
    header_table(doc, ISSUER, [("", "")])
    subject(doc, "KỊCH BẢN ĐIỀU HÀNH", ["{{ conference.name }}"])
    para(doc, ("Thời gian: ", "b"), "{{ conference.start }}, {{ conference.weekday }}, {{ conference.date_long }}. ",
         ("Địa điểm: ", "b"), "{{ conference.venue }}.", before=12, indent=False)
    para(doc, ("Người dẫn chương trình: ", "b"), "{{ mc }}. Khen thưởng được trao theo từng lượt "
         "{{ batch_size }} tập thể, cá nhân, đúng thứ tự danh sách kèm theo quyết định; số ghi ở cột Ghi chú là số "
         "của bằng khen, cờ thi đua trong khay, xếp theo đúng thứ tự gọi.", indent=False, after=12)
    t = table(doc, SCRIPT_WIDTHS)
    repeat_header(t.rows[0])
    for cell, text in zip(t.rows[0].cells, ["NGƯỜI GIỚI THIỆU", "NGƯỜI THỰC HIỆN", "NỘI DUNG", "GHI CHÚ"]):
        cell_text(cell, text, align=CENTER, bold=True)
    tag_row(t, SCRIPT_WIDTHS, "{%tr for row in rows %}")
    tag_row(t, SCRIPT_WIDTHS, "{%tr if row.heading %}")
    row = add_row(t, SCRIPT_WIDTHS)
    cant_split(row)
    merged = row.cells[0].merge(row.cells[-1])
    cell_text(merged, "{{ row.heading }}", bold=True)
    tag_row(t, SCRIPT_WIDTHS, "{%tr else %}")
    row = add_row(t, SCRIPT_WIDTHS)
    cant_split(row)     # a row is never split across two pages
    for cell, text in zip(row.cells, ["{{ row.introducer }}", "{{ row.performer }}", "{{ row.content }}",
                                      "{{ row.note }}"]):
        cell_text(cell, text, align=LEFT)
    tag_row(t, SCRIPT_WIDTHS, "{%tr endif %}")
    tag_row(t, SCRIPT_WIDTHS, "{%tr endfor %}")
    end = para(doc, "", style=SMALL)
    end.paragraph_format.line_spacing = Pt(1)
    return doc


# ---------------------------------------------------------------- tham luận

DISCUSSION_WIDTHS = [12, 36, 47, 33, 37]


def build_discussion():
    doc = new_document()
    header_table(doc, ISSUER, [("", "")])
    subject(doc, "DANH SÁCH THAM LUẬN", ["Tại {{ conference.name }}"])
    para(doc, "Thời gian: {{ conference.weekday }}, {{ conference.date_long }}; địa điểm: {{ conference.venue }}.",
         style=CENTERED, italic=True, before=6, after=12)
    tag(doc, "{%p if rows %}", style=BODY)
    grid_table(doc, DISCUSSION_WIDTHS, ["Thứ tự", "Đơn vị", "Chủ đề tham luận", "Người trình bày", "Liên hệ"],
               "row in rows", ["{{ row.stt }}", "{{ row.unit }}", "{{ row.topic }}", "{{ row.presenter }}",
                               "{{ row.contact }}"],
               aligns=[CENTER, LEFT, LEFT, LEFT, LEFT])
    tag(doc, "{%p else %}", style=BODY)
    para(doc, "Chưa có đơn vị nào gửi chủ đề tham luận.", italic=True)
    tag(doc, "{%p endif %}", style=BODY)
    tag(doc, "{%p if missing %}", style=BODY)
    para(doc, "Đơn vị chưa gửi chủ đề tham luận: {{ missing|join('; ') }}.", italic=True, before=6)
    tag(doc, "{%p endif %}", style=BODY)
    para(doc, "Mỗi tham luận trình bày không quá {{ talk_minutes }} phút.", italic=True, before=6)
    para(doc, "BAN TỔ CHỨC", style=CENTERED, bold=True, before=18)
    return doc


# ---------------------------------------------------------------- giao ước thi đua

MEMBER_WIDTHS = [14, 106, 45]
SIGN_WIDTHS = [55, 55, 55]


def build_pledge():
    doc = new_document()
    header_table(doc, ISSUER + [("{{ khoi.name_upper }}", "")], [("", "")])
    subject(doc, "BẢN GIAO ƯỚC THI ĐUA NĂM {{ year }}", ["{{ khoi.name }}"])
    tag(doc, "{%p for line in can_cu %}", style=BODY)
    para(doc, "{{ line }}", italic=True)
    tag(doc, "{%p endfor %}", style=BODY)
    para(doc, "Hôm nay, {{ conference.date_long }}, tại {{ conference.venue }}, trong chương trình "
         "{{ conference.name }}, các đơn vị thuộc {{ khoi.name }} gồm:", before=6, keep_next=True)
    grid_table(doc, MEMBER_WIDTHS, ["STT", "Đơn vị", "Vai trò trong khối"], "m in khoi.members",
               ["{{ m.stt }}", "{{ m.name }}", "{{ m.role }}"], aligns=[CENTER, LEFT, CENTER])
    para(doc, "cùng thống nhất ký kết giao ước thi đua năm {{ year }} với các nội dung sau:", before=6,
         keep_next=True)
    tag(doc, "{%p for item in contents %}", style=BODY)
    para(doc, "{{ loop.index }}. {{ item }}")
    tag(doc, "{%p endfor %}", style=BODY)
    para(doc, "Các đơn vị trong khối cam kết tổ chức thực hiện tốt các nội dung giao ước; trưởng khối chủ trì "
         "theo dõi, tổng hợp, cuối năm tổ chức chấm điểm, bình xét thi đua và báo cáo Ban Thường vụ "
         "Liên đoàn Lao động tỉnh. Bản giao ước được lập thành 02 bản có giá trị như nhau./.", keep_next=True)
    para(doc, "ĐẠI DIỆN CÁC ĐƠN VỊ KÝ GIAO ƯỚC", style=CENTERED, bold=True, before=12, keep_next=True)
    t = table(doc, SIGN_WIDTHS, borders=False)
    t._tbl.remove(t.rows[0]._tr)  # only the looped row: no empty first row
    tag_row(t, SIGN_WIDTHS, "{%tr for line in khoi.signature_rows %}")
    row = add_row(t, SIGN_WIDTHS)
    cant_split(row)
    for cell, key in zip(row.cells, "abc"):
        # 12 pt paragraphs (the table style), so an empty role line is as tall as a filled one
        cell_text(cell, f"{{{{ line.{key}.role }}}}", align=CENTER, italic=True)
        for field in ("on_behalf", "unit", "title"):
            cell_para(cell, f"{{{{ line.{key}.{field} }}}}", style=CELL, align=CENTER, bold=True, before=0, after=0)
        for _ in range(4):
            cell_para(cell, "", style=CELL)
        cell_para(cell, f"{{{{ line.{key}.name }}}}", style=CELL, align=CENTER, bold=True, size=13, after=12)
    tag_row(t, SIGN_WIDTHS, "{%tr endfor %}")
    end = para(doc, "", style=SMALL)
    end.paragraph_format.line_spacing = Pt(1)
    return doc


BUILDERS = {INVITATION_TPL: build_invitation, AGENDA_TPL: build_agenda, SCRIPT_TPL: build_script,
            DISCUSSION_TPL: build_discussion, PLEDGE_TPL: build_pledge}


def build_templates(out_dir: str | Path = TEMPLATES_DIR) -> list[Path]:
    return write_templates(BUILDERS, out_dir)


def main(argv: list[str] | None = None) -> int:
    return run_main(build_templates, TEMPLATES_DIR, argv)


if __name__ == "__main__":
    raise SystemExit(main())
