"""Who goes straight onto the page and who waits for the author: the moderation policy."""

import re
from dataclasses import dataclass, field

from filmstrip.conf import settings

from . import classifier
from .classifier import THRESHOLD

_LINK = re.compile(r"https?://|www\.", re.IGNORECASE)


@dataclass
class Decision:
    status: str
    reasons: list[str] = field(default_factory=list)


class ModerationPolicy:
    """Hold what looks doubtful, let known good commenters through.

    A comment is held when it has more than ``max_links`` links, contains a blocklisted word,
    or comes from a writer with no approved comment yet (when ``hold_first_comments``).
    """

    def __init__(self, *, max_links=None, blocklist=None, hold_first_comments=None):
        self.max_links = settings.COMMENTS_MAX_LINKS if max_links is None else max_links
        words = settings.COMMENTS_BLOCKLIST if blocklist is None else blocklist
        self.blocklist = [w.lower() for w in words if w.strip()]
        self.hold_first_comments = (
            settings.COMMENTS_HOLD_FIRST if hold_first_comments is None else hold_first_comments
        )

    def knows(self, *, user, email: str, earlier=()) -> bool:
        """Whether the writer has had a comment approved: by their account if signed in; a guest
        only by an approved comment this browser posted (``earlier``, from the signed cookie)
        under the same e-mail address. An address alone is what anyone can type."""
        from .models import Comment, same_commenter

        approved = Comment.objects.approved().filter(same_commenter(user, email))
        if user is None:
            approved = approved.filter(pk__in=list(earlier))
        return approved.exists()

    def decide(self, comment, *, known_good: bool) -> Decision:
        from .models import Comment

        reasons = []
        text = f"{comment.author_name} {comment.author_url} {comment.body}".lower()
        links = len(_LINK.findall(comment.body))
        if links > self.max_links:
            reasons.append(f"{links} links (more than {self.max_links})")
        found = [word for word in self.blocklist if word in text]
        if found:
            reasons.append(f"blocklisted words: {', '.join(found)}")
        if self.hold_first_comments and not known_good:
            who = "account" if comment.user_id else "address"
            reasons.append(f"first comment from this {who}")
        verdict = classifier.judge(comment)
        if verdict.spam_probability is not None and verdict.spam_probability >= THRESHOLD:
            reasons.append(verdict.explain())
        return Decision(Comment.Status.PENDING if reasons else Comment.Status.APPROVED, reasons)
