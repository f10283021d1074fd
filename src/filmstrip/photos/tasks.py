"""Background jobs of the photos app (Django Tasks API, database backend by default)."""

from django_tasks import task

from . import processing


@task()
def process_photo(photo_id: int) -> str:
    return processing.process_photo(photo_id)
