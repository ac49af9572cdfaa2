"""The word-shape table is filled as characters are met (`features._ShapeTable`), not made whole at
import: every code point translates as the whole Basic Multilingual Plane's table did."""

from __future__ import annotations

from index.names import features


def _eager() -> dict[int, str]:
    """The table as it was made at import (before it was filled lazily)."""
    table = {}
    for c in range(0x10000):
        ch = chr(c)
        if ch.isupper():
            table[c] = "X"
        elif ch.islower():
            table[c] = "x"
        elif ch.isdigit():
            table[c] = "d"
    return table


def test_every_code_point_has_the_shape_the_whole_table_gave() -> None:
    text = "".join(map(chr, range(0x110000)))
    fresh = features._ShapeTable()
    assert not fresh  # nothing made before a character is met
    assert text.translate(fresh) == text.translate(_eager())
    assert text.translate(fresh) == text.translate(_eager())  # filled: the same again
    eager = _eager()
    for word in ("McDonald's", "2024", "ᏣᎳᎩ", "𝐀b", "İstanbul", "ſtraße", "Ⅻ", "١٢٣"):
        long = word.translate(eager)
        assert features._shape(word) == (features._RUNS.sub(r"\1", long), long[:8])
