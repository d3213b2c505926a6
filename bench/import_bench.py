"""Benchmark: ``briefing import`` of 10 typical Word submissions (no pictures).

Run with ``python bench/import_bench.py``. The submissions are generated deterministically
with python-docx the way offices type them: a centred 方正小标宋 title, a "——" subtitle,
bold 黑体/楷体 headings, body paragraphs indented with full-width spaces, a soft line break,
bold run-in phrases, a small table and a right-aligned （单位） line; about 1,800 characters
each. Generating them is not timed. Timed: ``import_files`` reading, recognising and writing
all ten into a fresh issue (median of 7 runs, in-process), and the whole command in a fresh
interpreter (``python -m briefing import …``), which adds interpreter start-up and imports.
Target: ≤ 1 s for the ten.
"""

from __future__ import annotations

import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import docx
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt

from briefing.importing.batch import import_files
from briefing.load import load_settings
from briefing.rules import Reporter

REPO = Path(__file__).resolve().parent.parent
UNITS = ["交警五大队", "行政审批局", "东湖街道", "区市场监管局", "区住建局", "新桥社区"]
ACTIONS = ["建立问题清单", "压实工作责任", "优化办事流程", "强化督查考核", "完善长效机制"]
TOPICS = ["一窗通办", "最多跑一次", "基层减负", "营商环境", "网格化管理", "安全生产"]
NUMERALS = "一二三四五六七八九十"


def _run(paragraph, text: str, font: str, size: float = 16, bold: bool = False):
    run = paragraph.add_run(text)
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), font)
    run.font.size = Pt(size)
    run.bold = bold or None
    return run


def _sentence(rng: random.Random) -> str:
    return (
        f"围绕“{rng.choice(TOPICS)}”工作，{rng.choice(ACTIONS)}，截至{rng.randint(1, 12)}月底"
        f"共解决问题{rng.randint(2, 400)}个，群众满意率达到{rng.randint(80, 99)}%。"
    )


def submission(path: Path, rng: random.Random, index: int) -> Path:
    document = docx.Document()
    unit = rng.choice(UNITS)
    p = document.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(p, f"{unit}推进“{TOPICS[index % 6]}”取得实效（之{NUMERALS[index]}）", "方正小标宋简体", 22)
    p = document.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(p, f"——{rng.choice(TOPICS)}工作纪实", "楷体_GB2312")
    document.add_paragraph()
    p = document.add_paragraph()
    _run(p, "\u3000\u3000" + "".join(_sentence(rng) for _ in range(3)), "仿宋_GB2312")
    for h in range(3):
        p = document.add_paragraph()
        _run(p, f"\u3000\u3000{NUMERALS[h]}、{rng.choice(ACTIONS)}", "黑体")
        for s in range(2):
            p = document.add_paragraph()
            _run(p, f"\u3000\u3000（{NUMERALS[s]}）{rng.choice(ACTIONS)}", "楷体_GB2312")
            p = document.add_paragraph()
            _run(p, "\u3000\u3000" + rng.choice(["一是", "二是", "三是"]), "仿宋_GB2312", bold=True)
            _run(p, "".join(_sentence(rng) for _ in range(2)), "仿宋_GB2312")
            p.add_run().add_break()
            _run(p, _sentence(rng), "仿宋_GB2312")
    table = document.add_table(rows=3, cols=3)
    for r, row in enumerate(table.rows):
        for c, cell in enumerate(row.cells):
            cell.text = f"{rng.choice(TOPICS)}" if c == 0 else str(rng.randint(1, 999)) + str(r)
    p = document.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _run(p, f"（{unit}）", "仿宋_GB2312")
    document.save(str(path))
    return path


def workspace(root: Path) -> Path:
    root.mkdir(parents=True)
    shutil.copy(REPO / "examples/leaders/briefing.yaml", root / "briefing.yaml")
    issue = root / "issues/2018-029"
    issue.mkdir(parents=True)
    (issue / "issue.yaml").write_text(
        "year: 2018\nnumber: 29\ntotal: 647\ndate: 2018-12-27\n", encoding="utf-8"
    )
    return root


def main() -> None:
    rng = random.Random(13)
    with tempfile.TemporaryDirectory(prefix="briefing-import-bench-") as tmp:
        work = Path(tmp)
        inbox = work / "inbox"
        inbox.mkdir()
        files = [submission(inbox / f"{i:02d}-报送稿.docx", rng, i) for i in range(10)]
        chars = sum(
            len(p.text) for f in files for p in docx.Document(str(f)).paragraphs if p.text.strip()
        )
        times, cpu = [], []
        for run in range(7):
            root = workspace(work / f"ws{run}")
            settings = load_settings(root, Reporter())
            start, start_cpu = time.perf_counter(), time.process_time()
            report = import_files(settings, files)
            times.append(time.perf_counter() - start)
            cpu.append(time.process_time() - start_cpu)
            if len(report.written) != 10 or report.failed:
                raise SystemExit(f"import failed: {report.diagnostics}")
        root = workspace(work / "cli")
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "briefing", "-C", str(root), "import", *map(str, files)],
            check=True,
            stdout=subprocess.DEVNULL,
            cwd=REPO,
        )
        command = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        command_cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    median = statistics.median(times)
    print(f"10 submissions, {chars} characters, no pictures")
    print(
        f"import_files (in-process), median of 7: {median:.3f} s wall, "
        f"{statistics.median(cpu):.3f} s CPU (min {min(times):.3f} s wall)"
    )
    print(
        f"python -m briefing import (fresh interpreter): {command:.3f} s wall, {command_cpu:.3f} s CPU"
    )
    print(
        "target ≤ 1 s: "
        + ("PASS" if command <= 1.0 else "MISS")
        + " (wall time of the whole command; on a loaded machine compare the CPU figures)"
    )


if __name__ == "__main__":
    main()
