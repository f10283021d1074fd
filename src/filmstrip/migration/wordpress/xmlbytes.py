"""An export's bytes as expat should get them, read a piece at a time.

Exports come as WordPress wrote them, which is not always as XML wants: a plugin may print
blank lines before the declaration; text pasted from word processors brings control
characters XML forbids (WordPress exports them as they are); and WordPress declares the blog's
own charset, which on old sites is GBK, Big5, Shift_JIS… that expat cannot read itself.
"""

import codecs
import re
from collections.abc import Iterator
from typing import IO

CHUNK = 256 * 1024
_HEAD = 4096  # at least this much is read first: the declaration and anything before it
_LEADING_JUNK = b"\xef\xbb\xbf \t\r\n"  # a BOM, or blank lines a plugin printed before the file
_DECLARED_ENCODING = re.compile(rb"<\?xml[^>]*?\sencoding=[\"']([A-Za-z][\w.:-]*)[\"']")
_EXPAT_ENCODINGS = {"utf-8", "iso8859-1", "ascii"}  # read by expat itself, and UTF-16
_FORBIDDEN_CONTROLS = bytes(c for c in range(32) if c not in b"\t\n\r")


class CharsetError(ValueError):
    """The bytes are not in the charset the file declares, or that charset is unknown."""


class XmlBytes:
    """Iterating gives the file's bytes for expat: leading junk and forbidden control
    characters dropped (never from UTF-16, where no byte may go), and in UTF-8 where the
    declared charset is one expat cannot read. Raises CharsetError."""

    def __init__(self, f: IO[bytes], chunk: int = CHUNK):
        self.f, self.chunk = f, chunk
        self.skipped_lines = 0  # dropped from the top: add them to expat's line numbers
        self.charset: str | None = None  # what expat reads itself, where it does

    def __iter__(self) -> Iterator[bytes]:
        head = self.f.read(max(self.chunk, _HEAD))
        stripped = head.lstrip(_LEADING_JUNK)
        self.skipped_lines = head[: len(head) - len(stripped)].count(b"\n")
        declared = _DECLARED_ENCODING.match(stripped)
        name = declared[1].decode() if declared else "UTF-8"
        try:
            codec = codecs.lookup(name)
        except LookupError:
            raise CharsetError(f"unknown encoding {name!r} in its declaration") from None
        if (
            stripped.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
            or codec.name == "utf-16"
        ):
            yield from self._read(stripped, drop=b"")
        elif codec.name in _EXPAT_ENCODINGS:
            self.charset = name
            yield from self._read(stripped, drop=_FORBIDDEN_CONTROLS)
        else:
            yield from self._transcoded(codec, head, stripped, declared)

    def _read(self, first: bytes, drop: bytes) -> Iterator[bytes]:
        piece = first
        while piece:
            yield piece.translate(None, drop) if drop else piece
            piece = self.f.read(self.chunk)

    def _transcoded(self, codec, head: bytes, stripped: bytes, declared) -> Iterator[bytes]:
        decoder = codec.incrementaldecoder()
        done, piece = len(head) - len(stripped), stripped
        try:
            text = decoder.decode(piece)  # the declaration is ASCII: its offsets hold in text
            text = text[: declared.start(1)] + "UTF-8" + text[declared.end(1) :]
            while text or piece:
                yield text.encode().translate(None, _FORBIDDEN_CONTROLS)
                done += len(piece)
                piece = self.f.read(self.chunk)
                text = decoder.decode(piece, final=not piece)
        except UnicodeDecodeError as exc:
            where = done + exc.start
            raise CharsetError(f"not valid {declared[1].decode()} near byte {where}") from None

    def not_in_charset(self, piece: bytes | None, at: int) -> str | None:
        """Why expat found an "invalid token" at ``at`` of ``piece``, where it is a byte the
        declared charset does not have (old databases often hold Windows-1252 text in an
        export that says UTF-8)."""
        if not (self.charset and piece and 0 <= at < len(piece)) or piece[at] < 0x80:
            return None
        try:
            piece[at : at + 4].decode(self.charset)
        except UnicodeDecodeError as exc:
            if exc.start == 0 and exc.reason != "unexpected end of data":
                return f"a byte (0x{piece[at]:02X}) that is not {self.charset}, as it says it is"
        return None
