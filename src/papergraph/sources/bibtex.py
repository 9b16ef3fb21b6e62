"""BibTeX files: ``@article{key, title = {...}, abstract = {...}, author = {A and B}, ...}``.

A small hand-written parser: values in braces (nested), in quotes, bare numbers or macros
(``month = jun``, ``@string`` definitions), joined with ``#``. ``@comment``, ``@preamble`` and
``@string`` entries yield no record. Simple LaTeX is turned into text (``{BERT}`` → BERT,
``\\&`` → &, ``{\\"o}`` → ö). An entry with unbalanced braces is reported and skipped, and reading
goes on at the next line that starts an ``@`` entry.

>>> r = next(read("@article{k, title = {{BERT} \\\\& Co}, abstract = {We do X.}, year = 2019}", "a.bib"))
>>> r.id, r.title, r.date, dict(r.extra)["bibtex_key"]  # a citation key is local to its file: no id
(None, 'BERT & Co', '2019', 'k')
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

from papergraph.model import Problem, Record, SourceRef
from papergraph.sources.fields import arxiv_id, normalise_date
from papergraph.sources.reference_lists import split_references

NAME = "bibtex"

_ENTRY = re.compile(r"^[ \t]*@[ \t]*(?P<type>[A-Za-z][\w-]*)[ \t]*(?P<open>[{(])", re.MULTILINE)
_SKIPPED = {"comment", "preamble"}
_MONTH_NAMES = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
_MONTH_MACROS = {name[:3]: name.capitalize() for name in _MONTH_NAMES}
_FIELD_NAME = re.compile(r"[^\s=,{}\"#()]+")
#: More words of a field name that holds spaces, up to its ``=``: Scopus writes ``funding_text 1``.
_NAME_MORE = re.compile(r"(?:[ \t]+[^\s=,{}\"#()]+)+(?=\s*=)")
_BARE_VALUE = re.compile(r"[^\s,{}\"#()]+")
_ARXIV_IN_TEXT = re.compile(
    r"(?:arxiv\.org/abs/|arxiv:\s*|abs/)(\d{4}\.\d{4,5}|[a-z][a-z.\-]*/\d{7})(?:v\d+)?", re.IGNORECASE
)
_SPECIAL = re.compile(r'[{}"()]')
_BRACES = re.compile(r"[{}]")
_MAPPED = {
    "title",
    "abstract",
    "author",
    "year",
    "month",
    "day",
    "date",
    "url",
    "doi",
    "references",
    "cited-references",
}

# --- LaTeX to text -----------------------------------------------------------------------------
_ACCENTS = {
    '"': "\u0308",
    "'": "\u0301",
    "`": "\u0300",
    "^": "\u0302",
    "~": "\u0303",
    "=": "\u0304",
    ".": "\u0307",
    "u": "\u0306",
    "v": "\u030c",
    "H": "\u030b",
    "c": "\u0327",
    "k": "\u0328",
    "r": "\u030a",
    "d": "\u0323",
    "b": "\u0331",
}
_SYMBOLS = {
    "ss": "ß",
    "o": "ø",
    "O": "Ø",
    "aa": "å",
    "AA": "Å",
    "ae": "æ",
    "AE": "Æ",
    "oe": "œ",
    "OE": "Œ",
    "l": "ł",
    "L": "Ł",
    "i": "ı",
    "j": "ȷ",
    "ldots": "…",
    "dots": "…",
    "textendash": "–",
    "textemdash": "—",
    "LaTeX": "LaTeX",
    "TeX": "TeX",
}
_BASE = r"(?:\\[ij](?![A-Za-z])|[A-Za-z])"
_PUNCT_ACCENT = re.compile(r"\\([\"'`^~=.])\s*(?:\{\s*(" + _BASE + r")\s*\}|(" + _BASE + r"))")
_LETTER_ACCENT = re.compile(r"\\([uvHckrdb])(?:\s*\{\s*(" + _BASE + r")\s*\}|\s+(" + _BASE + r"))")
_SYMBOL = re.compile(
    r"\\(" + "|".join(sorted(_SYMBOLS, key=len, reverse=True)) + r")(?![A-Za-z])(?:\{\}|\s*)"
)
_STYLE = re.compile(
    r"\\(?:emph|text(?:bf|it|sc|tt|rm|sf|up|sl|normal)?|math(?:rm|bf|it|cal|sf|tt)?|mbox|url"
    r"|bm|boldsymbol)\s*(?=\{)"
)
_ESCAPED = re.compile(r"\\([&%$#_{}])")


class _SyntaxError(Exception):
    """A malformed entry; the message says what is wrong."""


def latex_to_text(value: str) -> str:
    """Turn the simple LaTeX of BibTeX values into plain text, whitespace collapsed.

    >>> latex_to_text(r'{BERT}: Pre-training of {\\"o}ther \\& \\emph{Deep} Nets --- $10^{6}$~tokens')
    'BERT: Pre-training of öther & Deep Nets — 10^6 tokens'
    """

    def accent(m: re.Match[str]) -> str:
        base = (m[2] or m[3]).lstrip("\\")
        return base + _ACCENTS[m[1]]

    text = _PUNCT_ACCENT.sub(accent, value)
    text = _LETTER_ACCENT.sub(accent, text)
    text = _SYMBOL.sub(lambda m: _SYMBOLS[m[1]], text)
    text = _STYLE.sub("", text)
    text = text.replace("\\\\", " ").replace("---", "—").replace("--", "–")
    text = text.replace("``", "“").replace("''", "”")
    text = re.sub(r"(?<!\\)[{}$]", "", text)
    text = re.sub(r"(?<!\\)~", " ", text)
    text = _ESCAPED.sub(r"\1", text)
    return " ".join(unicodedata.normalize("NFC", text).split())


# --- Sniffing ----------------------------------------------------------------------------------


def sniff(text: str, path: str) -> bool:
    """The first line that is neither blank nor a ``%`` comment starts an ``@type{`` entry
    (for a ``.bib`` file, any line starting an entry will do)."""
    for line in text[:65_536].split("\n"):
        stripped = line.strip()
        if stripped and not stripped.startswith("%"):
            if _ENTRY.match(line):
                return True
            break
    return path.lower().endswith(".bib") and bool(_ENTRY.search(text))


# --- Reading -----------------------------------------------------------------------------------


def read(text: str, path: str) -> Iterator[Record | Problem]:
    """Every entry in order; unbalanced or malformed entries are reported and skipped."""
    starts = list(_ENTRY.finditer(text))
    macros = dict(_MONTH_MACROS)
    line, last = 1, 0
    for k, m in enumerate(starts):
        line += text.count("\n", last, m.start())
        last = m.start()
        limit = starts[k + 1].start() if k + 1 < len(starts) else len(text)
        entry_type = m["type"].lower()
        if entry_type in _SKIPPED:
            continue
        close = _closing(text, m.end(), limit, ")" if m["open"] == "(" else "}")
        if close is None:
            yield Problem(
                path,
                line,
                f"@{entry_type} entry starting on line {line} has unbalanced braces; "
                "skipped up to the next entry",
            )
            continue
        body = text[m.end() : close]
        try:
            if entry_type == "string":
                for name, value in _fields(body, macros):
                    macros[name] = value
                continue
            key, fields = _key_and_fields(body, macros)
        except _SyntaxError as exc:
            yield Problem(path, line, f"@{entry_type} entry starting on line {line}: {exc}; skipped")
            continue
        yield _record(entry_type, key, fields, path, line)
        leftover = text[close + 1 : limit]
        stray_field = re.match(r"\s*,?\s*([A-Za-z][\w-]*)\s*=", leftover)
        if stray_field:
            stray = line + text.count("\n", m.start(), close + 1 + stray_field.start(1))
            yield Problem(
                path,
                stray,
                f"field text after the end of the entry starting on line {line} "
                "(one closing brace too many?); ignored",
                skipped=False,
            )


def _closing(text: str, start: int, limit: int, close: str) -> int | None:
    """Index of the delimiter closing an entry whose body starts at ``start``, searching no
    further than ``limit`` (the next entry); ``None`` when braces do not balance before it."""
    depth = 0
    in_quotes = False
    for m in _SPECIAL.finditer(text, start, limit):
        i, char = m.start(), m.group()
        if char == "{":
            depth += 1
        elif char == "}":
            if depth == 0:
                return i if close == "}" else None
            depth -= 1
        elif depth == 0 and char == '"' and text[i - 1] != "\\":
            in_quotes = not in_quotes
        elif depth == 0 and not in_quotes and char == close:
            return i
    return None


def _key_and_fields(body: str, macros: dict[str, str]) -> tuple[str, list[tuple[str, str]]]:
    """Split an entry body into its citation key and its fields."""
    comma = body.find(",")
    if comma < 0:
        return body.strip(), []
    key = body[:comma].strip()
    if not key or re.search(r"[\s={}\"]", key):
        raise _SyntaxError(f"bad citation key {key!r}")
    return key, _fields(body[comma + 1 :], macros)


def _fields(body: str, macros: dict[str, str]) -> list[tuple[str, str]]:
    """``name = value`` pairs (names lower-cased), values raw (LaTeX kept), macros expanded."""
    fields: list[tuple[str, str]] = []
    i, n = 0, len(body)
    while True:
        while i < n and (body[i].isspace() or body[i] == ","):
            i += 1
        if i >= n:
            return fields
        m = _FIELD_NAME.match(body, i)
        if not m:
            raise _SyntaxError(f"expected a field name, found {body[i : i + 20]!r}")
        more = _NAME_MORE.match(body, m.end())
        end = more.end() if more else m.end()
        name = " ".join(body[m.start() : end].split()).lower()
        i = _skip_space(body, end)
        if i >= n or body[i] != "=":
            raise _SyntaxError(f"field {name!r} has no '='")
        value, i = _value(body, _skip_space(body, i + 1), macros)
        fields.append((name, value))
        i = _skip_space(body, i)
        if i < n and body[i] != ",":
            raise _SyntaxError(f"expected ',' after field {name!r}, found {body[i : i + 20]!r}")


def _skip_space(body: str, i: int) -> int:
    while i < len(body) and body[i].isspace():
        i += 1
    return i


def _value(body: str, i: int, macros: dict[str, str]) -> tuple[str, int]:
    """One value: ``{...}``, ``"..."``, a number or a macro, possibly joined with ``#``."""
    parts: list[str] = []
    while True:
        if i >= len(body):
            raise _SyntaxError("a field has no value")
        char = body[i]
        if char == "{":
            end = _balanced(body, i)
            parts.append(body[i + 1 : end])
            i = end + 1
        elif char == '"':
            end = _quoted(body, i)
            parts.append(body[i + 1 : end])
            i = end + 1
        else:
            m = _BARE_VALUE.match(body, i)
            if not m:
                raise _SyntaxError(f"bad value {body[i : i + 20]!r}")
            word = m.group()
            parts.append(word if word.isdigit() else macros.get(word.lower(), word))
            i = m.end()
        i = _skip_space(body, i)
        if i < len(body) and body[i] == "#":
            i = _skip_space(body, i + 1)
            continue
        return "".join(parts), i


def _balanced(body: str, i: int) -> int:
    """Index of the ``}`` matching the ``{`` at ``i``."""
    depth = 0
    for m in _BRACES.finditer(body, i):
        if m.group() == "{":
            depth += 1
        else:
            depth -= 1
            if depth == 0:
                return m.start()
    raise _SyntaxError("unbalanced braces in a value")


def _quoted(body: str, i: int) -> int:
    """Index of the ``"`` closing the quoted value opening at ``i`` (quotes inside braces do not count)."""
    depth = 0
    for m in _SPECIAL.finditer(body, i + 1):
        j, char = m.start(), m.group()
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
        elif char == '"' and depth == 0 and body[j - 1] != "\\":
            return j
    raise _SyntaxError("a quoted value is not closed")


# --- Entry -> Record ---------------------------------------------------------------------------


def _record(
    entry_type: str, key: str, pairs: list[tuple[str, str]], path: str, line: int
) -> Record | Problem:
    """Build the record of one entry (the first occurrence of a repeated field wins)."""
    fields: dict[str, str] = {}
    for name, value in pairs:
        fields.setdefault(name, value)
    abstract = latex_to_text(fields.get("abstract", ""))
    title = latex_to_text(fields.get("title", ""))
    if not abstract and not title:  # a title alone is a paper (most of a library has no abstract)
        return Problem(path, line, f"entry {key!r} has neither a title nor an abstract")
    ident = _arxiv(fields)
    extra = {
        name: latex_to_text(value) if name not in ("url", "doi") else value.strip()
        for name, value in fields.items()
        if name not in _MAPPED
    }
    extra["entry_type"] = entry_type
    if "source" in extra:  # Scopus's "source = {Scopus}" names the database, not the venue
        extra["database"] = extra.pop("source")
    if key:  # a citation key is local to its file ("Li2020"): kept, never an identifier
        extra["bibtex_key"] = key
    if fields.get("doi", "").strip():
        extra["doi"] = fields["doi"].strip()
    return Record(
        source=SourceRef(path, line, NAME),
        abstract=abstract,
        title=title or None,
        id=ident or None,
        authors=_authors(fields.get("author", "")),
        date=_date(fields),
        url=fields.get("url", "").strip() or None,
        references=_references(fields),
        extra=tuple(sorted((k, v) for k, v in extra.items() if v)),
    )


def _references(fields: dict[str, str]) -> tuple[str, ...]:
    """The cited references: Scopus's ``references`` (``; ``-separated), Web of Science's
    ``Cited-References`` (one a line).

    >>> _references({"references": "A, B., T (2001) S; C, D., U (2002) S"})
    ('A, B., T (2001) S', 'C, D., U (2002) S')
    >>> wos = "Bengio Y, 2003, J MACH LEARN RES, V3, P1137\\n   Hinton G, 2006, SCIENCE"
    >>> _references({"cited-references": wos})
    ('Bengio Y, 2003, J MACH LEARN RES, V3, P1137', 'Hinton G, 2006, SCIENCE')
    """
    if fields.get("cited-references", "").strip():
        lines = fields["cited-references"].replace("\\n", "\n").split("\n")
        return tuple(text for line in lines if (text := " ".join(line.split())))
    if fields.get("references", "").strip():
        return split_references(" ".join(fields["references"].split()))
    return ()


def _arxiv(fields: dict[str, str]) -> str | None:
    """``arXiv:<id>`` from ``eprint`` (with an arXiv prefix/type, or shaped like an arXiv id), or
    from an arXiv URL or ``journal = {arXiv preprint arXiv:...}``."""
    eprint = fields.get("eprint", "").strip()
    prefix = (fields.get("archiveprefix") or fields.get("eprinttype") or "").strip().lower()
    if eprint and prefix in ("", "arxiv"):
        found = arxiv_id(eprint)
        if found:
            return found
    for name in ("url", "journal"):
        m = _ARXIV_IN_TEXT.search(fields.get(name, ""))
        if m:
            return f"arXiv:{m[1]}"
    return None


def _authors(value: str) -> tuple[str, ...]:
    """Split on `` and `` outside braces; ``Last, First`` → ``First Last``; drop ``others``."""
    names: list[str] = []
    depth, start = 0, 0
    pieces: list[str] = []
    for m in re.finditer(r"[{}]|\s+and\s+", value):
        token = m.group()
        if token == "{":
            depth += 1
        elif token == "}":
            depth -= 1
        elif depth == 0:
            pieces.append(value[start : m.start()])
            start = m.end()
    pieces.append(value[start:])
    for piece in pieces:
        parts = [latex_to_text(p) for p in _split_top_level(piece, ",")]
        if len(parts) == 2 and parts[1]:
            name = f"{parts[1]} {parts[0]}"
        elif len(parts) == 3 and parts[2]:  # Last, Jr, First
            name = f"{parts[2]} {parts[0]}, {parts[1]}"
        else:
            name = " ".join(p for p in parts if p)
        if name and name.lower() != "others":
            names.append(name)
    return tuple(names)


def _split_top_level(text: str, separator: str) -> list[str]:
    """Split ``text`` on ``separator`` where it is not inside braces."""
    parts, depth, start = [], 0, 0
    for i, char in enumerate(text):
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
        elif char == separator and depth == 0:
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    return parts


def _date(fields: dict[str, str]) -> str | None:
    """``date`` (biblatex) when it parses, else ``year`` with ``month`` (name, macro or number)."""
    if fields.get("date"):
        date = normalise_date(latex_to_text(fields["date"]))
        if date:
            return date
    year = latex_to_text(fields.get("year", ""))
    if not re.fullmatch(r"\d{4}", year):
        return normalise_date(year) if year else None
    month = latex_to_text(fields.get("month", "")).lower()
    number = (
        int(month)
        if month.isdigit()
        else next(
            (i for i, name in enumerate(_MONTH_NAMES, start=1) if month and name.startswith(month[:3])), None
        )
    )
    if number is None or not 1 <= number <= 12:
        return year
    day = latex_to_text(fields.get("day", ""))
    return normalise_date(f"{year}-{number:02d}-{int(day):02d}" if day.isdigit() else f"{year}-{number:02d}")
