"""The DOCX package briefing writes itself: parts, relationships, content types, the zip.

python-docx is the reader here, as Word would be: every package must open in it with the
parts where its relationships say. The fixed parts come from ``tools/make_docx_base.py``;
the golden files pin the parts around document.xml (document.xml has its own golden).
"""

from __future__ import annotations

import dataclasses
import io
import subprocess
import sys
import zipfile
from pathlib import Path

import docx
import pytest
from lxml import etree

from briefing.assemble import bulletin_article
from briefing.model import Image, Layout
from briefing.render import _package
from briefing.render.docx import render_docx
from tests.conftest import REPO
from tests.factory import SAMPLE_PNG, make_article, make_bulletin, para
from tests.golden import check_golden

GOLDEN = Path(__file__).parent / "golden"
PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
CT = "http://schemas.openxmlformats.org/package/2006/content-types"


def rendered(tmp_path: Path, bulletin, **kwargs) -> zipfile.ZipFile:  # type: ignore[no-untyped-def]
    out = tmp_path / f"{len(list(tmp_path.iterdir()))}.docx"
    render_docx(bulletin, out, **kwargs)
    return zipfile.ZipFile(out)


def with_pictures(tmp_path: Path, *pictures: tuple[str, bytes]):  # type: ignore[no-untyped-def]
    """A bulletin whose one article shows each ``(file name, bytes)`` picture in turn."""
    blocks = [para("正文。")]
    for line, (name, data) in enumerate(pictures, start=2):
        path = tmp_path / name
        path.write_bytes(data)
        blocks.append(Image(name, path, f"图{line}", line))
    article = bulletin_article("a1", make_article(blocks=tuple(blocks), note=None))
    return dataclasses.replace(make_bulletin(articles=1), articles=(article,))


def jpeg(size: tuple[int, int] = (40, 30)) -> bytes:
    from PIL import Image as Pillow

    out = io.BytesIO()
    Pillow.new("RGB", size, (200, 30, 30)).save(out, "JPEG")
    return out.getvalue()


def test_the_fixed_parts_are_those_the_generator_makes() -> None:
    done = subprocess.run(
        [sys.executable, str(REPO / "tools" / "make_docx_base.py"), "--check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.parametrize(
    ("name", "bulletin"),
    [
        ("plain", make_bulletin()),
        ("draft-even", make_bulletin(draft=True, layout=Layout(imprint_on_even_page=True))),
    ],
)
def test_golden_package_parts(tmp_path: Path, name: str, bulletin) -> None:  # type: ignore[no-untyped-def]
    with rendered(tmp_path, bulletin) as package:
        parts = {
            "entries": "\n".join(package.namelist()),
            "[Content_Types].xml": package.read("[Content_Types].xml").decode(),
            "document.xml.rels": package.read("word/_rels/document.xml.rels").decode(),
            "styles.xml": package.read("word/styles.xml").decode(),
            "core.xml": package.read("docProps/core.xml").decode(),
        }
    actual = "".join(f"=== {key}\n{value}\n" for key, value in parts.items())
    check_golden(GOLDEN / f"package-{name}.txt", actual.replace("><", ">\n<"))


def test_every_relationship_names_a_part_and_every_part_has_a_content_type(
    tmp_path: Path,
) -> None:
    bulletin = make_bulletin(draft=True, layout=Layout(imprint_on_even_page=True))
    with rendered(tmp_path, bulletin) as package:
        names = set(package.namelist())
        types = etree.fromstring(package.read("[Content_Types].xml"))
        defaults = {d.get("Extension") for d in types.iter(f"{{{CT}}}Default")}
        overrides = {o.get("PartName") for o in types.iter(f"{{{CT}}}Override")}
        for name in names:
            assert f"/{name}" in overrides or name.rsplit(".", 1)[-1] in defaults, name
        assert {o.lstrip("/") for o in overrides} <= names
        for rels_name in [n for n in names if n.endswith(".rels")]:
            folder = rels_name.replace("_rels/", "").removesuffix(".rels").rsplit("/", 1)[0]
            for rel in etree.fromstring(package.read(rels_name)).iter(f"{{{PKG}}}Relationship"):
                target = rel.get("Target")
                resolved = (target if rels_name == "_rels/.rels" else f"{folder}/{target}").replace(
                    "word/../", ""
                )
                assert resolved in names, (rels_name, target)
        ids = [r.get("Id") for r in etree.fromstring(package.read("word/_rels/document.xml.rels"))]
        assert len(ids) == len(set(ids))
        assert "word/footer4.xml" in names  # the 版记 section has footers of its own
        assert {"word/header1.xml", "word/header2.xml"} <= names  # the 样稿 mark


def test_python_docx_reads_what_was_written(tmp_path: Path) -> None:
    bulletin = make_bulletin(draft=True, layout=Layout(imprint_on_even_page=True))
    out = tmp_path / "b.docx"
    render_docx(bulletin, out)
    document = docx.Document(str(out))
    assert len(document.sections) == 2
    assert document.sections[0].even_page_footer.paragraphs[0].text == "— 1 —"
    assert document.sections[0].header.paragraphs[0].text == "样稿"
    assert document.core_properties.title == "滨江新区信息　第二十八期（总第646期）"
    assert document.core_properties.category == "简报"
    assert len(document.inline_shapes) == 3
    assert {s.name for s in document.styles} >= {"Normal", "Title", "编者按", "版记"}


def test_a_picture_shown_twice_is_stored_once(tmp_path: Path) -> None:
    data = SAMPLE_PNG.read_bytes()
    bulletin = with_pictures(tmp_path, ("a.png", data), ("b.png", data), ("c.JPG", jpeg()))
    with rendered(tmp_path, bulletin) as package:
        media = sorted(n for n in package.namelist() if n.startswith("word/media/"))
        document = package.read("word/document.xml")
        types = package.read("[Content_Types].xml")
    assert media == ["word/media/image1.png", "word/media/image2.jpg"]
    assert document.count(b'r:embed="rId11"') == 2  # rId9/rId10 are the two footers
    assert document.count(b'r:embed="rId12"') == 1
    assert [document.count(f'name="Picture {n}"'.encode()) for n in (1, 2, 3)] == [1, 1, 1]
    assert b'<Default Extension="jpg" ContentType="image/jpeg"/>' in types
    assert b'<Default Extension="png" ContentType="image/png"/>' in types


def test_a_picture_named_for_another_kind_keeps_its_own_extension(tmp_path: Path) -> None:
    bulletin = with_pictures(tmp_path, ("photo.png", jpeg()), ("scan.jpeg", jpeg((20, 20))))
    with rendered(tmp_path, bulletin) as package:
        media = sorted(n for n in package.namelist() if n.startswith("word/media/"))
    assert media == ["word/media/image1.jpg", "word/media/image2.jpeg"]


def test_pictures_are_stored_and_xml_is_deflated_with_the_issue_date(tmp_path: Path) -> None:
    with rendered(tmp_path, make_bulletin()) as package:
        for info in package.infolist():
            assert info.date_time == (2018, 12, 20, 0, 0, 0)
            expected = zipfile.ZIP_STORED if info.filename.endswith(".png") else 8
            assert info.compress_type == expected, info.filename
            assert info.external_attr == 0o644 << 16  # rw-r--r--, whoever builds it
            assert info.create_system == 3
        assert package.namelist()[:6] == [
            "[Content_Types].xml",
            "_rels/.rels",
            "docProps/core.xml",
            "docProps/app.xml",
            "word/document.xml",
            "word/_rels/document.xml.rels",
        ]
        assert package.namelist()[-1] == "word/theme/theme1.xml"


def test_core_properties_escape_and_bound_what_the_editor_typed() -> None:
    stamp = _package.dt.datetime(2019, 1, 2, tzinfo=_package.dt.UTC)
    core = _package.core_properties(
        title="A & B <信息>" + "长" * 300,
        subject="题" * 300,
        author="办" * 300,
        keywords="期" * 300,
        category="简报",
        language="zh-CN",
        stamp=stamp,
    )
    root = etree.fromstring(core)
    dc = "{http://purl.org/dc/elements/1.1/}"
    assert root.find(f"{dc}title").text == ("A & B <信息>" + "长" * 300)[:255]
    cp = "{http://schemas.openxmlformats.org/package/2006/metadata/core-properties}"
    for tag, text in (
        (f"{dc}subject", "题"),
        (f"{dc}creator", "办"),
        (f"{cp}keywords", "期"),
        (f"{cp}lastModifiedBy", "办"),
    ):
        assert root.find(tag).text == text * 255, tag  # Word's limit for these fields
    assert b"<dc:description></dc:description>" in core
    created = root.find("{http://purl.org/dc/terms/}created")
    assert created.text == "2019-01-02T00:00:00Z"
    assert created.get("{http://www.w3.org/2001/XMLSchema-instance}type") == "dcterms:W3CDTF"
