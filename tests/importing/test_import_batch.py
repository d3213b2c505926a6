"""``briefing import``'s batch: which files go to LibreOffice and how, the refusal of each bad
file, the names it writes (articles, pictures) and the unit guessed from a file name.

LibreOffice is replaced by stand-ins that record how they were called: these tests are fast and
pin the calls a real conversion depends on."""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path

import docx as python_docx
import pytest

from briefing.errors import Severity, UsageError
from briefing.importing import batch
from briefing.importing.docx_reader import read_docx
from briefing.importing.recognise import Block, Imported
from briefing.importing.source import Document, Para, Picture, Run, Unreadable
from briefing.load import load_settings
from briefing.render import converter, pdf
from briefing.rules import Reporter
from briefing.textio import read_reason
from tests.factory import SAMPLE_PNG
from tests.importing import submissions as sub


class Recorder:
    """A progress that remembers its tasks and how far each advanced."""

    def __init__(self) -> None:
        self.tasks: list[list] = []

    @contextmanager
    def task(self, description, total=None):  # type: ignore[no-untyped-def]
        entry = [description, total, 0]
        self.tasks.append(entry)

        class _Task:
            def advance(self, amount: int = 1) -> None:
                entry[2] += amount

        yield _Task()


def _docx_bytes(tmp_path: Path, title: str = "街道开展消防安全检查") -> bytes:
    document = python_docx.Document()
    document.add_paragraph(title)
    document.add_paragraph("\u3000\u3000正文第一段。")
    path = tmp_path / f"{title}.docx"
    document.save(str(path))
    return path.read_bytes()


def _no_warm(monkeypatch, calls: list | None = None) -> None:
    def find(root, fonts_conf):  # type: ignore[no-untyped-def]
        if calls is not None:
            calls.append((root, fonts_conf))

    monkeypatch.setattr(converter.WarmClient, "find", classmethod(lambda cls, r, f: find(r, f)))


# --------------------------------------------------------------------------- converting


def test_convertible_files_share_one_libreoffice_run(tmp_path: Path, monkeypatch) -> None:
    data = _docx_bytes(tmp_path)
    files = {
        name: tmp_path / name for name in ("缺失.doc", "甲.doc", "乙.WPS", "丙.docx", "丁.txt")
    }
    for name, file in files.items():
        if name != "缺失.doc":
            file.write_bytes(b"x" * 10)
    calls: list = []

    @contextmanager
    def many(sources, convert_to, suffix, *, timeout, what):  # type: ignore[no-untyped-def]
        calls.append((list(sources), convert_to, suffix, timeout, what))
        out = tmp_path / "out.docx"
        out.write_bytes(data)
        yield {sources[0]: out, sources[1]: None}

    found: list = []
    _no_warm(monkeypatch, found)
    monkeypatch.setattr(pdf, "soffice_convert_many", many)
    progress = Recorder()
    order = [files["缺失.doc"], *files.values(), files["甲.doc"]]
    converted = batch._convert_all(order, tmp_path, progress)
    assert converted == {files["甲.doc"]: data}
    assert calls == [
        ([files["甲.doc"], files["乙.WPS"]], "docx:MS Word 2007 XML", "docx", 160.0, "DOCX")
    ]
    assert found == [(tmp_path, None)]
    assert progress.tasks == [["LibreOffice 转换 2 个文件为 DOCX", None, 0]]


def test_one_file_or_a_failed_run_is_converted_on_its_own(tmp_path: Path, monkeypatch) -> None:
    one = tmp_path / "甲.doc"
    one.write_bytes(b"x")
    other = tmp_path / "乙.rtf"
    other.write_bytes(b"x")
    calls: list = []

    @contextmanager
    def many(sources, convert_to, suffix, *, timeout, what):  # type: ignore[no-untyped-def]
        calls.append(list(sources))
        raise UsageError("LibreOffice 超时")
        yield {}

    found: list = []
    _no_warm(monkeypatch, found)
    monkeypatch.setattr(pdf, "soffice_convert_many", many)
    assert batch._convert_all([one, tmp_path / "丙.docx"], tmp_path, Recorder()) == {}
    assert calls == []
    assert batch._convert_all([one, other], tmp_path, Recorder()) == {}
    assert calls == [[one, other]]
    # no file to convert: the preview's LibreOffice is not even looked for
    assert batch._convert_all([tmp_path / "丙.docx"], tmp_path, Recorder()) == {}
    assert found == [(tmp_path, None), (tmp_path, None)]


def test_the_previews_warm_libreoffice_converts_one_by_one(tmp_path: Path, monkeypatch) -> None:
    files = [tmp_path / "坏.doc", tmp_path / "甲.doc", tmp_path / "乙.odt"]
    for file in files:
        file.write_bytes(b"x")
    calls: list = []

    class Warm:
        def convert(self, source, target, *, timeout):  # type: ignore[no-untyped-def]
            calls.append((source, target, timeout))
            if source.name == "坏.doc":
                raise UsageError("打不开")
            return source.name.encode()

    warm = Warm()
    monkeypatch.setattr(converter.WarmClient, "find", classmethod(lambda cls, r, f: warm))
    monkeypatch.setattr(pdf, "soffice_convert_many", None)
    progress = Recorder()
    converted = batch._convert_all(files, tmp_path, progress)
    assert converted == {files[1]: "甲.doc".encode(), files[2]: "乙.odt".encode()}
    assert calls == [(file, pdf.DOCX, 120.0) for file in files]
    assert progress.tasks == [["LibreOffice 转换为 DOCX", 3, 3]]


def test_a_file_converted_alone(tmp_path: Path, monkeypatch) -> None:
    data = _docx_bytes(tmp_path)
    file = tmp_path / "甲.WPS"
    calls: list = []

    @contextmanager
    def one(source, convert_to, suffix, *, timeout, what):  # type: ignore[no-untyped-def]
        calls.append((source, convert_to, suffix, timeout, what))
        out = tmp_path / "one.docx"
        out.write_bytes(data)
        yield out

    monkeypatch.setattr(pdf, "soffice_convert", one)
    doc = batch._read_converted(file, None)
    assert calls == [(file, "docx:MS Word 2007 XML", "docx", 120.0, "DOCX")]
    expected = read_docx(data)
    assert (doc.items, doc.kind, doc.styles) == (expected.items, "WPS→DOCX", expected.styles)
    assert expected.styles


def test_converted_bytes_are_not_converted_again(tmp_path: Path, monkeypatch) -> None:
    data = _docx_bytes(tmp_path)
    file = tmp_path / "甲.doc"
    file.write_bytes(b"x")
    monkeypatch.setattr(pdf, "soffice_convert", None)
    report = batch.ImportReport()
    doc = batch._read(file, report, {file: data})
    assert report.diagnostics == [] and doc is not None and doc.kind == "DOC→DOCX"


def test_libreoffice_failing_on_a_file_names_its_first_line(tmp_path: Path, monkeypatch) -> None:
    @contextmanager
    def failing(source, convert_to, suffix, *, timeout, what):  # type: ignore[no-untyped-def]
        raise UsageError("LibreOffice 退出码 1\n详细输出")
        yield source

    monkeypatch.setattr(pdf, "soffice_convert", failing)
    with pytest.raises(Unreadable) as caught:
        batch._read_converted(tmp_path / "甲.doc", None)
    assert (
        str(caught.value) == "LibreOffice 无法打开它（文件损坏或设有密码？）：LibreOffice 退出码 1"
    )


# --------------------------------------------------------------------------- refusing


def test_each_bad_file_gets_its_own_refusal(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(batch, "MAX_FILE_BYTES", 2**20)
    monkeypatch.setattr(batch, "MAX_TEXT_BYTES", 2 * 2**20)
    (tmp_path / "文件夹.docx").mkdir()
    (tmp_path / "空.docx").write_bytes(b"")
    (tmp_path / "一字节.docx").write_bytes(b"x")
    (tmp_path / "刚好.docx").write_bytes(b"x" * 2**20)
    (tmp_path / "太大.doc").write_bytes(b"x" * (2**20 + 2**19))
    (tmp_path / "大文本.txt").write_bytes(b"x" * (2**20 + 2**19))
    (tmp_path / "太大文本.txt").write_bytes(b"x" * (5 * 2**20 // 2))
    (tmp_path / "图.png").write_bytes(b"x")
    (tmp_path / "链接.docx").symlink_to(tmp_path / "一字节.docx")

    def reason(name: str) -> str:
        try:
            return batch._check_file(tmp_path / name)
        except Unreadable as exc:
            return str(exc)

    assert {
        name: reason(name)
        for name in (
            "文件夹.docx",
            "不存在.docx",
            "空.docx",
            "一字节.docx",
            "刚好.docx",
            "太大.doc",
            "大文本.txt",
            "太大文本.txt",
            "图.png",
            "链接.docx",
        )
    } == {
        "文件夹.docx": "不是普通文件",
        "不存在.docx": "找不到这个文件",
        "空.docx": "文件是空的",
        "一字节.docx": ".docx",
        "刚好.docx": ".docx",
        "太大.doc": "文件有 1.5 MB，超过上限 1 MB，不予读取",
        "大文本.txt": ".txt",
        "太大文本.txt": "文件有 2.5 MB，超过上限 2 MB，不予读取",
        "图.png": "不支持的文件类型；可以导入 .docx、.doc、.wps、.rtf、.odt 和 .txt 文件",
        "链接.docx": "是符号链接，不予读取；请直接给出文件本身",
    }


def test_a_file_that_cannot_be_read_is_reported(tmp_path: Path, monkeypatch) -> None:
    from briefing.importing import textfile

    error = PermissionError(13, "Permission denied", "甲.txt")

    def refuse(data: bytes):  # type: ignore[no-untyped-def]
        raise error

    monkeypatch.setattr(textfile, "read_text_file", refuse)
    file = tmp_path / "甲.txt"
    file.write_text("标题\n", encoding="utf-8")
    report = batch.ImportReport()
    assert batch._read(file, report, {}) is None
    assert [(d.severity, d.message, d.path) for d in report.diagnostics] == [
        (Severity.ERROR, f"无法读取文件：{read_reason(error)}", file)
    ]


def _doc(*pictures: Picture) -> Document:
    return Document((Para((Run("正文"),), 3, pictures=pictures),), "DOCX")


def test_picture_refusals(tmp_path: Path, monkeypatch) -> None:
    from briefing import textio

    png = SAMPLE_PNG.read_bytes()
    monkeypatch.setattr(textio, "MAX_PICTURE_BYTES", len(png) + 2**20)
    file = tmp_path / "甲.docx"
    linked = Picture(b"", "png", "链接到文件 a.png", linked=True)
    messages = [
        d.message
        for d in batch._picture_refusals(file, _doc(linked, Picture(png + b"\0" * 2**21, "png")))
    ]
    assert messages == [
        "第 3 段的图片无法使用：超过 1 MB；未导入这个文件（请在 Word 中删除该图片或重新插入后再导入）"
    ]
    emf = Picture(b"\x01\x00\x00\x00" * 4, "emf")
    assert batch._picture_refusals(file, _doc(emf, Picture(png, "png"))) == []


# --------------------------------------------------------------------------- naming


@pytest.mark.parametrize(
    ("stem", "title", "unit"),
    [
        ("东湖镇-关于加强防汛工作的报告", "关于加强防汛工作的报告", "东湖镇"),
        ("20181201-东湖镇-报告", "报告", "东湖镇"),
        ("2018年12月-东湖镇-报告", "报告", "东湖镇"),
        ("东湖-报告", "报告", "东湖"),
        ("ABC-报告", "报告", None),
        ("报告", "报告", None),
        (
            "一二三四五六七八九十一二三四五六七八九十-报告",
            "报告",
            "一二三四五六七八九十一二三四五六七八九十",
        ),
        ("一二三四五六七八九十一二三四五六七八九十一-报告", "报告", None),
        ("东湖镇防汛-东湖镇防汛工作", "东湖镇防汛工作", None),
        ("东湖-东湖防汛", "东湖防汛", "东湖"),
        ("东湖镇-东湖镇开展防汛", "东湖镇开展防汛", "东湖镇"),
    ],
)
def test_unit_guessed_from_the_file_name(stem: str, title: str, unit: str | None) -> None:
    assert batch.source_from_filename(stem, title) == unit


def test_slugs_of_file_names() -> None:
    assert batch._slug("X" + "a" * 38 + "-b") == "X" + "a" * 38
    assert batch._slug("a" * 39 + " b") == "a" * 39
    assert batch._slug("！！！") == "import"


def test_picture_names(tmp_path: Path) -> None:
    article = tmp_path / "03-甲.md"
    (tmp_path / "images").mkdir()
    assert batch._picture_name(article, "png", set(), False) == "03-1.png"
    assert batch._picture_name(article, "png", {"03-1.png"}, False) == "03-2.png"
    (tmp_path / "images/03-1.png").write_bytes(b"x")
    assert batch._picture_name(article, "png", set(), False) == "03-2.png"
    assert batch._picture_name(article, "png", set(), True) == "03-1.png"
    assert batch._picture_name(tmp_path / "甲.md", "jpg", set(), False) == "import-1.jpg"
    full = {f"03-{n}.png" for n in range(1, 10_000)}
    with pytest.raises(UsageError) as caught:
        batch._picture_name(article, "png", full, True)
    assert str(caught.value) == f"{tmp_path / 'images'} 中的图片太多，无法再命名新图片"


def test_pictures_are_numbered_in_order(tmp_path: Path) -> None:
    png = SAMPLE_PNG.read_bytes()
    article = Imported(
        "标题",
        [
            Block("image", 2, picture=Picture(b"", "png", "链接到文件", linked=True)),
            Block("image", 3, picture=Picture(b"\x01\x00", "emf")),
            Block("image", 4, picture=Picture(png, "png")),
            Block("image", 5, picture=Picture(png, "png")),
        ],
    )
    written = batch._prepare(tmp_path / "a.docx", "DOCX", article, tmp_path / "01-a.md", False)
    assert [p.name for p, _ in written.pictures] == ["01-1.png", "01-2.png"]
    assert written.text.index("images/01-1.png") < written.text.index("images/01-2.png")


def test_existing_articles_by_slug_and_title(tmp_path: Path) -> None:
    outside = tmp_path / "outside.md"
    outside.write_text("---\ntitle: 外面\n---\n", encoding="utf-8")
    root = tmp_path / "ws"
    folder = root / "issues/2018-028"
    folder.mkdir(parents=True)
    (folder / "01-链接.md").symlink_to(outside)
    (folder / "02-引号.md").write_bytes(
        b'---\ntitle: "\xe6\xa0\x87\xe9\xa2\x98\\"\xe5\xbc\x95\xe5\x8f\xb7\\""\nx: \xff\n---\n'
    )
    (folder / "03-ascii.md").write_text(
        "---\nx: " + "a" * 3980 + "\ntitle: abcdefgh\n", encoding="utf-8"
    )
    (folder / "04-wide.md").write_text(
        "---\nx: " + "\U0001f600" * 2995 + "\ntitle: ABCDEFGH\n", encoding="utf-8"
    )
    found = batch._existing_articles(folder, root)
    assert found == {
        "链接": folder / "01-链接.md",
        "引号": folder / "02-引号.md",
        '标题"引号"': folder / "02-引号.md",
        "ascii": folder / "03-ascii.md",
        "abcde": folder / "03-ascii.md",
        "wide": folder / "04-wide.md",
        "ABCDE": folder / "04-wide.md",
    }


# --------------------------------------------------------------------------- the batch


def _settings(root: Path):  # type: ignore[no-untyped-def]
    return load_settings(root, Reporter())


def test_images_folder_symlink_is_named(workspace: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    folder = workspace / "issues/2018-028"
    (folder / "images").symlink_to(elsewhere)
    good = sub.manual_submission(tmp_path / "a.docx", picture=False)
    with pytest.raises(UsageError) as caught:
        batch.import_files(_settings(workspace), [good])
    assert str(caught.value) == f"{folder / 'images'} 是符号链接；为安全起见不向其中写入图片"


def test_an_article_already_in_the_issue_is_refused(workspace: Path, tmp_path: Path) -> None:
    settings = _settings(workspace)
    first = sub.manual_submission(tmp_path / "交警五大队-停车难.docx", picture=False)
    progress = Recorder()
    report = batch.import_files(settings, [first], progress=progress)
    assert [w.path.name for w in report.written] == ["01-交警五大队-停车难.md"]
    assert ["导入文件", 1, 1] in progress.tasks
    # the same file name, another title: refused by its file name
    again = tmp_path / "again"
    again.mkdir()
    renamed = again / "交警五大队-停车难.docx"
    renamed.write_bytes(_docx_bytes(tmp_path, "另一个标题的文稿"))
    report = batch.import_files(settings, [renamed])
    assert report.written == []
    assert [(d.severity, d.message, d.path) for d in report.diagnostics] == [
        (
            Severity.ERROR,
            "本期已有文稿 01-交警五大队-停车难.md（标题或文件名相同），未导入“另一个标题的文稿”；"
            "确需覆盖请加 --force",
            renamed,
        )
    ]


def test_a_file_holding_two_articles_and_one_holding_none(
    workspace: Path, tmp_path: Path, monkeypatch
) -> None:
    from briefing.importing.recognise import recognise

    second = read_docx(_docx_bytes(tmp_path, "第二篇文稿的标题"))
    two = sub.manual_submission(tmp_path / "合刊.docx", picture=False)
    empty = tmp_path / "空白.docx"
    empty.write_bytes(_docx_bytes(tmp_path, "只有页眉的文件"))

    def articles(doc: Document) -> list[Imported]:
        """Two articles in 合刊.docx, none in 空白.docx (as for a file of headers only)."""
        if doc.items[0].text == "只有页眉的文件":
            return []
        return recognise(doc) + recognise(second)

    monkeypatch.setattr(batch, "recognise", articles)
    report = batch.import_files(_settings(workspace), [two, empty], source="东湖镇")
    assert [w.path.name for w in report.written] == ["01-合刊-1.md", "02-合刊-2.md"]
    assert [(d.message, d.path) for d in report.diagnostics if d.severity is Severity.ERROR] == [
        ("文件中没有文字，未导入", empty)
    ]


def test_new_articles_are_numbered_after_the_last(workspace: Path, tmp_path: Path) -> None:
    folder = workspace / "issues/2018-028"
    (folder / "07-旧稿.md").write_text("---\ntitle: 旧稿\n---\n", encoding="utf-8")
    good = sub.manual_submission(tmp_path / "交警五大队-停车难.docx", picture=False)
    report = batch.import_files(_settings(workspace), [good], dry_run=True)
    assert [w.path.name for w in report.written] == ["08-交警五大队-停车难.md"]
    assert sorted(p.name for p in folder.glob("*.md")) == ["07-旧稿.md"]


def test_a_picture_of_exactly_the_limit_is_kept(tmp_path: Path, monkeypatch) -> None:
    from briefing import textio

    png = SAMPLE_PNG.read_bytes()
    monkeypatch.setattr(textio, "MAX_PICTURE_BYTES", len(png))
    assert batch._picture_refusals(tmp_path / "甲.docx", _doc(Picture(png, "png"))) == []


def test_gibberish_is_judged_on_all_the_text(tmp_path: Path) -> None:
    """Ten paragraphs, each with one character no Chinese text has: 95 % plausible is the bar,
    and the paragraphs are judged as they are, with nothing added between them."""
    document = python_docx.Document()
    for _ in range(10):
        document.add_paragraph("正" * 18 + "탏")
    path = tmp_path / "乱码.docx"
    document.save(str(path))
    with pytest.raises(Unreadable) as caught:
        batch._read_converted(tmp_path / "乱码.doc", path.read_bytes())
    assert str(caught.value) == "LibreOffice 读出的是乱码：文件已损坏，或不是 Word/WPS 文档"
