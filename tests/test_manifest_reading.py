"""Reading the 签发 record: every unusable ``manifest.json`` is R002 with the exact Chinese
reason at the exact line and column; every name it may (and may not) list.

Unit-level and fast: a record is written by hand into ``issues/2018-028`` of a bare folder
and read with ``read_manifest``; nothing is built.
"""

from __future__ import annotations

import errno
import json
from pathlib import Path

import pytest

from briefing import manifest as man
from briefing.errors import Severity
from briefing.model import LAYOUT_REVISION
from briefing.textio import read_reason

ISSUE = "issues/2018-028"
SHA = "0" * 64
HEAD = '{\n  "format": "briefing-manifest/1",\n'


@pytest.fixture
def root(tmp_path: Path) -> Path:
    (tmp_path / ISSUE).mkdir(parents=True)
    return tmp_path


def write(root: Path, text: str | bytes) -> None:
    path = root / ISSUE / "manifest.json"
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")


def problem(root: Path, text: str | bytes) -> tuple[str, int, int]:
    write(root, text)
    with pytest.raises(man.ManifestProblem) as caught:
        man.read_manifest(root / ISSUE, root)
    return str(caught.value), caught.value.line, caught.value.column


def record(**sections: object) -> str:
    """A record with *sections*, one key a line as ``publish`` writes it."""
    data = {"format": man.MANIFEST_FORMAT, **sections}
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def line_of(text: str, needle: str, after: str = "") -> tuple[int, int]:
    """Line and column (1-based) of the first *needle* in *text* after *after*."""
    offset = text.index(needle, text.index(after))
    return text.count("\n", 0, offset) + 1, offset - (text.rfind("\n", 0, offset) + 1) + 1


# --------------------------------------------------------------------------- not JSON


@pytest.mark.parametrize(
    ("text", "reason", "line", "column"),
    [
        ("", "缺少值", 1, 1),
        (HEAD + '  "inputs": }', "缺少值", 3, 13),
        (HEAD + '  "inputs": {,}\n}', "键名应使用双引号", 3, 14),
        (HEAD + '  "inputs": {}\n  "outputs": {}\n}', "缺少逗号", 4, 3),
        (HEAD + '  "inputs" {}\n}', "缺少冒号", 3, 12),
        (HEAD + '  "inputs": {}\n}\n}', "结尾有多余的内容", 5, 1),
        (HEAD + '  "inputs": {"a', "字符串没有结束", 3, 14),
        (HEAD + '  "inputs": {"a\x01": 1}\n}', "字符串中有控制字符", 3, 16),
        (HEAD + '  "label": "\\q"\n}', "语法错误", 3, 13),
        # not a JSONDecodeError: a number too long to convert has no position
        (HEAD + '  "layout": 1' + "1" * 5000 + "\n}", "语法错误", 1, 1),
    ],
    ids=["empty", "value", "key", "comma", "colon", "extra", "string", "control", "escape", "long"],
)
def test_not_json_is_located_with_the_parsers_reason(
    root: Path, text: str, reason: str, line: int, column: int
) -> None:
    assert problem(root, text) == (f"签发记录不是有效的 JSON：{reason}", line, column)


def test_not_utf8_is_located_at_the_bad_byte(root: Path) -> None:
    assert problem(root, b'{\n  "format": "\xff"\n}') == ("签发记录不是 UTF-8 编码", 2, 14)


def test_a_record_too_large_is_refused_at_its_start(root: Path) -> None:
    text = record(label="x" * (1024 * 1024))
    message, line, column = problem(root, text)
    assert (message, line, column) == (
        "签发记录无法读取：文件过大（超过 1 MB），请拆分或压缩后再提交",
        1,
        1,
    )


def test_a_record_that_cannot_be_read(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    denied = PermissionError(errno.EACCES, "Permission denied")

    def refuse(*args: object, **kwargs: object) -> bytes:
        raise denied

    monkeypatch.setattr(man, "read_bytes_safely", refuse)
    reason = read_reason(denied)
    assert reason and "Permission" not in reason
    assert problem(root, record()) == (f"签发记录无法读取：{reason}", 1, 1)


# --------------------------------------------------------------------------- nesting


def nested(levels: int) -> str:
    """A record whose ``extra`` holds an emptied list first, then *levels* nested lists: the
    deepest bracket is at depth ``2 + levels`` (the record itself is depth 1)."""
    return HEAD + '  "extra": [[], ' + "[" * levels + "]" * levels + "]\n}\n"


def test_sixteen_levels_are_read(root: Path) -> None:
    write(root, nested(14))
    manifest = man.read_manifest(root / ISSUE, root)
    assert manifest is not None and manifest.data["extra"][0] == []


def test_seventeen_levels_are_refused_at_the_seventeenth_bracket(root: Path) -> None:
    text = nested(15)
    column = text.splitlines()[2].index("[[[") + 1 + 14  # the 15th of the nested brackets
    assert problem(root, text) == (
        "签发记录嵌套过深（超过 16 层），不是本程序写的签发记录",
        3,
        column,
    )


def test_many_closed_lists_side_by_side_are_not_deep(root: Path) -> None:
    write(root, HEAD + '  "extra": [' + ", ".join(["[]"] * 40) + "]\n}\n")
    manifest = man.read_manifest(root / ISSUE, root)
    assert manifest is not None and len(manifest.data["extra"]) == 40


# --------------------------------------------------------------------------- wrong shapes


def test_a_minimal_record_reads_with_empty_sections(root: Path) -> None:
    write(root, record())
    manifest = man.read_manifest(root / ISSUE, root)
    assert manifest is not None
    assert manifest.path == root / ISSUE / "manifest.json"
    assert (manifest.inputs, manifest.settings, manifest.outputs) == ({}, {}, {})
    assert manifest.layout_revision == 1


def test_no_record_is_none(root: Path) -> None:
    assert man.read_manifest(root / ISSUE, root) is None


@pytest.mark.parametrize("text", ["[]", '{"label": 1}', '{"format": "briefing-manifest/0"}'])
def test_the_wrong_format(root: Path, text: str) -> None:
    message, line, column = problem(root, text)
    assert message == '签发记录的格式不对（应有 "format": "briefing-manifest/1"）'
    assert (line, column) == ((1, 2) if "format" in text else (1, 1))


def test_the_wrong_format_after_a_leading_blank_line(root: Path) -> None:
    assert problem(root, '\n {"format": 1}')[1:] == (2, 3)


@pytest.mark.parametrize("section", ["inputs", "settings", "outputs"])
def test_a_section_that_is_not_an_object(root: Path, section: str) -> None:
    text = record(label="第一期", **{section: []})
    assert problem(root, text) == (
        f"签发记录的“{section}”一节格式不对",
        *line_of(text, f'"{section}"'),
    )


@pytest.mark.parametrize(
    "entry", ["abc", {"sha256": "xyz"}, {"sha256": 1}, {}, {"sha256": "A" * 64}]
)
def test_an_entry_without_a_sha256_is_located_at_its_name(root: Path, entry: object) -> None:
    # the same name also listed, correctly, in an earlier section: located in its own
    name = f"{ISSUE}/图.md"
    text = record(
        inputs={name: {"sha256": SHA, "bytes": 1}},
        outputs={"html": {"path": "x", "sha256": SHA}, name: entry},
    )
    assert problem(root, text) == (
        f"签发记录的“outputs”一节中“{name}”的 sha256 格式不对",
        *line_of(text, f'"{name}"', after='"outputs"'),
    )


@pytest.mark.parametrize("layout", [0, LAYOUT_REVISION + 1, True, "2", 1.0, None])
def test_a_layout_revision_this_program_does_not_know(root: Path, layout: object) -> None:
    text = record(layout=layout, inputs={})
    assert problem(root, text) == (
        f"签发记录的版式版本“{layout}”无法识别（本程序支持 1 至 {LAYOUT_REVISION}）",
        *line_of(text, '"layout"'),
    )


@pytest.mark.parametrize("layout", range(1, LAYOUT_REVISION + 1))
def test_every_known_layout_revision_is_read(root: Path, layout: int) -> None:
    write(root, record(layout=layout))
    manifest = man.read_manifest(root / ISSUE, root)
    assert manifest is not None and manifest.layout_revision == layout


# --------------------------------------------------------------------------- names


def listing(section: str, name: str) -> str:
    """A record listing *name* in *section*, after the same name as a correct output: a
    refusal must be located in *section*, not at the first mention."""
    return record(
        outputs={name: {"sha256": SHA}},
        **{section: {name: {"sha256": SHA, "bytes": 1}}},
    )


def refusal(root: Path, section: str, name: str) -> tuple[str, int, int]:
    text = listing(section, name)
    assert problem(root, text)[1:] == line_of(
        text, json.dumps(name, ensure_ascii=False) + ":", after=f'"{section}"'
    )
    return problem(root, text)


@pytest.mark.parametrize(
    "name",
    [
        f"{ISSUE}/01-grid.md",
        f"{ISSUE}/images/visit.png",
        f"{ISSUE}/附件/说明.md",
        "shared/logo.PNG",  # a picture the articles use from elsewhere in the workspace
        "logo.jpeg",
    ],
)
def test_inputs_that_are_allowed(root: Path, name: str) -> None:
    write(root, listing("inputs", name))
    assert man.read_manifest(root / ISSUE, root) is not None


@pytest.mark.parametrize(
    "name",
    [
        ISSUE,  # the folder itself
        "issues",
        "issues/2018-029/01.md",
        "notes/deep/secret.txt",
        f"{ISSUE}/sub\\01.md",
        "pictures\\logo.png",
        "C:/logo.png",
        "c:/logo.png",
        "/logo.png",
        f"{ISSUE}/../2018-029/logo.png",
        f"./{ISSUE}/01.md",
        "",
        f"{ISSUE}/\x7f.md",
    ],
)
def test_inputs_that_are_refused(root: Path, name: str) -> None:
    assert refusal(root, "inputs", name)[0] == (
        f"签发记录的“inputs”一节列出了“{name}”："
        "只能是本期目录中的文件或本期文稿引用的工作区内的图片（不含 ..、绝对路径），不予核对"
    )


@pytest.mark.parametrize(
    "name", ["briefing.yaml", "templates/page.css", "templates/html/extra.css"]
)
def test_settings_that_are_allowed(root: Path, name: str) -> None:
    write(root, listing("settings", name))
    assert man.read_manifest(root / ISSUE, root) is not None


@pytest.mark.parametrize(
    "name",
    ["templates", "notes/page.css", f"{ISSUE}/issue.yaml", "logo.png", "templates/../x.css"],
)
def test_settings_that_are_refused(root: Path, name: str) -> None:
    assert refusal(root, "settings", name)[0] == (
        f"签发记录的“settings”一节列出了“{name}”："
        "只能是 briefing.yaml 或 templates/ 中的文件（不含 ..、绝对路径），不予核对"
    )


def test_names_are_relative_to_the_workspace_given(root: Path) -> None:
    """*root* is the workspace: with the ``issues`` folder as root, the issue folder is
    ``2018-028`` and a name under ``issues/`` is not the issue's."""
    write(root, record(inputs={f"{ISSUE}/01.md": {"sha256": SHA}}))
    assert man.read_manifest(root / ISSUE, root) is not None
    assert man.read_manifest(root / ISSUE) is not None  # by default: two folders up
    with pytest.raises(man.ManifestProblem):
        man.read_manifest(root / ISSUE, root / "issues")


def test_a_problem_is_an_r002_error_at_its_place(root: Path) -> None:
    path = root / ISSUE / "manifest.json"
    diagnostic = man.ManifestProblem("坏了", 3, 7).diagnostic(path)
    assert (diagnostic.code, diagnostic.severity, diagnostic.message) == (
        "R002",
        Severity.ERROR,
        "坏了",
    )
    assert (diagnostic.path, diagnostic.line, diagnostic.column) == (path, 3, 7)
    default = man.ManifestProblem("坏了")
    assert (default.line, default.column) == (1, 1)
