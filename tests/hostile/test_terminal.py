"""What reaches the terminal: control characters in paths and messages are shown escaped,
never sent raw; the text report of ``check`` is fast for very many findings and ends with a
count per rule."""

from __future__ import annotations

import io
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from briefing.cli import app
from briefing.cli.report import FindingsFormat, printable, report_findings
from briefing.errors import Diagnostic, Severity
from tests.hostile.helpers import GOOD, ISSUE_ID, workspace

runner = CliRunner()
ISSUE = f"issues/{ISSUE_ID}"
# ESC starting a colour, a newline forging a finding, a bidi override reordering the line
HOSTILE_NAME = "02-\x1b[31mred\n::error::forged\u202e.md"
RAW = ("\x1b", "\n::error", "\u202e")


def run(*args: str | Path):  # type: ignore[no-untyped-def]
    return runner.invoke(app, [str(a) for a in args])


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("a\x1b[31mb", "a\\x1b[31mb"),
        ("a\nb\rc\td", "a\\nb\\rc\\td"),
        ("\x07\x7f\x85\x9b", "\\x07\\x7f\\x85\\x9b"),
        ("左\u202e右\u2066", "左\\u202e右\\u2066"),
        ("\udcff名", "\\xff名"),  # an undecodable byte of a file name
        ("正常的“中文”，no change", "正常的“中文”，no change"),
    ],
)
def test_printable_escapes_every_control_character(raw: str, shown: str) -> None:
    assert printable(raw) == shown
    assert printable(shown) == shown  # escaping twice changes nothing


def test_printable_keeps_lines_when_asked() -> None:
    assert printable("一\n二\x1b", lines=True) == "一\n二\\x1b"


@pytest.fixture
def ws(tmp_path: Path) -> Path:
    return workspace(tmp_path / "ws", {f"{ISSUE}/01-good.md": GOOD, f"{ISSUE}/{HOSTILE_NAME}": ""})


@pytest.mark.parametrize("output", ["text", "github"])
def test_a_hostile_file_name_is_shown_escaped_by_check(ws: Path, output: str) -> None:
    result = run("-C", ws, "check", "--format", output)
    assert result.exit_code == 1
    assert not any(raw in result.output for raw in RAW), result.output
    assert "02-\\x1b[31mred\\n" in result.output
    if output == "text":
        line = next(x for x in result.output.splitlines() if "red" in x)
        assert line.endswith(
            "F003 Markdown 文稿应以 --- 开头的元数据块开始（title、source 等），以 --- 结束"
        )


def test_a_hostile_file_name_is_valid_json(ws: Path) -> None:
    import json

    result = run("-C", ws, "check", "--format", "json")
    paths = {d["path"] for d in json.loads(result.output)["diagnostics"]}
    assert f"{ISSUE}/{HOSTILE_NAME}" in paths  # JSON escapes it and gives it back exactly


def test_a_hostile_title_is_shown_escaped_by_search(ws: Path) -> None:
    (ws / ISSUE / "03-title.md").write_text(
        '---\ntitle: "标题\\e[2J清屏"\nsource: 局\n---\n\n网格化管理。\n', encoding="utf-8"
    )
    result = run("-C", ws, "search", "网格")
    assert result.exit_code == 0
    assert "\x1b" not in result.output and "标题\\x1b[2J清屏" in result.output


def test_a_hostile_build_path_is_shown_escaped(ws: Path, tmp_path: Path) -> None:
    (ws / ISSUE / HOSTILE_NAME).unlink()
    out = tmp_path / "出\x1b[2J刊"
    result = run("-C", ws, "build", "--format", "html", "--out", out)
    assert result.exit_code == 0, result.output
    assert "\x1b" not in result.output and "出\\x1b[2J刊" in result.output


# --------------------------------------------------------------------------- many findings


def _findings(count: int, root: Path) -> list[Diagnostic]:
    codes = ("T101", "T108", "C306", "T101")
    return [
        Diagnostic(
            codes[i % 4],
            Severity.WARNING,
            "中文语境中使用了半角逗号“,”，应使用全角“，”",
            root / ISSUE / "01-long.md",
            i + 1,
            5,
        )
        for i in range(count)
    ]


def _report(findings: list[Diagnostic], root: Path) -> tuple[float, str]:
    captured = io.StringIO()
    stdout, sys.stdout = sys.stdout, captured
    try:
        # CPU time of this process: what the reporter costs, whatever else the machine runs
        started = time.process_time()
        report_findings(findings, FindingsFormat.text, root)
        elapsed = time.process_time() - started
    finally:
        sys.stdout = stdout
    return elapsed, captured.getvalue()


def test_twenty_thousand_findings_print_in_half_a_second(tmp_path: Path) -> None:
    findings = _findings(20_000, tmp_path)
    _report(findings[:10], tmp_path)  # imports
    elapsed, text = _report(findings, tmp_path)
    assert elapsed < 0.5, elapsed
    lines = text.splitlines()
    assert len(lines) == 20_000 + 3 + 1
    assert lines[0] == f"{ISSUE}/01-long.md:1:5: T101 中文语境中使用了半角逗号“,”，应使用全角“，”"
    assert lines[-4:] == [
        "C306 正文过长 5000 处",
        "T101 半角标点 10000 处",
        "T108 多余的空格 5000 处",
        "共 0 个错误，20000 个警告",
    ]


def test_check_ends_with_a_count_per_rule(tmp_path: Path) -> None:
    body = "今年以来,街道把辖区划分为42个网格.\n\n" * 300
    root = workspace(
        tmp_path / "ws",
        {f"{ISSUE}/01-long.md": GOOD.replace("今年以来，", body), f"{ISSUE}/x.txt": ""},
    )
    result = run("-C", root, "check")
    assert result.exit_code == 0, result.output
    tail = result.output.splitlines()[-4:]
    assert tail == [
        "C306 正文过长 1 处",
        "F006 无法识别的文件 1 处",
        "T101 半角标点 600 处",
        "共 0 个错误，602 个警告",
    ]


def test_findings_are_coloured_on_a_terminal_only(ws: Path, monkeypatch) -> None:
    (ws / ISSUE / HOSTILE_NAME).unlink()
    (ws / ISSUE / "01-good.md").write_text(GOOD.replace("，", ","), encoding="utf-8")
    assert "\x1b[" not in run("-C", ws, "check").output
    monkeypatch.setenv("TTY_COMPATIBLE", "1")
    monkeypatch.delenv("NO_COLOR", raising=False)
    assert "\x1b[33mT101\x1b[0m" in run("-C", ws, "check").output
    monkeypatch.setenv("NO_COLOR", "1")
    assert "\x1b[" not in run("-C", ws, "check").output


def test_the_rules_all_have_a_short_title() -> None:
    """The count per rule that ends the text report names each rule by its title."""
    from briefing.rules import RULES

    assert all(0 < len(rule.title) <= 12 for rule in RULES.values())
