"""Markdown built to be slow: every renderer stays within a time bound that grows linearly.

Python-Markdown took about 6 s on 5,000 characters of "[`" (its link parsing is quadratic) and
kept a web thread busy for minutes on an author's 100 KB. The bounds below are generous, for a
loaded machine, and count the CPU time of this process, which other processes on the machine
barely change: a linear parser meets them many times over, a quadratic one misses them by far.
An alarm ends a render that overruns, so a regression fails quickly instead of hanging.
"""

import signal
import time
from contextlib import contextmanager

import pytest

from filmstrip.comments.posting import MAX_BODY
from filmstrip.stories.richtext import (
    MAX_SMART_QUOTES,
    MAX_SOURCE,
    render_comment,
    render_inline,
    render_markdown,
)

# Four times the longest comment, rendered by every renderer within this many CPU seconds.
SIZE = 4 * MAX_BODY
SECONDS = 2.0
# The longest text an author can have parsed, within this many CPU seconds.
LARGE_SECONDS = 8.0

RENDERERS = [render_comment, render_markdown, render_inline]


def repeat(unit: str, size: int) -> str:
    return (unit * (size // len(unit) + 1))[:size]


def nested_list(size: int) -> str:
    lines, depth = [], 0
    while sum(map(len, lines)) < size:
        lines.append("  " * depth + "- a\n")
        depth = (depth + 1) % 500
    return "".join(lines)[:size]


def reference_chain(size: int) -> str:
    count = size // 30
    definitions = "".join(f"[r{i}]: /to/{i} 'title'\n" for i in range(count))
    return (definitions + "\n" + "".join(f"[x][r{i}]" for i in range(count)))[:size]


PATTERNS = {
    "link and code openers": lambda n: repeat("[`", n),
    "open brackets": lambda n: repeat("[", n),
    "image brackets": lambda n: repeat("![[", n),
    "unclosed links": lambda n: repeat("[a](", n),
    "brackets and parens": lambda n: repeat("[(", n),
    "brackets and angles": lambda n: repeat("[<", n),
    "backtick run": lambda n: repeat("`", n),
    "backtick spans": lambda n: repeat("`a", n),
    "asterisk run": lambda n: repeat("*", n),
    "underscore run": lambda n: repeat("_", n),
    "emphasis openers": lambda n: repeat("*a", n),
    "mixed delimiters": lambda n: repeat("*_", n),
    "strong openers": lambda n: repeat("**a", n),
    "intraword underscores": lambda n: repeat("a_", n),
    "nested quotes": lambda n: repeat(">", n - 2) + " a",
    "spaced nested quotes": lambda n: repeat("> ", n - 1) + "a",
    "nested lists": nested_list,
    "list markers": lambda n: repeat("- ", n - 1) + "a",
    "reference chain": reference_chain,
    "angle brackets": lambda n: repeat("<", n),
    "open tags": lambda n: repeat("<a ", n),
    "html comments": lambda n: repeat("<!--", n),
    "entities": lambda n: repeat("&#", n),
    "escapes": lambda n: repeat("\\`", n),
    "quote marks": lambda n: repeat("'\"", n),
    "quote marks in words": lambda n: repeat("a'b\" ", n),
    "typographic replacements": lambda n: repeat("(c)+-...?!!-- ", n),
}


@contextmanager
def at_most(seconds: float, what: str):
    """Fail if the block takes more than ``seconds`` of CPU time; stop it soon after if it does."""

    def overrun(signum, frame):
        raise TimeoutError

    previous = signal.signal(signal.SIGPROF, overrun)
    signal.setitimer(signal.ITIMER_PROF, seconds * 2)
    start = time.process_time()
    try:
        yield
    except TimeoutError:
        pytest.fail(f"{what} still running after {seconds * 2:.1f} CPU s (bound {seconds} s)")
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.signal(signal.SIGPROF, previous)
    elapsed = time.process_time() - start
    assert elapsed < seconds, f"{what} took {elapsed:.2f} CPU s (bound {seconds} s)"


@pytest.mark.parametrize("render", RENDERERS, ids=lambda r: r.__name__)
@pytest.mark.parametrize("pattern", PATTERNS)
def test_hostile_markdown_renders_in_bounded_time(pattern, render):
    text = PATTERNS[pattern](SIZE)
    assert len(text) == SIZE
    with at_most(SECONDS, f"{render.__name__} on {len(text)} characters of {pattern}"):
        render(text)


@pytest.mark.parametrize("pattern", PATTERNS)
def test_the_longest_parsed_text_renders_in_bounded_time(pattern):
    text = PATTERNS[pattern](MAX_SOURCE)
    assert len(text) == MAX_SOURCE  # one more and it would not be parsed
    with at_most(LARGE_SECONDS, f"render_markdown on {len(text)} characters of {pattern}"):
        render_markdown(text)


def test_longer_texts_are_shown_as_plain_escaped_paragraphs():
    text = repeat("[`", MAX_SOURCE) + "\n\n<script>alert(1)</script> *not emphasis*"
    with at_most(SECONDS, "a text over the limit"):
        html = render_markdown(text)
    assert html.count("<p>") == 2 and "<script" not in html and "<em>" not in html
    assert "&lt;script&gt;" in html and "*not emphasis*" in html


def test_curly_quotes_until_a_text_has_very_many():
    assert render_markdown('"Hi," she said.') == "<p>“Hi,” she said.</p>"
    many = '"a" ' * (MAX_SMART_QUOTES // 2 + 1)
    html = render_markdown(many)
    assert "“" not in html and '"a"' in html


def test_markdown_features_authors_and_readers_rely_on():
    text = "## Route\n\n> quoted\n\n- one\n- two\n\n`code` and [a link](https://example.org)"
    html = render_markdown(text)
    for fragment in ("<h2>Route</h2>", "<blockquote>", "<li>one</li>", "<code>code</code>"):
        assert fragment in html
    assert '<a href="https://example.org" rel="noopener">a link</a>' in html
    comment = render_comment("[site](https://example.org)\n\n## shout")
    assert 'rel="nofollow ugc noopener"' in comment and "<h2>" not in comment
    assert render_inline("A *caption*\n\nsecond") == "A <em>caption</em><br><br>second"
