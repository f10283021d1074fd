"""Background jobs of the backlinks app: checking what we received, sending what we owe."""

from django.utils import timezone
from django_tasks import task

from .verification import verify


@task()
def verify_backlink(backlink_id: int) -> str:
    return verify(backlink_id)


@task()
def send_mentions(story_id: int) -> dict:
    from .sending import send_for_story  # sending → pingback → receiving imports this module

    return send_for_story(story_id).as_dict()


def queue_notices(sender, story, **kwargs) -> None:
    """An essay readers can see is new or changed: queue the notices to the pages it links to
    (inside the transaction that saved the change, if any; an essay scheduled for later, for
    then)."""
    job = send_mentions
    if story.published_at and story.published_at > timezone.now():
        job = send_mentions.using(run_after=story.published_at)
    job.enqueue(story.pk)
