"""Entity recogniser and index: the rules from the brief and the seed article's entity list."""

from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path

import pytest

from index.models import Article, Passage
from index.names import Mention, find_mentions
from index.names.entity_index import EntityIndex, build_entities

SEED = Path(__file__).resolve().parents[3] / "seeds" / "000_e228878e0c08bf80.txt"


def names(text, starts=None):
    return {(m.text, m.type) for m in find_mentions(text, starts)}


def texts(text, starts=None):
    return [m.text for m in find_mentions(text, starts)]


# -- recogniser rules -----------------------------------------------------------------------


def test_offsets_are_exact_and_possessive_stripped():
    doc = "Engineers at Anthropic’s lab and Google's office met. Anthropic's chief spoke."
    ms = find_mentions(doc)
    for m in ms:
        assert doc[m.start : m.end] == m.text
    assert [m.text for m in ms] == ["Anthropic", "Google", "Anthropic"]
    assert all(m.type == "ORG" for m in ms)


def test_curly_and_straight_apostrophes_agree():
    a = find_mentions("Staff praised Qoder’s speed, said Alibaba.")
    b = find_mentions("Staff praised Qoder's speed, said Alibaba.")
    assert [(m.start, m.end, m.type) for m in a] == [(m.start, m.end, m.type) for m in b]
    assert [m.text for m in a] == ["Qoder", "Alibaba"]


def test_acronym_in_parentheses_is_an_alias():
    doc = "The International Monetary Fund (IMF) cut its forecast. Economists at the IMF said growth would slow."
    ms = find_mentions(doc)
    assert [m.text for m in ms] == ["International Monetary Fund", "IMF", "IMF"]
    assert {m.canonical for m in ms} == {"International Monetary Fund"}
    assert {m.type for m in ms} == {"ORG"}


def test_surname_after_full_name_is_the_same_person():
    doc = "Kashmira Konduparty wrote the report. Konduparty said the ban was new. Later, Konduparty added details."
    ms = find_mentions(doc)
    assert [m.text for m in ms] == ["Kashmira Konduparty", "Konduparty", "Konduparty"]
    assert {m.canonical for m in ms} == {"Kashmira Konduparty"}
    assert {m.type for m in ms} == {"PERSON"}


@pytest.mark.parametrize("starter", ["The", "Some", "Last", "According", "A", "In", "Many", "However", "Yesterday"])
def test_sentence_starters_are_not_names(starter):
    doc = f"Prices rose. {starter} analysts at Apple agreed with rivals."
    assert texts(doc) == ["Apple"]


def test_sentence_initial_name_with_evidence_is_kept():
    doc = "Qoder is new. Engineers like Qoder a lot. Zorblax said on Monday it would cut jobs."
    got = texts(doc)
    assert got.count("Qoder") == 2
    assert "Zorblax" in got  # unknown word, never lower case, the subject of "said": a name


def test_sentence_initial_common_word_seen_lowercase_is_dropped():
    doc = "Security matters. The team said security was fine."
    assert texts(doc) == []


def test_months_weekdays_and_read_label():
    doc = (
        "The rule takes effect on Monday, July 10. In March, sales fell.\n"
        "READ: Alibaba to pay $600 million to settle US probe (July 2, 2026)\n"
    )
    got = names(doc)
    assert ("Alibaba", "ORG") in got and ("US", "GPE") in got
    assert not any(t in {"Monday", "July", "March", "READ", "In", "The"} for t, _ in got)


def test_ai_and_ceo_are_common_nouns_but_us_is_a_place():
    doc = "The AI tools worried the CEO. Sales in the US rose. AI is everywhere."
    assert names(doc) == {("US", "GPE")}


def test_trailing_common_acronym_is_trimmed():
    doc = "Operators tied to Alibaba's Qwen AI lab were named."
    got = names(doc)
    assert ("Qwen", "ORG") in got and ("Alibaba", "ORG") in got


def test_connectors_inside_names():
    doc = "Analysts at Bank of America and the University of Michigan disagreed with Johnson & Johnson."
    got = texts(doc)
    assert "Bank of America" in got and "University of Michigan" in got
    assert "Johnson & Johnson" in got


def test_company_suffix_and_short_form_merge():
    doc = "Zentrix Holdings Inc. reported profits. Zentrix said more was coming."
    ms = find_mentions(doc)
    assert ms[0].text == "Zentrix Holdings Inc." and ms[0].type == "ORG"
    assert ms[-1].text == "Zentrix" and ms[-1].canonical == ms[0].canonical


def test_titles_cue_person_and_are_not_part_of_the_name():
    doc = "Mr. Jonas Pellworth met President Amara Okafor in Paris."
    got = names(doc)
    assert ("Jonas Pellworth", "PERSON") in got and ("Amara Okafor", "PERSON") in got
    assert ("Paris", "GPE") in got


def test_product_cue_and_single_letter():
    doc = "An employee wrote on the social media platform X that the app Blinkly was down."
    got = names(doc)
    assert ("X", "PRODUCT") in got and ("Blinkly", "PRODUCT") in got
    assert texts("Plan X was rejected by A group.") == []


def test_all_caps_headline_common_words_are_not_names():
    doc = "TENNIS - SELES WINS OPENING MATCH IN TOKYO\nMonica Seles won on Tuesday in Tokyo."
    got = texts(doc)
    assert not {"TENNIS", "WINS", "OPENING", "MATCH", "IN"} & set(got)
    assert "TOKYO" in got and "Monica Seles" in got


def test_fallback_sentence_starts_are_used_without_starts():
    doc = "Markets fell. Some traders sold Nvidia."
    assert texts(doc) == ["Nvidia"]
    assert texts(doc, [0, 14]) == ["Nvidia"]


def test_empty_text():
    assert find_mentions("") == []
    assert find_mentions("   \n") == []


def test_mention_is_frozen():
    m = Mention(0, 1, "X", "PRODUCT")
    with pytest.raises(dataclasses.FrozenInstanceError):
        m.start = 3  # type: ignore[misc]


# -- the seed article -----------------------------------------------------------------------

READ = re.compile(r"^READ:\s*(.+?)\s*\((\w+ \d{1,2}, \d{4})\)\s*$")


def seed_corpus():
    body = SEED.read_text(encoding="utf-8")
    author = None
    passages = []
    pos = 0
    for n, line in enumerate(body.split("\n")):
        start, end = pos, pos + len(line)
        pos = end + 1
        if not line.strip():
            continue
        if n == 0 and line.startswith("By "):
            author = line[3:].strip()
            continue
        read = READ.match(line)
        passages.append(
            Passage(
                pid=len(passages),
                doc_id="seed",
                paragraph=len(passages) + 1,
                sentence=len(passages) + 1,
                char_start=start,
                char_end=end,
                text=line,
                related=bool(read),
                related_date=read.group(2) if read else None,
            )
        )
    article = Article(doc_id="seed", title="Alibaba bans Claude Code", body=body, author=author, date="2026-07-08")
    return article, passages


@pytest.fixture(scope="module")
def seed_index():
    article, passages = seed_corpus()
    return article, passages, build_entities({"seed": article}, passages)


EXPECTED = {
    "Alibaba": "ORG",
    "Anthropic": "ORG",
    "Claude Code": "PRODUCT",
    "Claude": "PRODUCT",
    "Qoder": "PRODUCT",
    "Qwen": "ORG",
    "X": "PRODUCT",
    "China": "GPE",
    "Chinese": "NORP",
    "US": "GPE",
}


def test_seed_entities_exactly(seed_index):
    _, _, index = seed_index
    got = {e.name: e.type for e in index.all()}
    assert got == EXPECTED


def test_seed_mentions_are_cited_with_passage_offsets(seed_index):
    _, passages, index = seed_index
    by_pid = {p.pid: p for p in passages}
    for e in index.all():
        for pid, start, end in e.cited:
            surface = by_pid[pid].text[start:end]
            assert surface.replace("’", "'").lower() in {a.replace("’", "'").lower() for a in [e.name, *e.aliases]}
    alibaba = index.get("alibaba")
    assert alibaba is not None and alibaba.mentions == 9
    assert alibaba.articles == ["seed"] and alibaba.first_date == alibaba.last_date == "2026-07-08"
    assert alibaba.related  # named in both READ headlines
    assert index.get("Kashmira Konduparty") is None  # the byline is metadata, not a mention


def test_seed_no_false_entities(seed_index):
    _, _, index = seed_index
    bad = {"READ", "The", "Some", "Last", "According", "AI", "A", "July", "June", "March", "April"}
    for e in index.all():
        assert e.name not in bad
        assert not bad & set(e.aliases)


def test_claude_and_claude_code_are_separate(seed_index):
    _, _, index = seed_index
    assert index.get("Claude").name == "Claude"
    assert index.get("claude code").name == "Claude Code"
    assert index.get("Anthropic’s").name == "Anthropic"


def test_index_queries(seed_index):
    _, passages, index = seed_index
    assert [e.name for e in index.all("GPE")] == ["China", "US"]
    ranked = index.all()
    assert ranked[0].name == "Alibaba"
    assert [e.mentions for e in ranked] == sorted((e.mentions for e in ranked), reverse=True)
    assert index.complete("cl") == ["Claude Code", "Claude"]
    assert "Claude Code" in index.complete("code")  # word prefix
    assert index.complete("zzz") == []
    assert len(index.complete("", limit=3)) == 3
    co = {e.name: n for e, n in index.cooccurring("Qwen")}
    assert co.get("Alibaba") == 1 and co.get("Anthropic") == 1
    assert index.cooccurring("nobody") == []
    first = passages[0]
    assert index.mentions_in(first.pid)[:3] == ["Alibaba", "Chinese", "Anthropic"]
    assert index.get("nobody") is None and index.get("") is None


def test_index_layer_round_trip(seed_index):
    """What the index build saves reads back to the same index: entities, lookups, suggestions."""
    _, passages, index = seed_index
    data, arrays = index.to_layer()
    data = json.loads(json.dumps(data))  # through JSON, as on disk
    again = EntityIndex.from_layer(data, arrays)
    assert [e.to_json() for e in again.all()] == [e.to_json() for e in index.all()]
    assert {"name", "type", "aliases", "mentions", "articles", "first_date", "last_date", "cited"} <= set(
        again.all()[0].to_json()
    )
    for prefix in ("", "a", "cl", "code", "qwen", "zzz"):
        assert again.complete(prefix) == index.complete(prefix)
    assert again.get("anthropic’s").name == "Anthropic"
    assert again.mentions_in(passages[0].pid) == index.mentions_in(passages[0].pid)
    with pytest.raises(ValueError):
        EntityIndex.from_layer({**data, "version": "0"}, arrays)
    with pytest.raises(ValueError):
        EntityIndex.from_layer(data, {**arrays, "entity_cited_offsets": arrays["entity_cited_offsets"][:-1]})


def test_complete_is_a_bisect_not_a_scan_at_100000_entities(big_entity_index):
    """Autocomplete runs on the event loop for every keystroke: well under a millisecond at
    100,000 entities (it scanned every entity before: 170 ms at 45,489)."""
    import time

    index = big_entity_index
    assert len({e.name for e in index.all()}) == 100_000
    ranked = index.all()
    for prefix in ("k", "kalo", "ri", "zz"):
        p = prefix.lower()
        starts = [e.name for e in ranked if e.name.lower().startswith(p)]
        words = [e.name for e in ranked if not e.name.lower().startswith(p) and e.name.lower().split()[1].startswith(p)]
        assert index.complete(prefix) == list(dict.fromkeys(starts + words))[:25], prefix
    times = []
    for prefix in ["", "k", "ka", "kal", "m", "mi", "mir", "t", "te", "x"] * 20:
        start = time.perf_counter()
        index.complete(prefix)
        times.append(time.perf_counter() - start)
    times.sort()
    assert times[len(times) // 2] < 0.0005, times[len(times) // 2]  # median under 0.5 ms


def test_cross_article_merge_and_dates():
    a = Article(doc_id="a", title="t", body="Apple Inc. sued Zentrix in Paris.", date="2024-01-02")
    b = Article(doc_id="b", title="t", body="Shares of Apple rose as Zentrix fell.", date="2024-03-05")
    c = Article(doc_id="c", title="t", body="Apple said nothing.", date=None)
    ps = [
        Passage(0, "a", 1, 1, 0, len(a.body), a.body),
        Passage(1, "b", 1, 1, 0, len(b.body), b.body),
        Passage(2, "c", 1, 1, 0, len(c.body), c.body),
    ]
    index = build_entities({"a": a, "b": b, "c": c}, ps)
    apple = index.get("apple")
    assert apple.name == "Apple Inc." and apple.articles == ["a", "b", "c"]
    assert (apple.first_date, apple.last_date) == ("2024-01-02", "2024-03-05")
    assert apple.mentions == 3
    assert index.mentions_in(1) == ["Apple", "Zentrix"] or index.mentions_in(1) == ["Apple Inc.", "Zentrix"]


def test_names_are_found_without_their_accents():
    # Search folds accents; names did not: `entity jurgen muller` and `/entity jur` found nothing.
    a = Article(doc_id="a", title="t", body="Jürgen Müller met José Martínez in Zürich on Monday.", date="2024-01-02")
    b = Article(doc_id="b", title="t", body="Jurgen Muller said the talks went well.", date="2024-01-03")
    ps = [Passage(0, "a", 1, 1, 0, len(a.body), a.body), Passage(1, "b", 1, 1, 0, len(b.body), b.body)]
    index = build_entities({"a": a, "b": b}, ps)
    muller = index.get("jurgen muller")
    assert muller is not None and muller.name == "Jürgen Müller"
    assert muller.mentions == 2 and muller.articles == ["a", "b"]  # one person however it is spelt
    assert index.get("JOSE MARTINEZ") is index.get("José Martínez") is not None
    assert "Jürgen Müller" in index.complete("jur")
    assert "José Martínez" in index.complete("marti")  # a word prefix, unaccented


def _typed_index(docs: dict[str, list[tuple[str, str, str]]]) -> EntityIndex:
    """An index of given mentions (text, type, canonical), one sentence per article."""
    articles, passages, mentions = {}, [], {}
    for n, (d, found) in enumerate(docs.items()):
        body = " ".join(t for t, _, _ in found)
        articles[d] = Article(doc_id=d, title="t", body=body, date="2000-04-03")
        passages.append(Passage(n, d, 1, 1, 0, len(body), body))
        ms, at = [], 0
        for t, kind, canonical in found:
            ms.append(Mention(at, at + len(t), t, kind, canonical))
            at += len(t) + 1
        mentions[d] = ms
    return build_entities(articles, passages, mentions)


def test_an_alias_of_another_type_joins_when_a_third_of_its_mentions_agree():
    # round 20: "Elian" alone in two stories, typed MISC in 16 of 24 mentions, PERSON in 8
    full = [("Elian Gonzalez", "PERSON", "Elian Gonzalez")] * 2 + [("Elian", "PERSON", "Elian Gonzalez")] * 4
    alone = [("Elian", "MISC", "Elian")] * 2 + [("Elian", "PERSON", "Elian")]
    index = _typed_index({"a": full, "b": alone})
    assert [(e.name, e.type, e.mentions) for e in index.entities] == [("Elian Gonzalez", "PERSON", 9)]
    # fewer than a third: the country stays apart from the racing team that holds its name
    team = [("Jordan Grand Prix", "ORG", "Jordan Grand Prix")] * 3 + [("Jordan", "ORG", "Jordan Grand Prix")] * 3
    country = [("Jordan", "GPE", "Jordan")] * 3 + [("Jordan", "ORG", "Jordan")]
    index = _typed_index({"a": team, "b": country})
    assert sorted((e.name, e.type) for e in index.entities) == [("Jordan", "GPE"), ("Jordan Grand Prix", "ORG")]


def test_a_name_without_its_country_prefix_joins_the_prefixed_one():
    # round 20 (names20b): "U.S. State Department" in one story, "State Department" in others
    full = [("U.S. State Department", "ORG", "U.S. State Department")]
    short = [("State Department", "ORG", "State Department")] * 2
    index = _typed_index({"a": full, "b": short, "c": short})
    assert [(e.name, e.type, e.mentions) for e in index.entities] == [("U.S. State Department", "ORG", 5)]
    # one word left is too little ("U.S. Army" keeps "Army" of another country's story apart),
    # and only the United States' prefix: another country's ministry is not every ministry
    army = [("U.S. Army", "ORG", "U.S. Army")]
    ministry = [("Iraqi Foreign Ministry", "ORG", "Iraqi Foreign Ministry")]
    alone = [("Army", "ORG", "Army"), ("Foreign Ministry", "ORG", "Foreign Ministry")]
    index = _typed_index({"a": army + ministry, "b": alone})
    assert len(index.entities) == 4


def test_a_name_is_found_with_spaces_for_its_hyphens_or_an_invisible_mark_pasted_in():
    # round 21 (qa21's desk week): `entity "saint etienne du lac"` and `/entity saint etienne`
    # found nothing, nor did `Marta<ZWSP>Vos` or a name pasted with a trailing right-to-left mark
    index = _typed_index(
        {
            "a": [("Saint-Etienne-du-Lac", "GPE", "Saint-Etienne-du-Lac")] * 2,
            "b": [("Marta Vos", "PERSON", "Marta Vos"), ("Coca-Cola Co.", "ORG", "Coca-Cola Co.")],
        }
    )
    place, marta, coke = (index.get(n) for n in ("Saint-Etienne-du-Lac", "Marta Vos", "Coca-Cola Co."))
    assert place is not None and marta is not None and coke is not None
    assert index.get("saint etienne du lac") is place
    assert index.get("Saint Etienne-du Lac") is place
    assert index.get("coca cola") is coke  # spaces for the hyphen, the legal form left off
    assert index.complete("saint etienne") == ["Saint-Etienne-du-Lac"]
    assert index.complete("etienne du") == ["Saint-Etienne-du-Lac"]  # a word prefix too
    assert index.get("Marta\u200bVos") is marta
    assert index.get("Marta Vos\u200f") is marta
    assert index.get("\u202bMarta Vos\u202c") is marta
    assert index.get("\ufeffmarta vos's") is marta
    assert index.complete("Marta\u200b") == ["Marta Vos"]
    assert index.get("\u200b") is None and index.get("\u200f ") is None  # nothing typed but marks
    saved = EntityIndex.from_layer(*index.to_layer())  # the saved layer's tables find them too
    assert saved.get("saint etienne du lac").name == "Saint-Etienne-du-Lac"
    assert saved.complete("saint etienne") == ["Saint-Etienne-du-Lac"]


def test_two_names_apart_only_by_hyphens_each_find_their_own_entity():
    # the 216 TempEval documents hold `Dar es Salaam` and `Dar-es-Salaam` as two entities: the
    # unhyphenated key must not take either's own name from it (the more mentioned first)
    index = _typed_index(
        {
            "a": [("Dar-es-Salaam", "GPE", "Dar-es-Salaam")] * 3,
            "b": [("Dar es Salaam", "GPE", "Dar es Salaam")],
        }
    )
    assert [e.name for e in index.entities] == ["Dar-es-Salaam", "Dar es Salaam"]
    assert index.get("dar es salaam").name == "Dar es Salaam"
    assert index.get("Dar-es-Salaam").name == "Dar-es-Salaam"
    assert index.complete("dar es") == ["Dar es Salaam", "Dar-es-Salaam"]  # the name as typed first


@pytest.mark.parametrize("dash", ["\u2013", "\u2014", "\u2010", "\u2011", "\u2012", "\u2212", "\ufe63", "\uff0d"])
def test_a_name_typed_with_any_dash_for_its_hyphen_is_found(dash: str) -> None:
    # round 26 (qa26's desk day): `saint–etienne` (a Mac's smart en dash) was "No entity named";
    # the lookup key reads every dash as a hyphen, so the name as written is found first
    index = _typed_index(
        {
            "a": [("Saint-Etienne", "GPE", "Saint-Etienne")] * 2 + [("Dar-es-Salaam", "GPE", "Dar-es-Salaam")] * 3,
            "b": [("Dar es Salaam", "GPE", "Dar es Salaam")],
        }
    )
    assert index.get(f"saint{dash}etienne").name == "Saint-Etienne"
    assert index.get(f"Dar{dash}es{dash}Salaam").name == "Dar-es-Salaam"  # its own, not the spaced one
    assert index.complete(f"saint{dash}et") == ["Saint-Etienne"]
    saved = EntityIndex.from_layer(*index.to_layer())
    assert saved.get(f"saint{dash}etienne").name == "Saint-Etienne"


def test_a_name_written_with_a_dash_joins_its_hyphenated_spelling() -> None:
    # merging reads the lookup key: an article's `Saint–Etienne` is the same place
    index = _typed_index(
        {
            "a": [("Saint-Etienne", "GPE", "Saint-Etienne")] * 2,
            "b": [("Saint\u2013Etienne", "GPE", "Saint\u2013Etienne")],
        }
    )
    assert [e.name for e in index.entities] == ["Saint-Etienne"]


def test_a_city_named_mostly_in_datelines_is_shown_as_the_articles_write_it():
    # A desk's wire stories name their city in the dateline's capitals ("DETROIT (AP) —") more often
    # than in their text: `entities` showed "DETROIT (also: Detroit)".
    bodies = {
        "a": "DETROIT (AP) — General Motors cut 10,000 jobs on Tuesday.",
        "b": "DETROIT (AP) — Chrysler asked for more aid on Monday.",
        "c": "DETROIT (AP) — Ford sold more cars in March.",
        "d": "Car makers in Detroit asked the Treasury for help.",
    }
    articles = {k: Article(doc_id=k, title="t", body=v, date="2009-03-05") for k, v in bodies.items()}
    ps = [Passage(i, k, 1, 1, 0, len(v), v) for i, (k, v) in enumerate(bodies.items())]
    detroit = build_entities(articles, ps).get("detroit")
    assert detroit is not None and detroit.name == "Detroit" and detroit.mentions == 4
    assert "DETROIT" in detroit.aliases or "detroit" in detroit.aliases


def test_a_name_only_ever_written_in_capitals_keeps_them():
    body = "BEIJING, China (CNN) — Officials met on Monday."
    a = Article(doc_id="a", title="t", body=body, date="2009-03-05")
    beijing = build_entities({"a": a}, [Passage(0, "a", 1, 1, 0, len(body), body)]).get("beijing")
    assert beijing is not None and beijing.name == "BEIJING"
