"""Names in news text: the learnt CRF finds the spans, rules give them the product's types.

`find_mentions(text, sentence_starts)` returns every name mention with exact offsets
(`text[m.start:m.end] == m.text`) and a type:

    PERSON   people                      ORG      companies, agencies, media, parties
    GPE      countries, cities, states   LOC      other places (continents, seas, airports)
    NORP     nationalities, religious and political groups ("Chinese", "Republicans")
    PRODUCT  products, services, software, vehicle/aircraft models ("Claude Code", "X")
    FIN      financial instruments: stock indices, named currencies ("Nikkei", "FTSE 100")
    EVENT    named events ("World Cup")  MISC     other names (laws, works)

How:
1. The CRF (`crf.py`, trained on CoNLL-2003 by `tools.train_names`) labels each sentence (cut
   at sentence starts and line breaks, so no name crosses either) with PER/ORG/LOC/MISC spans.
2. Hard rules clean the spans: no trailing number or score; an all-caps headline word that is a
   common word is never a name; a common word capitalised only by its position (sentence start,
   headline) needs evidence elsewhere in the document; bylines are metadata, never mentions.
3. The spans are clustered per document (surnames, acronyms in parentheses, short forms of
   company names; `rules.cluster`) and each cluster takes the CRF's majority type, refined by the
   gazetteers and context cues into the product's types within what the CRF said: PER is a
   PERSON; ORG an ORG, FIN or PRODUCT; LOC a GPE or LOC; MISC a NORP, EVENT, PRODUCT, FIN or MISC.
   Strong rule evidence (a gazetteer entry, a cue such as "the platform X") overrides the CRF.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Callable, Iterable

from index.names import crf
from index.names import lexicon as lex
from index.names.features import all_caps_lines, doc_features, sequences
from index.names.mention import Mention
from index.names.rules import (
    Cand,
    Doc,
    Tok,
    Votes,
    candidates,
    cluster,
    common_word,
    decide,
    gazetteer_matches,
    office_titles,
    rule_votes,
)

# A change here to what is found bumps RECOGNISER_VERSION (index/names/__init__.py): saved layers go stale.

# the product types each CRF type may become, the first being the default
ALLOWED = {
    "PER": ("PERSON",),
    "ORG": ("ORG", "FIN", "PRODUCT", "EVENT"),
    "LOC": ("GPE", "LOC"),
    "MISC": ("MISC", "NORP", "EVENT", "PRODUCT", "FIN"),
}
CRF_WEIGHT = 0.5  # votes a CRF label adds to its default type, per mention
OVERRIDE = 4.0  # rule votes (per mention) for a type outside the CRF's set that override a sure CRF
UNSURE = 0.95  # below this CRF marginal probability, weaker rule evidence overrides the CRF's type
UNSURE_OVERRIDE = 1.5
EXTRA_VOTES = 2.0  # rule votes a product/index/event name needs to be added where the CRF found none
NO_PERSON_OVERRIDE = 2.0  # rule votes for another type that retype a CRF person no rule calls a person
DEMONYM_VOTES = 3.0  # a people named from a gazetteer place, as the plural of a listed nationality votes

# Ablation switches (all on in the product); `python -m bench.ner --audit` scores each one off.
RULES: dict[str, bool] = {
    "byline": True,  # a byline is metadata, never a mention (issue 18)
    "trailing_number": True,  # "Yasuto Honda 71": no trailing score or number (issue 18)
    "edge_punct": True,  # punctuation trimmed from either end of a span
    "edge_possessive": True,  # "Apple 's": a possessive trimmed from either end of a span
    "common_acronym": True,  # "Qwen AI": common acronyms trimmed from either end
    "roles": True,  # "Chief Operating Officer" is a role; "Chief Executive Officer of GM" is GM
    "number_noun": True,  # "Adam Air Flight 574": a numbering noun before a number is no part of a name
    "quoted_work": True,  # 'the film "Mulholland Drive."': a name that fills a quotation is a work's title
    "quoted_title": True,  # '"Papa's Delicate Condition"': the names inside a title-case quotation are one work's title
    "quoted_speech": True,  # '"Help Steven Utash," the sign read': a title-case quotation of speech is no title
    "nickname": True,  # 'Bartolo "Buddy" Valastro': a quoted nickname between a first name and a person is the person
    "inner_quote": True,  # 'Michael "Mickey" Sherman': no name holds a quote mark
    "inner_possessive": True,  # "Miley Cyrus' VMAs": the name ends at a possessive apostrophe
    "titles": True,  # "Ms. Rosoff", "Police Chief Frank Kitzerow": the name is after the title
    "title_tail": True,  # "San Diego Mayor" + "Bob Filner": a span ending in a title before a person ends before it
    "position_word": True,  # "Despite Bale's display" beside Gareth Bale: a word capitalised by its position is no given name
    "title_person": True,  # "Judge G. Todd Baugh", "County Sheriff Tommy Bryant": after the last title, a person of 2+ words
    "inner_modifier": True,  # "Ohio-based Meridian", "keep Jaguar British-owned": the modifier is no part of the name
    "word_and_number": True,  # "Chapter 11": a common word and a number
    "word_before_number": True,  # "Chapter" of "Chapter 11" when the CRF left the number out
    "word_and_letter": True,  # "Series D", "Class A" shares: a common word and a letter
    "suffix_only": True,  # "Inc.", "Holdings Inc." alone: a company's legal form cut from its name
    "currency": True,  # "US$": a currency sign, not a place
    "headline_common": True,  # "SOCCER" on an all-caps headline line (issue 18)
    "positional_only": True,  # "Deliveries rose": a common word capitalised only by its position
    "dateline_start": True,  # "Washington (CNN) -- Testimony on...": the word after a dateline starts a sentence
    "dateline_place": True,  # "DETROIT (AP) —": a dateline's place in capitals is looked up as the place it is
    "doc_lower": True,  # "parts: Autos, auto parts": the document writes the word in lower case
    "lower_words": True,  # "Testimony on day three": a word news writes in lower case, at a sentence start
    "particle_join": True,  # "Dar" + "es" + "Salaam", "Daniel" + "arap" + "Moi": one name across a particle
    "place_of": True,  # "Port" + "of" + "Miami": a place's head and "of" before a place is one name
    "gazetteer_phrase": True,  # "Dow" + "Jones Industrial Average": a gazetteer phrase is one name
    "rule_extras": True,  # gazetteer entries and products the CRF missed are added
    "type_within": True,  # rule votes choose among the types the CRF's type allows (ORG -> FIN...)
    "type_override": True,  # strong rule votes for a type outside the CRF's set override it
    "sure_org_place": True,  # "Hamburg 2 Stuttgart 1": a place's votes never override a sure CRF organisation
    "type_no_person": True,  # a CRF person no rule calls a person takes another voted type
    "type_cluster": True,  # the votes of a mention's whole document cluster (off: its own only)
    "company_cluster": True,  # "Kyle Technology Corp." ... "Kyle's board": every mention of a company is an ORG
    "place_head": True,  # "Karl Marx Theater", "Harry S. Truman Library": a name ending in a place's head is no person
    "demonym": True,  # "South Africans", "Tanzanian": a people the nationality list lacks, read from the gazetteers
    "state_after_city": True,  # "Louisville, Ky.": a US state's abbreviation after a city is a place
    "month_day": True,  # "by Jan. 14": a month before its day is a date, not a name
    "title_word": True,  # "Attorney General Janet Reno": a lone title word before a name is no name
    "building_head": True,  # "Westminster Abbey", "Johns Hopkins Hospital": a GPE named by a building's head is a building or institution
    "water_head": True,  # "Florida Straits", "Bay of Pigs": a name headed by a sea, gulf or strait is a place
    "structure_head": True,  # "Poienari Castle" ORG, "Neverland Ranch" PERSON: a structure's or site's name is a place
    "shared_surname": True,  # a bare surname of two persons named in full (two Duvaliers) is a person
    "person_short_form": True,  # "the Castro regime" of a story naming Fidel Castro: a short form of a person is the person
}


def _is_number(tok: Tok) -> bool:
    return tok.text[:1].isdigit()


def _headline_common(tok: Tok) -> bool:
    """An all-caps word on a headline line that is a common English word ("SOCCER", "WIN")."""
    w = tok.text
    return w.isupper() and len(w) > 1 and common_word(w.lower()) and (w.title(),) not in lex.gazetteer()


# words that never start a name the rules add where the CRF found none ("New York", "The Hague" may)
_STARTERS = (lex.SENTENCE_STARTERS | lex.MONTHS | lex.WEEKDAYS) - {"New", "The"}


def _positional_only(doc: Doc, tok: Tok) -> bool:
    """A common word capitalised only by its position (sentence start, headline) without evidence
    elsewhere in the document (capitalised mid-sentence at least as often as lower case).
    """
    after_dateline = bool(RULES["dateline_start"] and tok.start == doc.after_dateline)
    if not (tok.initial or tok.title_line or after_dateline) or tok.kind != "word":
        return False
    w = tok.text
    if w in lex.SENTENCE_STARTERS or w in lex.MONTHS or w in lex.WEEKDAYS:
        return True
    key = w.lower()
    cased = w[1:].islower()  # "NZ" is an acronym, capitalised by itself
    learnt = RULES["lower_words"] and cased and _lower_word(key)
    # the document itself writes the word (or its singular) in lower case: "parts: Autos, auto parts"
    own = RULES["doc_lower"] and cased and bool(doc.low[key] or (key.endswith("s") and doc.low[key[:-1]]))
    if not (common_word(key) or learnt or own) or (w,) in lex.gazetteer():
        return False
    cap_mid = doc.cap_mid[key] - after_dateline  # the dateline's word counted itself as evidence
    return not (cap_mid and cap_mid >= doc.low[key])


def _lower_word(key: str) -> bool:
    """A word news writes in lower case (`lexicon.lower_words`), or the plural of one."""
    lower = lex.lower_words()
    return key in lower or (key.endswith("s") and key[:-1] in lower)


def _clean(doc: Doc, i: int, j: int, crf_type: str, caps_line: bool) -> tuple[int, int] | None:
    """Apply the hard rules to the span [i, j) the CRF labelled; None when nothing of it is a name."""
    toks = doc.toks
    words = doc.words
    gaz = lex.gazetteer()
    if RULES["byline"] and doc.byline and toks[i].start >= doc.byline[0] and toks[j - 1].end <= doc.byline[1]:
        return None  # a byline is metadata
    cut_number = False
    while i < j and tuple(words[i:j]) not in gaz:
        first, last = toks[i], toks[j - 1]
        if RULES["trailing_number"] and _is_number(last) and crf_type != "MISC":
            j -= 1  # "Yasuto Honda 71", "Syria 1": a score is not part of a name
            cut_number = True
        elif _edge(last) or (RULES["common_acronym"] and _common_acronym(last.text)):  # "Qwen AI"
            j -= 1
        elif _edge(first) or (RULES["common_acronym"] and _common_acronym(first.text)):
            i += 1
        else:
            break
    if (
        RULES["number_noun"]
        and (cut_number or (j < len(toks) and _is_number(toks[j]) and toks[j].start - toks[j - 1].end == 1))
        and j - i > 1
        and toks[j - 1].text in _NUMBERING_NOUNS
        and tuple(words[i:j]) not in gaz
    ):
        j -= 1  # "Adam Air Flight 574": "Flight" names the number, not the airline
    if RULES["inner_quote"] and j - i > 2:
        quotes = [k for k in range(i + 1, j - 1) if toks[k].text in _ALL_QUOTES]
        if len(quotes) % 2:  # a nickname within quotes stays: Roberto "Hands of Stone" Duran
            i = quotes[-1] + 1
    if RULES["inner_possessive"] and j - i > 2:
        j = _possessor_end(toks, i, j)
    if RULES["titles"] and j - i > 1 and tuple(words[i:j]) not in gaz:
        i = _after_title(toks, i, j)
    if RULES["inner_modifier"] and j - i > 1:
        i, j = _without_modifier(toks, i, j)
    if RULES["roles"] and j - i > 1 and tuple(words[i:j]) not in gaz:
        k = i
        while k < j and toks[k].text != "of" and (toks[k].text in lex.TITLES or common_word(toks[k].text.lower())):
            k += 1
        role = k > i and toks[k - 1].text in lex.TITLES
        if role and k == j:
            return None  # "Chief Operating Officer": a role, not a name
        if role and k + 1 < j and toks[k].text == "of" and not common_word(toks[k + 1].text.lower()):
            i = k + 1  # "Chief Executive Officer of General Motors": the name is after "of"
    if RULES["word_and_number"] and j - i == 2 and _is_number(toks[j - 1]) and common_word(toks[i].text.lower()):
        return None  # "Chapter 11", "Game 7": a common word and a number
    if (
        RULES["word_before_number"]
        and j - i == 1
        and j < len(toks)
        and _is_number(toks[j])
        and toks[j].start - toks[i].end == 1
        and common_word(toks[i].text.lower())
        and (toks[i].text,) not in gaz
    ):
        return None  # "Chapter" of "Chapter 11" when the CRF left the number out
    if j - i == 1 and RULES["month_day"] and toks[i].text in lex.MONTHS and _day_after(toks, j):
        return None  # "by Jan. 14": a date (the CRF took "Jan" for a person)
    if j - i == 1 and RULES["title_word"] and _title_before_name(toks, i):
        return None  # "Attorney" of "Attorney General Janet Reno"
    if RULES["word_and_letter"] and _word_and_letter(toks, i, j):
        return None  # "Series D convertible preferred", "Class A shares"
    if RULES["suffix_only"] and all(w in _SUFFIX_WORDS for w in words[i:j]):
        return None  # "Holdings Inc." of "Sotheby's Holdings Inc.", "Inc." after "(Japan)"
    if i >= j or (RULES["currency"] and _currency(toks, j)):
        return None  # "US$", "C$": a currency sign, not a place
    if j - i == 1 and (
        (RULES["headline_common"] and caps_line and _headline_common(toks[i]))
        or (RULES["positional_only"] and _positional_only(doc, toks[i]))
    ):
        return None  # "SOCCER" in a headline; "Government said...", "Deliveries rose..."
    return i, j


def _without_modifier(toks: list[Tok], i: int, j: int) -> tuple[int, int]:
    """The span [i, j) without a hyphenated modifier at either end ("Ohio-based Meridian",
    "Mass.-based Phoenix", "keep Jaguar British-owned"): the name is the rest. A span that is
    only a modifier ("U.S.-led") stays: CoNLL tags it MISC and `/entities` does not list it.
    """
    for k in range(i, j):
        t = toks[k]
        glued = k > i and toks[k - 1].text == "-" and toks[k - 1].end == t.start and lex.modifier_tail(t.text)
        if not (glued or lex.hyphen_modifier(t.text)):
            continue
        if k + 1 < j:
            return k + 1, j  # the modifier before the name
        start = k - 1 if glued else k
        while start > i and toks[start - 1].end == toks[start].start:
            start -= 1  # "Mass." "-" "based": back to the modifier's first token
        head = toks[start].text.split("-", 1)[0]
        if start == i or (*(t.text for t in toks[i:start]), head) in lex.gazetteer():
            return i, j  # "New York-based": the words before are the modifier's own place
        return i, start
    return i, j


def _state_after_city(toks: list[Tok], i: int) -> bool:
    """A US state's abbreviation with its period right after a capitalised word and a comma:
    "Louisville, Ky.", "Charlotte, N.C." (not "Jane Doe, MD, said").
    """
    t = toks[i]
    dot = t.text.endswith(".") or (i + 1 < len(toks) and toks[i + 1].text == "." and toks[i + 1].start == t.end)
    return dot and i >= 2 and toks[i - 1].text == "," and toks[i - 2].text[:1].isupper() and lex.us_state_abbrev(t.text)


def _placed(doc: Doc, clustered: list[tuple[Cand, str, str, Votes]], crf_types: dict[int, str]) -> set[str]:
    """Clusters with a CRF place written beside another place, "Wuxi, Jiangsu province", "Charlotte,
    N.C.": a city a company is named after ("Wuxi Tong Ling Company Ltd") stays a place.
    """
    toks = doc.toks
    starts = {c.i for c, *_ in clustered if crf_types[id(c)] == "LOC"}
    ends = {c.j for c, *_ in clustered if crf_types[id(c)] == "LOC"}
    return {
        name
        for c, name, _, _ in clustered
        if crf_types[id(c)] == "LOC"
        and (
            (c.j < len(toks) and toks[c.j].text == "," and c.j + 1 in starts)
            or (c.i > 0 and toks[c.i - 1].text == "," and c.i - 1 in ends)
        )
    }


def _word_and_letter(toks: list[Tok], i: int, j: int) -> bool:
    """A common word and a single capital letter, the letter in the span or right after it:
    "Series D", "Class A" (not "Malcolm X": no common word).
    """
    if j - i == 2:
        letter = toks[j - 1]
    elif j - i == 1 and j < len(toks) and toks[j].start == toks[i].end + 1:
        letter = toks[j]
    else:
        return False
    t = letter.text
    return len(t) == 1 and t.isupper() and t != "I" and common_word(toks[i].text.lower())


_SUFFIX_WORDS = lex.COMPANY_SUFFIXES | {"Holdings", "Group"}


def _day_after(toks: list[Tok], j: int) -> bool:
    """A day number after token j-1 (a month), its abbreviation's period between: "Jan. 14"."""
    if j < len(toks) and toks[j].text == "." and toks[j].start == toks[j - 1].end:
        j += 1
    return j < len(toks) and toks[j].text[:1].isdigit() and len(toks[j].text.rstrip(",.")) <= 2


def _title_before_name(toks: list[Tok], i: int) -> bool:
    """A title word ("Attorney", not a first name such as "Dean") followed by a capitalised word:
    the CRF cut a title off the name or off its own second word ("Attorney General Janet Reno").
    """
    w = toks[i].text
    if w not in lex.TITLES or w in lex.first_names() or w in _HONORIFICS:
        return False
    k = i + 1
    return k < len(toks) and toks[k].kind == "word" and toks[k].text[:1].isupper() and toks[k].start == toks[i].end + 1


def _possessor_end(toks: list[Tok], i: int, j: int) -> int:
    """The end of the span [i, j) at a possessive apostrophe glued to a word ending in s and
    followed by a space: the name is the possessor ("Miley Cyrus' VMAs performance").
    """
    for k in range(i + 1, j - 1):
        t = toks[k]
        if t.text in _APOSTROPHES and t.start == toks[k - 1].end and toks[k + 1].start > t.end:
            if toks[k - 1].text[-1:] in ("s", "S"):
                return k
    return j


# nouns that number things: before a number they name the number, not the name before them
# ("Adam Air Flight 574"); a team's "City" or "United" before a score is part of the name
_NUMBERING_NOUNS = frozenset("Flight Route Gate Runway Terminal Platform Room Chapter Section Article".split())


_APOSTROPHES = frozenset({"'", "’"})
_HONORIFICS = frozenset("Mr Mr. Mrs Mrs. Ms Ms. Dr Dr.".split())


def _after_title(toks: list[Tok], i: int, j: int) -> int:
    """Where a person's name starts in the span [i, j) when a title stands before it: after a
    leading honorific ("Ms. Rosoff"), after a title followed by a first name ("Officer Michael
    Sears", "Jupiter Police Chief Frank Kitzerow"), or (rule `title_person`) after the last title
    of the span when what follows it is a person's name of two words or more, whatever its given
    name ("Judge G. Todd Baugh", "Erath County Sheriff Tommy Bryant": CNN and the AP write a
    person after a chain of place, office and title). Titles are never part of a name (CoNLL's
    convention too). A title that is also a first name ("Dean Martin") is left alone.
    """
    if toks[i].text in _HONORIFICS and toks[i + 1].kind == "word" and toks[i + 1].text[:1].isupper():
        return i + 1
    first = lex.first_names()
    last_title = -1
    for k in range(i, j - 1):
        w = toks[k].text
        if w in lex.TITLES and w not in first:
            if toks[k + 1].text in first:
                return k + 1
            last_title = k
    if RULES["title_person"] and last_title >= 0 and _person_shaped(toks, last_title + 1, j):
        return last_title + 1
    return i


_HEADS = lex.ORG_SUFFIXES | lex.LOC_SUFFIXES | lex.GPE_SUFFIXES | lex.EVENT_SUFFIXES


def _person_shaped(toks: list[Tok], i: int, j: int) -> bool:
    """The tokens [i, j) read as a person's name: two words or more, each capitalised or an
    initial ("G.", "D.T.") or a generation ("Jr."), none a title, a common word (only the
    position capitalises "Head Start Program"'s words) or the head of an organisation or a place
    ("General Motors Corp", "Senate Foreign Relations Committee", "Supreme Court Justice Building").
    """
    names = 0
    for k in range(i, j):
        t = toks[k]
        w = t.text
        if t.kind == "punct":
            if w != "." or k == i or len(toks[k - 1].text) != 1:
                return False  # only an initial's period
            continue
        if not w[:1].isupper() or w in lex.TITLES or w in _HEADS:
            return False
        if t.kind == "word" and len(w) > 1 and w.lower() in lex.common_words() and w not in lex.first_names():
            return False
        names += t.kind != "abbr"
    return names >= 2


_ALL_QUOTES = frozenset({'"', "“", "”", "`"})  # not "'": "O'Leary" holds one
_QUOTES_OPEN = frozenset({'"', "“", "``"})
_QUOTES_CLOSE = frozenset({'"', "”", "''"})


def _fills_quotation(toks: list[Tok], i: int, j: int) -> bool:
    """Whether the span [i, j) of two words or more is all a double quotation holds ("The" and a
    final comma or full stop aside): 'the film "Mulholland Drive."', '"Twin Peaks,"'.
    """
    if j - i < 2:
        return False  # a one-word quotation is as often a nickname: Michael "Mickey" Sherman
    a = i - 1
    if a >= 0 and toks[a].text in ("The", "A"):
        a -= 1
    b = j
    if b < len(toks) and toks[b].text in (",", "."):
        b += 1
    return a >= 0 and b < len(toks) and _quote(toks, a, _QUOTES_OPEN, -1) and _quote(toks, b, _QUOTES_CLOSE, 1)


def _quote(toks: list[Tok], k: int, quotes: frozenset[str], step: int) -> bool:
    """A quote mark at token k (also `` and '' written as two tokens, read away from the name)."""
    t = toks[k].text
    if t in quotes:
        return True
    k2 = k + step
    return t in ("`", "'") and 0 <= k2 < len(toks) and toks[k2].text == t and t * 2 in quotes


def _edge(tok: Tok) -> bool:
    """Punctuation or a possessive, trimmed from the ends of a CRF span."""
    return (RULES["edge_punct"] and tok.kind == "punct") or (RULES["edge_possessive"] and tok.kind == "poss")


def _common_acronym(word: str) -> bool:
    """Acronyms used as common nouns ("AI", "CEO"): never a name alone, never the end of one."""
    return word in lex.COMMON_ACRONYMS or (word.endswith(".") and word.replace(".", "") in lex.COMMON_ACRONYMS)


def _currency(toks: list[Tok], k: int) -> bool:
    """A `$` glued to the word before: "US$", "C$"."""
    return k < len(toks) and toks[k].text == "$" and k > 0 and toks[k - 1].end == toks[k].start


# the product types outside each CRF type's allowed set, in a fixed order (ties: the first)
_OUTSIDE = {
    crf_type: tuple(t for t in ("PERSON", "ORG", "GPE", "LOC", "NORP", "PRODUCT", "FIN", "EVENT") if t not in allowed)
    for crf_type, allowed in ALLOWED.items()
}


def _product_type(crf_type: str, votes: Votes, mentions: int, confidence: float) -> str:
    allowed = ALLOWED[crf_type]
    get = votes.get  # read only: a missing type has no votes
    best = allowed[0]
    best_votes = get(best, 0.0)
    if RULES["type_within"]:  # the most voted allowed type; the default wins ties
        for t in allowed[1:]:
            if get(t, 0.0) > best_votes:
                best, best_votes = t, get(t, 0.0)
    outside = _OUTSIDE[crf_type]
    strong = outside[0]  # the most voted type outside; the first wins ties
    strong_votes = get(strong, 0.0)
    for t in outside[1:]:
        if get(t, 0.0) > strong_votes:
            strong, strong_votes = t, get(t, 0.0)
    needed = (OVERRIDE if confidence >= UNSURE else UNSURE_OVERRIDE) * mentions
    if (
        RULES["type_override"]
        and strong_votes >= needed
        and strong_votes > best_votes
        and not (RULES["sure_org_place"] and crf_type == "ORG" and strong == "GPE" and confidence >= UNSURE)
    ):
        return strong  # a sure ORG that a gazetteer calls a city is its club (round 27: 34 of 36 on the CoNLL fold)
    if (
        RULES["type_no_person"]
        and crf_type == "PER"
        and get("PERSON", 0.0) <= CRF_WEIGHT * mentions
        and strong_votes >= NO_PERSON_OVERRIDE
    ):
        return strong  # "Macbook", "DaimlerChrysler": the CRF's person has no person cue, another type has
    return best


def _persons_in_full(doc: Doc, typed: list[tuple[Cand, str, str]]) -> dict[str, set[str]]:
    """Each cluster a mention of which is a person named in full (two words or more, typed
    PERSON) -> the words of those full names: a one-word mention of the cluster that is one of
    them is the same person, whatever the CRF read in its context ("the Castro regime", "Elian's").
    """
    persons: dict[str, set[str]] = {}
    for c, name, etype in typed:
        if etype == "PERSON" and c.j - c.i > 1:
            persons.setdefault(name, set()).update(doc.words[c.i : c.j])
    return persons


def _shared_surnames(doc: Doc, typed: list[tuple[Cand, str, str]]) -> set[str]:
    """The last words of two or more persons named in full under different names (Jean-Claude
    Duvalier, Francois "Papa Doc" Duvalier): the clustering leaves a bare "Duvalier" to neither,
    and typed alone from its context the CRF called it an organisation.
    """
    full: dict[str, set[str]] = {}
    for c, name, etype in typed:
        if etype == "PERSON" and c.j - c.i > 1:
            full.setdefault(doc.words[c.j - 1], set()).add(name)
    return {w for w, names in full.items() if len(names) > 1}


def _cand(doc: Doc, i: int, j: int, crf_type: str, crf_types: dict[int, str]) -> Cand:
    c = Cand(i, j)
    hit = doc.gaz.get(i)
    if hit is not None and hit[0] == j:
        c.gaz = hit[1]
    c.votes[ALLOWED[crf_type][0]] += CRF_WEIGHT
    if RULES["demonym"] and c.gaz is None and j - i <= 3 and lex.demonym(tuple(doc.words[i:j])):
        c.votes["NORP"] += DEMONYM_VOTES  # "South Africans", "Tanzanian": as a nationality list entry
    crf_types[id(c)] = crf_type
    return c


def _whole_gazetteer_phrases(doc: Doc, spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """A gazetteer phrase is one name: CRF spans inside a longer phrase ("Dow" + "Jones Industrial
    Average") become the phrase; spans reaching beyond it are kept as the CRF gave them.
    """
    out = list(spans)
    for i, (j, _) in doc.gaz.items():
        if j - i < 2:
            continue
        if "\n" in doc.text[doc.toks[i].start : doc.toks[j - 1].end]:
            continue
        inside = [s for s in out if s[0] < j and s[1] > i]
        if inside and all(i <= s[0] and s[1] <= j for s in inside) and inside != [(i, j, inside[0][2])]:
            out = [s for s in out if s not in inside] + [(i, j, inside[0][2])]
    return sorted(out)


# last words that make a name a place or an institution, never a person (none is a common surname:
# not Park, Hill, Street, Field, Hall)
_PLACE_HEADS = {
    **dict.fromkeys("Theater Theatre Airport Stadium Arena Avenue Ave Boulevard Cathedral Bridge".split(), "LOC"),
    **dict.fromkeys("Library College University Museum Hospital School Institute Academy Foundation".split(), "ORG"),
}
# buildings and institutions by the last word of their name (round 22, rule `building_head`): a
# CRF place the product typed GPE, a country's or city's type, is a building or site (LOC:
# "Westminster Abbey", "Sinan Erdem Dome", "Johns Hopkins Hospital") or a school (ORG: "Dunaire
# Elementary School"), as the 80 % of CoNLL train the fold model learnt from types them (Hospital
# LOC 6 of 6, Museum 2 of 2, University ORG 6 of 6, School 2, Institute 2, College 1). Not a head
# a town is named with ("West Palm Beach", "Beverly Hills", "Niagara Falls", "Menlo Park").
_BUILDING_HEADS = {
    **dict.fromkeys(
        """Abbey Castle Palace Cathedral Chapel Temple Mosque Synagogue Dome Stadium Arena Ranch Mews
Tower Towers Bridge Airport Prison Jail Penitentiary Mall Hotel Garden Gardens Plaza Building
Terminal Theater Theatre Pier Lighthouse Fortress Hospital Library Museum""".split(),
        "LOC",
    ),
    **dict.fromkeys("School College University Academy Institute".split(), "ORG"),
}


# structures and sites by the last word of their name (round 23, rule `structure_head`): the CRF,
# sure of its label, typed them ORG ("Poienari Castle", "MetLife Stadium", "George Washington
# Bridge") or PERSON ("Neverland Ranch"). The buildings' place heads above and cemeteries, less the
# heads an institution speaks as (Hospital, Museum, Library, Theater, Hotel: "the hospital said")
# and those clubs, companies or groups are named with ("Crystal Palace", "Madison Square Garden",
# "Peoples Temple", a mall); "Park", "Hall", "House" are in neither list.
_STRUCTURE_HEADS = (
    frozenset(head for head, etype in _BUILDING_HEADS.items() if etype == "LOC")
    - {"Hospital", "Museum", "Library", "Theater", "Theatre", "Hotel", "Palace", "Garden", "Temple", "Mall"}
) | {"Cemetery"}
_SITE_FIRST = frozenset({"Fort", "Mount"})  # "Fort Bragg", "Mount Vernon": never a given name


def _structure_named(words: list[str], etype: str) -> bool:
    """A name the product typed ORG or PERSON that names a structure or site: two words or more
    ending in a structure's head, no organisation's word before it ("Tower Records ..."), and, for
    a person, no given name first ("John Tower", "Timothy Castle" are people); or a person's type
    on "Fort X", "Mount X".
    """
    if etype not in ("ORG", "PERSON") or len(words) < 2:
        return False
    if words[-1] in _STRUCTURE_HEADS and not any(w in lex.ORG_SUFFIXES for w in words[:-1]):
        return etype == "ORG" or words[0] not in lex.first_names()
    return etype == "PERSON" and words[0] in _SITE_FIRST


def _acting(clustered: list[tuple[Cand, str, str, Votes]]) -> set[str]:
    """The clusters a speech verb follows ("Mentmore Abbey said", a company; "MetLife Stadium said
    in a statement", its operator): a structure does not speak, so `structure_head` leaves them.
    """
    return {name for _, name, _, total in clustered if total.get("PERSON_OR_ORG", 0.0) > 0}


# heads that make a name a body of water: last ("Red Sea", "Florida Straits") or first before "of"
# ("Bay of Pigs", "Gulf of Mexico"); not Bay, River, Coast or Island last: teams and clubs are
# named so ("Tampa Bay", "River Plate", "Gold Coast")
_WATER_LAST = frozenset("Sea Ocean Gulf Strait Straits Reef".split())
_WATER_FIRST = frozenset("Bay Gulf Sea Strait Straits".split())


def _water_named(words: list[str]) -> bool:
    """A name of two words or more headed by a sea, gulf or strait, with no organisation's word in
    it ("Association for Relations Across the Taiwan Straits" is an organisation).
    """
    if len(words) < 2 or any(w in lex.ORG_SUFFIXES for w in words):
        return False
    return words[-1] in _WATER_LAST or (words[0] in _WATER_FIRST and words[1] == "of")


# lower-case words inside names ("Dar es Salaam", "Daniel arap Moi", "Osama bin Laden")
_JOIN_PARTICLES = lex.PARTICLES | {"es", "arap"}


Span = tuple[int, int, str]  # a CRF span: first token, token after the last, type


def _joined(spans: list[Span], joins: Callable[[Span, Span], bool]) -> list[Span]:
    """`spans` with each one that `joins` the one kept before it merged into it (its type kept)."""
    out: list[Span] = []
    for span in spans:
        if out and joins(out[-1], span):
            out[-1] = (out[-1][0], span[1], out[-1][2])
        else:
            out.append(span)
    return out


def _particle_joined(doc: Doc, spans: list[Span]) -> list[Span]:
    """Two CRF spans of one type with a single name particle between them are one name ("Dar" +
    "es" + "Salaam"): the CRF, trained on Reuters, cuts at particles it has not seen.
    """
    toks = doc.toks

    def joins(prev: Span, cur: Span) -> bool:
        (_, b, before), (i, _, etype) = prev, cur
        return (
            before == etype
            and i == b + 1
            and toks[b].text in _JOIN_PARTICLES
            and toks[b].start == toks[b - 1].end + 1
            and toks[i].start == toks[b].end + 1
        )

    return _joined(spans, joins)


# lower-case words a title in title case keeps ("Hollywood Through the Backdoor", "Heal the World")
_TITLE_SMALL = frozenset("a an the of in on at to for and or nor but with from by as into than that".split())
_TITLE_PUNCT = frozenset({",", "&", "-", ":"})


def _quoted_titles_joined(doc: Doc, spans: list[Span]) -> list[Span]:
    """The CRF spans inside a double quotation written in title case, two words or more, are one
    work's title, MISC ("Papa's Delicate Condition", "Hollywood Through the Backdoor", "America's
    Most Wanted"): CNN names its shows, films and books so, and the CRF, trained on Reuters, cut
    them into false names ("Delicate Condition" ORG, "Backdoor" ORG). A quotation no span falls in
    is left alone (a nickname, a slogan nobody took for a name); so is one a span crosses, and one
    with a single name and nothing capitalised beside it but an article ('"Count Dracula's" home',
    'nicknamed "The Babe"').
    """
    quotations = _title_quotations(doc)
    if not quotations:
        return spans
    toks = doc.toks
    out: list[Span] = []
    s, n = 0, len(spans)
    for a, b in quotations:  # both in text order: one walk, linear in spans and tokens
        while s < n and spans[s][1] <= a:
            out.append(spans[s])
            s += 1
        e = s
        while e < n and spans[e][0] < b:
            e += 1
        group = spans[s:e]  # the spans that overlap the quotation
        s = e
        if not group or group[0][0] < a or group[-1][1] > b:
            out.extend(group)  # none inside, or one crosses the quotation's edge
            continue
        if RULES["quoted_speech"] and _speech(doc, a, b):
            out.extend(group)  # '"Help Steven Utash," the sign read': speech, not a title
            continue
        covered = {k for x in group for k in range(x[0], x[1])}
        rest = [k for k in range(a, b) if k not in covered and toks[k].text[:1].isupper()]
        if len(group) < 2 and (not rest or (rest == [a] and toks[a].text in ("The", "A", "An"))):
            out.extend(group)  # one name, all the title holds (round 19's `quoted_work` types it),
            continue  # or one name and an article: 'nicknamed "The Babe"', '"The Wedding Man"'
        out.append((a, b, "MISC"))
    out.extend(spans[s:])
    return out


# verbs that attribute speech ('wrote: "..."', '"...," the sign read'); "told", "read", "declared"
# right before a quotation name a show, a book or a headline ('told "Fox News Sunday"')
_SPEECH_VERBS = frozenset(
    "say says said tell tells told write writes wrote read reads tweet tweets tweeted post posts posted add adds "
    "added ask asks asked shout shouts shouted chant chants chanted yell yells yelled reply replies replied "
    "scream screamed cry cried".split()
)


def _speech(doc: Doc, a: int, b: int) -> bool:
    """Whether the quotation of tokens [a, b) is speech: a speech verb and a colon or a comma
    right before its opening quote, on its line ('wrote: "Pray For Steven Utash"'), or it opens a
    sentence and ends in a comma with a speech verb in the three words after its closing quote
    ('"Help Steven Utash," the sign read'). A title named inside a sentence keeps its comma ('the
    book "Hollywood Through the Backdoor," her grandson said'), one a verb names directly too
    ('read "The Diary of Anne Frank,"').
    """
    toks, text = doc.toks, doc.text
    k = a - 1  # the opening quote
    before = toks[k - 1].text if k > 0 else ""
    newline = k > 0 and "\n" in text[toks[k - 1].end : toks[k].start]
    if before in (":", ",") and k > 1 and toks[k - 2].text.lower() in _SPEECH_VERBS and not newline:
        return True
    opens = k == 0 or before in (".", "!", "?") or newline
    if not opens or b >= len(toks) or toks[b].text != ",":
        return False  # the final comma was left out of the title: toks[b + 1] is the closing quote
    return any(t.text.lower() in _SPEECH_VERBS for t in toks[b + 2 : b + 5])


def _holds_nickname(toks: list[Tok], i: int, j: int) -> bool:
    """Whether the name [i, j) holds a quotation inside it, a word on either side: a person's
    nickname ('Bartolo "Buddy" Valastro'), whatever its context votes.
    """
    return j - i > 3 and toks[i + 1].text in _QUOTES_OPEN and toks[j - 2].text in _QUOTES_CLOSE


def _start(t: Tok) -> int:
    return t.start


def _first(span: Span) -> int:
    return span[0]


def _holding(spans: list[Span], k: int) -> int:
    """The index of the span (sorted, apart) that holds token k, -1 when none does."""
    x = bisect_right(spans, k, key=_first) - 1
    return x if x >= 0 and spans[x][1] > k else -1


def _nicknames_joined(doc: Doc, spans: list[Span]) -> list[Span]:
    """A quotation of one to three capitalised words between a capitalised word and a CRF person,
    one space apart, is a nickname, and the whole is one person ('Bartolo "Buddy" Valastro',
    'Joaquin "El Chapo" Guzman', 'Rich "Goose" Gossage'): the CRF, trained on text that writes
    quotes apart, cut the person at the quotes ("Bartolo" ORG + "Buddy" Valastro") or found
    nothing before them. The word before is in a CRF span or, when none holds it, a capitalised
    word that is not a common word capitalised by its place ('Yesterday "Buddy" Valastro').
    """
    toks, text = doc.toks, doc.text
    sites = [m.start() for m in _NICKNAME_SITE.finditer(text)] if spans else []
    if not sites:
        return spans  # most texts: one regex pass, no walk over the tokens
    drop: set[int] = set()
    joined: list[Span] = []
    n = len(toks)
    for site in sites:
        k = bisect_left(toks, site, key=_start)  # the opening quote's token
        if not 0 < k < n - 2 or toks[k].start != site or toks[k].text not in _QUOTES_OPEN:
            continue
        if toks[k + 1].start != toks[k].end:
            continue
        q = k + 1
        while q < n and q - k <= 4 and toks[q].text not in _ALL_QUOTES:
            q += 1
        if q >= n - 1 or q - k > 4 or toks[q].text not in _QUOTES_CLOSE:
            continue
        prev, x_after, x_before = toks[k - 1], _holding(spans, q + 1), _holding(spans, k - 1)
        if (
            x_after < 0
            or spans[x_after][2] != "PER"
            or spans[x_after][0] <= k  # one span holds it all: 'Michael "Mickey" Sherman' stays
            or toks[q].start != toks[q - 1].end
            or text[toks[q].end : toks[q + 1].start] != " "
            or text[prev.end : toks[k].start] != " "
            or prev.kind != "word"
            or not prev.text[:1].isupper()
            or not all(t.kind == "word" and t.text[:1].isupper() for t in toks[k + 1 : q])
        ):
            continue
        if x_before < 0 and prev.initial and common_word(prev.text.lower()):
            continue  # 'Yesterday "Buddy" Valastro'
        lo = x_before if x_before >= 0 else bisect_left(spans, k, key=_first)
        drop.update(range(lo, x_after + 1))  # the first name's, the nickname's, the person's
        joined.append((spans[x_before][0] if x_before >= 0 else k - 1, spans[x_after][1], "PER"))
    if not joined:
        return spans
    return sorted([x for i, x in enumerate(spans) if i not in drop] + joined)


_QUOTE_ON_WORD = re.compile(r'["“]\w')
# a nickname in a person's canonical name (the name's text holds quotes only after normalisation)
_NICKNAME = re.compile(r' ["“][^"”]{1,40}["”] ')
# an opening quote after a word and a space, a closing one within 40 characters, a space, a capital
_NICKNAME_SITE = re.compile(r'(?<=\w )["“](?=\w[^"”\n]{0,40}["”] [A-Z])')


def _title_quotations(doc: Doc) -> list[tuple[int, int]]:
    """The token spans of the double quotations of one line written in title case: an opening
    quote against its first word, a closing quote against its last token (a final comma or full
    stop left out), at most 12 tokens, every word capitalised but `_TITLE_SMALL`, the first and
    two or more words capitalised.
    """
    toks, text = doc.toks, doc.text
    found: list[tuple[int, int]] = []
    if _QUOTE_ON_WORD.search(text) is None:
        return found  # no quotation opens against a word (CoNLL's text writes quotes apart): no pass
    k = 0
    n = len(toks)
    while k < n - 2:
        t = toks[k]
        if t.text not in _QUOTES_OPEN or toks[k + 1].start != t.end:
            k += 1
            continue
        q = k + 1
        while q < n and q - k <= 13 and toks[q].text not in _ALL_QUOTES:
            q += 1
        if q >= n or q - k > 13 or toks[q].text not in _QUOTES_CLOSE or toks[q].start != toks[q - 1].end:
            k += 1
            continue
        a, b = k + 1, q
        if toks[b - 1].text in (",", ".") and b - 1 > a:
            b -= 1
        if "\n" not in text[toks[a].start : toks[b - 1].end] and _title_case(toks, a, b):
            found.append((a, b))
        k = q + 1
    return found


def _title_case(toks: list[Tok], a: int, b: int) -> bool:
    """Whether the tokens [a, b) are written as a title: the first and every other word
    capitalised but the small words of `_TITLE_SMALL`, two or more capitalised words.
    """
    caps = 0
    for k in range(a, b):
        t = toks[k]
        if t.kind == "poss":
            continue
        if t.kind == "punct":
            if t.text not in _TITLE_PUNCT or k == a:
                return False
            continue
        if t.text[:1].isupper():
            caps += 1
        elif k == a or t.text not in _TITLE_SMALL:
            return False
    return caps >= 2


def _title_tails_cut(doc: Doc, spans: list[Span]) -> list[Span]:
    """A span of two words or more ending in office titles, one space before a CRF person, ends
    before the titles ("San Diego Mayor" ORG + "Bob Filner"): the office is the person's, the
    place or body before it the name ("San Diego"). The CRF, trained on Reuters, which writes
    "San Diego Mayor Bob Filner" seldom, cut there; `title_person` covers the one-span case.
    """
    toks, text = doc.toks, doc.text
    titles = office_titles()
    out = list(spans)
    for x in range(len(out) - 1):
        i, j, etype = out[x]
        nxt = out[x + 1]
        if nxt[0] != j or nxt[2] != "PER" or j - i < 2 or text[toks[j - 1].end : toks[j].start] != " ":
            continue
        k = j
        while k > i and toks[k - 1].text.lower() in titles:
            k -= 1
        while k < j and k > i and (toks[k - 1].text.lower() in titles or _office_modifier(toks[k - 1].text)):
            k -= 1  # "CNN Senior Legal Analyst": the office's words, up to the body's head ("Criminal Court")
        if i < k < j:
            out[x] = (i, k, etype)
    return out


def _position_word(doc: Doc, i: int) -> bool:
    """A person's first word (token `i`) that may be a common word capitalised by its position: a
    word of two letters or more, not an initial ("M. Waugh" of a scorecard: "m" is a common word),
    a known given name, a title ("Lady Bird Johnson") or a surname's particle ("Del Potro", "Bin
    Laden").
    """
    tok = doc.toks[i]
    w = tok.text
    return (
        len(w) > 1
        and w.isalpha()
        and not (i + 1 < len(doc.toks) and doc.toks[i + 1].text == "." and doc.toks[i + 1].start == tok.end)
        and w not in lex.first_names()
        and w not in lex.TITLES
        and w.lower() not in lex.PARTICLES
        and _positional_only(doc, tok)
    )


def _position_words_cut(doc: Doc, spans: list[Span]) -> list[Span]:
    """CRF persons of two words or more whose first word is a common word capitalised only by its
    position ("Despite Bale's display", "Watching Munoz, 44, distribute meals", "Watch Donahue talk
    about politics" at a sentence start), when the story names a person of that surname with
    another first word (Gareth Bale): the person is the rest. Not a known given name, a title or a
    particle (`_position_word`), nor a name the story also writes where capitals prove it ("Said
    Kouachi" mid-sentence beside Cherif).
    One pass over the spans and one over the persons.
    """
    words = doc.words
    firsts: dict[str, set[str]] = {}  # surname -> first words of the persons named with evidence
    proven: set[tuple[str, ...]] = set()
    loose: list[int] = []  # the spans whose first word is capitalised only by its position
    for x, (i, j, etype) in enumerate(spans):
        if etype != "PER" or j - i < 2:
            continue
        if _position_word(doc, i):
            loose.append(x)
        else:
            firsts.setdefault(words[j - 1], set()).add(words[i])
            proven.add(tuple(words[i:j]))
    if not loose:
        return spans
    out = list(spans)
    for x in loose:
        i, j, etype = out[x]
        if firsts.get(words[j - 1], set()) - {words[i]} and tuple(words[i:j]) not in proven:
            out[x] = (i + 1, j, etype)
    return out


# heads of an organisation or a place: an office title before a person never cuts them
_BODY_HEADS = frozenset(lex.ORG_SUFFIXES) | lex.GPE_SUFFIXES | lex.LOC_SUFFIXES


def _office_modifier(word: str) -> bool:
    """A common word that is no head of an organisation or place ("Legal" of "Senior Legal
    Analyst", not "Court" of "Manhattan Criminal Court Judge"): part of an office's name.
    """
    return word not in _BODY_HEADS and word.lower() not in lex.ORG_NOUNS and common_word(word.lower())


# one-word heads of a place named "X of Y" ("Port of Miami", "Straits of Florida", "Gulf of Aden")
_PLACE_OF_HEADS = frozenset("Port Strait Straits Gulf Bay Isle Isles Cape Lake Sea Mount Harbor Harbour".split())


def _place_of_joined(doc: Doc, spans: list[Span]) -> list[Span]:
    """A CRF place of one word that is a place's head, "of", and a CRF place right after are one
    place ("Port" + "of" + "Miami"): the CRF cuts at "of" where Reuters had no such port.
    """
    toks = doc.toks

    def joins(prev: Span, cur: Span) -> bool:
        (a, b, before), (i, _, etype) = prev, cur
        return (
            before == etype == "LOC"
            and b == a + 1
            and i == b + 1
            and toks[a].text in _PLACE_OF_HEADS
            and toks[b].text == "of"
        )

    return _joined(spans, joins)


# CoNLL type standing for a rule-found name of each product type
_AS_CRF = {"PERSON": "PER", "ORG": "ORG", "GPE": "LOC", "LOC": "LOC"}


def _camel(word: str) -> bool:
    """Lower case then upper case: "iMac", "eBay" (product and brand names)."""
    return len(word) > 2 and word[0].islower() and word[1].isupper()


def _rule_extras(doc: Doc, found: list[Cand], crf_types: dict[int, str], caps: list[bool]) -> list[Cand]:
    """Names the CRF (trained on 1996 Reuters) misses but the rules are sure of: gazetteer entries
    and products ("iPhone", "A380"), where no CRF span is.
    """
    taken = [False] * (len(doc.toks) + 1)
    for c in found:
        for k in range(c.i, c.j):
            taken[k] = True
    extras = []
    for c in candidates(doc, taken):
        if any(taken[c.i : c.j]):
            continue
        first, last = doc.toks[c.i], doc.toks[c.j - 1]
        if "\n" in doc.text[first.start : last.end]:
            continue
        product_name = _camel(first.text) or doc.gaz.get(c.i, (0, ""))[1] == "PRODUCT"  # "iMac", "iPhone 4"
        if c.gaz is None and (
            first.text[0].isdigit()  # "24th", "30-year"
            or (last.text[0].isdigit() and not product_name)  # "Turnover 657": a score
            or first.text in _STARTERS
            or (c.j - c.i == 1 and common_word(first.text.lower()))
        ):
            continue
        # the rules' votes only where they decide: a gazetteer entry or a product name is kept
        # whatever they say (the checks above first: they drop most candidates more cheaply)
        etype = "PRODUCT"
        if not product_name and c.gaz is None:
            probe = Cand(c.i, c.j, gaz=c.gaz)
            rule_votes(doc, probe)
            etype = decide(probe.votes)
            if not (etype in ("PRODUCT", "FIN", "EVENT") and probe.votes[etype] >= EXTRA_VOTES):
                continue
        crf_type = _AS_CRF.get(c.gaz or etype, "MISC")
        kept = _clean(doc, c.i, c.j, crf_type, caps[c.i])
        if kept is not None:
            extras.append(_cand(doc, *kept, crf_type, crf_types))
            extras[-1].votes.clear()
    return extras


def _dateline_places(doc: Doc) -> dict[int, tuple[int, str]]:
    """Gazetteer places in a wire dateline written in capitals ("DETROIT (AP) —", "NEW YORK
    (Reuters) -"), looked up as the place is listed ("Detroit", "New York"): without them the
    CRF read such a word as an unknown acronym's organisation or a person. Only places count:
    "PRINCETON, New Jersey (CNN)" is the town, whatever else "Princeton" names.
    """
    if not (RULES["dateline_place"] and doc.dateline_place):
        return {}
    start, end = doc.dateline_place
    words = list(doc.words)
    for k, tok in enumerate(doc.toks):
        if tok.start >= end:
            break
        if tok.start >= start and tok.kind == "word" and len(tok.text) > 1 and tok.text.isupper():
            words[k] = tok.text.title()
    if words == doc.words:
        return {}
    return {
        k: hit
        for k, hit in gazetteer_matches(doc.toks, words).items()
        if hit[1] in ("GPE", "LOC") and words[k] != doc.words[k] and start <= doc.toks[k].start < end
    }


def find_mentions(text: str, sentence_starts: Iterable[int] | None = None) -> list[Mention]:
    """Every name mention in `text`, in order, with exact offsets and a document-level type."""
    if not text or not text.strip():
        return []
    starts = list(sentence_starts) if sentence_starts is not None else None
    doc = Doc(text, starts)
    doc.gaz = gazetteer_matches(doc.toks, doc.words) | _dateline_places(doc)
    spans = sequences(doc, starts)
    caps = all_caps_lines(doc.text, doc.toks)
    labelled = crf.label_ids(doc_features(doc, spans, doc.gaz, caps, known=crf.attribute_ids()))
    raw = [(i + a, i + b, etype) for (i, _), found in zip(spans, labelled, strict=True) for a, b, etype, _ in found]
    sure = {(i + a, i + b): p for (i, _), found in zip(spans, labelled, strict=True) for a, b, _, p in found}
    cands: list[Cand] = []
    crf_types: dict[int, str] = {}
    confidence: dict[int, float] = {}
    for rule, step in (
        ("particle_join", _particle_joined),
        ("place_of", _place_of_joined),
        ("nickname", _nicknames_joined),
        ("quoted_title", _quoted_titles_joined),
        ("title_tail", _title_tails_cut),
        ("position_word", _position_words_cut),
    ):  # the CRF's spans joined or cut, in this order, by each rule that is on
        if RULES[rule]:
            raw = step(doc, raw)
    for i, j, etype in _whole_gazetteer_phrases(doc, raw) if RULES["gazetteer_phrase"] else raw:
        kept = _clean(doc, i, j, etype, caps[i])
        if kept is not None:
            work = RULES["quoted_work"] and _fills_quotation(doc.toks, *kept)
            if work:
                etype = "MISC"  # a work's title (CoNLL's MISC), whatever the words look like
            elif (
                RULES["title_person"]
                and kept[0] > i
                and doc.words[kept[0] - 1] in lex.TITLES
                and _person_shaped(doc.toks, *kept)
            ):
                etype = "PER"  # "Erath County Sheriff Tommy Bryant" (a CRF ORG): the name after a title is a person
            cands.append(_cand(doc, *kept, etype, crf_types))
            cands[-1].work = work and RULES["quoted_title"]
            if RULES["nickname"] and etype == "PER" and _holds_nickname(doc.toks, *kept):
                cands[-1].votes["PERSON"] += OVERRIDE  # a person to the clustering too, whatever its context
            confidence[id(cands[-1])] = sure.get((i, j), 1.0)
    if RULES["rule_extras"]:
        cands.extend(_rule_extras(doc, cands, crf_types, caps))
    clustered = cluster(doc, cands)
    size = Counter(name for _, name, _, _ in clustered)
    placed = _placed(doc, clustered, crf_types) if RULES["company_cluster"] else set()
    typed = []
    for c, name, _, total in clustered:
        votes, mentions = (total, size[name]) if RULES["type_cluster"] else (c.votes, 1)
        typed.append((c, name, _product_type(crf_types[id(c)], votes, mentions, confidence.get(id(c), 0.0))))
    persons = _persons_in_full(doc, typed) if RULES["person_short_form"] else {}
    shared = _shared_surnames(doc, typed) if RULES["shared_surname"] else set()
    acting = _acting(clustered) if RULES["structure_head"] else set()
    out = []
    for c, name, etype in typed:
        crf_type = crf_types[id(c)]
        if (
            RULES["company_cluster"]
            and " " in name
            and name.rsplit(" ", 1)[-1] in lex.COMPANY_SUFFIXES
            and not (crf_type == "LOC" and name in placed)
        ):
            etype = "ORG"  # "Kyle Technology Corp." ... "Kyle's board": the short forms are the company
        elif RULES["nickname"] and crf_type == "PER" and _holds_nickname(doc.toks, c.i, c.j):
            etype = "PERSON"  # 'Jean-Claude "Baby Doc" Duvalier, Haiti's former dictator' (voted GPE)
        elif c.j - c.i == 1 and doc.words[c.i] in persons.get(name, ()):
            etype = "PERSON"  # "Castro" of "the Castro regime", Fidel Castro named in full elsewhere
        elif c.j - c.i == 1 and name in shared:
            etype = "PERSON"  # "Duvalier" of a story naming Jean-Claude and Francois Duvalier: either, a person
        elif RULES["state_after_city"] and c.j - c.i == 1 and _state_after_city(doc.toks, c.i):
            etype = "GPE"  # "Louisville, Ky.": the CRF took "Ky" for a person
        elif RULES["place_head"] and etype == "PERSON" and c.j - c.i > 1 and doc.words[c.j - 1] in _PLACE_HEADS:
            etype = _PLACE_HEADS[doc.words[c.j - 1]]  # "Karl Marx Theater": named after a person, not one
        elif RULES["building_head"] and etype == "GPE" and c.j - c.i > 1 and doc.words[c.j - 1] in _BUILDING_HEADS:
            etype = _BUILDING_HEADS[doc.words[c.j - 1]]  # "Westminster Abbey": a building, not a city
        elif RULES["water_head"] and etype in ("ORG", "PERSON") and _water_named(doc.words[c.i : c.j]):
            etype = "LOC"  # "Florida Straits", "Bay of Pigs": the CRF was sure of an organisation
        elif RULES["structure_head"] and name not in acting and _structure_named(doc.words[c.i : c.j], etype):
            etype = "LOC"  # "Poienari Castle", "Neverland Ranch": a structure or site, not its owner
        start, end = doc.toks[c.i].start, doc.toks[c.j - 1].end
        if RULES["nickname"] and etype == "PERSON" and '"' in name:
            name = _NICKNAME.sub(" ", name)  # 'Joaquin "El Chapo" Guzman' is listed as Joaquin Guzman
        out.append(Mention(start, end, text[start:end], etype, name))
    out.sort(key=lambda m: (m.start, m.end))
    return out
