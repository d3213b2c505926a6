"""The 签发 record in detail: what counts as an input, broken records, reasons, roll-back."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from briefing import manifest as man
from briefing import publish as pub
from briefing.build import resolve_issue
from briefing.check import check_workspace
from briefing.errors import InputError, UsageError
from briefing.render.reproducible import issue_timestamp, normalise_pdf
from tests.conftest import GOOD_ARTICLE, REPO, issue_yaml

PNG = (REPO / "tests" / "data" / "images" / "sample.png").read_bytes()


@pytest.fixture
def desk(make_workspace) -> Path:  # type: ignore[no-untyped-def]
    root = make_workspace(
        {
            "issues/2018-028/issue.yaml": issue_yaml().rstrip("\n"),  # no final newline
            "issues/2018-028/01-grid.md": GOOD_ARTICLE
            + "\n> ![图为网格员](../../shared/logo.png)\n",
            "shared/logo.png": PNG,
            "templates/html/extra.css": "p {}\n",
            "issues/2018-028/.DS_Store": "finder",
        }
    )
    return root


def loaded(root: Path):  # type: ignore[no-untyped-def]
    return resolve_issue(check_workspace(root), "2018-028")


def test_inputs_include_pictures_outside_the_folder_but_not_hidden_files(desk: Path) -> None:
    names = list(man.input_files(loaded(desk), desk))
    assert names == [
        "issues/2018-028/01-grid.md",
        "issues/2018-028/issue.yaml",
        "shared/logo.png",
    ]
    assert list(man.settings_files(desk)) == ["briefing.yaml", "templates/html/extra.css"]


def test_publish_marks_a_file_without_final_newline_and_records_settings(desk: Path) -> None:
    result = pub.publish_issue(desk, "2018-028", ("html",))
    text = (desk / "issues/2018-028/issue.yaml").read_text(encoding="utf-8")
    assert text.endswith("date: 2018-12-20\npublished: true\n")
    record = json.loads(result.manifest.read_text(encoding="utf-8"))
    assert "templates/html/extra.css" in record["settings"]
    assert "shared/logo.png" in record["inputs"]
    (desk / "shared/logo.png").write_bytes(PNG + b"x")
    codes = [(d.code, d.path.name) for d in check_workspace(desk).diagnostics if d.code[0] == "R"]
    assert codes == [("R001", "logo.png")]


def test_reasons_for_a_different_output(desk: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pub.publish_issue(desk, "2018-028", ("html",))
    manifest = man.read_manifest(desk / "issues/2018-028")
    assert manifest is not None
    assert "LibreOffice" in man._why_different(manifest, desk)
    (desk / "templates/html/extra.css").unlink()
    (desk / "templates/html/new.css").write_text("p {}\n", encoding="utf-8")
    monkeypatch.setattr(man, "code_fingerprint", lambda: "other")
    assert "briefing 程序本身在签发后改动过" in man._why_different(manifest, desk)
    monkeypatch.setattr(man, "__version__", "9.9")
    reason = man._why_different(manifest, desk)
    assert "templates/html/extra.css 在签发后被删除" in reason
    assert "new.css" not in reason  # added after 签发: a rebuild does not use it
    assert "现在是 9.9" in reason


@pytest.mark.parametrize(
    "text",
    [
        "[]",
        '{"format": "briefing-manifest/1", "inputs": []}',
        '{"format": "briefing-manifest/1", "outputs": {"html": {"sha256": 1}}}',
        b"\xff\xfe",
    ],
)
def test_unusable_manifests(desk: Path, text: str | bytes) -> None:
    path = desk / "issues/2018-028/manifest.json"
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    with pytest.raises(man.ManifestProblem):
        man.read_manifest(desk / "issues/2018-028")
    codes = [d.code for d in check_workspace(desk).diagnostics]
    assert "R002" in codes
    result = pub.undo_publish(loaded(desk), desk)  # a broken record can still be removed
    assert (result.manifest, result.recorded_inputs, result.unmarked) == (path, 0, False)
    assert not path.exists()


def test_undo_of_an_issue_that_was_never_published(desk: Path) -> None:
    with pytest.raises(UsageError):
        pub.undo_publish(loaded(desk), desk)


def test_undo_of_a_flag_without_record(desk: Path) -> None:
    (desk / "issues/2018-028/issue.yaml").write_text(
        issue_yaml() + "published: yes\n", encoding="utf-8"
    )
    result = pub.undo_publish(loaded(desk), desk)
    assert result.unmarked and result.manifest is None
    assert "published" not in (desk / "issues/2018-028/issue.yaml").read_text(encoding="utf-8")


def test_a_failed_record_rolls_back_the_mark(desk: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before = (desk / "issues/2018-028/issue.yaml").read_bytes()

    def fail(*args: object, **kwargs: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(pub, "write_manifest", fail)
    with pytest.raises(OSError, match="disk full"):
        pub.publish_issue(desk, "2018-028", ("html",))
    assert (desk / "issues/2018-028/issue.yaml").read_bytes() == before
    assert not (desk / "issues/2018-028/manifest.json").exists()


def test_publish_refuses_an_issue_without_articles(make_workspace) -> None:  # type: ignore[no-untyped-def]
    root = make_workspace({"issues/2018-028/issue.yaml": issue_yaml()})
    with pytest.raises(InputError):
        pub.publish_issue(root, "2018-028", ("html",))
    assert not (root / "issues/2018-028/manifest.json").exists()


def test_verify_outputs_ignores_formats_without_record(tmp_path: Path) -> None:
    out = tmp_path / "x.pdf"
    out.write_bytes(b"%PDF")
    manifest = man.Manifest(tmp_path / "manifest.json", {"outputs": {}})
    assert man.verify_outputs(manifest, [out], tmp_path) == []


def test_pdf_normalisation_keeps_length_and_handles_missing_fields() -> None:
    stamp = dt.datetime(2018, 12, 20, tzinfo=dt.UTC)
    bare = b"%PDF-1.4\n/CreationDate(D:20261125103407+08'00')\n%%EOF"
    fixed = normalise_pdf(bare, stamp)
    assert len(fixed) == len(bare)
    assert b"(D:20181220000000Z'''''')" in fixed
    with_id = b"/ModDate(D:20261125103407)\ntrailer /ID [ <AB12> <CD34> ] /DocChecksum /EF56\n"
    once, twice = (
        normalise_pdf(with_id, stamp),
        normalise_pdf(with_id.replace(b"AB12", b"9999"), stamp),
    )
    assert once == twice and len(once) == len(with_id)
    assert b"(D:20181220000000)" in once


def test_issue_timestamp_is_midnight_utc_of_the_issue_date() -> None:
    assert issue_timestamp(dt.date(2018, 12, 20)) == dt.datetime(2018, 12, 20, tzinfo=dt.UTC)


def test_pdf_id_and_checksum_are_the_md5_of_the_rest_in_upper_case_hex() -> None:
    import hashlib

    stamp = issue_timestamp(dt.date(2018, 12, 20))
    pdf = (
        b"%PDF-1.7\n/CreationDate(D:20261125103407+08'00')\n"
        b"trailer /ID [ <0123456789abcdef0123456789abcdef> <fedcba9876543210fedcba9876543210> ]"
        b" /DocChecksum /00112233445566778899AABBCCDDEEFF\n%%EOF\n"
    )
    fixed = normalise_pdf(pdf, stamp)
    dated = pdf.replace(b"(D:20261125103407+08'00')", b"(D:20181220000000Z'''''')")
    without = dated.replace(
        b"/ID [ <0123456789abcdef0123456789abcdef> <fedcba9876543210fedcba9876543210> ]", b""
    ).replace(b"/DocChecksum /00112233445566778899AABBCCDDEEFF", b"")
    digest = hashlib.md5(without, usedforsecurity=False).hexdigest().upper().encode()
    assert fixed == dated.replace(b"0123456789abcdef0123456789abcdef", digest).replace(
        b"fedcba9876543210fedcba9876543210", digest
    ).replace(b"00112233445566778899AABBCCDDEEFF", digest)
