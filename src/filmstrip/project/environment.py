"""Typed values from the environment: each reader turns one variable's text into a value, and a
bad value stops start-up with an error that names the variable.

Kept free of Django settings so that ``filmstrip.conf`` and ``filmstrip serve`` read the same way
as ``filmstrip.project.settings``.
"""

import ipaddress
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from django.core.exceptions import ImproperlyConfigured

TRUE = {"1", "true", "yes", "on"}
FALSE = {"0", "false", "no", "off"}


def boolean(text: str) -> bool:
    if text.lower() in TRUE:
        return True
    if text.lower() in FALSE:
        return False
    raise ValueError("must be true or false")


def integer(text: str) -> int:
    try:
        return int(text.replace("_", ""))
    except ValueError:
        raise ValueError("must be a whole number") from None


def integer_or_none(text: str) -> int | None:
    """A whole number, or ``none`` for settings where None means "no limit" or "never"."""
    if text.lower() == "none":
        return None
    try:
        return integer(text)
    except ValueError:
        raise ValueError("must be a whole number or none") from None


def text(value: str) -> str:
    return value


def words(value: str) -> tuple[str, ...]:
    """Comma-separated items: ``webp,jpeg``."""
    return tuple(item.strip() for item in value.split(",") if item.strip())


def integers(value: str) -> tuple[int, ...]:
    try:
        return tuple(integer(item) for item in words(value))
    except ValueError:
        raise ValueError("must be whole numbers separated by commas") from None


def qualities(value: str) -> dict[str, int]:
    """``jpeg=82,webp=85``."""
    result = {}
    for item in words(value):
        name, equals, number = item.partition("=")
        if not equals or not name.strip():
            raise ValueError("must be format=quality pairs separated by commas (jpeg=82,webp=85)")
        result[name.strip()] = integer(number.strip())
    return result


def path(value: str) -> Path:
    return Path(value).resolve()


def read(environ: Mapping[str, str], name: str, parse: Callable[[str], Any], default: Any) -> Any:
    """``name`` from ``environ`` through ``parse``; ``default`` when unset or empty."""
    value = environ.get(name, "")
    if value == "":
        return default
    try:
        return parse(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} {exc} (got {value!r}).") from None


# What `filmstrip serve` listens on, and so where the site is unless FILMSTRIP_SITE_URL says.
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
# A wildcard address listens everywhere but cannot be visited: links name this machine's own
# loopback address of the same family instead.
WILDCARDS = {"0.0.0.0": "127.0.0.1", "::": "::1"}  # noqa: S104 (names, not bound here)


def listen_port(environ: Mapping[str, str]) -> int:
    port = read(environ, "PORT", integer, DEFAULT_PORT)
    if not 0 < port < 65536:
        raise ImproperlyConfigured(f"PORT must be between 1 and 65535 (got {port}).")
    return port


def site_url(environ: Mapping[str, str]) -> str:
    """FILMSTRIP_SITE_URL, else the address `filmstrip serve` listens on (HOST and PORT)."""
    if environ.get("FILMSTRIP_SITE_URL"):
        return environ["FILMSTRIP_SITE_URL"].rstrip("/")
    host = (environ.get("HOST") or DEFAULT_HOST).strip("[]")
    host = WILDCARDS.get(host, host)
    try:
        if ipaddress.ip_address(host).version == 6:
            host = f"[{host}]"
    except ValueError:
        pass  # a name such as localhost
    port = listen_port(environ)
    return f"http://{host}" if port == 80 else f"http://{host}:{port}"
