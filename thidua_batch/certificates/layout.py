"""Where each text goes on the pre-printed blank (register.md, "Printed awards"), as data.

A layout file (TOML) gives the page in mm, a printer offset, the fonts, and one box per field.
Checked whole before anything is printed: an unknown key, a wrong type, a box off the page or a
missing font is an error naming the key and its line.
"""
from __future__ import annotations

import math
import os
import shutil
import string
import subprocess
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from ..common import tomlfile

FIELDS = ("title", "name", "detail", "achievement", "place_date", "signer_on_behalf", "signer_title",
          "signer_name", "decision", "number")
# What each box holds, as the calibration page and messages say it.
FIELD_WORDS = {"title": "Danh xưng (Ông/Bà/Tập thể)", "name": "Họ tên, tên tập thể", "detail": "Chức vụ, đơn vị",
               "achievement": "Thành tích", "place_date": "Địa danh, ngày tháng",
               "signer_on_behalf": "Thay mặt (TM.)", "signer_title": "Chức vụ người ký",
               "signer_name": "Tên người ký", "decision": "Số, ngày quyết định", "number": "Số Bằng khen"}
# The placeholders the achievement text may use.
PLACEHOLDERS = ("campaign", "year")
_BOX_KEYS = {"x_mm": (int, float), "y_mm": (int, float), "width_mm": (int, float), "height_mm": (int, float),
             "size": (int, float), "bold": bool, "italic": bool, "align": str, "show": bool, "text": str}
_TABLES = {"page": {"width_mm": (int, float), "height_mm": (int, float)},
           "offset": {"dx_mm": (int, float), "dy_mm": (int, float)},
           "font": {"regular": str, "bold": str, "italic": str, "bold_italic": str, "min_size": (int, float)}}
DEFAULT_FILE = "bang_khen_a3.toml"


class LayoutError(Exception):
    """The layout (or a text on it) cannot be printed; the message names the key, line or awardee."""


@dataclass(frozen=True)
class Box:
    name: str
    x_mm: float
    y_mm: float
    width_mm: float
    height_mm: float
    size: float
    bold: bool = False
    italic: bool = False
    align: str = "center"
    show: bool = True
    text: str = ""

    @property
    def style(self) -> str:
        return {(False, False): "regular", (True, False): "bold", (False, True): "italic",
                (True, True): "bold_italic"}[(self.bold, self.italic)]


@dataclass(frozen=True)
class Layout:
    width_mm: float
    height_mm: float
    dx_mm: float
    dy_mm: float
    fonts: dict[str, Path]      # "regular", "bold", "italic", "bold_italic" → a TrueType file
    min_size: float
    boxes: dict[str, Box]
    source: str


def load_layout(path: Path | None = None) -> Layout:
    if path is None:
        text = resources.files("thidua_batch").joinpath(f"certificates/data/{DEFAULT_FILE}").read_text("utf-8")
        source = f"{DEFAULT_FILE} (mặc định)"
    else:
        source = str(path)
    try:
        text = text if path is None else tomlfile.read(path, "bố cục")
        data = tomlfile.parse(text, source, "bố cục")
    except tomlfile.TomlFileError as exc:
        raise LayoutError(str(exc)) from None
    text = text.removeprefix("\ufeff")
    where = _Lines(text, source)
    _check(data, where)
    _check_values(data, where)
    page, offset, font = data.get("page", {}), data.get("offset", {}), data.get("font", {})
    layout = Layout(width_mm=float(page.get("width_mm", 420)), height_mm=float(page.get("height_mm", 297)),
                    dx_mm=float(offset.get("dx_mm", 0)), dy_mm=float(offset.get("dy_mm", 0)),
                    fonts=_fonts(font, where), min_size=float(font.get("min_size", 10)),
                    boxes={name: Box(name=name, **values) for name, values in data.get("fields", {}).items()},
                    source=source)
    _check_on_page(layout, where)
    return layout


class _Lines:
    """Finds the line of a key in the layout text, for messages."""

    def __init__(self, text: str, source: str):
        self.lines, self.source = text.splitlines(), source

    def fail(self, table: str, key: str | None, problem: str) -> LayoutError:
        line = self.line_of(table, key)
        at = f"[{table}]" + (f" {key}" if key else "")
        return LayoutError(f"Tệp bố cục “{self.source}”, {at}" + (f" (dòng {line})" if line else "") + f": {problem}")

    def line_of(self, table: str, key: str | None) -> int | None:
        inside = False
        for number, raw in enumerate(self.lines, 1):
            line = raw.split("#", 1)[0].strip()
            if line.startswith("["):
                inside = line.strip("[] ") == table
                if inside and key is None:
                    return number
            elif inside and key and line.split("=", 1)[0].strip() == key:
                return number
        return None


def _check(data: dict, where: _Lines) -> None:
    for table, value in data.items():
        if table == "fields":
            if not isinstance(value, dict):
                raise where.fail("fields", None, "phải là các bảng [fields.TÊN].")
            for name, box in value.items():
                if name not in FIELDS:
                    raise where.fail(f"fields.{name}", None, f"không có ô “{name}”; các ô: {', '.join(FIELDS)}.")
                _check_table(box, _BOX_KEYS, f"fields.{name}", where)
                for required in ("x_mm", "y_mm", "width_mm", "height_mm", "size"):
                    if required not in box:
                        raise where.fail(f"fields.{name}", required, "thiếu khóa bắt buộc.")
                if box.get("align", "center") not in ("left", "center", "right"):
                    raise where.fail(f"fields.{name}", "align", "phải là “left”, “center” hoặc “right”.")
        elif table in _TABLES:
            _check_table(value, _TABLES[table], table, where)
        else:
            raise where.fail(table, None, "bảng không có trong bố cục; các bảng: page, offset, font, fields.")


def _check_table(table: object, keys: dict, name: str, where: _Lines) -> None:
    if not isinstance(table, dict):
        raise where.fail(name, None, "phải là một bảng.")
    for key, value in table.items():
        if key not in keys:
            raise where.fail(name, key, f"khóa không có trong bố cục; các khóa: {', '.join(keys)}.")
        if not isinstance(value, keys[key]) or (isinstance(value, bool) and keys[key] is not bool):
            raise where.fail(name, key, f"giá trị “{value}” sai kiểu.")


def _positive(value: float) -> bool:
    return math.isfinite(value) and value > 0


def _check_values(data: dict, where: _Lines) -> None:
    """Every number finite, every size positive, only known placeholders, the name printed: checked
    before anything is drawn (papers.md), each with its key and line."""
    for table, keys in (("page", ("width_mm", "height_mm")), ("font", ("min_size",))):
        for key in keys:
            value = data.get(table, {}).get(key)
            if value is not None and not _positive(float(value)):
                raise where.fail(table, key, f"giá trị “{value}” phải là một số lớn hơn 0.")
    for key, value in data.get("offset", {}).items():
        if not math.isfinite(float(value)):
            raise where.fail("offset", key, f"giá trị “{value}” phải là một số (milimét).")
    fields = data.get("fields", {})
    for name, box in fields.items():
        for key in ("x_mm", "y_mm"):
            if not math.isfinite(float(box[key])):
                raise where.fail(f"fields.{name}", key, f"giá trị “{box[key]}” phải là một số (milimét).")
        for key in ("width_mm", "height_mm", "size"):
            if not _positive(float(box[key])):
                raise where.fail(f"fields.{name}", key, f"giá trị “{box[key]}” phải là một số lớn hơn 0.")
        if "text" in box:
            if name != "achievement":
                raise where.fail(f"fields.{name}", "text", "chỉ ô achievement (thành tích) có câu chữ tự đặt.")
            try:
                used = [field for _, field, spec, _ in string.Formatter().parse(box["text"]) if field is not None]
            except ValueError as exc:
                raise where.fail(f"fields.{name}", "text", f"dấu ngoặc {{ }} viết sai ({exc}).") from None
            unknown = [f for f in used if f not in PLACEHOLDERS]
            if unknown:
                raise where.fail(f"fields.{name}", "text", f"không có chỗ điền “{{{unknown[0]}}}”; chỉ dùng được: "
                                 + ", ".join(f"{{{p}}}" for p in PLACEHOLDERS) + ".")
    name = fields.get("name")
    if name is None:
        raise where.fail("fields.name", None, "thiếu ô in họ tên, tên tập thể: Bằng khen nào cũng phải in tên.")
    if name.get("show") is False:
        raise where.fail("fields.name", "show", "ô họ tên phải được in (show = true): Bằng khen nào cũng phải in tên.")


def _check_on_page(layout: Layout, where: _Lines) -> None:
    for box in layout.boxes.values():
        x, y = box.x_mm + layout.dx_mm, box.y_mm + layout.dy_mm
        if x < 0 or y < 0 or x + box.width_mm > layout.width_mm or y + box.height_mm > layout.height_mm:
            raise where.fail(f"fields.{box.name}", None,
                             f"ô nằm ngoài trang ({x:g}–{x + box.width_mm:g} × {y:g}–{y + box.height_mm:g} mm, "
                             f"trang {layout.width_mm:g} × {layout.height_mm:g} mm, kể cả độ lệch máy in).")


# Fonts with every Vietnamese glyph: Times New Roman where Word is, else its metric twins.
_CANDIDATES = {
    "regular": ("times.ttf", "LiberationSerif-Regular.ttf", "Tinos-Regular.ttf"),
    "bold": ("timesbd.ttf", "LiberationSerif-Bold.ttf", "Tinos-Bold.ttf"),
    "italic": ("timesi.ttf", "LiberationSerif-Italic.ttf", "Tinos-Italic.ttf"),
    "bold_italic": ("timesbi.ttf", "LiberationSerif-BoldItalic.ttf", "Tinos-BoldItalic.ttf"),
}
_FONT_DIRS = (Path(os.environ.get("WINDIR", "C:/Windows")) / "Fonts",
              Path.home() / "AppData/Local/Microsoft/Windows/Fonts",
              Path("/usr/share/fonts/truetype/liberation2"), Path("/usr/share/fonts/truetype/liberation"),
              Path("/usr/share/fonts/truetype/croscore"), Path("/usr/share/fonts/truetype/msttcorefonts"),
              Path("/Library/Fonts"), Path.home() / ".fonts", Path.home() / ".local/share/fonts")


def _fonts(table: dict, where: _Lines) -> dict[str, Path]:
    found = {}
    for style, names in _CANDIDATES.items():
        given = table.get(style, "")
        if given:
            path = Path(given)
            if not path.is_file():
                raise where.fail("font", style, f"không tìm thấy tệp phông “{given}”.")
            found[style] = path
            continue
        found[style] = next((d / n for n in names for d in _FONT_DIRS if (d / n).is_file()), None) \
            or _fc_match(names[1])
        if found[style] is None:
            raise where.fail("font", style, "không tìm thấy phông Times New Roman hay Liberation Serif trên máy. "
                             "Cài phông Liberation Serif (Linux: gói fonts-liberation) hoặc ghi đường dẫn tệp .ttf.")
    return found


def _fc_match(name: str) -> Path | None:
    fc = shutil.which("fc-match")
    if not fc:
        return None
    try:
        out = subprocess.run([fc, "-f", "%{file}", name.rsplit(".", 1)[0].replace("-", ":style=")],
                             capture_output=True, text=True, timeout=10).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None
    return Path(out) if out and Path(out).name == name else None
