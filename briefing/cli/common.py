"""What every command shares: the typer app, the workspace it runs in, console and errors.

Commands import the pipeline inside their bodies, so ``briefing --help`` and a short command
do not pay for lxml, jinja2 or LibreOffice. Library errors (``BriefingError``) become Chinese
messages on stderr and exit codes 1 (bad input) or 2 (usage/environment); no traceback.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer

from briefing import __version__, cli_text
from briefing.cli.report import echo, print_error
from briefing.errors import BriefingError, ExitCode, Severity, UsageError

if TYPE_CHECKING:
    from briefing.model import Settings

cli_text.install()
ChineseCommand = cli_text.ChineseCommand

app = typer.Typer(
    name="briefing",
    cls=cli_text.ChineseGroup,
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


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised like Ctrl-C so every ``finally`` and cleanup runs."""


def handles_errors(func: F) -> F:
    """Turn ``BriefingError`` into printed messages and the right exit code."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except BriefingError as error:
            print_error(error, state.workspace)
            raise typer.Exit(int(error.exit_code)) from None
        except Terminated:
            raise typer.Exit(143) from None
        except KeyboardInterrupt:
            typer.echo(cli_text.ABORTED, err=True)
            raise typer.Exit(cli_text.ABORT_EXIT_CODE) from None
        except OSError as error:  # the file system, not the input: an environment error
            from briefing.textio import os_reason

            echo(f"错误：文件操作失败：{os_reason(error)}", err=True)
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


def user_path(path: Path) -> Path:
    """*path* from the command line, absolute; relative to ``-C`` when given (as ``git -C``)."""
    if state.start is not None and not path.is_absolute():
        path = state.start / path
    from briefing.textio import resolved

    return resolved(path)


def workspace_root() -> Path:
    """The workspace folder: ``-C``, or found by walking up from the current folder."""
    from briefing.load import find_workspace

    if state.workspace is not None:
        root = find_workspace(state.workspace, explicit=True)
    else:
        root = find_workspace(Path.cwd())
    state.workspace = root
    return root


def workspace_settings() -> Settings:
    """The workspace's settings; an error in ``briefing.yaml`` stops the command."""
    from briefing.errors import InputError
    from briefing.load import load_settings
    from briefing.rules import Reporter

    reporter = Reporter()
    settings = load_settings(workspace_root(), reporter)
    errors = [d for d in reporter.diagnostics if d.severity is Severity.ERROR]
    if errors:
        raise InputError(errors, hint="先修正 briefing.yaml")
    return settings


def interactive() -> bool:
    return sys.stdin.isatty()


def ask(label: str, value: str | None, option: str) -> str:
    """*value*, or ask for it on a terminal; refuse when nobody can answer."""
    if value:
        return value
    if not interactive():
        raise UsageError(f"缺少{label}：请用 {option} 指定（当前不是交互式终端，无法提问）")
    answer = typer.prompt(label).strip()
    if not answer:
        raise UsageError(f"{label}不能为空")
    return answer


def user_output(path: Path, root: Path) -> Path:
    """*path* from ``--out``, absolute (relative to ``-C`` when given).

    Inside the workspace it is kept as written, so that a symlink planted on the way is seen,
    and refused, when writing (``textio.safe_folder``). Outside the workspace the user's own
    symlinks are resolved: an output there goes wherever the user asked."""
    from briefing.textio import resolved, write_anchor

    if state.start is not None and not path.is_absolute():
        path = state.start / path
    absolute = Path(os.path.abspath(path))
    return absolute if write_anchor(absolute, root) == root else resolved(absolute)


def output_file(out: Path | None, root: Path) -> Path | None:
    """The ``--out`` file (see :func:`user_output`)."""
    return None if out is None else user_output(out, root)


def output_folder(out: Path | None, root: Path) -> Path | None:
    """The ``--out`` folder (see :func:`user_output`), refused when it is a file or inside the
    issues' sources."""
    from briefing.identifiers import inside

    if out is None:
        return None
    target = user_output(out, root)
    if target.exists() and not target.is_dir():
        raise UsageError(f"--out {out} 是一个文件，不是目录")
    if inside(target, root / "issues") or target == root.resolve():
        raise UsageError(f"--out 不能是工作区根目录或 issues/ 中的目录（{out}）：输出会混入文稿")
    return target
