"""A phrasal verb the articles lack, read as its one-word meaning the articles hold.

"will anthropic get rid of the check", "is anthropic gonna take the check out": the article
says the mechanism "would be removed", and neither "get", "rid", "take" nor "out" is its word.
`data/phrasal_en.txt` (WordNet's multiword verbs, `python -m tools.make_phrasal`) gives each
phrasal verb the one-word verbs of its most frequent senses; `read` puts the first one the
articles hold in the phrase's place. Like the synonyms (index.answer.spelling), only where the
articles lack a word of the phrase: "when did the battle take place" over articles that say
"took place" is left as typed. A two-word phrase whose second word is a particle may have up to
GAP words between ("take the check out"). One pass over the question's words, a lookup a word.
"""

from __future__ import annotations

import re
from collections.abc import Container
from functools import lru_cache
from importlib import resources

from index.search import tokens

PHRASAL = True  # round 19 (docs/answers.md, seedq19); off: questions read as typed
GAP = 3
PARTICLES = frozenset("up out off down in on over away around back along together apart aside".split())
_WORD = re.compile(r"[a-z]+(?:'[a-z]+)?")

Phrase = tuple[tuple[str, ...], tuple[str, ...]]  # the stems after the head, the one-word verbs


@lru_cache(maxsize=1)
def _table() -> tuple[dict[str, list[Phrase]], dict[str, str]]:
    """Head verb stem -> its phrases (longest first); irregular form -> its head verb."""
    text = resources.files("index.data").joinpath("phrasal_en.txt").read_text(encoding="utf-8")
    by_head: dict[str, list[Phrase]] = {}
    forms: dict[str, str] = {}
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        if line.startswith("@"):
            form, lemma = line[1:].split()
            forms[form] = lemma
            continue
        phrase, _, meanings = line.partition("\t")
        head, *rest = phrase.split()
        by_head.setdefault(tokens.stem(head), []).append((tuple(tokens.stem(w) for w in rest), tuple(meanings.split())))
    for phrases in by_head.values():
        phrases.sort(key=lambda p: -len(p[0]))
    return by_head, forms


def _match(stems: list[str], start: int, rest: tuple[str, ...]) -> tuple[int, ...] | None:
    """Positions of `rest` after the head at `start`: next to it, or (a lone particle) up to GAP
    words later.
    """
    after = stems[start + 1 : start + 1 + len(rest)]
    if tuple(after) == rest:
        return tuple(range(start + 1, start + 1 + len(rest)))
    if len(rest) == 1 and rest[0] in PARTICLES:
        for at in range(start + 2, min(start + 2 + GAP, len(stems))):
            if stems[at] == rest[0]:
                return (at,)
    return None


def read(text: str, vocab: Container[str]) -> str:
    """`text` with each phrasal verb whose words the articles (`vocab`, index terms) do not all
    hold replaced by its first one-word meaning they hold; unchanged otherwise.
    """
    if not PHRASAL:
        return text
    found = list(_WORD.finditer(text.lower()))
    if len(found) < 2:
        return text
    by_head, forms = _table()
    words = [m.group() for m in found]
    stems = [tokens.stem(forms.get(w, w)) for w in words]
    put: dict[int, str] = {}  # word position -> what stands there now ("" : dropped)
    for i, stem in enumerate(stems):
        if i in put or stem not in by_head:
            continue
        for rest, meanings in by_head[stem]:
            at = _match(stems, i, rest)
            if at is None or any(j in put for j in at):
                continue
            said = " ".join([forms.get(words[i], words[i]), *(words[j] for j in at)])  # "took" as "take"
            if all(t in vocab for t in tokens.tokenize(said)):
                break  # the articles may say it as it is asked
            meaning = next((m for m in meanings if all(t in vocab for t in tokens.tokenize(m))), None)
            if meaning is not None:
                put[i] = meaning
                put.update((j, "") for j in at)
            break
    if not put:
        return text
    pieces, last = [], 0
    for i in sorted(put):
        start, end = found[i].span()
        before = text[last:start]
        pieces += [before if put[i] else before.rstrip(), put[i]]  # a dropped particle takes its space
        last = end
    pieces.append(text[last:])
    return " ".join("".join(pieces).split())


__all__ = ["GAP", "PHRASAL", "read"]
