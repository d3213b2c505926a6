"""Find an article's parts in a submission: title, subtitle, 编者按, author, source, headings.

Real submissions are formatted by hand far more often than with Word styles, so each part is
recognised by its styles first and by its shape and wording otherwise:

* title: the first paragraph (a Word 标题/Title style, or centred, large or 方正小标宋 — if it
  is none of these a warning says the title was guessed); a title broken over two centred
  lines is joined;
* subtitle: a following "——…" line (or a Subtitle style);
* author: a short centred line, or "作者：/通讯员/文/…", right under the title;
* 编者按: an "编者按：…" paragraph near the top;
* source: a labelled sign-off ("来源：单位", "（来源：单位）", "信息来源：", "稿件来源：",
  "报送单位：", "供稿单位：", "供稿：") at the end, under the title, or run on at the end of the
  last paragraph ("……。（来源：单位）"); else the last line "（单位）" / "（单位供稿）" or a
  right-aligned short line; a 落款 date, "（完）" or a 审核/联系人 line after it is dropped with
  a warning;
* headings: numbering (一、 （一） 1. （1）), Word heading styles, or a short paragraph all in
  bold, 黑体 or 楷体; ranks are mapped relatively (the shallowest used is 一级).

A DOCX written by ``briefing build`` is recognised by its own styles: its masthead, contents
and 版记 are skipped, every 标题-styled paragraph starts another article and the 栏目 come
back from the contents. In other Word files, a centred big title after some body text starts
another article (several 信息 sent in one file).

What was *guessed* rather than read (a title without title formatting, an author taken from a
centred line, a unit from an unlabelled right-aligned line) is listed in ``Imported.guesses``,
so the editor checks just those fields.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from briefing.chars import is_cjk
from briefing.importing.source import BREAK, Document, Para, Picture, Run, Table

# Every Unicode space separator (category Zs) and the tab: Word documents indent and pad with
# ideographic, no-break, en, em and thin spaces alike, and none of them is text.
SPACES = "\t \xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000"
NUMBERING = (
    (1, re.compile(r"^[一二三四五六七八九十百零〇]+、")),
    (2, re.compile(r"^[（(][一二三四五六七八九十百零〇]+[）)]")),
    (3, re.compile(r"^\d{1,2}[.．、](?!\d)")),
    (4, re.compile(r"^[（(]\d{1,2}[）)]")),
)
DASHES = re.compile(r"^(?:——|—|－－|--|──|―)+\s*")
NOTE = re.compile(r"^[【\[]?(编者按|按语|编者的话|编者)[】\]]?\s*[：:]\s*")
AUTHOR = re.compile(r"^(作者|撰稿人?|执笔人?|通讯员|记者|文|撰文)\s*[：:/／]|^(通讯员|记者)\s")
# The sign-off labels offices write before the unit (来源：东湖镇人民政府)
SOURCE_LABELS = "信息来源|稿件来源|来源|信息报送单位|报送单位|来稿单位|供稿单位|供稿"
SOURCE_PAREN = re.compile(
    rf"^[（(]\s*(?:(?:{SOURCE_LABELS})\s*[：:]\s*)?"
    r"(?P<unit>[^（）()]{2,40}?)\s*(?:供稿|报送)?\s*[）)][。.]?$"
)
SOURCE_LABEL = re.compile(rf"^(?:{SOURCE_LABELS})\s*[：:]\s*(?P<unit>.{{2,40}})$")
# A sign-off run on at the end of the last paragraph: "……取得实效。（来源：东湖镇人民政府）";
# only labelled or "（单位供稿）", so an ordinary closing parenthesis stays text.
SOURCE_RUN_ON = re.compile(
    rf"[。！？”…]\s*(?P<sign>[（(]\s*(?:(?:{SOURCE_LABELS})\s*[：:]\s*(?P<unit>[^（）()]{{2,40}}?)"
    r"|(?P<supplier>[^（）()：:]{2,40}?)\s*(?:供稿|报送))\s*[）)])\s*$"
)
NOT_SOURCES = {"完", "全文完", "结束", "待续", "未完待续", "此页无正文"}
# Closing lines that are about the submission, not its text: who checked it, whom to call
TAIL_NOTE = re.compile(
    r"^[（(]?\s*(?:审核人?|审稿人?|核稿人?|签发人?|责任编辑|联系人|联系电话|电话)\s*[：:]"
)
DATE_LINE = re.compile(
    r"^[（(]?\s*(?:\d{4}|[〇零一二三四五六七八九○Ｏ]{4})\s*年"
    r"\s*[\d一二三四五六七八九十]{1,3}\s*月\s*[\d一二三四五六七八九十]{1,3}\s*日\s*[）)]?$"
)
CAPTION = re.compile(r"^[（(]?(图为|图：|图:|图片为|图片：|图\d+[：:\s.．、])")
TITLE_FONTS = ("小标宋", "标宋", "xiaobiaosong", "fzxbs")
HEI, KAI = ("黑体", "simhei", "heiti", "方正黑体"), ("楷体", "kaiti", "楷书", "stkaiti")
SENTENCE_END = "。！？；"


@dataclass(frozen=True, slots=True)
class Block:
    """One body block ready to be written as Markdown."""

    kind: str  # heading | para | image | table | list | quote
    number: int  # paragraph number (DOCX) or line (text) in the submission, for messages
    runs: tuple[Run, ...] = ()
    rank: int = 0  # heading: 1 = 一、 … 4 = （1）; list: item number (0 = bullet)
    picture: Picture | None = None
    caption: str = ""
    rows: tuple[tuple[str, ...], ...] = ()

    @property
    def text(self) -> str:
        return "".join(r.text for r in self.runs)


@dataclass
class Imported:
    """One recognised article and the guesses made on the way."""

    title: str
    blocks: list[Block]
    subtitle: str | None = None
    source: str | None = None
    note: str | None = None
    author: str | None = None
    column: str | None = None
    warnings: list[tuple[int | None, str]] = field(default_factory=list)
    # (field, paragraph or None, how it was guessed): what the editor should check by hand
    guesses: list[tuple[str, int | None, str]] = field(default_factory=list)

    @property
    def headings(self) -> int:
        return sum(b.kind == "heading" for b in self.blocks)

    @property
    def pictures(self) -> int:
        return sum(b.kind == "image" for b in self.blocks)


# --------------------------------------------------------------------------- text of a paragraph


def join_break(before: str, after: str) -> str:
    """Join the two sides of a soft break: directly in Chinese, with a space between words."""
    before, after = before.rstrip(SPACES), after.lstrip(SPACES)
    if not before or not after or is_cjk(before[-1]) or is_cjk(after[0]):
        return before + after
    return f"{before} {after}"


def clean_runs(para: Para) -> tuple[Run, ...]:
    """The paragraph's runs without indentation, soft breaks joined, neighbours merged."""
    lines: list[list[Run]] = [[Run(para.auto_number)] if para.auto_number else []]
    for run in para.runs:
        if run.text == BREAK:
            lines.append([])
        elif run.text:
            lines[-1].append(Run(run.text.replace("\t", " "), run.bold))
    pieces: list[Run] = []
    for line in lines:
        line = _strip(line)
        if not line:
            continue
        if pieces and not is_cjk(pieces[-1].text[-1]) and not is_cjk(line[0].text[0]):
            pieces.append(Run(" "))
        pieces.extend(line)
    out: list[Run] = []
    for run in pieces:
        bold = run.bold
        if not run.text.strip(SPACES):  # spaces never open a bold span
            bold = bool(out) and out[-1].bold
        if out and out[-1].bold == bold:
            out[-1] = Run(out[-1].text + run.text, bold)
        else:
            out.append(Run(run.text, bold))
    return tuple(out)


def _strip(line: list[Run]) -> list[Run]:
    """*line* without leading and trailing spaces (full-width ones included)."""
    while line and not line[0].text.lstrip(SPACES):
        line = line[1:]
    while line and not line[-1].text.rstrip(SPACES):
        line = line[:-1]
    if not line:
        return line
    first = Run(line[0].text.lstrip(SPACES), line[0].bold)
    line = [first, *line[1:]]
    line[-1] = Run(line[-1].text.rstrip(SPACES), line[-1].bold)
    return line


def plain(para: Para) -> str:
    return "".join(r.text for r in clean_runs(para))


# --------------------------------------------------------------------------- classification


def numbering_rank(text: str) -> int | None:
    return next((rank for rank, pattern in NUMBERING if pattern.match(text)), None)


def _short_line(text: str, limit: int = 50) -> bool:
    """A heading-like line: short, no sentence break inside."""
    return 0 < len(text) <= limit and not any(ch in text.rstrip("。") for ch in SENTENCE_END)


def _has_font(para: Para, names: tuple[str, ...]) -> bool:
    return bool(para.fonts) and all(any(n in f.lower() for n in names) for f in para.fonts)


def heading_rank(para: Para, text: str) -> int | None:
    """The heading rank (1 = 一、 … 4 = （1）) of a body paragraph, or ``None`` for body text."""
    if para.pictures:
        return None
    if para.outline and len(text) <= 100 and para.style not in ("title", "标题"):
        return min(para.outline, 4)
    rank = numbering_rank(text)
    if rank is not None:  # "1.建立台账" is a heading; "1.建立台账。" or a run-in one is text
        return rank if _short_line(text) and text[-1] not in SENTENCE_END else None
    if not _short_line(text, 40) or text[-1] in "。！？；，、：":
        return None
    if _has_font(para, HEI):
        return 1
    if _has_font(para, KAI):
        return 2
    if para.bold:
        return 3
    return None


def _looks_like_title(para: Para) -> bool:
    return (
        para.style in ("title", "标题")
        or para.align == "center"
        or (para.size or 0) >= 18
        or any(n in f.lower() for f in para.fonts for n in TITLE_FONTS)
    )


def _continues_title(first: Para, para: Para) -> bool:
    """A title typed over two centred lines of the same big type."""
    if para.pictures or first.align != "center" or para.align != "center":
        return False
    text = plain(para)
    if not text or DASHES.match(text) or SOURCE_PAREN.match(text):
        return False
    big = (para.size or 0) >= 18 or any(n in f.lower() for f in para.fonts for n in TITLE_FONTS)
    return big and para.size == first.size and para.fonts == first.fonts


def _source_of(para: Para, text: str) -> tuple[str, bool] | None:
    """The unit named by a closing line "（单位）" / "来源：单位" / a right-aligned 落款, and
    whether it was guessed (an unlabelled right-aligned line) rather than read."""
    if para.pictures or not text:
        return None
    match = SOURCE_PAREN.match(text) or SOURCE_LABEL.match(text)
    if match:
        unit = _unit(match.group("unit"))
        return None if unit in NOT_SOURCES or not unit else (unit, False)
    if para.style == "供稿单位":
        return text.strip("（）()"), False
    if para.align == "right" and _short_line(text, 30) and not text.endswith("。"):
        return text.removesuffix("供稿").strip(SPACES), True
    return None


def _unit(text: str) -> str:
    """A unit as written after its label, without the full stop some offices add."""
    return text.strip(SPACES).rstrip("。；;，,.").strip(SPACES)


# --------------------------------------------------------------------------- one article


def recognise(doc: Document) -> list[Imported]:
    """The articles in *doc*: one for a submission, several for a ``briefing build`` DOCX."""
    items = [i for i in doc.items if not _empty(i)]
    if doc.is_bulletin:
        from_toc = _toc_columns(items)
        articles = []
        for column, chunk in _bulletin_articles(items):
            article = _article(chunk, styled=True)
            if article is not None:
                article.column = column or from_toc.get(article.title)
                articles.append(article)
        return articles
    styled = not doc.is_plain_text
    chunks = _submission_articles(items) if styled else [items]
    return [a for chunk in chunks if (a := _article(chunk, styled=styled)) is not None]


def _big_title(item: Para | Table) -> bool:
    """Title formatting strong enough to start an article: 标题 style, or centred and big."""
    if not isinstance(item, Para) or item.pictures:
        return False
    big = (item.size or 0) >= 18 or any(n in f.lower() for f in item.fonts for n in TITLE_FONTS)
    return item.style in ("title", "标题") or (item.align == "center" and big)


def _submission_articles(items: list[Para | Table]) -> list[list[Para | Table]]:
    """Several 信息 sent in one file: each centred big title after some body starts another."""
    chunks: list[list[Para | Table]] = [[]]
    title_seen = body_seen = previous_title = False
    for item in items:
        title = _big_title(item)
        if title and title_seen and body_seen and not previous_title:
            chunks.append([])
            body_seen = False
        chunks[-1].append(item)
        title_seen = title_seen or title
        body_seen = body_seen or (title_seen and not title)
        previous_title = title
    return chunks


def _empty(item: Para | Table) -> bool:
    if isinstance(item, Table):
        return not any(cell.strip(SPACES) for row in item.rows for cell in row)
    return not item.pictures and not plain(item)


def _toc_columns(items: list[Para | Table]) -> dict[str, str]:
    """Title → 栏目, from the contents of a built bulletin ("【工作动态】", then "◆　标题")."""
    columns: dict[str, str] = {}
    column: str | None = None
    for item in items:
        if not isinstance(item, Para):
            continue
        if item.style == "目录栏目":
            column = plain(item).strip("【】")
        elif item.style == "目录" and column:
            title = plain(item).lstrip("◆" + SPACES)
            if title and not title.startswith("——"):
                columns[title] = column
    return columns


def _bulletin_articles(items: list[Para | Table]) -> list[tuple[str | None, list[Para | Table]]]:
    """Split a built bulletin at each 标题 paragraph; masthead, contents and 版记 are skipped.

    A 【栏目】 line (style 栏目) before a title starts that column's group of articles.
    """
    chunks: list[tuple[str | None, list[Para | Table]]] = []
    column: str | None = None
    for item in items:
        if isinstance(item, Para) and item.style == "栏目":
            column = plain(item).strip("【】") or None
        elif isinstance(item, Para) and item.style == "title":
            chunks.append((column, [item]))
        elif isinstance(item, Table) and "版记" in item.styles:
            continue
        elif chunks and not (isinstance(item, Para) and item.style == "报头"):
            chunks[-1][1].append(item)
    return chunks


def _article(items: list[Para | Table], *, styled: bool) -> Imported | None:
    body = list(items)
    note, note_warning = _take_note(body)
    first = next((i for i in body if isinstance(i, Para) and plain(i)), None)
    if first is None:
        return None
    position = body.index(first)
    warnings: list[tuple[int | None, str]] = []
    if position:
        warnings.append((first.number, f"标题前的 {position} 个表格或图片已按正文处理"))
    title = plain(first)
    guesses: list[tuple[str, int | None, str]] = []
    if styled and not _looks_like_title(first):
        guesses.append(("标题", first.number, "没有标题格式，按标题处理"))
    elif len(title) > 60:
        guesses.append(("标题", first.number, f"有 {len(title)} 个字，可能是正文第一段"))
    leading, rest = body[:position], body[position + 1 :]
    while rest and isinstance(following := rest[0], Para) and _continues_title(first, following):
        title += plain(following)
        rest.pop(0)
    article = Imported(title=title, blocks=[], note=note, warnings=warnings, guesses=guesses)
    if note_warning:
        warnings.append(note_warning)
    rest = leading + _take_head(article, rest, styled)
    rest = _take_tail(article, rest)
    article.blocks = _body_blocks(rest)
    return article


def _take_note(items: list[Para | Table]) -> tuple[str | None, tuple[int, str] | None]:
    for index, item in enumerate(items[:6]):
        if not isinstance(item, Para):
            continue
        text = plain(item)
        match = NOTE.match(text)
        if match or item.style == "编者按":
            del items[index]
            note = text[match.end() :] if match else text
            if not note:
                return None, (item.number, "编者按是空的，已忽略")
            return note, None
    return None, None


def _take_head(article: Imported, rest: list[Para | Table], styled: bool) -> list[Para | Table]:
    """Subtitle and author lines right under the title."""
    if rest and isinstance(rest[0], Para):
        text = plain(rest[0])
        if rest[0].style in ("subtitle", "副标题") or DASHES.match(text):
            article.subtitle = DASHES.sub("", text) or None
            rest = rest[1:]
    for _ in range(3):
        if not rest or not isinstance(rest[0], Para) or rest[0].pictures:
            break
        para, text = rest[0], plain(rest[0])
        if DATE_LINE.match(text):
            article.warnings.append((para.number, f"标题下的日期“{text}”没有导入"))
        elif article.source is None and (
            SOURCE_LABEL.match(text) or (SOURCE_PAREN.match(text) and para.align == "center")
        ):
            found = _source_of(para, text)
            if found is None:
                break
            article.source = found[0]
        elif para.style == "作者" or AUTHOR.match(text):
            article.author = text
        elif (
            styled
            and para.align == "center"
            and _short_line(text, 25)
            and numbering_rank(text) is None
        ):
            article.author = text
            article.guesses.append(("作者", para.number, f"标题下居中的短行“{text}”"))
        else:
            break
        rest = rest[1:]
    return rest


def _take_tail(article: Imported, rest: list[Para | Table]) -> list[Para | Table]:
    """The closing sign-off (（单位）, 来源：单位 …), a 落款 date, "（完）" and 审核/联系人
    lines, in any order; else a sign-off run on at the end of the last paragraph."""
    found: tuple[str, bool] | None = None
    number: int | None = None
    for _ in range(5):
        if len(rest) < 2 or not isinstance(rest[-1], Para):
            break
        para, text = rest[-1], plain(rest[-1])
        if DATE_LINE.match(text) and para.align in ("right", "center", None):
            article.warnings.append(
                (para.number, f"文末日期“{text}”没有导入（简报印发日期另行印出）")
            )
        elif _is_end_mark(text) or (TAIL_NOTE.match(text) and _short_line(text, 60)):
            article.warnings.append((para.number, f"文末的“{text}”没有导入"))
        elif found is None and (unit := _source_of(para, text)) is not None:
            found, number = unit, para.number
        elif article.author is None and AUTHOR.match(text.lstrip("（(")) and len(text) <= 30:
            article.author = text.strip("（）()")
        else:
            break
        rest = rest[:-1]
    if found is None and rest and isinstance(rest[-1], Para) and not rest[-1].pictures:
        rest[-1], run_on = _without_run_on_source(rest[-1])
        found = (run_on, False) if run_on else None
    if found is not None:
        article.source = found[0]
        if found[1]:
            article.guesses.append(("供稿单位", number, f"右对齐的落款“{found[0]}”"))
    return rest


def _is_end_mark(text: str) -> bool:
    """ "（完）", "全文完" …: the end of a submission, not text of the article."""
    return text.strip("（）()【】[] " + SPACES) in NOT_SOURCES


def _without_run_on_source(para: Para) -> tuple[Para, str | None]:
    """*para* without a sign-off at its end ("……。（来源：东湖镇人民政府）") and the unit."""
    text = plain(para)
    match = SOURCE_RUN_ON.search(text)
    if match is None:
        return para, None
    unit = _unit(match.group("unit") or match.group("supplier") or "")
    if not unit or unit in NOT_SOURCES:
        return para, None
    keep = len(text[: match.start("sign")].rstrip(SPACES))
    runs, count = [], 0
    for run in clean_runs(para):
        if count >= keep:
            break
        runs.append(Run(run.text[: keep - count], run.bold))
        count += len(runs[-1].text)
    return replace(para, runs=tuple(runs), auto_number=""), unit


def _body_blocks(items: list[Para | Table]) -> list[Block]:
    blocks: list[Block] = []
    index = 0
    while index < len(items):
        item = items[index]
        index += 1
        if isinstance(item, Table):
            blocks.append(Block("table", item.number, rows=_table_rows(item)))
            continue
        runs = clean_runs(item)
        text = "".join(r.text for r in runs)
        if item.pictures:
            caption = text if _is_caption(item, text) else ""
            if text and not caption:
                blocks.append(Block("para", item.number, runs))
            following = items[index] if index < len(items) else None
            if (
                not caption
                and isinstance(following, Para)
                and not following.pictures
                and _is_caption(following, plain(following))
            ):
                caption = plain(following)
                index += 1
            for picture in item.pictures:
                blocks.append(Block("image", item.number, picture=picture, caption=caption))
            continue
        blocks.append(_text_block(item, runs, text))
    return blocks


def _is_caption(para: Para, text: str) -> bool:
    return bool(CAPTION.match(text)) or para.style in ("caption", "题注")


def _text_block(item: Para, runs: tuple[Run, ...], text: str) -> Block:
    if item.style == "列表":
        if text.startswith("●"):
            return Block(
                "list", item.number, _drop_prefix(runs, len(text) - len(text[1:].lstrip(SPACES)))
            )
        match = re.match(r"^(\d+)\.", text)
        if match:
            return Block("list", item.number, _drop_prefix(runs, match.end()), rank=int(match[1]))
    if item.style in ("quote", "引用"):
        return Block("quote", item.number, runs)
    rank = heading_rank(item, text)
    if rank is not None:
        return Block("heading", item.number, (Run(text),), rank=rank)
    return Block("para", item.number, runs)


def _drop_prefix(runs: tuple[Run, ...], count: int) -> tuple[Run, ...]:
    out: list[Run] = []
    for run in runs:
        if count >= len(run.text):
            count -= len(run.text)
            continue
        out.append(Run(run.text[count:], run.bold))
        count = 0
    return tuple(out)


def _table_rows(table: Table) -> tuple[tuple[str, ...], ...]:
    width = max(len(row) for row in table.rows)
    return tuple(
        tuple(cell.strip(SPACES) for cell in row) + ("",) * (width - len(row)) for row in table.rows
    )
