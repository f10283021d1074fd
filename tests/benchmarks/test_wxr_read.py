"""benchmarks/wxr_read.py: its generated export is a whole, readable WXR, and every process
reports a figure."""

import json
import subprocess
import sys

from benchmarks.wxr_read import write_export

from filmstrip.migration.wordpress.wxr import iter_items, read_site
from tests.conftest import REPO


def test_the_generated_export_reads_whole(tmp_path):
    path = tmp_path / "export.xml"
    posts = write_export(path, 0.5)
    assert path.stat().st_size >= 500_000
    items = list(iter_items(path))
    assert read_site(path).wxr_version == "1.2"
    assert sum(1 for i in items if i.type == "post") == posts
    attachments = {i.id for i in items if i.type == "attachment"}
    assert all(
        i.parent in {p.id for p in items if p.type == "post"} for i in items if i.id in attachments
    )
    assert any(c.parent for i in items for c in i.comments)  # threads, not only top-level


def test_each_process_reports_its_peak(tmp_path):
    run = subprocess.run(
        [sys.executable, "benchmarks/wxr_read.py", "--size", "0.3"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    figures = json.loads(run.stdout.splitlines()[-1])
    by = {r["kind"]: r for r in figures["results"]}
    assert set(by) == {"baseline", "reader", "tree"}
    assert by["reader"]["items"] > figures["posts"]
    assert all(r["peak_mib"] > 1 for r in figures["results"])
