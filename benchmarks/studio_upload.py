"""Dropping photos into the studio until every one is ready, against pure ingest of the same files.

The studio run: `filmstrip serve --no-worker` plus `filmstrip worker --concurrency 2` (the same
two workers as the reference), a staff account, and Debian chromium driven by Playwright: the
clock starts when the files are handed to the editor's file input and stops when every photo in
the editor says "ready". The uploads go through the real path: checksums in the browser,
resumable 1 MB chunks, three files at a time. The reference, in the same run on the same files:
`benchmarks/ingest.py`'s Filmstrip pipeline (`filmstrip import folder` with the same workers
waiting). Prints both wall times, photos/s and the ratio; the last line is one JSON object.

The photos: the corpus's camera JPEGs of 10 to 25 megapixels (22 of them) and, to reach the
number asked for, mirrored and rotated copies of them, re-encoded (distinct files of real
photographs, so no checksum makes them duplicates).

    python benchmarks/studio_upload.py [--photos 100] [--rounds 3]
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

sys.path[:0] = [str(Path(__file__).resolve().parent), str(Path(__file__).resolve().parent.parent)]
from ingest import default_photos, megapixels, run_filmstrip  # noqa: E402
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, FILMSTRIP, free_port  # noqa: E402

VARIANTS = (
    ("mirrored", lambda image: image.fliphor()),
    ("upside-down", lambda image: image.rot180()),
    ("flipped", lambda image: image.flipver()),
    ("turned-left", lambda image: image.rot270()),
    ("turned-right", lambda image: image.rot90()),
)


def photo_set(count: int, folder: Path) -> list[Path]:
    """``count`` distinct real photos of 10-25 MP: the corpus's, then re-encoded variants."""
    import pyvips

    sources = []
    for path in default_photos():
        image = pyvips.Image.new_from_file(str(path))
        if 10e6 <= image.width * image.height <= 25e6:
            sources.append(path)
    chosen = list(sources[:count])
    for name, change in VARIANTS:
        for path in sources:
            if len(chosen) >= count:
                return chosen
            target = folder / f"{path.stem}-{name}.jpg"
            image = pyvips.Image.new_from_file(str(path)).autorot()
            change(image).jpegsave(str(target), Q=92, keep="none")
            chosen.append(target)
    return chosen


def run_studio(paths: list[Path]) -> float:
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="filmstrip-studio-bench-") as tmp:
        env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL",)}
        env.update(FILMSTRIP_DATA_DIR=tmp, DJANGO_SUPERUSER_PASSWORD="bench")
        quiet = {"env": env, "stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
        subprocess.run([FILMSTRIP, "migrate", "--no-input"], check=True, **quiet)
        subprocess.run(
            [
                FILMSTRIP,
                "createsuperuser",
                "--no-input",
                "--username",
                "bench",
                "--email",
                "bench@example.org",
            ],
            check=True,
            **quiet,
        )
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        server = subprocess.Popen(
            [FILMSTRIP, "serve", "--no-migrate", "--no-worker", f"--port={port}"], **quiet
        )
        worker = subprocess.Popen(
            [FILMSTRIP, "worker", "--concurrency=2", "--interval=0.05"], **quiet
        )
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    urllib.request.urlopen(f"{base}/", timeout=2)
                    break
                except OSError:
                    if time.monotonic() > deadline:
                        raise SystemExit("filmstrip serve did not start") from None
                    time.sleep(0.3)
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                page = browser.new_page(viewport={"width": 1280, "height": 900})
                page.goto(f"{base}/admin/login/?next=/studio/")
                page.fill("#id_username", "bench")
                page.fill("#id_password", "bench")
                page.click("input[type=submit]")
                page.wait_for_url("**/studio/")
                page.fill("#new-title", "Bench")
                page.click("text=Create")
                page.wait_for_url("**/studio/*/")
                started = time.perf_counter()
                page.set_input_files("#files", [str(path) for path in paths])
                page.wait_for_function(
                    f"""() => {{
                        const items = [...document.querySelectorAll('#items li.item-photo')];
                        return items.length === {len(paths)}
                            && items.every(li => ['ready', 'failed'].includes(li.dataset.status));
                    }}""",
                    timeout=1_800_000,
                    polling=50,
                )
                elapsed = time.perf_counter() - started
                failed = page.locator('#items li[data-status="failed"]').count()
                browser.close()
            if failed:
                raise SystemExit(f"{failed} photos failed in the studio run")
            return elapsed
        finally:
            for process in (server, worker):
                process.terminate()
                process.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--photos", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    variants = tempfile.TemporaryDirectory(prefix="filmstrip-studio-photos-")
    paths = photo_set(args.photos, Path(variants.name))
    mp = megapixels(paths)
    print(f"{len(paths)} photos, {mp:.0f} megapixels; 2 worker processes", flush=True)
    studio, ingest = [], []
    for round_ in range(args.rounds):
        ingest.append(run_filmstrip(paths, 2)[0])
        studio.append(run_studio(paths))
        print(
            f"round {round_ + 1}: studio {studio[-1]:.1f} s, ingest {ingest[-1]:.1f} s, "
            f"ratio {studio[-1] / ingest[-1]:.2f}",
            flush=True,
        )
    ratios = [s / i for s, i in zip(studio, ingest, strict=True)]
    summary = {
        "photos": len(paths),
        "megapixels": round(mp),
        "studio_seconds": round(statistics.median(studio), 2),
        "ingest_seconds": round(statistics.median(ingest), 2),
        "studio_pps": round(len(paths) / statistics.median(studio), 2),
        "ratio": round(statistics.median(ratios), 3),
        "ratio_min": round(min(ratios), 3),
        "ratio_max": round(max(ratios), 3),
    }
    print(
        f"median: studio {summary['studio_seconds']} s, ingest {summary['ingest_seconds']} s; "
        f"studio / ingest {summary['ratio']} (rounds {summary['ratio_min']}–{summary['ratio_max']})"
    )
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
