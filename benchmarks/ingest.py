"""Photo ingest throughput: Filmstrip's real pipeline against two references, in one run.

For each round, on the same files and the same number of processes:
  filmstrip  `filmstrip import folder` with `filmstrip worker --concurrency N` already running,
             as on a live site, timed until every photo is ready: checksums, originals stored,
             database rows, queued jobs, sandboxed rendering, renditions stored;
  vips       a bare pyvips script making the same renditions (decode once with
             shrink-on-load, resize each width once, encode): about the practical limit of
             this machine;
  pillow     the common Pillow approach: open, exif_transpose, thumbnail per width, save.
Each makes WebP and JPEG at 480/960/1600/2400 (never upscaled), Filmstrip's default ladder, with
Filmstrip's qualities and encoder options, read from Filmstrip itself so that they cannot drift
apart. The Pillow reference saves WebP as the common approach does, with Pillow's default
method (4); Filmstrip and the pyvips reference use effort 2, chosen by benchmarks/quality.py.
`--pillow-webp-method 2` shows Pillow with that setting too.
With ``--s3``, a fourth run each round: Filmstrip's pipeline again with the originals and
renditions in a Ceph object gateway on loopback (tests/s3server.py, Debian's Ceph; fresh
buckets for each run), the same photos and workers; printed as S3 / local disk.
Prints per-round figures, medians with min/max, ratios computed round by round; the last line
is one JSON object.

    python benchmarks/ingest.py [--photos DIR] [--rounds 5] [--processes 2] [--s3]
"""

import argparse
import io
import json
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from functools import partial
from multiprocessing import get_context
from pathlib import Path

from filmstrip.conf import DEFAULTS
from filmstrip.imaging import ImageError, RenditionSpec, probe, render
from filmstrip.imaging.render import JPEG_OPTIONS, WEBP_OPTIONS
from filmstrip.migration.files import candidate_files

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO.parent / "shared" / "corpus"
WIDTHS = DEFAULTS["FILMSTRIP_RENDITION_WIDTHS"].default
QUALITY = DEFAULTS["FILMSTRIP_QUALITY"].default
# The same JPEG in Pillow's words: optimised Huffman tables, progressive or not.
PILLOW_JPEG = {
    "optimize": JPEG_OPTIONS.get("optimize_coding", False),
    "progressive": JPEG_OPTIONS.get("interlace", False),
}


def default_photos() -> list[Path]:
    """The large camera JPEGs of the corpus (at least 8 MP) that decode cleanly."""
    rows = (CORPUS / "MANIFEST.tsv").read_text().splitlines()
    header = rows[0].split("\t")
    chosen = []
    for line in rows[1:]:
        row = dict(zip(header, line.split("\t"), strict=False))
        if (
            row["path"].startswith("photos/")
            and row["exif_filetype"] == "JPEG"
            and row["pillow_result"] == "ok"
            and float(row["megapixels"] or 0) >= 8
        ):
            chosen.append(CORPUS / row["path"])
    return chosen


def folder_photos(folder: Path) -> tuple[list[Path], list[tuple[str, str]]]:
    """The photos of ``folder`` that Filmstrip would publish, and (name, reason) for the rest.

    Files are chosen as the folder import chooses them and probed as it probes them; each is
    then rendered once, small, since a damaged photo passes the probe and fails only when
    processed, and the timed runs count photos until every one is ready.
    """
    photos, skipped = [], []
    smallest = RenditionSpec(min(WIDTHS), "jpeg", QUALITY["jpeg"])
    for path in candidate_files(folder):
        try:
            probe(path)
            render(path, [smallest])
        except ImageError as exc:
            skipped.append((path.name, str(exc)))
        else:
            photos.append(path)
    return photos, skipped


def megapixels(paths: list[Path]) -> float:
    import pyvips

    total = 0
    for path in paths:
        image = pyvips.Image.new_from_file(str(path))
        total += image.width * image.height
    return total / 1e6


def widths_for(width: int) -> list[int]:
    chosen = sorted(w for w in WIDTHS if w < width)
    return chosen + [width] if width <= max(WIDTHS) else sorted(WIDTHS)


# --- reference (a): bare pyvips ---------------------------------------------------------


def vips_one(path: str) -> int:
    import resource

    import pyvips

    pyvips.cache_set_max(0)
    header = pyvips.Image.new_from_file(path)
    tagged = header.get_typeof("icc-profile-data") or header.interpretation == "cmyk"
    colour = {"export_profile": "srgb"} if tagged else {}  # convert only what needs it
    top = pyvips.Image.thumbnail(
        path, max(WIDTHS), height=10_000_000, size="down", **colour
    ).copy_memory()
    for width in widths_for(top.width if top.width < max(WIDTHS) else 10_000):
        # Each width held in memory, as Filmstrip does, rather than resized again per encoder.
        image = top if width >= top.width else top.resize(width / top.width).copy_memory()
        image.webpsave_buffer(Q=QUALITY["webp"], keep="none", **WEBP_OPTIONS)
        image.jpegsave_buffer(Q=QUALITY["jpeg"], keep="none", **JPEG_OPTIONS)
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


# --- reference (b): the common Pillow approach ----------------------------------------------


PILLOW_WEBP_METHOD = 4  # Pillow's default; --pillow-webp-method changes it


def pillow_one(path: str, method: int | None = None) -> int:
    import resource

    from PIL import Image, ImageOps

    with Image.open(path) as opened:
        image = ImageOps.exif_transpose(opened).convert("RGB")
    for width in widths_for(image.width):
        copy = image.copy()
        copy.thumbnail((width, 10_000_000), Image.Resampling.LANCZOS)
        copy.save(
            io.BytesIO(),
            "WEBP",
            quality=QUALITY["webp"],
            method=PILLOW_WEBP_METHOD if method is None else method,
        )
        copy.save(io.BytesIO(), "JPEG", quality=QUALITY["jpeg"], **PILLOW_JPEG)
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def run_pool(function, paths: list[Path], processes: int) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of any one process."""
    with get_context("spawn").Pool(processes, maxtasksperchild=None) as pool:
        pool.map(abs, range(processes))  # start the processes before the clock
        started = time.perf_counter()
        peaks = pool.map(function, [str(p) for p in paths], chunksize=1)
        elapsed = time.perf_counter() - started
    return elapsed, max(peaks) / 1024


# --- Filmstrip's own pipeline ---------------------------------------------------------------


def _children(pid: int) -> list[int]:
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as f:
            return [int(c) for c in f.read().split()]
    except OSError:
        return []


def _pss_mb(pid: int) -> float:
    """Proportional set size: a forked child's shared pages count once across the tree."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def _tree(pid: int) -> list[int]:
    found = [pid]
    for child in _children(pid):
        found += _tree(child)
    return found


class WorkerMemory(threading.Thread):
    """Samples each worker process's tree (worker, fork server, render child) for peak PSS.

    Reading smaps_rollup costs about 3 ms per process, so sampling runs only in an untimed pass.
    """

    def __init__(self, supervisor: int):
        super().__init__(daemon=True)
        self.supervisor = supervisor
        self.peak = 0.0
        self.stop = threading.Event()

    def run(self):
        while not self.stop.wait(0.05):
            for worker in _children(self.supervisor):
                self.peak = max(self.peak, sum(_pss_mb(p) for p in _tree(worker)))


def _finished(database: Path) -> int:
    with sqlite3.connect(database, timeout=10) as connection:
        return connection.execute(
            "SELECT count(*) FROM photos_photo WHERE status IN ('ready', 'failed')"
        ).fetchone()[0]


class Gateway:
    """A Ceph object gateway for the ``--s3`` runs, and a fresh pair of buckets per run."""

    def __init__(self):
        sys.path.insert(0, str(REPO))
        from tests.s3server import start_server

        self.server = start_server()
        self.runs = 0

    def environment(self) -> dict[str, str]:
        import boto3

        self.runs += 1
        buckets = {kind: f"bench-{self.runs}-{kind}" for kind in ("originals", "public")}
        client = boto3.client(
            "s3",
            endpoint_url=self.server.endpoint,
            region_name="us-east-1",
            aws_access_key_id=self.server.access_key,
            aws_secret_access_key=self.server.secret_key,
        )
        for bucket in buckets.values():
            client.create_bucket(Bucket=bucket)
        return {
            "FILMSTRIP_S3_ENDPOINT": self.server.endpoint,
            "FILMSTRIP_S3_ACCESS_KEY": self.server.access_key,
            "FILMSTRIP_S3_SECRET_KEY": self.server.secret_key,
            "FILMSTRIP_S3_BUCKET_ORIGINALS": buckets["originals"],
            "FILMSTRIP_S3_BUCKET_PUBLIC": buckets["public"],
        }


def run_filmstrip(
    paths: list[Path], processes: int, memory: bool = False, storage: dict | None = None
) -> tuple[float, float]:
    """As on a running site: workers already up, the clock runs from the import's start until
    the last photo is ready. With ``memory``, worker memory is sampled instead (which costs CPU,
    so such a pass is not timed). ``storage``: the FILMSTRIP_S3_* variables, else local disk."""
    filmstrip = str(Path(sys.executable).with_name("filmstrip"))
    with tempfile.TemporaryDirectory(prefix="filmstrip-bench-") as tmp:
        folder = Path(tmp) / "photos"
        folder.mkdir()
        for i, path in enumerate(paths):
            os.symlink(path.resolve(), folder / f"{i:03d}{path.suffix.lower()}")
        data = Path(tmp) / "data"
        env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL",)}
        env["FILMSTRIP_DATA_DIR"] = str(data)
        env.update(storage or {})
        quiet = {"env": env, "stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
        subprocess.run([filmstrip, "migrate", "--no-input"], check=True, **quiet)
        worker = subprocess.Popen(
            [filmstrip, "worker", f"--concurrency={processes}", "--interval=0.05"], **quiet
        )
        try:
            time.sleep(3)  # let the workers start, as they have on a running site
            sampler = WorkerMemory(worker.pid)
            if memory:
                sampler.start()
            started = time.perf_counter()
            subprocess.run(
                [filmstrip, "import", "folder", str(folder), "--title", "Bench"],
                check=True,
                **quiet,
            )
            while _finished(data / "filmstrip.sqlite3") < len(paths):
                if worker.poll() is not None:
                    raise SystemExit("filmstrip worker stopped")
                time.sleep(0.02)
            elapsed = time.perf_counter() - started
            if memory:
                sampler.stop.set()
                sampler.join()
        finally:
            worker.terminate()
            worker.wait(timeout=30)
        status = subprocess.run(
            [filmstrip, "photos", "status", "--json"],
            env=env,
            check=True,
            capture_output=True,
            text=True,
        ).stdout.splitlines()
        states = [json.loads(line)["status"] for line in status]
        if states.count("ready") != len(paths):
            raise SystemExit(f"not every photo was processed: {states}")
    return elapsed, sampler.peak


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--photos", type=Path, help="folder of photos (default: large corpus JPEGs)"
    )
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--pillow-webp-method", type=int, default=PILLOW_WEBP_METHOD)
    parser.add_argument("--s3", action="store_true", help="Filmstrip on a Ceph gateway too")
    args = parser.parse_args()
    gateway = Gateway() if args.s3 else None
    paths, skipped = folder_photos(args.photos) if args.photos else (default_photos(), [])
    for name, reason in skipped:
        print(f"skipped {name}: {reason}")
    if args.photos:
        print(f"{len(skipped)} files skipped: not photos Filmstrip can process")
    if not paths:
        raise SystemExit("no photos to measure")
    mp = megapixels(paths)
    print(f"{len(paths)} photos, {mp:.0f} MP; {args.processes} processes; {args.rounds} rounds")

    names = ["vips", "pillow", "filmstrip", *(["s3"] if gateway else [])]
    results: dict[str, list[float]] = {name: [] for name in names}
    peaks = dict.fromkeys(names, 0.0)
    for round_ in range(1, args.rounds + 1):
        turn = round_ % len(names)
        order = names[turn:] + names[:turn]  # rotate, so no one always goes first
        for name in order:
            if name in ("filmstrip", "s3"):
                storage = gateway.environment() if name == "s3" else None
                seconds, _ = run_filmstrip(paths, args.processes, storage=storage)
                peak = 0.0
            else:
                function = (
                    vips_one
                    if name == "vips"
                    else partial(pillow_one, method=args.pillow_webp_method)
                )
                seconds, peak = run_pool(function, paths, args.processes)
            results[name].append(seconds)
            peaks[name] = max(peaks[name], peak)
        print(f"round {round_}: " + ", ".join(f"{n} {results[n][-1]:.2f} s" for n in names))

    _, peaks["filmstrip"] = run_filmstrip(paths, args.processes, memory=True)
    print(f"filmstrip memory pass (untimed): peak {peaks['filmstrip']:.0f} MB per worker")

    def pps(seconds):
        return len(paths) / seconds

    ratio_vips = [v / f for f, v in zip(results["filmstrip"], results["vips"], strict=True)]
    ratio_pillow = [p / f for f, p in zip(results["filmstrip"], results["pillow"], strict=True)]
    for name, times in results.items():
        median = statistics.median(times)
        print(
            f"{name:>9}: {pps(median):.2f} photos/s, {mp / median:.1f} MP/s "
            f"(median {median:.2f} s, min {min(times):.2f}, max {max(times):.2f})"
            + (f"; peak {peaks[name]:.0f} MB per worker" if peaks[name] else "")
        )
    print(
        f"filmstrip / vips: {statistics.median(ratio_vips):.2f}× "
        f"(rounds {min(ratio_vips):.2f}–{max(ratio_vips):.2f}); "
        f"filmstrip / pillow: {statistics.median(ratio_pillow):.2f}× "
        f"(rounds {min(ratio_pillow):.2f}–{max(ratio_pillow):.2f})"
    )
    figures = {}
    if gateway:
        # Throughput on S3 over throughput on local disk, round by round (> 1: S3 faster).
        ratio_s3 = [f / s for f, s in zip(results["filmstrip"], results["s3"], strict=True)]
        print(
            f"filmstrip on S3 / on local disk: {statistics.median(ratio_s3):.2f}× "
            f"(rounds {min(ratio_s3):.2f}–{max(ratio_s3):.2f}; target ≥ 0.8)"
        )
        figures = {
            "s3_pps": round(pps(statistics.median(results["s3"])), 3),
            "ratio_s3": round(statistics.median(ratio_s3), 3),
        }
        gateway.server.stop()
    print(
        json.dumps(
            {
                **figures,
                "photos": len(paths),
                "megapixels": round(mp, 1),
                "filmstrip_pps": round(pps(statistics.median(results["filmstrip"])), 3),
                "vips_pps": round(pps(statistics.median(results["vips"])), 3),
                "pillow_pps": round(pps(statistics.median(results["pillow"])), 3),
                "ratio_vips": round(statistics.median(ratio_vips), 3),
                "ratio_pillow": round(statistics.median(ratio_pillow), 3),
                "peak_rss_mb": round(peaks["filmstrip"], 1),
                "peak_rss_mb_vips": round(peaks["vips"], 1),
                "peak_rss_mb_pillow": round(peaks["pillow"], 1),
            }
        )
    )


if __name__ == "__main__":
    main()
