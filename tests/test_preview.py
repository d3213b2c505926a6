"""``briefing preview``: the warm rebuild, the served page, the server and a clean Ctrl-C."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from briefing import preview
from briefing.build import bulletin_for, resolve_issue
from briefing.check import check_workspace
from briefing.errors import UsageError
from briefing.preview import PreviewSession, inject, open_server
from briefing.render.html import html_document
from briefing.workspace import select
from tests.children import Children, briefing_env, interrupt_preview, listening_addresses
from tests.conftest import BASE_CONFIG, GOOD_ARTICLE, issue_yaml

ISSUE = "issues/2018-028/"
SECOND = """\
---
title: 社区开展垃圾分类宣传
source: 滨文社区
---

社区组织志愿者入户宣传,共发放资料300份。
"""
BROKEN = "---\ntitle: [\n---\n正文。\n"


@pytest.fixture
def workspace(make_workspace) -> Path:  # type: ignore[no-untyped-def]
    return make_workspace(
        {
            "issues/2018-027/issue.yaml": issue_yaml(27, 645, date="2018-12-10"),
            "issues/2018-027/01.md": GOOD_ARTICLE,
            ISSUE + "issue.yaml": issue_yaml(),
            ISSUE + "01-grid.md": GOOD_ARTICLE,
            ISSUE + "02-waste.md": SECOND,
        },
        # 2018-027 is an issue of this workspace, so the migration point is the one before it
        config=BASE_CONFIG.replace("number: 27, total: 645", "number: 26, total: 644"),
    )


def expected_findings(root: Path) -> list:
    checked = check_workspace(root)
    return sorted(checked.diagnostics, key=lambda d: d.sort_key())


def test_first_build_is_the_html_edition_with_panel_and_script(workspace: Path) -> None:
    page = PreviewSession(workspace).start()
    assert page.ok and page.version == 1
    checked = check_workspace(workspace)
    loaded = resolve_issue(checked, None)
    built = html_document(bulletin_for(checked, loaded), workspace_root=workspace)
    shown = select(list(page.findings), [loaded.dir], workspace)
    again = inject(built, shown, workspace, 1)
    assert page.html.replace(_nonce(page.html), "N") == again.replace(_nonce(again), "N")
    assert "街道推行网格化管理" in page.html
    assert 'id="briefing-preview"' in page.html and "<script nonce=" in page.html
    assert "script-src 'nonce-" in page.html and "connect-src 'self'" in page.html
    # the built document itself has no script and keeps its strict policy
    assert "<script" not in built and "script-src" not in built
    strict = built.split('content="', 1)[1].split('"', 1)[0]
    relaxed = page.html.split('content="', 1)[1].split('"', 1)[0]
    assert (
        page.html.replace(relaxed, strict).split('<aside id="briefing-preview"')[0]
        == (built.rsplit("</body>", 1)[0])
    )


def _nonce(text: str) -> str:
    return text.split("nonce-", 1)[1].split("'", 1)[0]


def test_findings_are_those_of_check_and_the_panel_shows_file_and_line(workspace: Path) -> None:
    session = PreviewSession(workspace)
    page = session.start()
    assert list(page.findings) == expected_findings(workspace)
    panel = page.html.split('<aside id="briefing-preview"', 1)[1].split("</aside>", 1)[0]
    items = [line for line in panel.splitlines() if line.startswith("<li")]
    assert items == [
        '<li class="warning"><code>issues/2018-028/02-waste.md:6:12</code> <b>T101</b> '
        "“入户宣传,共发放资”中的半角逗号“,”应改为全角“，”</li>"
    ]


def test_an_edited_article_is_reparsed_alone_and_matches_check(
    workspace: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    session = PreviewSession(workspace)
    session.start()
    loads: list[str] = []
    original = preview.load_article

    def counting(path, settings, reporter):  # type: ignore[no-untyped-def]
        loads.append(path.name)
        return original(path, settings, reporter)

    monkeypatch.setattr(preview, "load_article", counting)
    edited = workspace / ISSUE / "02-waste.md"
    edited.write_text(SECOND.replace("300份。", "300份,现场答疑50人次。"), encoding="utf-8")
    page = session.rebuild({edited})
    assert loads == ["02-waste.md"]
    assert "现场答疑50人次" in page.html and page.version == 2
    assert list(page.findings) == expected_findings(workspace)


def test_a_broken_article_shows_the_error_and_the_preview_recovers(workspace: Path) -> None:
    session = PreviewSession(workspace)
    session.start()
    broken = workspace / ISSUE / "03-broken.md"
    broken.write_text(BROKEN, encoding="utf-8")
    page = session.rebuild({broken})
    assert not page.ok
    assert "无法生成本期简报" in page.html
    assert "issues/2018-028/03-broken.md:3:1" in page.html and "F002" in page.html
    assert "<script nonce=" in page.html  # it still reloads when fixed
    broken.unlink()
    page = session.rebuild({broken})
    assert page.ok and "街道推行网格化管理" in page.html
    assert list(page.findings) == expected_findings(workspace)


def test_a_settings_change_rebuilds_from_scratch(workspace: Path) -> None:
    session = PreviewSession(workspace)
    session.start()
    config = workspace / "briefing.yaml"
    config.write_text(
        config.read_text(encoding="utf-8").replace("测试区信息", "滨江信息"), encoding="utf-8"
    )
    page = session.rebuild({config})
    assert "滨江信息" in page.html
    config.write_text("name: [\n", encoding="utf-8")
    page = session.rebuild({config})
    assert not page.ok and "briefing.yaml" in page.html


def test_an_unexpected_failure_is_shown_not_raised(
    workspace: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    session = PreviewSession(workspace)
    session.start()

    def explode(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise ValueError("坏了")

    monkeypatch.setattr(session, "_render", explode)
    page = session.rebuild({workspace / ISSUE / "01-grid.md"})
    assert not page.ok and "内部错误：ValueError: 坏了" in page.html


def test_an_unknown_issue_is_a_usage_error(workspace: Path) -> None:
    with pytest.raises(UsageError):
        PreviewSession(workspace, "2030-001").start()


def test_the_named_issue_is_previewed(workspace: Path) -> None:
    page = PreviewSession(workspace, "2018-027").start()
    assert "第二十七期" in page.html


def test_only_articles_of_the_folder_are_warm(workspace: Path) -> None:
    session = PreviewSession(workspace)
    session.start()
    folder = (workspace / ISSUE).resolve()
    assert session._only_articles({folder / "01-grid.md", folder / "new.yaml"})
    assert not session._only_articles({folder / "issue.yaml"})
    assert not session._only_articles({folder / "images" / "a.png"})
    assert not session._only_articles({folder / "notes.txt"})
    assert not session._only_articles({folder / ".01-grid.md.swp"})
    assert not session._only_articles(None)


def test_watch_filter_skips_build_output_and_hidden_files(workspace: Path) -> None:
    from watchfiles import Change

    wanted = preview.watch_filter(workspace.resolve())
    root = workspace.resolve()
    assert wanted(Change.modified, str(root / ISSUE / "01-grid.md"))
    assert not wanted(Change.modified, str(root / "build" / "2018-028" / "2018-028.html"))
    assert not wanted(Change.modified, str(root / ".briefing-cache" / "x"))
    assert not wanted(Change.modified, str(root / ISSUE / ".01-grid.md.swp"))


# --------------------------------------------------------------------------- server


@contextlib.contextmanager
def serving(session: PreviewSession) -> Iterator[str]:
    """*session* served over HTTP, as ``briefing preview`` serves it; its URL."""
    server = open_server(session)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        thread.join(10)
        server.server_close()
    assert not thread.is_alive()


@pytest.fixture
def served(workspace: Path) -> Iterator[tuple[str, PreviewSession, threading.Event]]:
    session = PreviewSession(workspace)
    session.start()
    stop = threading.Event()
    watcher = threading.Thread(target=preview.watch, args=(session, stop))
    with serving(session) as url:
        watcher.start()
        try:
            yield url, session, stop
        finally:
            stop.set()
            watcher.join(10)
    assert not watcher.is_alive()


def get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8")


def test_the_server_serves_the_page_and_its_version_on_localhost(served) -> None:  # type: ignore[no-untyped-def]
    url, session, _ = served
    assert url.startswith("http://127.0.0.1:")
    status, body = get(url)
    assert status == 200 and body == session.page.html
    assert get(url + "__version") == (200, "1")
    assert get(url + "other")[0] == 404


def test_a_save_on_disk_is_rebuilt_by_the_watcher(served, workspace: Path) -> None:  # type: ignore[no-untyped-def]
    url, _, _ = served
    time.sleep(0.3)  # let the watcher start
    (workspace / ISSUE / "01-grid.md").write_text(
        GOOD_ARTICLE.replace("42个网格", "43个网格"), encoding="utf-8"
    )
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and "43个网格" not in get(url)[1]:
        time.sleep(0.05)
    assert "43个网格" in get(url)[1]
    assert int(get(url + "__version")[1]) >= 2


def test_before_the_first_build_the_server_answers_503(workspace: Path) -> None:
    with serving(PreviewSession(workspace)) as url:
        assert get(url)[0] == 503


@pytest.mark.parametrize("level", ["error", "warning"])
def test_the_panel_escapes_what_a_finding_quotes(make_workspace, level: str) -> None:  # type: ignore[no-untyped-def]
    """A title and a file name are the contributor's text: in the panel they are text, not
    markup, on the error page (M005 an error) and on the built edition (a warning)."""
    planted = GOOD_ARTICLE.replace("街道推行网格化管理", "<script>alert(1)</script>")
    root = make_workspace(
        {
            ISSUE + "issue.yaml": issue_yaml(),
            ISSUE + "01-<b>粗.md": planted,
            ISSUE + "02.md": planted,
        },
        config=BASE_CONFIG + f"checks:\n  severity:\n    M005: {level}\n",
    )
    session = PreviewSession(root)
    assert session.start().ok is (level == "warning")
    with serving(session) as url:
        status, page = get(url)
    assert status == 200
    panel = page.split('<aside id="briefing-preview"', 1)[1].split("</aside>", 1)[0]
    assert (
        "<code>issues/2018-028/02.md:2:8</code> <b>M005</b> "
        "标题“&lt;script&gt;alert(1)&lt;/script&gt;”与 01-&lt;b&gt;粗.md 重复</li>"
    ) in panel
    assert "<script>alert" not in page and "<b>粗" not in page


# --------------------------------------------------------------------------- the command


def test_the_command_listens_on_loopback_only_and_stops_on_ctrl_c(
    workspace: Path, children: Children
) -> None:
    process = children.briefing(["-C", str(workspace), "preview"])
    assert process.stdout is not None
    line = process.stdout.readline()
    assert line.startswith("预览地址：http://127.0.0.1:"), line
    url = line.split("：", 1)[1].strip()
    port = int(url.rstrip("/").rsplit(":", 1)[1])
    # what the kernel has bound, not what the command printed
    assert listening_addresses(process.pid) == {("127.0.0.1", port)}
    assert get(url)[0] == 200
    err = interrupt_preview(process)
    assert "按 Ctrl-C 停止" in err


def test_the_server_is_bound_to_loopback(workspace: Path) -> None:
    server = open_server(PreviewSession(workspace))
    try:
        port = server.server_address[1]
        ours = {address for address in listening_addresses(os.getpid()) if address[1] == port}
        assert ours == {("127.0.0.1", port)}
    finally:
        server.server_close()


def test_a_busy_port_is_a_usage_error(workspace: Path) -> None:
    blocker = open_server(PreviewSession(workspace))
    try:
        port = blocker.server_address[1]
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "briefing",
                "-C",
                str(workspace),
                "preview",
                "--port",
                str(port),
            ],
            capture_output=True,
            text=True,
            env=briefing_env(),
            timeout=30,
        )
    finally:
        blocker.server_close()
    assert done.returncode == 2, done.stderr
    assert f"无法在端口 {port} 上启动预览" in done.stderr
    assert "Traceback" not in done.stderr
