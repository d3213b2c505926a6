"""Dump everything ``briefing check`` reports, to prove a speed change altered no output.

    python bench/compare_findings.py record BASELINE_DIR   # on the old code
    python bench/compare_findings.py record AFTER_DIR      # on the new code
    python bench/compare_findings.py diff BASELINE_DIR AFTER_DIR

``record`` writes, for each workspace below, the stdout, stderr and exit code of the real
console script ``briefing -C <ws> check --format json`` (and ``text``, ``github``; a fresh
process, so the worker pool and lazy imports are exercised as users get them), and an in-process dump of what loading produced
(``check_workspace(keep_articles=True)``: every article's blocks, front-matter fields and the
parser's notes), so a change to the Markdown parser that happens to leave the findings alone
still shows up. ``diff`` compares two recordings byte for byte and exits 1 on any difference.

Workspaces (generated ones under ``--scratch``, fixed paths so the dumps are comparable):

* ``bench/out/check``: the 1,000 real-length articles of the benchmark (generated if missing);
* ``examples/*`` and the repository root;
* every case of ``tests/hostile/corpus`` in its own workspace (the way ``test_corpus`` builds
  it), and all the article cases together in one issue;
* ``messy``: 15 issues of the proofreading benchmark's articles, full of typical mistakes, with
  banned words, severity overrides and two spellings of one 供稿单位 (≥ 12 folders: the pool);
* ``mutated``: real-length articles with random punctuation, Markdown syntax, digits and
  spaces spliced in (every rule and many parser paths fire); ``mutated-plain`` the same
  without ``checks.severity`` (main before ``check-speed`` crashed on it: see ``record``);
* ``soup``: articles assembled from random Markdown constructs (fences, lists, quotes,
  tables, setext headings, raw HTML, comments, links, autolinks, e-mail addresses, escapes).
"""

from __future__ import annotations

import argparse
import difflib
import os
import random
import shutil
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
# ``briefing`` comes from PYTHONPATH (the checkout being measured), imported before
# check_bench, which puts this repository first on sys.path.
import briefing  # noqa: E402

sys.path.insert(0, str(BENCH))

from generate import REAL_LENGTH, generate_workspace  # noqa: E402

CORPUS = REPO / "tests" / "hostile" / "corpus"
SCRATCH = Path("/tmp/briefing-compare")

# tests/hostile/helpers.py has the same settings; not imported from there: it imports
# briefing modules of this checkout, and this script must also run against older ones
SETTINGS = """\
name: 测试区信息
issuer: 测试区党政办公室
numbering:
  previous: {year: 2018, number: 27, total: 645}
distribution:
  报: 区领导
credits:
  编辑: 李明远
"""
MESSY_SETTINGS = (
    SETTINGS
    + """\
checks:
  max_title_length: 20
  max_article_length: 1500
  require_source: true
  banned_words: [史无前例, 亮点纷呈, 压实工作责任]
  severity: {T105: error, S204: off, C302: error}
"""
)
ISSUE_ID = "2018-028"
ISSUE = "year: 2018\nnumber: 28\ntotal: 646\ndate: 2018-12-20\n"


def write(root: Path, files: dict[str, str | bytes]) -> Path:
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return root


def issue_yaml(index: int) -> tuple[str, str]:
    number = index + 1
    return f"2019-{number:03d}", (
        f"year: 2019\nnumber: {number}\ntotal: {646 + number}\ndate: 2019-{(number - 1) // 3 + 1:02d}-05\n"
    )


# --------------------------------------------------------------------------- workspaces


def hostile_workspaces(scratch: Path) -> list[Path]:
    """One workspace per corpus case (as ``tests/hostile/test_corpus.py`` builds it), and one
    with every article case in a single issue."""
    pictures = {
        f"issues/{ISSUE_ID}/images/{p.name}": p.read_bytes()
        for p in sorted((CORPUS / "pictures").iterdir())
    }
    good = "---\ntitle: 正常文稿\nsource: 长河街道\n---\n\n今年以来，街道把辖区划分为42个网格。\n"
    base = {"briefing.yaml": SETTINGS, f"issues/{ISSUE_ID}/issue.yaml": ISSUE}
    out = []
    together: dict[str, str | bytes] = {**base, **pictures}
    for folder in ("articles", "settings", "issues"):
        for case in sorted((CORPUS / folder).iterdir()):
            files: dict[str, str | bytes] = {**base, **pictures}
            if folder == "articles":
                files[f"issues/{ISSUE_ID}/{case.name}"] = case.read_bytes()
                together[f"issues/{ISSUE_ID}/{case.name}"] = case.read_bytes()
            else:
                files[f"issues/{ISSUE_ID}/01-good.md"] = good
                key = "briefing.yaml" if folder == "settings" else f"issues/{ISSUE_ID}/issue.yaml"
                files[key] = case.read_bytes()
            out.append(write(scratch / "hostile" / folder / case.name, files))
    out.append(write(scratch / "hostile" / "all-articles", together))
    return out


def messy_workspace(scratch: Path) -> Path:
    import check_bench

    rng = random.Random(20261125)
    files: dict[str, str | bytes] = {"briefing.yaml": MESSY_SETTINGS}
    for index in range(15):
        folder, issue = issue_yaml(index)
        files[f"issues/{folder}/issue.yaml"] = issue
        for position in range(8):
            title = f"{rng.choice(check_bench.UNITS)}{rng.choice(check_bench.VERBS)}“{rng.choice(check_bench.TOPICS)}”{rng.choice(check_bench.ACTIONS)}"
            if rng.random() < 0.3:
                title += rng.choice(["。", "，", ",", "...", "(试点)", "：", "？！"])
            source = rng.choice(check_bench.UNITS)
            front = f"---\ntitle: {title}\n"
            if rng.random() < 0.9:
                front += f"source: {source}\n"
            if rng.random() < 0.3:
                front += "subtitle: 副题,含半角标点 \u3000 空格\n"
            if rng.random() < 0.2:
                front += "note: 编者按：请各单位认真学习借鉴。。 # briefing-disable T105\n"
            if rng.random() < 0.1:
                front += f"order: {rng.choice([1, 2, 2, 3])}\n"
            body = check_bench.article_text(rng)
            if rng.random() < 0.2:
                body += "\n<!-- briefing-disable-next-line T101,T108 -->\n补充说明,  其他 内容。\n"
            if rng.random() < 0.2:
                body += "\n再补充一句,二是推进工作。 <!-- briefing-disable -->\n"
            files[f"issues/{folder}/{position + 1:02d}-article.md"] = front + "---\n\n" + body
    return write(scratch / "messy", files)


SPLICES = [
    *",.;:?!()\"'“”‘’《》〈〉（）【】〔〕…—-*_`<>[]|#~\\/%@",
    " ",
    "  ",
    "\u3000",
    "\n",
    "\n\n",
    "\n\n- ",
    "\n\n1. ",
    "\n\n> ",
    "\n\n## ",
    "\n    ",
    "\n```\n",
    "...",
    "。。。",
    "--",
    "――",
    "，，",
    "？！",
    "１２",
    "ａｂ",
    "2018年",
    "18年3月",
    "03月05日",
    "2月30日",
    "2020810日",
    "202011月份",
    "2020年1231日",
    "一是",
    "二是",
    "第一，",
    "第三，",
    "（一）",
    "一、",
    "1.",
    "2、",
    "(二)、",
    "①",
    "**",
    "~~",
    "<b>",
    "<!-- x -->",
    "https://example.gov.cn/a_b(1)",
    "www.example.com.",
    "someone@example.gov.cn",
    "`code`",
    "[链接](http://x.cn)",
    "![图](images/p02.png)",
    "&amp;",
    "\\*",
]


def mutate(text: str, rng: random.Random, edits: int) -> str:
    body_start = text.index("\n---\n", 4) + 5
    chars = list(text[body_start:])
    for _ in range(edits):
        at = rng.randrange(len(chars) + 1)
        piece = rng.choice(SPLICES)
        if rng.random() < 0.2 and chars:
            del chars[min(at, len(chars) - 1)]
        chars[at:at] = list(piece)
    return text[:body_start] + "".join(chars)


def mutated_workspace(scratch: Path, name: str, *, override: bool) -> Path:
    """14 issues (the pool) of spliced real-length articles. With *override*, a no-op
    ``checks.severity`` entry: before the fix of the pool's rule registry, only a parent that
    had read one knew the proofreading codes its workers reported (else a KeyError)."""
    root = generate_workspace(scratch / name, issues=14, articles=8, seed=7, min_chars=REAL_LENGTH)
    if override:
        with (root / "briefing.yaml").open("a", encoding="utf-8") as handle:
            handle.write("checks:\n  severity: {T108: warning}\n")
    rng = random.Random(77)
    for path in sorted(root.glob("issues/*/*-article.md")):
        text = path.read_text(encoding="utf-8")
        path.write_text(mutate(text, rng, rng.choice([0, 3, 10, 40])), encoding="utf-8")
    return root


BLOCKS = [
    "今年以来，街道把辖区划分为42个网格,推动“一窗通办”工作。",
    "# 一、加强组织领导",
    "## （一）压实责任",
    "### 1.完善机制",
    "标题\n===",
    "副标题\n---",
    "- 第一项\n- 第二项\n  - 嵌套,项\n- 三是落实",
    "1. 一是建立\n2. 三是完善\n\n   续行 内容",
    "> 引用，二是推进\n> 第二行\n\n> 另一段",
    "```python\nprint('x,y')\n```",
    "~~~\n未闭合的围栏",
    "    缩进代码,不检查",
    "| 指标 | 数量 |\n| :--- | ---: |\n| 窗口,个 | 12 |\n| a\\|b | 2018年03月 |",
    "<div>原始 HTML</div>",
    "<!-- briefing-disable T101 -->正文,逗号",
    "<!-- 注释\n跨行 -->后文",
    "[链接](https://example.gov.cn/x_(1)) 与 <https://auto.link> 和 <mail@x.cn>",
    "[引用][ref]\n\n[ref]: https://example.gov.cn",
    "**加粗“引号”**，*斜体*，__下划线__，~~删除~~",
    "推行**“一件事一次办”**改革,效果明显",
    "转义 \\* 星号 \\_ 下划线 \\\\ 反斜杠",
    "行末硬换行  \n第二行\\\n第三行",
    "***\n\n---\n\n___",
    "![图片说明](images/p.png)\n\n![远程](https://x.cn/a.png)",
    "[危险](javascript:alert(1))",
    "www.example.com/路径 与 someone@example.gov.cn。",
    "2019年2月29日，18年3月，13月5日，03月05日，2020810日。",
    "第一，推进；第三，落实。一是一，二是二。",
    "（一）、段首序号\n\n（三）跳号",
    "1、错误序号",
    "“未闭合的引号，《书名〈篇名》〉交叉",
    "全角ＡＢＣ１２３．５",
    "省略号...和。。。以及…单个",
    "破折号--和―以及——正确",
    "汉字 之间 有 空格 2018 年",
    "中文　全角空格",
    "&nbsp;&#x4E00;&copy; 实体",
    "<span\nclass=x>跨行标签</span>",
    "* * *",
    "+ 加号列表\n+ 第二",
    "2) 括号列表\n3) 第三",
    "\t制表缩进",
]


def soup_workspace(scratch: Path) -> Path:
    rng = random.Random(4242)
    files: dict[str, str | bytes] = {
        "briefing.yaml": SETTINGS,
        "issues/2019-001/images/p.png": (
            REPO / "tests" / "data" / "images" / "sample.png"
        ).read_bytes(),
    }
    for index in range(3):
        folder, issue = issue_yaml(index)
        files[f"issues/{folder}/issue.yaml"] = issue
        for position in range(12):
            parts = rng.sample(BLOCKS, rng.randint(3, 14))
            separators = [rng.choice(["\n\n", "\n", "\n\n\n"]) for _ in parts]
            body = "".join(p + s for p, s in zip(parts, separators, strict=True))
            files[f"issues/{folder}/{position + 1:02d}-soup.md"] = (
                f"---\ntitle: 杂烩文稿{index}-{position}\nsource: 长河街道\n---\n\n{body}"
            )
    return write(scratch / "soup", files)


def workspaces(scratch: Path) -> list[Path]:
    check_ws = BENCH / "out" / "check"
    if not (check_ws / "briefing.yaml").exists():
        generate_workspace(check_ws, issues=125, articles=8, seed=2, min_chars=REAL_LENGTH)
    if scratch.exists():
        shutil.rmtree(scratch)
    return [
        check_ws,
        *sorted(p for p in (REPO / "examples").iterdir() if (p / "briefing.yaml").exists()),
        REPO,
        messy_workspace(scratch),
        mutated_workspace(scratch, "mutated", override=True),
        mutated_workspace(scratch, "mutated-plain", override=False),
        soup_workspace(scratch),
        *hostile_workspaces(scratch),
    ]


# --------------------------------------------------------------------------- recording


def model_dump(root: Path) -> str:
    """Every loaded article (blocks, fields, body) and parser note, in folder order."""
    from briefing.check import check_workspace

    ws = check_workspace(root, keep_articles=True)
    lines = []
    for loaded in ws.issues:
        lines.append(f"issue {loaded.dir} {loaded.issue!r}")
        lines.extend(f"  article {article!r}" for article in loaded.articles)
        lines.extend(f"  note {path} {note!r}" for path, note in loaded.notes)
    lines.extend(f"diagnostic {d!r}" for d in ws.diagnostics)
    return "\n".join(lines) + "\n"


def name_of(root: Path, scratch: Path) -> str:
    for base, tag in ((scratch, "scratch"), (REPO, "repo")):
        if root == base or base in root.parents:
            rel = root.relative_to(base).as_posix()
            return f"{tag}_{'root' if rel == '.' else rel.replace('/', '_')}"
    raise ValueError(root)


def record(out: Path, scratch: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    print(f"briefing imported from {briefing.__file__}")
    env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "200"}
    for root in workspaces(scratch):
        name = name_of(root, scratch)
        for output in ("json", "text", "github"):
            run = subprocess.run(
                ["briefing", "-C", str(root), "check", "--format", output],
                capture_output=True,
                env=env,
                check=False,
            )
            exit_line = f"\nexit {run.returncode}\n".encode()
            (out / f"{name}.{output}").write_bytes(run.stdout + exit_line)
            (out / f"{name}.{output}.stderr").write_bytes(run.stderr)
        (out / f"{name}.model").write_text(model_dump(root), encoding="utf-8")
        print(f"{name}: exit {run.returncode}")


def diff(before: Path, after: Path) -> int:
    names = sorted({p.name for p in before.iterdir()} | {p.name for p in after.iterdir()})
    bad = 0
    for name in names:
        a, b = before / name, after / name
        if not (a.exists() and b.exists()) or a.read_bytes() != b.read_bytes():
            bad += 1
            print(f"DIFFERENT: {name}")
            if a.exists() and b.exists():
                lines = difflib.unified_diff(
                    a.read_text(errors="replace").splitlines(),
                    b.read_text(errors="replace").splitlines(),
                    lineterm="",
                    n=1,
                )
                print("\n".join(list(lines)[:40]))
    print(f"{len(names)} files compared, {bad} different")
    return 1 if bad else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    rec = commands.add_parser("record")
    rec.add_argument("out", type=Path)
    rec.add_argument("--scratch", type=Path, default=SCRATCH)
    cmp_ = commands.add_parser("diff")
    cmp_.add_argument("before", type=Path)
    cmp_.add_argument("after", type=Path)
    args = parser.parse_args(argv)
    if args.command == "record":
        record(args.out, args.scratch)
        return 0
    return diff(args.before, args.after)


if __name__ == "__main__":
    sys.exit(main())
