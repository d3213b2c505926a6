"""Fixtures for the DOCX/PDF renderer tests: rendered documents and their XML parts."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from lxml import etree

from briefing.render.docx import render_docx
from tests.factory import make_bulletin

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}


def w(name: str) -> str:
    return f"{{{W}}}{name}"


def read_part(docx: Path, name: str) -> etree._Element:
    with zipfile.ZipFile(docx) as package:
        return etree.fromstring(package.read(name))


def part_names(docx: Path) -> list[str]:
    with zipfile.ZipFile(docx) as package:
        return package.namelist()


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("docx") / "bulletin.docx"
    render_docx(make_bulletin(), out)
    return out
