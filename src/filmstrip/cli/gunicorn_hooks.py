"""Gunicorn settings for `filmstrip serve`: a request that runs too long ends its web process.

Gunicorn's own --timeout cannot do this with threaded workers: the process's main thread keeps
answering the master while a request thread spins. Here each web process watches its requests
and, when one has run longer than FILMSTRIP_REQUEST_TIMEOUT_SECONDS, stops accepting, gives the
others the graceful timeout to finish, and exits; gunicorn starts a fresh process in its place.
A Python thread cannot be stopped from outside, so ending the process is the only sure way.
"""

import os
import threading
import time

REQUEST_TIMEOUT = int(os.environ.get("FILMSTRIP_REQUEST_TIMEOUT_SECONDS") or 120)

_running: dict[int, tuple[float, str]] = {}  # request thread -> (when it started, path)


def pre_request(worker, req):
    _running[threading.get_ident()] = (time.monotonic(), req.path)


def post_request(worker, req, environ, resp):
    _running.pop(threading.get_ident(), None)


def post_worker_init(worker):
    if REQUEST_TIMEOUT > 0:
        threading.Thread(target=_watch, args=(worker,), daemon=True).start()


def _watch(worker) -> None:
    while True:
        time.sleep(1)
        now = time.monotonic()
        for started, path in list(_running.values()):
            if now - started > REQUEST_TIMEOUT:
                worker.log.error(
                    "A request for %s has run more than %d s (FILMSTRIP_REQUEST_TIMEOUT_SECONDS); "
                    "restarting web process %d",
                    path,
                    REQUEST_TIMEOUT,
                    os.getpid(),
                )
                worker.alive = False  # accept nothing more; let the other requests finish
                time.sleep(worker.cfg.graceful_timeout + 1)
                os._exit(1)
