"""``canonical_font_ids``: a warm LibreOffice's font numbers rewritten as a fresh process's."""

from __future__ import annotations

import re
import zlib
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from briefing.render import pdf as pdf_module
from briefing.render.reproducible import (
    NotReproducible,
    _decrypt,
    _encrypt,
    canonical_font_ids,
)


def font_pdf(unique_ids: list[int], level: int = 6) -> bytes:
    """A PDF laid out as LibreOffice writes one: Type 1 font streams, lengths as objects."""
    objects: list[bytes] = []
    for number, unique in enumerate(unique_ids):
        clear = b"%%!FontType1-1.1\n/UniqueID %d def\ncurrentfile eexec\n" % unique
        private = _encrypt(b"HDU dup\n/Private 8 dict dup begin\n/UniqueID %d def\nend\n" % unique)
        trailer = b"0" * 64 + b"\ncleartomark\n"
        compressor = zlib.compressobj(level, zlib.DEFLATED, 15, 9)
        data = compressor.compress(clear + private + trailer) + compressor.flush()
        stream_obj, length_obj = 2 * number + 1, 2 * number + 2
        objects.append(
            b"%d 0 obj\n<</Length %d 0 R/Filter/FlateDecode/Length1 %d/Length2 %d/Length3 %d>>\n"
            b"stream\n%s\nendstream\nendobj\n\n"
            % (stream_obj, length_obj, len(clear), len(private), len(trailer), data)
        )
        objects.append(b"%d 0 obj\n%d\nendobj\n\n" % (length_obj, len(data)))
    out = b"%PDF-1.6\n"
    offsets = []
    for body in objects:
        offsets.append(len(out))
        out += body
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<</Size %d>>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return out


def font_ids(data: bytes) -> list[tuple[int, int]]:
    """(clear-text id, private-dictionary id) of each font program, checking the lengths."""
    found = []
    for match in re.finditer(
        rb"/Length (\d+) 0 R/Filter/FlateDecode/Length1 (\d+)/Length2 (\d+)[^>]*>>\nstream\n", data
    ):
        end = data.index(b"\nendstream", match.end())
        plain = zlib.decompress(data[match.end() : end])
        length = re.search(rb"\n" + match[1] + rb" 0 obj\n(\d+)\n", data)
        assert length is not None
        assert int(length[1]) == end - match.end()
        clear, private = (
            plain[: int(match[2])],
            plain[int(match[2]) : int(match[2]) + int(match[3])],
        )
        ids = [int(re.search(rb"/UniqueID (\d+)", part)[1]) for part in (clear, _decrypt(private))]  # type: ignore[index]
        found.append((ids[0], ids[1]))
    return found


def assert_xref_points_at_objects(data: bytes) -> None:
    start = int(re.search(rb"startxref\n(\d+)\n", data)[1])  # type: ignore[index]
    assert data[start:].startswith(b"xref\n")
    rows = re.findall(rb"(\d{10}) 00000 n ", data[start:])
    for number, offset in enumerate(rows, 1):
        assert data[int(offset) :].startswith(b"%d 0 obj\n" % number)


def test_a_fresh_process_pdf_is_left_alone() -> None:
    fresh = font_pdf([4100001, 4100002])
    assert canonical_font_ids(fresh) is fresh


@pytest.mark.parametrize("ids", [[4100005, 4100006], [4100099, 4100100], [14100001, 14100002]])
def test_later_numbers_become_a_fresh_process_numbers(ids: list[int]) -> None:
    warm = font_pdf(ids)
    fixed = canonical_font_ids(warm)
    assert fixed == font_pdf([4100001, 4100002])  # byte for byte what a cold run writes
    assert font_ids(fixed) == [(4100001, 4100001), (4100002, 4100002)]
    assert_xref_points_at_objects(fixed)


def test_a_stream_zlib_cannot_reproduce_is_refused() -> None:
    with pytest.raises(NotReproducible):
        canonical_font_ids(font_pdf([4100005], level=9))


def test_a_warm_pdf_that_cannot_be_made_canonical_is_converted_cold(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    class Warm:
        def convert(self, source, target, *, timeout):  # type: ignore[no-untyped-def]
            return font_pdf([4100005], level=9)

    cold = font_pdf([4100001])
    monkeypatch.setattr(pdf_module.ColdConverter, "convert", lambda self, *a, **k: cold)
    docx, out = tmp_path / "a.docx", tmp_path / "a.pdf"
    docx.write_bytes(b"PK")
    pdf_module.convert_to_pdf(docx, out, converter=Warm())
    assert out.read_bytes() == cold


@given(st.binary(min_size=1, max_size=600), st.data())
def test_reencrypting_in_place_is_encrypting_the_edited_text(plain: bytes, data) -> None:  # type: ignore[no-untyped-def]
    from briefing.render.reproducible import _reencrypt

    at = data.draw(st.integers(0, len(plain) - 1))
    replacement = data.draw(st.binary(min_size=0, max_size=len(plain) - at))
    edited = plain[:at] + replacement + plain[at + len(replacement) :]
    assert _reencrypt(_encrypt(plain), at, replacement) == _encrypt(edited)
    assert _decrypt(_encrypt(plain)) == plain
