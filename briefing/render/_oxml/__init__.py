"""Raw WordprocessingML: every element the DOCX renderer writes is spelled in this package.

``briefing.render.docx`` decides *what* goes on the page; this module knows *how* it is
spelled in OOXML: paragraphs, runs and tables, East Asian fonts (``w:eastAsia`` +
``w:hint``), the document grid, paragraph borders, PAGE fields, bookmarks and internal
hyperlinks, the floating 版记 table, pictures, section breaks, style definitions and pruning,
the theme part. The package around the XML (parts, relationships, the zip) is
:mod:`briefing.render._package`.

The elements are plain lxml elements. Where python-docx used to write them, they are
spelled exactly as python-docx spelled them (its element templates, attribute order and text
rules), so the DOCX of an unchanged issue stays byte for byte what it was.

Every element is inserted in schema order (the CT_* sequences below): Word refuses, or
"repairs", a package whose children are out of order, even when LibreOffice does not care.
"""

from __future__ import annotations

from briefing.render._oxml.blocks import (
    add_break,
    add_paragraph,
    add_paragraph_style,
    add_picture,
    add_run,
    add_section_break,
    add_story_reference,
    add_table,
    cell_paragraph,
    find_style,
    page_geometry,
    rows_and_cells,
    style_links,
)
from briefing.render._oxml.core import (
    THEME_FONT_ATTRS,
    child,
    child_path,
    children,
    needs_east_asia_hint,
    parse_xml,
    replace_element,
    required_child,
    serialise,
    w,
)
from briefing.render._oxml.facts import (
    ParagraphFacts,
    ends_section,
    has_bottom_border,
    is_floating,
    paragraph_facts,
    paragraph_flag,
    paragraph_runs,
    section_start,
    size_runs,
    table_facts,
    table_picture_heights,
    track_runs,
)
from briefing.render._oxml.parts import (
    doc_defaults,
    font_table,
    page_setup,
    prune_styles,
    rewrite_theme_fonts,
    set_zh_cn,
    settings_tweaks,
    strip_theme_fonts,
)
from briefing.render._oxml.schema import (
    PPR_ORDER,
    RPR_ORDER,
    SECTPR_ORDER,
    STYLE_ORDER,
    TBLPR_ORDER,
    TCPR_ORDER,
)
from briefing.render._oxml.tables import (
    cell_props,
    float_at_page_bottom,
    grid_columns,
    row_props,
    table_layout,
)
from briefing.render._oxml.text import (
    RunFormat,
    RunFormats,
    add_bookmark,
    append_field,
    bookmark_name,
    border,
    clear_tab_stops,
    internal_hyperlink,
    para_props,
    paragraph_properties,
    paragraph_style,
    reset_style,
    run_properties,
    run_props,
    tab_stops,
)

__all__ = [
    "PPR_ORDER",
    "RPR_ORDER",
    "SECTPR_ORDER",
    "STYLE_ORDER",
    "TBLPR_ORDER",
    "TCPR_ORDER",
    "THEME_FONT_ATTRS",
    "ParagraphFacts",
    "RunFormat",
    "RunFormats",
    "add_bookmark",
    "add_break",
    "add_paragraph",
    "add_paragraph_style",
    "add_picture",
    "add_run",
    "add_section_break",
    "add_story_reference",
    "add_table",
    "append_field",
    "bookmark_name",
    "border",
    "cell_paragraph",
    "cell_props",
    "child",
    "child_path",
    "children",
    "clear_tab_stops",
    "doc_defaults",
    "ends_section",
    "find_style",
    "float_at_page_bottom",
    "font_table",
    "grid_columns",
    "has_bottom_border",
    "internal_hyperlink",
    "is_floating",
    "needs_east_asia_hint",
    "page_geometry",
    "page_setup",
    "para_props",
    "paragraph_facts",
    "paragraph_flag",
    "paragraph_properties",
    "paragraph_runs",
    "paragraph_style",
    "parse_xml",
    "prune_styles",
    "replace_element",
    "required_child",
    "reset_style",
    "rewrite_theme_fonts",
    "row_props",
    "rows_and_cells",
    "run_properties",
    "run_props",
    "section_start",
    "serialise",
    "set_zh_cn",
    "settings_tweaks",
    "size_runs",
    "strip_theme_fonts",
    "style_links",
    "tab_stops",
    "table_facts",
    "table_layout",
    "table_picture_heights",
    "track_runs",
    "w",
]
