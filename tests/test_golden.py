"""The golden-file helper never writes unless asked to."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.golden import UPDATE_VARIABLE, check_golden


def test_missing_golden_fails_and_is_not_created(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(UPDATE_VARIABLE, raising=False)
    path = tmp_path / "golden" / "x.xml"
    with pytest.raises(AssertionError, match="missing"):
        check_golden(path, "<x/>\n")
    assert not path.exists()


def test_changed_golden_fails_and_is_kept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(UPDATE_VARIABLE, raising=False)
    path = tmp_path / "x.xml"
    path.write_text("<x/>\n", encoding="utf-8")
    with pytest.raises(AssertionError, match="differs"):
        check_golden(path, "<y/>\n")
    assert path.read_text(encoding="utf-8") == "<x/>\n"
    check_golden(path, "<x/>\n")


def test_update_variable_rewrites(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(UPDATE_VARIABLE, "1")
    path = tmp_path / "new" / "x.xml"
    check_golden(path, "<y/>\n")
    assert path.read_text(encoding="utf-8") == "<y/>\n"
