"""The public pages' layout widths and paper, written once.

The stylesheet (templates/filmstrip/site.css, through ``{% layout %}``) lays pages out with
them; the ``sizes`` of a photo (``photo_sizes``) tell a browser, before it has laid out
anything, how wide the photo will be drawn (its layout's column, its share of a group's row,
no taller than the viewport allows), so that it fetches the rendition to match; the photo
pipeline flattens a transparent photo's placeholder onto the paper. Change a width here and
all three follow.
"""

MEASURE_REM = 38  # the reading column: text, captions, forms
WIDE_REM = 70  # the widest a figure, or the list of essays, is drawn
# Below this viewport width a figure spans the window; above it, it stays WIDE_REM wide.
WIDE_VIEWPORT_REM = WIDE_REM + 2
TWO_COLUMNS_REM = 48  # from this viewport width the first essay card has its cover beside it
COVER_SHARE = (3, 2)  # its cover's share of the card's width, and the text's
PAPER = (251, 250, 247)  # the page's background (light scheme), under transparent photos too
PAD_REM = 1.25  # the reading column's margin on each side
# Under a photo, room for its caption's first line and its number ("Photo 3"): a photo is never
# drawn taller than the viewport less this, so the reader sees all of it and what it is.
CAPTION_ROOM_REM = 4.5
GAP_REM = 0.75  # between the photos of a group
# Below this viewport width a group becomes a column of photos, unless its photos are narrow
# enough to stay a row: their aspect ratios summing to at most ROW_ON_PHONE. On a 390 px phone
# such a row is at least 190 px tall (two portraits: 290 px); a wider row would draw each
# photo as a thumbnail, and a column draws each as large as the screen allows.
PHONE_REM = 40
ROW_ON_PHONE = 2.0

_cover, _text = COVER_SHARE
FIGURE_SIZES = f"(min-width: {WIDE_VIEWPORT_REM}rem) {WIDE_REM}rem, 100vw"
COVER_SIZES = (
    f"(min-width: {WIDE_VIEWPORT_REM}rem) {WIDE_REM * _cover // (_cover + _text)}rem, "
    f"(min-width: {TWO_COLUMNS_REM}rem) {100 * _cover // (_cover + _text)}vw, 100vw"
)

# Each photo layout's column, as (media condition, width) from the widest screen down: the
# reading column (with its margins), the widest figure, the whole window.
COLUMNS = {
    "text": [
        (f"(min-width: {MEASURE_REM}rem)", f"{MEASURE_REM - 2 * PAD_REM:g}rem"),
        ("", f"100vw - {2 * PAD_REM:g}rem"),
    ],
    "wide": [(f"(min-width: {WIDE_VIEWPORT_REM}rem)", f"{WIDE_REM}rem"), ("", "100vw")],
    "full": [("", "100vw")],
}
_TALLEST = f"100vh - {CAPTION_ROOM_REM:g}rem"
# Screens denser than this get photos at 2x their drawn width, not 3x: a 390 px phone at 3x
# would fetch the 1600 px rendition for every photo across it, three times the bytes of the
# 960 px one, for detail a reader does not see at that density. So ``sizes`` says two thirds of
# the width drawn there.
DENSE = "(min-resolution: 2.5dppx)"
DENSE_SHARE = "2 / 3"


def photo_sizes(layout: str, ratio: float, row: float | None = None, count: int = 1) -> str:
    """``sizes`` for a photo of aspect ``ratio`` (width / height) drawn in ``layout``: alone,
    or one of ``count`` photos in a row whose ratios sum to ``row``. The width drawn is its
    share of the column, or less where that would make it taller than the viewport allows."""
    columns = COLUMNS.get(layout, COLUMNS["wide"])
    tallest = f"({_TALLEST}) * {ratio:.4g}"
    if row is None:
        widths = [(media, f"min({column}, {tallest})") for media, column in columns]
    else:
        gaps = f" - {(count - 1) * GAP_REM:g}rem"
        share = f"{ratio / row:.4g}"
        widths = [(m, f"min(({c}{gaps}) * {share}, {tallest})") for m, c in columns]
        if row > ROW_ON_PHONE:  # a column on a phone: each photo as if alone
            alone = f"min({columns[-1][1]}, {tallest})"
            widths.insert(0, (f"(max-width: {PHONE_REM}rem)", alone))
    dense = [
        (" and ".join(filter(None, (DENSE, m))), f"calc({w} * {DENSE_SHARE})") for m, w in widths
    ]
    return ", ".join(f"{media} {width}".strip() for media, width in dense + widths)


# What {% sizes NAME %} gives a template, and {% layout NAME %} writes into the stylesheet.
SIZES = {"figure": FIGURE_SIZES, "cover": COVER_SIZES}
CSS = {
    "measure": f"{MEASURE_REM}rem",
    "wide": f"{WIDE_REM}rem",
    "two_columns": f"{TWO_COLUMNS_REM}rem",
    "cover_columns": f"{_cover}fr {_text}fr",
    "paper": "#{:02x}{:02x}{:02x}".format(*PAPER),
    "pad": f"{PAD_REM:g}rem",
    "room": f"{CAPTION_ROOM_REM:g}rem",
    "gap": f"{GAP_REM:g}rem",
    "phone": f"{PHONE_REM}rem",
    "wide_viewport": f"{WIDE_VIEWPORT_REM}rem",
}
