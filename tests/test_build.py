"""The build recipe without LibreOffice: format lists, issue lookup, what a build returns, the
staging folder, and the workspace's templates reaching the renderers.

The PDF converter is replaced by a recorder, so the PDF path (fonts.conf, timestamp, the
second pass for an even-page 版记) runs in milliseconds.
"""

from __future__ import annotations

import datetime as dt
import errno
import hashlib
import json
import os
from pathlib import Path

import pytest

from briefing.build import (
    BuildResult,
    build_issue,
    build_key,
    parse_formats,
    remove_stale_outputs,
    resolve_issue,
)
from briefing.cache import CACHE_NAME
from briefing.check import check_workspace
from briefing.errors import UsageError
from briefing.manifest import Manifest
from briefing.templates import builtin_templates_dir
from briefing.textio import os_reason
from tests.conftest import BASE_CONFIG, GOOD_ARTICLE, WorkspaceFactory, issue_yaml


def test_parse_formats_keeps_order_and_drops_repeats() -> None:
    assert parse_formats(" HTML , docx,,html ") == ("html", "docx")
    assert parse_formats("pdf") == ("pdf",)


@pytest.mark.parametrize(
    ("text", "named"),
    [("rtf,docx,ODT", "rtf、odt"), ("", "（空）"), (" , ", "（空）")],
)
def test_parse_formats_names_what_it_refuses(text: str, named: str) -> None:
    with pytest.raises(UsageError) as raised:
        parse_formats(text)
    assert str(raised.value) == f"不支持的输出格式：{named}；可选 docx、html、pdf，用逗号分隔"


def six_issues(make_workspace: WorkspaceFactory) -> Path:
    files = {}
    for number in range(22, 28):
        folder = f"issues/2018-{number:03d}"
        files[f"{folder}/issue.yaml"] = issue_yaml(number, 618 + number, date=f"2018-11-{number}")
        files[f"{folder}/01.md"] = GOOD_ARTICLE
    config = BASE_CONFIG.replace("number: 27, total: 645", "number: 21, total: 639")
    return make_workspace(files, config=config)


def test_an_unknown_issue_lists_the_last_five(make_workspace: WorkspaceFactory) -> None:
    workspace = check_workspace(six_issues(make_workspace))
    with pytest.raises(UsageError) as raised:
        resolve_issue(workspace, "2018-099")
    assert str(raised.value) == (
        "找不到期刊“2018-099”；现有期刊：2018-023、2018-024、2018-025、2018-026、2018-027"
    )
    assert resolve_issue(workspace, "issues/2018-024").dir.name == "2018-024"
    assert resolve_issue(workspace, None).dir.name == "2018-027"


def test_an_unknown_issue_in_an_empty_workspace(make_workspace: WorkspaceFactory) -> None:
    workspace = check_workspace(make_workspace())
    with pytest.raises(UsageError) as raised:
        resolve_issue(workspace, "2018-028")
    assert str(raised.value) == "找不到期刊“2018-028”；现有期刊：（无）"


def test_build_result_names_the_issue_and_its_folder(good_workspace: Path) -> None:
    result = build_issue(check_workspace(good_workspace), "2018-028", ("html",))
    out = good_workspace / "build" / "2018-028"
    assert result == BuildResult("2018-028", out, (out / "2018-028.html",), ())
    elsewhere = good_workspace / "elsewhere" / "deep" / "er"  # parents made as needed
    result = build_issue(check_workspace(good_workspace), None, ("html",), elsewhere)
    assert (result.issue_id, result.out_dir) == ("2018-028", elsewhere)
    assert result.files == (elsewhere / "2018-028.html",)


def test_outputs_are_staged_beside_the_target(
    good_workspace: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Staging in the target's parent: ``os.replace`` then never crosses file systems."""
    import briefing.render.html

    real = briefing.render.html.render_html
    seen: list[Path] = []

    def recording(bulletin, path, **kwargs):  # type: ignore[no-untyped-def]
        seen.append(path)
        real(bulletin, path, **kwargs)

    monkeypatch.setattr(briefing.render.html, "render_html", recording)
    out = good_workspace / "out" / "2018-028"
    build_issue(check_workspace(good_workspace), "2018-028", ("html",), out)
    (path,) = seen
    assert path.name == "2018-028.html"
    assert path.parent.parent == out.parent
    assert path.parent.name.startswith(f".briefing-{os.getpid()}-")
    assert not path.parent.exists()  # removed after the move
    assert [p.name for p in out.parent.iterdir()] == ["2018-028"]


@pytest.mark.parametrize("formats", [("html",), ("docx", "html")])  # in this process, forked
def test_workspace_templates_reach_the_html_edition(
    good_workspace: Path, formats: tuple[str, ...]
) -> None:
    css = good_workspace / "templates" / "html" / "bulletin.css"
    css.parent.mkdir(parents=True)
    css.write_text("p.workspace-override { color: teal; }\n", encoding="utf-8")
    build_issue(check_workspace(good_workspace), "2018-028", formats)
    page = (good_workspace / "build/2018-028/2018-028.html").read_text(encoding="utf-8")
    assert "p.workspace-override { color: teal; }" in page


class FakeConverter:
    """Stands in for LibreOffice: records each call and writes a PDF of *pages* pages."""

    def __init__(self, pages: int) -> None:
        self.pages = pages
        self.calls: list[tuple[str, Path | None, dt.datetime | None, bytes]] = []

    def convert(
        self, docx: Path, pdf: Path, *, fonts_conf=None, stamp=None, converter=None
    ) -> None:  # type: ignore[no-untyped-def]
        self.calls.append((pdf.name, fonts_conf, stamp, docx.read_bytes()))
        pdf.write_bytes(b"%PDF-1.7\n" + b"<< /Type /Page >>\n" * self.pages)


EVEN_PAGE = BASE_CONFIG + "layout:\n  imprint_on_even_page: true\n"


@pytest.mark.parametrize(("pages", "passes"), [(1, 2), (2, 1)])
def test_pdf_uses_the_workspace_fonts_conf_and_shares_an_even_last_page(
    make_workspace: WorkspaceFactory, monkeypatch: pytest.MonkeyPatch, pages: int, passes: int
) -> None:
    root = make_workspace(
        {
            "issues/2018-028/issue.yaml": issue_yaml(),
            "issues/2018-028/01-grid.md": GOOD_ARTICLE,
            "templates/fonts.conf": "<fontconfig/>\n",
        },
        config=EVEN_PAGE,
    )
    fake = FakeConverter(pages)
    monkeypatch.setattr("briefing.render.pdf.convert_to_pdf", fake.convert)
    result = build_issue(check_workspace(root), "2018-028", ("pdf",))
    out = root / "build" / "2018-028"
    assert result.files == (out / "2018-028.pdf",)
    assert sorted(p.name for p in out.iterdir()) == [".briefing-build.json", "2018-028.pdf"]
    stamp = dt.datetime(2018, 12, 20, tzinfo=dt.UTC)
    fonts_conf = root / "templates" / "fonts.conf"
    assert [call[:3] for call in fake.calls] == [("2018-028.pdf", fonts_conf, stamp)] * passes
    # an odd page count: the second pass starts the 版记 on an even page (a different DOCX)
    assert len({call[3] for call in fake.calls}) == passes


def test_docx_and_pdf_together_share_one_docx(
    good_workspace: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake = FakeConverter(1)
    monkeypatch.setattr("briefing.render.pdf.convert_to_pdf", fake.convert)
    result = build_issue(check_workspace(good_workspace), "2018-028", ("pdf", "html", "docx"))
    out = good_workspace / "build" / "2018-028"
    assert result.files == (out / "2018-028.docx", out / "2018-028.html", out / "2018-028.pdf")
    (call,) = fake.calls
    assert call[1] == builtin_templates_dir() / "fonts.conf"
    assert call[3] == (out / "2018-028.docx").read_bytes()


def test_html_and_pdf_without_docx_list_the_html_first(
    good_workspace: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("briefing.render.pdf.convert_to_pdf", FakeConverter(1).convert)
    result = build_issue(check_workspace(good_workspace), "2018-028", ("pdf", "html"))
    out = good_workspace / "build" / "2018-028"
    assert result.files == (out / "2018-028.html", out / "2018-028.pdf")


def test_a_docx_alone_gets_the_even_page_section(make_workspace: WorkspaceFactory) -> None:
    root = make_workspace(
        {"issues/2018-028/issue.yaml": issue_yaml(), "issues/2018-028/01-grid.md": GOOD_ARTICLE},
        config=EVEN_PAGE,
    )
    build_issue(check_workspace(root), "2018-028", ("docx",))
    import zipfile

    with zipfile.ZipFile(root / "build/2018-028/2018-028.docx") as package:
        document = package.read("word/document.xml").decode()
    # without a PDF to count pages, the 版记 always starts its own section on an even page
    assert '<w:type w:val="evenPage"/>' in document


@pytest.mark.parametrize(
    ("stage", "error"),
    [
        ("briefing.render.docx.render_docx", RuntimeError),
        ("briefing.render.html.render_html", RuntimeError),
        ("briefing.render.html.render_html", KeyboardInterrupt),
    ],
)
def test_a_failure_or_ctrl_c_in_either_edition_writes_nothing(
    good_workspace: Path, monkeypatch: pytest.MonkeyPatch, stage: str, error: type[BaseException]
) -> None:
    def fail(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise error("injected failure")

    monkeypatch.setattr(stage, fail)
    with pytest.raises(error):
        build_issue(check_workspace(good_workspace), "2018-028", ("docx", "html"))
    assert not (good_workspace / "build" / "2018-028").exists()
    assert not [p for p in good_workspace.rglob("*") if ".staging" in p.name or "staging" in p.name]


# --------------------------------------------------------------------------- stale outputs


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def outputs(folder: Path, **contents: bytes) -> dict[str, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = {}
    for fmt, data in contents.items():
        paths[fmt] = folder / f"2018-028.{fmt}"
        paths[fmt].write_bytes(data)
    return paths


def build_record(folder: Path) -> str:
    return (folder / ".briefing-build.json").read_text(encoding="utf-8")


def test_stale_outputs_of_other_inputs_are_removed_and_recorded(tmp_path: Path) -> None:
    made = outputs(tmp_path, docx=b"docx", html=b"html", pdf=b"pdf")
    (tmp_path / ".briefing-build.json").write_text(
        json.dumps({"html": {"key": "old", "sha256": sha(b"html")}, "pdf": "junk"}),
        encoding="utf-8",
    )
    removed = remove_stale_outputs(tmp_path, "2018-028", ("docx",), "k1", [made["docx"]])
    assert removed == (made["html"], made["pdf"])
    assert sorted(p.name for p in tmp_path.iterdir()) == [".briefing-build.json", "2018-028.docx"]
    assert build_record(tmp_path) == (
        json.dumps({"docx": {"key": "k1", "sha256": sha(b"docx")}}, indent=1) + "\n"
    )


def test_outputs_of_the_same_inputs_are_kept(tmp_path: Path) -> None:
    made = outputs(tmp_path, docx=b"docx")
    assert remove_stale_outputs(tmp_path, "2018-028", ("docx",), "k1", [made["docx"]]) == ()
    html = outputs(tmp_path, html=b"html")["html"]
    # the DOCX was made from the same inputs: an HTML build keeps it
    assert remove_stale_outputs(tmp_path, "2018-028", ("html",), "k1", [html]) == ()
    assert json.loads(build_record(tmp_path)) == {
        "docx": {"key": "k1", "sha256": sha(b"docx")},
        "html": {"key": "k1", "sha256": sha(b"html")},
    }
    # same inputs, but the file was changed since: removed, and forgotten
    made["docx"].write_bytes(b"edited")
    assert remove_stale_outputs(tmp_path, "2018-028", ("html",), "k1", [html]) == (made["docx"],)
    assert list(json.loads(build_record(tmp_path))) == ["html"]
    # other inputs: the HTML goes when only a DOCX is built
    docx = outputs(tmp_path, docx=b"docx2")["docx"]
    assert remove_stale_outputs(tmp_path, "2018-028", ("docx",), "k2", [docx]) == (html,)


def test_an_unreadable_or_foreign_record_counts_as_none(tmp_path: Path) -> None:
    made = outputs(tmp_path, html=b"html")
    for text in ("not json", "[1, 2]", '{"html": ["k1"]}'):
        (tmp_path / ".briefing-build.json").write_text(text, encoding="utf-8")
        assert remove_stale_outputs(tmp_path, "2018-028", ("docx",), "k1", []) == (made["html"],)
        assert build_record(tmp_path) == "{}\n"
        made["html"].write_bytes(b"html")


def test_outputs_the_archive_site_made_from_the_same_inputs_are_kept(tmp_path: Path) -> None:
    made = outputs(tmp_path, html=b"html", pdf=b"pdf")
    cache = {"key": "k1", "outputs": {"2018-028.html": sha(b"html"), "2018-028.pdf": "0"}}
    (tmp_path / CACHE_NAME).write_text(json.dumps(cache), encoding="utf-8")
    assert remove_stale_outputs(tmp_path, "2018-028", ("docx",), "k1", []) == (made["pdf"],)
    assert made["html"].is_file()
    for other in ({**cache, "key": "k2"}, {"key": "k1", "outputs": ["2018-028.html"]}, [cache]):
        (tmp_path / CACHE_NAME).write_text(json.dumps(other), encoding="utf-8")
        assert remove_stale_outputs(tmp_path, "2018-028", ("docx",), "k1", []) == (made["html"],)
        made["html"].write_bytes(b"html")


def test_outputs_matching_the_publish_record_are_kept(tmp_path: Path) -> None:
    made = outputs(tmp_path, html=b"html", pdf=b"pdf")
    record = Manifest(
        tmp_path / "manifest.json",
        {"outputs": {"html": {"sha256": sha(b"html")}, "pdf": {"sha256": sha(b"old pdf")}}},
    )
    assert remove_stale_outputs(tmp_path, "2018-028", ("docx",), "k1", [], record) == (made["pdf"],)
    assert made["html"].is_file()
    not_a_manifest = {"outputs": {"html": {"sha256": sha(b"html")}}}
    removed = remove_stale_outputs(tmp_path, "2018-028", ("docx",), "k1", [], not_a_manifest)
    assert removed == (made["html"],)


@pytest.mark.parametrize(
    ("code", "reason"),
    [
        (errno.ENOSPC, "磁盘空间不足"),
        (errno.EDQUOT, "超出磁盘配额"),
        (errno.EACCES, "没有写入权限"),
        (errno.EPERM, "没有写入权限"),
        (errno.EROFS, "文件系统是只读的"),
        (errno.ENOTDIR, "路径中有一个同名的文件而不是目录"),
        (errno.EEXIST, "同名文件已存在"),
        (errno.EISDIR, "同名目录已存在"),
        (errno.ENAMETOOLONG, "文件名过长"),
        (errno.ELOOP, "符号链接形成循环，指不到任何文件"),
        (errno.ENOENT, "文件或目录不存在"),
    ],
)
def test_os_reasons_in_chinese(code: int, reason: str) -> None:
    assert os_reason(OSError(code, "strerror")) == reason
    assert os_reason(OSError(code, "strerror", "/out/x")) == f"{reason}（/out/x）"


def test_os_reason_falls_back_on_the_system_message() -> None:
    assert os_reason(OSError(errno.EIO, "I/O error", "/out")) == "I/O error（/out）"
    assert os_reason(OSError("no errno")) == "OSError"
    assert os_reason(PermissionError()) == "PermissionError"


def test_a_draft_is_made_from_other_inputs_than_the_final_edition(good_workspace: Path) -> None:
    from briefing.cache import issue_key, shared_key

    workspace = check_workspace(good_workspace)
    loaded = resolve_issue(workspace, "2018-028")
    final = build_key(workspace, loaded, draft=False)
    assert final == issue_key(shared_key(good_workspace), loaded)
    assert build_key(workspace, loaded, draft=True) == final + ":draft"


def test_no_issue_to_build_in_an_empty_workspace(make_workspace: WorkspaceFactory) -> None:
    with pytest.raises(UsageError) as raised:
        resolve_issue(check_workspace(make_workspace()), None)
    assert str(raised.value) == "工作区中还没有可用的期刊；先运行 briefing new-issue"


def test_an_output_kept_for_its_inputs_does_not_stop_the_sweep(tmp_path: Path) -> None:
    made = outputs(tmp_path, docx=b"docx", pdf=b"pdf")
    (tmp_path / ".briefing-build.json").write_text(
        json.dumps({"pdf": {"key": "k1", "sha256": sha(b"pdf")}}), encoding="utf-8"
    )
    html = outputs(tmp_path, html=b"html")["html"]
    # docx: other inputs, removed; pdf: same inputs, kept; the record is written sorted
    assert remove_stale_outputs(tmp_path, "2018-028", ("html",), "k1", [html]) == (made["docx"],)
    assert build_record(tmp_path) == (
        json.dumps(
            {
                "html": {"key": "k1", "sha256": sha(b"html")},
                "pdf": {"key": "k1", "sha256": sha(b"pdf")},
            },
            indent=1,
        )
        + "\n"
    )
    made = outputs(tmp_path, docx=b"docx", pdf=b"old pdf")
    (tmp_path / ".briefing-build.json").write_text(
        json.dumps({"docx": {"key": "k1", "sha256": sha(b"docx")}}), encoding="utf-8"
    )
    # docx kept for its inputs, and the sweep goes on to the stale pdf
    assert remove_stale_outputs(tmp_path, "2018-028", ("html",), "k1", [html]) == (made["pdf"],)


def test_build_is_final_unless_a_draft_is_asked_for(good_workspace: Path) -> None:
    build_issue(check_workspace(good_workspace), "2018-028", ("html",))
    page = (good_workspace / "build/2018-028/2018-028.html").read_text(encoding="utf-8")
    assert "样稿" not in page
    workspace = check_workspace(good_workspace)
    build_issue(workspace, "2018-028", ("html",), draft=True)
    page = (good_workspace / "build/2018-028/2018-028.html").read_text(encoding="utf-8")
    assert "样稿" in page
    made = json.loads(build_record(good_workspace / "build/2018-028"))["html"]["key"]
    assert made == build_key(workspace, resolve_issue(workspace, "2018-028"), draft=True)
    assert made.endswith(":draft")


def test_a_broken_publish_record_refuses_the_build(good_workspace: Path) -> None:
    from briefing.errors import InputError
    from briefing.manifest import ManifestProblem, read_manifest

    workspace = check_workspace(good_workspace)
    # broken after the check (check reports it as R002 before any build starts)
    issue = good_workspace / "issues/2018-028"
    (issue / "manifest.json").write_text('{"format": 0}', encoding="utf-8")
    with pytest.raises(ManifestProblem) as problem:
        read_manifest(issue)
    with pytest.raises(InputError) as raised:
        build_issue(workspace, "2018-028", ("html",))
    assert str(raised.value) == str(problem.value)
    assert str(raised.value).startswith("签发记录的格式不对")
    assert raised.value.hint == "签发记录损坏，无法核对已签发的期刊"
    assert not (good_workspace / "build").exists()


@pytest.mark.parametrize(
    ("even_page", "recorded", "asked", "rendered", "unverified"),
    [
        (True, ("docx", "pdf"), ("docx",), ("docx", "pdf"), ()),
        (True, ("docx", "pdf"), ("html", "docx"), ("html", "docx", "pdf"), ("html",)),
        (True, ("docx", "pdf"), ("docx", "pdf"), ("docx", "pdf"), ()),
        (True, ("docx", "pdf"), ("html",), ("html",), ("html",)),
        (True, ("docx", "html"), ("docx",), ("docx",), ()),
        (False, ("docx", "pdf"), ("docx",), ("docx",), ()),
    ],
)
def test_a_published_even_page_docx_is_rebuilt_with_its_pdf(
    make_workspace: WorkspaceFactory,
    monkeypatch: pytest.MonkeyPatch,
    even_page: bool,
    recorded: tuple[str, ...],
    asked: tuple[str, ...],
    rendered: tuple[str, ...],
    unverified: tuple[str, ...],
) -> None:
    """Where the 版记 goes was decided with the PDF at 签发: the DOCX needs the same pass."""
    root = make_workspace(
        {"issues/2018-028/issue.yaml": issue_yaml(), "issues/2018-028/01.md": GOOD_ARTICLE},
        config=EVEN_PAGE if even_page else BASE_CONFIG,
    )
    workspace = check_workspace(root)
    record = Manifest(root / "manifest.json", {"outputs": {f: {"sha256": "0"} for f in recorded}})
    monkeypatch.setattr("briefing.manifest.read_manifest", lambda folder, root=None: record)
    seen: list[tuple[str, ...]] = []

    def render(bulletin, formats, target, root, *, verify, **_):  # type: ignore[no-untyped-def]
        seen.append(tuple(formats))
        verify([])
        return ()

    monkeypatch.setattr("briefing.build.render_atomically", render)
    result = build_issue(workspace, "2018-028", asked)
    assert seen == [rendered]
    assert result.unverified == unverified  # formats the 签发 record cannot vouch for


def test_an_unwritable_output_folder_is_an_environment_error(good_workspace: Path) -> None:
    (good_workspace / "taken").write_text("a file, not a folder", encoding="utf-8")
    target = good_workspace / "taken" / "2018-028"
    with pytest.raises(UsageError) as raised:
        build_issue(check_workspace(good_workspace), "2018-028", ("html",), target)
    assert str(raised.value) == (
        f"无法写入输出目录 {target}：同名文件已存在（{good_workspace / 'taken'}）"
    )


def test_only_staging_folders_of_dead_builds_are_removed(tmp_path: Path) -> None:
    import subprocess
    import sys

    from briefing.build import STAGING_PREFIX, remove_stale_staging

    finished = subprocess.Popen([sys.executable, "-c", "pass"])
    finished.wait()
    dead = finished.pid  # reaped: no process has this pid now
    names = {
        "dead": f"{STAGING_PREFIX}{dead}-abc",
        "mine": f"{STAGING_PREFIX}{os.getpid()}-abc",
        "no_pid": f"{STAGING_PREFIX}abc",
        "file": f"{STAGING_PREFIX}{dead}-file",
        "link": f"{STAGING_PREFIX}{dead}-link",
        "other": f"other-{dead}-abc",
    }
    for key in ("dead", "mine", "no_pid", "other"):
        (tmp_path / names[key]).mkdir()
        (tmp_path / names[key] / "x.html").write_text("x", encoding="utf-8")
    (tmp_path / names["file"]).write_text("x", encoding="utf-8")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (tmp_path / names["link"]).symlink_to(elsewhere)
    remove_stale_staging(tmp_path)
    left = sorted(p.name for p in tmp_path.iterdir())
    assert left == sorted([*(names[k] for k in names if k != "dead"), "elsewhere"])
    assert (tmp_path / names["mine"] / "x.html").is_file()
