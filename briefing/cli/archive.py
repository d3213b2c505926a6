"""Commands over the whole archive: the register (``list``), ``search``, ``stats`` and ``site``."""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

import briefing.cli.common as common
from briefing.cli.common import ChineseCommand, app, handles_errors
from briefing.cli.report import (
    console,
    echo,
    json_text,
    may_be_terminal,
    print_diagnostics,
    printable,
    shown,
    write,
)
from briefing.errors import Diagnostic, ExitCode, Severity, UsageError

if TYPE_CHECKING:
    from briefing.search import Hit
    from briefing.stats import Stats

# --------------------------------------------------------------------------- list


@app.command("list", cls=ChineseCommand)
@handles_errors
def list_issues() -> None:
    """期刊登记簿：期刊目录、期号、日期、文稿数、领导批示数、状态。"""
    from rich.table import Table
    from rich.text import Text

    from briefing.check import check_workspace
    from briefing.listing import register_rows

    workspace = check_workspace(common.workspace_root(), advice=False)
    table = Table(title=f"{workspace.settings.name} 期刊登记簿")
    for header in ("期刊", "期号", "日期", "文稿", "批示", "状态"):
        table.add_column(header)
    rows = register_rows(workspace)
    for row in rows:
        # Text, not markup: a 期号 format such as "[{year}]第{number}期" must print as written
        cells = (
            row.issue_id,
            row.label,
            row.date,
            str(row.articles),
            str(row.instructions),
            row.status,
        )
        table.add_row(*(Text(printable(cell)) for cell in cells))
    if rows:
        console().print(table)
    else:
        typer.echo("还没有期刊；运行 briefing new-issue 分配第一期")


# --------------------------------------------------------------------------- search


class SearchFormat(StrEnum):
    text = "text"
    json = "json"


@app.command("search", cls=ChineseCommand)
@handles_errors
def search_command(
    words: Annotated[
        list[str],
        typer.Argument(metavar="关键词...", help="关键词；多个关键词须同时出现在一篇文稿中。"),
    ],
    year: Annotated[int | None, typer.Option("--year", help="只查这一年的期刊，如 2018。")] = None,
    source: Annotated[
        str | None, typer.Option("--source", help="只查这个供稿单位的文稿（含 units 别名）。")
    ] = None,
    output: Annotated[
        SearchFormat, typer.Option("--format", help="输出格式：text 或 json。")
    ] = SearchFormat.text,
) -> None:
    """全文检索全部期刊的标题、副题、编者按、正文、供稿单位和领导批示；没有结果时退出码为 1。"""
    from briefing.search import as_json, dated_label, make_query, marked, search

    query = make_query(words, year, source)
    root = common.workspace_root()
    from briefing.cli.progress import terminal_progress

    with terminal_progress() as progress:
        found = search(root, query, progress=progress)
    print_diagnostics(found.notices, root)
    hits = found.hits
    if output is SearchFormat.json:
        write(json_text([as_json(h) for h in hits]) + "\n")
        if not hits:
            raise typer.Exit(int(ExitCode.INPUT))  # like grep: a script can tell
        return
    heads = [
        printable(f"{hit.path}:{hit.line}: {dated_label(hit)} 《{hit.title}》 ") for hit in hits
    ]
    if hits and may_be_terminal() and (out := console()).is_terminal:
        from rich.text import Text

        lines = Text()
        for head, hit in zip(heads, hits, strict=True):
            lines.append(head)
            for start, end, style in _pieces(hit):
                lines.append(printable(hit.snippet[start:end]), style=style)
            lines.append("\n")
        out.print(lines, end="")
    elif hits:  # piped: plain text with the keywords in 【】, written in one go
        write(
            "".join(h + printable(marked(hit)) + "\n" for h, hit in zip(heads, hits, strict=True))
        )
    if not hits:
        echo(f"没有找到“{' '.join(query.terms)}”", err=True)
        raise typer.Exit(int(ExitCode.INPUT))  # like grep: a script can tell


def _pieces(hit: Hit) -> list[tuple[int, int, str | None]]:
    """The snippet cut into plain and highlighted pieces."""
    pieces: list[tuple[int, int, str | None]] = []
    last = 0
    for start, end in hit.spans:
        pieces += [(last, start, None), (start, end, "bold red")]
        last = end
    return [*pieces, (last, len(hit.snippet), None)]


# --------------------------------------------------------------------------- stats


class StatsFormat(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"
    xlsx = "xlsx"
    docx = "docx"
    pdf = "pdf"


BINARY_FORMATS = (StatsFormat.xlsx, StatsFormat.docx, StatsFormat.pdf)


class StatsBy(StrEnum):
    source = "source"
    month = "month"
    quarter = "quarter"


@app.command("stats", cls=ChineseCommand)
@handles_errors
def stats_command(
    start: Annotated[
        str | None, typer.Option("--from", help="起始月份，如 2019-01（也可写 2019 或具体日期）。")
    ] = None,
    end: Annotated[str | None, typer.Option("--to", help="截止月份，如 2019-12（含）。")] = None,
    by: Annotated[
        StatsBy, typer.Option("--by", help="按 source（供稿单位）、month 或 quarter 汇总。")
    ] = StatsBy.source,
    output: Annotated[
        StatsFormat,
        typer.Option(
            "--format",
            help="输出格式：table、csv、json、xlsx，或 docx / pdf（信息采用情况通报，pdf 需要 LibreOffice）。",
        ),
    ] = StatsFormat.table,
    out: Annotated[
        Path | None,
        typer.Option("--out", help="写入文件（xlsx、docx、pdf 必须指定）。", dir_okay=False),
    ] = None,
    published_only: Annotated[
        bool, typer.Option("--published-only", help="只统计已签发的期刊。")
    ] = False,
    date: Annotated[
        str | None,
        typer.Option(
            "--date", help="通报的成文日期（docx、pdf），如 2019-04-05；默认为统计期间的最后一天。"
        ),
    ] = None,
) -> None:
    """信息采用统计：各供稿单位被采用的篇数和领导批示数；也可生成信息采用情况通报。"""
    from briefing.check import check_workspace
    from briefing.stats import GroupBy, compute_stats, parse_period

    period = parse_period(start, end)
    root = common.workspace_root()
    out = common.output_file(out, root)  # relative to -C, as everywhere
    if output in BINARY_FORMATS and out is None:
        raise UsageError(
            f"{output.value} 格式需要用 --out 指定文件，如 --out 信息采用.{output.value}"
        )
    if date is not None and output not in (StatsFormat.docx, StatsFormat.pdf):
        raise UsageError("--date 是信息采用情况通报的成文日期，只用于 --format docx 或 pdf")
    signed = _signed(date)
    if output is StatsFormat.pdf:
        from briefing.render.pdf import INSTALL_HINT, find_soffice

        if find_soffice() is None:  # before any work: the PDF cannot be made here
            raise UsageError(f"未找到 LibreOffice（soffice），无法生成 PDF。{INSTALL_HINT}")
    workspace = check_workspace(root, advice=False)
    _warn_incomplete(workspace.diagnostics)
    result = compute_stats(workspace, period, by=GroupBy(by.value), published_only=published_only)
    if output in (StatsFormat.docx, StatsFormat.pdf):
        assert out is not None
        _write_circular(result, workspace.settings, signed, output, out, root)
        return
    _write_stats(result, output, out, root)


def _signed(date: str | None):  # type: ignore[no-untyped-def]
    from briefing.stats import parse_period

    if date is None:
        return None
    day = parse_period(date, date).start
    if day is None or len(date.strip()) < 8:
        raise UsageError(f"成文日期“{date}”应写到日，如 2019-04-05")
    return day


def _write_circular(result, settings, signed, output, out: Path, root: Path) -> None:  # type: ignore[no-untyped-def]
    """The 信息采用情况通报: DOCX, or the DOCX converted to PDF (dated as signed)."""
    import tempfile

    from briefing.circular import circular
    from briefing.render.report_docx import report_docx_bytes
    from briefing.textio import safe_folder, write_anchor, write_atomic

    report = circular(result, settings, signed)
    data = report_docx_bytes(report, settings.fonts)
    anchor = write_anchor(out.parent, root)
    if output is StatsFormat.docx:
        write_atomic(out, data, root=anchor)
    else:
        from briefing.render.pdf import convert_to_pdf
        from briefing.render.reproducible import issue_timestamp

        safe_folder(out.parent, anchor)
        with tempfile.TemporaryDirectory(prefix="briefing-report-") as folder:
            docx = Path(folder) / f"{out.stem}.docx"
            docx.write_bytes(data)
            pdf = Path(folder) / f"{out.stem}.pdf"
            convert_to_pdf(docx, pdf, stamp=issue_timestamp(report.date))
            write_atomic(out, pdf.read_bytes(), root=anchor)
    write(shown(out, root) + "\n")


def _warn_incomplete(diagnostics: Sequence[Diagnostic]) -> None:
    files = {d.path for d in diagnostics if d.severity is Severity.ERROR}
    if files:
        typer.echo(
            f"注意：{len(files)} 个文件有错误，无法读取的期刊或文稿未计入（运行 briefing check 查看）",
            err=True,
        )


def _write_stats(result: Stats, output: StatsFormat, out: Path | None, root: Path) -> None:
    from briefing import stats
    from briefing.textio import write_anchor, write_atomic

    if output is StatsFormat.table:
        from rich.table import Table
        from rich.text import Text

        table = Table(title=f"{result.title}，共 {result.issues} 期")
        for index, header in enumerate(stats.table_header(result)):
            table.add_column(header, justify="left" if index == 1 else "right")
        for row in stats.table_rows(result):
            table.add_row(*(Text(printable(cell)) for cell in row))
        if out is not None:
            import io

            from rich.console import Console

            buffer = Console(record=True, width=100, file=io.StringIO())
            buffer.print(table)
            write_atomic(out, buffer.export_text(), root=write_anchor(out.parent, root))
        elif result.rows:
            console().print(table)
        else:
            echo(f"{result.title}：期间内没有期刊")
    else:
        data: bytes | str
        if output is StatsFormat.csv:
            data = stats.to_csv(result)
            if out is not None:
                data = "\ufeff" + data  # a BOM: Excel and WPS then read the file as UTF-8
        elif output is StatsFormat.json:
            data = stats.to_json(result)
        else:
            data = stats.to_xlsx(result)
        if out is None:
            assert isinstance(data, str)
            typer.echo(data, nl=False)
        else:
            write_atomic(out, data, root=write_anchor(out.parent, root))
    if out is not None:
        write(shown(out, root) + "\n")


# --------------------------------------------------------------------------- site


@app.command(cls=ChineseCommand)
@handles_errors
def site(
    out: Annotated[
        Path | None, typer.Option("--out", help="输出目录；默认 build/。", file_okay=False)
    ] = None,
    pdf: Annotated[
        bool,
        typer.Option("--pdf", help="同时为每期生成 PDF（全部期刊在一次 LibreOffice 运行中转换）。"),
    ] = False,
) -> None:
    """生成 HTML 归档：按年份列出全部期刊，链接到每期的 HTML。"""
    from briefing.archive import build_archive

    root = common.workspace_root()
    from briefing.cli.progress import terminal_progress

    with terminal_progress() as progress:
        result = build_archive(root, common.output_folder(out, root), pdf=pdf, progress=progress)
    print_diagnostics(result.skipped, root)
    write(shown(result.index, root) + "\n")
