"""Every FILMSTRIP_* Django setting with its default.

Read them as ``from filmstrip.conf import filmstrip_settings`` then
``filmstrip_settings.RENDITION_WIDTHS`` (Django's own are ``django.conf.settings``). Each may be set
in the environment under its own name (typed by ``parse``; ``filmstrip.project.settings`` reads
them) or in a deployment's Django settings module; ``filmstrip.checks`` checks the values at start.
docs/settings.md documents each one (a test keeps the two in step), and which are the author's.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings as django_settings

from filmstrip.project import environment


@dataclass(frozen=True)
class Setting:
    default: Any
    doc: str
    # How the environment variable's text becomes a value; None: by the default's type.
    parse: Callable[[str], Any] | None = None
    # The author's: a starting value the studio's Site settings page takes over.
    author: bool = False

    def from_text(self, text: str) -> Any:
        if self.parse:
            return self.parse(text)
        for kind, parse in ((bool, environment.boolean), (int, environment.integer)):
            if isinstance(self.default, kind):
                return parse(text)
        return environment.text(text)


def _qualities(text: str) -> dict[str, int]:
    """Formats named in the variable take its quality; the others keep the default."""
    return {**DEFAULTS["FILMSTRIP_QUALITY"].default, **environment.qualities(text)}


DEFAULTS: dict[str, Setting] = {
    "FILMSTRIP_SITE_TITLE": Setting(
        "Filmstrip", "Name of the site, shown in the header and titles.", author=True
    ),
    "FILMSTRIP_DEFAULT_LICENCE": Setting(
        "All rights reserved.",
        "Licence text a new essay starts with (Markdown); each essay may change it.",
        author=True,
    ),
    "FILMSTRIP_DEFAULT_LICENCE_URL": Setting(
        "",
        "Licence URL written into renditions of photos that have none of their own.",
        author=True,
    ),
    "FILMSTRIP_RENDITION_WIDTHS": Setting(
        (480, 960, 1600, 2400),
        "Widths in pixels of the published renditions; a photo is never upscaled.",
        environment.integers,
    ),
    "FILMSTRIP_RENDITION_FORMATS": Setting(
        ("webp", "jpeg"),
        "Formats of the renditions, preferred first; JPEG is what old browsers get.",
        environment.words,
    ),
    "FILMSTRIP_QUALITY": Setting(
        {"jpeg": 82, "webp": 85},
        "Encoder quality per format (1-100); see benchmarks/quality.py for how these were chosen.",
        _qualities,
    ),
    "FILMSTRIP_MAX_PIXELS": Setting(
        200_000_000,
        "Largest photo accepted, in pixels (width x height as declared by the file).",
    ),
    "FILMSTRIP_MAX_UPLOAD_BYTES": Setting(
        200 * 1024 * 1024,
        "Largest original file accepted, in bytes.",
    ),
    "FILMSTRIP_COMMENTS_MAX_DEPTH": Setting(5, "How deep replies to replies may nest."),
    "FILMSTRIP_COMMENTS_CLOSE_AFTER_DAYS": Setting(
        None,
        "Close comments this many days after an essay is published (None: never).",
        environment.integer_or_none,
        author=True,
    ),
    "FILMSTRIP_COMMENTS_EDIT_MINUTES": Setting(
        15, "For how long after posting a guest may edit or delete their comment."
    ),
    "FILMSTRIP_COMMENTS_MAX_LINKS": Setting(
        2, "A comment with more links than this waits for moderation.", author=True
    ),
    "FILMSTRIP_COMMENTS_BLOCKLIST": Setting(
        (),
        "Words that send a comment to moderation (case-insensitive).",
        environment.words,
        author=True,
    ),
    "FILMSTRIP_COMMENTS_HOLD_FIRST": Setting(
        True,
        "Hold a commenter's first comment until one of theirs has been approved.",
        author=True,
    ),
    "FILMSTRIP_COMMENTS_REQUIRE_SIGNIN": Setting(
        False,
        "Only readers signed in with an account elsewhere may comment; no guests.",
        author=True,
    ),
    "FILMSTRIP_COMMENTS_MIN_SECONDS": Setting(
        3, "A comment sent sooner than this after the form was loaded is refused as a bot's."
    ),
    "FILMSTRIP_COMMENTS_FORM_MAX_AGE": Setting(
        2 * 24 * 3600, "Seconds a comment form stays valid after it was loaded."
    ),
    "FILMSTRIP_COMMENTS_PER_IP_PER_10_MINUTES": Setting(
        5, "Comments accepted from one network address (or one e-mail) per 10 minutes."
    ),
    "FILMSTRIP_COMMENTS_EDITS_PER_10_MINUTES": Setting(
        5, "Edits of one comment accepted per 10 minutes."
    ),
    "FILMSTRIP_COMMENTS_EDITS_PER_IP_PER_10_MINUTES": Setting(
        20, "Comment edits accepted from one network address per 10 minutes."
    ),
    "FILMSTRIP_COMMENTS_MAILS_PER_HOUR": Setting(
        10,
        "E-mails about comments sent to one address per hour; beyond it, one summary later.",
    ),
    "FILMSTRIP_TRUSTED_PROXIES": Setting(
        (),
        "Proxies (addresses or CIDR) whose X-Forwarded-For and -Proto are believed.",
        environment.words,
    ),
    "FILMSTRIP_AKISMET_KEY": Setting(
        "", "Akismet API key (from FILMSTRIP_AKISMET_KEY in the environment); empty: no check."
    ),
    "FILMSTRIP_AKISMET_URL": Setting(
        "https://rest.akismet.com", "Base URL of the Akismet-compatible service."
    ),
    "FILMSTRIP_PROCESSING_TIMEOUT_SECONDS": Setting(
        120,
        "Longest time one photo may take to process; a slower one is stopped and marked failed.",
    ),
    "FILMSTRIP_PROCESSING_MEMORY_MB": Setting(
        2048,
        "Address space a photo's processing may use (MB); a file needing more is marked failed.",
    ),
    "FILMSTRIP_PROCESSING_LEASE_SECONDS": Setting(
        600,
        "How long a photo may stay 'processing' before a worker presumes its job died and "
        "queues it again.",
    ),
    "FILMSTRIP_FETCH_ALLOW_NETWORKS": Setting(
        (),
        "Networks (CIDR) exempt from the outbound-fetch guard, for tests and intranets.",
        environment.words,
    ),
    "FILMSTRIP_FETCH_TIMEOUT_SECONDS": Setting(
        10, "Longest time one outbound fetch may take, redirects included."
    ),
    "FILMSTRIP_FETCH_MAX_BYTES": Setting(
        1024 * 1024, "Most bytes read from one outbound fetch; reading stops there."
    ),
    "FILMSTRIP_FETCH_MAX_REDIRECTS": Setting(5, "Most redirects one outbound fetch follows."),
    "FILMSTRIP_BACKLINKS_TRUST_KNOWN_SITES": Setting(
        True,
        "Publish a verified link back at once when its site already has an approved one.",
    ),
    "FILMSTRIP_BACKLINKS_PER_IP_PER_10_MINUTES": Setting(
        30,
        "Webmentions and Pingbacks accepted from one network address per 10 minutes.",
        environment.integer_or_none,
    ),
    "FILMSTRIP_BACKLINKS_SEND": Setting(
        True, "Send Webmentions and Pingbacks to the pages an essay links to when it changes."
    ),
    "FILMSTRIP_SHARED_CACHE_SECONDS": Setting(
        300,
        "How long a CDN or other shared cache may keep a public page or feed (s-maxage); "
        "browsers always ask again.",
    ),
    "FILMSTRIP_PURGE_URL": Setting(
        "",
        "URL told, after each rebuild, which public addresses changed (a JSON POST), for a CDN "
        "to forget them; empty: nobody is told.",
    ),
    "FILMSTRIP_PUBLISHED_DIR": Setting(
        None,
        "Folder the published site is written to, as files a front server can send "
        "(None: `published` in the data directory).",
        environment.path,
    ),
    "FILMSTRIP_LOGIN_FAILURES_PER_ADDRESS": Setting(
        5,
        "Wrong passwords for one login name from one address before that address may not "
        "try it again until the cool-off has passed.",
    ),
    "FILMSTRIP_LOGIN_FAILURES_PER_ACCOUNT": Setting(
        20,
        "Wrong passwords for one login name from all addresses together (or from one address "
        "for all login names) before signing in that way is paused for the cool-off.",
    ),
    "FILMSTRIP_LOGIN_COOLOFF_SECONDS": Setting(
        900,
        "How long a paused login stays paused after the last failed attempt; each attempt "
        "during the pause starts it again.",
    ),
}


class _Settings:
    """Attribute access to FILMSTRIP_* settings: the deployment's value, else the default."""

    def __getattr__(self, name: str) -> Any:
        full = f"FILMSTRIP_{name}"
        if full not in DEFAULTS:
            raise AttributeError(f"Unknown Filmstrip setting {full}")
        return getattr(django_settings, full, DEFAULTS[full].default)


filmstrip_settings = _Settings()


def from_environ(environ: Mapping[str, str]) -> dict[str, Any]:
    """The settings given in ``environ``, typed; a bad value names its variable."""
    return {
        name: environment.read(environ, name, setting.from_text, None)
        for name, setting in DEFAULTS.items()
        if environ.get(name)
    }
