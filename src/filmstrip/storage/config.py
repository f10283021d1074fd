"""The FILMSTRIP_S3_* environment variables, read once by the settings module.

None of them set: local disk, as always. Some set: all the required ones must be, and a missing
one stops start-up with its name, rather than sending originals to a bucket half described.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

# Each variable with what docs/settings.md says of it in short (the test keeps the two in step).
VARIABLES = {
    "FILMSTRIP_S3_ENDPOINT": "URL of the S3 API, e.g. https://s3.example.net",
    "FILMSTRIP_S3_REGION": "region name the signatures are made for",
    "FILMSTRIP_S3_ACCESS_KEY": "access key id",
    "FILMSTRIP_S3_SECRET_KEY": "secret access key",
    "FILMSTRIP_S3_BUCKET_ORIGINALS": "private bucket for the originals",
    "FILMSTRIP_S3_BUCKET_PUBLIC": "public bucket for the renditions",
    "FILMSTRIP_S3_PUBLIC_URL": "where readers fetch the public bucket's files (a CDN)",
}
REQUIRED = (
    "FILMSTRIP_S3_ENDPOINT",
    "FILMSTRIP_S3_ACCESS_KEY",
    "FILMSTRIP_S3_SECRET_KEY",
    "FILMSTRIP_S3_BUCKET_ORIGINALS",
    "FILMSTRIP_S3_BUCKET_PUBLIC",
)
DEFAULT_REGION = "us-east-1"  # what most S3-compatible servers (Ceph's included) sign for
# Renditions sit under media/ in the public bucket, as they do under the site's own address:
# the bucket can be the origin of a CDN that serves the site's /media/ path.
PUBLIC_FOLDER = "media"


@dataclass(frozen=True)
class S3Config:
    endpoint: str
    region: str
    access_key: str
    secret_key: str
    bucket_originals: str
    bucket_public: str
    public_url: str  # ends with "/": the public bucket's root as readers reach it

    @property
    def media_url(self) -> str:
        return f"{self.public_url}{PUBLIC_FOLDER}/"

    def __repr__(self) -> str:  # never the secret, in a traceback or a settings dump
        return f"S3Config(endpoint={self.endpoint!r}, originals={self.bucket_originals!r})"


def _url(name: str, value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query:
        raise ImproperlyConfigured(
            f"{name} must be an http:// or https:// URL without a query, not {value!r}."
        )
    return value.rstrip("/")


def from_environ(environ: Mapping[str, str]) -> S3Config | None:
    given = {name: environ[name].strip() for name in VARIABLES if environ.get(name, "").strip()}
    if not given:
        return None
    if missing := [name for name in REQUIRED if name not in given]:
        raise ImproperlyConfigured(
            f"Object storage is half configured: {', '.join(missing)} "
            f"{'is' if len(missing) == 1 else 'are'} not set, while "
            f"{', '.join(sorted(given))} {'is' if len(given) == 1 else 'are'}. Set all of "
            f"{', '.join(REQUIRED)} (see docs/deployment.md), or none for local disk."
        )
    endpoint = _url("FILMSTRIP_S3_ENDPOINT", given["FILMSTRIP_S3_ENDPOINT"])
    originals, public = given["FILMSTRIP_S3_BUCKET_ORIGINALS"], given["FILMSTRIP_S3_BUCKET_PUBLIC"]
    if originals == public:
        raise ImproperlyConfigured(
            "FILMSTRIP_S3_BUCKET_ORIGINALS and FILMSTRIP_S3_BUCKET_PUBLIC name the same bucket "
            f"({originals!r}): originals keep their GPS and must be in a bucket nobody may read."
        )
    # Unset: the bucket itself, addressed by path (what works on any S3 server without DNS).
    if "FILMSTRIP_S3_PUBLIC_URL" in given:
        public_url = _url("FILMSTRIP_S3_PUBLIC_URL", given["FILMSTRIP_S3_PUBLIC_URL"])
    else:
        public_url = f"{endpoint}/{public}"
    return S3Config(
        endpoint=endpoint,
        region=given.get("FILMSTRIP_S3_REGION", DEFAULT_REGION),
        access_key=given["FILMSTRIP_S3_ACCESS_KEY"],
        secret_key=given["FILMSTRIP_S3_SECRET_KEY"],
        bucket_originals=originals,
        bucket_public=public,
        public_url=public_url + "/",
    )


def storage_setting(config: S3Config) -> dict:
    """STORAGES["default"] for ``config``: see filmstrip.storage.backends."""
    public = urlsplit(config.public_url)
    common = {
        "endpoint_url": config.endpoint,
        "region_name": config.region,
        "access_key": config.access_key,
        "secret_key": config.secret_key,
    }
    return {
        "BACKEND": "filmstrip.storage.backends.PhotoStorage",
        "OPTIONS": {
            "private": {**common, "bucket_name": config.bucket_originals},
            "public": {
                **common,
                "bucket_name": config.bucket_public,
                "location": PUBLIC_FOLDER,
                "url_protocol": f"{public.scheme}:",
                "custom_domain": f"{public.netloc}{public.path}".rstrip("/"),
            },
        },
    }
