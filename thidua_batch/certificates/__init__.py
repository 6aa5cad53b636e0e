"""Printed awards (register.md, "Printed awards"): Bằng khen on the pre-printed blank from a layout
file, the receipt list, the calibration page; a Cờ thi đua decision gives a list instead."""
from __future__ import annotations

from pathlib import Path

from ..common.atomic import OutputSet
from ..config.campaign import Campaign, load_campaign
from ..register.model import Decision
from ..register.store import Register
from .layout import Layout, LayoutError, load_layout
from .pdf import write_calibration_pdf, write_certificates_pdf, write_flag_list_pdf
from .receipt import write_receipt

__all__ = ["CERTIFICATES_FILE", "CALIBRATION_FILE", "FLAG_LIST_FILE", "RECEIPT_FILE", "Layout", "LayoutError",
           "load_layout", "print_certificates", "write_certificates"]

CERTIFICATES_FILE, CALIBRATION_FILE = "bang_khen.pdf", "can_chinh.pdf"
FLAG_LIST_FILE, RECEIPT_FILE = "danh_sach_co_thi_dua.pdf", "danh_sach_ky_nhan.xlsx"


def print_certificates(register: Register, number: str, out_dir: Path, *, layout_path: Path | None = None,
                       calibrate: bool = False, campaign: Campaign | None = None) -> list[Path]:
    """`thidua-batch certificates`: the decision's certificate numbers are given in the same register
    transaction as the writing, so a failed write (a layout error, a missing glyph, a text that cannot
    fit) gives no number (papers.md). The layout is checked before the register is touched."""
    load_layout(layout_path)
    with register.numbering(number) as decision:
        return write_certificates(decision, out_dir, layout_path=layout_path, calibrate=calibrate, campaign=campaign)


def write_certificates(decision: Decision, out_dir: Path, *, layout_path: Path | None = None,
                       calibrate: bool = False, campaign: Campaign | None = None) -> list[Path]:
    """Write the files for a decision (certificate numbers already given by the register) as one set:
    every text is fitted and every file written before any is put in place, so a text that cannot
    fit, or a file open in another program, leaves the earlier files as they were."""
    layout = load_layout(layout_path)
    org = (campaign or load_campaign()).organisation
    name, writer = ((FLAG_LIST_FILE, write_flag_list_pdf) if decision.is_flag
                    else (CERTIFICATES_FILE, write_certificates_pdf))
    with OutputSet(Path(out_dir)) as out:
        writer(decision, layout, out.path(name))
        written = [out.final(out.path(name)),
                   out.final(write_receipt(decision, out.path(RECEIPT_FILE), (org.parent, org.name)))]
        if calibrate:
            write_calibration_pdf(layout, out.path(CALIBRATION_FILE))
            written.append(out.final(out.path(CALIBRATION_FILE)))
    return written
