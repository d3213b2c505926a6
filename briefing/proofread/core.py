"""What every proofreading rule shares: findings, segments of text, suppression comments.

A ``Segment`` is one piece of an article the rules read: the Markdown body or one front-matter
value, with its masked copy (see ``text``). Rules yield ``Finding`` objects holding offsets into
the segment; only the caller turns them into file positions, filters suppressed ones and hands
them to the ``Reporter`` — or, for ``fix_text``, into edits.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from briefing.model import BodySyntax, SourceText
from briefing.proofread.text import Masked, mask_field, mask_markdown


@dataclass(frozen=True, slots=True)
class Finding:
    """One occurrence: rule *code*, ``[start, end)`` in the segment, the Chinese message and,
    for a safe fix, the text that replaces ``[start, end)``."""

    code: str
    start: int
    end: int
    message: str
    replacement: str | None = None


@dataclass(frozen=True, slots=True)
class Segment:
    name: str  # "body" or the front-matter key ("title", "subtitle", ...)
    source: SourceText
    masked: Masked

    @property
    def text(self) -> str:
        return self.source.text

    @property
    def is_body(self) -> bool:
        return self.name == "body"


def body_segment(source: SourceText, syntax: BodySyntax | None = None) -> Segment:
    """The Markdown body; *syntax* as the loader parsed it, else it is parsed here."""
    return Segment("body", source, mask_markdown(source.text, syntax))


def field_segment(name: str, source: SourceText) -> Segment:
    return Segment(name, source, mask_field(source.text))


# --------------------------------------------------------------------------- suppression

HTML_DIRECTIVE = re.compile(r"<!--[ \t]*briefing-disable(-next-line)?\b([^\n]*?)-->")
YAML_DIRECTIVE = re.compile(
    r"(?:^|[ \t])#[ \t]*briefing-disable(-next-line)?\b([^\n#]*)$", re.MULTILINE
)
CODE = re.compile(r"[A-Z]\d{3}")


@dataclass
class Suppressions:
    """File line → codes suppressed there (``None``: every proofreading code)."""

    lines: dict[int, frozenset[str] | None] = field(default_factory=dict)

    def add(self, line: int, spec: str) -> None:
        codes = frozenset(CODE.findall(spec.upper()))
        if not codes or self.lines.get(line, frozenset()) is None:
            self.lines[line] = None
        else:
            self.lines[line] = codes | (self.lines.get(line) or frozenset())

    def hides(self, code: str, line: int) -> bool:
        if line not in self.lines:
            return False
        codes = self.lines[line]
        return codes is None or code in codes

    def scan_html(self, source: SourceText) -> None:
        """``<!-- briefing-disable … -->`` comments in a Markdown body."""
        if "briefing-disable" not in source.text:
            return
        locate = source.locator()
        for match in HTML_DIRECTIVE.finditer(source.text):
            line = locate(match.start())[0]
            self.add(line + 1 if match.group(1) else line, match.group(2))

    def scan_yaml(self, text: str, skip: Iterable[int] = ()) -> None:
        """``# briefing-disable …`` YAML comments (front matter, YAML articles); lines in
        *skip* (1-based; the Markdown body, block scalars) hold text, not comments."""
        if "briefing-disable" not in text:
            return
        skipped = set(skip)
        starts = [0, *(m.end() for m in re.finditer("\n", text))]
        for match in YAML_DIRECTIVE.finditer(text):
            line = _bisect(starts, match.start())
            if line in skipped:
                continue
            self.add(line + 1 if match.group(1) else line, match.group(2))


def _bisect(starts: list[int], offset: int) -> int:
    import bisect

    return bisect.bisect_right(starts, offset)


def article_suppressions(path: Path, body: SourceText, *, text: str | None = None) -> Suppressions:
    """Suppressions of an article: HTML comments in the body, YAML comments elsewhere.

    YAML comments live outside the parsed values, so they are read from the file itself
    (*text* when the caller has it already); a missing file simply has none.
    """
    found = Suppressions()
    found.scan_html(body)
    if text is None:
        try:
            text = path.read_text(encoding="utf-8-sig") if path.is_file() else None
        except (OSError, UnicodeDecodeError):
            text = None
    if text:
        body_lines = (
            range(body.line, body.line + body.text.count("\n") + 1) if body.text else range(0)
        )
        if path.suffix.lower() == ".md":
            body_lines = range(body.line, text.count("\n") + 2)
        found.scan_yaml(text, body_lines)
    return found
