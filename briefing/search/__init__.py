"""``briefing search``: full-text search over every issue, answered from the files themselves.

Two modules, one using the other: :mod:`~briefing.search.hits` knows what a query matches and
reads every hit from the file as it is now (and can scan all files); :mod:`~briefing.search.index`
keeps the SQLite FTS5 index that finds candidate files quickly. :func:`search` asks the index
and falls back on the scan where SQLite lacks FTS5 or trigram, or the index cannot be used.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from briefing.errors import Diagnostic
from briefing.load import load_settings
from briefing.rules import Reporter
from briefing.search import index
from briefing.search.hits import Hit, Query, as_json, make_query, marked, scan

__all__ = ["Found", "Hit", "Query", "as_json", "make_query", "marked", "scan", "search"]


@dataclass(frozen=True, slots=True)
class Found:
    """The hits of a search, and what the user should know about the index (rebuilt because
    it was damaged, not used because it is a symlink), one Chinese line each."""

    hits: list[Hit]
    notices: tuple[Diagnostic, ...] = ()


def search(root: Path, query: Query) -> Found:
    """Hits for *query*, from the index when it can serve, else by a scan."""
    settings = load_settings(root, Reporter())
    answer = index.search(root, settings, query)
    hits = answer.hits if answer.hits is not None else scan(root, settings, query)
    return Found(hits, answer.notices)
