"""WordPress import time against the folder import of the same photos, in one run.

An export of 8 posts with 10 photos each (a Gutenberg gallery per post, captions, alt text,
text passages and a few comments), with its uploads folder laid out as WordPress keeps it
(YYYY/MM/file), is imported with `filmstrip import wordpress EXPORT --media DIR`; the same 80
files are imported with `filmstrip import folder DIR`. Each import runs as its own command in a
fresh data directory, timed from start to exit (both queue the photos' processing for a worker,
which is the same for both and not timed here). Rounds alternate which goes first; prints each
round, the medians, and the median of the rounds' ratios (target: at most 1.15); the last line
is one JSON object.

    python benchmarks/wordpress_import.py [--photos DIR] [--rounds 5]
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from xml.sax.saxutils import escape

REPO = Path(__file__).resolve().parent.parent
DEMO_PHOTOS = REPO / "src" / "filmstrip" / "demo" / "photos"
SITE = "https://photos.example"
POSTS, PER_POST = 8, 10


def make_photos(folder: Path, count: int, sources: list[Path]) -> list[Path]:
    """``count`` different JPEGs made from ``sources`` at different sizes (each file must
    differ: both imports store a file once, by checksum)."""
    import pyvips

    folder.mkdir(parents=True, exist_ok=True)
    made = []
    for i in range(count):
        source = sources[i % len(sources)]
        image = pyvips.Image.thumbnail(str(source), 1200 + 16 * i, height=100_000)
        target = folder / f"photo-{i:03d}.jpg"
        image.jpegsave(str(target), Q=88)
        made.append(target)
    return made


def write_export(path: Path, uploads: Path, photos: list[Path]) -> None:
    """The export, and each photo copied to uploads/2015/MM/ as the post's month."""
    items, attachments = [], []
    for post in range(POSTS):
        month = f"2015/{post + 1:02d}"
        (uploads / month).mkdir(parents=True, exist_ok=True)
        blocks = [f"<!-- wp:paragraph --><p>Day {post + 1} of the walk.</p><!-- /wp:paragraph -->"]
        images = []
        for n, photo in enumerate(photos[post * PER_POST : (post + 1) * PER_POST]):
            aid = 1000 + post * PER_POST + n
            os.link(photo, uploads / month / photo.name)
            url = f"{SITE}/wp-content/uploads/{month}/{photo.name}"
            images.append(
                f'<!-- wp:image {{"id":{aid}}} --><figure class="wp-block-image"><img src="{url}"'
                f' alt="View {n} of day {post + 1}" class="wp-image-{aid}"/><figcaption>Stop '
                f"{n}, looking <em>north</em></figcaption></figure><!-- /wp:image -->"
            )
            attachments.append(_item(aid, photo.stem, "", "attachment", month, post + 1, url))
        blocks.append(
            '<!-- wp:gallery --><figure class="wp-block-gallery">'
            + "".join(images)
            + "</figure><!-- /wp:gallery -->"
        )
        blocks.append("<!-- wp:paragraph --><p>And home again.</p><!-- /wp:paragraph -->")
        items.append(_item(post + 1, f"Day {post + 1}", "\n".join(blocks), "post", month, 0))
    path.write_text(_channel("".join(items + attachments)), encoding="utf-8")


def _item(id, title, content, type, month, parent, url=""):
    comments = "" if type == "attachment" else _comments(id)
    slug = title.lower().replace(" ", "-")
    state = "inherit" if type == "attachment" else "publish"
    file = ""
    if url:
        file = (
            f"<wp:attachment_url>{url}</wp:attachment_url><wp:postmeta><wp:meta_key>"
            f"_wp_attached_file</wp:meta_key><wp:meta_value>{url.split('/uploads/')[1]}"
            "</wp:meta_value></wp:postmeta>"
        )
    return f"""<item><title>{escape(title)}</title><link>{SITE}/?p={id}</link>
<dc:creator><![CDATA[walker]]></dc:creator><guid isPermaLink="false">{SITE}/?p={id}</guid>
<content:encoded><![CDATA[{content}]]></content:encoded><excerpt:encoded><![CDATA[]]></excerpt:encoded>
<wp:post_id>{id}</wp:post_id><wp:post_date>{month[:4]}-{month[5:]}-10 09:00:00</wp:post_date>
<wp:post_date_gmt>{month[:4]}-{month[5:]}-10 08:00:00</wp:post_date_gmt>
<wp:post_modified_gmt>{month[:4]}-{month[5:]}-11 08:00:00</wp:post_modified_gmt>
<wp:comment_status>open</wp:comment_status><wp:post_name>{slug}</wp:post_name>
<wp:status>{state}</wp:status>
<wp:post_parent>{parent}</wp:post_parent><wp:post_type>{type}</wp:post_type>
{file}{comments}</item>
"""


def _comments(post_id: int) -> str:
    return "".join(
        f"""<wp:comment><wp:comment_id>{post_id * 10 + n}</wp:comment_id>
<wp:comment_author><![CDATA[Reader {n}]]></wp:comment_author>
<wp:comment_author_email>reader{n}@mail.example</wp:comment_author_email>
<wp:comment_date_gmt>2015-12-01 10:00:00</wp:comment_date_gmt>
<wp:comment_content><![CDATA[Lovely light in photo {n}.]]></wp:comment_content>
<wp:comment_approved>1</wp:comment_approved><wp:comment_type></wp:comment_type>
<wp:comment_parent>{post_id * 10 + n - 1 if n else 0}</wp:comment_parent></wp:comment>"""
        for n in range(3)
    )


def _channel(items: str) -> str:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
 xmlns:content="http://purl.org/rss/1.0/modules/content/"
 xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel><title>Walks</title><link>{SITE}</link><wp:wxr_version>1.2</wp:wxr_version>
<wp:base_site_url>{SITE}</wp:base_site_url><wp:base_blog_url>{SITE}</wp:base_blog_url>
<wp:author><wp:author_id>1</wp:author_id><wp:author_login><![CDATA[walker]]></wp:author_login>
</wp:author>
{items}</channel></rss>
"""


def timed(command: list[str], tmp: Path) -> float:
    """Seconds one import command takes, in a fresh data directory."""
    data = Path(tempfile.mkdtemp(dir=tmp, prefix="data-"))
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["FILMSTRIP_DATA_DIR"] = str(data)
    filmstrip = str(Path(sys.executable).with_name("filmstrip"))
    quiet = {"env": env, "stdout": subprocess.DEVNULL, "stderr": subprocess.PIPE}
    subprocess.run([filmstrip, "migrate", "--no-input"], check=True, **quiet)
    started = time.perf_counter()
    run = subprocess.run([filmstrip, *command], **quiet)
    elapsed = time.perf_counter() - started
    if run.returncode:
        raise SystemExit(f"{' '.join(command)} failed:\n{run.stderr.decode()}")
    return elapsed


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--photos", type=Path, help="folder of JPEGs to make the 80 from")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    sources = sorted((args.photos or DEMO_PHOTOS).glob("*.jpg"))
    if not sources:
        raise SystemExit("no JPEGs to make photos from")
    with tempfile.TemporaryDirectory(prefix="filmstrip-wp-bench-") as name:
        tmp = Path(name)
        photos = make_photos(tmp / "photos", POSTS * PER_POST, sources)
        export, uploads = tmp / "export.xml", tmp / "uploads"
        write_export(export, uploads, photos)
        size = sum(p.stat().st_size for p in photos) / 1e6
        print(f"{len(photos)} photos ({size:.0f} MB) in {POSTS} posts; {args.rounds} rounds")
        commands = {
            "folder": ["import", "folder", str(tmp / "photos"), "--title", "Walks"],
            "wordpress": ["import", "wordpress", str(export), "--media", str(uploads)],
        }
        times: dict[str, list[float]] = {"folder": [], "wordpress": []}
        for round_ in range(1, args.rounds + 1):
            order = ["folder", "wordpress"] if round_ % 2 else ["wordpress", "folder"]
            for kind in order:
                times[kind].append(timed(commands[kind], tmp))
            print(f"round {round_}: folder {times['folder'][-1]:.2f} s, "
                  f"wordpress {times['wordpress'][-1]:.2f} s")  # fmt: skip
    folder, wordpress = (statistics.median(times[k]) for k in ("folder", "wordpress"))
    # Round by round, as the two ran back to back: a shared machine's load drifts slowly.
    rounds = [w / f for w, f in zip(times["wordpress"], times["folder"], strict=True)]
    ratio = statistics.median(rounds)
    print(f"median: folder {folder:.2f} s, wordpress {wordpress:.2f} s; ratio {ratio:.2f} "
          f"(median of rounds {min(rounds):.2f}-{max(rounds):.2f}; target <= 1.15)")  # fmt: skip
    print(json.dumps({"photos": len(photos), "folder_s": round(folder, 3),
                      "wordpress_s": round(wordpress, 3), "ratio": round(ratio, 3),
                      "round_ratios": [round(r, 3) for r in rounds]}))  # fmt: skip


if __name__ == "__main__":
    main()
