"""The award register: one SQLite file (register.md).

The standard `sqlite3` module is enough: one file, transactions, locking between processes,
indexes; nothing here needs an ORM. Every write is one `BEGIN IMMEDIATE` transaction, so an
interrupted command leaves the file as it was and a second writer waits (then fails with a
clear message). The schema is versioned in `PRAGMA user_version` and migrated forward on open.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, replace
from pathlib import Path

from ..common.text import clean, fold
from .model import COLLECTIVE, INDIVIDUAL, Awardee, Decision, PastAward

DEFAULT_FILE = "so_khen_thuong.sqlite"
BUSY_SECONDS = 15

# Each migration takes the schema from version i to i + 1. Never edit one that has shipped: add another.
MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE decisions (
        id INTEGER PRIMARY KEY,
        number TEXT NOT NULL UNIQUE,
        date TEXT NOT NULL,
        award TEXT NOT NULL,
        year INTEGER NOT NULL,
        issuer TEXT NOT NULL DEFAULT '',
        signer_title TEXT NOT NULL DEFAULT '',
        signer_name TEXT NOT NULL DEFAULT '',
        on_behalf TEXT NOT NULL DEFAULT '',
        place TEXT NOT NULL DEFAULT '',
        campaign_id TEXT,
        campaign_name TEXT NOT NULL DEFAULT '',
        money_collective INTEGER NOT NULL DEFAULT 0,
        money_individual INTEGER NOT NULL DEFAULT 0,
        source TEXT NOT NULL DEFAULT '',
        fingerprint TEXT NOT NULL,
        recorded_at TEXT NOT NULL
    );
    CREATE TABLE awardees (
        id INTEGER PRIMARY KEY,
        decision_id INTEGER NOT NULL REFERENCES decisions(id) ON DELETE CASCADE,
        ord INTEGER NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('collective', 'individual')),
        name TEXT NOT NULL,
        name_key TEXT NOT NULL,
        gender TEXT,
        birth_year INTEGER,
        position TEXT NOT NULL DEFAULT '',
        workplace TEXT NOT NULL DEFAULT '',
        unit_id TEXT,
        unit_name TEXT NOT NULL DEFAULT '',
        summary TEXT NOT NULL DEFAULT '',
        money INTEGER NOT NULL DEFAULT 0,
        certificate_no TEXT UNIQUE,
        UNIQUE (decision_id, ord)
    );
    CREATE INDEX awardees_by_name ON awardees (kind, name_key, birth_year);
    CREATE INDEX awardees_by_unit ON awardees (unit_id);
    """,
)
SCHEMA_VERSION = len(MIGRATIONS)


class RegisterError(Exception):
    """The register cannot do what was asked; the message (Vietnamese) says why."""


class SecondAward(RegisterError):
    """The decision would award someone a second time in the same campaign and form; nothing was written."""


def name_key(name: str) -> str:
    """How names are compared: NFC, case-folded, spaces collapsed; diacritics kept."""
    return fold(name)


class Register:
    """An open register file. Use as a context manager, or call `close()`."""

    def __init__(self, path: Path, *, create: bool = True):
        self.path = Path(path)
        if not create and not self.path.exists():
            raise RegisterError(f"Chưa có sổ khen thưởng “{self.path}”. Ghi quyết định đầu tiên bằng "
                                "“thidua-batch register record” hoặc “register import”.")
        exists = self.path.exists()
        self.read_only = exists and _check_file(self.path)
        try:
            if self.read_only:      # still serves reading: list, export, the history look-up of run
                self.db = sqlite3.connect(f"{self.path.resolve().as_uri()}?mode=ro", uri=True,
                                          timeout=BUSY_SECONDS, isolation_level=None)
            else:
                self.db = sqlite3.connect(self.path, timeout=BUSY_SECONDS, isolation_level=None)
        except sqlite3.Error:
            raise RegisterError(f"Không mở được sổ khen thưởng “{self.path}”. Kiểm tra đường dẫn --register và "
                                "quyền đọc tệp.") from None
        try:
            if exists:
                self._check_whole()
            self.db.execute("PRAGMA foreign_keys = ON")
            self._migrate()
        except sqlite3.DatabaseError:
            self.db.close()
            raise RegisterError(_damaged(self.path)) from None
        except RegisterError:
            self.db.close()
            raise

    def _check_whole(self) -> None:
        """`PRAGMA quick_check`: a damaged file is refused before anything reads or writes it."""
        rows = self.db.execute("PRAGMA quick_check").fetchall()
        if rows != [("ok",)]:
            raise RegisterError(_damaged(self.path))

    def __enter__(self) -> Register:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self.db.close()

    # -- schema ------------------------------------------------------------------------
    def _migrate(self) -> None:
        version = self.db.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise RegisterError(f"Sổ khen thưởng “{self.path}” được tạo bằng phiên bản mới hơn của công cụ "
                                f"(cấu trúc {version}, công cụ này biết đến {SCHEMA_VERSION}). Đề nghị cập nhật "
                                "thidua-batch; sổ không bị thay đổi.")
        if version == SCHEMA_VERSION:
            return
        with self._write():
            version = self.db.execute("PRAGMA user_version").fetchone()[0]  # another process may have done it
            for number in range(version, SCHEMA_VERSION):
                for statement in MIGRATIONS[number].split(";"):
                    if statement.strip():
                        self.db.execute(statement)
            self.db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    @contextmanager
    def _write(self) -> Iterator[None]:
        """One write transaction; rolled back on any error, so nothing is half-recorded."""
        if self.read_only:
            raise RegisterError(_read_only(self.path))
        try:
            self.db.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            if "locked" in str(exc) or "busy" in str(exc):
                raise RegisterError(f"Sổ khen thưởng “{self.path}” đang được một lệnh khác ghi (đã chờ "
                                    f"{BUSY_SECONDS} giây). Đề nghị chạy lại sau ít phút.") from None
            raise RegisterError(_read_only(self.path)) from None
        try:
            yield
        except sqlite3.OperationalError:
            self.db.execute("ROLLBACK")
            raise RegisterError(_read_only(self.path)) from None
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        try:
            self.db.execute("COMMIT")
        except sqlite3.OperationalError:
            self.db.execute("ROLLBACK")
            raise RegisterError(_read_only(self.path)) from None

    # -- writing -----------------------------------------------------------------------
    def record(self, decision: Decision) -> bool:
        """Record a signed decision. True when recorded; False when the same decision is already in the
        register. A number already used by a different decision is an error."""
        if not decision.awardees:
            raise RegisterError(f"Quyết định số {decision.number} không có tập thể, cá nhân nào: không ghi vào sổ.")
        fingerprint = _fingerprint(decision)
        with self._write():
            row = self.db.execute("SELECT fingerprint FROM decisions WHERE number = ?",
                                  (decision.number,)).fetchone()
            if row is not None:
                if row[0] == fingerprint:
                    return False
                raise RegisterError(f"Số quyết định “{decision.number}” đã có trong sổ cho một quyết định khác. "
                                    "Kiểm tra lại số quyết định; sổ không bị thay đổi.")
            problem = self._second_awards(decision)
            if problem:
                raise SecondAward(problem)
            cursor = self.db.execute(
                "INSERT INTO decisions (number, date, award, year, issuer, signer_title, signer_name, on_behalf, "
                "place, campaign_id, campaign_name, money_collective, money_individual, source, fingerprint, "
                "recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (decision.number, decision.date.isoformat(), decision.award, decision.year, decision.issuer,
                 decision.signer_title, decision.signer_name, decision.on_behalf, decision.place,
                 decision.campaign_id, decision.campaign_name, decision.money_collective,
                 decision.money_individual, decision.source, fingerprint,
                 dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")))
            self.db.executemany(
                "INSERT INTO awardees (decision_id, ord, kind, name, name_key, gender, birth_year, position, "
                "workplace, unit_id, unit_name, summary, money) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [(cursor.lastrowid, a.order, a.kind, clean(a.name), name_key(a.name), a.gender, a.birth_year,
                  clean(a.position), clean(a.workplace), a.unit_id, clean(a.unit_name), a.summary, a.money)
                 for a in decision.awardees])
        return True

    def _second_awards(self, decision: Decision) -> str | None:
        """Why DECISION would award someone a second time in its campaign and form (papers.md, "One
        award per person per campaign"), or None. Whole decisions already recorded with the same
        awardees (the same run under another number) are named as such."""
        keys = [_awardee_key(a) for a in decision.awardees]
        inside = _repeated_inside(decision, keys)
        if inside:
            return inside
        if decision.campaign_id is None:
            return None
        earlier: dict[tuple, tuple[str, str, int]] = {}
        rows = self.db.execute(
            "SELECT d.number, d.date, d.award, a.kind, a.name_key, a.birth_year, a.name, a.ord FROM awardees a "
            "JOIN decisions d ON d.id = a.decision_id WHERE d.campaign_id = ? ORDER BY d.date, d.number, a.ord",
            (decision.campaign_id,)).fetchall()
        form = name_key(decision.award)
        for number, date, award, kind, key, birth_year, name, order in rows:
            if name_key(award) != form:
                continue
            earlier.setdefault((kind, key, birth_year if kind == INDIVIDUAL else None),
                               (number, dt.date.fromisoformat(date).strftime("%d/%m/%Y"), name))
        hits = [(a, earlier[k]) for a, k in zip(decision.awardees, keys) if k in earlier]
        if not hits:
            return None
        numbers = list(dict.fromkeys(number for _, (number, _, _) in hits))
        refused = (f"Không ghi Quyết định số {decision.number}: sổ không bị thay đổi. Trong một đợt khen thưởng "
                   f"(“{decision.campaign_name or decision.campaign_id}”), mỗi người, mỗi tập thể chỉ được tặng "
                   f"{decision.award} một lần.")
        if len(hits) == len(decision.awardees) and len(numbers) == 1:
            number, date, _ = hits[0][1]
            return (f"{refused} Danh sách này đã được ghi vào sổ theo Quyết định số {number} ngày {date} "
                    f"(cùng {len(hits)} tập thể, cá nhân). Nếu số {number} là số ghi nhầm, gỡ nó ra (trên trang: "
                    f"“Xóa khỏi sổ…” ở dòng Quyết định số {number}; bằng lệnh: “thidua-batch register remove "
                    f"--number \"{number}\"”) rồi ghi lại với số đúng.")
        lines = [f"- {_who(a)}: đã được ghi theo Quyết định số {number} ngày {date}."
                 for a, (number, date, _) in hits]
        return f"{refused} Đã có trong sổ:\n" + "\n".join(lines)

    def remove(self, number: str) -> Decision:
        """Take back a decision recorded by mistake: the decision, its awardees and their certificate
        numbers, in one transaction. Returns what was removed; RegisterError for an unknown number."""
        decision = self.decision(number)
        if decision is None:
            raise RegisterError(f"Không có quyết định số “{clean(number)}” trong sổ khen thưởng “{self.path}”; "
                                "không gỡ gì. Xem các số đã ghi bằng “thidua-batch register list”.")
        with self._write():
            self.db.execute("DELETE FROM decisions WHERE number = ?", (decision.number,))
        return decision

    def assign_certificate_numbers(self, number: str) -> Decision:
        """Give every awardee of the decision without a certificate number the next one, in annex order
        ("BK-2020-0007"; "CTĐ-…" for a flag). Numbers once given never change."""
        with self.numbering(number) as decision:
            return decision

    @contextmanager
    def numbering(self, number: str) -> Iterator[Decision]:
        """The decision with its certificate numbers given, inside one write transaction: the numbers
        are kept only if the body (writing the PDF) succeeds; on any error the register is as it was."""
        decision = self.decision(number)
        if decision is None:
            raise RegisterError(f"Không có quyết định số “{number}” trong sổ khen thưởng.")
        prefix = f"{'CTĐ' if decision.is_flag else 'BK'}-{decision.year}-"
        with self._write():
            used = self.db.execute("SELECT certificate_no FROM awardees WHERE certificate_no LIKE ?",
                                   (prefix + "%",)).fetchall()
            next_no = max((int(r[0][len(prefix):]) for r in used), default=0) + 1
            rows = self.db.execute(
                "SELECT a.id FROM awardees a JOIN decisions d ON d.id = a.decision_id "
                "WHERE d.number = ? AND a.certificate_no IS NULL ORDER BY a.ord", (number,)).fetchall()
            for (awardee_id,) in rows:
                self.db.execute("UPDATE awardees SET certificate_no = ? WHERE id = ?",
                                (f"{prefix}{next_no:04d}", awardee_id))
                next_no += 1
            yield self.decision(number)

    # -- reading -----------------------------------------------------------------------
    def decision(self, number: str) -> Decision | None:
        row = self.db.execute(f"SELECT {_DECISION_COLUMNS}, id FROM decisions WHERE number = ?",
                              (clean(number),)).fetchone()
        return None if row is None else self._decision(row)

    def decisions(self, year: int | None = None) -> list[Decision]:
        where, args = ("WHERE year = ?", (year,)) if year is not None else ("", ())
        rows = self.db.execute(f"SELECT {_DECISION_COLUMNS}, id FROM decisions {where} ORDER BY date, number",
                               args).fetchall()
        return [self._decision(row) for row in rows]

    def _decision(self, row: tuple) -> Decision:
        *values, decision_id = row
        fields = dict(zip(_DECISION_FIELDS, values))
        fields["date"] = dt.date.fromisoformat(fields["date"])
        awardees = tuple(Awardee(**dict(zip(_AWARDEE_FIELDS, r))) for r in self.db.execute(
            f"SELECT {_AWARDEE_COLUMNS} FROM awardees WHERE decision_id = ? ORDER BY ord", (decision_id,)))
        return Decision(**fields, awardees=awardees)

    def search(self, *, name: str | None = None, unit: str | None = None,
               year: int | None = None) -> list[tuple[Decision, Awardee]]:
        """Awardees matching every filter given (name compared like labels), oldest decision first."""
        clauses, args = [], []
        if name:
            clauses.append("a.name_key LIKE ?")
            args.append(f"%{name_key(name)}%")
        if unit:
            clauses.append("a.unit_id = ?")
            args.append(unit)
        if year is not None:
            clauses.append("d.year = ?")
            args.append(year)
        where = ("WHERE " + " AND ".join(clauses)) if clauses else ""
        rows = self.db.execute(f"SELECT d.number, {', '.join('a.' + c for c in _AWARDEE_SQL)} FROM awardees a "
                               f"JOIN decisions d ON d.id = a.decision_id {where} ORDER BY d.date, d.number, a.ord",
                               args).fetchall()
        decisions: dict[str, Decision] = {}
        found = []
        for number, *values in rows:
            decisions.setdefault(number, self.decision(number))
            found.append((decisions[number], Awardee(**dict(zip(_AWARDEE_FIELDS, values)))))
        return found

    def history(self, people: Iterable[tuple[str, str, int | None]]) -> dict[tuple[str, str, int | None],
                                                                              list[PastAward]]:
        """Earlier awards of each (kind, name, birth year): a person by name and year of birth, a collective
        by name. One indexed query per distinct key."""
        found: dict[tuple[str, str, int | None], list[PastAward]] = {}
        query = ("SELECT d.award, d.number, d.date, d.year, a.name, a.unit_name, d.campaign_id FROM awardees a "
                 "JOIN decisions d ON d.id = a.decision_id WHERE a.kind = ? AND a.name_key = ? ")
        for key in dict.fromkeys(people):
            kind, name, birth_year = key
            if kind == INDIVIDUAL:
                if birth_year is None:
                    continue
                rows = self.db.execute(query + "AND a.birth_year = ? ORDER BY d.date", (kind, name_key(name),
                                                                                         birth_year))
            else:
                rows = self.db.execute(query + "ORDER BY d.date", (COLLECTIVE, name_key(name)))
            past = [PastAward(award, number, dt.date.fromisoformat(date), year, who, unit, campaign)
                    for award, number, date, year, who, unit, campaign in rows]
            if past:
                found[key] = past
        return found


_DECISION_FIELDS = ("number", "date", "award", "year", "issuer", "signer_title", "signer_name", "on_behalf", "place",
                    "campaign_id", "campaign_name", "money_collective", "money_individual", "source")
_DECISION_COLUMNS = ", ".join(_DECISION_FIELDS)
_AWARDEE_FIELDS = ("order", "kind", "name", "gender", "birth_year", "position", "workplace", "unit_id", "unit_name",
                   "summary", "money", "certificate_no")
_AWARDEE_SQL = tuple("ord" if f == "order" else f for f in _AWARDEE_FIELDS)
_AWARDEE_COLUMNS = ", ".join(_AWARDEE_SQL)


def _awardee_key(a: Awardee) -> tuple:
    """Who an awardee is: a person by name and year of birth, a collective by name (as `history`)."""
    return a.kind, name_key(a.name), a.birth_year if a.kind == INDIVIDUAL else None


def _who(a: Awardee) -> str:
    if a.kind == COLLECTIVE:
        return f"Tập thể {clean(a.name)}"
    return f"{clean(a.name)}" + (f" (sinh năm {a.birth_year})" if a.birth_year else "")


def _repeated_inside(decision: Decision, keys: list[tuple]) -> str | None:
    first: dict[tuple, Awardee] = {}
    lines = []
    for a, k in zip(decision.awardees, keys):
        if k in first:
            lines.append(f"- {_who(a)}: có ở số thứ tự {first[k].order} và {a.order}.")
        else:
            first[k] = a
    if not lines:
        return None
    return (f"Không ghi Quyết định số {decision.number}: danh sách tặng {decision.award} có người, tập thể "
            "được ghi hai lần; sổ không bị thay đổi.\n" + "\n".join(lines))


def _fingerprint(decision: Decision) -> str:
    """What makes two recordings "the same decision": everything but where it came from."""
    data = asdict(replace(decision, source=""))
    data["awardees"] = [{k: v for k, v in a.items() if k != "certificate_no"} for a in data["awardees"]]
    return hashlib.sha256(json.dumps(data, default=str, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


SQLITE_HEADER = b"SQLite format 3\x00"


def _check_file(path: Path) -> bool:
    """Refuse what is not a register before SQLite opens it; True when the file cannot be written."""
    if path.is_dir():
        raise RegisterError(f"“{path}” là một thư mục, không phải tệp sổ khen thưởng. Kiểm tra đường dẫn --register.")
    try:
        with path.open("rb") as handle:
            head = handle.read(len(SQLITE_HEADER))
    except OSError:
        raise RegisterError(f"Không đọc được sổ khen thưởng “{path}”: không có quyền đọc, hoặc tệp đang bị chương "
                            "trình khác khóa.") from None
    if head and head != SQLITE_HEADER:
        raise RegisterError(f"Tệp “{path}” không phải sổ khen thưởng (không phải tệp SQLite). Kiểm tra đường dẫn "
                            "--register; tệp không bị thay đổi.")
    try:
        with path.open("r+b"):
            return False
    except OSError:
        return True


def _damaged(path: Path) -> str:
    return (f"Sổ khen thưởng “{path}” bị hỏng (kiểm tra toàn vẹn của SQLite không đạt): không đọc, không ghi gì vào "
            "sổ. Thay tệp bằng bản sao lưu gần nhất rồi chạy lại; giữ lại tệp hỏng để kiểm tra.")


def _read_only(path: Path) -> str:
    return (f"Sổ khen thưởng “{path}” chỉ đọc được, không ghi được (tệp hoặc thư mục đặt “Chỉ đọc”/Read-only, hoặc "
            "không có quyền ghi): sổ không bị thay đổi. Bỏ dấu Read-only trong Properties của tệp, hoặc chép sổ vào "
            "thư mục ghi được, rồi chạy lại. Tra cứu (register list, export) vẫn dùng được.")


def open_register(path: str | Path | None = None, *, create: bool = True) -> Register:
    return Register(Path(path) if path else Path(DEFAULT_FILE), create=create)
