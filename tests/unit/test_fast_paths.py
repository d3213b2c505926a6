"""Every shortcut taken for speed (#14) against the slow path it replaces, on random input.

A shortcut must give exactly what the plain code gives: these properties fail as soon as the
two disagree on any input hypothesis finds (derandomized, so a failure reproduces).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefing import markdown

REPO = Path(__file__).resolve().parent.parent.parent
CORPUS = REPO / "tests" / "hostile" / "corpus" / "articles"

EXAMPLES = settings(
    max_examples=400,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# Markdown syntax, the characters markdown-it stops at, CJK text and punctuation.
FRAGMENTS = [
    "# ",
    "## 一、",
    "\n",
    "\n\n",
    "    ",
    "\t",
    "> ",
    "- ",
    "1. ",
    "2) ",
    "```\n",
    "~~~",
    "| a | b |\n| --- | :-: |\n",
    "***",
    "---",
    "===",
    "**",
    "__",
    "*",
    "_",
    "~~",
    "`",
    "``",
    "[链接](https://x.cn)",
    "![图](images/p.png)",
    "[ref]: /u",
    "[ref]",
    "<b>",
    "</div>",
    "<!-- c -->",
    "<https://x.cn>",
    "<a@b.cn>",
    "&amp;",
    "&#20320;",
    "\\*",
    "\\",
    "  \n",
    "%",
    "100%",
    "+",
    "-",
    ":",
    "@",
    "$",
    "^",
    "{",
    "}",
    "=",
    "#",
    "]",
    "“",
    "”",
    "（",
    "）",
    "，",
    "。",
    "今年以来",
    "推行**“一件事一次办”**改革",
    "abc",
    " ",
]
ALPHABET = st.characters(codec="utf-8", categories=["L", "N", "P", "S", "Z", "Cc"])
MARKDOWN = st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(ALPHABET, max_size=6))).map(
    "".join
)


def stock_parser() -> Any:
    """The parser as configured before the shortcuts: html rules on, markdown-it's own
    core ``inline`` rule."""
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark", {"html": False}).enable("table")
    md.inline.ruler.at("emphasis", markdown._cjk_emphasis)
    return md


STOCK = stock_parser()


def tokens(md: Any, text: str) -> list[dict[str, Any]]:
    return [token.as_dict() for token in md.parse(text)]


@EXAMPLES
@given(MARKDOWN)
def test_the_parser_gives_the_stock_parsers_tokens(text: str) -> None:
    assert tokens(markdown.markdown_parser(), text) == tokens(STOCK, text)


@pytest.mark.parametrize("path", sorted(CORPUS.glob("*.md")), ids=lambda p: p.name)
def test_the_parser_gives_the_stock_parsers_tokens_for_the_hostile_corpus(path: Path) -> None:
    text = path.read_bytes().decode("utf-8", errors="replace")
    assert tokens(markdown.markdown_parser(), text) == tokens(STOCK, text)


def test_plain_text_takes_the_shortcut_and_markup_does_not() -> None:
    md = markdown.markdown_parser()
    assert markdown.INLINE_MARKUP.search("增长15%，2018—2020年：+3 {a} = b ^ ~ $ @ # ] -") is None
    for markup in ("\n", "\\", "`", "*", "_", "[", "!", "<", "&"):
        assert markdown.INLINE_MARKUP.search(f"前{markup}后")
    [_, inline, _] = md.parse("今年以来，增长15%。")
    assert [(t.type, t.content) for t in inline.children] == [("text", "今年以来，增长15%。")]


def test_an_unknown_inline_rule_turns_the_shortcut_off() -> None:
    md = stock_parser()
    assert markdown._plain_text_shortcut_applies(md)
    md.enable("strikethrough")  # "~~" would be markup: the shortcut does not know it
    assert not markdown._plain_text_shortcut_applies(md)
    md = stock_parser()
    md.inline.ruler.push("mention", lambda state, silent: False)
    assert not markdown._plain_text_shortcut_applies(md)
