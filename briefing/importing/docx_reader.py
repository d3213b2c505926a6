"""Read a DOCX into the neutral model: the one place that knows WordprocessingML.

lxml reads the three parts that matter (document, styles, numbering) found through the
package relationships, and pictures on demand; python-docx's package layer would parse every
part of the file (theme, settings, fonts…) first, two thirds of the reading time. What real
submissions carry is *direct* formatting (a centred 22 pt 方正小标宋 title, bold 黑体
headings), resolved here through run → character style → paragraph style → ``basedOn``
chain → document defaults, which no higher-level API (python-docx, mammoth, docx2python) does.
XML is parsed without entity resolution or network access. Deleted revisions, field instructions and text
boxes are skipped; inserted revisions, hyperlinks, content controls and field results are
read as text.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import PurePosixPath
from typing import TYPE_CHECKING

from briefing.importing.recognise import join_break, plain
from briefing.importing.source import (
    BREAK,
    MAX_PARTS,
    MAX_RATIO,
    MAX_UNPACKED_BYTES,
    Document,
    Para,
    Picture,
    Run,
    Table,
    Unreadable,
)
from briefing.ooxml_names import W, clark, qn
from briefing.textio import picture_kind

if TYPE_CHECKING:
    from lxml.etree import _Element

# Word's own limit of columns in a table: a cell spanning more is a damaged or hostile file
MAX_COLUMNS = 63
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _w(name: str) -> str:
    return clark(W, name)


P, TBL, TR, TC, RUN, T, TAB, BR, CR = (
    _w(n) for n in ("p", "tbl", "tr", "tc", "r", "t", "tab", "br", "cr")
)
SDT, SDT_CONTENT, PPR, RPR = _w("sdt"), _w("sdtContent"), _w("pPr"), _w("rPr")
CUSTOM_XML = _w("customXml")
DRAWING, PICT, OBJECT = _w("drawing"), _w("pict"), _w("object")
NO_BREAK_HYPHEN = _w("noBreakHyphen")
ALTERNATE, CHOICE = qn("mc:AlternateContent"), qn("mc:Choice")
BLIP, IMAGEDATA = qn("a:blip"), qn("v:imagedata")
EMBED, LINK, RID = qn("r:embed"), qn("r:link"), qn("r:id")
TXBX = _w("txbxContent")
# Containers whose runs are part of the paragraph's text.
TRANSPARENT = {
    _w(n)
    for n in ("hyperlink", "ins", "smartTag", "fldSimple", "customXml", "moveTo", "dir", "bdo")
}
TRANSPARENT |= {SDT_CONTENT, SDT}


def check_package(data: bytes) -> None:
    """Refuse what is not a DOCX we may unpack: OLE files (encrypted or .doc), zip bombs."""
    if data.startswith(OLE_MAGIC):
        if "EncryptedPackage".encode("utf-16-le") in data:
            raise Unreadable("文件设有打开密码（已加密），无法读取；请让供稿单位去掉密码后重发")
        raise Unreadable("这是旧版 Word（.doc/.wps）文件却以 .docx 命名；请改回 .doc 后再导入")
    if not data.strip():
        raise Unreadable("文件是空的")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            members = package.infolist()
    except (zipfile.BadZipFile, ValueError):
        raise Unreadable("不是有效的 Word 文档（.docx），文件可能已损坏") from None
    if len(members) > MAX_PARTS:
        raise Unreadable(f"文档包含 {len(members)} 个部件，超过上限 {MAX_PARTS}，不予读取")
    total = sum(m.file_size for m in members)
    if total > MAX_UNPACKED_BYTES:
        raise Unreadable(f"文档解压后有 {total // 2**20} MB，超过上限，不予读取")
    for member in members:
        if member.file_size > 2**20 and member.file_size > MAX_RATIO * max(member.compress_size, 1):
            raise Unreadable(f"文档中的 {member.filename} 压缩比异常（疑似压缩炸弹），不予读取")


def read_docx(data: bytes) -> Document:
    """The paragraphs and tables of a DOCX given as bytes; ``Unreadable`` if it is not one."""
    from lxml import etree

    check_package(data)
    try:
        package = _Package(data)
        reader = _Reader(package)
        items = tuple(reader.items())
    except Unreadable:
        raise
    except (etree.XMLSyntaxError, KeyError, zipfile.BadZipFile) as exc:
        raise Unreadable(f"Word 文档已损坏，无法读取（{type(exc).__name__}）") from None
    return Document(items, "DOCX", frozenset(reader.styles.elements))


class _Package:
    """The parts of a DOCX that reading needs: the main document, its styles, numbering and
    pictures, found through the package relationships (OPC), parsed on demand."""

    def __init__(self, data: bytes) -> None:
        self.zip = zipfile.ZipFile(io.BytesIO(data))
        self.names = set(self.zip.namelist())
        if "[Content_Types].xml" not in self.names or "_rels/.rels" not in self.names:
            raise Unreadable("不是有效的 Word 文档（.docx），文件可能已损坏")
        main = next(
            (t for kind, t in self._rels("").values() if kind.endswith("/officeDocument")), None
        )
        if main is None or main not in self.names or not self._is_word(main):
            raise Unreadable("这不是 Word 文档（可能是改了扩展名的 Excel 或 PowerPoint 文件）")
        self.main = main
        self.rels = self._rels(main)
        self.links = self._external(main)

    def xml(self, name: str) -> _Element:
        from lxml import etree

        parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
        return etree.fromstring(self.zip.read(name), parser)

    def related(self, kind: str) -> _Element | None:
        """The parsed part the main document relates to by relationship type *kind*."""
        target = next((t for k, t in self.rels.values() if k.endswith(f"/{kind}")), None)
        return self.xml(target) if target in self.names else None

    def picture(self, rid: str) -> Picture:
        """The picture behind relationship *rid* of the main document; one the package does not
        hold (a relationship that is missing, points out of the package or to no part) has no
        bytes and says why."""
        if rid in self.links:
            return Picture(b"", "", f"链接到文档以外的文件（{self.links[rid]}）", linked=True)
        if rid not in self.rels:
            return Picture(b"", "", f"引用了不存在的关系 {rid}")
        target = self.rels[rid][1]
        if target == _OUTSIDE:
            return Picture(b"", "", "指向文档包以外的位置")
        if target not in self.names:
            return Picture(b"", "", f"文档包中没有 {target}")
        blob = self.zip.read(target)
        return Picture(blob, picture_kind(blob[:8]) or PurePosixPath(target).suffix[1:].lower())

    def _external(self, part: str) -> dict[str, str]:
        """Relationship ids of *part* that point outside the package (TargetMode External)."""
        folder, _, name = part.rpartition("/")
        rels_name = f"{folder}/_rels/{name}.rels" if folder else f"_rels/{name}.rels"
        if rels_name not in self.names:
            return {}
        return {
            rel.get("Id") or "": rel.get("Target") or ""
            for rel in self.xml(rels_name)
            if rel.get("TargetMode") == "External"
        }

    def _rels(self, part: str) -> dict[str, tuple[str, str]]:
        folder, _, name = part.rpartition("/")
        rels_name = f"{folder}/_rels/{name}.rels" if folder else f"_rels/{name}.rels"
        if rels_name not in self.names:
            return {}
        found = {}
        for rel in self.xml(rels_name):
            if rel.get("TargetMode") == "External":
                continue
            target = rel.get("Target") or ""
            path = target.lstrip("/") if target.startswith("/") else _join(folder, target)
            found[rel.get("Id") or ""] = (rel.get("Type") or "", path)
        return found

    def _is_word(self, main: str) -> bool:
        types = self.xml("[Content_Types].xml")
        for override in types:
            if (override.get("PartName") or "").lstrip("/") == main:
                return "wordprocessingml" in (override.get("ContentType") or "")
        return False


# A relationship target that climbs out of the package with ..: no part of this document
_OUTSIDE = "\0outside"


def _join(folder: str, target: str) -> str:
    parts = [p for p in folder.split("/") if p]
    for piece in target.split("/"):
        if piece == "..":
            if not parts:
                return _OUTSIDE
            parts.pop()
        elif piece not in ("", "."):
            parts.append(piece)
    return "/".join(parts)


# --------------------------------------------------------------------------- formatting


@dataclass(frozen=True, slots=True)
class _Format:
    """Run formatting that matters here; ``None`` means "inherit"."""

    bold: bool | None = None
    size: float | None = None
    font: str | None = None

    def over(self, base: _Format) -> _Format:
        return _Format(
            self.bold if self.bold is not None else base.bold,
            self.size if self.size is not None else base.size,
            self.font if self.font is not None else base.font,
        )


def _decimal(text: str | None) -> int | None:
    """A whole number of at most nine ASCII digits, or ``None``: a damaged file may say "²"
    (which ``str.isdigit`` accepts and ``int`` refuses), "x" or thousands of digits."""
    if text is None or not (text.isascii() and text.isdigit()) or len(text) > 9:
        return None
    return int(text)


def _val(element: _Element | None) -> str | None:
    return element.get(_w("val")) if element is not None else None


def _run_format(rpr: _Element | None) -> _Format:
    if rpr is None:
        return _Format()
    bold = size = font = None
    b = rpr.find(_w("b"))
    if b is not None:
        bold = b.get(_w("val"), "true") not in ("0", "false", "off")
    half_points = _decimal(_val(rpr.find(_w("sz"))))
    if half_points is not None:
        size = half_points / 2
    fonts = rpr.find(_w("rFonts"))
    if fonts is not None:
        font = fonts.get(_w("eastAsia")) or fonts.get(_w("ascii"))
    return _Format(bold, size, font)


@dataclass(frozen=True, slots=True)
class _Style:
    name: str
    based_on: str | None
    run: _Format
    align: str | None
    outline: int | None
    kind: str
    numbering: _Element | None = None  # w:numPr of the style (Word numbers heading styles)


class _Styles:
    """Style lookups with the ``basedOn`` chain resolved, read on first use (a template
    defines a hundred-odd styles; a submission uses a handful)."""

    def __init__(self, styles_element: _Element | None) -> None:
        self.elements: dict[str, _Element] = {}
        self.default_para: str | None = None
        self.defaults = _Format()
        self._resolved: dict[str, _Style] = {}
        if styles_element is None:
            return
        defaults = styles_element.find(f"{_w('docDefaults')}/{_w('rPrDefault')}/{RPR}")
        if defaults is not None:
            self.defaults = _run_format(defaults)
        for style in styles_element.iterchildren(_w("style")):
            style_id = style.get(_w("styleId"))
            if not style_id:  # no paragraph can name it
                continue
            self.elements[style_id] = style
            if style.get(_w("type"), "paragraph") == "paragraph" and style.get(_w("default")) in (
                "1",
                "true",
            ):
                self.default_para = style_id

    def resolve(self, style_id: str | None) -> _Style | None:
        if style_id is None or style_id not in self.elements:
            style_id = self.default_para
        if style_id is None or style_id not in self.elements:
            return None
        if style_id not in self._resolved:
            self._resolve(style_id)
        return self._resolved[style_id]

    def _own(self, style_id: str) -> _Style:
        style = self.elements[style_id]
        name = _val(style.find(_w("name")))
        ppr = style.find(PPR)
        return _Style(
            name=(name if name is not None else style_id).lower(),
            based_on=_val(style.find(_w("basedOn"))),
            run=_run_format(style.find(RPR)),
            align=_align(ppr),
            outline=_outline(ppr),
            kind=style.get(_w("type")) or "paragraph",
            numbering=ppr.find(_w("numPr")) if ppr is not None else None,
        )

    def _resolve(self, style_id: str) -> None:
        """Resolve *style_id* and every style of its ``basedOn`` chain not resolved yet.

        A loop, not recursion: a file may chain thousands of styles. A chain that comes back
        to one of its styles ends at that style's own settings.
        """
        chain: dict[str, None] = {}  # in order, and quick to ask
        base_id: str | None = style_id
        while (
            base_id is not None
            and base_id in self.elements
            and base_id not in self._resolved
            and base_id not in chain
        ):
            chain[base_id] = None
            base_id = self._own(base_id).based_on
        base = None
        if base_id in self._resolved:
            base = self._resolved[base_id]
        elif base_id in chain:
            base = self._own(base_id)
        for name in reversed(chain):
            own = self._own(name)
            base = own if base is None else _inherit(own, base)
            self._resolved[name] = base


def _inherit(style: _Style, base: _Style) -> _Style:
    """*style* with what it leaves unset taken from its resolved *base*."""
    return replace(
        style,
        run=style.run.over(base.run),
        align=style.align or base.align,
        outline=style.outline if style.outline is not None else base.outline,
        numbering=style.numbering if style.numbering is not None else base.numbering,
    )


def _align(ppr: _Element | None) -> str | None:
    jc = ppr.find(_w("jc")) if ppr is not None else None
    if jc is None:
        return None
    value = jc.get(_w("val")) or ""
    return {"start": "left", "end": "right", "distribute": "both"}.get(value, value)


def _outline(ppr: _Element | None) -> int | None:
    level = _decimal(_val(ppr.find(_w("outlineLvl")))) if ppr is not None else None
    # outlineLvl 9 is "body text"; 0-8 are heading levels 1-9
    return level + 1 if level is not None and level < 9 else None


def _heading_level(style: _Style | None) -> int | None:
    if style is None:
        return None
    for prefix in ("heading ", "标题 ", "标题"):
        rest = style.name.removeprefix(prefix)
        if rest != style.name and rest.isdigit():
            return int(rest)
    return style.outline


# --------------------------------------------------------------------------- reading


class _Reader:
    def __init__(self, package: _Package) -> None:
        self.package = package
        self.styles = _Styles(package.related("styles"))
        self.numbering = _Numbering(package.related("numbering"))
        self.boxes: list[_Element] = []
        self.cell_pictures: list[Picture] = []
        self.body = package.xml(package.main).find(_w("body"))
        self.count = 0

    def items(self) -> Iterator[Para | Table]:
        if self.body is not None:
            yield from self._blocks(self.body)

    def _blocks(self, container: _Element) -> Iterator[Para | Table]:
        for child in container:
            if child.tag in (P, TBL):
                self.count += 1
                yield self.paragraph(child) if child.tag == P else self.table(child)
                if self.cell_pictures:  # pictures in table cells follow the table
                    yield Para((), self.count, pictures=tuple(self.cell_pictures))
                    self.cell_pictures = []
                boxes, self.boxes = self.boxes, []
                for box in boxes:  # text boxes anchored in it: their paragraphs follow it
                    yield from self._blocks(box)
            elif child.tag in (SDT, SDT_CONTENT, CUSTOM_XML):  # wrappers of whole paragraphs
                yield from self._blocks(child)

    def paragraph(self, p: _Element) -> Para:
        ppr = p.find(PPR)
        style_el = ppr.find(_w("pStyle")) if ppr is not None else None
        style = self.styles.resolve(style_el.get(_w("val")) if style_el is not None else None)
        base = (style.run if style else _Format()).over(self.styles.defaults)
        runs: list[Run] = []
        pictures: list[Picture] = []
        sizes: list[float] = []
        fonts: set[str] = set()
        for r in _runs(p):
            fmt = self._run_style(r).over(base)
            for text in self._run_text(r, pictures):
                runs.append(Run(text, bool(fmt.bold) and text != BREAK))
                if text.strip():
                    if fmt.size:
                        sizes.append(fmt.size)
                    if fmt.font:
                        fonts.add(fmt.font)
        outline = _heading_level(style) or _outline(ppr) or (style.outline if style else None)
        return Para(
            runs=tuple(runs),
            number=self.count,
            align=_align(ppr) or (style.align if style else None),
            size=max(sizes) if sizes else None,
            fonts=frozenset(fonts),
            style=style.name if style else "",
            outline=outline,
            pictures=tuple(pictures),
            auto_number=self.numbering.text(ppr, style.numbering if style else None),
        )

    def _run_style(self, r: _Element) -> _Format:
        rpr = r.find(RPR)
        own = _run_format(rpr)
        char = rpr.find(_w("rStyle")) if rpr is not None else None
        if char is not None:
            style = self.styles.resolve(char.get(_w("val")))
            if style is not None and style.kind == "character":
                return own.over(style.run)
        return own

    def _run_text(self, r: _Element, pictures: list[Picture]) -> Iterator[str]:
        for child in r:
            tag = child.tag
            if tag == T:
                yield child.text or ""
            elif tag == TAB:
                yield "\t"
            elif tag in (BR, CR):
                if child.get(_w("type")) not in ("page", "column"):
                    yield BREAK
            elif tag == NO_BREAK_HYPHEN:
                yield "-"
            elif tag in (DRAWING, PICT, OBJECT, ALTERNATE):
                element = _preferred(child)
                pictures.extend(self._pictures(element))
                self.boxes.extend(_outer_boxes(element))

    def _pictures(self, element: _Element) -> Iterator[Picture]:
        # r:embed holds the picture; a picture only linked to a file has r:link alone
        ids = [b.get(EMBED) or b.get(LINK) for b in element.iter(BLIP)]
        ids += [v.get(RID) for v in element.iter(IMAGEDATA)]
        for rid in ids:
            if rid:
                yield self.package.picture(rid)

    def table(self, tbl: _Element) -> Table:
        rows: list[tuple[str, ...]] = []
        styles: set[str] = set()
        for tr in tbl.iterchildren(TR):
            cells: list[str] = []
            for tc in tr.iterchildren(TC):
                tcpr = tc.find(_w("tcPr"))
                span = tcpr.find(_w("gridSpan")) if tcpr is not None else None
                merge = tcpr.find(_w("vMerge")) if tcpr is not None else None
                texts = []
                for p in tc.iter(P):
                    para = self.paragraph(p)
                    styles.add(para.style)
                    texts.append(plain(para))
                    self.cell_pictures.extend(para.pictures)
                text = _join_lines(texts)
                if merge is not None and merge.get(_w("val")) != "restart":
                    text = ""  # the continuation of a vertically merged cell
                cells.append(text)
                # a merged cell spans columns: the ones it covers read as empty
                width = _decimal(_val(span)) or 1
                cells.extend([""] * (min(width, MAX_COLUMNS) - 1))
            rows.append(tuple(cells))
        return Table(tuple(rows), self.count, frozenset(styles))


def _preferred(element: _Element) -> _Element:
    """Of mc:AlternateContent, the modern branch (the VML fallback repeats the same shape)."""
    if element.tag == ALTERNATE:
        choice = element.find(CHOICE)
        return choice if choice is not None else element
    return element


def _outer_boxes(element: _Element) -> list[_Element]:
    """Text boxes in *element* that are not inside another of its text boxes (those are read
    with the box around them)."""
    boxes = []
    for box in element.iter(TXBX):
        outer = next(box.iterancestors(TXBX), None)
        if outer is None or element not in list(outer.iterancestors()):
            boxes.append(box)
    return boxes


def _runs(element: _Element) -> Iterator[_Element]:
    """The runs of a paragraph in reading order, through hyperlinks and revisions."""
    for child in element:
        if child.tag == RUN:
            yield child
        elif child.tag in TRANSPARENT:
            yield from _runs(child)


def _join_lines(texts: list[str]) -> str:
    """The paragraphs of a table cell on one line."""
    joined = ""
    for text in texts:
        if text:
            joined = join_break(joined, text) if joined else text
    return joined


# --------------------------------------------------------------------------- automatic numbering


# the levels of a list definition Word knows: w:ilvl 0-8
LEVELS = 9

# A list label ("第%1章", "（%1）") is a few characters. Every numbered paragraph repeats its
# level's text, so a longer one (a damaged or hostile file: 1 KB can spell 100 MB of labels)
# counts as no numbering.
MAX_LEVEL_TEXT = 64


class _Numbering:
    """The text Word generates for ``w:numPr`` paragraphs ("一、", "（二）", "3."), in order.

    Every ``w:num`` built on one abstract definition counts on in the same list (a list pasted
    from another file often gets a second ``w:num``); a ``w:startOverride`` ("restart at")
    sets its level's next number where that ``w:num`` is first used. Both as LibreOffice
    draws Word's files.
    """

    def __init__(self, numbering: _Element | None) -> None:
        self.levels: dict[tuple[str, int], tuple[str, str, int]] = {}
        self.list_of: dict[str, str] = {}  # numId -> the abstract definition it counts in
        self.restarts: dict[tuple[str, int], int] = {}  # (numId, level) -> next number, once
        self.counters: dict[str, list[int | None]] = {}  # per list: the last number per level
        if numbering is None:
            return
        abstract = {
            a.get(_w("abstractNumId")): a for a in numbering.iterchildren(_w("abstractNum"))
        }
        for num in numbering.iterchildren(_w("num")):
            num_id = num.get(_w("numId"))
            abstract_id = _val(num.find(_w("abstractNumId")))
            definition = abstract.get(abstract_id)
            if num_id is None or abstract_id is None or definition is None:
                continue
            self.list_of[num_id] = abstract_id
            self._read_restarts(num_id, num)
            self._read_levels(num_id, definition)

    def _read_restarts(self, num_id: str, num: _Element) -> None:
        for override in num.iterchildren(_w("lvlOverride")):
            level = _decimal(override.get(_w("ilvl"), "0"))
            value = _decimal(_val(override.find(_w("startOverride"))))
            if level is not None and level < LEVELS and value is not None:
                self.restarts[(num_id, level)] = value

    def _read_levels(self, num_id: str, definition: _Element) -> None:
        for lvl in definition.iterchildren(_w("lvl")):
            level = _decimal(lvl.get(_w("ilvl"), "0"))
            if level is None or level >= LEVELS:
                continue
            fmt, text, start = (_val(lvl.find(_w(n))) for n in ("numFmt", "lvlText", "start"))
            if text is not None and len(text) > MAX_LEVEL_TEXT:
                continue
            first = _decimal(start)
            self.levels[(num_id, level)] = (
                fmt if fmt is not None else "decimal",
                text if text is not None else "",
                first if first is not None else 1,
            )

    def text(self, ppr: _Element | None, style_numbering: _Element | None = None) -> str:
        numpr = ppr.find(_w("numPr")) if ppr is not None else None
        numpr = numpr if numpr is not None else style_numbering
        if numpr is None:
            return ""
        num_id = _val(numpr.find(_w("numId")))
        ilvl_el = numpr.find(_w("ilvl"))
        ilvl = _decimal(ilvl_el.get(_w("val"), "0")) if ilvl_el is not None else 0
        if num_id is None or ilvl is None or (num_id, ilvl) not in self.levels:
            return ""
        self._count(num_id, ilvl)
        counters = self.counters[self.list_of[num_id]]
        text = self.levels[(num_id, ilvl)][1]
        for level in range(ilvl + 1):
            fmt, _, start = self.levels.get((num_id, level), ("decimal", "", 1))
            value = counters[level]
            text = text.replace(
                f"%{level + 1}", _format_number(start if value is None else value, fmt)
            )
        # a bullet is no number; "none" hides the number but Word still shows lvlText's text
        return "" if self.levels[(num_id, ilvl)][0] == "bullet" else text

    def _count(self, num_id: str, ilvl: int) -> None:
        """Step the list's number at *ilvl*; the levels below it start again."""
        counters = self.counters.setdefault(self.list_of[num_id], [None] * LEVELS)
        restart = self.restarts.pop((num_id, ilvl), None)
        last = counters[ilvl]
        if restart is not None:
            counters[ilvl] = restart
        elif last is None:
            counters[ilvl] = self.levels[(num_id, ilvl)][2]
        else:
            counters[ilvl] = last + 1
        for deeper in range(ilvl + 1, LEVELS):
            counters[deeper] = None


# Symbol sequences Word counts through, then continues in decimal.
_CIRCLED = "".join(map(chr, range(0x2460, 0x2474)))  # ①–⑳
_SEQUENCES = {
    "decimalEnclosedCircle": _CIRCLED,
    "decimalEnclosedCircleChinese": _CIRCLED,
    "ideographEnclosedCircle": _CIRCLED,
    "decimalEnclosedParen": "".join(map(chr, range(0x2474, 0x2488))),  # ⑴–⒇
    "decimalEnclosedFullstop": "".join(map(chr, range(0x2488, 0x249C))),  # ⒈–⒛
    "ideographTraditional": "甲乙丙丁戊己庚辛壬癸",
    "ideographZodiac": "子丑寅卯辰巳午未申酉戌亥",
}
_COUNTING = (
    "chineseCounting",
    "japaneseCounting",
    "ideographDigital",
    "taiwaneseCounting",
    "koreanCounting",
)
_LEGAL = {
    "chineseLegalSimplified": str.maketrans("一二三四五六七八九十百千", "壹贰叁肆伍陆柒捌玖拾佰仟"),
    "ideographLegalTraditional": str.maketrans(
        "一二三四五六七八九十百千万", "壹貳參肆伍陸柒捌玖拾佰仟萬"
    ),
}
_ROMAN = tuple(
    zip(
        (1000, 900, 500, 400, 100, 90, 50, 40, 10, 9, 5, 4, 1),
        ("M", "CM", "D", "CD", "C", "XC", "L", "XL", "X", "IX", "V", "IV", "I"),
        strict=True,
    )
)
_FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
_MOST_LETTERS = 10  # ZZZZZZZZZZ is item 260; a hostile w:start must not spell out megabytes


def _format_number(value: int, fmt: str) -> str:
    """*value* as Word shows it in number format *fmt* (``w:numFmt``); decimal for a format
    we do not draw (English words, Hindi, Thai…) and wherever Word itself falls back to it."""
    from briefing.numbering import CHINESE_NUMBER_LIMIT, chinese_number

    if fmt == "none":
        return ""
    if value < 1:  # a list started at 0: every format shows a plain 0 (as LibreOffice does)
        return str(value)
    if fmt in _SEQUENCES:
        symbols = _SEQUENCES[fmt]
        return symbols[value - 1] if value <= len(symbols) else str(value)
    if fmt.startswith(_COUNTING) or fmt in _LEGAL:
        if value >= CHINESE_NUMBER_LIMIT:
            return str(value)
        text = chinese_number(value)
        if fmt not in _LEGAL:
            return text
        return ("一" + text if text.startswith("十") else text).translate(_LEGAL[fmt])
    if fmt in ("upperLetter", "lowerLetter") and value <= _MOST_LETTERS * 26:
        letter = chr(ord("A" if fmt == "upperLetter" else "a") + (value - 1) % 26)
        return letter * ((value - 1) // 26 + 1)  # Z, then AA, BB … AAA
    if fmt in ("upperRoman", "lowerRoman") and value < 4000:
        roman = ""
        for step, symbol in _ROMAN:
            count, value = divmod(value, step)
            roman += symbol * count
        return roman if fmt == "upperRoman" else roman.lower()
    if fmt == "decimalZero" and value < 10:
        return f"0{value}"
    if fmt in ("decimalFullWidth", "decimalFullWidth2"):
        return str(value).translate(_FULL_WIDTH)
    return str(value)
