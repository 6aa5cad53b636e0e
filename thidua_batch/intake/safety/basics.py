"""The checks every file gets first: its container sniffed from its first bytes, empty or
all-zero files, the size limit; and the guard that turns any failure of a check into a refusal."""
from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from ...config.limits import Limits
from .refusals import Refusal, Rejection, bomb, corrupt, empty, too_large_file

ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
CFB_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")
T = TypeVar("T")


def sniff_format(data: bytes) -> str | None:
    """"zip" (xlsx, xlsm, ods), "cfb" (xls, or encrypted OOXML), or None."""
    if data[:4] in ZIP_MAGICS:
        return "zip"
    if data[:8] == CFB_MAGIC:
        return "cfb"
    return None


def normal_suffix(suffix: str) -> str:
    suffix = (suffix or "").strip().lower()
    return suffix if not suffix or suffix.startswith(".") else "." + suffix


def guarded(inspect: Callable[[bytes, str, Limits], T], data: bytes, suffix: str,
            limits: Limits) -> tuple[Rejection | None, T | None]:
    """(None, what `inspect` found) when the file passed; (why not, None) when it did not."""
    suffix = normal_suffix(suffix)
    try:
        return None, inspect(bytes(data), suffix, limits)
    except Refusal as reject:
        return reject.rejection, None
    except (MemoryError, RecursionError):
        return bomb("cần quá nhiều bộ nhớ để kiểm tra").rejection, None
    except Exception as exc:  # noqa: BLE001 - a hostile file must never crash the batch
        return corrupt(f"cấu trúc không hợp lệ: {type(exc).__name__}").rejection, None


def check_basics(data: bytes, limits: Limits) -> None:
    if not data or data.isspace():
        raise empty()
    if data[:1] == b"\x00" and data.count(0) == len(data):
        raise corrupt("tệp chỉ chứa các byte 0, thường do sao chép hoặc tải về bị lỗi")
    if len(data) > limits.max_file_bytes:
        raise too_large_file(len(data), limits.max_file_bytes)


def head_text(head: bytes) -> str:
    for bom, codec in ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")):
        if head.startswith(bom):
            return head[len(bom):].decode(codec, errors="replace")
    if len(head) > 1 and head[1:2] == b"\x00" and head[0:1] != b"\x00":
        return head.decode("utf-16-le", errors="replace")
    return head.decode("utf-8", errors="replace")


def looks_like_text(head: bytes) -> bool:
    text = head_text(head)
    printable = sum(ch != "\ufffd" and (ch.isprintable() or ch in "\r\n\t") for ch in text)
    return bool(text) and printable / len(text) > 0.95
