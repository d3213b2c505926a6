"""How results reach the user: diagnostics, ``check``'s three formats, what a build did.

Every function takes a typed result from the library and only formats it; none decides
anything about the workspace.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from briefing.errors import BriefingError, Diagnostic, Severity

if TYPE_CHECKING:
    from rich.console import Console

    from briefing.build import BuildResult
    from briefing.proofread.fix import FileFix


class FindingsFormat(StrEnum):
    text = "text"
    json = "json"
    github = "github"


def console(stderr: bool = False) -> Console:
    from rich.console import Console

    # emoji=False: rich would turn the ":100:" of "04-long.md:100:5" into an emoji
    return Console(stderr=stderr, highlight=False, soft_wrap=True, emoji=False)


def shown(path: Path, root: Path) -> str:
    """*path* as the user can open it from where they ran the command."""
    from briefing.errors import display_path

    return display_path(path, Path.cwd(), root)


def print_error(out: Console, error: BriefingError, root: Path | None) -> None:
    """A refused command: every diagnostic it carries, then its hint."""
    for d in error.diagnostics:
        print_diagnostic(out, d, root)
    if error.hint:
        out.print(f"提示：{error.hint}", markup=False)


def print_diagnostic(out: Console, d: Diagnostic, root: Path | None) -> None:
    """``path:line:col: CODE message``, the code coloured by severity; ``错误：…`` without a file.

    A finding that is not a rule's (an import or archive step's) shows its severity in
    Chinese where a rule code would stand: ``交警.docx: 警告 …``.
    """
    if d.path is None:
        out.print(f"错误：{d.message}", markup=False)
        return
    style = "red" if d.severity is Severity.ERROR else "yellow"
    out.print(f"{d.location(root)}: ", end="", markup=False)
    out.print(
        d.code if is_rule_code(d.code) else d.severity.label, style=style, end="", markup=False
    )
    out.print(f" {d.message}", markup=False)


def is_rule_code(code: str) -> bool:
    """``T101``: a code of ``briefing rules``, not the tag of a command step (``import``)."""
    return len(code) == 4 and code[0].isascii() and code[0].isupper() and code[1:].isdigit()


def print_diagnostics(diagnostics: Sequence[Diagnostic], root: Path | None) -> None:
    """Warnings beside a successful command, on stderr."""
    if diagnostics:
        out = console(stderr=True)
        for d in diagnostics:
            print_diagnostic(out, d, root)


def report_findings(findings: Sequence[Diagnostic], output: FindingsFormat, root: Path) -> None:
    """``check``'s findings in the chosen format, with a count at the end of the text format."""
    from briefing.errors import remembering_display_paths

    with remembering_display_paths():  # many findings name the same file
        _write_findings(findings, output, root)


def _write_findings(findings: Sequence[Diagnostic], output: FindingsFormat, root: Path) -> None:
    errors = sum(d.severity is Severity.ERROR for d in findings)
    warnings = len(findings) - errors
    if output is FindingsFormat.json:
        document = {
            "errors": errors,
            "warnings": warnings,
            "diagnostics": [finding_as_json(d, root) for d in findings],
        }
        typer.echo(json.dumps(document, ensure_ascii=False, indent=2))
        return
    if output is FindingsFormat.github:
        for d in findings:
            typer.echo(finding_as_github(d, root))
        return
    if not findings:
        typer.echo("检查通过：没有发现问题")
        return
    out = console()
    for d in findings:
        print_diagnostic(out, d, root)
    typer.echo(f"共 {errors} 个错误，{warnings} 个警告")


def finding_as_json(d: Diagnostic, root: Path) -> dict[str, Any]:
    from briefing.errors import display_path

    return {
        "path": display_path(d.path, root) if d.path else None,
        "line": d.line,
        "column": d.column,
        "code": d.code,
        "severity": d.severity.value,
        "message": d.message,
    }


def finding_as_github(d: Diagnostic, root: Path) -> str:
    """A GitHub Actions workflow command: the finding appears on the pull request's line."""
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


def report_fixes(results: Iterable[FileFix], root: Path, *, written: bool) -> int:
    """Each change ``--fix`` made (or would make); returns how many files could not be fixed."""
    from briefing.errors import display_path

    out = console()
    changed_files = 0
    problems = 0
    for result in results:
        name = display_path(result.path, root)
        if result.problem:
            problems += 1
            console(stderr=True).print(f"{name}: {result.problem}", markup=False)
            continue
        changed_files += 1
        for change in result.changes:
            out.print(
                f"{name}:{change.line}:{change.column}: {change.code} "
                f"“{change.old}” → “{change.new}”",
                markup=False,
            )
    verb = "已修正" if written else "可修正"
    typer.echo(f"{verb} {changed_files} 个文件" if changed_files else "没有可自动修正的内容")
    return problems


def report_build(result: BuildResult, root: Path) -> None:
    """The files a build wrote, then what it did beyond: record checks and stale outputs."""
    print_diagnostics(result.warnings, root)
    for path in result.files:
        typer.echo(shown(path, root))
    if result.fonts_note:
        typer.echo(result.fonts_note, err=True)
    if result.verified:
        typer.echo(f"已核对：{'、'.join(f.upper() for f in result.verified)} 与签发记录逐字节一致")
    for fmt in result.unverified:
        typer.echo(
            f"注意：签发记录中没有 {fmt.upper()}，本次生成的 {fmt.upper()} 无法核对", err=True
        )
    for path in result.removed:
        typer.echo(
            f"已删除过时的 {shown(path, root)}（本次未生成 {path.suffix.lstrip('.').upper()}，"
            "需要时加 --format 重新生成）",
            err=True,
        )
