"""Queries and hits: what matches, the line and snippet shown, and a scan of every file.

An article matches when it contains every keyword (case-insensitive); each of its lines holding
a keyword is one hit. Hits are always read from the file as it is *now* (:func:`hits_in`), so
the index (:mod:`briefing.search.index`) only ever proposes candidates. A hit in the front
matter shows the field's value, not its YAML; the 批示 of the register are hits of their own
(:func:`instruction_hits`); :func:`dated_label` puts the year before a 期号 that lacks it.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from briefing.errors import UsageError
from briefing.load import article_names, issue_dirs, load_issue
from briefing.model import Settings
from briefing.numbering import issue_label
from briefing.rules import Reporter
from briefing.textio import UnsafeFile, read_bytes_safely

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
    fields: dict[int, str] | None = None  # front-matter lines as their values, read when needed
    for number, matches in by_line.items():
        begin = text.rfind("\n", 0, matches[0].start()) + 1
        end = text.find("\n", begin)
        line = text[begin : end if end != -1 else len(text)]
        found = [(m.start() - begin, m.end() - begin) for m in matches]
        if fields is None:
            fields = field_values(text, Path(rel).suffix.lower() == ".md")
        if number in fields:
            # a front-matter line shows the field's value, not YAML: title, a 批示's words
            value = fields[number]
            in_value = [m.span() for m in query.pattern.finditer(value)]
            if in_value:
                line, found = value, in_value
        snippet, spans = _snippet(line, found)
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


def field_values(text: str, markdown: bool) -> dict[int, str]:
    """Line number → the values written on that line, for the front matter of an article
    (``.md``) or a whole YAML article, except lines of a multi-line (block) value.

    ``- {by: 王军, date: 2018-12-24, text: 请各单位借鉴。}`` becomes
    ``王军 2018-12-24 请各单位借鉴。``; an unreadable front matter gives nothing (the raw
    line is shown then).
    """
    import yaml

    first = 0
    if markdown:
        lines = text.split("\n", 200)
        if not lines or lines[0].strip() != "---":
            return {}
        end = next((i for i in range(1, len(lines)) if lines[i].strip() in ("---", "...")), 0)
        if not end:
            return {}
        text, first = "\n".join(lines[1:end]), 1
    try:
        node = yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except (yaml.YAMLError, RecursionError):  # not YAML, or nested beyond any article's needs
        return {}
    values: dict[int, list[str]] = {}
    pending = [node] if node is not None else []
    seen: set[int] = set()  # an alias is a node met twice: visit it once ("billion laughs")
    while pending:
        current = pending.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        if isinstance(current, yaml.MappingNode):
            pending.extend(value for _, value in reversed(current.value))
        elif isinstance(current, yaml.SequenceNode):
            pending.extend(reversed(current.value))
        elif current.start_mark.line == current.end_mark.line and current.value:
            values.setdefault(current.start_mark.line + 1 + first, []).append(current.value)
    return {number: " ".join(parts) for number, parts in values.items()}


def dated_label(hit: Hit) -> str:
    """The 期号 with its year, so two years' 第一期 differ: 2019年第一期（总第2期）; a label
    that already shows the year (``{year}年第{number}期``) is left as it is."""
    year = hit.date[:4]
    if not year.isdigit() or year in hit.label:
        return hit.label
    return f"{year}年{hit.label}"


def _snippet(
    line: str, found: Sequence[tuple[int, int]]
) -> tuple[str, tuple[tuple[int, int], ...]]:
    """The part of *line* around its first keyword; *found* are the keywords' positions in it."""
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
                text = decode(read_bytes_safely(path, root))
            except (OSError, UnsafeFile):  # unreadable, or not to be read (`check` says why)
                continue
            meta = article_meta(path, text)
            if unit_matches(query, meta.source, settings.units):
                hits += hits_in(text, f"issues/{folder.name}/{name}", issue, meta, query)
    return sort_hits(hits)


def instruction_hits(root: Path, settings: Settings, query: Query) -> list[Hit]:
    """批示 of the register (``instructions.yaml``) that match: every keyword is in the 批示
    (who, post, words) or the title of its article, and at least one in the 批示 itself.
    The hit points at the record's line and shows ``李明远（区委书记）批示：……``."""
    from briefing.instructions import REGISTER_NAME, search_documents, shown

    hits: list[Hit] = []
    issues: dict[str, IssueMeta] = {}
    for record in search_documents(root):
        words = shown(record.instruction)
        inside = [m.span() for m in query.pattern.finditer(words)]
        if not inside:
            continue
        folder = settings.issues_dir / record.issue
        if record.issue not in issues:
            issues[record.issue] = issue_meta(folder, settings)
        issue = issues[record.issue]
        if query.year is not None and issue.year != query.year:
            continue
        try:
            meta = article_meta(
                folder / record.article, decode((folder / record.article).read_bytes())
            )
        except OSError:
            continue  # a record naming a missing article (check reports it as M008)
        haystack = f"{meta.title}\n{words}"
        if not all(re.search(re.escape(t), haystack, re.IGNORECASE) for t in query.terms):
            continue
        if unit_matches(query, meta.source, settings.units):
            snippet, spans = _instruction_snippet(words, inside)
            hits.append(
                Hit(
                    issue.issue_id,
                    issue.label,
                    issue.date,
                    REGISTER_NAME,
                    record.line,
                    meta.title,
                    meta.source,
                    snippet,
                    spans,
                )
            )
    return hits


def _instruction_snippet(
    words: str, found: Sequence[tuple[int, int]]
) -> tuple[str, tuple[tuple[int, int], ...]]:
    """A 批示's snippet always starts with who gave it: ``李明远（区委书记）批示：…`` or,
    for a 圈阅 without words, ``李明远（区委书记）批示（圈阅）``."""
    mark = words.find("批示")
    head = len(words) if mark < 0 else mark + len("批示") + words.startswith("：", mark + 2)
    if found[0][0] < head:
        return _snippet(words, found)
    snippet, spans = _snippet(words[head:], [(a - head, b - head) for a, b in found])
    return words[:head] + snippet, tuple((a + head, b + head) for a, b in spans)


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
