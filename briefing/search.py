"""``briefing search``: full-text search over every issue, answered from the files themselves.

An article matches when it contains every keyword (case-insensitive); each of its lines holding
a keyword is one hit. Candidates come from the SQLite FTS5 index of :mod:`briefing.search_index`
(or, where SQLite lacks FTS5 or trigram, or the index cannot be used, from a scan of every
file), but the hits themselves are always read from the file as it is *now*: a file changed or
deleted since it was indexed can never produce text that is no longer there.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from briefing.errors import UsageError
from briefing.load import article_names, issue_dirs, load_issue, load_settings
from briefing.model import Settings
from briefing.numbering import issue_label
from briefing.progress import SILENT, Progress
from briefing.rules import Reporter

SNIPPET_BEFORE = 18
SNIPPET_AFTER = 36


@dataclass(frozen=True, slots=True)
class ArticleMeta:
    """What a hit shows about its article (read from the front matter, not the full loader)."""

    title: str
    source: str | None


@dataclass(frozen=True, slots=True)
class IssueMeta:
    issue_id: str
    label: str  # the printed 期号, 第二十八期（总第646期）
    year: int
    date: str  # ISO date, or "" when issue.yaml cannot be read


@dataclass(frozen=True, slots=True)
class Hit:
    issue: str
    label: str
    date: str
    path: str  # relative to the workspace, with /
    line: int
    title: str
    source: str | None
    snippet: str
    spans: tuple[tuple[int, int], ...]  # where the keywords are in the snippet


@dataclass(frozen=True, slots=True)
class Query:
    terms: tuple[str, ...]
    year: int | None = None
    source: str | None = None

    @property
    def pattern(self) -> re.Pattern[str]:
        longest_first = sorted(set(self.terms), key=len, reverse=True)
        return re.compile("|".join(map(re.escape, longest_first)), re.IGNORECASE)


def make_query(words: Sequence[str], year: int | None, source: str | None) -> Query:
    terms = tuple(t for w in words for t in w.split() if t)
    if not terms:
        raise UsageError("请给出至少一个关键词，如 briefing search 蜗牛工程")
    return Query(terms, year, source.strip() if source else None)


def digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def decode(data: bytes) -> str:
    text = data.decode("utf-8", errors="replace")
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


def article_meta(path: Path, text: str) -> ArticleMeta:
    """Title and source from the front matter (``.md``) or the mapping (``.yaml``)."""
    import yaml

    meta = text
    if path.suffix.lower() == ".md":
        lines = text.split("\n")
        end = next((i for i in range(1, len(lines)) if lines[i].strip() in ("---", "...")), 0)
        meta = "\n".join(lines[1:end]) if lines and lines[0].strip() == "---" and end else ""
    try:
        data = yaml.load(meta, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError:
        data = None
    data = data if isinstance(data, dict) else {}
    title, source = data.get("title"), data.get("source")
    return ArticleMeta(
        str(title).strip() if title is not None else path.stem,
        str(source).strip() if source not in (None, "") else None,
    )


def issue_meta(folder: Path, settings: Settings) -> IssueMeta:
    issue = load_issue(folder, Reporter())
    if issue is None:
        year = int(folder.name[:4]) if folder.name[:4].isdigit() else 0
        return IssueMeta(folder.name, folder.name, year, "")
    label = issue_label(settings.numbering, issue)  # formats are validated when loaded
    return IssueMeta(folder.name, label, issue.year, issue.date.isoformat())


def listing(settings: Settings) -> list[tuple[Path, list[str]]]:
    """Issue folders with the names of their article files: the loader's listing."""
    return [(folder, article_names(str(folder))) for folder in issue_dirs(settings)]


def unit_matches(query: Query, source: str | None, aliases: dict[str, str]) -> bool:
    if query.source is None:
        return True
    if source is None:
        return False
    wanted = aliases.get(query.source, query.source)
    return wanted == aliases.get(source, source) or query.source in source


def hits_in(text: str, rel: str, issue: IssueMeta, meta: ArticleMeta, query: Query) -> list[Hit]:
    """Every line of *text* with a keyword, when *text* holds all keywords."""
    if not all(re.search(re.escape(t), text, re.IGNORECASE) for t in query.terms):
        return []
    hits = []
    by_line: dict[int, list[re.Match[str]]] = {}
    number, last = 1, 0
    for match in query.pattern.finditer(text):
        number += text.count("\n", last, match.start())
        last = match.start()
        by_line.setdefault(number, []).append(match)
    for number, matches in by_line.items():
        begin = text.rfind("\n", 0, matches[0].start()) + 1
        end = text.find("\n", begin)
        line = text[begin : end if end != -1 else len(text)]
        snippet, spans = _snippet(line, matches, begin)
        hits.append(
            Hit(
                issue.issue_id,
                issue.label,
                issue.date,
                rel,
                number,
                meta.title,
                meta.source,
                snippet,
                spans,
            )
        )
    return hits


# What is markup rather than text at the start of a line: a front-matter key, a heading mark,
# a list or quote marker. The snippet starts after it when the keyword is not in it.
_LEAD = re.compile(r"^\s*(?:[A-Za-z_]+:\s+(?:[|>]-?\s*)?|#{1,6}\s+|[-*+>]\s+|\d+[.)]\s+)?")


def _snippet(
    line: str, matches: Sequence[re.Match[str]], offset: int
) -> tuple[str, tuple[tuple[int, int], ...]]:
    """The part of *line* around its first keyword; *matches* are positions in the text, which
    starts *offset* characters before the line."""
    found = [(m.start() - offset, m.end() - offset) for m in matches]
    lead = _LEAD.match(line)
    floor = lead.end() if lead and lead.end() <= found[0][0] else 0
    start = max(floor, found[0][0] - SNIPPET_BEFORE)
    end = min(len(line), found[0][1] + SNIPPET_AFTER)
    while start < found[0][0] and line[start].isspace():
        start += 1
    prefix = "…" if start > floor else ""
    suffix = "…" if end < len(line) else ""
    shift = len(prefix) - start
    spans = tuple(
        (max(a, start) + shift, min(b, end) + shift) for a, b in found if a < end and b > start
    )
    return prefix + line[start:end] + suffix, spans


def sort_hits(hits: Iterable[Hit]) -> list[Hit]:
    """Newest issue first, then file and line: the same archive always gives the same list."""
    by_path = sorted(hits, key=lambda h: (h.path, h.line))
    return sorted(by_path, key=lambda h: (h.date, h.issue), reverse=True)


def scan(root: Path, settings: Settings, query: Query) -> list[Hit]:
    """The answer without any index: read every article of the workspace."""
    hits: list[Hit] = []
    for folder, files in listing(settings):
        issue = issue_meta(folder, settings)
        if query.year is not None and issue.year != query.year:
            continue
        for name in files:
            path = folder / name
            try:
                text = decode(path.read_bytes())
            except OSError:
                continue
            meta = article_meta(path, text)
            if unit_matches(query, meta.source, settings.units):
                hits += hits_in(text, f"issues/{folder.name}/{name}", issue, meta, query)
    return sort_hits(hits)


def search(root: Path, query: Query, *, progress: Progress = SILENT) -> list[Hit]:
    """Hits for *query*, from the index when it can serve, else by a scan. The first build of
    the index is reported to *progress*."""
    from briefing import search_index

    settings = load_settings(root, Reporter())
    found = search_index.search(root, settings, query, progress=progress)
    return found if found is not None else scan(root, settings, query)


def marked(hit: Hit, left: str = "【", right: str = "】") -> str:
    """The snippet with every keyword between *left* and *right*."""
    out, last = [], 0
    for start, end in hit.spans:
        out += [hit.snippet[last:start], left, hit.snippet[start:end], right]
        last = end
    return "".join(out) + hit.snippet[last:]


def as_json(hit: Hit) -> dict[str, object]:
    return {
        "issue": hit.issue,
        "label": hit.label,
        "date": hit.date,
        "path": hit.path,
        "line": hit.line,
        "title": hit.title,
        "source": hit.source,
        "snippet": hit.snippet,
    }
