"""Generate samples/inbox/: what the board's mailbox holds at the deadline of plan 199.

Every unit of the default roster but one (Mường Tè sends nothing) sends its list: most fill
in from the real template (tests/filler.py), with one planted mistake per unit as listed
in samples/README.md. Content is deterministic; so are the files' bytes (zip entry times
and the saved-at property are pinned to the time the file was received).

    python samples/make_samples.py               # regenerate samples/inbox
    python samples/make_samples.py --touch-only  # only re-apply RECEIVED as mtimes (after a git clone)

`RECEIVED` maps each file (path relative to the inbox) to the moment it arrived: git does
not keep mtimes, so the golden test re-applies them with `touch`.
"""
from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import re
import shutil
import sys
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
for extra in (ROOT, ROOT / "tests", ROOT / "samples"):
    if str(extra) not in sys.path:
        sys.path.insert(0, str(extra))

from filler import Filler, fill_unit, new_filler, nfd, sample_individual  # noqa: E402
from real_shaped import own_layout_workbook, word_list  # noqa: E402

from thidua_batch.config import schema  # noqa: E402
from thidua_batch.config.campaign import Campaign, load_campaign  # noqa: E402

INBOX = ROOT / "samples" / "inbox"
VN = dt.timezone(dt.timedelta(hours=7))


def _at(day: int, hour: int, minute: int) -> dt.datetime:
    return dt.datetime(2020, 12, day, hour, minute, tzinfo=VN)


F_TP_LAI_CHAU = "thang 12/LDLD TP Lai Chau - de nghi khen thuong VHCS 2020.xlsx"
F_TAM_DUONG = "LDLD Tam Duong - de nghi khen thuong 2020.xlsx"
F_PHONG_THO = "Phong Tho_DS de nghi khen thuong VHCS.xlsx"
F_SIN_HO = "mau_de_nghi_khen_thuong_sin-ho.xlsx"
F_THAN_UYEN = "Than Uyen - danh sach de nghi khen thuong (mau rieng).xlsx"
F_TAN_UYEN = "thang 12/Tan Uyen - To trinh va danh sach khen thuong.docx"
F_NAM_NHUN = "Nam Nhun de nghi khen thuong nam 2020.xlsx"
F_GIAO_DUC_OLD = "CDN Giao duc - de nghi khen thuong (ban cu).xlsx"
F_GIAO_DUC = "CDN Giao duc - de nghi khen thuong (da sua).xlsx"
F_Y_TE = "Danh sach khen thuong CDN Y te.xlsx"
F_CDVC = "CDVC tinh - de nghi khen thuong VHCS 2020.xlsx"
F_STRAY = "Huong dan gui ho so.docx"
F_LOCK = "~$LDLD Tam Duong - de nghi khen thuong 2020.xlsx"

# When each file arrived (Vietnam time). Deadline: 20/12/2020.
RECEIVED: dict[str, dt.datetime] = {
    F_TP_LAI_CHAU: _at(17, 15, 42),
    F_TAM_DUONG: _at(15, 9, 20),
    F_PHONG_THO: _at(18, 16, 5),
    F_SIN_HO: _at(16, 10, 30),
    F_THAN_UYEN: _at(19, 8, 47),
    F_TAN_UYEN: _at(23, 14, 10),       # late
    F_NAM_NHUN: _at(18, 10, 12),
    F_GIAO_DUC_OLD: _at(12, 16, 30),   # replaced by the corrected version below
    F_GIAO_DUC: _at(16, 8, 15),
    F_Y_TE: _at(14, 11, 0),
    F_CDVC: _at(15, 15, 30),
    F_STRAY: _at(10, 7, 55),
    F_LOCK: _at(15, 9, 21),
}

# A teacher in Tam Đường nominated both by LĐLĐ huyện Tam Đường and by Công đoàn ngành Giáo dục.
SHARED_PERSON: dict[str, object] = {
    "Họ và tên": "Tòng Thị Hải Yến",
    "Giới tính": "Nữ",
    "Năm sinh": 1986,
    "Dân tộc": "Thái",
    "Chức vụ": "Giáo viên",
    "Đơn vị công tác": "Trường THPT Tam Đường",
    "Tóm tắt thành tích": "Hoàn thành xuất sắc nhiệm vụ năm học 2019-2020; thực hiện tốt quy tắc ứng xử "
                          "nơi công sở, trong trường học; tích cực đổi mới phương pháp dạy học, "
                          "ứng dụng công nghệ thông tin trong giảng dạy.",
    "Tỷ lệ phiếu đồng ý (%)": 100,
}

Builder = Callable[[Campaign, Path], Filler]


def _filler(campaign: Campaign, work: Path, unit_id: str, per_unit_template: bool) -> tuple[Filler, object]:
    unit = campaign.roster.get(unit_id)
    directory = work / unit_id / ("unit" if per_unit_template else "blank")
    return new_filler(directory, campaign, unit if per_unit_template else None), unit


def _fill(campaign: Campaign, work: Path, unit_id: str, *, per_unit_template: bool = False,
          collectives: int = 1, individuals: int | None = None, **kwargs) -> Filler:
    filler, unit = _filler(campaign, work, unit_id, per_unit_template)
    if individuals is None:
        individuals = unit.individuals
    fill_unit(filler, unit, collectives, individuals, offset=campaign.roster.order(unit_id), **kwargs)
    filler.wb.properties.lastModifiedBy = str(filler.get_field("Người lập biểu"))
    return filler


def _individual_cell(filler: Filler, person: int, label: str) -> str:
    """Cell of LABEL for the PERSON-th data row (1-based) of Cá nhân."""
    row = filler.header_row(schema.SHEET_INDIVIDUALS) + person
    return f"{filler.column_of(schema.SHEET_INDIVIDUALS, label)}{row}"


# --- one builder per file -----------------------------------------------------------------

def tp_lai_chau(campaign: Campaign, work: Path) -> Filler:
    """Over quota: 6 individuals for a quota of 4."""
    return _fill(campaign, work, "tp-lai-chau", per_unit_template=True, individuals=6)


def tam_duong(campaign: Campaign, work: Path) -> Filler:
    """No minutes of the meeting; one person also nominated by Công đoàn ngành Giáo dục."""
    filler = _fill(campaign, work, "tam-duong", overrides={"Có biên bản họp xét": schema.NO})
    h = filler.header_row(schema.SHEET_INDIVIDUALS)
    filler.add_row(schema.SHEET_INDIVIDUALS, SHARED_PERSON, at_row=h + 3)
    return filler


def phong_tho(campaign: Campaign, work: Path) -> Filler:
    """Dates, years and percentages typed as text: all valid forms."""

    def as_text(label: str, value: object) -> object:
        if isinstance(value, dt.date):
            return f"{value.day}/{value.month}/{value.year}"
        if label == "Năm sinh":
            return str(value)
        if label == "Tỷ lệ phiếu đồng ý (%)":
            return f"{value}%"
        return value

    filler = _fill(campaign, work, "phong-tho", transform=as_text)
    for sheet in (schema.SHEET_UNIT, schema.SHEET_COLLECTIVES, schema.SHEET_INDIVIDUALS):
        for row in filler.ws(sheet).iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and re.fullmatch(r"[\d/%]+", cell.value):
                    cell.number_format = "@"  # typed into cells formatted as text
    return filler


def sin_ho(campaign: Campaign, work: Path) -> Filler:
    """Everything typed in decomposed Unicode (NFD), otherwise valid."""
    return _fill(campaign, work, "sin-ho", per_unit_template=True,
                 transform=lambda label, value: nfd(value) if isinstance(value, str) else value)


def nam_nhun(campaign: Campaign, work: Path) -> Filler:
    """Layout changed by the unit, a blank row in the middle, one row with two mistakes."""
    filler, unit = _filler(campaign, work, "nam-nhun", per_unit_template=False)
    sheet = schema.SHEET_INDIVIDUALS
    filler.insert_rows_above_header(sheet, 2)
    filler.insert_columns(sheet, "Giới tính", "Số điện thoại")
    offset = campaign.roster.order(unit.id)
    fill_unit(filler, unit, collectives=1, individuals=0, offset=offset)
    first = offset * 12 + 1
    h = filler.header_row(sheet)
    rows = (h + 1, h + 2, h + 4, h + 5)  # h + 3 stays blank (only its STT)
    phones = ("0912486357", "0986215430", "0357942168", "0834519276")
    for k, (row, phone) in enumerate(zip(rows, phones)):
        person = {**sample_individual(first + k, unit), "Số điện thoại": phone}
        if k == 3:
            person["Giới tính"] = None
            person["Năm sinh"] = "198"
        filler.add_row(sheet, person, at_row=row)
    filler.wb.properties.lastModifiedBy = str(filler.get_field("Người lập biểu"))
    return filler


def giao_duc_old(campaign: Campaign, work: Path) -> Filler:
    """First version: 3 people, one without Chức vụ; replaced four days later."""
    filler = _fill(campaign, work, "cdn-giao-duc", individuals=3,
                   overrides={"Ngày họp xét": dt.date(2020, 12, 9), "Ngày tờ trình": dt.date(2020, 12, 11)})
    h = filler.header_row(schema.SHEET_INDIVIDUALS)
    filler.add_row(schema.SHEET_INDIVIDUALS, SHARED_PERSON, at_row=h + 2)
    filler.set_cell(schema.SHEET_INDIVIDUALS, _individual_cell(filler, 3, "Chức vụ"), None)
    return filler


def giao_duc(campaign: Campaign, work: Path) -> Filler:
    """The corrected version: 4 people, valid."""
    filler = _fill(campaign, work, "cdn-giao-duc")
    h = filler.header_row(schema.SHEET_INDIVIDUALS)
    filler.add_row(schema.SHEET_INDIVIDUALS, SHARED_PERSON, at_row=h + 2)
    return filler


def y_te(campaign: Campaign, work: Path) -> Filler:
    """Quota filled (1 + 6); one person approved by only 45% of the votes."""
    filler = _fill(campaign, work, "cdn-y-te", per_unit_template=True)
    filler.set_cell(schema.SHEET_INDIVIDUALS, _individual_cell(filler, 4, "Tỷ lệ phiếu đồng ý (%)"), 45)
    return filler


def cdvc(campaign: Campaign, work: Path) -> Filler:
    """Quota filled (1 + 8); only 6 of 11 members at the meeting."""
    return _fill(campaign, work, "cdvc-tinh", per_unit_template=True, overrides={"Số thành viên dự họp": 6})


WORKBOOKS: dict[str, Builder] = {
    F_TP_LAI_CHAU: tp_lai_chau,
    F_TAM_DUONG: tam_duong,
    F_PHONG_THO: phong_tho,
    F_SIN_HO: sin_ho,
    F_NAM_NHUN: nam_nhun,
    F_GIAO_DUC_OLD: giao_duc_old,
    F_GIAO_DUC: giao_duc,
    F_Y_TE: y_te,
    F_CDVC: cdvc,
}


# --- files that are not workbooks ----------------------------------------------------------------

def write_stray_docx(path: Path, when: dt.datetime) -> None:
    from docx import Document

    doc = Document()
    doc.add_heading("Hướng dẫn gửi hồ sơ đề nghị khen thưởng", level=1)
    for text in (
        "Các đơn vị điền mẫu Excel đề nghị khen thưởng, không đổi tên các trang tính.",
        "Gửi kèm tờ trình, biên bản họp xét và báo cáo tóm tắt thành tích.",
        "Hạn gửi: chậm nhất ngày 20/12/2020, qua thư điện tử luonghaldld@gmail.com.",
    ):
        doc.add_paragraph(text)
    props = doc.core_properties
    props.author = props.last_modified_by = "Ban CSPL&QHLĐ"
    props.title = "Hướng dẫn gửi hồ sơ"
    props.created = props.modified = when.astimezone(dt.timezone.utc).replace(tzinfo=None)
    props.revision = 1
    buffer = io.BytesIO()
    doc.save(buffer)
    path.write_bytes(buffer.getvalue())


def write_lock_file(path: Path) -> None:
    """What Excel leaves beside an open workbook: the user's name, twice, padded to 165 bytes."""
    user = "Luong Ha"
    data = bytes([len(user)]) + user.encode("ascii") + b" " * (53 - len(user))
    data += bytes([len(user), 0]) + user.encode("utf-16-le")
    path.write_bytes(data + b"\x20\x00" * ((165 - len(data)) // 2) + b"\x00" * ((165 - len(data)) % 2))


# --- deterministic bytes ----------------------------------------------------------------------

_MODIFIED = re.compile(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)")


def pin_zip(path: Path, when: dt.datetime) -> None:
    """Rewrite a zip (xlsx, docx) with every entry dated WHEN and the saved-at property = WHEN."""
    utc = when.astimezone(dt.timezone.utc)
    stamp = utc.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    local = when.timetuple()[:6]
    with zipfile.ZipFile(path) as src:
        entries = [(info.filename, src.read(info)) for info in src.infolist()]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as dst:
        for name, data in entries:
            if name == "docProps/core.xml":
                data = _MODIFIED.sub(rb"\g<1>" + stamp + rb"\g<2>", data)
            info = zipfile.ZipInfo(name, date_time=local)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o600 << 16
            dst.writestr(info, data)
    path.write_bytes(buffer.getvalue())


def touch(inbox: Path = INBOX) -> list[str]:
    """Set each file's mtime from RECEIVED; returns the files that are missing."""
    missing = []
    for rel, when in RECEIVED.items():
        path = inbox / rel
        if not path.exists():
            missing.append(rel)
            continue
        stamp = when.timestamp()
        os.utime(path, (stamp, stamp))
    return missing


def generate(inbox: Path = INBOX, campaign: Campaign | None = None) -> list[Path]:
    """Delete INBOX and write every sample file into it; returns the paths written."""
    campaign = campaign or load_campaign()
    if inbox.exists():
        shutil.rmtree(inbox)
    written = []
    with tempfile.TemporaryDirectory() as tmp:
        for rel, build in WORKBOOKS.items():
            path = build(campaign, Path(tmp)).save(inbox / rel)
            pin_zip(path, RECEIVED[rel])
            written.append(path)
    # Lists in the units' own shapes (real_shaped.py): an own Excel layout, a Word table.
    for rel, build in ((F_THAN_UYEN, own_layout_workbook), (F_TAN_UYEN, word_list)):
        path = build(inbox / rel)
        pin_zip(path, RECEIVED[rel])
        written.append(path)
    stray = inbox / F_STRAY
    write_stray_docx(stray, RECEIVED[F_STRAY])
    pin_zip(stray, RECEIVED[F_STRAY])
    lock = inbox / F_LOCK
    write_lock_file(lock)
    written += [stray, lock]
    touch(inbox)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Tạo hộp thư mẫu samples/inbox.")
    parser.add_argument("--touch-only", action="store_true",
                        help="chỉ đặt lại thời điểm nhận (mtime) cho các tệp đã có")
    parser.add_argument("--inbox", type=Path, default=INBOX, help="thư mục đích (mặc định samples/inbox)")
    args = parser.parse_args(argv)
    if args.touch_only:
        missing = touch(args.inbox)
        for rel in missing:
            print(f"Không thấy tệp: {rel}", file=sys.stderr)
        return 1 if missing else 0
    for path in generate(args.inbox):
        print(path.relative_to(args.inbox))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
