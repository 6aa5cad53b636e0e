"""The unit workbook's contract (spec/workbook.md) as data, shared by the template writer and the reader.

Labels here are the contract: the board's instructions to units quote them.
"""
from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Kind(str, Enum):
    """What a cell must hold; the reader parses each kind (see `values.py`)."""

    TEXT = "text"
    DATE = "date"
    YEAR = "year"
    PERCENT = "percent"
    GENDER = "gender"
    YES_NO = "yes-no"
    WHOLE = "whole"
    UNIT = "unit"


@dataclass(frozen=True)
class Field:
    key: str        # identifier used in code
    label: str      # the contract label (column header or row label)
    kind: Kind
    required: bool
    help: str       # one line for the Hướng dẫn sheet
    width: int = 18  # column width in the template


SHEET_GUIDE = "Hướng dẫn"
SHEET_UNIT = "Đơn vị"
SHEET_COLLECTIVES = "Tập thể"
SHEET_INDIVIDUALS = "Cá nhân"
SHEET_LISTS = "Danh mục"  # hidden: dropdown lists and the template's identity

TEMPLATE_ID = "thidua-batch/de-nghi-khen-thuong"
TEMPLATE_VERSION = "1"

# Identity block on the hidden sheet: label in column A, value in column B, rows 1-5.
IDENTITY_KEYS = ("template_id", "template_version", "campaign_id", "unit_id", "unit_name")
# Dropdown lists on the hidden sheet, each in its own column from row 2 (row 1 is its title).
LIST_UNITS, LIST_GENDER, LIST_YES_NO = "D", "E", "F"
NAME_UNITS, NAME_GENDER, NAME_YES_NO = "ds_don_vi", "ds_gioi_tinh", "ds_co_khong"

GENDERS = ("Nam", "Nữ")
# Năm sinh is valid from BIRTH_YEAR_MIN to the campaign year minus ADULT_AGE (template and reader).
BIRTH_YEAR_MIN = 1920
ADULT_AGE = 15


def birth_years(campaign_year: int) -> tuple[int, int]:
    return BIRTH_YEAR_MIN, campaign_year - ADULT_AGE

YES, NO = "Có", "Không"

UNIT_FIELDS: tuple[Field, ...] = (
    Field("unit", "Đơn vị đề nghị", Kind.UNIT, True, "Chọn tên đơn vị trong danh sách."),
    Field("proposal_no", "Số tờ trình", Kind.TEXT, False, "Số, ký hiệu tờ trình của đơn vị, ví dụ 15/TTr-LĐLĐ."),
    Field("proposal_date", "Ngày tờ trình", Kind.DATE, False, "Ngày ký tờ trình, dạng ngày/tháng/năm."),
    Field("meeting_date", "Ngày họp xét", Kind.DATE, True, "Ngày họp xét khen thưởng, dạng ngày/tháng/năm."),
    Field("members_present", "Số thành viên dự họp", Kind.WHOLE, False, "Số thành viên có mặt tại cuộc họp xét."),
    Field("members_total", "Tổng số thành viên", Kind.WHOLE, False, "Tổng số thành viên của hội đồng/ban chấp hành."),
    Field("preparer", "Người lập biểu", Kind.TEXT, True, "Họ tên người lập biểu để liên hệ khi cần."),
    Field("phone", "Điện thoại", Kind.TEXT, False, "Số điện thoại người lập biểu (giữ số 0 ở đầu)."),
    Field("email", "Email", Kind.TEXT, False, "Địa chỉ thư điện tử người lập biểu."),
    Field("topic", "Chủ đề tham luận", Kind.TEXT, False, "Chủ đề tham luận tại Hội nghị tổng kết (Kế hoạch 203)."),
    Field("has_proposal", "Có tờ trình", Kind.YES_NO, False, "Chọn Có nếu gửi kèm tờ trình."),
    Field("has_minutes", "Có biên bản họp xét", Kind.YES_NO, False, "Chọn Có nếu gửi kèm biên bản họp xét."),
    Field("has_summary", "Có báo cáo tóm tắt thành tích", Kind.YES_NO, False,
          "Chọn Có nếu gửi kèm báo cáo tóm tắt trích ngang thành tích."),
)

COLLECTIVE_FIELDS: tuple[Field, ...] = (
    Field("stt", "STT", Kind.TEXT, False, "Số thứ tự (có thể để sẵn).", 6),
    Field("name", "Tên tập thể", Kind.TEXT, True, "Tên đầy đủ của tập thể được đề nghị.", 40),
    Field("summary", "Tóm tắt thành tích", Kind.TEXT, True, "Tóm tắt thành tích nổi bật trong năm.", 60),
    Field("vote", "Tỷ lệ phiếu đồng ý (%)", Kind.PERCENT, False, "Tỷ lệ phiếu đồng ý tại cuộc họp xét, ví dụ 85.", 14),
    Field("note", "Ghi chú", Kind.TEXT, False, "Ghi chú nếu có.", 20),
)

INDIVIDUAL_FIELDS: tuple[Field, ...] = (
    Field("stt", "STT", Kind.TEXT, False, "Số thứ tự (có thể để sẵn).", 6),
    Field("name", "Họ và tên", Kind.TEXT, True, "Họ và tên đầy đủ, có dấu.", 26),
    Field("gender", "Giới tính", Kind.GENDER, True, "Chọn Nam hoặc Nữ.", 10),
    Field("birth_year", "Năm sinh", Kind.YEAR, True, "Năm sinh bốn chữ số, ví dụ 1980.", 10),
    Field("ethnicity", "Dân tộc", Kind.TEXT, False, "Dân tộc, ví dụ Kinh, Thái, H'Mông, Dao, Giáy.", 12),
    Field("position", "Chức vụ", Kind.TEXT, True, "Chức vụ hiện tại.", 22),
    Field("workplace", "Đơn vị công tác", Kind.TEXT, True, "Cơ quan, đơn vị đang công tác.", 30),
    Field("summary", "Tóm tắt thành tích", Kind.TEXT, True, "Tóm tắt thành tích nổi bật trong năm.", 60),
    Field("vote", "Tỷ lệ phiếu đồng ý (%)", Kind.PERCENT, False, "Tỷ lệ phiếu đồng ý tại cuộc họp xét, ví dụ 85.", 14),
    Field("note", "Ghi chú", Kind.TEXT, False, "Ghi chú nếu có.", 20),
)

NOMINATION_SHEETS = {SHEET_COLLECTIVES: COLLECTIVE_FIELDS, SHEET_INDIVIDUALS: INDIVIDUAL_FIELDS}
REQUIRED_SHEETS = (SHEET_UNIT, SHEET_COLLECTIVES, SHEET_INDIVIDUALS)
DOSSIER_FIELDS = (("has_proposal", "Tờ trình"), ("has_minutes", "Biên bản họp xét"),
                  ("has_summary", "Báo cáo tóm tắt thành tích"))


def unit_field(key: str) -> Field:
    return next(f for f in UNIT_FIELDS if f.key == key)
