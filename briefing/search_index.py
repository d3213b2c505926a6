"""The search index: SQLite FTS5 with the trigram tokenizer, a cache in ``.briefing/``.

Chinese has no spaces between words, so a word tokenizer finds nothing; the trigram tokenizer
(SQLite ≥ 3.34) indexes every three-character sequence and answers substring queries of three
or more characters from the index. Shorter keywords are answered by a scan of the stored text
(``LIKE``), which is still one C loop over the table.

The index is a cache and nothing more: ``.briefing/search.sqlite`` (git-ignored). Before every
query it is brought up to date: a file whose size or modification time changed is hashed, and
reindexed only when its content hash changed; deleted files are dropped. A file modified in the
last two seconds is rechecked next time too (a second write within the timestamp granularity
would otherwise look unchanged). The hits themselves are read from the files at answer time
(:func:`briefing.search.hits_in`), so even a write racing the query cannot surface text that is
gone. A corrupt or foreign index file is deleted and rebuilt; when SQLite lacks FTS5/trigram,
the folder is read-only or another process holds the lock too long, :func:`search` returns
``None`` and the caller scans the files instead.
"""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from briefing.load import CONFIG_NAME, ISSUE_FILE
from briefing.model import Settings
from briefing.progress import SILENT, Progress, Task
from briefing.search import (
    ArticleMeta,
    Hit,
    IssueMeta,
    Query,
    article_meta,
    decode,
    digest,
    hits_in,
    issue_meta,
    listing,
    sort_hits,
    unit_matches,
)

INDEX_DIR = ".briefing"
INDEX_NAME = "search.sqlite"
FORMAT = "1"  # bump when the schema or what is stored changes
TRIGRAM_MIN = 3
RACY_NS = 2_000_000_000
BUSY_TIMEOUT = 20.0  # seconds to wait for another process's write before scanning instead
SCHEMA = """
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE issues(id TEXT PRIMARY KEY, size INT, mtime INT, label TEXT, year INT, date TEXT);
CREATE TABLE articles(id INTEGER PRIMARY KEY, path TEXT UNIQUE NOT NULL, issue TEXT NOT NULL,
                      size INT, mtime INT, digest TEXT, title TEXT, source TEXT);
CREATE VIRTUAL TABLE docs USING fts5(body, tokenize='trigram');
"""


@cache
def available() -> bool:
    """Whether this Python's SQLite has FTS5 with the trigram tokenizer (SQLite ≥ 3.34)."""
    if sqlite3.sqlite_version_info < (3, 34, 0):
        return False
    try:
        with closing(sqlite3.connect(":memory:")) as db:
            db.execute("CREATE VIRTUAL TABLE t USING fts5(x, tokenize='trigram')")
    except sqlite3.Error:
        return False
    return True


def index_path(root: Path) -> Path:
    return root / INDEX_DIR / INDEX_NAME


def search(
    root: Path, settings: Settings, query: Query, *, progress: Progress = SILENT
) -> list[Hit] | None:
    """Hits from the index (updated first), or ``None`` when the index cannot serve. Building
    the index from nothing (the first search of a workspace) is reported to *progress*."""
    if not available():
        return None
    path = index_path(root)
    for _attempt in range(2):
        try:
            with _connection(path) as db:
                _sync(db, root, settings, progress)
                return _query(db, root, settings, query)
        except sqlite3.OperationalError as exc:
            if "locked" in str(exc) or "busy" in str(exc):
                return None
            _discard(path)
        except sqlite3.DatabaseError:  # not a database, malformed image: rebuild silently
            _discard(path)
        except OSError:  # no room or no permission for the cache: scan instead
            return None
    return None


def _discard(path: Path) -> None:
    for name in (path.name, path.name + "-journal"):
        (path.parent / name).unlink(missing_ok=True)


@contextmanager
def _connection(path: Path) -> Iterator[sqlite3.Connection]:
    path.parent.mkdir(exist_ok=True)
    ignore = path.parent / ".gitignore"
    if not ignore.exists():  # the cache never reaches git, even in workspaces made before it
        ignore.write_text("*\n", encoding="utf-8")
    db = sqlite3.connect(path, timeout=BUSY_TIMEOUT, isolation_level=None)
    try:
        db.execute("PRAGMA synchronous=NORMAL")
        _ensure_schema(db)
        yield db
    finally:
        db.close()


def _ensure_schema(db: sqlite3.Connection) -> None:
    if _format(db) == FORMAT:
        return
    db.execute("BEGIN IMMEDIATE")
    try:
        if _format(db) != FORMAT:  # another process may have built it meanwhile
            for (name,) in db.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' "
                "AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'docs_%'"
            ).fetchall():
                db.execute(f'DROP TABLE IF EXISTS "{name}"')
            for statement in filter(str.strip, SCHEMA.split(";")):
                db.execute(statement)
            db.execute("INSERT INTO meta VALUES ('format', ?)", (FORMAT,))
        db.execute("COMMIT")
    except BaseException:
        db.execute("ROLLBACK")
        raise


def _format(db: sqlite3.Connection) -> str | None:
    try:
        row = db.execute("SELECT value FROM meta WHERE key = 'format'").fetchone()
    except sqlite3.OperationalError as exc:
        if "no such table" in str(exc):
            return None
        raise
    return row[0] if row else None


# --------------------------------------------------------------------------- keeping it fresh


@dataclass(slots=True)
class _Changes:
    settings: str | None = None
    issues: list[tuple[object, ...]] | None = None
    drop_issues: list[str] | None = None
    articles: list[tuple[object, ...]] | None = None
    touched: list[tuple[object, ...]] | None = None
    drop_articles: list[str] | None = None

    def any(self) -> bool:
        return any(
            (
                self.settings,
                self.issues,
                self.drop_issues,
                self.articles,
                self.touched,
                self.drop_articles,
            )
        )


def _signature(path: str, now: int) -> tuple[int, int]:
    """(size, mtime); a file written in the last two seconds gets mtime -1: recheck next time."""
    st = os.stat(path)
    return st.st_size, (-1 if now - st.st_mtime_ns < RACY_NS else st.st_mtime_ns)


def _sync(
    db: sqlite3.Connection, root: Path, settings: Settings, progress: Progress = SILENT
) -> None:
    now = time.time_ns()  # only to spot racy timestamps, never shown or stored as a date
    changes = _Changes()
    settings_digest = digest((root / CONFIG_NAME).read_bytes())
    row = db.execute("SELECT value FROM meta WHERE key = 'settings'").fetchone()
    relabel = row is None or row[0] != settings_digest
    if relabel:
        changes.settings = settings_digest
    issues = {r[0]: r[1:] for r in db.execute("SELECT id, size, mtime FROM issues")}
    articles = {r[0]: r[1:] for r in db.execute("SELECT path, size, mtime, digest FROM articles")}
    changes.issues, changes.articles, changes.touched = [], [], []
    folders = listing(settings)
    # only a first build takes long enough to show: an update reads the changed files alone
    first = SILENT if articles else progress
    with first.task("建立检索索引", sum(len(names) for _, names in folders)) as reading:
        _read_changes(folders, settings, changes, (issues, articles), relabel, now, reading)
    seen_issues = {folder.name for folder, _ in folders}
    seen_articles = {f"issues/{folder.name}/{name}" for folder, names in folders for name in names}
    changes.drop_issues = [i for i in issues if i not in seen_issues]
    changes.drop_articles = [a for a in articles if a not in seen_articles]
    if changes.any():
        with first.task("写入检索索引"):
            _apply(db, changes)


def _read_changes(
    folders: list[tuple[Path, list[str]]],
    settings: Settings,
    changes: _Changes,
    indexed: tuple[dict[str, Any], dict[str, Any]],
    relabel: bool,
    now: int,
    reading: Task,
) -> None:
    """Fill *changes* with the issues and articles that differ from the *indexed* ones."""
    issues, articles = indexed
    assert changes.issues is not None
    assert changes.articles is not None
    assert changes.touched is not None
    for folder, names in folders:
        issue_id = folder.name
        base = f"{folder}{os.sep}"
        try:
            sig = _signature(base + ISSUE_FILE, now)
        except OSError:
            sig = (-1, -1)
        if relabel or issues.get(issue_id) != sig or sig[1] == -1:
            meta = issue_meta(folder, settings)
            changes.issues.append((issue_id, *sig, meta.label, meta.year, meta.date))
        for name in names:
            rel = f"issues/{issue_id}/{name}"
            change = _article_change(base + name, rel, issue_id, articles.get(rel), now)
            reading.advance()
            if change is None:
                continue
            if len(change) == 3:
                changes.touched.append(change)  # same content: remember the new size and time
            else:
                changes.articles.append(change)


def _article_change(
    path: str, rel: str, issue_id: str, known: tuple[int, int, str] | None, now: int
) -> tuple[object, ...] | None:
    """None when unchanged; (size, mtime, rel) when only touched; else the row to index."""
    try:
        size, mtime = _signature(path, now)
        if known is not None and known[:2] == (size, mtime) and mtime != -1:
            return None
        data = Path(path).read_bytes()
    except OSError:  # vanished meanwhile: it is dropped next time
        return None
    content = digest(data)
    if known is not None and known[2] == content:
        return (size, mtime, rel)
    text = decode(data)
    return (rel, issue_id, size, mtime, content, article_meta(Path(path), text), text)


def _apply(db: sqlite3.Connection, changes: _Changes) -> None:
    db.execute("BEGIN IMMEDIATE")
    try:
        if changes.settings:
            db.execute("INSERT OR REPLACE INTO meta VALUES ('settings', ?)", (changes.settings,))
        db.executemany("INSERT OR REPLACE INTO issues VALUES (?, ?, ?, ?, ?, ?)", changes.issues)
        db.executemany("DELETE FROM issues WHERE id = ?", [(i,) for i in changes.drop_issues or ()])
        for rel in [*(changes.drop_articles or ()), *(a[0] for a in changes.articles or ())]:
            _delete_article(db, rel)
        for rel, issue, size, mtime, content, meta, text in changes.articles or ():
            cursor = db.execute(
                "INSERT INTO articles (path, issue, size, mtime, digest, title, source) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                (rel, issue, size, mtime, content, meta.title, meta.source),
            )
            db.execute("INSERT INTO docs (rowid, body) VALUES (?, ?)", (cursor.lastrowid, text))
        db.executemany("UPDATE articles SET size = ?, mtime = ? WHERE path = ?", changes.touched)
        db.execute("COMMIT")
    except BaseException:
        db.execute("ROLLBACK")
        raise


def _delete_article(db: sqlite3.Connection, rel: str) -> None:
    row = db.execute("SELECT id FROM articles WHERE path = ?", (rel,)).fetchone()
    if row is not None:
        db.execute("DELETE FROM docs WHERE rowid = ?", row)
        db.execute("DELETE FROM articles WHERE id = ?", row)


# --------------------------------------------------------------------------- answering


def _fts_phrase(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


def _like(term: str) -> str:
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _candidates(query: Query) -> tuple[str, list[object]]:
    """SQL selecting the rowids of articles that may match (the files decide)."""
    long_terms = [t for t in query.terms if len(t) >= TRIGRAM_MIN]
    if long_terms:
        return (
            "SELECT rowid FROM docs WHERE docs MATCH ?",
            [" AND ".join(map(_fts_phrase, long_terms))],
        )
    return "SELECT rowid FROM docs WHERE body LIKE ? ESCAPE '\\'", [_like(query.terms[0])]


def _query(db: sqlite3.Connection, root: Path, settings: Settings, query: Query) -> list[Hit]:
    inner, params = _candidates(query)
    sql = (
        "SELECT a.path, a.digest, a.title, a.source, a.issue, i.label, i.year, i.date "
        f"FROM articles a JOIN issues i ON a.issue = i.id WHERE a.id IN ({inner})"
    )
    if query.year is not None:
        sql += " AND i.year = ?"
        params.append(query.year)
    hits: list[Hit] = []
    for rel, stored, title, source, issue_id, label, year, date in db.execute(sql, params):
        path = root / rel
        try:
            data = path.read_bytes()
        except OSError:  # deleted since the index was updated
            continue
        text = decode(data)
        meta = ArticleMeta(title, source) if digest(data) == stored else article_meta(path, text)
        if unit_matches(query, meta.source, settings.units):
            hits += hits_in(text, rel, IssueMeta(issue_id, label, year, date), meta, query)
    return sort_hits(hits)
