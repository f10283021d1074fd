"""The scaled topology on one machine, as real processes: one PostgreSQL database, one Ceph
gateway, web machines (`filmstrip serve --no-worker`) and workers (`filmstrip worker`), each
with a data directory of its own, as if each ran on a machine of its own.
"""

import contextlib
import http.client
import http.cookies
import json
import subprocess
import time
import urllib.parse
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import psycopg

from tests.browser.conftest import FILMSTRIP, Server, free_port
from tests.conftest import REPO

# The one address readers know; every web machine answers for it.
SITE = "photos.example"
POLL_SECONDS = 0.1


def new_database(cluster_url: str) -> str:
    """A fresh, empty database in the cluster of ``cluster_url``; its URL."""
    parts = urllib.parse.urlsplit(cluster_url)
    name = f"topology_{uuid.uuid4().hex[:8]}"
    maintenance = parts._replace(path="/postgres").geturl()
    with psycopg.connect(maintenance, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    return parts._replace(path=f"/{name}").geturl()


def wait(what: str, check, seconds: float = 30, explain=lambda: ""):
    """Poll ``check`` until it returns something true; that value."""
    deadline = time.monotonic() + seconds
    while not (value := check()):
        if time.monotonic() > deadline:
            raise AssertionError(f"{what}: not within {seconds} s\n{explain()}")
        time.sleep(POLL_SECONDS)
    return value


@dataclass
class Machine:
    """One process tree with its own data directory."""

    name: str
    data: Path
    process: Server | None = None
    port: int = 0

    def start(self, command: list[str], env: dict[str, str]) -> None:
        self.data.mkdir(mode=0o700)
        self.process = Server(command, {**env, "FILMSTRIP_DATA_DIR": str(self.data)})

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def output(self) -> str:
        return f"== {self.name}\n{self.process.output() if self.process else ''}"

    def files(self) -> dict[str, bytes]:
        """Every file under the data directory, by relative path, with its bytes."""
        return {
            str(path.relative_to(self.data)): path.read_bytes()
            for path in sorted(self.data.rglob("*"))
            if path.is_file()
        }


@dataclass
class Topology:
    env: dict[str, str]
    database: str
    root: Path
    webs: list[Machine] = field(default_factory=list)
    workers: list[Machine] = field(default_factory=list)

    def start(self, webs: int, workers: int) -> None:
        for n in range(webs):
            web = Machine(f"web{n + 1}", self.root / f"web{n + 1}", port=free_port())
            command = [FILMSTRIP, "serve", "--no-migrate", "--no-worker"]
            command += ["--port", str(web.port), "--web-processes", "1", "--threads", "8"]
            web.start(command, self.env)
            self.webs.append(web)
        for n in range(workers):
            worker = Machine(f"worker{n + 1}", self.root / f"worker{n + 1}")
            worker.start([FILMSTRIP, "worker", "--interval", "0.2"], self.env)
            self.workers.append(worker)
        for web in self.webs:
            wait(f"{web.name} answers", lambda web=web: _answers(web), 60, self.output)

    def stop(self) -> None:
        machines = [*self.webs, *self.workers]
        for machine in machines:  # all at once: each takes a moment to stop
            if machine.process is not None and machine.process.poll() is None:
                machine.process.terminate()
        for machine in machines:
            machine.stop()

    def output(self) -> str:
        return "\n".join(machine.output()[-1500:] for machine in [*self.webs, *self.workers])

    def sql(self, query: str, *args) -> list[tuple]:
        with psycopg.connect(self.database) as connection:
            return connection.execute(query, args).fetchall()

    def filmstrip(self, *args: str) -> str:
        """A one-off `filmstrip` command on this topology's database, from a data directory of
        its own, as an operator's machine would run it."""
        env = {**self.env, "FILMSTRIP_DATA_DIR": str(self.root / "operator")}
        done = subprocess.run(
            [FILMSTRIP, *args], env=env, cwd=REPO, capture_output=True, text=True, check=False
        )
        assert done.returncode == 0, done.stderr[-3000:]
        return done.stdout


def _answers(web: Machine) -> bool:
    if web.process is None or web.process.poll() is not None:
        raise AssertionError(f"{web.name} stopped\n{web.output()}")
    with contextlib.suppress(OSError):
        return Client(web.port).request("GET", "/robots.txt")[0] == 200
    return False


class Client:
    """A browser's cookies over plain HTTP/1.1, sent to any web machine (``port``) as the
    load balancer in front would: the cookies are the reader's, not the machine's."""

    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}

    def at(self, port: int) -> "Client":
        self.port = port
        return self

    def request(self, method: str, path: str, body: bytes | None = None, headers=None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        sent = {"Host": SITE, **(headers or {})}
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        try:
            connection.request(method, path, body=body, headers=sent)
            response = connection.getresponse()
            data = response.read()
        finally:
            connection.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in http.cookies.SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        return response.status, data

    def form(self, path: str, fields: dict[str, str]) -> tuple[int, bytes]:
        fields = {"csrfmiddlewaretoken": self.cookies.get("csrftoken", ""), **fields}
        body = urllib.parse.urlencode(fields).encode()
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        return self.request("POST", path, body, headers)

    def json(self, method: str, path: str, data=None, headers=None) -> tuple[int, dict]:
        sent = {"X-CSRFToken": self.cookies["csrftoken"], **(headers or {})}
        body = data if isinstance(data, bytes) else json.dumps(data or {}).encode()
        if not isinstance(data, bytes):
            sent["Content-Type"] = "application/json"
        status, answer = self.request(method, path, body, sent)
        return status, json.loads(answer or b"{}")

    def sign_in(self, username: str, password: str) -> None:
        self.request("GET", "/admin/login/")
        fields = {"username": username, "password": password}
        status, _ = self.form("/admin/login/?next=/admin/", fields)
        assert status == 302, f"signing in as {username} answered {status}"
