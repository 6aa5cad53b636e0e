"""Lists sent as tables inside a Word document (.docx, or .doc through LibreOffice).

Many units attach the list to their tờ trình as a Word table rather than filling the
workbook: a borderless header table (the unit | the national motto), paragraphs, the list
(a two-row merged header such as "Năm sinh" over "Nam | Nữ"), a signature table.
`read_word` lays every table of the body on a `Grid`, merges included, so the same table
reader reads it as it reads a sheet, and gives the document's text lines for finding which
unit wrote it.

The .docx is read from word/document.xml with lxml directly (python-docx is slow and hides
merged cells). A .doc is first converted to .docx by LibreOffice, in a private temporary
folder with its own profile (macros off, links never updated); the input file is never
touched. Bytes are refused before any parser sees them by `safety.inspect_document_bytes`.
"""
from __future__ import annotations

import io
import os
import posixpath
import shutil
import signal
import subprocess
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from ..common.library_words import library_detail
from ..common.text import clean
from ..config.limits import Limits
from .grid import Grid, Merge
from .safety import inspect_document_bytes, sniff_format

__all__ = ["WORD_SUFFIXES", "WordDocument", "WordUnreadable", "read_word", "find_soffice"]

WORD_SUFFIXES = (".docx", ".doc")


class WordUnreadable(Exception):
    """A Word file that cannot be read; `str()` is the Vietnamese message for the unit.

    `reason` tells callers why: a `safety.Rejection` reason ("encrypted", "zip-bomb",
    "not-a-document"…), "no-libreoffice", "conversion-timeout", "conversion-failed",
    or "corrupt".
    """

    def __init__(self, message: str, reason: str = "corrupt"):
        super().__init__(message)
        self.message = message
        self.reason = reason


@dataclass
class WordDocument:
    grids: list[Grid] = field(default_factory=list)  # every body table, in order: "Bảng 1", "Bảng 2"…
    # Paragraphs and, for each table, its cells row by row (a merged area once), cleaned, non-empty.
    lines: list[str] = field(default_factory=list)
    converted_from_doc: bool = False


NO_LIBREOFFICE = (
    "Tệp Word 97-2003 (.doc) cần LibreOffice để đọc, máy này chưa cài LibreOffice. Đề nghị đơn vị "
    "lưu lại thành .docx (Word: Lưu thành → Word Document) và gửi lại, hoặc cài LibreOffice."
)


def read_word(data: bytes, path: str, limits: Limits, *, soffice: str | None = None,
              timeout: float = 120) -> WordDocument:
    """The tables and text of a .docx or .doc; `WordUnreadable` when it cannot be read.

    The container decides, not the name: a .doc renamed .docx (or the reverse), which Word
    opens without a word, is read for what it is. Other files are refused by
    `inspect_document_bytes` under their own suffix, so the message names what they are.
    """
    data = bytes(data)
    suffix = posixpath.splitext(path.replace("\\", "/"))[1].lower()
    actual = {"zip": ".docx", "cfb": ".doc"}.get(sniff_format(data) or "")
    if suffix not in WORD_SUFFIXES:
        suffix = actual or ".docx"
    rejection = inspect_document_bytes(data, suffix, limits)
    if rejection is not None and rejection.reason == "not-a-document" and actual and actual != suffix:
        if inspect_document_bytes(data, actual, limits) is None:
            suffix, rejection = actual, None
    if rejection is not None:
        raise WordUnreadable(rejection.message, rejection.reason)
    if suffix == ".doc":
        return _read_docx(_convert_doc(data, limits, soffice, timeout), converted=True)
    return _read_docx(data, converted=False)


# ---------------------------------------------------------------------------
# WordprocessingML

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
P, TBL, TR, TC, T = _W + "p", _W + "tbl", _W + "tr", _W + "tc", _W + "t"
TAB, PTAB, BR, CR = _W + "tab", _W + "ptab", _W + "br", _W + "cr"
NB_HYPHEN, SDT, SDT_CONTENT, CUSTOM_XML = _W + "noBreakHyphen", _W + "sdt", _W + "sdtContent", _W + "customXml"
INS, MOVE_TO, SMART_TAG = _W + "ins", _W + "moveTo", _W + "smartTag"
DEL, MOVE_FROM, TR_PR, TC_PR = _W + "del", _W + "moveFrom", _W + "trPr", _W + "tcPr"
GRID_BEFORE, GRID_SPAN, V_MERGE, H_MERGE = _W + "gridBefore", _W + "gridSpan", _W + "vMerge", _W + "hMerge"
TBL_GRID, GRID_COL, VAL = _W + "tblGrid", _W + "gridCol", _W + "val"

# Wrappers whose children are read as if they stood in their parent's place.
_TRANSPARENT = {SDT, SDT_CONTENT, CUSTOM_XML, INS, MOVE_TO, SMART_TAG}
_TEXT_TAGS = (P, T, TAB, PTAB, BR, CR, NB_HYPHEN)
_MAIN_REL = "/officeDocument"

_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False,
                          remove_comments=True, remove_pis=True)


def _read_docx(data: bytes, *, converted: bool) -> WordDocument:
    try:
        return _document(data, converted)
    except (KeyError, zipfile.BadZipFile, etree.LxmlError, ValueError, OSError, RecursionError, MemoryError) as exc:
        raise WordUnreadable(
            "Tệp Word bị hỏng, không đọc được nội dung văn bản "
            f"({library_detail(exc)}): đề nghị đơn vị mở tệp bằng Word, lưu lại thành tệp mới (.docx) và gửi lại."
        ) from None


def _document(data: bytes, converted: bool) -> WordDocument:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        xml = package.read(_main_part(package))
    root = etree.fromstring(xml, _PARSER)
    body = root.find(_W + "body")
    document = WordDocument(converted_from_doc=converted)
    if body is None:
        return document
    _drop_deleted(root)
    texts = _paragraph_texts(body)
    for block in _blocks(body):
        if block.tag == P:
            line = clean(texts.get(block, ""))
            if line:
                document.lines.append(line)
        else:
            grid = _grid(block, f"Bảng {len(document.grids) + 1}", texts)
            document.grids.append(grid)
            document.lines.extend(v.replace("\n", " ") for row in grid.rows for v in row if v)
    return document


def _main_part(package: zipfile.ZipFile) -> str:
    """The main document part named by _rels/.rels (word/document.xml in practice)."""
    try:
        rels = etree.fromstring(package.read("_rels/.rels"), _PARSER)
    except (KeyError, etree.XMLSyntaxError):
        return "word/document.xml"
    for rel in rels.iter(_REL + "Relationship"):
        if rel.get("Type", "").endswith(_MAIN_REL) and rel.get("TargetMode") != "External":
            target = posixpath.normpath(rel.get("Target", "").lstrip("/"))
            if target in package.NameToInfo:
                return target
    return "word/document.xml"


def _drop_deleted(root: etree._Element) -> None:
    """Tracked changes as Word shows them with changes accepted: deleted rows and text go,
    inserted text stays. The markup-compatibility fallback duplicates a text box's text."""
    for props in list(root.iter(TR_PR)):
        row = props.getparent()
        if row.tag == TR and row.getparent() is not None and any(c.tag == DEL for c in props):
            row.getparent().remove(row)
    etree.strip_elements(root, DEL, MOVE_FROM, _MC + "Fallback", with_tail=False)


def _blocks(container: etree._Element):
    """Paragraphs and tables of a body or a cell, in order, through content controls."""
    for child in container:
        if child.tag in (P, TBL):
            yield child
        elif child.tag in _TRANSPARENT:
            yield from _blocks(child)


_TEXT_OF = {TAB: " ", PTAB: " ", NB_HYPHEN: "-", BR: "\n", CR: "\n"}


def _paragraph_texts(body: etree._Element) -> dict[etree._Element, str]:
    """Every paragraph's text, in one walk (a walk per paragraph costs several times more):
    runs' text, a tab as a space, a line break as a new line. A text box's paragraphs count
    in the paragraph that anchors it too, each on a new line."""
    texts: dict[etree._Element, list[str]] = {}
    open_: list[list[str]] = []
    for event, node in etree.iterwalk(body, events=("start", "end"), tag=_TEXT_TAGS):
        tag = node.tag
        if tag == P:
            if event == "start":
                for parts in open_:
                    parts.append("\n")
                open_.append(texts.setdefault(node, []))
            else:
                open_.pop()
        elif event == "start" and open_:
            piece = (node.text or "") if tag == T else _TEXT_OF[tag]
            for parts in open_:
                parts.append(piece)
    return {node: "".join(parts) for node, parts in texts.items()}


def _cell_text(cell: etree._Element, texts: dict[etree._Element, str]) -> str:
    """Each paragraph (and each line break) on its own cleaned line; a nested table's
    cells become lines too. Empty lines are left out."""
    lines = []
    for block in _blocks(cell):
        if block.tag == P:
            lines.extend(clean(part) for part in texts.get(block, "").split("\n"))
        else:
            lines.extend(str(v) for row in _grid(block, "", texts).rows for v in row)
    return "\n".join(line for line in lines if line)


def _int(element: etree._Element, default: int) -> int:
    try:
        return max(0, int(element.get(VAL, default)))
    except ValueError:
        return default


def _props(element: etree._Element, tag: str) -> dict[str, etree._Element]:
    """The children of `element`'s w:trPr or w:tcPr by tag (lxml's find() costs more)."""
    for child in element:
        if child.tag == tag:
            return {prop.tag: prop for prop in child}
    return {}


def _rows(table: etree._Element):
    for child in table:
        if child.tag == TR:
            yield child
        elif child.tag in _TRANSPARENT:
            yield from _rows(child)


def _cells(row: etree._Element):
    for child in row:
        if child.tag == TC:
            yield child
        elif child.tag in _TRANSPARENT:
            yield from _cells(child)


@dataclass(slots=True)
class _Area:
    """A cell as Word draws it: a rectangle of grid cells, its text in the top-left one."""

    row: int
    col: int
    last_row: int
    last_col: int
    text: str


def _grid(table: etree._Element, name: str, texts: dict[etree._Element, str]) -> Grid:
    areas: list[_Area] = []
    below: dict[int, _Area] = {}  # grid column → the area whose bottom is the previous row
    height = 0
    for r, row in enumerate(_rows(table)):
        height = r + 1
        before = _props(row, TR_PR).get(GRID_BEFORE)
        col = _int(before, 0) if before is not None else 0
        above, below = below, {}
        last: _Area | None = None
        for cell in _cells(row):
            props = _props(cell, TC_PR)
            span = max(1, _int(props[GRID_SPAN], 1)) if GRID_SPAN in props else 1
            vmerge, hmerge = props.get(V_MERGE), props.get(H_MERGE)
            text = _cell_text(cell, texts)
            if hmerge is not None and hmerge.get(VAL) != "restart" and last is not None and last.row == r:
                last.last_col += span  # legacy horizontal merge: widens the cell to its left
                last.text = _join(last.text, text)
                below[last.col] = last
                col += span
                continue
            area = above.get(col)
            continues = (vmerge is not None and vmerge.get(VAL, "continue") == "continue"
                         and area is not None and area.last_col == col + span - 1)
            if continues:
                area.last_row = r
                area.text = _join(area.text, text)  # Word keeps a continued cell empty; never lose text
            else:
                area = _Area(r, col, r, col + span - 1, text)
                areas.append(area)
            below[col] = last = area
            col += span
    return _lay_out(areas, height, name, table)


def _join(first: str, more: str) -> str:
    return f"{first}\n{more}" if first and more else first or more


def _lay_out(areas: list[_Area], height: int, name: str, table: etree._Element) -> Grid:
    grid_cols = table.find(TBL_GRID)
    width = max([len(grid_cols.findall(GRID_COL)) if grid_cols is not None else 0,
                 *(a.last_col + 1 for a in areas)])
    rows: list[list[object]] = [[""] * width for _ in range(height)]
    merges = []
    for area in areas:
        rows[area.row][area.col] = area.text
        if area.last_row > area.row or area.last_col > area.col:
            merges.append(Merge(area.row, area.col, area.last_row, area.last_col))
    merges.sort(key=lambda m: (m.first_row, m.first_col))
    return Grid(name, rows, merges)


# ---------------------------------------------------------------------------
# .doc through LibreOffice

# Written into the private profile before LibreOffice starts: no macro ever runs, links
# to other files or web addresses are never followed while converting.
_PROFILE_SETTINGS = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" \
xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Common/Security/Scripting"><prop oor:name="MacroSecurityLevel" \
oor:op="fuse"><value>3</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Security/Scripting"><prop oor:name="DisableMacrosExecution" \
oor:op="fuse"><value>true</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Security/Scripting"><prop oor:name="BlockUntrustedRefererLinks" \
oor:op="fuse"><value>true</value></prop></item>
<item oor:path="/org.openoffice.Office.Writer/Content/Update"><prop oor:name="Link" \
oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"""


def find_soffice(soffice: str | None = None) -> str | None:
    """The LibreOffice program: `soffice` if given (None when it does not exist), else on
    PATH, else in the Windows install folders (64-bit Program Files, also as seen from a 32-bit
    Python through ProgramW6432, and the 32-bit Program Files (x86))."""
    if soffice is not None:
        return soffice if Path(soffice).is_file() else shutil.which(soffice)
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found:
        return found
    for base in (os.environ.get("ProgramW6432"), os.environ.get("ProgramFiles"), os.environ.get("ProgramFiles(x86)")):
        if base:
            candidate = Path(base) / "LibreOffice" / "program" / "soffice.exe"
            if candidate.is_file():
                return str(candidate)
    return None


def _convert_doc(data: bytes, limits: Limits, soffice: str | None, timeout: float) -> bytes:
    program = find_soffice(soffice)
    if program is None:
        raise WordUnreadable(NO_LIBREOFFICE, "no-libreoffice")
    with tempfile.TemporaryDirectory(prefix="thidua-doc-", ignore_cleanup_errors=True) as folder:
        work = Path(folder)
        profile = work / "profile"
        (profile / "user").mkdir(parents=True)
        (profile / "user" / "registrymodifications.xcu").write_text(_PROFILE_SETTINGS, "utf-8")
        source, out = work / "input.doc", work / "out"
        source.write_bytes(data)
        out.mkdir()
        command = [program, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
                   "--nolockcheck", "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(out), str(source)]
        _run(command, timeout)
        produced = out / "input.docx"
        if not produced.is_file() or produced.stat().st_size == 0:
            raise WordUnreadable(
                "LibreOffice không chuyển được tệp Word 97-2003 (.doc) này (tệp có thể bị hỏng): đề nghị đơn vị "
                "mở tệp bằng Word, lưu lại thành .docx (Lưu thành → Word Document) và gửi lại.",
                "conversion-failed")
        converted = produced.read_bytes()
    rejection = inspect_document_bytes(converted, ".docx", limits)
    if rejection is not None:
        raise WordUnreadable(rejection.message, rejection.reason)
    return converted


def _run(command: list[str], timeout: float) -> None:
    """Run LibreOffice with no shell and no console window; on timeout end it and whatever
    it started (soffice starts soffice.bin), on Windows as on Linux."""
    windows = os.name == "nt"
    options: dict = {"stdin": subprocess.DEVNULL, "stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
    if windows:
        options["creationflags"] = subprocess.CREATE_NEW_PROCESS_GROUP | getattr(subprocess, "CREATE_NO_WINDOW", 0)
    else:
        options["start_new_session"] = True
    try:
        process = subprocess.Popen(command, **options)
    except OSError:
        raise WordUnreadable(f"{NO_LIBREOFFICE} (Không chạy được “{command[0]}”.)", "no-libreoffice") from None
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        _kill_tree(process, windows)
        raise WordUnreadable(
            f"LibreOffice không chuyển xong tệp Word 97-2003 (.doc) trong {f'{timeout:g}'.replace('.', ',')} giây (tệp quá lớn hoặc "
            "bị hỏng): đề nghị đơn vị lưu lại thành .docx (Word: Lưu thành → Word Document) và gửi lại.",
            "conversion-timeout") from None
    except BaseException:
        _kill_tree(process, windows)
        raise


def _kill_tree(process: subprocess.Popen, windows: bool) -> None:
    if windows:
        subprocess.run(["taskkill", "/F", "/T", "/PID", str(process.pid)],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    else:
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
    process.kill()
    process.wait()
