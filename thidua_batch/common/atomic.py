"""Outputs are written so that the files on disk always belong to one run (outputs.md, reliability.md).

`atomic_path` writes one file under a temporary name beside it and renames it into place.
`OutputSet` does the same for a whole set: every file is written into a temporary folder
inside the target folder, and the set takes its places only when all of it is written; if any
target cannot be replaced (a draft open in Word, the workbook open in Excel, a folder where a
file should be), nothing is replaced and `OutputBlocked` names the file. On Windows a file open
in Word or Excel cannot be renamed, which is exactly the step that moves an old file aside, so
the check is the operation itself and not a guess made beforehand.
"""
from __future__ import annotations

import contextlib
import errno
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Iterable, Iterator
from pathlib import Path

from .filenames import name_problem

STAGING_PREFIX = ".dang-ghi-"
_OLD = ".ban-cu"


def _current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


_UMASK = _current_umask()

_PROGRAMS = {".docx": "Word", ".doc": "Word", ".xlsx": "Excel", ".xls": "Excel", ".pdf": "trình đọc PDF",
             ".eml": "chương trình thư (Outlook, Thunderbird)", ".json": "trình soạn thảo"}


class OutputBlocked(Exception):
    """An output cannot be replaced; nothing of the set was replaced. The message (Vietnamese) names it."""

    def __init__(self, path: Path, cause: BaseException | None = None, *, folder: bool = False,
                 problem: str | None = None):
        self.path = Path(path)
        self.cause = cause
        if problem:
            message = f"Không ghi được “{self.path}”: {problem}."
        elif folder:
            message = (f"Không ghi được “{self.path}”: ở đó đang có một thư mục (hoặc tệp ở chỗ của thư mục). "
                       "Đổi tên hoặc chuyển nó đi rồi chạy lại.")
        else:
            program = _PROGRAMS.get(self.path.suffix.lower())
            where = f" trong {program}" if program else ""
            message = (f"Không thay được tệp “{self.path}”: tệp đang mở{where} hoặc bị chương trình khác giữ "
                       f"(hoặc chỉ đọc). Hãy đóng tệp {self.path.name}{where} rồi chạy lại.")
        super().__init__(message + " Chưa tệp kết quả nào bị thay: các tệp cũ vẫn nguyên như trước.")


@contextlib.contextmanager
def atomic_path(target: str | Path):
    """Yield a temporary path in the target's folder; on success it replaces the target.

    An interrupted or failed write leaves no file under the final name; a target that cannot be
    replaced raises OutputBlocked and stays as it was.
    """
    target = Path(target)
    problem = name_problem(target.name)
    if problem:
        raise OutputBlocked(target, problem=problem)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError) as exc:
        raise OutputBlocked(target.parent, exc, folder=True) from None
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    os.chmod(tmp, 0o666 & ~_UMASK)   # mkstemp makes 0600; outputs are ordinary files
    try:
        yield Path(tmp)
        if target.is_dir() and not target.is_symlink():
            raise OutputBlocked(target, folder=True)
        try:
            os.replace(tmp, target)
        except OSError as exc:
            raise OutputBlocked(target, exc) from None
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def write_bytes(target: str | Path, data: bytes) -> None:
    with atomic_path(target) as tmp:
        tmp.write_bytes(data)


def write_text(target: str | Path, text: str) -> None:
    write_bytes(target, text.encode("utf-8"))


class OutputSet:
    """One set of outputs written into a temporary folder inside OUT_DIR and put in place as a whole.

        with OutputSet(out_dir) as out:
            write_report(result, out.path("report.json"))
            out.drop_unless_written(["phan_hoi/muong-te.docx"])
        # here every file is in place, or OutputBlocked was raised and nothing was replaced

    Writers that may be called on their own or as part of a bigger set take `Path | OutputSet`
    and use `output_set()`.
    """

    def __init__(self, out_dir: str | Path):
        self.out_dir = Path(out_dir)
        self.folder: Path | None = None
        self._drops: set[str] = set()

    def __enter__(self) -> OutputSet:
        try:
            self.out_dir.mkdir(parents=True, exist_ok=True)
        except (FileExistsError, NotADirectoryError) as exc:
            raise OutputBlocked(self.out_dir, exc, folder=True) from None
        _remove_leftovers(self.out_dir)
        try:
            self.folder = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=self.out_dir))
        except OSError as exc:
            raise OutputBlocked(self.out_dir, exc, problem=_write_problem(exc)) from None
        return self

    def __exit__(self, kind, exc, tb) -> None:
        try:
            if kind is None:
                self.commit()
            elif issubclass(kind, OSError) and not isinstance(exc, OutputBlocked):   # a full disk, no rights
                raise OutputBlocked(self.out_dir, exc, problem=_write_problem(exc)) from None
        finally:
            _rmtree(self.folder)

    def path(self, rel: str | Path) -> Path:
        """Where to write the output named REL (relative to OUT_DIR): inside the temporary folder."""
        staged = self.folder / rel
        staged.parent.mkdir(parents=True, exist_ok=True)
        return staged

    def final(self, staged: Path) -> Path:
        """The place a file written at STAGED takes in OUT_DIR."""
        return self.out_dir / Path(staged).relative_to(self.folder)

    def drop_unless_written(self, rels: Iterable[str | Path]) -> None:
        """Outputs of an earlier run (relative to OUT_DIR) removed with the commit unless this set writes them."""
        self._drops.update(Path(r).as_posix() for r in rels)

    def commit(self) -> list[Path]:
        staged = sorted(_files(self.folder))
        drops = sorted(r for r in self._drops - set(staged) if os.path.lexists(self.out_dir / r))
        for rel in staged + drops:
            self._check_place(rel)
        moved = self._move_old_aside(staged + drops)
        placed: list[str] = []
        for rel in staged:
            target = self.out_dir / rel
            try:
                target.parent.mkdir(parents=True, exist_ok=True)
                os.replace(self.folder / rel, target)
            except OSError as exc:
                for done in reversed(placed):
                    with contextlib.suppress(OSError):
                        os.replace(self.out_dir / done, self.folder / done)
                self._restore(moved)
                raise OutputBlocked(target, exc) from None
            placed.append(rel)
        return [self.out_dir / rel for rel in staged]

    def _check_place(self, rel: str) -> None:
        target = self.out_dir / rel
        for part in Path(rel).parts:       # a name Windows refuses (CON, COM1 …) or too long for the disk
            problem = name_problem(part)
            if problem:
                raise OutputBlocked(target, problem=problem)
        for parent in reversed(target.relative_to(self.out_dir).parents[:-1]):
            here = self.out_dir / parent
            if os.path.lexists(here) and not here.is_dir():
                raise OutputBlocked(here, folder=True)
        if target.is_dir() and not target.is_symlink():
            raise OutputBlocked(target, folder=True)

    def _move_old_aside(self, rels: list[str]) -> list[str]:
        """Phase one: every existing target moved into the temporary folder; undone when one cannot be."""
        moved: list[str] = []
        for rel in rels:
            target = self.out_dir / rel
            if not os.path.lexists(target):
                continue
            aside = self.folder / _OLD / rel
            try:
                aside.parent.mkdir(parents=True, exist_ok=True)
                os.replace(target, aside)
            except OSError as exc:
                self._restore(moved)
                raise OutputBlocked(target, exc) from None
            moved.append(rel)
        return moved

    def _restore(self, moved: list[str]) -> None:
        for rel in reversed(moved):
            with contextlib.suppress(OSError):
                os.replace(self.folder / _OLD / rel, self.out_dir / rel)


def _write_problem(exc: OSError) -> str:
    words = {errno.ENOSPC: "ổ đĩa đã đầy", errno.EROFS: "ổ đĩa chỉ đọc", errno.EACCES: "không có quyền ghi vào thư mục",
             errno.EPERM: "không có quyền ghi vào thư mục", getattr(errno, "EDQUOT", -1): "đã hết dung lượng được cấp"}
    return f"không ghi được kết quả vào thư mục này ({words.get(exc.errno, 'lỗi ghi tệp')})"


LEFTOVER_SECONDS = 24 * 3600


def _remove_leftovers(out_dir: Path) -> None:
    """A temporary folder left by a computer switched off while writing: removed after a day (a folder
    that young may belong to a command still writing)."""
    now = time.time()
    for old in out_dir.glob(STAGING_PREFIX + "*"):
        with contextlib.suppress(OSError):
            if old.is_dir() and now - old.stat().st_mtime > LEFTOVER_SECONDS:
                _rmtree(old)


def _rmtree(folder: Path) -> None:
    """Remove a temporary folder; an old output marked Read-only (Windows refuses to delete it) is
    made writable first."""
    def writable_then_retry(function, path, _info):
        with contextlib.suppress(OSError):
            os.chmod(path, 0o666 & ~_UMASK)
            function(path)

    if sys.version_info >= (3, 12):
        shutil.rmtree(folder, onexc=writable_then_retry)
    else:
        shutil.rmtree(folder, onerror=writable_then_retry)


def _files(folder: Path) -> Iterator[str]:
    for root, dirs, names in os.walk(folder):
        dirs[:] = [d for d in dirs if d != _OLD]
        for name in names:
            if not name.startswith("."):
                yield (Path(root) / name).relative_to(folder).as_posix()


@contextlib.contextmanager
def output_set(out: str | Path | OutputSet) -> Iterator[OutputSet]:
    """The set OUT when a caller is already writing one; else a new set for the folder OUT, committed on exit."""
    if isinstance(out, OutputSet):
        yield out
        return
    with OutputSet(out) as new:
        yield new
