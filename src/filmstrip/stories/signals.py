"""What other apps may hear from essays; fire-and-forget only (see STYLE: signals)."""

from django.dispatch import Signal

# Sent by stories.publishing with ``story`` when readers can see a new or changed essay.
story_changed = Signal()

# Sent by stories.publishing whenever anything a reader can see changed, so the published
# site can rebuild. Keyword arguments:
#   story: the Story whose public documents changed, or None when only site-wide documents
#          changed (site title, a tag renamed or deleted);
#   old_paths: list of URL paths that no longer exist (an unpublished or renamed essay's page,
#          its photo pages, its comment feed); may be empty;
#   whole_site: bool, True when every document may have changed (site title, licence default).
# Receivers only record the request and enqueue work in transaction.on_commit.
public_changed = Signal()
