"""One batch run at a time, in a thread, with its progress: the Tổng hợp button."""
from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass, field
from pathlib import Path

from ..batch import run_batch
from ..config.campaign import Campaign
from ..documents.outputs import write_outputs
from ..intake.inbox import walk
from .folders import inbox_file_of, inbox_missing


@dataclass
class RunState:
    running: bool = False
    done: int = 0
    total: int = 0
    started: dt.datetime | None = None
    finished: dt.datetime | None = None
    error: str = ""
    written: int = 0
    valid: bool | None = None
    writing: bool = False          # reading done, the outputs being written
    seen: set[str] = field(default_factory=set, repr=False)   # inbox files read so far

    def to_dict(self) -> dict:
        return {"running": self.running, "writing": self.writing, "done": self.done, "total": self.total, "error": self.error,
                "written": self.written, "finished": self.finished.isoformat() if self.finished else None}


class Runner:
    """Starts the batch in a background thread; a second start while one runs is refused."""

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
