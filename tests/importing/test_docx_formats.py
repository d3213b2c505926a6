"""The DOCX reader's formatting: automatic numbers as Word shows them, styles resolved through
``basedOn`` chains and document defaults, alignment, bold, sizes, fonts and heading levels.

Every file here is a hand-written package (document, styles and numbering parts only), so each
test controls exactly which definitions the reader sees, read through ``read_docx``.
"""

from __future__ import annotations

import io
import zipfile

import pytest

from briefing.importing.docx_reader import read_docx
from briefing.importing.source import Document, Para

_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"


def _docx(body: str, *, styles: str | None = None, numbering: str | None = None) -> bytes:
    """A minimal package: the main document and, when given, its styles and numbering parts."""
    parts = {"word/document.xml": f"<w:document {_NS}><w:body>{body}</w:body></w:document>"}
    rels = []
    for kind, content in (("styles", styles), ("numbering", numbering)):
        if content is not None:
            parts[f"word/{kind}.xml"] = f"<w:{kind} {_NS}>{content}</w:{kind}>"
            rels.append(f'<Relationship Id="r{kind}" Type="{_REL}/{kind}" Target="{kind}.xml"/>')
    package_rels = "http://schemas.openxmlformats.org/package/2006/relationships"
    parts["word/_rels/document.xml.rels"] = (
        f'<Relationships xmlns="{package_rels}">{"".join(rels)}</Relationships>'
    )
    parts["_rels/.rels"] = (
        f'<Relationships xmlns="{package_rels}"><Relationship Id="rId1" '
        f'Type="{_REL}/officeDocument" Target="word/document.xml"/></Relationships>'
    )
    parts["[Content_Types].xml"] = (
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/word/document.xml" ContentType="{_MAIN}"/></Types>'
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        for name, text in parts.items():
            package.writestr(name, text)
    return buffer.getvalue()


def _p(text: str, ppr: str = "", rpr: str = "") -> str:
    return f"<w:p><w:pPr>{ppr}</w:pPr><w:r><w:rPr>{rpr}</w:rPr><w:t>{text}</w:t></w:r></w:p>"


def _num_pr(num_id: str, ilvl: str) -> str:
    return f'<w:numPr><w:ilvl w:val="{ilvl}"/><w:numId w:val="{num_id}"/></w:numPr>'


def _lvl(ilvl: str | None, fmt: str | None, text: str, start: str | None = "1") -> str:
    level = "" if ilvl is None else f' w:ilvl="{ilvl}"'
    first = "" if start is None else f'<w:start w:val="{start}"/>'
    number_format = "" if fmt is None else f'<w:numFmt w:val="{fmt}"/>'
    return f'<w:lvl{level}>{first}{number_format}<w:lvlText w:val="{text}"/></w:lvl>'


def _list(num_id: str, *levels: str, abstract: str | None = None) -> str:
    """One abstract definition and the w:num that uses it."""
    abstract = abstract or num_id
    return (
        f'<w:abstractNum w:abstractNumId="{abstract}"><w:multiLevelType w:val="multilevel"/>'
        f"{''.join(levels)}</w:abstractNum>"
        f'<w:num w:numId="{num_id}"><w:abstractNumId w:val="{abstract}"/></w:num>'
    )


def _paragraphs(data: bytes) -> list[Para]:
    return [item for item in read_docx(data).items if isinstance(item, Para)]


def _numbers(numbering: str, *levels: tuple[str, str]) -> list[str]:
    """The automatic numbers of paragraphs in the lists (numId, ilvl) given, in order."""
    body = "".join(_p("字", _num_pr(num_id, ilvl)) for num_id, ilvl in levels)
    return [p.auto_number for p in _paragraphs(_docx(body, numbering=numbering))]


# --------------------------------------------------------------------------- numbering formats


@pytest.mark.parametrize(
    ("fmt", "text", "start", "expected"),
    [
        ("chineseCounting", "%1、", "1", ["一、", "二、", "三、"]),
        ("chineseCountingThousand", "（%1）", "1", ["（一）", "（二）", "（三）"]),
        ("japaneseCounting", "第%1条", "8", ["第八条", "第九条", "第十条"]),
        ("ideographDigital", "%1．", "4", ["四．", "五．", "六．"]),
        ("decimal", "%1.", "9", ["9.", "10.", "11."]),
        ("decimal", "(%1)", "1", ["(1)", "(2)", "(3)"]),
        ("upperLetter", "%1.", "1", ["A.", "B.", "C."]),
        ("upperLetter", "%1)", "24", ["X)", "Y)", "Z)"]),
        ("lowerLetter", "%1.", "1", ["a.", "b.", "c."]),
        ("lowerLetter", "%1)", "24", ["x)", "y)", "z)"]),
        (None, "%1.", "5", ["5.", "6.", "7."]),  # no w:numFmt: Word counts in decimal
        ("decimal", "%1.", None, ["1.", "2.", "3."]),  # no w:start: Word starts at 1
        ("bullet", "·", "1", ["", "", ""]),  # a bullet is no number
        # "none" hides the number only: the literal text of lvlText stays, as in Word
        ("none", "%1．", "1", ["．", "．", "．"]),
        ("none", "", "1", ["", "", ""]),
        # past Z come AA, BB … (ECMA-376 and what Word and LibreOffice show)
        ("upperLetter", "%1.", "25", ["Y.", "Z.", "AA."]),
        ("lowerLetter", "%1)", "52", ["zz)", "aaa)", "bbb)"]),
        ("lowerLetter", "%1.", "259", ["yyyyyyyyyy.", "zzzzzzzzzz.", "261."]),
        ("upperRoman", "%1.", "1", ["I.", "II.", "III."]),
        ("upperRoman", "%1.", "3", ["III.", "IV.", "V."]),
        ("lowerRoman", "%1)", "8", ["viii)", "ix)", "x)"]),
        ("upperRoman", "%1", "1998", ["MCMXCVIII", "MCMXCIX", "MM"]),
        ("upperRoman", "%1", "3999", ["MMMCMXCIX", "4000", "4001"]),
        ("decimalZero", "%1.", "8", ["08.", "09.", "10."]),
        ("decimalFullWidth", "%1．", "9", ["９．", "１０．", "１１．"]),
        ("decimalFullWidth2", "%1", "1", ["１", "２", "３"]),
        # a list started at 0 shows a plain 0 in any format (as LibreOffice draws it)
        ("decimalZero", "%1.", "0", ["0.", "01.", "02."]),
        ("upperLetter", "%1.", "0", ["0.", "A.", "B."]),
        ("lowerRoman", "%1.", "0", ["0.", "i.", "ii."]),
        ("decimalEnclosedCircle", "%1", "0", ["0", "①", "②"]),
        ("chineseCounting", "%1、", "0", ["0、", "一、", "二、"]),
        ("decimalEnclosedCircle", "%1", "1", ["①", "②", "③"]),
        ("decimalEnclosedCircleChinese", "%1", "19", ["⑲", "⑳", "21"]),
        ("decimalEnclosedParen", "%1", "9", ["⑼", "⑽", "⑾"]),
        ("decimalEnclosedFullstop", "%1", "19", ["⒚", "⒛", "21"]),
        ("chineseLegalSimplified", "%1、", "9", ["玖、", "壹拾、", "壹拾壹、"]),
        (
            "chineseLegalSimplified",
            "第%1条",
            "2026",
            ["第贰仟零贰拾陆条", "第贰仟零贰拾柒条", "第贰仟零贰拾捌条"],
        ),
        ("ideographLegalTraditional", "%1", "101", ["壹佰零壹", "壹佰零貳", "壹佰零參"]),
        ("ideographTraditional", "%1", "9", ["壬", "癸", "11"]),
        ("ideographZodiac", "%1", "11", ["戌", "亥", "13"]),
        ("taiwaneseCounting", "%1、", "19", ["十九、", "二十、", "二十一、"]),
        # a start past what Chinese counting can say continues in decimal, without an error
        (
            "chineseCounting",
            "%1、",
            "99999999",
            ["九千九百九十九万九千九百九十九、", "100000000、", "100000001、"],
        ),
        ("ordinal", "%1", "1", ["1", "2", "3"]),  # English words: decimal
    ],
)
def test_each_format_counts_as_word_shows_it(
    fmt: str | None, text: str, start: str | None, expected: list[str]
) -> None:
    numbering = _list("1", _lvl("0", fmt, text, start))
    assert _numbers(numbering, ("1", "0"), ("1", "0"), ("1", "0")) == expected


def test_nine_levels_of_a_chinese_outline_restart_below_each_higher_level() -> None:
    formats = [
        ("chineseCounting", "%1、"),
        ("chineseCounting", "（%2）"),
        ("decimal", "%3."),
        ("decimal", "(%4)"),
        ("lowerLetter", "%5."),
        ("upperLetter", "%6."),
        ("decimal", "%7)"),
        ("decimal", "%8]"),
        ("decimal", "%1.%9"),  # the deepest level may quote the top one
    ]
    numbering = _list("3", *(_lvl(str(i), fmt, text) for i, (fmt, text) in enumerate(formats)))
    order = ["0", "1", "1", "2", "3", "3", "4", "5", "6", "7", "8", "8", "2", "0", "1", "8"]
    numbers = _numbers(numbering, *(("3", ilvl) for ilvl in order))
    assert numbers == [
        "一、", "（一）", "（二）", "1.", "(1)", "(2)", "a.", "A.", "1)", "1]",
        "一.1", "一.2", "2.", "二、", "（一）", "二.1",
    ]  # fmt: skip


def test_two_lists_count_apart() -> None:
    numbering = _list("1", _lvl("0", "chineseCounting", "%1、")) + _list(
        "2", _lvl("0", "decimal", "%1.")
    )
    order = [("1", "0"), ("2", "0"), ("2", "0"), ("1", "0"), ("2", "0")]
    assert _numbers(numbering, *order) == ["一、", "1.", "2.", "二、", "3."]


@pytest.mark.parametrize("ilvl", [None, ""], ids=["no-ilvl", "ilvl-without-val"])
def test_a_paragraph_without_a_level_is_on_the_first(ilvl: str | None) -> None:
    numbering = _list("1", _lvl("0", "chineseCounting", "%1、"), _lvl("1", "decimal", "%2."))
    level = "" if ilvl is None else "<w:ilvl/>"
    body = (
        _p("甲", f'<w:numPr>{level}<w:numId w:val="1"/></w:numPr>')
        + _p("乙", _num_pr("1", "1"))
        + _p("丙", f'<w:numPr>{level}<w:numId w:val="1"/></w:numPr>')
    )
    numbers = [p.auto_number for p in _paragraphs(_docx(body, numbering=numbering))]
    assert numbers == ["一、", "1.", "二、"]


def test_a_level_without_ilvl_is_the_first_level() -> None:
    numbering = _list("1", _lvl(None, "chineseCounting", "%1、", "3"))
    assert _numbers(numbering, ("1", "0"), ("1", "0")) == ["三、", "四、"]


def test_damaged_definitions_are_skipped_and_later_ones_still_read() -> None:
    numbering = (
        # a w:num whose definition is missing, then a good one
        '<w:num w:numId="8"><w:abstractNumId w:val="404"/></w:num>'
        # levels out of Word's range 0-8 (or no number at all) before the good levels
        + _list(
            "1",
            _lvl("x", "decimal", "%1?"),
            _lvl("9", "decimal", "%10!"),
            _lvl("12", "decimal", "%13!"),
            _lvl("0", "chineseCounting", "%1、"),
            _lvl("1", "decimal", "%2."),
        )
    )
    order = [("8", "0"), ("1", "0"), ("1", "9"), ("1", "1"), ("1", "0")]
    assert _numbers(numbering, *order) == ["", "一、", "", "1.", "二、"]


def test_a_level_quoting_an_undefined_one_counts_it_in_decimal_from_one() -> None:
    numbering = _list("1", _lvl("1", "chineseCounting", "%1.%2"))
    assert _numbers(numbering, ("1", "1"), ("1", "1")) == ["1.一", "1.二"]


# --------------------------------------------------------------------------- styles

# What Word writes: the default paragraph style first, then the defaults of the other kinds.
_WORD_DEFAULTS = """
  <w:style w:type="character" w:default="1" w:styleId="DefaultParagraphFont">
    <w:name w:val="Default Paragraph Font"/></w:style>
  <w:style w:type="table" w:default="1" w:styleId="TableNormal">
    <w:name w:val="Normal Table"/></w:style>
  <w:style w:type="numbering" w:default="1" w:styleId="NoList">
    <w:name w:val="No List"/></w:style>"""

_DOC_DEFAULTS = """<w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:eastAsia="宋体"/>
  <w:sz w:val="21"/></w:rPr></w:rPrDefault></w:docDefaults>"""


def _normal(attributes: str = 'w:type="paragraph" w:default="1"') -> str:
    return f"""<w:style {attributes} w:styleId="Normal"><w:name w:val="Normal"/>
      <w:pPr><w:jc w:val="both"/></w:pPr>
      <w:rPr><w:rFonts w:eastAsia="仿宋_GB2312"/><w:sz w:val="32"/></w:rPr></w:style>"""


def _look(p: Para) -> tuple[str, str | None, float | None, frozenset[str], bool]:
    return (p.style, p.align, p.size, p.fonts, p.bold)


_BODY_TEXT = ("normal", "both", 16.0, frozenset({"仿宋_GB2312"}), False)


@pytest.mark.parametrize(
    "attributes",
    ['w:type="paragraph" w:default="1"', 'w:type="paragraph" w:default="true"', 'w:default="1"'],
    ids=["word", "default-true", "no-type-is-paragraph"],
)
def test_unstyled_and_unknown_style_paragraphs_take_the_default_paragraph_style(
    attributes: str,
) -> None:
    styles = _DOC_DEFAULTS + _normal(attributes) + _WORD_DEFAULTS
    body = _p("正文") + _p("未知样式", '<w:pStyle w:val="Gone"/>')
    document = read_docx(_docx(body, styles=styles))
    plain, unknown = document.items
    assert isinstance(plain, Para) and isinstance(unknown, Para)
    assert _look(plain) == _look(unknown) == _BODY_TEXT
    assert document.styles == {"Normal", "DefaultParagraphFont", "TableNormal", "NoList"}


def test_a_style_that_is_not_the_default_leaves_unstyled_text_to_the_document_defaults() -> None:
    styles = (
        _DOC_DEFAULTS
        + _normal('w:type="paragraph" w:default="0"')
        + '<w:style w:type="paragraph"><w:name w:val="无编号样式"/><w:rPr><w:sz w:val="44"/>'
        "</w:rPr></w:style>"
    )
    (p,) = _paragraphs(_docx(_p("正文"), styles=styles))
    assert _look(p) == ("", None, 10.5, frozenset({"宋体"}), False)


def test_a_style_without_an_id_is_not_listed_and_cannot_be_named() -> None:
    styles = (
        '<w:style w:type="paragraph"><w:name w:val="无编号样式"/><w:rPr><w:sz w:val="44"/>'
        "</w:rPr></w:style>" + _normal()
    )
    document = read_docx(_docx(_p("正文", ppr='<w:pStyle w:val=""/>'), styles=styles))
    assert document.styles == {"Normal"}  # the styles after it are still read
    (p,) = document.items
    assert isinstance(p, Para) and p.size != 22.0


def test_styles_without_document_defaults() -> None:
    styles = _normal()
    (p,) = _paragraphs(_docx(_p("正文", rpr="<w:b/>"), styles=styles))
    assert _look(p) == ("normal", "both", 16.0, frozenset({"仿宋_GB2312"}), True)


_CHAIN = """
  <w:style w:type="paragraph" w:styleId="Base"><w:name w:val="Base"/>
    <w:pPr><w:numPr><w:numId w:val="1"/></w:numPr><w:jc w:val="center"/></w:pPr>
    <w:rPr><w:b/><w:rFonts w:eastAsia="黑体"/><w:sz w:val="32"/></w:rPr></w:style>
  <w:style w:type="paragraph" w:styleId="Middle"><w:name w:val="Middle"/>
    <w:basedOn w:val="Base"/><w:rPr><w:sz w:val="44"/></w:rPr></w:style>
  <w:style w:type="paragraph" w:styleId="Top"><w:name w:val="Top"/>
    <w:basedOn w:val="Middle"/></w:style>
  <w:style w:type="paragraph" w:styleId="Own"><w:name w:val="Own"/><w:basedOn w:val="Base"/>
    <w:pPr><w:numPr><w:numId w:val="2"/></w:numPr><w:jc w:val="right"/></w:pPr>
    <w:rPr><w:b w:val="0"/><w:rFonts w:eastAsia="楷体_GB2312"/></w:rPr></w:style>
  <w:style w:type="paragraph" w:styleId="Orphan"><w:name w:val="Orphan"/>
    <w:basedOn w:val="NoSuchStyle"/><w:pPr><w:jc w:val="center"/></w:pPr>
    <w:rPr><w:sz w:val="28"/></w:rPr></w:style>
  <w:style w:type="paragraph" w:styleId="Ping"><w:name w:val="Ping"/><w:basedOn w:val="Pong"/>
    <w:rPr><w:sz w:val="30"/></w:rPr></w:style>
  <w:style w:type="paragraph" w:styleId="Pong"><w:name w:val="Pong"/><w:basedOn w:val="Ping"/>
    <w:pPr><w:jc w:val="right"/></w:pPr><w:rPr><w:sz w:val="26"/><w:b/></w:rPr></w:style>
  <w:style w:type="paragraph" w:styleId="Self"><w:name w:val="Self"/><w:basedOn w:val="Self"/>
    <w:rPr><w:sz w:val="24"/></w:rPr></w:style>"""


def _styled(*style_ids: str) -> list[Para]:
    numbering = _list("1", _lvl("0", "chineseCounting", "%1、")) + _list(
        "2", _lvl("0", "decimal", "（%1）")
    )
    body = "".join(_p("字", f'<w:pStyle w:val="{s}"/>') for s in style_ids)
    return _paragraphs(_docx(body, styles=_DOC_DEFAULTS + _CHAIN, numbering=numbering))


def test_a_basedon_chain_passes_down_run_format_alignment_and_numbering() -> None:
    base, middle, top = _styled("Base", "Middle", "Top")
    assert (*_look(base), base.auto_number) == (
        "base",
        "center",
        16.0,
        frozenset({"黑体"}),
        True,
        "一、",
    )
    assert (*_look(middle), middle.auto_number) == (
        "middle",
        "center",
        22.0,
        frozenset({"黑体"}),
        True,
        "二、",
    )
    assert (*_look(top), top.auto_number) == (
        "top",
        "center",
        22.0,
        frozenset({"黑体"}),
        True,
        "三、",
    )


def test_a_style_s_own_settings_win_over_its_base() -> None:
    (own,) = _styled("Own")
    assert (*_look(own), own.auto_number) == (
        "own",
        "right",
        16.0,
        frozenset({"楷体_GB2312"}),
        False,
        "（1）",
    )


def test_a_missing_base_or_a_cycle_of_bases_is_read_without_error() -> None:
    orphan, ping, pong, self_based = _styled("Orphan", "Ping", "Pong", "Self")
    assert _look(orphan) == ("orphan", "center", 14.0, frozenset({"宋体"}), False)
    # Ping takes what it lacks from Pong; Pong from Ping; the cycle stops where it closes
    assert _look(ping) == ("ping", "right", 15.0, frozenset({"宋体"}), True)
    assert _look(pong) == ("pong", "right", 13.0, frozenset({"宋体"}), True)
    assert _look(self_based) == ("self", None, 12.0, frozenset({"宋体"}), False)


def test_a_chain_of_thousands_of_bases_is_read_to_its_end() -> None:
    # each style based on the next; only the last sets anything (a loop, not recursion)
    depth = 5000
    styles = "".join(
        f'<w:style w:type="paragraph" w:styleId="s{i}"><w:name w:val="S{i}"/>'
        f'<w:basedOn w:val="s{i + 1}"/></w:style>'
        for i in range(depth - 1)
    )
    styles += (
        f'<w:style w:type="paragraph" w:styleId="s{depth - 1}"><w:name w:val="Last"/>'
        '<w:pPr><w:jc w:val="center"/></w:pPr><w:rPr><w:b/><w:sz w:val="30"/></w:rPr></w:style>'
    )
    body = _p("顶", '<w:pStyle w:val="s0"/>') + _p("中", '<w:pStyle w:val="s2500"/>')
    top, middle = _paragraphs(_docx(body, styles=styles))
    assert _look(top) == ("s0", "center", 15.0, frozenset(), True)
    assert _look(middle) == ("s2500", "center", 15.0, frozenset(), True)


def test_a_long_chain_that_loops_back_ends_at_the_style_it_returns_to() -> None:
    own = {0: '<w:pPr><w:jc w:val="center"/></w:pPr>', 1999: '<w:rPr><w:sz w:val="26"/></w:rPr>'}
    styles = "".join(
        f'<w:style w:type="paragraph" w:styleId="s{i}"><w:name w:val="S{i}"/>'
        f'<w:basedOn w:val="s{(i + 1) % 2000}"/>{own.get(i, "")}</w:style>'
        for i in range(2000)
    )
    body = _p("首", '<w:pStyle w:val="s0"/>') + _p("尾", '<w:pStyle w:val="s1999"/>')
    first, last = _paragraphs(_docx(body, styles=styles))
    # the first takes the size from the far end; the last, based on the first, its alignment
    assert (first.style, first.align, first.size) == ("s0", "center", 13.0)
    assert (last.style, last.align, last.size) == ("s1999", "center", 13.0)


def test_a_level_text_too_long_skips_that_level_only() -> None:
    numbering = _list("1", _lvl("0", "decimal", "%1" * 33), _lvl("1", "decimal", "（%2）"))
    assert _numbers(numbering, ("1", "0"), ("1", "1"), ("1", "1")) == ["", "（1）", "（2）"]


# --------------------------------------------------------------------------- heading levels


@pytest.mark.parametrize(
    ("name", "outline", "level"),
    [
        ("Heading 2", "", 2),  # Word's built-in name, whatever its case
        ("heading 3", '<w:outlineLvl w:val="8"/>', 3),  # the name wins over the outline level
        ("标题 4", "", 4),
        ("标题5", "", 5),  # WPS writes no space
        ("标题 一级", '<w:outlineLvl w:val="0"/>', 1),  # no number in the name: the outline
        ("heading note", '<w:outlineLvl w:val="1"/>', 2),
        ("编者按", '<w:outlineLvl w:val="9"/>', None),  # 9 is Word's "body text"
        ("正文缩进", "", None),
    ],
)
def test_heading_level_from_the_style_name_or_its_outline_level(
    name: str, outline: str, level: int | None
) -> None:
    styles = f"""<w:style w:type="paragraph" w:styleId="S"><w:name w:val="{name}"/>
      <w:pPr>{outline}</w:pPr></w:style>"""
    (p,) = _paragraphs(_docx(_p("字", '<w:pStyle w:val="S"/>'), styles=styles))
    assert (p.style, p.outline) == (name.lower(), level)


@pytest.mark.parametrize(("value", "level"), [("0", 1), ("8", 9), ("9", None), ("10", None)])
def test_a_paragraph_s_own_outline_level(value: str, level: int | None) -> None:
    (p,) = _paragraphs(_docx(_p("字", f'<w:outlineLvl w:val="{value}"/>')))
    assert p.outline == level


# --------------------------------------------------------------------------- alignment and runs


@pytest.mark.parametrize(
    ("jc", "align"),
    [
        ('<w:jc w:val="start"/>', "left"),
        ('<w:jc w:val="end"/>', "right"),
        ('<w:jc w:val="distribute"/>', "both"),
        ('<w:jc w:val="center"/>', "center"),
        ('<w:jc w:val="both"/>', "both"),
        ('<w:jc w:val="left"/>', "left"),
        ("<w:jc/>", "center"),  # no value: the style's alignment stands
        ("", "center"),
    ],
)
def test_alignment_as_word_lays_it_out_left_to_right(jc: str, align: str) -> None:
    styles = """<w:style w:type="paragraph" w:styleId="C"><w:name w:val="居中"/>
      <w:pPr><w:jc w:val="center"/></w:pPr></w:style>"""
    (p,) = _paragraphs(_docx(_p("字", f'<w:pStyle w:val="C"/>{jc}'), styles=styles))
    assert p.align == align


@pytest.mark.parametrize(
    ("b", "bold"),
    [
        ("<w:b/>", True),
        ('<w:b w:val="1"/>', True),
        ('<w:b w:val="true"/>', True),
        ('<w:b w:val="on"/>', True),
        ('<w:b w:val="0"/>', False),
        ('<w:b w:val="false"/>', False),
        ('<w:b w:val="off"/>', False),
        ("", True),  # inherited from the bold style
    ],
)
def test_a_run_s_bold_switch_over_a_bold_style(b: str, bold: bool) -> None:
    styles = """<w:style w:type="paragraph" w:styleId="B"><w:name w:val="粗"/>
      <w:rPr><w:b/></w:rPr></w:style>"""
    (p,) = _paragraphs(_docx(_p("字", '<w:pStyle w:val="B"/>', b), styles=styles))
    assert [(r.text, r.bold) for r in p.runs] == [("字", bold)]


@pytest.mark.parametrize(
    ("fonts", "expected"),
    [
        ('<w:rFonts w:ascii="Times New Roman" w:eastAsia="仿宋_GB2312"/>', "仿宋_GB2312"),
        ('<w:rFonts w:ascii="Times New Roman" w:hAnsi="Arial"/>', "Times New Roman"),
        ("<w:rFonts/>", "宋体"),  # no face named: the document default
    ],
)
def test_the_east_asian_face_else_the_ascii_one(fonts: str, expected: str) -> None:
    (p,) = _paragraphs(_docx(_p("2026", rpr=fonts), styles=_DOC_DEFAULTS))
    assert p.fonts == {expected}


@pytest.mark.parametrize(
    ("sz", "size"), [("44", 22.0), ("31", 15.5), ("999999999", 499999999.5), ("1000000000", 10.5)]
)
def test_sizes_are_half_points_of_at_most_nine_digits(sz: str, size: float) -> None:
    (p,) = _paragraphs(_docx(_p("字", rpr=f'<w:sz w:val="{sz}"/>'), styles=_DOC_DEFAULTS))
    assert p.size == size


def test_read_docx_returns_a_document_of_the_styles_defined() -> None:
    document = read_docx(_docx(_p("字"), styles=_DOC_DEFAULTS + _CHAIN))
    assert isinstance(document, Document) and document.kind == "DOCX"
    assert document.styles == {"Base", "Middle", "Top", "Own", "Orphan", "Ping", "Pong", "Self"}


def test_a_level_text_longer_than_a_label_counts_as_no_numbering() -> None:
    longest = "第" * 61 + "%1章"  # 64 characters
    numbering = _list("1", _lvl("0", "upperLetter", longest)) + _list(
        "2", _lvl("0", "upperLetter", longest + "X")
    )
    assert _numbers(numbering, ("1", "0"), ("2", "0")) == ["第" * 61 + "A章", ""]


def test_a_tiny_file_cannot_spell_out_megabytes_of_labels() -> None:
    # "%1" a hundred thousand times, for three hundred paragraphs: 155 million characters
    numbering = _list("1", _lvl("0", "upperLetter", "%1" * 100_000))
    numbers = _numbers(numbering, *([("1", "0")] * 300))
    assert numbers == [""] * 300


def test_lists_on_one_definition_count_on_and_a_restart_sets_the_next_number() -> None:
    # numIds 1 and 2 share the definition; 3 restarts it at 1, 4 at 5 (Word's "restart at")
    def num(num_id: str, restart: str | None = None) -> str:
        override = (
            f'<w:lvlOverride w:ilvl="0"><w:startOverride w:val="{restart}"/></w:lvlOverride>'
            if restart
            else ""
        )
        return f'<w:num w:numId="{num_id}"><w:abstractNumId w:val="0"/>{override}</w:num>'

    numbering = (
        '<w:abstractNum w:abstractNumId="0">'
        + _lvl("0", "chineseCounting", "%1、")
        + _lvl("1", "decimal", "%2.")
        + "</w:abstractNum>"
        + num("1")
        + num("2")
        + num("3", "1")
        + num("4", "5")
    )
    order = [("1", "0"), ("1", "0"), ("2", "0"), ("2", "1"), ("1", "1"), ("1", "0")]
    order += [("3", "0"), ("3", "0"), ("1", "0"), ("4", "0"), ("2", "0")]
    # what LibreOffice shows for the same file
    assert _numbers(numbering, *order) == [
        "一、", "二、", "三、", "1.", "2.", "四、", "一、", "二、", "三、", "五、", "六、"
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("override", "expected"),
    [
        ('<w:lvlOverride w:ilvl="1"><w:startOverride w:val="7"/></w:lvlOverride>', ["7.", "二、"]),
        ('<w:lvlOverride><w:startOverride w:val="7"/></w:lvlOverride>', ["2.", "七、"]),  # level 0
        ('<w:lvlOverride w:ilvl="1"/>', ["2.", "二、"]),  # nothing to restart
    ],
)
def test_a_restart_applies_to_the_level_it_names(override: str, expected: list[str]) -> None:
    numbering = (
        '<w:abstractNum w:abstractNumId="0">'
        + _lvl("0", "chineseCounting", "%1、")
        + _lvl("1", "decimal", "%2.")
        + '</w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>'
        + f'<w:num w:numId="2"><w:abstractNumId w:val="0"/>{override}</w:num>'
    )
    numbers = _numbers(numbering, ("1", "0"), ("1", "1"), ("2", "1"), ("2", "0"))
    assert numbers == ["一、", "1.", *expected]
