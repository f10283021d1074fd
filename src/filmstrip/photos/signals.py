"""What other apps may hear from photos; fire-and-forget only (see STYLE: signals)."""

from django.dispatch import Signal

# Sent with ``photo_id`` when a photo has new renditions (processed for the first time or
# again): the essays showing it look different now. Essays listen (stories.publishing), since
# photos may not import stories.
photo_ready = Signal()
