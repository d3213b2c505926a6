"""Benchmark: ``briefing preview``'s rebuild after a one-article edit, warm, in-process.

    python bench/preview_bench.py [WORKSPACE] [--repeat 20]

Builds the preview of the workspace's latest issue once (cold), then repeatedly edits one
article on disk (appends a sentence, alternately removes it) and times
``PreviewSession.rebuild({that file})``: re-reading, parsing and proofreading the article,
the issue-level checks, assembling and rendering the HTML page. Prints the median and range
in milliseconds, and the cold build for comparison. Without WORKSPACE, a real-length issue
(8 articles of ≈2,000 characters) is generated under bench/out/.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(BENCH.parent))

from generate import REAL_LENGTH, generate_workspace  # noqa: E402

from briefing.preview import PreviewSession  # noqa: E402


def measure(root: Path, repeat: int) -> tuple[float, list[float], list[float]]:
    session = PreviewSession(root)
    started = time.perf_counter()
    session.start()
    cold = time.perf_counter() - started
    assert session.folder is not None
    article = sorted(session.folder.glob("*.md"))[0]
    original = article.read_text(encoding="utf-8")
    times = []
    cpu = []
    try:
        for index in range(repeat + 1):
            text = original + (
                "\n新增一段说明文字，截至2020年5月6日共办结事项12件。\n" if index % 2 == 0 else ""
            )
            article.write_text(text, encoding="utf-8")
            started, started_cpu = time.perf_counter(), time.process_time()
            page = session.rebuild({article})
            elapsed = time.perf_counter() - started
            elapsed_cpu = time.process_time() - started_cpu
            assert page.ok, page.findings
            if index:  # the first edit warms the per-article paths up
                times.append(elapsed)
                cpu.append(elapsed_cpu)
    finally:
        article.write_text(original, encoding="utf-8")
    return cold, times, cpu


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("workspace", type=Path, nargs="?")
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args(argv)
    root = args.workspace or generate_workspace(
        BENCH / "out" / "preview", issues=1, articles=8, seed=14, min_chars=REAL_LENGTH
    )
    cold, times, cpu = measure(root, args.repeat)
    print(
        f"preview rebuild after a one-article edit: median {statistics.median(times) * 1000:.1f} ms "
        f"(range {min(times) * 1000:.1f}-{max(times) * 1000:.1f} ms, {len(times)} edits; "
        f"CPU median {statistics.median(cpu) * 1000:.1f} ms); "
        f"first build {cold * 1000:.0f} ms"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
