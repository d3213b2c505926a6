"""The ``briefing`` command line: the only module that prints or exits.

Commands import the pipeline lazily so ``briefing --help`` and ``briefing check`` do not pay
for lxml, jinja2 or LibreOffice. Library errors (``BriefingError``) become Chinese
messages on stderr and exit codes 1 (bad input) or 2 (usage/environment); no traceback.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Callable, Sequence
from enum import StrEnum
from functools import wraps
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer

from briefing import __version__, cli_text
from briefing.errors import BriefingError, Diagnostic, ExitCode, Severity, UsageError

if TYPE_CHECKING:
    from rich.console import Console

    from briefing.model import Settings

cli_text.install()
_ChineseHelpGroup, _ChineseHelpCommand = cli_text.ChineseGroup, cli_text.ChineseCommand


app = typer.Typer(
    name="briefing",
    cls=_ChineseHelpGroup,
    help="编印工作简报：校对文稿、分配期号、生成红头 DOCX / HTML / PDF。",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_show_locals=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)

F = TypeVar("F", bound=Callable[..., Any])


class _State:
    workspace: Path | None = None
    start: Path | None = None  # the -C folder: relative paths on the command line start there


state = _State()


def _console(stderr: bool = False) -> Console:
    from rich.console import Console

    # emoji=False: rich would turn the ":100:" of "04-long.md:100:5" into an emoji
    return Console(stderr=stderr, highlight=False, soft_wrap=True, emoji=False)


def _emit_error(error: BriefingError) -> None:
    console = _console(stderr=True)
    root = state.workspace
    for d in error.diagnostics:
        _print_diagnostic(console, d, root)
    if error.hint:
        console.print(f"提示：{error.hint}", markup=False)


def _print_diagnostic(console: Console, d: Diagnostic, root: Path | None) -> None:
    if d.path is None:
        console.print(f"错误：{d.message}", markup=False)
        return
    style = "red" if d.severity is Severity.ERROR else "yellow"
    console.print(f"{d.location(root)}: ", end="", markup=False)
    console.print(d.code, style=style, end="", markup=False)
    console.print(f" {d.message}", markup=False)


def handles_errors(func: F) -> F:
    """Turn ``BriefingError`` into printed messages and the right exit code."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except BriefingError as error:
            _emit_error(error)
            raise typer.Exit(int(error.exit_code)) from None
        except Terminated:
            raise typer.Exit(143) from None
        except KeyboardInterrupt:
            typer.echo(cli_text.ABORTED, err=True)
            raise typer.Exit(cli_text.ABORT_EXIT_CODE) from None
        except OSError as error:  # the file system, not the input: an environment error
            from briefing.build import os_reason

            _console(stderr=True).print(f"错误：文件操作失败：{os_reason(error)}", markup=False)
            raise typer.Exit(int(ExitCode.USAGE)) from None

    return wrapper  # type: ignore[return-value]


def _version(value: bool) -> None:
    if value:
        typer.echo(f"briefing {__version__}")
        raise typer.Exit()


@app.callback()
def main_callback(
    workspace: Annotated[
        Path | None,
        typer.Option(
            "-C",
            "--workspace",
            help="工作区目录（含 briefing.yaml）；默认从当前目录向上查找。",
            file_okay=False,
        ),
    ] = None,
    version: Annotated[
        bool, typer.Option("--version", help="显示版本号并退出。", callback=_version, is_eager=True)
    ] = False,
) -> None:
    """编印工作简报：校对文稿、分配期号、生成红头 DOCX / HTML / PDF。"""
    state.workspace = workspace
    state.start = workspace


def _user_path(path: Path) -> Path:
    """*path* from the command line, absolute; relative to ``-C`` when given (as ``git -C``)."""
    if state.start is not None and not path.is_absolute():
        path = state.start / path
    from briefing.textio import resolved

    return resolved(path)


def _root() -> Path:
    from briefing.load import find_workspace

    if state.workspace is not None:
        root = find_workspace(state.workspace, explicit=True)
    else:
        root = find_workspace(Path.cwd())
    state.workspace = root
    return root


def _settings() -> Settings:
    from briefing.errors import InputError
    from briefing.load import load_settings
    from briefing.rules import Reporter

    reporter = Reporter()
    settings = load_settings(_root(), reporter)
    errors = [d for d in reporter.diagnostics if d.severity is Severity.ERROR]
    if errors:
        raise InputError(errors, hint="先修正 briefing.yaml")
    return settings


def _interactive() -> bool:
    return sys.stdin.isatty()


def _ask(label: str, value: str | None, option: str) -> str:
    """*value*, or ask for it on a terminal; refuse when nobody can answer."""
    if value:
        return value
    if not _interactive():
        raise UsageError(f"缺少{label}：请用 {option} 指定（当前不是交互式终端，无法提问）")
    answer = typer.prompt(label).strip()
    if not answer:
        raise UsageError(f"{label}不能为空")
    return answer


# --------------------------------------------------------------------------- init


@app.command(cls=_ChineseHelpCommand)
@handles_errors
def init(
    directory: Annotated[
        Path, typer.Argument(help="新工作区的目录，默认当前目录。", file_okay=False)
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

    if _interactive() and not (name and issuer):
        fields = _init_questions(name, issuer, readership, classification, editor, approver)
    else:
        fields = {
            "name": _ask("简报名称", name, "--name"),
            "issuer": _ask("编印单位", issuer, "--issuer"),
            "readership": readership,
            "classification": classification,
            "editor": editor,
            "approver": approver,
        }
    root = create_workspace(directory, **fields)
    typer.echo(f"已创建工作区 {root}")
    typer.echo("下一步：briefing new-issue 分配期号，briefing new-article 添加文稿")


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


@app.command("new-issue", cls=_ChineseHelpCommand)
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

    settings = _settings()
    allocation = allocate_issue(settings, _parse_date(date), special, backfill=backfill)
    issue = load_issue(settings.issues_dir / allocation.id, Reporter())
    label = issue_label(settings.numbering, issue) if issue else ""
    typer.echo(f"{allocation.id}\t{label}")


# --------------------------------------------------------------------------- new-article


@app.command("new-article", cls=_ChineseHelpCommand)
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

    settings = _settings()
    title = _ask("标题", title, "--title")
    source = _ask("供稿单位", source, "--source")
    path = create_article(
        settings, title=title, source=source, issue_id=issue, column=column, slug=slug
    )
    typer.echo(str(path.relative_to(settings.root)))


# --------------------------------------------------------------------------- import


@app.command("import", cls=_ChineseHelpCommand)
@handles_errors
def import_command(
    files: Annotated[
        list[Path], typer.Argument(help="供稿单位报送的 .docx/.doc/.wps/.rtf/.odt/.txt 文件。")
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
    from briefing.cli_progress import terminal_progress
    from briefing.importing.batch import import_files

    settings = _settings()
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
    console = _console(stderr=True)
    for d in report.diagnostics:
        _print_diagnostic(console, d, None)
    for item in report.written:
        art = item.article
        verb = "将写入" if dry_run else ("已覆盖" if item.replaced else "已导入")
        typer.echo(
            f"{item.file.name} → {verb} {_shown(item.path, root)}：标题“{art.title}”，"
            f"供稿单位“{art.source or '（无）'}”，小标题 {art.headings} 个，"
            f"图片 {art.pictures} 张（{item.kind}）"
        )
        if dry_run:
            typer.echo(item.text)
    if report.failed:
        raise typer.Exit(int(ExitCode.INPUT))


# --------------------------------------------------------------------------- check


class OutputFormat(StrEnum):
    text = "text"
    json = "json"
    github = "github"


@app.command(cls=_ChineseHelpCommand)
@handles_errors
def check(
    paths: Annotated[
        list[Path] | None, typer.Argument(help="只报告这些文件或目录的问题；默认整个工作区。")
    ] = None,
    output: Annotated[
        OutputFormat, typer.Option("--format", help="输出格式：text、json 或 github。")
    ] = OutputFormat.text,
    strict: Annotated[
        bool, typer.Option("--strict", help="有警告也以失败（退出码 1）结束。")
    ] = False,
    fix: Annotated[
        bool, typer.Option("--fix", help="就地修正可安全修正的标点、省略号、破折号和全角字母数字。")
    ] = False,
    diff: Annotated[
        bool, typer.Option("--diff", help="显示 --fix 会做的修改，但不写入文件。")
    ] = False,
) -> None:
    """校验工作区、期刊和文稿：字段、期号、图片、标点、结构、内容。"""
    from briefing.check import check_workspace
    from briefing.identifiers import inside
    from briefing.workspace import select

    root = _root()
    targets = [_user_path(p) for p in paths or []]
    for target in targets:
        if not target.exists():
            raise UsageError(f"找不到 {target}")
        if not inside(target, root):
            raise UsageError(f"{target} 不在工作区 {root} 中")
    unfixed = _apply_fixes(root, targets, write=fix) if fix or diff else 0
    workspace = check_workspace(root, keep_articles=False)
    findings = select(workspace.diagnostics, targets, root)
    _report_findings(findings, output, root)
    if unfixed:
        _console(stderr=True).print(f"错误：{unfixed} 个文件未能修正（见上）", markup=False)
        raise typer.Exit(int(ExitCode.USAGE))
    errors = sum(d.severity is Severity.ERROR for d in findings)
    if errors or (strict and findings):
        raise typer.Exit(int(ExitCode.INPUT))


def _report_findings(findings: Sequence[Diagnostic], output: OutputFormat, root: Path) -> None:
    from briefing.errors import remembering_display_paths

    with remembering_display_paths():  # many findings name the same file
        _write_findings(findings, output, root)


def _write_findings(findings: Sequence[Diagnostic], output: OutputFormat, root: Path) -> None:
    errors = sum(d.severity is Severity.ERROR for d in findings)
    warnings = len(findings) - errors
    if output is OutputFormat.json:
        document = {
            "errors": errors,
            "warnings": warnings,
            "diagnostics": [_as_json(d, root) for d in findings],
        }
        typer.echo(json.dumps(document, ensure_ascii=False, indent=2))
        return
    if output is OutputFormat.github:
        for d in findings:
            typer.echo(_as_github(d, root))
        return
    if not findings:  # rich (≈20 ms of imports) only to colour findings
        typer.echo("检查通过：没有发现问题")
        return
    console = _console()
    for d in findings:
        _print_diagnostic(console, d, root)
    typer.echo(f"共 {errors} 个错误，{warnings} 个警告")


def _as_json(d: Diagnostic, root: Path) -> dict[str, Any]:
    from briefing.errors import display_path

    return {
        "path": display_path(d.path, root) if d.path else None,
        "line": d.line,
        "column": d.column,
        "code": d.code,
        "severity": d.severity.value,
        "message": d.message,
    }


def _as_github(d: Diagnostic, root: Path) -> str:
    from briefing.errors import display_path

    level = "error" if d.severity is Severity.ERROR else "warning"
    parts = []
    if d.path is not None:
        parts.append(f"file={display_path(d.path, root)}")
    if d.line is not None:
        parts.append(f"line={d.line}")
    if d.column is not None:
        parts.append(f"col={d.column}")
    parts.append(f"title={d.code}")
    message = d.message.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return f"::{level} {','.join(parts)}::{message}"


def _apply_fixes(root: Path, targets: Sequence[Path], *, write: bool) -> int:
    """Apply (or with ``write=False`` show) the safe fixes; returns how many files failed."""
    from briefing.errors import display_path
    from briefing.proofread.fix import fix_files

    console = _console()
    changed_files = 0
    problems = 0
    for result in fix_files(root, targets, write=write):
        shown = display_path(result.path, root)
        if result.problem:
            problems += 1
            _console(stderr=True).print(f"{shown}: {result.problem}", markup=False)
            continue
        changed_files += 1
        for change in result.changes:
            console.print(
                f"{shown}:{change.line}:{change.column}: {change.code} "
                f"“{change.old}” → “{change.new}”",
                markup=False,
            )
    verb = "已修正" if write else "可修正"
    typer.echo(f"{verb} {changed_files} 个文件" if changed_files else "没有可自动修正的内容")
    return problems


# --------------------------------------------------------------------------- build


@app.command(cls=_ChineseHelpCommand)
@handles_errors
def build(
    issue: Annotated[
        str | None, typer.Argument(help="期刊目录名，如 2018-028；默认最新一期。")
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
    from briefing.build import build_issue, parse_formats, start_html_edition
    from briefing.check import check_workspace
    from briefing.cli_progress import quiet_unless_pdf

    wanted = parse_formats(formats)
    root = _root()
    # forked before the check: jinja2 and the templates load on the other core meanwhile
    html_edition = start_html_edition(wanted, root)
    try:
        workspace = check_workspace(root)
        target = _output_folder(out, root)
        with quiet_unless_pdf(wanted) as progress:
            result = build_issue(
                workspace,
                issue,
                wanted,
                target,
                draft=draft,
                html_edition=html_edition,
                progress=progress,
            )
    finally:
        if html_edition is not None:
            html_edition.cancel()
    if result.warnings:
        console = _console(stderr=True)
        for d in result.warnings:
            _print_diagnostic(console, d, root)
    for path in result.files:
        typer.echo(_shown(path, root))
    _report_build_record(result, root)


def _report_build_record(result: Any, root: Path) -> None:
    """What a build did beyond writing files: record checks and stale outputs removed."""
    if result.verified:
        typer.echo(f"已核对：{'、'.join(f.upper() for f in result.verified)} 与签发记录逐字节一致")
    for fmt in result.unverified:
        typer.echo(
            f"注意：签发记录中没有 {fmt.upper()}，本次生成的 {fmt.upper()} 无法核对", err=True
        )
    for path in result.removed:
        typer.echo(
            f"已删除过时的 {_shown(path, root)}（本次未生成 {path.suffix.lstrip('.').upper()}，"
            "需要时加 --format 重新生成）",
            err=True,
        )


# --------------------------------------------------------------------------- publish


@app.command(cls=_ChineseHelpCommand)
@handles_errors
def publish(
    issue: Annotated[str, typer.Argument(help="期刊目录名，如 2018-028。")],
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

    root = _root()
    if undo:
        _undo_publish(root, issue)
        return
    from briefing.cli_progress import terminal_progress
    from briefing.publish import publish_issue

    with terminal_progress() as progress:
        result = publish_issue(
            root, issue, parse_formats(formats), out.resolve() if out else None, progress=progress
        )
    typer.echo(f"已签发 {result.issue_id}")
    typer.echo(
        f"签发记录：{_shown(result.manifest, root)}（{result.inputs} 个输入文件、"
        f"{len(result.outputs)} 个输出文件的 SHA-256）"
    )
    for path in result.outputs:
        typer.echo(_shown(path, root))


def _undo_publish(root: Path, issue: str) -> None:
    from briefing.build import resolve_issue
    from briefing.check import check_workspace
    from briefing.numbering import workspace_lock
    from briefing.publish import undo_publish

    with workspace_lock(root):
        loaded = resolve_issue(check_workspace(root, proofread=False), issue)
        result = undo_publish(loaded)
    typer.echo(f"已撤销 {result.issue_id} 的签发：")
    if result.unmarked:
        typer.echo(f"- issues/{result.issue_id}/issue.yaml：删除了 published: true")
    if result.manifest is not None:
        typer.echo(
            f"- 删除了签发记录 {_shown(result.manifest, root)}"
            f"（记录了 {result.recorded_inputs} 个输入文件和 {len(result.recorded_outputs)} 个输出文件）"
        )
    typer.echo("- 已生成的输出文件没有改动；文稿可以再修改，改好后重新运行 briefing publish")


def _output_folder(out: Path | None, root: Path) -> Path | None:
    """The ``--out`` folder, refused when it is a file or inside the issues' sources."""
    from briefing.identifiers import inside

    if out is None:
        return None
    target = _user_path(out)
    if target.exists() and not target.is_dir():
        raise UsageError(f"--out {out} 是一个文件，不是目录")
    if inside(target, root / "issues") or target == root.resolve():
        raise UsageError(f"--out 不能是工作区根目录或 issues/ 中的目录（{out}）：输出会混入文稿")
    return target


def _shown(path: Path, root: Path) -> str:
    """*path* as the user can open it from where they ran the command."""
    from briefing.errors import display_path

    return display_path(path, Path.cwd(), root)


# --------------------------------------------------------------------------- list


@app.command("list", cls=_ChineseHelpCommand)
@handles_errors
def list_issues() -> None:
    """期刊登记簿：期刊目录、期号、日期、文稿数、领导批示数、状态。"""
    from rich.table import Table
    from rich.text import Text

    from briefing.check import check_workspace
    from briefing.listing import register_rows

    workspace = check_workspace(_root(), proofread=False)
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
        table.add_row(*(Text(cell) for cell in cells))
    if rows:
        _console().print(table)
    else:
        typer.echo("还没有期刊；运行 briefing new-issue 分配第一期")


# --------------------------------------------------------------------------- search


class SearchFormat(StrEnum):
    text = "text"
    json = "json"


@app.command("search", cls=_ChineseHelpCommand)
@handles_errors
def search_command(
    words: Annotated[list[str], typer.Argument(help="关键词；多个关键词须同时出现在一篇文稿中。")],
    year: Annotated[int | None, typer.Option("--year", help="只查这一年的期刊，如 2018。")] = None,
    source: Annotated[
        str | None, typer.Option("--source", help="只查这个供稿单位的文稿（含 units 别名）。")
    ] = None,
    output: Annotated[
        SearchFormat, typer.Option("--format", help="输出格式：text 或 json。")
    ] = SearchFormat.text,
) -> None:
    """全文检索全部期刊的标题、副题、编者按、正文和供稿单位。"""
    from briefing.cli_progress import terminal_progress
    from briefing.search import as_json, make_query, marked, search

    query = make_query(words, year, source)
    with terminal_progress() as progress:
        hits = search(_root(), query, progress=progress)
    if output is SearchFormat.json:
        typer.echo(json.dumps([as_json(h) for h in hits], ensure_ascii=False, indent=2))
        return
    heads = [f"{hit.path}:{hit.line}: {hit.label} 《{hit.title}》 " for hit in hits]
    if hits and _may_be_terminal() and (console := _console()).is_terminal:
        from rich.text import Text

        lines = Text()
        for head, hit in zip(heads, hits, strict=True):
            lines.append(head)
            for start, end, style in _pieces(hit):
                lines.append(hit.snippet[start:end], style=style)
            lines.append("\n")
        console.print(lines, end="")
    elif hits:  # piped: plain text with the keywords in 【】, written in one go
        sys.stdout.write(
            "".join(h + marked(hit) + "\n" for h, hit in zip(heads, hits, strict=True))
        )
    if not hits:
        typer.echo(f"没有找到“{' '.join(query.terms)}”", err=True)


def _may_be_terminal() -> bool:
    """False when output surely goes to a file or pipe: then rich is not even imported."""
    import os

    forced = ("FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE")
    return sys.stdout.isatty() or any(os.environ.get(name) for name in forced)


def _pieces(hit: Any) -> list[tuple[int, int, str | None]]:
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


class StatsBy(StrEnum):
    source = "source"
    month = "month"
    quarter = "quarter"


@app.command("stats", cls=_ChineseHelpCommand)
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
        StatsFormat, typer.Option("--format", help="输出格式：table、csv、json 或 xlsx。")
    ] = StatsFormat.table,
    out: Annotated[
        Path | None, typer.Option("--out", help="写入文件（xlsx 必须指定）。", dir_okay=False)
    ] = None,
    published_only: Annotated[
        bool, typer.Option("--published-only", help="只统计已签发的期刊。")
    ] = False,
) -> None:
    """信息采用统计：各供稿单位被采用的篇数和领导批示数。"""
    from briefing.check import check_workspace
    from briefing.stats import GroupBy, compute_stats, parse_period

    period = parse_period(start, end)
    if output is StatsFormat.xlsx and out is None:
        raise UsageError("xlsx 格式需要用 --out 指定文件，如 --out 信息采用.xlsx")
    root = _root()
    workspace = check_workspace(root, proofread=False)
    _warn_incomplete(workspace.diagnostics)
    result = compute_stats(workspace, period, by=GroupBy(by.value), published_only=published_only)
    _write_stats(result, output, out, root)


def _warn_incomplete(diagnostics: Sequence[Diagnostic]) -> None:
    files = {d.path for d in diagnostics if d.severity is Severity.ERROR}
    if files:
        typer.echo(
            f"注意：{len(files)} 个文件有错误，无法读取的期刊或文稿未计入（运行 briefing check 查看）",
            err=True,
        )


def _write_stats(result: Any, output: StatsFormat, out: Path | None, root: Path) -> None:
    from briefing import stats
    from briefing.textio import write_atomic

    if output is StatsFormat.table:
        from rich.table import Table

        table = Table(title=f"{result.title}，共 {result.issues} 期")
        for index, header in enumerate(stats.table_header(result)):
            table.add_column(header, justify="left" if index == 1 else "right")
        for row in stats.table_rows(result):
            table.add_row(*row)
        if out is not None:
            import io

            from rich.console import Console

            buffer = Console(record=True, width=100, file=io.StringIO())
            buffer.print(table)
            write_atomic(out, buffer.export_text())
        elif result.rows:
            _console().print(table)
        else:
            typer.echo(f"{result.title}：期间内没有期刊")
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
            write_atomic(out, data)
    if out is not None:
        typer.echo(_shown(out, root))


# --------------------------------------------------------------------------- rules


@app.command("rules", cls=_ChineseHelpCommand)
def list_rules(
    markdown: Annotated[
        bool, typer.Option("--markdown", help="输出 Markdown 表格（即 docs/rules.md）。")
    ] = False,
) -> None:
    """列出全部检查规则：代码、级别、类别和说明。"""
    from briefing.rules import RULES, load_all_rules, rules_markdown

    if markdown:
        typer.echo(rules_markdown(), nl=False)
        return
    load_all_rules()
    # One plain line per rule, never a table: a table cuts descriptions to the terminal width
    # (and to 80 columns when piped); a long line is wrapped by the terminal instead.
    for rule in sorted(RULES.values(), key=lambda r: r.code):
        fixable = "（可自动修正）" if rule.fixable else ""
        typer.echo(
            f"{rule.code}  {rule.severity.label}  {rule.category}  {rule.name}  "
            f"{rule.summary}{fixable}"
        )


# --------------------------------------------------------------------------- site


@app.command(cls=_ChineseHelpCommand)
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
    from briefing.cli_progress import terminal_progress

    root = _root()
    with terminal_progress() as progress:
        result = build_archive(root, _output_folder(out, root), pdf=pdf, progress=progress)
    console = _console(stderr=True)
    for d in result.skipped:
        _print_diagnostic(console, d, root)
    typer.echo(_shown(result.index, root))


# --------------------------------------------------------------------------- preview


@app.command(cls=_ChineseHelpCommand)
@handles_errors
def preview(
    issue: Annotated[
        str | None, typer.Argument(help="期刊目录名，如 2018-028；默认最新一期。")
    ] = None,
    port: Annotated[int, typer.Option("--port", help="端口；默认自动选择空闲端口。")] = 0,
) -> None:
    """在本机浏览器中预览一期 HTML 版与印刷版：保存文稿后自动刷新，按 Ctrl-C 停止。"""
    from briefing.preview import serve

    root = _root()

    def announce(url: str) -> None:
        typer.echo("保存文稿后页面自动刷新；按 Ctrl-C 停止", err=True)
        typer.echo(f"预览地址：{url}")
        typer.echo(f"印刷版（分页）：{url}print")

    def rebuilt(page, seconds: float) -> None:  # type: ignore[no-untyped-def]
        state = "已更新" if page.ok else "有错误，页面显示错误列表"
        typer.echo(f"{state}（{seconds * 1000:.0f} 毫秒）", err=True)

    def paged(pages) -> None:  # type: ignore[no-untyped-def]
        typer.echo(f"印刷版已更新：共 {len(pages.sizes)} 页（{pages.seconds:.1f} 秒）", err=True)

    def note(text: str) -> None:
        typer.echo(text, err=True)

    try:
        serve(root, issue, port, announce, rebuilt, paged, note)
    except OSError as error:
        raise UsageError(f"无法在端口 {port} 上启动预览：{error.strerror or error}") from None


# --------------------------------------------------------------------------- doctor


@app.command(cls=_ChineseHelpCommand)
@handles_errors
def doctor() -> None:
    """检查本机环境：LibreOffice，以及每种字体角色实际会用到的字体。"""
    from rich.table import Table
    from rich.text import Text

    from briefing.doctor import doctor_report
    from briefing.model import Fonts

    try:
        root: Path | None = _root()
        fonts = _settings().fonts
    except BriefingError:
        root, fonts = None, Fonts()
    report = doctor_report(fonts, root)
    console = _console()
    if report.soffice:
        console.print(
            f"LibreOffice：{report.soffice}（{report.soffice_version or '版本未知'}）", markup=False
        )
    else:
        console.print(
            "LibreOffice：未安装（生成 PDF 需要它：apt-get install libreoffice-writer-nogui）",
            markup=False,
        )
    _print_warm_path(console, report.warm)
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
        table.add_row(*(Text(cell) for cell in cells))
    console.print(table)


def _print_warm_path(console: Console, warm: Any) -> None:
    if warm is None:
        return
    if warm.available:
        console.print(
            f"常驻 LibreOffice（预览的印刷版、批量转换）：可用（{warm.python} 带有 uno 模块）",
            markup=False,
        )
    else:
        console.print(
            f"常驻 LibreOffice（预览的印刷版、批量转换）：不可用。{warm.reason}", markup=False
        )
    if warm.serving is not None:
        console.print(
            "本工作区的 briefing preview 正在运行：PDF 转换将由它的 LibreOffice 完成", markup=False
        )


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised like Ctrl-C so every ``finally`` and cleanup runs."""


def _terminate(signum: int, frame: object) -> None:
    raise Terminated


def main() -> None:
    """Console-script entry point: SIGTERM unwinds like Ctrl-C; Ctrl-C never prints a traceback."""
    import signal

    signal.signal(signal.SIGTERM, _terminate)
    try:
        app()
    except Terminated:
        sys.exit(143)
    except KeyboardInterrupt:
        sys.exit(130)
