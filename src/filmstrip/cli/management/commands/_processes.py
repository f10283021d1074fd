"""Running child processes together and stopping them all cleanly on Ctrl-C or SIGTERM."""

import signal
import subprocess
import time

GRACE_SECONDS = 10


class Supervisor:
    """Start processes; wait until one exits or a stop signal arrives; then stop the rest."""

    def __init__(self):
        self.processes: list[subprocess.Popen] = []
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

    def start(self, process: subprocess.Popen) -> subprocess.Popen:
        self.processes.append(process)
        return process

    def _on_signal(self, signum, frame):
        self._stopping = True

    def wait(self) -> None:
        """Block until every process ended (batch work) or one failed, or a signal came."""
        while not self._stopping:
            codes = [p.poll() for p in self.processes]
            if any(code not in (None, 0) for code in codes):
                self.failed = True
                return
            if all(code is not None for code in codes):
                return
            time.sleep(0.2)

    def stop(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + GRACE_SECONDS
        for process in self.processes:
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
