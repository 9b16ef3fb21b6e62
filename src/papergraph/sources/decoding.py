"""Turn a file's bytes into text: BOMs, UTF-16, Latin-1 fall-back, binary refused."""

from __future__ import annotations

from papergraph.model import Problem


def decode(raw: bytes, path: str) -> tuple[str | None, Problem | None]:
    """Decode ``raw``; return (text, None), (text, warning) or (None, error).

    Line endings are normalised to ``\\n``.

    >>> decode("café".encode("utf-8"), "x.txt")
    ('café', None)
    >>> decode(b"caf\\xe9", "x.txt")[0]
    'café'
    """
    warning = None
    if raw.startswith(b"\xef\xbb\xbf"):
        text = raw[3:].decode("utf-8", errors="replace")
    elif raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = raw.decode("utf-16")
        except UnicodeDecodeError:
            return None, Problem(path, None, "invalid UTF-16 text")
    else:
        if b"\x00" in raw[:8192]:
            return None, Problem(path, None, "binary file, not text")
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = raw[: exc.start].count(b"\n") + 1
            text = raw.decode("cp1252", errors="replace")
            warning = Problem(path, line, "not valid UTF-8; read as Latin-1/Windows-1252")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text, warning
