"""A commit of a few articles saves their layer inputs only; the live view's entities, timeline
and `/source` suggestions, assembled on first use, equal those of a whole build of the same seeds.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from index.corpus import Corpus
from index.search import build as builder
from index.search import layers

ARTICLES = {
    "strike": "---\ntitle: Port strike\ndate: 2026-03-02\n---\n"
    "Dock workers at the Port of Rotterdam will strike on March 9, 2026, the union said.\n"
    "The strike was called by Marta Vos, who leads the union.\n",
    "airbus": "---\ntitle: Airbus orders\ndate: 2026-02-11\n---\n"
    "Airbus said on February 10, 2026 that Lufthansa ordered twelve aircraft.\n"
    "Guillaume Faury welcomed the order in Toulouse.\n",
    "gm": "---\ntitle: GM recall\ndate: 2026-01-20\n---\n"
    "General Motors recalled 40,000 trucks on January 19, 2026.\n"
    "Mary Barra said GM would repair them in Detroit.\n",
}
LATE = (
    "---\ntitle: Strike talks\ndate: 2026-03-05\n---\n"
    "Marta Vos met General Motors and Airbus suppliers in Rotterdam on March 6, 2026.\n"
)


def _seen(corpus: Corpus) -> dict[str, Any]:
    """The layers as a reader sees them, without passage numbers (a chain numbers them otherwise)."""
    text = {p.pid: (p.doc_id, p.text) for p in corpus.all_passages()}
    # Not the type: a name tagged ORG once and PERSON once takes the first seen, and a chain
    # lists its articles in another order than a build (as the commit-time assembly did).
    entities = sorted(
        (e.name, e.mentions, tuple(e.articles), tuple(sorted(text[pid] for pid in e.cited_pids())))
        for e in corpus.entities().all()
    )
    events = [
        (e.passage.doc_id, e.passage.text, tuple(e.entities), tuple(d.value for d in e.dates))
        for e in corpus.timeline()
    ]
    suggestions = {p: sorted(corpus.suggest_articles(p)) for p in ("", "s", "port", "gm", "talks", "a")}
    return {"entities": entities, "events": events, "suggestions": suggestions}


@pytest.fixture
def commit_rules(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(builder, "MAX_SEGMENTS", 8)
    monkeypatch.setattr(builder, "MERGE_SHARE", 10.0)  # never merge: every change is a segment


def test_a_commit_assembles_no_layers_and_the_chain_reads_as_a_build(tmp_path: Path, commit_rules, monkeypatch):
    seeds, index_dir = tmp_path / "seeds", tmp_path / "index"
    seeds.mkdir()
    for name, text in ARTICLES.items():
        (seeds / f"{name}.md").write_text(text, encoding="utf-8")
    corpus = Corpus.open(seeds, index_dir)
    assert corpus.whole_layers
    (seeds / "late.md").write_text(LATE, encoding="utf-8")
    (seeds / "airbus.md").unlink()
    assemble = layers.assemble_objects

    def not_on_commit(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("a commit of one article assembled the layers of the whole corpus")

    monkeypatch.setattr(layers, "assemble_objects", not_on_commit)
    chain = corpus.reindex()
    assert chain.saved.meta["segments"] and not chain.whole_layers
    assert layers.ENTITIES not in chain.saved.meta["files"] and layers.INPUTS in chain.saved.meta["files"]
    counted = chain.footprint(["late"])  # counted from the new article's saved inputs alone
    assert counted.articles == 1 and counted.events == 1 and counted.names >= 3
    assert chain.answer("Who met suppliers in Rotterdam?", k=1).hits[0].passage.doc_id == "late"
    monkeypatch.setattr(layers, "assemble_objects", assemble)
    live = _seen(chain)
    assert any("late" in e[2] for e in live["entities"]) and not any("airbus" in e[2] for e in live["entities"])
    assert any(event[0] == "late" for event in live["events"])
    rebuilt = Corpus.open(seeds, tmp_path / "rebuilt")
    assert rebuilt.whole_layers
    assert live == _seen(rebuilt)
