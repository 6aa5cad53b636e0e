"""Lists sent as Word tables (thidua_batch.intake.word_lists): .docx read directly, .doc
through LibreOffice, hostile files refused by safety.inspect_document_bytes."""
from __future__ import annotations

import io
import os
import random
import sys
import tempfile
import time
import unicodedata
import zipfile
from pathlib import Path

import pytest
from docx import Document

from hostile import MINIMAL_PDF, base_xlsx, encrypted_ooxml, make_cfb, make_zip, ods_bytes, patch_member, rezip
from thidua_batch.config.limits import Limits
from thidua_batch.intake.grid import Merge
from thidua_batch.intake.safety import inspect_document_bytes, inspect_workbook_bytes
from thidua_batch.intake.word_lists import WORD_SUFFIXES, WordDocument, WordUnreadable, find_soffice, read_word

HAS_SOFFICE = find_soffice() is not None
needs_soffice = pytest.mark.skipif(not HAS_SOFFICE, reason="LibreOffice (soffice) not installed")
MiB = 1024 * 1024

# ---------------------------------------------------------------------------
# A list as a district union sends it: header table, title, the list, signatures

LIST_ROWS = [
    ["STT", "Họ và tên", "Năm sinh", "", "Chức vụ, đơn vị công tác", "Tóm tắt thành tích"],
    ["", "", "Nam", "Nữ", "", ""],
    ["1", "Lò Văn Thắng", "1980", "", "Chủ tịch CĐ xã Mường So", "Hoàn thành xuất sắc nhiệm vụ"],
    ["2", "Tao Thị Mai", "", "1985", "Kế toán\nCĐ xã Mường So", "Hoàn thành tốt nhiệm vụ"],
    ["3", "Vàng A Dình", "1990", "", "Đoàn viên\nCĐ trường THCS", ""],
    ["Cộng: 03 cá nhân", "", "", "", "", ""],
]
LIST_MERGES = [
    Merge(0, 0, 1, 0), Merge(0, 1, 1, 1), Merge(0, 2, 0, 3), Merge(0, 4, 1, 4), Merge(0, 5, 1, 5),
    Merge(3, 5, 4, 5), Merge(5, 0, 5, 5),
]
HEADER_ROWS = [
    ["LIÊN ĐOÀN LAO ĐỘNG TỈNH LAI CHÂU\nLĐLĐ HUYỆN PHONG THỔ",
     "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc"],
    ["Số: 15/TTr-LĐLĐ", "Phong Thổ, ngày 10 tháng 3 năm 2020"],
]
SIGNATURE_ROWS = [["Người lập biểu", "TM. BAN THƯỜNG VỤ\nCHỦ TỊCH"]]


def _set(cell, text: str) -> None:
    """Each "\n" a new paragraph, as a person presses Enter in a cell."""
    first, *more = text.split("\n")
    cell.text = first
    for line in more:
        cell.add_paragraph(line)


def list_docx(path: Path) -> Path:
    doc = Document()
    header = doc.add_table(rows=2, cols=2)
    for r, row in enumerate(HEADER_ROWS):
        for c, text in enumerate(row):
            _set(header.cell(r, c), text)
    doc.add_paragraph("DANH SÁCH")
    doc.add_paragraph("Đề nghị   tặng Bằng khen  năm 2020")
    table = doc.add_table(rows=6, cols=6)
    table.style = "Table Grid"
    for a, b in [((0, 0), (1, 0)), ((0, 1), (1, 1)), ((0, 2), (0, 3)), ((0, 4), (1, 4)), ((0, 5), (1, 5)),
                 ((3, 5), (4, 5)), ((5, 0), (5, 5))]:
        table.cell(*a).merge(table.cell(*b))  # python-docx writes w:gridSpan and w:vMerge
    for r, row in enumerate(LIST_ROWS):
        for c, text in enumerate(row):
            if text:
                _set(table.cell(r, c), text)
    # Typed with decomposed accents and a tab, as some keyboards and copy-pastes leave them.
    table.cell(2, 1).text = unicodedata.normalize("NFD", "Lò Văn\tThắng")
    # Without a paragraph between them Word shows two tables as one (LibreOffice joins them in a .doc).
    doc.add_paragraph("Danh sách có 03 cá nhân.")
    signature = doc.add_table(rows=1, cols=2)
    for c, text in enumerate(SIGNATURE_ROWS[0]):
        _set(signature.cell(0, c), text)
    doc.add_paragraph("Nguyễn Văn A")  # Word always ends a document with a paragraph
    doc.save(path)
    return path


def rows_of(document: WordDocument) -> list[list[list[object]]]:
    return [grid.rows for grid in document.grids]


def assert_is_the_list(document: WordDocument) -> None:
    assert [g.name for g in document.grids] == ["Bảng 1", "Bảng 2", "Bảng 3"]
    header, table, signature = document.grids
    assert header.rows == HEADER_ROWS and header.merges == []
    assert table.rows == LIST_ROWS
    assert table.merges == LIST_MERGES
    assert signature.rows == SIGNATURE_ROWS
    assert all(g.hidden_rows == frozenset() for g in document.grids)
    assert document.lines[:6] == [
        "LIÊN ĐOÀN LAO ĐỘNG TỈNH LAI CHÂU LĐLĐ HUYỆN PHONG THỔ",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập - Tự do - Hạnh phúc",
        "Số: 15/TTr-LĐLĐ",
        "Phong Thổ, ngày 10 tháng 3 năm 2020",
        "DANH SÁCH",
        "Đề nghị tặng Bằng khen năm 2020",
    ]
    assert "Kế toán CĐ xã Mường So" in document.lines
    assert document.lines[-1] == "Nguyễn Văn A"


@pytest.fixture(scope="module")
def list_file(tmp_path_factory) -> Path:
    return list_docx(tmp_path_factory.mktemp("docx") / "danh_sach.docx")


def test_docx_tables_are_grids_with_their_merges(list_file):
    document = read_word(list_file.read_bytes(), str(list_file), Limits())
    assert document.converted_from_doc is False
    assert_is_the_list(document)
    table = document.grids[1]
    assert table.merge_at(0, 3) == Merge(0, 2, 0, 3) and table.merge_at(1, 3) is None and table.value(1, 3) == "Nữ"
    assert unicodedata.is_normalized("NFC", table.rows[2][1])


def test_word_suffixes():
    assert WORD_SUFFIXES == (".docx", ".doc")


def test_a_to_trinh_without_table(tmp_path):
    doc = Document()
    for text in ("LIÊN ĐOÀN LAO ĐỘNG TỈNH LAI CHÂU", "LĐLĐ HUYỆN PHONG THỔ", "", "TỜ TRÌNH",
                 "V/v đề nghị tặng Bằng khen"):
        doc.add_paragraph(text)
    path = tmp_path / "To trinh.docx"
    doc.save(path)
    document = read_word(path.read_bytes(), str(path), Limits())
    assert document == WordDocument(grids=[], lines=["LIÊN ĐOÀN LAO ĐỘNG TỈNH LAI CHÂU", "LĐLĐ HUYỆN PHONG THỔ",
                                                     "TỜ TRÌNH", "V/v đề nghị tặng Bằng khen"],
                                    converted_from_doc=False)


# ---------------------------------------------------------------------------
# WordprocessingML written by hand: tracked changes, content controls, grid offsets

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MC_NS = "http://schemas.openxmlformats.org/markup-compatibility/2006"
TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
)
RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
    'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="word/document.xml"/></Relationships>'
)


def handmade_docx(body: str, prolog: str = "") -> bytes:
    document = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>{prolog}<w:document xmlns:w="{W_NS}" '
                f'xmlns:mc="{MC_NS}"><w:body>{body}<w:sectPr/></w:body></w:document>')
    return make_zip({"[Content_Types].xml": TYPES.encode(), "_rels/.rels": RELS.encode(),
                     "word/document.xml": document.encode()})


def p(text: str) -> str:
    return f"<w:p><w:r><w:t xml:space=\"preserve\">{text}</w:t></w:r></w:p>"


H_RESTART, V_RESTART = '<w:hMerge w:val="restart"/>', '<w:vMerge w:val="restart"/>'
V_CONTINUE, SPAN_2 = '<w:vMerge w:val="continue"/>', '<w:gridSpan w:val="2"/>'


def tc(content: str, props: str = "") -> str:
    return f"<w:tc><w:tcPr>{props}</w:tcPr>{content}</w:tc>"


TRACKED = (
    '<w:p><w:r><w:t xml:space="preserve">LĐLĐ HUYỆN </w:t></w:r>'
    '<w:del w:id="1" w:author="A"><w:r><w:delText>TAM ĐƯỜNG</w:delText></w:r></w:del>'
    '<w:ins w:id="2" w:author="A"><w:r><w:t>PHONG THỔ</w:t></w:r></w:ins></w:p>'
    "<w:tbl><w:tblGrid><w:gridCol/><w:gridCol/></w:tblGrid>"
    f"<w:tr>{tc(p('STT'))}{tc(p('Họ và tên'))}</w:tr>"
    '<w:tr><w:trPr><w:del w:id="3" w:author="A"/></w:trPr>'
    f"{tc('<w:p><w:del><w:r><w:delText>1</w:delText></w:r></w:del></w:p>')}"
    f"{tc('<w:p><w:del><w:r><w:delText>Người đã bị xoá</w:delText></w:r></w:del></w:p>')}</w:tr>"
    '<w:tr><w:trPr><w:ins w:id="4" w:author="A"/></w:trPr>'
    f"{tc('<w:p><w:ins><w:r><w:t>1</w:t></w:r></w:ins></w:p>')}"
    '<w:tc><w:p><w:r><w:t xml:space="preserve">Lò Văn </w:t></w:r>'
    '<w:moveFrom w:id="5" w:author="A"><w:r><w:t>Cũ</w:t></w:r></w:moveFrom>'
    '<w:del w:id="6" w:author="A"><w:r><w:tab/><w:delText>Thắg</w:delText></w:r></w:del>'
    '<w:moveTo w:id="7" w:author="A"><w:r><w:t>Thắng</w:t></w:r></w:moveTo></w:p></w:tc></w:tr>'
    "</w:tbl>" + p("")
)


def test_tracked_changes_read_as_accepted():
    document = read_word(handmade_docx(TRACKED), "ds.docx", Limits())
    assert document.lines == ["LĐLĐ HUYỆN PHONG THỔ", "STT", "Họ và tên", "1", "Lò Văn Thắng"]
    assert rows_of(document) == [[["STT", "Họ và tên"], ["1", "Lò Văn Thắng"]]]


def test_content_controls_grid_offsets_legacy_merges_nested_tables_text_boxes():
    nested = f"<w:tbl><w:tr>{tc(p('a'))}{tc(p('b'))}</w:tr></w:tbl>"
    textbox = (
        "<w:p><w:r><w:t>TỜ TRÌNH</w:t></w:r><w:r><mc:AlternateContent><mc:Choice Requires=\"wps\"><w:drawing>"
        f"<w:txbxContent>{p('LĐLĐ HUYỆN SÌN HỒ')}</w:txbxContent></w:drawing></mc:Choice>"
        f"<mc:Fallback><w:pict><w:txbxContent>{p('LĐLĐ HUYỆN SÌN HỒ')}</w:txbxContent></w:pict></mc:Fallback>"
        "</mc:AlternateContent></w:r></w:p>"
    )
    body = (
        textbox
        + "<w:sdt><w:sdtPr/><w:sdtContent><w:tbl><w:tblGrid><w:gridCol/><w:gridCol/><w:gridCol/><w:gridCol/>"
        "</w:tblGrid>"
        f"<w:tr>{tc(p('TT'))}{tc(p('Họ tên'), H_RESTART)}{tc(p(''), '<w:hMerge/>')}"
        f"{tc(p('Ghi chú'), V_RESTART)}</w:tr>"
        '<w:tr><w:trPr><w:gridBefore w:val="1"/></w:trPr>' f"{tc(p('Họ') + p('  tên  đệm '))}"
        f"{tc(p('Tên'))}{tc(p(''), '<w:vMerge/>')}</w:tr>"
        f"<w:tr>{tc(p('1'))}{tc(nested, SPAN_2)}"
        f"{tc(p('x') + '<w:p><w:r><w:t>y</w:t><w:br/><w:t>z</w:t><w:noBreakHyphen/></w:r></w:p>')}</w:tr>"
        "<w:tr/>"
        "</w:tbl></w:sdtContent></w:sdt>"
    )
    document = read_word(handmade_docx(body), "ds.docx", Limits())
    [grid] = document.grids
    assert grid.rows == [
        ["TT", "Họ tên", "", "Ghi chú"],
        ["", "Họ\ntên đệm", "Tên", ""],
        ["1", "a\nb", "", "x\ny\nz-"],
        ["", "", "", ""],
    ]
    assert grid.merges == [Merge(0, 1, 0, 2), Merge(0, 3, 1, 3), Merge(2, 1, 2, 2)]
    assert document.lines[0] == "TỜ TRÌNH LĐLĐ HUYỆN SÌN HỒ"  # the text box once, not twice


def test_a_continued_cell_keeps_its_text_in_the_first_cell():
    body = ("<w:tbl>"
            f"<w:tr>{tc(p('Hoàn thành tốt'), V_RESTART)}</w:tr>"
            f"<w:tr>{tc(p('nhiệm vụ'), V_CONTINUE)}</w:tr>"
            "</w:tbl>")
    [grid] = read_word(handmade_docx(body), "ds.docx", Limits()).grids
    assert grid.rows == [["Hoàn thành tốt\nnhiệm vụ"], [""]] and grid.merges == [Merge(0, 0, 1, 0)]


def test_an_entity_is_never_expanded():
    data = handmade_docx(p("&x;"), prolog="<!DOCTYPE w:document [<!ENTITY x SYSTEM 'file:///etc/passwd'>]>")
    with pytest.raises(WordUnreadable) as caught:
        read_word(data, "ds.docx", Limits())
    assert caught.value.reason == "dtd" and "Word không bao giờ tạo ra" in str(caught.value)


# ---------------------------------------------------------------------------
# Hostile and mistaken files


def _docx_bytes(tmp_path: Path) -> bytes:
    return list_docx(tmp_path / "ds.docx").read_bytes()


def _odt() -> bytes:
    return make_zip({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<x/>",
                     "META-INF/manifest.xml": b"<manifest/>"})


def _fib(flags: int = 0) -> bytes:
    return b"\xec\xa5\xc1\x00" + bytes(6) + flags.to_bytes(2, "little") + bytes(20)


HOSTILE = {
    # name: (bytes from the real list, suffix, reason, words in the message)
    "xlsx-renamed": (lambda d: base_xlsx(), ".docx", "not-a-document", "thực chất là bảng tính Excel (.xlsx)"),
    "odt": (lambda d: _odt(), ".docx", "not-a-document", "thực chất là văn bản OpenDocument (.odt)"),
    "ods": (lambda d: ods_bytes(), ".doc", "not-a-document", "thực chất là bảng tính OpenDocument (.ods)"),
    "pdf": (lambda d: MINIMAL_PDF, ".docx", "not-a-document", "thực chất là tệp PDF"),
    "rtf": (lambda d: b"{\\rtf1\\ansi Danh sach}", ".doc", "not-a-document", "thực chất là văn bản RTF"),
    "html": (lambda d: b"<html><body><table><tr><td>x</td></tr></table></body></html>", ".doc",
             "not-a-document", "trang web (HTML)"),
    "plain-zip": (lambda d: make_zip({"a.txt": b"x"}), ".docx", "not-a-document", "tệp nén (ZIP)"),
    "xls-renamed": (lambda d: make_cfb({"Workbook": b"\x09\x08"}), ".doc", "not-a-document",
                    "bảng tính Excel 97-2003 (.xls)"),
    "empty": (lambda d: b"", ".docx", "empty", "Tệp rỗng"),
    "truncated": (lambda d: d[: len(d) // 2], ".docx", "truncated", "bị cắt cụt"),
    "ratio-bomb": (lambda d: rezip(d, add={"word/media/image1.png": bytes(20 * MiB)}), ".docx", "zip-bomb",
                   "tỷ lệ nén"),
    "lying-member": (lambda d: patch_member(rezip(d, add={"word/media/image1.png": bytes(5 * MiB)}),
                                            "word/media/image1.png", file_size=1000), ".docx", "zip-bomb",
                     "nhiều hơn kích thước khai báo"),
    "many-members": (lambda d: rezip(d, add={f"word/media/x{i}.bin": b"" for i in range(10_001)},
                                     compression=zipfile.ZIP_STORED), ".docx", "zip-bomb", "thành phần"),
    "encrypted-ooxml": (lambda d: encrypted_ooxml(), ".docx", "encrypted", "mật khẩu"),
    "encrypted-doc": (lambda d: make_cfb({"WordDocument": _fib(0x0100)}), ".doc", "encrypted", "mật khẩu"),
    "broken-doc": (lambda d: make_cfb({"WordDocument": bytes(64)}), ".doc", "corrupt", "Word 97-2003"),
}


@pytest.mark.parametrize("kind", HOSTILE)
def test_hostile_and_mistaken_files_are_refused_in_word_terms(kind, tmp_path):
    build, suffix, reason, words = HOSTILE[kind]
    data = build(_docx_bytes(tmp_path))
    with pytest.raises(WordUnreadable) as caught:
        read_word(data, "don_vi" + suffix, Limits(), soffice="/nonexistent")
    message = str(caught.value)
    assert caught.value.reason == reason, message
    assert words in message and message.endswith(".") and "đề nghị đơn vị" in message.lower()
    if reason != "not-a-document":  # the shared checks' wording is turned to Word's
        assert "Excel" not in message and "trang tính" not in message, message
    assert inspect_document_bytes(data, suffix, Limits()).reason == reason


def test_a_big_document_part_is_too_large_in_word_terms(tmp_path):
    with pytest.raises(WordUnreadable) as caught:
        read_word(_docx_bytes(tmp_path), "ds.docx", Limits(max_sheet_xml_bytes=2000))
    assert caught.value.reason == "too-large" and "Phần nội dung văn bản" in str(caught.value)


def test_inspect_document_bytes_names_a_swap_of_doc_and_docx(tmp_path):
    docx = _docx_bytes(tmp_path)
    assert inspect_document_bytes(docx, ".docx", Limits()) is None
    assert "(.docx) được đổi đuôi" not in inspect_document_bytes(docx, ".doc", Limits()).message
    assert ".docx được đổi đuôi" in inspect_document_bytes(docx, ".doc", Limits()).message
    doc = make_cfb({"WordDocument": _fib()})
    assert inspect_document_bytes(doc, ".doc", Limits()) is None
    assert "(.doc) được đổi đuôi" in inspect_document_bytes(doc, ".docx", Limits()).message
    # The workbook check is unchanged: a Word file is still not a workbook.
    assert inspect_workbook_bytes(docx, ".xlsx").reason == "not-a-workbook"


def test_a_docx_named_doc_is_read_without_libreoffice(tmp_path, list_file):
    document = read_word(list_file.read_bytes(), "danh_sach.doc", Limits(), soffice="/nonexistent")
    assert_is_the_list(document)


def test_mutated_files_only_ever_raise_word_unreadable(list_file):
    data = list_file.read_bytes()
    rng = random.Random(20200310)
    for _ in range(150):
        mutated = bytearray(data)
        for _ in range(rng.randint(1, 4)):
            mutated[rng.randrange(len(mutated))] = rng.randrange(256)
        cut = rng.choice([len(mutated), rng.randrange(1, len(mutated))])
        for suffix in WORD_SUFFIXES:
            try:
                read_word(bytes(mutated[:cut]), "x" + suffix, Limits(), soffice="/nonexistent")
            except WordUnreadable:
                pass


# ---------------------------------------------------------------------------
# .doc through LibreOffice


def test_without_libreoffice_a_doc_says_so():
    doc = make_cfb({"WordDocument": _fib()})
    with pytest.raises(WordUnreadable) as caught:
        read_word(doc, "Danh sách.doc", Limits(), soffice="/nonexistent")
    assert caught.value.reason == "no-libreoffice"
    assert str(caught.value) == (
        "Tệp Word 97-2003 (.doc) cần LibreOffice để đọc, máy này chưa cài LibreOffice. Đề nghị đơn vị lưu lại "
        "thành .docx (Word: Lưu thành → Word Document) và gửi lại, hoặc cài LibreOffice.")


def _fake_soffice(tmp_path: Path, script: str) -> str:
    program = tmp_path / "fake_soffice.py"
    program.write_text(script)
    if os.name == "nt":
        launcher = tmp_path / "fake_soffice.bat"
        launcher.write_text(f'@"{sys.executable}" "{program}" %*\n')
    else:
        launcher = tmp_path / "fake_soffice"
        launcher.write_text(f'#!/bin/sh\nexec "{sys.executable}" "{program}" "$@"\n')
        launcher.chmod(0o755)
    return str(launcher)


def test_a_conversion_that_hangs_is_ended(tmp_path):
    soffice = _fake_soffice(tmp_path, "import time\ntime.sleep(60)\n")
    started = time.perf_counter()
    with pytest.raises(WordUnreadable) as caught:
        read_word(make_cfb({"WordDocument": _fib()}), "ds.doc", Limits(), soffice=soffice, timeout=0.5)
    assert caught.value.reason == "conversion-timeout" and "0,5 giây" in str(caught.value)
    assert time.perf_counter() - started < 10


def test_a_conversion_that_writes_nothing_fails_clearly(tmp_path, monkeypatch):
    seen = tmp_path / "argv.txt"
    soffice = _fake_soffice(tmp_path, f"import sys\nopen({str(seen)!r}, 'w').write(repr(sys.argv[1:]))\n")
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "private"))
    (tmp_path / "private").mkdir()
    with pytest.raises(WordUnreadable) as caught:
        read_word(make_cfb({"WordDocument": _fib()}), "Danh sách Phong Thổ.doc", Limits(), soffice=soffice)
    assert caught.value.reason == "conversion-failed"
    argv = eval(seen.read_text())  # noqa: S307 - our own repr
    assert argv[0].startswith("-env:UserInstallation=file:") and "--headless" in argv
    assert Path(argv[-1]).name == "input.doc"  # a safe name, never the unit's
    assert list((tmp_path / "private").iterdir()) == []  # the private folder is gone


@pytest.fixture(scope="module")
def doc_file(tmp_path_factory, list_file) -> Path:
    if not HAS_SOFFICE:
        pytest.skip("LibreOffice (soffice) not installed")
    from helpers import soffice_convert

    return soffice_convert(list_file, "doc", tmp_path_factory.mktemp("doc"))


@needs_soffice
def test_doc_is_converted_and_reads_as_the_docx(doc_file):
    data = doc_file.read_bytes()
    assert inspect_document_bytes(data, ".doc", Limits()) is None
    document = read_word(data, str(doc_file), Limits())
    assert document.converted_from_doc is True
    assert_is_the_list(document)
    assert doc_file.read_bytes() == data


@needs_soffice
def test_a_doc_named_docx_is_converted(doc_file):
    document = read_word(doc_file.read_bytes(), "danh_sach.docx", Limits())
    assert document.converted_from_doc is True and document.grids[1].merges == LIST_MERGES


@needs_soffice
def test_a_doc_cut_short_is_truncated(doc_file):
    data = doc_file.read_bytes()
    with pytest.raises(WordUnreadable) as caught:
        read_word(data[: len(data) * 2 // 3], "ds.doc", Limits())
    assert caught.value.reason == "truncated"


@needs_soffice
def test_real_libreoffice_timeout(doc_file):
    with pytest.raises(WordUnreadable) as caught:
        read_word(doc_file.read_bytes(), "ds.doc", Limits(), timeout=0.001)
    assert caught.value.reason == "conversion-timeout"


# ---------------------------------------------------------------------------
# Speed


def test_a_typical_docx_table_is_read_whole(tmp_path):
    doc = Document()
    doc.add_paragraph("LĐLĐ HUYỆN PHONG THỔ")
    table = doc.add_table(rows=62, cols=8)
    for r, row in enumerate(table.rows):
        for c, cell in enumerate(row.cells):
            cell.text = f"Ô {r}-{c}"
    doc.add_paragraph("Người lập biểu")
    buffer = io.BytesIO()
    doc.save(buffer)
    data = buffer.getvalue()
    document = read_word(data, "ds.docx", Limits())   # its speed is measured in bench/read_template.py
    assert len(document.grids[0].rows) == 62
    assert document.grids[0].rows[61][7] == "Ô 61-7"
