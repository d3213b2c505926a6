"""领导批示 after publication: ``briefing instruction`` and the register ``instructions.yaml``.

A 批示 arrives after the issue is signed; recording it must never change a signed file, and
``check``, ``build``, ``stats``, ``list``, ``search`` and ``site`` must all see it.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from briefing.cli import app
from tests.conftest import BASE_CONFIG, REPO, WorkspaceFactory, issue_yaml

runner = CliRunner()

SNAIL = """\
---
title: “三力并举”激活“蜗牛工程”
source: 建设局
---

今年以来，区建设局着力破解蜗牛工程难题。
"""
GRID_WITH_INSTRUCTION = """\
---
title: 街道推行网格化管理
source: 长河街道
instructions:
  - {by: 王军, date: 2018-12-24, text: 此做法很好，请各单位学习借鉴。}
note: 网格化管理值得推广。
---

今年以来，街道把辖区划分为42个网格。
"""


def run(root: Path, *args: str | Path):  # type: ignore[no-untyped-def]
    return runner.invoke(app, ["-C", str(root), *map(str, args)])


def snapshot(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture
def desk(make_workspace: WorkspaceFactory) -> Path:
    return make_workspace(
        {
            "issues/2018-028/issue.yaml": issue_yaml(),
            "issues/2018-028/01-snail.md": SNAIL,
            "issues/2018-028/02-grid.md": GRID_WITH_INSTRUCTION.replace(
                "instructions:\n  - {by: 王军, date: 2018-12-24, text: 此做法很好，请各单位学习借鉴。}\n",
                "",
            ),
        }
    )


def add(root: Path, *args: str):  # type: ignore[no-untyped-def]
    return run(root, "instruction", "add", *args)


def test_a_instruction_on_a_published_issue_changes_no_signed_byte(desk: Path) -> None:
    published = run(desk, "publish", "2018-028", "--format", "docx,html")
    assert published.exit_code == 0, published.output
    before = snapshot(desk / "issues")
    outputs = snapshot(desk / "build/2018-028")  # the DOCX and HTML as signed

    result = add(
        desk, "2018-028", "1", "--by", "李明远", "--position", "区委书记",
        "--date", "2018年12月28日", "--text", "此做法很好，请各单位学习借鉴。",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "已登记第 1 条批示：2018-028 第 1 篇《“三力并举”激活“蜗牛工程”》" in result.output
    assert "李明远（区委书记），2018-12-28" in result.output
    assert snapshot(desk / "issues") == before  # not one byte of the signed issue changed

    check = run(desk, "check")
    assert (check.exit_code, check.output) == (0, "检查通过：没有发现问题\n")
    rebuilt = run(desk, "build", "2018-028", "--format", "docx,html")
    assert rebuilt.exit_code == 0, rebuilt.output
    assert "已核对：DOCX、HTML 与签发记录逐字节一致" in rebuilt.output
    assert snapshot(desk / "build/2018-028") | outputs == snapshot(desk / "build/2018-028")

    stats = json.loads(run(desk, "stats", "--format", "json").output)
    assert stats["total"] == {
        "name": "合计", "adopted": 2, "instructions": 1, "instructed_articles": 1,
    }  # fmt: skip
    assert stats["rows"][0]["name"] == "建设局" and stats["rows"][0]["instructions"] == 1
    register = run(desk, "list")
    row = next(line for line in register.output.splitlines() if "2018-028" in line)
    assert row.split("│")[5].strip() == "1"  # the 批示 column
    hits = run(desk, "search", "学习借鉴")
    assert hits.exit_code == 0
    assert hits.output.splitlines() == [
        "instructions.yaml:5: 2018年第二十八期（总第646期） 《“三力并举”激活“蜗牛工程”》 "
        "李明远（区委书记）批示：此做法很好，请各单位【学习借鉴】。"
    ]
    site = run(desk, "site")
    assert site.exit_code == 0, site.output
    page = (desk / "build" / "stats.html").read_text(encoding="utf-8")
    assert "采用 2 篇，领导批示 1 件" in page


def test_the_article_is_named_by_number_file_title_or_path(desk: Path) -> None:
    for number, (which, by) in enumerate(
        [
            (("2018-028", "02-grid.md"), "甲"),
            (("2018-028", "02-grid"), "乙"),
            (("2018-028", "网格化"), "丙"),
            (("issues/2018-028/02-grid.md",), "丁"),
        ],
        start=1,
    ):
        result = add(desk, *which, "--by", by, "--date", "2018-12-21")
        assert result.exit_code == 0, result.output
        assert (
            f"已登记第 {number} 条批示：2018-028 第 2 篇《街道推行网格化管理》，{by}"
            in result.output
        )
    records = (desk / "instructions.yaml").read_text(encoding="utf-8")
    assert records.count("article: 02-grid.md") == 4
    assert "instructions:\n  - issue: 2018-028\n    article: 02-grid.md\n    by: 甲\n" in records


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("2018-099", "1", "--by", "李明远", "--date", "2018-12-28"), "找不到期刊“2018-099”"),
        (("2018-028", "3", "--by", "李明远", "--date", "2018-12-28"), "期刊 2018-028 中没有“3”这篇文稿；本期文稿：1. 01-snail.md《“三力并举”激活“蜗牛工程”》"),
        (("2018-028", "“", "--by", "李明远", "--date", "2018-12-28"), "“”对应多篇文稿，请写序号或文件名"),
        (("2018-028", "--by", "李明远", "--date", "2018-12-28"), "请指明哪一篇文稿"),
        (("2018-028", "1", "--date", "2018-12-28"), "缺少批示人：请用 --by 指定"),
        (("2018-028", "1", "--by", "李明远"), "缺少批示日期（如 2019-01-28）：请用 --date 指定"),
        (("2018-028", "1", "--by", "李明远", "--date", "12月28日"), "批示日期“12月28日”格式不对，应写成 2019-01-28 或 2019年1月28日"),
        (("2018-028", "1", "--by", "李明远", "--date", "2018-02-30"), "批示日期“2018-02-30”不存在：2018年没有2月30日"),
        (("2018-028", "1", "--by", "李明远", "--date", "2018-12-01"), "批示日期 2018-12-01 早于期刊 2018-028 的出刊日期 2018-12-20"),
        (("2018-028", "1", "--by", "李明远\n王军", "--date", "2018-12-28"), "批示人中不能有换行或控制字符"),
        (("2018-028", "1", "--by", "李" * 21, "--date", "2018-12-28"), "过长（上限 20 字）"),
        (("2018-028", "1", "--by", "李明远", "--position", "书记\x07", "--date", "2018-12-28"), "职务中不能有换行或控制字符"),
        (("2018-028", "1", "--by", "李明远", "--date", "2018-12-28", "--text", "好" * 2001), "批示内容过长（2001 字，上限 2000 字）"),
    ],
)  # fmt: skip
def test_every_part_is_checked_with_a_chinese_message(
    desk: Path, args: tuple[str, ...], message: str
) -> None:
    if message.startswith("“”"):  # two titles hold “: the part names both articles
        (desk / "issues/2018-028/02-grid.md").write_text(
            SNAIL.replace("“三力并举”激活“蜗牛工程”", "“网格”管理").replace("蜗牛", "网格"),
            encoding="utf-8",
        )
    result = add(desk, *args)
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert "Traceback" not in result.output
    assert not (desk / "instructions.yaml").exists()


def test_the_same_instruction_twice_is_refused(desk: Path) -> None:
    args = ("2018-028", "1", "--by", "李明远", "--date", "2018-12-28", "--text", "好。")
    assert add(desk, *args).exit_code == 0
    again = add(desk, *args)
    assert again.exit_code == 2
    assert "这条批示已经登记过（李明远，2018-12-28）" in again.output


def test_list_and_remove_keep_the_editors_comments(desk: Path) -> None:
    register = desk / "instructions.yaml"
    register.write_text(
        "# 2018年批示登记（信息科）\ninstructions:\n"
        "- issue: 2018-028\n  article: 01-snail.md\n  by: 甲\n  date: 2018-12-21\n"
        "# 下面一条是电话传达的\n"
        "- issue: 2018-028\n  article: 02-grid.md\n  by: 乙\n  position: 副区长\n"
        "  date: 2018-12-22\n  text: 请抓好落实。\n",
        encoding="utf-8",
    )
    assert add(desk, "2018-028", "1", "--by", "丙", "--date", "2018-12-23", "--text", "阅。\n同意。").exit_code == 0  # fmt: skip
    listed = run(desk, "instruction", "list")
    assert listed.exit_code == 0, listed.output
    lines = [line for line in listed.output.splitlines() if "│" in line and "2018-028" in line]
    assert [line.split("│")[1].strip() for line in lines] == ["1", "2", "3"]
    assert "乙（副区长）" in listed.output and "请抓好落实。" in listed.output

    removed = run(desk, "instruction", "remove", "1")
    assert removed.exit_code == 0, removed.output
    assert "已删除第 1 条批示：2018-028 01-snail.md，甲，2018-12-21" in removed.output
    assert register.read_text(encoding="utf-8") == (
        "# 2018年批示登记（信息科）\ninstructions:\n"
        "# 下面一条是电话传达的\n"
        "- issue: 2018-028\n  article: 02-grid.md\n  by: 乙\n  position: 副区长\n"
        "  date: 2018-12-22\n  text: 请抓好落实。\n"
        "- issue: 2018-028\n  article: 01-snail.md\n  by: 丙\n  date: 2018-12-23\n"
        "  text: |-\n    阅。\n    同意。\n"
    )
    missing = run(desk, "instruction", "remove", "7")
    assert missing.exit_code == 2 and "批示登记簿中没有第 7 条；现有：1、2" in missing.output
    only = run(desk, "instruction", "list", "2018-099")
    assert only.exit_code == 0 and "还没有登记领导批示" in only.output


def test_a_register_in_flow_style_is_rewritten_whole(desk: Path) -> None:
    register = desk / "instructions.yaml"
    register.write_text(
        "instructions: [{issue: 2018-028, article: 01-snail.md, by: 甲, date: 2018-12-21}]\n",
        encoding="utf-8",
    )
    assert add(desk, "2018-028", "2", "--by", "乙", "--date", "2018-12-22").exit_code == 0
    text = register.read_text(encoding="utf-8")
    assert text.startswith("# 领导批示登记簿")
    assert "  - issue: 2018-028\n    article: 01-snail.md\n    by: 甲\n" in text
    assert "    article: 02-grid.md\n    by: 乙\n" in text


def test_register_problems_are_located_and_block_writing(desk: Path) -> None:
    register = desk / "instructions.yaml"
    register.write_text(
        "instructions:\n"
        "  - {issue: 2018-028, article: 09-gone.md, by: 甲, date: 2018-12-21}\n"
        "  - {issue: 2017-001, article: 01.md, by: 乙, date: 2018-12-21}\n"
        "  - {issue: 2018-028, article: 01-snail.md, by: 丙, date: 2018-01-21}\n"
        "  - {issue: 2018-028, article: 01-snail.md, bye: 丁, date: 2018-12-21}\n",
        encoding="utf-8",
    )
    check = run(desk, "check")
    assert check.exit_code == 1
    assert check.output.splitlines()[:5] == [
        "instructions.yaml:2:5: M008 第 1 条批示的文稿“09-gone.md”不在期刊 2018-028 中；"
        "文稿改过文件名时请同样修改 article",
        "instructions.yaml:3:5: M008 第 2 条批示所在的期刊“2017-001”不存在；请核对 issue",
        "instructions.yaml:4:5: M009 第 3 条批示的日期 2018-01-21 早于期刊 2018-028 的出刊日期 "
        "2018-12-20；请核对日期",
        "instructions.yaml:5:1: M001 缺少必填字段“instructions[4].by”",
        "instructions.yaml:5:1: M002 未知字段“instructions[4].bye”，是不是“instructions[4].by”？",
    ]
    # the issue itself is fine: it still builds
    assert run(desk, "build", "--format", "html").exit_code == 0
    refused = add(desk, "2018-028", "1", "--by", "戊", "--date", "2018-12-28")
    assert refused.exit_code == 1
    assert "先修正 instructions.yaml，再登记或删除批示" in refused.output


def test_a_symlinked_register_is_never_written_through(desk: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside.yaml"
    outside.write_text("instructions:\n", encoding="utf-8")
    (desk / "instructions.yaml").symlink_to(outside)
    result = add(desk, "2018-028", "1", "--by", "李明远", "--date", "2018-12-28")
    assert result.exit_code == 2
    assert "instructions.yaml 是符号链接；为安全起见不写入它" in result.output
    assert outside.read_text(encoding="utf-8") == "instructions:\n"
    assert "F009" in run(desk, "check").output


def test_migrate_moves_unpublished_instructions_and_never_touches_a_signed_issue(
    make_workspace: WorkspaceFactory,
) -> None:
    root = make_workspace(
        {
            "issues/2018-028/issue.yaml": issue_yaml(),
            "issues/2018-028/01-grid.md": GRID_WITH_INSTRUCTION,
            "issues/2018-029/issue.yaml": issue_yaml(29, 647, date="2018-12-27"),
            "issues/2018-029/01-grid.md": GRID_WITH_INSTRUCTION.replace("2018-12-24", "2018-12-28"),
        },
        config=BASE_CONFIG,
    )
    assert run(root, "publish", "2018-028", "--format", "html").exit_code == 0
    signed = snapshot(root / "issues/2018-028")
    counted = json.loads(run(root, "stats", "--format", "json").output)["total"]
    assert counted["instructions"] == 2

    dry = run(root, "instruction", "migrate", "--dry-run")
    assert dry.exit_code == 0, dry.output
    assert "issues/2018-029/01-grid.md：1 条批示将移到 instructions.yaml" in dry.output
    assert not (root / "instructions.yaml").exists()

    moved = run(root, "instruction", "migrate")
    assert moved.exit_code == 0, moved.output
    assert "issues/2018-029/01-grid.md：1 条批示已移到 instructions.yaml" in moved.output
    assert "期刊 2018-028 已签发：文稿中的 1 条批示留在原处" in moved.output
    assert snapshot(root / "issues/2018-028") == signed
    article = (root / "issues/2018-029/01-grid.md").read_text(encoding="utf-8")
    assert article == GRID_WITH_INSTRUCTION.replace(
        "instructions:\n  - {by: 王军, date: 2018-12-24, text: 此做法很好，请各单位学习借鉴。}\n",
        "",
    )
    register = (root / "instructions.yaml").read_text(encoding="utf-8")
    assert (
        "  - issue: 2018-029\n    article: 01-grid.md\n    by: 王军\n    date: 2018-12-28\n"
        in register
    )
    assert json.loads(run(root, "stats", "--format", "json").output)["total"] == counted
    assert run(root, "check").exit_code == 0
    again = run(root, "instruction", "migrate")
    assert "2018-029" not in again.output  # nothing left to move


def test_an_instruction_in_both_places_counts_once(desk: Path) -> None:
    (desk / "issues/2018-028/02-grid.md").write_text(GRID_WITH_INSTRUCTION, encoding="utf-8")
    (desk / "instructions.yaml").write_text(
        "instructions:\n  - issue: 2018-028\n    article: 02-grid.md\n    by: 王军\n"
        "    date: 2018-12-24\n    text: 此做法很好，请各单位学习借鉴。\n",
        encoding="utf-8",
    )
    stats = json.loads(run(desk, "stats", "--format", "json").output)
    assert stats["total"]["instructions"] == 1
    listed = run(desk, "instruction", "list").output
    assert "文稿内" not in listed


def test_concurrent_recording_loses_nothing(desk: Path) -> None:
    """Four editors record at once: the workspace lock keeps every record."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}

    def start(name: str) -> subprocess.Popen[str]:
        command = ["instruction", "add", "2018-028", "1", "--by", name, "--date", "2018-12-28"]
        return subprocess.Popen(
            [sys.executable, "-m", "briefing", "-C", str(desk), *command],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )

    processes = [start(name) for name in ("甲", "乙", "丙", "丁")]
    for process in processes:
        _, err = process.communicate(timeout=60)
        assert process.returncode == 0, err
    text = (desk / "instructions.yaml").read_text(encoding="utf-8")
    assert sorted(line for line in text.splitlines() if "by:" in line) == [
        f"    by: {name}" for name in sorted("甲乙丙丁")
    ]


@pytest.mark.parametrize(
    ("register", "finding"),
    [
        ("instructions: 5\n", "instructions.yaml:1:15: M003 instructions 应为批示列表（每条以“- issue: …”开始）"),
        ("instructions:\n  - 李明远同意\n", "instructions.yaml:2:5: M003 第 1 条批示应为“issue: …、article: …、by: …、date: …”的映射"),
        ("instructions: []\nnotes: x\n", "instructions.yaml:2:1: M002 未知字段“notes”；可用字段：instructions"),
        ("instructions:\n  - {issue: 2018-028\n", "instructions.yaml:2:5: F002 YAML 语法错误"),
    ],
)  # fmt: skip
def test_a_register_of_the_wrong_shape_is_located(desk: Path, register: str, finding: str) -> None:
    (desk / "instructions.yaml").write_text(register, encoding="utf-8")
    check = run(desk, "check")
    assert check.exit_code == 1
    assert any(line.startswith(finding) for line in check.output.splitlines()), check.output
    stats = run(desk, "stats", "--format", "json")
    assert json.loads(stats.stdout)["total"]["instructions"] == 0


def test_migrate_leaves_an_article_it_cannot_edit_exactly(make_workspace: WorkspaceFactory) -> None:
    crlf = GRID_WITH_INSTRUCTION.replace("\n", "\r\n").encode("utf-8")
    root = make_workspace(
        {"issues/2018-028/issue.yaml": issue_yaml(), "issues/2018-028/01-grid.md": crlf}
    )
    result = run(root, "instruction", "migrate")
    assert result.exit_code == 0, result.output
    assert (
        "issues/2018-028/01-grid.md: 警告 元数据中的 instructions 无法安全地单独删除"
        in result.output
    )
    assert (root / "issues/2018-028/01-grid.md").read_bytes() == crlf
    assert not (root / "instructions.yaml").exists()
    listed = run(root, "instruction", "list")
    assert "文稿内" in listed.output and "王军" in listed.output
