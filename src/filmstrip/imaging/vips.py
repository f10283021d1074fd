"""pyvips, set up once for a long-running server; the imaging modules import it from here."""

import os

# Hostile files make libvips warn by the hundred; real failures still arrive as exceptions.
# libvips reads this when it initialises, so it must be set before pyvips is first imported.
os.environ.setdefault("VIPS_WARNING", "0")

import pyvips  # noqa: E402

# pyvips forwards libvips' log messages to Python logging from inside a GLib callback. A garbage
# collection during that callback can free an image, which logs again; GLib treats a recursive
# log call as fatal and aborts the process (seen here after a few hundred hostile files). GLib's
# own handler writes to stderr and never re-enters Python.
pyvips._remove_log_handler()

# Photos are processed one after another: the operation cache would only hold memory.
pyvips.cache_set_max(0)

__all__ = ["pyvips"]
