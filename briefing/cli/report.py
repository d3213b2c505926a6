"""How results reach the user: diagnostics, ``check``'s three formats, what a build did.

Every function takes a typed result from the library and only formats it; none decides
anything about the workspace. Everything printed from the workspace or the command line (a
path, a message quoting a title) goes through :func:`printable`: a file name holding ESC or a
newline must not drive the terminal or forge a line. Output is built as one string and
written in one call: a rich ``print`` per finding cost 2.6 s for 20,000 findings.
"""

from __future__ import annotations

import json
import os
import re
import sys
from collections import Counter
from collections.abc import Iterable, Sequence
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

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


# C0 and C1 controls, DEL, the bidirectional overrides and isolates (they reorder what
# follows them on screen) and lone surrogates (undecodable bytes of a file name, which
# cannot even be written to a UTF-8 terminal)
_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
_UNPRINTABLE_KEEPING_LINES = re.compile(
    r"[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t", "\x1b": "\\x1b"}


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    code = ord(char)
    if char in _NAMED:
        return _NAMED[char]
    if 0xDC80 <= code <= 0xDCFF:  # os.fsdecode's stand-in for an undecodable byte
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: str, *, lines: bool = False) -> str:
    """*text* safe to print: every control character shown as an escape (``\\x1b``, ``\\n``,
    ``\\u202e``), so it can neither drive the terminal nor start a forged line. With *lines*,
    newlines are kept (text that is meant to span lines, such as an article)."""
    pattern = _UNPRINTABLE_KEEPING_LINES if lines else _UNPRINTABLE
    return pattern.sub(_escape, text) if pattern.search(text) else text


def echo(text: str, *, err: bool = False) -> None:
    """One line of *text*, made :func:`printable`."""
    write(printable(text) + "\n", err=err)


def write(text: str, *, err: bool = False) -> None:
    """*text*, already printable, in one call."""
    stream = sys.stderr if err else sys.stdout
    stream.write(text)
    stream.flush()


def may_be_terminal(err: bool = False) -> bool:
    """False when output surely goes to a file or pipe: then rich is not even imported."""
    stream = sys.stderr if err else sys.stdout
    forced = ("FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE")
    return stream.isatty() or any(os.environ.get(name) for name in forced)


def colours(err: bool = False) -> bool:
    """Whether to colour: a terminal that has colours, unless ``NO_COLOR`` says otherwise
    (rich decides, as for every other coloured output)."""
    if not may_be_terminal(err):
        return False
    out = console(stderr=err)
    return out.is_terminal and out.color_system is not None and not out.no_color


_SEVERITY_COLOUR = {Severity.ERROR: "\x1b[31m", Severity.WARNING: "\x1b[33m"}
_RESET = "\x1b[0m"


def shown(path: Path, root: Path) -> str:
    """*path* as the user can open it from where they ran the command, printable."""
    from briefing.errors import display_path

    return printable(display_path(path, Path.cwd(), root))


def diagnostic_line(d: Diagnostic, root: Path | None, colour: bool = False) -> str:
    """``path:line:col: CODE message``, the code coloured by severity; ``错误：…`` without a file.

    A finding that is not a rule's (an import or archive step's) shows its severity in
    Chinese where a rule code would stand: ``交警.docx: 警告 …``.
    """
    if d.path is None:
        return f"错误：{printable(d.message)}"
    code = d.code if is_rule_code(d.code) else d.severity.label
    if colour:
        code = f"{_SEVERITY_COLOUR.get(d.severity, '')}{code}{_RESET}"
    return f"{printable(d.location(root))}: {code} {printable(d.message)}"


def print_error(error: BriefingError, root: Path | None) -> None:
    """A refused command, on stderr: every diagnostic it carries, then its hint."""
    print_diagnostics(error.diagnostics, root)
    if error.hint:
        echo(f"提示：{error.hint}", err=True)


def is_rule_code(code: str) -> bool:
    """``T101``: a code of ``briefing rules``, not the tag of a command step (``import``)."""
    return len(code) == 4 and code[0].isascii() and code[0].isupper() and code[1:].isdigit()


def print_diagnostics(diagnostics: Sequence[Diagnostic], root: Path | None) -> None:
    """Diagnostics on stderr (warnings beside a successful command, or why it failed)."""
    if diagnostics:
        colour = colours(err=True)
        write("".join(diagnostic_line(d, root, colour) + "\n" for d in diagnostics), err=True)


def report_findings(findings: Sequence[Diagnostic], output: FindingsFormat, root: Path) -> None:
    """``check``'s findings in the chosen format; the text format ends with the counts."""
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
        write(json_text(document) + "\n")
        return
    if output is FindingsFormat.github:
        write("".join(finding_as_github(d, root) + "\n" for d in findings))
        return
    if not findings:
        write("检查通过：没有发现问题\n")
        return
    colour = colours()
    lines = [diagnostic_line(d, root, colour) for d in findings]
    lines += rule_counts(findings)
    lines.append(f"共 {errors} 个错误，{warnings} 个警告")
    write("\n".join(lines) + "\n")


def rule_counts(findings: Iterable[Diagnostic]) -> list[str]:
    """One line per rule, in code order: “T101 半角标点 12 处”."""
    from briefing.rules import RULES

    counts = Counter(d.code for d in findings)
    lines = []
    for code in sorted(counts):
        rule = RULES.get(code)
        label = f" {rule.title}" if rule is not None else ""
        lines.append(f"{printable(code)}{label} {counts[code]} 处")
    return lines


_SURROGATE = re.compile("[\ud800-\udfff]")


def json_text(document: object) -> str:
    """*document* as readable JSON (``ensure_ascii=False``); control characters are escaped by
    JSON itself, and a lone surrogate (an undecodable byte of a file name) is written as its
    ``\\udcNN`` escape instead of failing on a UTF-8 output."""
    text = json.dumps(document, ensure_ascii=False, indent=2)
    return _SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


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


def _workflow_value(text: str, *, is_property: bool) -> str:
    """Escaped as GitHub's workflow commands require (``%`` ``\\r`` ``\\n``, and ``:`` ``,`` in
    a property), after :func:`printable`: the runner's log is a terminal too."""
    text = printable(text).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return text.replace(":", "%3A").replace(",", "%2C") if is_property else text


def finding_as_github(d: Diagnostic, root: Path) -> str:
    """A GitHub Actions workflow command: the finding appears on the pull request's line."""
    from briefing.errors import display_path

    level = "error" if d.severity is Severity.ERROR else "warning"
    parts = []
    if d.path is not None:
        parts.append(f"file={_workflow_value(display_path(d.path, root), is_property=True)}")
    if d.line is not None:
        parts.append(f"line={d.line}")
    if d.column is not None:
        parts.append(f"col={d.column}")
    parts.append(f"title={_workflow_value(d.code, is_property=True)}")
    return f"::{level} {','.join(parts)}::{_workflow_value(d.message, is_property=False)}"


def report_fixes(results: Iterable[FileFix], root: Path, *, written: bool) -> int:
    """Each change ``--fix`` made (or would make); returns how many files could not be fixed."""
    from briefing.errors import display_path

    changed_files = 0
    problems = 0
    for result in results:
        name = printable(display_path(result.path, root))
        if result.problem:
            problems += 1
            echo(f"{name}: {result.problem}", err=True)
            continue
        changed_files += 1
        write(
            "".join(
                f"{name}:{change.line}:{change.column}: {change.code} "
                f"“{printable(change.old)}” → “{printable(change.new)}”\n"
                for change in result.changes
            )
        )
    verb = "已修正" if written else "可修正"
    echo(f"{verb} {changed_files} 个文件" if changed_files else "没有可自动修正的内容")
    return problems


def report_build(result: BuildResult, root: Path) -> None:
    """The files a build wrote, then what it did beyond: record checks and stale outputs."""
    print_diagnostics(result.warnings, root)
    for path in result.files:
        write(shown(path, root) + "\n")
    if result.fonts_note:
        echo(result.fonts_note, err=True)
    if result.verified:
        echo(f"已核对：{'、'.join(f.upper() for f in result.verified)} 与签发记录逐字节一致")
    for fmt in result.unverified:
        echo(f"注意：签发记录中没有 {fmt.upper()}，本次生成的 {fmt.upper()} 无法核对", err=True)
    for name in result.unrecorded_templates:
        echo(
            f"注意：模板 {name} 是签发后新增的，重新生成已签发的 {result.issue_id} 时未使用"
            "（按签发时的模板生成）",
            err=True,
        )
    for path in result.removed:
        write(
            f"已删除过时的 {shown(path, root)}（本次未生成 {path.suffix.lstrip('.').upper()}，"
            "需要时加 --format 重新生成）\n",
            err=True,
        )
