"""``briefing search``: hits, filters, the FTS5 index kept fresh, rebuilt and raced."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from briefing.errors import UsageError
from briefing.load import load_settings
from briefing.rules import Reporter
from briefing.search import index as search_index
from briefing.search import make_query, marked, scan, search
from tests.conftest import BASE_CONFIG, REPO, WorkspaceFactory, issue_yaml

SNAIL = """\
---
title: “三力并举”激活“蜗牛工程”
source: 区建设局
note: 破解蜗牛工程的做法值得借鉴。
---

今年以来，区建设局多措并举，
着力破解【蜗牛工程】难题——不，这里只是文字。

## 一、压实责任

对12个蜗牛工程逐一建立台账，Snail 项目按周调度。
"""
VOLUNTEERS = """\
---
title: 望江社区“楼道管家”
source: 望江街道
---

服务队清理楼道堆物210余处，破解老旧小区管理难题。
"""
OTHER_YEAR = """\
---
title: 新春走访
source: 建设局
---

走访中发现一个蜗牛工程。
"""


@pytest.fixture
def archive(make_workspace: WorkspaceFactory) -> Path:
    return make_workspace(
        {
            "issues/2018-028/issue.yaml": issue_yaml(),
            "issues/2018-028/01-snail.md": SNAIL,
            "issues/2018-028/02-volunteers.md": VOLUNTEERS,
            "issues/2019-001/issue.yaml": issue_yaml(1, 647, 2019, "2019-01-10"),
            "issues/2019-001/01.yaml": "title: 年度回顾\nsource: 区统计局\nbody: |\n  全年无蜗牛工程。\n",
            "issues/2019-001/02.md": OTHER_YEAR,
        },
        config=BASE_CONFIG + "units:\n  区建设局: [建设局]\n",
    )


def where(hits) -> list[tuple[str, int]]:  # type: ignore[no-untyped-def]
    return [(h.path, h.line) for h in hits]


def test_hits_lines_and_order(archive: Path) -> None:
    hits = search(archive, make_query(["蜗牛工程"], None, None)).hits
    assert where(hits) == [
        ("issues/2019-001/01.yaml", 4),
        ("issues/2019-001/02.md", 6),
        ("issues/2018-028/01-snail.md", 2),
        ("issues/2018-028/01-snail.md", 4),
        ("issues/2018-028/01-snail.md", 8),
        ("issues/2018-028/01-snail.md", 12),
    ]
    first = hits[2]
    assert (first.issue, first.label, first.title) == (
        "2018-028",
        "第二十八期（总第646期）",
        "“三力并举”激活“蜗牛工程”",
    )
    assert first.snippet == "“三力并举”激活“蜗牛工程”"  # the front-matter key is not shown
    assert marked(hits[4]) == "着力破解【【蜗牛工程】】难题——不，这里只是文字。"
    assert marked(hits[5]) == "对12个【蜗牛工程】逐一建立台账，Snail 项目按周调度。"
    assert (root := archive / ".briefing").is_dir() and (root / ".gitignore").read_text() == "*\n"


def test_every_keyword_must_be_in_the_article(archive: Path) -> None:
    both = search(archive, make_query(["蜗牛工程", "台账"], None, None)).hits
    assert {h.path for h in both} == {"issues/2018-028/01-snail.md"}
    assert marked(both[-1]).startswith("对12个【蜗牛工程】逐一建立【台账】")
    assert search(archive, make_query(["蜗牛工程 楼道"], None, None)).hits == []


def test_short_and_case_insensitive_queries(archive: Path) -> None:
    assert where(search(archive, make_query(["破解"], None, None)).hits) == [
        ("issues/2018-028/01-snail.md", 4),
        ("issues/2018-028/01-snail.md", 8),
        ("issues/2018-028/02-volunteers.md", 6),
    ]
    assert where(search(archive, make_query(["snail"], None, None)).hits) == [
        ("issues/2018-028/01-snail.md", 12)
    ]
    assert where(search(archive, make_query(["%"], None, None)).hits) == []
    with pytest.raises(UsageError):
        make_query(["  "], None, None)


def test_year_and_source_filters(archive: Path) -> None:
    in_2019 = search(archive, make_query(["蜗牛工程"], 2019, None)).hits
    assert {h.issue for h in in_2019} == {"2019-001"}
    # 建设局 is an alias of 区建设局: either name finds both
    for unit in ("区建设局", "建设局"):
        got = search(archive, make_query(["蜗牛工程"], None, unit)).hits
        assert {h.path for h in got} == {
            "issues/2018-028/01-snail.md",
            "issues/2019-001/02.md",
        }
    assert search(archive, make_query(["蜗牛工程"], None, "望江街道")).hits == []


def test_scan_gives_the_same_answer(archive: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    settings = load_settings(archive, Reporter())
    for words, year, unit in ((["蜗牛工程"], None, None), (["破解"], 2018, "望江街道")):
        query = make_query(words, year, unit)
        assert scan(archive, settings, query) == search(archive, query).hits
    monkeypatch.setattr(search_index, "available", lambda: False)
    assert search_index.search(archive, settings, make_query(["蜗牛工程"], None, None)).hits is None


def test_changes_are_seen_before_answering(archive: Path) -> None:
    query = make_query(["蜗牛工程"], None, None)
    search(archive, query)
    snail = archive / "issues/2018-028/01-snail.md"
    snail.write_text(SNAIL.replace("蜗牛工程", "快速工程"), encoding="utf-8")
    assert {h.path for h in search(archive, query).hits} == {
        "issues/2019-001/01.yaml",
        "issues/2019-001/02.md",
    }
    assert where(search(archive, make_query(["快速工程"], None, None)).hits)[0] == (
        snail.relative_to(archive).as_posix(),
        2,
    )
    (archive / "issues/2019-001/02.md").unlink()
    (archive / "issues/2018-028/03-new.md").write_text(OTHER_YEAR, encoding="utf-8")
    assert {h.path for h in search(archive, query).hits} == {
        "issues/2019-001/01.yaml",
        "issues/2018-028/03-new.md",
    }


def test_unchanged_content_is_not_reindexed(archive: Path) -> None:
    query = make_query(["蜗牛工程"], None, None)
    search(archive, query)
    snail = archive / "issues/2018-028/01-snail.md"
    old = time.time_ns() - 10 * search_index.RACY_NS
    os.utime(snail, ns=(old, old))  # touched, same content
    known = (snail.stat().st_size, old + 1, search_index.digest(snail.read_bytes()))
    assert search_index._article_change(str(snail), "x", "2018-028", known, time.time_ns()) == (
        snail.stat().st_size,
        old,
        "x",
    )
    assert search_index._article_change(str(snail), "x", "i", (*known[:2], "0"), time.time_ns())


def test_settings_change_relabels(archive: Path) -> None:
    query = make_query(["楼道管家"], None, None)
    assert search(archive, query).hits[0].label == "第二十八期（总第646期）"
    config = archive / "briefing.yaml"
    config.write_text(
        config.read_text(encoding="utf-8").replace(
            "第{number_cn}期（总第{total}期）", "{year}年第{number}期"
        ),
        encoding="utf-8",
    )
    assert search(archive, query).hits[0].label == "2018年第28期"


def test_corrupt_or_foreign_index_is_rebuilt(archive: Path) -> None:
    query = make_query(["蜗牛工程"], None, None)
    expected = search(archive, query).hits
    index = search_index.index_path(archive)
    index.write_bytes(b"this is not a database" * 100)
    assert search(archive, query).hits == expected
    with sqlite3.connect(index) as db:  # a real, fresh index again
        assert db.execute("SELECT count(*) FROM articles").fetchone() == (4,)
    with sqlite3.connect(index) as db:
        db.execute("UPDATE meta SET value = 'old' WHERE key = 'format'")
    assert search(archive, query).hits == expected
    with sqlite3.connect(index) as db:
        db.execute("DROP TABLE articles")
    assert search(archive, query).hits == expected
    index.unlink()
    assert search(archive, query).hits == expected


def test_locked_index_falls_back_to_a_scan(archive: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    query = make_query(["蜗牛工程"], None, None)
    expected = search(archive, query).hits
    (archive / "issues/2018-028/01-snail.md").write_text(
        SNAIL + "\n又一个蜗牛工程。\n", encoding="utf-8"
    )
    monkeypatch.setattr(search_index, "BUSY_TIMEOUT", 0.05)
    holder = sqlite3.connect(search_index.index_path(archive), isolation_level=None)
    try:
        holder.execute("BEGIN EXCLUSIVE")
        settings = load_settings(archive, Reporter())
        assert search_index.search(archive, settings, query).hits is None
        assert len(search(archive, query).hits) == len(expected) + 1
    finally:
        holder.close()


def test_unwritable_cache_folder_falls_back(archive: Path) -> None:
    (archive / ".briefing").write_text("a file where the folder should be", encoding="utf-8")
    query = make_query(["蜗牛工程"], None, None)
    assert len(search(archive, query).hits) == 6


RACER = """
import json, sys, time
from pathlib import Path
from briefing.search import make_query, search
root, deadline = Path(sys.argv[1]), time.monotonic() + float(sys.argv[2])
count = 0
while time.monotonic() < deadline:
    for hit in search(root, make_query(["蜗牛工程"], None, None)).hits:
        print(json.dumps([hit.path, hit.line, hit.snippet], ensure_ascii=False), flush=True)
    count += 1
print("DONE", count)
"""


def test_concurrent_searches_while_files_change(archive: Path) -> None:
    """Two processes search while a third rewrites, deletes and restores files: no crash, and
    every hit is text that a version of the file really held at that line."""
    snail = archive / "issues/2018-028/01-snail.md"
    versions = [SNAIL, SNAIL.replace("蜗牛工程", "快速工程"), "---\ntitle: 短\n---\n\n蜗牛工程。\n"]
    possible = {
        (i + 1, line.split(": ", 1)[-1].lstrip("#").strip())
        for text in versions
        for i, line in enumerate(text.split("\n"))
    }
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    # Output goes to files, not pipes: on an idle machine a racer prints more than a pipe
    # holds, and nobody reads the pipe until the racers have exited (measured: a hang).
    logs = [(archive.parent / f"racer{i}.out", archive.parent / f"racer{i}.err") for i in range(2)]
    racers = []
    for out_path, err_path in logs:
        with out_path.open("w") as out, err_path.open("w") as err:
            racers.append(
                subprocess.Popen(
                    [sys.executable, "-c", RACER, str(archive), "2.5"],
                    stdout=out,
                    stderr=err,
                    env=env,
                )
            )
    step = 0
    while any(r.poll() is None for r in racers):
        text = versions[step % len(versions)]
        if step % 4 == 3:
            snail.unlink(missing_ok=True)
        elif step % 2:
            snail.write_text(text, encoding="utf-8")  # in place: readers may see it half-written
        else:
            tmp = snail.with_suffix(".tmp")
            tmp.write_text(text, encoding="utf-8")
            tmp.replace(snail)
        step += 1
        time.sleep(0.003)
    snail.write_text(versions[1], encoding="utf-8")
    for racer, (out_path, err_path) in zip(racers, logs, strict=True):
        racer.wait(timeout=60)
        out, err = out_path.read_text(), err_path.read_text()
        assert racer.returncode == 0, err
        lines = out.splitlines()
        assert lines[-1].startswith("DONE") and int(lines[-1].split()[1]) >= 1
        for line in lines[:-1]:
            path, number, snippet = json.loads(line)
            if path == "issues/2018-028/01-snail.md":
                assert "蜗牛工程" in snippet
                shown = snippet.strip("…")
                assert any(n == number and shown in t for n, t in possible), (number, snippet)
    assert step > 10
    # once the writes stop, the text that is gone is never found again
    final = search(archive, make_query(["蜗牛工程"], None, None)).hits
    assert "issues/2018-028/01-snail.md" not in {h.path for h in final}


def test_odd_files_and_issue_folders(make_workspace: WorkspaceFactory) -> None:
    root = make_workspace(
        {
            "issues/2018-028/issue.yaml": "year: [\n",  # broken: the folder name stands in
            "issues/2018-028/01.md": "---\ntitle: [\n---\n\n蜗牛工程。\n",
            "issues/2018-028/02.yaml": "- 不是映射\n- 蜗牛工程\n",
            "issues/2018-029/issue.yaml": issue_yaml(29, 647),
            "issues/2018-029/01.md": "没有元数据的蜗牛工程\r\n",
        },
        config=BASE_CONFIG.replace("第{number_cn}期（总第{total}期）", "第{nope}期"),
    )
    for words, unit in ((["蜗牛工程"], None), (["蜗牛"], None), (["蜗牛工程"], "某单位")):
        hits = search(root, make_query(words, None, unit)).hits
        settings = load_settings(root, Reporter())
        assert hits == scan(root, settings, make_query(words, None, unit))
    got = search(root, make_query(["蜗牛工程"], None, None)).hits
    assert [(h.issue, h.label, h.title, h.source, h.line) for h in got] == [
        ("2018-029", "第二十九期（总第647期）", "01", None, 1),  # the invalid format is ignored
        ("2018-028", "2018-028", "01", None, 5),
        ("2018-028", "2018-028", "02", None, 2),
    ]
    assert search(root, make_query(["蜗牛工程"], None, "某单位")).hits == []
