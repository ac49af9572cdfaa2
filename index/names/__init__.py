"""Names in news text: the learnt recogniser (a CRF trained on CoNLL-2003), its word lists and rules.

`RECOGNISER_VERSION` changes whenever the model or the rules change what is found: saved entity
layers built with another version are stale.

The recogniser (`index.names.recogniser`: the CRF, the rules, the shape table) loads on first use
of `find_mentions`: a question, or reading saved layers, never needs it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from index.names.mention import Mention

if TYPE_CHECKING:
    from index.names.recogniser import find_mentions

# 2: the CoNLL-2003 CRF under the rules; 3: product, event and role rules; 4: round 11's audit (docs/names.md); 5: round 19, a reader's view; 6: round 19, common words;
# 7: round 20, other agencies (hyphen modifiers, companies, place heads, demonyms); 8: round 20, "Port of Miami"
# 9: round 21, a short form of a person named in full is the person ("the Castro regime"); "Florida Straits" a place
# 10: round 21, a given name alone is the one person of the story it starts ("Sir John" of Sir John Egan)
# 11: round 21, legal forms of companies abroad ("Montedison S.p.A", "Nokia Oyj", "Erbamont N.V.") type their companies
# 12: round 22, a person after a chain of place, office and title is the person alone ("County Sheriff Dewey Ostrander")
# 13: round 22, the names inside a title-case quotation are one work's title ("Papa's Delicate Condition")
# 14: round 22, office titles do not count when two names of one surname are compared ("Mayor Filner" is "Bob Filner")
# 15: round 22, a work's title in quotes is never the long form of its first word ("Dickens and London")
# 16: round 22, a place named by a building's head is a building or a school ("Westminster Abbey" LOC, not GPE)
# 17-21: round 22, the rest (nicknames, speech quoted in title case, shared surnames, a title left at the end of a place)
# 22: round 23, a structure or site typed ORG or PERSON is a place ("Poienari Castle", "Neverland Ranch"), unless it speaks
# 23: round 23, a word capitalised by its position before a surname is no given name ("Despite Bale" beside Gareth Bale); 24: not an initial
# 25: round 24, a byline with a role or an agency (`By Jane Doe, Staff Writer`, `| Reuters`) is metadata too
# 26: round 27, a gazetteer place never overrules a sure CRF organisation ("Milwaukee 4 Oakland 2": the clubs)
# 27: round 28, a byline under a headline (the ingest's: a `By` line among the first three) is metadata too
# 28: round 28, a wire dateline's place in capitals ("DETROIT (AP) —") is looked up as the place; a dateline under a headline counts
RECOGNISER_VERSION = "28"

__all__ = ["RECOGNISER_VERSION", "Mention", "find_mentions"]


def __getattr__(name: str) -> Any:
    """`find_mentions`, imported from the recogniser on first use."""
    if name == "find_mentions":
        from index.names import recogniser

        return recogniser.find_mentions
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
