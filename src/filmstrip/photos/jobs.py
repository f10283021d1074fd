"""Queueing photo processing, and recovering jobs that a dead worker left behind."""

from datetime import timedelta

from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from filmstrip.conf import filmstrip_settings

from .models import Photo
from .tasks import process_photo


def queue_processing(photo: Photo) -> None:
    """Queue the processing job for ``photo``.

    Called inside the transaction that stores the photo: with the database task backend the job
    row commits or rolls back together with the photo, so no photo is ever left without its job.
    """
    _enqueue(photo.pk)


def _enqueue(photo_id: int) -> None:
    process_photo.enqueue(photo_id)


def recover(*, startup: bool = False, sole_worker: bool = False) -> int:
    """Queue again the photos whose job was lost; returns how many were queued.

    A photo stuck in ``processing`` longer than FILMSTRIP_PROCESSING_LEASE_SECONDS goes back to
    pending; with ``sole_worker`` (the embedded worker, which knows no other is alive) any photo
    in ``processing`` does. With ``startup`` every pending photo is queued too, since a job may
    have been lost with a killed process. Queuing a photo twice is harmless: the second job
    finds it claimed or done and does nothing.
    """
    stuck = Photo.objects.filter(status=Photo.Status.PROCESSING)
    if not sole_worker:
        cutoff = timezone.now() - timedelta(seconds=filmstrip_settings.PROCESSING_LEASE_SECONDS)
        stuck = stuck.filter(status_changed_at__lt=cutoff)
    ids = list(stuck.values_list("pk", flat=True))
    Photo.objects.filter(pk__in=ids, status=Photo.Status.PROCESSING).update(
        status=Photo.Status.PENDING, status_changed_at=timezone.now()
    )
    if startup:
        queued = _queued_photo_ids()
        ids = [
            pk
            for pk in Photo.objects.filter(status=Photo.Status.PENDING).values_list("pk", flat=True)
            if pk not in queued
        ]
    for pk in ids:
        _enqueue(pk)
    return len(ids)


def _queued_photo_ids() -> set[int]:
    """Photos whose processing job is waiting in the database queue."""
    waiting = DBTaskResult.objects.ready().filter(task_path=process_photo.module_path)
    return {
        row["args_kwargs"]["args"][0]
        for row in waiting.values("args_kwargs")
        if row["args_kwargs"].get("args")
    }


def rebuild(photos) -> int:
    """Queue ``photos`` (a queryset) to be processed again, e.g. after a failure was fixed."""
    count = photos.exclude(status=Photo.Status.PROCESSING).update(
        status=Photo.Status.PENDING, failure_reason="", status_changed_at=timezone.now()
    )
    for pk in photos.filter(status=Photo.Status.PENDING).values_list("pk", flat=True):
        _enqueue(pk)
    return count
