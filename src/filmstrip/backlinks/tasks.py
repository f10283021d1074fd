"""Background jobs of the backlinks app: checking what we received, sending what we owe."""

from datetime import timedelta

from django.utils import timezone
from django_tasks import task

CHANGES_SETTLE = timedelta(minutes=5)


def is_waiting(job, *args) -> bool:
    """Whether a run of ``job`` with these arguments is queued and not started yet."""
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    queued = DBTaskResult.objects.filter(task_path=job.module_path, status=TaskResultStatus.READY)
    return queued.filter(args_kwargs__args=list(args)).exists()


# The two jobs import their modules when they run: the HTML parsers those load would cost every
# process that loads this app (all of them, for queue_notices) 0.2-0.35 s at start.


@task()
def verify_backlink(backlink_id: int) -> str:
    from .verification import verify

    return verify(backlink_id)


@task()
def send_mentions(story_id: int) -> dict:
    from .sending import send_for_story

    return send_for_story(story_id).as_dict()


def queue_notices(sender, story, **kwargs) -> None:
    """An essay readers can see is new or changed: queue the notices to the pages it links to
    (inside the transaction that saved the change, if any; an essay scheduled for later, for
    then)."""
    if is_waiting(send_mentions, story.pk):
        return  # autosave changes a published essay every few seconds: one run covers them
    job = send_mentions
    if story.published_at and story.published_at > timezone.now():
        job = send_mentions.using(run_after=story.published_at)
    elif story.updated_at and story.updated_at > story.published_at:
        # A change to a published essay: let the author finish typing before telling anyone.
        job = send_mentions.using(run_after=timezone.now() + CHANGES_SETTLE)
    job.enqueue(story.pk)
