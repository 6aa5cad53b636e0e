"""Names the tool gives files, valid on Windows and Linux alike (reliability.md, "On Windows").

Windows keeps the names of devices (CON, PRN, AUX, NUL, COM0-9, LPT0-9, and COM¹ ² ³, LPT¹ ² ³)
in every folder, whatever follows the first dot: "con.docx" opens the console, not a file.
Linux file systems count a name's length in UTF-8 bytes (255 on ext4), so a Vietnamese name
of 120 letters can already be too long there, while NTFS counts UTF-16 units; counting bytes
fits both.
"""
from __future__ import annotations

import re

MAX_NAME_BYTES = 255
_DEVICE = re.compile(r"^(con|prn|aux|nul|conin\$|conout\$|com[0-9¹²³]|lpt[0-9¹²³])$", re.IGNORECASE)


def is_device_name(name: str) -> bool:
    """True for a name Windows takes as a device: "CON", "con.docx", "Com1 .txt", "LPT¹.pdf"."""
    return bool(_DEVICE.match(name.split(".", 1)[0].strip(" .")))


def name_bytes(name: str) -> int:
    return len(name.encode("utf-8"))


def fit_name(stem: str, suffix: str = "", limit: int = MAX_NAME_BYTES) -> str:
    """STEM cut at a letter boundary so that STEM + SUFFIX is at most LIMIT bytes in UTF-8."""
    room = limit - name_bytes(suffix)
    cut = stem.encode("utf-8")[:max(room, 0)].decode("utf-8", "ignore").rstrip(" .")
    return cut + suffix


def safe_name(stem: str, suffix: str = "", limit: int = MAX_NAME_BYTES) -> str:
    """A file name the tool makes from data (a person's name, a unit id): never a device name, within
    LIMIT bytes. "con" becomes "con_"."""
    name = fit_name(stem, suffix, limit)
    if is_device_name(name):
        name = fit_name(name[:len(name) - len(suffix)] + "_", suffix, limit)
    return name


def name_problem(name: str) -> str | None:
    """Why NAME cannot be a file name on every system the tool runs on (Vietnamese), or None."""
    if is_device_name(name):
        return (f"tên “{name}” trùng tên thiết bị của Windows (CON, PRN, AUX, NUL, COM1…, LPT1…), Windows không tạo "
                "được tệp tên đó")
    if name_bytes(name) > MAX_NAME_BYTES:
        return f"tên “{name}” dài {name_bytes(name)} byte, quá {MAX_NAME_BYTES} byte mà ổ đĩa cho phép"
    return None
