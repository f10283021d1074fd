"""A post's HTML as Markdown, and the photos in it as PhotoBlocks.

The Markdown is rendered later by stories.richtext (markdown-it, then nh3), which does the
sanitising: here text is only escaped so that it reads back as the same text.
"""

import re
import warnings
from collections.abc import Mapping
from urllib.parse import quote

from bs4 import BeautifulSoup, MarkupResemblesLocatorWarning, NavigableString, Tag
from markdownify import MarkdownConverter

from filmstrip.stories.richtext import MAX_SOURCE

from .records import Attachment, PhotoBlock

# Where a photo or embed was cut out of the text: a pair of private-use characters around its
# number, removed from the content beforehand so that none can be forged.
SLOT = re.compile("\ue000(\\d+)\ue001")
_WHOLE_SLOT = re.compile("\ue000\\d+\ue001")
# Removed from the content first; NUL too, which PostgreSQL refuses in text.
NO_SLOTS = str.maketrans({0xE000: None, 0xE001: None, 0: None})
# Elements whose Markdown wraps their text (a link, emphasis, a heading): a photo cut out of
# one goes before it, so the link or heading stays whole.
_WRAPPING = {"a", "b", "strong", "em", "i", "del", "s", "code", "kbd", "samp", "sup", "sub", "q"}
_WRAPPING |= {f"h{n}" for n in range(1, 7)}

# Deeper HTML is shown as plain paragraphs: the Markdown writer recurses once per level.
MAX_NESTING = 64
# A photo's frame (figure, link, caption) holds a few elements; a larger one is not a frame.
MAX_FRAME = 200

_ALWAYS = re.compile(r"([\\`*_\[\]<])")
_ENTITY = re.compile(r"&(?=#?\w+;)")
_QUOTE_MARK = re.compile(r"(^|\s)>")
_LINE_MARK = re.compile(r"(^|\s)(#{1,6}|[-+=]+|~{3,})(?=\s|$)")
_LIST_NUMBER = re.compile(r"(^|\s)(\d{1,9})([.)])(?=\s|$)")
_BLANK_RUN = re.compile(r"[ \t]{32,}")
_BACKTICKS = re.compile(r"`+")
_FENCE = re.compile(r"`{3,}")
_LINK_UNSAFE = re.compile(r"[\s<>]")
_WP_IMAGE = re.compile(r"wp-image-(\d+)", re.ASCII)
MAX_ID = 2**63 - 1  # WordPress's ids are 64-bit; a larger one is no id
_CAPTION_CLASS = re.compile(
    r"wp-caption-text|gallery-caption|blocks-gallery-item__caption|tiled-gallery-caption"
)
# Where WordPress and Jetpack put an image's original address, best first; `src` is often a
# resized variant and lazy-loading plugins leave a data: placeholder in it.
_URL_ATTRIBUTES = ("data-orig-file", "data-url", "src", "data-src", "data-lazy-src")
# The frames that hold one photo and perhaps its caption: a figure, a classic [caption]'s div,
# a classic gallery's dl/dt.
_FRAMES = ("figure", "dl", "dt")
_FRAME_CLASS = re.compile(r"\b(wp-caption|wp-block-image|gallery-item|gallery-icon|tiled-gallery)")


def slot(number: int) -> str:
    return f"\ue000{number}\ue001"


def escape(text: str) -> str:
    """Plain text as Markdown that reads back as the same text."""
    text = _ALWAYS.sub(r"\\\1", text)
    text = _ENTITY.sub(r"\\&", text)
    text = _QUOTE_MARK.sub(r"\1\\>", text)
    text = _LINE_MARK.sub(r"\1\\\2", text)
    return _LIST_NUMBER.sub(r"\1\2\\\3", text)


def link(url: str, label: str | None = None) -> str:
    """A Markdown link; ``label`` is Markdown already (the address itself when None)."""
    url = url.strip()
    target = _LINK_UNSAFE.sub(lambda m: quote(m[0]), url)
    if label is None:
        if target.startswith(("http://", "https://")):
            return f"<{target}>"
        label = escape(url)
    return f"[{label}](<{target}>)"


class _Writer(MarkdownConverter):
    def __init__(self) -> None:
        super().__init__(heading_style="atx", bullets="-", newline_style="backslash")

    def get_conv_fn(self, tag_name):
        convert = super().get_conv_fn(tag_name)
        if convert is None or tag_name not in _WRAPPING:
            return convert

        def hoisting(el, text, parent_tags):
            slots = _WHOLE_SLOT.findall(text)
            if not slots:
                return convert(el, text, parent_tags)
            return "".join(slots) + convert(el, _WHOLE_SLOT.sub("", text), parent_tags)

        return hoisting

    def process_text(self, el, parent_tags=None):
        # The writer's whitespace pattern takes time quadratic in a run of blanks (80,000
        # spaces: 55 s); outside <pre> a run reads as one space anyway.
        if "pre" not in (parent_tags or ()) and _BLANK_RUN.search(el):
            collapsed = NavigableString(_BLANK_RUN.sub(" ", el))
            collapsed.parent = el.parent
            collapsed.previous_sibling = el.previous_sibling
            collapsed.next_sibling = el.next_sibling
            el = collapsed  # read in el's place; the tree is left as it was
        return super().process_text(el, parent_tags)

    def convert_pre(self, el, text, parent_tags):
        # Blank lines around the code go, its indentation stays (str methods: the writer's
        # pattern for this is quadratic too); the fence outgrows any backtick run inside.
        body = text.rstrip(" \n")
        start = body.rfind("\n", 0, len(body) - len(body.lstrip(" \n")))
        body = body[start + 1 :]
        if not body:
            return ""
        fence = "`" * max(3, 1 + max((len(run) for run in _BACKTICKS.findall(body)), default=0))
        return f"\n\n{fence}\n{body}\n{fence}\n\n"

    def escape(self, text, parent_tags):
        return escape(text) if text else ""

    def convert_a(self, el, text, parent_tags):
        href = (el.get("href") or "").strip()
        stripped = text.strip()
        if "_noformat" in parent_tags or not stripped or not href:
            return text
        before = " " if text[:1].isspace() else ""
        after = " " if text[-1:].isspace() else ""
        unescaped = stripped.replace("\\", "")
        return before + link(href, None if unescaped == href else stripped) + after

    def convert_img(self, el, text, parent_tags):
        # Photos were taken out before; what is left (smileys, icons) reads as its alt text.
        return escape(el.get("alt") or "")

    def convert_cite(self, el, text, parent_tags):
        # A quote's source (its own paragraph in a quote block) reads as "— who".
        if "blockquote" in parent_tags and text.strip():
            return "\n\n\u2014 " + text.strip() + "\n\n"
        return text

    # Nor definition lists in CommonMark: terms and definitions read as paragraphs.
    def convert_dd(self, el, text, parent_tags):
        return "\n\n" + text.strip() + "\n\n" if text.strip() else ""

    convert_dt = convert_dd

    # The renderer has no tables: each row reads as a line, its cells parted by bars.
    def convert_td(self, el, text, parent_tags):
        return " ".join(text.split()) + " | "

    convert_th = convert_td

    def convert_tr(self, el, text, parent_tags):
        row = text.strip().removesuffix("|").strip()
        return row + "\\\n" if row else ""

    def convert_table(self, el, text, parent_tags):
        return "\n\n" + text.strip().removesuffix("\\") + "\n\n"

    def convert_hN(self, n, el, text, parent_tags):
        # The essay's title is the page's h1, and the renderer keeps h2 to h4.
        return super().convert_hN(min(max(n, 2), 4), el, text, parent_tags)


_WRITER = _Writer()


def soup(html: str) -> BeautifulSoup:
    # libxml2's parser, not Python's html.parser: that one takes quadratic time on unclosed
    # constructs ("<a " 33,000 times: 113 s; libxml2: 3 ms).
    with warnings.catch_warnings():
        # A post or caption that is only an address is no mistaken URL to fetch.
        warnings.simplefilter("ignore", MarkupResemblesLocatorWarning)
        return BeautifulSoup(html, "lxml")


def too_deep(node: Tag) -> bool:
    stack = [(node, 0)]
    while stack:
        tag, depth = stack.pop()
        if depth > MAX_NESTING:
            return True
        stack.extend((child, depth + 1) for child in tag.contents if isinstance(child, Tag))
    return False


def markdown(node: Tag) -> str:
    """Block Markdown for a parsed fragment."""
    if too_deep(node):
        lines = (line.strip() for line in node.get_text("\n").splitlines())
        return "\n\n".join(escape(line) for line in lines if line)
    return _WRITER.convert_soup(node).strip()


def passages(text: str) -> list[str]:
    """Markdown as passages the renderer parses whole (it shows a longer text as plain
    paragraphs, Markdown marks and all), parted at paragraph breaks outside code fences; a
    single paragraph longer than that stays one passage."""
    if len(text) <= MAX_SOURCE:
        return [text]
    out: list[str] = []
    current: list[str] = []
    size = 0
    fence = ""  # the open code fence, if any
    for paragraph in text.split("\n\n"):
        if current and not fence and size + len(paragraph) > MAX_SOURCE:
            out.append("\n\n".join(current))
            current, size = [], 0
        current.append(paragraph)
        size += len(paragraph) + 2
        for line in paragraph.split("\n"):
            if fence and line == fence:
                fence = ""
            elif not fence and _FENCE.fullmatch(line):
                fence = line
    out.append("\n\n".join(current))
    return out


def inline_markdown(node: Tag | str) -> str:
    """One Markdown paragraph (a caption): links and emphasis kept, line breaks dropped."""
    if isinstance(node, str):
        node = soup(node)
    for br in node.find_all("br"):
        br.replace_with(" ")
    # What was cut out of a caption (a shortcode written in it) has no place in one line.
    return " ".join(SLOT.sub("", markdown(node)).split())


def _classes(tag: Tag) -> list[str]:
    return [str(name) for name in tag.get_attribute_list("class") if name]


def _single_image(tag: Tag) -> bool:
    """Whether ``tag`` holds one image, looking no further than a photo's frame would need."""
    images = 0
    for seen, node in enumerate(tag.descendants):
        if seen > MAX_FRAME:
            return False
        if isinstance(node, Tag) and node.name == "img":
            images += 1
            if images > 1:
                return False
    return images == 1


def _frame(img: Tag) -> Tag:
    """The element that holds this photo alone: its link, figure or caption frame."""
    element = img
    for _ in range(4):
        parent = element.parent
        if parent is None:
            break
        classes = " ".join(_classes(parent))
        framing = parent.name in ("a", *_FRAMES) or _FRAME_CLASS.search(classes)
        if not framing or not _single_image(parent):
            break
        if parent.name == "a" and parent.get_text(strip=True):
            break  # a link around words and the photo is text's
        element = parent
    return element


def stand_in(element: Tag, text: str) -> None:
    """Make ``element`` a plain holder of ``text``, in place: bs4's replace_with looks for the
    element among its siblings, which made a post of many photos quadratic."""
    block = element.name in _FRAMES or element.name == "div"
    element.clear()
    element.name = "div" if block else "span"
    element.attrs = {}
    element.append(text)


def number(value: object) -> int | None:
    """A WordPress id (or count) as written, if it is one: a positive whole number that a
    database column holds. Written as text, ASCII digits only ("²" is a digit to Python)."""
    if isinstance(value, str):
        value = value.strip()
        value = int(value) if value.isascii() and value.isdecimal() else None
    if isinstance(value, int) and not isinstance(value, bool) and 0 < value <= MAX_ID:
        return value
    return None


def attachment_id(img: Tag) -> int | None:
    for name in _classes(img):
        if match := _WP_IMAGE.fullmatch(name):
            return number(match[1])
    for attribute in ("data-id", "data-attachment-id"):
        if (found := number(str(img.get(attribute) or ""))) is not None:
            return found
    return None


def image_url(img: Tag) -> str:
    for attribute in _URL_ATTRIBUTES:
        value = str(img.get(attribute) or "").strip()
        if value and not value.startswith("data:"):
            return value
    parent = img.parent
    if parent is not None and parent.name == "a":
        return str(parent.get("href") or "").strip()
    return ""


def is_photo(img: Tag) -> bool:
    classes = _classes(img)
    return "wp-smiley" not in classes and "emoji" not in classes and bool(image_url(img))


def photo(
    img: Tag, attachments: Mapping[int, Attachment], *, known_id: int | None = None
) -> tuple[Tag, PhotoBlock]:
    """The photo an <img> shows, and the element (with its caption) that stands for it."""
    element = _frame(img)
    number = known_id if known_id is not None else attachment_id(img)
    attachment = attachments.get(number) if number is not None else None
    caption = ""
    if element is not img:
        found = element.find("figcaption") or element.find(class_=_CAPTION_CLASS)
        if isinstance(found, Tag):
            caption = inline_markdown(found)
    alt = " ".join(SLOT.sub("", str(img.get("alt") or "")).split())
    alt = alt or (" ".join(attachment.alt.translate(NO_SLOTS).split()) if attachment else "")
    url = image_url(img) or (attachment.url if attachment else "")
    return element, PhotoBlock(attachment_id=number, url=url, caption=caption, alt=alt)


def attachment_photo(number: int, attachments: Mapping[int, Attachment]) -> PhotoBlock:
    """A photo known only by its id (a classic gallery): caption and alt from the library."""
    attachment = attachments.get(number)
    if attachment is None:
        return PhotoBlock(attachment_id=number)
    return PhotoBlock(
        attachment_id=number,
        url=attachment.url,
        caption=inline_markdown(attachment.caption) if attachment.caption.strip() else "",
        alt=" ".join(attachment.alt.translate(NO_SLOTS).split()),
    )
