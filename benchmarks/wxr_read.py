"""Peak memory and speed of the WXR reader on a large generated export, against references.

Writes an export of about --size MB (posts with Gutenberg content, attachments with their
meta, threaded comments with meta: the shape of a long-lived photo blog), then reads it in
separate processes, each reporting its own peak resident memory (ru_maxrss):
  baseline  the interpreter with the reader imported, the file read through in chunks unparsed;
  reader    read_site + iter_items over every item (what `filmstrip import wordpress` does);
  tree      the whole file parsed into one tree at once (the C parser, no defusedxml), as a
            non-streaming reader would: what streaming saves (--no-tree leaves it out).
Prints one line per process, then one JSON object.

    python benchmarks/wxr_read.py [--size 100] [--no-tree] [--keep FILE]
"""

import argparse
import json
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HEAD = """<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
 xmlns:content="http://purl.org/rss/1.0/modules/content/"
 xmlns:wfw="http://wellformedweb.org/CommentAPI/" xmlns:dc="http://purl.org/dc/elements/1.1/"
 xmlns:wp="http://wordpress.org/export/1.2/">
<channel>
<title>A long photo blog</title><link>https://photos.example.org</link>
<language>en-GB</language><wp:wxr_version>1.2</wp:wxr_version>
<wp:base_site_url>https://photos.example.org</wp:base_site_url>
<wp:base_blog_url>https://photos.example.org</wp:base_blog_url>
<wp:author><wp:author_id>1</wp:author_id><wp:author_login><![CDATA[ada]]></wp:author_login>
<wp:author_email><![CDATA[ada@example.org]]></wp:author_email></wp:author>
"""
WORDS = [
    "light",
    "shade",
    "ridge",
    "mist",
    "lake",
    "morning",
    "frost",
    "granite",
    "fell",
    "beck",
    "tarn",
    "heather",
]


def prose(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + "."


def meta(key: str, value: str) -> str:
    return (
        f"<wp:postmeta><wp:meta_key><![CDATA[{key}]]></wp:meta_key>"
        f"<wp:meta_value><![CDATA[{value}]]></wp:meta_value></wp:postmeta>"
    )


def attachment(rng: random.Random, aid: int, parent: int) -> str:
    path = f"2014/{aid % 12 + 1:02d}/photo-{aid}.jpg"
    sizes = 'a:4:{s:5:"width";i:4000;s:6:"height";i:3000;s:4:"file";s:%d:"%s";s:5:"sizes";a:0:{}}'
    return (
        f"<item><title><![CDATA[photo-{aid}]]></title><wp:post_id>{aid}</wp:post_id>"
        f"<excerpt:encoded><![CDATA[{prose(rng, 12)}]]></excerpt:encoded>"
        f"<content:encoded><![CDATA[]]></content:encoded>"
        f"<wp:post_date_gmt>2014-04-28 06:30:00</wp:post_date_gmt>"
        f"<wp:status>inherit</wp:status><wp:post_parent>{parent}</wp:post_parent>"
        f"<wp:post_type>attachment</wp:post_type>"
        f"<wp:attachment_url>https://photos.example.org/wp-content/uploads/{path}"
        f"</wp:attachment_url>"
        + meta("_wp_attached_file", path)
        + meta("_wp_attachment_metadata", sizes % (len(path), path))
        + meta("_wp_attachment_image_alt", prose(rng, 8))
        + "</item>\n"
    )


def post(rng: random.Random, pid: int, photo_ids: list[int]) -> str:
    blocks = []
    for aid in photo_ids:
        blocks.append(f"<!-- wp:paragraph -->\n<p>{prose(rng, 80)}</p>\n<!-- /wp:paragraph -->")
        blocks.append(
            f'<!-- wp:image {{"id":{aid}}} -->\n<figure class="wp-block-image"><img '
            f'src="https://photos.example.org/wp-content/uploads/2014/04/photo-{aid}-1024x683.jpg"'
            f' alt="{prose(rng, 6)}" class="wp-image-{aid}"/><figcaption>{prose(rng, 10)}'
            "</figcaption></figure>\n<!-- /wp:image -->"
        )
    comments = "".join(
        f"<wp:comment><wp:comment_id>{pid * 100 + c}</wp:comment_id>"
        f"<wp:comment_author><![CDATA[Reader {c}]]></wp:comment_author>"
        f"<wp:comment_author_email>r{c}@example.org</wp:comment_author_email>"
        f"<wp:comment_date_gmt>2014-04-29 08:00:00</wp:comment_date_gmt>"
        f"<wp:comment_content><![CDATA[{prose(rng, 40)}]]></wp:comment_content>"
        f"<wp:comment_approved>1</wp:comment_approved><wp:comment_type></wp:comment_type>"
        f"<wp:comment_parent>{pid * 100 + c - 1 if c % 2 else 0}</wp:comment_parent>"
        + meta("akismet_result", "false").replace("postmeta", "commentmeta")
        + "</wp:comment>"
        for c in range(rng.randint(0, 8))
    )
    return (
        f"<item><title><![CDATA[{prose(rng, 5)}]]></title><dc:creator>ada</dc:creator>"
        f"<link>https://photos.example.org/2014/04/28/post-{pid}/</link>"
        f"<content:encoded><![CDATA[{chr(10).join(blocks)}]]></content:encoded>"
        f"<excerpt:encoded><![CDATA[{prose(rng, 20)}]]></excerpt:encoded>"
        f"<wp:post_id>{pid}</wp:post_id><wp:post_date>2014-04-28 07:30:00</wp:post_date>"
        f"<wp:post_date_gmt>2014-04-28 06:30:00</wp:post_date_gmt>"
        f"<wp:post_modified_gmt>2014-04-28 09:00:00</wp:post_modified_gmt>"
        f"<wp:post_name><![CDATA[post-{pid}]]></wp:post_name><wp:status>publish</wp:status>"
        f"<wp:post_type>post</wp:post_type>"
        f'<category domain="category" nicename="lakes"><![CDATA[Lakes]]></category>'
        f'<category domain="post_tag" nicename="mist"><![CDATA[Mist]]></category>'
        + meta("_wp_old_slug", f"old-post-{pid}")
        + comments
        + "</item>\n"
    )


def write_export(path: Path, megabytes: float) -> int:
    rng, target, next_id, posts = random.Random(14), megabytes * 1_000_000, 1, 0
    with path.open("w", encoding="utf-8") as f:
        f.write(HEAD)
        while f.tell() < target:
            pid, photos = next_id, list(range(next_id + 1, next_id + 1 + rng.randint(4, 12)))
            next_id = photos[-1] + 1
            f.write(post(rng, pid, photos))
            f.write("".join(attachment(rng, aid, pid) for aid in photos))
            posts += 1
        f.write("</channel>\n</rss>\n")
    return posts


CHILDREN = {
    "baseline": """
import filmstrip.migration.wordpress.wxr
with open(PATH, "rb") as f:
    while f.read(256 * 1024):
        pass
print(0)
""",
    "reader": """
from filmstrip.migration.wordpress.wxr import iter_items, read_site
read_site(PATH)
print(sum(1 for _ in iter_items(PATH)))
""",
    "tree": """
import xml.etree.ElementTree as ET
print(len(ET.parse(PATH).getroot()[0]))
""",
}


def measure(kind: str, path: Path) -> dict:
    code = f"PATH = {str(path)!r}\n" + CHILDREN[kind]
    code += "import resource; print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)\n"
    start = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    count, peak_kib = (int(x) for x in out.stdout.split())  # ru_maxrss: KiB on Linux
    return {"kind": kind, "items": count, "seconds": round(seconds, 2), "peak_mib": peak_kib / 1024}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size", type=float, default=100, help="export size in MB")
    parser.add_argument("--no-tree", action="store_true", help="leave out the whole-tree parse")
    parser.add_argument("--keep", type=Path, help="write the export here and keep it")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="filmstrip-wxr-") as tmp:
        path = args.keep or Path(tmp) / "export.xml"
        posts = write_export(path, args.size)
        size_mb = path.stat().st_size / 1_000_000
        print(f"export: {size_mb:.1f} MB, {posts} posts")
        kinds = ["baseline", "reader"] + ([] if args.no_tree else ["tree"])
        results = [measure(kind, path) for kind in kinds]
    for r in results:
        rate = size_mb / r["seconds"]
        print(
            f"{r['kind']:9} peak {r['peak_mib']:7.1f} MiB  {r['seconds']:6.2f} s  {rate:5.1f} MB/s"
        )
    by = {r["kind"]: r for r in results}
    extra = by["reader"]["peak_mib"] - by["baseline"]["peak_mib"]
    print(f"reader's own memory above the baseline: {extra:.1f} MiB")
    print(json.dumps({"size_mb": round(size_mb, 1), "posts": posts, "results": results}))


if __name__ == "__main__":
    main()
