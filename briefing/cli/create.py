"""Commands that create: a workspace, an issue number, an article, articles imported from Word."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated, Any

import typer

import briefing.cli.common as common
from briefing.cli.common import ChineseCommand, app, handles_errors
from briefing.cli.report import echo, print_diagnostics, printable, write
from briefing.errors import ExitCode, UsageError

# --------------------------------------------------------------------------- init


@app.command(cls=ChineseCommand)
@handles_errors
def init(
    directory: Annotated[
        Path, typer.Argument(metavar="目录", help="新工作区的目录，默认当前目录。", file_okay=False)
    ] = Path("."),
    name: Annotated[
        str | None, typer.Option("--name", help="简报名称（红色报头），如“滨江新区信息”。")
    ] = None,
    issuer: Annotated[
        str | None, typer.Option("--issuer", help="编印单位，如“滨江新区党政办公室”。")
    ] = None,
    readership: Annotated[
        str | None, typer.Option("--readership", help="阅读范围，如“领导参阅”（可选）。")
    ] = None,
    classification: Annotated[
        str | None, typer.Option("--classification", help="左上角密级或内部资料标识（可选）。")
    ] = None,
    editor: Annotated[
        str | None, typer.Option("--editor", help="版记中的编辑姓名（可选）。")
    ] = None,
    approver: Annotated[
        str | None, typer.Option("--approver", help="版记中的签发人姓名（可选）。")
    ] = None,
) -> None:
    """创建简报工作区：briefing.yaml、issues/ 和 templates/。"""
    from briefing.scaffold import create_workspace

    if common.interactive() and not (name and issuer):
        fields = _init_questions(name, issuer, readership, classification, editor, approver)
    else:
        fields = {
            "name": common.ask("简报名称", name, "--name"),
            "issuer": common.ask("编印单位", issuer, "--issuer"),
            "readership": readership,
            "classification": classification,
            "editor": editor,
            "approver": approver,
        }
    root = create_workspace(directory, **fields)
    echo(f"已创建工作区 {root}")
    typer.echo(
        "下一步：briefing new-issue 分配期号，briefing new-article 添加文稿；briefing settings 查看每一项设置的说明"
    )


def _init_questions(
    name: str | None,
    issuer: str | None,
    readership: str | None,
    classification: str | None,
    editor: str | None,
    approver: str | None,
) -> dict[str, Any]:
    """Every field a bulletin needs, asked in the order it is printed; Enter takes the default."""

    def ask(label: str, given: str | None, default: str = "", required: bool = False) -> str:
        while given is None:
            answer = typer.prompt(
                label, default=default, show_default=bool(default), prompt_suffix="："
            ).strip()
            if answer or not required:
                return answer
            typer.echo(f"{label}不能为空")
        return given

    fields: dict[str, Any] = {
        "name": ask("简报名称（红色报头）", name, required=True),
        "readership": ask("阅读范围（印在名称下，回车不印）", readership, "领导参阅") or None,
        "classification": ask("左上角标识（回车不印）", classification, "内部资料 注意保存")
        or None,
        "issuer": ask("编印单位", issuer, required=True),
        "numbering_format": ask("期号格式", None, "第{number_cn}期（总第{total}期）"),
        "previous": _previous_answer(
            ask("此前最后一期：年份 期号 总期号（如 2018 27 645；新创办回车）", None)
        ),
        "distribution": _distribution_answer(
            ask("版记报送范围（标签: 单位，用；分隔）", None, "报: 委领导；发: 各有关部门")
        ),
        "editor": ask("编辑", editor, required=True),
        "approver": ask("签发", approver, required=True),
        "copies": _copies_answer(ask("印数（共印N份，回车不印）", None)),
    }
    return fields


def _previous_answer(text: str) -> tuple[int, int, int] | None:
    if not text:
        return None
    parts = text.replace("-", " ").replace(",", " ").split()
    if len(parts) != 3 or not all(p.isdigit() for p in parts):
        raise UsageError(f"“{text}”应写成 年份 期号 总期号，如 2018 27 645")
    year, number, total = (int(p) for p in parts)
    return year, number, total


def _distribution_answer(text: str) -> list[tuple[str, str]]:
    pairs = []
    for item in text.replace(";", "；").split("；"):
        label, sep, units = item.replace(":", "：").partition("：")
        if not sep or not label.strip() or not units.strip():
            raise UsageError(f"版记“{item.strip()}”应写成 标签: 单位，如 报: 委领导")
        pairs.append((label.strip(), units.strip()))
    return pairs


def _copies_answer(text: str) -> int | None:
    if not text:
        return None
    if not text.isdigit() or int(text) == 0:
        raise UsageError(f"印数“{text}”应是正整数")
    return int(text)


# --------------------------------------------------------------------------- new-issue


def _parse_date(text: str | None) -> dt.date:
    if text is None:
        # The only place briefing reads the clock: a new issue is dated today unless told.
        return dt.date.today()
    import re

    match = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", text.strip())
    if match is None:
        raise UsageError(f"日期“{text}”格式不对，应写成 2018-12-20")
    try:
        return dt.date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        raise UsageError(
            f"日期“{text}”不存在：{int(match[1])}年没有{int(match[2])}月{int(match[3])}日"
        ) from None


@app.command("new-issue", cls=ChineseCommand)
@handles_errors
def new_issue(
    date: Annotated[
        str | None, typer.Option("--date", help="出刊日期，如 2018-12-20；默认今天。")
    ] = None,
    special: Annotated[
        str | None,
        typer.Option("--special", help="专刊/增刊名称（单独编号，不占总期号），如“专刊”。"),
    ] = None,
    backfill: Annotated[
        bool,
        typer.Option(
            "--backfill",
            help="补编漏掉的一期：使用登记簿中前后两期之间跳过的期号与总期号，日期须在两期之间。",
        ),
    ] = False,
) -> None:
    """分配下一期的期号与总期号，创建期刊目录并显示期号。"""
    from briefing.load import load_issue
    from briefing.numbering import allocate_issue, issue_label
    from briefing.rules import Reporter

    settings = common.workspace_settings()
    allocation = allocate_issue(settings, _parse_date(date), special, backfill=backfill)
    issue = load_issue(settings.issues_dir / allocation.id, Reporter())
    label = issue_label(settings.numbering, issue) if issue else ""
    write(f"{printable(allocation.id)}\t{printable(label)}\n")


# --------------------------------------------------------------------------- new-article


@app.command("new-article", cls=ChineseCommand)
@handles_errors
def new_article(
    title: Annotated[str | None, typer.Option("--title", help="文稿标题。")] = None,
    source: Annotated[
        str | None, typer.Option("--source", help="供稿单位，印在文末括号内。")
    ] = None,
    issue: Annotated[
        str | None,
        typer.Option("--issue", help="期刊目录名，如 2018-028；默认最新一期未签发的期刊。"),
    ] = None,
    column: Annotated[
        str | None, typer.Option("--column", help="栏目（可选），目录按栏目分组。")
    ] = None,
    slug: Annotated[
        str | None, typer.Option("--slug", help="文件名中序号之后的部分（可选），如 snail。")
    ] = None,
) -> None:
    """按模板新建一篇文稿（Markdown），文件名自动编号。"""
    from briefing.scaffold import create_article

    settings = common.workspace_settings()
    title = common.ask("标题", title, "--title")
    source = common.ask("供稿单位", source, "--source")
    path = create_article(
        settings, title=title, source=source, issue_id=issue, column=column, slug=slug
    )
    echo(str(path.relative_to(settings.root)))


# --------------------------------------------------------------------------- import


@app.command("import", cls=ChineseCommand)
@handles_errors
def import_command(
    files: Annotated[
        list[Path],
        typer.Argument(
            metavar="文件...", help="供稿单位报送的 .docx/.doc/.wps/.rtf/.odt/.txt 文件。"
        ),
    ],
    issue: Annotated[
        str | None,
        typer.Option("--issue", help="期刊目录名，如 2018-028；默认最新一期未签发的期刊。"),
    ] = None,
    source: Annotated[
        str | None,
        typer.Option("--source", help="文中找不到供稿单位时使用的供稿单位（优先于文件名）。"),
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="只显示将写入的文稿，不写文件。")
    ] = False,
    force: Annotated[
        bool, typer.Option("--force", help="本期已有同标题或同文件名的文稿时，覆盖它。")
    ] = False,
) -> None:
    """把报送的 Word 或文本文件转换为本期文稿（Markdown），识别标题、供稿单位、小标题和图片。"""
    from briefing.cli.progress import terminal_progress
    from briefing.errors import display_path
    from briefing.importing.batch import import_files

    settings = common.workspace_settings()
    with terminal_progress() as progress:
        report = import_files(
            settings,
            files,
            issue_id=issue,
            source=source,
            dry_run=dry_run,
            force=force,
            progress=progress,
        )
    root = settings.root
    print_diagnostics(report.diagnostics, None)
    for item in report.written:
        art = item.article
        verb = "将写入" if dry_run else ("已覆盖" if item.replaced else "已导入")
        echo(
            f"{item.file.name} → {verb} {display_path(item.path, Path.cwd(), root)}："
            f"标题“{art.title}”，供稿单位“{art.source or '（无）'}”，"
            f"小标题 {art.headings} 个，图片 {art.pictures} 张（{item.kind}）"
        )
        if item.guessed:
            echo(f"  请核对以下推测所得的字段：{'；'.join(item.guessed)}")
        if dry_run:
            write(printable(item.text, lines=True) + "\n")
    if report.failed:
        raise typer.Exit(int(ExitCode.INPUT))
