"""Side-by-side speed benchmark: ``briefing`` against pandoc, on this machine, in one run.

    pip install -e '.[bench]'          # pypandoc-binary: a pinned pandoc binary
    python bench/run.py [--date 2025-01-31] [--repeat 5] [--no-profile]

Generates deterministic workspaces (``bench/generate.py``) under ``bench/out/`` and measures,
with fresh processes of the real console script (no pyenv shim, no in-process shortcuts):

- ``briefing build`` (DOCX + HTML) of one 8-article real-length issue vs ``pandoc`` converting the same
  Markdown files (with their pictures) to one DOCX;
- ``briefing check`` of 1,000 real-length articles (125 issues x 8) and of one 2 MB article;
- ``briefing preview``: the warm rebuild after a one-article edit (``bench/preview_bench.py``);
- ``briefing --help``;
- peak memory (``ru_maxrss`` from ``wait4`` on the child) of the build vs pandoc;
- ``briefing site`` of a 50-issue archive (live rich progress bar) vs ``pandoc`` called once
  per issue (standalone HTML with pictures embedded, like briefing's self-contained page);
- ``briefing site`` again with nothing changed (the content-hash cache).

Each figure is the median of several repetitions after one untimed warm-up run. The results are
printed and written to ``bench/RESULTS.md`` with the machine description; the date on that page
is the one given by ``--date`` or ``$BENCH_DATE`` (or ``$SOURCE_DATE_EPOCH``), never the clock.
With pyinstrument installed, profiles of the slow paths are appended, and ``bench/NOTES.md``
(the hand-written analysis) is included verbatim.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.metadata
import importlib.util
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

from generate import REAL_LENGTH, generate_workspace, issue_ids  # noqa: E402

OUT = BENCH / "out"
RESULTS = BENCH / "RESULTS.md"
NOTES = BENCH / "NOTES.md"
PACKAGES = (
    "briefing",
    "typer",
    "rich",
    "jinja2",
    "python-docx",
    "lxml",
    "markdown-it-py",
    "PyYAML",
    "pydantic",
    "pypandoc-binary",
    "pyinstrument",
)


# --------------------------------------------------------------------------- running


@dataclass
class Sample:
    seconds: float
    max_rss_kb: int
    cpu: float = 0.0  # user + system seconds of the child and its children (wait4's rusage)


@dataclass
class Series:
    name: str
    samples: list[Sample] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(s.seconds for s in self.samples)

    @property
    def cpu(self) -> float:
        return statistics.median(s.cpu for s in self.samples)

    @property
    def peak_kb(self) -> int:
        return max(s.max_rss_kb for s in self.samples)

    def spread(self) -> str:
        times = sorted(s.seconds for s in self.samples)
        return f"{times[0]:.3f}-{times[-1]:.3f}"


GNU_TIME = Path("/usr/bin/time")
RSS_FILE = OUT / "rss.txt"


def run_once(
    cmd: Sequence[str | Path],
    *,
    cwd: Path | None = None,
    env: dict[str, str] | None = None,
    ok: tuple[int, ...] = (0,),
) -> Sample:
    """Wall time and peak RSS of one fresh child process.

    Linux charges a child's ``ru_maxrss`` with the resident size of the process it was forked
    from (the exec'ed-away copy counts), so ``wait4`` on a child of this ~30 MB Python would
    report at least ~30 MB for anything. When GNU time is installed, the command is started
    through it instead: its child is forked from a ~2 MB process, and ``%M`` is the real peak.
    """
    argv = [str(c) for c in cmd]
    if GNU_TIME.is_file():
        RSS_FILE.unlink(missing_ok=True)
        argv = [str(GNU_TIME), "-f", "%M", "-o", str(RSS_FILE), *argv]
    start = time.perf_counter()
    proc = subprocess.Popen(
        argv,
        cwd=cwd,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    # stderr is tiny (errors only); read it before waiting so a chatty child cannot block.
    assert proc.stderr is not None
    err = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    proc.stderr.close()
    if proc.returncode not in ok:
        raise SystemExit(
            f"command failed ({proc.returncode}): {' '.join(map(str, cmd))}\n"
            f"{err.decode(errors='replace')[-2000:]}"
        )
    cpu = usage.ru_utime + usage.ru_stime
    if GNU_TIME.is_file():
        return Sample(elapsed, int(RSS_FILE.read_text().split()[-1]), cpu)
    return Sample(elapsed, usage.ru_maxrss, cpu)


def measure(
    name: str, repeat: int, action: Callable[[], Sample], setup: Callable[[], None] | None = None
) -> Series:
    """Warm up once, then time *repeat* runs of *action* (``setup`` runs untimed before each)."""
    series = Series(name)
    if setup:
        setup()
    action()
    for _ in range(repeat):
        if setup:
            setup()
        series.samples.append(action())
    print(
        f"  {name:<48} median {series.median:7.3f} s  cpu {series.cpu:7.3f} s  (range {series.spread()} s, "
        f"peak {series.peak_kb / 1024:6.1f} MiB)",
        flush=True,
    )
    return series


def combined(samples: Sequence[Sample]) -> Sample:
    """Several processes run one after the other: total time, largest peak."""
    return Sample(
        sum(s.seconds for s in samples),
        max(s.max_rss_kb for s in samples),
        sum(s.cpu for s in samples),
    )


INSTRUCTIONS = re.compile(r"Collected : (\d+)")


def instructions(cmd: Sequence[str | Path], *, cwd: Path | None = None) -> int:
    """Instructions executed by *cmd* and every process it forks (valgrind's callgrind).

    Unlike seconds, the count does not depend on what else the machine is doing: the same
    binary, input and environment give the same number (to a few parts per million here), so
    it shows what a change did on a host too noisy for timings to."""
    done = subprocess.run(
        [
            "valgrind",
            "--tool=callgrind",
            "--callgrind-out-file=/dev/null",
            "--trace-children=yes",
            *map(str, cmd),
        ],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
    )
    counts = [int(n) for n in INSTRUCTIONS.findall(done.stderr)]
    if done.returncode != 0 or not counts:
        raise SystemExit(f"valgrind failed ({done.returncode}): {done.stderr[-2000:]}")
    return sum(counts)


# --------------------------------------------------------------------------- tools


def briefing_script() -> Path:
    """The console script next to this interpreter (a pyenv shim would add ~50 ms of bash)."""
    for folder in (Path(sys.executable).parent, Path(sys.prefix) / "bin"):
        candidate = folder / "briefing"
        if candidate.is_file():
            return candidate
    found = shutil.which("briefing")
    if not found:
        raise SystemExit("briefing is not installed: pip install -e .")
    return Path(found)


def compile_bytecode() -> None:
    """Write briefing's ``.pyc`` files, as ``pip install`` of the wheel does.

    An editable install run with ``PYTHONDONTWRITEBYTECODE=1`` (set on some CI machines and
    sandboxes, this one included) would otherwise compile every module from source in every
    measured process, which no installed copy does.
    """
    import compileall

    spec = importlib.util.find_spec("briefing")
    if spec is None or spec.origin is None:
        raise SystemExit("briefing is not installed: pip install -e .")
    compileall.compile_dir(Path(spec.origin).parent, quiet=1)


def pandoc_binary() -> Path:
    try:
        import pypandoc
    except ImportError:
        raise SystemExit("pandoc is needed for the comparison: pip install -e '.[bench]'") from None
    return Path(pypandoc.get_pandoc_path())


def version_of(package: str) -> str:
    try:
        return importlib.metadata.version(package)
    except importlib.metadata.PackageNotFoundError:
        return "—"


def machine_info(pandoc: Path) -> list[tuple[str, str]]:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = "unknown"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                memory = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    pandoc_version = subprocess.run(
        [str(pandoc), "--version"], capture_output=True, text=True, check=True
    ).stdout.splitlines()[0]
    return [
        ("nproc", str(len(os.sched_getaffinity(0)))),
        ("CPU", cpu),
        ("memory", memory),
        ("OS", f"{platform.system()} {platform.release()}"),
        (
            "Python",
            f"{platform.python_implementation()} {platform.python_version()} ({sys.executable})",
        ),
        ("pandoc", f"{pandoc_version} ({pandoc})"),
        *((f"`{p}`", version_of(p)) for p in PACKAGES),
    ]


def run_date(given: str | None) -> str:
    if given:
        return given
    if os.environ.get("BENCH_DATE"):
        return os.environ["BENCH_DATE"]
    if os.environ.get("SOURCE_DATE_EPOCH"):
        stamp = int(os.environ["SOURCE_DATE_EPOCH"])
        return dt.datetime.fromtimestamp(stamp, dt.UTC).date().isoformat()
    return "not given (pass --date or set BENCH_DATE)"


def big_article_workspace(out: Path) -> Path:
    """One issue with one 2 MB article that is a single paragraph (#11: it took 80.6 s)."""
    import random

    root = generate_workspace(out, issues=1, articles=1, seed=11)
    article = next((root / "issues").glob("*/01-article.md"))
    head, _, body = article.read_text(encoding="utf-8").partition("\n---\n")
    words = body.replace("#", "").split()
    rng = random.Random(11)
    text: list[str] = []
    size = 0
    while size < 2_000_000:
        word = rng.choice(words)
        text.append(word)
        size += len(word.encode("utf-8"))
    article.write_text(f"{head}\n---\n\n{''.join(text)}\n", encoding="utf-8")
    return root


def preview_rebuild_ms() -> float:
    """Median warm rebuild of ``briefing preview`` after a one-article edit (ms)."""
    done = subprocess.run(
        [sys.executable, str(BENCH / "preview_bench.py")],
        capture_output=True,
        text=True,
        check=True,
    )
    print(f"  {done.stdout.strip()}", flush=True)
    return float(re.search(r"median ([\d.]+) ms", done.stdout).group(1))  # type: ignore[union-attr]


# --------------------------------------------------------------------------- profiles


def pyinstrument_tree(
    cmd: Sequence[str | Path],
    cwd: Path | None,
    threshold: float = 0.03,
    env: dict[str, str] | None = None,
) -> str:
    """pyinstrument's call tree of one run, keeping frames with ≥ *threshold* of the time."""
    report = OUT / "profile.txt"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pyinstrument",
            "-r",
            "text",
            "-o",
            str(report),
            "-m",
            "briefing",
            *map(str, cmd),
        ],
        cwd=cwd,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    lines = report.read_text(encoding="utf-8").splitlines()
    total = None
    kept = []
    for line in lines:
        match = re.match(r"^[\s│├└─]*(\d+\.\d+) ", line)
        if match is None:
            if "frames hidden" in line and kept:
                kept.append(line)
            continue
        seconds = float(match.group(1))
        total = total or seconds
        if seconds >= threshold * total:
            kept.append(line)
    return "\n".join(kept)


def import_times(cmd: Sequence[str | Path], cwd: Path | None, top: int = 12) -> str:
    """The biggest top-level imports (cumulative µs) of one run, from ``-X importtime``."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "briefing", *map(str, cmd)],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=True,
    )
    rows = []
    for line in done.stderr.splitlines():
        match = re.match(r"import time:\s+(\d+) \|\s+(\d+) \| ( *)(\S+)", line)
        if match and len(match.group(3)) <= 2:
            rows.append((int(match.group(2)), len(match.group(3)) // 2, match.group(4)))
    rows.sort(reverse=True)
    return "\n".join(f"{us / 1000:8.1f} ms  {'  ' * depth}{name}" for us, depth, name in rows[:top])


# --------------------------------------------------------------------------- the benchmark


@dataclass
class Target:
    label: str
    measured: str
    goal: str
    ok: bool


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="briefing vs pandoc, side by side")
    parser.add_argument("--date", help="date printed in RESULTS.md (else $BENCH_DATE)")
    parser.add_argument("--repeat", type=int, default=5, help="timed runs per figure (default 5)")
    parser.add_argument("--no-profile", action="store_true", help="skip the profiles")
    parser.add_argument(
        "--no-instructions", action="store_true", help="skip the valgrind instruction counts"
    )
    parser.add_argument("--results", type=Path, default=RESULTS)
    args = parser.parse_args(argv)

    briefing = briefing_script()
    pandoc = pandoc_binary()
    repeat = args.repeat
    compile_bytecode()
    print(f"briefing: {briefing}\npandoc:   {pandoc}\ngenerating workspaces in {OUT} …", flush=True)
    # Real-length articles (≈2,000 characters each), as a real issue has: 8 per issue.
    single = generate_workspace(OUT / "single", issues=1, articles=8, seed=1, min_chars=REAL_LENGTH)
    check_ws = generate_workspace(
        OUT / "check", issues=125, articles=8, seed=2, min_chars=REAL_LENGTH
    )
    big_ws = big_article_workspace(OUT / "big")
    archive_ws = generate_workspace(OUT / "archive", issues=50, articles=10, seed=3)
    scratch = OUT / "scratch"
    single_issue = issue_ids(single)[0]
    single_dir = single / "issues" / single_issue
    articles = sorted(p.name for p in single_dir.glob("*.md"))

    def fresh(folder: Path) -> Callable[[], None]:
        def setup() -> None:
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir(parents=True)

        return setup

    # The progress bar is drawn even though stderr is a pipe, so its cost is in the figure.
    tty_env = {**os.environ, "TTY_COMPATIBLE": "1", "TTY_INTERACTIVE": "1"}

    print(f"measuring (median of {repeat} runs after a warm-up) …", flush=True)
    s: dict[str, Series] = {}
    s["python"] = measure(
        "python -c pass (interpreter floor)",
        repeat,
        lambda: run_once([sys.executable, "-c", "pass"]),
    )
    s["help"] = measure("briefing --help", repeat, lambda: run_once([briefing, "--help"]))
    s["check"] = measure(
        "briefing check (1,000 real-length articles)",
        repeat,
        lambda: run_once([briefing, "-C", check_ws, "check"]),
    )
    s["check_big"] = measure(
        "briefing check (one 2 MB single-paragraph article)",
        max(1, repeat // 2),
        lambda: run_once([briefing, "-C", big_ws, "check"], ok=(0, 1)),
    )
    s["build"] = measure(
        "briefing build --format docx,html (8 articles)",
        repeat,
        lambda: run_once(
            [
                briefing,
                "-C",
                single,
                "build",
                single_issue,
                "--format",
                "docx,html",
                "--out",
                scratch / "b",
            ]
        ),
        fresh(scratch / "b"),
    )
    s["build_docx"] = measure(
        "briefing build --format docx",
        repeat,
        lambda: run_once(
            [
                briefing,
                "-C",
                single,
                "build",
                single_issue,
                "--format",
                "docx",
                "--out",
                scratch / "b",
            ]
        ),
        fresh(scratch / "b"),
    )
    s["build_html"] = measure(
        "briefing build --format html",
        repeat,
        lambda: run_once(
            [
                briefing,
                "-C",
                single,
                "build",
                single_issue,
                "--format",
                "html",
                "--out",
                scratch / "b",
            ]
        ),
        fresh(scratch / "b"),
    )
    s["pandoc_docx"] = measure(
        "pandoc -t docx (same 8 files)",
        repeat,
        lambda: run_once(
            [pandoc, "-f", "markdown", "-t", "docx", "-o", scratch / "p.docx", *articles],
            cwd=single_dir,
        ),
        fresh(scratch),
    )
    site_out = scratch / "site"
    s["site"] = measure(
        "briefing site (50 issues, cold)",
        repeat,
        lambda: run_once([briefing, "-C", archive_ws, "site", "--out", site_out], env=tty_env),
        fresh(site_out),
    )
    s["site_warm"] = measure(
        "briefing site (50 issues, nothing changed)",
        repeat,
        lambda: run_once([briefing, "-C", archive_ws, "site", "--out", site_out], env=tty_env),
    )
    issues = [archive_ws / "issues" / i for i in issue_ids(archive_ws)]
    pandoc_out = scratch / "pandoc-site"

    def pandoc_site() -> Sample:
        return combined(
            [
                run_once(
                    [
                        pandoc,
                        "-f",
                        "markdown",
                        "-t",
                        "html",
                        "--standalone",
                        "--embed-resources",
                        "-o",
                        pandoc_out / f"{folder.name}.html",
                        *sorted(p.name for p in folder.glob("*.md")),
                    ],
                    cwd=folder,
                )
                for folder in issues
            ]
        )

    s["pandoc_site"] = measure(
        "pandoc -t html once per issue (50 issues)", repeat, pandoc_site, fresh(pandoc_out)
    )

    print("  preview rebuild (in-process) …", flush=True)
    preview_ms = preview_rebuild_ms()
    counted: list[tuple[str, int]] = []
    if not args.no_instructions and shutil.which("valgrind"):
        print("  instruction counts (valgrind) …", flush=True)
        build_args = [briefing, "-C", single, "build", single_issue, "--out", scratch / "b"]
        for label, cmd, cwd in (
            ("python -c pass (interpreter floor)", [sys.executable, "-c", "pass"], None),
            ("briefing build --format docx", [*build_args, "--format", "docx"], None),
            ("briefing build --format docx,html (both processes)", build_args, None),
            ("briefing check (the same issue)", [briefing, "-C", single, "check"], None),
            (
                "pandoc -t docx (same 8 files)",
                [pandoc, "-f", "markdown", "-t", "docx", "-o", scratch / "p.docx", *articles],
                single_dir,
            ),
        ):
            fresh(scratch / "b")()
            counted.append((label, instructions(cmd, cwd=cwd)))
            print(f"  {label:<52} {counted[-1][1] / 1e6:8.0f} M instructions", flush=True)
    build_ratio = s["build"].median / s["pandoc_docx"].median
    build_cpu_ratio = s["build"].cpu / s["pandoc_docx"].cpu
    site_ratio = s["site"].median / s["pandoc_site"].median
    targets = [
        Target(
            "single-issue build (DOCX+HTML) vs pandoc → DOCX",
            f"{s['build'].median:.3f} s vs {s['pandoc_docx'].median:.3f} s = **{build_ratio:.2f}x** "
            f"(CPU time: {s['build'].cpu:.3f} s vs {s['pandoc_docx'].cpu:.3f} s = {build_cpu_ratio:.2f}x)",
            "≤ 2.5x",
            build_ratio <= 2.5,
        ),
        Target(
            "`briefing check`, 1,000 real-length articles",
            f"**{s['check'].median:.3f} s** = {1000 / s['check'].median:,.0f} articles/s "
            f"(CPU time of all processes: {s['check'].cpu:.3f} s)",
            "≥ 1,000 articles/s",
            s["check"].median <= 1.0,
        ),
        Target(
            "`briefing check`, one 2 MB single-paragraph article",
            f"**{s['check_big'].median:.3f} s**",
            "a few seconds (≤ 5 s; was 80.6 s)",
            s["check_big"].median <= 5.0,
        ),
        Target(
            "`briefing --help`",
            f"**{s['help'].median:.3f} s** (CPU time {s['help'].cpu:.3f} s)",
            "≤ 0.15 s",
            s["help"].median <= 0.15,
        ),
        Target(
            "`briefing preview`: rebuild after a one-article edit (warm)",
            f"**{preview_ms:.0f} ms** (median)",
            "≤ 100 ms",
            preview_ms <= 100,
        ),
        Target(
            "peak memory, build vs pandoc",
            f"{s['build'].peak_kb / 1024:.1f} MiB vs {s['pandoc_docx'].peak_kb / 1024:.1f} MiB",
            "≤ pandoc",
            s["build"].peak_kb <= s["pandoc_docx"].peak_kb,
        ),
        Target(
            "50-issue archive vs pandoc once per issue",
            f"{s['site'].median:.3f} s vs {s['pandoc_site'].median:.3f} s = **{site_ratio:.2f}x**",
            "≤ 0.5x",
            site_ratio <= 0.5,
        ),
        Target(
            "archive rebuild, nothing changed",
            f"**{s['site_warm'].median:.3f} s**",
            "≤ 1.0 s",
            s["site_warm"].median <= 1.0,
        ),
    ]
    print()
    for t in targets:
        print(
            f"  [{'PASS' if t.ok else 'MISS'}] {t.label}: {t.measured.replace('**', '')} (target {t.goal})"
        )

    profiles: list[tuple[str, str]] = []
    if not args.no_profile and importlib.util.find_spec("pyinstrument") is not None:
        print("\nprofiling …", flush=True)
        fresh(scratch / "b")()
        profiles.append(
            (
                "`briefing --help`: biggest imports (`python -X importtime`)",
                import_times(["--help"], None),
            )
        )
        profiles.append(
            (
                "`briefing build` (DOCX+HTML, 8 articles): biggest imports",
                import_times(["-C", single, "build", single_issue, "--out", scratch / "b"], None),
            )
        )
        profiles.append(
            (
                "`briefing build` (DOCX+HTML, 8 articles): pyinstrument, frames ≥ 3 %",
                pyinstrument_tree(
                    ["-C", single, "build", single_issue, "--out", scratch / "b"], None
                ),
            )
        )
        profiles.append(
            (
                "`briefing check` (1,000 real-length articles): pyinstrument, frames ≥ 3 %",
                pyinstrument_tree(["-C", check_ws, "check"], None),
            )
        )
        fresh(site_out)()
        profiles.append(
            (
                "`briefing site` (50 issues, cold): pyinstrument, frames ≥ 3 %",
                pyinstrument_tree(["-C", archive_ws, "site", "--out", site_out], None),
            )
        )
        profiles.append(
            (
                "`briefing site` (50 issues, nothing changed): pyinstrument, frames ≥ 3 %",
                pyinstrument_tree(["-C", archive_ws, "site", "--out", site_out], None),
            )
        )

    write_results(
        args.results,
        run_date(args.date),
        machine_info(pandoc),
        repeat,
        s,
        targets,
        profiles,
        counted,
    )
    print(
        f"\nwrote {args.results.relative_to(BENCH.parent) if args.results.is_relative_to(BENCH.parent) else args.results}"
    )
    return 0


def write_results(
    path: Path,
    date: str,
    machine: list[tuple[str, str]],
    repeat: int,
    s: dict[str, Series],
    targets: list[Target],
    profiles: list[tuple[str, str]],
    counted: Sequence[tuple[str, int]] = (),
) -> None:
    out = [
        "# Benchmark results: briefing vs pandoc",
        "",
        f"Generated by `python bench/run.py` — run date: {date}. Do not edit by hand: the analysis",
        "lives in `bench/NOTES.md` and is copied in below.",
        "",
        "## Machine",
        "",
        "| | |",
        "|---|---|",
        *(f"| {k} | {v} |" for k, v in machine),
        "",
        "## Targets",
        "",
        "| target | measured (median) | goal | result |",
        "|---|---|---|---|",
        *(
            f"| {t.label} | {t.measured} | {t.goal} | {'PASS' if t.ok else '**MISS**'} |"
            for t in targets
        ),
        "",
        "## All figures",
        "",
        f"Wall time of fresh processes, median of {repeat} runs after one untimed warm-up "
        "(range = fastest-slowest); peak = the child's maximum resident set size (`%M` of GNU "
        "`/usr/bin/time`, which starts it; without GNU time, `ru_maxrss` from `os.wait4`, which "
        "includes the benchmark's own size), for the pandoc loop the largest of its 50 processes.",
        "",
        "| command | median s | range s | median CPU s | peak MiB |",
        "|---|---:|---:|---:|---:|",
        *(
            f"| {x.name} | {x.median:.3f} | {x.spread()} | {x.cpu:.3f} | {x.peak_kb / 1024:.1f} |"
            for x in s.values()
        ),
        "",
        "Workspaces (generated by `bench/generate.py`, deterministic): `single` = 1 issue x 8 "
        "real-length articles (≥ 2,000 characters of body each, headings, numbers, dates; "
        "pictures and tables); `check` = 125 issues x 8 real-length articles; `big` = one article "
        "of 2 MB in one paragraph; `archive` = 50 issues x 10 shorter articles (as before). "
        "The preview figure is `bench/preview_bench.py` (in-process, 20 edits of one article of a "
        "real-length issue). Pictures are 400 x 250 PNGs of ≈110 KB. pandoc gets the same `.md` files (front "
        "matter included) in one call per issue, run in the issue folder so the pictures resolve; for "
        "the archive it writes standalone HTML with `--embed-resources`, as briefing's page embeds its "
        "pictures too. `briefing site` runs with `TTY_COMPATIBLE=1 TTY_INTERACTIVE=1`, so its rich "
        "progress bar is live during the measurement.",
        "",
    ]
    if counted:
        floor = counted[0][1]
        pandoc_count = counted[-1][1]
        out += [
            "## Instructions executed (valgrind)",
            "",
            "callgrind's count of the instructions each command executes, its forked processes "
            "included: unlike the times above it does not move with the load on the host. The "
            "ratio is to pandoc's count; pandoc's native code does more per instruction than "
            "CPython's interpreter loop, so these ratios are higher than the time ratios.",
            "",
            "| command | instructions | above the interpreter floor | vs pandoc |",
            "|---|---:|---:|---:|",
            *(
                f"| {label} | {n / 1e6:,.0f} M | "
                f"{f'{(n - floor) / 1e6:,.0f} M' if label.startswith('briefing') else '—'} | "
                f"{n / pandoc_count:.2f}x |"
                for label, n in counted
            ),
            "",
        ]
    if NOTES.is_file():
        out += [NOTES.read_text(encoding="utf-8").rstrip("\n"), ""]
    if profiles:
        out += ["## Profiles (this run)", ""]
        for title, text in profiles:
            out += [f"### {title}", "", "```", text, "```", ""]
    path.write_text("\n".join(out) + kept_pdf_section(path), encoding="utf-8")


def kept_pdf_section(path: Path) -> str:
    """The section ``bench/pdf_bench.py`` wrote into the page (it measures LibreOffice, which
    this benchmark does not run): carried over unchanged."""
    begin, end = "<!-- pdf-bench: begin -->", "<!-- pdf-bench: end -->"
    try:
        page = path.read_text(encoding="utf-8")
    except OSError:
        return ""
    if begin not in page or end not in page:
        return ""
    return "\n\n" + page[page.index(begin) : page.index(end) + len(end)] + "\n"


if __name__ == "__main__":
    raise SystemExit(main())
