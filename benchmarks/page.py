"""The demo essay in Lighthouse on a 390 px phone, against its own static export.

Starts `filmstrip serve` with the demo essay in a throwaway data directory, waits until every
photo is processed, then saves the essay page and every same-origin file it refers to (styles,
scripts, renditions) into a folder served by Python's plain static server: the reference, the
same bytes with no application behind them. Lighthouse (npm, installed by `make`) runs on both
with Debian's chromium, mobile form factor and its default simulated slow 4G. Prints each run's
scores, bytes and layout shift, the medians, the ratios to the reference, and last one JSON
object.

With ``--essay seed``: issue 15's seed-size essay (benchmarks/essay_fixture.py: 80 photos with
real renditions, set in groups, full-bleed and text width, under a cover header) against the
same essay in the single column of wide photos that came before, both published and served
by `filmstrip serve`. Lighthouse runs on both at 390 px (mobile, as above) and 1440 px (its
desktop profile); then chromium scrolls through each whole essay at each width and counts the
bytes fetched, as the ratio layouts / single column.

    python benchmarks/page.py [--runs 5] [--essay demo|seed] [--layouts-only | --scroll-only]
"""

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, FILMSTRIP, free_port  # noqa: E402
from tests.browser.test_layout import WALK  # noqa: E402

LIGHTHOUSE = REPO / "node_modules" / ".bin" / "lighthouse"
CHROME_FLAGS = " ".join(["--headless", *CHROMIUM_ARGS])
ESSAY = "/field-notes/"
SEED, SINGLE = "/seed/", "/seed-single/"
SEED_BUILD = """
from benchmarks.essay_fixture import build_seed_essay, write_renditions
write_renditions(build_seed_essay("seed"), build_seed_essay("seed-single", layouts=False))
"""
# Lighthouse's device profiles: a phone on slow 4G (its default), a 1440 px laptop (desktop).
PROFILES = {
    "390": [
        "--form-factor=mobile",
        "--screenEmulation.mobile",
        "--screenEmulation.width=390",
        "--screenEmulation.height=844",
        "--screenEmulation.deviceScaleFactor=3",
    ],
    "1440": [
        "--preset=desktop",
        "--screenEmulation.width=1440",
        "--screenEmulation.height=900",
        "--screenEmulation.deviceScaleFactor=1",
    ],
}
# Scrolled through in chromium: (width, height, device pixel ratio).
WALKS = {"390@3x": (390, 844, 3), "1440@1x": (1440, 900, 1), "1440@2x": (1440, 900, 2)}
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
_URLS = re.compile(
    r'(?:src|href|srcset|data-pswp-srcset)="([^"]+)"|from "([^"]+)"|import\("([^"]+)"\)'
)


def wait_until_ready(base: str, deadline: float, essay: str = ESSAY) -> None:
    while time.monotonic() < deadline:
        try:
            html = urllib.request.urlopen(f"{base}{essay}", timeout=5).read().decode()
            if 'class="photo-pending"' not in html:
                return
        except OSError:
            pass
        time.sleep(0.5)
    raise SystemExit("the demo essay was not ready in time")


def export(base: str, folder: Path) -> None:
    """The essay page and everything it refers to on the same site, at the same paths."""
    queue, seen = [ESSAY], set()
    while queue:
        path = queue.pop()
        if path in seen:
            continue
        seen.add(path)
        with urllib.request.urlopen(f"{base}{path}") as response:
            body = response.read()
            kind = response.headers.get_content_type()
        target = folder / path.lstrip("/")
        if path.endswith("/"):
            target = target / "index.html"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(body)
        if kind not in ("text/html", "text/css", "text/javascript", "application/javascript"):
            continue
        for match in _URLS.finditer(body.decode()):
            for value in filter(None, match.groups()):
                for candidate in value.split(","):
                    ref = candidate.strip().split(" ")[0]
                    url = urllib.parse.urlsplit(urllib.parse.urljoin(f"{base}{path}", ref))
                    same_site = f"{url.scheme}://{url.netloc}" == base
                    if same_site and url.path.startswith(("/static/", "/media/")):
                        queue.append(url.path)


def lighthouse(url: str, profile: Path, device: str = "390") -> dict:
    with tempfile.NamedTemporaryFile(suffix=".json") as out:
        done = subprocess.run(
            [
                str(LIGHTHOUSE),
                url,
                "--quiet",
                "--output=json",
                f"--output-path={out.name}",
                f"--chrome-flags={CHROME_FLAGS} --user-data-dir={profile}",
                *PROFILES[device],
                f"--only-categories={','.join(CATEGORIES)}",
            ],
            env={**os.environ, "CHROME_PATH": CHROMIUM},
            capture_output=True,
            timeout=300,
        )
        if done.returncode:
            raise SystemExit(f"Lighthouse failed on {url}:\n{done.stderr.decode()[-2000:]}")
        report = json.loads(Path(out.name).read_text())
    audits = report["audits"]
    return {
        **{name: round(report["categories"][name]["score"] * 100) for name in CATEGORIES},
        "kb": round(audits["total-byte-weight"]["numericValue"] / 1000, 1),
        "cls": round(audits["cumulative-layout-shift"]["numericValue"], 3),
        "lcp_ms": round(audits["largest-contentful-paint"]["numericValue"]),
    }


def walk(url: str, width: int, height: int, dpr: int) -> dict:
    """Bytes fetched (as transferred: headers and compressed bodies) while scrolling through
    the whole page at the pace its photos load, in a fresh chromium context."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(
            viewport={"width": width, "height": height},
            device_scale_factor=dpr,
            is_mobile=width < 600,
            has_touch=width < 600,
        )
        page = context.new_page()
        finished = []
        page.on("requestfinished", lambda request: finished.append(request))
        page.goto(url, wait_until="load")
        cls = page.evaluate(WALK)
        page.wait_for_load_state("networkidle")
        sizes = [(r.url, r.sizes()) for r in finished]
        browser.close()
    total = sum(s["responseBodySize"] + s["responseHeadersSize"] for _, s in sizes)
    photos = [s["responseBodySize"] for url, s in sizes if "/media/" in url]
    return {"kb": round(total / 1000), "photos": len(photos), "photo_kb": round(sum(photos) / 1000),
            "cls": round(cls, 3)}  # fmt: skip


def seed(runs: int, lighthouse_runs: bool = True, single_in_lighthouse: bool = True) -> None:
    """Issue 15's layouts against the single column, in Lighthouse and scrolled through."""
    with tempfile.TemporaryDirectory(prefix="filmstrip-page-") as tmp:
        tmp = Path(tmp)
        env = _env(tmp)
        # This tree's benchmarks and Filmstrip, also when run from another checkout.
        env["PYTHONPATH"] = os.pathsep.join([str(REPO), str(REPO / "src")])
        quiet = {"env": env, "check": True, "capture_output": True, "cwd": REPO}
        subprocess.run([FILMSTRIP, "migrate", "--no-input"], **quiet)
        subprocess.run([FILMSTRIP, "shell", "-c", SEED_BUILD], **quiet)
        subprocess.run([FILMSTRIP, "publish", "--all"], **quiet)
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        server = subprocess.Popen(
            [FILMSTRIP, "serve", "--no-migrate", f"--port={port}"],
            env=env,
            cwd=REPO,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        essays = {"layouts": SEED, "single": SINGLE}
        try:
            wait_until_ready(base, time.monotonic() + 60, SEED)
            measured = essays if single_in_lighthouse else {"layouts": SEED}
            rows = {(essay, device): [] for essay in measured for device in PROFILES}
            for run in range(runs if lighthouse_runs else 0):
                for (essay, device), results in rows.items():
                    profile = tmp / f"profile-{essay}-{device}-{run}"
                    result = lighthouse(f"{base}{essays[essay]}", profile, device)
                    # The machine's load average, which the scores and times depend on.
                    result["load"] = round(os.getloadavg()[0], 1)
                    results.append(result)
                    print(f"run {run + 1} {essay:7} {device:5} {result}", flush=True)
            walks = {}
            for name, (width, height, dpr) in WALKS.items():
                for essay, path in essays.items():
                    walks[f"{essay} {name}"] = walked = walk(f"{base}{path}", width, height, dpr)
                    print(f"scrolled {essay:7} {name:8} {walked}", flush=True)
        finally:
            server.terminate()
            server.wait(timeout=20)
    keys = [*CATEGORIES, "kb", "cls", "lcp_ms", "load"]
    medians = {
        f"{essay} {device}": {key: statistics.median(r[key] for r in results) for key in keys}
        for (essay, device), results in rows.items()
        if results
    }
    print(f"\n{'median':14}" + "".join(f"{key:>15}" for key in keys))
    for name, values in medians.items():
        print(f"{name:14}" + "".join(f"{values[key]:>15}" for key in keys))
    ratios = {
        name: round(walks[f"layouts {name}"]["kb"] / walks[f"single {name}"]["kb"], 3)
        for name in WALKS
    }
    print("whole essay scrolled, bytes layouts / single column: "
          + ", ".join(f"{k} {v}" for k, v in ratios.items()))  # fmt: skip
    print(json.dumps({"runs": runs, "lighthouse": medians, "scrolled": walks, "ratio": ratios}))


def _env(tmp: Path) -> dict:
    env = {
        k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")
    }
    env["FILMSTRIP_DATA_DIR"] = str(tmp / "data")
    return env


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--essay", choices=["demo", "seed"], default="demo")
    parser.add_argument(
        "--scroll-only", action="store_true", help="with --essay seed: no Lighthouse runs"
    )
    parser.add_argument(
        "--layouts-only",
        action="store_true",
        help="with --essay seed: Lighthouse on the layouts only (both are still scrolled)",
    )
    args = parser.parse_args()
    if not LIGHTHOUSE.exists():
        raise SystemExit("Lighthouse is not installed: run `make setup` (npm ci) first.")
    if args.essay == "seed":
        seed(
            args.runs,
            lighthouse_runs=not args.scroll_only,
            single_in_lighthouse=not args.layouts_only,
        )
    else:
        demo(args.runs)


def demo(runs: int) -> None:
    """The demo essay against its static export."""
    with tempfile.TemporaryDirectory(prefix="filmstrip-page-") as tmp:
        tmp = Path(tmp)
        env = _env(tmp)
        quiet = {"env": env, "check": True, "capture_output": True, "cwd": REPO}
        subprocess.run([FILMSTRIP, "migrate", "--no-input"], **quiet)
        subprocess.run([FILMSTRIP, "demo", "--if-empty"], **quiet)
        port, static_port = free_port(), free_port()
        base = f"http://127.0.0.1:{port}"
        server = subprocess.Popen(
            [FILMSTRIP, "serve", "--no-migrate", f"--port={port}"],
            env=env,
            cwd=REPO,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        static = None
        try:
            wait_until_ready(base, time.monotonic() + 180)
            export(base, tmp / "static")
            static = subprocess.Popen(
                [sys.executable, "-m", "http.server", str(static_port), "--bind", "127.0.0.1"],
                cwd=tmp / "static",
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            time.sleep(1)
            rows = {"filmstrip": [], "static": []}
            for run in range(runs):
                for name, url in (
                    ("filmstrip", f"{base}{ESSAY}"),
                    ("static", f"http://127.0.0.1:{static_port}{ESSAY}"),
                ):
                    result = lighthouse(url, tmp / f"profile-{name}-{run}")
                    rows[name].append(result)
                    print(f"run {run + 1} {name:9} {result}", flush=True)
        finally:
            for process in (server, static):
                if process is not None:
                    process.terminate()
                    process.wait(timeout=20)
    keys = [*CATEGORIES, "kb", "cls", "lcp_ms"]
    medians = {
        name: {key: statistics.median(r[key] for r in results) for key in keys}
        for name, results in rows.items()
    }
    print(f"\n{'median':10}" + "".join(f"{key:>15}" for key in keys))
    for name, values in medians.items():
        print(f"{name:10}" + "".join(f"{values[key]:>15}" for key in keys))
    ratios = {
        key: round(medians["filmstrip"][key] / medians["static"][key], 3)
        for key in keys
        if medians["static"][key]
    }
    print("filmstrip / static: " + ", ".join(f"{k} {v}" for k, v in ratios.items()))
    print(json.dumps({"runs": runs, "viewport": "390x844@3", **medians, "ratio": ratios}))


if __name__ == "__main__":
    main()
