"""`PORT=8080 make run` end to end: every absolute link follows the port the server listens on.

A real `filmstrip serve` on a free port (never 8000), read with a real HTTP client: the canonical
link, the three feeds and oEmbed carry that port, and the published files are rebuilt for it
when the same site is served again on another port.
"""

import json
import os
import re
import subprocess
import time
import urllib.parse
import urllib.request

from tests.browser.conftest import FILMSTRIP, free_port, running
from tests.conftest import REPO, migrated

ESSAY = """
from datetime import timedelta
from django.utils import timezone
from filmstrip.stories.models import Story, StoryItem
s = Story.objects.create(
    title="Quiet Harbour", slug="quiet-harbour", status="published",
    published_at=timezone.now() - timedelta(days=1),
)
StoryItem.objects.create(story=s, position=0, kind="text", body="First light.")
"""
# A file's ETag is "mtime-size" in hex, as nginx makes it (filmstrip.published.serving).
FROM_FILE = re.compile(r'^"[0-9a-f]+-[0-9a-f]+"$')


def get(url: str) -> tuple[str, str]:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.headers.get("ETag", ""), response.read().decode()


def until(check, seconds: float = 60) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.2)
    return False


def links_of(base: str) -> dict[str, str]:
    """Every absolute address the site hands out for the essay, by where it was found."""
    page = get(f"{base}/quiet-harbour/")[1]
    essay = f"{base}/quiet-harbour/"
    oembed = json.loads(
        get(f"{base}/oembed?{urllib.parse.urlencode({'url': essay, 'format': 'json'})}")[1]
    )
    return {
        "canonical": re.search(r'<link rel="canonical" href="([^"]+)"', page)[1],
        "rss": re.search(r"<link>([^<]+quiet-harbour[^<]*)</link>", get(f"{base}/feed/rss/")[1])[1],
        "atom": re.search(r'<link href="([^"]+quiet-harbour[^"]*)"', get(f"{base}/feed/atom/")[1])[
            1
        ],
        "json": json.loads(get(f"{base}/feed/json/")[1])["items"][0]["url"],
        "oembed": oembed["author_url"] if "author_url" in oembed else oembed["provider_url"],
        "oembed html": re.search(r'href="([^"]+)"', oembed["html"])[1],
    }


def serve(env, base, port=None):
    command = [FILMSTRIP, "serve", "--no-migrate", *(["--port", str(port)] if port else [])]
    return running(command, env, ready_url=f"{base}/")


def test_absolute_links_follow_the_port_and_the_published_site_is_rebuilt(tmp_path):
    data = tmp_path / "data"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("FILMSTRIP_", "DJANGO_"))}
    for name in ("DATABASE_URL", "HOST", "PORT"):
        env.pop(name, None)
    env["FILMSTRIP_DATA_DIR"] = str(data)
    migrated(data)
    subprocess.run(
        [FILMSTRIP, "shell", "-c", ESSAY], env=env, cwd=REPO, check=True, capture_output=True
    )
    published = data / "published" / "quiet-harbour" / "index.html"

    # `PORT=N make run`.
    first = free_port()
    env["PORT"] = str(first)
    base = f"http://127.0.0.1:{first}"
    with serve(env, base) as server:
        assert until(lambda: published.exists() and f":{first}/" in published.read_text())
        assert until(lambda: FROM_FILE.match(get(f"{base}/quiet-harbour/")[0])), server.output()
        for where, link in links_of(base).items():
            assert link.startswith(f"{base}/"), (where, link)

    # `filmstrip serve --port M` on the same data, PORT=N still in the environment: the links
    # follow the flag, and the files built for port N are rebuilt rather than sent.
    second = free_port()
    assert second not in (first, 8000)
    base = f"http://127.0.0.1:{second}"
    with serve(env, base, port=second) as server:
        for where, link in links_of(base).items():
            assert link.startswith(f"{base}/"), (where, link)
        assert until(lambda: f":{second}/" in published.read_text()), server.output()
        assert f":{first}/" not in published.read_text()
        assert until(lambda: FROM_FILE.match(get(f"{base}/quiet-harbour/")[0]))
        assert links_of(base)["canonical"] == f"{base}/quiet-harbour/"
