"""A sentence repeated word for word in other articles (a syndicated story under several ids) is
shown once: one hit, one timeline event, naming the other articles; ingest says so (round 19).
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from index.answer import answers
from index.corpus import Corpus
from index.ingest import files
from index.models import Passage
from index.time.timeline import Event
from tests.conftest import SEED, corpus_of

SEED_ID = SEED.stem
TEXT = SEED.read_text(encoding="utf-8")
OTHER = "Title: Harbour news\n\nThe harbour ferry fares rise in May 2026. Boats leave the harbour at noon.\n"


def copies_corpus(base: Path) -> Corpus:
    """The seed article, the same text under two more ids (one in other case), another story."""
    shouting = TEXT.replace("The restriction will take effect July 10", "THE RESTRICTION will take effect July 10")
    return corpus_of(base, {"wire-a.txt": TEXT, "wire-b.txt": shouting, "harbour.txt": OTHER}, seed=True)


def test_answer_shows_a_repeated_sentence_once_naming_its_copies(tmp_path):
    corpus = copies_corpus(tmp_path)
    got = corpus.answer("when does the ban take effect", k=3)
    texts = [" ".join(h.passage.text.split()).casefold() for h in got.hits]
    assert len(texts) == 3 and len(set(texts)) == 3  # the k slots hold distinct sentences
    first = got.hits[0]
    assert "take effect July 10" in first.passage.text
    cited = first.passage.doc_id
    assert sorted([cited, *first.also_in]) == sorted([SEED_ID, "wire-a", "wire-b"])
    assert first.to_json()["also_in"] == first.also_in


def test_answer_without_copies_is_unchanged(seed_corpus):
    got = seed_corpus.answer("when does the ban take effect", k=3)
    assert [h.also_in for h in got.hits] == [[], [], []]
    assert got.to_json()["answers"][0]["also_in"] == []


def test_distinct_reads_no_candidate_past_k_distinct():
    texts = ["Same words.", "same  WORDS.", "Other.", "Third."]  # 0 and 1 are one sentence

    class Source:
        """Passages by pid, counting which are read."""

        asked: list[int] = []

        def passages(self, pids: list[int]) -> list[Passage]:
            self.asked.extend(pids)
            return [Passage(pid, f"d{pid}", 1, 1, 0, len(texts[pid]), texts[pid]) for pid in pids]

    source = Source()
    reader = answers._Reader(source)  # type: ignore[arg-type]
    copies: dict[int, list[str]] = {}
    same = np.ones(4)  # one signature: every candidate may be a copy of another
    kept = answers.distinct(np.arange(4), same, reader, 2, copies)
    assert kept is not None and kept.tolist() == [0, 2, 3] and copies == {0: ["d1"]}
    assert source.asked == [0, 1, 2]  # the fourth is not read: two distinct were found
    assert answers.distinct(np.arange(2), np.ones(2), reader, 2, {}) is not None
    # candidates whose signatures differ (token count, share of the question) are not compared:
    # only the k shown are read (as the answer reads them), none at k 0
    source.asked.clear()
    assert answers.distinct(np.arange(4), np.arange(4.0), answers._Reader(source), 2, {}) is None  # type: ignore[arg-type]
    assert source.asked == [0, 1]
    source.asked.clear()
    assert answers.distinct(np.arange(4), same, answers._Reader(source), 0, {}) is None  # type: ignore[arg-type]
    assert source.asked == []


def test_follow_up_and_context_work_on_the_cited_copy(tmp_path):
    corpus = copies_corpus(tmp_path)
    conversation = corpus.conversation()
    first = conversation.ask("when does the ban take effect")
    hit = first.hits[0]
    assert hit.also_in
    before, after = corpus.neighbours(hit.passage.pid, 1)
    assert after and after[0].doc_id == hit.passage.doc_id  # "More context" reads the cited copy
    follow = conversation.ask("what does alibaba use instead")
    assert not follow.abstained and "Qoder" in follow.hits[0].passage.text
    assert follow.hits[0].passage.doc_id in {SEED_ID, "wire-a", "wire-b"}


def test_timeline_lists_a_repeated_sentence_once(tmp_path):
    corpus = copies_corpus(tmp_path)
    events = corpus.events()
    keys = [(" ".join(e.passage.text.split()).casefold(), e.when) for e in events]
    assert len(keys) == len(set(keys))
    july = [e for e in events if "take effect" in e.passage.text]
    assert len(july) == 1 and sorted([july[0].passage.doc_id, *july[0].also_in]) == [SEED_ID, "wire-a", "wire-b"]
    assert all(e.also_in for e in events if e.passage.doc_id != "harbour")
    data = json.loads(corpus.events_json())
    assert data == [e.to_json() for e in events]  # the JSON writer says the same
    assert len(corpus.events(limit=2)) == 2 and corpus.timeline() == events


def test_timeline_keeps_the_same_sentence_with_other_dates(tmp_path):
    """`Tuesday` in two articles of other dates is two events: a copy has the same dates."""
    body = "Officials said the bridge reopens on Tuesday after repairs.\n"
    corpus = corpus_of(
        tmp_path,
        {
            "a.md": f"---\ntitle: A\ndate: 2026-03-02\n---\n{body}",
            "b.md": f"---\ntitle: B\ndate: 2026-03-09\n---\n{body}",
            "c.md": f"---\ntitle: C\ndate: 2026-03-02\n---\n{body}",
        },
    )
    events = corpus.events()
    assert len(events) == 2
    assert [e.also_in for e in events] == [["c"], []]
    assert isinstance(events[0], Event)


def test_build_and_ingest_say_an_article_is_another_ones_text(tmp_path):
    corpus = corpus_of(tmp_path, {"wire-a.txt": TEXT}, seed=True)
    assert any("'wire-a' has the same text as '000_e228878e0c08bf80'" in w for w in corpus.stats()["warnings"])
    change = corpus.add_files([("wire-b.txt", TEXT.encode())])
    assert change.added == ["wire-b"]
    assert any("'wire-b' has the same text as" in w for w in change.warnings)
    assert change.corpus is not None and len(change.corpus.answer("when does the ban take effect").hits) == 3
    (tmp_path / "other").mkdir()
    plain = corpus_of(tmp_path / "other", {"harbour.txt": OTHER}).add_files([("x.txt", b"Title\n\nSome new text.\n")])
    assert not any("same text" in w for w in plain.warnings)


def test_a_build_names_few_copies_and_counts_the_rest(tmp_path, monkeypatch):
    monkeypatch.setattr(files, "SAME_TEXT_SAID", 1)
    corpus = corpus_of(tmp_path, {"wire-a.txt": TEXT, "wire-b.txt": TEXT, "wire-c.txt": TEXT}, seed=True)
    said = [w for w in corpus.stats()["warnings"] if "same text" in w]
    assert len(said) == 2 and said[-1] == "... and 2 more articles have the same text as an earlier one"


def test_a_copy_moved_up_for_another_story_is_seen():
    """`one_per_story` moves another article's best sentence up; when that is a copy of a better
    one, the copies are dropped first (the place goes to a story that differs)."""
    from index.answer import rerank

    texts = {0: "The ban starts in July.", 1: "The ban  starts in July.", 5: "Fares rise in May."}
    reader = answers._Reader(None)  # type: ignore[arg-type]
    reader.read = {pid: Passage(pid, f"d{pid}", 1, 1, 0, len(t), t) for pid, t in texts.items()}
    ids = np.array([0, 5, 1])
    scored = rerank.Scored(ids, np.array([1.0, 0.95, 0.95]), np.array([0.5, 0.2, 0.5]), np.ones(3), np.zeros(3, bool))
    lengths = np.array([5, 5, 0, 0, 0, 4])
    assert answers.moves_copy(scored, np.array([0, 2, 1]), reader, lengths)
    assert not answers.moves_copy(scored, np.array([0, 1, 2]), reader, lengths)  # nothing moved
    reader.read[1] = Passage(1, "d1", 1, 1, 0, 23, "The ban starts in June.")
    assert not answers.moves_copy(scored, np.array([0, 2, 1]), reader, lengths)  # another sentence


def test_many_copies_past_the_depth_still_show_k_distinct(monkeypatch):
    """A sentence in more articles than COPIES_DEPTH: the look goes on until k distinct are found."""
    monkeypatch.setattr(answers, "COPIES_DEPTH", 3)
    texts = ["Same words."] * 6 + ["Other.", "Third."]

    class Source:
        def passages(self, pids: list[int]) -> list[Passage]:
            return [Passage(pid, f"d{pid}", 1, 1, 0, len(texts[pid]), texts[pid]) for pid in pids]

    copies: dict[int, list[str]] = {}
    kept = answers.distinct(np.arange(8), np.ones(8), answers._Reader(Source()), 3, copies)  # type: ignore[arg-type]
    assert kept is not None and kept.tolist() == [0, 6, 7]
    assert copies == {0: ["d1", "d2", "d3", "d4", "d5"]}
