"""Real-size pictures in the DOCX: shrunk to the type area, proportions kept, never enlarged.

The pictures are generated at the size cameras and chart tools produce (3000 px wide), so a
renderer that forgets to scale them writes a picture ten times the page width.
"""

from __future__ import annotations

import struct
import zipfile
import zlib

import pytest
from lxml import etree
from typer.testing import CliRunner

from briefing.cli import app
from tests.conftest import GOOD_ARTICLE, WorkspaceFactory, issue_yaml

TEXT_WIDTH_EMU = 5_615_940  # 156 mm type area (GB/T 9704), 8844 twips x 635
MAX_HEIGHT_EMU = 5_400_000  # 150 mm: a picture never fills a page alone
WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"


def png(width: int, height: int, dpi: int = 72) -> bytes:
    """A grey PNG of *width* x *height* pixels declaring *dpi* (pHYs)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    row = b"\x00" + b"\x80" * width
    per_metre = round(dpi / 0.0254)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
        + chunk(b"pHYs", struct.pack(">IIB", per_metre, per_metre, 1))
        + chunk(b"IDAT", zlib.compress(row * height, 1))
        + chunk(b"IEND", b"")
    )


ARTICLE = GOOD_ARTICLE + "\n![图为网格员巡查](images/photo.png)\n"


def picture_extent(make_workspace: WorkspaceFactory, picture: bytes) -> tuple[int, int]:
    """Build a one-picture issue through the CLI; the picture's (cx, cy) in EMU."""
    root = make_workspace(
        {
            "issues/2018-028/issue.yaml": issue_yaml(),
            "issues/2018-028/01-grid.md": ARTICLE,
            "issues/2018-028/images/photo.png": picture,
        }
    )
    result = CliRunner().invoke(app, ["-C", str(root), "build", "--format", "docx"])
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(root / "build" / "2018-028" / "2018-028.docx") as package:
        document = etree.fromstring(package.read("word/document.xml"))
    extents = list(document.iter(f"{{{WP}}}extent"))
    assert len(extents) == 1
    return int(extents[0].get("cx")), int(extents[0].get("cy"))


def test_a_wide_photo_is_shrunk_to_the_text_width(make_workspace: WorkspaceFactory) -> None:
    cx, cy = picture_extent(make_workspace, png(3000, 2000))
    assert cx <= TEXT_WIDTH_EMU
    assert cx >= TEXT_WIDTH_EMU - 635  # fills the width: shrunk, not shrunk too far
    assert cy / cx == pytest.approx(2000 / 3000, rel=1e-3)


def test_a_tall_photo_is_shrunk_to_the_height_limit(make_workspace: WorkspaceFactory) -> None:
    cx, cy = picture_extent(make_workspace, png(1200, 3600))
    assert cy <= MAX_HEIGHT_EMU
    assert cy >= MAX_HEIGHT_EMU - 635
    assert cx < TEXT_WIDTH_EMU
    assert cx / cy == pytest.approx(1200 / 3600, rel=1e-3)


def test_a_small_picture_keeps_its_native_size(make_workspace: WorkspaceFactory) -> None:
    # 300 x 150 px at 150 dpi = 2 x 1 inch; enlarging it would only blur it
    cx, cy = picture_extent(make_workspace, png(300, 150, dpi=150))
    assert (cx, cy) == (2 * 914_400, 914_400)
