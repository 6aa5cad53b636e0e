"""Printed awards (register.md, "Printed awards"): Bằng khen on the pre-printed blank from a layout
file, the receipt list, the calibration page; a Cờ thi đua decision gives a list instead."""
from __future__ import annotations

from pathlib import Path

from ..common.atomic import OutputSet
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
    """Write the files for a decision (certificate numbers already given by the register) as one set:
    every text is fitted and every file written before any is put in place, so a text that cannot
    fit, or a file open in another program, leaves the earlier files as they were."""
    layout = load_layout(layout_path)
    name, writer = ((FLAG_LIST_FILE, write_flag_list_pdf) if decision.is_flag
                    else (CERTIFICATES_FILE, write_certificates_pdf))
    with OutputSet(Path(out_dir)) as out:
        writer(decision, layout, out.path(name))
        written = [out.final(out.path(name)), out.final(write_receipt(decision, out.path(RECEIPT_FILE)))]
        if calibrate:
            write_calibration_pdf(layout, out.path(CALIBRATION_FILE))
            written.append(out.final(out.path(CALIBRATION_FILE)))
    return written
