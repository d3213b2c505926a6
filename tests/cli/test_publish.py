"""签发 (briefing publish), the frozen record, byte-identical rebuilds and stale outputs."""

from __future__ import annotations

import hashlib
import json
import shutil
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from briefing.cli import app
from briefing.rules import RULES, rules_markdown
from tests.conftest import GOOD_ARTICLE, REPO, issue_yaml
from tests.tools import require_tool

runner = CliRunner()
PNG = (REPO / "tests" / "data" / "images" / "sample.png").read_bytes()
PICTURE_ARTICLE = GOOD_ARTICLE + "\n![图为网格员走访](images/visit.png)\n"


def run(*args: str | Path):  # type: ignore[no-untyped-def]
    return runner.invoke(app, [str(a) for a in args])


@pytest.fixture
def desk(make_workspace) -> Path:  # type: ignore[no-untyped-def]
    return make_workspace(
        {
            "issues/2018-028/issue.yaml": issue_yaml(),
            "issues/2018-028/01-grid.md": PICTURE_ARTICLE,
            "issues/2018-028/images/visit.png": PNG,
        }
    )


def publish(root: Path, *extra: str):  # type: ignore[no-untyped-def]
    return run("-C", root, "publish", "2018-028", "--format", "docx,html", *extra)


def manifest(root: Path) -> dict:
    return json.loads((root / "issues/2018-028/manifest.json").read_text(encoding="utf-8"))


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_publish_records_every_input_and_output(desk: Path) -> None:
    result = publish(desk)
    assert result.exit_code == 0, result.output
    assert "已签发 2018-028" in result.output
    assert "issues/2018-028/manifest.json（3 个输入文件、2 个输出文件的 SHA-256）" in result.output
    assert (
        (desk / "issues/2018-028/issue.yaml")
        .read_text(encoding="utf-8")
        .endswith("published: true\n")
    )
    record = manifest(desk)
    assert record["format"] == "briefing-manifest/1"
    assert record["label"] == "第二十八期（总第646期）"
    assert sorted(record["inputs"]) == [
        "issues/2018-028/01-grid.md",
        "issues/2018-028/images/visit.png",
        "issues/2018-028/issue.yaml",
    ]
    for name, entry in record["inputs"].items():
        assert entry["sha256"] == sha(desk / name)
        assert entry["bytes"] == (desk / name).stat().st_size
    assert record["settings"]["briefing.yaml"]["sha256"] == sha(desk / "briefing.yaml")
    for fmt in ("docx", "html"):
        out = desk / "build/2018-028" / f"2018-028.{fmt}"
        assert record["outputs"][fmt] == {
            "path": f"build/2018-028/2018-028.{fmt}",
            "sha256": sha(out),
            "bytes": out.stat().st_size,
        }
    listing = run("-C", desk, "list")
    assert "已签发" in listing.output


def test_publishing_twice_gives_the_same_record(desk: Path) -> None:
    assert publish(desk).exit_code == 0
    first = (desk / "issues/2018-028/manifest.json").read_bytes()
    again = publish(desk)
    assert again.exit_code == 2
    assert "已经签发" in again.output and "--undo" in again.output
    undo = run("-C", desk, "publish", "--undo", "2018-028")
    assert undo.exit_code == 0, undo.output
    assert publish(desk).exit_code == 0
    assert (desk / "issues/2018-028/manifest.json").read_bytes() == first


@pytest.mark.parametrize(
    ("change", "named"),
    [
        (
            lambda root: (root / "issues/2018-028/01-grid.md").write_text(
                GOOD_ARTICLE + "补充。\n", encoding="utf-8"
            ),
            "01-grid.md",
        ),
        (
            lambda root: (root / "issues/2018-028/images/visit.png").write_bytes(PNG + b"\0"),
            "images/visit.png",
        ),
        (
            lambda root: (root / "issues/2018-028/issue.yaml").write_text(
                issue_yaml() + "theme: 改\npublished: true\n", encoding="utf-8"
            ),
            "issue.yaml",
        ),
        (
            # one character for another of the same length: the size alone would not tell
            lambda root: (root / "issues/2018-028/01-grid.md").write_text(
                GOOD_ARTICLE.replace("网格", "网络", 1), encoding="utf-8"
            ),
            "01-grid.md",
        ),
        (lambda root: (root / "issues/2018-028/01-grid.md").unlink(), "01-grid.md"),
        (
            lambda root: (root / "issues/2018-028/02-more.md").write_text(
                GOOD_ARTICLE.replace("网格化", "新"), encoding="utf-8"
            ),
            "02-more.md",
        ),
    ],
    ids=["article", "picture", "issue-yaml", "same-size", "deleted", "added"],
)
def test_check_reports_a_change_to_a_published_issue_until_reverted(
    desk: Path, change, named: str
) -> None:
    assert publish(desk).exit_code == 0
    folder = desk / "issues/2018-028"
    backup = desk.parent / "backup"
    shutil.copytree(folder, backup)
    change(desk)
    result = run("-C", desk, "check", "--format", "json")
    assert result.exit_code == 1
    found = [d for d in json.loads(result.output)["diagnostics"] if d["code"] == "R001"]
    assert len(found) == 1, found
    assert found[0]["path"] == f"issues/2018-028/{named}"
    assert found[0]["line"] == 1 and named in found[0]["message"]
    refused = run("-C", desk, "build", "2018-028")
    assert refused.exit_code == 1 and "R001" in refused.output
    shutil.rmtree(folder)
    shutil.copytree(backup, folder)
    assert run("-C", desk, "check").exit_code == 0


def test_a_broken_manifest_and_an_unrecorded_publication(desk: Path) -> None:
    (desk / "issues/2018-028/manifest.json").write_text("{broken", encoding="utf-8")
    result = run("-C", desk, "check")
    assert result.exit_code == 1
    assert "issues/2018-028/manifest.json:1:2: R002 签发记录不是有效的 JSON" in result.output
    assert run("-C", desk, "build", "2018-028").exit_code == 1
    (desk / "issues/2018-028/manifest.json").write_text('{"format": "x"}', encoding="utf-8")
    assert "R002" in run("-C", desk, "check").output
    (desk / "issues/2018-028/manifest.json").unlink()
    (desk / "issues/2018-028/issue.yaml").write_text(
        issue_yaml() + "published: true\n", encoding="utf-8"
    )
    result = run("-C", desk, "check")
    assert result.exit_code == 0  # a warning: record it with briefing publish
    assert "issues/2018-028/issue.yaml:5:1: R003" in result.output
    recorded = publish(desk)
    assert recorded.exit_code == 0, recorded.output
    assert run("-C", desk, "check").output.strip() == "检查通过：没有发现问题"


def test_build_of_a_published_issue_verifies_the_record(desk: Path) -> None:
    assert publish(desk).exit_code == 0
    result = run("-C", desk, "build", "2018-028")
    assert result.exit_code == 0, result.output
    assert "已核对：DOCX、HTML 与签发记录逐字节一致" in result.output
    docx = desk / "build/2018-028/2018-028.docx"
    before = docx.read_bytes()
    config = (desk / "briefing.yaml").read_text(encoding="utf-8")
    (desk / "briefing.yaml").write_text(config.replace("测试区信息", "改名信息"), encoding="utf-8")
    refused = run("-C", desk, "build", "2018-028")
    assert refused.exit_code == 1
    assert "DOCX 与签发时记录的不同" in refused.output
    assert "briefing.yaml 在签发后被修改" in refused.output
    assert docx.read_bytes() == before  # nothing replaced
    draft = run("-C", desk, "build", "2018-028", "--draft")
    assert draft.exit_code == 2 and "不能再生成样稿" in draft.output


def test_the_archive_shows_a_published_issue_only_as_recorded(desk: Path) -> None:
    assert publish(desk).exit_code == 0
    signed = (desk / "build/2018-028/2018-028.html").read_bytes()
    site = run("-C", desk, "site")
    assert site.exit_code == 0 and "未收入" not in site.output
    assert "2018-028/2018-028.html" in (desk / "build/index.html").read_text(encoding="utf-8")
    config = (desk / "briefing.yaml").read_text(encoding="utf-8")
    (desk / "briefing.yaml").write_text(config.replace("测试区信息", "改名信息"), encoding="utf-8")
    # the signed HTML is still at hand: the archive shows it as it was sent, old name and all
    kept = run("-C", desk, "site")
    assert kept.exit_code == 0 and "未收入" not in kept.output
    assert (desk / "build/2018-028/2018-028.html").read_bytes() == signed
    assert "2018-028/2018-028.html" in (desk / "build/index.html").read_text(encoding="utf-8")
    # elsewhere, without the signed file, a rendering that differs from the record is left out
    elsewhere = run("-C", desk, "site", "--out", desk.parent / "site")
    assert elsewhere.exit_code == 0 and "未收入" not in elsewhere.output  # copied from build/
    (desk / "build/2018-028/2018-028.html").unlink()
    shutil.rmtree(desk.parent / "site")
    changed = run("-C", desk, "site", "--out", desk.parent / "site")
    assert changed.exit_code == 0
    assert "期刊 2018-028 已签发，但重新生成的 HTML 与签发记录不同，未收入归档" in changed.output
    index = (desk.parent / "site/index.html").read_text(encoding="utf-8")
    assert "2018-028/2018-028.html" not in index


def test_undo_says_what_it_does(desk: Path) -> None:
    assert publish(desk).exit_code == 0
    result = run("-C", desk, "publish", "--undo", "2018-028")
    assert result.exit_code == 0
    assert "issues/2018-028/issue.yaml：删除了 published: true" in result.output
    assert (
        "删除了签发记录 issues/2018-028/manifest.json（记录了 3 个输入文件和 2 个输出文件）"
        in result.output
    )
    assert "已生成的输出文件没有改动" in result.output
    assert not (desk / "issues/2018-028/manifest.json").exists()
    assert "published" not in (desk / "issues/2018-028/issue.yaml").read_text(encoding="utf-8")
    assert (desk / "build/2018-028/2018-028.docx").is_file()
    again = run("-C", desk, "publish", "--undo", "2018-028")
    assert again.exit_code == 2 and "尚未签发" in again.output


def test_a_published_issue_takes_no_new_articles_and_no_fixes(desk: Path) -> None:
    (desk / "issues/2018-028/01-grid.md").write_text(
        PICTURE_ARTICLE.replace("今年以来，", "今年以来,"), encoding="utf-8"
    )
    assert publish(desk).exit_code == 0
    added = run("-C", desk, "new-article", "--issue", "2018-028", "--title", "新", "--source", "办")
    assert added.exit_code == 2 and "已签发" in added.output
    before = (desk / "issues/2018-028/01-grid.md").read_bytes()
    fixed = run("-C", desk, "check", "--fix")
    assert "没有可自动修正的内容" in fixed.output
    assert (desk / "issues/2018-028/01-grid.md").read_bytes() == before


def test_publish_refuses_an_issue_with_errors(desk: Path) -> None:
    (desk / "issues/2018-028/01-grid.md").write_text("no front matter\n", encoding="utf-8")
    result = publish(desk)
    assert result.exit_code == 1
    assert not (desk / "issues/2018-028/manifest.json").exists()
    assert "published" not in (desk / "issues/2018-028/issue.yaml").read_text(encoding="utf-8")


def test_publish_rules_are_registered_and_documented() -> None:
    for code in ("R001", "R002", "R003", "N004", "N005"):
        assert RULES[code].summary
    assert (REPO / "docs/rules.md").read_text(encoding="utf-8") == rules_markdown()


# --------------------------------------------------------------------------- stale outputs


def test_build_removes_stale_outputs_it_did_not_rebuild(desk: Path) -> None:
    out = desk / "build/2018-028"
    out.mkdir(parents=True)
    (out / "2018-028.pdf").write_bytes(b"%PDF old")
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    result = run("-C", desk, "build", "2018-028")
    assert result.exit_code == 0, result.output
    assert "已删除过时的 build/2018-028/2018-028.pdf" in result.output
    assert not (out / "2018-028.pdf").exists()
    assert (out / "notes.txt").exists()  # only our own output names are touched
    assert (out / "2018-028.docx").exists()


def test_outputs_from_the_same_inputs_are_kept_and_stale_ones_removed(desk: Path) -> None:
    out = desk / "build/2018-028"
    assert run("-C", desk, "build", "2018-028", "--format", "docx").exit_code == 0
    result = run("-C", desk, "build", "2018-028", "--format", "html")
    assert result.exit_code == 0 and "已删除" not in result.output
    assert (out / "2018-028.docx").is_file()  # made from the same inputs a moment ago
    article = desk / "issues/2018-028/01-grid.md"
    article.write_text(PICTURE_ARTICLE.replace("42个", "43个"), encoding="utf-8")
    result = run("-C", desk, "build", "2018-028", "--format", "html")
    assert "已删除过时的 build/2018-028/2018-028.docx" in result.output
    assert not (out / "2018-028.docx").exists()
    assert run("-C", desk, "site").exit_code == 0  # the archive page lives in the same folder
    assert run("-C", desk, "build", "2018-028", "--format", "docx").exit_code == 0
    assert (out / "2018-028.html").is_file()


def test_a_recorded_output_that_still_matches_is_kept(desk: Path) -> None:
    assert publish(desk).exit_code == 0
    result = run("-C", desk, "build", "2018-028", "--format", "html")
    assert result.exit_code == 0, result.output
    assert (desk / "build/2018-028/2018-028.docx").is_file()
    assert "已删除" not in result.output


# --------------------------------------------------------------------------- reproducibility


def test_two_builds_seconds_apart_are_byte_identical(desk: Path) -> None:
    require_tool("soffice")
    first = run("-C", desk, "build", "2018-028", "--format", "docx,html,pdf", "--out", desk / "a")
    assert first.exit_code == 0, first.output
    time.sleep(2)  # zip entry times and the PDF CreationDate would otherwise differ
    second = run("-C", desk, "build", "2018-028", "--format", "docx,html,pdf", "--out", desk / "b")
    assert second.exit_code == 0, second.output
    for fmt in ("docx", "html", "pdf"):
        a = (desk / "a" / f"2018-028.{fmt}").read_bytes()
        b = (desk / "b" / f"2018-028.{fmt}").read_bytes()
        assert a == b, fmt
    pdf = (desk / "a" / "2018-028.pdf").read_bytes()
    assert b"/CreationDate(D:20181220000000Z')" in pdf
    import zipfile

    with zipfile.ZipFile(desk / "a" / "2018-028.docx") as zipped:
        assert {info.date_time for info in zipped.infolist()} == {(2018, 12, 20, 0, 0, 0)}
        core = zipped.read("docProps/core.xml").decode("utf-8")
    assert "2018-12-20T00:00:00Z" in core
