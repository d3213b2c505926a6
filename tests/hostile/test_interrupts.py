"""Ctrl-C and SIGTERM: LibreOffice is stopped, temporary folders are removed, no traceback;
leftovers of a ``kill -9`` are removed by the next run; memory stays bounded on any input."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from tests.children import Children, briefing_env
from tests.hostile.helpers import GOOD, ISSUE_ID, workspace

REPO = Path(__file__).resolve().parents[2]
CORPUS = Path(__file__).parent / "corpus"


@pytest.fixture
def fake_soffice(tmp_path: Path) -> Path:
    """A 'LibreOffice' that records its pid and hangs: the build is always mid-conversion."""
    folder = tmp_path / "bin"
    folder.mkdir()
    script = folder / "soffice"
    script.write_text(
        textwrap.dedent(
            f"""\
            #!/bin/sh
            echo $$ > {tmp_path}/soffice.pid
            sleep 120
            """
        )
    )
    script.chmod(0o755)
    return folder


def start(
    children: Children, args: list[str], tmp_path: Path, bin_dir: Path | None = None
) -> subprocess.Popen[str]:
    """``briefing *args*`` with its own temporary folder (and *bin_dir* first on PATH)."""
    env = briefing_env(TMPDIR=str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir(exist_ok=True)
    if bin_dir is not None:
        env["PATH"] = f"{bin_dir}{os.pathsep}{env['PATH']}"
    return children.briefing(args, env=env)


def wait_for(path: Path, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while not path.exists() or not path.read_text().strip():
        assert time.monotonic() < deadline, f"{path} never appeared"
        time.sleep(0.05)


def dies(pid: int, seconds: float = 5) -> bool:
    deadline = time.monotonic() + seconds
    while alive(pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    return not alive(pid)


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # a zombie that nobody reaped is dead too
    status = Path(f"/proc/{pid}/stat")
    return not (status.exists() and status.read_text().split()[2] == "Z")


@pytest.mark.parametrize(("signum", "code"), [(signal.SIGTERM, 143), (signal.SIGINT, 130)])
def test_signal_during_pdf_build_cleans_up(
    tmp_path: Path, fake_soffice: Path, signum: int, code: int, children: Children
) -> None:
    root = workspace(tmp_path / "ws", {f"issues/{ISSUE_ID}/01-good.md": GOOD})
    process = start(children, ["-C", str(root), "build", "--format", "pdf"], tmp_path, fake_soffice)
    wait_for(tmp_path / "soffice.pid")
    soffice = int((tmp_path / "soffice.pid").read_text())
    process.send_signal(signum)
    _, stderr = process.communicate(timeout=30)
    assert process.returncode == code
    assert "Traceback" not in stderr
    assert dies(soffice)
    assert not list((tmp_path / "tmp").glob("briefing-soffice-*"))
    assert not list((root / "build").glob(".briefing-*"))
    assert not list((root / "build").rglob("*.pdf"))


def test_leftovers_of_a_killed_build_are_removed(
    tmp_path: Path, fake_soffice: Path, children: Children
) -> None:
    root = workspace(tmp_path / "ws", {f"issues/{ISSUE_ID}/01-good.md": GOOD})
    process = start(children, ["-C", str(root), "build", "--format", "pdf"], tmp_path, fake_soffice)
    wait_for(tmp_path / "soffice.pid")
    soffice = int((tmp_path / "soffice.pid").read_text())
    process.kill()  # kill -9: nothing can clean up
    process.communicate(timeout=30)
    assert list((tmp_path / "tmp").glob("briefing-soffice-*"))
    assert list((root / "build").glob(".briefing-*"))
    assert alive(soffice)
    (tmp_path / "soffice.pid").unlink()
    again = start(children, ["-C", str(root), "build", "--format", "pdf"], tmp_path, fake_soffice)
    wait_for(tmp_path / "soffice.pid")
    new_soffice = int((tmp_path / "soffice.pid").read_text())
    # the next run removed the dead run's folders and stopped its orphaned LibreOffice
    staging = list((root / "build").glob(".briefing-*"))
    profiles = list((tmp_path / "tmp").glob("briefing-soffice-*"))
    assert [p.name.split("-")[1] for p in staging] == [str(again.pid)]
    assert [p.name.split("-")[2] for p in profiles] == [str(again.pid)]
    assert dies(soffice)
    again.send_signal(signal.SIGTERM)
    again.communicate(timeout=30)
    assert dies(new_soffice)


# ``briefing site`` that stops between the first issue and the second until a signal comes
MID_SITE = """
import sys, time
import briefing.archive as archive

rendered = archive.bulletin_for

def held(workspace, loaded):
    if loaded.dir.name == "2018-029":
        print("mid-work", flush=True)
        time.sleep(120)
    return rendered(workspace, loaded)

archive.bulletin_for = held
from briefing.__main__ import run
sys.argv = ["briefing", *sys.argv[1:]]
run()
"""


def test_ctrl_c_in_site_prints_no_traceback(tmp_path: Path, children: Children) -> None:
    files: dict[str, str | bytes] = {}
    for n in range(3):
        folder = f"issues/2018-{28 + n:03d}"
        files[f"{folder}/issue.yaml"] = (
            f"year: 2018\nnumber: {28 + n}\ntotal: {646 + n}\ndate: 2018-12-20\n"
        )
        files[f"{folder}/01.md"] = GOOD
    root = workspace(tmp_path / "ws", files)
    process = children.start([sys.executable, "-c", MID_SITE, "-C", str(root), "site"])
    assert process.stdout is not None
    assert process.stdout.readline() == "mid-work\n", process.stderr.read()  # type: ignore[union-attr]
    assert (root / "build" / "2018-028" / "2018-028.html").is_file()
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 130, stderr
    assert "Traceback" not in stderr, stderr
    assert not (root / "build" / "index.html").exists()
    assert not list((root / "build").glob(".briefing-*"))


def test_ctrl_c_while_importing_exits_quietly(monkeypatch: pytest.MonkeyPatch) -> None:
    import builtins

    from briefing.__main__ import run

    real_import = builtins.__import__

    def interrupted(name: str, *args, **kwargs):  # type: ignore[no-untyped-def]
        if name == "briefing.cli":
            raise KeyboardInterrupt
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", interrupted)
    with pytest.raises(SystemExit) as stopped:
        run()
    assert stopped.value.code == 130


def test_check_memory_stays_below_200_mib(tmp_path: Path) -> None:
    """Every hostile input at once, checked in a child process: its peak RSS is measured by a
    fresh parent (so nothing else this test run started counts), under a 1 GiB address-space
    limit so a regression fails instead of exhausting the machine."""
    from briefing.textio import MAX_TEXT_BYTES

    issue = f"issues/{ISSUE_ID}"
    files: dict[str, str | bytes] = {
        f"{issue}/{p.name}": p.read_bytes() for p in (CORPUS / "articles").iterdir()
    }
    files |= {f"{issue}/images/{p.name}": p.read_bytes() for p in (CORPUS / "pictures").iterdir()}
    paragraph = "今年以来，新区聚焦重点工程建设，推动26个项目按期开工，完成投资12.5亿元。" * 5
    count = int(MAX_TEXT_BYTES * 0.95) // (len(paragraph.encode()) + 2)
    files[f"{issue}/zz-large.md"] = (
        "---\ntitle: 大\nsource: 局\n---\n\n" + (paragraph + "\n\n") * count
    )
    files[f"{issue}/zz-laughs-settings.md"] = (
        CORPUS / "settings" / "billion-laughs.F011.yaml"
    ).read_bytes()
    root = workspace(tmp_path / "ws", files)
    assert (root / issue / "zz-large.md").stat().st_size < MAX_TEXT_BYTES
    probe = textwrap.dedent(
        f"""\
        import resource, subprocess, sys
        def limit():
            resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))
        done = subprocess.run(
            [sys.executable, "-m", "briefing", "-C", {str(root)!r}, "check"],
            preexec_fn=limit, capture_output=True, timeout=300,
        )
        print(done.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        timeout=320,
        env=briefing_env(),
    )
    code, peak_kib = (int(x) for x in result.stdout.split())
    assert code == 1, result.stderr
    print(f"check peaked at {peak_kib / 1024:.0f} MiB")
    assert peak_kib < 200 * 1024, f"check peaked at {peak_kib / 1024:.0f} MiB"


@pytest.mark.parametrize(
    ("signum", "code", "said"),
    [(signal.SIGTERM, 143, "预览已停止（收到终止信号）"), (signal.SIGINT, 0, "预览已停止")],
)
def test_preview_says_that_it_stopped(
    tmp_path: Path, signum: int, code: int, said: str, children: Children
) -> None:
    """Ctrl-C is how a preview ends (exit 0); SIGTERM from elsewhere exits 143; both say so."""
    root = workspace(tmp_path / "ws", {f"issues/{ISSUE_ID}/01.md": GOOD})
    process = start(children, ["-C", str(root), "preview"], tmp_path)
    assert process.stdout is not None
    line = process.stdout.readline()
    assert line.startswith("预览地址："), line + process.stderr.read()  # type: ignore[union-attr]
    process.send_signal(signum)
    _, err = process.communicate(timeout=30)
    assert process.returncode == code, err
    assert err.splitlines()[-1] == said, err
    assert "Traceback" not in err
