"""A WordPress post's content as Filmstrip's ordered items: photos, and Markdown between them.

Gutenberg blocks, classic shortcodes and plain HTML are read alike: what holds a photo becomes
a PhotoBlock (its attachment id, caption and alt as the post wrote them), the rest becomes
Markdown. Photos found inside text are cut out where they stand and replaced by a placeholder
character pair that cannot occur in the content (it is removed first); the Markdown is then
split at the placeholders.

Constructs nothing here knows are kept as text and named in ``Conversion.unknown``.
"""

import re
from collections.abc import Mapping

from bs4 import BeautifulSoup

from . import autop, blocks, markup, shortcodes
from .records import Attachment, Conversion, PhotoBlock, TextBlock

Piece = PhotoBlock | TextBlock


ENCLOSING = frozenset({"caption", "wp_caption", "embed"})
GALLERY_SHORTCODES = frozenset({"gallery", "slideshow"})
# Jetpack's embed shortcodes: "[youtube URL]", "[vimeo URL]".
EMBED_SHORTCODES = frozenset({"embed", "youtube", "vimeo", "dailymotion", "flickr", "ted"})
# Shortcodes named in the report even written bare; any other bare "[word]" is taken for text.
KNOWN_OTHER_SHORTCODES = frozenset(
    {"audio", "video", "playlist", "contact-form", "wpvideo", "googlemaps", "soundcloud"}
    | {"instagram", "tweet", "polldaddy", "archives", "recipe", "gist", "wufoo"}
)
SHORTCODES = ENCLOSING | GALLERY_SHORTCODES | EMBED_SHORTCODES | KNOWN_OTHER_SHORTCODES

GALLERY_BLOCKS = frozenset({"core/gallery", "jetpack/tiled-gallery", "jetpack/slideshow"})
_TEXT = ("paragraph", "heading", "list", "list-item", "quote", "pullquote", "verse", "details")
_MORE_TEXT = ("preformatted", "code", "separator", "html", "freeform", "shortcode", "button")
# "missing" is what the editor makes of a block whose plugin is gone.
TEXT_BLOCKS = frozenset("core/" + name for name in (*_TEXT, *_MORE_TEXT, "missing"))
# Blocks whose inner blocks are read in order, their own markup (cover image included) too.
_CONTAINERS = ("group", "columns", "column", "cover", "media-text", "row", "stack", "buttons")
CONTAINER_BLOCKS = frozenset("core/" + name for name in _CONTAINERS)
SILENT_BLOCKS = frozenset({"core/more", "core/nextpage", "core/spacer"})
EMBED_BLOCKS = frozenset({"core/embed"})  # and "core-embed/*", their names before 5.6

IMAGE_SUFFIXES = frozenset(
    {".jpg", ".jpeg", ".jpe", ".png", ".gif", ".webp", ".avif", ".heic", ".heif", ".tif"}
    | {".tiff", ".bmp"}
)
MAX_GALLERY_PHOTOS = 5_000
# (Not across a placeholder: what was cut out next to an address is no part of it.)
_BARE_URL = re.compile(r"^[ \t]*+(https?://[^\s<>\"\ue000\ue001]++)[ \t]*+$", re.MULTILINE)
_MARKER_LINE = re.compile(r"[ \t]*+(?:[-*+>]|\d{1,9}[.)])?[ \t]*+")
_GALLERY_CLASS = re.compile(
    r"^(?:gallery|tiled-gallery|wp-block-gallery|wp-block-jetpack-tiled-gallery"
    r"|wp-block-jetpack-slideshow)$"
)
_COLUMNS_CLASS = re.compile(r"\bcolumns-(\d{1,2})\b", re.ASCII)
_ATTACHMENT_ID = re.compile(r"attachment_(\d+)", re.ASCII)


def _is_image(attachment: Attachment) -> bool:
    path = (attachment.file or attachment.url.split("?")[0]).rsplit("/", 1)[-1]
    return "." in path and "." + path.rsplit(".", 1)[1].lower() in IMAGE_SUFFIXES


class _Context:
    def __init__(self, attachments: Mapping[int, Attachment], post_id: int | None):
        self.attachments = attachments
        self.post_id = post_id
        self.unknown: dict[str, None] = {}  # insertion-ordered set
        self.slots: list[list[Piece]] = []
        self.galleries = 0
        self.gallery_photos = 0
        self._children: dict[int, list[Attachment]] = {}

    def note(self, what: str) -> None:
        self.unknown.setdefault(what, None)

    def slot(self, pieces: list[Piece]) -> str:
        self.slots.append(pieces)
        return markup.slot(len(self.slots) - 1)

    def images_of(self, parent: int) -> list[Attachment]:
        """The images attached to a post, in menu order then id (one pass over the library
        per post asked about: the importer converts each post with the whole library)."""
        if parent not in self._children:
            children = [
                attachment
                for attachment in self.attachments.values()
                if attachment.parent == parent and _is_image(attachment)
            ]
            self._children[parent] = sorted(children, key=lambda a: (a.menu_order, a.id))
        return list(self._children[parent])

    def gallery(self, photos: list[PhotoBlock], columns: int | None) -> list[PhotoBlock]:
        self.galleries += 1
        for photo in photos:
            photo.group = self.galleries
            photo.columns = columns
        return photos


def convert(
    html: str, attachments: Mapping[int, Attachment], *, post_id: int | None = None
) -> Conversion:
    """The post's content as photos and text passages, in reading order. ``attachments`` are
    the export's media by id; ``post_id`` names the post, whose attached media a
    ``[gallery]`` without ids shows. A PhotoBlock's attachment id is the one the markup names,
    which the export may lack."""
    context = _Context(attachments, post_id)
    content = html.replace("\r\n", "\n").replace("\r", "\n").translate(markup.NO_SLOTS)
    tree = blocks.parse(content)
    classic = not any(isinstance(part, blocks.Block) for part in tree)
    pieces: list[Piece] = []
    for part in tree:
        if isinstance(part, str):
            pieces += _html(part, context, classic=classic)
        else:
            pieces += _block(part, context)
    return Conversion(blocks=_joined(pieces), unknown=list(context.unknown))


def _joined(pieces: list[Piece]) -> list[PhotoBlock | TextBlock]:
    """Adjacent text passages as one (or as few as the renderer parses whole); empty ones
    dropped."""
    out: list[PhotoBlock | TextBlock] = []
    text: list[str] = []
    for piece in [*pieces, None]:
        if isinstance(piece, TextBlock):
            if piece.markdown.strip():
                text.append(piece.markdown)
            continue
        if text:
            out += [TextBlock(p) for p in markup.passages("\n\n".join(text))]
            text = []
        if piece is not None:
            out.append(piece)
    return out


# Blocks


def _block(block: blocks.Block, context: _Context) -> list[Piece]:
    name = block.name
    if name in SILENT_BLOCKS:
        return []
    if name == "core/image":
        return _image_block(block, context)
    if name in GALLERY_BLOCKS:
        return _gallery_block(block, context)
    if name in EMBED_BLOCKS or name.startswith("core-embed/"):
        return _embed_block(block, context)
    if name in TEXT_BLOCKS:
        return _html(block.html, context, classic=name == "core/freeform")
    if name not in CONTAINER_BLOCKS:
        context.note(f"block {name}")
        if not block.inner_blocks:
            # Named once: not again for the HTML it is made of (a table's <table>).
            return _html(block.html, context, named=True)
    pieces: list[Piece] = []
    for part in block.parts:
        if isinstance(part, str):
            pieces += _html(part, context)
        else:
            pieces += _block(part, context)
    return pieces


def _image_block(block: blocks.Block, context: _Context) -> list[Piece]:
    known = markup.number(block.attrs.get("id"))
    pieces = _html(block.html, context, known_id=known)
    if known is not None and not any(isinstance(p, PhotoBlock) for p in pieces):
        pieces.insert(0, markup.attachment_photo(known, context.attachments))
    return pieces


def _gallery_block(block: blocks.Block, context: _Context) -> list[Piece]:
    """core/gallery (images as inner blocks since WordPress 5.9, as list items before),
    Jetpack's tiled gallery and slideshow: the photos as one group, then the caption."""
    photos: list[PhotoBlock] = []
    if inner := block.inner_blocks:
        for child in inner:
            photos += [p for p in _block(child, context) if isinstance(p, PhotoBlock)]
        tree = markup.soup(block.own_html)
    else:
        tree = markup.soup(block.html)
        for img in tree.find_all("img"):
            if markup.is_photo(img):
                photos.append(markup.photo(img, context.attachments)[1])
    if not photos:
        photos = [markup.attachment_photo(i, context.attachments) for i in _block_ids(block)]
    columns = markup.number(block.attrs.get("columns"))
    pieces: list[Piece] = list(context.gallery(photos, columns))
    caption = tree.find("figcaption", class_="blocks-gallery-caption")
    if caption is not None and photos:
        pieces.append(TextBlock(markup.inline_markdown(caption)))
    return pieces


def _block_ids(block: blocks.Block) -> list[int]:
    value = block.attrs.get("ids")
    if isinstance(value, str):
        return _ids(value)
    numbers = [markup.number(i) for i in value] if isinstance(value, list) else []
    return [number for number in numbers if number is not None]


def _embed_block(block: blocks.Block, context: _Context) -> list[Piece]:
    tree = markup.soup(block.html)
    url = str(block.attrs.get("url") or "").strip()
    if not url:
        found = re.search(r"https?://[^\s<>\"]+", tree.get_text(" "))
        url = found[0] if found else ""
    if not url:
        return _html(block.html, context)
    pieces: list[Piece] = [TextBlock(markup.link(url))]
    caption = tree.find("figcaption")
    if caption is not None:
        pieces.append(TextBlock(markup.inline_markdown(caption)))
    return pieces


# HTML, shortcodes and classic text


def _html(
    html: str,
    context: _Context,
    *,
    classic: bool = False,
    known_id: int | None = None,
    named: bool = False,
) -> list[Piece]:
    """Text that may hold shortcodes, photos and embeds; ``classic`` text has its paragraphs
    as blank lines (WordPress's wpautop) and embeds as bare address lines."""
    if not html.strip():
        return []
    text = _with_shortcodes(html, context)
    if classic:
        text = autop.paragraphs(
            _BARE_URL.sub(lambda m: context.slot([TextBlock(markup.link(m[1]))]), text)
        )
    tree = markup.soup(text)
    if not markup.too_deep(tree):
        _galleries_in(tree, context)
        for img in tree.find_all("img"):
            if markup.is_photo(img):
                element, photo = markup.photo(img, context.attachments, known_id=known_id)
                known_id = None
                markup.stand_in(element, context.slot([photo]))
        _embeds_in(tree, context, named=named)
    else:
        context.note("deeply nested HTML")
    return _split(markup.markdown(tree), context)


def _galleries_in(tree: BeautifulSoup, context: _Context) -> None:
    """Galleries as WordPress and Jetpack render them (pasted into a classic post or an HTML
    block): their photos as one group."""
    done: set[int] = set()
    for frame in tree.find_all(class_=_GALLERY_CLASS):
        if any(id(parent) in done for parent in frame.parents):
            continue  # inside a gallery already taken
        images = [img for img in frame.find_all("img") if markup.is_photo(img)]
        if not images:
            continue
        done.add(id(frame))
        photos = [markup.photo(img, context.attachments)[1] for img in images]
        found = _COLUMNS_CLASS.search(" ".join(frame.get_attribute_list("class")))
        columns = int(found[1]) if found else None
        markup.stand_in(frame, context.slot(list(context.gallery(photos, columns))))


def _embeds_in(tree: BeautifulSoup, context: _Context, *, named: bool) -> None:
    """Frames and players become links to what they play; other HTML that Markdown cannot
    say (tables, forms, scripts) is named in the report unless its block already is."""
    for frame in tree.find_all(["iframe", "video", "audio"]):
        source = frame.get("src") or next(
            (s.get("src") for s in frame.find_all("source") if s.get("src")), ""
        )
        if frame.name != "iframe" and not named:
            context.note(f"html <{frame.name}>")
        if str(source).startswith(("http://", "https://")):
            markup.stand_in(frame, context.slot([TextBlock(markup.link(str(source)))]))
    if not named:
        for tag in tree.find_all(["table", "object", "embed", "form", "script", "style"]):
            context.note(f"html <{tag.name}>")


def _split(text: str, context: _Context) -> list[Piece]:
    pieces: list[Piece] = []
    for index, part in enumerate(markup.SLOT.split(text)):
        if index % 2:
            pieces += context.slots[int(part)]
            continue
        # A photo cut out of a list or quote leaves its item's marker behind.
        lines = part.strip().split("\n")
        first = next((i for i, line in enumerate(lines) if not _MARKER_LINE.fullmatch(line)), 0)
        while len(lines) > first and _MARKER_LINE.fullmatch(lines[-1]):
            lines.pop()
        passage = "\n".join(lines[first:]).strip()
        # ... and a line break before or after it ("\" at a line's end) breaks nothing now.
        if (len(passage) - len(passage.rstrip("\\"))) % 2:
            passage = passage[:-1].rstrip()
        if passage.startswith("\\\n"):
            passage = passage[2:].lstrip()
        if passage:
            pieces.append(TextBlock(passage))
    return pieces


def _with_shortcodes(html: str, context: _Context) -> str:
    out: list[str] = []
    done = 0
    for code in shortcodes.scan(html, ENCLOSING):
        if code.escaped:
            if code.name in SHORTCODES:  # WordPress unescapes only the ones it knows
                out += [html[done : code.start], html[code.start + 1 : code.end - 1]]
                done = code.end
            continue
        pieces = _shortcode(code, context)
        if pieces is None:
            continue
        out += [html[done : code.start], context.slot(pieces)]
        done = code.end
    out.append(html[done:])
    return "".join(out)


def _shortcode(code: shortcodes.Shortcode, context: _Context) -> list[Piece] | None:
    """What a shortcode stands for, or None to keep its text."""
    if code.name in GALLERY_SHORTCODES:
        return list(_gallery_shortcode(code, context))
    if code.name in ("caption", "wp_caption") and code.content is not None:
        return _caption_shortcode(code, context)
    if code.name in EMBED_SHORTCODES:
        url = (code.content or "").strip() if code.name == "embed" else ""
        url = url or code.attrs.get("url", "") or next(iter(code.positional), "")
        if url.startswith(("http://", "https://")):
            return [TextBlock(markup.link(url))]
    if code.name in KNOWN_OTHER_SHORTCODES or code.attrs or code.has_closer:
        context.note(f"shortcode [{code.name}]")
    return None


def _ids(value: str) -> list[int]:
    numbers = (markup.number(part) for part in re.split(r"[\s,]+", value))
    return [number for number in numbers if number is not None]


def _gallery_shortcode(code: shortcodes.Shortcode, context: _Context) -> list[PhotoBlock]:
    """[gallery ids="1,2"] (Jetpack's tiled and slideshow types alike) and [slideshow]:
    without ids, the images attached to the post (or to the post ``id`` names), in
    WordPress's order (menu order, then id; ``orderby``/``order`` may say otherwise)."""
    ids = _ids(code.attrs.get("ids") or code.attrs.get("include") or "")
    if not ids:
        parent = markup.number(code.attrs.get("id")) or context.post_id
        if parent is None:
            context.note(f"shortcode [{code.name}] without ids, post unknown")
            return []
        excluded = set(_ids(code.attrs.get("exclude") or ""))
        images = [a for a in context.images_of(parent) if a.id not in excluded]
        orderby = code.attrs.get("orderby", "").lower()
        if "title" in orderby:
            images.sort(key=lambda a: a.title.lower())
        elif orderby == "id":
            images.sort(key=lambda a: a.id)
        if code.attrs.get("order", "").upper() == "DESC":
            images.reverse()
        ids = [a.id for a in images]
    # A short shortcode can stand for many photos: a post's galleries show a bounded number.
    room = MAX_GALLERY_PHOTOS - context.gallery_photos
    if len(ids) > room:
        context.note(f"galleries past {MAX_GALLERY_PHOTOS} photos")
        ids = ids[: max(room, 0)]
    context.gallery_photos += len(ids)
    photos = [markup.attachment_photo(number, context.attachments) for number in ids]
    return context.gallery(photos, markup.number(code.attrs.get("columns")))


def _caption_shortcode(code: shortcodes.Shortcode, context: _Context) -> list[Piece]:
    """[caption id="attachment_5"]<a><img class="wp-image-5"></a> The caption[/caption]."""
    tree = markup.soup(code.content or "")
    img = next((i for i in tree.find_all("img") if markup.is_photo(i)), None)
    if img is None:
        return _html(code.content or "", context)
    found = _ATTACHMENT_ID.fullmatch(code.attrs.get("id", ""))
    known = markup.attachment_id(img) or (markup.number(found[1]) if found else None)
    element, photo = markup.photo(img, context.attachments, known_id=known)
    element.extract()
    if "caption" in code.attrs:  # the form before WordPress 3.4
        photo.caption = markup.inline_markdown(code.attrs["caption"])
    else:
        photo.caption = markup.inline_markdown(tree)
    return [photo]
