"""The XML namespaces of a DOCX package and the Clark-notation names built from them.

Shared by the writer (:mod:`briefing.render._oxml`, :mod:`briefing.render._package`) and the
importer (:mod:`briefing.importing.docx_reader`). Plain strings and the standard library only:
importing it loads neither lxml nor the renderer.
"""

from __future__ import annotations

from functools import cache

# WordprocessingML: paragraphs, runs, tables, styles, numbering, settings
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
# relationship ids inside a part (r:id, r:embed)
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
# the package's own relationship parts (_rels/*.rels)
REL = "http://schemas.openxmlformats.org/package/2006/relationships"
# DrawingML: the inline picture, its graphic and the picture element
WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"
PIC = "http://schemas.openxmlformats.org/drawingml/2006/picture"
# markup compatibility (mc:AlternateContent) and legacy VML pictures, met when importing
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
V = "urn:schemas-microsoft-com:vml"
XML = "http://www.w3.org/XML/1998/namespace"

PREFIXES = {"w": W, "r": R, "wp": WP, "a": A, "pic": PIC, "mc": MC, "v": V, "xml": XML}


def clark(namespace: str, local: str) -> str:
    """``{namespace}local``: the name lxml gives an element or attribute."""
    return f"{{{namespace}}}{local}"


@cache
def qn(tag: str) -> str:
    """``w:p`` → ``{http://…/main}p`` (Clark notation), for the prefixes in :data:`PREFIXES`."""
    prefix, local = tag.split(":")
    return clark(PREFIXES[prefix], local)
