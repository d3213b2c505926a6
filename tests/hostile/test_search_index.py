"""A damaged search index never stops ``briefing search``: it is rebuilt, and one line says so.

The index is a cache in ``.briefing/search.sqlite``; whatever happened to the file (one byte
of its schema flipped, a truncated page, another program's database, random bytes), the
answer is the same as a scan of the articles, the exit code 0, and no traceback.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from briefing.cli import app
from tests.hostile.helpers import ISSUE_ID, workspace

runner = CliRunner()
ISSUE = f"issues/{ISSUE_ID}"
ARTICLES = {
    f"{ISSUE}/01-grid.md": "---\ntitle: 网格化管理\nsource: 长河街道\n---\n\n今年以来，街道把辖区划分为42个网格。\n",
    f"{ISSUE}/02-snail.md": "---\ntitle: 蜗牛工程\nsource: 建设局\n---\n\n蜗牛工程推动网格员走访。\n",
}
REBUILT = "检索索引无法读取（已损坏），已删除并重建"


def run(root: Path, *words: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, ["-C", str(root), "search", *words])


@pytest.fixture
def ws(tmp_path: Path) -> Path:
    root = workspace(tmp_path / "ws", ARTICLES)
    assert run(root, "网格").exit_code == 0  # builds the index
    return root


def index(root: Path) -> Path:
    return root / ".briefing" / "search.sqlite"


def flip(data: bytes, offset: int) -> bytes:
    return data[:offset] + bytes([data[offset] ^ 0xFF]) + data[offset + 1 :]


def damage_schema(data: bytes) -> bytes:
    """One byte of the schema text (in sqlite_master) flipped: not UTF-8 any more."""
    return flip(data, data.index(b"CREATE TABLE articles") + 14)


def damage_header(data: bytes) -> bytes:
    return flip(data, 0)


def damage_page(data: bytes) -> bytes:
    return data[:4096] + b"\x00\xff" * 2048 + data[8192:]


def truncate(data: bytes) -> bytes:
    return data[: len(data) // 3]


@pytest.mark.parametrize("damage", [damage_schema, damage_header, damage_page, truncate])
def test_a_damaged_index_is_rebuilt_and_said_so(ws: Path, damage) -> None:  # type: ignore[no-untyped-def]
    expected = run(ws, "网格").output
    index(ws).write_bytes(damage(index(ws).read_bytes()))
    result = run(ws, "网格")
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    lines = result.output.splitlines()
    notices = [line for line in lines if "检索索引" in line]
    assert notices == [f".briefing/search.sqlite: 警告 {REBUILT}"]
    assert [x for x in lines if "检索索引" not in x] == expected.splitlines()
    with sqlite3.connect(index(ws)) as db:  # a sound index again
        assert db.execute("SELECT count(*) FROM articles").fetchone() == (2,)
    assert run(ws, "网格").output == expected  # and quiet from then on


def test_the_flipped_schema_byte_of_the_report(ws: Path) -> None:
    index(ws).write_bytes(damage_schema(index(ws).read_bytes()))
    result = run(ws, "蜗牛")
    assert result.exit_code == 0 and "02-snail.md" in result.output
    assert REBUILT in result.output


@pytest.mark.parametrize(
    "content",
    [b"", b"SQLite format 3\x00" + b"\x00" * 84, b"<html>not a database</html>" * 300],
)
def test_foreign_files_in_place_of_the_index(ws: Path, content: bytes) -> None:
    index(ws).write_bytes(content)
    result = run(ws, "网格")
    assert result.exit_code == 0 and "01-grid.md" in result.output
    assert "Traceback" not in result.output


def test_a_folder_in_place_of_the_index(ws: Path) -> None:
    index(ws).unlink()
    index(ws).mkdir()
    result = run(ws, "网格")
    assert result.exit_code == 0 and "01-grid.md" in result.output
    assert "同名目录已存在" in result.output and "本次逐篇检索" in result.output
    assert index(ws).is_dir()  # not ours to delete


def test_another_programs_database(ws: Path) -> None:
    index(ws).unlink()
    with sqlite3.connect(index(ws)) as db:
        db.execute("CREATE TABLE meta(key, value)")
        db.execute("INSERT INTO meta VALUES ('format', '1')")  # claims our format
    result = run(ws, "网格")
    assert result.exit_code == 0 and "01-grid.md" in result.output
    assert REBUILT in result.output
