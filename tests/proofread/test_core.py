"""Suppression comments (``briefing/proofread/core.py``): which file line hides which codes."""

from __future__ import annotations

from pathlib import Path

from briefing.model import SourceText
from briefing.proofread.core import Suppressions, article_suppressions


def test_add_merges_codes_and_no_code_means_every_code():
    found = Suppressions()
    found.add(3, " t101, T102 ")
    found.add(3, "C307")
    found.add(4, "")
    found.add(4, "T101")
    found.add(5, "T101")
    found.add(5, "all")
    assert found.lines == {3: frozenset({"T101", "T102", "C307"}), 4: None, 5: None}
    assert found.hides("T102", 3)
    assert not found.hides("T103", 3)
    assert found.hides("S201", 4)
    assert not found.hides("T101", 6)


def test_html_comments_this_line_and_next_line():
    body = SourceText(
        "甲<!-- briefing-disable T101 -->\n<!--briefing-disable-next-line T102-->\n乙\n"
        "<!-- briefing-disable-->",
        Path("a.md"),
        5,
    )
    found = Suppressions()
    found.scan_html(body)
    assert found.lines == {5: frozenset({"T101"}), 7: frozenset({"T102"}), 8: None}


def test_yaml_comments_skip_the_lines_that_hold_text():
    text = (
        "title: 甲 # briefing-disable T101\n"
        "# briefing-disable-next-line T102\n"
        "source: 乙\n"
        "body: |\n"
        "  x # briefing-disable T103\n"
        "note: a#briefing-disable T104\n"
    )
    found = Suppressions()
    found.scan_yaml(text, [5])
    assert found.lines == {1: frozenset({"T101"}), 3: frozenset({"T102"})}


def test_article_suppressions_read_the_file(tmp_path):
    markdown = tmp_path / "a.MD"
    markdown.write_bytes(
        "\ufeff---\ntitle: 甲 # briefing-disable T101\n---\n正文 # briefing-disable T102\n"
        "第二行\n# briefing-disable T105\n".encode()
    )
    body = SourceText(
        "正文 # briefing-disable T102\n第二行\n# briefing-disable T105\n", markdown, 4
    )
    assert article_suppressions(markdown, body).lines == {2: frozenset({"T101"})}

    yaml = tmp_path / "b.yaml"
    yaml.write_text(
        "title: 甲 # briefing-disable T101\nbody: |\n  正文 # briefing-disable T102\n"
        "  <!-- briefing-disable T106 -->\nnote: 乙 # briefing-disable T103\n",
        encoding="utf-8",
    )
    body = SourceText("正文 # briefing-disable T102\n<!-- briefing-disable T106 -->", yaml, 3, 3, 2)
    assert article_suppressions(yaml, body).lines == {
        1: frozenset({"T101"}),
        4: frozenset({"T106"}),
        5: frozenset({"T103"}),
    }
    empty = SourceText("", yaml, 3)
    assert article_suppressions(yaml, empty).lines == {
        1: frozenset({"T101"}),
        3: frozenset({"T102"}),
        5: frozenset({"T103"}),
    }


def test_article_suppressions_without_a_readable_file(tmp_path):
    broken = tmp_path / "c.md"
    broken.write_bytes(b"title: \xff # briefing-disable T101\n")
    assert article_suppressions(broken, SourceText("", broken, 3)).lines == {}
    missing = tmp_path / "missing.md"
    assert article_suppressions(missing, SourceText("", missing, 3)).lines == {}
    assert article_suppressions(tmp_path, SourceText("", tmp_path, 3)).lines == {}
    given = "title: 甲 # briefing-disable T101\n"
    assert article_suppressions(missing, SourceText("", missing, 3), text=given).lines == {
        1: frozenset({"T101"})
    }
