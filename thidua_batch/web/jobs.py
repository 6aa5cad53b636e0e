"""Long work, one piece at a time, in a thread, with its progress: the batch run (Tổng hợp), and
the year's other long steps (mail fetch and send, certificates, conference papers). A second start
while anything runs is refused; the state shown is the last piece of work's."""
from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..batch import run_batch
from ..config.campaign import Campaign
from ..documents.outputs import write_outputs
from ..intake.inbox import walk
from .folders import inbox_file_of, inbox_missing

BATCH = "tong-hop"
LOG = logging.getLogger(__name__)

# What a piece of work is, for the officer (the progress line).
KIND_WORDS = {BATCH: "tổng hợp", "thu-tai": "tải thư", "thu-gui": "gửi thư", "in": "ghi tệp in Bằng khen",
              "hoi-nghi": "ghi văn bản hội nghị"}


class JobFailed(Exception):
    """A piece of work stopped with a message for the officer (Vietnamese), never a trace."""


@dataclass
class RunState:
    running: bool = False
    kind: str = BATCH
    done: int = 0
    total: int = 0
    started: dt.datetime | None = None
    finished: dt.datetime | None = None
    error: str = ""
    written: int = 0
    valid: bool | None = None
    writing: bool = False          # reading done, the outputs being written
    result: object = None          # what a year step returned (its report), for its page
    seen: set[str] = field(default_factory=set, repr=False)   # inbox files read so far

    def to_dict(self) -> dict:
        return {"running": self.running, "kind": self.kind, "writing": self.writing, "done": self.done,
                "total": self.total, "error": self.error, "written": self.written,
                "finished": self.finished.isoformat() if self.finished else None}


class Runner:
    """Starts work in a background thread; a second start while one runs is refused."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.state = RunState()

    def start(self, inbox: Path, out: Path, campaign: Campaign, register: Path | None) -> bool:
        """False when a run is already going. A missing inbox is refused in `state.error`: nothing is read,
        no output replaced."""
        with self._lock:
            if self.state.running:
                return False
            missing = inbox_missing(inbox)
            if missing:
                now = dt.datetime.now(campaign.tz)
                self.state = RunState(started=now, finished=now, error=f"Không tổng hợp: {missing}")
                return True
            self.state = RunState(running=True, total=sum(1 for _ in walk(inbox)) if inbox.is_dir() else 0,
                                  started=dt.datetime.now(campaign.tz))
        threading.Thread(target=self._run, args=(inbox, out, campaign, register), daemon=True).start()
        return True

    def start_work(self, kind: str, work: Callable[[Callable[[int, int], None]], object], tz: dt.tzinfo) -> bool:
        """Run WORK(progress) in the background; its return value becomes state.result. Whatever WORK
        needs (a typed password) lives in its closure only, never in the state."""
        with self._lock:
            if self.state.running:
                return False
            self.state = RunState(running=True, kind=kind, started=dt.datetime.now(tz))
        state = self.state

        def progress(done: int, total: int) -> None:
            state.done, state.total = done, total

        def body() -> None:
            try:
                state.result = work(progress)
            except JobFailed as exc:
                state.error = str(exc)
            except Exception:   # noqa: BLE001 - shown in words; the trace only in the console window
                LOG.exception("%s failed", kind)
                state.error = (f"Không {KIND_WORDS.get(kind, kind)} được do lỗi bất ngờ. Thử lại; nếu vẫn lỗi, "
                               "chạy lệnh tương ứng trong cửa sổ dòng lệnh để xem thông báo.")
            finally:
                state.finished = dt.datetime.now(tz)
                state.running = False
        threading.Thread(target=body, daemon=True).start()
        return True

    def _run(self, inbox: Path, out: Path, campaign: Campaign, register: Path | None) -> None:
        state = self.state
        try:
            result = run_batch(inbox, campaign, progress=lambda path: self._step(state, path), register=register)
            missing = inbox_missing(inbox)      # gone while reading: the old outputs stay
            if missing:
                state.error = f"Không tổng hợp: {missing}"
                return
            state.writing = True
            state.written = len(write_outputs(result, out))
            state.valid = result.valid
        except Exception as exc:   # shown on the page in words, never as a trace
            state.error = f"Tổng hợp không xong: {exc}"
        finally:
            state.finished = dt.datetime.now(campaign.tz)
            state.running = False

    @staticmethod
    def _step(state: RunState, path: str) -> None:
        # One step per inbox file: a mailbox gives one item per message and attachment.
        state.seen.add(inbox_file_of(path))
        state.done = min(len(state.seen), state.total or len(state.seen))
