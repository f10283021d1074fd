"""The public pages' layout widths and paper, written once.

The stylesheet (templates/filmstrip/site.css, through ``{% layout %}``) lays pages out with
them; the ``sizes`` of a photo tell a browser, before it has laid out anything, how wide the
photo will be drawn, so that it fetches the rendition to match; the photo pipeline flattens a
transparent photo's placeholder onto the paper. Change a width here and all three follow.
"""

MEASURE_REM = 38  # the reading column: text, captions, forms
WIDE_REM = 70  # the widest a figure, or the list of essays, is drawn
# Below this viewport width a figure spans the window; above it, it stays WIDE_REM wide.
WIDE_VIEWPORT_REM = WIDE_REM + 2
TWO_COLUMNS_REM = 48  # from this viewport width the first essay card has its cover beside it
COVER_SHARE = (3, 2)  # its cover's share of the card's width, and the text's
PAPER = (251, 250, 247)  # the page's background (light scheme), under transparent photos too

_cover, _text = COVER_SHARE
FIGURE_SIZES = f"(min-width: {WIDE_VIEWPORT_REM}rem) {WIDE_REM}rem, 100vw"
COVER_SIZES = (
    f"(min-width: {WIDE_VIEWPORT_REM}rem) {WIDE_REM * _cover // (_cover + _text)}rem, "
    f"(min-width: {TWO_COLUMNS_REM}rem) {100 * _cover // (_cover + _text)}vw, 100vw"
)

# What {% sizes NAME %} gives a template, and {% layout NAME %} writes into the stylesheet.
SIZES = {"figure": FIGURE_SIZES, "cover": COVER_SIZES}
CSS = {
    "measure": f"{MEASURE_REM}rem",
    "wide": f"{WIDE_REM}rem",
    "two_columns": f"{TWO_COLUMNS_REM}rem",
    "cover_columns": f"{_cover}fr {_text}fr",
    "paper": "#{:02x}{:02x}{:02x}".format(*PAPER),
}
