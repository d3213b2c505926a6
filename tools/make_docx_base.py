"""Regenerate ``briefing/render/docx_base/``: the fixed parts of every DOCX briefing writes.

    python tools/make_docx_base.py            # rewrite the folder
    python tools/make_docx_base.py --check    # exit 1 when the folder is out of date

The parts come from python-docx's default template (python-docx 1.2, MIT licence), which
briefing's DOCX was built on until the renderer began writing WordprocessingML itself. What
does not depend on the bulletin is done here once, instead of on every build:

- the template's blank text is removed from the parts python-docx re-serialised (document,
  styles, settings, numbering, relationships); the others are kept byte for byte;
- settings: even and odd page footers, ``w:doNotExpandShiftReturn``, zh-CN theme language, no
  ``w:updateFields`` (:func:`briefing.render._oxml.settings_tweaks`);
- styles: theme font references removed, every ``w:lang`` zh-CN, and only the styles a
  bulletin can use (the built-in ones it redefines, the defaults, what the numbering part
  names, and everything those point at through basedOn/next/link);
- the template's thumbnail (a picture of an empty page) and its stale ``stylesWithEffects``
  copy are left out.

Needs python-docx (a test dependency). ``tests/render/test_docx_package.py`` runs ``--check``.
"""

from __future__ import annotations

import argparse
import sys
import zipfile
from pathlib import Path

from lxml import etree

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from briefing.ooxml_names import W, qn  # noqa: E402
from briefing.render import _oxml  # noqa: E402
from briefing.render._oxml.core import _child  # noqa: E402

BASE = ROOT / "briefing" / "render" / "docx_base"

# Template parts briefing writes unchanged: python-docx copied them byte for byte.
VERBATIM = {
    "app.xml": "docProps/app.xml",
    "fontTable.xml": "word/fontTable.xml",
    "webSettings.xml": "word/webSettings.xml",
    "theme1.xml": "word/theme/theme1.xml",
    "item1.xml": "customXml/item1.xml",
    "itemProps1.xml": "customXml/itemProps1.xml",
}
# Template parts python-docx parsed and wrote back: same content, no blank text.
RESERIALISED = {
    "document.xml": "word/document.xml",
    "numbering.xml": "word/numbering.xml",
    "core.xml": "docProps/core.xml",
    "item1.xml.rels": "customXml/_rels/item1.xml.rels",
}
# The built-in styles the renderer redefines (``Role(builtin=True)`` in render/docx_styles.py).
REDEFINED = (
    "Normal",
    "Title",
    "Subtitle",
    "Heading1",
    "Heading2",
    "Heading3",
    "Heading4",
    "Quote",
    "Caption",
    "Header",
    "Footer",
)
# The header and footer python-docx started every new header or footer part from.
HEADER_FOOTER = ("default-header.xml", "default-footer.xml")


def _parse(data: bytes) -> etree._Element:
    return etree.fromstring(data, etree.XMLParser(remove_blank_text=True))


def _serialise(element: etree._Element) -> bytes:
    return etree.tostring(element, encoding="UTF-8", standalone=True)


def _settings(data: bytes) -> bytes:
    settings = _parse(data)
    # python-docx's odd_and_even_pages_header_footer = True
    _child(settings, "evenAndOddHeaders", SETTINGS_ORDER)
    _oxml.settings_tweaks(settings)
    return _serialise(settings)


def _styles(data: bytes, numbering: etree._Element) -> bytes:
    styles = _parse(data)
    _oxml.strip_theme_fonts(styles)
    _oxml.set_zh_cn(styles)
    kept = _reachable_styles(styles, numbering)
    for style in styles.findall(qn("w:style")):
        if style.get(qn("w:styleId")) not in kept:
            styles.remove(style)
    return _serialise(styles)


def _reachable_styles(styles: etree._Element, numbering: etree._Element) -> set[str]:
    """Every style a bulletin can end up using: a copy of the styles part, pruned with a
    story that names all the redefined styles, keeps exactly those."""
    story = etree.fromstring(f'<w:body xmlns:w="{W}"/>')
    for style_id in REDEFINED:
        etree.SubElement(story, qn("w:pStyle")).set(qn("w:val"), style_id)
    copy = _parse(_serialise(styles))
    _oxml.prune_styles(copy, [story, numbering])
    return {s.get(qn("w:styleId")) for s in copy.findall(qn("w:style"))}


# CT_Settings up to the element we add: it goes before the first of the later ones present.
SETTINGS_ORDER = (
    "writeProtection",
    "view",
    "zoom",
    "removePersonalInformation",
    "removeDateAndTime",
    "doNotDisplayPageBoundaries",
    "displayBackgroundShape",
    "printPostScriptOverText",
    "printFractionalCharacterWidth",
    "printFormsData",
    "embedTrueTypeFonts",
    "embedSystemFonts",
    "saveSubsetFonts",
    "saveFormsData",
    "mirrorMargins",
    "alignBordersAndEdges",
    "bordersDoNotSurroundHeader",
    "bordersDoNotSurroundFooter",
    "gutterAtTop",
    "hideSpellingErrors",
    "hideGrammaticalErrors",
    "activeWritingStyle",
    "proofState",
    "formsDesign",
    "attachedTemplate",
    "linkStyles",
    "stylePaneFormatFilter",
    "stylePaneSortMethod",
    "documentType",
    "mailMerge",
    "revisionView",
    "trackRevisions",
    "doNotTrackMoves",
    "doNotTrackFormatting",
    "documentProtection",
    "autoFormatOverride",
    "styleLockTheme",
    "styleLockQFSet",
    "defaultTabStop",
    "autoHyphenation",
    "consecutiveHyphenLimit",
    "hyphenationZone",
    "doNotHyphenateCaps",
    "showEnvelope",
    "summaryLength",
    "clickAndTypeStyle",
    "defaultTableStyle",
    "evenAndOddHeaders",
    "bookFoldRevPrinting",
    "bookFoldPrinting",
    "bookFoldPrintingSheets",
    "drawingGridHorizontalSpacing",
    "drawingGridVerticalSpacing",
    "displayHorizontalDrawingGridEvery",
    "displayVerticalDrawingGridEvery",
    "doNotUseMarginsForDrawingGridOrigin",
    "drawingGridHorizontalOrigin",
    "drawingGridVerticalOrigin",
    "doNotShadeFormData",
    "noPunctuationKerning",
    "characterSpacingControl",
)


def build() -> dict[str, bytes]:
    """Every file of the base folder, by name."""
    import docx

    templates = Path(docx.__file__).parent / "templates"
    files: dict[str, bytes] = {}
    with zipfile.ZipFile(templates / "default.docx") as template:
        for name, member in VERBATIM.items():
            files[name] = template.read(member)
        for name, member in RESERIALISED.items():
            files[name] = _serialise(_parse(template.read(member)))
        files["settings.xml"] = _settings(template.read("word/settings.xml"))
        numbering = _parse(template.read("word/numbering.xml"))
        files["styles.xml"] = _styles(template.read("word/styles.xml"), numbering)
    for name in HEADER_FOOTER:
        part = _serialise(_parse((templates / name).read_bytes()))
        files[name.removeprefix("default-")] = part
    return files


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare instead of writing")
    args = parser.parse_args(argv)
    files = build()
    if args.check:
        stale = sorted(
            name
            for name, data in files.items()
            if not (BASE / name).is_file() or (BASE / name).read_bytes() != data
        )
        extra = sorted(p.name for p in BASE.glob("*.xml*") if p.name not in files)
        for name in stale + extra:
            print(f"out of date: {BASE / name}")
        return 1 if stale or extra else 0
    BASE.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        (BASE / name).write_bytes(data)
    print(f"wrote {len(files)} files to {BASE}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
