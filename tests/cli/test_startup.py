"""The import floor: each command imports only what it uses (#14).

Measured in a fresh interpreter, since the test process has everything imported already.
pydantic is the one that slipped in unnoticed: typer 0.29 coerces every command parameter
through it (≈75 ms a run), hence the ``typer<0.29`` pin in pyproject.toml.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import GOOD_ARTICLE, REPO, issue_yaml

HEAVY = ("pydantic", "docx", "lxml", "jinja2", "rich", "yaml", "markdown_it", "multiprocessing")

PROBE = """
import json, sys
from briefing.cli import app
try:
    app(sys.argv[2:], prog_name="briefing")
except SystemExit:
    pass
heavy = set(json.loads(sys.argv[1]))
print(json.dumps(sorted({m.split(".")[0] for m in sys.modules} & heavy)), file=sys.stderr)
"""


def imported(*args: str) -> list[str]:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps(HEAVY), *args],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        timeout=60,
        check=True,
    )
    return json.loads(done.stderr.strip().splitlines()[-1])


@pytest.fixture
def workspace(make_workspace) -> Path:  # type: ignore[no-untyped-def]
    return make_workspace(
        {"issues/2018-028/issue.yaml": issue_yaml(), "issues/2018-028/01.md": GOOD_ARTICLE}
    )


def test_help_imports_none_of_the_pipeline() -> None:
    assert imported("--help") == []


def test_a_clean_check_imports_only_the_parser_and_yaml(workspace: Path) -> None:
    found = imported("-C", str(workspace), "check")
    assert "pydantic" not in found, "typer >= 0.29 is installed: pip install -e . (typer<0.29)"
    assert found == ["markdown_it", "yaml"]


def test_a_docx_build_writes_the_package_without_a_document_library(
    workspace: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    found = imported("-C", str(workspace), "build", "--format", "docx", "--out", str(out))
    assert (out / "2018-028.docx").is_file()
    assert "docx" not in found  # python-docx: 30 ms of imports the writer does not need
    assert "jinja2" not in found  # the HTML edition was not asked for
    assert "lxml" in found


def test_the_console_script_leaves_what_is_left_to_the_process_exit(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Frozen at the end, the objects are skipped by the collector's passes while the
    interpreter shuts down (≈ 40 ms a command)."""
    import gc

    from briefing.__main__ import run

    monkeypatch.setattr(sys, "argv", ["briefing", "--help"])
    assert gc.get_freeze_count() == 0
    try:
        with pytest.raises(SystemExit):
            run()
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
