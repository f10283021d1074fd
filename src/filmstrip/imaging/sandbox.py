"""Rendering in a child process, so that a hostile file cannot take the worker down with it.

libvips is C: a malformed file can abort it, loop for a long time or ask for huge amounts of
memory. Each photo is rendered in a process forked from a clean fork server, under an address
space limit and a deadline; whatever happens to that child, the caller gets a RenderResult or an
ImageError, and the worker goes on with the next photo.
"""

import multiprocessing
import resource
import signal
from dataclasses import dataclass
from pathlib import Path

from .errors import ImageError
from .render import NO_RIGHTS, RenderResult, RenditionSpec
from .rights import Rights

_CONTEXT = multiprocessing.get_context("forkserver")
# The fork server imports libvips once; every child starts from there in milliseconds.
_CONTEXT.set_forkserver_preload(["filmstrip.imaging.render"])


@dataclass(frozen=True)
class Limits:
    seconds: float = 120
    memory_mb: int = 2048


def _child(conn, path: str, specs: list[RenditionSpec], rights: Rights, memory_mb: int) -> None:
    limit = memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    from .render import render

    try:
        conn.send(("ok", render(path, specs, rights)))
    except ImageError as exc:
        conn.send(("error", str(exc)))
    except MemoryError:
        conn.send(("error", f"needs more than {memory_mb} MB of memory to decode"))
    except Exception as exc:  # report, never hang the parent
        conn.send(("error", f"unexpected decoder error: {exc.__class__.__name__}: {exc}"[:500]))
    finally:
        conn.close()


def render_isolated(
    path: Path | str, specs: list[RenditionSpec], limits: Limits, rights: Rights = NO_RIGHTS
) -> RenderResult:
    """``render`` in a child process bounded by ``limits``; raises ImageError on any failure."""
    receiver, sender = _CONTEXT.Pipe(duplex=False)
    process = _CONTEXT.Process(
        target=_child, args=(sender, str(path), specs, rights, limits.memory_mb), daemon=True
    )
    process.start()
    sender.close()
    try:
        if not receiver.poll(limits.seconds):
            raise ImageError(f"took longer than {limits.seconds:g} s to process, and was stopped")
        try:
            status, payload = receiver.recv()
        except EOFError as exc:
            process.join(5)
            code = process.exitcode
            if code is not None and code < 0:
                name = signal.Signals(-code).name
                raise ImageError(
                    f"crashed the image decoder ({name}); the file is malformed"
                ) from exc
            raise ImageError("the image decoder stopped without an answer") from exc
    finally:
        receiver.close()
        if process.is_alive():
            process.kill()
        process.join(5)
    if status == "error":
        raise ImageError(payload)
    return payload
