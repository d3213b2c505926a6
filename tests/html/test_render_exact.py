"""The HTML edition pinned exactly: the markup each block kind becomes, the CSS made from the
settings, the masthead name's width, and which template files a workspace may override.

Every test renders its own bulletin (in-process, milliseconds), so each one stands alone.
"""

from __future__ import annotations

import dataclasses
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from briefing.assemble import bulletin_article
from briefing.model import (
    Bulletin,
    Fonts,
    Heading,
    Image,
    Kept,
    Layout,
    ListBlock,
    ListItem,
    PageBreak,
    Picture,
    PictureRow,
    Quote,
    Span,
    Table,
    TableCell,
)
from briefing.render.html import html_document, name_width_em, safe_href, stylesheet
from briefing.templates import builtin_templates_dir, recorded_templates
from tests.factory import SAMPLE_PNG, make_article, make_bulletin, para

# the part of <style> that the settings and the body add after the stylesheet file
DEFAULT_ROOT = """:root {
  --font-masthead: "方正小标宋简体", "方正小标宋_GBK", "FZXiaoBiaoSong-B05S", "Noto Serif CJK SC", serif;
  --font-title: "方正小标宋简体", "方正小标宋_GBK", "FZXiaoBiaoSong-B05S", "Noto Serif CJK SC", serif;
  --font-body: "仿宋_GB2312", "仿宋", "FangSong", "STFangsong", "Noto Serif CJK SC", serif;
  --font-h1: "黑体", "SimHei", "STHeiti", "Noto Sans CJK SC", sans-serif;
  --font-h2: "楷体_GB2312", "楷体", "KaiTi", "STKaiti", "AR PL UKai CN", "Noto Serif CJK SC", serif;
  --font-h3: "仿宋_GB2312", "仿宋", "FangSong", "STFangsong", "Noto Serif CJK SC", serif;
  --font-h4: "仿宋_GB2312", "仿宋", "FangSong", "STFangsong", "Noto Serif CJK SC", serif;
  --font-classification: "黑体", "SimHei", "STHeiti", "Noto Sans CJK SC", sans-serif;
  --font-imprint: "仿宋_GB2312", "仿宋", "FangSong", "STFangsong", "Noto Serif CJK SC", serif;
  --masthead-color: #FF0000;
  --masthead-size: 42pt;
}
"""


def one_article(blocks: tuple, **kw) -> Bulletin:
    """A bulletin of one article whose printed body is *blocks* (as ``assemble`` left them)."""
    item = bulletin_article("a1", make_article(blocks=(para("占位"),)))
    item = dataclasses.replace(item, blocks=blocks, note=None, subtitle=None, **kw)
    return dataclasses.replace(make_bulletin(1), articles=(item,))


def plain(**kw) -> Bulletin:
    """One article of one paragraph: the stylesheet gets no list or picture rules."""
    return dataclasses.replace(one_article((para("正文。"),)), **kw)


def article_body(html: str) -> str:
    return re.search(r'<article id="a1">\n(.*?)</article>', html, re.DOTALL).group(1)


def style_of(html: str) -> str:
    return re.search(r"<style>\n(.*?)</style>", html, re.DOTALL).group(1)


def workspace(tmp_path: Path, files: dict[str, str]) -> Path:
    """A workspace whose ``templates/`` holds *files* (paths relative to ``templates/``)."""
    root = tmp_path / "ws"
    for name, text in files.items():
        path = root / "templates" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    root.mkdir(exist_ok=True)
    return root


def picture(width_mm: float) -> Picture:
    return Picture(b"\x89PNG", "png", width_mm, 10.0)


# --------------------------------------------------------------------------- blocks

HEADINGS_AND_MARKS = (
    Heading(2, (Span("起"),), 1),  # the first heading is h3 whatever its level
    Quote(
        (Heading(1, (Span("引文标题"),), 2), Kept((Heading(2, (Span("引文保持"),), 3),), 3)),
        2,
    ),
    Kept((para("保持段"), Heading(1, (Span("保持标题"),), 4)), 4),
    PageBreak(5),
    Heading(2, (Span("二"),), 6),
    Heading(3, (Span("三"),), 7),
    Heading(4, (Span("四"),), 8),
    Heading(5, (Span("五"),), 9),  # below the fourth level: still h6, styled as the fourth
    para(Span("代码", code=True), Span("\n"), Span("尾")),
)


def test_headings_quotes_keeps_and_page_breaks(tmp_path: Path) -> None:
    html = html_document(one_article(HEADINGS_AND_MARKS, author="本刊记者"))
    assert article_body(html) == (
        '<h2 class="title">“三张清单”推动重点工程提速</h2>\n'
        '<p class="byline">本刊记者</p>\n'
        '<h3 class="lv2">起</h3>\n'
        "<blockquote>\n"
        '<p class="quote-heading">引文标题</p>\n'
        '<div class="keep">\n'
        '<p class="quote-heading">引文保持</p>\n'
        "</div>\n"
        "</blockquote>\n"
        '<div class="keep">\n'
        "<p>保持段</p>\n"
        '<h3 class="lv1">保持标题</h3>\n'
        "</div>\n"
        '<div class="page-break" aria-hidden="true"></div>\n'
        '<h4 class="lv2">二</h4>\n'
        '<h5 class="lv3">三</h5>\n'
        '<h6 class="lv4">四</h6>\n'
        '<h6 class="lv4">五</h6>\n'
        "<p><code>代码</code><br>尾</p>\n"
        '<p class="source">（建设管理局）</p>\n'
        '<p class="back"><a href="#toc">返回目录</a></p>\n'
    )


LIST_TABLE_PICTURES = (
    ListBlock(
        (
            ListItem((Span("无号"),)),  # an item without a marker opens the list as it is
            ListItem((Span("甲"),), 0, False, 1, "●", 2.5),
            ListItem((Span("续"),), 0),  # a further paragraph of 甲
        ),
        False,
        10,
    ),
    Table(
        (
            TableCell((Span("左"),), "left"),
            TableCell((Span("中"),), "center"),
            TableCell((Span("无"),), None),
        ),
        ((TableCell((Span("1"),), "right"), TableCell((Span("2"),), ""), TableCell(())),),
        11,
    ),
    PictureRow(
        (
            Image("a.png", SAMPLE_PNG, "甲图", 12, picture=picture(78.0)),
            Image("b.png", SAMPLE_PNG, "", 12, picture=picture(160.0)),  # wider than the area
        ),
        12,
    ),
    PictureRow((Image("c.png", SAMPLE_PNG, "不能印的图", 13),), 13),  # nothing to show
)


def test_lists_tables_and_picture_rows(tmp_path: Path) -> None:
    html = html_document(one_article(LIST_TABLE_PICTURES))
    assert article_body(html) == (
        '<h2 class="title">“三张清单”推动重点工程提速</h2>\n'
        '<ul class="list">\n'
        '<li class="hang-0">无号</li>\n'
        '<li class="hang-2-5"><span class="marker">●</span>甲<span class="more">续</span></li>\n'
        "</ul>\n"
        '<div class="table-wrap" role="region" aria-label="表格" tabindex="0">\n'
        "<table>\n"
        '<thead><tr><th class="al-left">左</th><th class="al-center">中</th><th>无</th></tr>'
        "</thead>\n"
        "<tbody>\n"
        '<tr><td class="al-right">1</td><td>2</td><td></td></tr>\n'
        "</tbody>\n"
        "</table>\n"
        "</div>\n"
        '<div class="figure-row">\n'
        '<figure class="w-50-0">\n'
        '<img src="data:image/png;base64,iVBORw==" alt="甲图">\n'
        "<figcaption>甲图</figcaption>\n"
        "</figure>\n"
        '<figure class="w-100-0">\n'
        '<img src="data:image/png;base64,iVBORw==" alt="">\n'
        "</figure>\n"
        "</div>\n"
        '<p class="source">（建设管理局）</p>\n'
        '<p class="back"><a href="#toc">返回目录</a></p>\n'
    )
    # each size the body uses is one rule, sorted by name, one a line
    assert style_of(html).endswith(
        ":root { --name-em: 6.92; }\n"
        "article li.hang-0 { padding-left: 0em; }\n"
        "article li.hang-2-5 { padding-left: 2.5em; }\n"
        "figure.w-100-0 { width: 100.0%; }\n"
        "figure.w-50-0 { width: 50.0%; }\n"
    )


def test_an_unknown_block_is_a_programming_error() -> None:
    with pytest.raises(TypeError, match=r"^unknown block str$"):
        html_document(one_article(("不是块",)))


# --------------------------------------------------------------------------- the stylesheet


def test_the_whole_stylesheet_of_a_workspace_override(tmp_path: Path) -> None:
    """The file as written (trailing blank lines dropped, nothing a browser could read as the
    end of the <style> element, no forbidden characters), then the settings, the name's width."""
    ws = workspace(tmp_path, {"html/bulletin.css": "\n/* 本单位 </style> \x01*/ \n\n"})
    html = html_document(plain(), workspace_root=ws)
    assert style_of(html) == (
        "\n/* 本单位 <\\/style> */ \n" + DEFAULT_ROOT + ":root { --name-em: 6.92; }\n"
    )


@pytest.mark.parametrize(
    ("layout", "lines"),
    [
        (
            Layout(masthead_color=" #c0C0a0 ", masthead_size=12),
            "  --masthead-color: #C0C0A0;\n  --masthead-size: 12pt;\n",
        ),
        (
            Layout(masthead_color="C00000", masthead_size=96),
            "  --masthead-color: #C00000;\n  --masthead-size: 96pt;\n",
        ),
        (Layout(masthead_color="XC00000", masthead_size=96.5), ""),
        (Layout(masthead_color="red", masthead_size=11.5), ""),
        (Layout(masthead_color="#12345", masthead_size=0), ""),
    ],
    ids=["lower-case-with-hash", "upper-case", "x-prefixed", "named", "five-digits"],
)
def test_masthead_colour_and_size_only_when_valid(
    tmp_path: Path, layout: Layout, lines: str
) -> None:
    ws = workspace(tmp_path, {"html/bulletin.css": "/* 空 */\n"})
    html = html_document(plain(layout=layout), workspace_root=ws)
    fonts = DEFAULT_ROOT.split("  --masthead-color")[0]
    assert style_of(html) == "/* 空 */\n" + fonts + lines + "}\n:root { --name-em: 6.92; }\n"


def test_configured_font_names_lead_their_stacks(tmp_path: Path) -> None:
    fonts = Fonts(body="  ", heading1="XiHei Pro", heading2='方正"楷体;{}<>\\', title="serif")
    html = html_document(plain(fonts=fonts))
    style = style_of(html)
    # a blank name leaves the fallbacks alone; a name keeps every character CSS allows
    assert (
        '  --font-body: "仿宋_GB2312", "仿宋", "FangSong", "STFangsong", "Noto Serif CJK SC", serif;\n'
        in style
    )
    assert (
        '  --font-h1: "XiHei Pro", "黑体", "SimHei", "STHeiti", "Noto Sans CJK SC", sans-serif;\n'
        in style
    )
    assert '  --font-h2: "方正楷体", "楷体_GB2312", "楷体", "KaiTi",' in style
    assert (
        '  --font-title: serif, "方正小标宋简体", "方正小标宋_GBK", "FZXiaoBiaoSong-B05S", "Noto Serif CJK SC";\n'
        in style
    )


def test_the_stylesheet_alone_is_the_file() -> None:
    draft = (builtin_templates_dir() / "html" / "draft.css").read_text(encoding="utf-8")
    assert str(stylesheet("html/draft.css", None)) == draft.rstrip("\n") + "\n"


def test_a_signed_issue_has_nothing_after_the_body_rules(tmp_path: Path) -> None:
    ws = workspace(tmp_path, {"html/bulletin.css": "/* 空 */\n", "html/draft.css": "/* 样稿 */\n"})
    html = html_document(plain(), workspace_root=ws)
    assert style_of(html) == "/* 空 */\n" + DEFAULT_ROOT + ":root { --name-em: 6.92; }\n"


def test_a_drafts_stamp_band_comes_from_the_workspace(tmp_path: Path) -> None:
    ws = workspace(
        tmp_path, {"html/bulletin.css": "/* 空 */\n", "html/draft.css": "/* 本单位样稿 */\n"}
    )
    html = html_document(plain(draft=True), workspace_root=ws)
    assert style_of(html) == (
        "/* 空 */\n" + DEFAULT_ROOT + ":root { --name-em: 6.92; }\n/* 本单位样稿 */\n"
    )


# --------------------------------------------------------------------------- the name's width


@pytest.mark.parametrize(
    ("name", "em"),
    [
        ("滨江新区信息", 6.92),  # six full-width characters
        ("  简报  ", 2.44),  # spaces around it do not count
        ("ＡＢ", 2.44),  # full-width Latin letters are whole characters
        ("ABC", 2.05),  # half-width ones count 0.55 each
        ("简报ABC", 4.29),
        ("A", 1.32),  # never narrower than one character
        ("", 1.32),
    ],
)
def test_name_width_em(name: str, em: float) -> None:
    assert name_width_em(name) == em


def test_the_name_width_reaches_the_page(tmp_path: Path) -> None:
    html = html_document(plain(name="简报ABC"))
    assert style_of(html).endswith(":root { --name-em: 4.29; }\n")


# --------------------------------------------------------------------------- links


@pytest.mark.parametrize("href", ["files/a:b.pdf", "?q=a:b", "#part:2", "a/b?c=d:e#f:g"])
def test_a_colon_after_the_path_starts_keeps_a_relative_link(href: str) -> None:
    assert safe_href(href) == href


# --------------------------------------------------------------------------- overrides

CUSTOM_BLOCKS = "{% macro blocks(items) %}<p>自定义正文</p>\n{% endmacro %}\n"


def uses_custom_body(html: str) -> bool:
    return "<p>自定义正文</p>" in article_body(html)


def test_an_override_added_later_is_used(tmp_path: Path) -> None:
    """The same number of files in the override folder, but another one: not the cached
    environment of the first render."""
    ws = workspace(tmp_path, {"html/notes.txt": "说明\n"})
    assert not uses_custom_body(html_document(make_bulletin(1), workspace_root=ws))
    (ws / "templates" / "html" / "notes.txt").unlink()
    (ws / "templates" / "html" / "_blocks.html.j2").write_text(CUSTOM_BLOCKS, encoding="utf-8")
    assert uses_custom_body(html_document(make_bulletin(1), workspace_root=ws))


def test_an_override_linked_from_outside_the_workspace_is_ignored(tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere.j2"
    outside.write_text(CUSTOM_BLOCKS, encoding="utf-8")
    ws = workspace(tmp_path, {"html/keep.txt": ""})
    os.symlink(outside, ws / "templates" / "html" / "_blocks.html.j2")
    html = html_document(make_bulletin(1), workspace_root=ws)
    assert not uses_custom_body(html)
    assert '<h3 class="lv1">一、建立问题清单，做到底数清</h3>' in html


@pytest.mark.parametrize(
    ("recorded", "custom"),
    [
        (["templates/html/bulletin.css"], False),
        (["templates/html/_blocks.html.j2"], True),
        (None, True),
    ],
)
def test_a_published_issue_uses_only_its_recorded_overrides(
    tmp_path: Path, recorded: list[str] | None, custom: bool
) -> None:
    ws = workspace(tmp_path, {"html/_blocks.html.j2": CUSTOM_BLOCKS})
    with recorded_templates(recorded):
        html = html_document(make_bulletin(1), workspace_root=ws)
    assert uses_custom_body(html) is custom


# --------------------------------------------------------------------------- locale

RENDER_DRAFT = (
    "import sys; from tests.html.test_render_exact import plain;"
    "from briefing.render.html import html_document;"
    "sys.stdout.buffer.write(html_document(plain(draft=True)).encode('utf-8'))"
)


def test_the_page_does_not_depend_on_the_locale_encoding() -> None:
    """An office PC whose locale is not UTF-8 (GBK, or plain ASCII here) gets the same page:
    the stylesheets are read as UTF-8 whatever the locale says."""
    expected = html_document(plain(draft=True))
    env = {
        **os.environ,
        "LC_ALL": "C",
        "PYTHONCOERCECLOCALE": "0",
        "PYTHONUTF8": "0",
        "PYTHONPATH": os.pathsep.join(sys.path),  # the briefing this test imported
    }
    done = subprocess.run(
        [sys.executable, "-c", RENDER_DRAFT], env=env, capture_output=True, check=False
    )
    assert done.returncode == 0, done.stderr.decode("utf-8", "replace")
    assert done.stdout.decode("utf-8") == expected
