"""Background jobs of the stories app."""

from django_tasks import task


@task()
def publish_when_due(story_id: int, moment: str) -> bool:
    """Queued for the moment a scheduled essay becomes public (see publishing.arrive)."""
    from . import publishing  # publishing queues this job

    return publishing.arrive(story_id, moment)
