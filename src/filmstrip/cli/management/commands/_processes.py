"""Running child processes together, restarting one that dies, stopping all on Ctrl-C/SIGTERM."""

import logging
import signal
import subprocess
import time
from dataclasses import dataclass, field

GRACE_SECONDS = 10
# A child that exits this soon after its first start failed to start (a port in use, a bad
# setting): restarting it would only repeat the error, so everything stops with a message.
STARTUP_SECONDS = 10
# Waits before each restart of a child that keeps dying; one that ran this long (the last
# figure) before dying is restarted after the first wait again.
RESTART_SECONDS = (1, 2, 5, 10, 30, 60)

logger = logging.getLogger("filmstrip.supervisor")


def _ended(code: int) -> str:
    if code < 0:
        return f"was killed by signal {-code} ({signal.Signals(-code).name})"
    return f"exited with status {code}"


@dataclass
class Child:
    name: str
    command: list[str]
    keep_running: bool
    process: subprocess.Popen = field(init=False)  # from spawn(), which start() calls
    started: float = 0.0
    first_run: bool = True
    restarts_in_a_row: int = 0
    restart_at: float | None = None
    kwargs: dict = field(default_factory=dict)

    def spawn(self) -> None:
        self.process = subprocess.Popen(self.command, **self.kwargs)
        self.started, self.restart_at = time.monotonic(), None


class Supervisor:
    """Start processes and watch them until a stop signal arrives.

    A child started with ``keep_running`` (a server, a worker) is restarted when it exits, after
    a wait that grows while it keeps dying; one that fails on its very first start stops
    everything instead (``failed``). Other children (batch work) run once: the supervisor
    returns when all have ended, or as soon as one fails.
    """

    def __init__(self) -> None:
        self.children: list[Child] = []
        self.failed = False
        self._stopping = False

    def __enter__(self):
        self._previous = {
            sig: signal.signal(sig, self._on_signal) for sig in (signal.SIGINT, signal.SIGTERM)
        }
        return self

    def __exit__(self, *exc):
        self.stop()
        for sig, handler in self._previous.items():
            signal.signal(sig, handler)
        return False

    def start(self, name: str, command: list[str], *, keep_running: bool = True, **kwargs):
        child = Child(name, command, keep_running, kwargs=kwargs)
        child.spawn()
        self.children.append(child)
        return child.process

    def _on_signal(self, signum, frame):
        self._stopping = True

    def wait(self) -> None:
        """Block until a signal came, a child failed to start, or every batch child ended."""
        while not self._stopping:
            now = time.monotonic()
            for child in self.children:
                if child.restart_at is not None:
                    if now >= child.restart_at:
                        child.spawn()
                    continue
                code = child.process.poll()
                if code is None:
                    continue
                if not child.keep_running:
                    if code != 0:
                        self.failed = True
                        return
                    continue
                if child.first_run and now - child.started < STARTUP_SECONDS:
                    logger.error("The %s %s as it started", child.name, _ended(code))
                    self.failed = True
                    return
                self._schedule_restart(child, code, now)
            if all(c.restart_at is None and c.process.poll() is not None for c in self.children):
                return  # only batch children, all done
            time.sleep(0.2)

    def _schedule_restart(self, child: Child, code: int, now: float) -> None:
        ran = now - child.started
        if ran > RESTART_SECONDS[-1]:
            child.restarts_in_a_row = 0
        delay = RESTART_SECONDS[min(child.restarts_in_a_row, len(RESTART_SECONDS) - 1)]
        child.first_run, child.restarts_in_a_row = False, child.restarts_in_a_row + 1
        child.restart_at = now + delay
        logger.error(
            "The %s (pid %d) %s after %.0f s; restarting it in %g s",
            child.name,
            child.process.pid,
            _ended(code),
            ran,
            delay,
        )

    def stop(self) -> None:
        live = [c.process for c in self.children if c.process.poll() is None]
        for process in live:
            process.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + GRACE_SECONDS
        for process in live:
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
