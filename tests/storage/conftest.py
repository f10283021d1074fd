import functools

import boto3
import pytest

from filmstrip.storage import config as object_storage
from filmstrip.storage.backends import client_config
from tests.s3server import missing_binaries

ORIGINALS, PUBLIC = "filmstrip-originals", "filmstrip-public"


@pytest.fixture(scope="session")
def s3_server():
    """One Ceph gateway for the whole run (about 15 s to start), with the two buckets."""
    if missing := missing_binaries():
        pytest.skip(f"needs Debian's Ceph ({', '.join(missing)}; scripts/install-system-deps)")
    from tests.s3server import shared_server

    server = shared_server()  # stopped at exit; tests/topology uses it too
    for bucket in (ORIGINALS, PUBLIC):
        admin_client(server).create_bucket(Bucket=bucket)
    return server


def admin_client(server):
    return boto3.client(
        "s3",
        endpoint_url=server.endpoint,
        region_name="us-east-1",
        aws_access_key_id=server.access_key,
        aws_secret_access_key=server.secret_key,
        config=client_config(),
    )


def environment(server, **overrides) -> dict[str, str]:
    """The FILMSTRIP_S3_* variables for ``server``; an override of None leaves one out."""
    env = {
        "FILMSTRIP_S3_ENDPOINT": server.endpoint,
        "FILMSTRIP_S3_ACCESS_KEY": server.access_key,
        "FILMSTRIP_S3_SECRET_KEY": server.secret_key,
        "FILMSTRIP_S3_BUCKET_ORIGINALS": ORIGINALS,
        "FILMSTRIP_S3_BUCKET_PUBLIC": PUBLIC,
    }
    env.update({f"FILMSTRIP_S3_{name.upper()}": value for name, value in overrides.items()})
    return {name: value for name, value in env.items() if value is not None}


def use_s3(settings, server, **overrides):
    """Django's settings as the FILMSTRIP_S3_* variables make them (pytest-django's
    ``settings`` undoes it after the test)."""
    config = object_storage.from_environ(environment(server, **overrides))
    settings.OBJECT_STORAGE = config
    settings.STORAGES = {**settings.STORAGES, "default": object_storage.storage_setting(config)}
    settings.MEDIA_URL = config.media_url
    return config


@pytest.fixture
def s3_settings(s3_server, settings):
    """Object storage for one test; call it again with overrides to change a variable."""
    use_s3(settings, s3_server)
    return functools.partial(use_s3, settings, s3_server)


@pytest.fixture
def s3(s3_server):
    return admin_client(s3_server)
