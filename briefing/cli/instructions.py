"""``briefing instruction``: record, list and remove 领导批示 in ``instructions.yaml``.

The register lives outside every issue (:mod:`briefing.instructions`), so a 批示 received after
an issue was signed is recorded without touching the signed files.
"""

from __future__ import annotations

from typing import Annotated

import typer

import briefing.cli.common as common
from briefing import cli_text
from briefing.cli.common import ChineseCommand, app, handles_errors
from briefing.cli.report import console, print_diagnostics, shown

instruction_app = typer.Typer(
    name="instruction",
    cls=cli_text.ChineseGroup,
    help="领导批示：登记、列出、删除（记在 instructions.yaml，不改动已签发的期刊）。",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)
app.add_typer(instruction_app)


@instruction_app.command("add", cls=ChineseCommand)
@handles_errors
def add(
    issue: Annotated[
        str,
        typer.Argument(metavar="期刊", help="期刊目录名，如 2018-028（也可以直接写文稿路径）。"),
    ],
    article: Annotated[
        str | None,
        typer.Argument(
            metavar="文稿",
            help="哪一篇：本期目录中的序号（1 是第一篇）、文件名（01-snail.md）或标题（全部或其中独有的一段）。",
        ),
    ] = None,
    by: Annotated[str | None, typer.Option("--by", help="批示人姓名，如 李明远。")] = None,
    position: Annotated[
        str | None, typer.Option("--position", help="批示人职务，如 区委书记（可选）。")
    ] = None,
    date: Annotated[
        str | None, typer.Option("--date", help="批示日期，如 2019-01-28 或 2019年1月28日。")
    ] = None,
    text: Annotated[
        str | None, typer.Option("--text", help="批示内容（可选；圈阅没有内容）。")
    ] = None,
) -> None:
    """登记一条领导批示：哪一篇文稿、谁、哪天、批示内容；已签发的期刊同样可以登记。"""
    from briefing.check import check_workspace
    from briefing.instructions import add_instruction, checked_instruction, find_target, parse_date
    from briefing.numbering import workspace_lock

    root = common.workspace_root()
    by = common.ask("批示人", by, "--by")
    if position is None and common.interactive():
        position = typer.prompt("职务（回车跳过）", default="", show_default=False).strip()
    day = parse_date(common.ask("批示日期（如 2019-01-28）", date, "--date"))
    if text is None and common.interactive():
        text = typer.prompt("批示内容（圈阅回车跳过）", default="", show_default=False)
    with workspace_lock(root):
        workspace = check_workspace(root, advice=False)
        target = find_target(workspace.issues, issue, article)
        instruction = checked_instruction(by, position, day, text, target)
        added = add_instruction(root, target, instruction)
    typer.echo(
        f"已登记第 {added.number} 条批示：{target.loaded.dir.name} 第 {target.number} 篇"
        f"《{target.article.title}》，{_who(instruction)}，{instruction.date.isoformat()}"
    )
    typer.echo(f"记在 {shown(added.path, root)}；已签发期刊的文件没有改动")


def _who(instruction) -> str:  # type: ignore[no-untyped-def]
    return instruction.by + (f"（{instruction.position}）" if instruction.position else "")


@instruction_app.command("list", cls=ChineseCommand)
@handles_errors
def list_instructions(
    issue: Annotated[
        str | None, typer.Argument(metavar="期刊", help="只列这一期的批示，如 2018-028。")
    ] = None,
) -> None:
    """列出领导批示：序号（删除时用）、期刊、文稿、批示人、日期、内容。"""
    from rich.table import Table
    from rich.text import Text

    from briefing.check import check_workspace
    from briefing.instructions import REGISTER_NAME, listing

    root = common.workspace_root()
    workspace = check_workspace(root, advice=False)
    rows = listing(root, workspace.issues, issue)
    _warn_register(workspace.diagnostics, root)
    if not rows:
        typer.echo("还没有登记领导批示；用 briefing instruction add 登记")
        return
    table = Table(title=f"领导批示（{REGISTER_NAME}）")
    for header in ("序号", "期刊", "文稿", "批示人", "日期", "批示内容"):
        table.add_column(header, overflow="fold")  # wrap long titles and 批示, never cut them
    for row in rows:
        number = str(row.number) if row.number is not None else "文稿内"
        cells = (
            number,
            row.issue,
            f"{row.article}《{row.title}》",
            _who(row.instruction),
            row.instruction.date.isoformat(),
            row.instruction.text or "（圈阅）",
        )
        table.add_row(*(Text(cell) for cell in cells))
    console().print(table)
    if any(row.number is None for row in rows):
        typer.echo(
            "“文稿内”的批示写在文稿的元数据中，照常统计；未签发的期刊可用 "
            "briefing instruction migrate 移到登记簿"
        )


def _warn_register(diagnostics, root) -> None:  # type: ignore[no-untyped-def]
    from briefing.instructions import REGISTER_NAME

    print_diagnostics([d for d in diagnostics if d.path and d.path.name == REGISTER_NAME], root)


@instruction_app.command("remove", cls=ChineseCommand)
@handles_errors
def remove(
    number: Annotated[
        int, typer.Argument(metavar="序号", help="briefing instruction list 显示的序号。")
    ],
) -> None:
    """删除一条登记错的批示（按 briefing instruction list 的序号）。"""
    from briefing.instructions import remove_instruction
    from briefing.numbering import workspace_lock

    root = common.workspace_root()
    with workspace_lock(root):
        removed = remove_instruction(root, number)
    text = f"：{removed.instruction.text}" if removed.instruction.text else ""
    typer.echo(
        f"已删除第 {removed.number} 条批示：{removed.issue} {removed.article}，"
        f"{_who(removed.instruction)}，{removed.instruction.date.isoformat()}{text}"
    )


@instruction_app.command("migrate", cls=ChineseCommand)
@handles_errors
def migrate_command(
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="只显示将移动的批示，不改动文件。")
    ] = False,
) -> None:
    """把未签发文稿元数据中的 instructions 移到批示登记簿；已签发的期刊一字不改。"""
    from briefing.check import check_workspace
    from briefing.instructions import REGISTER_NAME, migrate
    from briefing.numbering import workspace_lock

    root = common.workspace_root()
    with workspace_lock(root):
        workspace = check_workspace(root, advice=False)
        report = migrate(root, workspace.issues, dry_run=dry_run)
    print_diagnostics(report.skipped, root)
    verb = "将移到" if dry_run else "已移到"
    for moved in report.moved:
        typer.echo(f"{shown(moved.path, root)}：{moved.count} 条批示{verb} {REGISTER_NAME}")
    for issue_id, count in report.kept:
        typer.echo(
            f"期刊 {issue_id} 已签发：文稿中的 {count} 条批示留在原处（签发后的文件不能改动），照常统计"
        )
    if not report.moved and not report.kept:
        typer.echo("文稿中没有写在元数据里的批示，无需迁移")
