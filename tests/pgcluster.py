"""A throwaway PostgreSQL cluster in a temporary directory, for the database test run.

Debian's initdb and pg_ctl refuse to run as root, so as root they run as the postgres user.
"""

import atexit
import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_cluster() -> str:
    """Start a cluster; returns its DATABASE_URL. It is stopped and deleted at exit."""
    bindir = Path(subprocess.check_output(["pg_config", "--bindir"], text=True).strip())
    base = Path(tempfile.mkdtemp(prefix="filmstrip-pg-"))
    data = base / "data"
    as_postgres = []
    if os.geteuid() == 0:
        shutil.chown(base, "postgres", "postgres")
        as_postgres = ["runuser", "-u", "postgres", "--"]
    port = _free_port()

    def run(*args):
        subprocess.run([*as_postgres, *map(str, args)], check=True, capture_output=True)

    run(
        bindir / "initdb",
        "-D",
        data,
        "-A",
        "trust",
        "-U",
        "filmstrip",
        "-E",
        "UTF8",
        "--no-sync",
        "--no-instructions",
    )
    options = (
        f"-p {port} -h 127.0.0.1 -k {base} -c fsync=off -c synchronous_commit=off "
        "-c full_page_writes=off -c max_connections=200"
    )
    run(bindir / "pg_ctl", "-D", data, "-o", options, "-l", base / "server.log", "-w", "start")

    def stop():
        subprocess.run(
            [
                *as_postgres,
                str(bindir / "pg_ctl"),
                "-D",
                str(data),
                "-m",
                "immediate",
                "-w",
                "stop",
            ],
            capture_output=True,
        )
        shutil.rmtree(base, ignore_errors=True)

    atexit.register(stop)
    return f"postgres://filmstrip@127.0.0.1:{port}/filmstrip"
