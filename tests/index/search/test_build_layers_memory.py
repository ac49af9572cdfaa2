"""The layers' merge in a build reads only what articles with mentions need: their passage rows
as Python lists and their bodies; the files it saves are those of a merge over every article."""

import json
from pathlib import Path

import numpy as np

from index.ingest.files import load_seeds
from index.names import Mention
from index.search import build as builder
from index.search import layers, store


def _articles(tmp_path: Path) -> list:
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    lines = [  # bodies of different lengths: each article's rows have offsets of their own
        {"id": f"a{i}", "title": f"Story {i}", "text": f"{'So. ' * i}Anna Berg visited Oslo on day {i}.\nIt rained."}
        for i in range(6)
    ]
    (seeds / "a.jsonl").write_text("".join(json.dumps(x) + "\n" for x in lines), encoding="utf-8")
    return load_seeds(seeds).articles


def _mention(body: str, text: str, kind: str) -> Mention:
    start = body.index(text)
    return Mention(start, start + len(text), text, kind, text)


class _Counting(builder._StoredArticles):
    """Stored articles that record which bodies were unpacked."""

    unpacked: list[int]

    def __getitem__(self, i):  # type: ignore[override]
        self.unpacked.append(i)
        return super().__getitem__(i)


def test_the_merge_unpacks_only_articles_with_mentions_and_saves_the_same_files(tmp_path):
    articles = _articles(tmp_path)
    rows, _ = builder.split_and_index(articles, workers=1)
    mentions = [
        [_mention(a.body, "Anna Berg", "PERSON"), _mention(a.body, "Oslo", "GPE")] if i in (1, 4) else []
        for i, a in enumerate(articles)
    ]
    records: list[list] = [[] for _ in articles]
    expected = layers.assemble(articles, rows, mentions, records)
    with store.GenerationWriter(tmp_path / "index") as writer:
        for article in articles:
            writer.add_packed(store.pack_body(article.body))
        stored = _Counting([a.meta() for a in articles], writer.bodies(), writer.body_offsets)
        stored.unpacked = []
        files, arrays, counts = layers.assemble(stored, rows, mentions, records)
    assert sorted(set(stored.unpacked)) == [1, 4]
    assert files == expected[0] and counts == expected[2] and counts["entities"] >= 2
    assert arrays.keys() == expected[1].keys() and all(np.array_equal(arrays[k], expected[1][k]) for k in arrays)


def test_the_passages_of_articles_with_mentions_are_those_of_every_row(tmp_path):
    articles = _articles(tmp_path)
    rows, _ = builder.split_and_index(articles, workers=1)
    first = np.searchsorted(rows["doc"], np.arange(len(articles) + 1)).tolist()
    for chosen in [(), (0,), (2, 3), (5,), tuple(range(6))]:
        mentions = [[_mention(a.body, "Anna", "PERSON")] if i in chosen else [] for i, a in enumerate(articles)]
        whole = [
            p
            for d, a in enumerate(articles)
            if mentions[d]
            for p in layers._passages_from(rows, first[d], first[d + 1], a.doc_id, a.body)
        ]
        assert layers._mentioned_passages(articles, rows, mentions) == whole
