"""The package runs as ``python -m briefing`` and its wheel carries the built-in templates."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

from tests.conftest import REPO


def test_python_dash_m(tmp_path: Path) -> None:
    """From any folder, with nothing but the installed package (no PYTHONPATH)."""
    result = subprocess.run(
        [sys.executable, "-m", "briefing", "--version"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        check=False,
        env={"PATH": "/usr/bin:/bin", "NO_COLOR": "1"},
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == "briefing 0.1.0\n"


def test_wheel_ships_templates(tmp_path: Path) -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(tmp_path),
            str(REPO),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    (wheel,) = tmp_path.glob("briefing-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    shipped = {n for n in names if n.startswith("briefing/templates/")}
    expected = {
        f"briefing/templates/{p.relative_to(REPO / 'templates').as_posix()}"
        for p in (REPO / "templates").rglob("*")
        if p.is_file() and p.name != ".keep"
    }
    assert expected, "the repository has built-in templates"
    assert expected <= shipped
    assert "briefing/cli/__init__.py" in names
    # the fixed parts every DOCX is written with
    base = {
        f"briefing/render/docx_base/{p.name}"
        for p in (REPO / "briefing" / "render" / "docx_base").iterdir()
    }
    assert len(base) >= 14
    assert base <= names
    # the proofreading word list and the character ranking its matcher uses
    assert {"briefing/proofread/words.txt", "briefing/proofread/chars.txt"} <= names
