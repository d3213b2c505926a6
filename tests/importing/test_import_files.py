"""Text encodings, files converted by LibreOffice, and files that cannot be imported."""

from __future__ import annotations

import io
import os
import zipfile
from pathlib import Path

import pytest

from briefing.render import pdf
from tests.conftest import issue_yaml
from tests.importing import submissions as sub
from tests.importing.conftest import body_texts, load, run


@pytest.mark.parametrize(
    ("encoding", "data_of", "label"),
    [
        ("gb18030", lambda t: t.encode("gb18030"), "GB18030（GBK/GB2312） 文本"),
        ("utf-16", lambda t: t.encode("utf-16"), "UTF-16 文本"),
        ("utf-16-le", lambda t: t.encode("utf-16-le"), "UTF-16（无 BOM） 文本"),
        ("utf-8-sig", lambda t: t.encode("utf-8-sig"), "UTF-8（带 BOM） 文本"),
        ("utf-8", lambda t: t.encode("utf-8"), "UTF-8 文本"),
    ],
)
def test_text_files_in_every_usual_encoding(
    workspace: Path, tmp_path: Path, encoding, data_of, label
) -> None:
    file = tmp_path / f"交警五大队-{encoding}.txt"
    file.write_bytes(data_of(sub.plain_text()))
    result = run(workspace, str(file))
    assert result.exit_code == 0, result.output
    assert f"（{label}）" in result.output
    article = load(next((workspace / "issues/2018-028").glob("01-*.md")))
    assert (article.title, article.subtitle, article.source) == (
        sub.TITLE,
        sub.SUBTITLE,
        sub.SOURCE,
    )
    assert article.note == sub.NOTE
    assert body_texts(article) == list(sub.BODY)


def test_doc_through_libreoffice(workspace: Path, doc_submissions: list[Path]) -> None:
    """Two .doc files made by LibreOffice, imported in one LibreOffice run."""
    result = run(workspace, *map(str, doc_submissions))
    assert result.exit_code == 0, result.output
    assert "（DOC→DOCX）" in result.output and "小标题 4 个，图片 1 张" in result.output
    article = load(workspace / "issues/2018-028/01-交警五大队-停车难.md")
    assert (article.title, article.subtitle, article.source) == (
        sub.TITLE,
        sub.SUBTITLE,
        sub.SOURCE,
    )
    assert body_texts(article) == list(sub.BODY)
    styled = load(workspace / "issues/2018-028/02-新桥社区-议事厅.md")
    assert (styled.title, styled.author) == ("街道推行“居民议事厅”", "作者：张明")


def test_missing_libreoffice_is_a_usage_error(workspace: Path, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(pdf, "find_soffice", lambda: None)
    doc = tmp_path / "a.doc"
    doc.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504)
    good = sub.manual_submission(tmp_path / "b.docx")
    result = run(workspace, str(good), str(doc))
    assert result.exit_code == 2
    assert "未找到 LibreOffice" in result.output and "a.doc" in result.output
    assert not list((workspace / "issues/2018-028").glob("*.md"))


def _fake_soffice(tmp_path: Path, body: str) -> str:
    script = tmp_path / "soffice"
    script.write_text(f"#!/bin/sh\n{body}\n", encoding="utf-8")
    script.chmod(0o755)
    return str(script)


def test_conversion_failures_are_file_errors(workspace: Path, tmp_path: Path, monkeypatch) -> None:
    """LibreOffice failing, or reading a broken file as text (gibberish), fails that file only."""
    import docx as python_docx

    gibberish = python_docx.Document()
    # what LibreOffice makes of a broken OLE file: its bytes read as text
    gibberish.add_paragraph("탏ᇠꆱ᫡Ầ쀄煃Ⓟ琢웾茁¥渓컻갫㤗嬆佘Ë뉁㹁狪룻䱣⇆쟎ܦꘆ縬韱⏳응層厽₝樦ꓘꨌ҅")
    gibberish.save(str(tmp_path / "gibberish.docx"))
    fake = _fake_soffice(
        tmp_path,
        f"""for a; do last="$a"; done
        case "$last" in *坏.doc) exit 1;; esac
        while [ "$1" != "--outdir" ]; do shift; done
        name=$(basename "$last"); cp "{tmp_path}/gibberish.docx" "$2/${{name%.*}}.docx"
        """,
    )
    monkeypatch.setattr(pdf, "find_soffice", lambda: fake)
    (tmp_path / "坏.doc").write_bytes(b"\xd0\xcf\x11\xe0" + os.urandom(500))
    (tmp_path / "乱码.wps").write_bytes(b"\xd0\xcf\x11\xe0" + os.urandom(500))
    good = sub.manual_submission(tmp_path / "好文件.docx")
    result = run(workspace, str(tmp_path / "坏.doc"), str(tmp_path / "乱码.wps"), str(good))
    assert result.exit_code == 1
    assert "坏.doc: 错误 无法导入：LibreOffice 无法打开它" in result.output
    assert "乱码.wps: 错误 无法导入：LibreOffice 读出的是乱码" in result.output
    assert [p.name for p in (workspace / "issues/2018-028").glob("*.md")] == ["01-好文件.md"]


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        for name, data in members.items():
            package.writestr(name, data)
    return buffer.getvalue()


BAD_FILES = {
    "损坏.docx": (b"PK\x03\x04 not really a zip" * 20, "文件可能已损坏"),
    "加密.docx": (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "EncryptedPackage".encode("utf-16-le") + b"\0" * 400,
        "设有打开密码",
    ),
    "改名的doc.docx": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 400, "旧版 Word"),
    "空白.docx": (b"", "文件是空的"),
    "不是文档.docx": (_zip({"hello.txt": b"hi"}), "已损坏"),
    "表格.docx": (
        _zip(
            {
                "[Content_Types].xml": b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>',
                "_rels/.rels": b'<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
                "xl/workbook.xml": b"<workbook/>",
            }
        ),
        "不是 Word 文档",
    ),
    "炸弹.docx": (_zip({"word/document.xml": b"\0" * (30 * 2**20)}), "压缩炸弹"),
    "空文本.txt": (b"\r\n\r\n\xe3\x80\x80\r\n", "没有文字"),
    "二进制.txt": (bytes(range(256)) * 4, "文本"),
    "图片.png": (b"\x89PNG\r\n\x1a\n", "不支持的文件类型"),
}


def test_unreadable_files_are_named_and_the_rest_still_import(
    workspace: Path, tmp_path: Path
) -> None:
    names = []
    for name, (data, _) in BAD_FILES.items():
        (tmp_path / name).write_bytes(data)
        names.append(str(tmp_path / name))
    good = sub.manual_submission(tmp_path / "交警五大队-停车难.docx")
    link = tmp_path / "链接.docx"
    link.symlink_to(good)
    result = run(workspace, *names, str(link), str(tmp_path / "不存在.docx"), str(good))
    assert result.exit_code == 1
    for name, (_, message) in BAD_FILES.items():
        line = next((x for x in result.output.splitlines() if name in x), "")
        assert message in line, (name, result.output)
    assert "符号链接" in result.output and "找不到这个文件" in result.output
    assert "Traceback" not in result.output
    assert [p.name for p in (workspace / "issues/2018-028").glob("*.md")] == [
        "01-交警五大队-停车难.md"
    ]


def test_oversized_file_is_refused(workspace: Path, tmp_path: Path, monkeypatch) -> None:
    from briefing.importing import batch

    monkeypatch.setattr(batch, "MAX_FILE_BYTES", 1000)
    good = sub.manual_submission(tmp_path / "a.docx")
    result = run(workspace, str(good))
    assert result.exit_code == 1 and "超过上限" in result.output


def test_unknown_issue_and_no_open_issue_are_usage_errors(make_workspace, tmp_path: Path) -> None:
    root = make_workspace({"issues/2018-028/issue.yaml": issue_yaml() + "published: true\n"})
    good = sub.manual_submission(tmp_path / "a.docx")
    assert run(root, str(good)).exit_code == 2
    result = run(root, str(good), "--issue", "2018-099")
    assert result.exit_code == 2 and "找不到期刊" in result.output


def test_located_warnings_for_guesses(workspace: Path, tmp_path: Path) -> None:
    import docx as python_docx

    document = python_docx.Document()
    document.add_paragraph("街道开展消防安全检查")
    document.add_paragraph("\u3000\u3000正文。")
    document.add_paragraph().add_run().add_picture(str(sub.SAMPLE_PNG))
    document.add_paragraph("\u3000\u3000结尾。")
    file = tmp_path / "消防.docx"
    document.save(str(file))
    text = tmp_path / "通知.txt"
    text.write_text(
        "标题\n\n\u3000\u3000正文第一段。\n（二〇一八年十二月一日）\n", encoding="utf-8"
    )
    result = run(workspace, str(file), str(text))
    assert result.exit_code == 0, result.output
    output = result.output
    assert "消防.docx: 警告 第 3 段：图片下方没有“图为…”说明" in output
    assert "消防.docx: 警告 未找到供稿单位：请用 --source 指定" in output
    assert "通知.txt:4:1: 警告 文末日期“（二〇一八年十二月一日）”没有导入" in output
    # a guessed title is not a warning but a field to check, listed under its file's line
    assert "消防.docx → 已导入" in output
    assert "  请核对以下推测所得的字段：标题（第 1 段：没有标题格式，按标题处理）\n" in output
    assert "import" not in output


def test_unusable_picture_format_is_skipped(workspace: Path, tmp_path: Path, monkeypatch) -> None:
    from briefing.importing import batch
    from briefing.importing.recognise import Block, Imported
    from briefing.importing.source import Picture

    article = Imported("标题", [Block("image", 4, picture=Picture(b"\x01\x00\x00\x00", "emf"))])
    written = batch._prepare(tmp_path / "a.docx", "DOCX", article, workspace / "x/01-a.md", False)
    assert written.pictures == ()
    assert article.warnings == [(4, "图片格式 EMF 无法用于简报，已跳过")]


def test_images_folder_symlink_is_refused(workspace: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (workspace / "issues/2018-028/images").symlink_to(elsewhere)
    result = run(workspace, str(sub.manual_submission(tmp_path / "a.docx")))
    assert result.exit_code == 2 and "符号链接" in result.output
    assert list(elsewhere.iterdir()) == []
