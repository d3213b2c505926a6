"""The code base stays lint-clean, formatted and type-checked: ``ruff check``, ``ruff format
--check`` and ``mypy`` (settings in pyproject.toml).

Each tool runs as ``python -m`` under the interpreter running the tests, so the suite needs no
activated virtual environment and never picks up another installation's copy from PATH.
"""

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _run(module: str, *args: str) -> subprocess.CompletedProcess[str]:
    if importlib.util.find_spec(module) is None:
        pytest.fail(f"{module} 未安装：pip install -e '.[test]'")
    return subprocess.run(
        [sys.executable, "-m", module, *args], cwd=ROOT, capture_output=True, text=True
    )


def test_ruff_check_is_clean() -> None:
    result = _run("ruff", "check", ".")
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_format_is_clean() -> None:
    result = _run("ruff", "format", "--check", ".")
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_is_clean() -> None:
    # the files to check and every option come from [tool.mypy] in pyproject.toml
    result = _run("mypy")
    assert result.returncode == 0, result.stdout + result.stderr
