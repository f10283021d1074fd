"""What a linking page says about itself, read with mf2py and reduced to plain text."""

from filmstrip.backlinks.links import parse_html
from filmstrip.backlinks.microformats import describe

URL = "https://blog.example.net/2024/05/run.html"


def read(html: str):
    return describe(parse_html(html.encode()), URL)


def test_an_article_h_entry_gives_title_author_and_excerpt():
    details = read(
        """<html><head><title>Site · Run</title></head><body>
        <article class="h-entry">
          <h1 class="p-name">Running with strangers</h1>
          <a class="p-author h-card" href="/about">Dana <b>Q.</b></a>
          <div class="e-content"><p>I ran it too. <script>alert(1)</script>
          See <a href="https://photos.example.org/pyongyang/">these photos</a>.</p></div>
        </article></body></html>"""
    )
    assert details.title == "Running with strangers"
    assert details.author_name == "Dana Q."
    assert details.author_url == "https://blog.example.net/about"
    assert details.excerpt.startswith("I ran it too.")
    assert "<" not in details.excerpt and "these photos" in details.excerpt


def test_a_note_without_a_name_has_no_title_but_an_excerpt():
    details = read(
        '<div class="h-entry"><p class="e-content">Lovely light in photo 3!</p>'
        '<a class="u-author" href="https://dana.example/">Dana</a></div>'
    )
    assert details.title == ""
    assert details.excerpt == "Lovely light in photo 3!"
    assert details.author_url == "https://dana.example/"


def test_without_an_h_entry_the_page_title_is_used():
    details = read("<title>  A   page\n about runs </title><p>text</p>")
    assert (details.title, details.author_name, details.excerpt) == ("A page about runs", "", "")


def test_long_texts_are_cut_and_control_characters_dropped():
    body = "word " * 200
    details = read(
        f'<article class="h-entry"><h1 class="p-name">T\u202eitle\x07</h1>'
        f'<p class="p-author">{"N" * 300}</p><div class="e-content">{body}</div></article>'
    )
    assert details.title == "T itle"
    assert len(details.author_name) == 100 and details.author_name.endswith("…")
    assert len(details.excerpt) <= 280 and details.excerpt.endswith("…")


def test_a_script_url_is_never_taken_as_the_authors_site():
    details = read(
        '<article class="h-entry"><a class="p-author h-card" href="javascript:alert(1)">Eve</a>'
        '<p class="e-content">hi</p></article>'
    )
    assert details.author_name == "Eve" and details.author_url == ""
