"""Limits on an input file, settable in the campaign's [limits] table (safety.py applies them)."""
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
