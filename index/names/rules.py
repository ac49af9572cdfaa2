"""The rules under the learnt recogniser: tokens, casing evidence, gazetteers, context cues and
per-document clustering (no models). `recogniser.find_mentions` uses them to refine the CRF's
spans into the product's types and to add names the CRF misses; the CRF features use the
tokenizer, the casing counts and the gazetteer matcher.

1. Tokens: words (with inner `-`, `&`, `.`, apostrophes), dotted acronyms (`U.S.`), name
   abbreviations (`Inc.`), possessive `'s`/`’s` (never part of a name), punctuation.
2. Gazetteer phrases are matched longest first, case-sensitively, and act as single units.
3. `candidates`: runs of capitalised tokens (and camel case such as `iPhone`) joined by `&`, name
   particles (`de`, `van`), `of`/`for` after an institutional head (`Bank of America`) and `and`
   before an organisation suffix; a short model number may follow (`iPhone 4`). Titles split
   runs and cue PERSON; words capitalised only by position need evidence.
4. `cluster`: mentions grouped per document (same name; possessive stripped; a surname after a
   full name; an acronym in parentheses or matching a name's initials; a short form of a name
   with a company suffix such as `Alibaba Group`), each with the votes of gazetteers, suffixes
   (`Inc`, `Airlines`, `City`, `River`), titles, first names and context nouns (`the ...
   platform X`, `X, the Chinese tech giant`, `X models`, `X's CEO`).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache, partial
from itertools import compress
from operator import attrgetter, itemgetter

from index.ingest import sentences
from index.names import lexicon as lex

Votes = defaultdict[str, float]  # type -> weight of the evidence for it


def add_votes(dst: Votes, src: Votes) -> None:
    """Add every vote of `src` to `dst`."""
    for t, w in src.items():
        dst[t] += w


TYPES = ("PERSON", "ORG", "GPE", "LOC", "NORP", "PRODUCT", "FIN", "EVENT", "MISC")


@dataclass(slots=True)
class Tok:
    """A token with character offsets and the casing cues of its position."""

    start: int
    end: int
    text: str  # normalised (curly apostrophes folded)
    kind: str  # acr abbr poss word punct
    initial: bool = False  # capitalised maybe only because of its position
    title_line: bool = False


@dataclass(slots=True)
class Cand:
    """A candidate name: a token range with the type votes collected for it."""

    i: int  # first token index
    j: int  # one past the last token index
    votes: Votes = field(default_factory=partial(defaultdict, float))  # made in C, no lambda call
    gaz: str | None = None  # gazetteer type of the whole candidate
    work: bool = False  # a work's title in quotes: never the long form of a name made of its first word


# a story's dateline, "Washington (CNN) --", "LONDON, England (Reuters) -": the word after it
# starts the first sentence, capitalised by its position only ("Testimony on day three...")
_DATELINE = re.compile(r"[ \t]*(?:[A-Z][\w.'’-]*,?[ \t]+){0,6}\([A-Z][A-Za-z. ]{0,20}\)[ \t]*(?:--|—|–|-)[ \t]*")
_DATELINE_LINES = 4  # a dateline opens one of the first lines: under a headline, a byline and a date


def _dateline(text: str) -> re.Match[str] | None:
    """The story's dateline at the start of one of its first non-blank lines (a desk's `.txt`
    puts its headline, byline and date above it), or None.
    """
    start, seen = 0, 0
    while seen < _DATELINE_LINES and start < len(text):
        end = text.find("\n", start)
        end = len(text) if end < 0 else end
        if text[start:end].strip():
            found = _DATELINE.match(text, start, end)
            if found:
                return found
            seen += 1
        start = end + 1
    return None


_SENT_FALLBACK = re.compile(r"[.!?][\"'”’)\]]*\s+(?=[\"'“‘(\[]?[A-Z0-9])")
_NEWLINE = re.compile(r"\n")
_WORD_BEFORE = re.compile(r"([\w.]+)[.!?][\"'”’)\]]*\s+$")
_OPEN_QUOTES = {'"', "“", "‘", "'", "`", "``", "«"}


def tokenize(text: str) -> list[Tok]:
    """The recogniser's tokens (`lexicon.TOKEN_RE`) with exact offsets. The apostrophes are folded
    over the whole text at once (one character for one, so the offsets hold; the pattern treats
    both alike).
    """
    return _columns(text)[0]


_MATCH_START = re.Match.start
_MATCH_END = re.Match.end
_MATCH_TEXT = re.Match.group
_MATCH_KIND = attrgetter("lastgroup")  # every alternative of the pattern is a named group


def _columns(text: str) -> tuple[list[Tok], list[str], list[str]]:
    """The tokens, their texts and their kinds. Each column is read from the matches by `map` (in
    C, no Python per token but `Tok`'s own constructor); the texts and kinds serve the look-ups
    done per token type.
    """
    matches = list(lex.TOKEN_RE.finditer(lex.norm(text)))
    words = list(map(_MATCH_TEXT, matches))
    kinds: list[str] = list(map(_MATCH_KIND, matches))
    toks = list(map(Tok, map(_MATCH_START, matches), map(_MATCH_END, matches), words, kinds))
    return toks, words, kinds


def fallback_sentence_starts(text: str) -> list[int]:
    """Line starts and offsets after sentence-final punctuation followed by a capital."""
    starts = {0}
    for m in _NEWLINE.finditer(text):
        starts.add(m.end())
    for m in _SENT_FALLBACK.finditer(text):
        before = _WORD_BEFORE.search(text[max(0, m.start() - 20) : m.end()])
        if before and (before.group(1) in lex.fallback_abbreviations() or len(before.group(1)) == 1):
            continue  # "Mr. Smith", "J. Smith": not a sentence start
        starts.add(m.end())
    return sorted(starts)


@lru_cache(maxsize=65536)
def _is_cap(word: str) -> bool:
    """Capitalised for the rules (cached: news repeats words)."""
    c = word[0]
    if "-" in word:
        tail = word.rsplit("-", 1)[1]
        if tail.isalpha() and tail.islower():
            return False  # Intel-based, AI-powered, EADS-led
    if c.isupper():
        return True
    return c.islower() and word[1:2].isupper()  # iPhone, eBay-style camel case (lower then upper)


@lru_cache(maxsize=65536)
def common_word(key: str) -> bool:
    """Is a lower-cased word (or its singular / stem) a common English word? (Cached per word:
    the rules ask again and again, and the answer is up to eleven suffix tries.)
    """
    common = lex.common_words()
    if key in common:
        return True
    for suffix, repl in (
        ("ies", "y"),
        ("es", ""),
        ("s", ""),
        ("ed", ""),
        ("ed", "e"),
        ("ing", ""),
        ("ing", "e"),
        ("ly", ""),
        ("ers", ""),
        ("er", ""),
        ("ers", "e"),
    ):
        if key.endswith(suffix) and len(key) - len(suffix) >= 3 and key[: -len(suffix)] + repl in common:
            return True
    return False


def _common_acronym(word: str) -> bool:
    return word in lex.COMMON_ACRONYMS or (word.endswith(".") and word.replace(".", "") in lex.COMMON_ACRONYMS)


def _is_number(word: str) -> bool:
    return word[0].isdigit()


# company-form words whose removal never changes which company is meant (unlike "Corps")
_LEGAL_SUFFIXES = (
    frozenset(
        "Inc Inc. Corp Corp. Corporation Company Co Co. Cos Cos. Ltd Ltd. LLC PLC plc Group Holdings Motor AG SA NV N.V.".split()
    )
    | lex.LEGAL_FORMS_ABROAD
)
_NEVER = frozenset("No Yes OK Okay I".split())
_CONTRACTION = re.compile(r"['’](?:ve|re|ll|d|m)$|n['’]t$", re.I)
_FUNCTION_WORDS = frozenset(
    """a an the and or nor but of to in on at by for with from as vs vs. via
into onto over per than up off out is are be""".split()
)


_START = attrgetter("start")


def _title_lines(text: str, toks: list[Tok]) -> list[int]:
    """Mark tokens on Title Case / ALL CAPS lines (headlines): casing there is no evidence.
    Returns the indices of the tokens marked.
    """
    marked: list[int] = []
    line_start = 0
    idx = 0
    for line in text.split("\n"):
        line_end = line_start + len(line)
        first = idx
        idx = bisect_left(toks, line_end, lo=idx, key=_START)  # the tokens of this line
        stripped = line.rstrip(" \t\"'”’)")
        if stripped.endswith((".", "?", "!")) or first == idx:
            line_start = line_end + 1
            continue  # a sentence, not a headline (most lines: decided before looking at words)
        words = [t for t in toks[first:idx] if t.kind == "word" and t.text[0].isalpha()]
        content = [t for t in words[1:] if t.text.lower() not in _FUNCTION_WORDS]
        if len(content) >= 3 and words[0].text[0].isupper():
            caps = sum(1 for t in content if t.text[0].isupper())
            upper = sum(1 for t in words if t.text.isupper())
            if caps >= len(content) - len(content) // 10 or upper / max(1, len(words)) >= 0.8:
                for t in toks[first:idx]:
                    t.title_line = True
                marked.extend(range(first, idx))
        line_start = line_end + 1
    return marked


# the punctuation `_mark_initial` looks at (a token with such a text is always punctuation)
_TRIGGER_PUNCT = frozenset({":"} | _OPEN_QUOTES)


def _mark_initial(text: str, toks: list[Tok], starts: Iterable[int], words: list[str] | None = None) -> list[int]:
    """Mark the first word after each sentence start, colon and opening quote as `initial`.
    The triggers are found by bisection (starts) and among the colons and quotes only (found in C
    from the token texts `words`); each marks the next token that is not punctuation. Returns
    the indices of the tokens marked.
    """
    n = len(toks)
    if words is None:
        words = [t.text for t in toks]
    triggers = [bisect_left(toks, s, key=_START) for s in sorted(set(starts) | {0})]
    for k in compress(range(n), map(_TRIGGER_PUNCT.__contains__, words)):
        t = toks[k]
        if t.text == ":":
            triggers.append(k + 1)
        elif t.text in _OPEN_QUOTES and k + 1 < n:
            prev = toks[k - 1] if k else None
            tight = toks[k + 1].start == t.end
            if (
                prev is None
                or prev.text in {",", ":", "(", "-", "—", "–"}
                or (tight and (prev.kind == "word" or prev.text == "."))
            ):
                triggers.append(k + 1)
    marked: list[int] = []
    last = -1  # where the previous scan stopped: each token is scanned once (linear on "::::")
    for q in sorted(triggers):
        if q <= last:
            continue
        while q < n and toks[q].kind == "punct":
            q += 1
        if q < n:
            toks[q].initial = True
            marked.append(q)
        last = q
    return marked


_LOW, _UPPER, _OTHER = 0, 1, 2


@lru_cache(maxsize=65536)
def _casing(word: str) -> tuple[str, int]:
    """A word's lower-case key and whether it counts as lower case or capitalised evidence
    (cached per word: the same decision as the token-by-token checks, made once a word).
    """
    c = word[0]
    if not c.isalpha():
        return "", _OTHER
    if c.islower() and not _is_cap(word):
        return word.lower(), _LOW
    if c.isupper():
        return word.lower(), _UPPER
    return "", _OTHER


# What the rules ask of a token, decided once per token text (a token's kind follows from its
# text: only `acr` and `abbr` both end in ".", and an `abbr` has one "."): the lower-case key
# when the token is lower-case evidence, the key when it is capitalised evidence ("" when not),
# and its verdict as a name word (`_name_word`). Bounded: cleared when it grows past the limit.
TypeInfo = tuple[str, str, int]
_TYPE_INFO: dict[str, TypeInfo] = {}
_MAX_TYPES = 1 << 16  # as the lru caches of the per-word decisions
_LOW_KEY = itemgetter(0)
_CAP_KEY = itemgetter(1)
_VERDICT = itemgetter(2)


def _type_info(word: str, kind: str) -> TypeInfo:
    low = cap = ""
    if kind == "word":
        key, casing = _casing(word)
        if casing == _LOW:
            low = key
        elif casing == _UPPER:
            cap = key
    return low, cap, _name_word(kind, word)


def _type_infos(words: list[str], kinds: list[str]) -> list[TypeInfo]:
    """Each token's `TypeInfo`, looked up in C; only new token types are decided in Python."""
    infos: list[TypeInfo | None] = list(map(_TYPE_INFO.get, words))
    if None in infos:
        if len(_TYPE_INFO) > _MAX_TYPES:
            _TYPE_INFO.clear()
        for k in [k for k, info in enumerate(infos) if info is None]:
            info = _TYPE_INFO.get(words[k])
            if info is None:
                info = _TYPE_INFO[words[k]] = _type_info(words[k], kinds[k])
            infos[k] = info
    return infos  # type: ignore[return-value]  # no None left


class Doc:
    """A document's tokens with the casing evidence the rules and the CRF features use."""

    def __init__(self, text: str, sentence_starts: Iterable[int] | None) -> None:
        self.text = text
        self.toks, self.words, self.kinds = _columns(text)  # the texts: phrase look-ups by slice
        self.fallback_starts = fallback_sentence_starts(text)
        if sentence_starts is None:
            sentence_starts = self.fallback_starts
        else:
            # the given starts plus the fallback ones: a coarse split (one passage a line) must
            # not make "According" or "Some" mid-passage look like names
            sentence_starts = list(sentence_starts) + self.fallback_starts
        self.infos = _type_infos(self.words, self.kinds)
        positional = _title_lines(text, self.toks) + _mark_initial(text, self.toks, sentence_starts, self.words)
        # where the first sentence starts after a dateline (-1: none); not marked `initial`, which
        # would change the CRF's features and the casing evidence it was trained with
        dateline = _dateline(text)
        self.after_dateline = dateline.end() if dateline else -1
        # the dateline's place ("DETROIT", "NEW YORK, N.Y."): before its agency's bracket
        self.dateline_place = (dateline.start(), text.index("(", dateline.start())) if dateline else None
        self.byline: tuple[int, int] | None = None
        self.gaz: dict[int, tuple[int, str]] = {}  # gazetteer phrases: first token -> (end, type)
        # the byline the ingest reads (a `By` line among the first three, under a headline too):
        # the names and their role or agency are metadata, the whole line
        self.byline = sentences.byline_author(text)[1]
        # document-level casing evidence: each token's key read from its type's entry and counted,
        # in C; the tokens capitalised by their position are no evidence of capitals
        self.low: Counter[str] = Counter(filter(None, map(_LOW_KEY, self.infos)))
        caps = list(map(_CAP_KEY, self.infos))
        for k in positional:
            caps[k] = ""
        self.cap_mid: Counter[str] = Counter(filter(None, caps))  # capitalised mid-sentence outside headlines

    # -- evidence -------------------------------------------------------------------------
    def positional(self, t: Tok) -> bool:
        """Capitalised maybe only because of where it stands."""
        return t.initial or t.title_line

    def word_is_name(self, t: Tok) -> bool:
        """A capitalised word at a position where capitals prove nothing: is it a name?"""
        w = t.text
        key = w.lower()
        if w in lex.SENTENCE_STARTERS or w in lex.LABELS or w in lex.MONTHS or w in lex.WEEKDAYS:
            return False
        if w.isupper() and len(w) > 1 and not t.title_line:
            return True  # acronym
        if not w[0].isupper():
            return True  # camel case iPhone
        if self.cap_mid[key] and self.cap_mid[key] >= self.low[key]:
            return True
        if self.low[key]:
            return False
        if key.endswith("ly") and len(key) > 5 and key not in lex.first_names():
            return False  # Unfortunately, Separately
        if t.title_line:
            return False  # a headline capitalises everything: only positive evidence counts
        return not common_word(key)


def gazetteer_matches(toks: list[Tok], words: list[str] | None = None) -> dict[int, tuple[int, str]]:
    """Token index -> (end index, type) for the longest gazetteer phrase starting there. Only the
    tokens that start an entry (`words`: the token texts; found in C) are visited.
    """
    table = lex.gazetteer()
    lengths = lex.gazetteer_lengths()
    if words is None:
        words = [t.text for t in toks]
    out: dict[int, tuple[int, str]] = {}
    n = len(toks)
    k = 0  # the first token not inside the last phrase found
    for h in compress(range(n), map(lengths.__contains__, words)):
        if h < k:
            continue
        t = toks[h]
        if (
            t.kind not in ("word", "acr", "abbr")
            or not (_is_cap(words[h]) or _is_number(t.text))
            or (h + 1 < n and toks[h + 1].text == "$" and toks[h + 1].start == t.end)
        ):
            continue
        for length in lengths[words[h]]:  # only the lengths of entries this token starts, longest first
            if length > n - h:
                continue
            # phrase tokens must be adjacent with at most one space between
            key = tuple(words[h : h + length])
            if key in table:
                if all(toks[q + 1].start - toks[q].end <= 1 for q in range(h, h + length - 1)):
                    out[h] = (h + length, table[key])
                    k = h + length
                    break
    return out


def _prev_word(toks: list[Tok], i: int) -> tuple[int, Tok | None]:
    """The index before token `i` past any quote marks, and the word there (None if it is none)."""
    k = i - 1
    while k >= 0 and toks[k].kind == "punct" and toks[k].text in {'"', "“", "'", "‘", "`"}:
        k -= 1
    if k >= 0 and toks[k].kind in ("word", "abbr", "acr"):
        return k, toks[k]
    return k, None


def _next_tok(toks: list[Tok], j: int) -> Tok | None:
    return toks[j] if j < len(toks) else None


def _context_votes(doc: Doc, c: Cand) -> None:
    toks = doc.toks
    # left context
    k, prev = _prev_word(toks, c.i)
    if prev is not None:
        pw = prev.text
        pl = pw.lower()
        if pw.rstrip(".") in lex.titles_bare() and pw[0].isupper():
            c.votes["PERSON"] += 3
        elif pl in lex.PERSON_NOUNS:
            c.votes["PERSON"] += 2
        elif pl in lex.PRODUCT_NOUNS:
            c.votes["PRODUCT"] += 3
        elif pl in lex.ORG_NOUNS:
            c.votes["ORG"] += 2
        elif pl in {"in", "from", "across", "throughout", "near", "to"} and c.j - c.i <= 3:
            c.votes["GPE"] += 0.5
        elif pl == "of" and k >= 1 and toks[k - 1].text.lower() in {"city", "state", "province", "town", "capital"}:
            c.votes["GPE"] += 2
    # right context
    right = c.j
    n = len(toks)
    while right < n and _common_acronym(toks[right].text):
        right += 1  # "Qwen AI lab": the cue is the noun after the acronym
    nxt = toks[right] if right < n else None
    if nxt is not None:
        nl = nxt.text.lower()
        if nxt.kind == "poss":
            after = _next_tok(toks, c.j + 1)
            if after is not None:
                al = after.text.lower()
                if al in {
                    "ceo",
                    "chief",
                    "board",
                    "shares",
                    "stock",
                    "spokesman",
                    "spokeswoman",
                    "subsidiary",
                    "employees",
                    "executives",
                    "headquarters",
                    "founder",
                    "chairman",
                    "president",
                    "revenue",
                    "profit",
                    "products",
                    "unit",
                }:
                    c.votes["ORG"] += 1.5
                elif al in {
                    "wife",
                    "husband",
                    "son",
                    "daughter",
                    "mother",
                    "father",
                    "family",
                    "career",
                    "death",
                    "birthday",
                }:
                    c.votes["PERSON"] += 2
                elif al in {
                    "capital",
                    "economy",
                    "government",
                    "president",
                    "prime",
                    "largest",
                    "biggest",
                    "parliament",
                    "military",
                }:
                    c.votes["GPE"] += 1.5
        elif nxt.kind == "word" and nxt.start - toks[right - 1].end <= 1:
            if nl in lex.PRODUCT_NOUNS and nl not in {"system", "service"}:
                c.votes["PRODUCT"] += 1.5
            elif nl in lex.ORG_NOUNS and nl not in {"developer", "partner", "owner", "brand"}:
                c.votes["ORG"] += 1.5
            elif nl in {"government", "officials", "authorities", "citizens", "residents"}:
                c.votes["GPE"] += 1.5
        elif nxt.text == ",":
            # appositive: "Alibaba, the Chinese tech giant," / "Qoder, Alibaba's in-house platform,"
            words = []
            for t in toks[c.j + 1 : c.j + 10]:
                if t.kind == "punct" and t.text in {",", ".", ";", ")", "(", "—", "–", ":"}:
                    break
                words.append(t)
            heads = [t.text.lower() for t in words if t.kind == "word" and t.text.islower()]
            if heads:
                cues = [h for h in heads if h in lex.PRODUCT_NOUNS or h in lex.ORG_NOUNS or h in lex.PERSON_NOUNS]
                head = cues[0] if cues else heads[-1]
                if heads[0] == "who":
                    c.votes["PERSON"] += 2
                elif heads[0] == "which":
                    c.votes["ORG"] += 0.5
                elif head in lex.PRODUCT_NOUNS:
                    c.votes["PRODUCT"] += 2
                elif head in lex.ORG_NOUNS:
                    c.votes["ORG"] += 2
                elif head in lex.PERSON_NOUNS:
                    c.votes["PERSON"] += 2
            if words and words[0].kind == "word" and words[0].text in lex.gazetteer_states():
                c.votes["GPE"] += 3  # Mobile, Alabama
        if nxt.kind == "word" and nl in {"said", "says", "told", "added", "explained", "wrote"}:
            c.votes["PERSON_OR_ORG"] += 1


_LETTER = re.compile(r"[A-Za-z]")
_DIGIT = re.compile(r"\d")


@lru_cache(maxsize=65536)
def _letter_and_digit(word: str) -> bool:
    """Has an ASCII letter and a digit (a model code: "A350s", "DC-9"); cached per word."""
    return bool(_LETTER.search(word) and _DIGIT.search(word))


def _internal_votes(doc: Doc, c: Cand, gaz: dict[int, tuple[int, str]]) -> None:
    if c.gaz:
        c.votes[c.gaz] += 4
        return
    words = doc.words[c.i : c.j]
    last = words[-1]
    units: list[str | None] = []
    k = c.i
    while k < c.j:
        hit = gaz.get(k)
        if hit is not None and hit[0] <= c.j:
            units.append(hit[1])
            k = hit[0]
        else:
            units.append(None)
            k += 1
    model = len(words) > 1 and (_is_number(last) or (_letter_and_digit(last) and units[-1] is None))
    if model and units[-1] is None:
        c.votes["PRODUCT"] += 3  # Boeing 717, iPhone 4, Airbus A330-200
    elif last in lex.ORG_SUFFIXES and len(words) > 1:
        c.votes["ORG"] += 3
    elif last in lex.GPE_SUFFIXES and len(words) > 1:
        c.votes["GPE"] += 3
    elif last in lex.LOC_SUFFIXES and len(words) > 1:
        c.votes["LOC"] += 3
    elif last in lex.EVENT_SUFFIXES and len(words) > 1:
        c.votes["EVENT"] += 2.5
    elif last == "Act" and len(words) > 1:
        c.votes["MISC"] += 3
    elif units[-1] in ("PRODUCT", "ORG", "FIN") and len(units) > 1:
        c.votes[units[-1]] += 2
    elif units[0] in ("ORG", "PRODUCT") and len(units) > 1:
        c.votes[units[0]] += 1.5  # Apple Computer, Ford Australia; iPod Touch
    elif units[0] in ("GPE", "LOC") and len(units) > 1:
        c.votes["ORG"] += 1
    if len(words) == 1 and _letter_and_digit(last) and units[-1] is None and not last.isupper():
        c.votes["PRODUCT"] += 2  # model codes: A350s, DC-9, 777-200LR
    if len(words) == 1 and last.endswith("s") and lex.gazetteer().get((last[:-1],)) in ("PRODUCT", "NORP"):
        c.votes[lex.gazetteer()[(last[:-1],)]] += 3  # plurals: iPads, Dreamliners, Singaporeans
    if words[0][0].islower() and len(words[0]) > 1:
        c.votes["PRODUCT"] += 1  # iPhone
    if words[0] in lex.first_names() and len(words) >= 2 and all(w[0].isupper() for w in words[1:]) and not units[-1]:
        c.votes["PERSON"] += 3.5 if len(words) == 2 else 2.5
    if doc.byline and doc.toks[c.i].start >= doc.byline[0] and doc.toks[c.j - 1].end <= doc.byline[1]:
        c.votes["PERSON"] += 5
    if len(words) == 1 and words[0].isupper() and len(words[0]) >= 2:
        c.votes["ORG"] += 0.3  # unknown acronym: usually an organisation


_YEAR = re.compile(r"(1[89]|20)\d\d")
_NAME_NEVER, _NAME_ALWAYS, _NAME_WORD, _NAME_UNLESS_AFTER_NUMBER = 0, 1, 2, 3
_NAME_ABBREVS = frozenset("Inc Corp Co Ltd Jr Sr Bros St Mt Ft Plc Cie".split())


@lru_cache(maxsize=65536)
def _name_word(kind: str, w: str) -> int:
    """What a token's own text says about it starting or continuing a name run (cached per
    token type): never, always (acronyms, company abbreviations), a name word unless `$` is glued
    after it, or also unless a number comes before it ("$7.4 Billion").
    """
    if kind == "acr":
        return _NAME_ALWAYS
    if kind == "abbr":
        return _NAME_ALWAYS if w.rstrip(".") in _NAME_ABBREVS else _NAME_NEVER
    if kind != "word" or not _is_cap(w) or (w in lex.LABELS and w.isupper()):
        return _NAME_NEVER
    if w in _NEVER or _CONTRACTION.search(w):
        return _NAME_NEVER
    return _NAME_UNLESS_AFTER_NUMBER if w.lower() in lex.UNIT_WORDS else _NAME_WORD


def candidates(doc: Doc, taken: list[bool] | None = None) -> list[Cand]:
    """The rules' own name candidates: runs of capitalised tokens, cut and trimmed. With `taken`,
    no run starts on a taken token or right after one (the caller drops runs that overlap them).
    """
    toks = doc.toks
    n = len(toks)
    gaz = doc.gaz
    cands: list[Cand] = []

    verdicts = list(map(_VERDICT, doc.infos))  # decided once per token type

    def name_token(k: int) -> bool:
        verdict = verdicts[k]
        if verdict == _NAME_ALWAYS:
            return True
        if verdict == _NAME_NEVER:
            return False
        if k + 1 < n and toks[k + 1].text == "$" and toks[k + 1].start == toks[k].end:
            return False  # US$, AU$, HK$: a currency sign, not a place
        if verdict == _NAME_UNLESS_AFTER_NUMBER and k and _is_number(toks[k - 1].text):
            return False  # $7.4 Billion
        return True

    # a run starts only on a name word or a gazetteer phrase: the others are never visited
    possible = sorted({*compress(range(n), verdicts), *gaz})  # _NAME_NEVER is the only false verdict
    k = 0
    for start in possible:
        if start < k:
            continue  # inside the previous run
        k = start
        if taken is not None and (
            taken[k]
            or (
                k
                and taken[k - 1]
                and toks[k].start - toks[k - 1].end <= 1
                and "\n" not in doc.text[toks[k - 1].end : toks[k].start]
            )
        ):
            continue
        if not (name_token(k) or k in gaz):
            continue
        # grow a run
        i = k
        j = k
        while j < n:
            if j in gaz:
                j = gaz[j][0]
            elif name_token(j):
                j += 1
            else:
                break
            if j >= n:
                break
            t = toks[j]
            gap = t.start - toks[j - 1].end
            if gap > 1 or "\n" in doc.text[toks[j - 1].end : t.start]:
                break
            if j in gaz or name_token(j):
                continue
            # connectors
            if t.kind == "punct" and t.text == "&" and j + 1 < n and (name_token(j + 1) or j + 1 in gaz):
                j += 1
                continue
            tl = t.text
            if t.kind == "word" and j + 1 < n and (name_token(j + 1) or (j + 1) in gaz):
                head = toks[j - 1].text.lower()
                if tl in lex.PARTICLES:
                    j += 1
                    continue
                if tl == "of" and head in lex.OF_HEADS:
                    j += 1
                    continue
                if tl == "for" and head in lex.FOR_HEADS:
                    j += 1
                    continue
            if (
                t.kind == "word"
                and tl == "of"
                and j + 2 < n
                and toks[j + 1].text == "the"
                and (name_token(j + 2) or (j + 2) in gaz)
                and toks[j - 1].text.lower() in lex.OF_HEADS
            ):
                j += 2
                continue
            if t.kind == "word" and tl == "and" and j + 1 < n:
                # "Defence and Space Company": only before an organisation suffix
                m = j + 1
                while m < n and (name_token(m) and toks[m].text not in lex.ORG_SUFFIXES):
                    m += 1
                if m < n and m > j + 1 and toks[m].text in lex.ORG_SUFFIXES and toks[m].kind == "word" and i not in gaz:
                    j += 1
                    continue
            if (
                t.kind == "punct"
                and t.text == "."
                and len(toks[j - 1].text) == 1
                and toks[j - 1].text.isupper()
                and j + 1 < n
                and name_token(j + 1)
                and j - 1 > i
            ):
                j += 1  # middle initial: John F. Kennedy
                continue
            break
        # optional model number: iPhone 4, FTSE 100
        if (
            j < n
            and j > i
            and _is_number(toks[j].text)
            and toks[j].start - toks[j - 1].end == 1
            and toks[j - 1].text not in lex.MONTHS
            and toks[j - 1].kind != "poss"
            and len(toks[j].text) <= 9
            and not _YEAR.fullmatch(toks[j].text)
        ):
            nxt = toks[j + 1] if j + 1 < n else None
            ok = True
            if nxt is not None:
                if (
                    nxt.text.lower() in lex.UNIT_WORDS
                    or nxt.text in {"%", ",", ".", ":", "/"}
                    and nxt.start == toks[j].end
                    and j + 2 < n
                    and _is_number(toks[j + 2].text)
                ):
                    ok = False
            if ok:
                j += 1
        t = toks[i]
        if not (
            j == i + 1
            and i not in gaz
            and (
                _never_alone(t.kind, t.text)
                or (t.kind == "word" and (t.initial or t.title_line) and t.text in lex.SENTENCE_STARTERS)
            )
        ):  # a lone token that `_split_run` would drop whatever its context ("The", "In" starting a sentence)
            cands.extend(_split_run(doc, i, j, gaz))
        k = max(j, k + 1)
    return cands


# the unions the run splitter tests against, built once (not once a test)
_DATE_WORDS = lex.MONTHS | lex.WEEKDAYS
_TRAILING_CONNECTORS = frozenset({"of", "for", "and", "the"}) | lex.PARTICLES
_INTRODUCING_NOUNS = lex.PRODUCT_NOUNS | lex.ORG_NOUNS


@lru_cache(maxsize=65536)
def _never_alone(kind: str, w: str) -> bool:
    """A token `_split_run` drops when it is a run alone, by its text only: a title, a date word,
    an all-caps label, "The"/"A"/"An", a common acronym, a connector (cached per token type).
    """
    return (
        ((w in lex.TITLES or w.rstrip(".") in lex.TITLES) and kind != "acr")
        or w in _DATE_WORDS
        or (w in lex.LABELS and w.isupper())
        or (kind == "word" and w in lex.SENTENCE_STARTERS and w in {"The", "A", "An"})
        or _common_acronym(w)
        or kind == "punct"
        or w in _TRAILING_CONNECTORS
    )


def _split_run(doc: Doc, i: int, j: int, gaz: dict[int, tuple[int, str]]) -> list[Cand]:
    """Cut a run of name tokens into names: drop position-only capitals, titles, common acronyms;
    split at titles and after leading nationality adjectives.
    """
    toks = doc.toks
    out: list[Cand] = []
    # units (gazetteer phrases are atomic)
    units: list[tuple[int, int, str | None]] = []
    k = i
    while k < j:
        if k in gaz and gaz[k][0] <= j:
            units.append((k, gaz[k][0], gaz[k][1]))
            k = gaz[k][0]
        else:
            units.append((k, k + 1, None))
            k += 1
    titles = lex.TITLES
    common = lex.common_words()
    segs: list[list[tuple[int, int, str | None]]] = [[]]
    title_before: list[bool] = [False]
    for u in units:
        t = toks[u[0]]
        single = u[1] - u[0] == 1
        w = t.text
        if single and u[2] is None and (w in titles or w.rstrip(".") in titles) and t.kind != "acr":
            # a title ends the current segment and cues PERSON for the next ("General Electric"
            # and the like are gazetteer units, never split here)
            if segs[-1]:
                segs.append([])
                title_before.append(True)
            else:
                title_before[-1] = True
            continue
        if (
            single
            and u[2] is None
            and (w in lex.MONTHS or w in lex.WEEKDAYS)
            and not (w == "May" and segs[-1] and toks[segs[-1][-1][0]].text in lex.first_names())
        ):
            if segs[-1]:
                segs.append([])
                title_before.append(False)
            continue
        if single and u[2] is None and w in lex.LABELS and w.isupper():
            if segs[-1]:
                segs.append([])
                title_before.append(False)
            continue
        segs[-1].append(u)
    # a segment between two titles is part of the role: "Chief Operating Officer"
    for q in range(len(segs) - 1):
        if (
            title_before[q]
            and title_before[q + 1]
            and 0 < len(segs[q]) <= 2
            and all(u[2] is None and common_word(toks[u[0]].text.lower()) for u in segs[q])
        ):
            segs[q] = []
    for seg, tb in zip(segs, title_before, strict=False):
        # drop leading words capitalised only by position
        while seg:
            u = seg[0]
            t = toks[u[0]]
            if u[2] is not None:
                gaz_key_common = u[1] - u[0] == 1 and t.text.lower() in common
                if doc.positional(t) and gaz_key_common and not doc.cap_mid[t.text.lower()]:
                    seg.pop(0)
                    continue
                break
            if t.kind in ("word",) and doc.positional(t) and not doc.word_is_name(t):
                seg.pop(0)
                continue
            if t.kind == "word" and t.text in lex.SENTENCE_STARTERS and t.text in {"The", "A", "An"}:
                seg.pop(0)
                continue
            if t.kind == "word" and t.text in _DATE_WORDS:
                seg.pop(0)
                continue
            break
        # inside Title Case lines every word needs evidence
        if seg and toks[seg[0][0]].title_line:
            keep = []
            for u in seg:
                t = toks[u[0]]
                if u[2] is not None or doc.word_is_name(t) or t.kind == "acr":
                    keep.append(u)
                else:
                    if keep:
                        out.extend(_seg_to_cands(doc, keep, tb))
                    keep = []
            seg = keep
        # trim common acronyms at either end
        while seg and seg[-1][2] is None and _common_acronym(toks[seg[-1][0]].text):
            seg.pop()
        while seg and seg[0][2] is None and _common_acronym(toks[seg[0][0]].text):
            seg.pop(0)
        # trim trailing connectors left over
        while seg and toks[seg[-1][0]].kind in ("punct",) or (seg and toks[seg[-1][0]].text in _TRAILING_CONNECTORS):
            seg.pop()
        if seg:
            out.extend(_seg_to_cands(doc, seg, tb))
    return out


def _seg_to_cands(doc: Doc, seg: list[tuple[int, int, str | None]], title_before: bool) -> list[Cand]:
    toks = doc.toks
    # a leading nationality adjective is its own mention unless the name ends with an org suffix
    if len(seg) > 1 and seg[0][2] == "NORP":
        last = toks[seg[-1][1] - 1].text
        if last not in lex.ORG_SUFFIXES:
            return _seg_to_cands(doc, seg[:1], False) + _seg_to_cands(doc, seg[1:], title_before)
    i, j = seg[0][0], seg[-1][1]
    c = Cand(i, j)
    if len(seg) == 1 and seg[0][2] is not None:
        c.gaz = seg[0][2]
    if title_before:
        c.votes["PERSON"] += 3
    words = [t.text for t in toks[i:j]]
    if len(words) == 1 and len(words[0]) == 1 and not c.gaz:
        # a single letter is a name only when a product/organisation noun introduces it
        _, prev = _prev_word(toks, i)
        if prev is None or prev.text.lower() not in _INTRODUCING_NOUNS:
            return []
    if all(_common_acronym(w) for w in words):
        return []
    return [c]


def cluster(doc: Doc, cands: list[Cand]) -> list[tuple[Cand, str, str, Votes]]:
    """Group candidates into document-level entities; return (cand, canonical, rule type, cluster votes)."""
    toks = doc.toks
    text = doc.text
    key = _form_key
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.get(x, x) != x:
            x = parent[x]
        return x

    def union(a: str, b: str) -> None:
        ra, rb = find(a), find(b)
        if ra != rb:
            # keep the longer form as root
            if len(rb) > len(ra):
                ra, rb = rb, ra
            parent[rb] = ra

    forms: dict[str, dict[str, int]] = {}  # key -> surface -> count (in order of appearance)
    votes: dict[str, Votes] = defaultdict(partial(defaultdict, float))
    gaz_keys = lex.gazetteer()
    cand_keys = []  # each candidate's key, computed once
    for c in cands:
        s = text[toks[c.i].start : toks[c.j - 1].end]
        k = key(s)
        cand_keys.append(k)
        seen = forms.get(k)
        if seen is None:
            seen = forms[k] = {}
            parent[k] = k
        seen[s] = seen.get(s, 0) + 1
    keys = list(forms)
    works = {ck for c, ck in zip(cands, cand_keys, strict=True) if c.work}
    # acronyms in parentheses: "International Monetary Fund (IMF)"
    for c, ck in zip(cands, cand_keys, strict=True):
        j = c.j
        if (
            j + 2 < len(toks)
            and toks[j].text == "("
            and toks[j + 1].text.isupper()
            and toks[j + 1].kind in ("word", "acr")
            and (j + 2 >= len(toks) or toks[j + 2].text in {")", ",", ";"})
        ):
            acr = key(toks[j + 1].text)
            if acr in forms and acr != ck and _acronym_fits(acr, ck):
                union(ck, acr)
    # initials: GAO <- Government Accountability Office (the first long form with those initials)
    by_initials: dict[str, str] = {}
    for k in keys:
        if " " in k:
            by_initials.setdefault(_initials(k), k)
    for k in keys:
        if " " in k or not (2 <= len(k.replace(".", "")) <= 6):
            continue
        if not any(s.replace(".", "").isupper() for s in forms[k]):
            continue
        lk = by_initials.get(k.replace(".", ""))
        if lk is not None and any(lex.us_state_abbrev(s) for s in forms[k]):
            # "Charlotte, N.C." is no acronym of "NCNB Corp.", but "N.Y." is one of "New York"
            lk = lk if any(lex.gazetteer().get(lex.gazetteer_key(s)) == "GPE" for s in forms[lk]) else None
        if lk is not None:
            union(lk, k)
    # person surnames and short forms of organisation names
    for c, ck in zip(cands, cand_keys, strict=True):
        v = votes[ck]
        _internal_votes(doc, c, doc.gaz)
        _context_votes(doc, c)
        add_votes(v, c.votes)
    persons = [k for k in keys if " " in k and _is_person_votes(votes[k], 0.5)]  # one CRF person will do
    surname_owners = _surname_owners(persons, partial(_surname_joins, forms, votes))
    for given, k in _given_name_owners(persons, forms).items():
        union(k, given)
    for k in keys:
        words = k.split()
        if len(words) < 2:
            continue
        v = votes[k]
        for alias in surname_owners.get(k, ()):  # a person's names (one CRF person will do)
            if alias != k:
                union(k, alias)
        if _is_person_votes(v):
            continue
        # "Alibaba Group" -> "Alibaba"; "Ford Motor Company" -> "Ford"
        orig = _most_common(forms[k])
        otoks = orig.split()
        m = len(otoks)
        while m > 1 and otoks[m - 1] in lex.ORG_SUFFIXES:
            m -= 1
        if m < len(otoks):
            short = key(" ".join(otoks[:m]))
            if short not in forms and short.endswith("'s"):
                short = short[:-2]  # "Rally's Inc." -> "Rally" of "Rally's shares"
            if (
                short in forms
                and lex.gazetteer().get(lex.gazetteer_key(" ".join(otoks[:m]))) in (None, "ORG")
                and (lex.gazetteer_key(orig) not in gaz_keys or all(w in _LEGAL_SUFFIXES for w in otoks[m:]))
            ):
                union(k, short)
                continue
        first = words[0]
        if (
            k not in works  # "Dickens and London" (a book) is no long form of "Dickens"
            and first in forms
            and first != k
            and (lex.gazetteer_key(otoks[0]) not in lex.gazetteer())
            and not lex.demonym((otoks[0],))  # "Bosnian" is no short form of "Bosnian Association for..."
            and tuple(orig.split()) not in gaz_keys
            and v["PERSON"] < 1
            and len(first) > 2
        ):
            union(k, first)
    # choose canonical names and types
    groups: dict[str, list[str]] = defaultdict(list)
    for k in keys:
        groups[find(k)].append(k)
    result = []
    canon: dict[str, tuple[str, str, Votes]] = {}
    for members in groups.values():
        if len(members) == 1:  # most: the member's own votes are the total (read only from here)
            total = votes[members[0]]
            best = members[0]
            etype = decide(total)
        else:
            total = defaultdict(float)
            for member in members:
                add_votes(total, votes[member])
            etype = decide(total)
            person = etype == "PERSON"
            best = max(
                members,
                key=lambda m: (
                    " " in m and not m.replace(".", "").isupper(),
                    not person or _untitled(m.split()) == m.split(),  # "Bob Filner", not "Mayor Filner"
                    len(m),
                    sum(forms[m].values()),
                ),
            )
        name = _canonical(_display_form(forms[best]))
        for member in members:
            canon[member] = (name, etype, total)
    for c, ck in zip(cands, cand_keys, strict=True):
        name, etype, total = canon[ck]
        result.append((c, name, etype, total))
    return result


def _is_person_votes(v: Votes, least: float = 1.0) -> bool:
    return v["PERSON"] >= max(v["ORG"], v["PRODUCT"], v["GPE"], least)


def _acronym_fits(acr_key: str, long_key: str) -> bool:
    """Whether an acronym in parentheses can stand for the name before it: its letters are, in
    order, initials of the name's words ("General Motors Corporation (GM)", "Court of Arbitration
    for Sport (CAS)", "iPhone Software Development Kit (SDK)"). "New York (CNN)" is a dateline
    and "John McCain (R-AZ)" a party and state: neither is another name for what precedes it.
    """
    letters = [ch for ch in acr_key if ch.isalpha()]
    initials = iter(w[0] for w in _LONG_WORD.findall(long_key))
    return bool(letters) and all(ch in initials for ch in letters)  # a subsequence (`in` consumes)


@lru_cache(maxsize=1)
def office_titles() -> frozenset[str]:
    """Titles of an office, lower case (clustering keys are), which a person's name may carry in
    one mention and not in another ("Senator D'Amato", "Alfonse D'Amato"); not the royal ones nor
    those that are given names ("Prince Jackson", "Dean Martin").
    """
    royal = {"king", "queen", "prince", "princess", "lord", "lady", "sir", "dame", "pope", "sheikh"}
    given = {w.lower() for w in lex.first_names()}
    return frozenset(t.lower() for t in lex.TITLES) - royal - given


def _untitled(words: list[str]) -> list[str]:
    """A person's key words without the office titles before them ("mayor filner" -> "filner")."""
    titles = office_titles()
    k = 0
    while k < len(words) - 1 and words[k] in titles:
        k += 1
    return words[k:]


def _same_person(a: list[str], b: list[str]) -> bool:
    """Two full names (word lists) of one surname that can be one person: one ends the other
    ("Van Houten", "Leslie Van Houten") or the given names agree ("Tim Cook", "Timothy D. Cook"),
    and both or neither carry a generation ("Nelson Piquet" is not "Nelson Piquet Jr."). Office
    titles before them do not count (round 22: "Senator D'Amato" is "Alfonse D'Amato").
    """
    a, b = _untitled(a), _untitled(b)
    _, ga = lex.surname_of(a)
    _, gb = lex.surname_of(b)
    if ga != gb:
        return False
    short, long = sorted((a, b), key=len)
    if long[len(long) - len(short) :] == short:
        return True
    x, y = a[0].rstrip("."), b[0].rstrip(".")
    return x == y or (min(len(x), len(y)) >= 3 and (x.startswith(y) or y.startswith(x)))


def _surname_joins(forms: dict[str, dict[str, int]], votes: dict[str, Votes], surname: str, names: list[str]) -> bool:
    """Whether a bare surname, a mention of its own, joins the full names ending with it: never a
    company of the gazetteer ("Ford" beside "William Clay Ford Jr."); a place of it ("Jordan")
    only beside full names the rules call persons (a first name, a title: as before round 19),
    or its votes would make a person the CRF alone found ("Michael Jordan") a place.
    """
    if surname not in forms:
        return False
    strong = all(_is_person_votes(votes[k]) for k in names)
    known = lex.gazetteer().get(lex.gazetteer_key(_most_common(forms[surname])))
    if known is None:  # "Fisher" of the case "Fisher v. University of Texas" beside a weak "Abigail Fisher"
        titled = all(_is_person_votes(votes[k]) or _untitled(k.split()) != k.split() for k in names)
        return titled or _is_person_votes(votes[surname], 0.0)  # a title is a person's: "Mayor Kettering"
    return known != "ORG" and strong


def _surname_owners(persons: list[str], usable: Callable[[str, list[str]], bool]) -> dict[str, list[str]]:
    """Each full person name (key, in document order) with the keys it is one person with: its
    bare surname when that is a mention of its own, and the fullest name of that surname ("Van
    Houten" and "Leslie Van Houten"). When the full names ending with that surname cannot all be
    one person ("Chelsea", "Bill" and "Hillary Clinton"), the bare surname goes to the first of
    them, the story's subject as news writes it, and the others stay apart.
    """
    by_surname: dict[str, list[list[str]]] = defaultdict(list)
    for k in persons:
        words = k.split()
        by_surname[lex.surname_of(words)[0]].append(words)
    owners: dict[str, list[str]] = {}
    for surname, names in by_surname.items():
        longest = max(names, key=lambda w: (len(_untitled(w)), len(w), len(" ".join(w))))
        if all(_same_person(words, longest) for words in names):  # linear: against the fullest
            keys = [" ".join(words) for words in names]
            aliases = [" ".join(longest)] + ([surname] if usable(surname, keys) else [])
            for words in names:
                owners[" ".join(words)] = aliases
        elif usable(surname, [" ".join(names[0])]):
            owners[" ".join(names[0])] = [surname]
    return owners


def _given_name_owners(persons: list[str], forms: dict[str, dict[str, int]]) -> dict[str, str]:
    """A given name written alone (a mention of its own) and the one person of the story it
    starts: "Sir John" of Sir John Egan, "Elian" of Elian Gonzalez ("Kim" of Kim Dae-jung too,
    the surname first). Not when two persons of the story share it, when it is also one's surname
    ("Lee" of Lee Kuan Yew and Robert Lee), nor a place or a people the gazetteers know
    ("Paris" of Paris Hilton).
    """
    starting: dict[str, list[str]] = defaultdict(list)
    surnames = set()
    for k in persons:
        words = k.split()
        starting[words[0]].append(k)
        surnames.add(lex.surname_of(words)[0])
    owners = {}
    for given, keys in starting.items():
        if len(keys) != 1 or given not in forms or given in surnames or len(given) < 3:
            continue
        surface = _most_common(forms[given])
        if lex.gazetteer().get(lex.gazetteer_key(surface)) in (None, "PERSON") and not lex.demonym((surface,)):
            owners[given] = keys[0]
    return owners


_THE = re.compile(r"^(?:[Tt]he)\s+")


@lru_cache(maxsize=65536)
def _form_key(surface: str) -> str:
    """A mention's clustering key: its surface folded (apostrophes) and lower-cased; cached."""
    return lex.norm(surface).lower()


@lru_cache(maxsize=65536)
def _canonical(form: str) -> str:
    """A cluster's name: its chosen form without a leading "the"; cached."""
    return _THE.sub("", form)


_INITIAL_SKIP = frozenset({"of", "and", "for", "the", "&", "de"})
_LONG_WORD = re.compile(r"[A-Za-z][\w&'-]*")


@lru_cache(maxsize=65536)
def _initials(long_key: str) -> str:
    """The initials of a multi-word name's key, skipping function words: "gao" of
    "government accountability office".
    """
    return "".join(w[0] for w in _LONG_WORD.findall(long_key) if w not in _INITIAL_SKIP)


def _most_common(counts: dict[str, int]) -> str:
    """`counts.most_common(1)[0][0]` (the first of the most frequent, in insertion order) without
    the heap.
    """
    if len(counts) == 1:
        return next(iter(counts))
    return max(counts.items(), key=itemgetter(1))[0]


def _display_form(counts: dict[str, int]) -> str:
    """The form a cluster is shown by: the most frequent, an all-caps word of a dateline or
    headline ("BEIJING, China (CNN)") only when nothing else is written (acronyms stay).
    """
    if len(counts) == 1:
        return next(iter(counts))
    return max(counts.items(), key=lambda fc: (not shouted(fc[0]), fc[1]))[0]


_SHOUTED = re.compile(r"[A-Z][A-Z .'’-]{4,}")  # five or more capitals: a word in capitals, not an acronym


def shouted(form: str) -> bool:
    """Whether `form` is written in capitals as a dateline or a headline writes it ("DETROIT",
    "NEW YORK"), not as an acronym ("NASA"): shown only when nothing else is written.
    """
    return _SHOUTED.fullmatch(form) is not None


def decide(v: Votes) -> str:
    """The type with most votes (ORG when no evidence at all; ORG wins ties, then the first of
    `TYPES`). The scores are one tuple, compared in C (the votes are only read).
    """
    if len(v) == 1:  # one type voted (most mentions): it, when its votes are positive
        ((t, w),) = v.items()
        if t in _TYPE_SET:
            return t if w > 0 else "ORG"
    get = v.get
    po = get("PERSON_OR_ORG", 0.0)
    pro = get("PRODUCT_OR_ORG", 0.0)
    scores = (
        get("PERSON", 0.0) + po * 0.2,
        get("ORG", 0.0) + po * 0.3 + pro * 0.4,
        get("GPE", 0.0),
        get("LOC", 0.0),
        get("NORP", 0.0),
        get("PRODUCT", 0.0) + pro * 0.5,
        get("FIN", 0.0),
        get("EVENT", 0.0),
        get("MISC", 0.0),
    )
    best, _, rank = max(zip(scores, _IS_ORG, _FIRST_WINS, strict=True))
    if best <= 0:
        return "ORG"
    return TYPES[-rank]


_IS_ORG = tuple(t == "ORG" for t in TYPES)
_TYPE_SET = frozenset(TYPES)
_FIRST_WINS = tuple(-k for k in range(len(TYPES)))  # among equal scores, the earlier type


def rule_votes(doc: Doc, c: Cand) -> None:
    """Add the rules' type votes (the name's own words, then its context) to `c.votes`."""
    _internal_votes(doc, c, doc.gaz)
    _context_votes(doc, c)
