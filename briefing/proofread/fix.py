"""Safe fixes for ``briefing check --fix`` / ``--diff``.

Only fixes that cannot change meaning are applied, and only where the check that found them is
sure of its context: half-width ，。；：？！（） in Chinese text (T101; parentheses only as a
matched pair), ellipsis forms → …… (T106), dash forms → —— (T107), full-width digits and
letters → half-width (T104). The same masking as the checks protects front-matter keys, YAML
syntax, Markdown syntax, URLs, code, decimals, times and English text. Suppression comments
are honoured.

YAML (a ``.yaml`` article, or a Markdown article's front matter) is edited in place, only
inside the characters of top-level string values; every edited document is parsed again and a
value whose re-parsed text is not exactly the expected fixed text is left untouched.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from briefing.markdown import front_matter_end
from briefing.model import SourceText
from briefing.proofread import typography
from briefing.proofread.core import Segment, Suppressions, body_segment, field_segment
from briefing.textio import NotUtf8, read_text, write_atomic

FIXABLE = frozenset({"T101", "T104", "T106", "T107"})
PATH = Path("<fix>")


@dataclass(frozen=True)
class Change:
    """One applied fix; ``line``/``column`` are 1-based positions in the original file."""

    line: int
    column: int
    old: str
    new: str
    code: str


def fix_text(text: str, *, kind: str) -> tuple[str, list[Change]]:
    """*text* with the safe fixes applied, and the list of changes (file positions)."""
    if kind not in ("md", "yaml"):
        raise ValueError(f"kind must be 'md' or 'yaml', not {kind!r}")
    starts = [0, *(m.end() for m in re.finditer("\n", text))]

    def line_of(offset: int) -> int:
        return bisect.bisect_right(starts, offset)

    suppressions = Suppressions()
    edits: list[_Edit] = []
    if kind == "md":
        lines = text.split("\n")
        close = front_matter_end(lines)
        body_start, body_line = 0, 1
        meta: tuple[int, int] | None = None
        if close is not None:
            meta = (starts[1], starts[close])
            body_start = starts[close + 1] if close + 1 < len(starts) else len(text)
            body_line = close + 2
        body = SourceText(text[body_start:], PATH, body_line)
        suppressions.scan_html(body)
        suppressions.scan_yaml(text[:body_start])
        if meta is not None:
            edits += _yaml_edits(text, *meta, None, suppressions, line_of)
        edits += [
            _Edit(body_start + f.start, body_start + f.end, f.replacement, f.code)
            for f in typography.check(body_segment(body))
            if f.code in FIXABLE
            and f.replacement is not None
            and not suppressions.hides(f.code, line_of(body_start + f.start))
        ]
    else:
        values = _string_values(text) or {}
        body_lines: range = range(0)
        if "body" in values:
            _, raw_start, raw_end = values["body"]
            body_lines = range(line_of(raw_start), line_of(raw_end) + 1)
            suppressions.scan_html(SourceText(text[raw_start:raw_end], PATH, line_of(raw_start)))
        suppressions.scan_yaml(text, body_lines)
        edits += _yaml_edits(text, 0, len(text), "body", suppressions, line_of)
    return _apply(text, edits, line_of, starts)


@dataclass(frozen=True, slots=True)
class _Edit:
    start: int  # offsets in the file text
    end: int
    new: str
    code: str
    value_start: int = -1  # for YAML values: the same span in the parsed value
    value_end: int = -1


def _apply(text: str, edits: list[_Edit], line_of, starts: list[int]) -> tuple[str, list[Change]]:
    chosen: list[_Edit] = []
    for edit in sorted(edits, key=lambda e: (e.start, e.end)):
        if chosen and edit.start < chosen[-1].end:
            continue  # overlapping findings: keep the first
        chosen.append(edit)
    fixed = _splice(text, chosen)
    changes = []
    for edit in chosen:
        line = line_of(edit.start)
        changes.append(
            Change(
                line,
                edit.start - starts[line - 1] + 1,
                text[edit.start : edit.end],
                edit.new,
                edit.code,
            )
        )
    return fixed, changes


def _splice(text: str, edits: list[_Edit], offset: int = 0) -> str:
    pieces: list[str] = []
    position = 0
    for edit in edits:
        pieces.append(text[position : edit.start - offset])
        pieces.append(edit.new)
        position = edit.end - offset
    pieces.append(text[position:])
    return "".join(pieces)


# --------------------------------------------------------------------------- YAML values


def _string_values(text: str) -> dict[str, tuple[str, int, int]] | None:
    """Top-level string values of a YAML mapping: ``key → (value, raw start, raw end)``."""
    import yaml

    # The pure-Python loader: its marks are character offsets, which the edits rely on.
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
        if node is None or not isinstance(node, yaml.MappingNode):
            return None
        values: dict[str, tuple[str, int, int]] = {}
        for key_node, value_node in node.value:
            if (
                not isinstance(value_node, yaml.ScalarNode)
                or value_node.tag != "tag:yaml.org,2002:str"
            ):
                continue
            key = str(key_node.value)
            if key not in values:
                values[key] = (
                    loader.construct_scalar(value_node),
                    value_node.start_mark.index,
                    value_node.end_mark.index,
                )
        return values
    except yaml.YAMLError:
        return None
    finally:
        loader.dispose()


def _align(value: str, raw: str) -> list[int]:
    """For each character of *value*, its index in *raw* (-1 when produced by an escape or
    by line folding and not found nearby)."""
    out = []
    j = 0
    for ch in value:
        k = raw.find(ch, j)
        if k < 0 or (k - j > 8 and ch not in " \n"):
            out.append(-1)
            continue
        out.append(k)
        j = k + 1
    return out


def _yaml_edits(
    text: str, start: int, end: int, body_key: str | None, suppressions: Suppressions, line_of
) -> list[_Edit]:
    """Edits inside the top-level string values of the YAML in ``text[start:end]``; every
    value is re-parsed after editing and its edits dropped unless it comes out as intended."""
    region = text[start:end]
    values = _string_values(region)
    if not values:
        return []
    planned: dict[str, list[_Edit]] = {}
    for key, (value, raw_start, raw_end) in values.items():
        raw = region[raw_start:raw_end]
        source = SourceText(value, PATH, 1)
        segment: Segment = body_segment(source) if key == body_key else field_segment(key, source)
        positions: list[int] | None = None
        for finding in typography.check(segment):
            if finding.code not in FIXABLE or finding.replacement is None:
                continue
            positions = positions or _align(value, raw)
            spots = positions[finding.start : finding.end]
            if not spots or -1 in spots or spots != list(range(spots[0], spots[0] + len(spots))):
                continue
            a = start + raw_start + spots[0]
            b = a + len(spots)
            if text[a:b] != value[finding.start : finding.end] or suppressions.hides(
                finding.code, line_of(a)
            ):
                continue
            planned.setdefault(key, []).append(
                _Edit(a, b, finding.replacement, finding.code, finding.start, finding.end)
            )
    while planned:
        edits = sorted((e for es in planned.values() for e in es), key=lambda e: e.start)
        after = _string_values(_splice(region, edits, start))
        bad = [
            key
            for key in planned
            if after is None
            or key not in after
            or after[key][0] != _expected(values[key][0], planned[key])
        ]
        if after is not None and any(
            after[k][0] != values[k][0] for k in values if k not in planned and k in after
        ):
            bad = list(planned)
        if not bad:
            return edits
        for key in bad:
            del planned[key]
    return []


def _expected(value: str, edits: list[_Edit]) -> str:
    """*value* with the replacements of *edits* applied, in value space."""
    pieces: list[str] = []
    position = 0
    for edit in sorted(edits, key=lambda e: e.value_start):
        pieces.append(value[position : edit.value_start])
        pieces.append(edit.new)
        position = edit.value_end
    pieces.append(value[position:])
    return "".join(pieces)


def fix_files(root: Path, targets: Sequence[Path], *, write: bool) -> Iterator[tuple[Path, list]]:
    """``(path, changes)`` for every file the safe fixes would change; writes when *write*."""
    from briefing.load import MANIFEST_FILE
    from briefing.workspace import article_paths

    for path in article_paths(root, targets):
        if (path.parent / MANIFEST_FILE).is_file():
            continue  # a published (签发) issue is frozen: --fix must not edit the record
        try:
            text = read_text(path)
        except NotUtf8:
            continue  # `check` reports the encoding; fixing text we cannot read is not safe
        kind = "md" if path.suffix.lower() == ".md" else "yaml"
        fixed, changes = fix_text(text, kind=kind)
        if changes and fixed != text:
            if write:
                write_atomic(path, fixed)
            yield path, changes
