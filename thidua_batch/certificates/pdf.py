"""The certificates' PDF (reportlab): text at exact millimetre positions on the blank, wrapped by
measured width, shrunk to fit before it could ever overflow; the calibration page; a flag list."""
from __future__ import annotations

from pathlib import Path

from reportlab.lib.colors import Color, black
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from ..register.model import COLLECTIVE, Awardee, Decision
from .layout import FIELD_WORDS, Box, Layout, LayoutError

_LEADING = 1.2
_STEP = 0.5


def _register_fonts(layout: Layout) -> dict[str, str]:
    names = {}
    for style, path in layout.fonts.items():
        name = f"TD-{style}-{abs(hash(str(path))) % 10**8}"
        if name not in pdfmetrics.getRegisteredFontNames():
            try:
                pdfmetrics.registerFont(TTFont(name, str(path)))
            except Exception as exc:  # noqa: BLE001 - a damaged font file
                raise LayoutError(f"Không dùng được phông “{path}”: {exc}.") from None
        names[style] = name
    return names


def _date_words(decision: Decision) -> str:
    d = decision.date
    return f"{decision.place or 'Lai Châu'}, ngày {d.day:02d} tháng {d.month:02d} năm {d.year}"


def texts(decision: Decision, awardee: Awardee, layout: Layout) -> dict[str, str]:
    """What each field says for this awardee."""
    collective = awardee.kind == COLLECTIVE
    achievement = layout.boxes.get("achievement")
    template = (achievement.text if achievement and achievement.text
                else "Đã có thành tích xuất sắc trong phong trào thi đua “{campaign}” năm {year}")
    return {
        "title": "Tập thể" if collective else ("Bà" if awardee.gender == "Nữ" else "Ông"),
        "name": awardee.name,
        "detail": awardee.unit_name if collective else awardee.position_and_workplace,
        "achievement": template.format(campaign=decision.campaign_name or decision.award, year=decision.year),
        "place_date": _date_words(decision),
        "signer_on_behalf": decision.on_behalf,
        "signer_title": decision.signer_title,
        "signer_name": decision.signer_name,
        "decision": f"Quyết định số {decision.number} ngày {decision.date:%d/%m/%Y}",
        "number": f"Số: {awardee.certificate_no}" if awardee.certificate_no else "",
    }


def wrap(text: str, font: str, size: float, width: float) -> list[str]:
    """Lines of TEXT that fit WIDTH (points) at SIZE, broken between words by measured width; a word
    wider than the box stays whole on its own line (the caller shrinks the size)."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        current = ""
        for word in paragraph.split():
            trial = f"{current} {word}".strip()
            if current and pdfmetrics.stringWidth(trial, font, size) > width:
                lines.append(current)
                current = word
            else:
                current = trial
        lines.append(current)
    return lines


def fit(text: str, box: Box, font: str, min_size: float) -> tuple[float, list[str]]:
    """The largest size from the box's down to MIN_SIZE at which TEXT fits the box; else LayoutError."""
    size = box.size
    while size >= min_size - 1e-9:
        lines = wrap(text, font, size, box.width_mm * mm)
        widest = max((pdfmetrics.stringWidth(line, font, size) for line in lines), default=0)
        if widest <= box.width_mm * mm and len(lines) * size * _LEADING <= box.height_mm * mm + 1e-6:
            return size, lines
        size -= _STEP
    raise LayoutError(f"ô “{box.name}” ({box.width_mm:g} × {box.height_mm:g} mm) không đủ chỗ cho “{text}” "
                      f"kể cả ở cỡ chữ nhỏ nhất {min_size:g}")


def _draw_box(canvas: Canvas, layout: Layout, box: Box, font: str, size: float, lines: list[str]) -> None:
    left = (box.x_mm + layout.dx_mm) * mm
    top = (layout.height_mm - box.y_mm - layout.dy_mm) * mm
    block = len(lines) * size * _LEADING
    y = top - (box.height_mm * mm - block) / 2 - size   # the block centred in the box's height
    canvas.setFont(font, size)
    for line in lines:
        if box.align == "left":
            canvas.drawString(left, y, line)
        elif box.align == "right":
            canvas.drawRightString(left + box.width_mm * mm, y, line)
        else:
            canvas.drawCentredString(left + box.width_mm * mm / 2, y, line)
        y -= size * _LEADING


def _new_canvas(path: Path, layout: Layout, title: str, font: str) -> Canvas:
    # The initial font is ours: no unembedded Helvetica is ever referenced.
    canvas = Canvas(str(path), pagesize=(layout.width_mm * mm, layout.height_mm * mm), invariant=1,
                    initialFontName=font, initialFontSize=12)
    canvas.setTitle(title)
    canvas.setAuthor("thidua-batch")
    canvas.setViewerPreference("PrintScaling", "None")   # printed at actual size, never "fit to page"
    return canvas


def missing_glyph(text: str, font: str) -> str | None:
    """The first character of TEXT the font has no glyph for (it would print blank), or None."""
    glyphs = pdfmetrics.getFont(font).face.charToGlyph
    return next((c for c in text if not c.isspace() and ord(c) not in glyphs), None)


def _placed(decision: Decision, awardee: Awardee, layout: Layout, fonts: dict[str, str]
            ) -> list[tuple[Box, str, float, list[str]]]:
    """Every box of one certificate, fitted: checked whole before a page is drawn, so a character the
    font lacks or a text that cannot fit stops everything, naming the awardee."""
    who = f"Bằng khen của “{awardee.name}” (số thứ tự {awardee.order})"
    placed = []
    for name, box in layout.boxes.items():
        text = texts(decision, awardee, layout).get(name, "")
        if not box.show or not text:
            continue
        font = fonts[box.style]
        char = missing_glyph(text, font)
        if char is not None:
            raise LayoutError(f"{who}: phông chữ “{layout.fonts[box.style].name}” không có chữ “{char}” "
                              f"(U+{ord(char):04X}) trong “{text}”; chữ này sẽ bị in trống. Không in gì. Đề nghị kiểm "
                              "tra lại chữ trong sổ, hoặc ghi trong tệp bố cục một phông có chữ này.")
        try:
            size, lines = fit(text, box, font, layout.min_size)
        except LayoutError as exc:
            raise LayoutError(f"{who}: {exc}. Đề nghị nới rộng ô trong tệp bố cục hoặc rút gọn nội dung.") from None
        placed.append((box, font, size, lines))
    return placed


def write_certificates_pdf(decision: Decision, layout: Layout, path: Path) -> Path:
    """One page per awardee, in the annex's (calling) order."""
    fonts = _register_fonts(layout)
    pages = [_placed(decision, awardee, layout, fonts) for awardee in decision.awardees]
    canvas = _new_canvas(path, layout, f"Bằng khen - Quyết định số {decision.number}", fonts["regular"])
    for page in pages:
        for box, font, size, lines in page:
            _draw_box(canvas, layout, box, font, size, lines)
        canvas.showPage()
    canvas.save()
    return path


def write_calibration_pdf(layout: Layout, path: Path) -> Path:
    """A millimetre grid, a mock of the blank's frame and pre-printed words, and each field's box:
    printed on plain paper and held against a blank, it shows the offsets to set."""
    fonts = _register_fonts(layout)
    canvas = _new_canvas(path, layout, "Trang căn chỉnh in Bằng khen", fonts["regular"])
    width, height = layout.width_mm, layout.height_mm
    grey, light, red = Color(0.55, 0.55, 0.55), Color(0.85, 0.85, 0.85), Color(0.75, 0.1, 0.1)
    for step, colour, weight in ((5, light, 0.2), (10, grey, 0.5)):
        canvas.setStrokeColor(colour)
        canvas.setLineWidth(weight)
        for x in range(0, int(width) + 1, step):
            canvas.line(x * mm, 0, x * mm, height * mm)
        for y in range(0, int(height) + 1, step):
            canvas.line(0, (height - y) * mm, width * mm, (height - y) * mm)
    canvas.setFillColor(grey)
    canvas.setFont(fonts["regular"], 6)
    for x in range(10, int(width), 10):
        canvas.drawString(x * mm + 1, (height - 4) * mm, str(x))
    for y in range(10, int(height), 10):
        canvas.drawString(1.5 * mm, (height - y) * mm + 1, str(y))
    # The blank as it comes from the printer: a double frame and the pre-printed heading.
    canvas.setStrokeColor(red)
    for inset, weight in ((12, 2.0), (16, 0.8)):
        canvas.setLineWidth(weight)
        canvas.rect(inset * mm, inset * mm, (width - 2 * inset) * mm, (height - 2 * inset) * mm)
    canvas.setFillColor(red)
    for text, y, size, style in (("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 48, 18, "bold"),
                                 ("Độc lập - Tự do - Hạnh phúc", 58, 16, "bold"), ("BẰNG KHEN", 88, 48, "bold")):
        canvas.setFont(fonts[style], size)
        canvas.drawCentredString(width / 2 * mm, (height - y) * mm, text)
    canvas.circle(width / 2 * mm, (height - 28) * mm, 11 * mm)   # where the emblem is
    canvas.setStrokeColor(black)
    canvas.setFillColor(black)
    canvas.setLineWidth(0.6)
    for box in layout.boxes.values():
        x, y = box.x_mm + layout.dx_mm, box.y_mm + layout.dy_mm
        canvas.setDash(3, 2) if not box.show else canvas.setDash()
        canvas.rect(x * mm, (height - y - box.height_mm) * mm, box.width_mm * mm, box.height_mm * mm)
        canvas.setFont(fonts["regular"], 7)
        canvas.drawString(x * mm + 1, (height - y) * mm - 8,
                          f"{FIELD_WORDS[box.name]}: cách lề trái {box.x_mm:g}, cách mép trên {box.y_mm:g}, "
                          f"rộng {box.width_mm:g}, cao {box.height_mm:g} (mm)" + ("" if box.show else "; không in"))
    canvas.setDash()
    canvas.setFont(fonts["italic"], 9)
    canvas.drawString(20 * mm, 6 * mm, f"Độ lệch máy in đang dùng: sang phải {layout.dx_mm:g} mm, xuống dưới "
                      f"{layout.dy_mm:g} mm. In trang này ở “Kích thước thực” (100%), đặt lên tờ phôi, đo độ lệch rồi "
                      "sửa hai số độ lệch ở đầu tệp bố cục.")
    canvas.showPage()
    canvas.save()
    return path


def write_flag_list_pdf(decision: Decision, layout: Layout, path: Path) -> Path:
    """A Cờ thi đua is not printed on a blank: the list of collectives awarded, A4 portrait."""
    fonts = _register_fonts(layout)
    canvas = Canvas(str(path), pagesize=(210 * mm, 297 * mm), invariant=1, initialFontName=fonts["regular"],
                    initialFontSize=12)
    canvas.setTitle(f"Danh sách tặng Cờ thi đua - Quyết định số {decision.number}")
    canvas.setViewerPreference("PrintScaling", "None")
    y = 297 - 25

    def line(text: str, size: float, style: str = "regular", x: float | None = None) -> None:
        nonlocal y
        canvas.setFont(fonts[style], size)
        if x is None:
            canvas.drawCentredString(105 * mm, y * mm, text)
        else:
            canvas.drawString(x * mm, y * mm, text)
        y -= size * 0.5

    for awardee in decision.awardees:
        char = missing_glyph(f"{awardee.name} {awardee.unit_name}", fonts["regular"])
        if char is not None:
            raise LayoutError(f"Cờ thi đua của “{awardee.name}” (số thứ tự {awardee.order}): phông chữ không có chữ "
                              f"“{char}” (U+{ord(char):04X}); chữ này sẽ bị in trống. Không in gì.")
    line("DANH SÁCH TẬP THỂ ĐƯỢC TẶNG CỜ THI ĐUA", 14, "bold")
    line(f"(Kèm theo Quyết định số {decision.number} ngày {decision.date:%d/%m/%Y})", 12, "italic")
    y -= 4
    for awardee in decision.awardees:
        if y < 25:
            canvas.showPage()
            y = 297 - 25
        text = f"{awardee.order}. {awardee.name}" + (f" ({awardee.unit_name})" if awardee.unit_name else "")
        for part in wrap(text, fonts["regular"], 13, 160 * mm):
            line(part, 13, x=30)
    canvas.showPage()
    canvas.save()
    return path
