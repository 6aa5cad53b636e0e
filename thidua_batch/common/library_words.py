"""What a reader library's error means, in Vietnamese (reliability.md, "The console and the messages").

calamine, openpyxl and zipfile explain a bad file in English ("Cannot detect file format",
"File is not a zip file", "Xlsx error: …"); the officer and the units read Vietnamese. The
library's words are matched to the few things they can mean; anything else becomes a
general Vietnamese description, never the English text.
"""
from __future__ import annotations

import re

_MEANINGS = (
    (r"password|encrypt|protected", "tệp được đặt mật khẩu"),
    (r"cannot detect file format|not a zip file|invalid ole|invalid signature|unknown format|unsupported format",
     "không nhận ra định dạng tệp (không phải tệp Excel thật, hoặc đuôi tệp không đúng với nội dung)"),
    (r"eof|end of file|truncat|unexpected end|too short", "tệp bị cắt cụt (tải về hoặc chép chưa xong)"),
    (r"zip|deflate|crc|compress", "phần nén (zip) bên trong tệp bị hỏng"),
    (r"xml|syntax|unclosed|mismatched|not well-formed", "nội dung XML bên trong tệp bị hỏng"),
    (r"utf-?8|utf-?16|codepage|code page|decod|encod", "tệp có chữ ở bảng mã không đọc được"),
    (r"sheet.*not found|worksheet .* does not exist|no sheet", "không tìm thấy trang bảng tính"),
    (r"memory|too (large|big)", "tệp quá lớn để đọc"),
    (r"xls\b|biff|cfb|ole", "cấu trúc tệp .xls bị hỏng"),
    (r"ods|opendocument", "cấu trúc tệp .ods bị hỏng"),
    (r"xlsx|xlsb|ooxml", "cấu trúc tệp .xlsx bị hỏng"),
)


def library_detail(exc: BaseException) -> str:
    """A Vietnamese phrase for what a reader library's exception says about the file."""
    text = f"{type(exc).__name__}: {exc}".lower()
    for pattern, words in _MEANINGS:
        if re.search(pattern, text):
            return words
    return "tệp hỏng hoặc không đúng định dạng"
