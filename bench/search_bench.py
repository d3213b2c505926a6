"""Speed of ``briefing search`` and ``briefing stats`` on two archives, as fresh processes.

    python bench/search_bench.py [--date 2026-11-25] [--repeat 5] [--big 1000]

Generates (``bench/generate.py``, text only) ``bench/out/search-300`` (60 issues x 5 articles)
and ``bench/out/search-10k`` (1,000 issues x 10 articles), plants the phrase 蜗牛工程 in every
97th article (the generated prose draws from small word lists, so every ordinary word is in
thousands of articles; a real query is rarer), then times, with ``python -m briefing`` of this
checkout in fresh processes: the first search (builds the index), warm searches (a planted
phrase, a common phrase, a two-character query answered by a scan, one with ``--year``), a
search right after one file changed, and ``briefing stats`` (table and xlsx). Each figure is the
median of several runs after one untimed warm-up, with the CPU time (user + system) of the
child beside it: on a shared machine wall time moves with the load, CPU time much less.
Results go to ``bench/ARCHIVE.md`` (the date is ``--date`` or ``$BENCH_DATE``, never the clock),
followed by the hand-written analysis in ``bench/ARCHIVE-NOTES.md``.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import sqlite3
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path.insert(0, str(BENCH))

from generate import generate_workspace  # noqa: E402

OUT = BENCH / "out"
RESULTS = BENCH / "ARCHIVE.md"
NOTES = BENCH / "ARCHIVE-NOTES.md"
PLANT_EVERY = 97
PLANTED = "\n区建设局聚焦群众反映强烈的蜗牛工程，逐项明确责任和完成时限。\n"


def plant(root: Path) -> int:
    files = sorted(root.glob("issues/*/*.md"))
    for path in files[::PLANT_EVERY]:
        with open(path, "a", encoding="utf-8") as handle:
            handle.write(PLANTED)
    return len(files[::PLANT_EVERY])


def timed(args: Sequence[str]) -> tuple[float, float]:
    """(wall, cpu) seconds of one fresh process; its output is discarded."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(args, check=True, stdout=subprocess.DEVNULL, env=env)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def briefing(root: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "briefing", "-C", str(root), *args]


def measure(
    name: str, args: Sequence[str], repeat: int, *, warm: bool = True, prepare=None
) -> tuple[str, float, float, float]:  # type: ignore[no-untyped-def]
    if warm:
        timed(args)
    samples = []
    for _ in range(repeat):
        if prepare:
            prepare()
        samples.append(timed(args))
    walls = sorted(s[0] for s in samples)
    cpus = [s[1] for s in samples]
    return name, statistics.median(walls), walls[0], statistics.median(cpus)


def bench_archive(label: str, root: Path, repeat: int) -> list[tuple[str, float, float, float]]:
    index = root / ".briefing" / "search.sqlite"
    rows = []

    def drop_index() -> None:
        index.unlink(missing_ok=True)

    rows.append(
        measure(
            f"{label}: first search (builds the index)",
            briefing(root, "search", "蜗牛工程"),
            max(1, repeat // 2),
            warm=False,
            prepare=drop_index,
        )
    )
    rows.append(
        measure(f"{label}: warm search 蜗牛工程", briefing(root, "search", "蜗牛工程"), repeat)
    )
    rows.append(
        measure(
            f"{label}: warm search 蜗牛工程 --year 2030 --format json",
            briefing(root, "search", "蜗牛工程", "--year", "2030", "--format", "json"),
            repeat,
        )
    )
    rows.append(
        measure(
            f"{label}: warm search 基层减负 (common)", briefing(root, "search", "基层减负"), repeat
        )
    )
    rows.append(
        measure(
            f"{label}: warm search 减负 (2 characters: scan)",
            briefing(root, "search", "减负"),
            repeat,
        )
    )
    victim = sorted(root.glob("issues/*/*.md"))[len(list(root.glob("issues/*/*.md"))) // 2]
    original = victim.read_text(encoding="utf-8")
    counter = iter(range(1_000_000))

    def change_one() -> None:
        victim.write_text(original + f"\n第{next(counter)}次修改。\n", encoding="utf-8")

    rows.append(
        measure(
            f"{label}: search after one file changed",
            briefing(root, "search", "蜗牛工程"),
            repeat,
            prepare=change_one,
        )
    )
    victim.write_text(original, encoding="utf-8")
    rows.append(measure(f"{label}: stats (table)", briefing(root, "stats"), repeat))
    rows.append(
        measure(
            f"{label}: stats --format xlsx",
            briefing(root, "stats", "--format", "xlsx", "--out", str(OUT / f"{label}.xlsx")),
            repeat,
        )
    )
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--date", default=os.environ.get("BENCH_DATE", "(not given)"))
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--big", type=int, default=1000, help="issues of 10 articles")
    args = parser.parse_args(argv)
    small = generate_workspace(OUT / "search-300", issues=60, articles=5, pictures=False)
    big = generate_workspace(OUT / "search-10k", issues=args.big, articles=10, pictures=False)
    planted = (plant(small), plant(big))
    floor = measure(
        "python -c pass (interpreter floor)", [sys.executable, "-c", "pass"], args.repeat
    )
    help_ = measure("briefing --help", [sys.executable, "-m", "briefing", "--help"], args.repeat)
    load_before = os.getloadavg()
    rows = [floor, help_]
    rows += bench_archive("300 articles", small, args.repeat)
    rows += bench_archive(f"{args.big * 10:,} articles", big, args.repeat)
    load_after = os.getloadavg()
    index_size = (big / ".briefing" / "search.sqlite").stat().st_size
    lines = [
        "# Archive search and statistics: measured",
        "",
        f"Generated by `python bench/search_bench.py` — run date: {args.date}. Do not edit by hand.",
        "",
        f"Machine: {os.cpu_count()} cores, {platform.platform()}, Python {platform.python_version()},"
        f" SQLite {sqlite3.sqlite_version}. Load average {load_before[0]:.1f} before and"
        f" {load_after[0]:.1f} after the run (other jobs share the machine: wall times are"
        " inflated accordingly; CPU time is the child's own user + system time).",
        "",
        f"Archives: 60 issues x 5 articles and {args.big:,} issues x 10 articles, text only;"
        f" 蜗牛工程 planted in {planted[0]} and {planted[1]} articles. Index of the large archive:"
        f" {index_size / 2**20:.0f} MiB.",
        "",
        f"Median of {args.repeat} fresh processes after one untimed warm-up (the first search: no"
        " warm-up, the index deleted before each run).",
        "",
        "| command | median wall s | fastest wall s | median CPU s |",
        "|---|---:|---:|---:|",
        *(f"| {n} | {m:.3f} | {f:.3f} | {c:.3f} |" for n, m, f, c in rows),
        "",
    ]
    if NOTES.exists():  # the hand-written analysis, copied in verbatim
        lines.append(NOTES.read_text(encoding="utf-8"))
    RESULTS.write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
