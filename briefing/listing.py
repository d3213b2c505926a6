"""The issue register shown by ``briefing list``: one row per issue folder with its status."""

from __future__ import annotations

from dataclasses import dataclass

from briefing.errors import Severity
from briefing.numbering import date_text, issue_label
from briefing.workspace import Workspace, select


@dataclass(frozen=True, slots=True)
class RegisterRow:
    issue_id: str
    label: str
    date: str
    articles: int
    status: str
    instructions: int = 0  # 领导批示 received on the issue's articles


def register_rows(workspace: Workspace) -> list[RegisterRow]:
    rows = []
    for loaded in workspace.issues:
        instructions = sum(len(a.instructions) for a in loaded.articles)
        errors = sum(
            d.severity is Severity.ERROR
            for d in select(workspace.diagnostics, [loaded.dir], workspace.settings.root)
        )
        issue = loaded.issue
        if issue is None:
            rows.append(
                RegisterRow(
                    loaded.dir.name,
                    "？",
                    "？",
                    len(loaded.articles),
                    f"有 {errors} 个错误",
                    instructions,
                )
            )
            continue
        if errors:
            status = f"有 {errors} 个错误"
        elif issue.published:
            status = "已签发"
        elif not loaded.articles:
            status = "待组稿"
        else:
            status = "编辑中"
        rows.append(
            RegisterRow(
                loaded.dir.name,
                issue_label(workspace.settings.numbering, issue),
                date_text(issue.date),
                len(loaded.articles),
                status,
                instructions,
            )
        )
    return rows
