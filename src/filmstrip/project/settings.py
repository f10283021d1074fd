"""Django settings for Filmstrip, read from the environment in this one place.

With no environment at all Filmstrip runs embedded: SQLite in WAL mode, media on local disk and a
generated secret key, all under FILMSTRIP_DATA_DIR. docs/settings.md lists every variable.
"""

import os
from functools import cache, partial
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.functional import lazy

from filmstrip.conf import from_environ
from filmstrip.project import datadir, environment
from filmstrip.project.signin import SignInConfigError, provider_apps, providers_from_environ
from filmstrip.storage import config as object_storage


def _env_bool(name: str, default: bool = False) -> bool:
    return environment.read(os.environ, name, environment.boolean, default)


def _env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


PACKAGE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("FILMSTRIP_DATA_DIR") or "filmstrip-data").resolve()
# The database, originals (GPS and all) and secret key are the owner's alone: 0700 and 0600,
# created when first needed (filmstrip.project.datadir), not here.
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700

DEBUG = _env_bool("FILMSTRIP_DEBUG")
DATABASE_URL = os.environ.get("DATABASE_URL", "")


def _secret_key() -> str:
    key = os.environ.get("FILMSTRIP_SECRET_KEY")
    if key:
        return key
    if DATABASE_URL:
        # A shared database means several processes, maybe on several machines: a key generated
        # on one of them would silently invalidate the others' sessions and signatures.
        raise ImproperlyConfigured(
            "FILMSTRIP_SECRET_KEY is not set. A deployment with DATABASE_URL needs the same secret "
            "key on every machine: generate one with "
            "`python -c 'import secrets; print(secrets.token_urlsafe(50))'` and set it in the "
            "environment of every web and worker process."
        )
    # Embedded default: one key per data directory, read (or made) when first used.
    return lazy(cache(partial(datadir.secret_key, DATA_DIR)), str)()


SECRET_KEY = _secret_key()

# Where the site is reached from outside, for absolute links in pages, feeds and e-mails (no
# request to read it from): FILMSTRIP_SITE_URL, else where `filmstrip serve` listens (HOST, PORT).
SITE_URL = environment.site_url(os.environ)
_site_host = urlsplit(SITE_URL).hostname or "localhost"
ALLOWED_HOSTS = _env_list(
    "FILMSTRIP_ALLOWED_HOSTS",
    ["localhost", "127.0.0.1", "[::1]", f"[{_site_host}]" if ":" in _site_host else _site_host],
)
CSRF_TRUSTED_ORIGINS = _env_list("FILMSTRIP_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django_tasks",
    "django_tasks_db",
    "filmstrip.cli",
    "filmstrip.accounts",
    "filmstrip.sitesettings",
    "filmstrip.photos",
    "filmstrip.stories",
    "filmstrip.comments",
    "filmstrip.syndication",
    "filmstrip.studio",
    "filmstrip.backlinks",
    "filmstrip.migration",
    "filmstrip.limits",
    "filmstrip.published",
    "filmstrip.legacy",
    "axes",
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    *provider_apps(),
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "filmstrip.project.csp.ContentSecurityPolicyMiddleware",  # above WhiteNoise: every response
    "filmstrip.project.nul.RefuseNulMiddleware",
    "filmstrip.project.compression.StaticGZipMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.http.ConditionalGetMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "filmstrip.sitesettings.middleware.SiteSettingsPerRequest",
    "filmstrip.legacy.middleware.OldLinksMiddleware",  # on 404s, and /?p=ID
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "filmstrip.comments.accounts.UnconfiguredProviderMiddleware",
    "axes.middleware.AxesMiddleware",  # last: it turns a refused login into the lockout page
]

ROOT_URLCONF = "filmstrip.project.urls"
WSGI_APPLICATION = "filmstrip.project.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "builtins": ["filmstrip.stories.templatetags.datetimes"],
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "filmstrip.stories.context_processors.site",
            ],
        },
    },
]

if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
else:
    DATABASES = {
        "default": {
            # Django's SQLite, which first creates the file 0600 (its WAL files take its mode).
            "ENGINE": "filmstrip.project.sqlite",
            "NAME": str(DATA_DIR / "filmstrip.sqlite3"),
            "OPTIONS": {
                # WAL lets readers proceed while a writer commits; IMMEDIATE takes the write lock
                # at BEGIN so concurrent writers wait (busy timeout) instead of failing mid-way.
                "init_command": (
                    "PRAGMA journal_mode=WAL;"
                    "PRAGMA synchronous=NORMAL;"
                    "PRAGMA busy_timeout=10000;"
                    "PRAGMA foreign_keys=ON;"
                ),
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
        }
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
    }
}

STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": DATA_DIR / "media", "base_url": "/media/"},
    },
    # `collectstatic` writes .gz and .br beside each file, for a front server's gzip_static.
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
MEDIA_ROOT = DATA_DIR / "media"
# The published site: public pages and renditions written as files (filmstrip.published).
FILMSTRIP_PUBLISHED_DIR = DATA_DIR / "published"
MEDIA_URL = "/media/"
# Object storage (filmstrip.storage) when FILMSTRIP_S3_* is set: originals in a private bucket,
# renditions in a public one whose address pages link to.
OBJECT_STORAGE = object_storage.from_environ(os.environ)
if OBJECT_STORAGE:
    STORAGES["default"] = object_storage.storage_setting(OBJECT_STORAGE)
    MEDIA_URL = OBJECT_STORAGE.media_url
STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
# Front-end packages from npm, installed into the checkout by `make` (package.json).
NODE_MODULES = PACKAGE_DIR.parent.parent / "node_modules"
STATICFILES_DIRS = [
    PACKAGE_DIR / "static",
    ("vendor/thumbhash", NODE_MODULES / "thumbhash"),
    ("vendor/photoswipe", NODE_MODULES / "photoswipe" / "dist"),
    ("vendor/sortablejs", NODE_MODULES / "sortablejs" / "modular"),
]
# Static files are few and small; serving them from the finders saves a collectstatic step.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

# Mail: an SMTP server when FILMSTRIP_EMAIL_HOST is set; otherwise messages are written to the
# worker's log, since the embedded default has no mail server to hand them to.
EMAIL_HOST = os.environ.get("FILMSTRIP_EMAIL_HOST", "")
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_PORT = environment.read(os.environ, "FILMSTRIP_EMAIL_PORT", environment.integer, 25)
EMAIL_HOST_USER = os.environ.get("FILMSTRIP_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("FILMSTRIP_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = _env_bool("FILMSTRIP_EMAIL_TLS")
DEFAULT_FROM_EMAIL = os.environ.get("FILMSTRIP_EMAIL_FROM", "filmstrip@localhost")

LANGUAGE_CODE = "en-gb"
TIME_ZONE = os.environ.get("FILMSTRIP_TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

LOGIN_URL = "admin:login"

# Readers sign in to comment with accounts they have elsewhere (django-allauth). Authors keep
# signing in through the admin; nobody signs up with a password here.
AUTHENTICATION_BACKENDS = [
    "filmstrip.accounts.logins.LockoutBackend",  # first: paused logins never reach a hash
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
try:
    SOCIALACCOUNT_PROVIDERS = providers_from_environ(os.environ)
except SignInConfigError as exc:
    raise ImproperlyConfigured(str(exc)) from exc
ACCOUNT_ADAPTER = "filmstrip.comments.accounts.ReaderAccountAdapter"
SOCIALACCOUNT_ADAPTER = "filmstrip.comments.accounts.ReaderSocialAccountAdapter"
ACCOUNT_LOGIN_METHODS = {"username"}
ACCOUNT_SIGNUP_FIELDS = ["username*"]
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_UNIQUE_EMAIL = False  # two providers may vouch for one address; neither owns it
ACCOUNT_LOGOUT_REDIRECT_URL = "/"
LOGIN_REDIRECT_URL = "/"
SOCIALACCOUNT_AUTO_SIGNUP = True
SOCIALACCOUNT_EMAIL_REQUIRED = False
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False  # a provider's e-mail claim never opens an account
SOCIALACCOUNT_STORE_TOKENS = False  # we only need to know who someone is, not act for them

# Password guessing (django-axes): the ceilings and cool-off are FILMSTRIP_LOGIN_* settings, read
# by filmstrip/accounts/logins.py, which explains how failures are counted.
AXES_HANDLER = "filmstrip.accounts.logins.LoginLockout"
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "username", "ip_address"]
AXES_FAILURE_LIMIT = 5  # the handler applies each way of counting's own ceiling
AXES_COOLOFF_TIME = "filmstrip.accounts.logins.cool_off"
AXES_CLIENT_IP_CALLABLE = "filmstrip.accounts.logins.client_address"
AXES_USERNAME_CALLABLE = "filmstrip.accounts.logins.login_name"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "filmstrip.accounts.logins.lockout_page"
AXES_ENABLE_ACCESS_FAILURE_LOG = False  # the log below says enough; no table growing forever
AXES_DISABLE_ACCESS_LOG = True  # successful logins are not ours to keep
AXES_SENSITIVE_PARAMETERS = ["username"]  # a mistyped password may land in it; addresses help

# Proxies whose X-Forwarded-For names the client (filmstrip.limits.clients). Behind the HTTPS
# proxy, by default the one on this machine: otherwise every reader shares its address.
FILMSTRIP_TRUSTED_PROXIES = (
    ["127.0.0.0/8", "::1"] if _env_bool("FILMSTRIP_BEHIND_HTTPS_PROXY") else []
)
# Behind an HTTPS proxy (which must set X-Forwarded-Proto itself, overwriting a reader's; it is
# believed from FILMSTRIP_TRUSTED_PROXIES only, filmstrip.project.forwarded):
# cookies only over HTTPS, plain HTTP redirected, and browsers told to keep to HTTPS (HSTS).
BEHIND_HTTPS_PROXY = _env_bool("FILMSTRIP_BEHIND_HTTPS_PROXY")
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if BEHIND_HTTPS_PROXY else None
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = SECURE_SSL_REDIRECT = BEHIND_HTTPS_PROXY
SECURE_HSTS_SECONDS = (
    environment.read(os.environ, "FILMSTRIP_HSTS_SECONDS", environment.integer, 365 * 24 * 3600)
    if BEHIND_HTTPS_PROXY
    else 0
)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "loggers": {
        "django": {"handlers": ["console"], "level": "WARNING"},
        "filmstrip": {"handlers": ["console"], "level": "INFO"},
        "django_tasks_db": {"handlers": ["console"], "level": "WARNING"},
        "axes": {"handlers": ["console"], "level": "WARNING"},  # failed logins and lockouts
    },
}

# Every FILMSTRIP_* setting of filmstrip.conf (limits, renditions, moderation defaults, the
# Akismet key, the published directory, trusted proxies...) may be given in the environment under
# its own name, typed; filmstrip.checks checks the values at start.
globals().update(from_environ(os.environ))
