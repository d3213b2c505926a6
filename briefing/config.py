"""Every setting of ``briefing.yaml`` and ``issue.yaml``, declared once (as mkdocs'
``config_options`` do): kind, default, range or allowed form, and a Chinese description.

The loader validates against these tables (``yamldoc.validate``), the model's dataclasses take
their defaults from them (``default``), ``briefing init`` writes its ``briefing.yaml`` from them
(``scaffold_yaml``) and ``docs/config.md`` is generated from them (``config_markdown``; a test
keeps the file in sync: regenerate with ``python -m briefing.config > docs/config.md``).

To add a setting: add one ``Spec`` here (with ``doc``), one field to the model dataclass whose
default is ``default("group.key")``, and regenerate ``docs/config.md``. This module imports
nothing from ``briefing`` so that ``model`` can read its defaults from it.
"""

from __future__ import annotations

import re
import string
import sys
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, TypedDict

# --------------------------------------------------------------------------- the schema type


@dataclass(frozen=True, slots=True)
class Spec:
    """One setting (or front-matter field).

    ``kind``: str, int, number, bool, date, strlist, pairs, levels, map, colour, format,
    records (a list of maps, each validated against ``fields``), aliases (name → variants).
    ``minimum``/``maximum`` bound int and number settings; ``check`` returns why a value is
    not allowed (``None`` when it is); ``example`` is what ``init`` writes, commented out, for
    a setting it does not fill in; ``scaffold`` makes ``init`` write the default explicitly.
    """

    kind: str
    doc: str = ""
    default: Any = None
    required: bool = False
    fields: Mapping[str, Spec] = field(default_factory=dict)
    minimum: float | None = None
    maximum: float | None = None
    check: Callable[[Any], str | None] | None = None
    example: str | None = None
    scaffold: bool = False


KIND_NAMES = {
    "str": "文字",
    "int": "整数",
    "number": "数字",
    "bool": "true 或 false",
    "date": "日期（如 2018-12-20）",
    "strlist": "文字列表",
    "pairs": "“名称: 内容”映射",
    "levels": "“规则代码: 级别”映射",
    "map": "映射",
    "colour": "颜色（#RRGGBB，如 #FF0000）",
    "format": "期号格式（如 第{number_cn}期）",
    "records": "列表（每项是一个映射）",
    "aliases": "“规范名称: [别名, …]”映射",
}


# --------------------------------------------------------------------------- 期号 formats

FORMAT_FIELDS = ("year", "number", "number_cn", "total", "total_cn", "label")
# A fill character, an alignment and a width below 100: ``{number:0>3}``, ``{number:03}``;
# the fields that are always numbers may also say ``d``: ``{number:03d}``.
_SMALL_SPEC = re.compile(r"(?:[^{}]?[<>^])?0?\d{0,2}")
_ALWAYS_NUMBERS = ("year", "number")


def format_problem(template: str) -> str | None:
    """Why *template* cannot be a 期号 format, or ``None``.

    Only the documented fields are allowed, without attribute or index access or a
    conversion, and with at most a small fill/width spec: the template comes from a settings
    file and must never reach Python internals or allocate without bound.
    """
    fields = "、".join(f"{{{f}}}" for f in FORMAT_FIELDS)
    try:
        parsed = list(string.Formatter().parse(template))
    except ValueError:
        return "花括号不成对；字段写成 {number_cn} 的形式，文字中的花括号写成 {{ }}"
    for _, name, spec, conversion in parsed:
        if name is None:
            continue
        if name not in FORMAT_FIELDS:
            return f"不支持的格式字段 {{{name}}}；可用：{fields}"
        spec = spec or ""
        if name in _ALWAYS_NUMBERS:
            spec = spec.removesuffix("d")
        if conversion is not None or not _SMALL_SPEC.fullmatch(spec):
            return f"字段 {{{name}}} 的写法不受支持；只能写 {{{name}}} 或 {{{name}:0>3}} 这样的补位"
    return None


def colour_problem(text: str) -> str | None:
    return None if re.fullmatch(r"#?[0-9A-Fa-f]{6}", text) else "应写成 #RRGGBB，如 #FF0000"


def toc_marker_problem(text: str) -> str | None:
    if text in ("numbers", "none") or len(text.strip()) == 1:
        return None
    return "应为一个符号（如 ◆ ■ ●）、numbers 或 none"


def toc_subtitle_problem(text: str) -> str | None:
    return None if text in ("line", "inline") else "应为 line（另起一行）或 inline（与标题同行）"


def word_pairs_problem(pairs: tuple[tuple[str, str], ...]) -> str | None:
    for wrong, right in pairs:
        if not wrong.strip() or not right.strip() or any(ch.isspace() for ch in wrong + right):
            return f"“{wrong}: {right}”：错误写法和正确写法都不能为空，也不能含空格"
        if wrong.strip() == right.strip():
            return f"“{wrong}”的错误写法与正确写法相同"
    return None


def person_name_problem(name: str) -> str | None:
    if 2 <= len(name) <= 6 and not any(ch.isspace() or ch in "，、,;；" for ch in name):
        return None
    return "应为一个人的姓名（2–6个字，不含空格和标点）"


# --------------------------------------------------------------------------- briefing.yaml

S = Spec


class _Range(TypedDict):
    """The bounds of an int setting, spread into ``Spec(**range)``."""

    minimum: float
    maximum: float


_YEAR: _Range = {"minimum": 1900, "maximum": 9999}
_NUMBER: _Range = {"minimum": 1, "maximum": 9999}
_TOTAL: _Range = {"minimum": 1, "maximum": 99_999_999}
_COPIES: _Range = {"minimum": 1, "maximum": 99_999_999}
_PAIRS_DOC = "值也可以写成列表，以“，”连接"

_FONTS = {
    "masthead": ("方正小标宋简体", "报头（红色简报名称）"),
    "title": ("方正小标宋简体", "文稿标题"),
    "body": ("仿宋_GB2312", "正文；没有 GB2312 字体的单位可写 仿宋"),
    "heading1": ("黑体", "一级标题、目录标题、栏目"),
    "heading2": ("楷体_GB2312", "二级标题、副题、编者按正文、编印单位与日期"),
    "heading3": ("仿宋_GB2312", "三级标题（加粗）"),
    "heading4": ("仿宋_GB2312", "四级标题"),
    "classification": ("黑体", "左上角的内部资料标识"),
    "imprint": ("仿宋_GB2312", "版记"),
    "page_number": ("宋体", "页码"),
    "latin": ("Times New Roman", "西文与数字"),
}

SETTINGS_SCHEMA: dict[str, Spec] = {
    "name": S("str", "简报名称，印作红色报头", required=True, example="滨江新区信息"),
    "readership": S("str", "印在名称下方，带全角括号：（领导参阅）", example="领导参阅"),
    "classification": S("str", "印在左上角的标识", example="内部刊物 请勿外传"),
    "issuer": S("str", "编印单位，印在日期左侧", required=True, example="滨江新区党政办公室"),
    "numbering": S(
        "map",
        "期号",
        fields={
            "format": S(
                "format",
                "期号格式；可用字段 {year} {number} {number_cn} {total} {total_cn}",
                "第{number_cn}期（总第{total}期）",
                check=format_problem,
                scaffold=True,
            ),
            "special_format": S(
                "format",
                "专刊、增刊的期号格式；{label} 是专刊名称",
                "{label}第{number_cn}期",
                check=format_problem,
            ),
            "yearly_reset": S(
                "bool", "每年第一期期号从 1 开始（总期号不重置）", True, scaffold=True
            ),
            "previous": S(
                "map",
                "迁移旧刊：此前最后一期的年份、期号、总期号",
                example="{year: 2018, number: 27, total: 645}",
                fields={
                    "year": S("int", "年份", required=True, **_YEAR),
                    "number": S("int", "期号", required=True, **_NUMBER),
                    "total": S("int", "总期号", required=True, **_TOTAL),
                },
            ),
        },
    ),
    "distribution": S("pairs", f"版记的报、送、发，按此顺序印出；{_PAIRS_DOC}", ()),
    "credits": S("pairs", "版记最后一行：第一项居左，最后一项居右（编辑、签发）", ()),
    "copies": S("int", "印数，印作“共印120份”", example="120", **_COPIES),
    "fonts": S(
        "map",
        "各角色字体（Word/WPS 中的字体名）",
        fields={key: S("str", doc, default) for key, (default, doc) in _FONTS.items()},
    ),
    "layout": S(
        "map",
        "版式",
        fields={
            "masthead_size": S(
                "number",
                "报头字号（磅）；名称太长时自动缩小到一行放得下",
                42.0,
                minimum=16,
                maximum=80,
            ),
            "masthead_color": S("colour", "报头与红线的颜色", "#FF0000", check=colour_problem),
            "imprint_on_even_page": S("bool", "版记另起偶数页（双面印刷）", False),
            "pad_two_char_names": S("bool", "版记中两个字的姓名补足三字宽：王　军", True),
            "toc_heading": S(
                "str", '目录标题，如“本 期 目 录”；写空字符串 "" 不印标题', "本期目录"
            ),
            "toc_marker": S(
                "str",
                "目录条目前的标记：◆ 等符号，numbers 印 1. 2. 3.，none 不印",
                "◆",
                check=toc_marker_problem,
            ),
            "toc_subtitle": S(
                "str",
                "目录中副题的位置：line 另起一行，inline 与标题同行（标题——副题）",
                "line",
                check=toc_subtitle_problem,
            ),
        },
    ),
    "checks": S(
        "map",
        "检查设置",
        fields={
            "severity": S("levels", "按规则代码调整级别：error、warning 或 off", {}),
            "max_title_length": S("int", "标题最多字数", 40, minimum=1, maximum=10_000),
            "max_article_length": S("int", "文稿正文最多字数", 3000, minimum=1, maximum=10**7),
            "banned_words": S("strlist", "禁用词", ()),
            "words": S(
                "pairs",
                "补充或覆盖内置错别字表（C309）：“错误写法: 正确写法”",
                (),
                check=word_pairs_problem,
                example="{帐薄: 账簿}",
            ),
            "words_off": S("strlist", "不再检查的内置错别字条目（错误写法），如地名中的写法", ()),
            "people": S(
                "records",
                "人员名录（C311、C312）：姓名与职务；文中该姓名前后的职务不在所列职务中、"
                "或与名录姓名只差一字的姓名出现在职务旁时提示",
                (),
                example="[{name: 王建国, titles: [区委书记]}, {name: 李明, titles: [区委副书记, 区长]}]",
                fields={
                    "name": S("str", "姓名", required=True, check=person_name_problem),
                    "titles": S(
                        "strlist", "职务（可写多个；印在姓名前的职务应是其中之一或其后段）", ()
                    ),
                },
            ),
            "require_source": S("bool", "文稿必须写供稿单位（source）", True),
        },
    ),
    "units": S(
        "aliases",
        "单位别名：briefing stats 和 search 把别名算作规范名称",
        {},
        example="{区建设局: [建设局, 区建设管理局]}",
    ),
}


# --------------------------------------------------------------------------- issue.yaml

ISSUE_SCHEMA: dict[str, Spec] = {
    "year": S("int", "年份", required=True, **_YEAR),
    "number": S("int", "本年（专刊为本系列）的期号", required=True, **_NUMBER),
    "total": S("int", "总期号；专刊没有总期号", **_TOTAL),
    "date": S("date", "出刊日期，印作 2018年12月20日", required=True),
    "special": S("str", "专刊、增刊的名称；单独编号，不占总期号"),
    "theme": S("str", "本期主题，印在目录之前"),
    "order": S("strlist", "文稿文件名列表，决定顺序", ()),
    "published": S("bool", "已签发", False),
    "distribution": S("pairs", "本期单独的版记报、送、发（代替 briefing.yaml 的）"),
    "credits": S("pairs", "本期单独的编辑、签发（代替 briefing.yaml 的）"),
    "copies": S("int", "本期单独的印数", **_COPIES),
}


# --------------------------------------------------------------------------- lookups


def _walk(schema: Mapping[str, Spec], prefix: str = "") -> Iterator[tuple[str, Spec]]:
    for key, spec in schema.items():
        yield prefix + key, spec
        if spec.kind == "map":
            yield from _walk(spec.fields, f"{prefix}{key}.")
        elif spec.kind == "records":  # the fields of each item: checks.people[].name
            yield from _walk(spec.fields, f"{prefix}{key}[].")


def spec(path: str, schema: Mapping[str, Spec] = SETTINGS_SCHEMA) -> Spec:
    """The spec of a dotted setting path such as ``layout.masthead_size``."""
    head, _, rest = path.partition(".")
    found = schema[head]
    return spec(rest, found.fields) if rest else found


def default(path: str, schema: Mapping[str, Spec] = SETTINGS_SCHEMA) -> Any:
    """The declared default of *path*, as the model stores it."""
    value = spec(path, schema).default
    if isinstance(value, str) and spec(path, schema).kind == "colour":
        return normalise_colour(value)
    return value


def normalise_colour(text: str) -> str:
    """``#ff0000`` → ``FF0000`` (OOXML's ``w:color`` form; the HTML edition adds the ``#``)."""
    return text.strip().lstrip("#").upper()


# --------------------------------------------------------------------------- init


def _yaml_scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    escaped = str(value).replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'


def scaffold_yaml(values: Mapping[str, Any], schema: Mapping[str, Spec] = SETTINGS_SCHEMA) -> str:
    """The ``briefing.yaml`` that ``init`` writes: *values* (top-level keys; ``pairs`` as
    ``(label, text)`` sequences), the defaults worth seeing, and examples commented out, each
    with its description from the schema."""
    lines = [
        "# 简报设置：运行 briefing settings 查看每一项的说明（briefing settings 名称 只看一项）"
    ]
    lines += _scaffold_lines(values, schema, "")
    return "\n".join(lines) + "\n"


def _scaffold_lines(
    values: Mapping[str, Any], schema: Mapping[str, Spec], indent: str
) -> list[str]:
    lines: list[str] = []
    for key, spec_ in schema.items():
        comment = f"  # {spec_.doc}" if spec_.doc else ""
        if key in values and spec_.kind == "pairs":
            lines.append(f"{indent}{key}:{comment}")
            lines += [
                f"{indent}  {_yaml_scalar(label)}: {_yaml_scalar(text)}"
                for label, text in values[key]
            ]
        elif key in values and spec_.kind == "map":  # given values of a nested map (init)
            inner = _scaffold_lines(values[key], spec_.fields, indent + "  ")
            lines += [f"{indent}{key}:{comment}", *inner]
        elif key in values:
            lines.append(f"{indent}{key}: {_yaml_scalar(values[key])}{comment}")
        elif spec_.kind == "map" and spec_.example is None:
            inner = _scaffold_lines(values.get(key, {}), spec_.fields, indent + "  ")
            if any(not line.lstrip().startswith("#") for line in inner):
                lines += [f"{indent}{key}:{comment}", *inner]
            else:
                lines += inner and [f"{indent}# {key}:{comment}", *inner]
        elif spec_.scaffold:
            lines.append(f"{indent}{key}: {_yaml_scalar(spec_.default)}{comment}")
        elif spec_.example is not None:
            lines.append(f"{indent}# {key}: {spec_.example}{comment}")
    return lines


# --------------------------------------------------------------------------- docs/config.md


def _shown(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "`true`" if value else "`false`"
    if value in ((), {}):
        return "（空）"
    return f"`{value}`"


def number_text(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def _allowed(spec_: Spec) -> str:
    parts = []
    if spec_.minimum is not None and spec_.maximum is not None:
        parts.append(f"{number_text(spec_.minimum)}–{number_text(spec_.maximum)}")
    if spec_.kind == "colour":
        parts.append("`#RRGGBB`")
    if spec_.kind == "format":
        parts.append(
            "仅限 " + " ".join(f"`{{{f}}}`" for f in FORMAT_FIELDS) + "，可加补位如 `:0>3`"
        )
    if spec_.kind == "levels":
        parts.append("`error` `warning` `off`")
    return "；".join(parts) or "—"


def _table(schema: Mapping[str, Spec]) -> list[str]:
    rows = ["| 设置 | 类型 | 默认值 | 取值范围 | 说明 |", "|---|---|---|---|---|"]
    for path, spec_ in _walk(schema):
        required = "（必填）" if spec_.required else ""
        rows.append(
            f"| `{path}` | {KIND_NAMES[spec_.kind]} | {_shown(spec_.default)} | "
            f"{_allowed(spec_)} | {spec_.doc}{required} |"
        )
    return rows


def config_markdown() -> str:
    """``docs/config.md``: every setting of both files, from the schema."""
    lines = [
        "# 设置一览",
        "",
        "由 `python -m briefing.config > docs/config.md` 从 `briefing/config.py` 生成，请勿手改。",
        "安装后不必找这个文件：`briefing settings` 打印同样的说明，`briefing settings 名称`",
        "只看一项（如 `briefing settings layout.masthead_size`）。",
        "每一项设置出错时，`briefing check` 都会指出文件和行号。",
        "",
        "## briefing.yaml",
        "",
        *_table(SETTINGS_SCHEMA),
        "",
        "## issue.yaml",
        "",
        "每期目录中的 `issue.yaml`；期号只由 `briefing new-issue` 分配。",
        "",
        *_table(ISSUE_SCHEMA),
        "",
    ]
    return "\n".join(lines)


# --------------------------------------------------------------------------- briefing settings

SCHEMAS = (
    ("briefing.yaml", "工作区的简报设置", SETTINGS_SCHEMA),
    ("issue.yaml", "每期目录中的本期设置；期号只由 briefing new-issue 分配", ISSUE_SCHEMA),
)


class UnknownSetting(LookupError):
    """No setting has that name; carries the closest names."""

    def __init__(self, name: str, close: list[str]):
        self.name, self.close = name, close
        super().__init__(name)


def settings_text(name: str | None = None) -> str:
    """The settings reference for a terminal: every setting of both files, or those named
    *name* (a dotted path such as ``layout.masthead_size``, a group such as ``layout``, or a
    last part such as ``masthead_size``). Raises ``UnknownSetting``."""
    sections = []
    for file_name, about, schema in SCHEMAS:
        entries = [(path, spec_) for path, spec_ in _walk(schema) if _wanted(path, name)]
        if entries:
            head = f"{file_name}：{about}"
            sections.append("\n\n".join([head, *(_entry_text(p, e) for p, e in entries)]))
    if not sections:
        raise UnknownSetting(name or "", _closest(name or ""))
    return "\n\n".join(sections) + "\n"


def _wanted(path: str, name: str | None) -> bool:
    if name is None:
        return True
    name = name.strip().lower()
    return path == name or path.startswith(name + ".") or path.rsplit(".", 1)[-1] == name


def _closest(name: str) -> list[str]:
    """Settings whose dotted path or last part looks like *name* (``colour`` → ``layout.masthead_color``)."""
    import difflib

    every = [path for _, _, schema in SCHEMAS for path, _ in _walk(schema)]
    by_part: dict[str, list[str]] = {}
    for path in every:
        for part in {path, *path.split(".")[1:], *path.rsplit(".", 1)[-1].split("_")}:
            by_part.setdefault(part, []).append(path)
    found = difflib.get_close_matches(name.strip().lower(), list(by_part), n=3, cutoff=0.6)
    return list(dict.fromkeys(path for part in found for path in by_part[part]))[:3]


def _entry_text(path: str, spec_: Spec) -> str:
    facts = [f"类型：{KIND_NAMES[spec_.kind]}"]
    if spec_.required:
        facts.append("必填")
    if spec_.default not in (None, (), {}):
        shown = spec_.default
        if isinstance(shown, float):
            shown = number_text(shown)
        facts.append(f"默认：{_shown(shown).strip('`')}")
    lines = [path, f"    {spec_.doc}", f"    {'；'.join(facts)}"]
    allowed = _allowed(spec_).replace("`", "")
    if allowed != "—":
        lines.append(f"    取值：{allowed}")
    if spec_.example is not None:
        lines.append(f"    例如：{path.rsplit('.', 1)[-1]}: {spec_.example}")
    return "\n".join(lines)


if __name__ == "__main__":  # pragma: no cover - exercised through the sync test's hint
    sys.stdout.write(config_markdown())
