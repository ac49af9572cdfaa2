"""Names in news text: the learnt recogniser, its word lists and rules."""

from .recogniser import Mention, find_mentions

__all__ = ["Mention", "find_mentions"]
