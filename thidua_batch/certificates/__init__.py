"""Printed awards (register.md, "Printed awards"): Bằng khen on the pre-printed blank from a layout
file, the receipt list, the calibration page; a Cờ thi đua decision gives a list instead."""
from __future__ import annotations

from pathlib import Path

from ..common.atomic import atomic_path
from ..register.model import Decision
from .layout import Layout, LayoutError, load_layout
from .pdf import write_calibration_pdf, write_certificates_pdf, write_flag_list_pdf
from .receipt import write_receipt

__all__ = ["CERTIFICATES_FILE", "CALIBRATION_FILE", "FLAG_LIST_FILE", "RECEIPT_FILE", "Layout", "LayoutError",
           "load_layout", "write_certificates"]

CERTIFICATES_FILE, CALIBRATION_FILE = "bang_khen.pdf", "can_chinh.pdf"
FLAG_LIST_FILE, RECEIPT_FILE = "danh_sach_co_thi_dua.pdf", "danh_sach_ky_nhan.xlsx"


def write_certificates(decision: Decision, out_dir: Path, *, layout_path: Path | None = None,
                       calibrate: bool = False) -> list[Path]:
    """Write the files for a decision (certificate numbers already given by the register); every
    text is fitted before a file is renamed into place, so a text that cannot fit leaves nothing."""
    layout = load_layout(layout_path)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    name, writer = ((FLAG_LIST_FILE, write_flag_list_pdf) if decision.is_flag
                    else (CERTIFICATES_FILE, write_certificates_pdf))
    with atomic_path(out_dir / name) as tmp:
        writer(decision, layout, tmp)
    written.append(out_dir / name)
    written.append(write_receipt(decision, out_dir / RECEIPT_FILE))
    if calibrate:
        with atomic_path(out_dir / CALIBRATION_FILE) as tmp:
            write_calibration_pdf(layout, tmp)
        written.append(out_dir / CALIBRATION_FILE)
    return written
