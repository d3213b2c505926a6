"""How well the line-break estimate (``briefing/render/docx_lines.py``) predicts LibreOffice.

    python bench/linebreaks.py [--paragraphs 400] [--seed 2018] [--text FILE] [--show 10]

Renders one issue whose article holds generated paragraphs (``bench/prose.py``: dates,
figures, percentages, quotation marks, 《》, enumerations), long 一级标题 (黑体, no tracking),
quotations (楷体, indented) and, every fourth paragraph, the tightened spacing of 挤字; or, with
``--text``, the paragraphs of a plain-text file (one paragraph a line). LibreOffice converts it
to PDF (one call); the printed lines are read back with pdfplumber and compared, paragraph by
paragraph, with the estimate the renderer makes from the same ``document.xml``.

Prints the share of paragraphs whose every break is predicted, the share of paragraphs whose
line count is right, and the share of lines; ``--show`` lists the first mismatches.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from lxml import etree  # noqa: E402
from prose import HEAD1, paragraph  # noqa: E402

from briefing.model import Heading, Paragraph, Quote, Span  # noqa: E402
from briefing.ooxml_names import W, qn  # noqa: E402
from briefing.render import _oxml  # noqa: E402
from briefing.render.docx import render_docx  # noqa: E402
from briefing.render.docx_layout import paragraph_lines  # noqa: E402
from briefing.render.docx_styles import roles  # noqa: E402
from briefing.render.pdf import convert_to_pdf  # noqa: E402
from briefing.templates import template_path  # noqa: E402
from tests.render.layout_corpus import bulletin  # noqa: E402

MM = 25.4 / 72
NS = {"w": W}
TITLE = "行宽估算核对"
TIGHT = -16  # twentieths of a point: 29 characters a line at 三号


def blocks_from_prose(count: int, seed: int) -> list:
    rng = random.Random(seed)
    blocks: list = []
    for i in range(1, count + 1):
        if i % 9 == 0:
            head = "、".join(
                rng.choice(HEAD1).format(
                    unit="", place="", topic="营商环境", slogan="", act="", means="", year=2018
                )
                for _ in range(2)
            )
            blocks.append(Heading(1, (Span(f"{'一二三四五'[i % 5]}、{head}"),), i))
        elif i % 11 == 0:
            blocks.append(Quote((Paragraph((Span(paragraph(rng, 2018)),), i),), i))
        else:
            blocks.append(Paragraph((Span(paragraph(rng, 2018, enumerate_steps=i % 3 == 0)),), i))
    return blocks


def blocks_from_file(path: Path) -> list:
    lines = [line.strip() for line in path.read_text(encoding="utf-8").splitlines()]
    return [Paragraph((Span(line),), i) for i, line in enumerate(lines, 1) if len(line) > 8]


def body_paragraphs(root: etree._Element) -> list[etree._Element]:
    """The article's paragraphs after its title, in order."""
    paragraphs = list(root.iter(qn("w:p")))
    start = next(
        i for i, p in enumerate(paragraphs) if p.find(".//w:pStyle[@w:val='Title']", NS) is not None
    )
    found = []
    for p in paragraphs[start + 1 :]:
        text = "".join(t.text or "" for t in p.iter(qn("w:t")))
        if text.startswith("（") and text.endswith("）") and len(text) < 12:
            break  # the source line
        if text:
            found.append(p)
    return found


def printed_lines(pdf: Path) -> list[str]:
    """Every body line of the PDF from the article title on (footers left out)."""
    import pdfplumber

    lines: list[str] = []
    with pdfplumber.open(pdf) as document:
        for page in document.pages:
            rows: list[list[dict]] = []
            for char in sorted(page.chars, key=lambda c: (c["top"], c["x0"])):
                top = char["top"] * MM
                if top > 263 or not char["text"].strip():
                    continue
                if rows and abs(rows[-1][0]["top"] * MM - top) < 3:
                    rows[-1].append(char)
                else:
                    rows.append([char])
            lines += [
                "".join(c["text"] for c in sorted(row, key=lambda c: c["x0"])) for row in rows
            ]
    start = lines.index(TITLE)
    return lines[start + 1 :]


def _clean(text: str) -> str:
    return text.replace(" ", "").replace("\u200b", "")


def compare(paragraphs: list, printed: list[str], table: dict) -> tuple[int, int, int, int, list]:
    exact = count_ok = lines_ok = lines_total = 0
    misses = []
    cursor = 0
    for p in paragraphs:
        estimate = [_clean(line) for line in paragraph_lines(p, table)]
        whole = "".join(estimate)
        actual: list[str] = []
        while cursor < len(printed) and len("".join(actual)) < len(whole):
            actual.append(_clean(printed[cursor]))
            cursor += 1
        if "".join(actual) != whole:
            raise SystemExit(f"the PDF text does not follow the DOCX at: {whole[:30]}…")
        exact += actual == estimate
        count_ok += len(actual) == len(estimate)
        lines_total += len(actual)
        lines_ok += sum(a == b for a, b in zip(actual, estimate, strict=False))
        if actual != estimate:
            misses.append((estimate, actual))
    return exact, count_ok, lines_ok, lines_total, misses


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--paragraphs", type=int, default=400)
    parser.add_argument("--seed", type=int, default=2018)
    parser.add_argument("--text", type=Path, help="a plain-text file, one paragraph a line")
    parser.add_argument("--show", type=int, default=5)
    args = parser.parse_args()
    blocks = (
        blocks_from_file(args.text) if args.text else blocks_from_prose(args.paragraphs, args.seed)
    )
    with tempfile.TemporaryDirectory() as folder:
        docx, pdf = Path(folder, "lines.docx"), Path(folder, "lines.pdf")
        render_docx(bulletin([(TITLE, None, blocks)]), docx)
        with zipfile.ZipFile(docx) as package:
            parts = {name: package.read(name) for name in package.namelist()}
        root = etree.fromstring(parts["word/document.xml"])
        paragraphs = body_paragraphs(root)
        for i, p in enumerate(paragraphs):
            if i % 4 == 3:
                _oxml.track_runs(p, TIGHT)
        parts["word/document.xml"] = _oxml.serialise(root)
        with zipfile.ZipFile(docx, "w", zipfile.ZIP_DEFLATED) as package:
            for name, data in parts.items():
                package.writestr(name, data)
        convert_to_pdf(docx, pdf, fonts_conf=template_path("fonts.conf"))
        printed = printed_lines(pdf)
    from briefing.model import Fonts

    table = {role.style_id: role for role in roles(Fonts())}
    exact, count_ok, lines_ok, total, misses = compare(paragraphs, printed, table)
    n = len(paragraphs)
    print(f"paragraphs: {n}, lines: {total}")
    print(f"every break right: {exact}/{n} = {exact / n:.1%}")
    print(f"line count right:  {count_ok}/{n} = {count_ok / n:.1%}")
    print(f"lines right:       {lines_ok}/{total} = {lines_ok / total:.1%}")
    for estimate, actual in misses[: args.show]:
        print("estimate:", " | ".join(estimate))
        print("printed: ", " | ".join(actual))


if __name__ == "__main__":
    main()
