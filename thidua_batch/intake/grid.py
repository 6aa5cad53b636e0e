"""A table as the list reader sees it, wherever it came from: a worksheet or a Word table.

One table reader (`tables.py`) reads every `Grid` the same way, so a list typed in Excel,
in the template, or in a Word table attached to a tờ trình gives the same nominations.
"""
from __future__ import annotations

from dataclasses import dataclass, field


def column_letter(index: int) -> str:
    """0 → "A", 26 → "AA"."""
    if 0 <= index < _KNOWN:
        return _LETTERS[index]
    return _letters(index)


def _letters(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


_KNOWN = 702   # A … ZZ
_LETTERS = [_letters(i) for i in range(_KNOWN)]


def ref(row: int, col: int) -> str:
    """0-based row and column to an A1 reference."""
    if 0 <= col < _KNOWN:
        return f"{_LETTERS[col]}{row + 1}"
    return f"{_letters(col)}{row + 1}"


@dataclass(frozen=True)
class Merge:
    """A merged area, 0-based and inclusive; its value sits in its first cell."""

    first_row: int
    first_col: int
    last_row: int
    last_col: int

    @property
    def vertical(self) -> bool:
        return self.last_row > self.first_row

    def __contains__(self, cell: tuple[int, int]) -> bool:
        row, col = cell
        return self.first_row <= row <= self.last_row and self.first_col <= col <= self.last_col

    @property
    def text(self) -> str:
        return f"{ref(self.first_row, self.first_col)}:{ref(self.last_row, self.last_col)}"


@dataclass
class Grid:
    """Rows of cell values from the top-left cell (A1): text, numbers, dates, "" when empty.

    A Word table is laid on the same grid: its row i, grid column j is `ref(i, j)`, so a
    finding names "Bảng 2!C5" as it names "Cá nhân!C5" in a workbook.
    """

    name: str                                       # sheet name as found, or "Bảng 2" for a Word table
    rows: list[list[object]]
    merges: list[Merge] = field(default_factory=list)
    hidden_rows: frozenset[int] = frozenset()       # 0-based
    hidden_cols: frozenset[int] = frozenset()       # 0-based
    formulas: dict[str, str | None] = field(default_factory=dict)  # A1 → error text, or None: no cached value
    hidden: bool = False                            # a hidden sheet

    def value(self, row: int, col: int) -> object:
        if row < len(self.rows) and col < len(self.rows[row]):
            return self.rows[row][col]
        return ""

    @property
    def height(self) -> int:
        rows = [int("".join(ch for ch in at if ch.isdigit())) for at in self.formulas]
        return max([len(self.rows), *rows])

    def merge_at(self, row: int, col: int) -> Merge | None:
        for merge in self.merges:
            if (row, col) in merge:
                return merge
        return None
