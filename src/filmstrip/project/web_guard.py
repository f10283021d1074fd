"""What the web server leaves to us, around Django in each web process of `filmstrip serve`.

- A request that runs too long ends its web process. A Python thread cannot be stopped from
  outside, so ending the process is the only sure way; granian starts a fresh one in its place
  (``--respawn-failed-workers``). The others running in that process get a few seconds first.
- granian copies the whole process environment into every request's WSGI environ (a CGI
  habit). Django would keep it in ``request.META``, where an error report shows it: the secret
  key, the database URL. Only the request's own keys are passed on.
"""

import logging
import os
import threading
import time

logger = logging.getLogger(__name__)

GRACE_SECONDS = 5  # what the other requests of a process that must end get to finish
# The keys of PEP 3333 and CGI that describe the request itself; HTTP_* and wsgi.* pass too.
REQUEST_KEYS = frozenset(
    """REQUEST_METHOD SCRIPT_NAME PATH_INFO QUERY_STRING CONTENT_TYPE CONTENT_LENGTH
    SERVER_NAME SERVER_PORT SERVER_PROTOCOL SERVER_SOFTWARE REMOTE_ADDR REMOTE_PORT
    GATEWAY_INTERFACE RAW_URI REQUEST_URI""".split()  # noqa: SIM905 (names as the PEP lists them)
)


def request_timeout() -> int:
    return int(os.environ.get("FILMSTRIP_REQUEST_TIMEOUT_SECONDS") or 120)


class WebGuard:
    """WSGI middleware: the request's own environ only, and a time limit on each request."""

    def __init__(self, app, timeout: int | None = None):
        self.app = app
        self.timeout = request_timeout() if timeout is None else timeout
        self._running: dict[int, tuple[float, str]] = {}  # thread -> (started, path)
        self._watcher: threading.Thread | None = None
        self._lock = threading.Lock()

    def __call__(self, environ, start_response):
        environ = {
            key: value
            for key, value in environ.items()
            if key in REQUEST_KEYS or key.startswith(("HTTP_", "wsgi."))
        }
        if self.timeout <= 0:
            return self.app(environ, start_response)
        self._watch()
        thread = threading.get_ident()
        self._running[thread] = (time.monotonic(), environ.get("PATH_INFO", ""))
        try:  # Django's response is built by now; sending it is the server's part
            return self.app(environ, start_response)
        finally:
            self._running.pop(thread, None)

    def _watch(self) -> None:
        if self._watcher is None:  # started in the web process, not where the app was loaded
            with self._lock:
                if self._watcher is None:
                    self._watcher = threading.Thread(target=self._watching, daemon=True)
                    self._watcher.start()

    def _watching(self) -> None:
        while True:
            time.sleep(1)
            now = time.monotonic()
            for started, path in list(self._running.values()):
                if now - started > self.timeout:
                    self._end(path)

    def _end(self, path: str) -> None:
        logger.error(
            "A request for %s has run more than %d s (FILMSTRIP_REQUEST_TIMEOUT_SECONDS); "
            "restarting web process %d",
            path,
            self.timeout,
            os.getpid(),
        )
        deadline = time.monotonic() + GRACE_SECONDS
        while time.monotonic() < deadline and any(
            time.monotonic() - started <= self.timeout for started, _ in self._running.values()
        ):
            time.sleep(0.1)
        logging.shutdown()
        os._exit(1)
