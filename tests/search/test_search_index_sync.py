"""The search index kept in step with the files: every edit, addition, deletion, rename and
removed issue is seen by the next query; an unchanged workspace writes nothing; a damaged,
old or failing index gives the same answer with one line saying why."""

from __future__ import annotations

import errno
import os
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

import briefing.search as search_package
from briefing.errors import Severity
from briefing.load import load_settings
from briefing.rules import Reporter
from briefing.search import Hit, index, make_query, scan, search
from briefing.search.hits import ArticleMeta, digest
from tests.conftest import BASE_CONFIG, WorkspaceFactory, issue_yaml

GRID = "---\ntitle: 网格化管理\nsource: 长河街道\n---\n\n网格员走访蜗牛工程。\n"
SNAIL = "---\ntitle: 蜗牛工程\nsource: 建设局\n---\n\n破解蜗牛工程难题。\n"
OLD = 10 * index.RACY_NS  # well before "now": not a racy timestamp


@pytest.fixture
def ws(make_workspace: WorkspaceFactory) -> Path:
    return make_workspace(
        {
            "issues/2018-028/issue.yaml": issue_yaml(),
            "issues/2018-028/01-grid.md": GRID,
            "issues/2018-028/02-snail.md": SNAIL,
            "issues/2019-001/issue.yaml": issue_yaml(1, 647, 2019, "2019-01-10"),
            "issues/2019-001/01.md": GRID.replace("网格员", "新年网格员"),
        }
    )


def age(root: Path, seconds_ago: int = 0) -> None:
    """Every file of the workspace (not the index) written long ago: no racy timestamps."""
    when = time.time_ns() - OLD - seconds_ago * 1_000_000_000
    for path in root.rglob("*"):
        if path.is_file() and ".briefing" not in path.parts:
            os.utime(path, ns=(when, when))


def rewrite(path: Path, text: str, seconds_ago: int = 30) -> None:
    """*path* with new content and an old (not racy) modification time."""
    path.write_text(text, encoding="utf-8")
    when = time.time_ns() - OLD - seconds_ago * 1_000_000_000
    os.utime(path, ns=(when, when))


def ask(root: Path, *words: str, year: int | None = None) -> list[Hit]:
    found = search(root, make_query(list(words), year, None))
    assert found.notices == ()
    return found.hits


def where(hits: list[Hit]) -> list[tuple[str, int]]:
    return [(h.path, h.line) for h in hits]


def rows(root: Path, sql: str) -> list[tuple[object, ...]]:
    with sqlite3.connect(index.index_path(root)) as db:
        return db.execute(sql).fetchall()


def test_an_unchanged_workspace_writes_nothing(ws: Path) -> None:
    age(ws)
    ask(ws, "蜗牛工程")
    assert rows(ws, "SELECT key, value FROM meta ORDER BY key") == [
        ("format", index.FORMAT),
        ("settings", digest((ws / "briefing.yaml").read_bytes())),
    ]
    before = index.index_path(ws).read_bytes()
    assert where(ask(ws, "蜗牛工程")) == [
        ("issues/2019-001/01.md", 6),
        ("issues/2018-028/01-grid.md", 6),
        ("issues/2018-028/02-snail.md", 2),
        ("issues/2018-028/02-snail.md", 6),
    ]
    assert index.index_path(ws).read_bytes() == before  # not one page rewritten
    age(ws, 5)  # touched, same content: the new times are stored, nothing reindexed
    ask(ws, "蜗牛工程")
    touched = index.index_path(ws).read_bytes()
    ask(ws, "蜗牛工程")
    assert index.index_path(ws).read_bytes() == touched


def test_every_change_is_seen_by_the_next_query(ws: Path) -> None:
    age(ws)
    assert len(ask(ws, "蜗牛工程")) == 4
    snail = ws / "issues/2018-028/02-snail.md"
    rewrite(snail, SNAIL.replace("蜗牛工程", "快速工程"))  # the second file of its folder
    assert where(ask(ws, "蜗牛工程")) == [
        ("issues/2019-001/01.md", 6),
        ("issues/2018-028/01-grid.md", 6),
    ]
    assert where(ask(ws, "快速工程")) == [
        ("issues/2018-028/02-snail.md", 2),
        ("issues/2018-028/02-snail.md", 6),
    ]
    snail.rename(snail.with_name("03-renamed.md"))
    assert where(ask(ws, "快速工程")) == [
        ("issues/2018-028/03-renamed.md", 2),
        ("issues/2018-028/03-renamed.md", 6),
    ]
    rewrite(ws / "issues/2018-028/04-new.md", "---\ntitle: 新增\n---\n\n快速工程又一篇。\n")
    assert [h.path for h in ask(ws, "快速工程")][-1] == "issues/2018-028/04-new.md"
    (ws / "issues/2018-028/03-renamed.md").unlink()
    assert where(ask(ws, "快速工程")) == [("issues/2018-028/04-new.md", 5)]
    for name in ("01-grid.md", "04-new.md", "issue.yaml"):
        (ws / "issues/2018-028" / name).unlink()
    (ws / "issues/2018-028").rmdir()
    assert where(ask(ws, "网格")) == [("issues/2019-001/01.md", 2), ("issues/2019-001/01.md", 6)]
    assert rows(ws, "SELECT id FROM issues") == [("2019-001",)]
    assert rows(ws, "SELECT path FROM articles") == [("issues/2019-001/01.md",)]
    assert rows(ws, "SELECT count(*) FROM docs") == [(1,)]


def test_an_edited_issue_file_and_settings_are_seen(ws: Path) -> None:
    age(ws)
    (hit,) = ask(ws, "破解")
    assert (hit.label, hit.date) == ("第二十八期（总第646期）", "2018-12-20")
    rewrite(ws / "issues/2018-028/issue.yaml", issue_yaml(date="2018-12-21"))
    (hit,) = ask(ws, "破解")
    assert (hit.label, hit.date) == ("第二十八期（总第646期）", "2018-12-21")
    rewrite(
        ws / "briefing.yaml",
        BASE_CONFIG.replace("第{number_cn}期（总第{total}期）", "{year}年第{number}期"),
    )
    assert [h.label for h in ask(ws, "破解")] == ["2018年第28期"]


def test_a_rewrite_within_the_timestamp_granularity_is_seen(
    ws: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    issue = ws / "issues/2018-028/issue.yaml"
    snail = ws / "issues/2018-028/02-snail.md"
    stamp = snail.stat().st_mtime_ns
    # every search happens one second after the files were written, however slow the machine
    monkeypatch.setattr(index.time, "time_ns", lambda: stamp + index.RACY_NS // 2)
    assert [h.date for h in ask(ws, "破解")] == ["2018-12-20"]
    # same size, same time stamp, other words: only the hash can tell
    snail.write_text(SNAIL.replace("破解", "化解"), encoding="utf-8")
    issue.write_text(issue_yaml(date="2018-12-21"), encoding="utf-8")
    for path in (snail, issue):
        os.utime(path, ns=(stamp, stamp))
    assert ask(ws, "破解") == []
    assert [(h.date, h.snippet) for h in ask(ws, "化解")] == [("2018-12-21", "化解蜗牛工程难题。")]


def test_a_timestamp_exactly_two_seconds_old_is_trusted(
    ws: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    age(ws)
    stamp = (ws / "briefing.yaml").stat().st_mtime_ns
    monkeypatch.setattr(index.time, "time_ns", lambda: stamp + index.RACY_NS)
    ask(ws, "蜗牛工程")
    assert {mtime for (mtime,) in rows(ws, "SELECT mtime FROM articles")} == {stamp}


class Recorder:
    """A Progress that remembers every task and how far it got."""

    def __init__(self) -> None:
        self.tasks: list[list[object]] = []

    @contextmanager
    def task(self, description: str, total: int | None = None) -> Iterator[Recorder]:
        self.tasks.append([description, total, 0])
        yield self

    def advance(self, amount: int = 1) -> None:
        self.tasks[-1][2] += amount  # type: ignore[operator]


def test_only_the_first_build_is_reported(ws: Path) -> None:
    first = Recorder()
    search(ws, make_query(["蜗牛工程"], None, None), progress=first)
    assert first.tasks == [["建立检索索引", 3, 3], ["写入检索索引", None, 0]]
    later = Recorder()
    rewrite(ws / "issues/2018-028/02-snail.md", SNAIL + "\n补充。\n")
    search(ws, make_query(["蜗牛工程"], None, None), progress=later)
    assert later.tasks == []


def test_the_index_answers_without_reading_every_file(
    ws: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_scan(*_: object) -> list[Hit]:
        raise AssertionError("the index should have answered")

    monkeypatch.setattr(search_package, "scan", no_scan)
    assert len(ask(ws, "蜗牛工程")) == 4


def test_hits_are_read_from_the_file_as_it_is_now(
    ws: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file rewritten between the update of the index and the query: its new title shows."""
    sync = index._sync

    def racing(*args: object, **kwargs: object) -> None:
        sync(*args, **kwargs)  # type: ignore[arg-type]
        snail = ws / "issues/2018-028/02-snail.md"
        snail.write_text(SNAIL.replace("title: 蜗牛工程", "title: 新标题"), encoding="utf-8")

    ask(ws, "破解")
    monkeypatch.setattr(index, "_sync", racing)
    assert [(h.title, h.source, h.line) for h in ask(ws, "破解")] == [("新标题", "建设局", 6)]


# --------------------------------------------------------------------------- queries


def test_fts_and_like_queries(make_workspace: WorkspaceFactory) -> None:
    root = make_workspace(
        {
            "issues/2018-028/issue.yaml": issue_yaml(),
            "issues/2018-028/01.md": '---\ntitle: 引号\n---\n\n他说"蜗牛工程"该破解了，台账建好。\n',
            "issues/2018-028/02.md": "---\ntitle: 符号\n---\n\n增长5%，a_b 与 c\\d。\n",
            "issues/2018-028/03.md": "---\ntitle: 无关\n---\n\n增长五成，ab 与 cd。\n",
        }
    )
    for _ in range(2):  # the first query builds the index, the second uses it as it is
        assert where(ask(root, '"蜗牛工程"')) == [("issues/2018-028/01.md", 5)]
        assert where(ask(root, '说"蜗牛')) == [("issues/2018-028/01.md", 5)]
        assert where(ask(root, "蜗牛工程", "该破解了")) == [("issues/2018-028/01.md", 5)]
        for short in ("%", "_", "\\", "5%"):
            assert where(ask(root, short)) == [("issues/2018-028/02.md", 5)], short


def test_a_broken_issue_file_takes_its_year_from_the_folder(
    make_workspace: WorkspaceFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_workspace(
        {
            "issues/2018-028/issue.yaml": "year: [\n",
            "issues/2018-028/01.md": SNAIL,
            "issues/专刊/issue.yaml": "year: [\n",
            "issues/专刊/01.md": SNAIL,
            "issues/2018-030/01.md": SNAIL,  # no issue.yaml at all
        }
    )
    settings = load_settings(root, Reporter())

    def answers(year: int | None) -> list[tuple[str, str, str]]:
        hits = ask(root, "破解", year=year)
        assert hits == scan(root, settings, make_query(["破解"], year, None))
        return [(h.issue, h.label, h.date) for h in hits]

    for _ in range(2):
        assert answers(2018) == [("2018-030", "2018-030", ""), ("2018-028", "2018-028", "")]
        assert answers(0) == [("专刊", "专刊", "")]
        assert answers(1) == []
    monkeypatch.setattr(index, "available", lambda: False)
    assert answers(2018) == [("2018-030", "2018-030", ""), ("2018-028", "2018-028", "")]


def test_the_scan_skips_other_years_and_unreadable_files(
    ws: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    outside = tmp_path / "outside.md"
    outside.write_text("---\ntitle: 外部\n---\n\n外部的蜗牛工程。\n", encoding="utf-8")
    (ws / "issues/2018-028/00-link.md").symlink_to(outside)
    monkeypatch.setattr(index, "available", lambda: False)
    assert where(ask(ws, "蜗牛工程", year=2019)) == [("issues/2019-001/01.md", 6)]
    assert where(ask(ws, "蜗牛工程", year=2018)) == [
        ("issues/2018-028/01-grid.md", 6),
        ("issues/2018-028/02-snail.md", 2),
        ("issues/2018-028/02-snail.md", 6),
    ]
    assert ask(ws, "外部") == []


def test_a_file_linked_outside_is_neither_indexed_nor_read(ws: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside.md"
    outside.write_text("---\ntitle: 外部\n---\n\n外部的蜗牛工程。\n", encoding="utf-8")
    (ws / "issues/2018-028/00-link.md").symlink_to(outside)
    assert ask(ws, "外部") == []
    assert rows(ws, "SELECT count(*) FROM articles WHERE path LIKE '%00-link.md'") == [(0,)]
    # an indexed article replaced by a link to a file outside: its row stays, it is not read
    grid = ws / "issues/2018-028/01-grid.md"
    grid.unlink()
    grid.symlink_to(outside)
    assert where(ask(ws, "蜗牛工程", year=2018)) == [
        ("issues/2018-028/02-snail.md", 2),
        ("issues/2018-028/02-snail.md", 6),
    ]


# --------------------------------------------------------------------------- damaged, failing


def test_a_missing_format_row_or_a_view_in_the_way_rebuilds(ws: Path) -> None:
    expected = ask(ws, "蜗牛工程")
    with sqlite3.connect(index.index_path(ws)) as db:
        db.execute("DELETE FROM meta WHERE key = 'format'")
    assert ask(ws, "蜗牛工程") == expected  # rebuilt quietly: an old index, not a damaged one
    assert rows(ws, "SELECT value FROM meta WHERE key = 'format'") == [(index.FORMAT,)]
    with sqlite3.connect(index.index_path(ws)) as db:
        db.execute("DELETE FROM meta WHERE key = 'format'")
        db.execute("CREATE VIEW issues_view AS SELECT 1")
        db.execute("DROP TABLE issues")
        db.execute("CREATE VIEW issues AS SELECT 1 AS id")
    found = search(ws, make_query(["蜗牛工程"], None, None))
    assert found.hits == expected
    (notice,) = found.notices
    assert (notice.code, notice.severity, notice.message, notice.path) == (
        "search",
        Severity.WARNING,
        "检索索引无法读取（已损坏），已删除并重建",
        index.index_path(ws),
    )


def test_a_failed_schema_change_is_rolled_back(ws: Path) -> None:
    ask(ws, "蜗牛工程")
    with closing_db(index.index_path(ws)) as db:
        db.execute("DELETE FROM meta WHERE key = 'format'")
        db.execute("DROP TABLE issues")
        db.execute("CREATE VIEW issues AS SELECT 1 AS id")
        with pytest.raises(sqlite3.OperationalError, match="issues"):
            index._ensure_schema(db)
        assert not db.in_transaction
        assert db.execute("SELECT count(*) FROM articles").fetchone() == (3,)


def test_a_failed_update_is_rolled_back(ws: Path) -> None:
    ask(ws, "蜗牛工程")
    row = ("issues/x.md", "2018-028", 1, 1, "0", ArticleMeta("标题", None), "蜗牛工程")
    with closing_db(index.index_path(ws)) as db:
        changes = index._Changes(settings="s", articles=[row, row], drop_issues=["2019-001"])
        with pytest.raises(sqlite3.IntegrityError):
            index._apply(db, changes)
        assert not db.in_transaction
        assert db.execute("SELECT count(*) FROM articles").fetchone() == (3,)
        assert db.execute("SELECT count(*) FROM issues").fetchone() == (2,)


@contextmanager
def closing_db(path: Path) -> Iterator[sqlite3.Connection]:
    db = sqlite3.connect(path, isolation_level=None)
    try:
        yield db
    finally:
        db.close()


@pytest.mark.parametrize(
    ("error", "message"),
    [
        (
            sqlite3.DatabaseError("file is not a database"),
            "检索索引无法使用（DatabaseError），本次逐篇检索",
        ),
        (
            sqlite3.OperationalError("disk I/O error"),
            "检索索引无法使用（OperationalError），本次逐篇检索",
        ),
        (OSError(errno.ENOSPC, "No space left"), "磁盘空间不足；本次逐篇检索，未使用索引"),
    ],
)
def test_an_index_that_keeps_failing_gives_way_to_a_scan(
    ws: Path, monkeypatch: pytest.MonkeyPatch, error: Exception, message: str
) -> None:
    expected = ask(ws, "蜗牛工程")
    calls: list[int] = []

    def failing(*_: object, **__: object) -> None:
        calls.append(1)
        raise error

    monkeypatch.setattr(index, "_sync", failing)
    settings = load_settings(ws, Reporter())
    answer = index.search(ws, settings, make_query(["蜗牛工程"], None, None))
    assert answer.hits is None
    (notice,) = answer.notices
    assert (notice.code, notice.severity, notice.message, notice.path) == (
        "search",
        Severity.WARNING,
        message,
        index.index_path(ws),
    )
    assert len(calls) == (1 if isinstance(error, OSError) else 2)  # deleted and tried again
    found = search(ws, make_query(["蜗牛工程"], None, None))
    assert (found.hits, found.notices) == (expected, (notice,))


def test_an_index_file_that_is_a_symlink_is_not_used(ws: Path, tmp_path: Path) -> None:
    (ws / ".briefing").mkdir()
    elsewhere = tmp_path / "elsewhere.sqlite"
    index.index_path(ws).symlink_to(elsewhere)
    found = search(ws, make_query(["破解"], None, None))
    assert where(found.hits) == [("issues/2018-028/02-snail.md", 6)]
    (notice,) = found.notices
    assert (notice.code, notice.path) == ("search", index.index_path(ws))
    assert notice.message == (
        f".briefing/search.sqlite 是符号链接（指向 {elsewhere}），出于安全考虑不经符号链接写入；"
        "本次逐篇检索，未使用索引"
    )
    assert not elsewhere.exists()


def test_an_unchanged_file_is_not_read_again(ws: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    age(ws)
    ask(ws, "蜗牛工程")
    read: list[str] = []
    safely = index.read_bytes_safely

    def counting(path: Path, *args: object) -> bytes:
        read.append(Path(path).name)
        return safely(path, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(index, "read_bytes_safely", counting)
    assert where(ask(ws, "破解")) == [("issues/2018-028/02-snail.md", 6)]
    assert read == ["02-snail.md"]  # the one candidate, read for its hits


def test_a_cache_folder_that_is_a_file_is_reported(ws: Path) -> None:
    (ws / ".briefing").write_text("a file where the folder should be", encoding="utf-8")
    found = search(ws, make_query(["破解"], None, None))
    assert where(found.hits) == [("issues/2018-028/02-snail.md", 6)]
    (notice,) = found.notices
    assert (notice.code, notice.path) == ("search", index.index_path(ws))
    assert notice.message.endswith("；本次逐篇检索，未使用索引")
