"""``--fix`` edges the main fix tests pass by: fixes the token check must drop, the spaces a
full-width mark takes along, runs of half-width marks, articles without front matter, YAML
values (body, suppressions, escapes, a fix YAML would read as another type), and the file
layer (line count, read-only, vanished files, hard links, folder targets)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from briefing.proofread import fix
from briefing.proofread.fix import (
    Change,
    FileFix,
    _overwrite,
    fix_file,
    fix_files,
    fix_text,
    markdown_edits,
    write_in_place,
)


def changes_of(text: str, kind: str = "md") -> tuple[str, list[tuple[int, int, str, str, str]]]:
    fixed, changes = fix_text(text, kind=kind)
    return fixed, [(c.line, c.column, c.old, c.new, c.code) for c in changes]


# --------------------------------------------------------------------------- token check


def test_a_fix_that_would_end_an_emphasis_is_dropped_alone() -> None:
    # ``)**ａ``: the closing ** after an ASCII ")" closes only before a CJK-like character;
    # making ａ half-width would end the emphasis, so that one fix is dropped, the rest stay
    text = "甲,乙,丙,**条款1)**ａ,丁,戊.\n"
    fixed, changes = changes_of(text)
    assert fixed == "甲，乙，丙，**条款1)**ａ，丁，戊。\n"
    assert [column for _, column, *_ in changes] == [2, 4, 6, 16, 18, 20]


def test_fixes_that_change_the_tokens_only_together() -> None:
    # each of the two ``１`` alone keeps the tokens; both together change the emphasis:
    # the first half is kept, the second dropped
    assert markdown_edits(". _**１- １*- :\n") == [(5, 6, "1", "T104")]
    assert fix_text("甲,乙\n\n. _**１- １*- :\n", kind="md")[0] == "甲，乙\n\n. _**1- １*- :\n"


# --------------------------------------------------------------------------- spaces


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("甲 , 乙\n", "甲，乙\n"),
        ("甲\t,\t乙\n", "甲，乙\n"),
        ("甲X,乙\n", "甲X，乙\n"),  # only spaces and tabs go along
        ("甲,X乙\n", "甲，X乙\n"),
        ("`代码` ,中文\n", "`代码`，中文\n"),
        ("中文 ,[链接](x)\n", "中文，[链接](x)\n"),
        ("文,\t\n下一行\n", "文，\t\n下一行\n"),  # spaces before a line end stay
        ("中文,  \n下一行\n", "中文，  \n下一行\n"),  # a hard break stays
        ("文,\t", "文，\t"),  # and so do spaces at the very end
        ("`甲,乙`甲,乙\n", "`甲,乙`甲，乙\n"),  # text equal to a code span is still found
    ],
)
def test_spaces_around_a_fixed_mark(text: str, expected: str) -> None:
    assert fix_text(text, kind="md")[0] == expected


@pytest.mark.parametrize("text", ["会议来,,去\n", "会议来, ,去\n", "会议来 ,, 去\n"])
def test_a_run_of_half_width_marks_is_left_alone(text: str) -> None:
    assert fix_text(text, kind="md") == (text, [])


def test_a_lone_mark_next_to_full_width_ones_is_fixed() -> None:
    assert fix_text("会议来, 去\n", kind="md")[0] == "会议来，去\n"
    # ，， is for a person (not fixable), the later , is fixed all the same
    assert fix_text("改革，，推进,工作\n", kind="md")[0] == "改革，，推进，工作\n"


def test_changes_of_every_pass_are_reported() -> None:
    # ? gets its Chinese context only once ... is fixed: a second pass
    assert changes_of("为什么?...原因如下:\n") == (
        "为什么？……原因如下：\n",
        [
            (1, 5, "...", "……", "T106"),
            (1, 12, ":", "：", "T101"),
            (1, 4, "?", "？", "T101"),
        ],
    )


# --------------------------------------------------------------------------- Markdown files


def test_an_article_without_front_matter() -> None:
    assert changes_of("(一)工作,要求\n") == (
        "（一）工作，要求\n",
        [(1, 1, "(", "（", "T101"), (1, 3, ")", "）", "T101"), (1, 6, ",", "，", "T101")],
    )
    text = "<!-- briefing-disable-next-line -->\n甲,乙\n丙,丁\n"
    assert changes_of(text) == (
        "<!-- briefing-disable-next-line -->\n甲,乙\n丙，丁\n",
        [(3, 2, ",", "，", "T101")],
    )


def test_front_matter_at_the_end_of_the_file() -> None:
    assert fix_text("---\ntitle: 测试,标题\n---", kind="md")[0] == "---\ntitle: 测试，标题\n---"
    no_newline = "---\ntitle: 测试\n---\n正文,内容"
    assert changes_of(no_newline) == (
        "---\ntitle: 测试\n---\n正文，内容",
        [(4, 3, ",", "，", "T101")],
    )


def test_front_matter_with_an_alias_leaves_the_whole_file() -> None:
    text = "---\ntitle: &a 测试\nsource: *a\n---\n\n正文,内容\n"
    assert fix_text(text, kind="md") == (text, [])


def test_front_matter_values_are_fields_not_markdown() -> None:
    text = "---\ntitle: 测试 , 标题\n---\n\n正文 , 内容\n"
    assert changes_of(text) == (
        "---\ntitle: 测试 ， 标题\n---\n\n正文，内容\n",
        [(2, 11, ",", "，", "T101"), (5, 3, " , ", "，", "T101")],
    )


# --------------------------------------------------------------------------- YAML articles


def test_a_yaml_body_is_markdown_and_other_values_are_fields() -> None:
    assert changes_of("title: 测试 , 标题\nbody: 正文 , 内容\n", "yaml") == (
        "title: 测试 ， 标题\nbody: 正文，内容\n",
        [(1, 11, ",", "，", "T101"), (2, 9, " , ", "，", "T101")],
    )
    text = "title: 测试,标题\nbody: |\n  运行`a,b`命令,完成\n"
    assert fix_text(text, kind="yaml")[0] == "title: 测试，标题\nbody: |\n  运行`a,b`命令，完成\n"


def test_yaml_suppressions_and_body_lines() -> None:
    # in the body, "# …" is a Markdown heading, not a YAML comment; <!-- … --> suppresses
    text = (
        "title: 测试,标题 # briefing-disable T101\n"
        "body: |\n"
        "  # 标题,内容 briefing-disable T101\n"
        "  正文,内容 <!-- briefing-disable T101 -->\n"
        "  其他,内容\n"
    )
    assert changes_of(text, "yaml") == (
        text.replace("标题,内容", "标题，内容").replace("其他,", "其他，"),
        [(3, 7, ",", "，", "T101"), (5, 5, ",", "，", "T101")],
    )
    text = "title: 标题\nbody: |\n  # briefing-disable-next-line\n  其他,内容\n"  # a heading
    assert fix_text(text, kind="yaml")[0] == text.replace("其他,", "其他，")
    text = "# briefing-disable-next-line\ntitle: 测试,标题\nsource: 来源,单位\n"
    assert changes_of(text, "yaml") == (
        "# briefing-disable-next-line\ntitle: 测试,标题\nsource: 来源，单位\n",
        [(3, 11, ",", "，", "T101")],
    )


def test_the_body_lines_end_with_the_body() -> None:
    # the body's last line is text (a heading here), not a YAML comment ...
    text = "body: |\n  正文\n  # briefing-disable-next-line\nsource: 来源,单位\n"
    assert fix_text(text, kind="yaml")[0] == text.replace("来源,", "来源，")
    # ... and a comment two lines after the body is a comment
    text = "body: |\n  正文\ntitle: 甲,乙\n# briefing-disable-next-line\nsource: 来源,单位\n"
    assert fix_text(text, kind="yaml")[0] == text.replace("甲,乙", "甲，乙")


def test_a_fix_that_yaml_would_read_as_a_number_is_dropped() -> None:
    # 测试２０１８ stays text once fixed; a bare ２０１８ would become the integer 2018
    text = "title: 测试２０１８\nsource: ２０１８\nbody: 正文,内容\n"
    assert changes_of(text, "yaml") == (
        "title: 测试2018\nsource: ２０１８\nbody: 正文，内容\n",
        [(1, 10, "２０１８", "2018", "T104"), (3, 9, ",", "，", "T101")],
    )


def test_yaml_positions_on_the_first_line() -> None:
    assert fix_text("title: 测试,标题\n", kind="yaml")[1] == [Change(1, 10, ",", "，", "T101")]
    assert changes_of("title: (一)工作,要求\n", "yaml") == (
        "title: （一）工作，要求\n",
        [(1, 8, "(", "（", "T101"), (1, 10, ")", "）", "T101"), (1, 13, ",", "，", "T101")],
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # an escape between fixes: alignment resumes after it
        ('title: "甲,乙\\u3002甲,乙"\n', 'title: "甲，乙\\u3002甲，乙"\n'),
        # 8 raw characters of escapes before the comma: still aligned
        ('title: "甲\\x41\\x42,乙"\n', 'title: "甲\\x41\\x42，乙"\n'),
        # 12: too far, the comma is left
        ('title: "甲\\x41\\x42\\x43,乙"\n', 'title: "甲\\x41\\x42\\x43,乙"\n'),
        # an escaped comma is never aligned with a literal one 9 characters on ...
        ('title: "\\x2c甲乙丙丁,戊"\n', 'title: "\\x2c甲乙丙丁，戊"\n'),
        # ... but is at 8, which costs the literal comma its fix (safe: nothing is broken)
        ('title: "\\x2c甲乙丙,丁"\n', 'title: "\\x2c甲乙丙,丁"\n'),
    ],
)
def test_yaml_escapes_and_the_alignment_window(text: str, expected: str) -> None:
    assert fix_text(text, kind="yaml")[0] == expected


# --------------------------------------------------------------------------- files


def _article(root: Path, name: str, text: str) -> Path:
    path = root / "issues" / "2018-028" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_fix_file_reads_a_yaml_article_as_yaml(tmp_path: Path) -> None:
    path = _article(tmp_path, "01-a.yaml", "title: 测试 , 标题\n")
    assert fix_file(path, tmp_path, write=False) == FileFix(
        path, (Change(1, 11, ",", "，", "T101"),)
    )
    assert fix_file(path, tmp_path, write=True) == FileFix(
        path, (Change(1, 11, ",", "，", "T101"),)
    )
    assert path.read_text(encoding="utf-8") == "title: 测试 ， 标题\n"
    assert fix_file(path, tmp_path, write=True) is None  # nothing left to fix


@pytest.mark.parametrize("linked", [False, True], ids=["replaced", "hard-linked"])
@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("01-a.md", "---\ntitle: 标题\nsource: 单位\n---\n\n甲,乙\n"),
        ("01-a.yaml", "title: 标题\nsource: 单位\nbody: |\n  甲,乙\n"),
    ],
    ids=["markdown", "yaml"],
)
@pytest.mark.parametrize(
    ("bom", "endings"),
    [(b"", "\r\n"), (b"\xef\xbb\xbf", "\r\n"), (b"", "\r"), (b"\xef\xbb\xbf", "mixed")],
)
def test_fix_keeps_the_bom_and_every_line_ending(
    tmp_path: Path, linked: bool, name: str, text: str, bom: bytes, endings: str
) -> None:
    """Each of the file's line endings (CRLF from Windows, a lone CR, or a mix) and its BOM
    come back exactly as they were, whichever way the file is written."""
    lines = text.split("\n")
    if endings == "mixed":
        ends = ["\r\n" if i % 2 else "\n" for i in range(len(lines) - 1)]
    else:
        ends = [endings] * (len(lines) - 1)
    original = bom + "".join(
        line + end for line, end in zip(lines, [*ends, ""], strict=True)
    ).encode("utf-8")
    path = _article(tmp_path, name, "")
    path.write_bytes(original)
    if linked:
        os.link(path, tmp_path / "link")
    result = fix_file(path, tmp_path, write=True)
    assert result is not None and result.problem is None and result.changes
    assert path.read_bytes() == original.replace("甲,乙".encode(), "甲，乙".encode())


def test_fix_file_refuses_a_fix_that_changes_the_line_count(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    path = _article(tmp_path, "01-a.md", "甲,乙\n")
    monkeypatch.setattr(
        fix,
        "fix_text",
        lambda text, kind, checks: (text + "多一行\n", [Change(1, 2, ",", "，", "T101")]),
    )
    assert fix_file(path, tmp_path, write=True) == FileFix(
        path, (), "修正会改变行数，已放弃（请手工修改）"
    )
    assert path.read_text(encoding="utf-8") == "甲,乙\n"


def test_fix_file_on_a_read_only_file(tmp_path: Path) -> None:
    path = _article(tmp_path, "01-a.md", "甲,乙\n")
    path.chmod(0o444)
    assert fix_file(path, tmp_path, write=True) == FileFix(
        path, (), "文件是只读的，未修改（请先取消只读属性）"
    )
    assert path.read_text(encoding="utf-8") == "甲,乙\n"


def test_writing_a_file_that_vanished_or_changed(tmp_path: Path) -> None:
    gone = tmp_path.resolve() / "gone.md"
    assert write_in_place(gone, b"a", b"b", tmp_path) == f"无法读取：文件或目录不存在（{gone}）"
    path = tmp_path / "a.md"
    path.write_bytes(b"saved meanwhile")
    assert _overwrite(path, b"original", b"fixed") == (
        "文件在修正期间被其他程序修改，未写入；请重新运行 --fix"
    )
    assert path.read_bytes() == b"saved meanwhile"
    assert _overwrite(tmp_path, b"", b"x") == f"无法写入：同名目录已存在（{tmp_path}）"


def test_fix_files_stays_in_its_targets(tmp_path: Path) -> None:
    (tmp_path / "briefing.yaml").write_text("name: 测试\nissuer: 测试办\n", encoding="utf-8")
    first = _article(tmp_path, "01-a.md", "甲,乙\n")
    other = tmp_path / "issues" / "2018-029" / "01-b.md"
    other.parent.mkdir(parents=True)
    other.write_text("丙,丁\n", encoding="utf-8")
    found = list(fix_files(tmp_path, [first.parent], write=False))
    assert [f.path for f in found] == [first]
    assert sorted(f.path.name for f in fix_files(tmp_path, [], write=False)) == [
        "01-a.md",
        "01-b.md",
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # two cells with the same text on one line: each is found at its own place
        (
            "| 指标 | 说明 |\n| --- | --- |\n| 甲,乙 | 甲,乙 |\n",
            "| 指标 | 说明 |\n| --- | --- |\n| 甲，乙 | 甲，乙 |\n",
        ),
        ("甲,乙\n   丙,丁\n", "甲，乙\n   丙，丁\n"),  # an indented continuation line
        ("> 甲,乙\n> 丙,丁\n", "> 甲，乙\n> 丙，丁\n"),
        ("- 甲,乙\n  丙,丁  \n  戊,己\n", "- 甲，乙\n  丙，丁  \n  戊，己\n"),
        ("甲,乙 `x` 甲,乙\n", "甲，乙 `x` 甲，乙\n"),
        ("[甲](u) 甲,乙\n", "[甲](u) 甲，乙\n"),
    ],
)
def test_inline_text_is_placed_in_its_source_line(text: str, expected: str) -> None:
    assert fix_text(text, kind="md")[0] == expected


@pytest.mark.parametrize("text", ["", "# 只有注释\n", "- 甲,乙\n", "甲,乙\n"])
def test_a_yaml_article_that_is_not_a_mapping_is_left(text: str) -> None:
    assert fix_text(text, kind="yaml") == (text, [])


def test_a_finding_that_is_not_fixable_does_not_stop_the_others() -> None:
    # the straight quotes (T102) come first and are for a person; the ... is fixed
    assert changes_of('推行"最多跑一次"改革...\n') == (
        '推行"最多跑一次"改革……\n',
        [(1, 12, "...", "……", "T106")],
    )
