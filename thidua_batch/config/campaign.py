"""The campaign as data: one TOML file (domain.md, "The campaign, as data").

The 2020 campaign of plan 199 ships in `data/vhcs-2020.toml` and is the default.
A file that does not follow the format raises `CampaignError` naming the key and line.
"""
from __future__ import annotations

import datetime as dt
from email.headerregistry import Address
import math
import re
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from ..common import tomlfile
from ..common.filenames import is_device_name
from .limits import Limits
from .roster import Roster, Unit, core_name


class CampaignError(Exception):
    """The campaign file cannot be used; the message (Vietnamese) names the key and line."""


@dataclass(frozen=True)
class Document:
    number: str
    date: dt.date
    title: str


@dataclass(frozen=True)
class Organisation:
    parent: str
    name: str
    short_name: str
    place: str
    authority: str
    authority_short: str
    board: str
    board_short: str
    decision_symbol: str
    submission_symbol: str


@dataclass(frozen=True)
class Award:
    name: str
    base_salary: int
    coefficient_collective: float
    coefficient_individual: float
    round_up_to: int
    funding_source: str

    def _amount(self, coefficient: float) -> int:
        raw = self.base_salary * coefficient
        step = self.round_up_to or 1
        return int(math.ceil(round(raw, 6) / step) * step)

    @property
    def per_collective(self) -> int:
        return self._amount(self.coefficient_collective)

    @property
    def per_individual(self) -> int:
        return self._amount(self.coefficient_individual)


@dataclass(frozen=True)
class Checks:
    vote_threshold_percent: float
    quorum_numerator: int
    quorum_denominator: int
    check_votes: bool
    check_quorum: bool
    check_dossier: bool
    quorum_severity: str = "error"   # "warning": a meeting without quorum is said, its rows not held out

    def quorum_met(self, present: int, total: int) -> bool:
        return present * self.quorum_denominator >= total * self.quorum_numerator


@dataclass(frozen=True)
class Signer:
    on_behalf: str
    title: str
    name: str


@dataclass(frozen=True)
class Board:
    """Who signs the board's own papers: the tờ trình and the feedback letters (papers.md).
    An empty name is a dotted line in the paper, for the signer to write."""

    head_title: str = "TRƯỞNG BAN"
    head_name: str = ""
    letter_symbol: str = ""       # after "Số:      /" of a letter; "" leaves "…" for the clerk
    letter_on_behalf: str = ""    # "KT. TRƯỞNG BAN" and the like; "" when the head signs
    letter_title: str = ""        # "" = head_title
    letter_name: str = ""         # "" = head_name


@dataclass(frozen=True)
class Campaign:
    id: str
    year: int
    movement: str
    name: str
    deadline: dt.date
    utc_offset_hours: float
    contact_email: str
    contact: str
    plan: Document
    standards: Document
    organisation: Organisation
    award: Award
    checks: Checks
    signer: Signer
    can_cu: tuple[str, ...]
    noi_nhan: tuple[str, ...]
    roster: Roster
    limits: Limits = Limits()
    board_signer: Board = Board()
    resubmit_days: int = 3   # a letter written after the deadline asks for corrections within these days
    mail_from: str = ""   # the board's From address for drafts; "" = contact_email under the board's name
    source: str = field(default="", compare=False)

    @property
    def from_address(self) -> str:
        """The From header of every draft (mail.md): the campaign's board address."""
        if self.mail_from:
            return self.mail_from
        name = f"{self.organisation.board_short} - {self.organisation.short_name}"
        return str(Address(display_name=name, addr_spec=self.contact_email))

    @property
    def tz(self) -> dt.timezone:
        return dt.timezone(dt.timedelta(hours=self.utc_offset_hours))

    def is_late(self, received_at: dt.datetime) -> bool:
        return received_at.astimezone(self.tz).date() > self.deadline

    def resubmit_due(self, written_at: dt.datetime) -> dt.date:
        """By when a paper written at WRITTEN_AT asks for corrections: the deadline while it is ahead,
        else that day plus resubmit_days (papers.md): never a date already past."""
        today = written_at.astimezone(self.tz).date()
        return self.deadline if today < self.deadline else today + dt.timedelta(days=self.resubmit_days)


# The format: for each table, its keys and their types. Anything else is an unknown key.
_STR, _INT, _NUM, _DATE, _BOOL, _STRS = str, int, (int, float), dt.date, bool, "list[str]"
_SCHEMA: dict[str, dict[str, object]] = {
    "": {"id": _STR, "year": _INT, "movement": _STR, "name": _STR, "deadline": _DATE,
         "utc_offset_hours": _NUM, "contact_email": _STR, "contact": _STR,
         "plan": dict, "standards": dict, "organisation": dict, "award": dict,
         "checks": dict, "signer": dict, "documents": dict, "units": list, "limits": dict, "mail_from": _STR,
         "board": dict, "resubmit_days": _INT},
    "plan": {"number": _STR, "date": _DATE, "title": _STR},
    "standards": {"number": _STR, "date": _DATE, "title": _STR},
    "organisation": {k: _STR for k in Organisation.__dataclass_fields__},
    "award": {"name": _STR, "base_salary": _INT, "coefficient_collective": _NUM,
              "coefficient_individual": _NUM, "round_up_to": _INT, "funding_source": _STR},
    "checks": {"vote_threshold_percent": _NUM, "quorum_numerator": _INT, "quorum_denominator": _INT,
               "check_votes": _BOOL, "check_quorum": _BOOL, "check_dossier": _BOOL, "quorum_severity": _STR},
    "board": {k: _STR for k in Board.__dataclass_fields__},
    "signer": {"on_behalf": _STR, "title": _STR, "name": _STR},
    "documents": {"can_cu": _STRS, "noi_nhan": _STRS},
    "limits": {"max_file_mb": _NUM, "max_uncompressed_mb": _NUM, "max_ratio": _NUM, "max_members": _INT,
               "max_sheet_mb": _NUM, "max_cells": _INT, "max_reader_mb": _NUM, "max_read_seconds": _NUM},
    "units": {"id": _STR, "name": _STR, "type": _STR, "collectives": _INT, "individuals": _INT,
              "aliases": _STRS, "emails": _STRS},
}
_OPTIONAL = {("units", "aliases"), ("units", "emails"), ("", "limits"), ("", "mail_from"), ("", "board"),
             ("", "resubmit_days"), ("checks", "quorum_severity"), *(("board", k) for k in Board.__dataclass_fields__),
             *(("limits", k) for k in (
    "max_file_mb", "max_uncompressed_mb", "max_ratio", "max_members", "max_sheet_mb", "max_cells", "max_reader_mb",
    "max_read_seconds"))}
_TYPE_WORDS = {_STR: "chuỗi chữ", _INT: "số nguyên", _NUM: "số", _DATE: "ngày (YYYY-MM-DD)",
               _BOOL: "true/false", _STRS: "danh sách chuỗi chữ", dict: "bảng", list: "danh sách bảng"}
_SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


def default_campaign_text() -> str:
    return resources.files("thidua_batch").joinpath("config/data/vhcs-2020.toml").read_text("utf-8")


def load_campaign(path: str | Path | None = None) -> Campaign:
    """The campaign in PATH, or the default one (plan 199, 2020)."""
    if path is None:
        return parse_campaign(default_campaign_text(), "vhcs-2020.toml (mặc định)")
    p = Path(path)
    try:
        text = tomlfile.read(p, "chiến dịch")    # UTF-8 with or without BOM; a legacy code page named
    except tomlfile.TomlFileError as exc:
        raise CampaignError(str(exc)) from None
    return parse_campaign(text, str(p))


def parse_campaign(text: str, source: str) -> Campaign:
    try:
        data = tomlfile.parse(text, source, "chiến dịch")
    except tomlfile.TomlFileError as exc:
        raise CampaignError(str(exc)) from None
    text = text.removeprefix("\ufeff")
    locate = _Locator(text, source)
    _validate(data, locate)
    return _build(data, source)


class _Locator:
    """Finds the line of a key in the TOML text, for messages (tomllib keeps no positions)."""

    def __init__(self, text: str, source: str):
        self.lines = text.splitlines()
        self.source = source

    def line_of(self, table: str, key: str, index: int | None = None) -> int | None:
        start = 0
        if table:
            header = re.compile(r"^\s*\[\[?\s*" + re.escape(table) + r"\s*\]\]?\s*(#.*)?$")
            seen = -1
            for n, line in enumerate(self.lines):
                if header.match(line):
                    seen += 1
                    if index is None or seen == index:
                        start = n
                        break
        pattern = re.compile(r"^\s*(\"?" + re.escape(key) + r"\"?\s*=|\[\[?\s*" + re.escape(key) + r"\s*\]\]?)")
        for n in range(start, len(self.lines)):
            if n > start and table and self.lines[n].lstrip().startswith("["):
                break
            if pattern.match(self.lines[n]):
                return n + 1
        return start + 1 if table else None

    def fail(self, table: str, key: str, problem: str, index: int | None = None) -> CampaignError:
        where = f"[{table}]" + (f" thứ {index + 1}" if index is not None else "") if table else "gốc"
        line = self.line_of(table, key, index)
        at = f", dòng {line}" if line else ""
        return CampaignError(f"Tệp chiến dịch {self.source}: khóa “{key}” (bảng {where}{at}): {problem}")


def _validate(data: dict, locate: _Locator) -> None:
    _check_table(data, "", locate, None)
    for name, spec in _SCHEMA[""].items():
        if spec is dict and name in data:
            _check_table(data[name], name, locate, None)
    units = data["units"]
    if not units:
        raise locate.fail("", "units", "phải có ít nhất một đơn vị")
    seen: set[str] = set()
    cores: dict[str, str] = {}
    for i, unit in enumerate(units):
        if not isinstance(unit, dict):
            raise locate.fail("units", "units", "mỗi đơn vị phải là một bảng [[units]]", i)
        _check_table(unit, "units", locate, i)
        for key in ("id", "name", "type"):
            if not unit[key].strip():
                raise locate.fail("units", key, "không được để trống", i)
        if not _SLUG.match(unit["id"]):
            raise locate.fail("units", "id", f"“{unit['id']}” phải gồm chữ thường không dấu, số và dấu gạch ngang", i)
        if is_device_name(unit["id"]) or len(unit["id"]) > 100:   # it names phan_hoi/<id>.docx and <id>.eml
            raise locate.fail("units", "id", f"mã đơn vị “{unit['id']}” không đặt được làm tên tệp trên Windows (trùng "
                              "tên thiết bị CON, PRN, AUX, NUL, COM1…, LPT1…, hoặc dài quá 100 chữ): đổi mã khác", i)
        if unit["id"] in seen:
            raise locate.fail("units", "id", f"mã đơn vị “{unit['id']}” bị trùng", i)
        seen.add(unit["id"])
        for key, name in [("name", unit["name"])] + [("aliases", a) for a in unit.get("aliases", [])]:
            other = cores.setdefault(core_name(name), unit["id"])
            if other != unit["id"]:
                raise locate.fail("units", key, f"tên “{name}” trùng với tên của đơn vị “{other}”: mọi tên "
                                  "đơn vị (kể cả tên khác) phải phân biệt được với nhau", i)
        for key in ("collectives", "individuals"):
            if unit[key] < 0:
                raise locate.fail("units", key, f"chỉ tiêu không được âm (đang là {unit[key]})", i)
        for address in unit.get("emails", []):
            problem = email_problem(address)
            if problem:
                raise locate.fail("units", "emails", problem, i)
    if not -12 <= data["utc_offset_hours"] <= 14:
        raise locate.fail("", "utc_offset_hours", "múi giờ phải trong khoảng -12 đến 14 (Việt Nam: 7)")
    checks = data["checks"]
    if checks["quorum_denominator"] <= 0 or not 0 < checks["quorum_numerator"] <= checks["quorum_denominator"]:
        raise locate.fail("checks", "quorum_numerator", "tỷ lệ dự họp phải là một phân số trong khoảng (0, 1]")
    if checks.get("quorum_severity", "error") not in ("error", "warning"):
        raise locate.fail("checks", "quorum_severity", "chỉ được là \"error\" (lỗi, mặc định) hoặc \"warning\" "
                          "(cảnh báo)")
    if not 0 <= data.get("resubmit_days", 3) <= 60:
        raise locate.fail("", "resubmit_days", "số ngày phải từ 0 đến 60")
    if not 0 <= checks["vote_threshold_percent"] < 100:
        raise locate.fail("checks", "vote_threshold_percent", "ngưỡng phiếu đồng ý phải từ 0 đến dưới 100")
    for key, value in data.get("limits", {}).items():
        if value <= 0:
            raise locate.fail("limits", key, "giới hạn phải là số dương")
    award = data["award"]
    for key in ("base_salary", "round_up_to", "coefficient_collective", "coefficient_individual"):
        if award[key] < 0:
            raise locate.fail("award", key, "không được âm")


_ADDRESS = re.compile(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
                      r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$")


_SEPARATORS = re.compile(r"[;,\s]+")


def email_problem(address: str) -> str:
    """Why an entry of a unit's `emails` is not one mail address ("" when it is): a reply must reach every
    address, so "a@x; b@x" in one entry is refused rather than cut to its first address."""
    text = address.strip()
    if any(sep in text for sep in (";", ",")) or len(text.split()) > 1:
        parts = [f'"{a.strip(" <>")}"' for a in _SEPARATORS.split(text) if a.strip(" <>")]
        return f"“{address}” có nhiều địa chỉ trong một mục: mỗi địa chỉ một mục, ví dụ emails = [{', '.join(parts)}]"
    if not _ADDRESS.match(text) or ".." in text:
        return f"“{address}” không phải địa chỉ thư điện tử hợp lệ (dạng ten@mien.vn)"
    return ""


def _check_table(table: dict, name: str, locate: _Locator, index: int | None) -> None:
    spec = _SCHEMA[name]
    for key, value in table.items():
        if key not in spec:
            known = ", ".join(spec)
            raise locate.fail(name, key, f"khóa không có trong định dạng (các khóa hợp lệ: {known})", index)
        if not _is_type(value, spec[key]):
            raise locate.fail(name, key, f"phải là {_TYPE_WORDS[spec[key]]}", index)
    for key in spec:
        if key not in table and (name, key) not in _OPTIONAL:
            raise locate.fail(name, key, "bị thiếu", index)


def _is_type(value: object, kind: object) -> bool:
    if kind == _STRS:
        return isinstance(value, list) and all(isinstance(v, str) for v in value)
    if kind in (_INT, _NUM) and isinstance(value, bool):
        return False
    if kind is _DATE:
        return isinstance(value, dt.date) and not isinstance(value, dt.datetime)
    return isinstance(value, kind)  # type: ignore[arg-type]


def _build(data: dict, source: str) -> Campaign:
    units = tuple(
        Unit(id=u["id"], name=u["name"], type=u["type"], collectives=u["collectives"],
             individuals=u["individuals"], aliases=tuple(u.get("aliases", ())),
             emails=tuple(e.strip().lower() for e in u.get("emails", ())))
        for u in data["units"]
    )
    docs = data["documents"]
    return Campaign(
        id=data["id"], year=data["year"], movement=data["movement"], name=data["name"],
        deadline=data["deadline"], utc_offset_hours=data["utc_offset_hours"],
        contact_email=data["contact_email"], contact=data["contact"],
        plan=Document(**data["plan"]), standards=Document(**data["standards"]),
        organisation=Organisation(**data["organisation"]), award=Award(**data["award"]),
        checks=Checks(**data["checks"]), signer=Signer(**data["signer"]),
        can_cu=tuple(docs["can_cu"]), noi_nhan=tuple(docs["noi_nhan"]),
        roster=Roster(units), limits=_limits(data.get("limits", {})), mail_from=data.get("mail_from", ""),
        board_signer=Board(**data.get("board", {})), resubmit_days=data.get("resubmit_days", 3),
        source=source,
    )


def _limits(table: dict) -> Limits:
    """Limits on what an input file may make the reader do (intake/safety, intake/workers), in MB for people."""
    mb = 1024 * 1024
    default = Limits()
    return Limits(
        max_file_bytes=int(table.get("max_file_mb", default.max_file_bytes / mb) * mb),
        max_uncompressed_bytes=int(table.get("max_uncompressed_mb", default.max_uncompressed_bytes / mb) * mb),
        max_ratio=float(table.get("max_ratio", default.max_ratio)),
        max_members=int(table.get("max_members", default.max_members)),
        max_sheet_xml_bytes=int(table.get("max_sheet_mb", default.max_sheet_xml_bytes / mb) * mb),
        max_cells=int(table.get("max_cells", default.max_cells)),
        max_reader_bytes=int(table.get("max_reader_mb", default.max_reader_bytes / mb) * mb),
        max_read_seconds=float(table.get("max_read_seconds", default.max_read_seconds)),
    )
