"""Round 15's faster rules (work per token type, looked up in C) give the answers of the
token-by-token forms they replaced."""

from __future__ import annotations

import random
from collections import Counter, defaultdict

import pytest

from index.names import lexicon as lex
from index.names import recogniser
from index.names.rules import (
    _LOW,
    _UPPER,
    Doc,
    Tok,
    _casing,
    _is_cap,
    _name_word,
    _never_alone,
    _split_run,
    gazetteer_matches,
    tokenize,
)

TEXTS = [
    "AT&T's U.S. unit and R&D--spending at Procter & Gamble Co. rose 3.5% in Q1.",
    "O'Neill didn't say 'no' to McDonald’s; rock'n'roll, e-mail, U.S.A and Co.uk x'st.",
    "THE MARKET FALLS AGAIN IN LONDON\nIn London, The Times said: “Apple” and the apple.",
    "Mr. J. R. R. Tolkien Jr. of St. Louis, Mo. met Gen. Smith in May. May Smith said In.",
    "US$ 5 and the New York Stock Exchange; Dow Jones Industrial Average, CEO of the AI lab.",
    "The iPhone 4S. A350s fly. Chief Executive Officer Tim Cook; January, Monday, AFP.",
]


def test_no_abbreviation_has_an_inner_period() -> None:
    """Why a token's kind follows from its text: `abbr` texts have one "." (at the end), `acr`
    texts two or more; words never end in "."; punctuation is one character that is no word."""
    assert all("." not in a for a in lex.ABBREVS.split("|"))


@pytest.mark.parametrize("text", TEXTS + [f"{a}. {a}.x" for a in lex.ABBREVS.split("|")])
def test_a_tokens_kind_follows_from_its_text(text: str) -> None:
    for t in tokenize(text):
        alone = tokenize(t.text)
        assert [(a.start, a.end, a.kind) for a in alone] == [(0, len(t.text), t.kind)], t.text


@pytest.mark.parametrize("text", TEXTS)
def test_casing_counts_and_verdicts_equal_a_token_by_token_pass(text: str) -> None:
    doc = Doc(text, None)
    low: list[str] = []
    cap_mid: list[str] = []
    for t in doc.toks:
        if t.kind == "word":
            key, casing = _casing(t.text)
            if casing == _LOW:
                low.append(key)
            elif casing == _UPPER and not t.initial and not t.title_line:
                cap_mid.append(key)
    assert +doc.low == Counter(low) and +doc.cap_mid == Counter(cap_mid)
    assert doc.cap_mid and doc.low  # the texts have both
    assert [info[2] for info in doc.infos] == [_name_word(t.kind, t.text) for t in doc.toks]
    assert doc.words == [t.text for t in doc.toks] and doc.kinds == [t.kind for t in doc.toks]


def _gazetteer_scan(toks: list[Tok]) -> dict[int, tuple[int, str]]:
    """The matcher before round 15: every token visited."""
    table, lengths = lex.gazetteer(), lex.gazetteer_lengths()
    out: dict[int, tuple[int, str]] = {}
    k, n = 0, len(toks)
    while k < n:
        t = toks[k]
        tried = lengths.get(t.text)
        if (
            tried is None
            or t.kind not in ("word", "acr", "abbr")
            or not (_is_cap(t.text) or t.text[0].isdigit())
            or (k + 1 < n and toks[k + 1].text == "$" and toks[k + 1].start == t.end)
        ):
            k += 1
            continue
        hit = None
        for length in tried:
            key = tuple(x.text for x in toks[k : k + length])
            if length <= n - k and key in table:
                if all(toks[q + 1].start - toks[q].end <= 1 for q in range(k, k + length - 1)):
                    hit = (k + length, table[key])
                    break
        if hit:
            out[k] = hit
            k = hit[0]
        else:
            k += 1
    return out


@pytest.mark.parametrize("text", TEXTS)
def test_gazetteer_matches_equal_a_scan_of_every_token(text: str) -> None:
    toks = tokenize(text)
    assert gazetteer_matches(toks, [t.text for t in toks]) == gazetteer_matches(toks) == _gazetteer_scan(toks)


def test_gazetteer_phrases_are_found_inside_each_other() -> None:
    toks = tokenize("the New York Stock Exchange and New York")
    found = gazetteer_matches(toks)
    assert found == _gazetteer_scan(toks) and len(found) == 2


@pytest.mark.parametrize("text", TEXTS)
def test_a_lone_token_dropped_by_its_text_is_what_split_run_drops(text: str) -> None:
    doc = Doc(text, None)
    dropped = 0
    for i, t in enumerate(doc.toks):
        if _never_alone(t.kind, t.text) or (
            t.kind == "word" and (t.initial or t.title_line) and t.text in lex.SENTENCE_STARTERS
        ):
            assert _split_run(doc, i, i + 1, {}) == [], t.text
            dropped += 1
    assert dropped


def _product_type_by_max(crf_type: str, votes: defaultdict[str, float], mentions: int, confidence: float) -> str:
    """`_product_type` before round 15 (max with keys; reads insert zero votes)."""
    r = recogniser
    allowed = r.ALLOWED[crf_type]
    best = max(allowed, key=lambda t: (votes[t], t == allowed[0]))
    strong = max(r._OUTSIDE[crf_type], key=lambda t: votes[t])
    needed = (r.OVERRIDE if confidence >= r.UNSURE else r.UNSURE_OVERRIDE) * mentions
    sure_org_place = r.RULES["sure_org_place"] and crf_type == "ORG" and strong == "GPE" and confidence >= r.UNSURE
    if votes[strong] >= needed and votes[strong] > votes[best] and not sure_org_place:
        return strong
    if crf_type == "PER" and votes["PERSON"] <= r.CRF_WEIGHT * mentions and votes[strong] >= r.NO_PERSON_OVERRIDE:
        return strong
    return best


def test_product_type_equals_the_max_with_keys_ties_included() -> None:
    rng = random.Random(15)
    types = ("PERSON", "ORG", "GPE", "LOC", "NORP", "PRODUCT", "FIN", "EVENT")
    for _ in range(3000):
        votes: defaultdict[str, float] = defaultdict(float)
        for t in rng.sample(types, rng.randint(0, 5)):
            votes[t] = rng.choice((0.5, 1.0, 1.5, 2.0, 3.0, 4.0, 6.0))  # few values: many ties
        crf_type = rng.choice(tuple(recogniser.ALLOWED))
        mentions, confidence = rng.randint(1, 3), rng.choice((0.5, 0.99))
        before = dict(votes)
        got = recogniser._product_type(crf_type, votes, mentions, confidence)
        assert dict(votes) == before  # read only
        assert got == _product_type_by_max(crf_type, defaultdict(float, votes), mentions, confidence)


def test_the_type_cache_is_bounded_and_refilled(monkeypatch: pytest.MonkeyPatch) -> None:
    from index.names import rules

    monkeypatch.setattr(rules, "_MAX_TYPES", 5)
    monkeypatch.setattr(rules, "_TYPE_INFO", {})  # this test's own cache (cleared only on a miss)
    most = 0
    for text in TEXTS * 2:
        doc = Doc(text, None)
        assert [info[2] for info in doc.infos] == [_name_word(t.kind, t.text) for t in doc.toks]
        assert len(rules._TYPE_INFO) <= 5 + len(set(doc.words))
        most = max(most, len(rules._TYPE_INFO))
    assert most > 5  # it filled past the bound and was cleared
