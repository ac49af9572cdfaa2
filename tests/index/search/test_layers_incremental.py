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


# Articles sharing names with one another in every way the merge rules join them: a full name
# and its short form ("Tim Cook" joins "Timothy D. Cook"), a lone surname, an alias ("US" joins
# "United States"), a company and its suffix ("Apple Inc."), one name in several articles.
POOL = {
    "cook": "Apple chief executive Timothy D. Cook said on March 3, 2026 that Apple Inc. would open a plant in Austin.",
    "tim": "Tim Cook met President Joe Biden in Washington on March 5, 2026.\n"
    "Cook said the United States needed chips.",
    "barra": "Mary Barra said General Motors would cut 2,000 jobs in Detroit on January 9, 2026.\nGM shares fell.",
    "detroit": "Barra told reporters in Detroit that the US market was slowing on January 12, 2026.\n"
    "Joe Biden did not comment.",
    "vos": "Marta Vos, who leads the dockers' union, called a strike at the Port of Rotterdam on March 9, 2026.\n"
    "READ: General Motors and Apple suppliers wait in Rotterdam (March 2, 2026)",  # a base related line
    "suppliers": "Vos met General Motors and Apple suppliers in Rotterdam on March 6, 2026.",
    "chips": "The United States and the US Congress backed Apple Inc. on chips on April 2, 2026.\n"
    "Timothy D. Cook thanked Joe Biden.",
}
CORRECTED = {
    "cook": "Timothy D. Cook said on March 4, 2026 that a plant in Austin would open.",  # "Apple" leaves
    "tim": "Tim Cook met Joe Biden in Washington on March 5, 2026.",
    "barra": "Mary Barra of General Motors said on January 10, 2026 that 1,500 jobs would go.",
    "chips": "The US Congress backed Apple on April 3, 2026.",
}


def _md(doc_id: str, body: str, day: int) -> str:
    return f"---\ntitle: {doc_id.title()} news\ndate: 2026-0{1 + day % 4}-{10 + day:02d}\n---\n{body}\n"


def _exact(corpus: Corpus) -> dict[str, Any]:
    """Every field of the layers a reader uses, in their order, sentences named by article and text."""
    text = {p.pid: (p.doc_id, p.text) for p in corpus.all_passages()}
    entities = corpus.entities()
    return {
        "entities": [
            (*(v for k, v in e.to_json().items() if k not in ("cited", "related")),)
            + (tuple((text[c[0]], c[1], c[2]) for c in e.cited_lists()), tuple(text[p] for p in e.related))
            for e in entities.all()
        ],
        "names": {n: getattr(entities.get(n), "name", None) for n in ("Cook", "Tim Cook", "GM", "US", "Vos", "Apple")},
        "complete": {p: entities.complete(p) for p in ("", "c", "tim", "u", "b", "joe", "apple inc")},
        "timeline": corpus.events_json(),  # every event with its sentence, dates and names, in order
        "suggestions": {p: corpus.suggest_articles(p) for p in ("", "c", "tim news", "news", "v", "s")},
    }


def _whole_assembly(seeds: Path, index_dir: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """A second reader of the same chain that assembles its layers whole from every live article's
    inputs (what a chain's reader did before they were merged at read).
    """
    with monkeypatch.context() as patched:
        patched.setattr(layers, "assemble_chain", lambda *args, **kwargs: None)
        return _exact(Corpus.open(seeds, index_dir))


@pytest.mark.parametrize("max_segments", [16, 3])  # 3: the segments after the base merge (`_merge_tail`)
def test_adds_replacements_and_removals_sharing_names_with_the_base_read_as_a_whole_build(
    tmp_path: Path, commit_rules: None, monkeypatch: pytest.MonkeyPatch, max_segments: int
) -> None:
    monkeypatch.setattr(builder, "MAX_SEGMENTS", max_segments)
    seeds, index_dir = tmp_path / "seeds", tmp_path / "index"
    seeds.mkdir()
    for day, name in enumerate(("cook", "barra", "vos", "chips", "detroit")):
        (seeds / f"{name}.md").write_text(_md(name, POOL[name], day), encoding="utf-8")
    corpus = Corpus.open(seeds, index_dir)
    assert corpus.whole_layers and layers.ENTITY_KEYS in corpus.saved.meta["files"]
    base = corpus.saved.path.name
    steps: list[tuple[str, str]] = [
        ("add", "tim"),  # "Tim Cook" joins the base's "Timothy D. Cook"
        ("replace", "cook"),  # the base's article that brought "Timothy D. Cook" first, corrected
        ("add", "suppliers"),  # "Apple" and "General Motors" join base entities
        ("remove", "barra"),  # the only "Mary Barra"
        ("replace", "tim"),  # an added article replaced
        ("remove", "chips"),  # "United States" leaves with it: the base's "US" stands alone
        ("add", "barra"),
    ]
    merge = layers.assemble_chain
    merged: list[Any] = []

    def recorded(*args: Any, **kwargs: Any) -> Any:
        merged.append(merge(*args, **kwargs))
        return merged[-1]

    def whole(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("the chain's layers were assembled whole")

    for day, (op, name) in enumerate(steps, start=10):
        path = seeds / f"{name}.md"
        if op == "remove":
            path.unlink()
        else:
            path.write_text(_md(name, (CORRECTED if op == "replace" else POOL)[name], day), encoding="utf-8")
        corpus = corpus.reindex()
        assert corpus.saved.meta["segments"] and not corpus.whole_layers, "every change is a segment here"
        assert corpus.saved.meta["segments"][0] == base and len(corpus.saved.meta["segments"]) < max_segments
        expected = _whole_assembly(seeds, index_dir, monkeypatch)
        merged.clear()
        with monkeypatch.context() as patched:
            patched.setattr(layers, "assemble_chain", recorded)
            patched.setattr(layers, "assemble_objects", whole)
            if (op, name) == ("add", "tim"):  # answers read the chain's names: "Tim Cook" joined at once
                corpus.answer("Who met Joe Biden in Washington?")
                assert merged and merged[0] is not None
                assert corpus.entities().get("Tim Cook") is corpus.entities().get("Timothy D. Cook") is not None
            got = _exact(corpus)
        assert merged and merged[0] is not None
        for part in expected:
            assert got[part] == expected[part], (op, name, part)
    rebuilt = Corpus.open(seeds, tmp_path / "rebuilt")
    assert rebuilt.whole_layers
    assert _seen(corpus) == _seen(rebuilt)
    assert rebuilt.entities().get("Tim Cook") is not None and corpus.entities().get("Tim Cook") is not None
