"""The answer stage's speed-ups change no answer: each shortcut against the plain computation.

(Round 10, docs/scale.md "Round 10, answer time": the spelling fix's prefilter, the answer-span
caches and the rerank's row-wise sums.)
"""

from __future__ import annotations

import difflib
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from index.answer import question as question_types
from index.answer import rerank, sorted_ids, spelling
from index.answer.answers import answer
from index.answer.question import NUMBER, PERSON, TIME, answer_spans
from index.corpus import Corpus
from index.models import Article, Passage

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="module")
def seed_corpus(tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    return Corpus.open(ROOT / "seeds", tmp_path_factory.mktemp("seed") / "index")


def _typos(term: str) -> list[str]:
    """A deleted, a replaced, an added and two swapped letters, away from the first."""
    mid = len(term) // 2
    return [
        term[:mid] + term[mid + 1 :],
        term[:mid] + "x" + term[mid + 1 :],
        term[:mid] + "e" + term[mid:],
        term[: mid - 1] + term[mid] + term[mid - 1] + term[mid + 1 :],
    ]


def test_the_spelling_fix_is_difflibs_best_over_the_whole_letter(seed_corpus: Corpus) -> None:
    index = seed_corpus.bm25
    checked = fixed = 0
    for term in index.terms:
        if len(term) < 5 or not term.isalpha():
            continue
        for typo in _typos(term):
            if typo in index.vocab or spelling.is_word(typo):  # an English word ("insect") is never bent
                continue
            bucket = [t for t in index.terms if t[:1] == typo[0] and abs(len(t) - len(typo)) <= 2]
            best = difflib.get_close_matches(typo, bucket, n=1, cutoff=spelling.CUTOFF)
            got = spelling.fix(typo, index)
            assert got == (best[0] if best else None), typo
            checked += 1
            fixed += got is not None
    assert checked > 400 and fixed > checked // 2


def test_answer_spans_do_not_depend_on_what_was_asked_before() -> None:
    text = "On May 21, 2013, Alibaba paid $1.2 billion to Qoder Labs for 3 sites on Tuesday."
    asked = [(TIME, set()), (NUMBER, set()), (PERSON, set()), (PERSON, {"alibaba"}), (TIME, {"tuesday"})]
    warm = [answer_spans(text, kind, terms) for kind, terms in asked]
    question_types._kind_spans.cache_clear()
    question_types._phrase_terms.cache_clear()
    cold = [answer_spans(text, kind, terms) for kind, terms in reversed(asked)][::-1]
    assert warm == cold
    assert [text[s:e] for s, e in warm[2]] != [text[s:e] for s, e in warm[3]]  # "Alibaba" is left out
    assert [text[s:e] for s, e in warm[1]] == ["$1.2 billion", "3"]


def test_the_rerank_sums_its_rows_in_the_terms_order_as_a_loop_would() -> None:
    rows = np.random.default_rng(7).random((9, 50)) * np.logspace(-8, 8, 9)[:, None]
    loop = np.zeros(50)
    for row in rows:
        loop += row
    assert rerank._total(rows).tobytes() == loop.tobytes()
    assert rerank._total(rows[::-1]).tobytes() != loop.tobytes()  # the order matters: it is kept


# Round 12 (docs/scale.md "Round 12, answer time"): batched passage reads, the second pass's
# reads named ahead, one_per_story by mask, the question's quick clean, story evidence by title.


def test_passages_read_at_once_are_the_passages_read_one_by_one(seed_corpus: Corpus) -> None:
    pids = [5, 0, 5, len(seed_corpus) - 1, 3]
    assert seed_corpus.passages(pids) == [seed_corpus.passage(p) for p in pids]
    with pytest.raises(KeyError):
        seed_corpus.passages([0, len(seed_corpus)])


def test_to_read_names_every_sentence_the_second_pass_reads(seed_corpus: Corpus) -> None:
    for question in ("when does the ban take effect", "did alibaba ban claude", "who reported it"):
        query = seed_corpus.prepare(question)
        ids = np.arange(min(len(seed_corpus), 40), dtype=np.int64)[::-1].copy()
        scored = rerank.rescore(seed_corpus.bm25, query, ids, seed_corpus.layout)
        scored = rerank.order(scored)
        read: list[int] = []

        def text_of(pid: int, read: list[int] = read) -> str:
            read.append(pid)
            return seed_corpus.passage(pid).text

        rerank.refine(scored, query, text_of)
        assert rerank.to_read(scored, query) == read
        if query.kind:
            assert len(read) == min(rerank.TYPE_DEPTH, len(ids))


def test_one_per_story_keeps_setdiff_order() -> None:
    from index.answer.answers import one_per_story

    rng = np.random.default_rng(12)
    for _ in range(300):
        n = int(rng.integers(0, 40))
        ids = rng.permutation(200)[:n].astype(np.int64)
        scores = np.sort(rng.choice([1.0, 0.97, 0.95, 0.9, 0.5], n))[::-1].copy()
        doc = rng.integers(0, 6, 200)
        got = one_per_story(ids, scores, doc)
        if n >= 2:
            d = doc[ids]
            _, first = np.unique(d, return_index=True)
            close = np.sort(first[(scores[first] >= scores[0] - 0.1) & (first > 0)])[:2]
            if len(close):
                rest = np.setdiff1d(np.arange(1, n), close, assume_unique=True)
                want = np.concatenate([[0], close, rest])
                assert got.dtype == want.dtype and np.array_equal(got, want)
        assert sorted(got.tolist()) == list(range(n))


def test_the_quick_clean_of_a_question_is_the_full_clean() -> None:
    import unicodedata

    from index.answer.query import clean_question

    def full(question: str) -> str:
        kept = "".join(
            " " if unicodedata.category(ch) in ("Cc", "Zl", "Zp") else ch
            for ch in question
            if unicodedata.category(ch) not in ("Cf", "Cs", "Co", "Cn")
        )
        return " ".join(kept.split())

    rng = np.random.default_rng(7)
    alphabet = [chr(c) for c in range(128)] + ["\u200b", "\u2028", "é", "\ufeff", "’"]
    for _ in range(2000):
        question = "".join(rng.choice(alphabet, int(rng.integers(1, 30))))
        if full(question):
            assert clean_question(question) == full(question)


class _CountingSource:
    """The corpus, counting every passage read."""

    def __init__(self, corpus: Corpus) -> None:
        self.corpus, self.read = corpus, Counter[int]()

    @property
    def layout(self) -> np.ndarray:
        return self.corpus.layout

    def passage(self, pid: int) -> Passage:
        self.read[pid] += 1
        return self.corpus.passage(pid)

    def passages(self, pids: list[int]) -> list[Passage]:
        self.read.update(pids)
        return self.corpus.passages(pids)

    def article(self, doc_id: str) -> Article:
        return self.corpus.article(doc_id)

    def neighbours(self, pid: int, n: int) -> tuple[list[Passage], list[Passage]]:
        return self.corpus.neighbours(pid, n)


def test_an_answer_reads_each_passage_once(seed_corpus: Corpus) -> None:
    for question in (
        "when does the ban take effect",
        "who reported the backdoor",
        "what is qoder",
        "which company was banned",
    ):
        source = _CountingSource(seed_corpus)
        got = answer(question, seed_corpus.bm25, source, k=3, names=seed_corpus.entities(), stories=seed_corpus)
        want = seed_corpus.answer(question, k=3)
        assert [h.passage for h in got.hits] == [h.passage for h in want.hits] and got.hits
        assert got.abstained == want.abstained
        assert max(source.read.values()) == 1, question
        assert {h.passage.pid for h in got.hits} <= set(source.read)


def test_pair_rows_are_the_row_by_row_rows() -> None:
    from index.answer.last_look import pair_rows

    rng = np.random.default_rng(13)
    for k in range(6):
        F, scores = rng.normal(size=(k, 7)), np.sort(rng.normal(size=k))[::-1].copy()
        want = np.array(
            [np.concatenate([F[0], F[j], F[0] - F[j], [scores[0] - scores[j]]]) for j in range(1, k)]
        ).reshape(-1, 3 * F.shape[1] + 1)
        got = pair_rows(F, scores)
        assert got.dtype == want.dtype and got.shape == want.shape and np.array_equal(got, want)


def test_titles_and_dates_are_read_once_per_corpus_and_equal_the_rows(seed_corpus: Corpus) -> None:
    from index.answer import stories

    reads = Counter[int]()

    class Counting:
        def story_title(self, row: int) -> str:
            reads[row] += 1
            return seed_corpus.story_title(row)

        def story_date(self, row: int) -> str | None:
            return seed_corpus.story_date(row)

    counting = Counting()
    rows = [0, 0, len(seed_corpus.articles()) - 1, 0]
    want = [(seed_corpus.story_title(r), seed_corpus.story_date(r)) for r in rows]
    assert stories.titles_and_dates(counting, rows) == want
    assert stories.titles_and_dates(counting, rows[::-1]) == want[::-1]
    assert all(n == 1 for n in reads.values()) and set(reads) == set(rows)
    assert stories.titles_and_dates(counting, []) == []
    assert stories.titles_and_dates(Counting(), rows) == want  # another corpus: read again
    assert reads[0] == 2


def test_holds_is_membership() -> None:
    rng = np.random.default_rng(14)
    for size in (1, 2, 50, 3000):
        docs = np.sort(rng.choice(10_000, size, replace=False)).astype(np.intp)
        ids = np.concatenate([rng.integers(-5, 10_010, 200), docs[:3], docs[-1:], [docs[-1] + 1]])
        assert np.array_equal(sorted_ids.holds(docs, ids), np.isin(ids, docs))
        grid = ids[:200].reshape(20, 10)
        assert np.array_equal(sorted_ids.holds(docs, grid), np.isin(grid, docs))


def test_search_keeps_the_postings_type_and_finds_the_same_places() -> None:
    rng = np.random.default_rng(16)
    docs = np.sort(rng.choice(1 << 20, 5000, replace=False)).astype(np.int32)
    keys = np.concatenate([rng.integers(-3, (1 << 20) + 3, 500), docs[:5], [np.iinfo(np.int32).max + 5]])
    for k in (keys, keys[:-1], np.sort(keys[:-1]), keys[:0]):
        want = np.searchsorted(docs.astype(np.int64), k)
        np.testing.assert_array_equal(sorted_ids.search(docs, k.astype(np.int64)), want)
    held = sorted_ids.holds(docs, keys[:500].astype(np.int64))
    np.testing.assert_array_equal(held, np.isin(keys[:500], docs))


def test_search_does_not_copy_a_long_list() -> None:
    import tracemalloc

    docs = np.arange(0, 8_000_000, 4, dtype=np.int32)  # 8 MB of ids
    keys = np.array([5, 4_000_000, 7_999_999], dtype=np.int64)
    tracemalloc.start()
    try:
        sorted_ids.search(docs, keys)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 1 << 20  # numpy would widen the whole list to int64 (16 MB) for int64 keys


def test_holds_in_an_empty_list_is_nothing() -> None:
    ids = np.array([[0, 3], [7, 9]], dtype=np.int64)
    np.testing.assert_array_equal(sorted_ids.holds(np.zeros(0, dtype=np.int32), ids), np.zeros((2, 2), dtype=bool))
