"""Names in news text: the learnt recogniser (a CRF trained on CoNLL-2003), its word lists and rules.

`RECOGNISER_VERSION` changes whenever the model or the rules change what is found: saved entity
layers built with another version are stale.
"""

from index.names.recogniser import RECOGNISER_VERSION, Mention, find_mentions

__all__ = ["RECOGNISER_VERSION", "Mention", "find_mentions"]
