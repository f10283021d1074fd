"""Start-up checks of the buckets (a Django system check, registered by filmstrip.checks).

Asked of the server itself rather than read from its configuration: a probe file is written and
then fetched without credentials. An original's probe that anyone can fetch, by whatever policy,
ACL or gateway setting, stops start-up; so does a rendition's that nobody can.
"""

import contextlib
import uuid

import boto3
from botocore import UNSIGNED
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError
from django.conf import settings
from django.core.checks import Error

from .backends import client_config
from .config import S3Config

# Each start writes its own probe: machines starting together must not delete each other's.
PROBE = "filmstrip-start-check-{}"
HINT = "See docs/deployment.md, “Object storage”."
# What a refusal means, by S3's error code: which variable to look at.
REFUSALS = {
    "InvalidAccessKeyId": "does not know FILMSTRIP_S3_ACCESS_KEY",
    "SignatureDoesNotMatch": "refused FILMSTRIP_S3_SECRET_KEY: it is not the secret of "
    "FILMSTRIP_S3_ACCESS_KEY",
    "NoSuchBucket": "has no bucket {bucket!r} ({variable}): create it first",
    "AccessDenied": "does not let FILMSTRIP_S3_ACCESS_KEY use the bucket {bucket!r} ({variable})",
}


def _error(message: str, number: int) -> Error:
    return Error(message, hint=HINT, id=f"filmstrip.E{number:03}")


def _client(config: S3Config, *, signed: bool = True):
    """A client that gives up at once: start-up must say what is wrong, not wait."""
    options = client_config(attempts=1, connect_timeout=3)
    return boto3.client(
        "s3",
        endpoint_url=config.endpoint,
        region_name=config.region,
        aws_access_key_id=config.access_key,
        aws_secret_access_key=config.secret_key,
        config=options if signed else options.merge(Config(signature_version=UNSIGNED)),
    )


def _code(exc: ClientError) -> str:
    return exc.response.get("Error", {}).get("Code", "") or str(
        exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode", "")
    )


def _readable_by_anyone(anonymous, bucket: str, key: str) -> bool:
    try:
        anonymous.get_object(Bucket=bucket, Key=key)["Body"].close()
    except ClientError:
        return False
    return True


def _listable_by_anyone(anonymous, bucket: str) -> bool:
    try:
        anonymous.list_objects_v2(Bucket=bucket, MaxKeys=1)
    except ClientError:
        return False
    return True


def check_buckets(app_configs=None, **kwargs) -> list[Error]:
    config: S3Config | None = getattr(settings, "OBJECT_STORAGE", None)
    if config is None:
        return []
    client = _client(config)
    probe = PROBE.format(uuid.uuid4().hex)
    buckets = {
        "FILMSTRIP_S3_BUCKET_ORIGINALS": (config.bucket_originals, probe, "private"),
        "FILMSTRIP_S3_BUCKET_PUBLIC": (config.bucket_public, f"media/{probe}", "public-read"),
    }
    written: list[tuple[str, str]] = []
    try:
        for variable, (bucket, key, acl) in buckets.items():
            try:
                client.put_object(Bucket=bucket, Key=key, Body=b"", ACL=acl)
            except ClientError as exc:
                refusal = REFUSALS.get(_code(exc), f"refused a write ({_code(exc)})")
                message = f"The object storage at {config.endpoint} " + refusal.format(
                    bucket=bucket, variable=variable
                )
                return [_error(f"{message}.", 40)]
            written.append((bucket, key))
        return _read_anonymously(config, probe)
    except BotoCoreError as exc:
        return [_error(f"Cannot reach the object storage (FILMSTRIP_S3_ENDPOINT): {exc}", 43)]
    finally:
        for bucket, key in written:
            with contextlib.suppress(BotoCoreError, ClientError):  # may write, not delete
                client.delete_object(Bucket=bucket, Key=key)


def _read_anonymously(config: S3Config, probe: str) -> list[Error]:
    """The originals' probe must be out of a stranger's reach, the rendition's within it."""
    anonymous = _client(config, signed=False)
    errors = []
    bucket = config.bucket_originals
    if _readable_by_anyone(anonymous, bucket, probe) or _listable_by_anyone(anonymous, bucket):
        errors.append(
            _error(
                f"Anyone may read the originals' bucket {bucket!r} "
                "(FILMSTRIP_S3_BUCKET_ORIGINALS): a bucket policy or ACL makes it public, "
                "and originals keep their location and serial numbers. Remove that policy "
                "or grant.",
                41,
            )
        )
    if not _readable_by_anyone(anonymous, config.bucket_public, f"media/{probe}"):
        errors.append(
            _error(
                f"A public-read file in {config.bucket_public!r} "
                "(FILMSTRIP_S3_BUCKET_PUBLIC) cannot be read without credentials: readers "
                "would see no photos. Allow public-read ACLs on that bucket.",
                42,
            )
        )
    return errors
