"""YAML with locations: parse a mapping, remember where every key and value is, validate it.

PyYAML's plain ``safe_load`` loses line numbers and silently keeps the last of two duplicate
keys; contributors need "line 4: unknown field ``titel``, did you mean ``title``". So we
compose the node tree, construct values key by key, and validate against a small declarative
schema whose messages are in Chinese.
"""

from __future__ import annotations

import datetime as dt
import difflib
import math
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from briefing import rules
from briefing.config import KIND_NAMES, Spec, colour_problem, normalise_colour, number_text
from briefing.model import SourceText
from briefing.rules import Reporter
from briefing.textio import CONTROL

if TYPE_CHECKING:
    from yaml.events import Event


@dataclass(frozen=True, slots=True)
class Value:
    """A constructed YAML value with the file position of its key and of the value itself."""

    data: Any
    key_line: int
    value_line: int
    value_column: int
    source: SourceText | None = None  # for string scalars: where the text is in the file
    children: dict[str, Value] | None = None  # for mappings: the nested values, located
    items: tuple[Value, ...] | None = None  # for sequences: the items, located
    broken: bool = False  # could not be constructed (already reported): present, but no value


def _loader(text: str) -> Any:
    import yaml

    return getattr(yaml, "CSafeLoader", yaml.SafeLoader)(text)


def parse_mapping(
    text: str, path: Path, reporter: Reporter, *, line_offset: int = 0
) -> dict[str, Value] | None:
    """Top-level mapping of *text*; ``None`` (after reporting) when it is not a mapping.

    *line_offset* is added to every line (front matter starts below the ``---`` line).
    """
    import yaml

    refused = _refused_structure(text)
    if refused is not None:
        message, line, column = refused
        reporter.add(rules.YAML_LIMIT, message, path, line + line_offset, column)
        return None
    loader = _loader(text)
    try:
        node = loader.get_single_node()
    except yaml.YAMLError as exc:
        message, line, column = _syntax_error(exc, line_offset)
        reporter.add(rules.YAML_SYNTAX, message, path, line, column)
        return None
    finally:
        loader.dispose()
    if node is None:
        return {}
    if not isinstance(node, yaml.MappingNode):
        reporter.add(
            rules.NOT_MAPPING,
            "内容应是“字段: 值”的形式",
            path,
            node.start_mark.line + 1 + line_offset,
            node.start_mark.column + 1,
        )
        return None
    return _construct_mapping(node, text, path, reporter, line_offset)


# Front matter and settings are a few levels deep; anything deeper is an attack or a mistake,
# and PyYAML's composer recurses once per level.
MAX_DEPTH = 20


# Every collection YAML opens needs one of these in the text: ":" or "?" (a mapping), "-" or
# "[" (a sequence), "{" (a flow mapping).
COLLECTION_INDICATORS = ":?-[{"


def could_be_refused(text: str) -> bool:
    """Whether *text* may hold an alias (``*``) or more than ``MAX_DEPTH`` nested collections:
    front matter of a few fields cannot, and skips the event scan."""
    return "*" in text or sum(map(text.count, COLLECTION_INDICATORS)) > MAX_DEPTH


def _position(event: Event) -> tuple[int, int]:
    """The 1-based line and column where *event* starts (the parser marks every event)."""
    mark = event.start_mark
    return (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)


def _refused_structure(text: str) -> tuple[str, int, int] | None:
    """``(message, line, column)`` when *text* uses an alias or nests too deeply.

    Aliases (``*name``) are refused outright: no briefing file needs them, and expanding
    nested aliases ("billion laughs") takes exponential time and memory. Only the event stream
    is read, which is linear in the text; syntax errors are left to the real parse.
    """
    if not could_be_refused(text):
        return None
    import yaml

    try:
        loader = _loader(text)
    except yaml.YAMLError:
        return None
    depth = 0
    try:
        while (event := loader.get_event()) is not None:
            if isinstance(event, yaml.AliasEvent):
                return (
                    f"不支持 YAML 别名“*{event.anchor}”：请把内容直接写出来",
                    *_position(event),
                )
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    return (f"YAML 嵌套超过 {MAX_DEPTH} 层，请简化结构", *_position(event))
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.YAMLError:
        return None
    finally:
        loader.dispose()
    return None


def _construct_mapping(
    node: Any, text: str, path: Path, reporter: Reporter, offset: int
) -> dict[str, Value]:
    import yaml

    loader = _loader(text)
    out: dict[str, Value] = {}
    try:
        for key_node, value_node in node.value:
            key = str(key_node.value)
            key_line = key_node.start_mark.line + 1 + offset
            if key in out:
                reporter.add(
                    rules.DUPLICATE_KEY,
                    f"字段“{key}”重复出现（第 {out[key].key_line} 行已写过），只能保留一个",
                    path,
                    key_line,
                    key_node.start_mark.column + 1,
                )
                continue
            value_line = value_node.start_mark.line + 1 + offset
            value_column = value_node.start_mark.column + 1
            try:
                data = loader.construct_object(value_node, deep=True)
            except yaml.YAMLError as exc:
                reporter.add(rules.YAML_SYNTAX, _yaml_message(exc), path, key_line, 1)
                out[key] = Value(None, key_line, value_line, value_column, broken=True)
                continue
            except ValueError:  # a date that does not exist (2018-02-30) or a huge integer
                bad = _bad_date(value_node)  # inside a list or mapping: the item that failed
                is_date = str(bad.tag).endswith(":timestamp")
                shown = str(bad.value)
                reporter.add(
                    rules.FIELD_TYPE,
                    f"字段“{key}”的日期“{shown}”不存在，请核对月、日"
                    if is_date
                    else f"字段“{key}”的数字太长（{len(shown)} 位）",
                    path,
                    bad.start_mark.line + 1 + offset,
                    bad.start_mark.column + 1,
                )
                out[key] = Value(None, key_line, value_line, value_column, broken=True)
                continue
            if _has_control(data):
                reporter.add(
                    rules.CONTROL_CHAR,
                    f"字段“{key}”的值中有控制字符（可能来自 \\x 或 \\u 转义），请删除",
                    path,
                    value_line,
                    value_column,
                )
                data = _without_controls(data)
            out[key] = _located(value_node, data, key_line, text, path, reporter, offset)
    finally:
        loader.dispose()
    return out


def _has_control(data: Any) -> bool:
    if isinstance(data, str):
        return CONTROL.search(data) is not None
    if isinstance(data, list):
        return any(_has_control(x) for x in data)
    if isinstance(data, dict):
        return any(_has_control(k) or _has_control(v) for k, v in data.items())
    return False


def _without_controls(data: Any) -> Any:
    """*data* with every control character in its strings replaced by U+FFFD."""
    if isinstance(data, str):
        return CONTROL.sub("\ufffd", data)
    if isinstance(data, list):
        return [_without_controls(x) for x in data]
    if isinstance(data, dict):
        return {_without_controls(k): _without_controls(v) for k, v in data.items()}
    return data


def _bad_date(node: Any) -> Any:
    """The first scalar under *node* that cannot be constructed (else *node* itself)."""
    if isinstance(node.value, str):
        return node
    for child in node.value:
        for part in child if isinstance(child, tuple) else (child,):
            found = _bad_date(part)
            if found is not part or _unconstructible(part):
                return found
    return node


def _unconstructible(node: Any) -> bool:
    """A date that does not exist (2018-02-30) or an integer too long for Python."""
    tag, text = str(node.tag), str(node.value)
    try:
        if tag.endswith(":timestamp"):
            dt.date.fromisoformat(text[:10])
        elif tag.endswith(":int"):
            int(text.replace("_", ""), 0) if text[:2] in ("0x", "0o", "0b") else int(text)
    except ValueError:
        return True
    return False


def _located(
    node: Any, data: Any, key_line: int, text: str, path: Path, reporter: Reporter, offset: int
) -> Value:
    """*data* (constructed from *node*) with its position and those of its nested values."""
    import yaml

    children = items = None
    if isinstance(node, yaml.MappingNode):
        children = _construct_mapping(node, text, path, reporter, offset)
    elif isinstance(node, yaml.SequenceNode) and isinstance(data, list):
        items = tuple(
            _located(n, d, n.start_mark.line + 1 + offset, text, path, reporter, offset)
            for n, d in zip(node.value, data, strict=True)
        )
    return Value(
        data,
        key_line,
        node.start_mark.line + 1 + offset,
        node.start_mark.column + 1,
        _source_of(node, data, path, text, offset),
        children,
        items,
    )


def _source_of(node: Any, data: Any, path: Path, text: str, offset: int) -> SourceText | None:
    """Where the characters of a scalar are in the file (block scalars are indented)."""
    if isinstance(data, (list, dict)) or not isinstance(getattr(node, "value", None), str):
        return None
    if not isinstance(data, str):
        data = node.value  # numbers, dates: their text as written
    style = getattr(node, "style", None)
    line = node.start_mark.line + 1 + offset
    if style in ("|", ">"):
        lines = text.split("\n")
        first = node.start_mark.line + 1
        while first < len(lines) and not lines[first].strip():
            first += 1
        indent = len(lines[first]) - len(lines[first].lstrip(" ")) if first < len(lines) else 0
        return SourceText(data, path, first + 1 + offset, indent + 1, indent)
    column = node.start_mark.column + 1 + (1 if style in ("'", '"') else 0)
    return SourceText(data, path, line, column, node.start_mark.column)


# An unclosed flow collection is only noticed where the parser gives up (the end of the file,
# or the next key): the line that opened it is where the contributor has to look.
UNCLOSED_FLOW = {
    "while parsing a flow sequence": ("方括号列表", "]"),
    "while parsing a flow mapping": ("花括号映射", "}"),
}


def _syntax_error(exc: Exception, line_offset: int) -> tuple[str, int, int]:
    """``(message, line, column)`` of a YAML syntax error in the file's coordinates."""
    problem = getattr(exc, "problem_mark", None)
    context = getattr(exc, "context_mark", None)
    flow = UNCLOSED_FLOW.get(getattr(exc, "context", None) or "")
    if flow and context is not None and problem is not None and problem.line > context.line:
        what, closer = flow
        gave_up = problem.line + 1 + line_offset
        message = (
            f"YAML 语法错误：这一行开始的{what}没有闭合（到第 {gave_up} 行仍没有“{closer}”），"
            "或其中的项之间缺少逗号"
        )
        return message, context.line + 1 + line_offset, context.column + 1
    mark = problem or context
    line = (mark.line + 1 + line_offset) if mark else line_offset + 1
    column = (mark.column + 1) if mark else 1
    return _yaml_message(exc), line, column


def _yaml_message(exc: Exception) -> str:
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    hints = {
        "mapping values are not allowed": "这一行有多余的半角冒号“: ”；值里需要冒号时用全角“：”或给值加引号",
        "could not find expected ':'": "缺少“字段: 值”中的冒号，或上一行的引号没有闭合",
        "that cannot start any token": "这一行有 YAML 不允许的字符（如 Tab 缩进、行首的 @ 或 `）；值里有特殊字符时请加引号",
        "found unexpected end of stream": "引号或括号没有闭合",
        "did not find expected ',' or ']'": "方括号列表没有闭合，或列表项之间缺少逗号",
        "did not find expected ',' or '}'": "花括号映射没有闭合，或项之间缺少逗号",
        "while scanning a quoted scalar": "引号没有闭合",
        "did not find expected key": "缩进不一致，或上一行的引号没有闭合",
        "found undefined alias": "使用了未定义的 * 别名",
    }
    for english, chinese in hints.items():
        if english in problem:
            return f"YAML 语法错误：{chinese}"
    return f"YAML 语法错误：{problem}"


# --------------------------------------------------------------------------- validation


def validate(
    values: Mapping[str, Value],
    schema: Mapping[str, Spec],
    path: Path,
    reporter: Reporter,
    *,
    where: str = "",
    fallback_line: int = 1,
    positions: dict[str, tuple[int, int]] | None = None,
    reference: str = "",
) -> dict[str, Any]:
    """Typed values of the fields in *schema*; everything wrong is reported, nothing raised.

    *positions*, when given, receives the ``(line, column)`` of every value by its dotted
    path (``numbering.format``), so later checks can point at a setting without rescanning.
    *reference* ends the message about an unknown field: where the full list is explained.
    """
    out: dict[str, Any] = {}
    for key, value in values.items():
        spec = schema.get(key)
        if spec is None:
            reporter.add(
                rules.UNKNOWN_FIELD,
                _unknown_message(key, schema, where) + reference,
                path,
                value.key_line,
                1,
            )
            continue
        if value.broken:
            continue
        if positions is not None:
            positions[f"{where}{key}"] = (value.value_line, value.value_column)
        converted = _convert(key, value, spec, path, reporter, where, positions, reference)
        if converted is not _INVALID and spec.check is not None:
            problem = spec.check(converted)
            if problem:
                reporter.add(
                    rules.FIELD_TYPE,
                    f"字段“{where}{key}”的值“{value.data}”有误：{problem}",
                    path,
                    value.value_line,
                    value.value_column,
                )
                converted = _INVALID
        if converted is not _INVALID:
            out[key] = converted
    for key, spec in schema.items():
        if spec.required and key not in values:
            reporter.add(rules.MISSING_FIELD, f"缺少必填字段“{where}{key}”", path, fallback_line, 1)
    return out


def _unknown_message(key: str, schema: Mapping[str, Spec], where: str) -> str:
    close = difflib.get_close_matches(key, list(schema), n=1, cutoff=0.5)
    hint = f"，是不是“{where}{close[0]}”？" if close else f"；可用字段：{'、'.join(schema)}"
    return f"未知字段“{where}{key}”{hint}"


_INVALID = object()


def _range_text(low: float | None, high: float | None) -> str:
    """What a bounded number must be: 应在 1 到 9999 之间, or one side of it."""
    if low is None:
        return f"应不大于 {number_text(high)}" if high is not None else ""
    if high is None:
        return f"应不小于 {number_text(low)}"
    return f"应在 {number_text(low)} 到 {number_text(high)} 之间"


def _convert(
    key: str,
    value: Value,
    spec: Spec,
    path: Path,
    reporter: Reporter,
    where: str,
    positions: dict[str, tuple[int, int]] | None = None,
    reference: str = "",
) -> Any:
    data = value.data
    name = f"{where}{key}"

    def in_range(number: float) -> object:
        low, high = spec.minimum, spec.maximum
        if (low is not None and number < low) or (high is not None and number > high):
            shown = (
                str(number)
                if len(str(number)) <= 20
                else f"{str(number)[:12]}…（共 {len(str(number))} 位）"
            )
            reporter.add(
                rules.FIELD_TYPE,
                f"字段“{name}”{_range_text(low, high)}，现在是 {shown}",
                path,
                value.value_line,
                value.value_column,
            )
            return _INVALID
        return number

    def wrong(expected: str | None = None) -> object:
        shown = "空值" if data is None else f"“{data}”"
        reporter.add(
            rules.FIELD_TYPE,
            f"字段“{name}”应为{expected or KIND_NAMES[spec.kind]}，现在是{shown}",
            path,
            value.value_line,
            value.value_column,
        )
        return _INVALID

    kind = spec.kind
    if kind in ("str", "format", "colour"):
        if isinstance(data, bool) or data is None or isinstance(data, (list, dict)):
            return wrong()
        text = str(data).strip()
        if not text:
            return wrong()
        return normalise_colour(text) if kind == "colour" and not colour_problem(text) else text
    if kind == "int":
        if isinstance(data, bool) or not isinstance(data, int):
            if isinstance(data, str) and data.strip().isdigit() and len(data.strip()) < 20:
                return wrong(f"整数（写成 {int(data)}，不要补零或加引号）")
            return wrong()
        return in_range(data)
    if kind == "number":
        if isinstance(data, bool) or not isinstance(data, (int, float)):
            return wrong()
        number = float(data) if not isinstance(data, int) or abs(data) < 2**53 else math.inf
        if not math.isfinite(number):
            return wrong("有限的数字")
        return in_range(number)
    if kind == "bool":
        return data if isinstance(data, bool) else wrong()
    if kind == "date":
        if isinstance(data, dt.datetime):
            return data.date()
        if isinstance(data, dt.date):
            return data
        return wrong("日期，写成 2018-12-20 的形式（月、日是否存在？）")
    if kind == "strlist":
        if isinstance(data, str):
            return (data,)
        if not isinstance(data, list) or not all(isinstance(x, (str, int)) for x in data):
            return wrong()
        return tuple(str(x) for x in data)
    if kind == "levels":  # rule code → error | warning | off (YAML 1.1 reads a bare off as false)
        if not isinstance(data, dict):
            return wrong()
        return {str(code): "off" if level is False else str(level) for code, level in data.items()}
    if kind == "pairs":
        if not isinstance(data, dict):
            return wrong()
        pairs = []
        for label, item in data.items():
            text = "，".join(str(x) for x in item) if isinstance(item, list) else item
            if text is None or isinstance(text, (dict, bool)):
                return wrong(f"“名称: 内容”映射（“{label}”没有内容）")
            pairs.append((str(label), str(text)))
        return tuple(pairs)
    if kind == "map":
        if not isinstance(data, dict):
            return wrong()
        return validate(
            value.children or {},
            spec.fields,
            path,
            reporter,
            where=f"{name}.",
            fallback_line=value.key_line,
            positions=positions,
            reference=reference,
        )
    if kind == "records":
        return _records(value, spec, name, path, reporter) if isinstance(data, list) else wrong()
    if kind == "aliases":
        return _aliases(value, name, path, reporter) if isinstance(data, dict) else wrong()
    raise AssertionError(kind)


def _records(
    value: Value, spec: Spec, name: str, path: Path, reporter: Reporter
) -> tuple[dict[str, Any], ...]:
    """A list of mappings, each validated against ``spec.fields``; incomplete items are left
    out (after reporting)."""
    records = []
    for index, item in enumerate(value.items or (), start=1):
        if not isinstance(item.data, dict):
            reporter.add(
                rules.FIELD_TYPE,
                f"字段“{name}”的第 {index} 项应为映射（如 {{by: …, date: …}}）",
                path,
                item.value_line,
                item.value_column,
            )
            continue
        got = validate(
            item.children or {},
            spec.fields,
            path,
            reporter,
            where=f"{name}[{index}].",
            fallback_line=item.value_line,
        )
        if all(k in got for k, field_spec in spec.fields.items() if field_spec.required):
            records.append(got)
    return tuple(records)


def _aliases(value: Value, name: str, path: Path, reporter: Reporter) -> dict[str, str]:
    """``{variant: canonical}`` from ``canonical: variant`` or ``canonical: [variants]``."""
    out: dict[str, str] = {}
    canonical_names = {str(k).strip() for k in value.data}
    for canonical, child in (value.children or {}).items():
        variants = child.data if isinstance(child.data, list) else [child.data]
        for variant in variants:
            if (
                not isinstance(variant, (str, int))
                or isinstance(variant, bool)
                or not str(variant).strip()
            ):
                reporter.add(
                    rules.FIELD_TYPE,
                    f"字段“{name}.{canonical}”应为单位名称或名称列表",
                    path,
                    child.value_line,
                    child.value_column,
                )
                continue
            text = str(variant).strip()
            problem = None
            if text in canonical_names:
                problem = f"“{text}”已是规范名称，不能再作为“{canonical}”的别名"
            elif text in out and out[text] != canonical:
                problem = f"别名“{text}”同时属于“{out[text]}”和“{canonical}”"
            if problem:
                reporter.add(
                    rules.FIELD_TYPE,
                    f"字段“{name}”：{problem}",
                    path,
                    child.value_line,
                    child.value_column,
                )
                continue
            out[text] = str(canonical).strip()
    return out
