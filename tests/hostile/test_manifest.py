"""The 签发 record (``manifest.json``) is read like every other input, and trusted no further.

A stranger's submission can hold any ``manifest.json``: deeply nested, huge, a link out of the
workspace, or naming files elsewhere (an oracle: "does this CI runner have a file with this
SHA-256?"). Each is R002 at its line for ``check`` (exit 1) and refuses ``build``; no file
outside the workspace is opened, whatever the record names.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from briefing.cli import app
from tests.hostile.helpers import ISSUE_ID, opened_files, opened_under

runner = CliRunner()
ISSUE = f"issues/{ISSUE_ID}"
MANIFEST = f"{ISSUE}/manifest.json"


def run(*args: str | Path):  # type: ignore[no-untyped-def]
    return runner.invoke(app, [str(a) for a in args])


@pytest.fixture
def ws(ws: Path) -> Path:
    """The shared workspace, its issue published (HTML only)."""
    result = run("-C", ws, "publish", ISSUE_ID, "--format", "html")
    assert result.exit_code == 0, result.output
    return ws


def record(root: Path) -> dict:
    return json.loads((root / MANIFEST).read_text(encoding="utf-8"))


def write_record(root: Path, data: object) -> str:
    text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    (root / MANIFEST).write_text(text, encoding="utf-8")
    return text


def r002(root: Path) -> tuple[str, str]:
    """``check``'s R002 line and ``build``'s output; both refuse, neither crashes."""
    checked = run("-C", root, "check")
    assert checked.exit_code == 1, checked.output
    assert "Traceback" not in checked.output
    line = next(x for x in checked.output.splitlines() if ": R002 " in x)
    built = run("-C", root, "build", ISSUE_ID, "--format", "html")
    assert built.exit_code == 1, built.output
    assert "Traceback" not in built.output and "R002" in built.output
    return line, built.output


def test_a_hundred_thousand_nested_brackets(ws: Path) -> None:
    (ws / MANIFEST).write_text('{"format": ' + "[" * 100_000 + "]" * 100_000 + "}")
    line, _ = r002(ws)
    assert line.startswith(f"{MANIFEST}:1:")
    assert "签发记录嵌套过深（超过 16 层）" in line


def test_a_manifest_linked_outside_the_workspace_is_not_trusted(ws: Path, outside: Path) -> None:
    real = outside / "manifest.json"
    real.write_bytes((ws / MANIFEST).read_bytes())
    (ws / MANIFEST).unlink()
    (ws / MANIFEST).symlink_to(real)
    with opened_files() as seen:
        line, _ = r002(ws)
    assert "指向工作区以外" in line
    assert opened_under(seen, outside) == []


def test_a_sixty_megabyte_manifest_is_not_read(ws: Path) -> None:
    with open(ws / MANIFEST, "r+b") as handle:
        handle.truncate(60 * 1024 * 1024)  # sparse: nothing is really written
    with opened_files() as seen:
        line, _ = r002(ws)
    assert "文件过大（超过 1 MB）" in line
    assert str(ws / MANIFEST) not in seen


@pytest.mark.parametrize(
    "name",
    [
        "../target.txt",
        "../../outside/target.txt",
        f"{ISSUE}/../../../outside/target.txt",
        "/etc/passwd",
        "C:/Windows/win.ini",
        "notes/secret.txt",  # inside the workspace, but neither the issue's nor a picture
        f"{ISSUE}/./01-good.md",
        f"{ISSUE}//01-good.md",
        f"{ISSUE}\\01-good.md",
        f"{ISSUE}/\x1b.md",
    ],
)
def test_inputs_may_only_name_the_issues_files(ws: Path, outside: Path, name: str) -> None:
    data = record(ws)
    digest = hashlib.sha256((outside / "target.txt").read_bytes()).hexdigest()
    data["inputs"][name] = {"sha256": digest, "bytes": 24}
    text = write_record(ws, data)
    with opened_files() as seen:
        line, _ = r002(ws)
    number = next(i for i, x in enumerate(text.splitlines(), 1) if json.dumps(name)[:-1] in x)
    assert line.startswith(f"{MANIFEST}:{number}:5: R002 签发记录的“inputs”一节列出了"), line
    assert opened_under(seen, outside) == []


def test_the_answer_does_not_depend_on_the_outside_files_hash(ws: Path, outside: Path) -> None:
    """No oracle: a right and a wrong SHA-256 of a file elsewhere give the same answer."""
    answers = []
    for digest in (hashlib.sha256((outside / "target.txt").read_bytes()).hexdigest(), "0" * 64):
        data = record(ws)
        data["inputs"]["../../outside/target.txt"] = {"sha256": digest, "bytes": 24}
        write_record(ws, data)
        answers.append(run("-C", ws, "check", "--format", "json").output)
    assert answers[0] == answers[1]


def test_a_recorded_file_that_became_a_link_outside_is_not_hashed(ws: Path, outside: Path) -> None:
    article = ws / ISSUE / "01-good.md"
    (outside / "01-good.md").write_bytes(article.read_bytes())
    article.unlink()
    article.symlink_to(outside / "01-good.md")
    with opened_files() as seen:
        result = run("-C", ws, "check")
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "F009" in result.output
    assert opened_under(seen, outside) == []


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            lambda d: d["inputs"].update({f"{ISSUE}/01-good.md": {"sha256": "xyz"}}),
            "sha256 格式不对",
        ),
        (lambda d: d.update({"inputs": []}), "“inputs”一节格式不对"),
        (
            lambda d: d["settings"].update({"../briefing.yaml": {"sha256": "0" * 64}}),
            "“settings”一节列出了",
        ),
        (lambda d: d.update({"format": "briefing-manifest/0"}), "签发记录的格式不对"),
    ],
)
def test_malformed_records_are_located(ws: Path, change, expected: str) -> None:  # type: ignore[no-untyped-def]
    data = record(ws)
    change(data)
    write_record(ws, data)
    line, _ = r002(ws)
    assert expected in line
    assert not line.startswith(f"{MANIFEST}:1:1:"), line  # at the offending key, not line 1


@pytest.mark.parametrize(
    ("content", "where", "message"),
    [
        (
            b'{\n  "format": "briefing-manifest/1",\n  "inputs": {,}\n}\n',
            ":3:14:",
            "键名应使用双引号",
        ),
        (b'{\n  "format": "briefing-manifest/1"\n  "inputs": {}\n}\n', ":3:3:", "缺少逗号"),
        (b'{"format": "\xff"}\n', ":1:13:", "不是 UTF-8 编码"),
        (b"", ":1:1:", "缺少值"),
    ],
)
def test_unreadable_records_are_located(ws: Path, content: bytes, where: str, message: str) -> None:
    (ws / MANIFEST).write_bytes(content)
    line, built = r002(ws)
    assert f"{MANIFEST}{where} R002" in line and message in line, line
    assert f"{MANIFEST}{where} R002" in built
