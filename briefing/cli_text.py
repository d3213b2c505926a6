"""Chinese for the command-line framework: typer's (and its vendored click's) own messages.

typer 0.29 carries its own copy of click (``typer._click``) whose messages are plain English
f-strings, while ``typer.core`` looks its headings and a few messages up through ``gettext``.
So there are two override points, both here:

- :func:`install` points ``typer.core``'s ``_`` at :data:`MESSAGES` (help headings
  ``Arguments/Options/Commands``, ``[default: …]``, ``[required]``, ``Aborted!``);
- :class:`ChineseGroup` / :class:`ChineseCommand`, the command classes ``briefing.cli`` uses,
  write the usage line (``用法：``), replace typer's "did you mean" for commands, print every
  framework error in Chinese through :func:`chinese_message` (a table of the English message
  shapes) and turn Ctrl-C / Ctrl-D into ``已中止。`` with exit code 130.

This is the only module that knows the framework's English.
"""

from __future__ import annotations

import difflib
import re
import sys
from collections.abc import Callable
from typing import Any

from typer import _click as click
from typer import exceptions as typer_exceptions
from typer._click import exceptions as click_exceptions
from typer._click.formatting import HelpFormatter
from typer.core import TyperCommand, TyperGroup

HELP_TEXT = "显示此帮助信息并退出。"
ABORTED = "已中止。"
ABORT_EXIT_CODE = 130  # 128 + SIGINT, what a shell reports for Ctrl-C
USAGE_PREFIX = "用法："

# typer.core's gettext msgids → Chinese
MESSAGES: dict[str, str] = {
    "Options": "选项",
    "Commands": "命令",
    "Arguments": "参数",
    "Aborted!": ABORTED,
    "Missing command.": "缺少命令。",
    "No such command {name!r}.": "没有“{name}”命令。",
    "default: {default}": "默认：{default}",
    "required": "必填",
    "env var: {var}": "环境变量：{var}",
    "(dynamic)": "（动态）",
}


def gettext(message: str) -> str:
    return MESSAGES.get(message, message)


def install() -> None:
    """Route ``typer.core``'s message lookups through :data:`MESSAGES` (idempotent)."""
    import typer.core

    # typer.core imports its "_" privately; replacing it is the override point (see above)
    typer.core._ = gettext  # type: ignore[attr-defined]


_PATH_KIND = {"file": "文件", "dir": "目录", "directory": "目录", "path": "路径"}


def _path_problem(match: re.Match[str]) -> str:
    kind, name, problem = _PATH_KIND.get(match[1].lower(), match[1]), match[2], match[3]
    return {
        "does not exist": f"{kind}“{name}”不存在",
        "is a file": f"“{name}”是文件，这里需要{kind}",
        "is a directory": f"“{name}”是目录，这里需要{kind}",
        "is not readable": f"{kind}“{name}”不可读",
        "is not writable": f"{kind}“{name}”不可写",
    }.get(problem, match[0])


def _choices(text: str) -> str:
    return "、".join(re.findall(r"'([^']*)'", text)) or text


_KIND = {"argument": "参数", "option": "选项", "parameter": "参数"}

# (English message shape, Chinese) — the messages typer._click and typer build with f-strings.
_SHAPES: tuple[tuple[re.Pattern[str], Callable[[re.Match[str]], str]], ...] = tuple(
    (re.compile(pattern, re.DOTALL), replace)
    for pattern, replace in (
        (
            r"^Invalid value for (.+?): (.*)$",
            lambda m: f"{_option(m[1])}的值无效：{chinese_message(m[2])}",
        ),
        (r"^Invalid value: (.*)$", lambda m: f"取值无效：{chinese_message(m[1])}"),
        (
            r"^(?:Value error, )?'(.*?)' is not one of (.*?)\.?$",
            lambda m: f"“{m[1]}”不是可选值之一：{_choices(m[2])}",
        ),
        (r"^(\w+) '(.*)' (does not exist|is a file|is a directory|is not \w+)\.$", _path_problem),
        (
            r"^Missing (argument|option|parameter) (.+?)\.(?: .*)?$",
            lambda m: f"缺少{_KIND[m[1]]}{_option(m[2])}",
        ),
        (r"^Missing (argument|option|parameter)\.?$", lambda m: f"缺少{_KIND[m[1]]}"),
        (r"^Missing parameter: (.+)$", lambda m: f"缺少参数{_option(m[1])}"),
        (
            r"^No such option: (\S+)(?: \(Possible options: (.*)\))?$",
            lambda m: f"没有“{m[1]}”选项" + (f"，是不是{_quoted_list(m[2])}？" if m[2] else ""),
        ),
        (r"^Option '(.+?)' requires an argument\.$", lambda m: f"选项“{m[1]}”需要一个值"),
        (
            r"^Option '(.+?)' requires (\d+) arguments\.$",
            lambda m: f"选项“{m[1]}”需要 {m[2]} 个值",
        ),
        (r"^Option '(.+?)' does not take a value\.$", lambda m: f"选项“{m[1]}”不接受值"),
        (r"^Argument '(.+?)' takes (\d+) values\.$", lambda m: f"参数“{m[1]}”需要 {m[2]} 个值"),
        (r"^Got unexpected extra argument\(s\) \((.*)\)$", lambda m: f"多余的参数：{m[1]}"),
        (r"^Could not open file '(.*)': (.*)$", lambda m: f"无法打开文件“{m[1]}”：{m[2]}"),
        (r"^Missing command\.$", lambda m: "缺少命令"),
        (r"^Value error, (.*)$", lambda m: chinese_message(m[1])),
    )
)


def _option(hint: str) -> str:
    """``'--format'`` / ``'-C' / '--workspace'`` → ``“--format”``."""
    names = [n.removesuffix("...") for n in re.findall(r"'([^']*)'", hint)]
    return "、".join(f"“{n}”" for n in names) if names else f"“{hint}”"


def _quoted_list(text: str) -> str:
    return "、".join(f"“{n.strip()}”" for n in text.split(",") if n.strip())


def chinese_message(text: str) -> str:
    """A typer/click error message in Chinese; unknown shapes are returned unchanged."""
    for pattern, replace in _SHAPES:
        match = pattern.match(text.strip())
        if match:
            return replace(match)
    return text


# typer shows each parameter's Python type as its metavar: say what to type, in Chinese
METAVARS = {
    "<str>": "<文字>",
    "<dir>": "<目录>",
    "<directory>": "<目录>",
    "<file>": "<文件>",
    "<path>": "<路径>",
    "<list[Path]>": "<路径>",
    "<int>": "<整数>",
    "<float>": "<数字>",
}
_METAVAR = re.compile("|".join(re.escape(m) for m in METAVARS))
# Arguments carry a Chinese metavar (``typer.Argument(metavar="关键词...")``); typer wraps a
# required one in braces on the usage line.
_REQUIRED = re.compile(r"^\{(.+)\}$")


class ChineseFormatter(HelpFormatter):
    """Help headings end with a full-width colon (``选项：``); metavars are Chinese."""

    def write_heading(self, heading: str) -> None:
        self.write(f"{'':>{self.current_indent}}{heading}：\n")

    def write_dl(self, rows: Any, col_max: int = 30, col_spacing: int = 2) -> None:
        rows = [(_METAVAR.sub(lambda m: METAVARS[m[0]], first), second) for first, second in rows]
        super().write_dl(rows, col_max, col_spacing)


class ChineseContext(click.Context):
    formatter_class = ChineseFormatter


class _Chinese(click.Command):
    """Mixed into typer's command classes: Chinese usage line, errors, help option, Ctrl-C.

    A ``click.Command`` itself only so that its ``super()`` calls are checked: in
    ``ChineseCommand(_Chinese, TyperCommand)`` they reach typer's class first."""

    context_class: type[click.Context] = ChineseContext

    def collect_usage_pieces(self, ctx: click.Context) -> list[str]:
        pieces = super().collect_usage_pieces(ctx)
        names = {"[OPTIONS]": "[选项]", "COMMAND [ARGS]...": "命令 [参数]..."}
        # typer writes a required argument as {NAME}: a Chinese usage line writes it bare
        return [_REQUIRED.sub(r"\1", names.get(piece, piece)) for piece in pieces]

    def format_usage(self, ctx: click.Context, formatter: Any) -> None:
        pieces = self.collect_usage_pieces(ctx)
        formatter.write_usage(ctx.command_path, " ".join(pieces), prefix=USAGE_PREFIX)

    def get_help_option(self, ctx: click.Context) -> Any:
        option = super().get_help_option(ctx)
        if option is not None:
            option.help = HELP_TEXT
        return option

    def main(self, args: Any = None, prog_name: str | None = None, *rest: Any, **extra: Any) -> Any:
        """Standalone handling in Chinese: usage errors exit 2, Ctrl-C / Ctrl-D exit 130."""
        # click.Command.main is abstract; in both classes below super() is typer's main
        if extra.get("standalone_mode", True) is False:
            return super().main(args, prog_name, *rest, **extra)  # type: ignore[safe-super]
        extra["standalone_mode"] = False
        try:
            code = super().main(args, prog_name, *rest, **extra)  # type: ignore[safe-super]
        except (typer_exceptions.Abort, KeyboardInterrupt, EOFError):
            click.echo(ABORTED, err=True)
            sys.exit(ABORT_EXIT_CODE)
        except click_exceptions.NoArgsIsHelpError as error:
            error.show()  # the help text itself
            sys.exit(error.exit_code)
        except click_exceptions.ClickException as error:
            show_error(error)
            sys.exit(error.exit_code)
        sys.exit(code if isinstance(code, int) else 0)


def show_error(error: click_exceptions.ClickException) -> None:
    """click's ``UsageError.show`` in Chinese: usage line, where to get help, the error."""
    ctx = getattr(error, "ctx", None)
    if ctx is not None:
        help_option = ctx.help_option_names[0] if ctx.help_option_names else "--help"
        click.echo(
            f"{ctx.get_usage()}\n运行“{ctx.command_path} {help_option}”查看帮助。",
            err=True,
        )
    click.echo(f"错误：{chinese_message(error.format_message())}", err=True)


class ChineseCommand(_Chinese, TyperCommand):
    pass


class ChineseGroup(_Chinese, TyperGroup):
    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        try:
            return super().resolve_command(ctx, args)
        except click_exceptions.UsageError as error:
            if args and self.get_command(ctx, args[0]) is None and not args[0].startswith("-"):
                error.message = unknown_command(args[0], list(self.commands))
            raise


def unknown_command(name: str, commands: list[str]) -> str:
    """没有“chek”命令，是不是“check”？"""
    matches = difflib.get_close_matches(name, commands)
    if not matches:
        return f"没有“{name}”命令；运行 briefing -h 查看全部命令"
    return f"没有“{name}”命令，是不是" + "、".join(f"“{m}”" for m in matches) + "？"
