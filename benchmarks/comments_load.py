"""Comments under load: 50 clients posting for 30 s against `filmstrip serve`, per database.

For SQLite (the embedded default) and PostgreSQL (a throwaway cluster, as in the tests), it
starts `filmstrip serve` (2 web processes × 32 threads, embedded worker) on loopback, publishes an
essay, and lets N client threads each fetch the form tokens and post unique comments for the
given time. Then it counts: accepted (the server answered success), stored (rows found),
duplicates (a body stored more than once), lost (accepted but not stored) and server errors.

With --attackers, that many more clients send the worst bodies known for Markdown parsers
(``[`[`…``, 4,990 characters) and then edit their comments with them as fast as they can, while
--readers clients fetch the essay page and time each answer. The figures then say whether the
site stayed up (the server still running, the page answering) and the readers' p50/p99.
The last line is one JSON object per database.

    python benchmarks/comments_load.py [--clients 50] [--seconds 30] [--databases sqlite,postgres]
                                       [--attackers 4] [--readers 2]
"""

import argparse
import http.cookiejar
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
from tests.browser.conftest import FILMSTRIP, free_port  # noqa: E402


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def client(base: str, slug: str, number: int, deadline: float, results: Counter, lock):
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect)
    sent = 0
    while time.monotonic() < deadline:
        sent += 1
        outcome = "client_errors"
        try:
            with opener.open(f"{base}/comments/{slug}/form", timeout=30) as response:
                tokens = json.loads(response.read())
            form = urllib.parse.urlencode(
                {
                    "name": f"Client {number}",
                    "email": f"client{number}@example.org",
                    "body": f"{HONEST_PREFIX} {number}-{sent}",
                    "token": tokens["token"],
                    "csrfmiddlewaretoken": tokens["csrf"],
                }
            ).encode()
            request = urllib.request.Request(
                f"{base}/comments/{slug}/post", data=form, headers={"Referer": f"{base}/{slug}/"}
            )
            with opener.open(request, timeout=30) as response:
                outcome = "accepted" if response.status == 200 else f"http_{response.status}"
        except urllib.error.HTTPError as error:
            if error.code in (301, 302, 303):
                outcome = "accepted"
            elif error.code >= 500:
                outcome = "server_errors"
            else:
                outcome = f"http_{error.code}"
        except (urllib.error.URLError, TimeoutError, ConnectionError):
            outcome = "client_errors"
        with lock:
            results[outcome] += 1


# Quadratic for Python-Markdown's link parsing: about 6 s for one render of 5,000 characters.
WORST_BODY = "[`" * 2495  # leaves room for a counter under the 5,000 limit
HONEST_PREFIX = "Load comment"


def _tokens(opener, base: str, slug: str) -> dict:
    with opener.open(f"{base}/comments/{slug}/form", timeout=30) as response:
        return json.loads(response.read())


def attacker(base: str, slug: str, number: int, deadline: float, results: Counter, lock):
    """Posts the worst body, then edits its own comments with it, until the deadline."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect)
    sent = 0
    while time.monotonic() < deadline:
        sent += 1
        outcome = "attack_client_errors"
        try:
            tokens = _tokens(opener, base, slug)
            if tokens["editable"]:
                url = f"{base}/comments/edit/{tokens['editable'][-1]}"
                fields = {"body": f"{WORST_BODY} {sent}"}
            else:
                url = f"{base}/comments/{slug}/post"
                fields = {
                    "name": f"Attacker {number}",
                    "email": f"attacker{number}@example.net",
                    "body": f"{WORST_BODY} {sent}",
                    "token": tokens["token"],
                }
            fields["csrfmiddlewaretoken"] = tokens["csrf"]
            request = urllib.request.Request(
                url,
                data=urllib.parse.urlencode(fields).encode(),
                headers={"Referer": f"{base}/{slug}/"},
            )
            with opener.open(request, timeout=60) as response:
                outcome = f"attack_http_{response.status}"
        except urllib.error.HTTPError as error:
            outcome = f"attack_http_{error.code}"
        except (urllib.error.URLError, TimeoutError, ConnectionError):
            outcome = "attack_client_errors"
        with lock:
            results[outcome] += 1


def reader(base: str, slug: str, deadline: float, latencies: list, results: Counter, lock):
    """Fetches the essay page again and again, timing each complete answer."""
    while time.monotonic() < deadline:
        started = time.monotonic()
        try:
            with urllib.request.urlopen(f"{base}/{slug}/", timeout=30) as response:
                response.read()
                outcome = "read_ok" if response.status == 200 else f"read_http_{response.status}"
        except urllib.error.HTTPError as error:
            outcome = f"read_http_{error.code}"
        except (urllib.error.URLError, TimeoutError, ConnectionError):
            outcome = "read_client_errors"
        with lock:
            latencies.append(time.monotonic() - started)
            results[outcome] += 1
        time.sleep(0.05)


def _percentile(values: list, fraction: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(fraction * len(ordered)))], 3)


def run(database: str, clients: int, seconds: float, attackers: int = 0, readers: int = 0) -> dict:
    with tempfile.TemporaryDirectory(prefix="filmstrip-load-") as tmp:
        env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
        env.update(
            FILMSTRIP_DATA_DIR=tmp,
            DJANGO_SETTINGS_MODULE="benchmarks.load_settings",
            PYTHONPATH=str(REPO),
        )
        if database == "postgres":
            from tests.pgcluster import start_cluster

            env.update(DATABASE_URL=start_cluster(), FILMSTRIP_SECRET_KEY="load-test")
            subprocess.run(
                [
                    "psql",
                    env["DATABASE_URL"].rsplit("/", 1)[0] + "/postgres",
                    "-qc",
                    "CREATE DATABASE filmstrip",
                ],
                check=True,
                capture_output=True,
            )
        quiet = {"env": env, "check": True, "capture_output": True, "cwd": REPO}
        subprocess.run([FILMSTRIP, "migrate", "--no-input"], **quiet)
        subprocess.run(
            [
                FILMSTRIP,
                "shell",
                "-c",
                "from filmstrip.stories.models import Story; "
                "from filmstrip.stories.publishing import publish; "
                "publish(Story.objects.create(title='Under load', slug='under-load'))",
            ],
            **quiet,
        )
        port = free_port()
        log = open(Path(tmp) / "serve.log", "w+")  # noqa: SIM115 (closed with the directory)
        server = subprocess.Popen(
            [FILMSTRIP, "serve", "--no-migrate", f"--port={port}"],
            env=env,
            cwd=REPO,
            stdout=log,  # the web server's own messages and its access log
            stderr=subprocess.STDOUT,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(100):
                try:
                    urllib.request.urlopen(f"{base}/under-load/", timeout=2).read()
                    break
                except OSError:
                    time.sleep(0.2)
            results, lock, latencies = Counter(), threading.Lock(), []
            deadline = time.monotonic() + seconds
            work = [
                (client, (base, "under-load", n, deadline, results, lock)) for n in range(clients)
            ]
            work += [
                (attacker, (base, "under-load", n, deadline, results, lock))
                for n in range(attackers)
            ]
            work += [
                (reader, (base, "under-load", deadline, latencies, results, lock))
                for _ in range(readers)
            ]
            threads = [threading.Thread(target=target, args=args) for target, args in work]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            # Still up afterwards: the server process alive and the page answering.
            try:
                urllib.request.urlopen(f"{base}/under-load/", timeout=10).read()
                answering = True
            except OSError:
                answering = False
            serving = server.poll() is None
        finally:
            server.terminate()
            server.wait(timeout=30)
            log.seek(0)
            lines = log.read().splitlines()
            log.close()
            restarts = sum("restart" in line.lower() for line in lines)
            # A server error's cause, from the log, so that a figure of 1 can be explained.
            causes = [n for n, line in enumerate(lines) if line.startswith("Traceback")]
            for start in causes[:1]:
                print("\n".join(lines[max(0, start - 3) : start + 40]), file=sys.stderr)
        counted = (
            subprocess.run(
                [
                    FILMSTRIP,
                    "shell",
                    "-c",
                    "import json; from django.db.models import Count; "
                    "from filmstrip.comments.models import Comment; "
                    f"honest = Comment.objects.filter(body__startswith={HONEST_PREFIX!r}); "
                    "rows = honest.values('body').annotate(n=Count('id')); "
                    "print(json.dumps({'stored': honest.count(), "
                    "'duplicates': sum(r['n'] - 1 for r in rows if r['n'] > 1)}))",
                ],
                **quiet,
            )
            .stdout.strip()
            .splitlines()[-1]
        )
    figures = json.loads(counted)
    accepted = results["accepted"]
    return {
        "database": database,
        "clients": clients,
        "seconds": seconds,
        "accepted": accepted,
        "stored": figures["stored"],
        "duplicates": figures["duplicates"],
        "lost": max(0, accepted - (figures["stored"] - figures["duplicates"])),
        "server_errors": results["server_errors"],
        "other": {k: v for k, v in results.items() if k not in ("accepted", "server_errors")},
        "per_second": round(accepted / seconds, 1),
        "attackers": attackers,
        "still_serving": serving and answering,
        "restarts_logged": restarts,
        "read_p50_s": _percentile(latencies, 0.50),
        "read_p99_s": _percentile(latencies, 0.99),
        "reads": len(latencies),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--databases", default="sqlite,postgres")
    parser.add_argument("--attackers", type=int, default=0, help="clients sending worst bodies")
    parser.add_argument("--readers", type=int, default=0, help="clients timing page fetches")
    args = parser.parse_args()
    report = {}
    for database in args.databases.split(","):
        figures = run(database, args.clients, args.seconds, args.attackers, args.readers)
        report[database] = figures
        print(
            f"{database}: {figures['accepted']} accepted ({figures['per_second']}/s), "
            f"{figures['stored']} stored, {figures['duplicates']} duplicated, "
            f"{figures['lost']} lost, {figures['server_errors']} server errors; "
            f"other outcomes {figures['other']}"
        )
        if args.attackers or args.readers:
            print(
                f"{database}: with {args.attackers} attackers, still serving: "
                f"{figures['still_serving']}, restarts logged {figures['restarts_logged']}; "
                f"page p50 {figures['read_p50_s']} s, p99 {figures['read_p99_s']} s "
                f"over {figures['reads']} reads"
            )
    print(json.dumps(report))


if __name__ == "__main__":
    main()
