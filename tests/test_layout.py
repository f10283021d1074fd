"""The page's widths are written once (filmstrip.layout): the stylesheet lays pages out with
them and the photos' ``sizes`` tell browsers the same widths."""

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
