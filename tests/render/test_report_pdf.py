"""The 信息采用情况通报 printed: ``briefing stats --format pdf`` measured from the PDF.

Two reports made as an editor makes them (through the CLI): a short one (three units, one
page of body and the signature) and a long one (thirty units: the table runs over a page).
Margins, fonts, sizes, the 28-character line, page numbers and the signature are measured
with pdfplumber in millimetres from the top-left corner of the A4 page; every page is also
rasterised (``pdftoppm``) so a blank or broken page is caught.
"""

from __future__ import annotations

import itertools
import re
import subprocess
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from briefing.cli import app
from tests.conftest import BASE_CONFIG, issue_yaml
from tests.render.test_pdf_layout import MM, TYPE_BOTTOM, TYPE_LEFT, TYPE_RIGHT, TYPE_TOP, measure
from tests.tools import require_module, require_tool

pytestmark = pytest.mark.render

CHAR = 16 * 25.4 / 72  # one 三号 character: 5.64 mm
UNITS = ["长河街道", "建设局", "区农业农村局", "东湖镇人民政府", "交警五大队"] + [
    f"第{i}网格工作站" for i in range(1, 26)
]
TEXT = "今年以来，街道把辖区划分为42个网格，每个网格配备1名专职网格员，推动问题就地解决。"


def article(title: str, unit: str) -> str:
    return f"---\ntitle: {title}\nsource: {unit}\n---\n\n{TEXT}\n"


def workspace(make_workspace, units: list[str]) -> Path:  # type: ignore[no-untyped-def]
    files: dict[str, str | bytes] = {
        "issues/2019-001/issue.yaml": issue_yaml(1, 646, 2019, "2019-01-10"),
        "issues/2019-002/issue.yaml": issue_yaml(2, 647, 2019, "2019-02-10"),
    }
    for index, unit in enumerate(units):
        folder = "2019-001" if index % 2 else "2019-002"
        files[f"issues/{folder}/{index + 1:02d}.md"] = article(f"{unit}推进网格化管理", unit)
    files["instructions.yaml"] = (
        "instructions:\n"
        "  - {issue: 2019-002, article: 01.md, by: 王军, position: 区委书记, date: 2019-02-12}\n"
        "  - {issue: 2019-001, article: 02.md, by: 李明远, date: 2019-01-15}\n"
        "  - {issue: 2019-001, article: 02.md, by: 王军, date: 2019-01-16}\n"
    )
    return make_workspace(files, config=BASE_CONFIG)


def report(root: Path, out: Path, *extra: str) -> Path:
    require_tool("soffice")
    args = ["-C", str(root), "stats", "--from", "2019-01", "--to", "2019-03", "--out", str(out)]
    result = CliRunner().invoke(app, [*args, "--format", "pdf", *extra])
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="module")
def short(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("short")
    root = _workspace(folder, UNITS[:3])
    config = root / "briefing.yaml"  # an issuer shorter than the date: spaced out to match
    config.write_text(
        config.read_text(encoding="utf-8").replace("测试区党政办公室", "区委办"), encoding="utf-8"
    )
    return report(root, folder / "通报.pdf")


@pytest.fixture(scope="module")
def long(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("long")
    return report(_workspace(folder, UNITS), folder / "通报.pdf")


def _workspace(folder: Path, units: list[str]) -> Path:
    def make(files, *, config):  # type: ignore[no-untyped-def]
        root = folder / "ws"
        for name, text in {"briefing.yaml": config, **files}.items():
            path = root / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        return root

    return workspace(make, units)


def chars(pdf: Path) -> list[list[dict]]:
    pdfplumber = require_module("pdfplumber")
    with pdfplumber.open(pdf) as document:
        return [
            [{**c, "mm_x0": c["x0"] * MM, "mm_x1": c["x1"] * MM, "mm_top": c["top"] * MM}
             for c in page.chars if c["text"].strip()]
            for page in document.pages
        ]  # fmt: skip


def test_every_page_renders_and_is_a4(short: Path, long: Path, tmp_path: Path) -> None:
    pdftoppm = require_tool("pdftoppm")
    for pdf in (short, long):
        subprocess.run(
            [pdftoppm, "-png", "-r", "60", str(pdf), str(tmp_path / pdf.parent.name)], check=True
        )
    pngs = sorted(tmp_path.glob("*.png"))
    assert len(pngs) == len(measure(short)) + len(measure(long))
    assert all(png.stat().st_size > 3_000 for png in pngs)  # not blank
    pdfplumber = require_module("pdfplumber")
    with pdfplumber.open(long) as document:
        for page in document.pages:
            assert (page.width * MM, page.height * MM) == pytest.approx((210, 297), abs=0.5)


def test_title_body_fonts_and_the_type_area(short: Path) -> None:
    (first, *_rest) = chars(short)
    title = [c for c in first if c["size"] > 20]
    assert "".join(c["text"] for c in title) == "关于2019年第一季度信息采用情况的通报"
    assert {round(c["size"]) for c in title} == {22}  # 二号
    assert all("Bold" in c["fontname"] for c in title if not c["text"].isascii())  # 小标宋
    middle = (min(c["mm_x0"] for c in title) + max(c["mm_x1"] for c in title)) / 2
    assert middle == pytest.approx((TYPE_LEFT + TYPE_RIGHT) / 2, abs=1.0)  # centred
    assert min(c["mm_top"] for c in title) == pytest.approx(TYPE_TOP, abs=3.5)
    body = [c for c in first if 15 < c["size"] < 17]
    assert body and all("SerifCJK" in c["fontname"] or "Liberation" in c["fontname"] for c in body
                        if c["text"] not in "一、总体情况二、各单位采用情况")  # fmt: skip
    headings = [c for c in body if "SansCJK" in c["fontname"]]
    assert "".join(c["text"] for c in headings) == "一、总体情况二、各单位采用情况"  # 黑体
    for number, page in enumerate(chars(short)):
        text = [c for c in page if c["mm_top"] < TYPE_BOTTOM + 0.5]
        assert min(c["mm_x0"] for c in text) >= TYPE_LEFT - 0.6
        assert max(c["mm_x1"] for c in text) <= TYPE_RIGHT + 0.3
        if number == 0:  # the addressee starts at the left edge of the type area
            assert min(c["mm_x0"] for c in text) == pytest.approx(TYPE_LEFT, abs=0.6)


def test_the_grid_22_lines_of_28_characters(long: Path) -> None:
    """Body characters advance 5.56 mm (16 pt tracked by 0.25 pt: 28 fit in 156 mm, 29 do not)
    and body lines follow each other at one grid pitch, 10.21 mm (22 lines in 225 mm)."""
    pitches, leads = [], []
    for page in chars(long):
        lines: dict[int, list[dict]] = {}
        for c in page:
            if 15 < c["size"] < 17 and c["mm_top"] < TYPE_BOTTOM:
                lines.setdefault(round(c["mm_top"] * 4), []).append(c)
        tops = sorted(lines)
        leads += [(b - a) / 4 for a, b in itertools.pairwise(tops) if (b - a) / 4 < 11]
        for line in lines.values():
            line.sort(key=lambda c: c["x0"])
            pitches += [
                b["mm_x0"] - a["mm_x0"]
                for a, b in itertools.pairwise(line)
                if "\u4e00" <= a["text"] <= "\u9fff" and "\u4e00" <= b["text"] <= "\u9fff"
            ]
    assert len(pitches) > 100 and len(leads) > 5
    natural = sorted(pitches)[len(pitches) // 10]  # justified lines only ever stretch
    assert natural == pytest.approx(15.75 * 25.4 / 72, abs=0.02)
    assert min(pitches) >= natural - 0.03
    assert 28 * natural <= TYPE_RIGHT - TYPE_LEFT < 29 * natural
    assert all(lead == pytest.approx(579 / 20 * 25.4 / 72, abs=0.3) for lead in leads), leads


def test_the_table_runs_over_pages_with_its_header(long: Path) -> None:
    pages = measure(long)
    assert len(pages) >= 2
    with_rows = [p for p in pages if "网格工作站" in "".join(w.text for w in p.body)]
    assert len(with_rows) >= 2
    for page in with_rows:  # the header row is repeated on every page of the table
        text = "".join(w.text for w in page.body)
        assert "序号供稿单位采用篇数领导批示获批示篇数" in text, page.number
    everything = "".join(w.text for p in pages for w in p.words)
    assert all(unit in everything for unit in UNITS)
    assert "合计" in everything


def test_page_numbers_as_the_bulletin(long: Path) -> None:
    pages = measure(long)
    for page in pages:
        footer = page.footer
        assert "".join(w.text for w in footer) == f"—{page.number}—", page.number
        if page.number % 2:
            assert max(w.x1 for w in footer) == pytest.approx(TYPE_RIGHT - 4.94, abs=0.8)
        else:
            assert min(w.x0 for w in footer) == pytest.approx(TYPE_LEFT + 4.94, abs=0.8)
        middle = (min(w.top for w in footer) + max(w.bottom for w in footer)) / 2
        assert middle - TYPE_BOTTOM == pytest.approx(7.0, abs=1.5)


@pytest.mark.parametrize(("which", "issuer"), [("short", "区委办"), ("long", "测试区党政办公室")])
def test_the_signature_of_an_unsealed_document(
    which: str, issuer: str, request: pytest.FixtureRequest
) -> None:
    """GB/T 9704 §7.3.5.2: the issuer two characters from the right, the date starting two
    characters right of the issuer's start; a date longer than the issuer keeps two from the
    right and the issuer is spaced out. Never alone on a page."""
    pages = measure(request.getfixturevalue(which))
    lines = pages[-1].body_lines()
    signed = next(
        line for line in lines if "".join(w.text for w in line).replace(" ", "") == issuer
    )
    date = lines[lines.index(signed) + 1]
    assert "".join(w.text for w in date) == "2019年3月31日"
    right = TYPE_RIGHT - 2 * CHAR
    if which == "short":
        assert max(w.x1 for w in date) == pytest.approx(right, abs=1.0)
        assert max(w.x1 for w in signed) == pytest.approx(right, abs=1.5)
    else:
        assert max(w.x1 for w in signed) == pytest.approx(right, abs=1.0)
    shift = min(w.x0 for w in date) - min(w.x0 for w in signed)
    assert shift == pytest.approx(2 * CHAR, abs=3.0)
    above = lines[: lines.index(signed)]
    assert above, "the signature stands alone on its page"
    assert "".join(w.text for w in above[-1]).startswith("请各单位")


def test_the_same_numbers_give_the_same_bytes(short: Path, tmp_path: Path) -> None:
    again = report(short.parent / "ws", tmp_path / "again.pdf")
    assert again.read_bytes() == short.read_bytes()
    # the date of the PDF is the DOCX's, read without another LibreOffice run
    args = ["-C", str(short.parent / "ws"), "stats", "--from", "2019-01", "--to", "2019-03"]
    dated = tmp_path / "dated.docx"
    result = CliRunner().invoke(
        app, [*args, "--out", str(dated), "--format", "docx", "--date", "2019-04-08"]
    )
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(dated) as package:
        document = package.read("word/document.xml").decode("utf-8")
    assert "2019年4月8日" in re.sub(r"<[^>]+>", "", document)
    assert "2019年3月31日" not in re.sub(r"<[^>]+>", "", document)
