"""Byte-identical outputs: clock-free timestamps in DOCX zips and LibreOffice PDFs.

A zip stamps every entry with the current time unless told otherwise, and LibreOffice 7.4
writes the conversion time into the PDF's ``/CreationDate`` and derives the trailer ``/ID`` from it
(it ignores ``SOURCE_DATE_EPOCH``, measured). Both are rewritten here from the issue date, so
two builds of the same inputs give the same bytes — a requirement of ``briefing publish``,
which records output hashes and verifies them on every later build.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
import zipfile
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

    Every replacement keeps the byte length, so the cross-reference offsets stay valid.
    """
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
