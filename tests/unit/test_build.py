"""The build recipe without LibreOffice: format lists, issue lookup, what a build returns, the
staging folder, and the workspace's templates reaching the renderers.

The PDF converter is replaced by a recorder, so the PDF path (fonts.conf, timestamp, the
second pass for an even-page 版记) runs in milliseconds.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

from briefing.build import BuildResult, build_issue, parse_formats, resolve_issue
from briefing.check import check_workspace
from briefing.errors import UsageError
from briefing.templates import builtin_templates_dir
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
    elsewhere = good_workspace / "elsewhere" / "deep"
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

    def convert(self, docx: Path, pdf: Path, *, fonts_conf=None, stamp=None) -> None:  # type: ignore[no-untyped-def]
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
