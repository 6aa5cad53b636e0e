"""The names of the conference's files: the templates shipped, the papers written."""
from __future__ import annotations

from pathlib import Path

TEMPLATES_DIR = Path(__file__).with_name("templates")
INVITATION_TPL = "giay_moi_tpl.docx"
AGENDA_TPL = "chuong_trinh_tpl.docx"
SCRIPT_TPL = "kich_ban_tpl.docx"
DISCUSSION_TPL = "tham_luan_tpl.docx"
PLEDGE_TPL = "giao_uoc_tpl.docx"

INVITATIONS_FILE, INVITATIONS_DIR = "giay_moi.docx", "giay_moi"
AGENDA_FILE, SCRIPT_FILE, DISCUSSION_FILE = "chuong_trinh.docx", "kich_ban.docx", "tham_luan.docx"
DELEGATES_LIST_FILE = "danh_sach_dai_bieu.xlsx"
BUDGET_FILE = "du_tru_kinh_phi.xlsx"


def pledge_file(khoi_id: str) -> str:
    return f"giao_uoc_{khoi_id}.docx"
