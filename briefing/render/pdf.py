"""PDF edition: the DOCX converted by LibreOffice (``soffice --headless --convert-to pdf``).

``soffice_convert`` (one file) and ``soffice_convert_many`` (one LibreOffice run for several)
are the one cold LibreOffice runner; ``briefing import`` uses them too, to turn .doc/.wps/.rtf/.odt
submissions into DOCX. A LibreOffice kept running (:mod:`briefing.render.office`: the preview's warm
converter, a batch) is started with the same options and environment (:func:`soffice_launch`)
and converts to the same :class:`Target` with the same filter options, so either path gives the
same bytes (:mod:`briefing.render.reproducible` evens out the one difference there is).

Each conversion gets its own throwaway LibreOffice profile (``-env:UserInstallation``), so
parallel builds never hand their work to one another's running instance, and its own
fontconfig file (``FONTCONFIG_FILE``): the shipped ``templates/fonts.conf`` maps 仿宋_GB2312,
楷体_GB2312, 黑体, 方正小标宋简体 … onto free Debian faces instead of LibreOffice's default
substitution (Noto *Sans* CJK for everything).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from briefing.errors import UsageError
from briefing.render.reproducible import NotReproducible, canonical_font_ids, normalise_pdf
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


@dataclass(frozen=True, slots=True)
class Target:
    """What LibreOffice converts to: the file suffix, the export filter and its options."""

    suffix: str
    filter: str
    what: str  # the format's name in messages: PDF, DOCX
    options: tuple[tuple[str, bool], ...] = ()

    def convert_to(self) -> str:
        """The ``--convert-to`` argument: ``pdf:writer_pdf_Export:{"Option":{…}}``."""
        if not self.options:
            return f"{self.suffix}:{self.filter}"
        data = {
            name: {"type": "boolean", "value": "true" if value else "false"}
            for name, value in self.options
        }
        return f"{self.suffix}:{self.filter}:{json.dumps(data, separators=(',', ':'))}"

    def uno_options(self) -> list[tuple[str, str, str]]:
        """The options as ``(name, type, value)`` for the UNO bridge (``office_bridge.py``)."""
        return [(name, "boolean", "true" if value else "false") for name, value in self.options]


# keep the blank page LibreOffice inserts before an even-page section (the 版记 with
# imprint_on_even_page): a double-sided print needs it; skipped by default
PDF = Target("pdf", "writer_pdf_Export", "PDF", (("IsSkipEmptyPages", False),))
DOCX = Target("docx", "MS Word 2007 XML", "DOCX")


class Converter(Protocol):
    """Anything that converts a document with LibreOffice: the cold ``soffice --convert-to``
    (:class:`ColdConverter`), a LibreOffice session of this process, or the preview's warm one
    (:mod:`briefing.render.converter`)."""

    def convert(self, source: Path, target: Target, *, timeout: float) -> bytes:
        """The converted document; ``UsageError`` when LibreOffice is missing, hangs or crashes,
        ``ConversionFailed`` when it produced nothing from *source*."""
        ...


@dataclass(frozen=True, slots=True)
class ColdConverter:
    """One ``soffice --convert-to`` run per document: today's path without a warm LibreOffice."""

    fonts_conf: Path | None = None

    def convert(self, source: Path, target: Target, *, timeout: float) -> bytes:
        with soffice_convert(
            source,
            target.convert_to(),
            target.suffix,
            fonts_conf=self.fonts_conf,
            timeout=timeout,
            what=target.what,
        ) as produced:
            return produced.read_bytes()


def convert_to_pdf(
    docx: Path,
    pdf: Path,
    *,
    fonts_conf: Path | None = None,
    timeout: float = 180,
    stamp: dt.datetime | None = None,
    converter: Converter | None = None,
) -> None:
    """Convert *docx* to *pdf* with LibreOffice; *pdf* appears complete or not at all.

    *converter* defaults to a cold ``soffice --convert-to``. With *stamp*, the PDF's dates and
    ``/ID`` are rewritten from it (see :mod:`briefing.render.reproducible`), so the same DOCX
    always gives the same bytes. A PDF from a running LibreOffice that cannot be brought to the
    cold path's bytes is converted again, cold. Raises ``UsageError`` (exit 2: an environment
    problem) when LibreOffice is missing, times out or fails.
    """
    cold = ColdConverter(fonts_conf)
    data = (converter or cold).convert(docx, PDF, timeout=timeout)
    try:
        data = canonical_font_ids(data) if stamp is None else normalise_pdf(data, stamp)
    except NotReproducible:
        if converter is None:
            raise
        data = cold.convert(docx, PDF, timeout=timeout)
        data = canonical_font_ids(data) if stamp is None else normalise_pdf(data, stamp)
    # write next to the target, then rename: a reader never sees a half-written PDF
    staging = pdf.with_name(f".{pdf.name}.tmp")
    try:
        staging.write_bytes(data)
        os.replace(staging, pdf)
    finally:
        staging.unlink(missing_ok=True)


class ConversionFailed(UsageError):
    """LibreOffice ran but produced nothing usable (the input, not the machine, may be at fault)."""


@contextmanager
def soffice_convert(
    source: Path,
    convert_to: str,
    suffix: str,
    *,
    fonts_conf: Path | None = None,
    timeout: float = 180,
    what: str,
) -> Iterator[Path]:
    """Run ``soffice --convert-to <convert_to>`` on *source*; yield the produced file.

    The one LibreOffice runner (PDF export, ``briefing import`` of .doc/.wps/.rtf/.odt): a
    throwaway profile and ``$HOME``, our fontconfig file, its own process group. The produced
    file lives in a temporary folder removed when the ``with`` block ends. *what* names the
    target format in messages (PDF, DOCX). Raises ``UsageError`` when LibreOffice is missing
    or times out, ``ConversionFailed`` when it produced nothing.
    """
    soffice = find_soffice()
    if soffice is None:
        raise UsageError(f"未找到 LibreOffice（soffice），无法生成 {what}。{INSTALL_HINT}")
    if fonts_conf is None:
        fonts_conf = template_path("fonts.conf")
    with work_folder() as tmp:
        work = Path(tmp)
        outdir = work / "out"
        outdir.mkdir()
        command, env = _soffice_command(soffice, work, convert_to, outdir, [source], fonts_conf)
        returncode, output = _run(command, env, timeout, what, work)
        produced = outdir / f"{source.stem}.{suffix}"
        if returncode != 0 or not produced.is_file() or produced.stat().st_size == 0:
            detail = _tail(output)
            raise ConversionFailed(
                f"LibreOffice 转换 {what} 失败（退出码 {returncode}）：{source.name}"
                + (f"\n{detail}" if detail else "")
            )
        yield produced


@contextmanager
def soffice_convert_many(
    sources: Sequence[Path], convert_to: str, suffix: str, *, timeout: float, what: str
) -> Iterator[dict[Path, Path | None]]:
    """Convert several files in one LibreOffice run (one start-up instead of one per file).

    Yields each source's produced file, or ``None`` where LibreOffice produced nothing. The
    sources are staged under numbered names, so two files with the same stem never collide.
    Raises ``UsageError`` when LibreOffice is missing or the whole run times out.
    """
    soffice = find_soffice()
    if soffice is None:
        raise UsageError(f"未找到 LibreOffice（soffice），无法生成 {what}。{INSTALL_HINT}")
    with work_folder() as tmp:
        work = Path(tmp)
        staged, outdir = work / "in", work / "out"
        staged.mkdir()
        outdir.mkdir()
        inputs = []
        for index, source in enumerate(sources):
            inputs.append(staged / f"{index}{source.suffix.lower()}")
            shutil.copyfile(source, inputs[-1])
        command, env = _soffice_command(
            soffice, work, convert_to, outdir, inputs, template_path("fonts.conf")
        )
        _run(command, env, timeout, what, work)
        produced = {}
        for index, source in enumerate(sources):
            out = outdir / f"{index}.{suffix}"
            produced[source] = out if out.is_file() and out.stat().st_size else None
        yield produced


def soffice_launch(
    soffice: str, work: Path, fonts_conf: Path | None
) -> tuple[list[str], dict[str, str]]:
    """The LibreOffice command line (without what it should do) and environment of every run,
    cold or kept running: a throwaway profile and ``$HOME`` in *work*, our fontconfig file."""
    command = [
        soffice,
        f"-env:UserInstallation={(work / 'profile').as_uri()}",
        "--headless",
        "--invisible",
        "--nologo",
        "--nodefault",
        "--norestore",
        "--nolockcheck",
    ]
    env = soffice_env(fonts_conf)
    env["HOME"] = str(work)  # LibreOffice may write caches under $HOME; keep them temporary
    env["TZ"] = "UTC"  # the PDF date suffix is then always "Z'", whatever the machine's zone
    return command, env


def _soffice_command(
    soffice: str,
    work: Path,
    convert_to: str,
    outdir: Path,
    inputs: Sequence[Path],
    fonts_conf: Path | None,
) -> tuple[list[str], dict[str, str]]:
    command, env = soffice_launch(soffice, work, fonts_conf)
    command += [
        "--convert-to",
        convert_to,
        "--outdir",
        str(outdir),
        *(str(path.resolve()) for path in inputs),
    ]
    return command, env


_PAGE_OBJECT = re.compile(rb"/Type\s*/Page(?![a-zA-Z])")


def page_count(pdf: Path) -> int:
    """Pages of a PDF written by LibreOffice (its page objects are never compressed)."""
    return len(_PAGE_OBJECT.findall(pdf.read_bytes()))


def work_folder() -> tempfile.TemporaryDirectory[str]:
    """A throwaway folder for one LibreOffice run (profile, $HOME, output), named after this
    process so that the next run can remove it if this one is killed (``kill -9``)."""
    from briefing.cleanup import SOFFICE_PREFIX, remove_stale_soffice_profiles

    remove_stale_soffice_profiles()
    return tempfile.TemporaryDirectory(prefix=f"{SOFFICE_PREFIX}{os.getpid()}-")


def _run(
    command: list[str], env: dict[str, str], timeout: float, what: str, work: Path | None = None
) -> tuple[int, str]:
    """Run LibreOffice in its own process group so a timeout kills soffice.bin as well.

    Any interruption (Ctrl-C, SIGTERM turned into an exception by the CLI) kills the group too:
    LibreOffice runs in its own session, so the terminal's signal never reaches it.
    """
    # Ctrl-C or SIGTERM while Popen is still starting LibreOffice would leave it running with
    # nobody holding its pid: hold them back until the process is ours to kill.
    held = hold_signals()
    try:
        process = subprocess.Popen(
            command,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            preexec_fn=(lambda: release_signals(held)) if held is not None else None,
        )
    except OSError as exc:
        release_signals(held)
        raise UsageError(f"无法启动 LibreOffice（{command[0]}）：{exc}。{INSTALL_HINT}") from exc
    try:
        release_signals(held)  # a Ctrl-C that came meanwhile is raised here
        if work is not None:
            from briefing.cleanup import SOFFICE_PID_FILE

            (work / SOFFICE_PID_FILE).write_text(str(process.pid), encoding="ascii")
        out, _ = process.communicate(timeout=timeout)
    except BaseException as exc:
        kill_group(process)
        process.communicate()
        if not isinstance(exc, subprocess.TimeoutExpired):
            raise
        raise UsageError(
            f"LibreOffice 转换 {what} 超时（超过 {timeout:g} 秒），已终止。"
            "可能有另一个 LibreOffice 卡住，或文档过大。"
        ) from None
    return process.returncode, out.decode("utf-8", "replace")


def hold_signals() -> set[int] | None:
    """Block SIGINT and SIGTERM (POSIX); returns the previous mask, or ``None`` when unsupported."""
    if not hasattr(signal, "pthread_sigmask"):  # pragma: no cover - Windows
        return None
    return signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})


def release_signals(held: set[int] | None) -> None:
    if held is not None:
        signal.pthread_sigmask(signal.SIG_SETMASK, held)


def kill_group(process: subprocess.Popen[bytes]) -> None:
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError, AttributeError):
        process.kill()


def _tail(output: str, lines: int = 5) -> str:
    # the javaldx warning is printed on every run and says nothing about the failure
    kept = [line for line in output.splitlines() if line.strip() and "javaldx" not in line]
    return "\n".join(kept[-lines:])
