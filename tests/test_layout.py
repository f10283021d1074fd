"""The page's widths are written once (filmstrip.layout): the stylesheet lays pages out with
them and the photos' ``sizes`` tell browsers the same widths."""

import pytest
from django.template.loader import get_template

from filmstrip import layout
from filmstrip.photos.templatetags.photos import DEFAULT_SIZES


def stylesheet() -> str:
    return get_template("filmstrip/site.css").render()


def test_the_stylesheet_takes_its_widths_and_paper_from_the_layout(monkeypatch):
    css = stylesheet()
    assert "--measure:38rem;--wide:70rem;" in css and "--paper:#fbfaf7;" in css
    assert "@media (min-width:48rem){.story-card" in css and "grid-template-columns:3fr 2fr" in css
    monkeypatch.setitem(layout.CSS, "wide", "64rem")
    monkeypatch.setitem(layout.CSS, "two_columns", "50rem")
    css = stylesheet()
    assert "--wide:64rem;" in css and "@media (min-width:50rem){.story-card" in css


def test_sizes_say_the_widths_the_stylesheet_draws():
    assert DEFAULT_SIZES == layout.FIGURE_SIZES == "(min-width: 72rem) 70rem, 100vw"
    # The first essay card's cover takes 3 of 5 parts of the widest row.
    assert layout.COVER_SIZES == "(min-width: 72rem) 42rem, (min-width: 48rem) 60vw, 100vw"
    assert layout.CSS["wide"] == f"{layout.WIDE_REM}rem"


def test_the_stylesheet_keeps_photos_within_the_screen_as_sizes_says():
    css = stylesheet()
    assert "--room:4.5rem;--gap:0.75rem;" in css
    assert "calc((100svh - var(--room)) * var(--r))" in css
    assert "@media (max-width:40rem){.group.stacks" in css
    # Words under a photo or row spanning the window keep off its edge; none is drawn wider
    # than the widest rendition.
    assert "--pad-edge:1.25rem;--largest:2400px;" in css
    assert "--edge:max(0px,calc(var(--pad-edge) - (100vw - var(--w)) / 2))" in css
    assert layout.CAPTION_ROOM_REM == 4.5 and layout.PHONE_REM == 40


@pytest.mark.parametrize(
    "args, sizes",
    [
        (("wide", 1.5), "(min-width: 72rem) min(70rem, (100vh - 4.5rem) * 1.5), "
         "min(100vw, (100vh - 4.5rem) * 1.5)"),
        (("text", 2 / 3), "(min-width: 38rem) min(35.5rem, (100vh - 4.5rem) * 0.6667), "
         "min(100vw - 2.5rem, (100vh - 4.5rem) * 0.6667)"),
        (("full", 1.5), "min(100vw, (100vh - 4.5rem) * 1.5)"),
        (("unknown", 1.5), "(min-width: 72rem) min(70rem, (100vh - 4.5rem) * 1.5), "
         "min(100vw, (100vh - 4.5rem) * 1.5)"),
        # Two portraits stay a row on a phone: each half of the row, less the gap.
        (("wide", 2 / 3, 4 / 3, 2), "(min-width: 72rem) min((70rem - 0.75rem) * 0.5, "
         "(100vh - 4.5rem) * 0.6667), min((100vw - 0.75rem) * 0.5, (100vh - 4.5rem) * 0.6667)"),
        # Four landscapes become a column there: each drawn as if alone.
        (("full", 1.5, 6.0, 4), "(max-width: 40rem) min(100vw, (100vh - 4.5rem) * 1.5), "
         "min((100vw - 2.25rem) * 0.25, (100vh - 4.5rem) * 1.5)"),
    ],
)  # fmt: skip
def test_photo_sizes_say_the_width_drawn(args, sizes):
    assert at_1x(layout.photo_sizes(*args)) == sizes


def test_screens_denser_than_2_5x_are_told_two_thirds_of_the_width():
    # A 3x phone fetches as for 2x: the 960 px rendition, not 1600, for a photo across it.
    assert layout.photo_sizes("full", 1.5) == (
        "(min-resolution: 2.5dppx) calc(min(100vw, (100vh - 4.5rem) * 1.5) * 2 / 3), "
        "min(100vw, (100vh - 4.5rem) * 1.5)"
    )
    assert layout.photo_sizes("wide", 1.5, 6.0, 4).startswith(
        "(min-resolution: 2.5dppx) and (max-width: 40rem) "
        "calc(min(100vw, (100vh - 4.5rem) * 1.5) * 2 / 3), "
        "(min-resolution: 2.5dppx) and (min-width: 72rem) "
        "calc(min((70rem - 2.25rem) * 0.25, (100vh - 4.5rem) * 1.5) * 2 / 3), "
        "(min-resolution: 2.5dppx) calc(min((100vw - 2.25rem) * 0.25, (100vh - 4.5rem) * 1.5)"
        " * 2 / 3), (max-width: 40rem) "
    )


def at_1x(sizes: str) -> str:
    """``sizes`` without the entries for screens denser than 2.5x: what the others read."""
    while sizes.startswith(layout.DENSE):
        sizes = sizes.split(f" * {layout.DENSE_SHARE}), ", 1)[1]
    return sizes
