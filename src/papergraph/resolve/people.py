"""People: the authors of the papers as persons, one node per real person as far as names tell.

A paper's authors are names as the sources wrote them ("Hu, Edward J.", "Edward J. Hu", "Hu, E.").
Each name is split into a family name and given names (:func:`split_name`) and folded (case,
accents, punctuation). Then, conservatively, keeping homonyms apart where the evidence is thin:

* a name with a given name spelled out ("Edward J. Hu") is one person wherever the same folded
  family and given names occur: a full name is fair evidence;
* a name with initials only ("Hu, E. J.") is one person across papers only where those papers
  share another author (co-author evidence, the usual rule of author disambiguation); with no
  shared co-author the same initials on two papers stay two people;
* initials are never joined to a full name ("E. Hu" may be Edward or Emma);
* placeholders ("[No author name available]", "Anonymous", "et al.") are no one (:func:`is_placeholder`);
* an ORCID iD (``Paper.orcids``) outweighs names: every name with one ORCID is one person
  (``person/orcid-0000-0002-1825-0097``), and a spelled-out name without one joins it when exactly
  one ORCID person has that name.

A person's key is ``person/`` and the slug of the name for a full name
(``person/edward-j-hu``), plus a hash of the first of its papers for initials only
(``person/e-j-hu-1a2b3c``); its name is the spelling most used.

>>> from papergraph.model import Paper
>>> papers = [
...     Paper("paper/a", "A", "A", "", authors=("Hu, Edward J.", "Shen, Yelong")),
...     Paper("paper/b", "B", "B", "", authors=("Edward J. Hu", "Wang, L.", "[No author name available]")),
...     Paper("paper/c", "C", "C", "", authors=("Wang, L.",)),
... ]
>>> people = resolve_people(papers)
>>> people.by_paper["paper/b"]
('person/edward-j-hu', 'person/l-wang-ef270d')
>>> [p.key for p in people.persons if p.name == "Wang, L."]
['person/l-wang-b08699', 'person/l-wang-ef270d']
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from papergraph.model import Paper
from papergraph.names import fold, slug

__all__ = ["People", "Person", "is_placeholder", "resolve_people", "split_name"]

_PLACEHOLDER = re.compile(
    r"^\W*(no author name available|no authors? listed|anonymous|anon|unknown|n/?a|none|"
    r"et al|and others|others|various|various authors)\W*$",
    re.IGNORECASE,
)
_PARTICLES = {"van", "von", "der", "den", "de", "del", "della", "di", "da", "du", "la", "le", "ter", "ten"}
_SUFFIXES = {"jr", "sr", "ii", "iii", "iv"}
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?", re.UNICODE)


@dataclass(frozen=True)
class Person:
    """One person: key, the name most used, every spelling seen, the papers (in key order)."""

    key: str
    name: str
    spellings: tuple[str, ...]
    papers: tuple[str, ...]
    orcid: str | None = None


@dataclass(frozen=True)
class People:
    """The persons of a set of papers, and each paper's authors as person keys, in order."""

    persons: tuple[Person, ...]
    by_paper: dict[str, tuple[str, ...]]

    def names(self, paper: str) -> list[str]:
        """The names of the persons who wrote ``paper``, in author order."""
        name_of = self.__dict__.get("_name_of")
        if name_of is None:
            name_of = {p.key: p.name for p in self.persons}
            object.__setattr__(self, "_name_of", name_of)
        return [name_of[k] for k in self.by_paper.get(paper, ())]


def is_placeholder(name: str) -> bool:
    """Whether ``name`` is an exporter's placeholder for no one, or blank.

    >>> [is_placeholder(n) for n in ("[No author name available]", "Anonymous", "et al.", "Ng, A.", " ")]
    [True, True, True, False, True]
    """
    return not name.strip() or bool(_PLACEHOLDER.match(name.strip()))


def split_name(name: str) -> tuple[str, str]:
    """``(family, given)`` of a name written "Family, Given", "Given Family" or, as Scopus and
    PubMed write, "Family Initials" (particles such as "van der" stay with the family name; "Jr."
    is dropped).

    >>> split_name("Hu, Edward J."), split_name("Edward J. Hu"), split_name("Ludwig van Beethoven")
    (('Hu', 'Edward J.'), ('Hu', 'Edward J.'), ('van Beethoven', 'Ludwig'))
    >>> split_name("Heiner M."), split_name("van der Aalst WMP"), split_name("A. S. Z. Belloum")
    (('Heiner', 'M.'), ('van der Aalst', 'WMP'), ('Belloum', 'A. S. Z.'))
    """
    name = " ".join(name.split())
    if "," in name:
        family, _, given = name.partition(",")
        given = ", ".join(p for p in given.split(",") if fold(p).strip() not in _SUFFIXES)
        return family.strip(), given.strip(" ,")
    words = [w for w in name.split(" ") if fold(w).strip(".") not in _SUFFIXES]
    if len(words) <= 1:
        return name, ""
    if _is_initial(words[-1]) and not _is_initial(words[0]):  # "Heiner M.", "Hu E. J."
        cut = len(words) - 1
        while cut > 1 and _is_initial(words[cut - 1]):
            cut -= 1
        return " ".join(words[:cut]), " ".join(words[cut:])
    cut = len(words) - 1
    while cut > 1 and words[cut - 1].lower() in _PARTICLES:
        cut -= 1
    return " ".join(words[cut:]), " ".join(words[:cut])


def _is_initial(word: str) -> bool:
    """An initial or a run of them: "M.", "J.-P.", "WMP" (not "Wu", not "IBM Research").

    >>> [_is_initial(w) for w in ("M.", "J.-P.", "WMP", "Wu", "Hu")]
    [True, True, True, False, False]
    """
    letters = _WORD.findall(word)
    if not letters:
        return False
    if all(len(w) == 1 for w in letters):
        return len(letters) == 1 or "." in word or "-" in word
    return len(letters) == 1 and letters[0].isupper() and len(letters[0]) <= 3 and "." not in word


def _given_words(given: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(fold(given))]


def _initials_only(given: str) -> bool:
    """Whether every given name is an initial ("E. J.", "J.-P.", "EJ").

    >>> _initials_only("E. J."), _initials_only("EJ"), _initials_only("Edward J.")
    (True, True, False)
    """
    words = _WORD.findall(given)
    return all(len(w) == 1 or (w.isupper() and len(w) <= 3) for w in words)


def _basis(name: str) -> tuple[str, bool]:
    """The folded name people are compared by, and whether it has initials only."""
    family, given = split_name(name)
    fam = " ".join(w.lower() for w in _WORD.findall(fold(family)))
    if _initials_only(given):
        letters = "".join(w if len(w) <= 3 and w.isupper() else w[0] for w in _WORD.findall(given)).lower()
        return f"{fam}|{letters}", True
    return f"{fam}|{' '.join(_given_words(given))}", False


def _hash6(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:6]


def _display(spellings: Counter[str]) -> str:
    return max(spellings, key=lambda s: (spellings[s], len(s), s))


def _slug_of(name: str) -> str:
    family, given = split_name(name)
    return slug(f"{given} {family}".strip(), 60)


def resolve_people(papers: Sequence[Paper]) -> People:
    """The persons who wrote ``papers`` (module docstring), deterministic for any order of input.

    Parameters
    ----------
    papers : sequence of Paper

    Returns
    -------
    People
        The persons in key order, and for each paper the keys of its authors in author order
        (placeholders left out; a name twice in one paper counted once).
    """
    occurrences: list[tuple[str, int, str, str, bool]] = []  # paper, position, name, basis, initials
    bases_of: dict[str, set[str]] = defaultdict(set)
    orcid_of: dict[int, str] = {}
    seen: dict[str, tuple[str, bool] | None] = {}  # name -> its basis (None: a placeholder), once each
    for paper in sorted(papers, key=lambda p: p.key):
        given = {_basis(name)[0]: iD for name, iD in paper.orcids}
        for position, name in enumerate(paper.authors):
            found = seen.get(name, False)
            if found is False:
                found = seen[name] = None if is_placeholder(name) else _basis(name)
            if found is None:
                continue
            basis, initials = found
            if basis in given:
                orcid_of[len(occurrences)] = given[basis]
            occurrences.append((paper.key, position, name, basis, initials))
            bases_of[paper.key].add(basis)
    groups: dict[str, list[int]] = defaultdict(list)  # person id -> occurrences
    by_basis: dict[str, list[int]] = defaultdict(list)
    orcids_by_basis: dict[str, set[str]] = defaultdict(set)
    for i, iD in orcid_of.items():
        orcids_by_basis[occurrences[i][3]].add(iD)
    for i, (_, _, _, basis, initials) in enumerate(occurrences):
        if i in orcid_of:
            groups["orcid:" + orcid_of[i]].append(i)
        elif not initials and len(orcids_by_basis.get(basis, ())) == 1:
            groups["orcid:" + next(iter(orcids_by_basis[basis]))].append(i)  # the one ORCID of the name
        elif initials:
            by_basis[basis].append(i)
        else:
            groups["full:" + basis].append(i)
    for basis, members in by_basis.items():
        for n, cluster in enumerate(_by_coauthors(members, occurrences, bases_of)):
            groups[f"init:{basis}:{n}"] = cluster
    made: list[tuple[str, str, Counter[str], list[str], list[int]]] = []  # key, name, spellings, papers, …
    for gid, members in groups.items():
        spellings = Counter(occurrences[i][2] for i in members)
        name = _display(spellings)
        paper_keys = sorted({occurrences[i][0] for i in members})
        key = "person/" + _slug_of(name)
        if gid.startswith("init:"):
            key += "-" + _hash6(paper_keys[0])
        elif gid.startswith("orcid:"):
            key = "person/orcid-" + gid[6:].lower()
        made.append((key, name, spellings, paper_keys, members))
    # two people whose keys coincide (names of different bases with one slug): all but the first,
    # by their papers, add a hash of their first paper and name
    made.sort(key=lambda m: (m[0], m[3], m[1]))
    persons: list[Person] = []
    key_of: dict[int, str] = {}
    for n, (key, name, spellings, paper_keys, members) in enumerate(made):
        if n and made[n - 1][0] == key:
            key = f"{key}-{_hash6(paper_keys[0] + '|' + name)}"
        for i in members:
            key_of[i] = key
        iD = key[len("person/orcid-") :].upper() if key.startswith("person/orcid-") else None
        persons.append(Person(key, name, tuple(sorted(spellings)), tuple(paper_keys), iD))
    by_paper: dict[str, list[str]] = defaultdict(list)
    for i, (paper_key, _, _, _, _) in enumerate(occurrences):
        if key_of[i] not in by_paper[paper_key]:
            by_paper[paper_key].append(key_of[i])
    return People(
        tuple(sorted(persons, key=lambda p: p.key)), {k: tuple(v) for k, v in sorted(by_paper.items())}
    )


def _by_coauthors(
    members: list[int], occurrences: list[tuple[str, int, str, str, bool]], bases_of: dict[str, set[str]]
) -> list[list[int]]:
    """The occurrences of one initials-only name, joined where their papers share another author
    (linear in the co-authors: each co-author name links to the first occurrence that had it)."""
    parent = list(range(len(members)))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    basis = occurrences[members[0]][3]
    first_with: dict[str, int] = {}
    for n, i in enumerate(members):
        for coauthor in bases_of[occurrences[i][0]] - {basis}:
            if coauthor in first_with:
                parent[find(n)] = find(first_with[coauthor])
            else:
                first_with[coauthor] = n
    clusters: dict[int, list[int]] = defaultdict(list)
    for n, i in enumerate(members):
        clusters[find(n)].append(i)
    return sorted(clusters.values(), key=lambda c: min(occurrences[i][0] for i in c))
