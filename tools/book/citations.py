"""One citation style: "Yin et al., 2024" in the text and in the bibliography.

``bibtex_reference_style: author_year`` makes sphinxcontrib-bibtex cite in the text as
"[Yin et al., 2024]", but the bibliography keeps the labels of its default pybtex style,
``alpha`` ("[YCQ+24]"), so a reader cannot match a citation to its entry at a glance.  The
formatting style registered here, ``blina`` (``bibtex_default_style`` in ``_config.yml``), is
pybtex's ``plain`` with author–year labels made the same way as the citations, and entries
sorted by author, year and title.  Two works whose labels would coincide get "a", "b", … after
the year.
"""

from __future__ import annotations

from collections import Counter

from pybtex.plugin import register_plugin
from pybtex.style.formatting.plain import Style as PlainStyle
from pybtex.style.labels import BaseLabelStyle

__all__ = ["STYLE", "AuthorYearLabels", "AuthorYearStyle", "author_year", "register"]

#: the name of the formatting style (``bibtex_default_style``)
STYLE = "blina"


def _last_name(person) -> str:
    return " ".join(person.prelast_names + person.last_names).replace("{", "").replace("}", "")


def author_year(entry) -> str:
    """``"Yin et al., 2024"``, ``"Clopper and Pearson, 1934"``, ``"Kaplan, 1958"``: the
    first author's last name (with "and" and the second for two authors, "et al." for more),
    a comma and the year, as sphinxcontrib-bibtex's ``author_year`` citations print it."""
    people = entry.persons.get("author") or entry.persons.get("editor") or []
    if not people:
        names = entry.fields.get("key") or entry.fields.get("title", entry.key)
    elif len(people) == 1:
        names = _last_name(people[0])
    elif len(people) == 2:
        names = f"{_last_name(people[0])} and {_last_name(people[1])}"
    else:
        names = f"{_last_name(people[0])} et al."
    return f"{names}, {entry.fields.get('year', 'n.d.')}"


class AuthorYearLabels(BaseLabelStyle):
    """Labels from :func:`author_year`, made unique with "a", "b", … after the year."""

    def format_labels(self, sorted_entries):
        entries = list(sorted_entries)
        labels = [author_year(e) for e in entries]
        repeated = Counter(labels)
        seen: Counter = Counter()
        for label in labels:
            if repeated[label] > 1:
                seen[label] += 1
                label = f"{label}{chr(ord('a') + seen[label] - 1)}"
            yield label


class AuthorYearStyle(PlainStyle):
    """pybtex's ``plain`` entries, author–year labels, sorted by author, year and title."""

    default_label_style = AuthorYearLabels
    default_sorting_style = "author_year_title"


def register() -> None:
    """Register :class:`AuthorYearStyle` as the pybtex formatting style :data:`STYLE`."""
    register_plugin("pybtex.style.formatting", STYLE, AuthorYearStyle, force=True)
