"""Commands that check: the articles (``check``), the rule list (``rules``), the settings
reference (``settings``), the machine (``doctor``)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

import briefing.cli.common as common
from briefing.cli.common import ChineseCommand, app, handles_errors
from briefing.cli.report import (
    FindingsFormat,
    console,
    printable,
    report_findings,
    report_fixes,
)

if TYPE_CHECKING:
    from rich.console import Console

    from briefing.render.converter import WarmStatus

from briefing.errors import BriefingError, ExitCode, Severity, UsageError

# --------------------------------------------------------------------------- check


@app.command(cls=ChineseCommand)
@handles_errors
def check(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(metavar="路径...", help="只报告这些文件或目录的问题；默认整个工作区。"),
    ] = None,
    output: Annotated[
        FindingsFormat, typer.Option("--format", help="输出格式：text、json 或 github。")
    ] = FindingsFormat.text,
    strict: Annotated[
        bool, typer.Option("--strict", help="有警告也以失败（退出码 1）结束。")
    ] = False,
    fix: Annotated[
        bool,
        typer.Option(
            "--fix",
            help="就地修正可安全修正的标点、省略号、破折号、全角字母数字、起止号、数字写法和错别字。",
        ),
    ] = False,
    diff: Annotated[
        bool, typer.Option("--diff", help="显示 --fix 会做的修改，但不写入文件。")
    ] = False,
) -> None:
    """校验工作区、期刊和文稿：字段、期号、图片、标点、结构、内容。"""
    from briefing.check import check_workspace
    from briefing.identifiers import inside
    from briefing.workspace import select

    root = common.workspace_root()
    targets = [common.user_path(p) for p in paths or []]
    for target in targets:
        if not target.exists():
            raise UsageError(f"找不到 {target}")
        if not inside(target, root):
            raise UsageError(f"{target} 不在工作区 {root} 中")
    unfixed = 0
    if fix or diff:
        from briefing.proofread.fix import fix_files

        unfixed = report_fixes(fix_files(root, targets, write=fix), root, written=fix)
    workspace = check_workspace(root, keep_articles=False)
    findings = select(workspace.diagnostics, targets, root)
    report_findings(findings, output, root)
    if unfixed:
        console(stderr=True).print(f"错误：{unfixed} 个文件未能修正（见上）", markup=False)
        raise typer.Exit(int(ExitCode.USAGE))
    errors = sum(d.severity is Severity.ERROR for d in findings)
    if errors or (strict and findings):
        raise typer.Exit(int(ExitCode.INPUT))


# --------------------------------------------------------------------------- rules


@app.command("rules", cls=ChineseCommand)
def list_rules(
    markdown: Annotated[
        bool, typer.Option("--markdown", help="输出 Markdown 表格（即 docs/rules.md）。")
    ] = False,
) -> None:
    """列出全部检查规则：代码、级别、类别和说明。"""
    from briefing.rules import RULES, rules_markdown

    if markdown:
        typer.echo(rules_markdown(), nl=False)
        return
    # One plain line per rule, never a table: a table cuts descriptions to the terminal width
    # (and to 80 columns when piped); a long line is wrapped by the terminal instead. The
    # Chinese names are padded to one display width so the columns after them line up.
    ordered = list(RULES.values())  # as declared: F, M, N, R, P, H, then T, S, C
    width = max(display_width(rule.title) for rule in ordered)
    for rule in ordered:
        fixable = "（可自动修正）" if rule.fixable else ""
        padding = " " * (width - display_width(rule.title))
        typer.echo(
            f"{rule.code}  {rule.title}{padding}  {rule.severity.label}  {rule.category}  "
            f"{rule.summary}{fixable}"
        )


def display_width(text: str) -> int:
    """Terminal columns of *text*: CJK and full-width characters take two."""
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


# --------------------------------------------------------------------------- settings


@app.command("settings", cls=ChineseCommand)
@handles_errors
def settings_reference(
    name: Annotated[
        str | None,
        typer.Argument(
            metavar="名称",
            help="只看这一项或这一组设置，如 layout.masthead_size、layout、masthead_size。",
        ),
    ] = None,
    markdown: Annotated[
        bool, typer.Option("--markdown", help="输出 Markdown 表格（即 docs/config.md）。")
    ] = False,
) -> None:
    """设置说明：briefing.yaml 和 issue.yaml 每一项设置的类型、默认值、取值范围。"""
    from briefing import config

    if markdown:
        typer.echo(config.config_markdown(), nl=False)
        return
    try:
        typer.echo(config.settings_text(name), nl=False)
    except config.UnknownSetting as unknown:
        close = "、".join(f"“{c}”" for c in unknown.close)
        raise UsageError(
            f"没有“{unknown.name}”这项设置" + (f"，是不是{close}？" if close else ""),
            hint="运行 briefing settings 查看全部设置",
        ) from None


# --------------------------------------------------------------------------- doctor


@app.command(cls=ChineseCommand)
@handles_errors
def doctor() -> None:
    """检查本机环境：LibreOffice，以及每种字体角色实际会用到的字体。"""
    from rich.table import Table
    from rich.text import Text

    from briefing.doctor import doctor_report
    from briefing.model import Fonts

    try:
        root: Path | None = common.workspace_root()
        fonts = common.workspace_settings().fonts
    except BriefingError:
        root, fonts = None, Fonts()
    report = doctor_report(fonts, root)
    out = console()
    if report.soffice:
        out.print(
            f"LibreOffice：{report.soffice}（{report.soffice_version or '版本未知'}）", markup=False
        )
    else:
        out.print(
            "LibreOffice：未安装（生成 PDF 需要它：apt-get install libreoffice-writer-nogui）",
            markup=False,
        )
    _print_warm_path(out, report.warm)
    table = Table(title="字体角色")
    for header in ("角色", "设置的字体", "实际使用", "结果"):
        table.add_column(header)
    for row in report.rows:
        cells = (
            row.role,
            row.requested,
            row.resolved or "（无）",
            "匹配" if row.exact else "替代字体",
        )
        table.add_row(*(Text(printable(cell)) for cell in cells))
    out.print(table)


def _print_warm_path(out: Console, warm: WarmStatus | None) -> None:
    if warm is None:
        return
    if warm.available:
        out.print(
            f"常驻 LibreOffice（预览的印刷版、批量转换）：可用（{warm.python} 带有 uno 模块）",
            markup=False,
        )
    else:
        out.print(
            f"常驻 LibreOffice（预览的印刷版、批量转换）：不可用。{warm.reason}", markup=False
        )
    if warm.serving is not None:
        out.print(
            "本工作区的 briefing preview 正在运行：PDF 转换将由它的 LibreOffice 完成", markup=False
        )
