"""The bad-input corpus: every file under ``corpus/`` is checked (and built when clean).

A name ``<case>.<CODE>.<ext>`` says which rule must fire; ``<case>.any.<ext>`` only that
nothing crashes. For every case: no exception escapes ``check``, and a clean ``check`` means
``build`` (DOCX and HTML) succeeds, the DOCX re-opens and the HTML parses strictly and is inert.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from tests.hostile.helpers import ISSUE_ID, build_if_clean, check, workspace

CORPUS = Path(__file__).parent / "corpus"
GOOD = "---\ntitle: 正常文稿\nsource: 长河街道\n---\n\n今年以来，街道把辖区划分为42个网格。\n"


def cases(folder: str) -> list[Path]:
    return sorted((CORPUS / folder).iterdir())


def expected_code(path: Path) -> str | None:
    code = path.name.split(".")[-2]
    return None if code == "any" else code


def files_for(path: Path) -> dict[str, str | bytes]:
    kind = path.parent.name
    issue = f"issues/{ISSUE_ID}"
    pictures = {f"{issue}/images/{p.name}": p.read_bytes() for p in cases("pictures")}
    if kind == "articles":
        return {f"{issue}/{path.name}": path.read_bytes(), **pictures}
    article = {f"{issue}/01-good.md": GOOD}
    if kind == "manifests":
        return {f"{issue}/manifest.json": path.read_bytes(), **article}
    if kind == "settings":
        return {"briefing.yaml": path.read_bytes(), **article}
    return {f"{issue}/issue.yaml": path.read_bytes(), **article}


@pytest.mark.parametrize(
    "case",
    [p for folder in ("articles", "settings", "issues", "manifests") for p in cases(folder)],
    ids=lambda p: f"{p.parent.name}/{p.name}",
)
def test_corpus_case(case: Path, tmp_path: Path) -> None:
    root = workspace(tmp_path / "ws", files_for(case))
    started = time.perf_counter()
    ws = check(root)
    assert time.perf_counter() - started < 10
    code = expected_code(case)
    codes = {d.code for d in ws.diagnostics}
    if code is not None:
        assert code in codes, [f"{d.code} {d.message}" for d in ws.diagnostics]
    built = build_if_clean(ws, tmp_path / "out")
    if code is not None and code[0] in "FMPR":  # errors: the build must have been refused
        assert not built


def test_every_picture_case_is_used() -> None:
    text = "".join(p.read_text(encoding="utf-8", errors="replace") for p in cases("articles"))
    assert all(f"images/{p.name}" in text for p in cases("pictures"))


def test_script_everywhere_builds_inert(tmp_path: Path) -> None:
    script = CORPUS / "settings" / "script-everywhere.any.yaml"
    article = CORPUS / "articles" / "script-everywhere.any.md"
    files = files_for(script)
    # raw tags are errors by default; let them through to prove the HTML stays inert
    files["briefing.yaml"] = script.read_bytes() + b"checks:\n  severity: {H001: warning}\n"
    body = article.read_text(encoding="utf-8").replace("![", "[")  # no missing picture
    files[f"issues/{ISSUE_ID}/02-script.md"] = body
    ws = check(workspace(tmp_path / "ws", files))
    assert build_if_clean(ws, tmp_path / "out"), [d.message for d in ws.diagnostics]
    html = (tmp_path / "out" / f"{ISSUE_ID}.html").read_text(encoding="utf-8")
    assert "<script>" not in html and "&lt;script&gt;" in html
