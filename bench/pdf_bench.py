"""PDF benchmark: cold against warm LibreOffice, the print preview, a 50-issue PDF archive.

    python bench/pdf_bench.py [--repeat 5] [--date 2026-12-06]

In one run on one machine, with fresh processes of the real console script:

- ``briefing build --format pdf`` of the real-length issue (8 articles, ``bench/generate.py``)
  and of a 29-page issue, cold (``BRIEFING_NO_WARM=1``: LibreOffice started for the build) and
  warm (a ``briefing preview`` of the workspace runs meanwhile and converts for it);
- the preview's save-to-new-pages latency on the 29-page issue: from writing an article to
  the moment the new PDF's first page image is served (``/__print_version`` polled every 20 ms,
  then ``/__page/<version>/1.png`` fetched), 10 edits;
- the PDFs of a 50-issue archive: fifty cold ``build --format pdf`` processes against one
  ``site --pdf`` (one LibreOffice session for the whole archive, no preview running).

Every warm PDF is compared with its cold twin byte for byte. The results replace the section
between the ``pdf-bench`` markers of ``bench/RESULTS.md`` (``bench/run.py`` keeps that section
when it rewrites the page), followed by ``bench/PDF-NOTES.md`` (hand-written: paired figures and
analysis). The date printed is ``--date`` or ``$BENCH_DATE``, never the clock.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

from generate import REAL_LENGTH, generate_workspace, issue_ids  # noqa: E402

OUT = BENCH / "out" / "pdf"
RESULTS = BENCH / "RESULTS.md"
NOTES = BENCH / "PDF-NOTES.md"
BEGIN, END = "<!-- pdf-bench: begin -->", "<!-- pdf-bench: end -->"
BRIEFING = [sys.executable, "-m", "briefing"]


def timed(command: list[str], env: dict[str, str] | None = None) -> float:
    started = time.perf_counter()
    subprocess.run(command, check=True, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    return time.perf_counter() - started


def median_of(repeat: int, action: Callable[[], float]) -> tuple[float, float, float]:
    action()  # warm-up, not counted
    samples = sorted(action() for _ in range(repeat))
    return statistics.median(samples), samples[0], samples[-1]


def cold_env() -> dict[str, str]:
    return {**os.environ, "BRIEFING_NO_WARM": "1"}


@contextmanager
def preview(root: Path) -> Iterator[str]:
    """A running ``briefing preview`` of *root*; yields its address once its pages are there."""
    process = subprocess.Popen(
        [*BRIEFING, "-C", str(root), "preview"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        assert process.stderr is not None
        url = process.stdout.readline().split("：", 1)[1].strip()
        for line in process.stderr:
            if "印刷版已更新" in line:
                break
        yield url
    finally:
        # SIGTERM, not SIGINT: a job started in the background of a shell ignores SIGINT
        process.send_signal(signal.SIGTERM)
        process.communicate(timeout=60)


def pdf_of(root: Path) -> Path:
    (issue,) = issue_ids(root)
    return root / "build" / issue / f"{issue}.pdf"


def pages_of(pdf: Path) -> int:
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", pdf.read_bytes()))


def build_figures(root: Path, repeat: int) -> dict[str, object]:
    command = [*BRIEFING, "-C", str(root), "build", "--format", "pdf"]
    cold = median_of(repeat, lambda: timed(command, cold_env()))
    cold_bytes = pdf_of(root).read_bytes()
    with preview(root):
        warm = median_of(repeat, lambda: timed(command))
        warm_bytes = pdf_of(root).read_bytes()
    return {
        "pages": pages_of(pdf_of(root)),
        "cold": cold,
        "warm": warm,
        "identical": warm_bytes == cold_bytes,
    }


def fetch(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=30) as answer:  # the preview, on 127.0.0.1
        return answer.read()


def save_to_pages(root: Path, edits: int) -> tuple[float, float, float]:
    (issue,) = issue_ids(root)
    article = root / "issues" / issue / "03-article.md"
    original = article.read_text(encoding="utf-8")
    samples = []
    with preview(root) as url:
        for edit in range(edits):
            before = fetch(url + "__print_version").decode()
            started = time.perf_counter()
            article.write_text(
                original.replace("。", f"，第{edit + 1}次修改。", 1), encoding="utf-8"
            )
            while True:
                now = fetch(url + "__print_version").decode()
                version = now.split("|", 1)[1].split(":", 1)[0]
                if now != before and version != before.split("|", 1)[1].split(":", 1)[0]:
                    break
                time.sleep(0.02)
            fetch(f"{url}__page/{version}/1.png")
            samples.append(time.perf_counter() - started)
            time.sleep(0.5)
    article.write_text(original, encoding="utf-8")
    samples.sort()
    return statistics.median(samples), samples[0], samples[-1]


def archive_figures(root: Path) -> dict[str, object]:
    ids = issue_ids(root)
    started = time.perf_counter()
    for issue in ids:
        subprocess.run(
            [*BRIEFING, "-C", str(root), "build", issue, "--format", "pdf"],
            check=True,
            env=cold_env(),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
    cold = time.perf_counter() - started
    singles = {issue: (root / "build" / issue / f"{issue}.pdf").read_bytes() for issue in ids}
    shutil.rmtree(root / "build")
    batched = timed([*BRIEFING, "-C", str(root), "site", "--pdf"], cold_env())
    same = all((root / "build" / i / f"{i}.pdf").read_bytes() == singles[i] for i in ids)
    return {"issues": len(ids), "cold": cold, "batched": batched, "identical": same}


def section(results: dict[str, dict[str, object]], latency: tuple[float, ...], date: str) -> str:
    def span(figure: tuple[float, float, float]) -> str:
        return f"{figure[0]:.3f} ({figure[1]:.3f}–{figure[2]:.3f})"

    rows = []
    for name, figures in results.items():
        cold, warm = figures["cold"], figures["warm"]
        rows.append(
            f"| `build --format pdf`, {name} ({figures['pages']} pages) | {span(cold)} | "  # type: ignore[arg-type]
            f"{span(warm)} | **{warm[0] / cold[0]:.2f}x** | "  # type: ignore[index]
            f"{'yes' if figures['identical'] else 'NO'} |"
        )
    return "\n".join(
        [
            BEGIN,
            "",
            f"## PDF: cold and warm LibreOffice (`python bench/pdf_bench.py`, run date {date})",
            "",
            "Wall seconds of fresh `briefing` processes, median (fastest–slowest) of the repeats "
            "after one warm-up; warm = a `briefing preview` of the workspace is running.",
            "",
            "| command | cold s | warm s | warm / cold | same bytes |",
            "|---|---:|---:|---:|:---:|",
            *rows,
            "",
            f"Preview, save to new pages served (29-page issue, 10 edits): **{latency[0]:.3f} s** "
            f"median ({latency[1]:.3f}–{latency[2]:.3f}).",
            "",
        ]
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--date", default=os.environ.get("BENCH_DATE", "(not given)"))
    args = parser.parse_args(argv)
    OUT.mkdir(parents=True, exist_ok=True)
    real = generate_workspace(OUT / "real", issues=1, articles=8, seed=1, min_chars=REAL_LENGTH)
    case29 = generate_workspace(OUT / "p29", issues=1, articles=6, seed=2, min_chars=REAL_LENGTH)
    archive = generate_workspace(OUT / "archive", issues=50, articles=10, seed=3)
    builds = {
        "real-length issue": build_figures(real, args.repeat),
        "29-page issue": build_figures(case29, args.repeat),
    }
    latency = save_to_pages(case29, 10)
    batch = archive_figures(archive)
    text = section(builds, latency, args.date)
    text += (
        f"50-issue archive, PDFs: fifty cold `build --format pdf` **{batch['cold']:.1f} s** "
        f"against one `site --pdf` (one LibreOffice session) **{batch['batched']:.1f} s** = "
        f"**{batch['batched'] / batch['cold']:.2f}x** (one run each; "  # type: ignore[operator]
        f"same bytes: {'yes' if batch['identical'] else 'NO'}).\n\n"
    )
    if NOTES.is_file():
        text += NOTES.read_text(encoding="utf-8").rstrip() + "\n\n"
    text += END + "\n"
    page = RESULTS.read_text(encoding="utf-8") if RESULTS.is_file() else ""
    if BEGIN in page and END in page:
        page = page[: page.index(BEGIN)] + text + page[page.index(END) + len(END) + 1 :]
    else:
        page = page.rstrip() + "\n\n" + text
    RESULTS.write_text(page, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
