"""How long Django takes to render an essay's public documents, against a same-run reference.

Builds an essay (benchmarks/essay_fixture.py: 80 photos, 100 approved threaded comments, three
links back by default) in a throwaway data directory and SQLite database, then renders the essay
page, one photo page and the RSS feed through Django's full request handler (middleware, URL
resolution, view, template; no compression, as the publisher renders) and prints the median of
--runs renders of each, wall clock and CPU time of this process (the first is what a reader
waits, the second what the render costs when other work shares the cores), with the queries one
render makes.

The reference is the same request answered by a view that returns that document's bytes, saved
from the first render, from memory: the same handler, middleware and response, minus the database
and the template work. So "ratio" is what producing the document costs over merely sending it
through Django, and the reference's own time is Django's fixed cost per request.

    python benchmarks/render.py [--photos 80] [--comments 100] [--runs 25] [--profile essay]
"""

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))


def setup(data_dir: str) -> None:
    os.environ["FILMSTRIP_DATA_DIR"] = data_dir
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "filmstrip.project.settings")
    os.environ.pop("DATABASE_URL", None)
    os.environ["FILMSTRIP_DEBUG"] = "false"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def timed(client, path: str, runs: int) -> tuple[float, float, bytes]:
    """Median wall-clock and CPU milliseconds of ``runs`` requests, and the last body."""
    wall, cpu = [], []
    body = b""
    for _ in range(runs):
        started, started_cpu = time.perf_counter(), time.process_time()
        response = client.get(path)
        wall.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
        assert response.status_code == 200, (path, response.status_code)
        body = response.content
    return statistics.median(wall) * 1000, statistics.median(cpu) * 1000, body


def queries(client, path: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        client.get(path)
    return len(captured)


def reference(client, path: str, body: bytes, content_type: str, runs: int) -> float:
    """The same request through the same handler, answered with ``body`` from memory."""
    from django.http import HttpResponse
    from django.test import override_settings
    from django.urls import path as route

    urls = type("Urls", (), {})
    urls.urlpatterns = [route(path.lstrip("/"), lambda request: HttpResponse(body, content_type))]
    with override_settings(ROOT_URLCONF=urls):
        return timed(client, path, runs)[0]


def profile(client, path: str) -> None:
    import cProfile
    import pstats

    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(5):
        client.get(path)
    profiler.disable()
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(40)
    pstats.Stats(profiler).sort_stats("tottime").print_stats(25)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--photos", type=int, default=80)
    parser.add_argument("--comments", type=int, default=100)
    parser.add_argument("--runs", type=int, default=25)
    parser.add_argument("--profile", choices=["essay", "photo", "rss"])
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="filmstrip-render-") as data_dir:
        setup(data_dir)
        from urllib.parse import urlsplit

        from django.conf import settings
        from django.test import Client

        from benchmarks.essay_fixture import build_essay

        story = build_essay(photos=args.photos, comments=args.comments)
        photo_id = story.items.filter(photo__isnull=False)[args.photos // 2].photo_id
        documents = {
            "essay": (story.get_absolute_url(), "text/html; charset=utf-8"),
            "photo": (f"{story.get_absolute_url()}photos/{photo_id}/", "text/html; charset=utf-8"),
            "rss": ("/feed/rss/", "application/rss+xml; charset=utf-8"),
        }
        client = Client(HTTP_HOST=urlsplit(settings.SITE_URL).netloc)
        if args.profile:
            profile(client, documents[args.profile][0])
            return
        print(f"{args.photos} photos, {args.comments} comments, median of {args.runs} renders")
        print(
            f"{'document':<8} {'render ms':>10} {'cpu ms':>7} {'queries':>8}"
            f" {'reference ms':>13} {'ratio':>6}"
        )
        results = {}
        for name, (path, content_type) in documents.items():
            client.get(path)  # warm: templates compiled, URL resolvers filled
            render_ms, cpu_ms, body = timed(client, path, args.runs)
            count = queries(client, path)
            reference_ms = reference(client, path, body, content_type, args.runs)
            ratio = render_ms / reference_ms
            print(
                f"{name:<8} {render_ms:>10.1f} {cpu_ms:>7.1f} {count:>8} {reference_ms:>13.2f}"
                f" {ratio:>6.0f}"
            )
            results[name] = {
                "render_ms": round(render_ms, 2),
                "cpu_ms": round(cpu_ms, 2),
                "queries": count,
                "bytes": len(body),
                "reference_ms": round(reference_ms, 3),
                "ratio": round(ratio, 1),
            }
        print(json.dumps(results))


if __name__ == "__main__":
    main()
