"""The DOCX package (Open Packaging Conventions): parts, relationships, content types, zip.

The renderer fills the main document, the styles, headers and footers; this module supplies
the parts that never change (``docx_base/``, made by ``tools/make_docx_base.py`` from
python-docx's template), names the new parts, relates them to the document and writes the
zip. Everything a DOCX needs is written here and in :mod:`briefing.render._oxml`; nothing
is left to a library's template at run time.

The layout of the package is the one python-docx gave it (part names, relationship ids and
order, entry order), so an issue published before briefing wrote its own packages rebuilds
byte for byte. Every entry is dated with the issue date, never the clock.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from lxml import etree

from briefing.ooxml_names import REL, R, qn
from briefing.render._oxml import child, parse_xml, required_child, serialise
from briefing.render.reproducible import dated_zip

BASE = Path(__file__).parent / "docx_base"

REL_FOOTER = f"{R}/footer"
REL_HEADER = f"{R}/header"
REL_IMAGE = f"{R}/image"

_WML = "application/vnd.openxmlformats-officedocument.wordprocessingml"
_CONTENT_TYPES = {
    "word/document.xml": f"{_WML}.document.main+xml",
    "word/styles.xml": f"{_WML}.styles+xml",
    "word/settings.xml": f"{_WML}.settings+xml",
    "word/webSettings.xml": f"{_WML}.webSettings+xml",
    "word/fontTable.xml": f"{_WML}.fontTable+xml",
    "word/numbering.xml": f"{_WML}.numbering+xml",
    "word/theme/theme1.xml": "application/vnd.openxmlformats-officedocument.theme+xml",
    "customXml/itemProps1.xml": (
        "application/vnd.openxmlformats-officedocument.customXmlProperties+xml"
    ),
    "docProps/core.xml": "application/vnd.openxmlformats-package.core-properties+xml",
    "docProps/app.xml": "application/vnd.openxmlformats-officedocument.extended-properties+xml",
}
_STORY_TYPES = {REL_FOOTER: f"{_WML}.footer+xml", REL_HEADER: f"{_WML}.header+xml"}
# Extensions whose content type goes in a <Default>: everything else gets an <Override>.
_DEFAULTS = {
    "rels": "application/vnd.openxmlformats-package.relationships+xml",
    "xml": "application/xml",
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "gif": "image/gif",
    "bmp": "image/bmp",
}
# What each picture kind may be called, the first being the name of a file that says nothing
PICTURE_EXTENSIONS = {
    "png": ("png",),
    "jpeg": ("jpg", "jpeg"),
    "gif": ("gif",),
    "bmp": ("bmp",),
}

# The document's relationships to the fixed parts, in python-docx's order; rId4 was the
# template's stylesWithEffects part, which is not written, and the theme comes last because
# python-docx related it anew after rewriting its fonts.
_FIXED_BEFORE = (
    ("rId3", f"{R}/styles", "styles.xml"),
    ("rId5", f"{R}/settings", "settings.xml"),
    ("rId6", f"{R}/webSettings", "webSettings.xml"),
    ("rId7", f"{R}/fontTable", "fontTable.xml"),
    ("rId1", f"{R}/customXml", "../customXml/item1.xml"),
    ("rId2", f"{R}/numbering", "numbering.xml"),
)
_FIXED_AFTER = (("rId8", f"{R}/theme", "theme/theme1.xml"),)
FIRST_NEW_REL = 9
_PACKAGE_RELS = (
    ("rId3", f"{REL}/metadata/core-properties", "docProps/core.xml"),
    ("rId4", f"{R}/extended-properties", "docProps/app.xml"),
    ("rId1", f"{R}/officeDocument", "word/document.xml"),
)


@cache
def base_part(name: str) -> bytes:
    """The bytes of one fixed part (``docx_base/<name>``)."""
    return (BASE / name).read_bytes()


def base_tree(name: str) -> etree._Element:
    """A fresh, modifiable tree of one fixed XML part."""
    return parse_xml(base_part(name))


@cache
def numbering_part() -> etree._Element:
    """The numbering part, parsed once: only read (the styles its lists name are kept)."""
    return parse_xml(base_part("numbering.xml"))


@dataclass
class _Related:
    rel_id: str
    reltype: str
    target: str  # relative to word/


class Package:
    """A DOCX being written: the main document, styles and the parts related to them."""

    def __init__(self) -> None:
        self.document = base_tree("document.xml")
        self.styles = base_tree("styles.xml")
        self.theme = base_part("theme1.xml")
        self.font_table = base_part("fontTable.xml")
        self._related: list[_Related] = []  # the document's new relationships, in order
        self._stories: dict[str, etree._Element] = {}  # part name → root
        self._media: dict[str, bytes] = {}  # part name → bytes
        self._by_digest: dict[str, str] = {}  # sha1 of a picture → its relationship id

    @property
    def body(self) -> etree._Element:
        return required_child(self.document, qn("w:body"))

    @property
    def stories(self) -> list[etree._Element]:
        """Roots of the header and footer parts, in the order they were added."""
        return list(self._stories.values())

    def _relate(self, reltype: str, target: str) -> str:
        rel_id = f"rId{FIRST_NEW_REL + len(self._related)}"
        self._related.append(_Related(rel_id, reltype, target))
        return rel_id

    def add_story(self, reltype: str) -> tuple[str, etree._Element]:
        """A new footer or header part (*reltype*) holding one empty paragraph in the Footer
        or Header style: its relationship id and its root element."""
        kind = "footer" if reltype == REL_FOOTER else "header"
        number = 1 + sum(1 for name in self._stories if name.startswith(f"word/{kind}"))
        name = f"{kind}{number}.xml"
        root = base_tree(f"{kind}.xml")
        self._stories[f"word/{name}"] = root
        return self._relate(reltype, name), root

    def add_image(self, data: bytes, kind: str, filename: str) -> str:
        """The relationship id of a picture; the same bytes are stored once.

        The part keeps the extension of the contributor's file when it is one of its kind's
        (``photo.JPG`` → ``image1.jpg``), else the kind's own.
        """
        digest = hashlib.sha1(data, usedforsecurity=False).hexdigest()
        if digest in self._by_digest:
            return self._by_digest[digest]
        suffix = Path(filename).suffix.lower().lstrip(".")
        extensions = PICTURE_EXTENSIONS[kind]
        extension = suffix if suffix in extensions else extensions[0]
        name = f"media/image{len(self._media) + 1}.{extension}"
        self._media[f"word/{name}"] = data
        rel_id = self._relate(REL_IMAGE, name)
        self._by_digest[digest] = rel_id
        return rel_id

    def to_bytes(self, core: bytes, stamp: dt.datetime) -> bytes:
        """The zip: every entry dated *stamp*, in the order python-docx wrote them."""
        entries = [
            ("[Content_Types].xml", self._content_types()),
            ("_rels/.rels", _relationships(_PACKAGE_RELS)),
            ("docProps/core.xml", core),
            ("docProps/app.xml", base_part("app.xml")),
            ("word/document.xml", serialise(self.document)),
            ("word/_rels/document.xml.rels", _relationships(self._document_rels())),
            ("word/styles.xml", serialise(self.styles)),
            ("word/settings.xml", base_part("settings.xml")),
            ("word/webSettings.xml", base_part("webSettings.xml")),
            ("word/fontTable.xml", self.font_table),
            ("customXml/item1.xml", base_part("item1.xml")),
            ("customXml/_rels/item1.xml.rels", base_part("item1.xml.rels")),
            ("customXml/itemProps1.xml", base_part("itemProps1.xml")),
            ("word/numbering.xml", base_part("numbering.xml")),
        ]
        for related in self._related:
            name = f"word/{related.target}"
            if name in self._stories:
                entries.append((name, serialise(self._stories[name])))
            else:  # a picture: related once, however often it is shown
                entries.append((name, self._media[name]))
        entries.append(("word/theme/theme1.xml", self.theme))
        return dated_zip(entries, stamp)

    def _document_rels(self) -> list[tuple[str, str, str]]:
        new = [(r.rel_id, r.reltype, r.target) for r in self._related]
        return [*_FIXED_BEFORE, *new, *_FIXED_AFTER]

    def _content_types(self) -> bytes:
        names = [*_CONTENT_TYPES, *self._stories, *self._media]
        defaults = {"rels", "xml"}
        overrides: dict[str, str] = {}
        for name in names:
            extension = name.rsplit(".", 1)[-1].lower()
            if name in self._media:
                defaults.add(extension)
            elif name in self._stories:
                related = next(r for r in self._related if f"word/{r.target}" == name)
                overrides[f"/{name}"] = _STORY_TYPES[related.reltype]
            else:
                overrides[f"/{name}"] = _CONTENT_TYPES[name]
        xml = [
            "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n",
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">',
        ]
        xml += [
            f'<Default Extension="{ext}" ContentType="{_DEFAULTS[ext]}"/>'
            for ext in sorted(defaults)
        ]
        xml += [
            f'<Override PartName="{name}" ContentType="{overrides[name]}"/>'
            for name in sorted(overrides)
        ]
        xml.append("</Types>")
        return "".join(xml).encode("utf-8")


def _relationships(rels: tuple | list) -> bytes:
    items = "".join(
        f'<Relationship Id="{rel_id}" Type="{reltype}" Target="{target}"/>'
        for rel_id, reltype, target in rels
    )
    return (
        "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
        f'<Relationships xmlns="{REL}">{items}</Relationships>'
    ).encode()


def core_properties(
    *,
    title: str,
    subject: str,
    author: str,
    keywords: str,
    category: str,
    language: str,
    stamp: dt.datetime,
) -> bytes:
    """``docProps/core.xml``: what Word shows under File ▸ Info, dated *stamp*."""
    root = base_tree("core.xml")
    when = stamp.strftime("%Y-%m-%dT%H:%M:%SZ")
    values = {
        "dc:title": title[:255],
        "dc:subject": subject[:255],
        "dc:creator": author[:255],
        "cp:keywords": keywords[:255],
        "dc:description": "",
        "cp:lastModifiedBy": author[:255],
        "cp:category": category,
        "dc:language": language,
        "cp:revision": "1",
        "dcterms:created": when,
        "dcterms:modified": when,
        "cp:lastPrinted": when,
    }
    for tag, text in values.items():
        found = child(root, _core_qn(tag))
        if found is None:
            found = etree.SubElement(root, _core_qn(tag))
        found.text = text
    return serialise(root)


_CORE_NAMESPACES = {
    "cp": "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
    "dc": "http://purl.org/dc/elements/1.1/",
    "dcterms": "http://purl.org/dc/terms/",
}


def _core_qn(tag: str) -> str:
    prefix, local = tag.split(":")
    return f"{{{_CORE_NAMESPACES[prefix]}}}{local}"
