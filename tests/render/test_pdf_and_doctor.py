"""``convert_to_pdf`` error paths and ``doctor_report`` (no LibreOffice conversion needed)."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from briefing import doctor
from briefing.doctor import doctor_report
from briefing.errors import UsageError
from briefing.model import Fonts
from briefing.render import pdf
from briefing.templates import template_path
from tests.tools import require_tool


def test_missing_soffice_names_the_debian_package(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(pdf, "find_soffice", lambda: None)
    with pytest.raises(UsageError, match="libreoffice-writer-nogui"):
        pdf.convert_to_pdf(tmp_path / "a.docx", tmp_path / "a.pdf")
    assert not (tmp_path / "a.pdf").exists()


def _fake_soffice(tmp_path: Path, body: str) -> str:
    script = tmp_path / "soffice"
    script.write_text(f"#!/bin/sh\n{body}\n", encoding="utf-8")
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    return str(script)


def test_failed_conversion_is_a_chinese_usage_error(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    fake = _fake_soffice(tmp_path, "echo 'Error: source file could not be loaded' >&2; exit 1")
    monkeypatch.setattr(pdf, "find_soffice", lambda: fake)
    (tmp_path / "a.docx").write_bytes(b"not a docx")
    with pytest.raises(UsageError, match="转换 PDF 失败") as info:
        pdf.convert_to_pdf(tmp_path / "a.docx", tmp_path / "a.pdf")
    assert "could not be loaded" in str(info.value)
    assert not (tmp_path / "a.pdf").exists()


def test_timeout_kills_soffice(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    fake = _fake_soffice(tmp_path, "sleep 30")
    monkeypatch.setattr(pdf, "find_soffice", lambda: fake)
    (tmp_path / "a.docx").write_bytes(b"x")
    with pytest.raises(UsageError, match="超时"):
        pdf.convert_to_pdf(tmp_path / "a.docx", tmp_path / "a.pdf", timeout=0.5)


def test_fake_soffice_output_is_moved_into_place(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # the script writes <outdir>/<stem>.pdf like soffice does; check FONTCONFIG_FILE reaches it
    fake = _fake_soffice(
        tmp_path,
        'while [ "$1" != "--outdir" ]; do shift; done; printf "%%PDF-1.4 %s" "$FONTCONFIG_FILE" > "$2/a.pdf"',
    )
    monkeypatch.setattr(pdf, "find_soffice", lambda: fake)
    (tmp_path / "a.docx").write_bytes(b"x")
    pdf.convert_to_pdf(tmp_path / "a.docx", tmp_path / "out.pdf")
    content = (tmp_path / "out.pdf").read_text()
    assert content.startswith("%PDF")
    assert content.endswith(str(template_path("fonts.conf")))


def test_shipped_fonts_conf_exists() -> None:
    conf = template_path("fonts.conf")
    text = conf.read_text(encoding="utf-8")
    for name in (
        "方正小标宋简体",
        "仿宋_GB2312",
        "仿宋",
        "FangSong",
        "楷体_GB2312",
        "楷体",
        "KaiTi",
        "黑体",
        "SimHei",
        "宋体",
        "SimSun",
        "Times New Roman",
    ):
        assert f"<string>{name}</string>" in text, name
    assert text.index("<match") < text.index("<include")  # aliases run before the system rules


def test_doctor_report_rows() -> None:
    require_tool("fc-match")
    report = doctor_report(Fonts(), None)
    roles = [row.role for row in report.rows]
    assert roles[:3] == ["报头名称", "文章标题", "正文"]
    by_role = {row.role: row for row in report.rows}
    # the substitutes our fonts.conf maps the GB/T 9704 faces to (fonts .ci/run installs)
    got = {role: (row.requested, row.resolved, row.exact) for role, row in by_role.items()}
    assert got["正文"] == ("仿宋_GB2312", "Noto Serif CJK SC Regular", False)
    assert got["报头名称"] == ("方正小标宋简体", "Noto Serif CJK SC Bold", False)
    assert got["一级标题"] == ("黑体", "Noto Sans CJK SC Regular", False)
    assert got["二级标题"] == ("楷体_GB2312", "AR PL UKai CN Book", False)
    assert got["西文与数字"] == ("Times New Roman", "Liberation Serif Regular", False)
    assert report.fonts_conf == template_path("fonts.conf")


def test_doctor_report_names_an_installed_face_as_exact() -> None:
    require_tool("fc-match")
    report = doctor_report(Fonts(body="Noto Serif CJK SC"), None)
    body = next(row for row in report.rows if row.role == "正文")
    assert (body.resolved, body.exact) == ("Noto Serif CJK SC Regular", True)


def test_doctor_report_without_tools(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(doctor, "find_soffice", lambda: None)
    monkeypatch.setattr(doctor.shutil, "which", lambda name: None)
    report = doctor_report(Fonts(body="某字体"), None)
    assert report.soffice is None
    assert report.soffice_version is None
    body = next(row for row in report.rows if row.role == "正文")
    assert (body.requested, body.resolved, body.exact) == ("某字体", None, False)


def test_doctor_says_why_libreoffice_cannot_be_kept_running(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from typer.testing import CliRunner

    from briefing.cli import app
    from briefing.render.office import UnoPython

    monkeypatch.setattr(
        "briefing.render.office.find_uno_python",
        lambda: UnoPython(None, "没有 uno 模块。请安装 python3-uno"),
    )
    result = CliRunner().invoke(app, ["doctor"])
    assert result.exit_code == 0
    assert (
        "常驻 LibreOffice（预览的印刷版、批量转换）：不可用。没有 uno 模块。请安装 python3-uno"
        in (result.output)
    )


def test_doctor_names_the_python_that_keeps_libreoffice_running(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from typer.testing import CliRunner

    from briefing.cli import app
    from briefing.render.office import UnoPython

    monkeypatch.setenv("XDG_RUNTIME_DIR", str(tmp_path))  # not private: the fallback is used
    monkeypatch.setattr(
        "briefing.render.office.find_uno_python", lambda: UnoPython("/usr/bin/python3", "")
    )
    result = CliRunner().invoke(app, ["doctor"])
    assert "常驻 LibreOffice（预览的印刷版、批量转换）：可用（/usr/bin/python3 带有 uno 模块）" in (
        result.output
    )
