"""Limits on an input file, settable in the campaign's [limits] table (intake/safety applies the
file's own, intake/workers the reading process's)."""
from __future__ import annotations

from dataclasses import dataclass

MiB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    max_file_bytes: int = 50 * MiB
    max_uncompressed_bytes: int = 300 * MiB  # sum over zip members
    max_ratio: float = 150.0  # per member, uncompressed/compressed, for members over 1 MiB uncompressed
    max_members: int = 10_000
    max_sheet_xml_bytes: int = 150 * MiB  # a sheet bigger than this is rejected for size
    max_cells: int = 1_000_000  # rows × columns from A1 to a sheet's farthest cell with content
    max_reader_bytes: int = 2048 * MiB  # address space of one reading process (where the system caps it)
    max_read_seconds: float = 120.0  # time one file may take to read and check before it is given up
