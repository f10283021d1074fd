"""The learning spam filter, trained the way an author trains it: by moderating."""

import pytest
from django.contrib.auth.models import User

from filmstrip.comments import classifier
from filmstrip.comments.models import Comment, Totals
from filmstrip.comments.policy import ModerationPolicy
from filmstrip.stories import publishing
from filmstrip.stories.models import Story

pytestmark = pytest.mark.django_db

SPAM = [
    "Free casino bonus, claim your spins at http://casino-bonus.example now",
    "Best casino online, free spins bonus http://casino-bonus.example",
    "Cheap pills without prescription http://pills.example order now",
    "Earn money fast from home, free bonus http://earn.example",
    "Casino jackpot free spins today only http://casino-bonus.example",
    "Order cheap pills online now http://pills.example free shipping",
]
HAM = [
    "The light on the dunes in the evening photo is wonderful.",
    "Which lens did you use for the falcon? The detail is lovely.",
    "I walked that ridge last autumn; your photos bring it back.",
    "Thank you for the essay, the captions are a pleasure to read.",
    "The nuthatch photo made my morning. How long did you wait?",
    "Beautiful colours in the cactus flower, and a great story.",
]


@pytest.fixture
def trained(client):
    story = Story.objects.create(title="Walks")
    publishing.publish(story)
    made = {
        kind: [
            Comment.objects.create(
                story=story, author_name="X", author_email=f"{kind}{i}@e.org", body=body
            )
            for i, body in enumerate(texts)
        ]
        for kind, texts in (("spam", SPAM), ("ham", HAM))
    }
    client.force_login(User.objects.create_superuser("editor", "e@example.org", "pw"))
    client.post(
        "/admin/comments/comment/",
        {"action": "mark_spam", "_selected_action": [c.pk for c in made["spam"]]},
    )
    client.post(
        "/admin/comments/comment/",
        {"action": "approve", "_selected_action": [c.pk for c in made["ham"]]},
    )
    return story, made


def test_moderating_teaches_the_filter(trained):
    assert (Totals.objects.get().spam, Totals.objects.get().ham) == (6, 6)


def test_it_holds_spam_and_explains_why(trained):
    story, _ = trained
    policy = ModerationPolicy(max_links=5, blocklist=[], hold_first_comments=False)
    spam = Comment(
        story=story,
        author_name="Z",
        body="Claim free casino spins bonus at http://casino-bonus.example",
    )
    decision = policy.decide(found=policy.check(spam, known_good=True))
    assert decision.status == "pending"
    assert decision.reasons[0].startswith("looks like spam (")
    assert "casino" in decision.reasons[0] or "link:casino-bonus.example" in decision.reasons[0]
    good = Comment(
        story=story, author_name="Y", body="The evening light on the ridge photo is lovely."
    )
    assert policy.check(good, known_good=True) == []


def test_a_changed_mind_is_unlearnt(trained, client):
    _, made = trained
    client.post(
        "/admin/comments/comment/", {"action": "approve", "_selected_action": [made["spam"][0].pk]}
    )
    assert (Totals.objects.get().spam, Totals.objects.get().ham) == (5, 7)
    comment = Comment.objects.get(pk=made["spam"][0].pk)
    assert comment.trained_as == "ham"


def test_no_opinion_before_enough_examples(db):
    story = Story.objects.create(title="New site")
    verdict = classifier.judge(Comment(story=story, author_name="A", body="free casino"))
    assert verdict.spam_probability is None
