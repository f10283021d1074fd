"""Who goes straight onto the page and who waits for the author: the moderation policy."""

import enum
import re
from dataclasses import dataclass, field

from filmstrip.conf import filmstrip_settings
from filmstrip.sitesettings.models import current

from . import classifier
from .classifier import THRESHOLD

_LINK = re.compile(r"https?://|www\.", re.IGNORECASE)
WAITING = "waiting for the Akismet check"


class AkismetVerdict(enum.Enum):
    """What the Akismet-compatible service (akismet.py) said of a comment."""

    UNASKED = "unasked"  # not yet: a background job asks once the comment is stored
    SPAM = "spam"
    HAM = "ham"
    SILENT = "silent"  # no usable answer


@dataclass
class Decision:
    status: str
    reasons: list[str] = field(default_factory=list)


class ModerationPolicy:
    """Hold what looks doubtful, let known good commenters through.

    A comment is held when it has more than ``max_links`` links, contains a blocklisted word,
    comes from a writer with no approved comment yet (when ``hold_first_comments``) or looks
    like spam to the learning filter. The site's own staff are never held. With ``akismet``
    (on when FILMSTRIP_AKISMET_KEY is set), a comment that would be published waits for the
    service's verdict.
    """

    def __init__(self, *, max_links=None, blocklist=None, hold_first_comments=None, akismet=None):
        self.max_links = filmstrip_settings.COMMENTS_MAX_LINKS if max_links is None else max_links
        words = filmstrip_settings.COMMENTS_BLOCKLIST if blocklist is None else blocklist
        self.blocklist = [w.lower() for w in words if w.strip()]
        self.hold_first_comments = (
            filmstrip_settings.COMMENTS_HOLD_FIRST
            if hold_first_comments is None
            else hold_first_comments
        )
        self.akismet = bool(filmstrip_settings.AKISMET_KEY) if akismet is None else akismet

    def knows(self, *, user, email: str, earlier=()) -> bool:
        """Whether the writer has had a comment approved: by their account if signed in; a guest
        only by an approved comment this browser posted (``earlier``, from the signed cookie)
        under the same e-mail address. An address alone is what anyone can type."""
        from .models import Comment, same_commenter

        approved = Comment.objects.approved().filter(same_commenter(user, email))
        if user is None:
            approved = approved.filter(pk__in=list(earlier))
        return approved.exists()

    def check(self, comment, *, known_good: bool) -> list[str]:
        """Why ``comment`` should wait for the author, in words; empty if nothing holds it.
        ``known_good``: its writer has had a comment approved (:meth:`knows`)."""
        reasons = []
        text = f"{comment.author_name} {comment.author_url} {comment.body}".lower()
        links = len(_LINK.findall(comment.body))
        if links > self.max_links:
            reasons.append(f"{links} links (more than {self.max_links})")
        words = [word for word in self.blocklist if word in text]
        if words:
            reasons.append(f"blocklisted words: {', '.join(words)}")
        if self.hold_first_comments and not known_good:
            who = "account" if comment.user_id else "address"
            reasons.append(f"first comment from this {who}")
        verdict = classifier.judge(comment)
        if verdict.spam_probability is not None and verdict.spam_probability >= THRESHOLD:
            reasons.append(verdict.explain())
        return reasons

    def decide(
        self,
        *,
        staff: bool = False,
        found=(),
        akismet: AkismetVerdict = AkismetVerdict.UNASKED,
    ) -> Decision:
        """The decision on a new or edited comment, from who wrote it (``staff``: the site's own
        people), what :meth:`check` ``found`` and, once the background job has asked, the
        ``akismet`` verdict."""
        from .models import Comment

        if staff:
            return Decision(Comment.Status.APPROVED)  # answering their readers: nothing to moderate
        reasons = list(found)
        if akismet is AkismetVerdict.SPAM:
            return Decision(Comment.Status.SPAM, [*reasons, "Akismet: spam"])
        if akismet is AkismetVerdict.SILENT:
            reasons.append("Akismet did not answer; left for you to decide")
        elif akismet is AkismetVerdict.UNASKED and self.akismet and not reasons:
            reasons = [WAITING]  # published only once the service agrees
        return Decision(Comment.Status.PENDING if reasons else Comment.Status.APPROVED, reasons)


def site_policy() -> ModerationPolicy:
    """The policy the author chose in the studio's site settings (filmstrip.sitesettings)."""
    chosen = current()
    return ModerationPolicy(
        max_links=chosen.comment_max_links,
        blocklist=chosen.blocklist(),
        hold_first_comments=chosen.hold_first_comments,
    )
