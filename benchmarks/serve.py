"""A published essay served four ways under the same wrk load, alternating, in one run.

Builds the 80-photo essay with 100 approved comments (benchmarks/essay_fixture.py) in a throwaway
data directory, writes the published site (`filmstrip publish --all`) and measures, with the same
wrk command (-t2 -c8, fixed concurrency) against each server in turn, round after round:

  (a) django: the page rendered by Django for every request (`filmstrip serve`'s own granian
      command, running Django's plain WSGI application: no published file is looked at);
  (b) serve:  `filmstrip serve` sending the published file;
  (c) nginx:  Debian's nginx with `filmstrip nginx-config`, in front of (b);
  (d) ref:    the reference, nginx sending a plain copy of the same bytes (and the same .gz and
      .br files) from a folder;
  (e) python: for scale, the practical limit of Python doing the sending: a bare WSGI app that
      returns the same bytes from memory, under the same granian command as (a) and (b).

With ``--s3``, a demo photo is published too, in an essay of its own (so that the essay
measured keeps its 80 photos), and each round also fetches its 1600-pixel WebP rendition from
where readers get it: from the published directory through (b) and (c) when photos are on local
disk, and from a Ceph object gateway's public bucket (tests/s3server.py, Debian's Ceph), stored
as Filmstrip stores renditions there, when they are in object storage; printed as S3 / (b) and
S3 / (c). Pages come from each web machine's disk either way.

Twice: as a browser asks (`Accept-Encoding: gzip, br`) and without compression. Every server
keeps its access log (granian's as `filmstrip serve` runs it, Debian's nginx default). Prints
requests/s and p50/p99 latency (median of the rounds, and their range), the ratios b/d and c/d,
the database queries per request on the fast paths, and the page's render time in-process
(benchmarks/render.py's measurement). Needs Debian's `wrk`, `nginx` and
`libnginx-mod-http-brotli-static`:

    apt-get install wrk nginx libnginx-mod-http-brotli-static
    python benchmarks/serve.py [--rounds 5] [--seconds 10] [--s3]
"""

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path
from urllib.parse import urlsplit

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
from tests.browser.conftest import FILMSTRIP, free_port, running  # noqa: E402
from tests.cli import nginx_server  # noqa: E402

PHOTOS, COMMENTS = 80, 100
SERVERS = ("django", "serve", "nginx", "ref", "python")
MODES = {"gzip, br": "compressed (Accept-Encoding: gzip, br)", "": "uncompressed"}
REFERENCE = """\
    server {{
        listen 127.0.0.1:{port};
        root {folder};
        gzip_static on;
        brotli_static on;
        gzip_vary on;
    }}
"""


def bare_application(environ, start_response, _pages={}):  # noqa: B006 (loaded once)
    """(e): the page's bytes from memory, the encoding the client accepts, nothing else."""
    if not _pages:
        folder = Path(os.environ["FILMSTRIP_BENCHMARK_PAGE"])
        for encoding, suffix in (("br", ".br"), ("gzip", ".gz"), ("", "")):
            _pages[encoding] = (folder / f"index.html{suffix}").read_bytes()
    accepted = environ.get("HTTP_ACCEPT_ENCODING", "")
    encoding = next((name for name in ("br", "gzip") if name in accepted), "")
    headers = [("Content-Type", "text/html; charset=utf-8"), ("Vary", "Accept-Encoding")]
    if encoding:
        headers.append(("Content-Encoding", encoding))
    body = _pages[encoding]
    start_response("200 OK", [*headers, ("Content-Length", str(len(body)))])
    return [body]


def wrk(url: str, encoding: str, seconds: int) -> dict:
    command = ["wrk", "-t2", "-c8", f"-d{seconds}s", "--timeout", "10s", "--latency", url]
    if encoding:
        command[1:1] = ["-H", f"Accept-Encoding: {encoding}"]
    out = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    latency = dict(re.findall(r"^\s+(50|99)%\s+(\S+)\s*$", out, re.M))
    if re.search(r"Non-2xx or 3xx responses|Socket errors", out) or len(latency) < 2:
        raise SystemExit(f"{url} did not answer the load cleanly:\n{out}")
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out)[1]),
        "p50_ms": _ms(latency["50"]),
        "p99_ms": _ms(latency["99"]),
    }


def _ms(value: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", value).groups()
    return float(number) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit]


def build_rendition() -> str:
    """A demo photo processed and published in an essay of its own; its 1600-pixel WebP
    rendition's address."""
    from django.core.files.storage import default_storage

    from filmstrip.photos.intake import add_photo
    from filmstrip.photos.processing import process_photo
    from filmstrip.stories import publishing
    from filmstrip.stories.assembly import place_photo
    from filmstrip.stories.models import Story

    photo, _ = add_photo(REPO / "src/filmstrip/demo/photos/nuthatch.jpg")
    process_photo(photo.pk)
    story = Story.objects.create(title="Nuthatch", slug="nuthatch")
    place_photo(story, photo)
    publishing.publish(story)
    rendition = photo.renditions.get(width=1600, format="webp")
    return urlsplit(default_storage.url(rendition.name)).path


def build(data: Path, rendition: bool = False) -> dict:
    """The essay, its published files, and its render time and queries, in this process."""
    from benchmarks.render import queries, setup, timed

    setup(str(data))
    from django.conf import settings
    from django.test import Client

    from benchmarks.essay_fixture import build_essay

    story = build_essay(photos=PHOTOS, comments=COMMENTS)
    path = story.get_absolute_url()
    client = Client(HTTP_HOST=urlsplit(settings.SITE_URL).netloc)
    client.get(path)  # warm
    measured = timed(client, path, 25)  # wall ms first, the body last
    render_ms, body = measured[0], measured[-1]
    return {
        "path": path,
        "render_ms": round(render_ms, 1),
        "render_queries": queries(client, path),
        "bytes": len(body),
        "rendition": build_rendition() if rendition else "",
    }


def fast_path_queries(path: str, requests: int = 50) -> dict:
    """Queries and Django requests caused by sending the published file through the WSGI
    application `filmstrip serve` runs, called here so that every query would be counted."""
    import io

    from django.core.signals import request_started
    from django.db import connections

    from filmstrip.project.wsgi import application

    counted = {"queries": 0, "django_requests": 0}

    def count_query(execute, sql, params, many, context):
        counted["queries"] += 1
        return execute(sql, params, many, context)

    def count_request(**kwargs):
        counted["django_requests"] += 1

    started = []

    def start_response(status, headers, exc_info=None):
        started.append(status)

    request_started.connect(count_request)
    with ExitStack() as stack:
        for connection in connections.all():
            stack.enter_context(connection.execute_wrapper(count_query))
        for _ in range(requests):
            environ = {
                "REQUEST_METHOD": "GET", "PATH_INFO": path, "QUERY_STRING": "",
                "SERVER_NAME": "127.0.0.1", "SERVER_PORT": "8000", "HTTP_HOST": "127.0.0.1",
                "HTTP_ACCEPT_ENCODING": "gzip, br", "SERVER_PROTOCOL": "HTTP/1.1",
                "REMOTE_ADDR": "127.0.0.1", "wsgi.input": io.BytesIO(), "wsgi.errors": sys.stderr,
                "wsgi.url_scheme": "http", "wsgi.version": (1, 0), "wsgi.multithread": True,
                "wsgi.multiprocess": True, "wsgi.run_once": False,
            }  # fmt: skip
            body = application(environ, start_response)
            b"".join(body)
            getattr(body, "close", lambda: None)()
            assert started.pop().startswith("200"), path
    request_started.disconnect(count_request)
    return {name: value / requests for name, value in counted.items()}


def reference_copy(published: Path, folder: Path, path: str) -> None:
    """The essay page's file and its compressed siblings, copied byte for byte."""
    for suffix in ("", ".gz", ".br"):
        source = published / path.strip("/") / f"index.html{suffix}"
        target = folder / path.strip("/") / f"index.html{suffix}"
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, target)


def rendition_urls(published: Path, path: str, ports: dict[str, int]) -> dict[str, str]:
    """The published rendition at ``path``, and its bytes in a public bucket of a Ceph
    gateway, stored as Filmstrip stores renditions there; where each is fetched."""
    import boto3

    from benchmarks.ingest import Gateway
    from filmstrip.published.serving import RENDITION_CACHE

    key = path.lstrip("/")
    data = (published / key).read_bytes()
    gateway = Gateway()
    env = gateway.environment()
    bucket = env["FILMSTRIP_S3_BUCKET_PUBLIC"]
    boto3.client(
        "s3",
        endpoint_url=env["FILMSTRIP_S3_ENDPOINT"],
        region_name="us-east-1",
        aws_access_key_id=env["FILMSTRIP_S3_ACCESS_KEY"],
        aws_secret_access_key=env["FILMSTRIP_S3_SECRET_KEY"],
    ).put_object(
        Bucket=bucket, Key=key, Body=data, ACL="public-read",
        ContentType="image/webp", CacheControl=RENDITION_CACHE,
    )  # fmt: skip
    return {
        "serve": f"http://127.0.0.1:{ports['serve']}{path}",
        "nginx": f"http://127.0.0.1:{ports['nginx']}{path}",
        "s3": f"{env['FILMSTRIP_S3_ENDPOINT']}/{bucket}/{key}",
        "bytes": str(len(data)),
    }


def summary(runs: list[dict]) -> dict:
    rps = [run["rps"] for run in runs]
    return {
        "rps": statistics.median(rps),
        "rps_min": min(rps),
        "rps_max": max(rps),
        "p50_ms": statistics.median(run["p50_ms"] for run in runs),
        "p99_ms": statistics.median(run["p99_ms"] for run in runs),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--seconds", type=int, default=10, help="length of each wrk run")
    parser.add_argument("--s3", action="store_true", help="a rendition from a Ceph gateway too")
    args = parser.parse_args()
    if not shutil.which("wrk") or not nginx_server.available():
        raise SystemExit("needs: apt-get install wrk nginx libnginx-mod-http-brotli-static")

    with tempfile.TemporaryDirectory(prefix="filmstrip-serve-") as tmp, ExitStack() as stack:
        tmp = Path(tmp)
        data, reference, logs = tmp / "data", tmp / "reference", tmp / "logs"
        for folder in (data, reference, logs / "nginx", logs / "ref"):
            folder.mkdir(parents=True)
        page = build(data, rendition=args.s3)
        env = {**os.environ, "FILMSTRIP_DATA_DIR": str(data), "FILMSTRIP_DEBUG": "false"}
        env.pop("DJANGO_SETTINGS_MODULE", None)
        subprocess.run([FILMSTRIP, "publish", "--all"], env=env, check=True, cwd=REPO)
        from django.conf import settings

        published = Path(settings.FILMSTRIP_PUBLISHED_DIR)
        reference_copy(published, reference, page["path"])
        page["fast_path"] = fast_path_queries(page["path"])

        from filmstrip.cli.management.commands.serve import THREADS, WEB_PROCESSES, web_command

        ports = {name: free_port() for name in SERVERS}
        urls = {name: f"http://127.0.0.1:{port}{page['path']}" for name, port in ports.items()}
        django = web_command(
            host="127.0.0.1", port=ports["django"], processes=WEB_PROCESSES, threads=THREADS,
            app="filmstrip.project.wsgi:django_application",
        )  # fmt: skip
        serve = [FILMSTRIP, "serve", "--no-migrate", "--no-worker", "--port", str(ports["serve"])]
        django_env = {**env, "DJANGO_SETTINGS_MODULE": "filmstrip.project.settings"}
        stack.enter_context(running(django, django_env, ready_url=urls["django"]))
        bare = web_command(
            host="127.0.0.1", port=ports["python"], processes=WEB_PROCESSES, threads=THREADS,
            app="benchmarks.serve:bare_application",
        )  # fmt: skip
        page_folder = str(reference / page["path"].strip("/"))
        bare_env = {**env, "FILMSTRIP_BENCHMARK_PAGE": page_folder}
        stack.enter_context(running(bare, bare_env, ready_url=urls["python"]))
        served = stack.enter_context(running(serve, env, ready_url=urls["serve"]))
        block = subprocess.run(
            [FILMSTRIP, "nginx-config", "--listen", f"127.0.0.1:{ports['nginx']}",
             "--upstream", f"127.0.0.1:{ports['serve']}"],
            env=env, check=True, capture_output=True, text=True, cwd=REPO,
        ).stdout  # fmt: skip
        (logs / "nginx" / "filmstrip.conf").write_text(block)
        include = f"    include {logs / 'nginx' / 'filmstrip.conf'};"
        stack.enter_context(
            nginx_server.nginx(logs / "nginx", include, ready_url=urls["nginx"], workers="auto")
        )
        ref = REFERENCE.format(port=ports["ref"], folder=reference)
        stack.enter_context(
            nginx_server.nginx(logs / "ref", ref, ready_url=urls["ref"], workers="auto")
        )

        photo = rendition_urls(published, page["rendition"], ports) if args.s3 else {}
        photo_runs: dict[str, list[dict]] = {name: [] for name in ("serve", "nginx", "s3")}
        results = {mode: {name: [] for name in SERVERS} for mode in MODES}
        passed_on = 0  # requests of nginx's runs that reached `filmstrip serve` (its log)
        for name in SERVERS:  # warm every server once
            wrk(urls[name], "gzip, br", 2)
        for round_ in range(1, args.rounds + 1):
            for mode in MODES:
                for name in SERVERS:
                    if name == "nginx":  # the web server logs a request just after answering it
                        time.sleep(1)
                        before = _django_saw(served, page["path"])
                    run = wrk(urls[name], mode, args.seconds)
                    if name == "nginx":
                        time.sleep(1)
                        passed_on += _django_saw(served, page["path"]) - before
                    results[mode][name].append(run)
                    print(f"round {round_} {MODES[mode]:<40} {name:<7} "
                          f"{run['rps']:>9.1f} req/s  p50 {run['p50_ms']:>8.2f} ms  "
                          f"p99 {run['p99_ms']:>8.2f} ms", flush=True)  # fmt: skip
            for name in photo_runs if photo else ():
                run = wrk(photo[name], "", args.seconds)
                photo_runs[name].append(run)
                print(f"round {round_} {'rendition':<40} {name:<7} "
                      f"{run['rps']:>9.1f} req/s  p50 {run['p50_ms']:>8.2f} ms  "
                      f"p99 {run['p99_ms']:>8.2f} ms", flush=True)  # fmt: skip
        report(page, results, args, passed_on)
        if photo:
            report_rendition(photo, photo_runs)


def _django_saw(server, path: str) -> int:
    server.log.seek(0)
    return server.log.read().decode(errors="replace").count(f'"GET {path} HTTP/')


def report(page, results, args, serve_log_lines) -> None:
    print()
    print(
        f"{PHOTOS}-photo essay, {COMMENTS} comments, {page['bytes']:,} bytes; wrk -t2 -c8, "
        f"{args.seconds} s per run, {args.rounds} rounds (median, min-max)"
    )
    out = {"page": page, "modes": {}}
    for mode, title in MODES.items():
        rows = {name: summary(runs) for name, runs in results[mode].items()}
        print(f"\n{title}")
        print(f"{'server':<8} {'req/s':>10} {'range':>19} {'p50 ms':>9} {'p99 ms':>9}")
        for name, row in rows.items():
            spread = f"{row['rps_min']:.0f}-{row['rps_max']:.0f}"
            print(f"{name:<8} {row['rps']:>10.1f} {spread:>19} "
                  f"{row['p50_ms']:>9.2f} {row['p99_ms']:>9.2f}")  # fmt: skip
        ratios = {}
        for name in ("serve", "nginx", "python"):
            per_round = [
                run["rps"] / ref["rps"]
                for run, ref in zip(results[mode][name], results[mode]["ref"], strict=True)
            ]
            ratios[name] = {
                "median": round(statistics.median(per_round), 3),
                "min": round(min(per_round), 3),
                "max": round(max(per_round), 3),
            }
        print(
            f"b/d (serve/ref) {ratios['serve']['median']:.2f} "
            f"({ratios['serve']['min']:.2f}-{ratios['serve']['max']:.2f}), "
            f"c/d (nginx/ref) {ratios['nginx']['median']:.2f} "
            f"({ratios['nginx']['min']:.2f}-{ratios['nginx']['max']:.2f}), "
            f"e/d (bare Python/ref) {ratios['python']['median']:.2f} "
            f"({ratios['python']['min']:.2f}-{ratios['python']['max']:.2f})"
        )
        out["modes"][mode or "identity"] = {"servers": rows, "ratios": ratios}
    fast = page["fast_path"]
    print(
        f"\nqueries per request: django {page['render_queries']}, serve {fast['queries']:g} "
        f"(Django entered {fast['django_requests']:g} times per request), "
        f"nginx: {serve_log_lines} of its requests reached filmstrip serve"
    )
    print(f"render time of the page in-process: {page['render_ms']} ms (median of 25)")
    out["nginx_requests_reaching_serve"] = serve_log_lines
    print(json.dumps(out))


def report_rendition(photo: dict, runs: dict[str, list[dict]]) -> None:
    print(f"\na rendition, {int(photo['bytes']):,} bytes, uncompressed")
    rows = {name: summary(results) for name, results in runs.items()}
    print(f"{'from':<8} {'req/s':>10} {'range':>19} {'p50 ms':>9} {'p99 ms':>9}")
    for name, row in rows.items():
        spread = f"{row['rps_min']:.0f}-{row['rps_max']:.0f}"
        print(f"{name:<8} {row['rps']:>10.1f} {spread:>19} "
              f"{row['p50_ms']:>9.2f} {row['p99_ms']:>9.2f}")  # fmt: skip
    ratios = {}
    for name in ("serve", "nginx"):
        per_round = [s3["rps"] / run["rps"] for s3, run in zip(runs["s3"], runs[name], strict=True)]
        ratios[name] = [statistics.median(per_round), min(per_round), max(per_round)]
        print(f"S3 / {name}: {ratios[name][0]:.2f} ({ratios[name][1]:.2f}-{ratios[name][2]:.2f})")
    print(json.dumps({"rendition": rows, "ratios_s3": ratios}))


if __name__ == "__main__":
    main()
