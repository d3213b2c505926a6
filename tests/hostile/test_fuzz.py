"""Property-based fuzzing (hypothesis) over articles, front matter, settings and file kinds.

Properties:

* no uncaught exception in load, check, build or ``--fix``;
* ``check`` clean ⇒ ``build`` succeeds; every DOCX re-opens (python-docx) and every HTML
  parses strictly (html5lib) and is inert;
* ``--fix`` is idempotent and changes only punctuation and width characters, never a token
  other than plain text (links, URLs, code, escapes, pictures stay byte-identical).

CI runs a few hundred examples (derandomized, so a failure reproduces). For a long run:
``BRIEFING_FUZZ_EXAMPLES=10000 python -m pytest tests/hostile/test_fuzz.py``.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

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
