"""Which text a file carries is a caption: the rules, on a table written here and on every
caption the test corpus holds (MANIFEST.tsv, shared or the committed sample)."""

import csv
from pathlib import Path

import pytest

from filmstrip.imaging import probe
from filmstrip.imaging.captions import honest, junk
from tests import made
from tests.conftest import CORPUS, HAVE_CORPUS, corpus_file

# Defaults, placeholders, file names, numbers and listings: never a caption.
JUNK = [
    "OLYMPUS DIGITAL CAMERA",
    "SONY DSC",
    "KODAK Digital Still Camera     ",
    "NIKON DIGITAL CAMERA",
    "Minolta DSC",
    "DCIM\\100MEDIA",
    "DCIM/100CANON",
    "Exif_JPEG_PICTURE",
    "CREATOR: gd-jpeg v1.0 (using IJG JPEG v62), quality = 90",
    "Created with GIMP",
    "LEAD Technologies Inc. V1.01",
    "null",
    "NULL",
    "undefined",
    "n/a",
    "caption",
    "Caption",
    "A caption",
    "The picture caption",
    "Image-Description",
    "Enter caption here",
    "headline",
    "Headline",
    "iptc-headline",
    "No headline",
    "Untitled",
    "",
    "                               ",
    "\x00\x00",
    "---",
    "12345",
    "2002:08:29 17:31:40",
    "IMG_1234",
    "IMG_1234.JPG",
    "DSCN1767.JPG",
    "P1010001",
    "_MG_4521",
    "PXL_20230615_101522123",
    "holiday photo 3.jpeg",
    "Caption *** Local Caption *** Local Caption",
    # A Nikon E995's IPTC caption (the corpus's, cut at 160 characters as the manifest has it).
    "Dateiname : DSCN1767.JPG  Dateigröße : 668.1 KB (684158 Byte)  Aufnahmedatum : "
    "2002/08/29 17:31:40  Bildgröße : 2048 x 1536 Pixel  Auflösung : 300 x 3",
    "File name: DSC_0042.NEF; Size: 24.3 MB; Resolution: 6000 x 4000; ISO 400; 1/250 s",
]

# Captions people wrote, some short, some with a colon, a number, a camera word or a listing
# of one or two facts: all kept.
GOOD = [
    "Harvest",
    "Wheat",
    "Mongol Els",
    "Der Goalie bin ig",
    "mit blauem Kleid",
    "Communications",
    "The Gateshead Angel",
    "Wilts & Dorset Bus",
    "A witty caption",
    "Fall 2023 Week 3",
    "Titel - Kyra",
    "South Korea v USA X",
    "El cielo sobre Berlin (Heaven above Berlin)",
    "Workshop showing workbench and storage",
    "This is a teeny weeny white square",
    "Photo of my grandmother",
    "Made with love in Berlin",
    "Sunset at f/2.8, ISO 100",
    "Location: Berlin, 1989",
    "1984: the wall still stands",
    "Sony's first digital camera, on a shelf in the museum",
    "19 Jan 2002:   Cobi Jones #13 of the USA controls the ball  in their Concacaf Gold Cup "
    "first round match versus South Korea at the Rose Bowl in Pasadena",
    "Adult female prairie falcon flying from a nest on one of our sedimentary slide walls. "
    "Note the four eggs in the eroded water chute.",
]

# Test files' own texts, which are what they say (the manifest holds them too).
CORPUS_TEST_TEXTS = [
    "(This caption in IIM) This is a metadata test file.",
    "(This caption in XMP) This is a metadata test file.",
    "$three $bar $thousands $dollars $from 1998 $through 2000",
    "ExifTool AFCP test",
    "Test description string for metadata-extractor",
    "The description aka caption (ref2019.1)",
    "The description aka caption (ref2022.1)",
    "The Headline (ref2019.1)",
    "The Headline (ref2022.1)",
    "This is the headline field",
    "UTF-16 (big-endian) encoded XMP",
    "WRONG-IPTC-Description",
    "WRONG-XMP-Description",
    "XMPFiles BlueSquare test file, created in Photoshop CS2, saved as .psd, .jpg, and .tif.",
    "This Hubble picture, taken on 23 July, is the first full-disc, natural-colour image of",
    "Early winter scene in the mostly barren, lightly occupied quarter of southeastern Utah",
    "Operation Mountain Viper put the soldiers of A Company, 2nd Battalion 22nd Infantry",
    "Falcon leaping from its nest into flight, it's wings fully outstretched.",
]


@pytest.mark.parametrize("text", JUNK)
def test_junk_is_no_caption(text):
    assert junk(text)
    assert honest(text) == ""


@pytest.mark.parametrize("text", GOOD + CORPUS_TEST_TEXTS)
def test_what_a_person_wrote_is_kept(text):
    assert not junk(text)
    assert honest(text) == text.strip()


def test_a_local_caption_after_photo_mechanics_separator_is_cut():
    assert honest("Harbour at dawn *** Local Caption *** Hafen") == "Harbour at dawn"


def test_a_long_listing_is_no_caption_however_long():
    fields = [f"Feld {n} : {n * 17} KB" for n in range(40)]
    assert len("  ".join(fields)) > 500
    assert junk("  ".join(fields))


def _manifest_texts(manifest: Path) -> set[str]:
    with manifest.open(newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    return {
        row[column]
        for row in rows
        for column in ("iptc_caption", "xmp_description", "iptc_headline")
        if row.get(column)
    }


def _classified(text: str) -> bool | None:
    """True for known junk, False for known good, None for a text this test does not list."""
    if text in JUNK or text.strip() == "" or text.startswith("Dateiname : DSCN1767.JPG"):
        return True
    if text in GOOD or any(text.startswith(known) for known in GOOD + CORPUS_TEST_TEXTS):
        return False
    return None


def test_every_caption_in_the_corpus_is_judged_as_the_table_says():
    texts = _manifest_texts(CORPUS / "MANIFEST.tsv")
    assert texts, "the manifest lists captions"
    unlisted = sorted(t for t in texts if _classified(t) is None)
    assert unlisted == [], "add these corpus captions to JUNK or GOOD"
    wrong = sorted(t for t in texts if junk(t) != _classified(t))
    assert wrong == []


@pytest.mark.parametrize(
    ("relative", "says"),
    [
        ("photos/metadata-extractor-images/jpg/Olympus FE230-X790.jpg", "OLYMPUS DIGITAL CAMERA"),
        ("photos/metadata-extractor-images/jpg/Kodak PIXPRO S-1.jpg", "KODAK Digital Still Camera"),
        ("photos/metadata-extractor-images/jpg/Issue 266.jpg", "null"),
        ("photos/metadata-extractor-images/jpg/Nikon E995 (iptc).jpg", "Dateiname : ..."),
        (
            "photos/metadata-extractor-images/jpg/Canon EOS-1D Mark III (via Adobe Lightroom).jpg",
            "caption",
        ),
        ("photos/immich-test-assets/metadata/tags/picasa.jpg", "Image-Description"),
        ("photos/immich-test-assets/albums/nature/el_torcal_rocks.jpg", "SONY DSC"),
    ],
)
def test_files_with_junk_captions_give_none(relative, says, tmp_path):
    info = probe(_file_saying(relative, says, tmp_path))
    assert info.description == "", says
    assert info.alt_text == ""


# A camera's listing of its own settings, as the Nikon E995 file carries one (in German).
SETTINGS_DUMP = (
    "Dateiname : DSCN0012.JPG\nDatum/Uhrzeit : 2002:08:29 17:31:40\nDateiformat : JPEG\n"
    "Bildgröße : 2048 x 1536\nBelichtungsmodus : Programmautomatik\nVerschlusszeit : 1/177\n"
    "Blende : F4.3\nBelichtungskorrektur : 0\nBrennweite : 8.2 mm\nWeißabgleich : Auto\n"
    "Scharfzeichnung : Auto\nBildqualität : FINE\nISO-Empfindlichkeit : 100"
)


def _file_saying(relative: str, says: str, folder: Path) -> Path:
    """The corpus file; without the corpus, a photo made here whose EXIF, IPTC and XMP
    descriptions say what the corpus file says (its licence keeps it out of the sample)."""
    if HAVE_CORPUS:
        return corpus_file(relative)
    text = SETTINGS_DUMP if says.startswith("Dateiname") else says
    path = folder / "junk.jpg"
    made.scene(96, 64).save(path, quality=90)
    made.exiftool(
        path,
        f"-EXIF:ImageDescription={text}",
        f"-IPTC:Caption-Abstract={text}",
        f"-XMP-dc:Description={text}",
    )
    return path


def test_a_real_caption_survives_the_probe():
    info = probe(corpus_file("photos/immich-test-assets/albums/nature/prairie_falcon.jpg"))
    assert info.description.startswith("Adult female prairie falcon")
