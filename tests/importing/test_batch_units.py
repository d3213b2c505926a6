"""The batch's own decisions, pinned exactly: file-name sources, picture names, converted files."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import docx
import pytest

from briefing.errors import UsageError
from briefing.importing import batch
from briefing.importing.batch import (
    ImportReport,
    _check_file,
    _convert_all,
    _picture_name,
    _picture_refusals,
    _prepare,
    _read,
    _read_converted,
    _slug,
    source_from_filename,
)
from briefing.importing.docx_reader import read_docx
from briefing.importing.recognise import Block, Imported
from briefing.importing.source import (
    MAX_FILE_BYTES,
    MAX_TEXT_BYTES,
    Document,
    Para,
    Picture,
    Run,
    Unreadable,
)
from briefing.progress import SILENT
from briefing.textio import MAX_PICTURE_BYTES
from tests.factory import SAMPLE_PNG as SAMPLE_PNG_PATH
from tests.importing.conftest import run

PNG = SAMPLE_PNG_PATH.read_bytes()
TITLE = "交警五大队“三个一”机制破解城区停车难"


@pytest.mark.parametrize(
    ("stem", "title", "expected"),
    [
        ("交警五大队-关于停车难的报告", TITLE, "交警五大队"),
        ("2024-05-交警五大队-关于停车难", TITLE, "交警五大队"),
        ("2024年5月-交警五大队-关于停车难", TITLE, "交警五大队"),
        ("城管-关于停车难", TITLE, "城管"),
        ("城-关于停车难", TITLE, None),
        ("AB-关于停车难", TITLE, None),
        ("报告", TITLE, None),
        ("二" * 20 + "-关于停车难", TITLE, "二" * 20),
        ("二" * 21 + "-关于停车难", TITLE, None),
        # A first part that is most of the title is the title, not a unit.
        ("城区停车难-附件", "城区停车难", None),
        ("停车难问题-附件", "交警五大队破解停车难问题", "停车难问题"),  # 5 of 11
        ("停车难问题-附件", "五大队破解停车难问题", "停车难问题"),  # exactly half
    ],
)
def test_source_from_filename(stem: str, title: str, expected: str | None) -> None:
    assert source_from_filename(stem, title) == expected


def test_source_from_filename_refuses_half_of_a_title_only_when_longer() -> None:
    assert source_from_filename("城区停车难-附件", "交警破解城区停车难") is None


def test_picture_names_use_the_article_number_and_skip_existing_files(tmp_path: Path) -> None:
    article = tmp_path / "03-停车难.md"
    assert _picture_name(article, "png", set(), False) == "03-1.png"
    assert _picture_name(tmp_path / "停车难.md", "jpg", set(), False) == "import-1.jpg"
    assert _picture_name(article, "png", {"03-1.png"}, False) == "03-2.png"
    (tmp_path / "images").mkdir()
    (tmp_path / "images" / "03-1.png").write_bytes(PNG)
    assert _picture_name(article, "png", set(), False) == "03-2.png"
    assert _picture_name(article, "png", set(), True) == "03-1.png"
    assert _picture_name(article, "png", {"03-1.png"}, True) == "03-2.png"


def test_picture_names_run_out_after_9999(tmp_path: Path) -> None:
    taken = {f"03-{n}.png" for n in range(1, 10_000)}
    with pytest.raises(UsageError) as caught:
        _picture_name(tmp_path / "03-停车难.md", "png", taken, False)
    assert str(caught.value) == f"{tmp_path / 'images'} 中的图片太多，无法再命名新图片"


def _imported(*blocks: Block) -> Imported:
    return Imported(title="标题", blocks=list(blocks))


def test_prepare_names_pictures_in_order_and_skips_unusable_ones(tmp_path: Path) -> None:
    png = Picture(PNG, "png")
    article = _imported(
        Block("image", 1, picture=Picture(b"", "png", missing="链接到 D:/图.png", linked=True)),
        Block("image", 2, picture=Picture(b"x", "emf")),
        Block("image", 2, picture=Picture(b"y", "")),
        Block("image", 3, picture=png, caption="图为一"),
        Block("para", 4, runs=(Run("正文。"),)),
        Block("image", 5, picture=png, caption="图为二"),
    )
    path = tmp_path / "02-停车.md"
    written = _prepare(tmp_path / "a.docx", "DOCX", article, path, False)
    assert written.text == (
        '---\ntitle: "标题"\n---\n\n'
        "![图为一](images/02-1.png)\n\n正文。\n\n![图为二](images/02-2.png)\n"
    )
    assert [p for p, _ in written.pictures] == [
        tmp_path / "images/02-1.png",
        tmp_path / "images/02-2.png",
    ]
    assert article.warnings == [
        (1, "图片链接到 D:/图.png，文档中没有图片本身，已跳过"),
        (2, "图片格式 EMF 无法用于简报，已跳过"),
        (2, "图片格式无法识别，已跳过"),
    ]


def test_prepare_reuses_picture_names_of_the_article_it_replaces(tmp_path: Path) -> None:
    (tmp_path / "images").mkdir()
    (tmp_path / "images" / "02-1.png").write_bytes(PNG)
    article = _imported(Block("image", 1, picture=Picture(PNG, "png"), caption="图为"))
    written = _prepare(tmp_path / "a.docx", "DOCX", article, tmp_path / "02-停车.md", True)
    assert "![图为](images/02-1.png)" in written.text


def _converted_docx(path: Path, paragraphs: list[str]) -> Path:
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    document.save(str(path))
    return path


def _stub_soffice(monkeypatch: pytest.MonkeyPatch, produced: Path | Exception) -> list[tuple]:
    calls: list[tuple] = []

    @contextmanager
    def convert(source: Path, convert_to: str, suffix: str, **options: object) -> Iterator[Path]:
        calls.append((source, convert_to, suffix, options))
        if isinstance(produced, Exception):
            raise produced
        yield produced

    monkeypatch.setattr("briefing.render.pdf.soffice_convert", convert)
    return calls


def test_a_converted_file_is_read_from_what_libreoffice_produced(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    produced = _converted_docx(tmp_path / "out.docx", ["标题", "正文。"])
    calls = _stub_soffice(monkeypatch, produced)
    file = tmp_path / "报送.WPS"
    doc = _read_converted(file, None)
    assert calls == [
        (file, "docx:MS Word 2007 XML", "docx", {"timeout": batch.CONVERT_TIMEOUT, "what": "DOCX"})
    ]
    assert doc.kind == "WPS→DOCX"
    assert [item.text for item in doc.items] == ["标题", "正文。"]
    assert doc.styles and doc.styles == read_docx(produced.read_bytes()).styles


def test_libreoffice_failing_gives_its_first_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _stub_soffice(monkeypatch, UsageError("转换超时\n详细输出"))
    with pytest.raises(Unreadable) as caught:
        _read_converted(tmp_path / "报送.doc", None)
    assert str(caught.value) == "LibreOffice 无法打开它（文件损坏或设有密码？）：转换超时"


def test_gibberish_from_libreoffice_is_refused(tmp_path: Path) -> None:
    # 28 of 30 one-character paragraphs are Chinese: 93 %, below the 95 % of real text.
    data = _converted_docx(tmp_path / "out.docx", ["中"] * 28 + ["\u0400"] * 2).read_bytes()
    with pytest.raises(Unreadable) as caught:
        _read_converted(tmp_path / "报送.doc", data)
    assert str(caught.value) == "LibreOffice 读出的是乱码：文件已损坏，或不是 Word/WPS 文档"


def test_a_file_name_already_taken_refuses_another_title(workspace: Path, tmp_path: Path) -> None:
    for folder, title in (("a", "第一篇标题"), ("b", "第二篇标题")):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "交警五大队-停车难.txt").write_text(
            f"{title}\n正文一段。\n", encoding="utf-8"
        )
    assert run(workspace, str(tmp_path / "a/交警五大队-停车难.txt")).exit_code == 0
    again = run(workspace, str(tmp_path / "b/交警五大队-停车难.txt"))
    assert again.exit_code == 1
    assert (
        "本期已有文稿 01-交警五大队-停车难.md（标题或文件名相同），未导入“第二篇标题”；"
        "确需覆盖请加 --force"
    ) in again.output


@pytest.mark.parametrize(
    ("stem", "slug"),
    [
        ("交警五大队-停车难", "交警五大队-停车难"),
        ("---", "import"),
        ("", "import"),
        ("X-报告-X", "X-报告-X"),
        ("a" * 39 + "-b" * 5, "a" * 39),
        ("a" * 40 + "-b", "a" * 40),
    ],
)
def test_article_file_slug(stem: str, slug: str) -> None:
    assert _slug(stem) == slug


def _with_pictures(*pictures: Picture) -> Document:
    return Document((Para((Run("图："),), 7, pictures=pictures),), "DOCX")


def _refusals(doc: Document) -> list[str]:
    return [d.message for d in _picture_refusals(Path("报送.docx"), doc)]


def test_pictures_of_a_format_briefing_cannot_print_are_not_refused() -> None:
    assert _refusals(_with_pictures(Picture(b"\x01\x00\x00\x00", "emf"))) == []
    assert _refusals(_with_pictures(Picture(bytes(MAX_PICTURE_BYTES), "emf"))) == []


def test_refused_pictures_give_their_paragraph_and_reason() -> None:
    linked = Picture(b"", "png", missing="链接到 D:/图.png", linked=True)
    big = Picture(b"\x89PNG\r\n\x1a\n" + bytes(MAX_PICTURE_BYTES), "png")
    fake = Picture(b"<svg></svg>", "png")
    missing = Picture(b"", "png", missing="文档中找不到它")
    tail = "；未导入这个文件（请在 Word 中删除该图片或重新插入后再导入）"
    assert _refusals(_with_pictures(linked, big, fake, missing)) == [
        f"第 7 段的图片无法使用：超过 32 MB{tail}",
        f"第 7 段的图片无法使用：名为 .png 的图片，内容却不是 PNG、JPEG、GIF 或 BMP{tail}",
        f"第 7 段的图片无法使用：文档中找不到它{tail}",
    ]


def _file_refusal(file: Path) -> str:
    with pytest.raises(Unreadable) as caught:
        _check_file(file)
    return str(caught.value)


def _sized(path: Path, size: int) -> Path:
    with path.open("wb") as f:
        f.truncate(size)  # sparse: no disk space used
    return path


def test_files_that_are_not_read_and_why(tmp_path: Path) -> None:
    (tmp_path / "文件夹.docx").mkdir()
    (tmp_path / "链接.docx").symlink_to(tmp_path / "文件夹.docx")
    assert _file_refusal(tmp_path / "链接.docx") == "是符号链接，不予读取；请直接给出文件本身"
    assert _file_refusal(tmp_path / "没有.docx") == "找不到这个文件"
    assert _file_refusal(tmp_path / "文件夹.docx") == "不是普通文件"
    assert _file_refusal(_sized(tmp_path / "表.xlsx", 10)) == (
        "不支持的文件类型；可以导入 .docx、.doc、.wps、.rtf、.odt 和 .txt 文件"
    )
    assert _file_refusal(_sized(tmp_path / "空.txt", 0)) == "文件是空的"


def test_size_limits_of_text_and_word_files(tmp_path: Path) -> None:
    assert _check_file(_sized(tmp_path / "满.TXT", MAX_TEXT_BYTES)) == ".txt"
    assert _file_refusal(_sized(tmp_path / "多.txt", MAX_TEXT_BYTES + 1)) == (
        "文件有 5.0 MB，超过上限 5 MB，不予读取"
    )
    assert _file_refusal(_sized(tmp_path / "大.text", 6 * 2**20 + 2**19)) == (
        "文件有 6.5 MB，超过上限 5 MB，不予读取"
    )
    assert _check_file(_sized(tmp_path / "大.docx", 6 * 2**20)) == ".docx"
    assert _check_file(_sized(tmp_path / "满.doc", MAX_FILE_BYTES)) == ".doc"
    assert _file_refusal(_sized(tmp_path / "多.wps", MAX_FILE_BYTES + 1)) == (
        "文件有 50.0 MB，超过上限 50 MB，不予读取"
    )


class _Warm:
    """A warm LibreOffice that converts everything but ``*.wps``."""

    def __init__(self) -> None:
        self.calls: list[tuple[Path, object, float]] = []

    def convert(self, file: Path, target: object, *, timeout: float) -> bytes:
        self.calls.append((file, target, timeout))
        if file.suffix == ".wps":
            raise UsageError("转换失败")
        return f"DOCX:{file.name}".encode()


def _stub_converters(
    monkeypatch: pytest.MonkeyPatch, warm: _Warm | None, outcome: dict | Exception
) -> tuple[list, list]:
    from briefing.render.converter import WarmClient

    finds: list[Path] = []
    runs: list[tuple] = []

    def find(root: Path, fonts_conf: Path | None) -> _Warm | None:
        finds.append(root)
        return warm

    @contextmanager
    def convert_many(sources, convert_to, suffix, *, timeout, what):  # type: ignore[no-untyped-def]
        runs.append((list(sources), convert_to, suffix, timeout, what))
        if isinstance(outcome, Exception):
            raise outcome
        yield outcome

    monkeypatch.setattr(WarmClient, "find", find)
    monkeypatch.setattr("briefing.render.pdf.soffice_convert_many", convert_many)
    return finds, runs


def _submitted(tmp_path: Path) -> list[Path]:
    files = [tmp_path / "没有.doc"]  # unreadable files are skipped, reported later
    for name in ("甲.doc", "乙.wps", "丙.docx", "丁.txt"):
        (tmp_path / name).write_bytes(b"x")
    return [
        *files,
        tmp_path / "甲.doc",
        tmp_path / "乙.wps",
        tmp_path / "丙.docx",
        tmp_path / "丁.txt",
    ]


def test_converted_files_share_one_libreoffice_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = _submitted(tmp_path)
    out = tmp_path / "out.docx"
    out.write_bytes(b"DOCX")
    finds, runs = _stub_converters(monkeypatch, None, {files[1]: out, files[2]: None})
    assert _convert_all(files, tmp_path, SILENT) == {files[1]: b"DOCX"}
    assert finds == [tmp_path]
    assert runs == [
        (files[1:3], "docx:MS Word 2007 XML", "docx", batch.CONVERT_TIMEOUT + 40, "DOCX")
    ]


def test_one_converted_file_or_a_failed_run_converts_nothing_together(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = _submitted(tmp_path)
    finds, runs = _stub_converters(monkeypatch, None, UsageError("超时"))
    assert _convert_all(files[:2], tmp_path, SILENT) == {}
    assert runs == []
    assert _convert_all(files[3:], tmp_path, SILENT) == {}
    assert finds == [tmp_path]  # no LibreOffice is looked for when nothing needs converting
    assert _convert_all(files, tmp_path, SILENT) == {}
    assert len(runs) == 1


def test_a_warm_libreoffice_converts_each_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = _submitted(tmp_path)
    warm = _Warm()
    _, runs = _stub_converters(monkeypatch, warm, {})
    assert _convert_all(files[:2], tmp_path, SILENT) == {files[1]: "DOCX:甲.doc".encode()}
    assert _convert_all(files, tmp_path, SILENT) == {files[1]: "DOCX:甲.doc".encode()}
    assert [call[0] for call in warm.calls] == [files[1], files[1], files[2]]
    assert runs == []


def test_reading_a_converted_file_uses_the_shared_conversion(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _stub_soffice(monkeypatch, UsageError("不应单独转换"))
    file = _sized(tmp_path / "报送.doc", 10)
    data = _converted_docx(tmp_path / "out.docx", ["标题", "正文。"]).read_bytes()
    report = ImportReport()
    doc = _read(file, report, {file: data})
    assert report.diagnostics == []
    assert doc is not None and doc.kind == "DOC→DOCX"


def test_an_images_folder_that_is_a_symlink_is_refused(workspace: Path, tmp_path: Path) -> None:
    (tmp_path / "别处").mkdir()
    (workspace / "issues/2018-028/images").symlink_to(tmp_path / "别处")
    (tmp_path / "报送.txt").write_text("标题\n正文一段。\n", encoding="utf-8")
    result = run(workspace, str(tmp_path / "报送.txt"))
    assert result.exit_code == 2
    assert "images 是符号链接；为安全起见不向其中写入图片" in result.output
    assert list((tmp_path / "别处").iterdir()) == []


def test_a_hand_written_title_with_escaped_quotes_is_recognised(
    workspace: Path, tmp_path: Path
) -> None:
    issue = workspace / "issues/2018-028"
    (issue / "07-手写.md").write_text(
        '---\ntitle: "推行\\"三个一\\"机制"\n---\n\n正文。\n', encoding="utf-8"
    )
    (tmp_path / "报送.txt").write_text('推行"三个一"机制\n正文一段。\n', encoding="utf-8")
    result = run(workspace, str(tmp_path / "报送.txt"))
    assert result.exit_code == 1
    assert "本期已有文稿 07-手写.md（标题或文件名相同）" in result.output
