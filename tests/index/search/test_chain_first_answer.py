"""What a fresh process's first answer on a chain reads: the names, not the `/source` suggestions
(merged from the base's on first use, as the bot's `prepare_layers` asks for them)."""

from __future__ import annotations

from pathlib import Path

import pytest

from index.corpus import Corpus
from index.search import build as builder
from index.search import layers, segments, store


def _chain(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Corpus:
    monkeypatch.setattr(builder, "MERGE_SHARE", 10.0)  # a chain, not merged whole
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "a.txt").write_text("Tim Cook met the council.\n\nThe river bridge opened.", encoding="utf-8")
    (seeds / "b.txt").write_text("A storm closed the river bridge on 3 March 2024.", encoding="utf-8")
    corpus = Corpus.open(seeds, tmp_path / "index")
    (seeds / "c.txt").write_text("The ferry festival opened. Tim Cook spoke.", encoding="utf-8")
    corpus = corpus.reindex()
    assert corpus.saved.meta.get("segments")
    segments.recall(corpus.saved.path.name)
    head = corpus.saved.path
    return Corpus(seeds, tmp_path / "index", store.load(head, store.read_meta(head)))


def test_an_answer_on_a_chain_reads_no_suggestions(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fresh = _chain(tmp_path, monkeypatch)
    want = Corpus.open(fresh.seeds_dir, tmp_path / "whole")  # the same articles built whole

    def unread(*args: object, **kwargs: object) -> object:
        raise AssertionError("the suggestions were read for an answer")

    with monkeypatch.context() as patched:
        patched.setattr(layers, "load_suggestions", unread)
        got = fresh.answer("who spoke at the ferry festival", k=2)
        assert fresh.entities().get("Tim Cook") is not None
    assert got.to_json() == want.answer("who spoke at the ferry festival", k=2).to_json()
    fresh.prepare_layers()  # what the bot calls in its builder thread: everything ready after it
    with monkeypatch.context() as patched:
        patched.setattr(layers, "load_suggestions", unread)  # read by prepare_layers, not again
        for typed in ("", "c", "tim", "ferry"):
            assert fresh.suggest_articles(typed) == want.suggest_articles(typed)
