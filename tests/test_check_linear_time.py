"""No input makes ``check`` slower than linear in its size (#11: one 80 KB line took 17 s).

The bounds are generous (each case takes well under 0.5 s on an idle machine, the quadratic
versions took from 5 s to minutes) and count CPU time, as the machine running the tests may be
shared; the 2 MB article is a figure in ``bench/``.
"""

from __future__ import annotations

import random
import time

import pytest

from briefing.check import check_workspace
from briefing.markdown import _SOFT, _merge, _resolve_soft_breaks, parse_body
from briefing.model import Paragraph, SourceText, Span
from briefing.proofread import text as masking
from briefing.proofread import typography
from briefing.proofread.core import body_segment
from tests.conftest import issue_yaml

ISSUE = "issues/2018-028/"
HEAD = "---\ntitle: 标题测试\nsource: 区住建局\n---\n\n"
SIZE = 80_000
BOUND = 2.0  # seconds

# Each of these took from 6 s to minutes before the fix (a scan restarted at every position or
# a lookup over everything seen so far); they now take well under half a second.
PATHOLOGICAL = {
    "address run without a domain": "中文" + "a" * SIZE + "@",
    "URL ending in closing brackets": "中文http://" + ")" * (SIZE // 4),
    "opening quotes": "“" * 5_000,
}


@pytest.mark.parametrize("body", PATHOLOGICAL.values(), ids=PATHOLOGICAL.keys())
def test_a_pathological_article_checks_in_linear_time(make_workspace, body: str) -> None:  # type: ignore[no-untyped-def]
    root = make_workspace({ISSUE + "issue.yaml": issue_yaml(), ISSUE + "01.md": HEAD + body})
    started = time.process_time()
    workspace = check_workspace(root)
    elapsed = time.process_time() - started
    assert elapsed < BOUND, f"{elapsed:.2f} s"
    assert workspace.issues[0].articles  # it was read, not skipped


# Stages that were quadratic in the number of lines, spans or table rows, timed on
# their own (through check they hide behind markdown-it's linear but larger cost).
def test_soft_breaks_of_a_long_paragraph_are_linear() -> None:
    spans = [Span("中"), Span(_SOFT)] * 100_000
    started = time.process_time()
    resolved = _resolve_soft_breaks(spans)
    assert time.process_time() - started < BOUND
    assert len(resolved) == 100_000  # between two Chinese characters a line break is dropped


def test_merging_many_spans_is_linear() -> None:
    spans = [Span("中" * 100)] * 30_000
    started = time.process_time()
    (merged,) = _merge(spans)
    assert time.process_time() - started < BOUND
    assert len(merged.text) == 3_000_000


def test_spaces_in_a_long_table_are_linear(tmp_path) -> None:  # type: ignore[no-untyped-def]
    body = "| 名称 | 数 |\n| --- | --- |\n" + "| 中 文 | 1 |\n" * 6_000 + "\n中 文\n"
    segment = body_segment(SourceText(body, tmp_path / "a.md", 1))
    started = time.process_time()
    found = list(typography.check(segment))
    assert time.process_time() - started < BOUND
    assert [f.code for f in found] == ["T108"]  # only the space outside the table


def test_linear_email_masking_equals_the_plain_substitution() -> None:
    rng = random.Random(14)
    alphabet = "ab.@_-c中 x%1"
    for _ in range(5_000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 16)))
        assert masking._mask_emails(text) == masking.EMAIL.sub(masking._opaque, text), text


def test_an_address_right_after_another_is_still_masked() -> None:
    # re.sub resumes mid-run after a match: "_x@d.cn" starts inside the run "cc_x".
    assert masking._mask_emails("a@b.cc_x@d.cn 中") == masking.OPAQUE * 13 + " 中"


def test_a_url_keeps_balanced_brackets_and_drops_the_extra_ones() -> None:
    masked = masking.mask_plain("见http://x.cn/a_(b))）")
    assert masked == "见" + masking.OPAQUE * len("http://x.cn/a_(b)") + ")）"


def test_soft_breaks_and_merged_spans_read_as_before(tmp_path) -> None:  # type: ignore[no-untyped-def]
    body = SourceText("中文\n接着\nEnglish\nwords *强调*\n末尾", tmp_path / "a.md", 1)
    blocks, _, _ = parse_body(body, tmp_path)
    (paragraph,) = blocks
    assert isinstance(paragraph, Paragraph)
    assert [(s.text, s.italic) for s in paragraph.spans] == [
        ("中文接着English words ", False),
        ("强调", True),
        ("末尾", False),
    ]


def test_locator_agrees_with_locate() -> None:
    source = SourceText("ab\n中文\n\nxyz", None, 7, 5, 2)  # type: ignore[arg-type]
    locate = source.locator()
    for offset in range(len(source.text) + 1):
        assert locate(offset) == source.locate(offset)
