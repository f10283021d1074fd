"""One Django storage over two buckets: originals private, renditions public and immutable.

The code stores everything through ``default_storage`` under names it chose (``originals/...``,
``r/...``; see photos.models and photos.naming), so the bucket is chosen by the name: a rendition
goes to the public bucket, readable by anyone and cached for good; anything else (originals with
their GPS, whatever is added later) to the private one, by default.
"""

import functools

from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError
from django.core.files.storage import Storage
from django.utils.deconstruct import deconstructible
from storages.backends.s3 import S3Storage

RENDITIONS = "r/"
# A rendition's name changes with its bytes (photos.naming): it may be cached forever.
IMMUTABLE = "public, max-age=31536000, immutable"


def client_config(*, attempts: int = 3, connect_timeout: float = 5) -> Config:
    return Config(
        signature_version="s3v4",
        # Path-style addresses work on every S3 server; virtual hosts need DNS for each bucket.
        s3={"addressing_style": "path"},
        connect_timeout=connect_timeout,
        read_timeout=60,
        retries={"max_attempts": attempts, "mode": "standard"},
    )


class StorageUnavailable(OSError):
    """The object storage could not be reached or refused: an OSError, as a full or unreadable
    disk would raise, so callers that report a failed write or read (an upload, an import, a
    processing job) report this one too instead of failing with a library's exception."""


def _as_os_error(method):
    @functools.wraps(method)
    def call(self, name, *args, **kwargs):
        try:
            return method(self, name, *args, **kwargs)
        except BotoCoreError as exc:
            raise StorageUnavailable(f"the object storage could not be reached: {exc}") from exc
        except ClientError as exc:
            code = exc.response.get("Error", {}).get("Code") or "an error"
            raise StorageUnavailable(
                f"the object storage answered {code} for {name!r} ({method.__name__})"
            ) from exc

    return call


@deconstructible(path="filmstrip.storage.backends.PhotoStorage")
class PhotoStorage(Storage):
    def __init__(self, private: dict, public: dict):
        self.private = S3Storage(
            **private,
            default_acl="private",
            querystring_auth=True,  # a URL of an original, if ever made, expires
            client_config=client_config(),
        )
        self.public = S3Storage(
            **public,
            default_acl="public-read",
            querystring_auth=False,  # pages are rendered once: their URLs must not expire
            object_parameters={"CacheControl": IMMUTABLE},
            client_config=client_config(),
        )

    def bucket_for(self, name: str) -> S3Storage:
        return self.public if name.startswith(RENDITIONS) else self.private

    @_as_os_error
    def _open(self, name, mode="rb"):
        return self.bucket_for(name)._open(name, mode)

    @_as_os_error
    def _save(self, name, content):
        return self.bucket_for(name)._save(name, content)

    @_as_os_error
    def get_available_name(self, name, max_length=None):
        return self.bucket_for(name).get_available_name(name, max_length)

    @_as_os_error
    def delete(self, name):
        self.bucket_for(name).delete(name)

    @_as_os_error
    def exists(self, name):
        return self.bucket_for(name).exists(name)

    @_as_os_error
    def size(self, name):
        return self.bucket_for(name).size(name)

    @_as_os_error
    def url(self, name):
        return self.bucket_for(name).url(name)

    @_as_os_error
    def get_modified_time(self, name):
        return self.bucket_for(name).get_modified_time(name)

    @_as_os_error
    def listdir(self, path):
        folder = path.strip("/")
        if folder:
            return self.bucket_for(f"{folder}/").listdir(folder)
        folders, files = self.private.listdir("")
        public_folders, public_files = self.public.listdir("")
        return sorted({*folders, *public_folders}), sorted({*files, *public_files})
