"""Safe fixes for ``briefing check --fix`` / ``--diff``.

Only fixes that cannot change meaning are applied: half-width ，。；：？！（） in Chinese text
(T101; parentheses only as a matched pair), ellipsis forms → …… (T106), dash forms → ——
(T107), full-width digits and letters → half-width (T104), the connector of a range whose unit
tells time from quantity (T110), the %/万/亿 a range's first number lost (T111), “3千” → “3000”
(T112) and the 错别字 of the word list (C309; the workspace's ``checks.words`` and
``checks.words_off`` included). Suppression comments are honoured, and so is
``checks.severity``: a rule switched ``off`` fixes nothing.

Where a fix may go is decided on the Markdown token stream (markdown-it, the parser the
renderers use): only characters of ``text`` tokens outside links are editable, so link labels
and targets, URLs, code spans and blocks in any container, escapes (``\\(``), HTML comments
and math-like ``$…$`` are never touched. After editing, the body is parsed again and every
token except plain text must be unchanged; edits that break this are dropped (bisecting down
to the offending ones). A half-width mark replaced by a full-width one takes the spaces
around it along (``混排, 后`` → ``混排，后``), since full-width marks carry their own spacing.
Fixing runs to a fixed point, so a second ``--fix`` changes nothing.

YAML (a ``.yaml`` article, or a Markdown article's front matter) is edited in place, only
inside the characters of top-level string values; every edited document is parsed again and a
value whose re-parsed text is not exactly the expected fixed text is left untouched.

Files: only the workspace's article files; BOM and line endings (CRLF, CR) are kept; a
read-only file, a file outside the workspace or one changed by someone else while ``--fix``
ran is reported, never overwritten; symlinks and hard links are edited in place.
"""

from __future__ import annotations

import bisect
import os
import re
import stat
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from briefing.markdown import front_matter_end
from briefing.model import CheckSettings, SourceText
from briefing.proofread import numbers, typography, words
from briefing.proofread.core import (
    Finding,
    Segment,
    Suppressions,
    body_segment,
    field_segment,
)
from briefing.proofread.text import char_at, next_index, prev_index
from briefing.textio import os_reason

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

FIXABLE = frozenset({"T101", "T104", "T106", "T107", "T110", "T111", "T112", "C309"})
DEFAULT_CHECKS = CheckSettings()
PATH = Path("<fix>")
MAX_PASSES = 8
HTML_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
MATH = re.compile(r"\$[^$\n]+\$|\\\(.*?\\\)|\\\[.*?\\\]")
FULL_WIDTH_MARKS = frozenset("，。；：？！（）")


@dataclass(frozen=True)
class Change:
    """One applied fix; ``line``/``column`` are 1-based positions in the original file."""

    line: int
    column: int
    old: str
    new: str
    code: str


def fix_text(
    text: str, *, kind: str, checks: CheckSettings = DEFAULT_CHECKS
) -> tuple[str, list[Change]]:
    """*text* with the safe fixes applied (to a fixed point), and the changes made; *checks*
    (the workspace's) supplies the word list additions and the severity overrides.

    Positions of changes found in a later pass refer to the text of that pass; fixes never
    add or remove line breaks, so their lines are the file's.
    """
    if kind not in ("md", "yaml"):
        raise ValueError(f"kind must be 'md' or 'yaml', not {kind!r}")
    from briefing.textio import CONTROL

    changes: list[Change] = []
    if CONTROL.search(text):
        return text, changes  # `check` reports them (F009); no fix before they are removed
    for _ in range(MAX_PASSES):
        fixed, found = _fix_once(text, kind, checks)
        if fixed == text:
            break
        changes += found
        text = fixed
    return text, changes


def _fix_once(text: str, kind: str, checks: CheckSettings) -> tuple[str, list[Change]]:
    from briefing.yamldoc import _refused_structure

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
        if meta is not None and _refused_structure(text[meta[0] : meta[1]]) is not None:
            return text, []
        body = SourceText(text[body_start:], PATH, body_line)
        suppressions.scan_html(body)
        suppressions.scan_yaml(text[:body_start])
        if meta is not None:
            edits += _yaml_edits(text, *meta, None, suppressions, line_of, checks)
        edits += [
            _Edit(body_start + a, body_start + b, new, code)
            for a, b, new, code in markdown_edits(body.text, checks)
            if not suppressions.hides(code, line_of(body_start + a))
        ]
    else:
        if _refused_structure(text) is not None:
            return text, []
        values = _string_values(text) or {}
        body_lines: range = range(0)
        if "body" in values:
            _, raw_start, raw_end = values["body"]
            body_lines = range(line_of(raw_start), line_of(raw_end) + 1)
            suppressions.scan_html(SourceText(text[raw_start:raw_end], PATH, line_of(raw_start)))
        suppressions.scan_yaml(text, body_lines)
        edits += _yaml_edits(text, 0, len(text), "body", suppressions, line_of, checks)
    return _apply(text, edits, line_of, starts)


@dataclass(frozen=True, slots=True)
class _Edit:
    start: int  # offsets in the file text
    end: int
    new: str
    code: str
    value_start: int = -1  # for YAML values: the same span in the parsed value
    value_end: int = -1


def _apply(
    text: str, edits: list[_Edit], line_of: Callable[[int], int], starts: list[int]
) -> tuple[str, list[Change]]:
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


def _splice(text: str, edits: Sequence[_Edit], offset: int = 0) -> str:
    pieces: list[str] = []
    position = 0
    for edit in edits:
        pieces.append(text[position : edit.start - offset])
        pieces.append(edit.new)
        position = edit.end - offset
    pieces.append(text[position:])
    return "".join(pieces)


# --------------------------------------------------------------------------- Markdown body


Span = tuple[int, int, str, str]  # (start, end, replacement, code) in the body text


def markdown_edits(body: str, checks: CheckSettings = DEFAULT_CHECKS) -> list[Span]:
    """The safe fixes of a Markdown *body*, as non-overlapping spans, verified on its tokens."""
    findings = safe_findings(body_segment(SourceText(body, PATH, 1)), checks)
    if not findings:
        return []
    editable = editable_mask(body)
    spans: list[Span] = []
    for finding in findings:
        replacement = finding.replacement  # never None: safe_findings keeps fixes only
        if replacement is None or not all(editable[finding.start : finding.end]):
            continue
        start, end = finding.start, finding.end
        if finding.code == "T101" and replacement in FULL_WIDTH_MARKS:
            start, end = _absorb_spaces(body, editable, start, end)
        spans.append((start, end, replacement, finding.code))
    spans = _non_overlapping(spans)
    baseline = token_signature(body)
    return _verified(body, spans, baseline)


HALF_MARKS = frozenset(",.;:?!")


def safe_findings(segment: Segment, checks: CheckSettings = DEFAULT_CHECKS) -> list[Finding]:
    """The fixable findings of *segment*, except a half-width mark next to another one.

    ``来:::`` or ``来, , ,`` is a typing slip only a person can resolve (T105 says so), and
    fixing it one mark at a time would need a pass per mark: each fixed mark gives the next
    one its Chinese context. Leaving the whole run alone keeps ``--fix`` idempotent.
    """
    text = segment.masked.text
    kept = []
    for finding in fixable_findings(segment, checks):
        if finding.replacement is None or checks.severity.get(finding.code) == "off":
            continue
        if finding.code == "T101" and text[finding.start] in HALF_MARKS:
            before = char_at(text, prev_index(text, finding.start, spaces=True))
            after = char_at(text, next_index(text, finding.end - 1, spaces=True))
            if before in HALF_MARKS or after in HALF_MARKS:
                continue
        kept.append(finding)
    return kept


def fixable_findings(segment: Segment, checks: CheckSettings) -> Iterator[Finding]:
    """The findings of the rules that offer fixes (typography, numbers, the word list)."""
    for finding in typography.check(segment):
        if finding.code in FIXABLE:
            yield finding
    for finding in numbers.check(segment):
        if finding.code in FIXABLE:
            yield finding
    for finding in words.check(segment, checks):
        if finding.code in FIXABLE:
            yield finding


def _absorb_spaces(body: str, editable: bytearray, start: int, end: int) -> tuple[int, int]:
    """Widen ``[start, end)`` over editable spaces on either side, but never over line-end
    spaces (a hard break). Indentation is never editable: a line's leading spaces are not part
    of any text token."""
    a = start
    while a > 0 and body[a - 1] in " \t" and editable[a - 1]:
        a -= 1
    b = end
    while b < len(body) and body[b] in " \t" and editable[b]:
        b += 1
    if b == len(body) or body[b] == "\n":
        b = end
    return a, b


def _non_overlapping(spans: list[Span]) -> list[Span]:
    kept: list[Span] = []
    for span in sorted(spans):
        if kept and span[0] < kept[-1][1]:
            continue
        kept.append(span)
    return kept


def _verified(body: str, spans: list[Span], baseline: list[tuple]) -> list[Span]:
    """The spans whose application leaves every non-text token unchanged (bisecting)."""
    if not spans:
        return []
    if token_signature(_splice_spans(body, spans)) == baseline:
        return spans
    if len(spans) == 1:
        return []
    middle = len(spans) // 2
    first = _verified(body, spans[:middle], baseline)
    second = _verified(body, spans[middle:], baseline)
    combined = first + second
    if combined and token_signature(_splice_spans(body, combined)) != baseline:
        return first
    return combined


def _splice_spans(body: str, spans: list[Span]) -> str:
    return _splice(body, [_Edit(a, b, new, code) for a, b, new, code in spans])


@cache
def fix_parser() -> MarkdownIt:
    """The renderers' parser, with escapes and entities kept as tokens of their own."""
    from markdown_it import MarkdownIt

    from briefing.markdown import _cjk_emphasis

    md = MarkdownIt("commonmark", {"html": False}).enable("table")
    md.inline.ruler.at("emphasis", _cjk_emphasis)
    md.disable("text_join")
    return md


def _parse(body: str) -> list[Token]:
    from briefing.markdown import strip_comments

    return fix_parser().parse(strip_comments(body))


def token_signature(body: str) -> list[tuple]:
    """Every token of *body* except the characters of plain text (runs of text count once)."""
    out: list[tuple] = []

    def visit(tokens: list[Token]) -> None:
        for token in tokens:
            if token.type == "text":
                if not out or out[-1] != ("text",):
                    out.append(("text",))
                continue
            content = "" if token.type == "inline" else token.content
            attrs = tuple(sorted((k, str(v)) for k, v in (token.attrs or {}).items()))
            out.append(
                (token.type, token.tag, token.nesting, token.markup, token.info, content, attrs)
            )
            if token.children:
                visit(token.children)

    visit(_parse(body))
    return out


def editable_mask(body: str) -> bytearray:
    """1 for every character of *body* inside a plain ``text`` token outside links."""
    from briefing.markdown import strip_comments

    mask = bytearray(len(body))
    lines = strip_comments(body).split("\n")  # what the parser saw: same offsets
    line_starts = [0]
    for line in lines[:-1]:
        line_starts.append(line_starts[-1] + len(line) + 1)
    cursors = [0] * len(lines)
    for token in _parse(body):
        if token.type != "inline" or token.map is None or not token.children:
            continue
        offsets = _content_offsets(token.content, token.map[0], lines, line_starts, cursors)
        if offsets is not None:
            _mark_text(token, offsets, mask)
    for pattern in (HTML_COMMENT, MATH):
        for match in pattern.finditer(body):
            mask[match.start() : match.end()] = bytes(match.end() - match.start())
    return mask


def _content_offsets(
    content: str, first: int, lines: list[str], line_starts: list[int], cursors: list[int]
) -> list[int] | None:
    """Body offset of every character of an inline token's *content* (``None``: unsure)."""
    offsets: list[int] = []
    for i, piece in enumerate(content.split("\n")):
        number = first + i
        if number >= len(lines):
            return None
        source = lines[number]
        trimmed = source.rstrip()
        if piece and trimmed.endswith(piece.rstrip()) and len(trimmed) >= len(piece.rstrip()):
            k = len(trimmed) - len(piece.rstrip())
        else:
            k = source.find(piece, cursors[number])
        if k < 0 or source[k : k + len(piece)] != piece:
            return None
        cursors[number] = k + len(piece)
        base = line_starts[number] + k
        offsets.extend(range(base, base + len(piece)))
        offsets.append(base + len(piece))  # the newline (or the end)
    return offsets


def _mark_text(token: Token, offsets: list[int], mask: bytearray) -> None:
    content = token.content
    cursor = 0
    in_link = 0
    for child in token.children or []:
        if child.type == "link_open":
            in_link += 1
        elif child.type == "link_close":
            in_link -= 1
        elif child.type == "code_inline":
            # step over the code span, or a text equal to its code would be placed inside it
            found = content.find(child.markup + child.content, cursor)
            if found >= 0:
                cursor = found + len(child.markup) + len(child.content)
        elif child.type == "text" and child.content:
            found = content.find(child.content, cursor)
            if found < 0:
                return  # cannot place the text: leave the whole token alone
            cursor = found + len(child.content)
            if not in_link:
                for index in range(found, cursor):
                    mask[offsets[index]] = 1


# --------------------------------------------------------------------------- files


# --------------------------------------------------------------------------- YAML values


def _string_values(text: str) -> dict[str, tuple[str, int, int]] | None:
    """Top-level string values of a YAML mapping: ``key → (value, raw start, raw end)``."""
    import yaml

    # The pure-Python loader: its marks are character offsets, which the edits rely on.
    try:
        loader = yaml.SafeLoader(text)
    except yaml.YAMLError:
        return None
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
    text: str,
    start: int,
    end: int,
    body_key: str | None,
    suppressions: Suppressions,
    line_of: Callable[[int], int],
    checks: CheckSettings = DEFAULT_CHECKS,
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
        positions: list[int] | None = None
        for a0, b0, replacement, code in _value_spans(key, value, body_key, checks):
            positions = positions or _align(value, raw)
            spots = positions[a0:b0]
            if not spots or -1 in spots or spots != list(range(spots[0], spots[0] + len(spots))):
                continue
            a = start + raw_start + spots[0]
            b = a + len(spots)
            if text[a:b] != value[a0:b0] or suppressions.hides(code, line_of(a)):
                continue
            planned.setdefault(key, []).append(_Edit(a, b, replacement, code, a0, b0))
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


def _value_spans(
    key: str, value: str, body_key: str | None, checks: CheckSettings = DEFAULT_CHECKS
) -> list[Span]:
    """Fixes inside one YAML string value: a Markdown body, or a plain front-matter field."""
    if key == body_key:
        return markdown_edits(value, checks)
    segment: Segment = field_segment(key, SourceText(value, PATH, 1))
    return _non_overlapping(
        [(f.start, f.end, f.replacement or "", f.code) for f in safe_findings(segment, checks)]
    )


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


@dataclass(frozen=True, slots=True)
class FileFix:
    """What ``--fix``/``--diff`` did to one file: its changes, or why it was left alone."""

    path: Path
    changes: tuple[Change, ...]
    problem: str | None = None  # Chinese; set when the file could not be (safely) written


def fix_files(root: Path, targets: Sequence[Path], *, write: bool) -> Iterator[FileFix]:
    """A ``FileFix`` for every article the safe fixes would change (or could not change);
    writes when *write*. Only the workspace's article files are considered."""
    from briefing.load import MANIFEST_FILE
    from briefing.workspace import article_paths

    checks = workspace_checks(root)
    for path in article_paths(root, targets):
        if os.path.lexists(path.parent / MANIFEST_FILE):
            continue  # a published (签发) issue is frozen: --fix must not edit the record
        result = fix_file(path, root, write=write, checks=checks)
        if result is not None:
            yield result


def workspace_checks(root: Path) -> CheckSettings:
    """The ``checks`` settings of the workspace (defaults where ``briefing.yaml`` is broken:
    ``check`` reports that)."""
    from briefing.load import load_settings
    from briefing.rules import Reporter

    return load_settings(root, Reporter()).checks


def fix_file(
    path: Path, root: Path, *, write: bool, checks: CheckSettings = DEFAULT_CHECKS
) -> FileFix | None:
    from briefing.textio import CONTROL, NotUtf8, UnsafeFile, decode, read_bytes_safely

    try:
        original = read_bytes_safely(path, root)
        text = decode(original)
    except (NotUtf8, UnsafeFile, OSError):
        return None  # `check` reports why; fixing what we cannot read safely is not safe
    if CONTROL.search(text):
        return None  # `check` reports the control characters; fix them by hand first
    kind = "md" if path.suffix.lower() == ".md" else "yaml"
    fixed, changes = fix_text(text, kind=kind, checks=checks)
    if not changes or fixed == text:
        return None
    if not write:
        return FileFix(path, tuple(changes))
    payload = encode_like(original, fixed)
    if payload is None:
        return FileFix(path, (), "修正会改变行数，已放弃（请手工修改）")
    problem = write_in_place(path, original, payload, root)
    return FileFix(path, () if problem else tuple(changes), problem)


def encode_like(original: bytes, text: str) -> bytes | None:
    """*text* (LF line ends) encoded with the BOM and the line endings of *original*."""
    bom = b"\xef\xbb\xbf" if original.startswith(b"\xef\xbb\xbf") else b""
    endings = [m.group() for m in re.finditer(rb"\r\n|\r|\n", original)]
    lines = text.split("\n")
    if len(lines) != len(endings) + 1:
        return None
    out = bytearray(bom)
    for line, ending in zip(lines, [*endings, b""], strict=True):
        out += line.encode("utf-8") + ending
    return bytes(out)


def write_in_place(path: Path, original: bytes, payload: bytes, root: Path) -> str | None:
    """Write *payload* over the article at *path*; a Chinese problem, or ``None`` when done.

    The file written is the real one behind a symlink, which must be inside the workspace
    *root* (the article was read only if it is). It is refused when read-only and left
    alone when its content is no longer *original* (an editor saved meanwhile). A file with
    several hard links is rewritten in place (same inode, every link sees the fix); any other
    is replaced atomically.
    """
    from briefing.textio import safe_folder, write_atomic

    real = Path(os.path.realpath(path))
    try:
        info = os.stat(real)
        safe_folder(real.parent, root, create=False)
    except OSError as exc:
        return f"无法读取：{os_reason(exc)}"
    if not os.access(real, os.W_OK) or not info.st_mode & stat.S_IWUSR:
        return "文件是只读的，未修改（请先取消只读属性）"
    if _current(real) != original:
        return "文件在修正期间被其他程序修改，未写入；请重新运行 --fix"
    if info.st_nlink > 1:
        return _overwrite(real, original, payload)
    try:
        write_atomic(real, payload, root=root)
    except OSError as exc:
        return f"无法写入：{os_reason(exc)}"
    return None


def _current(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:
        return None


def _overwrite(path: Path, original: bytes, payload: bytes) -> str | None:
    """Rewrite a hard-linked file through the same inode, checking once more under the open
    file that nobody changed it."""
    try:
        with open(path, "r+b") as handle:
            if handle.read() != original:
                return "文件在修正期间被其他程序修改，未写入；请重新运行 --fix"
            handle.seek(0)
            handle.write(payload)
            handle.truncate()
            handle.flush()
            os.fsync(handle.fileno())
    except OSError as exc:
        return f"无法写入：{os_reason(exc)}"
    return None
