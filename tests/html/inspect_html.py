"""Shared checks for the HTML tests: strict parsing, inertness, self-containment, golden files."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from xml.etree.ElementTree import Element

import html5lib

from tests import golden

GOLDEN = Path(__file__).parent / "golden"

# Elements that run code, load something or change how URLs resolve: never in our output.
ACTIVE_ELEMENTS = {
    "script",
    "iframe",
    "frame",
    "object",
    "embed",
    "applet",
    "base",
    "form",
    "link",
    "svg",
    "math",
    "template",
    "video",
    "audio",
    "source",
    "track",
}
URL_ATTRIBUTES = {
    "href",
    "src",
    "action",
    "formaction",
    "poster",
    "srcset",
    "data",
    "xlink:href",
    "background",
    "cite",
    "ping",
    "longdesc",
}
DATA_IMAGE = re.compile(r"^data:image/(png|jpeg|gif|bmp);base64,[A-Za-z0-9+/=]+$")


def parse(text: str) -> Element:
    """Parse with html5lib in strict mode: any HTML5 parse error raises."""
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
    return parser.parse(text)


def scheme_of(url: str) -> str | None:
    """The scheme a browser would see: whitespace and controls removed, lower case."""
    cleaned = "".join(ch for ch in url if ch.isprintable() and not ch.isspace()).lower()
    match = re.match(r"^([a-z][a-z0-9+.\-]*):", cleaned)
    return match.group(1) if match else None


def problems(root: Element) -> list[str]:
    """Everything that would make the page active or non-self-contained."""
    found = []
    for el in root.iter():
        tag = str(el.tag).lower()
        if tag in ACTIVE_ELEMENTS:
            found.append(f"active element <{tag}>")
        if tag == "meta" and (el.get("http-equiv") or "").lower() == "refresh":
            found.append("meta refresh")
        for name, value in el.attrib.items():
            lname = name.lower()
            if lname.startswith("on"):
                found.append(f"event handler {name}= on <{tag}>")
            if lname == "style":
                found.append(f"style attribute on <{tag}>")
            if lname in URL_ATTRIBUTES:
                found.extend(_url_problems(tag, lname, value))
        if tag == "style":
            css = el.text or ""
            if re.search(r"url\s*\(|@import|expression\s*\(|</", css, re.IGNORECASE):
                found.append("stylesheet loads or escapes something")
    return found


def _url_problems(tag: str, name: str, value: str) -> list[str]:
    scheme = scheme_of(value)
    if name == "src":
        if not DATA_IMAGE.match(value):
            return [f"<{tag} src> is not an embedded picture: {value[:60]!r}"]
        return []
    if name == "href" and tag == "a":
        if scheme is None:
            head = re.split(r"[/?#]", value, maxsplit=1)[0]
            return [f"ambiguous relative href {value!r}"] if ":" in head else []
        if scheme in {"http", "https", "mailto"}:
            return []
        return [f"<a href> with scheme {scheme}: {value[:60]!r}"]
    return [f"unexpected URL attribute {name} on <{tag}>"]


# The Content-Security-Policy every page we write carries: nothing loads, nothing runs; only
# embedded pictures and the inline stylesheet are allowed.
EXPECTED_CSP = {
    "default-src": ["'none'"],
    "img-src": ["data:"],
    "style-src": ["'unsafe-inline'"],
    "base-uri": ["'none'"],
    "form-action": ["'none'"],
}


def csp_policy(root: Element) -> dict[str, list[str]]:
    """The page's CSP as ``{directive: sources}``; it must be one ``<meta>`` in ``<head>``
    placed before anything it governs (a meta CSP does not apply to what precedes it)."""
    head = root.find("head")
    assert head is not None, "no <head>"
    metas = [
        el
        for el in root.iter("meta")
        if (el.get("http-equiv") or "").lower() == "content-security-policy"
    ]
    assert len(metas) == 1, f"{len(metas)} CSP <meta> elements"
    children = list(head)
    assert metas[0] in children, "the CSP <meta> is not in <head>"
    governed = [i for i, el in enumerate(children) if el.tag in ("style", "title")]
    assert children.index(metas[0]) < min(governed, default=len(children))
    policy: dict[str, list[str]] = {}
    for directive in (metas[0].get("content") or "").split(";"):
        name, *sources = directive.split()
        policy[name.lower()] = sources
    return policy


def text_of(root: Element) -> str:
    return "".join(root.itertext())


def normalise(html: str) -> str:
    """Golden form: the stylesheet and picture bytes summarised, the markup kept verbatim."""
    html = re.sub(r"(<style>\n).*?(</style>)", r"\1/* stylesheet */\n\2", html, flags=re.DOTALL)

    def picture(match: re.Match[str]) -> str:
        digest = hashlib.sha256(match.group(2).encode()).hexdigest()[:16]
        return f"{match.group(1)}<{len(match.group(2))} base64 chars, sha256 {digest}>"

    return re.sub(r"(data:image/[a-z]+;base64,)([A-Za-z0-9+/=]+)", picture, html)


def check_golden(name: str, actual: str) -> None:
    """Compare with tests/html/golden/<name> (see :mod:`tests.golden`)."""
    golden.check_golden(GOLDEN / name, actual)
