"""File size against visual quality for the rendition encoders, to choose formats by measurement.

Each photo is resized once to --width (lossless reference, sRGB), then encoded with every
candidate setting, decoded again and compared with the reference by Google's butteraugli
(Debian package `butteraugli`; lower is better, under about 1.0 is hard to see). Reported per
setting: median bytes relative to JPEG q82 (the reference setting, same run), median butteraugli
distance, and encode milliseconds. The last line is one JSON object.

    python benchmarks/quality.py [--photos DIR] [--width 960] [--limit 8]
"""

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from ingest import default_photos  # noqa: E402

REFERENCE = "jpeg q82"  # the fallback Filmstrip makes: baseline, optimised Huffman tables
CANDIDATES = {
    "jpeg q75": ("jpeg", {"Q": 75, "optimize_coding": True}),
    REFERENCE: ("jpeg", {"Q": 82, "optimize_coding": True}),
    "jpeg q90": ("jpeg", {"Q": 90, "optimize_coding": True}),
    # The same quantisation, so the same pixels: only bytes and encoding time differ.
    "jpeg q82 progressive": ("jpeg", {"Q": 82, "optimize_coding": True, "interlace": True}),
    "jpeg q82 plain": ("jpeg", {"Q": 82}),
    "webp q75 effort2": ("webp", {"Q": 75, "effort": 2}),
    "webp q80 effort2": ("webp", {"Q": 80, "effort": 2}),
    "webp q80 effort4": ("webp", {"Q": 80, "effort": 4}),
    "webp q85 effort0": ("webp", {"Q": 85, "effort": 0}),
    "webp q85 effort1": ("webp", {"Q": 85, "effort": 1}),
    "webp q85 effort2": ("webp", {"Q": 85, "effort": 2}),
    "avif q50 effort2": ("heif", {"Q": 50, "effort": 2, "compression": "av1"}),
}


def butteraugli(reference: Path, candidate: Path) -> float:
    result = subprocess.run(
        ["butteraugli", str(reference), str(candidate)], capture_output=True, text=True, check=True
    )
    return float(result.stdout.split()[0])


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--photos", type=Path)
    parser.add_argument("--width", type=int, default=960)
    parser.add_argument("--limit", type=int, default=8, help="photos to use (default 8)")
    args = parser.parse_args()
    if not shutil.which("butteraugli"):
        raise SystemExit("needs butteraugli: apt-get install butteraugli")
    import pyvips

    paths = (
        sorted(p for p in args.photos.iterdir() if p.is_file()) if args.photos else default_photos()
    )[: args.limit]
    sizes = {name: [] for name in CANDIDATES}
    scores = {name: [] for name in CANDIDATES}
    millis = {name: [] for name in CANDIDATES}
    with tempfile.TemporaryDirectory() as tmp:
        for path in paths:
            image = pyvips.Image.thumbnail(str(path), args.width, export_profile="srgb")
            image = image.copy_memory()
            reference = Path(tmp) / "reference.png"
            image.pngsave(str(reference), compression=1)
            for name, (fmt, options) in CANDIDATES.items():
                started = time.perf_counter()
                data = getattr(image, f"{fmt}save_buffer")(keep="none", **options)
                millis[name].append((time.perf_counter() - started) * 1000)
                decoded = Path(tmp) / "decoded.png"
                pyvips.Image.new_from_buffer(data, "").pngsave(str(decoded), compression=1)
                sizes[name].append(len(data))
                scores[name].append(butteraugli(reference, decoded))
            print(f"  measured {path.name}", file=sys.stderr)

    summary = {}
    print(
        f"{len(paths)} photos at {args.width} px wide; bytes relative to {REFERENCE} "
        "(same photo, same run)"
    )
    print(f"{'setting':<22} {'bytes':>8} {'× ref':>6} {'butteraugli':>12} {'encode ms':>10}")
    for name in CANDIDATES:
        relative = [s / r for s, r in zip(sizes[name], sizes[REFERENCE], strict=True)]
        summary[name] = {
            "median_bytes": int(statistics.median(sizes[name])),
            "bytes_vs_reference": round(statistics.median(relative), 3),
            "butteraugli": round(statistics.median(scores[name]), 3),
            "encode_ms": round(statistics.median(millis[name]), 1),
        }
        row = summary[name]
        print(
            f"{name:<22} {row['median_bytes']:>8} {row['bytes_vs_reference']:>6.2f} "
            f"{row['butteraugli']:>12.2f} {row['encode_ms']:>10.0f}"
        )
    print(json.dumps({"width": args.width, "photos": len(paths), "settings": summary}))


if __name__ == "__main__":
    main()
