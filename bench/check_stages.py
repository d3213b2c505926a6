"""CPU per article of each stage of ``briefing check``, warm, in one process.

    PYTHONPATH=<checkout> python bench/check_stages.py [WORKSPACE] [--repeat 7]

Each stage is run over every article of the workspace (default ``bench/out/check``, the 1,000
real-length articles) as one loop, *repeat* times, and the minimum CPU time of a loop
(``time.process_time``) is divided by the number of articles: stage figures are comparable
between two checkouts measured in the same session even on a shared machine. The stages are
those of ``load_article`` and ``check_issue``, called through the same functions; a stage's
inputs are prepared once, outside its loop. Results are dropped as they come (a thousand
token lists kept alive make the garbage collector's passes the larger cost).
"""

from __future__ import annotations

import argparse
import contextlib
import sys
import time
from collections.abc import Callable, Iterable
from pathlib import Path

from briefing import check, load, markdown, textio
from briefing.load import article_files, issue_dirs, load_settings, read_source
from briefing.model import Article
from briefing.proofread import article_segments, content, proofread_article, structure, typography
from briefing.proofread.core import article_suppressions
from briefing.rules import Reporter

BENCH = Path(__file__).resolve().parent


def drain(results: Iterable[object]) -> None:
    """Run *results* to the end, dropping each as it comes."""
    for _ in results:
        pass


def best(loop: Callable[[], object], repeat: int) -> float:
    """Minimum CPU seconds of *repeat* runs of *loop*."""
    times = []
    for _ in range(repeat):
        started = time.process_time()
        loop()
        times.append(time.process_time() - started)
    return min(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("workspace", type=Path, nargs="?", default=BENCH / "out" / "check")
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args(argv)
    root = args.workspace.resolve()
    reporter = Reporter()
    settings = load_settings(root, reporter)
    paths = [p for folder in issue_dirs(settings) for p in article_files(folder)]
    texts = [read_source(p, reporter, root) for p in paths]
    parts = [load.split_front_matter(t, p, reporter) for t, p in zip(texts, paths, strict=True)]
    bodies = [part[2] for part in parts]
    stripped = [markdown.strip_comments(b.text) for b in bodies]
    md = markdown.markdown_parser()
    tokens = [md.parse(s) for s in stripped]
    articles: list[Article] = [
        loaded[0] for p in paths if (loaded := load.load_article(p, settings, reporter))
    ]
    segments = [article_segments(a) for a in articles]
    checks = settings.checks
    n = len(paths)

    def front() -> None:
        for (meta, line, _), p in zip(parts, paths, strict=True):
            values = load.parse_mapping(meta, p, reporter, line_offset=line - 1)
            load.validate(values, load.ARTICLE_SCHEMA, p, reporter)

    def build() -> None:
        for toks, body, p in zip(tokens, bodies, paths, strict=True):
            builder = markdown._BlockBuilder(body, p.parent)
            markdown._relative_headings(builder.blocks(toks))

    def typography_rules() -> None:
        for segs in segments:
            for s in segs:
                for _ in typography.check(s, title=s.name in ("title", "subtitle")):
                    pass

    def content_rules() -> None:
        for segs in segments:
            for s in segs:
                for _ in content.check(s, checks):
                    pass

    def structure_rules() -> None:
        for segs, a in zip(segments, articles, strict=True):
            for _ in structure.check(segs[-1], a.blocks):
                pass

    real_root = root.resolve()

    def pictures(article: Article) -> None:
        try:
            check._check_pictures(article, root, real_root, Reporter())
        except TypeError:  # a checkout from before the root was resolved once per issue
            check._check_pictures(article, root, Reporter())  # type: ignore[call-arg]

    stages: list[tuple[str, Callable[[], object]]] = [
        ("read file", lambda: drain(read_source(p, reporter, root) for p in paths)),
        ("front matter (YAML)", front),
        ("markdown-it parse", lambda: drain(md.parse(s) for s in stripped)),
        ("block building", build),
        ("raw-HTML scan", lambda: drain(markdown.find_raw_html(b) for b in bodies)),
        (
            "load_article (all of the above)",
            lambda: drain(load.load_article(p, settings, Reporter()) for p in paths),
        ),
        ("pictures", lambda: drain(pictures(a) for a in articles)),
        ("segments (masking)", lambda: drain(article_segments(a) for a in articles)),
        ("typography", typography_rules),
        ("content", content_rules),
        ("structure", structure_rules),
        ("suppressions", lambda: drain(article_suppressions(a.path, a.body) for a in articles)),
        (
            "proofread_article (all)",
            lambda: drain(proofread_article(a, Reporter(), checks) for a in articles),
        ),
    ]
    print(f"{n} articles, {sum(len(b.text) for b in bodies):,} body characters; ms per article:")
    # as in check_workspace: each folder's real location looked up once (when the checkout can)
    scope = getattr(textio, "resolving_folders", contextlib.nullcontext)
    for name, loop in stages:
        with scope():
            print(f"  {name:34} {best(loop, args.repeat) / n * 1000:6.3f}")
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
