"""Stage 1 — load: ``briefing.yaml``, ``issue.yaml`` and articles into the frozen model.

Loading never stops at the first problem: everything wrong is reported to a ``Reporter`` with
its file and line, and whatever could be loaded is returned, so ``check`` can show all problems
of a submission at once and ``build`` can refuse with the full list.
"""

from __future__ import annotations

import itertools
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from briefing import rules
from briefing.config import ISSUE_SCHEMA, SETTINGS_SCHEMA, Spec
from briefing.errors import UsageError
from briefing.markdown import (
    FRONT_MATTER_FENCE,
    Note,
    front_matter_end,
    parse_body,
    strip_comments,
)
from briefing.model import (
    Article,
    CheckSettings,
    Fonts,
    Instruction,
    Issue,
    Layout,
    Numbering,
    Person,
    PreviousIssue,
    Settings,
    SourceText,
)
from briefing.rules import Reporter
from briefing.textio import CONTROL, NotUtf8, UnsafeFile, read_reason, read_text
from briefing.yamldoc import Value, parse_mapping, validate

CONFIG_NAME = "briefing.yaml"
ISSUE_FILE = "issue.yaml"
MANIFEST_FILE = "manifest.json"  # the 签发 record (briefing.manifest), not an article
ARTICLE_SUFFIXES = (".md", ".yaml", ".yml")
# Ends a message about an unknown setting: the installed tool explains every setting.
SETTINGS_HELP = "（每一项设置的说明：运行 briefing settings）"
REGULAR_ID = re.compile(r"^(\d{4})-(\d{3})$")
SPECIAL_ID = re.compile(r"^(\d{4})-(.+)-(\d{2,3})$")

# Article front matter: a contributor's fields, not settings (documented in the README).
ARTICLE_SCHEMA: dict[str, Spec] = {
    "title": Spec("str", "标题", required=True),
    "source": Spec("str", "供稿单位"),
    "subtitle": Spec("str", "副题"),
    "column": Spec("str", "栏目"),
    "order": Spec("int", "顺序", minimum=-999_999, maximum=999_999),
    "note": Spec("str", "编者按"),
    "author": Spec("str", "作者"),
    "instructions": Spec(
        "records",
        "领导批示",
        fields={
            "by": Spec("str", "批示人", required=True),
            "position": Spec("str", "职务"),
            "date": Spec("date", "批示日期", required=True),
            "text": Spec("str", "批示内容"),
        },
    ),
}
YAML_ARTICLE_SCHEMA: dict[str, Spec] = {**ARTICLE_SCHEMA, "body": Spec("str", "正文")}


# --------------------------------------------------------------------------- workspace


def find_workspace(start: Path, explicit: bool = False) -> Path:
    """The folder holding ``briefing.yaml``: *start* itself when *explicit*, else walk up."""
    start = start.resolve()
    if explicit:
        if (start / CONFIG_NAME).is_file():
            return start
        raise UsageError(
            f"{start} 不是简报工作区：找不到 {CONFIG_NAME}", hint="用 briefing init 创建工作区"
        )
    for folder in (start, *start.parents):
        if (folder / CONFIG_NAME).is_file():
            return folder
    raise UsageError(
        f"当前目录及其上级目录中找不到 {CONFIG_NAME}，这里不是简报工作区",
        hint="用 briefing init 创建工作区，或用 -C 指定工作区目录",
    )


def read_source(path: Path, reporter: Reporter, root: Path | None = None) -> str | None:
    """Text of *path*, or ``None`` after reporting why it cannot be read.

    With *root*, a file whose real location is outside it is not read (F008). Control
    characters are reported (F009) and replaced by U+FFFD, so no later stage sees them.
    """
    try:
        return clean_controls(read_text(path, root), path, reporter)
    except UnsafeFile as exc:
        reporter.add(rules.UNSAFE_FILE, str(exc), path)
    except NotUtf8 as exc:
        failure = exc.failure
        guess = f"，看起来是 {failure.guess} 编码" if failure.guess else ""
        reporter.add(
            rules.ENCODING,
            f"文件不是 UTF-8 编码{guess}；请用编辑器“另存为 UTF-8”后再提交",
            path,
            failure.line,
            failure.column,
        )
    except OSError as exc:
        reporter.add(rules.WORKSPACE, f"无法读取文件：{read_reason(exc)}", path)
    return None


MAX_CONTROL_REPORTS = 5


def clean_controls(text: str, path: Path, reporter: Reporter) -> str:
    """*text* with control characters replaced by U+FFFD, each (up to a few) reported."""
    if not CONTROL.search(text):
        return text
    found = list(itertools.islice(CONTROL.finditer(text), MAX_CONTROL_REPORTS + 1))
    for match in found[:MAX_CONTROL_REPORTS]:
        line = text.count("\n", 0, match.start()) + 1
        column = match.start() - text.rfind("\n", 0, match.start())
        reporter.add(
            rules.CONTROL_CHAR,
            f"第 {line} 行有控制字符 U+{ord(match.group()):04X}（通常是从其他软件复制时带入的），请删除",
            path,
            line,
            column,
        )
    if len(found) > MAX_CONTROL_REPORTS:
        reporter.add(rules.CONTROL_CHAR, "文件中还有更多控制字符，请一并删除", path)
    return CONTROL.sub("\ufffd", text)


def load_settings(root: Path, reporter: Reporter) -> Settings:
    """Settings from ``briefing.yaml``; defaults stand in for whatever is broken."""
    path = root / CONFIG_NAME
    text = read_source(path, reporter, root)
    values = parse_mapping(text, path, reporter) if text is not None else None
    positions: dict[str, tuple[int, int]] = {}
    data = (
        validate(
            values, SETTINGS_SCHEMA, path, reporter, positions=positions, reference=SETTINGS_HELP
        )
        if values is not None
        else {}
    )
    return settings_from(root, data, positions)


def settings_from(
    root: Path, data: dict[str, Any], positions: dict[str, tuple[int, int]]
) -> Settings:
    """The model of validated *data*; the model's defaults (from the schema) fill the rest."""
    numbering = dict(data.get("numbering", {}))
    previous = numbering.pop("previous", None)
    checks = dict(data.get("checks", {}))
    if "people" in checks:  # validated records → the model's frozen entries
        checks["people"] = tuple(
            Person(p["name"], tuple(p.get("titles", ()))) for p in checks["people"]
        )
    top = {
        key: data[key]
        for key in ("readership", "classification", "distribution", "credits", "copies")
        if key in data
    }
    return Settings(
        root=root,
        name=data.get("name", ""),
        issuer=data.get("issuer", ""),
        numbering=Numbering(
            **numbering,
            previous=PreviousIssue(**previous) if previous and len(previous) == 3 else None,
        ),
        fonts=Fonts(**data.get("fonts", {})),
        layout=Layout(**data.get("layout", {})),
        checks=CheckSettings(**checks),
        positions=positions,
        units=data.get("units", {}),
        **top,
    )


def check_severity_overrides(settings: Settings, reporter: Reporter) -> dict[str, str]:
    """Valid ``checks.severity`` entries; unknown codes and levels are reported."""
    valid = {}
    path = settings.root / CONFIG_NAME
    for code, level in settings.checks.severity.items():
        where = settings.positions["checks.severity"]  # loaded settings locate every value
        if code not in rules.RULES:
            reporter.add(
                rules.UNKNOWN_FIELD,
                f"checks.severity 中的规则代码“{code}”不存在（见 briefing rules）",
                path,
                *where,
            )
        elif level not in ("error", "warning", "off"):
            reporter.add(
                rules.FIELD_TYPE,
                f"规则 {code} 的级别应为 error、warning 或 off，现在是“{level}”",
                path,
                *where,
            )
        elif code in rules.SAFETY_RULES and level != "error":
            reporter.add(
                rules.FIELD_TYPE,
                f"规则 {code} 防止读取或排版不安全的内容，不能降为 {level}",
                path,
                *where,
            )
        else:
            valid[code] = level
    return valid


# --------------------------------------------------------------------------- issues


def issue_dirs(settings: Settings) -> list[Path]:
    """Issue folders (those holding an ``issue.yaml`` or named like one), sorted by name."""
    if not settings.issues_dir.is_dir():
        return []
    return sorted(
        p
        for p in settings.issues_dir.iterdir()
        if p.is_dir()
        and not p.name.startswith(".")
        and ((p / ISSUE_FILE).exists() or REGULAR_ID.match(p.name) or SPECIAL_ID.match(p.name))
    )


def load_issue(issue_dir: Path, reporter: Reporter) -> Issue | None:
    path = issue_dir / ISSUE_FILE
    if not path.is_file():
        reporter.add(rules.WORKSPACE, f"期刊目录 {issue_dir.name} 中缺少 {ISSUE_FILE}", issue_dir)
        return None
    text = read_source(path, reporter, issue_dir.parent.parent)
    values = parse_mapping(text, path, reporter) if text is not None else None
    if values is None:
        return None
    positions: dict[str, tuple[int, int]] = {}
    data = validate(
        values, ISSUE_SCHEMA, path, reporter, positions=positions, reference=SETTINGS_HELP
    )
    if not {"year", "number", "date"} <= data.keys():
        return None
    if "total" not in values and "special" not in values:
        reporter.add(
            rules.MISSING_FIELD, "缺少必填字段“total”（总期号）；专刊请写 special", path, 1, 1
        )
    return Issue(
        id=issue_dir.name,
        dir=issue_dir,
        year=data["year"],
        number=data["number"],
        date=data["date"],
        total=data.get("total"),
        special=data.get("special"),
        theme=data.get("theme"),
        **{key: data[key] for key in ("order", "published") if key in data},
        distribution=data.get("distribution"),
        credits=data.get("credits"),
        copies=data.get("copies"),
        positions=positions,
    )


@dataclass(frozen=True, slots=True)
class LoadedIssue:
    dir: Path
    issue: Issue | None
    articles: tuple[Article, ...]
    notes: tuple[tuple[Path, Note], ...] = ()


def article_files(issue_dir: Path, reporter: Reporter | None = None) -> list[Path]:
    files = []
    for path in sorted(issue_dir.iterdir()):
        if path.name.startswith(".") or path.name in (ISSUE_FILE, MANIFEST_FILE) or path.is_dir():
            continue
        if _is_article_name(path.name):
            files.append(path)
        elif reporter is not None:
            reporter.add(
                rules.STRAY_FILE,
                f"无法识别的文件 {path.name}：文稿应为 .md 或 .yaml；图片请放在 images/ 下",
                path,
            )
    return files


def _is_article_name(name: str) -> bool:
    return (
        not name.startswith(".") and name != ISSUE_FILE and name.lower().endswith(ARTICLE_SUFFIXES)
    )


def article_names(issue_dir: str) -> list[str]:
    """The names :func:`article_files` lists, without ``Path`` objects or a stat per file
    (``briefing search`` lists thousands of files before every query)."""
    with os.scandir(issue_dir) as entries:
        return sorted(e.name for e in entries if _is_article_name(e.name) and not _is_dir(e))


def _is_dir(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir()
    except OSError:  # a symlink loop: not a folder (reading it reports what it is)
        return False


def load_issue_folder(issue_dir: Path, settings: Settings, reporter: Reporter) -> LoadedIssue:
    issue = load_issue(issue_dir, reporter)
    articles: list[Article] = []
    notes: list[tuple[Path, Note]] = []
    for path in article_files(issue_dir, reporter):
        loaded = load_article(path, settings, reporter)
        if loaded is not None:
            article, article_notes = loaded
            articles.append(article)
            notes.extend((path, n) for n in article_notes)
    return LoadedIssue(issue_dir, issue, tuple(articles), tuple(notes))


# --------------------------------------------------------------------------- articles


def load_article(
    path: Path, settings: Settings, reporter: Reporter
) -> tuple[Article, list[Note]] | None:
    text = read_source(path, reporter, settings.root)
    if text is None:
        return None
    if path.suffix.lower() == ".md":
        parts = split_front_matter(text, path, reporter)
        if parts is None:
            return None
        meta_text, meta_line, body = parts
        values = parse_mapping(meta_text, path, reporter, line_offset=meta_line - 1)
        schema = ARTICLE_SCHEMA
    else:
        values = parse_mapping(text, path, reporter)
        body = None
        schema = YAML_ARTICLE_SCHEMA
    if values is None:
        return None
    data = validate(values, schema, path, reporter)  # a missing field is reported at line 1
    if body is None:
        body = _yaml_body(values, path, reporter)
    if settings.checks.require_source and "source" not in values:
        reporter.add(rules.MISSING_FIELD, "缺少必填字段“source”（供稿单位）", path, 1, 1)
    if "title" not in data:
        return None
    if not strip_comments(body.text).strip():
        reporter.add(rules.EMPTY_BODY, "文稿正文为空", path, body.line, 1)
    blocks, notes, syntax = parse_body(body, path.parent)
    located = {k: v.source for k, v in values.items() if v.source is not None and k != "body"}
    article = Article(
        path=path,
        title=data["title"],
        source=data.get("source"),
        blocks=blocks,
        body=body,
        syntax=syntax,
        fields=located,
        subtitle=data.get("subtitle"),
        column=data.get("column"),
        order=data.get("order"),
        note=data.get("note"),
        author=data.get("author"),
        instructions=tuple(Instruction(**i) for i in data.get("instructions", ())),
    )
    return article, notes


def split_front_matter(
    text: str, path: Path, reporter: Reporter
) -> tuple[str, int, SourceText] | None:
    """``(front matter text, its first line, body)``; reports a missing or unclosed block."""
    lines = text.split("\n")
    if not FRONT_MATTER_FENCE.match(lines[0]):
        reporter.add(
            rules.FRONT_MATTER,
            "Markdown 文稿应以 --- 开头的元数据块开始（title、source 等），以 --- 结束",
            path,
            1,
            1,
        )
        return None
    close = front_matter_end(lines)
    if close is None:
        reporter.add(rules.FRONT_MATTER, "元数据块没有结束：缺少第二个 --- 行", path, 1, 1)
        return None
    meta = "\n".join(lines[1:close])
    body = "\n".join(lines[close + 1 :])
    return meta, 2, SourceText(body, path, close + 2)


def _yaml_body(values: dict[str, Value], path: Path, reporter: Reporter) -> SourceText:
    value = values.get("body")
    if value is None:
        reporter.add(rules.MISSING_FIELD, "YAML 文稿缺少必填字段“body”（正文）", path, 1, 1)
        return SourceText("", path, 1)
    if value.source is None:
        return SourceText("", path, value.value_line)
    return value.source
