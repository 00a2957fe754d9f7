"""Numbers a reader can search for: "82.62" is one word of the search index.

Sphinx's English search language splits text at every character that is not a letter, digit
or underscore, so "82.62" is indexed as the two words "82" and "62"; its ``searchtools.js``
splits a query the same way and then drops every all-digit term, so a search for "82.62"
(or "95.46", "0.0129") searches for nothing and finds nothing.  :class:`NumberSearch` keeps a
decimal number together both in the index (:attr:`NumberSearch._word_re`) and in the query
(:attr:`NumberSearch.js_splitter_code`, which Sphinx writes into ``language_data.js`` as
``splitQuery``); a decimal number is not all digits, so the query keeps it.  Whole numbers
stay unsearchable (Sphinx drops them from queries on purpose: they match too much).
"""

from __future__ import annotations

import re

from sphinx.search import languages
from sphinx.search.en import SearchEnglish

__all__ = ["NUMBER", "NumberSearch", "register"]

#: a decimal number ("82.62", "0.0129", "1,000.5"), kept as one word
NUMBER = r"\d+(?:[.,]\d+)+"


class NumberSearch(SearchEnglish):
    """English search that indexes and queries decimal numbers as single words."""

    _word_re = re.compile(rf"{NUMBER}|\w+")
    js_splitter_code = (
        "var splitQuery = (query) => query\n"
        f"  .split(/({NUMBER})|[^\\p{{Letter}}\\p{{Number}}_\\p{{Emoji_Presentation}}]+/gu)\n"
        "  .filter(term => term);\n")


def register() -> None:
    """Make :class:`NumberSearch` the search language of English pages."""
    languages["en"] = NumberSearch
