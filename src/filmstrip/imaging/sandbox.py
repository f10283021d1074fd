"""Rendering in a child process, so that a hostile file cannot take the worker down with it.

libvips is C: a malformed file can abort it, loop for a long time or ask for huge amounts of
memory. Photos are rendered in a child process forked from a clean fork server, under an address
space limit and a per-photo deadline. The child serves photo after photo (a fresh process per
photo costs about 60 ms in page faults alone) and is replaced after MAX_PHOTOS, after a crash or
after a timeout. Whatever happens to it, the caller gets a RenderResult or an ImageError.
"""

import multiprocessing
import resource
import signal
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from pathlib import Path

from .errors import ImageError, OutOfMemory
from .render import NO_RIGHTS, WHITE, Colour, RenderResult, RenditionSpec
from .rights import Rights

_CONTEXT = multiprocessing.get_context("forkserver")
# The fork server imports libvips once; every child starts from there in milliseconds.
_CONTEXT.set_forkserver_preload(["filmstrip.imaging.render"])

MAX_PHOTOS = 50  # per child, so that nothing a decoder leaks or caches can pile up


@dataclass(frozen=True)
class Limits:
    seconds: float = 120
    memory_mb: int = 2048


def _serve(conn, memory_mb: int) -> None:
    limit = memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides when we stop
    from .render import render

    while True:
        try:
            path, specs, rights, backdrop, rotation = conn.recv()
        except EOFError:
            return
        try:
            result = render(path, specs, rights, backdrop, rotation=rotation)
            reply: tuple[str, object] = ("ok", result)
        except (OutOfMemory, MemoryError):
            reply = ("memory", f"needs more than {memory_mb} MB of memory to decode")
        except ImageError as exc:
            reply = ("error", str(exc))
        except Exception as exc:  # report, never leave the parent waiting
            reply = ("error", f"unexpected decoder error: {exc.__class__.__name__}: {exc}"[:500])
        conn.send(reply)


class Sandbox:
    """A child process that renders photos one at a time within ``limits``."""

    def __init__(self, limits: Limits = Limits()):
        self.limits = limits
        self._process: BaseProcess | None = None
        self._conn: Connection | None = None
        self._served = 0

    def render(
        self,
        path: Path | str,
        specs: list[RenditionSpec],
        rights: Rights = NO_RIGHTS,
        backdrop: Colour = WHITE,
        rotation: int = 0,
    ) -> RenderResult:
        """``render`` in the child; raises ImageError on any failure, the child's included
        (OutOfMemory when the photo needs more than ``limits.memory_mb``)."""
        self.start()
        conn = self._conn
        assert conn is not None  # start() made it
        self._served += 1
        try:
            conn.send((str(path), specs, rights, backdrop, rotation))
            if not conn.poll(self.limits.seconds):
                self.close()
                raise ImageError(
                    f"took longer than {self.limits.seconds:g} s to process, and was stopped"
                )
            status, payload = conn.recv()
        except (EOFError, BrokenPipeError, ConnectionResetError) as exc:
            code = self._stop_and_reap()
            if code is not None and code < 0:
                name = signal.Signals(-code).name
                raise ImageError(
                    f"crashed the image decoder ({name}); the file is malformed"
                ) from exc
            raise ImageError("the image decoder stopped without an answer") from exc
        if status == "memory":
            raise OutOfMemory(payload)
        if status == "error":
            raise ImageError(payload)
        return payload

    def start(self) -> None:
        """Have a child ready: a worker calls this before its first job, which would otherwise
        wait for the fork server to start and import libvips."""
        if self._process is None or not self._process.is_alive() or self._served >= MAX_PHOTOS:
            self._restart()

    def _restart(self) -> None:
        self.close()
        parent, child = _CONTEXT.Pipe()
        self._process = process = _CONTEXT.Process(
            target=_serve, args=(child, self.limits.memory_mb), daemon=True
        )
        process.start()
        child.close()
        self._conn = parent
        self._served = 0

    def _stop_and_reap(self) -> int | None:
        process, self._process = self._process, None
        if self._conn is not None:
            self._conn.close()
            self._conn = None
        if process is None:
            return None
        if process.is_alive():
            process.kill()
        process.join(5)
        return process.exitcode

    def close(self) -> None:
        self._stop_and_reap()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def render_isolated(
    path: Path | str, specs: list[RenditionSpec], limits: Limits, rights: Rights = NO_RIGHTS
) -> RenderResult:
    """Render one photo in a child process of its own."""
    with Sandbox(limits) as sandbox:
        return sandbox.render(path, specs, rights)
