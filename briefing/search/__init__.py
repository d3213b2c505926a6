"""``briefing search``: full-text search over every issue, answered from the files themselves.

Two modules, one using the other: :mod:`~briefing.search.hits` knows what a query matches and
reads every hit from the file as it is now (and can scan all files); :mod:`~briefing.search.index`
keeps the SQLite FTS5 index that finds candidate files quickly. :func:`search` asks the index
and falls back on the scan where SQLite lacks FTS5 or trigram, or the index cannot be used;
the 批示 of the register (``instructions.yaml``, one small file) are matched on every search.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from briefing.errors import Diagnostic
from briefing.load import load_settings
from briefing.progress import SILENT, Progress
from briefing.rules import Reporter
from briefing.search import index
from briefing.search.hits import (
    Hit,
    Query,
    as_json,
    dated_label,
    instruction_hits,
    make_query,
    marked,
    scan,
    sort_hits,
)

__all__ = [
    "Found",
    "Hit",
    "Query",
    "as_json",
    "dated_label",
    "make_query",
    "marked",
    "scan",
    "search",
]


@dataclass(frozen=True, slots=True)
class Found:
    """The hits of a search, and what the user should know about the index (rebuilt because
    it was damaged, not used because it is a symlink), one Chinese line each."""

    hits: list[Hit]
    notices: tuple[Diagnostic, ...] = ()


def search(root: Path, query: Query, *, progress: Progress = SILENT) -> Found:
    """Hits for *query*, from the index when it can serve, else by a scan; then the 批示 of
    the register (a small file, read every time). The first build of the index is reported
    to *progress*."""
    settings = load_settings(root, Reporter())
    answer = index.search(root, settings, query, progress=progress)
    articles = answer.hits if answer.hits is not None else scan(root, settings, query)
    hits = sort_hits([*articles, *instruction_hits(root, settings, query)])
    return Found(hits, answer.notices)
