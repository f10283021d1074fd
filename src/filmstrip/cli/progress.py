"""A progress bar for long commands: redrawn in place on a terminal, quiet in logs."""

import sys
import time

WIDTH = 30


class ProgressBar:
    def __init__(self, total: int, label: str = "", stream=None):
        self.total = max(total, 0)
        self.done = 0
        self.label = label
        self.stream = stream or sys.stderr
        self.live = hasattr(self.stream, "isatty") and self.stream.isatty()
        self._drawn = 0.0

    def __enter__(self):
        self._draw(force=True)
        return self

    def __exit__(self, *exc):
        self._draw(force=True)
        if self.live:
            self.stream.write("\n")
            self.stream.flush()

    def update(self, done: int, label: str | None = None) -> None:
        self.done = min(done, self.total)
        if label is not None:
            self.label = label
        self._draw()

    def advance(self, step: int = 1, label: str | None = None) -> None:
        self.update(self.done + step, label)

    def report(self, done: int, total: int, label: str) -> None:
        """A ``progress(done, total, label)`` callback, for work whose total is known only once
        it has begun."""
        self.total = max(total, 0)
        self.update(done, label)

    def _draw(self, force: bool = False) -> None:
        if not self.live or (not force and time.monotonic() - self._drawn < 0.1):
            return
        self._drawn = time.monotonic()
        filled = round(WIDTH * self.done / self.total) if self.total else WIDTH
        bar = "#" * filled + "-" * (WIDTH - filled)
        self.stream.write(f"\r[{bar}] {self.done}/{self.total} {self.label[:40]:<40}")
        self.stream.flush()
