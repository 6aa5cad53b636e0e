"""One batch run at a time, in a thread, with its progress: the Tổng hợp button."""
from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass
from pathlib import Path

from ..batch import run_batch
from ..config.campaign import Campaign
from ..documents.outputs import write_outputs
from ..intake.inbox import walk


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

    def to_dict(self) -> dict:
        return {"running": self.running, "done": self.done, "total": self.total, "error": self.error,
                "written": self.written, "finished": self.finished.isoformat() if self.finished else None}


class Runner:
    """Starts the batch in a background thread; a second start while one runs is refused."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.state = RunState()

    def start(self, inbox: Path, out: Path, campaign: Campaign, register: Path | None) -> bool:
        with self._lock:
            if self.state.running:
                return False
            self.state = RunState(running=True, total=sum(1 for _ in walk(inbox)) if inbox.is_dir() else 0,
                                  started=dt.datetime.now(campaign.tz))
        threading.Thread(target=self._run, args=(inbox, out, campaign, register), daemon=True).start()
        return True

    def _run(self, inbox: Path, out: Path, campaign: Campaign, register: Path | None) -> None:
        state = self.state
        try:
            result = run_batch(inbox, campaign, progress=lambda _path: self._step(state), register=register)
            state.written = len(write_outputs(result, out))
            state.valid = result.valid
        except Exception as exc:   # shown on the page in words, never as a trace
            state.error = f"Tổng hợp không xong: {exc}"
        finally:
            state.finished = dt.datetime.now(campaign.tz)
            state.running = False

    @staticmethod
    def _step(state: RunState) -> None:
        state.done += 1
