"""The conference file (conference.md, "Inputs"): one TOML file describes the year-end conference.

`conference template` writes a filled example for plan 203 (`data/hoi_nghi.toml`). A file that
does not follow the format raises `ConferenceError` naming the key and its line; nothing is
written then.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from ..common.text import clean, strip_diacritics
# The campaign file's key locator (tomllib keeps no positions): the same messages, key and line.
from ..common import tomlfile
from ..config.campaign import Campaign, Signer, _Locator

__all__ = ["AgendaItem", "BudgetLine", "Conference", "ConferenceError", "Khoi", "QUANTITY_NAMES", "group_variable",
           "load_conference", "parse_conference", "example_text", "AWARDS", "DISCUSSION", "PLEDGES"]

EXAMPLE_FILE = "hoi_nghi.toml"
# Agenda items the tool expands in the MC script (agenda[].kind).
AWARDS, DISCUSSION, PLEDGES = "khen_thuong", "tham_luan", "giao_uoc"
KINDS = ("", AWARDS, DISCUSSION, PLEDGES)

# Names a budget quantity may use; each is a cell of the budget's "Số liệu" sheet.
QUANTITY_NAMES = {
    "so_dai_bieu": "Tổng số đại biểu được mời",
    "so_giay_moi": "Số giấy mời",
    "so_o_xa": "Số đại biểu ở xa cần bố trí nơi nghỉ",
    "so_tap_the": "Số tập thể được khen thưởng",
    "so_ca_nhan": "Số cá nhân được khen thưởng",
    "so_bang_khen": "Số bằng khen, bằng lao động sáng tạo trao tại hội nghị",
    "so_co_thi_dua": "Số cờ thi đua trao tại hội nghị",
    "so_quyet_dinh": "Số quyết định công bố",
    "so_khoi": "Số khối thi đua ký giao ước",
    "so_tham_luan": "Số tham luận",
}


class ConferenceError(Exception):
    """The conference file cannot be used; the message (Vietnamese) names the key and line."""


@dataclass(frozen=True)
class AgendaItem:
    time: str
    item: str
    presenter: str          # who does it ("Đồng chí Chủ tịch LĐLĐ tỉnh")
    introducer: str         # who introduces it (the MC)
    kind: str = ""          # AWARDS, DISCUSSION, PLEDGES: expanded in the MC script


@dataclass(frozen=True)
class Khoi:
    id: str
    name: str
    members: tuple[str, ...]   # roster unit ids
    truong_khoi: str
    pho_khoi: str


@dataclass(frozen=True)
class BudgetLine:
    item: str
    unit: str
    quantity: str           # a number or an expression of QUANTITY_NAMES / group variables, as written
    price: int
    basis: str              # căn cứ pháp lý
    note: str = ""


@dataclass(frozen=True)
class IssuerInfo:
    parent: str             # "TỔNG LĐLĐ VIỆT NAM"
    name: str               # "LIÊN ĐOÀN LAO ĐỘNG TỈNH LAI CHÂU"
    place: str              # "Lai Châu"
    authority: str          # "Ban Thường vụ Liên đoàn Lao động tỉnh Lai Châu"
    invitation_symbol: str  # "GM-LĐLĐ"


@dataclass(frozen=True)
class Conference:
    name: str
    year: int
    date: dt.date
    start: dt.time
    duration: str               # as the file says ("" when not given); the papers use the agenda's
    venue: str
    chair: str
    plan_number: str
    plan_date: dt.date
    plan_title: str
    window_start: dt.date | None
    window_end: dt.date | None
    issuer: IssuerInfo
    signer: Signer
    invitation_date: dt.date | None
    invitation_notes: tuple[str, ...]
    far_note: str
    invitation_noi_nhan: tuple[str, ...]
    mc: str
    decision_reader: str
    presenters: tuple[str, ...]
    batch_size: int
    award_order: tuple[str, ...]
    add_honoured: bool
    honoured_group: str
    groups: tuple[str, ...]
    far_units: tuple[str, ...]
    discussion_units: tuple[str, ...]
    agenda: tuple[AgendaItem, ...]
    khoi: tuple[Khoi, ...]
    pledge_year: int
    pledge_can_cu: tuple[str, ...]
    pledges: tuple[str, ...]
    budget_title: str
    budget: tuple[BudgetLine, ...]
    source: str = ""
    talk_minutes: int = 10      # each tham luận at most this long


def group_variable(group: str) -> str:
    """A group's count as a budget quantity name: "Điển hình tiên tiến" → "nhom_dien_hinh_tien_tien"."""
    return "nhom_" + re.sub(r"[^a-z0-9]+", "_", strip_diacritics(group).lower()).strip("_")


# ---------------------------------------------------------------- the format

_STR, _INT, _DATE, _BOOL, _STRS, _NUMSTR = str, int, dt.date, bool, "list[str]", "number-or-text"
_SCHEMA: dict[str, dict[str, object]] = {
    "": {"name": _STR, "year": _INT, "date": _DATE, "start": _STR, "duration": _STR, "venue": _STR, "chair": _STR,
         "plan": dict, "organisation": dict, "signer": dict, "invitation": dict, "ceremony": dict, "delegates": dict,
         "agenda": list, "khoi": list, "giao_uoc": dict, "budget": dict, "budget_lines": list},
    "plan": {"number": _STR, "date": _DATE, "title": _STR, "window_start": _DATE, "window_end": _DATE},
    "organisation": {"parent": _STR, "name": _STR, "place": _STR, "authority": _STR, "invitation_symbol": _STR},
    "signer": {"on_behalf": _STR, "title": _STR, "name": _STR},
    "invitation": {"date": _DATE, "notes": _STRS, "far_note": _STR, "noi_nhan": _STRS},
    "ceremony": {"mc": _STR, "decision_reader": _STR, "presenters": _STRS, "batch_size": _INT,
                 "award_order": _STRS, "add_honoured": _BOOL, "honoured_group": _STR, "talk_minutes": _INT},
    "delegates": {"groups": _STRS, "far_units": _STRS, "discussion_units": _STRS},
    "agenda": {"time": _STR, "item": _STR, "presenter": _STR, "introducer": _STR, "kind": _STR},
    "khoi": {"id": _STR, "name": _STR, "members": _STRS, "truong_khoi": _STR, "pho_khoi": _STR},
    "giao_uoc": {"year": _INT, "can_cu": _STRS, "contents": _STRS},
    "budget": {"title": _STR},
    "budget_lines": {"item": _STR, "unit": _STR, "quantity": _NUMSTR, "price": _INT, "basis": _STR, "note": _STR},
}
_OPTIONAL = {("", "duration"), ("ceremony", "talk_minutes"), ("plan", "window_start"), ("plan", "window_end"), ("invitation", "date"), ("invitation", "far_note"),
             ("agenda", "kind"), ("agenda", "introducer"), ("agenda", "presenter"), ("budget_lines", "note"), ("delegates", "far_units"),
             ("delegates", "discussion_units"), ("giao_uoc", "can_cu")}
_TYPE_WORDS = {_STR: "chuỗi chữ", _INT: "số nguyên", _DATE: "ngày (YYYY-MM-DD)", _BOOL: "true/false",
               _STRS: "danh sách chuỗi chữ", dict: "bảng", list: "danh sách bảng",
               _NUMSTR: "số hoặc công thức (ví dụ so_dai_bieu hoặc \"so_o_xa * 2\")"}
_SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
_TIME = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")
_TOKEN = re.compile(r"\s*(?:(\d+(?:\.\d+)?)|([a-z_][a-z0-9_]*)|([-+*/()]))")


class _Fail:
    def __init__(self, text: str, source: str):
        self.locate = _Locator(text, source)
        self.source = source

    def __call__(self, table: str, key: str, problem: str, index: int | None = None) -> ConferenceError:
        where = (f"[{table}]" + (f" thứ {index + 1}" if index is not None else "")) if table else "gốc"
        line = self.locate.line_of(table, key, index)
        at = f", dòng {line}" if line else ""
        return ConferenceError(f"Tệp hội nghị {self.source}: khóa “{key}” (bảng {where}{at}): {problem}")


def example_text() -> str:
    """The filled example of plan 203, as shipped."""
    return resources.files("thidua_batch").joinpath(f"conference/data/{EXAMPLE_FILE}").read_text("utf-8")


def load_conference(path: str | Path, campaign: Campaign | None = None) -> Conference:
    """The conference in PATH; with a campaign, the khối's unit ids are checked against its roster."""
    p = Path(path)
    try:
        text = tomlfile.read(p, "hội nghị")
    except tomlfile.TomlFileError as exc:
        raise ConferenceError(str(exc)) from None
    return parse_conference(text, str(p), campaign)


def parse_conference(text: str, source: str, campaign: Campaign | None = None) -> Conference:
    try:
        data = tomlfile.parse(text, source, "hội nghị")
    except tomlfile.TomlFileError as exc:
        raise ConferenceError(str(exc)) from None
    text = text.removeprefix("\ufeff")
    fail = _Fail(text, source)
    _validate(data, fail, campaign)
    return _build(data, source)


def _check_table(table: object, name: str, fail: _Fail, index: int | None) -> None:
    if not isinstance(table, dict):
        raise fail(name, name, "phải là một bảng", index)
    spec = _SCHEMA[name]
    for key, value in table.items():
        if key not in spec:
            raise fail(name, key, f"khóa không có trong định dạng (các khóa hợp lệ: {', '.join(spec)})", index)
        if not _is_type(value, spec[key]):
            raise fail(name, key, f"phải là {_TYPE_WORDS[spec[key]]}", index)
        if spec[key] is _STR and not clean(value) and (name, key) not in _OPTIONAL:
            raise fail(name, key, "không được để trống", index)
    for key in spec:
        if key not in table and (name, key) not in _OPTIONAL:
            raise fail(name, key, "bị thiếu", index)


def _is_type(value: object, kind: object) -> bool:
    if kind == _STRS:
        return isinstance(value, list) and all(isinstance(v, str) for v in value)
    if kind == _NUMSTR:
        return isinstance(value, (int, float, str)) and not isinstance(value, bool)
    if kind is _INT:
        return isinstance(value, int) and not isinstance(value, bool)
    if kind is _DATE:
        return isinstance(value, dt.date) and not isinstance(value, dt.datetime)
    return isinstance(value, kind)  # type: ignore[arg-type]


def _validate(data: dict, fail: _Fail, campaign: Campaign | None) -> None:
    _check_table(data, "", fail, None)
    for name, kind in _SCHEMA[""].items():
        if kind is dict:
            _check_table(data[name], name, fail, None)
        elif kind is list:
            for i, item in enumerate(data[name]):
                _check_table(item, name, fail, i)
    if not _TIME.match(data["start"]):
        raise fail("", "start", f"giờ bắt đầu “{data['start']}” phải ghi dạng GIỜ:PHÚT, ví dụ \"07:30\"")
    plan = data["plan"]
    lo, hi = plan.get("window_start"), plan.get("window_end")
    if lo and hi and lo > hi:
        raise fail("plan", "window_end", "ngày kết thúc dự kiến phải sau ngày bắt đầu")
    if (lo and data["date"] < lo) or (hi and data["date"] > hi):
        window = f"từ {lo:%d/%m/%Y}" if lo else ""
        window += f" đến {hi:%d/%m/%Y}" if hi else ""
        raise fail("", "date", f"ngày họp {data['date']:%d/%m/%Y} nằm ngoài thời gian dự kiến của kế hoạch "
                               f"({window.strip()})")
    if data["date"].year not in (data["year"], data["year"] + 1):
        raise fail("", "date", f"ngày họp phải thuộc năm {data['year']} hoặc đầu năm sau")
    ceremony = data["ceremony"]
    if ceremony.get("talk_minutes", 10) < 1:
        raise fail("ceremony", "talk_minutes", "số phút mỗi tham luận phải từ 1 trở lên")
    if ceremony["batch_size"] < 1:
        raise fail("ceremony", "batch_size", "số người mỗi lượt lên nhận khen thưởng phải từ 1 trở lên")
    if not ceremony["presenters"] or not all(clean(p) for p in ceremony["presenters"]):
        raise fail("ceremony", "presenters", "phải có ít nhất một lãnh đạo trao khen thưởng, không để trống tên")
    groups = [clean(g) for g in data["delegates"]["groups"]]
    if not groups or not all(groups):
        raise fail("delegates", "groups", "phải có ít nhất một nhóm đại biểu, không để trống tên nhóm")
    if len(set(map(str.casefold, groups))) != len(groups):
        raise fail("delegates", "groups", "tên nhóm đại biểu bị trùng")
    if clean(ceremony["honoured_group"]).casefold() not in {g.casefold() for g in groups}:
        raise fail("ceremony", "honoured_group", f"nhóm “{ceremony['honoured_group']}” không có trong "
                                                 "[delegates] groups")
    units = {u.id for u in campaign.roster} if campaign else None
    for key in ("far_units", "discussion_units"):
        for unit in data["delegates"].get(key, []):
            if units is not None and unit not in units:
                raise fail("delegates", key, _unknown_unit(unit, units))
    if not data["agenda"]:
        raise fail("", "agenda", "phải có ít nhất một mục [[agenda]]")
    for i, item in enumerate(data["agenda"]):
        if item.get("kind", "") not in KINDS:
            raise fail("agenda", "kind", f"“{item['kind']}” không hợp lệ; dùng một trong: "
                                         f"{', '.join(k for k in KINDS if k)} (hoặc bỏ trống)", i)
    _validate_khoi(data["khoi"], fail, units)
    _validate_budget(data, fail, groups)


def _unknown_unit(unit: str, units: set[str]) -> str:
    return f"mã đơn vị “{unit}” không có trong danh sách đơn vị (các mã hợp lệ: {', '.join(sorted(units))})"


def _validate_khoi(khoi: list[dict], fail: _Fail, units: set[str] | None) -> None:
    seen: set[str] = set()
    owner: dict[str, str] = {}
    for i, k in enumerate(khoi):
        if not _SLUG.match(k["id"]):
            raise fail("khoi", "id", f"“{k['id']}” phải gồm chữ thường không dấu, số và dấu gạch ngang", i)
        if k["id"] in seen:
            raise fail("khoi", "id", f"mã khối “{k['id']}” bị trùng", i)
        seen.add(k["id"])
        if len(k["members"]) < 2:
            raise fail("khoi", "members", "một khối thi đua phải có ít nhất hai đơn vị", i)
        for unit in k["members"]:
            if units is not None and unit not in units:
                raise fail("khoi", "members", _unknown_unit(unit, units), i)
            if unit in owner:
                raise fail("khoi", "members", f"đơn vị “{unit}” đã thuộc khối “{owner[unit]}”", i)
            owner[unit] = k["id"]
        for key in ("truong_khoi", "pho_khoi"):
            if k[key] not in k["members"]:
                raise fail("khoi", key, f"“{k[key]}” phải là một đơn vị trong members của khối", i)
        if k["truong_khoi"] == k["pho_khoi"]:
            raise fail("khoi", "pho_khoi", "phó khối phải khác trưởng khối", i)


def quantity_names(groups) -> set[str]:
    return set(QUANTITY_NAMES) | {group_variable(g) for g in groups}


def parse_quantity(expression: str, names: set[str]) -> list[tuple[str, str]]:
    """Tokens of a quantity: ("num", "2"), ("name", "so_o_xa"), ("op", "*"); ValueError (Vietnamese)."""
    tokens, pos, depth = [], 0, 0
    text = expression.strip()
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if not m or m.end() == pos:
            raise ValueError(f"không hiểu “{text[pos:]}” trong công thức “{text}”")
        number, name, op = m.groups()
        if name is not None and name not in names:
            raise ValueError(f"không có số liệu tên “{name}” (dùng: {', '.join(sorted(names))})")
        if op == "(":
            depth += 1
        elif op == ")":
            depth -= 1
            if depth < 0:
                raise ValueError(f"thừa dấu “)” trong “{text}”")
        tokens.append(("num", number) if number else ("name", name) if name else ("op", op))
        pos = m.end()
    if not tokens or depth:
        raise ValueError(f"công thức “{text}” chưa đủ")
    for (kind_a, a), (kind_b, b) in zip(tokens, tokens[1:]):
        if kind_a != "op" and kind_b != "op" or (kind_a == kind_b == "op" and a not in "()" and b not in "()-"):
            raise ValueError(f"công thức “{text}” viết sai")
    if tokens[-1][0] == "op" and tokens[-1][1] != ")":
        raise ValueError(f"công thức “{text}” chưa đủ")
    return tokens


def _validate_budget(data: dict, fail: _Fail, groups: list[str]) -> None:
    names = quantity_names(groups)
    for i, line in enumerate(data["budget_lines"]):
        quantity = line["quantity"]
        if isinstance(quantity, str):
            try:
                parse_quantity(quantity, names)
            except ValueError as exc:
                raise fail("budget_lines", "quantity", str(exc), i) from None
        elif quantity < 0:
            raise fail("budget_lines", "quantity", "số lượng không được âm", i)
        if line["price"] < 0:
            raise fail("budget_lines", "price", "đơn giá không được âm", i)


def _build(data: dict, source: str) -> Conference:
    plan, inv, cer, dlg, gu = (data[k] for k in ("plan", "invitation", "ceremony", "delegates", "giao_uoc"))
    hour, minute = map(int, data["start"].split(":"))
    cl = lambda items: tuple(clean(x) for x in items if clean(x))  # noqa: E731
    return Conference(
        name=clean(data["name"]), year=data["year"], date=data["date"], start=dt.time(hour, minute),
        duration=clean(data.get("duration", "")), venue=clean(data["venue"]), chair=clean(data["chair"]),
        plan_number=clean(plan["number"]), plan_date=plan["date"], plan_title=clean(plan["title"]),
        window_start=plan.get("window_start"), window_end=plan.get("window_end"),
        issuer=IssuerInfo(**{k: clean(v) for k, v in data["organisation"].items()}),
        signer=Signer(**{k: clean(v) for k, v in data["signer"].items()}),
        invitation_date=inv.get("date"), invitation_notes=cl(inv["notes"]), far_note=clean(inv.get("far_note", "")),
        invitation_noi_nhan=cl(inv["noi_nhan"]),
        mc=clean(cer["mc"]), decision_reader=clean(cer["decision_reader"]), presenters=cl(cer["presenters"]),
        batch_size=cer["batch_size"], talk_minutes=cer.get("talk_minutes", 10), award_order=cl(cer["award_order"]), add_honoured=cer["add_honoured"],
        honoured_group=next(g for g in cl(dlg["groups"]) if g.casefold() == clean(cer["honoured_group"]).casefold()),
        groups=cl(dlg["groups"]), far_units=tuple(dlg.get("far_units", ())),
        discussion_units=tuple(dlg.get("discussion_units", ())),
        agenda=tuple(AgendaItem(time=clean(a["time"]), item=clean(a["item"]), presenter=clean(a.get("presenter", "")),
                                introducer=clean(a.get("introducer", "")), kind=a.get("kind", ""))
                     for a in data["agenda"]),
        khoi=tuple(Khoi(id=k["id"], name=clean(k["name"]), members=tuple(k["members"]),
                        truong_khoi=k["truong_khoi"], pho_khoi=k["pho_khoi"]) for k in data["khoi"]),
        pledge_year=gu["year"], pledge_can_cu=cl(gu.get("can_cu", ())), pledges=cl(gu["contents"]),
        budget_title=clean(data["budget"]["title"]),
        budget=tuple(BudgetLine(item=clean(b["item"]), unit=clean(b["unit"]),
                                quantity=b["quantity"].strip() if isinstance(b["quantity"], str) else str(b["quantity"]),
                                price=b["price"], basis=clean(b["basis"]), note=clean(b.get("note", "")))
                     for b in data["budget_lines"]),
        source=source,
    )
