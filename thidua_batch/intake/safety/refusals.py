"""What a refused file is told: a `Rejection` (a reason code and a Vietnamese message saying
what the unit must do), and the `Refusal` exception that carries it out of a check."""
from __future__ import annotations

from dataclasses import dataclass

from ...config.limits import MiB


@dataclass(frozen=True)
class Rejection:
    reason: str  # "empty", "not-a-workbook", "not-a-document", "encrypted", "truncated", "zip-bomb", "dtd",
    #              "too-large", "corrupt", "too-many-cells"
    message: str  # Vietnamese, for the unit: what is wrong and what to do


RESEND = "đề nghị đơn vị mở tệp bằng Excel, lưu lại thành tệp mới (.xlsx) và gửi lại"


def mb(size: int) -> str:
    """"157,3 MB": Vietnamese decimal comma."""
    return f"{size / MiB:.1f}".replace(".", ",") + " MB"


class Refusal(Exception):
    """A check refuses the file: `rejection` says why."""

    def __init__(self, reason: str, message: str):
        super().__init__(reason)
        self.rejection = Rejection(reason, message)


def empty() -> Refusal:
    return Refusal("empty", "Tệp rỗng (không có nội dung): đề nghị đơn vị kiểm tra lại tệp đã điền và gửi lại.")


def truncated() -> Refusal:
    return Refusal(
        "truncated",
        "Tệp không đầy đủ (bị cắt cụt, thường do gửi hoặc tải về bị gián đoạn): "
        "đề nghị đơn vị gửi lại tệp.",
    )


def corrupt(detail: str) -> Refusal:
    return Refusal("corrupt", f"Tệp bị hỏng, không đọc được ({detail}): {RESEND}.")


def encrypted() -> Refusal:
    return Refusal("encrypted", "Tệp được đặt mật khẩu: đề nghị đơn vị gỡ mật khẩu và gửi lại.")


def bomb(detail: str) -> Refusal:
    return Refusal(
        "zip-bomb",
        f"Tệp có cấu trúc nén bất thường ({detail}) nên không được mở để bảo đảm an toàn: {RESEND}.",
    )


def dtd() -> Refusal:
    return Refusal(
        "dtd",
        "Tệp chứa khai báo DOCTYPE/ENTITY mà Excel không bao giờ tạo ra (có thể là tệp độc hại) "
        f"nên không được mở: {RESEND}.",
    )


def not_workbook(suffix: str, what: str, todo: str = "") -> Refusal:
    todo = todo or (
        "đề nghị đơn vị mở mẫu biểu bằng Excel, điền và lưu đúng định dạng Excel (.xlsx) rồi gửi lại"
    )
    return Refusal("not-a-workbook", f"Tệp có đuôi {suffix or '(không có)'} nhưng {what}: {todo}.")


def too_large_file(size: int, limit: int) -> Refusal:
    return Refusal(
        "too-large",
        f"Tệp quá lớn ({mb(size)}, giới hạn {mb(limit)}): đề nghị đơn vị xoá các trang tính, "
        "hình ảnh, dòng thừa rồi gửi lại.",
    )


def too_large_sheet(size: int, limit: int) -> Refusal:
    return Refusal(
        "too-large",
        f"Một trang tính trong tệp quá lớn ({mb(size)} khi giải nén, giới hạn {mb(limit)}; "
        "thường do có hàng trăm nghìn dòng hoặc định dạng kéo xuống hết trang): "
        "đề nghị đơn vị xoá các dòng, cột thừa và gửi lại.",
    )



def column_letters(col: int) -> str:
    """1 → "A", 16384 → "XFD"."""
    letters = ""
    while col > 0:
        col, rest = divmod(col - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _count(n: int) -> str:
    """"1.048.576": Vietnamese thousands separator."""
    return f"{n:,}".replace(",", ".")


def too_many_cells(sheet: str, rows: int, cols: int, limit: int) -> Refusal:
    """A sheet whose cells reach so far that reading it would build a grid of rows × cols cells."""
    return Refusal(
        "too-many-cells",
        f"Trang “{sheet}” có dữ liệu ở tận ô {column_letters(cols)}{rows} (vùng {_count(rows)} dòng × "
        f"{_count(cols)} cột = {_count(rows * cols)} ô, giới hạn {_count(limit)} ô), thường do gõ nhầm hoặc dán "
        "một ô ở rất xa: đề nghị đơn vị bấm Ctrl+End trên trang đó để tìm ô cuối, xoá các dòng, cột thừa, "
        "lưu lại và gửi lại.",
    )
