"""Where a run's time goes, phase by phase (`run --timings`)."""
from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator

PHASE_WORDS = {"discover": "tìm tệp", "read": "đọc và kiểm tra", "check": "kiểm tra", "merge": "tổng hợp", "history": "tra sổ khen thưởng",
               "write json": "ghi report.json", "write xlsx": "ghi bảng tổng hợp", "write docx": "ghi văn bản Word"}


class Timings:
    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}

    @contextlib.contextmanager
    def phase(self, name: str) -> Iterator[None]:
        start = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[name] = self.seconds.get(name, 0.0) + time.perf_counter() - start

    def timed(self, name: str, items: Iterator) -> Iterator:
        """Yield from ITEMS, counting the time spent producing each under NAME."""
        iterator = iter(items)
        while True:
            with self.phase(name):
                item = next(iterator, _END)
            if item is _END:
                return
            yield item

    def summary(self) -> str:
        return "; ".join(f"{PHASE_WORDS.get(name, name)} {secs:.2f} giây" for name, secs in self.seconds.items())


_END = object()
