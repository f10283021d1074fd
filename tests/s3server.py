"""A throwaway Ceph object gateway (radosgw) on loopback, for the object-storage tests.

One monitor, one OSD keeping its objects in memory (memstore) and one radosgw with its beast
frontend, in a temporary directory, without authentication between them (``auth ... = none``) and
without systemd. The daemons run in the foreground as our children, so stopping them is killing
them. Debian's ceph-mon, ceph-osd and radosgw packages (scripts/install-system-deps).
"""

import atexit
import contextlib
import functools
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass, field
from pathlib import Path

BINARIES = ("monmaptool", "ceph-mon", "ceph-osd", "radosgw", "radosgw-admin", "ceph")
# Each step's longest wait: a cluster that is not up by then will not come up.
TIMEOUT = 120

CONF = """\
[global]
fsid = {fsid}
mon host = v1:127.0.0.1:{mon_port}
public addr = 127.0.0.1
cluster addr = 127.0.0.1
ms bind msgr2 = false
ms bind ipv6 = false
auth cluster required = none
auth service required = none
auth client required = none
keyring = /dev/null
run dir = {base}/run
admin socket = {base}/run/$name.asok
log file = {base}/log/$name.log
mon data = {base}/$name
osd data = {base}/$name
osd objectstore = memstore
memstore device bytes = 1073741824
osd pool default size = 1
osd pool default min size = 1
osd pool default pg num = 8
osd pool default pgp num = 8
osd pool default pg autoscale mode = off
osd crush chooseleaf type = 0
mon allow pool size one = true
mon warn on pool no redundancy = false
[client.rgw]
rgw frontends = beast endpoint=127.0.0.1:{rgw_port}
rgw data = {base}/rgw
"""


def missing_binaries() -> list[str]:
    return [name for name in BINARIES if shutil.which(name) is None]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class S3Server:
    base: Path
    endpoint: str
    access_key: str
    secret_key: str
    _daemons: dict[str, subprocess.Popen] = field(default_factory=dict)

    @property
    def conf(self) -> str:
        return str(self.base / "ceph.conf")

    def ceph(self, *args: str) -> str:
        """Run a Ceph command-line tool against this cluster; its standard output."""
        done = subprocess.run(
            [*args, "-c", self.conf], capture_output=True, text=True, timeout=TIMEOUT
        )
        if done.returncode:
            raise RuntimeError(f"{' '.join(args)} failed: {done.stderr.strip()[-2000:]}")
        return done.stdout

    def _spawn(self, name: str, *args: str) -> None:
        log = open(self.base / "log" / f"{name}.out", "ab")  # noqa: SIM115 (the daemon's)
        self._daemons[name] = subprocess.Popen(
            [*args, "-c", self.conf, "-f"], stdout=log, stderr=subprocess.STDOUT
        )

    def start_osd(self, osd_id: str, attempts: int = 3) -> None:
        """Start the OSD and wait until the monitor counts it up. Now and then, on a busy
        machine, the OSD's first command reaches the monitor before it knows the cluster's
        id ('wrong fsid') and the OSD exits: it is started again."""
        for _ in range(attempts):
            self._spawn("osd", "ceph-osd", "-i", osd_id)
            deadline = time.monotonic() + TIMEOUT / 4  # up in a second or two, normally
            while self._daemons["osd"].poll() is None and time.monotonic() < deadline:
                if '"up":1' in self.ceph("ceph", "osd", "dump", "--format", "json").replace(
                    " ", ""
                ):
                    return
                time.sleep(0.5)
            failed = self._daemons.pop("osd")
            failed.kill()
            failed.wait(TIMEOUT)
        raise RuntimeError(f"ceph-osd did not start:\n{self.log_tails()}")

    def start_gateway(self) -> None:
        self._spawn("rgw", "radosgw", "-n", "client.rgw")
        self.wait_for_gateway()

    def stop_gateway(self) -> None:
        """Stop radosgw, as an outage would; the cluster behind it keeps its objects."""
        daemon = self._daemons.pop("rgw")
        daemon.send_signal(signal.SIGKILL)
        daemon.wait(TIMEOUT)

    def wait_for_gateway(self) -> None:
        deadline = time.monotonic() + TIMEOUT
        while True:
            try:
                urllib.request.urlopen(self.endpoint, timeout=2).close()
                return
            except urllib.error.HTTPError:
                return  # an S3 error document: the gateway answers
            except OSError:
                if self._daemons["rgw"].poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"radosgw did not start:\n{self.log_tails()}") from None
                time.sleep(0.2)

    def log_tails(self, lines: int = 8) -> str:
        """The last lines of every daemon's log, for a start-up that failed."""
        tails = []
        for log in sorted((self.base / "log").iterdir()):
            text = log.read_text(errors="replace").splitlines()[-lines:]
            tails.append(f"== {log.name}\n" + "\n".join(line[:300] for line in text))
        return "\n".join(tails)

    def stop(self) -> None:
        for daemon in reversed(list(self._daemons.values())):
            daemon.kill()
            daemon.wait(TIMEOUT)
        self._daemons.clear()
        shutil.rmtree(self.base, ignore_errors=True)


def start_server() -> S3Server:
    """Start a one-OSD Ceph cluster and its gateway (about 15 s); stopped and deleted at exit."""
    base = Path(tempfile.mkdtemp(prefix="filmstrip-ceph-"))
    for folder in ("run", "log", "mon.a", "osd.0", "rgw"):
        (base / folder).mkdir()
    fsid, osd_uuid = str(uuid.uuid4()), str(uuid.uuid4())
    mon_port, rgw_port = _free_port(), _free_port()
    conf = CONF.format(fsid=fsid, mon_port=mon_port, rgw_port=rgw_port, base=base)
    (base / "ceph.conf").write_text(conf)
    server = S3Server(
        base=base,
        endpoint=f"http://127.0.0.1:{rgw_port}",
        access_key="FILMSTRIPTESTKEY",
        secret_key=uuid.uuid4().hex,
    )
    atexit.register(server.stop)
    monmap = str(base / "monmap")
    subprocess.run(
        [
            "monmaptool",
            "--create",
            "--addv",
            "a",
            f"[v1:127.0.0.1:{mon_port}]",
            "--fsid",
            fsid,
            monmap,
        ],
        check=True,
        capture_output=True,
        timeout=TIMEOUT,
    )
    server.ceph("ceph-mon", "--mkfs", "-i", "a", "--monmap", monmap)
    server._spawn("mon", "ceph-mon", "-i", "a")
    osd_id = server.ceph("ceph", "osd", "new", osd_uuid).strip()
    server.ceph("ceph-osd", "-i", osd_id, "--mkfs", "--osd-uuid", osd_uuid)
    server.start_osd(osd_id)
    server.start_gateway()
    server.ceph(
        "radosgw-admin",
        "user",
        "create",
        "--uid",
        "filmstrip",
        "--display-name",
        "Filmstrip tests",
        "--access-key",
        server.access_key,
        "--secret-key",
        server.secret_key,
    )
    return server


@functools.cache
def shared_server() -> S3Server:
    """One gateway for every test module of a run that needs one (each start costs ~15 s)."""
    return start_server()


if __name__ == "__main__":  # `python tests/s3server.py`: start one by hand, to try things
    started = time.monotonic()
    s3 = start_server()
    print(f"{s3.endpoint} {s3.access_key} {s3.secret_key} ({time.monotonic() - started:.1f} s)")
    print(f"Logs in {s3.base}/log. Ctrl-C stops it.")
    with contextlib.suppress(KeyboardInterrupt):
        signal.pause()
