"""filmstrip serve: the web server and, by default, an embedded background worker."""

import ipaddress
import os
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from filmstrip.project import datadir, environment
from filmstrip.published import follow, layout
from filmstrip.published import requests as published

from ._processes import Supervisor

WEB_PROCESSES = 2
# A page waits for a free thread, and a comment's thread may wait seconds on SQLite's write lock
# when many arrive at once: with 32, readers rarely queue behind posts (docs/benchmarks.md).
THREADS = 32


class Command(BaseCommand):
    help = "Serve Filmstrip over HTTP, with a background worker, until Ctrl-C."

    def add_arguments(self, parser):
        parser.add_argument(
            "--host",
            default=os.environ.get("HOST", "127.0.0.1"),
            help="Address to listen on (default 127.0.0.1; HOST overrides).",
        )
        parser.add_argument(
            "--port",
            type=int,
            default=environment.listen_port(os.environ),
            help="Port to listen on (default 8000; PORT overrides).",
        )
        parser.add_argument(
            "--web-processes",
            type=int,
            default=WEB_PROCESSES,
            help=f"Web server processes (default {WEB_PROCESSES}).",
        )
        parser.add_argument(
            "--threads",
            type=int,
            default=THREADS,
            help=f"Python threads per web process (default {THREADS}).",
        )
        parser.add_argument(
            "--no-worker",
            action="store_true",
            help="Do not start the embedded worker (run `filmstrip worker` elsewhere instead).",
        )
        parser.add_argument(
            "--no-follow",
            action="store_true",
            help="With --no-worker: do not keep this machine's published files up to date from "
            "the shared database (a `filmstrip worker` on this machine writes them instead).",
        )
        parser.add_argument(
            "--no-migrate",
            action="store_true",
            help="Do not apply database migrations before serving.",
        )

    def handle(self, *, host, port, web_processes, threads, no_worker, no_follow, no_migrate, **_):
        if not _loopback(host):
            self.stderr.write(PUBLIC_WARNING.format(host=host))
        follow_address(host, port)
        datadir.prepare()
        timeout = os.environ.get("FILMSTRIP_REQUEST_TIMEOUT_SECONDS", "")
        if timeout and not timeout.isdigit():  # read again by each web process
            raise CommandError("FILMSTRIP_REQUEST_TIMEOUT_SECONDS must be a number of seconds")
        if not no_migrate:
            call_command("migrate", interactive=False, verbosity=0)
        # Pages are sent as files once the worker has written them (filmstrip.published); a web
        # machine without one follows the shared log and writes its own (published/follow.py).
        following = no_worker and not no_follow
        if following:
            follow.claim(layout.root())
        else:
            published.ensure_current()
        web = web_command(host=host, port=port, processes=web_processes, threads=threads)
        with Supervisor() as supervisor:
            if not no_worker:
                worker = [sys.executable, "-m", "filmstrip.cli", "worker", "--sole-worker"]
                supervisor.start("background worker", worker)
            if following:
                follower = [sys.executable, "-m", "filmstrip.cli", "publish", "--follow"]
                supervisor.start("published-site follower", follower)
            supervisor.start("web server", web)
            self.stdout.write(
                f"Filmstrip is serving on http://{_bracketed(host)}:{port}/"
                f"{'' if no_worker else ' with a background worker'}. Press Ctrl-C to stop."
            )
            supervisor.wait()
        if supervisor.failed:
            raise CommandError(
                f"A Filmstrip process stopped unexpectedly (is port {port} already in use?)."
            )
        self.stdout.write("Stopped.")


def follow_address(host: str, port: int) -> None:
    """Where this server listens becomes HOST and PORT for the processes it starts, which read
    their SITE_URL from them (unless FILMSTRIP_SITE_URL is set), and this process's SITE_URL,
    so that the published site is rebuilt only when it was built for another address."""
    os.environ.update(HOST=host, PORT=str(port))
    settings.SITE_URL = environment.site_url(os.environ)


# One line per request on standard output, in the form of nginx's and Apache's access logs.
ACCESS_LOG = '%(addr)s - - [%(time)s] "%(method)s %(path)s %(protocol)s" %(status)d %(dt_ms).1fms'


def web_command(*, host, port, processes, threads, app="filmstrip.project.wsgi:application"):
    """granian: its Rust side takes the connections and reads each request before a Python
    thread sees it, then sends the answer; ``threads`` Python threads per process run the app."""
    return [
        sys.executable,
        "-m",
        "granian",
        "--interface=wsgi",
        f"--host={host.strip('[]')}",
        f"--port={port}",
        f"--workers={processes}",
        f"--blocking-threads={threads}",
        "--respawn-failed-workers",  # a request that ran too long ends its process (web_guard)
        "--respawn-interval=1",
        "--workers-kill-timeout=5",
        "--access-log",
        f"--access-log-fmt={ACCESS_LOG}",
        # Errors only: at "warning" granian calls 32 threads on 2 cores "quite high" at every
        # start; they are meant for requests waiting on the database, not for the CPU.
        "--log-level=error",
        "--no-ws",
        app,
    ]


# A slow request body ties up the Python thread that reads it: docs/settings.md.
PUBLIC_WARNING = (
    "Warning: listening on {host}, not only on this machine. Facing the internet, Filmstrip "
    "belongs behind a buffering proxy such as nginx (a few slow clients can otherwise keep "
    "every thread busy): serve on 127.0.0.1 and let the proxy take the connections. See "
    "“Facing the internet” in docs/settings.md."
)


def _bracketed(host: str) -> str:
    """An IPv6 address in brackets, as addresses with ports write it ("[::1]:8000")."""
    host = host.strip("[]") if host.startswith("[") else host
    return f"[{host}]" if ":" in host else host


def _loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return host == "localhost"
