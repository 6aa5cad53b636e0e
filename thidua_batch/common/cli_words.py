"""click's own words (errors, help, usage) in Vietnamese (reliability.md, "The console and the messages").

click marks every text it shows with gettext (`_("Missing option")`); `install()` gives its
modules a Vietnamese catalog in place of gettext, so a wrong option, a missing file or a word
where a number belongs is said in Vietnamese wherever click raises it. A text missing from the
catalog stays English, which tests/test_reliability.py catches for every error a user can cause.
"""
from __future__ import annotations

import importlib

_MODULES = ("core", "decorators", "exceptions", "formatting", "parser", "termui", "types", "utils",
            "_termui_impl")

CATALOG = {
    # errors of the command line
    "Error: {message}": "Lỗi: {message}",
    "Try '{command} {option}' for help.": "Xem hướng dẫn: {command} {option}",
    "Missing argument": "Thiếu tham số",
    "Missing option": "Thiếu tùy chọn",
    "Missing parameter": "Thiếu tham số",
    "Missing {param_type}": "Thiếu {param_type}",
    "Missing parameter: {param_name}": "Thiếu tham số: {param_name}",
    "Missing command.": "Thiếu lệnh.",
    "No such option {name!r}.": "Không có tùy chọn “{name}”.",
    "No such command {name!r}.": "Không có lệnh “{name}”.",
    "Invalid value: {message}": "Giá trị không hợp lệ: {message}",
    "Invalid value for {param_hint}: {message}": "Giá trị không hợp lệ cho {param_hint}: {message}",
    "Option {name!r} does not take a value.": "Tùy chọn “{name}” không nhận giá trị.",
    "Option {name!r} requires an argument.": "Tùy chọn “{name}” cần một giá trị.",
    "Option {name!r} requires {nargs} arguments.": "Tùy chọn “{name}” cần {nargs} giá trị.",
    "Argument {name!r} takes {nargs} values.": "Tham số “{name}” cần {nargs} giá trị.",
    "Got unexpected extra argument ({args})": "Thừa tham số: {args}.",
    "Got unexpected extra arguments ({args})": "Thừa tham số: {args}.",
    "Invalid start character for option ({option})": "Tùy chọn bắt đầu bằng ký tự không hợp lệ ({option}).",
    "Did you mean {possibility}?": "Có phải là {possibility}?",
    "(Did you mean one of: {possibilities}?)": "(Có phải là một trong: {possibilities}?)",
    "Takes {nargs} values but 1 was given.": "Cần {nargs} giá trị nhưng chỉ có 1.",
    "Takes {nargs} values but {len} were given.": "Cần {nargs} giá trị nhưng có {len}.",
    "Value must be an iterable.": "Giá trị phải là một danh sách.",
    "unknown error": "lỗi không rõ",
    "Could not open file {filename!r}: {message}": "Không mở được tệp “{filename}”: {message}",
    "Aborted!": "Đã dừng.",
    # the values of options and arguments
    "{name} {filename!r} does not exist.": "{name} “{filename}” không tồn tại.",
    "{name} {filename!r} is a file.": "{name} “{filename}” là một tệp, không phải thư mục.",
    "{name} {filename!r} is a directory.": "{name} “{filename}” là một thư mục, không phải tệp.",
    "{name} {filename!r} is not readable.": "{name} “{filename}” không đọc được (không có quyền đọc).",
    "{name} {filename!r} is not writable.": "{name} “{filename}” không ghi được (không có quyền ghi).",
    "{name} {filename!r} is not executable.": "{name} “{filename}” không chạy được.",
    "{value!r} is not a valid {number_type}.": "“{value}” không phải {number_type} hợp lệ.",
    "{value} is not in the range {range}.": "{value} nằm ngoài khoảng {range}.",
    "{value!r} is not a valid boolean. Recognized values: {states}":
        "“{value}” không phải giá trị đúng/sai. Các giá trị dùng được: {states}",
    "{value!r} is not a valid UUID.": "“{value}” không phải UUID hợp lệ.",
    "{value!r} is not {choice}.": "“{value}” không phải {choice}.",
    "{value!r} is not one of {choices}.": "“{value}” không phải một trong {choices}.",
    "Choose from:\n\t{choices}": "Chọn một trong:\n\t{choices}",
    "{value!r} does not match the format {format}.": "“{value}” không đúng dạng {format}.",
    "{value!r} does not match the formats {formats}.": "“{value}” không đúng các dạng {formats}.",
    "{len_type} values are required, but {len_value} was given.": "Cần {len_type} giá trị, nhưng có {len_value}.",
    "{len_type} values are required, but {len_value} were given.": "Cần {len_type} giá trị, nhưng có {len_value}.",
    # help and usage
    "Usage:": "Cách dùng:",
    "Options": "Tùy chọn",
    "Positional arguments": "Tham số",
    "Commands": "Lệnh",
    "default: {default}": "mặc định: {default}",
    "env var: {var}": "biến môi trường: {var}",
    "required": "bắt buộc",
    "(dynamic)": "(tùy lúc chạy)",
    "deprecated": "không còn dùng",
    "Show this message and exit.": "Hiện hướng dẫn này rồi thoát.",
    "Show the version and exit.": "Hiện phiên bản rồi thoát.",
    "%(prog)s, version %(version)s": "%(prog)s, phiên bản %(version)s",
    # prompts
    "Repeat for confirmation": "Nhập lại để xác nhận",
    "Error: The two entered values do not match.": "Lỗi: hai lần nhập không giống nhau.",
    "Error: invalid input": "Lỗi: giá trị nhập không hợp lệ",
    "Do you want to continue?": "Tiếp tục?",
    "Confirm the action without prompting.": "Xác nhận luôn, không hỏi lại.",
    "Press any key to continue...": "Bấm một phím bất kỳ để tiếp tục...",
}

# Words click puts into the texts above ({name} of a path, {number_type}, {param_type}).
WORDS = {"File": "Tệp", "Directory": "Thư mục", "Path": "Đường dẫn", "file": "tệp", "directory": "thư mục",
         "path": "đường dẫn", "integer": "số nguyên", "float": "số", "argument": "tham số", "option": "tùy chọn",
         "parameter": "tham số", "boolean": "đúng/sai", "text": "chữ"}


class _Template(str):
    """A translated text whose `format` also translates the words click fills in."""

    def format(self, *args, **kwargs):   # noqa: A003 - the str method click calls
        return str.format(self, *args, **{k: WORDS.get(v, v) if isinstance(v, str) else v
                                           for k, v in kwargs.items()})


def gettext(message: str) -> str:
    return _Template(CATALOG.get(message, message))


def ngettext(singular: str, plural: str, n: int) -> str:
    return gettext(singular if n == 1 else plural)


def install() -> None:
    """Give click's modules the Vietnamese catalog (idempotent)."""
    for name in _MODULES:
        module = importlib.import_module(f"click.{name}")
        if hasattr(module, "_"):
            module._ = gettext
        if hasattr(module, "ngettext"):
            module.ngettext = ngettext
