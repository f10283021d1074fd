"""Start-up checks of the FILMSTRIP_* settings (Django's system checks framework).

`filmstrip serve`, `worker`, `migrate` and `check` run them before doing anything, so a bad
width, format, quality or network stops start-up with the setting named, instead of failing in
the middle of processing a photo or answering a reader. Registered by ``filmstrip.cli``'s app.
"""

import ipaddress
from collections.abc import Mapping
from typing import TypeGuard

from django.conf import settings
from django.core.checks import Error, Warning, register

from filmstrip.conf import DEFAULTS, filmstrip_settings
from filmstrip.imaging.probe import ACCEPTED_LOADERS
from filmstrip.imaging.render import FORMATS
from filmstrip.imaging.vips import pyvips
from filmstrip.project import environment
from filmstrip.storage.probes import check_buckets

HINT = "Set {name} in the environment or in the Django settings module; see docs/settings.md."
# Counts and sizes where 0 would refuse everything or stop every job at once.
POSITIVE = {
    "FILMSTRIP_MAX_PIXELS",
    "FILMSTRIP_MAX_UPLOAD_BYTES",
    "FILMSTRIP_PROCESSING_TIMEOUT_SECONDS",
    "FILMSTRIP_PROCESSING_MEMORY_MB",
    "FILMSTRIP_PROCESSING_LEASE_SECONDS",
    "FILMSTRIP_FETCH_TIMEOUT_SECONDS",
    "FILMSTRIP_FETCH_MAX_BYTES",
}
NETWORKS = ("FILMSTRIP_TRUSTED_PROXIES", "FILMSTRIP_FETCH_ALLOW_NETWORKS")


def _error(name: str, problem: str, number: int) -> Error:
    return Error(f"{name} {problem}.", hint=HINT.format(name=name), id=f"filmstrip.E{number:03}")


def _value(name: str):
    return getattr(filmstrip_settings, name.removeprefix("FILMSTRIP_"))


def _is_int(value) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_sequence(value) -> bool:
    return isinstance(value, list | tuple)


@register()
def check_kinds(app_configs=None, **kwargs) -> list[Error]:
    """Each setting has the kind of value its default has: whole numbers, true/false, text."""
    errors = []
    for name, setting in DEFAULTS.items():
        value = _value(name)
        if isinstance(setting.default, bool):
            if not isinstance(value, bool):
                errors.append(_error(name, f"must be True or False, not {value!r}", 1))
        elif _is_int(setting.default) or setting.parse is environment.integer_or_none:
            if value is None and setting.parse is environment.integer_or_none:
                continue
            if not _is_int(value) or value < (1 if name in POSITIVE else 0):
                least = "a positive" if name in POSITIVE else "a non-negative"
                errors.append(_error(name, f"must be {least} whole number, not {value!r}", 2))
        elif isinstance(setting.default, str) and not isinstance(value, str):
            errors.append(_error(name, f"must be text, not {value!r}", 3))
    blocklist = filmstrip_settings.COMMENTS_BLOCKLIST
    if not _is_sequence(blocklist) or not all(isinstance(word, str) for word in blocklist):
        problem = f"must be a list of words, not {blocklist!r}"
        errors.append(_error("FILMSTRIP_COMMENTS_BLOCKLIST", problem, 4))
    return errors


@register()
def check_renditions(app_configs=None, **kwargs) -> list[Error]:
    """Widths, formats and a quality for each format: what every photo is rendered with."""
    errors = []
    widths = filmstrip_settings.RENDITION_WIDTHS
    if not _is_sequence(widths) or not widths or not all(_is_int(w) and w > 0 for w in widths):
        errors.append(
            _error(
                "FILMSTRIP_RENDITION_WIDTHS",
                f"must be one or more positive whole numbers of pixels, not {widths!r}",
                10,
            )
        )
    formats = filmstrip_settings.RENDITION_FORMATS
    if not _is_sequence(formats) or not formats or any(f not in FORMATS for f in formats):
        errors.append(
            _error(
                "FILMSTRIP_RENDITION_FORMATS",
                f"must name one or more of {', '.join(FORMATS)}, not {formats!r}",
                11,
            )
        )
        formats = [f for f in formats if f in FORMATS] if _is_sequence(formats) else []
    quality = filmstrip_settings.QUALITY
    if not isinstance(quality, Mapping):
        problem = f"must map each format to a quality 1-100, not {quality!r}"
        return [*errors, _error("FILMSTRIP_QUALITY", problem, 12)]
    for fmt in formats:
        value = quality.get(fmt)
        if not _is_int(value) or not 1 <= value <= 100:
            errors.append(
                _error("FILMSTRIP_QUALITY", f"needs a quality 1-100 for {fmt}, not {value!r}", 12)
            )
    return errors


@register()
def check_networks(app_configs=None, **kwargs) -> list[Error]:
    errors = []
    for name in NETWORKS:
        value = _value(name)
        if not _is_sequence(value):  # a lone string would be read one character at a time
            problem = f"must be a list of addresses or networks, not {value!r}"
            errors.append(_error(name, problem, 20))
            continue
        for cidr in value:
            try:
                ipaddress.ip_network(cidr, strict=False)
            except (TypeError, ValueError) as exc:
                errors.append(_error(name, f"has {cidr!r}, which is not a network: {exc}", 21))
    if settings.SECURE_PROXY_SSL_HEADER and not filmstrip_settings.TRUSTED_PROXIES:
        # X-Forwarded-Proto is believed from trusted proxies only (project/forwarded.py).
        problem = (
            "is empty while FILMSTRIP_BEHIND_HTTPS_PROXY is on: no proxy would be believed that "
            "a reader came over HTTPS, and every request would be redirected to HTTPS again"
        )
        errors.append(_error("FILMSTRIP_TRUSTED_PROXIES", problem, 22))
    return errors


def _can_write(fmt: str) -> bool:
    """libvips has the encoder ``imaging.render`` calls (``jpegsave_buffer``, ...)."""
    return pyvips.type_find("VipsOperation", f"{fmt}save_buffer") != 0


def _can_read(loader: str) -> bool:
    return pyvips.type_from_name(loader) != 0


@register()
def check_libvips(app_configs=None, **kwargs) -> list[Error | Warning]:
    """This machine's libvips writes every rendition format and reads the accepted photos."""
    problems: list[Error | Warning] = []
    formats = filmstrip_settings.RENDITION_FORMATS
    formats = formats if _is_sequence(formats) else ()
    for fmt in formats:
        if fmt in FORMATS and not _can_write(fmt):
            problems.append(
                Error(
                    f"libvips on this machine cannot write {fmt}, which "
                    "FILMSTRIP_RENDITION_FORMATS asks for.",
                    hint="Install libvips with that format (scripts/install-system-deps) or "
                    "leave it out of FILMSTRIP_RENDITION_FORMATS.",
                    id="filmstrip.E030",
                )
            )
    readable = {fmt for loader, fmt in ACCEPTED_LOADERS.items() if _can_read(loader)}
    if missing := sorted(set(ACCEPTED_LOADERS.values()) - readable):
        problems.append(
            Warning(
                f"libvips on this machine cannot read {', '.join(missing)}: such photos are "
                "refused on upload and import.",
                hint="Install libvips with those loaders (scripts/install-system-deps).",
                id="filmstrip.W031",
            )
        )
    return problems


# The buckets, when FILMSTRIP_S3_* is set: reachable, the secret right, originals not public.
register(check_buckets)
