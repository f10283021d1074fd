"""What other apps may hear from essays; fire-and-forget only (see STYLE: signals)."""

from django.dispatch import Signal

# Sent with ``story`` when readers can see a new or changed essay (publish, record_change).
story_changed = Signal()
