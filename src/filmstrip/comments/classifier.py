"""A spam filter that learns from the author's own decisions, and says why it held a comment.

Naive Bayes over the words of a comment (and the domains it links to), counted in the database:
each "approve" or "spam" in the admin adds the comment's tokens to one side, and a changed mind
moves them. It judges only once it has seen enough of both kinds.
"""

import math
import re
from dataclasses import dataclass
from urllib.parse import urlparse

from django.db import transaction
from django.db.models import F

from .models import TokenCount, Totals

_WORD = re.compile(r"[a-z0-9']{2,30}")
_URL = re.compile(r"https?://[^\s)\]>\"']+", re.IGNORECASE)
MIN_EXAMPLES = 5  # of each kind, before the filter's opinion counts
THRESHOLD = 0.95
STRENGTH = 1.0  # how many sightings a token needs before its own rate outweighs neutrality


def tokens(comment) -> set[str]:
    text = f"{comment.body} {comment.author_name}".lower()
    found = set(_WORD.findall(_URL.sub(" ", text)))
    for url in _URL.findall(comment.body) + ([comment.author_url] if comment.author_url else []):
        host = urlparse(url).hostname or ""
        if host:
            found.add(f"link:{host.removeprefix('www.')}")
    return {t[:64] for t in found}


def _adjust(comment, kind: str, step: int) -> None:
    for token in tokens(comment):
        row, _ = TokenCount.objects.get_or_create(token=token)
        TokenCount.objects.filter(pk=row.pk).update(**{kind: F(kind) + step})
    totals, _ = Totals.objects.get_or_create(pk=1)
    Totals.objects.filter(pk=1).update(**{kind: F(kind) + step})


def learn(comment, kind: str | None) -> None:
    """Record the author's decision ("spam", "ham" or None), replacing an earlier one."""
    if comment.trained_as == (kind or ""):
        return
    with transaction.atomic():
        if comment.trained_as:
            _adjust(comment, comment.trained_as, -1)
        if kind:
            _adjust(comment, kind, +1)
        comment.trained_as = kind or ""
        comment.save(update_fields=["trained_as"])


@dataclass
class Verdict:
    spam_probability: float | None  # None until the filter has learnt enough
    evidence: list[tuple[str, float]]  # the tokens that pushed hardest towards spam

    def explain(self) -> str:
        words = ", ".join(f"“{token}”" for token, _ in self.evidence[:4])
        return f"looks like spam ({self.spam_probability:.2f}): {words}"


def judge(comment) -> Verdict:
    totals = Totals.objects.filter(pk=1).first()
    if totals is None or totals.spam < MIN_EXAMPLES or totals.ham < MIN_EXAMPLES:
        return Verdict(None, [])
    counts = {row.token: row for row in TokenCount.objects.filter(token__in=tokens(comment))}
    log_odds = math.log(totals.spam / totals.ham)
    weights: dict[str, float] = {}
    for token, row in counts.items():
        seen = row.spam + row.ham
        if not seen:
            continue
        # How spammy the token is, from its rate in each kind (so that the smaller kind is not
        # favoured), pulled towards neutral while it has been seen only a few times (Robinson).
        spam_rate, ham_rate = row.spam / totals.spam, row.ham / totals.ham
        p = spam_rate / (spam_rate + ham_rate)
        belief = (STRENGTH * 0.5 + seen * p) / (STRENGTH + seen)
        belief = min(max(belief, 0.001), 0.999)
        weight = math.log(belief / (1 - belief))
        log_odds += weight
        weights[token] = weight
    probability = 1 / (1 + math.exp(-max(-50.0, min(50.0, log_odds))))
    evidence = sorted(((t, w) for t, w in weights.items() if w > 0), key=lambda tw: -tw[1])
    return Verdict(probability, evidence)
