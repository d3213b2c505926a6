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
from typing import Any

from briefing import rules
from briefing.config import KIND_NAMES, Spec, colour_problem, normalise_colour, number_text
from briefing.model import SourceText
from briefing.rules import Reporter


@dataclass(frozen=True, slots=True)
class Value:
    """A constructed YAML value with the file position of its key and of the value itself."""

    data: Any
    key_line: int
    value_line: int
    value_column: int
    source: SourceText | None = None  # for string scalars: where the text is in the file
    children: dict[str, Value] | None = None  # for mappings: the nested values, located
    broken: bool = False  # could not be constructed (already reported): present, but no value


class YamlFailure(Exception):
    """The text is not YAML at all; carries the file position of the problem."""

    def __init__(self, message: str, line: int, column: int):
        self.line, self.column = line, column
        super().__init__(message)


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

    loader = _loader(text)
    try:
        node = loader.get_single_node()
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line = (mark.line + 1 + line_offset) if mark else line_offset + 1
        column = (mark.column + 1) if mark else 1
        reporter.add(rules.YAML_SYNTAX, _yaml_message(exc), path, line, column)
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
                is_date = str(value_node.tag).endswith(":timestamp")
                shown = str(value_node.value)
                reporter.add(
                    rules.FIELD_TYPE,
                    f"字段“{key}”的日期“{shown}”不存在，请核对月、日"
                    if is_date
                    else f"字段“{key}”的数字太长（{len(shown)} 位）",
                    path,
                    value_line,
                    value_column,
                )
                out[key] = Value(None, key_line, value_line, value_column, broken=True)
                continue
            children = None
            if isinstance(value_node, yaml.MappingNode):
                children = _construct_mapping(value_node, text, path, reporter, offset)
            out[key] = Value(
                data,
                key_line,
                value_line,
                value_column,
                _source_of(value_node, data, path, text, offset),
                children,
            )
    finally:
        loader.dispose()
    return out


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
) -> dict[str, Any]:
    """Typed values of the fields in *schema*; everything wrong is reported, nothing raised.

    *positions*, when given, receives the ``(line, column)`` of every value by its dotted
    path (``numbering.format``), so later checks can point at a setting without rescanning.
    """
    out: dict[str, Any] = {}
    for key, value in values.items():
        spec = schema.get(key)
        if spec is None:
            reporter.add(
                rules.UNKNOWN_FIELD, _unknown_message(key, schema, where), path, value.key_line, 1
            )
            continue
        if value.broken:
            continue
        if positions is not None:
            positions[f"{where}{key}"] = (value.value_line, value.value_column)
        converted = _convert(key, value, spec, path, reporter, where, positions)
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


def _convert(
    key: str,
    value: Value,
    spec: Spec,
    path: Path,
    reporter: Reporter,
    where: str,
    positions: dict[str, tuple[int, int]] | None = None,
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
                f"字段“{name}”应在 {number_text(low)} 到 {number_text(high)} 之间，现在是 {shown}",
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
        for label, text in data.items():
            if isinstance(text, list):
                text = "，".join(str(x) for x in text)
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
        )
    raise AssertionError(kind)
