"""Create workspaces and articles from templates (``briefing init`` / ``briefing new-article``)."""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from pathlib import Path

from briefing.chars import slug as file_slug
from briefing.config import scaffold_yaml
from briefing.errors import UsageError
from briefing.load import CONFIG_NAME, MANIFEST_FILE, article_files, issue_dirs, load_issue
from briefing.model import Issue, Settings
from briefing.numbering import workspace_lock
from briefing.rules import Reporter
from briefing.textio import safe_folder, write_atomic


def _yaml_string(text: str) -> str:
    """A YAML double-quoted scalar (safe for colons, quotes and leading symbols)."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'


def create_workspace(
    directory: Path,
    *,
    name: str,
    issuer: str,
    readership: str | None = None,
    classification: str | None = None,
    editor: str | None = None,
    approver: str | None = None,
    numbering_format: str | None = None,
    previous: tuple[int, int, int] | None = None,
    distribution: Sequence[tuple[str, str]] | None = None,
    copies: int | None = None,
) -> Path:
    from briefing.identifiers import single_line

    for label, value in (
        ("简报名称", name),
        ("编印单位", issuer),
        ("阅读范围", readership),
        ("密级标识", classification),
        ("编辑", editor),
        ("签发人", approver),
    ):
        if value:
            single_line(label, value)
    root = directory.resolve()
    if (root / CONFIG_NAME).exists():
        raise UsageError(f"{root} 已经是简报工作区（{CONFIG_NAME} 已存在）")
    values: dict[str, object] = {"name": name}
    if readership:
        values["readership"] = readership
    if classification:
        values["classification"] = classification
    values["issuer"] = issuer
    # suggestions for a new office, not defaults: the 版记 is empty unless configured
    numbering: dict[str, object] = {}
    if numbering_format:
        numbering["format"] = numbering_format
    if previous:
        numbering["previous"] = dict(zip(("year", "number", "total"), previous, strict=True))
    if numbering:
        values["numbering"] = numbering
    values["distribution"] = tuple(distribution or (("报", "委领导"), ("发", "各有关部门")))
    credits = [("编辑", editor), ("签发", approver)]
    if editor or approver:
        values["credits"] = tuple((label, text) for label, text in credits if text)
    if copies:
        values["copies"] = copies
    # the folder the user named is created as they wrote it; nothing below it is a symlink
    safe_folder(root / "issues", root)
    safe_folder(root / "templates", root)
    write_atomic(root / CONFIG_NAME, scaffold_yaml(values), root=root)
    gitignore = root / ".gitignore"
    if not os.path.lexists(gitignore):
        write_atomic(gitignore, "/build/\n.briefing.lock\n/.briefing/\n", root=root)
    return root


ARTICLE_TEMPLATE = """---
title: {title}
source: {source}
{column}---

<!-- 在此撰写正文，写好后删除本行。一级标题写作“## 一、……”，二级写作“### （一）……”。 -->
"""


def default_issue(settings: Settings) -> Issue:
    """The latest issue that is not yet published (签发)."""
    reporter = Reporter()
    issues = [i for d in issue_dirs(settings) if (i := load_issue(d, reporter)) is not None]
    open_issues = [i for i in issues if not i.published]
    if not open_issues:
        raise UsageError("没有未签发的期刊；先运行 briefing new-issue 分配新一期")
    return max(open_issues, key=lambda i: (i.date, i.year, i.number, i.id))


def issue_folder(settings: Settings, issue_id: str | None) -> Path:
    """The folder of issue *issue_id*, or of the latest unpublished issue."""
    if issue_id:
        folder = settings.issues_dir / Path(issue_id).name
        if folder.name in ("", ".", "..") or not (folder / "issue.yaml").is_file():
            raise UsageError(f"找不到期刊“{issue_id}”（{folder} 中没有 issue.yaml）")
        issue = load_issue(folder, Reporter())
        if os.path.lexists(folder / MANIFEST_FILE) or (issue is not None and issue.published):
            raise UsageError(f"期刊 {folder.name} 已签发，不能再加稿；请放进新的一期")
        return folder
    return default_issue(settings).dir


def create_article(
    settings: Settings,
    *,
    title: str,
    source: str,
    issue_id: str | None = None,
    column: str | None = None,
    slug: str | None = None,
) -> Path:
    from briefing.identifiers import single_line
    from briefing.identifiers import slug as checked_slug

    title, source = single_line("标题", title), single_line("供稿单位", source)
    column = single_line("栏目", column) if column else column
    folder = issue_folder(settings, issue_id)
    text = ARTICLE_TEMPLATE.format(
        title=_yaml_string(title),
        source=_yaml_string(source),
        column=f"column: {_yaml_string(column)}\n" if column else "",
    )
    cleaned = checked_slug(file_slug(slug)) if slug else ""
    suffix = f"-{cleaned}" if cleaned else ""
    with workspace_lock(settings.root):
        number = _next_article_number(folder)
        path = folder / f"{number:02d}{suffix}.md"
        write_atomic(path, text, root=settings.root)
    return path


def _next_article_number(folder: Path) -> int:
    numbers = [int(m.group()) for p in article_files(folder) if (m := re.match(r"\d+", p.name))]
    return max(numbers, default=0) + 1
