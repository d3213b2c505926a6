"""What ``publish`` writes, what ``--undo`` restores, and what the checks of a published issue
name: the record's exact text, the exact state after undo, exactly which files changed.

Library level (``publish_issue``, ``undo_publish``, ``changed_inputs``, ``verify_outputs``),
HTML only: nothing here needs LibreOffice.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from briefing import __version__
from briefing import manifest as man
from briefing import publish as pub
from briefing.build import resolve_issue
from briefing.cache import code_fingerprint
from briefing.check import check_workspace
from briefing.errors import InputError, Severity
from briefing.model import LAYOUT_REVISION
from tests.conftest import GOOD_ARTICLE, REPO, issue_yaml

PNG = (REPO / "tests" / "data" / "images" / "sample.png").read_bytes()
ISSUE = "issues/2018-028"
ARTICLE = GOOD_ARTICLE + "\n![图为网格员](../../shared/logo.png)\n"


@pytest.fixture
def desk(make_workspace) -> Path:  # type: ignore[no-untyped-def]
    return make_workspace(
        {
            f"{ISSUE}/issue.yaml": issue_yaml(),
            f"{ISSUE}/01-grid.md": ARTICLE,
            f"{ISSUE}/附件.txt": "附件一\n",
            f"{ISSUE}/说明.txt": "说明\n",
            "shared/logo.png": PNG,
            "templates/html/extra.css": "p {}\n",
        }
    )


def loaded(root: Path, issue: str = "2018-028"):  # type: ignore[no-untyped-def]
    return resolve_issue(check_workspace(root), issue)


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def entry(path: Path) -> dict[str, object]:
    return {"sha256": sha(path), "bytes": path.stat().st_size}


class Steps:
    """A progress that remembers the description of every step."""

    def __init__(self) -> None:
        self.seen: list[str] = []

    @contextlib.contextmanager
    def task(self, description: str, total: int | None = None) -> Iterator[Steps]:
        self.seen.append(description)
        yield self

    def advance(self, amount: int = 1) -> None:
        pass


# --------------------------------------------------------------------------- publish


def test_the_record_publish_writes(desk: Path) -> None:
    steps = Steps()
    result = pub.publish_issue(desk, "2018-028", ("html",), progress=steps)
    html = desk / "build/2018-028/2018-028.html"
    assert result == pub.PublishResult("2018-028", desk / ISSUE / "manifest.json", 5, (html,))
    inputs = [
        f"{ISSUE}/01-grid.md",
        f"{ISSUE}/issue.yaml",
        f"{ISSUE}/说明.txt",
        f"{ISSUE}/附件.txt",
        "shared/logo.png",
    ]
    expected = {
        "format": "briefing-manifest/1",
        "issue": "2018-028",
        "label": "第二十八期（总第646期）",
        "date": "2018-12-20",
        "briefing": __version__,
        "code": code_fingerprint(),
        "layout": LAYOUT_REVISION,
        "inputs": {name: entry(desk / name) for name in sorted(inputs)},
        "settings": {
            "briefing.yaml": entry(desk / "briefing.yaml"),
            "templates/html/extra.css": entry(desk / "templates/html/extra.css"),
        },
        "outputs": {
            "html": {
                "path": "build/2018-028/2018-028.html",
                "sha256": sha(html),
                "bytes": html.stat().st_size,
            }
        },
    }
    text = result.manifest.read_text(encoding="utf-8")
    assert text == json.dumps(expected, ensure_ascii=False, indent=2) + "\n"
    assert "第二十八期" in text  # written as it reads, not \u escapes
    assert (desk / ISSUE / "issue.yaml").read_text(encoding="utf-8") == (
        issue_yaml() + "published: true\n"
    )
    assert steps.seen == ["检查工作区"]  # HTML alone is no step worth reporting
    # the record it wrote is one read_manifest accepts, with nothing new since
    manifest = man.read_manifest(desk / ISSUE, desk)
    assert manifest is not None and manifest.data == expected
    assert man.changed_inputs(manifest, loaded(desk), desk) == []
    assert man.unrecorded_templates(manifest, desk) == ()
    assert man.recorded_templates_of(manifest) == {"templates/html/extra.css"}


def test_publish_publishes_the_issue_named_not_the_latest(desk: Path) -> None:
    (desk / "issues/2018-029").mkdir()
    (desk / "issues/2018-029/issue.yaml").write_text(
        issue_yaml(29, 647, date="2018-12-27"), encoding="utf-8"
    )
    (desk / "issues/2018-029/01.md").write_text(GOOD_ARTICLE, encoding="utf-8")
    result = pub.publish_issue(desk, "2018-028", ("html",))
    assert result.manifest == desk / ISSUE / "manifest.json"
    assert not (desk / "issues/2018-029/manifest.json").exists()


def test_publish_refuses_an_advice_the_workspace_made_an_error(desk: Path) -> None:
    (desk / ISSUE / "01-grid.md").write_text(
        ARTICLE.replace("今年以来，", "今年以来,"), encoding="utf-8"
    )
    config = desk / "briefing.yaml"
    config.write_text(
        config.read_text(encoding="utf-8") + "checks:\n  severity:\n    T101: error\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError) as caught:
        pub.publish_issue(desk, "2018-028", ("html",))
    assert [d.code for d in caught.value.diagnostics] == ["T101"]
    assert not (desk / ISSUE / "manifest.json").exists()


def test_publish_reports_the_pdf_conversion_to_its_progress(
    desk: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The slow step (LibreOffice) is reported to the caller's progress; the conversion is
    replaced by a stand-in that reports the way the real one does."""
    from briefing import build

    def convert(bulletin, docx_path, root, try_sharing, converter, progress):  # type: ignore[no-untyped-def]
        with progress.task(f"LibreOffice 转换 PDF：{bulletin.issue_id}"):
            docx_path.with_suffix(".pdf").write_bytes(b"%PDF-1.7\n")
        return docx_path.with_suffix(".pdf")

    monkeypatch.setattr(build, "_convert_pdf", convert)
    steps = Steps()
    result = pub.publish_issue(desk, "2018-028", ("docx", "pdf"), progress=steps)
    assert steps.seen == ["检查工作区", "LibreOffice 转换 PDF：2018-028"]
    assert [p.name for p in result.outputs] == ["2018-028.docx", "2018-028.pdf"]


# --------------------------------------------------------------------------- undo


def test_undo_restores_the_unpublished_state(desk: Path) -> None:
    before = {p: p.read_bytes() for p in (desk / ISSUE).iterdir()}
    pub.publish_issue(desk, "2018-028", ("html",))
    result = pub.undo_publish(loaded(desk), desk)
    assert result == pub.UndoResult(
        "2018-028", True, desk / ISSUE / "manifest.json", 5, ("build/2018-028/2018-028.html",)
    )
    assert {p: p.read_bytes() for p in (desk / ISSUE).iterdir()} == before
    assert (desk / "build/2018-028/2018-028.html").is_file()  # outputs stay


def test_undo_names_an_output_recorded_without_its_path_by_its_format(desk: Path) -> None:
    (desk / ISSUE / "manifest.json").write_text(
        json.dumps({"format": "briefing-manifest/1", "outputs": {"html": {"sha256": "0" * 64}}}),
        encoding="utf-8",
    )
    result = pub.undo_publish(loaded(desk), desk)
    assert result == pub.UndoResult("2018-028", False, desk / ISSUE / "manifest.json", 0, ("html",))
    assert (desk / ISSUE / "issue.yaml").read_text(encoding="utf-8") == issue_yaml()


# --------------------------------------------------------------------------- what changed


def test_changed_inputs_names_each_file_and_what_happened(desk: Path) -> None:
    pub.publish_issue(desk, "2018-028", ("html",))
    manifest = man.read_manifest(desk / ISSUE, desk)
    assert manifest is not None
    folder = desk / ISSUE
    # the article no longer shows the picture: logo.png is still there, unchanged
    (folder / "01-grid.md").write_text(GOOD_ARTICLE, encoding="utf-8")
    (folder / "附件.txt").unlink()
    (folder / "说明.txt").unlink()
    (folder / "说明.txt").symlink_to(desk / "shared/missing.txt")  # dangling, inside
    (folder / "02-new.md").write_text(GOOD_ARTICLE, encoding="utf-8")
    current = loaded(desk)
    # then issue.yaml becomes a link to a copy elsewhere: never hashed
    outside = desk.parent / "outside"
    outside.mkdir()
    (outside / "issue.yaml").write_bytes((folder / "issue.yaml").read_bytes())
    (folder / "issue.yaml").unlink()
    (folder / "issue.yaml").symlink_to(outside / "issue.yaml")
    found = man.changed_inputs(manifest, current, desk)
    real = os.path.realpath(outside / "issue.yaml")
    assert found == [
        (
            f"已签发期刊的文件 {ISSUE}/01-grid.md 在签发后被修改；请恢复签发时的内容（见 manifest.json）",
            folder / "01-grid.md",
        ),
        (
            f"已签发期刊的文件 {ISSUE}/issue.yaml 无法核对：符号链接指向工作区以外（{real}），出于安全考虑不读取",
            folder / "issue.yaml",
        ),
        (
            f"已签发期刊的文件 {ISSUE}/说明.txt 无法核对：文件不存在",
            folder / "说明.txt",
        ),
        (f"已签发期刊的文件 {ISSUE}/附件.txt 在签发后被删除；请恢复原文件", folder / "附件.txt"),
        (f"已签发期刊中新增了文件 {ISSUE}/02-new.md；已签发的期刊不能再加稿", folder / "02-new.md"),
    ]


def test_every_deleted_file_is_named(desk: Path) -> None:
    pub.publish_issue(desk, "2018-028", ("html",))
    manifest = man.read_manifest(desk / ISSUE, desk)
    assert manifest is not None
    (desk / ISSUE / "附件.txt").unlink()
    (desk / ISSUE / "说明.txt").unlink()
    found = [message for message, _ in man.changed_inputs(manifest, loaded(desk), desk)]
    assert found == [
        f"已签发期刊的文件 {ISSUE}/说明.txt 在签发后被删除；请恢复原文件",
        f"已签发期刊的文件 {ISSUE}/附件.txt 在签发后被删除；请恢复原文件",
    ]


def test_check_reports_a_changed_input_as_r001_at_its_start(desk: Path) -> None:
    pub.publish_issue(desk, "2018-028", ("html",))
    (desk / "shared/logo.png").write_bytes(PNG + b"\0")
    found = [
        (d.code, d.path, d.line, d.column)
        for d in check_workspace(desk).diagnostics
        if d.code.startswith("R")
    ]
    assert found == [("R001", desk / "shared/logo.png", 1, 1)]


@pytest.mark.parametrize(
    ("yaml", "where"),
    [
        (issue_yaml() + "published: true\n", (5, 1)),
        ('"published": true\n' + issue_yaml(), (1, 1)),  # no line starts with published:
    ],
)
def test_published_without_a_record_is_r003_at_the_flag(
    desk: Path, yaml: str, where: tuple[int, int]
) -> None:
    (desk / ISSUE / "issue.yaml").write_text(yaml, encoding="utf-8")
    found = [
        (d.code, d.path, d.line, d.column)
        for d in check_workspace(desk).diagnostics
        if d.code.startswith("R")
    ]
    assert found == [("R003", desk / ISSUE / "issue.yaml", *where)]


def test_a_picture_that_is_missing_is_not_an_input(desk: Path) -> None:
    (desk / ISSUE / "01-grid.md").write_text(
        ARTICLE.replace("logo.png", "gone.png"), encoding="utf-8"
    )
    names = list(man.input_files(loaded(desk), desk))
    assert "shared/gone.png" not in names and "shared/logo.png" not in names


# --------------------------------------------------------------------------- build verification


def test_verify_outputs_names_the_format_that_differs(desk: Path, tmp_path: Path) -> None:
    html, pdf = tmp_path / "x.html", tmp_path / "x.pdf"
    html.write_text("<p>1</p>", encoding="utf-8")
    pdf.write_bytes(b"%PDF")
    record = desk / ISSUE / "manifest.json"
    manifest = man.Manifest(record, {"outputs": {"html": {"sha256": sha(html)}}})
    assert man.verify_outputs(manifest, [pdf, html], desk) == ["html"]
    recorded = "a" * 64
    manifest = man.Manifest(record, {"outputs": {"html": {"sha256": recorded}}})
    with pytest.raises(InputError) as caught:
        man.verify_outputs(manifest, [pdf, html], desk)
    [found] = caught.value.diagnostics
    assert (found.code, found.severity, found.path) == ("R001", Severity.ERROR, record)
    assert found.message == (
        f"本次生成的 HTML 与签发时记录的不同（记录 {'a' * 12}…，本次 {sha(html)[:12]}…）；"
        "已签发的期刊必须逐字节重现，未替换任何文件"
    )
    assert caught.value.hint == man._why_different(manifest, desk)


def test_why_a_rebuild_differs(desk: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pub.publish_issue(desk, "2018-028", ("html",))
    manifest = man.read_manifest(desk / ISSUE, desk)
    assert manifest is not None
    tail = "。如确需重新签发，先运行 briefing publish --undo"
    assert man._why_different(manifest, desk) == (
        "可能的原因：PDF 还取决于本机的 LibreOffice 版本和字体" + tail
    )
    monkeypatch.setattr(man, "code_fingerprint", lambda: "other")
    assert man._why_different(manifest, desk) == (
        "可能的原因：briefing 程序本身在签发后改动过（版本号相同，源代码不同）" + tail
    )
    (desk / "briefing.yaml").write_text(
        (desk / "briefing.yaml").read_text(encoding="utf-8") + "copies: 121\n", encoding="utf-8"
    )
    (desk / "templates/html/extra.css").unlink()
    assert man._why_different(manifest, desk) == (
        "可能的原因：briefing.yaml 在签发后被修改；templates/html/extra.css 在签发后被删除；"
        "briefing 程序本身在签发后改动过（版本号相同，源代码不同）" + tail
    )


def test_an_output_folder_outside_the_workspace_is_recorded_by_its_full_path(
    desk: Path, tmp_path: Path
) -> None:
    elsewhere = tmp_path / "elsewhere"
    result = pub.publish_issue(desk, "2018-028", ("html",), elsewhere)
    record = json.loads(result.manifest.read_text(encoding="utf-8"))
    html = elsewhere.resolve() / "2018-028.html"
    assert record["outputs"]["html"]["path"] == html.as_posix()
    assert result.outputs == (elsewhere / "2018-028.html",)
