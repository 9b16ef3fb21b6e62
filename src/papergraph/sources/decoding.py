"""Turn a file's bytes into text: BOMs, UTF-16, Latin-1 fall-back, binary refused.

A file is binary when more than :data:`BINARY_SHARE` of its first bytes are control bytes
(other than tab, newlines, form feed and escape) and they are not UTF-8; stray NUL bytes in a
text file, or the NUL padding an interrupted save leaves at its end, are dropped with a warning
instead.
"""

from __future__ import annotations

from papergraph.model import Problem

#: Bytes looked at to tell text from binary and UTF-16 without a BOM.
_SAMPLE = 65_536
#: Share of control bytes above which a file is binary.
BINARY_SHARE = 0.05
_CONTROL = frozenset(set(range(0x20)) - {0x09, 0x0A, 0x0C, 0x0D, 0x1B})


def _bomless_utf16(sample: bytes) -> str | None:
    """``"utf-16-le"``/``"utf-16-be"`` when every other byte is NUL (ASCII-range UTF-16), else None."""
    if len(sample) < 4 or len(sample) % 2:
        return None
    even, odd = sample[0::2], sample[1::2]
    if odd.count(0) >= 0.9 * len(odd) and even.count(0) == 0:
        return "utf-16-le"
    if even.count(0) >= 0.9 * len(even) and odd.count(0) == 0:
        return "utf-16-be"
    return None


def _is_binary(sample: bytes) -> bool:
    """Many control bytes, and not UTF-8: a small text file with one field full of control
    characters (valid UTF-8) stays text.

    >>> png, csv = b"\\x89PNG\\r\\n\\x1a\\n\\x00\\x00\\x00\\rIHDR", b"Title\\nA \\x00\\x08\\x1f B\\n"
    >>> _is_binary(png), _is_binary(csv)
    (True, False)
    """
    if not sample or sum(b in _CONTROL for b in sample) <= BINARY_SHARE * len(sample):
        return False
    return not _utf8(sample)


def _utf8(sample: bytes) -> bool:
    """Whether ``sample`` is UTF-8 (a character cut at its end, where the sample stops, is allowed;
    so are encoded lone surrogates, which tools writing UTF-16 text as UTF-8 leave)."""
    try:
        sample.decode("utf-8", "surrogatepass")
    except UnicodeDecodeError as exc:
        return exc.reason == "unexpected end of data" and exc.start >= len(sample) - 3
    return True


def decode(raw: bytes, path: str) -> tuple[str | None, Problem | None]:
    """Decode ``raw``; return (text, None), (text, warning) or (None, error).

    Line endings are normalised to ``\\n``.

    >>> decode("café".encode("utf-8"), "x.txt")
    ('café', None)
    >>> decode(b"caf\\xe9", "x.txt")[0]
    'café'
    >>> text, warning = decode(b"Abstract: X.\\n" + b"\\x00" * 512, "x.txt")
    >>> text, str(warning), warning.skipped
    ('Abstract: X.\\n', 'x.txt:2: 512 NUL bytes removed (an interrupted save?)', False)
    >>> decode(b"\\x89PNG\\r\\n\\x1a\\n\\x00\\x00\\x00\\rIHDR", "x.png")
    (None, Problem(path='x.png', line=None, message='binary file, not text', skipped=True))
    """
    warning = None
    if raw.startswith(b"\xef\xbb\xbf"):
        text = raw[3:].decode("utf-8", errors="replace")
    elif raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        if len(raw) % 2:
            raw = raw[:-1]
            line = raw.decode("utf-16", errors="replace").count("\n") + 1
            warning = Problem(
                path,
                line,
                "UTF-16 file with an odd number of bytes (truncated?): last byte dropped",
                skipped=False,
            )
        try:
            text = raw.decode("utf-16")
        except UnicodeDecodeError as exc:
            text = raw.decode("utf-16", errors="replace")
            line = raw[: exc.start].decode("utf-16", errors="replace").count("\n") + 1
            warning = warning or Problem(
                path, line, "invalid UTF-16 (a lone surrogate); replaced by U+FFFD", skipped=False
            )
    elif encoding := _bomless_utf16(raw[:_SAMPLE]):
        text = raw.decode(encoding, errors="replace")
    else:
        body = raw.rstrip(b"\x00")  # the padding an interrupted save leaves is not content
        if raw and not body:
            return None, Problem(path, None, "file holds only NUL bytes (an interrupted save?)")
        if _is_binary(body[:_SAMPLE]):
            return None, Problem(path, None, "binary file, not text")
        if b"\x00" in raw:
            line = raw[: raw.index(b"\x00")].count(b"\n") + 1
            removed = raw.count(b"\x00")
            raw = body.replace(b"\x00", b"")
            message = f"{removed} NUL bytes removed (an interrupted save?)"
            warning = Problem(path, line, message, skipped=False)
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = raw[: exc.start].count(b"\n") + 1
            text = raw.decode("cp1252", errors="replace")
            warning = warning or Problem(
                path, line, "not valid UTF-8; read as Latin-1/Windows-1252", skipped=False
            )
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text, warning
