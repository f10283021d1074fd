"""The moderation policy's one decision: who wrote the comment, what the checks found and what
Akismet said, in, one status and its reasons out."""

import pytest

from filmstrip.comments.policy import WAITING, AkismetVerdict, ModerationPolicy

LINKS = "3 links (more than 2)"
NO_ANSWER = "Akismet did not answer; left for you to decide"


@pytest.mark.parametrize(
    ("staff", "found", "akismet_on", "verdict", "status", "reasons"),
    [
        # Without the service: the checks alone.
        (False, [], False, AkismetVerdict.UNASKED, "approved", []),
        (False, [LINKS], False, AkismetVerdict.UNASKED, "pending", [LINKS]),
        # With it, what would be published waits for it; what is held already just waits.
        (False, [], True, AkismetVerdict.UNASKED, "pending", [WAITING]),
        (False, [LINKS], True, AkismetVerdict.UNASKED, "pending", [LINKS]),
        # Its verdict, once the background job has asked.
        (False, [], True, AkismetVerdict.HAM, "approved", []),
        (False, [], True, AkismetVerdict.SPAM, "spam", ["Akismet: spam"]),
        (False, [LINKS], True, AkismetVerdict.SPAM, "spam", [LINKS, "Akismet: spam"]),
        (False, [], True, AkismetVerdict.SILENT, "pending", [NO_ANSWER]),
        # The site's own people are never held, by the checks or by the service.
        (True, [LINKS], True, AkismetVerdict.UNASKED, "approved", []),
        (True, [], True, AkismetVerdict.UNASKED, "approved", []),
        (True, [], False, AkismetVerdict.UNASKED, "approved", []),
    ],
)
def test_one_decision_from_every_input(staff, found, akismet_on, verdict, status, reasons):
    policy = ModerationPolicy(
        max_links=2, blocklist=[], hold_first_comments=True, akismet=akismet_on
    )
    decision = policy.decide(staff=staff, found=found, akismet=verdict)
    assert (decision.status, decision.reasons) == (status, reasons)


def test_the_service_is_asked_only_when_a_key_is_set(settings):
    settings.FILMSTRIP_AKISMET_KEY = ""
    assert ModerationPolicy().decide().status == "approved"
    settings.FILMSTRIP_AKISMET_KEY = "key"
    assert ModerationPolicy().decide().reasons == [WAITING]
