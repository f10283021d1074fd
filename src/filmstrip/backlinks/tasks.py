"""Background jobs of the backlinks app: checking what we received."""

from django_tasks import task

from .verification import verify


@task()
def verify_backlink(backlink_id: int) -> str:
    return verify(backlink_id)
