"""PDF edition: the DOCX converted by LibreOffice (``soffice --headless --convert-to pdf``).

Each conversion gets its own throwaway LibreOffice profile (``-env:UserInstallation``), so
parallel builds never hand their work to one another's running instance, and its own
fontconfig file (``FONTCONFIG_FILE``): the shipped ``templates/fonts.conf`` maps 仿宋_GB2312,
楷体_GB2312, 黑体, 方正小标宋简体 … onto free Debian faces instead of LibreOffice's default
substitution (Noto *Sans* CJK for everything).
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from briefing.errors import UsageError
from briefing.render.reproducible import normalise_pdf
from briefing.templates import template_path

INSTALL_HINT = "请安装 LibreOffice：apt-get install libreoffice-writer-nogui（Debian/Ubuntu）"

_EXTRA_LOCATIONS = (
    "/usr/lib/libreoffice/program/soffice",
    "/opt/libreoffice/program/soffice",
    "/Applications/LibreOffice.app/Contents/MacOS/soffice",
)


def find_soffice() -> str | None:
    """Path of the LibreOffice executable, or None when it is not installed."""
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    for candidate in _EXTRA_LOCATIONS:
        if os.access(candidate, os.X_OK):
            return candidate
    return None


def soffice_env(fonts_conf: Path | None) -> dict[str, str]:
    """Environment for a LibreOffice or fontconfig child process using *fonts_conf*."""
    env = dict(os.environ)
    if fonts_conf is not None and fonts_conf.is_file():
        env["FONTCONFIG_FILE"] = str(fonts_conf)
    return env


def convert_to_pdf(
    docx: Path,
    pdf: Path,
    *,
    fonts_conf: Path | None = None,
    timeout: float = 180,
    stamp: dt.datetime | None = None,
) -> None:
    """Convert *docx* to *pdf* with LibreOffice; *pdf* appears complete or not at all.

    With *stamp*, the PDF's dates and ``/ID`` are rewritten from it (see
    :mod:`briefing.render.reproducible`), so the same DOCX always gives the same bytes.
    Raises ``UsageError`` (exit 2: an environment problem) when LibreOffice is missing, times
    out or fails.
    """
    soffice = find_soffice()
    if soffice is None:
        raise UsageError(f"未找到 LibreOffice（soffice），无法生成 PDF。{INSTALL_HINT}")
    if fonts_conf is None:
        fonts_conf = template_path("fonts.conf")
    with tempfile.TemporaryDirectory(prefix="briefing-soffice-") as tmp:
        work = Path(tmp)
        outdir = work / "out"
        outdir.mkdir()
        command = [
            soffice,
            f"-env:UserInstallation={(work / 'profile').as_uri()}",
            "--headless",
            "--invisible",
            "--nologo",
            "--nodefault",
            "--norestore",
            "--nolockcheck",
            "--convert-to",
            # keep the blank page LibreOffice inserts before an even-page section (the 版记
            # with imprint_on_even_page): a double-sided print needs it; skipped by default
            'pdf:writer_pdf_Export:{"IsSkipEmptyPages":{"type":"boolean","value":"false"}}',
            "--outdir",
            str(outdir),
            str(docx.resolve()),
        ]
        env = soffice_env(fonts_conf)
        env["HOME"] = str(work)  # LibreOffice may write caches under $HOME; keep them temporary
        env["TZ"] = "UTC"  # the PDF date suffix is then always "Z'", whatever the machine's zone
        returncode, output = _run(command, env, timeout)
        produced = outdir / f"{docx.stem}.pdf"
        if returncode != 0 or not produced.is_file() or produced.stat().st_size == 0:
            detail = _tail(output)
            raise UsageError(
                f"LibreOffice 转换 PDF 失败（退出码 {returncode}）：{docx.name}"
                + (f"\n{detail}" if detail else "")
            )
        # copy next to the target, then rename: a reader never sees a half-written PDF
        staging = pdf.with_name(f".{pdf.name}.tmp")
        try:
            if stamp is None:
                shutil.copyfile(produced, staging)
            else:
                staging.write_bytes(normalise_pdf(produced.read_bytes(), stamp))
            os.replace(staging, pdf)
        finally:
            staging.unlink(missing_ok=True)


_PAGE_OBJECT = re.compile(rb"/Type\s*/Page(?![a-zA-Z])")


def page_count(pdf: Path) -> int:
    """Pages of a PDF written by LibreOffice (its page objects are never compressed)."""
    return len(_PAGE_OBJECT.findall(pdf.read_bytes()))


def _run(command: list[str], env: dict[str, str], timeout: float) -> tuple[int, str]:
    """Run LibreOffice in its own process group so a timeout kills soffice.bin as well."""
    try:
        process = subprocess.Popen(
            command,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    except OSError as exc:
        raise UsageError(f"无法启动 LibreOffice（{command[0]}）：{exc}。{INSTALL_HINT}") from exc
    try:
        out, _ = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        _kill_group(process)
        process.communicate()
        raise UsageError(
            f"LibreOffice 转换 PDF 超时（超过 {timeout:g} 秒），已终止。"
            "可能有另一个 LibreOffice 卡住，或文档过大。"
        ) from None
    return process.returncode, out.decode("utf-8", "replace")


def _kill_group(process: subprocess.Popen[bytes]) -> None:
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError, AttributeError):
        process.kill()


def _tail(output: str, lines: int = 5) -> str:
    # the javaldx warning is printed on every run and says nothing about the failure
    kept = [line for line in output.splitlines() if line.strip() and "javaldx" not in line]
    return "\n".join(kept[-lines:])
