"""Property-based fuzzing (hypothesis) over articles, front matter, settings and file kinds.

Properties:

* no uncaught exception in load, check, build or ``--fix``;
* ``check`` clean ⇒ ``build`` succeeds; every DOCX re-opens (python-docx) and every HTML
  parses strictly (html5lib) and is inert;
* ``--fix`` is idempotent and changes only punctuation and width characters, never a token
  other than plain text (links, URLs, code, escapes, pictures stay byte-identical);
* the DOCX reader reads or refuses any WordprocessingML (odd nesting, values, numbering and
  style chains), never raises anything else, and no numbering label outgrows a label.

CI runs a few hundred examples (derandomized, so a failure reproduces). For a long run:
``BRIEFING_FUZZ_EXAMPLES=10000 python -m pytest tests/hostile/test_fuzz.py``.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from briefing.proofread.fix import fix_files, fix_text, token_signature
from tests.factory import SAMPLE_PNG
from tests.hostile.helpers import ISSUE_ID, SETTINGS, build_if_clean, check, workspace

CORPUS = Path(__file__).parent / "corpus" / "pictures"
LONG_RUN = os.environ.get("BRIEFING_FUZZ_EXAMPLES")
PROGRESS = os.environ.get("BRIEFING_FUZZ_PROGRESS")  # a file: examples run so far, per test
_counts: dict[str, int] = {}


def tick(name: str) -> None:
    """Count an example; with ``BRIEFING_FUZZ_PROGRESS`` set, write the count every 100."""
    _counts[name] = _counts.get(name, 0) + 1
    if PROGRESS and _counts[name] % 100 == 0:
        Path(f"{PROGRESS}.{name}").write_text(str(_counts[name]), encoding="ascii")


def fuzz_settings(examples: int):  # type: ignore[no-untyped-def]
    return settings(
        max_examples=int(LONG_RUN) if LONG_RUN else examples,
        deadline=None,
        derandomize=not LONG_RUN,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )


WORDS = ["今年以来", "街道", "推进", "群众", "一是", "二是", "改革", "工作", "成效明显", "中文"]
MARKS = [",", ".", ";", ":", "?", "!", "(", ")", "...", "--", "—", "―", "…", "·", "．"]
MARKS += [" ", "  ", "\t", "，", "。", "（", "）", "“", "”", "《", "》", "、", '"', "'"]
WIDTH = ["１２３", "ＡＢｃ", "2018", "1.5", "9:30", "1,000", "abc", "Word", "x-y", "26个"]
INLINE = [
    "`code, x`",
    "``a ` b``",
    "`多行\n代码,中文`",
    "[文字](http://a.b/c,d)",
    "[文字]( http://x.y/a,b )",
    "[文字](<http://x y/a,b>)",
    "[注1]",
    "[注1][文字](http://u.v/(1),2)",
    '[链接,中文](http://a.b "标题,中文")',
    "![图,注](images/p.png)",
    "<http://a.b/x,y>",
    "http://www.a.cn/x,y;z",
    "a@b.cn",
    "**",
    "*",
    "_",
    "~~",
    "\\(",
    "\\)",
    "\\,",
    "\\",
    "<!-- 注,释 -->",
    "$f(x),y$",
    "\\(a,b\\)",
    "<script>alert(1)</script>",
    "<b>",
    "&amp;",
    "&#0;",
    "&#x1;",
    "[x]: http://a.b",
]
CONTROLS = ["\x01", "\x00", "\x7f", "\x85", "\ufffe", "\u2028", "\r", "\x1b"]
PREFIXES = ["", "", "", "# ", "## ", "- ", "1. ", "> ", "    ", "> - ", "  - ", "| ", "```", "---"]

fragment = st.one_of(
    st.sampled_from(WORDS),
    st.sampled_from(MARKS),
    st.sampled_from(WIDTH),
    st.sampled_from(INLINE),
    st.text(alphabet="中文,.()（）:; -`*[]", max_size=6),
)
line = st.builds(
    lambda prefix, parts: prefix + "".join(parts),
    st.sampled_from(PREFIXES),
    st.lists(fragment, max_size=8),
)
body = st.lists(
    st.one_of(line, st.just(""), st.just("| a | b |\n|---|---|\n| 中文,后 | `x,中文` |")),
    min_size=1,
    max_size=12,
).map("\n".join)
dirty_body = st.builds(
    lambda text, controls, at: "正文开头。\n" + text[:at] + "".join(controls) + text[at:],
    body,
    st.one_of(
        st.just([]), st.just([]), st.just([]), st.lists(st.sampled_from(CONTROLS), max_size=2)
    ),
    st.integers(0, 200),
)
short = st.lists(
    st.one_of(st.sampled_from(WORDS), st.sampled_from(MARKS[:14]), st.sampled_from(WIDTH)),
    min_size=1,
    max_size=5,
).map("".join)


@st.composite
def yaml_value(draw, text=short):  # type: ignore[no-untyped-def]
    if draw(st.integers(0, 9)) < 6:  # mostly well-formed, so that many examples build
        return json.dumps(draw(text), ensure_ascii=False)
    value = draw(
        st.one_of(
            text,
            st.sampled_from(
                [
                    "<script>x</script>",
                    "a: b",
                    "- x",
                    "[1",
                    "&a x",
                    "*a",
                    "|",
                    "'",
                    "\x01",
                    "",
                    "~",
                    "2018-02-30",
                ]
            ),
        )
    )
    style = draw(st.sampled_from(["plain", "double", "single", "block"]))
    if style == "double":
        return json.dumps(value, ensure_ascii=False)
    if style == "single":
        return "'" + value.replace("'", "''") + "'"
    if style == "block":
        return "|\n  " + value.replace("\n", "\n  ")
    return value


@st.composite
def article_file(draw) -> tuple[str, bytes]:  # type: ignore[no-untyped-def]
    fields = {"title": draw(yaml_value()), "source": draw(yaml_value())}
    for key in draw(
        st.lists(
            st.sampled_from(["subtitle", "column", "note", "author", "order", "titel"]),
            max_size=2,
            unique=True,
        )
    ):
        fields[key] = draw(st.one_of(yaml_value(), st.sampled_from(["1", "-3", "x", "9" * 40])))
    text_body = draw(dirty_body)
    front = "\n".join(f"{k}: {v}" for k, v in fields.items())
    if draw(st.booleans()):
        name = "01-a.md"
        text = f"---\n{front}\n---\n\n{text_body}\n"
    else:
        name = "01-a.yaml"
        text = f"{front}\nbody: |\n  " + text_body.replace("\n", "\n  ") + "\n"
    encoding = draw(
        st.sampled_from(["utf-8"] * 6 + ["utf-8-sig", "crlf", "crlf", "gb18030", "utf-16"])
    )
    if encoding == "crlf":
        return name, text.replace("\n", "\r\n").encode("utf-8", "surrogatepass")
    return name, text.encode(encoding, "replace")


def settings_file(name: str, issuer: str, extra: str) -> str:
    base = SETTINGS.replace("测试区信息", name).replace("测试区党政办公室", issuer)
    return base + extra


settings_text = st.one_of(
    st.just(SETTINGS),
    st.just(SETTINGS),
    st.builds(
        settings_file,
        yaml_value(),
        yaml_value(),
        st.sampled_from(
            [
                "",
                "nmae: x\n",
                "checks:\n  severity: {T101: error}\n",
                "copies: 5\n",
                "readership: <i>领导</i>\n",
                "classification: '内部'\n",
            ]
        ),
    ),
)
PICTURES = {
    "good": SAMPLE_PNG.read_bytes(),
    "truncated": (CORPUS / "truncated.jpg").read_bytes(),
    "bare": (CORPUS / "bare-signature.png").read_bytes(),
    "text": b"not a picture",
    "bomb": (CORPUS / "bomb.png").read_bytes(),
}


@fuzz_settings(25)
@given(article=article_file(), config=settings_text, picture=st.sampled_from([None, *PICTURES]))
def test_check_build_and_fix_never_crash(article, config, picture) -> None:  # type: ignore[no-untyped-def]
    tick("build")
    name, data = article
    files: dict[str, str | bytes] = {"briefing.yaml": config, f"issues/{ISSUE_ID}/{name}": data}
    if picture is not None:
        files[f"issues/{ISSUE_ID}/images/p.png"] = PICTURES[picture]
    with tempfile.TemporaryDirectory() as tmp:
        root = workspace(Path(tmp) / "ws", files)
        ws = check(root)
        built = build_if_clean(ws, Path(tmp) / "out")
        event("built" if built else "refused")
        if picture in ("truncated", "bare", "text", "bomb") and uses_picture(ws):
            assert not built  # check refused the broken picture, so build never saw it
        list(fix_files(root, [], write=True))
        assert list(fix_files(root, [], write=True)) == []  # a second --fix changes nothing
        check(root)


def uses_picture(ws) -> bool:  # type: ignore[no-untyped-def]
    from briefing.model import images

    loaded = ws.find(ISSUE_ID)
    articles = loaded.articles if loaded is not None else ()
    return any(image.src == "images/p.png" for a in articles for image in images(a.blocks))


# What --fix may touch here: half- and full-width marks, spaces next to them, ellipsis and
# dash forms, range connectors (— ～), and the width of digits and letters. Removing all of
# them (and folding the width) must leave the text unchanged. (The fuzzed text holds no
# 错别字 of the list, no 3千 and no range with % or 万: those fixes have tests of their own.)
PUNCTUATION = ",.;:?!() \t…⋯·．-—―－─–~～〜。，；：？！（）"
FOLD = {cp: cp - 0xFEE0 for cp in range(0xFF10, 0xFF5B)} | {ord(ch): None for ch in PUNCTUATION}


def without_punctuation(text: str) -> str:
    return text.translate(FOLD)


@fuzz_settings(150)
@given(text=body)
def test_fix_changes_only_punctuation_outside_code_and_links(text: str) -> None:
    tick("fix")
    fixed, changes = fix_text(text, kind="md")
    again, more = fix_text(fixed, kind="md")
    assert again == fixed and more == []
    assert fixed.count("\n") == text.count("\n")
    assert bool(changes) == (fixed != text)
    if fixed == text:
        return
    assert token_signature(fixed) == token_signature(text)
    assert without_punctuation(fixed) == without_punctuation(text)


@fuzz_settings(40)
@given(article=article_file())
def test_fix_text_on_whole_files_is_idempotent(article) -> None:  # type: ignore[no-untyped-def]
    tick("files")
    name, data = article
    try:
        text = data.decode("utf-8-sig").replace("\r\n", "\n")
    except UnicodeDecodeError:
        return
    kind = "md" if name.endswith(".md") else "yaml"
    fixed, _ = fix_text(text, kind=kind)
    assert fix_text(fixed, kind=kind) == (fixed, [])


# --------------------------------------------------------------------------- round two (#22)

text_cell = st.text(st.characters(blacklist_categories=("Cs",)), max_size=12)
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")


@fuzz_settings(40)
@given(
    names=st.lists(
        st.one_of(text_cell, st.sampled_from(FORMULA_START).map(lambda c: c + "1")),
        min_size=1,
        max_size=5,
        unique=True,
    )
)
def test_spreadsheet_cells_are_never_formulas(names: list[str]) -> None:
    import csv
    import io

    from openpyxl import load_workbook

    from briefing.stats import GroupBy, Period, Stats, StatsRow, to_csv, to_xlsx

    tick("spreadsheet")
    stats = Stats(GroupBy.source, Period(), False, tuple(StatsRow(n, 1, 2, 1) for n in names), 1)
    rows = list(csv.reader(io.StringIO(to_csv(stats), newline="")))[1:]
    for name, row in zip(names, rows, strict=True):
        assert row[1] in (name, "'" + name)
        assert not row[1].lstrip(" ").startswith(FORMULA_START)
        assert row[2:] == ["1", "2", "1"]
    # read-only: openpyxl's chart reader takes a category such as "0\r" for a number
    book = load_workbook(io.BytesIO(to_xlsx(stats)), read_only=True)
    rows = list(book.active.iter_rows(min_row=4, max_row=3 + len(names)))
    for name, row in zip(names, rows, strict=True):
        assert row[1].data_type == "s" or (row[1].value is None and name == "")
        assert row[2].data_type == "n"
    book.close()


@fuzz_settings(200)
@given(text=st.text())
def test_printed_text_holds_no_control_character(text: str) -> None:
    from briefing.cli.report import _UNPRINTABLE, printable

    shown = printable(text)
    assert not _UNPRINTABLE.search(shown)
    assert printable(shown) == shown
    assert printable(text, lines=True).count("\n") == text.count("\n")


@fuzz_settings(200)
@given(
    host=st.one_of(
        st.text(max_size=30),
        st.sampled_from(["127.0.0.1", "localhost", "[::1]"]).map(lambda h: h + ":8123"),
    )
)
def test_only_the_preview_host_names_are_answered(host: str) -> None:
    from briefing.preview import allowed_host

    expected = host.strip().lower() in {"127.0.0.1:8123", "localhost:8123", "[::1]:8123"}
    assert allowed_host(host, 8123) == expected


json_value = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=8)),
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=10,
)
valid_name = st.one_of(
    st.sampled_from(["01-a.md", "issue.yaml", "images/a.png", "x.txt"]).map(
        lambda n: f"issues/{ISSUE_ID}/{n}"
    ),
    st.sampled_from(["shared/logo.png", "a.JPG"]),
)
input_name = st.one_of(
    valid_name,
    valid_name,
    st.text(max_size=20),
    st.builds(
        "/".join,
        st.lists(
            st.sampled_from(
                ["issues", ISSUE_ID, "..", ".", "", "images", "a.png", "01.md", "/etc", "C:"]
            ),
            min_size=1,
            max_size=5,
        ),
    ),
)
good_entry = st.fixed_dictionaries({"sha256": st.sampled_from(["0" * 64, "a" * 64])})
entry = st.one_of(
    good_entry,
    good_entry,
    good_entry,
    st.fixed_dictionaries({"sha256": st.text(max_size=70)}),
    json_value,
)


@st.composite
def manifest_text(draw) -> str:  # type: ignore[no-untyped-def]
    kind = draw(st.integers(0, 3))
    if kind == 0:
        return draw(st.text(max_size=200))
    if kind == 1:
        return json.dumps(draw(json_value))
    data = {
        "format": "briefing-manifest/1",
        "inputs": draw(st.dictionaries(input_name, entry, max_size=4)),
        "settings": draw(
            st.dictionaries(st.sampled_from(["briefing.yaml", "templates/html/a.css"]), good_entry)
            if draw(st.booleans())
            else st.dictionaries(input_name, entry, max_size=2)
        ),
        "outputs": {},
    }
    text = json.dumps(
        data, ensure_ascii=draw(st.booleans()), indent=draw(st.sampled_from([None, 2]))
    )
    if kind == 3:  # nested deeper than any record
        depth = draw(st.integers(1, 3000))
        text = text[:-1] + ', "x": ' + "[" * depth + "]" * depth + "}"
    return text


@fuzz_settings(80)
@given(text=manifest_text())
def test_any_manifest_is_read_or_refused_at_a_line_and_names_only_the_workspace(text: str) -> None:
    from briefing.load import CONFIG_NAME
    from briefing.manifest import ManifestProblem, changed_inputs, read_manifest
    from tests.hostile.helpers import opened_files, opened_under

    tick("manifest")
    with tempfile.TemporaryDirectory() as tmp:
        root = workspace(
            Path(tmp) / "ws",
            {f"issues/{ISSUE_ID}/01-a.md": "---\ntitle: 标题\nsource: 局\n---\n\n正文。\n"},
        )
        (Path(tmp) / "outside.txt").write_text("elsewhere", encoding="utf-8")
        issue = root / "issues" / ISSUE_ID
        (issue / "manifest.json").write_text(text, encoding="utf-8", errors="surrogatepass")
        problem: ManifestProblem | None = None
        try:
            manifest = read_manifest(issue, root)
        except ManifestProblem as refused:
            problem = refused
        if problem is not None:
            event("refused")
            assert problem.line >= 1 and problem.column >= 1
            assert problem.line <= text.count("\n") + 1
            return
        event("read")
        assert manifest is not None
        for name in manifest.inputs:
            assert ".." not in name.split("/") and not name.startswith("/")
        assert all(n == CONFIG_NAME or n.startswith("templates/") for n in manifest.settings)
        ws = check(root)
        loaded = ws.find(ISSUE_ID)
        assert loaded is not None
        with opened_files() as seen:
            changed_inputs(manifest, loaded, root)
        assert opened_under(seen, Path(tmp)) == opened_under(seen, root)  # nothing outside


@st.composite
def damage(draw) -> list[tuple[int, int]]:  # type: ignore[no-untyped-def]
    return draw(
        st.lists(st.tuples(st.integers(0, 60_000), st.integers(1, 255)), min_size=1, max_size=6)
    )


@pytest.fixture(scope="module")
def indexed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A workspace with a built search index, copied by every example."""
    from briefing.search import make_query, search

    root = workspace(
        tmp_path_factory.mktemp("indexed") / "ws",
        {
            f"issues/{ISSUE_ID}/01-a.md": "---\ntitle: 网格化\nsource: 长河街道\n---\n\n网格员走访群众。\n",
            f"issues/{ISSUE_ID}/02-b.md": "---\ntitle: 蜗牛工程\nsource: 建设局\n---\n\n蜗牛工程与网格。\n",
        },
    )
    search(root, make_query(["网格"], None, None))
    return root


@fuzz_settings(60)
@given(flips=damage(), cut=st.one_of(st.none(), st.integers(0, 60_000)))
def test_a_damaged_search_index_never_changes_the_answer(indexed: Path, flips, cut) -> None:  # type: ignore[no-untyped-def]
    import shutil

    from briefing.load import load_settings
    from briefing.rules import Reporter
    from briefing.search import make_query, scan, search

    tick("index")
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "ws"
        shutil.copytree(indexed, root)
        index = root / ".briefing" / "search.sqlite"
        data = bytearray(index.read_bytes())
        for offset, value in flips:
            if offset < len(data):
                data[offset] ^= value
        index.write_bytes(bytes(data[:cut] if cut is not None else data))
        query = make_query(["网格"], None, None)
        found = search(root, query)
        assert found.hits == scan(root, load_settings(root, Reporter()), query)
        event("rebuilt" if found.notices else "unharmed")
        assert len(found.notices) <= 1


@fuzz_settings(20)
@given(
    flips=st.lists(st.tuples(st.integers(0, 400), st.integers(1, 255)), max_size=4),
    tail=st.sampled_from([b"", b"<html>", b"\0\0", b"PK\x03\x04"]),
    cut=st.one_of(st.none(), st.integers(8, 400)),
)
def test_import_writes_only_pictures_that_decode(flips, tail: bytes, cut) -> None:  # type: ignore[no-untyped-def]
    import zipfile

    from briefing.importing.batch import import_files
    from briefing.load import load_settings
    from briefing.pictures import BadPicture, verify_picture_bytes
    from briefing.rules import Reporter
    from tests.importing import submissions as sub

    tick("import")
    data = bytearray(SAMPLE_PNG.read_bytes())
    for offset, value in flips:
        if offset < len(data):
            data[offset] ^= value
    picture = bytes(data[:cut] if cut is not None else data) + tail
    with tempfile.TemporaryDirectory() as tmp:
        root = workspace(Path(tmp) / "ws", {})
        source = sub.manual_submission(Path(tmp) / "src.docx")
        file = Path(tmp) / "单位-稿件.docx"
        with zipfile.ZipFile(source) as old, zipfile.ZipFile(file, "w") as new:
            for item in old.infolist():
                new.writestr(
                    item,
                    picture
                    if item.filename == "word/media/image1.png"
                    else old.read(item.filename),
                )
        report = import_files(load_settings(root, Reporter()), [file])
        written = (
            list((root / "issues" / ISSUE_ID / "images").glob("*"))
            if (root / "issues" / ISSUE_ID / "images").exists()
            else []
        )
        try:
            verify_picture_bytes(picture)
            decodes = True
        except BadPicture:
            decodes = False
        event("imported" if written else "refused")
        if decodes:
            assert not report.failed and len(written) == 1
            assert written[0].read_bytes() == picture
        else:
            assert report.failed and written == []
            assert not list((root / "issues" / ISSUE_ID).glob("*.md"))


# --------------------------------------------------------------------------- WordprocessingML

_ODD_VALUES = ["", "0", "1", "8", "9", "-1", "x", "99999999", "100000000", "1e3", "%1", "true"]
_FORMATS = ["decimal", "upperLetter", "lowerRoman", "chineseCounting", "chineseLegalSimplified"]
_FORMATS += ["decimalEnclosedCircle", "ideographTraditional", "none", "bullet", "bogus", ""]
_STYLE_IDS = ["", "a", "b", "c", "Heading1"]
_DRAWING_NAMES = (
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
)


def _element(tag: str, attributes: dict[str, str], children: list[str]) -> str:
    shown = "".join(f' {name}="{value}"' for name, value in attributes.items())
    return f"<{tag}{shown}>{''.join(children)}</{tag}>"


_val = st.fixed_dictionaries({}, optional={"w:val": st.sampled_from(_ODD_VALUES)})
_leaf = st.one_of(
    st.builds(lambda a: _element("w:t", {}, [a]), st.sampled_from(["字", "", "A b", "&amp;"])),
    st.builds(lambda a: _element("w:ilvl", a, []), _val),
    st.builds(lambda a: _element("w:numId", a, []), _val),
    st.builds(lambda a: _element("w:sz", a, []), _val),
    st.builds(lambda a: _element("w:b", a, []), _val),
    st.builds(lambda a: _element("w:jc", a, []), _val),
    st.builds(lambda a: _element("w:outlineLvl", a, []), _val),
    st.builds(lambda v: _element("w:pStyle", {"w:val": v}, []), st.sampled_from(_STYLE_IDS)),
    st.sampled_from(["<w:br/>", '<w:br w:type="page"/>', "<w:tab/>", "<w:cr/>"]),
    st.builds(
        lambda r: _element("w:drawing", {}, [f'<a:blip {_DRAWING_NAMES} r:embed="{r}"/>']),
        st.sampled_from(["rId1", "rIdX", ""]),
    ),
)
_CONTAINERS = ["w:p", "w:r", "w:pPr", "w:rPr", "w:numPr", "w:tbl", "w:tr", "w:tc", "w:sdt"]
_CONTAINERS += ["w:sdtContent", "w:customXml", "w:hyperlink", "w:ins", "w:txbxContent"]
_body_xml = st.recursive(
    _leaf,
    lambda inner: st.builds(
        lambda tag, children: _element(tag, {}, children),
        st.sampled_from(_CONTAINERS),
        st.lists(inner, max_size=4),
    ),
    max_leaves=20,
)
_level = st.builds(
    lambda ilvl, fmt, text, start: _element(
        "w:lvl",
        ilvl,
        [
            f'<w:start w:val="{start}"/>',
            f'<w:numFmt w:val="{fmt}"/>',
            f'<w:lvlText w:val="{text}"/>',
        ],
    ),
    st.fixed_dictionaries({}, optional={"w:ilvl": st.sampled_from(_ODD_VALUES)}),
    st.sampled_from(_FORMATS),
    st.sampled_from(["%1.", "（%2）", "%1.%9", "%1" * 40, "", "第%1章"]),
    st.sampled_from(_ODD_VALUES),
)
_numbering_xml = st.builds(
    lambda levels, ids: (
        _element("w:abstractNum", {"w:abstractNumId": "0"}, levels)
        + "".join(f'<w:num w:numId="{i}"><w:abstractNumId w:val="0"/></w:num>' for i in ids)
    ),
    st.lists(_level, max_size=5),
    st.lists(st.sampled_from(_ODD_VALUES), max_size=3),
)
_styles_xml = st.lists(
    st.builds(
        lambda sid, base, body: _element(
            "w:style",
            {"w:type": "paragraph", "w:styleId": sid},
            [f'<w:basedOn w:val="{base}"/>', body],
        ),
        st.sampled_from(_STYLE_IDS),
        st.sampled_from(_STYLE_IDS),
        st.sampled_from(
            ["", "<w:rPr><w:b/></w:rPr>", '<w:pPr><w:numPr><w:numId w:val="1"/></w:numPr></w:pPr>']
        ),
    ),
    max_size=5,
).map("".join)


@fuzz_settings(150)
@given(body=st.lists(_body_xml, max_size=6), numbering=_numbering_xml, styles=_styles_xml)
def test_any_wordprocessingml_is_read_or_refused(
    body: list[str], numbering: str, styles: str
) -> None:
    from briefing.importing.docx_reader import read_docx
    from briefing.importing.recognise import recognise
    from briefing.importing.source import Para, Unreadable
    from tests.importing.test_docx_formats import _docx

    tick("wordml")
    data = _docx("".join(body), styles=styles, numbering=numbering)
    try:
        document = read_docx(data)
    except Unreadable:
        event("refused")
        return
    labels = [item.auto_number for item in document.items if isinstance(item, Para)]
    assert all(len(label) <= 64 * 11 for label in labels)  # 64 characters, 10 letters each
    recognise(document)
    event("read")
