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
(:func:`briefing.search.hits.hits_in`), so even a write racing the query cannot surface text that is
gone. An index that cannot be read (not a database, a damaged page or schema, text that is not
UTF-8) is deleted and rebuilt, and the answer says so. When SQLite lacks FTS5/trigram, the
folder is read-only or another process holds the lock too long, the answer has no hits and the
caller scans the files instead; so it does, saying why, when ``.briefing`` or an index file is
a symlink: the index is never written through one. Articles are read like every other input
(``textio.read_bytes_safely``): an article linked to a file outside the workspace is not
indexed, and an index row naming a file elsewhere is never opened.
"""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from briefing.errors import Diagnostic, Severity
from briefing.load import CONFIG_NAME, ISSUE_FILE
from briefing.model import Settings
from briefing.progress import SILENT, Progress
from briefing.search.hits import (
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
from briefing.textio import (
    MAX_TEXT_BYTES,
    UnsafeFile,
    os_reason,
    read_bytes_safely,
    refuse_link,
    safe_folder,
    write_atomic,
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


@dataclass(frozen=True, slots=True)
class Answer:
    """Hits from the index, or ``None`` when it cannot serve; *notices*: what the user should
    know about the index (rebuilt, not used), one Chinese line each."""

    hits: list[Hit] | None
    notices: tuple[Diagnostic, ...] = ()


# Everything a damaged index file raises while being read: SQLite's own errors ("file is not
# a database", "database disk image is malformed"), and Python's decoding of its text (one
# flipped byte in the schema gives UnicodeDecodeError, a ValueError).
UNREADABLE = (sqlite3.DatabaseError, ValueError)


def search(root: Path, settings: Settings, query: Query, *, progress: Progress = SILENT) -> Answer:
    """Hits from the index (updated first); no hits when the index cannot serve. Building the
    index from nothing (the first search of a workspace) is reported to *progress*."""
    if not available():
        return Answer(None)
    path = index_path(root)
    try:
        _safe_files(path, root)
    except OSError as exc:  # a symlink, no permission, a folder in its place: scan instead
        return Answer(None, (_notice(path, f"{os_reason(exc)}；本次逐篇检索，未使用索引"),))
    rebuilt = False
    for attempt in range(2):
        try:
            with _connection(path, root) as db:
                _sync(db, root, settings, progress)
                hits = _query(db, root, settings, query)
            notice = _notice(path, "检索索引无法读取（已损坏），已删除并重建")
            return Answer(hits, (notice,) if rebuilt else ())
        except sqlite3.OperationalError as exc:
            if "locked" in str(exc) or "busy" in str(exc):
                return Answer(None)  # another process is writing it: scan meanwhile
            if attempt or not _discard(path):
                return Answer(None, (_unusable(path, exc),))
            rebuilt = True
        except UNREADABLE as exc:
            if attempt or not _discard(path):
                return Answer(None, (_unusable(path, exc),))
            rebuilt = True
        except OSError as exc:  # no room or no permission for the cache: scan instead
            return Answer(None, (_notice(path, f"{os_reason(exc)}；本次逐篇检索，未使用索引"),))
    raise AssertionError("unreachable: the second attempt returns")


def _unusable(path: Path, exc: Exception) -> Diagnostic:
    return _notice(path, f"检索索引无法使用（{type(exc).__name__}），本次逐篇检索")


def _notice(path: Path, message: str) -> Diagnostic:
    return Diagnostic("search", Severity.WARNING, message, path)


INDEX_FILES = ("", "-journal", "-wal", "-shm")  # the database and SQLite's files beside it


def _safe_files(path: Path, root: Path) -> None:
    """``.briefing/`` a real folder of the workspace (made when missing), and neither the index
    nor a file SQLite keeps beside it a symlink (SQLite would follow it) or a non-file."""
    folder = safe_folder(path.parent, root)
    ignore = folder / ".gitignore"
    if not os.path.lexists(ignore):  # the cache never reaches git, even in older workspaces
        write_atomic(ignore, "*\n", root=root)
    for suffix in INDEX_FILES:
        refuse_link(folder / (path.name + suffix), root)


def _discard(path: Path) -> bool:
    """Delete the index and its journal; ``False`` when they cannot be deleted."""
    try:
        for suffix in INDEX_FILES:
            (path.parent / (path.name + suffix)).unlink(missing_ok=True)
    except OSError:
        return False
    return True


@contextmanager
def _connection(path: Path, root: Path) -> Iterator[sqlite3.Connection]:
    _safe_files(path, root)  # again: the folder may have changed since the first look
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


# (path, issue, size, mtime, digest, meta, text): an article to (re)index
ArticleRow = tuple[str, str, int, int, str, ArticleMeta, str]
# (size, mtime, path): an article whose content is unchanged, with its new size and time
Touched = tuple[int, int, str]
# (id, size, mtime, label, year, date): an issue's row
IssueRow = tuple[str, int, int, str, int, str]


@dataclass(slots=True)
class _Changes:
    settings: str | None = None
    issues: list[IssueRow] = field(default_factory=list)
    drop_issues: list[str] = field(default_factory=list)
    articles: list[ArticleRow] = field(default_factory=list)
    touched: list[Touched] = field(default_factory=list)
    drop_articles: list[str] = field(default_factory=list)

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
    seen_issues, seen_articles = set(), set()
    folders = listing(settings)
    # only a first build takes long enough to show: an update reads the changed files alone
    first = SILENT if articles else progress
    with first.task("建立检索索引", sum(len(names) for _, names in folders)) as reading:
        for folder, names in folders:
            issue_id = folder.name
            seen_issues.add(issue_id)
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
                seen_articles.add(rel)
                change = _article_change(base + name, rel, issue_id, articles.get(rel), now, root)
                reading.advance()
                if change is None:
                    continue
                if len(change) == 3:
                    changes.touched.append(change)  # same content: remember the new size and time
                else:
                    changes.articles.append(change)
    changes.drop_issues = [i for i in issues if i not in seen_issues]
    changes.drop_articles = [a for a in articles if a not in seen_articles]
    if changes.any():
        with first.task("写入检索索引"):
            _apply(db, changes)


def _article_change(
    path: str,
    rel: str,
    issue_id: str,
    known: tuple[int, int, str] | None,
    now: int,
    root: Path | None = None,
) -> Touched | ArticleRow | None:
    """None when unchanged; (size, mtime, rel) when only touched; else the row to index.
    A file that may not be read (outside *root*, not a regular file, too large) is skipped."""
    try:
        size, mtime = _signature(path, now)
        if known is not None and known[:2] == (size, mtime) and mtime != -1:
            return None
        data = read_bytes_safely(Path(path), root, MAX_TEXT_BYTES)
    except (OSError, UnsafeFile):  # vanished meanwhile (dropped next time), or not for us
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
        db.executemany("DELETE FROM issues WHERE id = ?", [(i,) for i in changes.drop_issues])
        for rel in [*changes.drop_articles, *(a[0] for a in changes.articles)]:
            _delete_article(db, rel)
        for rel, issue, size, mtime, content, meta, text in changes.articles:
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
            data = read_bytes_safely(path, root, MAX_TEXT_BYTES)
        except (OSError, UnsafeFile):  # deleted since the index was updated, or not for us
            continue
        text = decode(data)
        meta = ArticleMeta(title, source) if digest(data) == stored else article_meta(path, text)
        if unit_matches(query, meta.source, settings.units):
            hits += hits_in(text, rel, IssueMeta(issue_id, label, year, date), meta, query)
    return sort_hits(hits)
