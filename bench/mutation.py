"""Mutation testing of the core modules with mutmut, one module at a time.

    python bench/mutation.py numbering build      # or no argument: every core module
    python bench/mutation.py --again preview      # after adding tests: rerun the survivors only
    python bench/mutation.py --show preview       # the diff of each surviving mutant
    python bench/mutation.py --again preview --only _serve   # one function's survivors only

Each module runs in its own scratch copy of the repository (``/tmp/briefing-mutation/<name>``)
with a ``[tool.mutmut]`` section naming only that module and only the tests that cover it, so
a mutant never waits for the LibreOffice or browser tests. mutmut then runs, for each mutant,
only the selected tests that executed the mutated function. The summary (killed / total per
module) and the surviving mutants are printed; docs/mutation.md records the last run.

Each run keeps its outcome per mutant in ``/tmp/briefing-mutation/<name>.json``. ``--again``
tests only the mutants that survived it, against the current tests (tests are only ever
added, so a killed mutant stays killed), and merges the outcomes; the code under test must
not have changed in between (the mutant names would no longer match).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tomllib
from collections import Counter
from collections.abc import Mapping
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SCRATCH = Path(os.environ.get("BRIEFING_MUTATION_DIR", "/tmp/briefing-mutation"))

# the hostile corpus is proofread too: its odd characters and layouts reach every rule
PROOFREAD_TESTS = ["tests/proofread", "tests/hostile/test_corpus.py"]

# module -> (files to mutate, tests that cover them); smallest modules first
CORE: dict[str, tuple[list[str], list[str]]] = {
    "build": (
        ["briefing/build.py"],
        [
            "tests/test_build.py",
            "tests/cli/test_end_to_end.py",
            "tests/cli/test_cli.py",
            "tests/cli/test_publish.py",
        ],
    ),
    "check": (
        ["briefing/check.py"],
        [
            "tests/test_load_and_check.py",
            "tests/test_check_pictures_and_order.py",
            "tests/test_check_findings.py",
            "tests/cli/test_cli.py",
        ],
    ),
    "fix": (
        ["briefing/proofread/fix.py"],
        [
            "tests/proofread/test_fix.py",
            "tests/proofread/test_fix_edges.py",
            "tests/cli/test_cli.py",
            "tests/cli/test_fix_scope.py",
            "tests/hostile/test_files.py",
        ],
    ),
    "numbering": (
        ["briefing/numbering.py"],
        [
            "tests/test_numbering.py",
            "tests/test_numbering_numerals.py",
            "tests/test_numbering_allocation.py",
            "tests/test_numbering_register.py",
            "tests/test_numbering_register_edges.py",
        ],
    ),
    "proofread": (
        [
            "briefing/proofread/__init__.py",
            "briefing/proofread/core.py",
            "briefing/proofread/text.py",
            "briefing/proofread/typography.py",
            "briefing/proofread/structure.py",
            "briefing/proofread/content.py",
            "briefing/proofread/numbers.py",
            "briefing/proofread/words.py",
            "briefing/proofread/people.py",
        ],
        PROOFREAD_TESTS,
    ),
    # the same module one file at a time (a full proofread run is long on a loaded machine)
    **{
        f"proofread-{part}": ([f"briefing/proofread/{part}.py"], PROOFREAD_TESTS)
        for part in (
            "typography",
            "structure",
            "content",
            "text",
            "core",
            "numbers",
            "words",
            "people",
        )
    },
    "proofread-init": (["briefing/proofread/__init__.py"], PROOFREAD_TESTS),
    # not every module test in tests/: the concurrency tests (allocation, search, preview) take 20 s
    # and read settings, so every mutant of load_settings waited for them
    "load": (
        ["briefing/load.py"],
        [
            "tests/test_load_and_check.py",
            "tests/test_load_findings.py",
            "tests/test_check_findings.py",
            "tests/test_check_pictures_and_order.py",
            "tests/test_config.py",
            "tests/test_check_examples.py",
            "tests/test_textio.py",
            "tests/test_assemble.py",
        ],
    ),
    "oxml": (
        [
            "briefing/render/_oxml/__init__.py",
            "briefing/render/_oxml/blocks.py",
            "briefing/render/_oxml/core.py",
            "briefing/render/_oxml/facts.py",
            "briefing/render/_oxml/parts.py",
            "briefing/render/_oxml/schema.py",
            "briefing/render/_oxml/tables.py",
            "briefing/render/_oxml/text.py",
        ],
        [
            "tests/render/test_oxml.py",
            "tests/render/test_docx_xml.py",
            "tests/render/test_docx_package.py",
            "tests/render/test_layout_helpers.py",
            "tests/render/test_picture_scaling.py",
        ],
    ),
    "package": (
        ["briefing/render/_package.py", "briefing/render/reproducible.py"],
        [
            "tests/render/test_docx_package.py",
            "tests/render/test_docx_xml.py",
            "tests/render/test_picture_scaling.py",
            "tests/test_publish_record.py",
        ],
    ),
    "pictures": (
        ["briefing/pictures.py"],
        [
            "tests/test_pictures_header.py",
            "tests/hostile/test_units.py",
            "tests/hostile/test_corpus.py",
            "tests/test_check_pictures_and_order.py",
        ],
    ),
    "identifiers": (
        ["briefing/identifiers.py"],
        [
            "tests/test_identifiers.py",
            "tests/hostile/test_files.py",
            "tests/hostile/test_writes.py",
            "tests/hostile/test_units.py",
            "tests/cli/test_cli.py",
            "tests/test_numbering_allocation.py",
            "tests/test_numbering_register_edges.py",
        ],
    ),
    "textio": (
        ["briefing/textio.py"],
        [
            "tests/test_textio.py",
            "tests/hostile/test_units.py",
            "tests/hostile/test_files.py",
            "tests/hostile/test_writes.py",
            "tests/hostile/test_corpus.py",
            "tests/hostile/test_manifest.py",
            "tests/test_load_findings.py",
            "tests/test_pictures_header.py",
            "tests/proofread/test_fix_edges.py",
        ],
    ),
    "preview": (
        ["briefing/preview.py", "briefing/paged.py"],
        [
            "tests/test_preview.py",
            "tests/test_preview_edges.py",
            "tests/test_paged.py",
            "tests/test_preview_exact.py",
            "tests/hostile/test_preview_server.py",
        ],
    ),
    "publish": (
        ["briefing/publish.py", "briefing/manifest.py"],
        [
            "tests/test_publish_record.py",
            "tests/test_manifest_reading.py",
            "tests/test_publish_outcomes.py",
            "tests/cli/test_publish.py",
            "tests/cli/test_published_templates.py",
            "tests/hostile/test_manifest.py",
            "tests/hostile/test_writes.py",
        ],
    ),
    "assemble": (
        ["briefing/assemble.py"],
        [
            "tests/test_assemble.py",
            "tests/test_assemble_pictures.py",
            "tests/test_markdown_layout_marks.py",
            "tests/html/test_render.py",
            "tests/render/test_docx_xml.py",
            "tests/render/test_layout_helpers.py",
            "tests/render/test_picture_scaling.py",
            "tests/test_editions.py",
            "tests/hostile/test_corpus.py",
        ],
    ),
    # the import package one file at a time (as proofread: one run is too long)
    **{
        f"importing-{part}": (
            [f"briefing/importing/{part}.py"],
            ["tests/importing", "tests/hostile/test_import_pictures.py"],
        )
        for part in ("article", "batch", "docx_reader", "recognise", "source", "textfile")
    },
    "search": (
        ["briefing/search/__init__.py", "briefing/search/hits.py", "briefing/search/index.py"],
        [
            "tests/search/test_search.py",
            "tests/search/test_search_hits.py",
            "tests/search/test_search_index_sync.py",
            "tests/cli/test_search_stats.py",
            "tests/hostile/test_search_index.py",
        ],
    ),
    "stats": (
        ["briefing/stats.py", "briefing/circular.py"],
        [
            "tests/test_stats.py",
            "tests/cli/test_stats_report.py",
            "tests/cli/test_search_stats.py",
            "tests/hostile/test_spreadsheets.py",
        ],
    ),
    "html": (
        ["briefing/render/html.py"],
        [
            "tests/html/test_render.py",
            "tests/html/test_render_exact.py",
            "tests/html/test_injection.py",
            "tests/html/test_site.py",
            "tests/test_editions.py",
            "tests/hostile/test_corpus.py",
        ],
    ),
    "site": (
        ["briefing/render/site.py", "briefing/render/site_pages.py"],
        [
            "tests/html/test_site.py",
            "tests/html/test_injection.py",
            "tests/html/test_site_tools.py",
            "tests/html/test_site_exact.py",
            "tests/test_archive_cache.py",
        ],
    ),
    "instructions": (
        ["briefing/instructions.py"],
        [
            "tests/cli/test_instructions.py",
            "tests/test_load_findings.py",
            "tests/hostile/test_files.py",
        ],
    ),
}
KILLED = {1, 3, 36, 24, -24, 152, 255}  # failing tests or a timeout (an endless loop is caught)
IGNORED_PATHS = {".git", "mutants", "build", "bench/out", ".pytest_cache", ".ruff_cache"}


def scratch_copy(name: str, mutate: list[str], tests: list[str]) -> Path:
    """A copy of the repository whose pyproject mutates *mutate* with *tests* only."""
    target = SCRATCH / name
    shutil.rmtree(target, ignore_errors=True)

    def ignore(folder: str, names: list[str]) -> set[str]:
        rel = Path(folder).relative_to(REPO)
        return {n for n in names if (rel / n).as_posix() in IGNORED_PATHS or n == "__pycache__"}

    shutil.copytree(REPO, target, ignore=ignore)
    text = (target / "pyproject.toml").read_text(encoding="utf-8")
    head, _, rest = text.partition("[tool.mutmut]")
    tail = rest[rest.index("\n[", 1) :] if "\n[" in rest[1:] else ""
    base = tomllib.loads(text)["tool"]["mutmut"]  # the shared settings; narrow two of them
    config = {**base, "only_mutate": mutate, "pytest_add_cli_args_test_selection": tests}
    section = "[tool.mutmut]\n" + "".join(f"{k} = {json.dumps(v)}\n" for k, v in config.items())
    (target / "pyproject.toml").write_text(head + section + tail, encoding="utf-8")
    return target


def statuses(folder: Path, mutate: list[str]) -> dict[str, int | None]:
    found: dict[str, int | None] = {}
    for path in mutate:
        meta = folder / "mutants" / (path + ".meta")
        if meta.is_file():
            found.update(json.loads(meta.read_text(encoding="utf-8"))["exit_code_by_key"])
    return found


def _default_ctrl_c() -> None:
    """Started from ``nohup`` or a background job, a run inherits SIGINT ignored, and the
    Ctrl-C tests of the selections would then fail the clean run (or hang)."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def results_file(name: str) -> Path:
    return SCRATCH / f"{name}.json"


def survived(codes: Mapping[str, int | None]) -> list[str]:
    # 0: the tests passed; 33 / 5: no selected test runs the function at all
    return sorted(k for k, v in codes.items() if v in (0, 5, 33))


def run_module(
    name: str, max_children: int | None = None, again: bool = False, only: tuple[str, ...] = ()
) -> tuple[int, int, list[str]]:
    mutate, tests = CORE[name]
    previous: dict[str, int | None] = {}
    if again:
        previous = json.loads(results_file(name).read_text(encoding="utf-8"))
    folder = scratch_copy(name, mutate, tests)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}  # test the mutants/ copy
    command = ["mutmut", "run"]
    if max_children is not None:  # a shared machine: fewer parallel test runs
        command += ["--max-children", str(max_children)]
    retest = [m for m in survived(previous) if not only or any(t in m for t in only)]
    if again:
        command += retest
    done = subprocess.run(
        command,
        cwd=folder,
        env=env,
        check=False,
        capture_output=True,
        text=True,
        preexec_fn=_default_ctrl_c,
    )
    codes = statuses(folder, mutate)
    if not any(v is not None for v in codes.values()):
        sys.exit(f"{name}: mutmut ran no mutant\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
    if again:
        rerun = {k: codes.get(k) for k in retest}
        if set(previous) != set(codes) or None in rerun.values():
            sys.exit(f"{name}: the mutants differ from the last run's; run it in full")
        codes = {**previous, **rerun}
    results_file(name).write_text(json.dumps(codes, indent=0, sort_keys=True), encoding="utf-8")
    checked = {k: v for k, v in codes.items() if v is not None and v != 34}  # 34: skipped
    killed = sum(1 for v in checked.values() if v in KILLED)
    survivors = survived(checked)
    unknown = Counter(v for v in checked.values() if v not in KILLED and v not in (0, 5, 33))
    if unknown:
        print(f"{name}: other outcomes {dict(unknown)}", file=sys.stderr)
    return killed, len(checked), survivors


def show(name: str) -> None:
    """The diff of every mutant that survived the last run of *name*."""
    codes = json.loads(results_file(name).read_text(encoding="utf-8"))
    for mutant in survived(codes):
        shown = subprocess.run(
            ["mutmut", "show", mutant], cwd=SCRATCH / name, capture_output=True, text=True
        )
        print(f"# {mutant} ({codes[mutant]})\n{shown.stdout.strip()}\n", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    whole = [m for m in CORE if not m.startswith("proofread-")]  # the per-file parts repeat it
    parser.add_argument("modules", nargs="*", default=whole, help="、".join(CORE))
    parser.add_argument(
        "--max-children",
        type=int,
        default=None,
        help="mutants tested at once (passed to mutmut; default: mutmut's own)",
    )
    parser.add_argument(
        "--again", action="store_true", help="rerun only the mutants that survived the last run"
    )
    parser.add_argument(
        "--only",
        action="append",
        default=[],
        metavar="TEXT",
        help="with --again: rerun only the survivors whose name contains TEXT (repeatable)",
    )
    parser.add_argument(
        "--show", action="store_true", help="print the diffs of the last run's survivors"
    )
    args = parser.parse_args()
    unknown = [m for m in args.modules if m not in CORE]
    if unknown:
        parser.error(f"unknown module(s): {unknown}; choose from {list(CORE)}")
    for name in args.modules:
        if args.show:
            show(name)
            continue
        killed, total, survivors = run_module(name, args.max_children, args.again, tuple(args.only))
        score = killed / total if total else 0.0
        print(f"{name}: {killed}/{total} killed ({score:.1%})", flush=True)
        for mutant in survivors:
            print(f"  survived: {mutant}", flush=True)


if __name__ == "__main__":
    main()
