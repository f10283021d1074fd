"""Which verified links back go straight onto the page: the moderation policy."""

from filmstrip.conf import filmstrip_settings

from .models import Backlink


class BacklinkPolicy:
    """Publish a verified link back from a site the author has already approved one from;
    hold the rest. A decision the author made (approved, spam, trash) is never overturned,
    except that an approved entry whose words changed is judged again like a new one: the
    author approved what they read, not whatever the source says next."""

    def __init__(self, *, trust_known_sites: bool | None = None):
        self.trust_known_sites = (
            filmstrip_settings.BACKLINKS_TRUST_KNOWN_SITES
            if trust_known_sites is None
            else trust_known_sites
        )

    def decide(self, backlink, *, text_changed: bool = False) -> str:
        status = backlink.status
        if status == Backlink.Status.APPROVED and text_changed:
            status = Backlink.Status.PENDING
        if status != Backlink.Status.PENDING:
            return status
        if self.trust_known_sites and backlink.source_host:
            known = Backlink.objects.filter(
                source_host=backlink.source_host, status=Backlink.Status.APPROVED
            ).exclude(pk=backlink.pk)
            if known.exists():
                return Backlink.Status.APPROVED
        return Backlink.Status.PENDING
