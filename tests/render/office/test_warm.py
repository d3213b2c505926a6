"""The preview's warm converter serving the workspace: private socket, same bytes, batches."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from briefing.archive import build_archive
from briefing.build import build_issue
from briefing.check import check_workspace
from briefing.render import converter as converter_module
from briefing.render.converter import WarmClient, WarmServer, runtime_folder, warm_socket
from briefing.render.pdf import PDF
from tests.conftest import GOOD_ARTICLE, issue_yaml

pytestmark = pytest.mark.render

EVEN_PAGE = "layout:\n  imprint_on_even_page: true\n"


def no_cold_libreoffice(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise AssertionError("a cold soffice --convert-to ran")

    monkeypatch.setattr("briefing.render.pdf.soffice_convert", refuse)


@pytest.fixture
def private_tmp(monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Sockets of this test in a folder of its own, not the user's real runtime folder (a
    short path: a Unix socket's path has about 100 bytes)."""
    import shutil
    import tempfile

    folder = Path(tempfile.mkdtemp(prefix="brw-"))
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(folder))
    yield folder
    shutil.rmtree(folder)


@pytest.fixture
def server(good_workspace: Path, uno_python: str, private_tmp: Path) -> Iterator[WarmServer]:
    warm = WarmServer(good_workspace)
    assert warm.listen()
    try:
        yield warm
    finally:
        warm.close()


def test_a_pdf_build_goes_to_the_warm_libreoffice_and_gives_the_cold_bytes(
    make_workspace, uno_python: str, private_tmp: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    from tests.conftest import BASE_CONFIG

    root = make_workspace(
        {"issues/2018-028/issue.yaml": issue_yaml(), "issues/2018-028/01-grid.md": GOOD_ARTICLE},
        config=BASE_CONFIG + EVEN_PAGE,
    )
    pdf = root / "build/2018-028/2018-028.pdf"
    build_issue(check_workspace(root), "2018-028", ("pdf",))
    cold = pdf.read_bytes()
    pdf.unlink()
    warm = WarmServer(root)
    try:
        assert warm.listen()
        folder = runtime_folder()
        assert folder is not None
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700
        assert warm.path is not None
        assert stat.S_IMODE(warm.path.stat().st_mode) == 0o600
        with monkeypatch.context() as patch:
            no_cold_libreoffice(patch)
            for _ in range(2):  # the second build meets a LibreOffice that converted before
                build_issue(check_workspace(root), "2018-028", ("pdf",))
                assert pdf.read_bytes() == cold
        assert warm.session.starts == 1
    finally:
        warm.close()
    assert warm_socket(root) is None  # removed with the server


def test_the_socket_folder_must_be_private(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("XDG_RUNTIME_DIR", raising=False)
    monkeypatch.setattr("tempfile.gettempdir", lambda: str(tmp_path))
    shared = tmp_path / f"briefing-{os.getuid()}"
    shared.mkdir(mode=0o755)
    shared.chmod(0o755)
    with pytest.raises(converter_module.NotPrivate):
        runtime_folder()
    (shared / converter_module.socket_name(tmp_path)).write_text("not a socket")
    assert warm_socket(tmp_path) is None  # never used: others could have put it there
    assert WarmClient.find(tmp_path, None) is None


def test_a_server_that_is_gone_leaves_the_cold_path(
    good_workspace: Path, small_docx: Path, private_tmp: Path
) -> None:
    from tests.tools import require_tool

    require_tool("soffice")
    client = WarmClient(private_tmp / "office-gone.sock", None)
    assert client.convert(small_docx, PDF, timeout=120).startswith(b"%PDF-")


def test_a_document_libreoffice_cannot_open_fails_as_cold_does(
    server: WarmServer, tmp_path: Path
) -> None:
    from briefing.render.pdf import ConversionFailed

    broken = tmp_path / "broken.docx"
    broken.write_bytes(b"PK\x03\x04 not really a zip")
    client = WarmClient.find(server.root, None)
    assert client is not None
    with pytest.raises(ConversionFailed):
        client.convert(broken, PDF, timeout=60)


def test_site_pdf_converts_the_archive_in_one_libreoffice(
    make_workspace, uno_python: str, private_tmp: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    root = make_workspace(
        {
            "issues/2018-028/issue.yaml": issue_yaml(),
            "issues/2018-028/01-grid.md": GOOD_ARTICLE,
            "issues/2018-029/issue.yaml": issue_yaml(number=29, total=647, date="2018-12-27"),
            "issues/2018-029/01-grid.md": GOOD_ARTICLE.replace("42个网格", "43个网格"),
        }
    )
    cold = {}
    for issue in ("2018-028", "2018-029"):
        build_issue(check_workspace(root), issue, ("pdf",), root / "cold" / issue)
        cold[issue] = (root / "cold" / issue / f"{issue}.pdf").read_bytes()
    starts: list[int] = []
    real_start = converter_module._SessionOrCold.__init__

    def counting(self, fonts_conf):  # type: ignore[no-untyped-def]
        real_start(self, fonts_conf)
        starts.append(1)

    monkeypatch.setattr(converter_module._SessionOrCold, "__init__", counting)
    no_cold_libreoffice(monkeypatch)
    result = build_archive(root, None, pdf=True)
    assert result.built == ("2018-028", "2018-029")
    assert starts == [1]
    for issue in ("2018-028", "2018-029"):
        assert (root / "build" / issue / f"{issue}.pdf").read_bytes() == cold[issue]
        assert (root / "build" / issue / f"{issue}.html").is_file()


def test_the_server_starts_a_new_libreoffice_after_a_hang(
    server: WarmServer, small_docx: Path
) -> None:
    import signal
    import time

    from briefing.errors import UsageError
    from tests.render.office.conftest import live_in_group, wait_until_gone

    server.convert(small_docx, PDF, timeout=120)
    hung = server.session.group
    assert hung is not None
    for pid in live_in_group(hung):
        os.kill(pid, signal.SIGSTOP)
    with pytest.raises(UsageError, match="超时"):
        server.convert(small_docx, PDF, timeout=3)
    assert wait_until_gone(hung) == []
    deadline = time.monotonic() + 60
    while not server.session.running:  # restarted in the background, before anyone asks
        assert time.monotonic() < deadline
        time.sleep(0.2)
    assert server.convert(small_docx, PDF, timeout=120).startswith(b"%PDF-")


def test_import_of_doc_files_uses_the_warm_libreoffice(
    make_workspace,
    uno_python: str,
    private_tmp: Path,
    doc_submissions: list[Path],
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # type: ignore[no-untyped-def]
    from briefing.importing.batch import import_files
    from briefing.load import load_settings
    from briefing.render import pdf
    from briefing.rules import Reporter
    from tests.importing import submissions as sub

    root = make_workspace({"issues/2018-028/issue.yaml": issue_yaml()})
    warm = WarmServer(root)
    try:
        assert warm.listen()

        def refuse(*args, **kwargs):  # type: ignore[no-untyped-def]
            raise AssertionError("a cold LibreOffice ran")

        monkeypatch.setattr(pdf, "soffice_convert_many", refuse)
        no_cold_libreoffice(monkeypatch)
        report = import_files(load_settings(root, Reporter()), doc_submissions)
    finally:
        warm.close()
    assert [item.kind for item in report.written] == ["DOC→DOCX", "DOC→DOCX"]
    assert report.written[0].article.title == sub.TITLE
    assert warm.session.starts == 1


def test_a_server_whose_libreoffice_cannot_start_converts_cold(
    good_workspace: Path, small_docx: Path, private_tmp: Path
) -> None:
    from briefing.render.office import OfficeSession
    from tests.tools import require_tool

    require_tool("soffice")
    broken = OfficeSession(python="/bin/false", start_timeout=5)  # a "Python" that exits at once
    warm = WarmServer(good_workspace, broken)
    try:
        assert warm.convert(small_docx, PDF, timeout=120).startswith(b"%PDF-")
    finally:
        warm.close()
    assert not broken.running
