"""Byte-identical outputs: clock-free timestamps in DOCX zips and LibreOffice PDFs.

A zip stamps every entry with the current time unless told otherwise, and LibreOffice 7.4
writes the conversion time into the PDF's ``/CreationDate`` and derives the trailer ``/ID`` from it
(it ignores ``SOURCE_DATE_EPOCH``, measured). Both are rewritten here from the issue date, so
two builds of the same inputs give the same bytes — a requirement of ``briefing publish``,
which records output hashes and verifies them on every later build.

A LibreOffice that has already converted a document (the preview's warm converter, a batch)
numbers the Type 1 fonts it embeds from a process-wide counter (``/UniqueID 4100001`` for the
first font subset a process ever writes, then 4100002 …): its second PDF differs from what a
fresh ``soffice --convert-to`` writes for the same DOCX in those numbers alone (measured on a
37-page issue: four font programs). :func:`canonical_font_ids` renumbers them as a fresh process
does — in file order from 4100001 — inside the compressed, ``eexec``-encrypted font programs,
and moves the cross-reference offsets, so warm and cold conversions give the same bytes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
import zipfile
import zlib
from collections.abc import Iterable


def issue_timestamp(date: dt.date) -> dt.datetime:
    """Midnight UTC of the issue date: the only time an output may carry."""
    return dt.datetime(date.year, date.month, date.day, tzinfo=dt.UTC)


# DOS zip timestamps cannot express dates before 1980.
_ZIP_EPOCH = dt.datetime(1980, 1, 1, tzinfo=dt.UTC)
# Pictures are compressed already: deflating them again saves nothing (< 3 %) and was most of
# the time spent writing a package.
_STORED_SUFFIXES = (".png", ".jpeg", ".jpg", ".gif")


def dated_zip(entries: Iterable[tuple[str, bytes]], stamp: dt.datetime) -> bytes:
    """A zip of *entries* in their order, every one dated *stamp* with fixed permissions."""
    when = max(stamp, _ZIP_EPOCH)
    date_time = (when.year, when.month, when.day, when.hour, when.minute, when.second)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in entries:
            info = zipfile.ZipInfo(name, date_time)
            stored = name.lower().endswith(_STORED_SUFFIXES)
            info.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 3  # Unix, whatever machine builds it
            target.writestr(info, data)
    return out.getvalue()


_PDF_DATE = re.compile(rb"/(CreationDate|ModDate)\s*\(D:(\d{14})([^)]*)\)")
_PDF_ID = re.compile(rb"/ID\s*\[\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*\]")
_PDF_CHECKSUM = re.compile(rb"/DocChecksum\s*/([0-9A-Fa-f]+)")


def normalise_pdf(data: bytes, stamp: dt.datetime) -> bytes:
    """*data* (a PDF) with its dates set to *stamp*, and its ``/ID`` and LibreOffice's
    ``/DocChecksum`` (both hashes over a content that included the clock) re-derived from the
    rest of the file.

    The font ``/UniqueID``s are first numbered as a fresh LibreOffice numbers them
    (:func:`canonical_font_ids`, which raises ``NotReproducible`` when it cannot); every other
    replacement keeps the byte length, so the cross-reference offsets stay valid.
    """
    data = canonical_font_ids(data)
    digits = stamp.strftime("%Y%m%d%H%M%S").encode("ascii")

    def fixed_date(match: re.Match[bytes]) -> bytes:
        zone = match[3]
        # "Z'" or "+08'00'": keep the length, state UTC where the length allows
        utc = (b"Z" + b"'" * (len(zone) - 1)) if zone else zone
        return b"/" + match[1] + b"(D:" + digits + utc + b")"

    data = _PDF_DATE.sub(fixed_date, data)
    digest = hashlib.md5(
        _PDF_CHECKSUM.sub(b"", _PDF_ID.sub(b"", data)), usedforsecurity=False
    ).hexdigest()
    replacement = (digest.upper() * 2).encode("ascii")

    def same_length(match: re.Match[bytes]) -> bytes:
        text, base = bytearray(match[0]), match.start()
        for group in range(1, (match.re.groups or 0) + 1):
            start, end = match.start(group) - base, match.end(group) - base
            text[start:end] = replacement[: end - start]
        return bytes(text)

    return _PDF_CHECKSUM.sub(same_length, _PDF_ID.sub(same_length, data))


class NotReproducible(ValueError):
    """A PDF this module cannot bring to the canonical form (the caller converts it afresh)."""


# the first /UniqueID a fresh LibreOffice process gives a Type 1 font subset is this plus one
_FIRST_FONT_ID = 4100001
_FONT_STREAM = re.compile(
    rb"\n\d+ 0 obj\n<<(?P<dict>[^>]*/Length1 (?P<l1>\d+)/Length2 (?P<l2>\d+)/Length3 \d+[^>]*)>>"
    rb"\nstream\n"
)
_LENGTH_REF = re.compile(rb"/Length (\d+) 0 R")
_UNIQUE_ID = re.compile(rb"/UniqueID (\d+) def")
_XREF = re.compile(rb"\nxref\n0 (\d+)\n")
_STARTXREF = re.compile(rb"\nstartxref\n(\d+)\n%%EOF\s*$")
# eexec, Adobe Type 1 Font Format ch. 7: the cipher of the private part of a font program
_EEXEC_KEY, _C1, _C2 = 55665, 52845, 22719


def canonical_font_ids(data: bytes) -> bytes:
    """*data* (a LibreOffice PDF) with its Type 1 font ``/UniqueID``s numbered as a fresh
    LibreOffice process numbers them; *data* itself when they already are.

    Raises ``NotReproducible`` when the file is not laid out as LibreOffice writes it, or when
    its font programs were not compressed the way zlib recompresses them here (then rewriting
    them could not give the bytes a fresh process writes).
    """
    fonts = list(_FONT_STREAM.finditer(data))
    edits: list[tuple[int, int, bytes]] = []
    lengths: dict[bytes, int] = {}
    for expected, match in enumerate(fonts, _FIRST_FONT_ID):
        start = match.end()
        end = data.find(b"\nendstream", start)
        if end < 0:
            raise NotReproducible("font stream without its end")
        program = _font_program(data[start:end], match)
        found = {int(m[1]) for m in _UNIQUE_ID.finditer(program.clear)}
        if found == {expected}:
            continue
        if len(found) != 1:
            raise NotReproducible("font program without one /UniqueID")
        rewritten = program.renumbered(found.pop(), expected)
        dictionary = match["dict"]
        reference = _LENGTH_REF.search(dictionary)
        if reference is None:
            raise NotReproducible("font stream length is not an indirect object")
        lengths[reference[1]] = len(rewritten.compressed)
        new_dict = re.sub(rb"/Length1 \d+", b"/Length1 %d" % len(rewritten.clear), dictionary)
        new_dict = re.sub(rb"/Length2 \d+", b"/Length2 %d" % len(rewritten.private), new_dict)
        edits.append((match.start("dict"), match.end("dict"), new_dict))
        edits.append((start, end, rewritten.compressed))
    if not edits:
        return data
    for number, length in lengths.items():
        length_object = re.search(rb"\n" + number + rb" 0 obj\n(\d+)\nendobj", data)
        if length_object is None:
            raise NotReproducible("font stream length object not found")
        edits.append((length_object.start(1), length_object.end(1), b"%d" % length))
    return _apply_with_xref(data, sorted(edits))


class _FontProgram:
    """A Type 1 font program: clear text, the eexec-encrypted private part, the trailer."""

    def __init__(self, clear: bytes, private: bytes, trailer: bytes) -> None:
        self.clear, self.private, self.trailer = clear, private, trailer
        self.compressed = b""

    def renumbered(self, old: int, new: int) -> _FontProgram:
        pattern, replacement = b"/UniqueID %d def" % old, b"/UniqueID %d def" % new
        # the /UniqueID comes early in the private dictionary: find it in a decrypted head
        at = _decrypt(self.private[:4096]).find(pattern)
        if at < 0:
            raise NotReproducible("private dictionary without the /UniqueID")
        if len(pattern) == len(replacement):
            private = _reencrypt(self.private, at, replacement)
        else:
            plain = _decrypt(self.private)
            private = _encrypt(plain[:at] + replacement + plain[at + len(pattern) :])
        program = _FontProgram(self.clear.replace(pattern, replacement), private, self.trailer)
        program.compressed = _deflate(program.clear + program.private + program.trailer)
        return program


def _font_program(compressed: bytes, match: re.Match[bytes]) -> _FontProgram:
    try:
        plain = zlib.decompress(compressed)
    except zlib.error as error:
        raise NotReproducible(f"font stream does not inflate: {error}") from None
    if _deflate(plain) != compressed:
        raise NotReproducible("font stream compressed differently from zlib level 6")
    clear_length, private_length = int(match["l1"]), int(match["l2"])
    return _FontProgram(
        plain[:clear_length],
        plain[clear_length : clear_length + private_length],
        plain[clear_length + private_length :],
    )


def _deflate(data: bytes) -> bytes:
    # LibreOffice's ZCodec: the default level, a 32 KiB window, memory level 9 (measured: every
    # Flate stream of its PDFs is reproduced exactly by these settings)
    compressor = zlib.compressobj(6, zlib.DEFLATED, 15, 9, zlib.Z_DEFAULT_STRATEGY)
    return compressor.compress(data) + compressor.flush()


def _decrypt(cipher: bytes) -> bytes:
    key, out = _EEXEC_KEY, bytearray(len(cipher))
    for index, byte in enumerate(cipher):
        out[index] = byte ^ (key >> 8)
        key = ((byte + key) * _C1 + _C2) & 0xFFFF
    return bytes(out)


def _reencrypt(cipher: bytes, at: int, replacement: bytes) -> bytes:
    """*cipher* with the plain text at *at* replaced by *replacement* (the same length).

    Before *at* nothing changes; after the replacement the plain text is the old one, so each
    byte is decrypted with the old key stream and encrypted with the new one in one step
    (``c ^ old >> 8 ^ new >> 8``). Written for CPython's speed: a font program is 30–80 KB."""
    c1, c2, key = _C1, _C2, _EEXEC_KEY
    for byte in cipher[:at]:
        key = ((byte + key) * c1 + c2) & 0xFFFF
    old = new = key
    out = bytearray(cipher[:at])
    append = out.append
    for index, byte in enumerate(cipher[at : at + len(replacement)]):
        old = ((byte + old) * c1 + c2) & 0xFFFF
        produced = replacement[index] ^ (new >> 8)
        append(produced)
        new = ((produced + new) * c1 + c2) & 0xFFFF
    for byte in cipher[at + len(replacement) :]:
        produced = byte ^ (old >> 8) ^ (new >> 8)
        old = ((byte + old) * c1 + c2) & 0xFFFF
        append(produced)
        new = ((produced + new) * c1 + c2) & 0xFFFF
    return bytes(out)


def _encrypt(plain: bytes) -> bytes:
    key, out = _EEXEC_KEY, bytearray(len(plain))
    for index, byte in enumerate(plain):
        cipher = byte ^ (key >> 8)
        out[index] = cipher
        key = ((cipher + key) * _C1 + _C2) & 0xFFFF
    return bytes(out)


def _apply_with_xref(data: bytes, edits: list[tuple[int, int, bytes]]) -> bytes:
    """*data* with *edits* (sorted, not overlapping) applied, every xref offset moved along."""
    table = _XREF.search(data)
    tail = _STARTXREF.search(data)
    if table is None or tail is None or tail.start() < table.start():
        raise NotReproducible("no classic cross-reference table")

    def moved(offset: int) -> int:
        return offset + sum(len(new) - (end - start) for start, end, new in edits if end <= offset)

    count = int(table[1])
    entries_at = table.end()
    entries = data[entries_at : entries_at + 20 * count]
    if len(entries) != 20 * count:
        raise NotReproducible("short cross-reference table")
    rows = []
    for row in range(count):
        entry = entries[20 * row : 20 * row + 20]
        if entry[17:18] == b"n":
            entry = b"%010d" % moved(int(entry[:10])) + entry[10:]
        rows.append(entry)
    out = bytearray()
    last = 0
    for start, end, new in edits:
        out += data[last:start] + new
        last = end
    out += data[last:entries_at]
    out += b"".join(rows)
    out += data[entries_at + 20 * count : tail.start(1)]
    out += b"%d" % moved(int(tail[1]))
    out += data[tail.end(1) :]
    return bytes(out)
