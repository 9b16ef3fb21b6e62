"""Text from the input made safe to print on a terminal: what a terminal would act on is shown as
an escape instead.

File names, titles, labels and identifiers come from the input. Printed as they are, an ANSI
escape sequence in a title recolours or clears the screen, a right-to-left override makes
``txt.exe`` read as ``exe.txt``, and a newline in a file name prints a line of its own that
papergraph never wrote (``papergraph: summary: 0 of 9 files had problems``). :func:`terminal_safe`
is applied to each such piece of data where the command line prints it (problem lines, the
summary, query tables, suggestions); what is written to files (Turtle, HTML, CSV) is not
changed.
"""

from __future__ import annotations

import re

__all__ = ["lines_safe", "terminal_safe"]

#: What a terminal acts on or breaks a line at, rather than shows: the C0 controls (tab, line
#: feed and carriage return too), DEL, the C1 controls, the bidirectional marks, embeddings,
#: overrides and isolates, and the Unicode line and paragraph separators.
_ACTS = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def terminal_safe(text: str) -> str:
    """``text`` with every character a terminal would act on written as its Python escape.

    Parameters
    ----------
    text:
        One piece of data (a file name, a title, a problem's line): its newlines are escaped too,
        so it stays on one line. Backslashes are left as they are.

    Returns
    -------
    The text to print.

    >>> print(terminal_safe("a\\x1b[2Jb \\u202etxt.exe\\npapergraph: summary: 0 problems"))
    a\\x1b[2Jb \\u202etxt.exe\\npapergraph: summary: 0 problems
    >>> terminal_safe("tab\\there, caf\\u00e9, \\U0001f600") == "tab\\\\there, caf\\u00e9, \\U0001f600"
    True
    """
    return _ACTS.sub(lambda m: repr(m.group())[1:-1], text)


def lines_safe(text: str) -> str:
    """``text``'s lines, each :func:`terminal_safe`: a report's own line breaks are kept, anything
    else a terminal would act on is escaped.

    >>> print(lines_safe("one\\x1b[31m\\ntwo".encode().decode("unicode_escape")))
    one\\x1b[31m
    two
    """
    return "\n".join(terminal_safe(line) for line in text.split("\n"))
