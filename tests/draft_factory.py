"""Realistic BatchResult objects built by hand from the model's dataclasses, for the drafts' tests.

The rules of outputs.md are applied here in a few lines (who goes into the decision, the
unit's status), so the drafts can be tested without the reader and the merge.
"""
from __future__ import annotations

import dataclasses
import datetime as dt

from thidua_batch.checks.rules import quota_words
from thidua_batch.config.campaign import Campaign, load_campaign
from thidua_batch.model.findings import Finding
from thidua_batch.model.results import (ACCEPTED, COLLECTIVE, HAS_ERRORS, INDIVIDUAL, MISSING, OK, OVER_QUOTA, UNUSABLE,
                                REJECTED, SUPERSEDED, UNDER_QUOTA, BatchResult, Cell, Counts, FileResult,
                                Nomination, UnitResult)
from thidua_batch.config.roster import Roster, Unit

TZ = dt.timezone(dt.timedelta(hours=7))
SHEET_C, SHEET_I = "Tập thể", "Cá nhân"
INDIVIDUAL_COLUMNS = {"stt": "A", "name": "B", "gender": "C", "birth_year": "D", "ethnicity": "E",
                      "position": "F", "workplace": "G", "summary": "H", "vote": "I", "note": "J"}
COLLECTIVE_COLUMNS = {"stt": "A", "name": "B", "summary": "C", "vote": "D", "note": "E"}


def received(day: int, hour: int = 9, minute: int = 30) -> dt.datetime:
    return dt.datetime(2020, 12, day, hour, minute, tzinfo=TZ)


def _cells(columns: dict[str, str], row: int, values: dict[str, object]) -> dict[str, Cell]:
    return {key: Cell(f"{col}{row}", raw=values.get(key), value=values.get(key)) for key, col in columns.items()}


def collective(path: str, row: int, name: str, vote: float = 90.0, error: bool = False) -> Nomination:
    values = {"stt": row - 1, "name": name, "summary": "Hoàn thành xuất sắc nhiệm vụ năm 2020", "vote": vote}
    return Nomination(COLLECTIVE, path, SHEET_C, row, _cells(COLLECTIVE_COLUMNS, row, values), has_error=error)


def individual(path: str, row: int, name: str, position: str, workplace: str, birth_year: int = 1980,
               gender: str = "Nữ", ethnicity: str = "Thái", vote: float = 95.0, error: bool = False) -> Nomination:
    values = {"stt": row - 1, "name": name, "gender": gender, "birth_year": birth_year, "ethnicity": ethnicity,
              "position": position, "workplace": workplace, "summary": "Gương mẫu thực hiện văn hóa công sở",
              "vote": vote}
    return Nomination(INDIVIDUAL, path, SHEET_I, row, _cells(INDIVIDUAL_COLUMNS, row, values), has_error=error)


@dataclasses.dataclass
class Sent:
    """One file a unit sent, before the merge."""

    unit: str
    path: str
    collectives: list[Nomination] = dataclasses.field(default_factory=list)
    individuals: list[Nomination] = dataclasses.field(default_factory=list)
    findings: list[Finding] = dataclasses.field(default_factory=list)
    received_at: dt.datetime | None = None
    status: str = ACCEPTED
    reason: str | None = None


def build(campaign: Campaign, sent: list[Sent], extra_findings: list[Finding] = (),
          generated_at: dt.datetime | None = None) -> BatchResult:
    """The merge of outputs.md, for hand-made files: decision, held-out reasons, statuses."""
    files = []
    for s in sent:
        for n in (*s.collectives, *s.individuals):
            n.unit = s.unit
            n.file = s.path
        files.append(FileResult(path=s.path, sha256="0" * 64, received_at=s.received_at, status=s.status,
                                reason=s.reason, unit=s.unit, unit_typed=campaign.roster.get(s.unit).name,
                                collectives=s.collectives, individuals=s.individuals, findings=s.findings))
    units = []
    findings = [f for file in files for f in file.findings] + list(extra_findings)
    for unit in campaign.roster:
        attributed = [f for f in files if f.unit == unit.id]
        accepted = next((f for f in attributed if f.status == ACCEPTED), None)
        if accepted is None:
            units.append(UnitResult(unit, UNUSABLE if attributed else MISSING, Counts(), Counts(), None, attributed))
            why = "các tệp đơn vị gửi đều không dùng được" if attributed else "chưa nhận được hồ sơ nào"
            findings.append(Finding("unit-missing", f"{unit.name}: {why}.", unit=unit.id))
            continue
        in_c = _decide(accepted.collectives, unit.collectives, COLLECTIVE)
        in_i = _decide(accepted.individuals, unit.individuals, INDIVIDUAL)
        codes = {f.code for f in accepted.findings if f.is_error}
        if codes - {"quota-exceeded"}:
            status = HAS_ERRORS
        elif codes:
            status = OVER_QUOTA
        elif any(f.code == "quota-under" for f in accepted.findings):
            status = UNDER_QUOTA
        else:
            status = OK
        units.append(UnitResult(unit, status, Counts(len(accepted.collectives), len(accepted.individuals)),
                                Counts(in_c, in_i), accepted, attributed))
    return BatchResult(campaign=campaign, generated_at=generated_at or dt.datetime(2020, 12, 22, 10, 15, tzinfo=TZ),
                       files=files, units=units, findings=findings)


def _decide(rows: list[Nomination], quota: int, kind: str) -> int:
    over = len(rows) > quota
    for n in rows:
        n.in_decision = not n.has_error and not over
        if over:
            n.held_out = f"{quota_words(kind, quota, len(rows))}; chờ đơn vị chọn lại"
        elif n.has_error:
            n.held_out = "; ".join(n.reasons) or "chưa đủ điều kiện"
    return sum(n.in_decision for n in rows)


# Names used by the tests
AMP_COLLECTIVE = "Công đoàn Trường PTDTBT THCS Bản Bo & Khun Há <điểm trường chính>"
AMP_PERSON = "Lò Thị Én"
AMP_WORKPLACE = "Trường Mầm non Sơn Bình & Bình Lư <cơ sở 2>"
OVER_QUOTA_PEOPLE = ["Vàng A Dình", "Giàng Thị Mỷ", "Tẩn Láo Sử", "Lý Thị Chiều", "Sùng A Páo"]
ERROR_PERSON = "Pờ Xé Mé"


def sample_result() -> BatchResult:
    """Plan 199 with eleven units, covering every status and file status."""
    c = load_campaign()
    sent: list[Sent] = []

    p = "tp_lai_chau.xlsx"
    sent.append(Sent("tp-lai-chau", p, received_at=received(15), collectives=[
        collective(p, 2, "Công đoàn Sở Tài nguyên và Môi trường")], individuals=[
        individual(p, 2, "Nguyễn Thị Hoa", "Chủ tịch Công đoàn", "Sở Tài nguyên và Môi trường", ethnicity="Kinh"),
        individual(p, 3, "Trần Văn Bình", "Phó Chủ tịch Công đoàn", "Sở Tư pháp", gender="Nam", ethnicity="Kinh"),
        individual(p, 4, "Lê Thị Mai", "Ủy viên Ban Chấp hành", "Văn phòng UBND thành phố", ethnicity="Kinh"),
        individual(p, 5, "Phạm Văn Cường", "Chuyên viên", "Phòng Nội vụ thành phố", gender="Nam", ethnicity="Kinh"),
    ]))

    p = "Tam Duong/ho_so_tam_duong.xlsx"
    sent.append(Sent("tam-duong", p, received_at=received(18, 16, 5), collectives=[
        collective(p, 2, AMP_COLLECTIVE)], individuals=[
        individual(p, 2, "Tao Văn Sơn", "Chủ tịch Công đoàn cơ sở", "Trường Tiểu học Bình Lư", gender="Nam"),
        individual(p, 3, AMP_PERSON, "Giáo viên", AMP_WORKPLACE),
        individual(p, 4, "Hà Văn Lả", "Kế toán", "UBND xã Nà Tăm", gender="Nam", ethnicity="Giáy"),
        individual(p, 5, "Chẻo Mý Nàm", "Nhân viên", "Trạm Y tế xã Khun Há", ethnicity="Dao"),
    ], findings=[
        Finding("dossier-incomplete", "Chưa gửi kèm Biên bản họp xét. Đề nghị gửi bổ sung.", file=p,
                unit="tam-duong", sheet="Đơn vị", cell="B12", value="Không"),
    ]))

    p = "phong_tho.xlsx"
    people = [individual(p, 2 + i, name, "Công chức", "UBND huyện Phong Thổ", gender="Nam", ethnicity="H'Mông")
              for i, name in enumerate(OVER_QUOTA_PEOPLE)]
    sent.append(Sent("phong-tho", p, received_at=received(19), collectives=[
        collective(p, 2, "Công đoàn Bệnh viện Đa khoa huyện Phong Thổ")], individuals=people, findings=[
        Finding("quota-exceeded", "Đề nghị 5 cá nhân, vượt chỉ tiêu 4. Đề nghị chọn lại đúng chỉ tiêu và gửi lại.",
                file=p, unit="phong-tho", sheet=SHEET_I),
    ]))

    p = "sin_ho_v2.xlsx"
    old = "sin_ho.xlsx"
    bad = individual(p, 4, ERROR_PERSON, "Nhân viên", "Chi cục Thuế huyện Sìn Hồ", ethnicity="La Hủ", vote=40.0,
                     error=True)
    bad.reasons.append("tỷ lệ phiếu đồng ý 40%, chưa đạt trên 50%")
    sent.append(Sent("sin-ho", old, received_at=received(16), status=SUPERSEDED, reason="unit-superseded",
                     collectives=[collective(old, 2, "Công đoàn Chi cục Thuế huyện Sìn Hồ")]))
    sent.append(Sent("sin-ho", p, received_at=received(17), collectives=[
        collective(p, 2, "Công đoàn Chi cục Thuế huyện Sìn Hồ")], individuals=[
        individual(p, 2, "Lò Văn Tiến", "Chi cục trưởng", "Chi cục Thuế huyện Sìn Hồ", gender="Nam"),
        individual(p, 3, "Tòng Thị Xuân", "Kế toán", "Chi cục Thuế huyện Sìn Hồ"),
        bad,
    ], findings=[
        Finding("vote-below-threshold", "Tỷ lệ phiếu đồng ý 40% không lớn hơn ngưỡng 50%. Kiểm tra lại biên bản "
                "họp xét hoặc bỏ đề nghị này.", file=p, unit="sin-ho", sheet=SHEET_I, cell="I4", value="40"),
        Finding("quota-under", "Đề nghị 3 cá nhân, ít hơn chỉ tiêu 4.", file=p, unit="sin-ho", sheet=SHEET_I),
    ]))
    sent_extra = [Finding("unit-superseded", "Đơn vị gửi nhiều tệp. Tệp “sin_ho.xlsx” được thay bằng tệp mới hơn "
                          "“sin_ho_v2.xlsx”.", file=old, unit="sin-ho")]

    p = "than_uyen.xls"
    sent.append(Sent("than-uyen", p, received_at=received(20, 23, 50), status=REJECTED, reason="file-unreadable",
                     findings=[Finding("file-unreadable", "Không mở được tệp: tệp hỏng hoặc có mật khẩu. Đề nghị "
                                       "lưu lại bằng Excel và gửi lại.", file=p, unit="than-uyen")]))

    p = "tan_uyen.xlsx"
    sent.append(Sent("tan-uyen", p, received_at=received(21, 8, 0), collectives=[
        collective(p, 2, "Công đoàn Trung tâm Y tế huyện Tân Uyên")], individuals=[
        individual(p, 2, "Lường Văn Hặc", "Bác sĩ", "Trung tâm Y tế huyện Tân Uyên", gender="Nam"),
        individual(p, 3, "Lò Thị Nhung", "Điều dưỡng", "Trung tâm Y tế huyện Tân Uyên"),
    ], findings=[
        Finding("quota-under", "Đề nghị 2 cá nhân, ít hơn chỉ tiêu 4.", file=p, unit="tan-uyen", sheet=SHEET_I),
        Finding("submitted-late", "Hồ sơ nhận lúc 08:00 ngày 21/12/2020, sau hạn 20/12/2020.", file=p,
                unit="tan-uyen", value="2020-12-21T08:00:00+07:00"),
    ]))

    p = "cdvc.xlsx"
    sent.append(Sent("cdvc-tinh", p, received_at=received(14), collectives=[
        collective(p, 2, "Công đoàn Sở Nội vụ")], individuals=[
        individual(p, 2 + i, name, "Chuyên viên", f"Sở {dept}")
        for i, (name, dept) in enumerate([
            ("Đỗ Thị Thu", "Nội vụ"), ("Vũ Văn Hùng", "Tài chính"), ("Bùi Thị Lan", "Kế hoạch và Đầu tư"),
            ("Hoàng Văn Nam", "Xây dựng"), ("Đặng Thị Hằng", "Giao thông vận tải"), ("Ngô Văn Tùng", "Công Thương"),
            ("Dương Thị Yến", "Văn hóa, Thể thao và Du lịch"), ("Lương Văn Khánh", "Khoa học và Công nghệ")])
    ]))

    return build(c, sent, extra_findings=sent_extra)


def big_campaign(units: int, individuals: int = 4) -> Campaign:
    base = load_campaign()
    roster = Roster(tuple(Unit(id=f"cdcs-{i:04d}", name=f"Công đoàn cơ sở số {i} & Cộng sự", type="CĐCS",
                               collectives=1, individuals=individuals) for i in range(1, units + 1)))
    return dataclasses.replace(base, roster=roster)


def big_result(units: int, individuals: int = 4, findings_per_unit: int = 3) -> BatchResult:
    """Many units, each with one file, `individuals` people and a few findings."""
    c = big_campaign(units, individuals)
    sent = []
    for u in c.roster:
        p = f"{u.id}.xlsx"
        people = [individual(p, 2 + k, f"Nguyễn Văn {u.id[-4:]}-{k}", "Chuyên viên", f"Phòng {k} của {u.name}")
                  for k in range(individuals)]
        findings = [Finding("person-duplicate", f"Trùng tên ở dòng {k + 2}; kiểm tra lại.", file=p, unit=u.id,
                            sheet=SHEET_I, cell=f"B{k + 2}", value=people[k % individuals].name)
                    for k in range(findings_per_unit)]
        sent.append(Sent(u.id, p, received_at=received(15), collectives=[collective(p, 2, f"Tổ {u.name}")],
                         individuals=people, findings=findings))
    return build(c, sent)
