"""Field parsers shared by the readers: dates and authors."""

from __future__ import annotations

import pytest

from papergraph.sources.fields import normalise_date, split_authors


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2023-06-29", "2023-06-29"),
        ("2023-06-29T10:11:12Z", "2023-06-29"),
        ("Jun 29, 2023", "2023-06-29"),
        ("29 June 2023", "2023-06-29"),
        ("June 2023", "2023-06"),
        ("2023-06", "2023-06"),
        ("2023", "2023"),
        (2023, "2023"),
        ("2023/02/30", "2023-02"),
        ("29/06/2023", "2023-06-29"),
        ("05/06/2023", "2023"),
        ("next week", None),
        ("", None),
    ],
)
def test_normalise_date(value, expected):
    assert normalise_date(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (["Ann Lee", " Bo  Li "], ("Ann Lee", "Bo Li")),
        ([{"name": "Ann Lee"}, {"given": "Bo", "family": "Li"}], ("Ann Lee", "Bo Li")),
        ("Ann Lee and Bo Li", ("Ann Lee", "Bo Li")),
        ("A. Smith, B. Jones, and C. Lee", ("A. Smith", "B. Jones", "C. Lee")),
        ("Lee, Ann; Li, Bo", ("Lee, Ann", "Li, Bo")),
        ("Lee, Ann", ("Lee, Ann",)),
        (None, ()),
    ],
)
def test_split_authors(value, expected):
    assert split_authors(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        # older Scopus CSVs: "Surname, I., Surname, I." (one comma inside each name, one between)
        ("Pan, Y., Yu, C., Zhang, W.", ("Pan, Y.", "Yu, C.", "Zhang, W.")),
        ("van der Berg, J., De Souza, A.B.", ("van der Berg, J.", "De Souza, A.B.")),
        ("Lee, J.-H., Kim, S.", ("Lee, J.-H.", "Kim, S.")),
        # newer Scopus, and names that are not initials, stay as they were read
        ("Grunwald S., Speer A., Ackermann J.", ("Grunwald S.", "Speer A.", "Ackermann J.")),
        ("Doe, Jane", ("Doe, Jane",)),
        ("Pan, Y.", ("Pan, Y.",)),
        ("Smith, John, Jones, Mary", ("Smith, John, Jones, Mary",)),
    ],
)
def test_surname_initials_lists_are_split(value: str, expected: tuple[str, ...]) -> None:
    assert split_authors(value) == expected
