"""Commands that produce the bulletin: ``build``, ``publish`` (签发) and the live ``preview``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

import briefing.cli.common as common
from briefing.cli.common import ChineseCommand, Terminated, app, handles_errors
from briefing.cli.report import echo, report_build, shown
from briefing.errors import UsageError

# --------------------------------------------------------------------------- build


@app.command(cls=ChineseCommand)
@handles_errors
def build(
    issue: Annotated[
        str | None, typer.Argument(metavar="期刊", help="期刊目录名，如 2018-028；默认最新一期。")
    ] = None,
    formats: Annotated[
        str, typer.Option("--format", help="输出格式，逗号分隔：docx,html,pdf。")
    ] = "docx,html",
    out: Annotated[
        Path | None,
        typer.Option("--out", help="输出目录；默认 build/<期刊目录名>/。", file_okay=False),
    ] = None,
    draft: Annotated[
        bool, typer.Option("--draft", help="在每页加“样稿”标记，供内部审阅。")
    ] = False,
) -> None:
    """生成一期简报：红头 DOCX、HTML，以及经 LibreOffice 转换的 PDF。"""
    from briefing.build import build_issue, parse_formats
    from briefing.check import advice_can_fail, check_workspace
    from briefing.cli.progress import quiet_unless_pdf

    wanted = parse_formats(formats)
    root = common.workspace_root()
    workspace = check_workspace(root, advice=advice_can_fail(root))
    target = common.output_folder(out, root)
    with quiet_unless_pdf(wanted) as progress:
        result = build_issue(workspace, issue, wanted, target, draft=draft, progress=progress)
    report_build(result, root)


# --------------------------------------------------------------------------- publish


@app.command(cls=ChineseCommand)
@handles_errors
def publish(
    issue: Annotated[str, typer.Argument(metavar="期刊", help="期刊目录名，如 2018-028。")],
    undo: Annotated[
        bool,
        typer.Option(
            "--undo",
            help="撤销签发（仅用于误签）：删除 issue.yaml 中的 published: true 和签发记录 "
            "manifest.json；已生成的文件不动。",
        ),
    ] = False,
    formats: Annotated[
        str, typer.Option("--format", help="签发时生成并记录的格式，逗号分隔。")
    ] = "docx,html,pdf",
    out: Annotated[
        Path | None,
        typer.Option("--out", help="输出目录；默认 build/<期刊目录名>/。", file_okay=False),
    ] = None,
) -> None:
    """签发一期：生成输出，标为已签发，并记录全部输入与输出文件的 SHA-256（manifest.json）。"""
    from briefing.build import parse_formats

    root = common.workspace_root()
    if undo:
        _undo_publish(root, issue)
        return
    from briefing.cli.progress import terminal_progress
    from briefing.publish import publish_issue

    target = common.output_folder(out, root)
    with terminal_progress() as progress:
        result = publish_issue(root, issue, parse_formats(formats), target, progress=progress)
    echo(f"已签发 {result.issue_id}")
    echo(
        f"签发记录：{shown(result.manifest, root)}（{result.inputs} 个输入文件、"
        f"{len(result.outputs)} 个输出文件的 SHA-256）"
    )
    for path in result.outputs:
        echo(shown(path, root))


def _undo_publish(root: Path, issue: str) -> None:
    from briefing.build import resolve_issue
    from briefing.check import check_workspace
    from briefing.numbering import workspace_lock
    from briefing.publish import undo_publish

    with workspace_lock(root):
        loaded = resolve_issue(check_workspace(root, advice=False), issue)
        result = undo_publish(loaded, root)
    echo(f"已撤销 {result.issue_id} 的签发：")
    if result.unmarked:
        echo(f"- issues/{result.issue_id}/issue.yaml：删除了 published: true")
    if result.manifest is not None:
        echo(
            f"- 删除了签发记录 {shown(result.manifest, root)}"
            f"（记录了 {result.recorded_inputs} 个输入文件和 {len(result.recorded_outputs)} 个输出文件）"
        )
    echo("- 已生成的输出文件没有改动；文稿可以再修改，改好后重新运行 briefing publish")


# --------------------------------------------------------------------------- preview


@app.command(cls=ChineseCommand)
@handles_errors
def preview(
    issue: Annotated[
        str | None, typer.Argument(metavar="期刊", help="期刊目录名，如 2018-028；默认最新一期。")
    ] = None,
    port: Annotated[int, typer.Option("--port", help="端口；默认自动选择空闲端口。")] = 0,
) -> None:
    """在本机浏览器中预览一期 HTML 版与印刷版：保存文稿后自动刷新，按 Ctrl-C 停止。"""
    from briefing.paged import Pages
    from briefing.preview import Page, serve

    root = common.workspace_root()

    def announce(url: str) -> None:
        echo("保存文稿后页面自动刷新；按 Ctrl-C 停止", err=True)
        echo(f"预览地址：{url}")
        echo(f"印刷版（分页）：{url}print")

    def rebuilt(page: Page, seconds: float) -> None:
        outcome = "已更新" if page.ok else "有错误，页面显示错误列表"
        echo(f"{outcome}（{seconds * 1000:.0f} 毫秒）", err=True)

    def paged(pages: Pages) -> None:
        echo(f"印刷版已更新：共 {len(pages.sizes)} 页（{pages.seconds:.1f} 秒）", err=True)

    def note(text: str) -> None:
        echo(text, err=True)

    try:
        serve(root, issue, port, announce, rebuilt, paged, note)
    except OSError as error:
        raise UsageError(f"无法在端口 {port} 上启动预览：{error.strerror or error}") from None
    except Terminated:  # SIGTERM: someone else stopped it
        typer.echo("预览已停止（收到终止信号）", err=True)
        raise typer.Exit(143) from None
    except KeyboardInterrupt:  # Ctrl-C is how a preview is meant to end: not an abort
        typer.echo("预览已停止", err=True)
