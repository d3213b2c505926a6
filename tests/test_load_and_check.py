"""Loading and schema-level checks: every bad input gets a located Chinese message."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefing.check import check_workspace
from briefing.errors import Diagnostic, Severity
from tests.conftest import GOOD_ARTICLE, issue_yaml

ISSUE = "issues/2018-028/"


def findings(root: Path) -> list[Diagnostic]:
    return list(check_workspace(root, advice=False).diagnostics)


def only(root: Path) -> Diagnostic:
    found = [d for d in findings(root) if d.severity is Severity.ERROR]
    assert len(found) == 1, found
    return found[0]


def where(d: Diagnostic) -> tuple[str, str, int | None, int | None]:
    return d.code, d.path.name if d.path else "", d.line, d.column


def with_article(make_workspace, text: str | bytes, name: str = "01.md") -> Path:  # type: ignore[no-untyped-def]
    return make_workspace({ISSUE + "issue.yaml": issue_yaml(), ISSUE + name: text})


def test_good_workspace_is_clean(good_workspace: Path) -> None:
    assert findings(good_workspace) == []


def test_broken_front_matter_yaml_points_at_the_line(make_workspace) -> None:  # type: ignore[no-untyped-def]
    root = with_article(make_workspace, "---\ntitle: 标题\nsource: 局: 办公室\n---\n正文。\n")
    d = only(root)
    assert where(d) == ("F002", "01.md", 3, 10)
    assert "冒号" in d.message


def test_missing_front_matter(make_workspace) -> None:  # type: ignore[no-untyped-def]
    d = only(with_article(make_workspace, "# 标题\n\n正文。\n"))
    assert where(d)[:3] == ("F003", "01.md", 1)


def test_unclosed_front_matter(make_workspace) -> None:  # type: ignore[no-untyped-def]
    d = only(with_article(make_workspace, "---\ntitle: 标题\nsource: 局\n正文。\n"))
    assert d.code == "F003" and "第二个 ---" in d.message


def test_unknown_field_suggests_the_right_one(make_workspace) -> None:  # type: ignore[no-untyped-def]
    root = with_article(
        make_workspace, "---\ntitle: 标题\nsource: 局\nsubtitel: 副题\n---\n正文。\n"
    )
    d = only(root)
    assert where(d) == ("M002", "01.md", 4, 1)
    assert "subtitle" in d.message


def test_missing_fields(make_workspace) -> None:  # type: ignore[no-untyped-def]
    root = with_article(make_workspace, "---\nsubtitle: 副题\n---\n正文。\n")
    codes = sorted(where(d) for d in findings(root))
    assert [c[0] for c in codes] == ["M001", "M001"]
    assert any("source" in d.message for d in findings(root))


def test_mistyped_fields(make_workspace) -> None:  # type: ignore[no-untyped-def]
    root = with_article(make_workspace, "---\ntitle: 标题\nsource: 局\norder: 第一\n---\n正文。\n")
    d = only(root)
    assert where(d) == ("M003", "01.md", 4, 8)
    assert "整数" in d.message


def test_zero_padded_issue_number_is_explained(make_workspace) -> None:  # type: ignore[no-untyped-def]
    root = make_workspace(
        {ISSUE + "issue.yaml": 'year: 2018\nnumber: "028"\ntotal: 646\ndate: 2018-12-20\n'}
    )
    d = next(x for x in findings(root) if x.code == "M003")
    assert "写成 28" in d.message and d.line == 2


def test_impossible_issue_date(make_workspace) -> None:  # type: ignore[no-untyped-def]
    root = make_workspace(
        {ISSUE + "issue.yaml": "year: 2018\nnumber: 28\ntotal: 646\ndate: 2018-02-30\n"}
    )
    d = next(x for x in findings(root) if x.code == "M003")
    assert (d.line, d.column) == (4, 7)
    assert d.message == "字段“date”的日期“2018-02-30”不存在，请核对月、日"


def test_duplicate_key(make_workspace) -> None:  # type: ignore[no-untyped-def]
    root = with_article(make_workspace, "---\ntitle: 甲\nsource: 局\ntitle: 乙\n---\n正文。\n")
    assert where(only(root)) == ("M004", "01.md", 4, 1)


def test_gb18030_file_is_named(make_workspace) -> None:  # type: ignore[no-untyped-def]
    data = GOOD_ARTICLE.encode("gb18030")
    d = only(with_article(make_workspace, data))
    assert d.code == "F001" and "GB18030" in d.message and d.line == 2


def test_bom_is_accepted(make_workspace) -> None:  # type: ignore[no-untyped-def]
    root = with_article(make_workspace, b"\xef\xbb\xbf" + GOOD_ARTICLE.encode("utf-8"))
    assert findings(root) == []


def test_empty_body(make_workspace) -> None:  # type: ignore[no-untyped-def]
    d = only(with_article(make_workspace, "---\ntitle: 标题\nsource: 局\n---\n\n<!-- 待写 -->\n"))
    assert where(d) == ("F004", "01.md", 5, 1)


def test_yaml_article_body_lines(make_workspace) -> None:  # type: ignore[no-untyped-def]
    text = "title: 标题\nsource: 局\nbody: |\n  第一段。\n\n  ![图](images/none.png)\n"
    d = only(with_article(make_workspace, text, "01.yaml"))
    assert where(d) == ("P001", "01.yaml", 6, 1)


def test_duplicate_titles_and_orders(make_workspace) -> None:  # type: ignore[no-untyped-def]
    art = "---\ntitle: 同一个标题\nsource: 局\norder: 1\n---\n正文。\n"
    root = make_workspace(
        {ISSUE + "issue.yaml": issue_yaml(), ISSUE + "01.md": art, ISSUE + "02.md": art}
    )
    assert sorted(where(d) for d in findings(root)) == [
        ("M005", "02.md", 2, 8),
        ("M006", "02.md", 4, 8),
    ]


def test_order_list_names_missing_files(make_workspace) -> None:  # type: ignore[no-untyped-def]
    root = make_workspace(
        {
            ISSUE + "issue.yaml": issue_yaml() + "order: [01.md, 09.md]\n",
            ISSUE + "01.md": GOOD_ARTICLE,
        }
    )
    d = only(root)
    assert d.code == "M007" and "09.md" in d.message and d.line == 5


@pytest.mark.parametrize(
    ("src", "code"),
    [
        ("images/none.png", "P001"),
        ("../../../outside.png", "P002"),
        ("https://example.org/a.png", "P002"),
    ],
)
def test_picture_problems(make_workspace, src: str, code: str) -> None:  # type: ignore[no-untyped-def]
    root = with_article(
        make_workspace, f"---\ntitle: 标题\nsource: 局\n---\n正文。\n\n![图]({src})\n"
    )
    assert where(only(root)) == (code, "01.md", 7, 1)


def test_picture_that_is_not_a_picture(make_workspace) -> None:  # type: ignore[no-untyped-def]
    root = make_workspace(
        {
            ISSUE + "issue.yaml": issue_yaml(),
            ISSUE + "images/a.png": "not a png",
            ISSUE + "01.md": "---\ntitle: 标题\nsource: 局\n---\n![图](images/a.png)\n",
        }
    )
    assert only(root).code == "P003"


def test_missing_issue_yaml_and_stray_files(make_workspace) -> None:  # type: ignore[no-untyped-def]
    root = make_workspace(
        {
            ISSUE + "01.md": GOOD_ARTICLE,
            "issues/2018-029/issue.yaml": issue_yaml(29, 647),
            "issues/2018-029/notes.docx": b"PK",
        }
    )
    codes = {d.code for d in findings(root)}
    assert {"F007", "F006"} <= codes


def test_broken_settings(make_workspace) -> None:  # type: ignore[no-untyped-def]
    root = make_workspace(config="name: 测试\nisuer: 办公室\nnumbering:\n  format: 第{numbr}期\n")
    found = sorted(where(d) for d in findings(root))
    assert ("M001", "briefing.yaml", 1, 1) in found  # issuer missing
    assert ("M002", "briefing.yaml", 2, 1) in found  # isuer → issuer
    assert any(c == "M003" and line == 4 for c, _, line, _ in found)


def test_severity_can_be_configured(make_workspace) -> None:  # type: ignore[no-untyped-def]
    config = "name: 测试\nissuer: 办\nchecks:\n  severity: {F006: off, M007: warning}\n"
    root = make_workspace(
        {
            ISSUE + "issue.yaml": issue_yaml() + "order: [x.md]\n",
            ISSUE + "01.md": GOOD_ARTICLE,
            ISSUE + "stray.txt": "x",
        },
        config=config,
    )
    assert [(d.code, d.severity) for d in findings(root)] == [("M007", Severity.WARNING)]


def test_source_can_be_optional(make_workspace) -> None:  # type: ignore[no-untyped-def]
    config = "name: 测试\nissuer: 办\nchecks:\n  require_source: false\n"
    root = make_workspace(
        {ISSUE + "issue.yaml": issue_yaml(), ISSUE + "01.md": "---\ntitle: 标题\n---\n正文。\n"},
        config=config,
    )
    assert findings(root) == []


def test_parallel_check_matches_serial(make_workspace, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    import briefing.check

    files: dict[str, str | bytes] = {}
    for n in range(28, 44):
        folder = f"issues/2018-{n:03d}/"
        files[folder + "issue.yaml"] = issue_yaml(n, 618 + n)
        files[folder + "01.md"] = (
            GOOD_ARTICLE.replace("今年以来，", "今年以来,") if n % 3 else GOOD_ARTICLE
        )
        files[folder + "02.md"] = (
            "---\ntitle: 标题\nsourse: 局\n---\n正文。\n"
            if n % 5 == 0
            else GOOD_ARTICLE.replace("街道推行网格化管理", f"第{n}期文稿")
        )
    root = make_workspace(files)
    monkeypatch.setattr(briefing.check, "PARALLEL_MIN_FOLDERS", 10_000)
    serial = check_workspace(root)
    monkeypatch.setattr(briefing.check, "PARALLEL_MIN_FOLDERS", 2)
    parallel = check_workspace(root)
    assert serial.diagnostics == parallel.diagnostics
    assert {d.code for d in serial.diagnostics} >= {"T101", "M002"}
    assert [i.dir.name for i in serial.issues] == [i.dir.name for i in parallel.issues]
    assert serial.issues[3].articles[0].blocks == parallel.issues[3].articles[0].blocks
    # Findings only (briefing check): the same findings, issues without their articles.
    slim = check_workspace(root, keep_articles=False)
    assert slim.diagnostics == serial.diagnostics
    assert [(i.dir, i.issue) for i in slim.issues] == [(i.dir, i.issue) for i in serial.issues]
    assert all(i.articles == () and i.notes == () for i in slim.issues)
    assert all(i.articles for i in serial.issues)


@pytest.mark.parametrize(
    ("extra", "field", "column"),
    [
        ("layout:\n  masthead_size: 大\n", "layout.masthead_size", 18),
        ("layout:\n  imprint_on_even_page: 是\n", "layout.imprint_on_even_page", 25),
        ("checks:\n  banned_words: {a: 1}\n", "checks.banned_words", 17),
        ("checks:\n  severity: [T101]\n", "checks.severity", 13),
        ("checks:\n  max_title_length: '40'\n", "checks.max_title_length", 21),
        ("checks:\n  require_source: [1]\n", "checks.require_source", 19),
        ("fonts:\n  body: ''\n", "fonts.body", 9),
    ],
)
def test_wrongly_typed_setting_is_located(
    make_workspace, extra: str, field: str, column: int
) -> None:
    from tests.conftest import BASE_CONFIG

    root = make_workspace(config=BASE_CONFIG + extra)
    (d,) = findings(root)
    assert (d.code, d.path.name, d.line, d.column) == ("M003", "briefing.yaml", 15, column)
    assert f"字段“{field}”" in d.message


def test_a_map_setting_given_as_text_is_located(make_workspace) -> None:  # type: ignore[no-untyped-def]
    from tests.conftest import BASE_CONFIG

    (d,) = findings(make_workspace(config=BASE_CONFIG + "fonts: 宋体\n"))
    assert (d.code, d.line, d.column) == ("M003", 14, 8)
    assert "字段“fonts”" in d.message


def test_a_single_banned_word_may_be_written_as_text(make_workspace) -> None:  # type: ignore[no-untyped-def]
    from tests.conftest import BASE_CONFIG

    root = make_workspace(
        {
            "issues/2018-028/issue.yaml": issue_yaml(),
            "issues/2018-028/01.md": GOOD_ARTICLE.replace("专职", "敏感词"),
        },
        config=BASE_CONFIG + "checks:\n  banned_words: 敏感词\n",
    )
    (d,) = check_workspace(root).diagnostics
    assert (d.code, d.path.name, d.line) == ("C307", "01.md", 6)
