"""Just enough of a compound file ([MS-CFB]: OLE2, the container of .xls, .doc and of OOXML
files encrypted with a password) to list its streams and read one, every chain bounded by the
file's size. Written here rather than adding a dependency; olefile would do the same job."""
from __future__ import annotations

import struct
from collections.abc import Iterator
from dataclasses import dataclass

FREESECT, ENDOFCHAIN, _FATSECT, _DIFSECT = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFC
MAXREGSECT = 0xFFFFFFFA


class Truncated(Exception):
    """A sector lies past the end of the file: the file was cut short."""


class CompoundFileError(Exception):
    """The structure is not a valid compound file."""


@dataclass(frozen=True)
class Entry:
    name: str
    kind: int  # 1 storage, 2 stream, 5 root
    start: int
    size: int


class CompoundFile:
    """Just enough of [MS-CFB] to list streams and read the start of one."""

    def __init__(self, data: bytes):
        self.data = data
        if len(data) < 512:
            raise Truncated
        major, byte_order, sector_shift, mini_shift = struct.unpack_from("<HHHH", data, 0x1A)
        if byte_order != 0xFFFE or sector_shift not in (9, 12) or mini_shift != 6:
            raise CompoundFileError("header")
        self.sector_size = 1 << sector_shift
        (n_fat, first_dir, _txn, self.mini_cutoff, first_minifat, _n_minifat, first_difat, _n_difat) = (
            struct.unpack_from("<IIIIIIII", data, 0x2C)
        )
        self.n_sectors = max(0, len(data) // self.sector_size - 1)
        if n_fat > self.n_sectors + 1:
            raise CompoundFileError("FAT size")
        self.fat = self._read_fat(data, n_fat, first_difat)
        self.entries = self._read_directory(first_dir, major)
        root = self.entries[0] if self.entries else None
        if root is None or root.kind != 5:
            raise CompoundFileError("root entry")
        self.minifat = self._ints(self._read_chain(first_minifat)) if first_minifat < MAXREGSECT else []
        self.root = root

    def _sector(self, index: int) -> bytes:
        if index >= MAXREGSECT:
            raise CompoundFileError("sector id")
        offset = (index + 1) * self.sector_size
        if offset + self.sector_size > len(self.data):
            raise Truncated
        return self.data[offset : offset + self.sector_size]

    @staticmethod
    def _ints(block: bytes) -> list[int]:
        return list(struct.unpack(f"<{len(block) // 4}I", block[: len(block) // 4 * 4]))

    def _read_fat(self, data: bytes, n_fat: int, first_difat: int) -> list[int]:
        difat = list(struct.unpack_from("<109I", data, 0x4C))
        seen: set[int] = set()
        sector = first_difat
        while sector < MAXREGSECT:
            if sector in seen or len(seen) > self.n_sectors:
                raise CompoundFileError("DIFAT loop")
            seen.add(sector)
            values = self._ints(self._sector(sector))
            difat.extend(values[:-1])
            sector = values[-1]
        fat_sectors = [s for s in difat if s < MAXREGSECT][:n_fat]
        fat: list[int] = []
        for sector in fat_sectors:
            fat.extend(self._ints(self._sector(sector)))
        return fat

    def _chain(self, start: int, table: list[int]) -> Iterator[int]:
        seen: set[int] = set()
        sector = start
        while sector < MAXREGSECT:
            if sector in seen or sector >= len(table):
                raise CompoundFileError("sector chain")
            seen.add(sector)
            yield sector
            sector = table[sector]
        if sector not in (ENDOFCHAIN, FREESECT):
            raise CompoundFileError("sector chain end")

    def _read_chain(self, start: int, limit: int | None = None) -> bytes:
        out = bytearray()
        for sector in self._chain(start, self.fat):
            out += self._sector(sector)
            if limit is not None and len(out) >= limit:
                break
        return bytes(out)

    def _read_directory(self, first_dir: int, major: int) -> list[Entry]:
        raw = self._read_chain(first_dir)
        entries = []
        for pos in range(0, len(raw) - 127, 128):
            name_len = struct.unpack_from("<H", raw, pos + 0x40)[0]
            kind = raw[pos + 0x42]
            start, size = struct.unpack_from("<IQ", raw, pos + 0x74)
            if major == 3:
                size &= 0xFFFFFFFF  # version 3 files may leave garbage in the high half
            name = raw[pos : pos + min(max(name_len - 2, 0), 62)].decode("utf-16-le", errors="replace")
            entries.append(Entry(name, kind, start, size))
        return entries

    def stream(self, name: str) -> Entry | None:
        wanted = name.lower()
        return next((e for e in self.entries if e.kind == 2 and e.name.lower() == wanted), None)

    def names(self) -> set[str]:
        return {e.name.lower() for e in self.entries if e.kind in (1, 2)}

    def read(self, entry: Entry, limit: int) -> bytes:
        """The first `limit` bytes of a stream."""
        want = min(entry.size, limit)
        if entry.size < self.mini_cutoff:
            mini = self._read_chain(self.root.start, limit=None) if self.root.size else b""
            out = bytearray()
            for sector in self._chain(entry.start, self.minifat):
                piece = mini[sector * 64 : sector * 64 + 64]
                if len(piece) < 64:
                    raise Truncated
                out += piece
                if len(out) >= want:
                    break
            return bytes(out[:want])
        return self._read_chain(entry.start, limit=want)[:want]
