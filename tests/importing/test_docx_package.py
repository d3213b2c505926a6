"""The DOCX reader on packages written by hand: odd part layouts, relationships and hostile files.

Every package here is a zip of hand-written XML parts, so a test says exactly what the file
holds: where the main document lives, which relationships it has, which attribute is missing.
What is pinned is what ``read_docx`` / ``check_package`` promise: the exact Chinese message of a
file they refuse, and the paragraphs, runs, pictures and table cells of one they read.
"""

from __future__ import annotations

import io
import zipfile

import pytest

from briefing.importing import docx_reader
from briefing.importing.docx_reader import OLE_MAGIC, check_package, read_docx
from briefing.importing.source import BREAK, Para, Picture, Run, Table, Unreadable

NAMESPACES = {
    "w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "pic": "http://schemas.openxmlformats.org/drawingml/2006/picture",
    "mc": "http://schemas.openxmlformats.org/markup-compatibility/2006",
    "wps": "http://schemas.microsoft.com/office/word/2010/wordprocessingShape",
    "v": "urn:schemas-microsoft-com:vml",
    "o": "urn:schemas-microsoft-com:office:office",
}
XMLNS = " ".join(f'xmlns:{prefix}="{uri}"' for prefix, uri in NAMESPACES.items())
RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
WORD_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"

DAMAGED = "不是有效的 Word 文档（.docx），文件可能已损坏"
NOT_WORD = "这不是 Word 文档（可能是改了扩展名的 Excel 或 PowerPoint 文件）"
BROKEN_XML = "Word 文档已损坏，无法读取（XMLSyntaxError）"
LINK = "file:///C:/照片/现场.png"


def png(tag: str) -> bytes:
    """Bytes a reader takes for a PNG (its signature), told apart by *tag*."""
    return b"\x89PNG\r\n\x1a\n" + tag.encode()


def rel(rid: str, kind: str, target: str | None = None, *, external: bool = False) -> str:
    """A ``Relationship`` element; *target* None leaves the attribute out."""
    attributes = f'Id="{rid}" Type="{RELATIONSHIPS}/{kind}"'
    if target is not None:
        attributes += f' Target="{target}"'
    if external:
        attributes += ' TargetMode="External"'
    return f"<Relationship {attributes}/>"


def relationships(*rels: str) -> bytes:
    body = "".join(rels)
    return (
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f"{body}</Relationships>"
    ).encode()


def content_types(*overrides: tuple[str, str]) -> bytes:
    body = "".join(f'<Override PartName="{n}" ContentType="{t}"/>' for n, t in overrides)
    return (
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f"{body}</Types>"
    ).encode()


def document(body: str) -> bytes:
    return f"<w:document {XMLNS}><w:body>{body}</w:body></w:document>".encode()


def styles(*definitions: str) -> bytes:
    return f"<w:styles {XMLNS}>{''.join(definitions)}</w:styles>".encode()


def rels_name(part: str) -> str:
    folder, _, name = part.rpartition("/")
    return f"{folder}/_rels/{name}.rels" if folder else f"_rels/{name}.rels"


def package(
    body: str = "<w:p><w:r><w:t>正文</w:t></w:r></w:p>",
    *rels: str,
    main: str = "word/document.xml",
    parts: dict[str, bytes] | None = None,
) -> bytes:
    """A DOCX whose main part *main* holds *body*, relates *rels* and sits among *parts*; a
    part given as ``b""`` in *parts* is left out of the package."""
    members = {
        "[Content_Types].xml": content_types((f"/{main}", WORD_MAIN)),
        "_rels/.rels": relationships(rel("rId1", "officeDocument", main)),
        main: document(body),
    }
    if rels:
        members[rels_name(main)] = relationships(*rels)
    members.update(parts or {})
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            if data:
                z.writestr(name, data)
    return buffer.getvalue()


def refusal(data: bytes) -> str:
    with pytest.raises(Unreadable) as caught:
        read_docx(data)
    return str(caught.value)


def items(data: bytes) -> list[Para | Table]:
    return list(read_docx(data).items)


def pictures(data: bytes) -> list[Picture]:
    return [p for item in items(data) if isinstance(item, Para) for p in item.pictures]


def drawing(rid: str, *, attribute: str = "r:embed") -> str:
    """A run with an inline DrawingML picture whose blip names *rid*."""
    return (
        "<w:r><w:drawing><wp:inline><a:graphic><a:graphicData><pic:pic><pic:blipFill>"
        f'<a:blip {attribute}="{rid}"/>'
        "</pic:blipFill></pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r>"
    )


def picture_paragraph(*rids: str) -> str:
    return f"<w:p>{''.join(drawing(rid) for rid in rids)}</w:p>"


# --------------------------------------------------------------------------- check_package


def zipped(members: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            OLE_MAGIC + b"\0" * 64 + "EncryptedPackage".encode("utf-16-le") + b"\0" * 64,
            "文件设有打开密码（已加密），无法读取；请让供稿单位去掉密码后重发",
        ),
        (
            OLE_MAGIC + b"\0" * 512,
            "这是旧版 Word（.doc/.wps）文件却以 .docx 命名；请改回 .doc 后再导入",
        ),
        (b"", "文件是空的"),
        (b" \r\n\t ", "文件是空的"),
        ("一段纯文本".encode(), DAMAGED),
        (b"PK\x03\x04" + b"\0" * 100, DAMAGED),
    ],
    ids=["encrypted", "doc", "empty", "blank", "text", "truncated-zip"],
)
def test_what_is_not_a_package_is_refused_with_its_reason(data: bytes, message: str) -> None:
    with pytest.raises(Unreadable) as caught:
        check_package(data)
    assert str(caught.value) == message


def test_the_part_limit_counts_the_members(monkeypatch: pytest.MonkeyPatch) -> None:
    data = zipped({f"part{i}.xml": b"<x/>" for i in range(5)})
    monkeypatch.setattr(docx_reader, "MAX_PARTS", 5)
    check_package(data)  # exactly at the limit
    monkeypatch.setattr(docx_reader, "MAX_PARTS", 4)
    with pytest.raises(Unreadable) as caught:
        check_package(data)
    assert str(caught.value) == "文档包含 5 个部件，超过上限 4，不予读取"


def test_the_unpacked_size_limit_and_its_message(monkeypatch: pytest.MonkeyPatch) -> None:
    small = zipped({"a.xml": b"x" * 700, "b.xml": b"y" * 300})
    monkeypatch.setattr(docx_reader, "MAX_UNPACKED_BYTES", 1000)
    check_package(small)  # exactly at the limit
    monkeypatch.setattr(docx_reader, "MAX_UNPACKED_BYTES", 999)
    with pytest.raises(Unreadable) as caught:
        check_package(small)
    assert str(caught.value) == "文档解压后有 0 MB，超过上限，不予读取"
    large = zipped({"word/document.xml": b"\0" * (3 * 2**20 + 2**19)})  # 3.5 MB
    monkeypatch.setattr(docx_reader, "MAX_UNPACKED_BYTES", 2**20)
    with pytest.raises(Unreadable) as caught:
        check_package(large)
    assert str(caught.value) == "文档解压后有 3 MB，超过上限，不予读取"  # whole megabytes


@pytest.mark.parametrize(
    "size",
    [2**19, 2**20],  # a highly compressible part of up to one megabyte is no bomb
)
def test_a_small_part_may_compress_any_amount(size: int) -> None:
    check_package(zipped({"word/media/blank.bmp": b"\0" * size}))


def test_a_large_part_that_compresses_beyond_the_ratio_is_a_bomb() -> None:
    data = zipped(
        {"word/document.xml": b"<w:document/>", "word/media/zero.bin": b"\0" * (2**20 + 1)}
    )
    with pytest.raises(Unreadable) as caught:
        check_package(data)
    assert str(caught.value) == "文档中的 word/media/zero.bin 压缩比异常（疑似压缩炸弹），不予读取"


def test_a_ratio_of_exactly_the_limit_is_allowed(monkeypatch: pytest.MonkeyPatch) -> None:
    stored = zipped({"word/media/photo.bin": b"\x5a" * (2**20 + 1)}, zipfile.ZIP_STORED)
    monkeypatch.setattr(docx_reader, "MAX_RATIO", 1)  # a stored part: unpacked == packed
    check_package(stored)


# --------------------------------------------------------------------------- the package


def test_a_package_without_styles_or_numbering_reads_plain_paragraphs() -> None:
    (para,) = items(package())
    assert para == Para(runs=(Run("正文"),), number=1)  # no style, size, font, outline or number


def test_a_styles_relationship_to_a_missing_part_reads_without_styles() -> None:
    data = package(
        '<w:p><w:pPr><w:pStyle w:val="Title"/></w:pPr><w:r><w:t>标题</w:t></w:r></w:p>',
        rel("rId1", "styles", "styles.xml"),
    )
    assert items(data) == [Para((Run("标题"),), 1)]


@pytest.mark.parametrize(
    ("left_out", "message"),
    [("[Content_Types].xml", DAMAGED), ("_rels/.rels", DAMAGED), ("word/document.xml", NOT_WORD)],
)
def test_a_package_missing_a_required_part(left_out: str, message: str) -> None:
    assert refusal(package(parts={left_out: b""})) == message


@pytest.mark.parametrize(
    "parts",
    [
        # relationships to everything but a main document
        {
            "_rels/.rels": relationships(
                rel("rId1", "metadata/core-properties", "docProps/core.xml")
            )
        },
        # the main document only linked, outside the package, though a part has its name
        {
            "_rels/.rels": relationships(
                rel("rId1", "officeDocument", "word/document.xml", external=True)
            )
        },
        # a main part the content types do not declare
        {"[Content_Types].xml": content_types()},
        # a workbook renamed .docx
        {
            "[Content_Types].xml": content_types(
                ("/xl/workbook.xml", "application/vnd.ms-excel.sheet.main+xml")
            ),
            "_rels/.rels": relationships(rel("rId1", "officeDocument", "xl/workbook.xml")),
            "xl/workbook.xml": b"<workbook/>",
        },
    ],
    ids=["no-main", "external-main", "undeclared-main", "workbook"],
)
def test_a_package_whose_main_part_is_no_word_document(parts: dict[str, bytes]) -> None:
    assert refusal(package(parts=parts)) == NOT_WORD


def test_damaged_xml_names_the_error() -> None:
    assert refusal(package(parts={"word/document.xml": b"<w:document><w:body>"})) == BROKEN_XML


def test_entities_are_not_expanded() -> None:
    body = f'<!DOCTYPE w:document [<!ENTITY secret "机密内容">]><w:document {XMLNS}><w:body>'
    body += "<w:p><w:r><w:t>前&secret;</w:t></w:r></w:p></w:body></w:document>"
    (para,) = items(package(parts={"word/document.xml": body.encode()}))
    assert para.text == "前"


def test_a_document_nested_too_deep_is_refused() -> None:
    nested = "<w:sdt><w:sdtContent>" * 150 + "<w:p/>" + "</w:sdtContent></w:sdt>" * 150
    assert refusal(package(nested)) == BROKEN_XML


def test_a_main_document_in_another_folder_resolves_its_relationships() -> None:
    main = "Xinxi/word/document.xml"
    data = package(
        '<w:p><w:pPr><w:pStyle w:val="Lead"/></w:pPr>'
        + drawing("rId2")
        + drawing("rId3")
        + drawing("rId4", attribute="r:link")
        + "</w:p>",
        rel("rId1", "styles", "styles.xml"),
        rel("rId2", "image", "../media/up.png"),
        rel("rId3", "image", "/Xinxi/media/absolute.png"),
        rel("rId4", "image", LINK, external=True),
        main=main,
        parts={
            "Xinxi/word/styles.xml": styles(
                '<w:style w:type="paragraph" w:styleId="Lead"><w:name w:val="导语"/></w:style>'
            ),
            "Xinxi/media/up.png": png("up"),
            "Xinxi/media/absolute.png": png("absolute"),
        },
    )
    (para,) = items(data)
    assert para.style == "导语"
    assert para.pictures == (
        Picture(png("up"), "png"),
        Picture(png("absolute"), "png"),
        Picture(b"", "", f"链接到文档以外的文件（{LINK}）", linked=True),
    )


def test_a_main_document_at_the_package_root() -> None:
    data = package(
        picture_paragraph("rId1", "rId2"),
        rel("rId1", "image", "media/root.png"),
        rel("rId2", "image", LINK, external=True),
        main="document.xml",
        parts={"media/root.png": png("root")},
    )
    assert pictures(data) == [
        Picture(png("root"), "png"),
        Picture(b"", "", f"链接到文档以外的文件（{LINK}）", linked=True),
    ]


@pytest.mark.parametrize(
    ("target", "part"),
    [
        ("media/image1.png", "word/media/image1.png"),
        ("media//image1.png", "word/media/image1.png"),
        ("./media/./image1.png", "word/media/image1.png"),
        ("../media/image1.png", "media/image1.png"),
        ("../word/media/image1.png", "word/media/image1.png"),
    ],
)
def test_relationship_targets_resolve_like_paths(target: str, part: str) -> None:
    data = package(picture_paragraph("rId5"), rel("rId5", "image", target), parts={part: png(part)})
    assert pictures(data) == [Picture(png(part), "png")]


@pytest.mark.parametrize(
    ("target", "missing"),
    [
        ("../../evil.png", "指向文档包以外的位置"),
        ("media/../../../evil.png", "指向文档包以外的位置"),
        ("media/nothing.png", "文档包中没有 word/media/nothing.png"),
        (None, "文档包中没有 word"),  # no Target: the folder of the document itself
    ],
)
def test_a_picture_the_package_does_not_hold_has_no_bytes(target: str | None, missing: str) -> None:
    data = package(picture_paragraph("rId5"), rel("rId5", "image", target))
    assert pictures(data) == [Picture(b"", "", missing)]


def test_a_picture_with_no_relationship_has_no_bytes() -> None:
    data = package(picture_paragraph("rId99"), rel("rId5", "image", "media/image1.png"))
    assert pictures(data) == [Picture(b"", "", "引用了不存在的关系 rId99")]


def test_an_external_relationship_without_a_target() -> None:
    data = package(picture_paragraph("rId5"), rel("rId5", "image", external=True))
    assert pictures(data) == [Picture(b"", "", "链接到文档以外的文件（）", linked=True)]


def test_relationships_after_an_external_one_are_read() -> None:
    data = package(
        '<w:p><w:hyperlink r:id="rId1"><w:r><w:t>网站</w:t></w:r></w:hyperlink></w:p>'
        + picture_paragraph("rId2"),
        rel("rId1", "hyperlink", "https://www.example.gov.cn/", external=True),
        rel("rId2", "image", "media/image1.png"),
        parts={"word/media/image1.png": png("after")},
    )
    assert [(p.text, p.pictures) for p in items(data)] == [
        ("网站", ()),
        ("", (Picture(png("after"), "png"),)),
    ]


def test_a_picture_of_unknown_kind_is_named_by_its_last_extension() -> None:
    tiff = b"II*\x00" + b"\x08" * 12
    data = package(
        picture_paragraph("rId5"),
        rel("rId5", "image", "media/scan.2026.TIF"),
        parts={"word/media/scan.2026.TIF": tiff},
    )
    assert pictures(data) == [Picture(tiff, "tif")]


def test_a_picture_part_without_an_extension_is_still_read() -> None:
    emf = b"\x01\x00\x00\x00" + b"\x00" * 12
    data = package(
        picture_paragraph("rId5"),
        rel("rId5", "image", "media/image"),
        parts={"word/media/image": emf},
    )
    # its kind is unknown (no known bytes, no extension), not the part's path
    assert pictures(data) == [Picture(emf, "")]


# --------------------------------------------------------------------------- pictures in runs


def test_a_picture_only_linked_to_a_file() -> None:
    data = package(
        f"<w:p>{drawing('rId7', attribute='r:link')}</w:p>",
        rel("rId7", "image", LINK, external=True),
    )
    assert pictures(data) == [Picture(b"", "", f"链接到文档以外的文件（{LINK}）", linked=True)]


def test_an_svg_picture_is_read_once_by_its_png_copy() -> None:
    svg_blip = (
        '<a:blip r:embed="rId1"><a:extLst><a:ext uri="{96DAC541-7B7A-43D3-8B79-37D633B846F1}">'
        '<asvg:svgBlip xmlns:asvg="http://schemas.microsoft.com/office/drawing/2016/SVG/main"'
        ' r:embed="rId2"/></a:ext></a:extLst></a:blip>'
    )
    data = package(
        picture_paragraph("rId1").replace('<a:blip r:embed="rId1"/>', svg_blip),
        rel("rId1", "image", "media/image1.png"),
        rel("rId2", "image", "media/image2.svg"),
        parts={"word/media/image1.png": png("copy"), "word/media/image2.svg": b"<svg/>"},
    )
    assert pictures(data) == [Picture(png("copy"), "png")]


def test_an_embedded_object_gives_its_preview_picture_only() -> None:
    emf = b"\x01\x00\x00\x00" + b"\x00" * 12
    data = package(
        '<w:p><w:r><w:object><v:shape id="_x0000_i1025"><v:imagedata r:id="rId1" o:title=""/>'
        '</v:shape><o:OLEObject Type="Embed" ProgID="Excel.Sheet.12" ShapeID="_x0000_i1025"'
        ' r:id="rId2"/></w:object></w:r></w:p>',
        rel("rId1", "image", "media/image1.emf"),
        rel("rId2", "package", "embeddings/sheet1.xlsx"),
        parts={"word/media/image1.emf": emf, "word/embeddings/sheet1.xlsx": b"PK\x05\x06"},
    )
    assert pictures(data) == [Picture(emf, "emf")]


def test_alternate_content_without_a_choice_reads_its_fallback() -> None:
    data = package(
        '<w:p><w:r><mc:AlternateContent><mc:Fallback><w:pict><v:shape><v:imagedata r:id="rId1"/>'
        "</v:shape></w:pict></mc:Fallback></mc:AlternateContent></w:r></w:p>",
        rel("rId1", "image", "media/image1.png"),
        parts={"word/media/image1.png": png("fallback")},
    )
    assert pictures(data) == [Picture(png("fallback"), "png")]


def test_nested_text_boxes_are_read_where_they_stand() -> None:
    inner = "<w:txbxContent><w:p><w:r><w:t>内框</w:t></w:r></w:p></w:txbxContent>"
    outer = (
        "<w:txbxContent><w:p><w:r><w:t>框首</w:t></w:r></w:p>"
        f"<w:p><w:r><w:pict><v:shape><v:textbox>{inner}</v:textbox></v:shape></w:pict></w:r></w:p>"
        "<w:p><w:r><w:t>框尾</w:t></w:r></w:p></w:txbxContent>"
    )
    data = package(
        "<w:p><w:r><w:t>锚点</w:t></w:r><w:r><w:drawing><wps:txbx>"
        f"{outer}</wps:txbx></w:drawing></w:r></w:p><w:p><w:r><w:t>下一段</w:t></w:r></w:p>"
    )
    assert [p.text for p in items(data)] == ["锚点", "框首", "", "内框", "框尾", "下一段"]


def test_paragraphs_of_a_drawing_outside_a_text_box_are_not_text() -> None:
    data = package(
        "<w:p><w:r><w:t>正文</w:t></w:r><w:r><w:pict>"
        "<w:p><w:r><w:t>不是文本框</w:t></w:r></w:p></w:pict></w:r></w:p>"
    )
    assert [p.text for p in items(data)] == ["正文"]


# --------------------------------------------------------------------------- runs and paragraphs


def test_column_breaks_and_empty_text_elements() -> None:
    data = package(
        '<w:p><w:r><w:t>上</w:t><w:br w:type="column"/><w:t/><w:br w:type="page"/>'
        '<w:cr/><w:t>下</w:t><w:br w:type="textWrapping"/></w:r></w:p>'
    )
    (para,) = items(data)
    assert para.runs == (Run("上"), Run(""), Run(BREAK), Run("下"), Run(BREAK))


def test_a_paragraph_style_named_as_a_run_style_does_not_format_the_run() -> None:
    data = package(
        '<w:p><w:r><w:rPr><w:rStyle w:val="Loud"/></w:rPr><w:t>字</w:t></w:r>'
        '<w:r><w:rPr><w:rStyle w:val="Strong"/></w:rPr><w:t>粗</w:t></w:r></w:p>',
        rel("rId1", "styles", "styles.xml"),
        parts={
            "word/styles.xml": styles(
                '<w:style w:type="paragraph" w:styleId="Loud"><w:name w:val="醒目"/>'
                '<w:rPr><w:b/><w:sz w:val="44"/></w:rPr></w:style>',
                '<w:style w:type="character" w:styleId="Strong"><w:name w:val="强调"/>'
                "<w:rPr><w:b/></w:rPr></w:style>",
            )
        },
    )
    (para,) = items(data)
    assert (para.runs, para.size) == ((Run("字"), Run("粗", bold=True)), None)


def test_the_outline_level_of_a_heading_style_numbered_zero() -> None:
    data = package(
        '<w:p><w:pPr><w:pStyle w:val="H0"/></w:pPr><w:r><w:t>标题</w:t></w:r></w:p>',
        rel("rId1", "styles", "styles.xml"),
        parts={
            "word/styles.xml": styles(
                '<w:style w:type="paragraph" w:styleId="H0"><w:name w:val="heading 0"/>'
                '<w:pPr><w:outlineLvl w:val="1"/></w:pPr></w:style>'
            )
        },
    )
    (para,) = items(data)
    assert (para.style, para.outline) == ("heading 0", 2)


def test_content_controls_around_body_paragraphs_are_read_through() -> None:
    data = package(
        '<w:sdt><w:sdtPr><w:alias w:val="正文"/></w:sdtPr><w:sdtContent>'
        "<w:p><w:r><w:t>甲</w:t></w:r></w:p>"
        "<w:sdt><w:sdtContent><w:p><w:r><w:t>乙</w:t></w:r></w:p></w:sdtContent></w:sdt>"
        "</w:sdtContent></w:sdt>"
        '<w:bookmarkStart w:id="0" w:name="x"/><w:p><w:r><w:t>丙</w:t></w:r></w:p>'
        '<w:bookmarkEnd w:id="0"/><w:sectPr><w:pgSz w:w="11906" w:h="16838"/></w:sectPr>'
    )
    assert [(p.number, p.text) for p in items(data)] == [(1, "甲"), (2, "乙"), (3, "丙")]


def test_custom_xml_around_body_paragraphs_is_read_through() -> None:
    # Word keeps paragraphs tagged by an XML schema (a form, an OA template) inside w:customXml
    data = package(
        '<w:customXml w:element="公文"><w:p><w:r><w:t>甲</w:t></w:r></w:p>'
        '<w:customXml w:element="段"><w:p><w:r><w:t>乙</w:t></w:r></w:p></w:customXml>'
        "</w:customXml><w:p><w:r><w:t>丙</w:t></w:r></w:p>"
    )
    assert [(p.number, p.text) for p in items(data)] == [(1, "甲"), (2, "乙"), (3, "丙")]


# --------------------------------------------------------------------------- tables


def cell(text: str, properties: str = "") -> str:
    tcpr = f"<w:tcPr>{properties}</w:tcPr>" if properties else ""
    return f"<w:tc>{tcpr}<w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:tc>"


def test_vertically_merged_cells_read_once() -> None:
    restart, go_on = '<w:vMerge w:val="restart"/>', '<w:vMerge w:val="continue"/>'
    table = (
        "<w:tbl>"
        f"<w:tr>{cell('合并', restart)}{cell('右上')}</w:tr>"
        f"<w:tr>{cell('残留', '<w:vMerge/>')}{cell('右中')}</w:tr>"
        f"<w:tr>{cell('残留', go_on)}{cell('右下')}</w:tr>"
        "</w:tbl>"
    )
    (grid,) = items(package(table))
    assert grid == Table((("合并", "右上"), ("", "右中"), ("", "右下")), 1, frozenset({""}))


def test_a_cell_reads_the_text_of_its_paragraphs_once() -> None:
    table = (
        "<w:tbl><w:tr><w:tc><w:p><w:r><w:t>见</w:t></w:r>"
        '<w:ins w:id="1" w:author="a"><w:r><w:t>附件</w:t></w:r></w:ins>'
        '<w:hyperlink r:id="rId9"><w:r><w:t>一</w:t></w:r></w:hyperlink></w:p></w:tc></w:tr></w:tbl>'
    )
    (grid,) = items(package(table))
    assert grid.rows == (("见附件一",),)


def test_pictures_in_cells_follow_their_table_with_its_number() -> None:
    first = f"<w:tbl><w:tr><w:tc>{picture_paragraph('rId1')}</w:tc>{cell('说明')}</w:tr></w:tbl>"
    second = f"<w:tbl><w:tr>{cell('次表')}</w:tr></w:tbl>"
    data = package(
        f"<w:p><w:r><w:t>前言</w:t></w:r></w:p>{first}{second}",
        rel("rId1", "image", "media/image1.png"),
        parts={"word/media/image1.png": png("cell")},
    )
    assert items(data) == [
        Para((Run("前言"),), 1),
        Table((("", "说明"),), 2, frozenset({""})),
        Para((), 2, pictures=(Picture(png("cell"), "png"),)),
        Table((("次表",),), 3, frozenset({""})),
    ]
