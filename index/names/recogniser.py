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

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from . import crf
from . import lexicon as lex
from .features import all_caps_lines, doc_features, sequences
from .rules import Cand, Doc, Tok, cluster, common_word, gazetteer_matches

RECOGNISER_VERSION = "2"

# the product types each CRF type may become, the first being the default
ALLOWED = {
    "PER": ("PERSON",),
    "ORG": ("ORG", "FIN", "PRODUCT"),
    "LOC": ("GPE", "LOC"),
    "MISC": ("MISC", "NORP", "EVENT", "PRODUCT", "FIN"),
}
CRF_WEIGHT = 2.0  # votes a CRF label adds to its default type, per mention
OVERRIDE = 4.0
DOC_VOTE = False
REFINE = True  # rule votes (per mention) for a type outside the CRF's set that override it


@dataclass(frozen=True, slots=True)
class Mention:
    """One name in a text: `text == doc[start:end]`. `canonical` is the name of the document-level
    cluster the mention belongs to (e.g. "Kashmira Konduparty" for "Konduparty").
    """

    start: int
    end: int
    text: str
    type: str
    canonical: str = field(default="", compare=False)


def _is_number(tok: Tok) -> bool:
    return tok.text[:1].isdigit()


def _headline_common(tok: Tok) -> bool:
    """An all-caps word on a headline line that is a common English word ("SOCCER", "WIN")."""
    w = tok.text
    return w.isupper() and len(w) > 1 and common_word(w.lower()) and (w.title(),) not in lex.gazetteer()


# words that never start a multi-word name ("New York", "The Hague" may)
_STARTERS = (lex.SENTENCE_STARTERS | lex.MONTHS | lex.WEEKDAYS) - {"New", "The"}


def _positional_only(doc: Doc, tok: Tok) -> bool:
    """A common word capitalised only by its position (sentence start, headline) without evidence
    elsewhere in the document (capitalised mid-sentence at least as often as lower case).
    """
    if not (tok.initial or tok.title_line) or tok.kind != "word":
        return False
    w = tok.text
    if w in lex.SENTENCE_STARTERS or w in lex.MONTHS or w in lex.WEEKDAYS:
        return True
    key = w.lower()
    if not common_word(key) or (w,) in lex.gazetteer():
        return False
    return not (doc.cap_mid[key] and doc.cap_mid[key] >= doc.low[key])


def _clean(doc: Doc, i: int, j: int, crf_type: str, caps_line: bool) -> tuple[int, int] | None:
    """Apply the hard rules to the span [i, j) the CRF labelled; None when nothing of it is a name."""
    toks = doc.toks
    gaz = lex.gazetteer()
    whole = tuple(t.text for t in toks[i:j])
    while j > i and (toks[j - 1].kind == "poss" or (toks[j - 1].kind == "punct" and not _currency(toks, j - 1))):
        j -= 1
    while i < j and toks[i].kind in ("punct", "poss"):
        i += 1
    if i >= j:
        return None
    if _is_number(toks[j - 1]) and whole not in gaz:
        if crf_type != "MISC" or (j - i == 2 and common_word(toks[i].text.lower())):
            return _clean(doc, i, j - 1, crf_type, caps_line) if j - i > 1 else None  # "Yasuto Honda 71"
    if doc.byline and toks[i].start >= doc.byline[0] and toks[j - 1].end <= doc.byline[1]:
        return None  # a byline is metadata
    if j - i == 1 and ((caps_line and _headline_common(toks[i])) or _positional_only(doc, toks[i])):
        return None  # "SOCCER" in a headline; "Government said...", "Deliveries rose..."
    if j - i > 1 and toks[i].text in _STARTERS and toks[i + 1].kind != "punct":
        i += 1  # "The", "At", "In" never start a name
    return i, j


def _currency(toks: list[Tok], k: int) -> bool:
    """A `$` glued to a word: "C$", "A$" (Canadian, Australian dollars)."""
    return toks[k].text == "$" and k > 0 and toks[k - 1].end == toks[k].start


def _product_type(crf_type: str, votes: Counter, mentions: int) -> str:
    allowed = ALLOWED[crf_type]
    best = max(allowed, key=lambda t: (votes[t], t == allowed[0]))
    outside = [t for t in ("PERSON", "ORG", "GPE", "LOC", "NORP", "PRODUCT", "FIN", "EVENT") if t not in allowed]
    strong = max(outside, key=lambda t: votes[t])
    if votes[strong] >= OVERRIDE * mentions and votes[strong] > votes[best]:
        return strong
    return best


def find_mentions(text: str, sentence_starts: Iterable[int] | None = None) -> list[Mention]:
    """Every name mention in `text`, in order, with exact offsets and a document-level type."""
    if not text or not text.strip():
        return []
    starts = list(sentence_starts) if sentence_starts is not None else None
    doc = Doc(text, starts)
    doc.gaz = gazetteer_matches(doc.toks)
    spans = sequences(doc, starts)
    labelled = crf.label(doc_features(doc, spans, doc.gaz))
    caps = all_caps_lines(doc.text, doc.toks)
    cands: list[Cand] = []
    crf_types: dict[int, str] = {}
    for (i, _), found in zip(spans, labelled, strict=False):
        for a, b, etype in found:
            kept = _clean(doc, i + a, i + b, etype, caps[i + a])
            if kept is None:
                continue
            c = Cand(*kept)
            hit = doc.gaz.get(c.i)
            if hit is not None and hit[0] == c.j:
                c.gaz = hit[1]
            c.votes[ALLOWED[etype][0]] += CRF_WEIGHT
            crf_types[id(c)] = etype
            cands.append(c)
    clustered = cluster(doc, cands)
    by_name: dict[str, Counter] = {}
    for c, name, _, _ in clustered:
        by_name.setdefault(name, Counter())[crf_types[id(c)]] += 1
    out = []
    for c, name, _, total in clustered:
        counts = by_name[name] if DOC_VOTE else Counter([crf_types[id(c)]])
        crf_type = max(counts, key=lambda t: counts[t])
        etype = _product_type(crf_type, total, sum(counts.values())) if REFINE else ALLOWED[crf_type][0]
        start, end = doc.toks[c.i].start, doc.toks[c.j - 1].end
        out.append(Mention(start, end, text[start:end], etype, name))
    out.sort(key=lambda m: (m.start, m.end))
    return out
