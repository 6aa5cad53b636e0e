"""The one reader of the TOML files an officer edits by hand: the campaign, the conference, the
certificate layout (reliability.md, "Every file the officer edits by hand").

Notepad saves UTF-8 with a byte order mark, or "Unicode" (UTF-16), or ANSI (cp1258 on a
Vietnamese Windows); a path pasted from Explorer has backslashes, which a TOML basic string
reads as escapes. Each case gets a Vietnamese message that says what to do; a syntax error is
named by line and column.
"""
from __future__ import annotations

import codecs
import re
import tomllib
from pathlib import Path


class TomlFileError(ValueError):
    """A hand-edited TOML file cannot be read; the message (Vietnamese) says where and what to do."""


_AT = re.compile(r"\(at line (\d+), column (\d+)\)|\(at end of document\)")

# tomllib's messages (3.11-3.13), said in Vietnamese; the {…} parts are kept as tomllib wrote them.
_MESSAGES = (
    (r"Invalid statement", "câu lệnh không hợp lệ (mỗi dòng phải là khóa = giá trị, hoặc [tên bảng])"),
    (r"Expected '=' after a key in a key/value pair", "thiếu dấu “=” sau tên khóa"),
    (r"Unescaped '\\' in a string", "dấu “\\” trong chuỗi chữ không hợp lệ"),
    (r"Invalid hex value", "dấu “\\” trong chuỗi chữ không hợp lệ (\\u, \\U phải theo sau là mã số hệ 16)"),
    (r"Escaped character is not a Unicode scalar value", "mã ký tự sau “\\u” hoặc “\\U” không hợp lệ"),
    (r"Invalid value", "giá trị không hợp lệ (chuỗi chữ phải đặt trong ngoặc kép \"…\")"),
    (r"Cannot overwrite a value", "khóa này đã có giá trị ở trên, không ghi đè được"),
    (r"Cannot declare (.+) twice", r"bảng \1 được khai báo hai lần"),
    (r"Cannot mutate immutable namespace (.+)", r"không thêm được vào \1 (đã khai báo trọn ở trên)"),
    (r"Cannot redefine namespace (.+)", r"không khai báo lại được \1"),
    (r"Duplicate inline table key (.+)", r"khóa \1 lặp lại trong cùng một bảng"),
    (r"Expected ']' at the end of a table declaration", "thiếu dấu “]” ở cuối tên bảng"),
    (r"Expected ']]' at the end of an array declaration", "thiếu “]]” ở cuối tên danh sách bảng"),
    (r"Expected newline or end of document after a statement", "thừa chữ sau giá trị (mỗi khóa một dòng)"),
    (r"Expected (.+)", r"thiếu \1"),
    (r"Invalid date or datetime", "ngày giờ không hợp lệ (ghi dạng 2020-12-28)"),
    (r"Invalid initial character for a key part", "tên khóa bắt đầu bằng ký tự không hợp lệ"),
    (r"Unclosed array", "danh sách thiếu dấu “]” đóng"),
    (r"Unclosed inline table", "bảng thiếu dấu “}” đóng"),
    (r"Unterminated string", "chuỗi chữ thiếu dấu ngoặc kép đóng"),
    (r"Found invalid character (.+)", r"có ký tự không hợp lệ \1"),
    (r"Illegal character (.+)", r"có ký tự không hợp lệ \1"),
)

# A basic string holding a Windows path: "C:\…" or "\\server\…" with single backslashes.
_WINDOWS_PATH = re.compile(r'"((?:[A-Za-z]:|\\\\[^"\\]+)\\(?!\\)[^"]*)"')


def decode(data: bytes, source: str, what: str) -> str:
    """The text of a TOML file: UTF-8 with or without BOM, or UTF-16 with BOM (Notepad's "Unicode")."""
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        raise TomlFileError(
            f"Tệp {what} {source} không được lưu bằng UTF-8 (dòng {line} có chữ ở bảng mã cũ, như ANSI/Windows-1258 "
            "hoặc TCVN3). Mở tệp bằng Notepad, chọn File > Save As (Lưu thành), ở ô Encoding (Mã hóa) chọn UTF-8, "
            "lưu rồi chạy lại.") from None


def read(path: str | Path, what: str) -> str:
    """The text of the TOML file at PATH (see `decode`); TomlFileError when it cannot be read."""
    p = Path(path)
    try:
        data = p.read_bytes()
    except FileNotFoundError:
        raise TomlFileError(f"Không đọc được tệp {what} {p}: không tìm thấy tệp.") from None
    except IsADirectoryError:
        raise TomlFileError(f"Không đọc được tệp {what} {p}: đây là một thư mục, không phải tệp.") from None
    except PermissionError:
        raise TomlFileError(f"Không đọc được tệp {what} {p}: không có quyền đọc, hoặc tệp đang bị chương trình khác "
                            "khóa.") from None
    except OSError as exc:
        raise TomlFileError(f"Không đọc được tệp {what} {p}: {exc.strerror or exc}.") from None
    return decode(data, str(p), what)


def parse(text: str, source: str, what: str) -> dict:
    """tomllib.loads, with a Vietnamese message naming line and column; a Windows path written in a
    basic string (backslashes) is named with the two ways to write it."""
    text = text.removeprefix("\ufeff")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise TomlFileError(_syntax_message(text, str(exc), source, what)) from None
    path = _windows_path(text)
    if path is not None:     # "C:\new\times.ttf" parses, into a newline and a tab: never what was meant
        line, value = path
        raise TomlFileError(f"Tệp {what} {source}, dòng {line}: {_path_advice(value)}")
    return data


def _syntax_message(text: str, message: str, source: str, what: str) -> str:
    found = _AT.search(message)
    bare = _AT.sub("", message).strip()
    line = int(found.group(1)) if found and found.group(1) else text.count("\n") + 1
    column = int(found.group(2)) if found and found.group(2) else None
    where = f" ở dòng {line}" + (f", cột {column}" if column else " (cuối tệp)")
    path = _windows_path(text, line)
    if path is not None:
        return f"Tệp {what} {source} sai cú pháp TOML{where}: {_path_advice(path[1])}"
    return f"Tệp {what} {source} sai cú pháp TOML{where}: {_vietnamese(bare)}."


def _vietnamese(message: str) -> str:
    for pattern, words in _MESSAGES:
        if re.fullmatch(pattern, message):
            return re.sub(pattern, words, message)
    return "cú pháp không hợp lệ"


def _windows_path(text: str, only_line: int | None = None) -> tuple[int, str] | None:
    for number, line in enumerate(text.splitlines(), 1):
        if only_line is not None and number != only_line:
            continue
        if line.lstrip().startswith("#"):
            continue
        found = _WINDOWS_PATH.search(line)
        if found:
            return number, found.group(1)
    return None


def _path_advice(value: str) -> str:
    return (f"đường dẫn Windows \"{value}\" viết trong ngoặc kép thì dấu “\\” bị hiểu là ký tự đặc biệt. Viết theo "
            f"một trong hai cách: trong ngoặc đơn '{value}', hoặc nhân đôi mỗi dấu \\ "
            f"\"{value.replace(chr(92), chr(92) * 2)}\".")
