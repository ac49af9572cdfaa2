"""Build the word clusters the names CRF uses as features: `index/data/word_clusters.txt`.

    python -m tools.build_word_clusters --data ../shared/data --out index/data/word_clusters.txt

Why: a CRF trained on 200,000 words of 1996 Reuters has never seen most words of today's news;
a word's cluster (words used in the same contexts: `nokia` with `motorola`, `frankfurt` with
`zurich`) lets what the model learnt about one word carry to its neighbours. The clusters are
learnt without labels: word2vec (gensim, skip-gram) over lower-cased tokens of the product's own
tokenizer, digits folded to `0`, then k-means (scikit-learn) of the unit vectors at three
granularities.

Unlabelled text read (about 3 million tokens), and its terms:
- SQuAD v1.1 training contexts (`squad-train-v1.1-explorer.json`, Wikipedia, CC BY-SA 4.0);
- CoQA's CNN training stories (`coqa/coqa_train_cnn.json`, the DeepMind CNN set, Apache licence
  per CoQA; the texts are CNN's);
- TempEval-3 training documents (`tempeval3-train/tbaq_*.jsonl`, 1990s newswire, research use);
- CoNLL-2003 training text (`conll2003/train.jsonl`, Reuters RCV1) without the 15 % of documents
  `tools.train_names --holdout` holds out, so that held-out part stays unseen.
Never the CoNLL test set, TempEval-3 platinum or MEANTIME (an evaluation set). The shipped file
holds words and cluster numbers only (no sentence of any text), the way word-cluster resources
derived from newswire are commonly distributed.

Reproducible: one worker thread, fixed seeds and a deterministic hash for gensim's vector
initialisation, k-means with one thread and a fixed seed.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import zlib
from collections.abc import Iterator
from pathlib import Path

from index.names.lexicon import TOKEN_RE, cluster_key, norm

SEED = 20031
SIZES = (64, 256, 1024)
MIN_COUNT = 5


def _tokens(text: str) -> Iterator[list[str]]:
    """Lines of `text` as lists of word keys (punctuation dropped)."""
    for line in norm(text).split("\n"):
        words = [cluster_key(m.group()) for m in TOKEN_RE.finditer(line) if m.lastgroup != "punct"]
        if words:
            yield words


def _jsonl(path: Path) -> Iterator[dict]:
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                yield json.loads(line)


def texts(data: Path) -> Iterator[tuple[str, str]]:
    """(source, text) of every unlabelled document, in a fixed order."""
    from tools.train_names import split  # the same held-out documents as the CRF's model selection

    squad = json.loads((data / "squad-train-v1.1-explorer.json").read_text(encoding="utf-8"))
    for article in squad["data"]:
        for para in article["paragraphs"]:
            yield "squad", para["context"]
    seen: set[str] = set()
    coqa = json.loads((data / "coqa" / "coqa_train_cnn.json").read_text(encoding="utf-8"))
    for story in coqa["data"]:
        if story["filename"] not in seen:  # some articles carry two conversations
            seen.add(story["filename"])
            yield "coqa", story["story"]
    for name in ("tbaq_timebank.jsonl", "tbaq_aquaint.jsonl"):
        for row in _jsonl(data / "tempeval3-train" / name):
            yield "tempeval3", row["text"]
    train, _held = split(list(_jsonl(data / "conll2003" / "train.jsonl")), 0.15)
    for row in train:
        yield "conll-train", row["text"]


def _hash(s: str) -> int:
    return zlib.crc32(s.encode("utf-8"))


def build(data: Path, out: Path, dim: int, epochs: int) -> None:
    import numpy as np
    from gensim.models import Word2Vec
    from sklearn.cluster import KMeans
    from threadpoolctl import threadpool_limits

    sentences: list[list[str]] = []
    per_source: dict[str, int] = {}
    for source, text in texts(data):
        for words in _tokens(text):
            sentences.append(words)
            per_source[source] = per_source.get(source, 0) + len(words)
    print("tokens:", per_source, "total", sum(per_source.values()))
    t0 = time.time()
    model = Word2Vec(
        sentences,
        vector_size=dim,
        window=5,
        min_count=MIN_COUNT,
        sg=1,
        negative=5,
        sample=1e-4,
        epochs=epochs,
        workers=1,
        seed=SEED,
        hashfxn=_hash,
    )
    words = list(model.wv.index_to_key)
    vecs = model.wv.vectors.astype(np.float64)
    vecs /= np.linalg.norm(vecs, axis=1, keepdims=True) + 1e-12
    print(f"word2vec: {len(words)} words of {MIN_COUNT}+ occurrences, {time.time() - t0:.0f} s")
    columns = []
    with threadpool_limits(1):
        for k in SIZES:
            t1 = time.time()
            km = KMeans(n_clusters=k, n_init=1, max_iter=100, random_state=SEED).fit(vecs)
            columns.append(km.labels_)
            print(f"k-means {k}: {time.time() - t1:.0f} s")
    lines = [
        "# word clusters for the names CRF, built by `python -m tools.build_word_clusters` (see its docstring",
        "# for the unlabelled text and its terms): word key, then its k-means cluster at "
        + ", ".join(str(k) for k in SIZES)
        + " clusters",
    ]
    for n, w in sorted(enumerate(words), key=lambda x: x[1]):
        lines.append(w + "\t" + "\t".join(str(int(c[n])) for c in columns))
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{out}: {len(words)} words, {out.stat().st_size / 1e6:.2f} MB")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m tools.build_word_clusters", description=__doc__.split("\n")[0])
    ap.add_argument("--data", default="../shared/data", help="the shared data folder")
    ap.add_argument("--out", default="index/data/word_clusters.txt")
    ap.add_argument("--dim", type=int, default=100)
    ap.add_argument("--epochs", type=int, default=10)
    args = ap.parse_args(argv)
    build(Path(args.data), Path(args.out), args.dim, args.epochs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
