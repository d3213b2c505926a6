"""Every shortcut taken for speed (#14) against the slow path it replaces, on random input.

A shortcut must give exactly what the plain code gives: these properties fail as soon as the
two disagree on any input hypothesis finds (derandomized, so a failure reproduces).
"""

from __future__ import annotations

import io
import itertools
import os
import re
import shutil
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from briefing import errors, markdown, textio, yamldoc
from briefing.model import CheckSettings, SourceText
from briefing.proofread import content, structure, typography
from briefing.proofread.core import Finding, Segment, body_segment
from briefing.proofread.text import OPAQUE, SKIP, Masked, Scope
from tests.strategies import EXAMPLES, MARKDOWN

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO / "tests" / "hostile" / "corpus" / "articles"


@EXAMPLES
@given(MARKDOWN)
def test_raw_html_is_looked_for_only_where_a_tag_can_be(text: str) -> None:
    masked = markdown._mask_code(markdown.strip_comments(text))
    found = [m.group() for m in markdown.RAW_TAG.finditer(masked)]
    notes = markdown.find_raw_html(SourceText(text, Path("a.md"), 1))
    assert [note.text for note in notes] == found


# --------------------------------------------------------------------------- proofreading

# What the rules look at: digits of every width and script, half-width and full-width marks,
# units of dates, numerals, spaces, and the SKIP/OPAQUE placeholders of masked text; single
# characters and the short runs the rules are about.
PROSE_PIECES = [
    *"0123456789０１２٣.,;:?!/-aZ年月日号是第一二三十中文 \u3000\u00a0\n\t",
    *"“”‘’《》〈〉（）【】〔〕()，。、；：？！…—",
    SKIP,
    OPAQUE,
    "中文",
    "推进",
    "12",
    "2018",
    "1.5",
    "1,000",
    "9:30",
    "http://",
    "通知.docx",
    "...",
    "18年3月",
    "１８年３月",
    "١٨年٣月",
    "2018年03月05日",
    "2月30日",
    "20201231日",
    "一是",
    "二是",
    "“一”",
    "‘一’",
    "《一》",
    "〈一〉",
    "（一）",
    "(一)",
    "【一】",
    "〔一〕",
    SKIP + " ",
    " " + SKIP,
    "  ",
    "中 文",
]
PROSE = st.lists(st.sampled_from(PROSE_PIECES), max_size=40).map("".join)
SCOPE_KINDS = ("paragraph", "heading", "item", "row", "quote", "field")


@st.composite
def masked_segments(draw: st.DrawFn) -> Segment:
    """A segment whose masked text is random prose cut into random scopes."""
    text = draw(PROSE)
    cuts = sorted(draw(st.sets(st.integers(0, len(text)), max_size=4)) | {0, len(text)})
    scopes = tuple(
        Scope(draw(st.sampled_from(SCOPE_KINDS)), a, b) for a, b in itertools.pairwise(cuts)
    )
    name = draw(st.sampled_from(["body", "title", "source"]))
    return Segment(name, SourceText(text, Path("a.md"), 1), Masked(text, scopes))


DATE_PIECES = [*"0123456789０٣年月日号.，中", "2月29日", "2019年2月29日", "2020年2月29日"]
DATE_PIECES += ["0月", "13月", "1月31日", "4月31日", "12月28日", "12月29日", "03月", "3月05日"]
DATE_PIECES += [
    "3月0日",
    "1月1日",
    "1900年2月29日",
    "٣月٣日",
    "１月３０日",
    "9月",
    "10月",
    "2018年",
]
DATES = st.lists(st.sampled_from(DATE_PIECES), max_size=30).map("".join)


# The patterns as they were before they were rewritten for speed: every rewrite must find the
# same matches (spans and groups) on any text.
OLD_PATTERNS = {
    (content, "SHORT"): r"(?=\d)(?<![\d.])(\d{2})年(?=\d{1,2}月)",
    (content, "DATE"): r"(?=\d)(?<![\d.])(\d{1,2})月(?:(\d{1,3})[日号])?(?!\d)",
    (content, "RUN_BEFORE_UNIT"): r"\d{3}[日号月]",
    (structure, "YISHI_RE"): r"([一二三四五六七八九十]{1,3})是",
}


@EXAMPLES
@given(st.one_of(PROSE, DATES))
def test_rewritten_patterns_find_what_the_old_ones_found(text: str) -> None:
    for (module, name), old in OLD_PATTERNS.items():
        new = getattr(module, name)
        found = [(m.span(), m.groups()) for m in new.finditer(text)]
        assert found == [(m.span(), m.groups()) for m in re.finditer(old, text)], name


# Typography shortcuts, each against what it replaces: every half-width mark checked by
# ``half_width``, every space run by ``_spaces``, every scope by ``unpaired``.
SLOW_TYPOGRAPHY = {
    "HALF_MARK": re.compile(r"[,;:?!]|(?<!\.)\.(?!\.)"),
    "SPACES": re.compile(r"[ \u3000\u00a0]+"),
    "FLAT_PAIRS": re.compile(r"(?!)"),  # matches nothing: no scope is skipped
}


def typography_findings(segment: Segment) -> list[Finding]:
    title = segment.name == "title"
    return list(typography.check(segment, title=title))


def assert_typography_as_slow(segment: Segment) -> None:
    fast = typography_findings(segment)
    with pytest.MonkeyPatch.context() as patch:
        for name, pattern in SLOW_TYPOGRAPHY.items():
            patch.setattr(typography, name, pattern)
        assert typography_findings(segment) == fast


def prose_segment(text: str) -> Segment:
    return Segment(
        "body", SourceText(text, Path("a.md"), 1), Masked(text, (Scope("paragraph", 0, len(text)),))
    )


@settings(EXAMPLES, max_examples=500)
@given(masked_segments())
@example(prose_segment("中,1 1,中 1,1 中:2 2:中 1:1 a:/ 中.1 1.中 中.a 中..中 中." + SKIP + ",1"))
@example(prose_segment("中" + SKIP + " 文 中 " + SKIP + "文\n 中\u3000文"))
@example(prose_segment("‘一’ 〈一〉 “一” (一) “‘一’”"))
@example(prose_segment("中\u00a0\u00a0文 中 \u00a0文\n \u00a0中\u3000\u00a0文"))
def test_typography_shortcuts_find_what_the_full_scans_find(segment: Segment) -> None:
    assert_typography_as_slow(segment)


@EXAMPLES
@given(MARKDOWN)
def test_typography_shortcuts_on_masked_markdown(text: str) -> None:
    assert_typography_as_slow(body_segment(SourceText(text, Path("a.md"), 1)))


# --------------------------------------------------------------------------- files


@EXAMPLES
@given(st.binary(max_size=64), st.integers(0, 80), st.integers(0, 80))
def test_a_bounded_read_returns_what_reading_to_the_limit_returns(
    data: bytes, size: int, limit: int
) -> None:
    """*size* is what ``fstat`` said: the file may have grown or shrunk since."""
    size = min(size, limit)  # read_bytes_safely refuses a larger file before reading
    expected = io.BytesIO(data).read(limit + 1)
    assert textio._read_bounded(io.BytesIO(data), size, limit) == expected


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """Folders, files and symlinks of every kind: to a file, to a folder, to outside, up,
    dangling, a loop, a chain."""
    root = tmp_path / "ws"
    (root / "issues" / "a" / "images").mkdir(parents=True)
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "secret.md").write_text("x", encoding="utf-8")
    (root / "issues" / "a" / "01.md").write_text("x", encoding="utf-8")
    (root / "issues" / "a" / "images" / "p.png").write_bytes(b"x")
    links = {
        "issues/a/file-link.md": "01.md",
        "issues/a/out-link.md": str(tmp_path / "outside" / "secret.md"),
        "issues/a/dangling.md": "nowhere.md",
        "issues/a/loop.md": "loop.md",
        "issues/a/chain.md": "file-link.md",
        "issues/a/up": "..",
        "issues/b": "a",
        "issues/out": str(tmp_path / "outside"),
        "issues/a/images/pic.png": "../images/p.png",
    }
    for name, target in links.items():
        (root / name).symlink_to(target)
    return root


NAMES = ["01.md", "file-link.md", "out-link.md", "dangling.md", "loop.md", "chain.md", "missing"]
NAMES += ["images/p.png", "images/pic.png", "up/a/01.md", "../a/01.md", "./01.md", "", ".", ".."]


def test_real_path_within_a_check_is_realpath(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folders = ["issues/a", "issues/b", "issues/out", "issues/a/up", "issues/a/images", "issues"]
    paths = [str(tree / f / n) for f in folders for n in NAMES]
    monkeypatch.chdir(tree / "issues")
    paths += [f"a/{n}" for n in NAMES] + NAMES
    with textio.resolving_folders():
        for _ in range(2):  # resolved, then remembered
            for path in paths:
                assert textio.real_path(path) == os.path.realpath(path), path


def test_a_folder_swapped_for_a_symlink_is_seen_by_the_next_check(tree: Path) -> None:
    article = tree / "issues" / "c" / "01.md"
    (tree / "issues" / "c").mkdir()
    article.write_text("x", encoding="utf-8")
    with textio.resolving_folders():
        assert textio.real_path(article) == str(article)
    shutil.rmtree(tree / "issues" / "c")
    (tree / "issues" / "c").symlink_to(tree.parent / "outside")
    (tree.parent / "outside" / "01.md").write_text("x", encoding="utf-8")
    with textio.resolving_folders():
        assert textio.real_path(article) == str(tree.parent / "outside" / "01.md")
        with pytest.raises(textio.UnsafeFile):
            textio.read_bytes_safely(article, tree)


# --------------------------------------------------------------------------- content, structure


@EXAMPLES
@given(st.one_of(DATES, PROSE))
def test_plainly_valid_dates_are_the_ones_dates_says_nothing_about(text: str) -> None:
    segment = prose_segment(text)
    fast = list(content.check(segment, CheckSettings()))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(content, "plainly_valid", lambda month, day: False)
        assert list(content.check(segment, CheckSettings())) == fast


@EXAMPLES
@given(st.one_of(PROSE, MARKDOWN))
def test_a_numbers_form_is_the_first_group_that_matched(text: str) -> None:
    number, _ = structure.parse_number(text, 0, len(text))
    if number is None:
        return
    match = structure.NUMBER.match(text[number.start : number.start + 12].replace(SKIP, ""))
    assert match is not None
    assert number.form == next(name for name in structure.RANK if match.group(name))


YAML_PIECES = [*"ab:?-[]{},*&!'\"#|> \n", "  ", "key: ", "- ", "*x", "&x ", "? ", "[a, b]"]
YAML_PIECES += ["{a: 1}", "a:\n  b:\n    c: 1", "- - - - - -", "[[[[[[[[[[[[", "title: 标题"]


@EXAMPLES
@given(st.lists(st.sampled_from(YAML_PIECES), max_size=40).map("".join))
@example("{" * 21 + "}" * 21)  # flow mappings need no ":"
@example("[" * 21 + "]" * 21)
@example("- " * 21 + "a")
@example("? " * 21 + "a")  # explicit keys need no ":"
@example("".join(f"{' ' * i}k:\n" for i in range(21)) + " " * 21 + "v")
@example("a: &x 1\nb: *x")
def test_yaml_the_event_scan_skips_could_not_refuse(text: str) -> None:
    fast = yamldoc._refused_structure(text)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(yamldoc, "could_be_refused", lambda text: True)
        assert yamldoc._refused_structure(text) == fast


def shown_or_error(path: Path, bases: tuple[Path | None, ...]) -> str:
    try:
        return errors.display_path(path, *bases)
    except RuntimeError as error:  # Path.resolve on a symlink loop, remembered or not
        return f"{type(error).__name__}: {error}"


def test_display_paths_are_remembered_within_a_report_only(tree: Path) -> None:
    folders = ["issues/a", "issues/b", "issues/out", "issues/a/up", "issues/a/images"]
    paths = [tree / f / n for f in folders for n in NAMES if n not in ("", ".", "..")]
    bases = [(tree,), (tree / "issues" / "b", tree), (None, tree.parent / "outside"), ()]
    plain = {(p, b): shown_or_error(p, b) for p in paths for b in bases}
    with errors.remembering_display_paths():
        for _ in range(2):
            for (path, base), shown in plain.items():
                assert shown_or_error(path, base) == shown
    (tree / "issues" / "b").unlink()
    (tree / "issues" / "b").symlink_to(tree.parent / "outside")
    moved = tree / "issues" / "b" / "secret.md"
    assert errors.display_path(moved, tree) == str(moved)  # no longer inside: not remembered


OLD_CHARACTER_RULES = re.compile(
    r"(?=[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a，。、；：？！.\uff0e·…⋯\-—―\uff0d─\u2013])(?:"
    r"(?P<alnum>[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]"
    r"(?:[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]|\uff0e(?=[\uff10-\uff19]))*)"
    r"|(?P<points>[，。、；：？！]{2,})"
    r"|(?P<dots>\.{3,}|\uff0e{3,}|·{3,}|…+|⋯+)"
    r"|(?P<dashes>-{2,}|—+|―+|\uff0d{2,}|─{2,}|\u2013{2,})"
    r")"
)
MARK_CHARACTERS = list("１２３ＡＢａｂ．.·…⋯-—―－─–，。、；：？！中a1 ")
MARKS = st.text(st.sampled_from(MARK_CHARACTERS), max_size=24)


def character_matches(
    pattern: re.Pattern[str], text: str
) -> list[tuple[tuple[int, int], str | None, str]]:
    return [(m.span(), m.lastgroup, m.group()) for m in pattern.finditer(text)]


def test_the_character_rules_match_as_the_four_alternatives_did_on_every_short_text() -> None:
    """Every text of up to three of the marks' characters (about 22,000): each alternative's
    start, run and lookbehind meet within three characters."""
    alphabet = "".join(MARK_CHARACTERS)
    for size in range(1, 4):
        for chars in itertools.product(alphabet, repeat=size):
            text = "".join(chars)
            assert character_matches(typography.CHARACTER_RULES, text) == character_matches(
                OLD_CHARACTER_RULES, text
            ), text


@EXAMPLES
@given(st.one_of(MARKS, PROSE))
def test_the_character_rules_match_as_the_four_alternatives_did(text: str) -> None:
    found = character_matches(typography.CHARACTER_RULES, text)
    assert found == character_matches(OLD_CHARACTER_RULES, text)
