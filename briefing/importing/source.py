"""The neutral document model the readers produce and ``recognise`` consumes.

A submission is a sequence of paragraphs and tables. A paragraph keeps only what recognition
needs: its runs (text, bold, soft breaks), alignment, the largest font size, the East Asian
faces used, its style name and any pictures in it. Plain text files produce the same model
with no formatting at all.
"""

from __future__ import annotations

from dataclasses import dataclass, field

BREAK = "\n"  # a soft line break (w:br) inside a paragraph, joined when the text is written

# Bounds on what an import reads: a submission is a few pages, not a data dump.
MAX_FILE_BYTES = 50 * 1024 * 1024  # a Word file with a dozen photos is well under 20 MB
MAX_TEXT_BYTES = 5 * 1024 * 1024  # plain text: five million bytes is a long book
MAX_UNPACKED_BYTES = 200 * 1024 * 1024  # all parts of a DOCX together, once unzipped
MAX_PARTS = 2000  # zip members of one DOCX
MAX_RATIO = 200  # unzipped/zipped size of one large member beyond which it is a zip bomb


@dataclass(frozen=True, slots=True)
class Picture:
    """An embedded picture: its bytes and kind (``png``, ``jpeg``… read from the bytes, or the
    part's file extension when they are no known picture, empty when it has none). A picture the document refers to
    but does not hold has no bytes and says why (*missing*), or is *linked* to a file
    elsewhere (Word's “链接到文件”)."""

    data: bytes
    ext: str
    missing: str | None = None
    linked: bool = False


@dataclass(frozen=True, slots=True)
class Run:
    """Text with one formatting; ``text == BREAK`` is a soft line break."""

    text: str
    bold: bool = False


@dataclass(frozen=True, slots=True)
class Para:
    """One paragraph of the submission. *number* counts paragraphs (DOCX) or lines (text)."""

    runs: tuple[Run, ...]
    number: int
    align: str | None = None  # left | center | right | both
    size: float | None = None  # largest font size of the visible text, in points
    fonts: frozenset[str] = frozenset()  # East Asian faces of the visible text
    style: str = ""  # style name, lower case ("title", "heading 1", "标题 1", "编者按")
    outline: int | None = None  # heading level 1-9 from a heading style or w:outlineLvl
    pictures: tuple[Picture, ...] = ()
    auto_number: str = ""  # text Word generates for a numbered paragraph (w:numPr), if any

    @property
    def text(self) -> str:
        """The visible text with soft breaks still in it."""
        return "".join(run.text for run in self.runs)

    @property
    def bold(self) -> bool:
        """Every visible character is bold."""
        visible = [run for run in self.runs if run.text.strip() and run.text != BREAK]
        return bool(visible) and all(run.bold for run in visible)


@dataclass(frozen=True, slots=True)
class Table:
    """A table as rows of cell texts (merged cells repeat as empty cells)."""

    rows: tuple[tuple[str, ...], ...]
    number: int
    styles: frozenset[str] = frozenset()  # paragraph styles used inside, to spot our 版记


TEXT_KIND = "文本"  # ends the kind of every plain-text file: "UTF-8 文本", "GB18030 文本"


def plain_text_kind(kind: str) -> bool:
    """Whether a document of *kind* came from a text file (read line by line)."""
    return kind.endswith(TEXT_KIND)


@dataclass(frozen=True, slots=True)
class Document:
    """What a reader got out of one file."""

    items: tuple[Para | Table, ...]
    kind: str  # shown to the editor: "DOCX", "UTF-8 文本", "GB18030 文本" …
    styles: frozenset[str] = field(default_factory=frozenset)  # style ids the file defines

    @property
    def is_plain_text(self) -> bool:
        """A text file: one paragraph per line, no formatting to tell a title or an article by.

        Anything else is a Word document, read directly or converted from .doc/.wps/.rtf/.odt.
        """
        return plain_text_kind(self.kind)

    @property
    def is_bulletin(self) -> bool:
        """A DOCX that ``briefing build`` wrote: masthead, contents, several articles, 版记."""
        return "BriefingMasthead" in self.styles and "BriefingSource" in self.styles


class Unreadable(Exception):
    """The file is not a document we can read; the message is Chinese and names no path."""
