"""Locate external tools for render and browser tests.

A test that needs LibreOffice, poppler, Chromium or an optional module (playwright) skips when the tool is missing, except when
``BRIEFING_REQUIRE_TOOLS=1`` (set by ``.ci/run``): then a missing tool is a failure.
"""

from __future__ import annotations

import importlib
import os
import shutil
from types import ModuleType

import pytest

CANDIDATES = {
    "soffice": ("soffice", "libreoffice"),
    "pdftotext": ("pdftotext",),
    "pdftoppm": ("pdftoppm",),
    "pdffonts": ("pdffonts",),
    "chromium": ("chromium", "chromium-browser", "google-chrome"),
}


def tools_required() -> bool:
    return os.environ.get("BRIEFING_REQUIRE_TOOLS") == "1"


def find_tool(name: str) -> str | None:
    for candidate in CANDIDATES.get(name, (name,)):
        found = shutil.which(candidate)
        if found:
            return found
    return None


def require_tool(name: str) -> str:
    """Path of *name*; skip the test (or fail in CI) when it is not installed."""
    found = find_tool(name)
    if found:
        return found
    message = f"{name} is not installed"
    if tools_required():
        pytest.fail(message + " (BRIEFING_REQUIRE_TOOLS=1)")
    pytest.skip(message)
    raise AssertionError("unreachable")


def require_module(name: str) -> ModuleType:
    """Import *name*; skip the test (or fail in CI) when it is not installed.

    Use this instead of ``pytest.importorskip``, which skips even with
    ``BRIEFING_REQUIRE_TOOLS=1``.
    """
    try:
        return importlib.import_module(name)
    except ImportError as error:
        message = f"Python module {name} is not installed ({error})"
    if tools_required():
        pytest.fail(message + " (BRIEFING_REQUIRE_TOOLS=1)")
    pytest.skip(message)
    raise AssertionError("unreachable")


def require_uno_python() -> str:
    """A Python with LibreOffice's ``uno`` module (and LibreOffice itself) for the warm path;
    skip the test (or fail in CI) when there is none."""
    require_tool("soffice")
    from briefing.render.office import find_uno_python

    found = find_uno_python()
    if found.python:
        return found.python
    message = f"no Python with LibreOffice's uno module ({found.reason})"
    if tools_required():
        pytest.fail(message + " (BRIEFING_REQUIRE_TOOLS=1)")
    pytest.skip(message)
    raise AssertionError("unreachable")
