"""The issue register (``briefing list``) and the full rule list (``briefing rules``)."""

from __future__ import annotations

from dataclasses import dataclass

from briefing.check import Workspace, select
from briefing.errors import Severity
from briefing.numbering import date_text, issue_label


@dataclass(frozen=True, slots=True)
class RegisterRow:
    issue_id: str
    label: str
    date: str
    articles: int
    status: str


def register_rows(workspace: Workspace) -> list[RegisterRow]:
    rows = []
    for loaded in workspace.issues:
        errors = sum(
            d.severity is Severity.ERROR
            for d in select(workspace.diagnostics, [loaded.dir], workspace.settings.root)
        )
        issue = loaded.issue
        if issue is None:
            rows.append(
                RegisterRow(
                    loaded.dir.name, "？", "？", len(loaded.articles), f"有 {errors} 个错误"
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
            )
        )
    return rows


def load_all_rules() -> None:
    """Import the modules that register rules, so the registry is complete."""
    import briefing.proofread  # noqa: F401


def rules_markdown() -> str:
    """The rule list as Markdown (``docs/rules.md`` is this text; a test keeps them in sync)."""
    from briefing.rules import RULES

    load_all_rules()
    lines = [
        "# 检查规则",
        "",
        "由 `briefing rules --markdown > docs/rules.md` 生成。级别可在 `briefing.yaml` 的",
        "`checks.severity` 中按代码调整（error / warning / off）；“可修正”的规则由",
        "`briefing check --fix` 自动修正。",
        "",
        "| 代码 | 名称 | 默认级别 | 类别 | 可修正 | 说明 |",
        "|---|---|---|---|---|---|",
    ]
    for rule in sorted(RULES.values(), key=lambda r: r.code):
        fixable = "是" if rule.fixable else ""
        lines.append(
            f"| {rule.code} | `{rule.name}` | {rule.severity.label} | {rule.category} | {fixable} | {rule.summary} |"
        )
    return "\n".join(lines) + "\n"
