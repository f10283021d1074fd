"""The supervisor behind `filmstrip serve`: restarts with growing waits, gives up only at start."""

import logging
import sys
import threading

from filmstrip.cli.management.commands import _processes
from filmstrip.cli.management.commands._processes import Supervisor

DIES_AT_ONCE = [sys.executable, "-c", "raise SystemExit(3)"]


def supervise_for(seconds: float, *commands) -> Supervisor:
    with Supervisor() as supervisor:
        for name, command in commands:
            supervisor.start(name, command)
        threading.Timer(seconds, supervisor._on_signal, args=(None, None)).start()
        supervisor.wait()
    return supervisor


def test_a_child_that_keeps_dying_is_restarted_ever_more_slowly(monkeypatch, caplog):
    monkeypatch.setattr(_processes, "STARTUP_SECONDS", 0)  # past its start at once
    monkeypatch.setattr(_processes, "RESTART_SECONDS", (0.5, 1, 2, 4))
    caplog.set_level(logging.ERROR, logger="filmstrip.supervisor")
    supervisor = supervise_for(4, ("background worker", DIES_AT_ONCE))
    restarts = [r.getMessage() for r in caplog.records]
    # Started at 0 s, then again at about 0.5, 1.5 and 3.5 s: not every 0.2 s of the loop.
    assert 3 <= len(restarts) <= 4, restarts
    assert restarts[0].startswith("The background worker (pid ")
    assert "exited with status 3" in restarts[0] and restarts[0].endswith("restarting it in 0.5 s")
    assert restarts[1].endswith("in 1 s") and restarts[2].endswith("in 2 s")
    assert not supervisor.failed


def test_a_child_that_fails_as_it_starts_stops_everything(caplog):
    caplog.set_level(logging.ERROR, logger="filmstrip.supervisor")
    sleeper = [sys.executable, "-c", "import time; time.sleep(60)"]
    supervisor = supervise_for(30, ("web server", DIES_AT_ONCE), ("background worker", sleeper))
    assert supervisor.failed
    assert "The web server exited with status 3 as it started" in caplog.text
    assert all(child.process.poll() is not None for child in supervisor.children)
