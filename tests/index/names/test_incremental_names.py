"""Names built article by article equal names built at once (issue 18, round 21).

The names layer is per article (the recogniser reads one body and its sentence starts) and
merged over the whole collection; what made a chain of ingests name otherwise than one build
was upstream of it: the sentence splitter (Punkt, trained on the collection). A commit trained
its own splitter on its new articles alone, so `U.S. Trust Corp.` was cut at `U.S.` (a
splitter that had seen `trust` only in lower case) and `U.S.` joined the United States.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

import pytest

from index.corpus import Corpus
from index.ingest import sentences
from index.search import build as builder

# The smallest pair found: the second alone teaches Punkt that "Trust" after "U.S." starts a
# sentence ("trust" is written in lower case there, never capitalised mid-sentence); the first
# writes "Bankers Trust" mid-sentence, so a splitter that read it keeps the name whole.
BANKERS = (
    "---\ntitle: Bankers\ndate: 2026-03-02\n---\n"
    "Analysts at Bankers Trust said the bank would grow. The Bankers Trust unit hired staff.\n"
)
TRUST = (
    "---\ntitle: Trust\ndate: 2026-03-03\n---\n"
    "He put the money in a trust fund. The trust grew.\n"
    "John Smith, chief officer of U.S. Trust Corp., resigned on Monday.\n"
)
LATER = (
    "---\ntitle: Later\ndate: 2026-03-04\n---\nMary Jones of U.S. Trust Corp. met John Smith in Boston on Tuesday.\n"
)
WHOLE = "John Smith, chief officer of U.S. Trust Corp., resigned on Monday."


def _names(corpus: Corpus) -> dict[str, Any]:
    """What `entities --json` and `entity NAME --json` stand on, sentences named by article and
    text (not by number), with every article's sentences."""
    text = {p.pid: (p.doc_id, p.text) for p in corpus.all_passages()}
    return {
        "entities": [
            (*(v for k, v in e.to_json().items() if k not in ("cited", "related")),)
            + (tuple((text[c[0]], c[1], c[2]) for c in e.cited_lists()),)
            for e in corpus.entities().all()
        ],
        "sentences": sorted(text.values()),
    }


def _built(tmp_path: Path, articles: dict[str, str]) -> dict[str, Any]:
    """The names of one build of these articles, in a fresh folder."""
    seeds = tmp_path / f"whole-{len(list(tmp_path.iterdir()))}"
    seeds.mkdir()
    for name, text in articles.items():
        (seeds / f"{name}.md").write_text(text, encoding="utf-8")
    corpus = Corpus.open(seeds, seeds.with_name(seeds.name + "-index"))
    assert corpus.whole_layers
    return _names(corpus)


def _bankers_built(tmp_path: Path) -> tuple[Path, Path]:
    """A seeds folder and an index built of BANKERS alone, for commits to follow."""
    seeds, index_dir = tmp_path / "seeds", tmp_path / "index"
    seeds.mkdir()
    (seeds / "a_bankers.md").write_text(BANKERS, encoding="utf-8")
    Corpus.open(seeds, index_dir)
    return seeds, index_dir


def _short_budget(monkeypatch: pytest.MonkeyPatch, chars: int) -> None:
    """A training budget the first article fills (a real one is 1M characters): a build's
    splitter is then the one any build of more articles after it trains."""
    monkeypatch.setattr(sentences, "train_splitter", functools.partial(sentences.train_splitter, max_chars=chars))


@pytest.mark.parametrize("share", [0.25, 10.0])  # 10: a commit (a segment), not a whole merge
def test_two_ingests_name_as_one_build(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, share: float):
    monkeypatch.setattr(builder, "MERGE_SHARE", share)
    seeds, index_dir = _bankers_built(tmp_path)
    (seeds / "b_trust.md").write_text(TRUST, encoding="utf-8")
    chain = Corpus.open(seeds, index_dir)
    assert bool(chain.saved.meta.get("segments")) == (share > 1)
    names = _names(chain)
    assert ("b_trust", WHOLE) in names["sentences"]
    assert any(e[0] == "U.S. Trust Corp." for e in names["entities"])
    assert names == _built(tmp_path, {"a_bankers": BANKERS, "b_trust": TRUST})


def test_an_article_split_otherwise_by_the_new_splitter_builds_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(builder, "MERGE_SHARE", 10.0)
    seeds, index_dir = tmp_path / "seeds", tmp_path / "index"
    seeds.mkdir()
    (seeds / "b_trust.md").write_text(TRUST, encoding="utf-8")
    alone = Corpus.open(seeds, index_dir)
    assert ("b_trust", WHOLE) not in _names(alone)["sentences"]  # trained on itself: cut at "U.S."
    (seeds / "a_bankers.md").write_text(BANKERS, encoding="utf-8")  # read first by a build
    both = Corpus.open(seeds, index_dir)
    assert not both.saved.meta.get("segments")  # its splitter now keeps the name whole: built whole
    assert ("b_trust", WHOLE) in _names(both)["sentences"]
    assert _names(both) == _built(tmp_path, {"a_bankers": BANKERS, "b_trust": TRUST})


def test_a_commit_splits_with_the_builds_splitter(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    _short_budget(monkeypatch, 60)
    monkeypatch.setattr(builder, "MERGE_SHARE", 10.0)  # every change a segment: no whole merge
    seeds, index_dir = _bankers_built(tmp_path)
    (seeds / "b_trust.md").write_text(TRUST, encoding="utf-8")
    (seeds / "c_later.md").write_text(LATER, encoding="utf-8")
    chain = Corpus.open(seeds, index_dir)
    assert chain.saved.meta["segments"]  # a commit, not a build
    assert ("b_trust", WHOLE) in _names(chain)["sentences"]
    assert _names(chain) == _built(tmp_path, {"a_bankers": BANKERS, "b_trust": TRUST, "c_later": LATER})


def test_remove_and_replace_name_as_a_build_without_them(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    _short_budget(monkeypatch, 60)
    monkeypatch.setattr(builder, "MERGE_SHARE", 10.0)
    seeds, index_dir = _bankers_built(tmp_path)
    for name, text in (("b_trust", TRUST), ("c_later", LATER)):
        (seeds / f"{name}.md").write_text(text, encoding="utf-8")
        Corpus.open(seeds, index_dir)
    corpus = Corpus.open(seeds, index_dir)
    corpus.remove(["c_later"])
    removed = Corpus.open(seeds, index_dir)
    assert removed.saved.meta["segments"] and not removed.saved.meta.get("splitter_drift")
    assert _names(removed) == _built(tmp_path, {"a_bankers": BANKERS, "b_trust": TRUST})
    replaced = TRUST.replace("Monday", "Friday")
    (seeds / "b_trust.md").write_text(replaced, encoding="utf-8")
    assert _names(Corpus.open(seeds, index_dir)) == _built(tmp_path, {"a_bankers": BANKERS, "b_trust": replaced})


def test_a_read_article_removed_drifts_until_the_chain_is_built_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    _short_budget(monkeypatch, 60)
    monkeypatch.setattr(builder, "MERGE_SHARE", 10.0)
    seeds, index_dir = _bankers_built(tmp_path)
    (seeds / "b_trust.md").write_text(TRUST, encoding="utf-8")
    Corpus.open(seeds, index_dir).remove(["a_bankers"])  # the article the splitter was trained on
    drifted = Corpus.open(seeds, index_dir)
    assert drifted.saved.meta["segments"] and drifted.saved.meta["splitter_drift"]
    # the stated difference: a build of TRUST alone trains on it and cuts the name at "U.S."
    assert ("b_trust", WHOLE) in _names(drifted)["sentences"]
    assert ("b_trust", WHOLE) not in _built(tmp_path, {"b_trust": TRUST})["sentences"]
    monkeypatch.setattr(builder, "MERGE_SHARE", 0.25)  # the next whole merge builds it whole
    (seeds / "c_later.md").write_text(LATER, encoding="utf-8")
    whole = Corpus.open(seeds, index_dir)
    assert not whole.saved.meta.get("segments") and not whole.saved.meta.get("splitter_drift")
    assert _names(whole) == _built(tmp_path, {"b_trust": TRUST, "c_later": LATER})


def _wire(rows: list[tuple[str, str]]) -> str:
    return "".join(json.dumps({"id": doc_id, "title": doc_id, "text": text}) + "\n" for doc_id, text in rows)


def test_an_append_after_what_the_splitter_read_is_no_drift(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    _short_budget(monkeypatch, 60)
    monkeypatch.setattr(builder, "MERGE_SHARE", 10.0)
    body = {k: v.split("---\n", 2)[2] for k, v in (("bankers", BANKERS), ("trust", TRUST), ("later", LATER))}
    seeds, index_dir = tmp_path / "seeds", tmp_path / "index"
    seeds.mkdir()
    (seeds / "wire.jsonl").write_text(_wire([("bankers", body["bankers"])]), encoding="utf-8")
    Corpus.open(seeds, index_dir)
    rows = [("bankers", body["bankers"]), ("trust", body["trust"]), ("later", body["later"])]
    (seeds / "wire.jsonl").write_text(_wire(rows), encoding="utf-8")  # appended after the read one
    appended = Corpus.open(seeds, index_dir)
    assert appended.saved.meta["segments"] and not appended.saved.meta.get("splitter_drift")
    whole = tmp_path / "whole"
    whole.mkdir()
    (whole / "wire.jsonl").write_text(_wire(rows), encoding="utf-8")
    assert _names(appended) == _names(Corpus.open(whole, tmp_path / "whole-index"))
    (seeds / "wire.jsonl").write_text(_wire([("first", body["trust"]), *rows]), encoding="utf-8")
    assert Corpus.open(seeds, index_dir).saved.meta["splitter_drift"]  # now before what it read


def test_copies_of_little_text_keep_the_chains_splitter(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Under the budget but more than `RETRAIN_BYTES` of bodies (copies of a little text, as the
    scale benchmarks replicate SQuAD): a commit reads no body again and keeps the chain's splitter."""
    monkeypatch.setattr(builder, "MERGE_SHARE", 10.0)
    monkeypatch.setattr(builder, "RETRAIN_BYTES", 0)
    seeds, index_dir = tmp_path / "seeds", tmp_path / "index"
    seeds.mkdir()
    (seeds / "a_trust.md").write_text(TRUST, encoding="utf-8")  # alone it cuts the name at "U.S."
    Corpus.open(seeds, index_dir)
    (seeds / "b_trust.md").write_text(TRUST, encoding="utf-8")
    (seeds / "c_bankers.md").write_text(BANKERS, encoding="utf-8")
    chain = Corpus.open(seeds, index_dir)
    assert chain.saved.meta["segments"] and not chain.saved.meta.get("splitter_drift")
    assert builder.SPLITTER not in chain.saved.meta["files"]
    assert ("b_trust", WHOLE) not in _names(chain)["sentences"]  # split by the build's splitter


def test_a_commit_finds_names_typed_without_hyphens_as_a_build(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    # round 21 (alias21): the chain's name tables are made from the base's saved keys and the new
    # entities' names; the unhyphenated keys must come out as a build's, each name its own first
    monkeypatch.setattr(builder, "MERGE_SHARE", 10.0)
    a = (
        "---\ntitle: Lake\ndate: 2026-03-02\n---\nThe mayor of Saint-Etienne-du-Lac met officials in"
        " Dar-es-Salaam on Monday. Dar-es-Salaam welcomed him.\n"
    )
    b = "---\ntitle: Port\ndate: 2026-03-03\n---\nShips left Dar es Salaam on Tuesday, officials in Nairobi said.\n"
    seeds, index_dir = tmp_path / "seeds", tmp_path / "index"
    seeds.mkdir()
    (seeds / "a.md").write_text(a, encoding="utf-8")
    Corpus.open(seeds, index_dir)
    (seeds / "b.md").write_text(b, encoding="utf-8")
    chain = Corpus.open(seeds, index_dir)
    assert chain.saved.meta.get("segments")
    _built(tmp_path, {"a": a, "b": b})
    whole = Corpus.open(tmp_path / "whole-2", tmp_path / "whole-2-index")
    typed = ["saint etienne du lac", "Dar-es-Salaam", "dar es salaam", "Dar es Salaam\u200f"]
    found = [[None if e is None else e.name for e in map(c.entities().get, typed)] for c in (chain, whole)]
    assert found[0] == found[1]
    assert found[0][0] == "Saint-Etienne-du-Lac" and found[0][1] == "Dar-es-Salaam", found
    for prefix in ("saint etienne", "dar es", "etienne du"):
        assert chain.entities().complete(prefix) == whole.entities().complete(prefix)
    assert chain.entities().complete("saint etienne") == ["Saint-Etienne-du-Lac"]
