"""The corpus-level entity index: every named entity of every article, with its cited mentions.

`build_entities(articles, passages)` runs the recogniser (`index.names.find_mentions`) once per
article body, with the passages' `char_start` offsets as sentence starts, and merges the
document-level clusters across articles by name (case, `the`, possessives and company suffixes
such as `Inc.` ignored; a lone surname joins the only full name that ends with it). Mentions in
`READ:` lines (related headlines) count and are cited like any other, flagged `related`; the
author (a `By NAME` byline or `article.author`) is metadata, never a mention.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, cast

import numpy as np

from index.models import Article, Passage, shown_date
from index.names import Mention
from index.names import lexicon as lex
from index.names.rules import shouted
from index.search.prefixes import PrefixIndex, merged, word_suffixes

ENTITY_INDEX_VERSION = "11"  # bump when the saved layer's content or meaning changes (7: U.S. prefix aliases;
# 8: an article dated a year or a month gives its period `2026`, not a first day `2026-01-01`;
# 9: the name tables also hold each name with spaces for its hyphens, `table_key`;
# 10: every dash is a hyphen in the keys: `Saint–Etienne` joins `Saint-Etienne`;
# 11: a name in a dateline's capitals is shown as the articles write it elsewhere, `Detroit`)
ALIAS_TYPE_SHARE = 3  # an alias of another type joins when 1 in this many of its mentions has the owner's type


@dataclass(slots=True)
class Entity:
    """One entity. `cited` holds (pid, start, end) with offsets relative to the passage text
    (a list when just built; a read-only (n, 3) array when read from the saved layer);
    `related` the pids of `READ:` headline passages among them; `uncited` counts mentions that
    are in no passage (bylines).
    """

    name: str
    type: str
    aliases: list[str] = field(default_factory=list)
    mentions: int = 0
    articles: list[str] = field(default_factory=list)
    first_date: str | None = None
    last_date: str | None = None
    cited: list[tuple[int, int, int]] | np.ndarray = field(default_factory=list)
    related: list[int] = field(default_factory=list)
    uncited: int = 0

    def to_json(self) -> dict[str, Any]:
        """The entity as JSON values (CLI `--json` and the saved layer)."""
        return {
            "name": self.name,
            "type": self.type,
            "aliases": list(self.aliases),
            "mentions": self.mentions,
            "articles": list(self.articles),
            "first_date": self.first_date,
            "last_date": self.last_date,
            "cited": self.cited_lists(),
            "related": list(self.related),
            "uncited": self.uncited,
        }

    def cited_lists(self) -> list[list[int]]:
        """`cited` as lists of plain ints (for JSON)."""
        if isinstance(self.cited, np.ndarray):
            lists: list[list[int]] = self.cited.tolist()
            return lists
        return [list(c) for c in self.cited]

    def cited_pids(self) -> list[int]:
        """The passages citing the entity, each once, in order."""
        if isinstance(self.cited, np.ndarray):
            return list(dict.fromkeys(self.cited[:, 0].tolist()))
        return list(dict.fromkeys(c[0] for c in self.cited))

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Entity:
        """The entity written by `to_json`."""
        return cls(
            name=data["name"],
            type=data["type"],
            aliases=list(data.get("aliases", [])),
            mentions=int(data.get("mentions", 0)),
            articles=list(data.get("articles", [])),
            first_date=data.get("first_date"),
            last_date=data.get("last_date"),
            cited=[tuple(c) for c in data.get("cited", [])],
            related=list(data.get("related", [])),
            uncited=int(data.get("uncited", 0)),
        )


_SUFFIX_WORDS = {
    "inc",
    "inc.",
    "corp",
    "corp.",
    "corporation",
    "co",
    "co.",
    "ltd",
    "ltd.",
    "llc",
    "plc",
    "group",
    "holdings",
    "company",
    "ag",
    "sa",
    "nv",
    "n.v.",
    "se",
}


_SPACES, _THE, _POSSESSIVE = re.compile(r"\s+"), re.compile(r"^the "), re.compile(r"'s$")
_HYPHENS = re.compile("[-\u2010\u2011]")
# Every dash a name may be typed or written with, read as a hyphen: a Mac's smart en dash
# (`saint–etienne`), the em dash, the Unicode hyphens, figure dash, minus sign and the small and
# full-width hyphen-minus.
_DASHES = str.maketrans(dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d", "-"))
_ZERO_WIDTH_SPACE = "\u200b"  # a word break: `Marta<ZWSP>Vos` is two words


def lookup_key(name: str) -> str:
    """Case-, accent-, quote- and possessive-insensitive form of a name, for `get`, autocomplete
    and merging: people type `jurgen muller` for Jürgen Müller, as search already folds accents.
    Invisible format marks pasted with a name (a right-to-left mark, a zero-width space) are no
    part of it, and every dash is a hyphen (`saint–etienne` typed with a smart dash).
    """
    s = lex.norm(name)
    if not s.isascii():
        s = _without_format_marks(s).translate(_DASHES)
    s = _SPACES.sub(" ", s.strip().lower())
    if not s.isascii():
        s = _fold_accents(s)
    return _POSSESSIVE.sub("", _THE.sub("", s))


def _without_format_marks(s: str) -> str:
    """`s` without Unicode format characters (category Cf: bidi marks and embeddings, zero-width
    joiners, the byte-order mark, soft hyphens); a zero-width space becomes a space.
    """
    return "".join(
        " " if c == _ZERO_WIDTH_SPACE else c for c in s if c == _ZERO_WIDTH_SPACE or unicodedata.category(c) != "Cf"
    )


def table_key(key: str) -> str:
    """A `lookup_key` with hyphens as spaces, since people type `saint etienne du lac` for
    Saint-Etienne-du-Lac and `coca cola` for Coca-Cola. The name tables hold it after the
    names as written (a name as written finds its own entity first: `Dar-es-Salaam` and `Dar es
    Salaam` can be two); merging keeps `lookup_key`, so no two entities join for it.
    """
    if "-" not in key and key.isascii():
        return key
    return _SPACES.sub(" ", _HYPHENS.sub(" ", key)).strip()


def _fold_accents(s: str) -> str:
    """`s` without combining marks (NFKD, marks dropped, NFC): `müller` -> `muller`."""
    return unicodedata.normalize(
        "NFC", "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c))
    )


def _core(name: str) -> str:
    return _core_of_key(lookup_key(name))


def _core_of_key(key: str) -> str:
    """`_core` of a name whose `lookup_key` is already known (company suffixes dropped)."""
    words = key.replace(",", "").split()
    while len(words) > 1 and words[-1] in _SUFFIX_WORDS:
        words.pop()
    return " ".join(words)


class EntityIndex:
    """Every entity, most mentioned first, with lookups by name, alias, prefix and passage.

    The name table and the prefix tables are made once when the layer is built and saved with
    it (`to_layer` / `from_layer`), so a fresh process and every autocomplete keystroke find
    them ready: `complete` is two `bisect` ranges, whatever the number of entities.
    """

    def __init__(
        self,
        entities: Iterable[Entity] = (),
        *,
        by_key: dict[str, int] | None = None,
        prefixes: tuple[PrefixIndex, PrefixIndex] | None = None,
    ) -> None:
        if by_key is None or prefixes is None:
            self.entities: list[Entity] = sorted(entities, key=lambda e: (-e.mentions, e.name.lower()))
            by_key, prefixes = _name_tables(self.entities)
        else:  # from a saved layer: already in rank order
            self.entities = list(entities)
        self._by_key = by_key
        self._starts, self._words = prefixes

    @cached_property
    def _by_pid(self) -> dict[int, list[Entity]]:
        by_pid: dict[int, list[Entity]] = defaultdict(list)
        for e in self.entities:
            for pid in e.cited_pids():
                by_pid[pid].append(e)
        return by_pid

    @cached_property
    def _first_pos(self) -> dict[tuple[int, str], int]:
        first: dict[tuple[int, str], int] = {}
        for e in self.entities:
            for pid, start, _ in e.cited_lists():
                first[(pid, e.name)] = min(first.get((pid, e.name), start), start)
        return first

    def __len__(self) -> int:
        return len(self.entities)

    def all(self, type: str | None = None) -> list[Entity]:
        """Entities sorted by number of mentions (desc) then name; optionally of one type."""
        if type is None:
            return list(self.entities)
        t = type.upper()
        return [e for e in self.entities if e.type == t]

    def get(self, name: str) -> Entity | None:
        """The entity called `name` or with `name` as an alias (case-insensitive)."""
        key = lookup_key(name) if name else ""
        if not key:
            return None
        for k in dict.fromkeys((key, _core_of_key(key), table_key(key))):
            rank = self._by_key.get(k)
            if rank is not None:
                return self.entities[rank]
        rank = self._by_key.get(_core_of_key(table_key(key)))
        return None if rank is None else self.entities[rank]

    def complete(self, prefix: str, limit: int = 25) -> list[str]:
        """Entity names for autocomplete: names or aliases starting with `prefix`, then those with
        a word starting with it; each group by mentions. An empty prefix lists the top names.
        """
        limit = max(0, limit)
        p = lookup_key(prefix) if prefix.strip() else ""
        groups = [self._starts.search(p, limit)]
        if p:
            groups.append(self._words.search(table_key(p), limit))  # a word start, or the name unhyphenated
        names: dict[str, None] = {}
        for rank in merged(groups, 2 * limit):
            names.setdefault(self.entities[rank].name)
        return list(names)[:limit]

    def cooccurring(self, name: str, limit: int = 10) -> list[tuple[Entity, int]]:
        """Entities most often mentioned in the same sentences (passages) as `name`."""
        e = self.get(name)
        if e is None:
            return []
        counts: Counter[int] = Counter()
        for pid in e.cited_pids():
            for other in self._by_pid.get(pid, []):
                if other is not e:
                    counts[id(other)] += 1
        by_id = {id(x): x for x in self.entities}
        ranked = sorted(counts.items(), key=lambda kv: (-kv[1], -by_id[kv[0]].mentions, by_id[kv[0]].name.lower()))
        return [(by_id[k], n) for k, n in ranked[: max(0, limit)]]

    def mentions_in(self, pid: int) -> list[str]:
        """Canonical names of the entities in one passage, in order of appearance."""
        ents = self._by_pid.get(pid, [])
        return [e.name for e in sorted(ents, key=lambda e: self._first_pos.get((pid, e.name), 0))]

    def to_layer(self) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
        """Everything a fresh process needs (saved with the index): JSON values, and the cited
        mentions of all entities as one (n, 3) array with each entity's offsets into it.
        """
        cited = [c for e in self.entities for c in e.cited_lists()]
        offsets = np.zeros(len(self.entities) + 1, dtype=np.int64)
        np.cumsum([len(e.cited) for e in self.entities], out=offsets[1:])
        arrays = {
            "entity_cited": np.array(cited, dtype=np.int64).reshape(-1, 3),
            "entity_cited_offsets": offsets,
        }
        data = {
            "version": ENTITY_INDEX_VERSION,
            "entities": [{**e.to_json(), "cited": []} for e in self.entities],
            "by_key": self._by_key,
            "starts": self._starts.to_json(),
            "words": self._words.to_json(),
        }
        return data, arrays

    @classmethod
    def from_layer(cls, data: dict[str, Any], arrays: Mapping[str, np.ndarray]) -> EntityIndex:
        """The index saved by `to_layer`; ValueError when the layer is of another version or shape."""
        if not isinstance(data, dict) or data.get("version") != ENTITY_INDEX_VERSION:
            raise ValueError("the entity layer is of another version")
        entities = [Entity.from_json(d) for d in data["entities"]]
        cited, offsets = arrays["entity_cited"], arrays["entity_cited_offsets"]
        if (
            cited.ndim != 2
            or cited.shape[1] != 3
            or offsets.shape != (len(entities) + 1,)
            or int(offsets[0]) != 0
            or int(offsets[-1]) != len(cited)
            or bool(np.any(np.diff(offsets) < 0))
        ):
            raise ValueError("the entity layer's mentions do not match its entities")
        bounds = offsets.tolist()
        cited = cited.view(np.ndarray)  # a slice of a memory map costs a Python call; of its plain view, none
        for i, e in enumerate(entities):
            e.cited = cited[bounds[i] : bounds[i + 1]]
        by_key = data["by_key"]
        if not isinstance(by_key, dict) or any(not 0 <= r < len(entities) for r in by_key.values()):
            raise ValueError("the entity layer's name table points outside it")
        prefixes = (PrefixIndex.from_json(data["starts"]), PrefixIndex.from_json(data["words"]))
        return cls(entities, by_key=by_key, prefixes=prefixes)


def _name_tables(entities: list[Entity]) -> tuple[dict[str, int], tuple[PrefixIndex, PrefixIndex]]:
    """Name -> rank (the most mentioned wins an ambiguous alias) and the two prefix tables."""
    return _tables_of_keys([[lookup_key(n) for n in [e.name, *e.aliases]] for e in entities])


def _tables_of_keys(starts: list[list[str]]) -> tuple[dict[str, int], tuple[PrefixIndex, PrefixIndex]]:
    """`_name_tables` from the lookup keys of each entity's name and aliases, in rank order. The
    names as written (and their cores) first, for every entity; then, where still free, the
    same with spaces for hyphens (`table_key`), which the word table holds too.
    """
    by_key: dict[str, int] = {}
    for rank, keys in enumerate(starts):
        for k in keys:
            by_key.setdefault(k, rank)
            by_key.setdefault(_core_of_key(k), rank)
    words = [[w for k in keys for w in word_suffixes(k)] for keys in starts]
    for rank, keys in enumerate(starts):  # after every name as written
        if all(k.isascii() and "-" not in k for k in keys):
            continue  # most names: no other key
        for k in dict.fromkeys(map(table_key, keys)):
            if k not in keys:
                by_key.setdefault(k, rank)
                by_key.setdefault(_core_of_key(k), rank)
                words[rank] += [k, *word_suffixes(k)]
    return by_key, (PrefixIndex.build(starts), PrefixIndex.build(words))


@dataclass(slots=True)
class _Acc:
    names: Counter[str] = field(default_factory=Counter)  # canonical names proposed by documents
    forms: Counter[str] = field(default_factory=Counter)  # surface forms
    types: Counter[str] = field(default_factory=Counter)
    docs: dict[str, str | None] = field(default_factory=dict)  # doc_id -> date
    cited: list[tuple[int, int, int]] = field(default_factory=list)  # (pid, start, end)
    related: list[int] = field(default_factory=list)  # pids
    uncited: int = 0
    mentions: int = 0
    members: list[str] = field(default_factory=list)  # the keys merged into this one, in merge order


def _surface_key(text: str) -> str:
    return lex.norm(text)


def find_mentions(text: str, sentence_starts: Iterable[int] | None = None) -> list[Mention]:
    """The recogniser's `find_mentions`, imported on first use: a question never runs it."""
    from index.names.recogniser import find_mentions as recognise

    return recognise(text, sentence_starts)


def article_mentions(article: Article, passages: Sequence[Passage]) -> list[Mention]:
    """The recogniser's mentions in one article (the costly part; run per article, in parallel)."""
    starts = sorted(p.char_start for p in passages) if passages else None
    return find_mentions(article.body or "", starts)


def build_entities(
    articles: Mapping[str, Article],
    passages: Iterable[Passage],
    mentions: Mapping[str, list[Mention]] | None = None,
) -> EntityIndex:
    """Recognise and merge the entities of all articles (see module docstring).

    `mentions` (doc_id -> `article_mentions`), when given, spares running the recogniser again:
    the index build computes them in worker processes.
    """
    return _merged(_accumulated(articles, passages, mentions))[0]


def _accumulated(
    articles: Mapping[str, Article],
    passages: Iterable[Passage],
    mentions: Mapping[str, list[Mention]] | None = None,
) -> dict[str, _Acc]:
    """The mentions of all articles gathered by key, before any merge (in order of first mention)."""
    by_doc: dict[str, list[Passage]] = defaultdict(list)
    for p in passages:
        by_doc[p.doc_id].append(p)
    accs: dict[str, _Acc] = {}
    for doc_id, article in articles.items():
        ps = sorted(by_doc.get(doc_id, []), key=lambda p: p.char_start)
        found = mentions.get(doc_id) if mentions is not None else None
        _accumulate(accs, article, ps, found if found is not None else article_mentions(article, ps))
    return accs


def _accumulate(accs: dict[str, _Acc], article: Article, ps: list[Passage], mentions: Iterable[Mention]) -> None:
    """Add one article's mentions (`ps`: its passages by offset) to the accumulators by key."""
    for m in mentions:  # the byline and `article.author` are metadata, never mentions
        if lex.hyphen_modifier(m.text):
            continue  # "Switzerland-based CAS": a modifier, not an entity a reader looks up
        key = _core(m.canonical or m.text)
        acc = accs.get(key)
        if acc is None:
            acc = accs[key] = _Acc(members=[key])
        _add(acc, m, article, _passage_of(ps, m))


def _merged(accs: dict[str, _Acc]) -> tuple[EntityIndex, list[_Acc]]:
    """Merge the accumulators (in place) and rank the entities; also the merged accumulators,
    entity by entity in rank order (their `members` say which keys each entity holds).
    """
    _merge_surnames(accs)
    _merge_aliases(accs)
    finished = [(_finish(acc), acc) for acc in accs.values()]
    index = EntityIndex(e for e, _ in finished)
    by_entity = {id(e): acc for e, acc in finished}
    return index, [by_entity[id(e)] for e in index.entities]


def _passage_of(ps: list[Passage], m: Mention) -> Passage | None:
    lo, hi = 0, len(ps)
    while lo < hi:  # last passage starting at or before the mention
        mid = (lo + hi) // 2
        if ps[mid].char_start <= m.start:
            lo = mid + 1
        else:
            hi = mid
    k = lo - 1
    if k >= 0 and ps[k].char_start <= m.start and m.end <= ps[k].char_end:
        return ps[k]
    return None


def _add(acc: _Acc, m: Mention, article: Article, p: Passage | None) -> None:
    acc.names[m.canonical or m.text] += 1
    acc.forms[_surface_key(m.text)] += 1
    acc.types[m.type] += 1
    acc.mentions += 1
    date = article.shown_date  # `2026` for an article dated a year: its first day is no date it gives
    if p is not None and p.related and p.related_date:
        date = article.shown_date  # the mention is in this article; the headline's own date is kept apart
    acc.docs.setdefault(article.doc_id, date)
    if p is None:
        acc.uncited += 1
        return
    acc.cited.append((p.pid, m.start - p.char_start, m.end - p.char_start))
    if p.related:
        acc.related.append(p.pid)


def _merge_surnames(accs: dict[str, _Acc]) -> None:
    """Person names that are one person: a one-word entity joins the only multi-word PERSON
    entity ending with that word, whatever its own type ("Obama" typed GPE once joins Barack
    Obama; round 20 tried a third of its mentions PERSON, which split two such); "Tim Cook" joins
    "Timothy D. Cook" (same surname, one given name the start of the other, middle initials
    ignored) when no other such person exists.
    """
    persons: dict[str, list[str]] = defaultdict(list)
    for key, acc in accs.items():
        if acc.types.most_common(1)[0][0] == "PERSON" and " " in key:
            persons[lex.surname_of(key.split())[0]].append(key)  # "Hinckley" of "John Hinckley Jr."
    for key in list(accs):
        if " " in key or key not in persons or len(persons[key]) != 1:
            continue
        _merge_into(accs, key, persons[key][0])
    for keys in persons.values():
        if len(keys) < 2:
            continue
        for short in sorted(keys, key=len):
            if short not in accs:
                continue
            given = short.split()[0]
            generation = lex.surname_of(short.split())[1]
            longer = [  # "Nelson Piquet" is not "Nelson Piquet Jr."
                k
                for k in keys
                if k != short
                and k in accs
                and len(k) > len(short)
                and _same_given_name(given, k.split()[0])
                and lex.surname_of(k.split())[1] == generation
            ]
            if len(longer) == 1:
                _merge_into(accs, short, longer[0])


def _same_given_name(a: str, b: str) -> bool:
    """Given names such as "tim" and "timothy": one starts the other (at least three letters)."""
    a, b = a.rstrip("."), b.rstrip(".")
    return len(min(a, b, key=len)) >= 3 and (a.startswith(b) or b.startswith(a))


def _merge_into(accs: dict[str, _Acc], key: str, target: str) -> None:
    src, dst = accs.pop(key), accs[target]
    dst.names.update(src.names)
    dst.forms.update(src.forms)
    dst.types.update(src.types)
    for d, date in src.docs.items():
        dst.docs.setdefault(d, date)
    dst.cited.extend(src.cited)
    dst.related.extend(src.related)
    dst.uncited += src.uncited
    dst.mentions += src.mentions
    dst.members.extend(src.members)


def _merge_aliases(accs: dict[str, _Acc], core: Callable[[str], str] = _core) -> None:
    """An entity whose name is an alias of a bigger entity of the same type elsewhere joins it
    ("US" alone in one article, "United States ... US" in another); of another type too when at
    least a third of its own mentions have the bigger one's type (the CRF took "Elian", alone in
    two stories, for a nationality in 16 of 24 mentions, "Elian's" for a person). A name of two
    words or more joins the one entity written with "U.S." before it, however few its mentions
    ("State Department" in five stories, "U.S. State Department" in one).
    """
    owner: dict[str, tuple[int, str]] = {}
    prefixed: dict[str, tuple[int, str]] = {}  # "state department" of "u.s. state department"
    for key, acc in accs.items():
        for form in acc.forms:
            k = core(form)
            if k != key and acc.mentions > owner.get(k, (0, ""))[0]:
                owner[k] = (acc.mentions, key)
            rest = _without_country(k)
            if rest and rest != key and acc.mentions > prefixed.get(rest, (0, ""))[0]:
                prefixed[rest] = (acc.mentions, key)
    by_prefix = {k for k in prefixed if k not in owner}  # a plain alias first
    for k in by_prefix:
        owner[k] = prefixed[k]
    for key in sorted(accs, key=lambda k: accs[k].mentions):
        if key not in owner or key not in accs:
            continue
        target = owner[key][1]
        if target not in accs or target == key:
            continue
        if accs[target].mentions < accs[key].mentions and key not in by_prefix:
            continue  # the U.S. name written once still names its short form's many mentions
        kind = accs[target].types.most_common(1)[0][0]
        if (
            kind != accs[key].types.most_common(1)[0][0]
            and accs[key].types[kind] * ALIAS_TYPE_SHARE < accs[key].mentions
        ):
            continue  # "Elian" [MISC] in two stories, a PERSON in 8 of its 24 mentions: Elian Gonzalez's
        _merge_into(accs, key, target)


# the United States' only: "Iraqi Foreign Ministry" is no other story's "Foreign Ministry"
_COUNTRY_PREFIXES = ("u.s. ", "us ", "united states ")


def _without_country(key: str) -> str:
    """A name's key without a leading U.S. when at least two words are left ("state department" of
    "u.s. state department"; not "army" of "u.s. army"), else "".
    """
    for prefix in _COUNTRY_PREFIXES:
        if key.startswith(prefix):
            rest = key[len(prefix) :]
            return rest if " " in rest else ""
    return ""


def _finish(acc: _Acc) -> Entity:
    # canonical: the longest proposed full name, ties by frequency; a name in capitals (a wire
    # story's dateline, "DETROIT (AP) —") only when the articles never write it otherwise
    shown = Counter({n: c for n, c in acc.names.items() if not shouted(n)}) or acc.names
    name = max(shown, key=lambda n: (" " in n, shown[n] > 0, len(n), shown[n], n))
    top = shown.most_common(1)[0]
    if top[1] >= 3 * shown[name] and " " not in name:
        name = top[0]
    etype = acc.types.most_common(1)[0][0]
    aliases = sorted(
        {f for f in acc.forms if f != lex.norm(name)} | {n for n in acc.names if n != name} - {lex.norm(name)}
    )
    dates = sorted(d for d in acc.docs.values() if d)
    return Entity(
        name=name,
        type=etype,
        aliases=aliases,
        mentions=acc.mentions,
        articles=sorted(acc.docs),
        first_date=dates[0] if dates else None,
        last_date=dates[-1] if dates else None,
        cited=sorted(acc.cited),
        related=sorted(set(acc.related)),
        uncited=acc.uncited,
    )


# ---------------------------------------------------------------- a chain: base + new articles
#
# A whole build saves, beside the entities, its key table: every key's accumulator before any
# merge (name, form and type counts, mentions, uncited; cited mentions and articles as arrays)
# and the keys each entity holds. A reader of a chain (a base generation, then segments of a few
# articles, and tombstones) subtracts the removed articles' accumulators and adds the new ones',
# key by key, and runs the same merges over the keys' counts alone (no mention is read for
# them). An entity whose keys are the same, in the same order, and untouched by the change is
# the base's own (only its sentence numbers move); the others are finished from their keys.

KEY_TABLE_VERSION = "1"


def entity_layer(
    articles: Sequence[Article], passages: Iterable[Passage], mentions: Mapping[str, list[Mention]]
) -> tuple[EntityIndex, dict[str, Any], dict[str, np.ndarray]]:
    """The entity index of a whole build, and its key table as JSON values and arrays
    (`KeyTable.from_layer` reads them): what a chain's reader merges new articles into.
    """
    rows = {a.doc_id: i for i, a in enumerate(articles)}
    accs = _accumulated({a.doc_id: a for a in articles}, passages, mentions)
    position = {key: i for i, key in enumerate(accs)}
    keys = [  # copied before the merges change the accumulators
        [key, list(a.names.items()), list(a.forms.items()), list(a.types.items()), a.mentions, a.uncited]
        for key, a in accs.items()
    ]
    cited_offsets = np.zeros(len(accs) + 1, dtype=np.int64)
    np.cumsum([len(a.cited) for a in accs.values()], out=cited_offsets[1:])
    docs_offsets = np.zeros(len(accs) + 1, dtype=np.int64)
    np.cumsum([len(a.docs) for a in accs.values()], out=docs_offsets[1:])
    arrays = {
        "entity_key_cited": np.array([c for a in accs.values() for c in a.cited], dtype=np.int64).reshape(-1, 3),
        "entity_key_cited_offsets": cited_offsets,
        "entity_key_docs": np.array([rows[d] for a in accs.values() for d in a.docs], dtype=np.int64),
        "entity_key_docs_offsets": docs_offsets,
    }
    cores = {form: _core(form) for a in accs.values() for form in a.forms}  # what the alias merge compares
    index, merged_accs = _merged(accs)
    groups = [[position[k] for k in acc.members] for acc in merged_accs]
    return index, {"version": KEY_TABLE_VERSION, "keys": keys, "groups": groups, "cores": cores}, arrays


@dataclass(frozen=True)
class KeyTable:
    """A whole build's accumulators by key, before merging (see `entity_layer`)."""

    keys: list[list[Any]]  # key, names, forms, types (pairs in first-seen order), mentions, uncited
    groups: list[list[int]]  # per entity (rank order): its keys (positions in `keys`), in merge order
    cited: np.ndarray  # (n, 3) pid, start, end; key by key
    cited_offsets: np.ndarray
    docs: np.ndarray  # article rows, key by key
    docs_offsets: np.ndarray
    cores: dict[str, str]  # `_core` of every form

    @classmethod
    def from_layer(cls, data: dict[str, Any], arrays: Mapping[str, np.ndarray]) -> KeyTable:
        """The table saved by `entity_layer`; ValueError when it is not one."""
        if not isinstance(data, dict) or data.get("version") != KEY_TABLE_VERSION:
            raise ValueError("the entity key table is of another version")
        keys, groups = data["keys"], data["groups"]
        n = len(keys)
        table = cls(
            keys,
            groups,
            arrays["entity_key_cited"],
            arrays["entity_key_cited_offsets"],
            arrays["entity_key_docs"],
            arrays["entity_key_docs_offsets"],
            data["cores"],
        )
        for values, offsets in ((table.cited, table.cited_offsets), (table.docs, table.docs_offsets)):
            if offsets.shape != (n + 1,) or (n and (int(offsets[0]) != 0 or int(offsets[-1]) != len(values))):
                raise ValueError("the entity key table's arrays do not match its keys")
        if table.cited.ndim != 2 or table.cited.shape[1] != 3:
            raise ValueError("the entity key table's mentions are not (pid, start, end)")
        if not isinstance(table.cores, dict):
            raise ValueError("the entity key table's form cores are not a mapping")
        if sorted(i for g in groups for i in g) != list(range(n)):
            raise ValueError("the entity key table's groups do not cover its keys once")
        return table


@dataclass(frozen=True)
class Change:
    """Some articles with their passages (sorted by offset, numbered as `pid_map` expects) and mentions."""

    articles: list[Article]
    passages: list[list[Passage]]
    mentions: list[list[Mention]]

    def accumulated(self) -> dict[str, _Acc]:
        """Their mentions gathered by key, as a whole build gathers them (before merging)."""
        accs: dict[str, _Acc] = {}
        for article, ps, ms in zip(self.articles, self.passages, self.mentions, strict=True):
            _accumulate(accs, article, ps, ms)
        return accs


@dataclass(frozen=True)
class ChainedEntities:
    """The entity index of a chain, and what differs from its base's."""

    index: EntityIndex
    base: EntityIndex
    fresh: list[Entity]  # entities finished from their keys (not the base's own)
    dropped: list[int]  # ranks of the base's entities that are not in the index as they were
    renamed: list[int]  # those of them whose name or keys changed, or that are gone


def _counts_less(counts: Counter[str], gone: Counter[str]) -> None:
    for item, n in gone.items():
        left = counts[item] - n
        if left > 0:
            counts[item] = left
        else:
            del counts[item]


def _counter(pairs: list[list[Any]]) -> Counter[str]:
    counts: Counter[str] = Counter()
    dict.update(counts, cast("list[tuple[str, int]]", pairs))  # in order, without Counter.update's Python loop
    return counts


def _light(row: list[Any]) -> _Acc:
    key, names, forms, types, mentions, uncited = row
    return _Acc(
        names=_counter(names),
        forms=_counter(forms),
        types=_counter(types),
        mentions=int(mentions),
        uncited=int(uncited),
        members=[key],
    )


def chain_entities(
    base: EntityIndex,
    table: KeyTable,
    pid_map: np.ndarray | None,
    base_articles: Sequence[Mapping[str, Any]],
    live: np.ndarray,
    removed: Change,
    added: Change,
    related: Callable[[np.ndarray], np.ndarray],
) -> ChainedEntities:
    """The entity index of the base's live articles plus `added`, as a whole build of them gives.

    `pid_map` maps the base's sentence ids to the chain's (-1: removed; None: the same ids, no base
    sentence removed), `live` says which base article rows are live, `removed` are the base's
    removed articles (base sentence ids), `added` the chain's articles after the base (chain ids,
    in chain order), `related(ids)` the chain's `READ:`-line flags of these sentences (read where
    a changed entity cites: a one-question process makes no per-sentence map or column). Linear in the keys (their counts) and in the changed
    entities' mentions; the base's other entities are taken as they are.
    """
    gone, new = removed.accumulated(), added.accumulated()
    touched = set(gone) | set(new)
    accs: dict[str, _Acc] = {}
    position: dict[str, int] = {}
    for i, row in enumerate(table.keys):
        key = row[0]
        acc = _light(row)
        position[key] = i
        out = gone.get(key)
        if out is not None:
            _counts_less(acc.names, out.names)
            _counts_less(acc.forms, out.forms)
            _counts_less(acc.types, out.types)
            acc.mentions -= out.mentions
            acc.uncited -= out.uncited
            if acc.mentions <= 0:
                continue
        accs[key] = acc
    for key, more in new.items():
        known = accs.get(key)
        if known is None:
            accs[key] = _Acc(
                names=Counter(more.names),
                forms=Counter(more.forms),
                types=Counter(more.types),
                mentions=more.mentions,
                uncited=more.uncited,
                members=[key],
            )
            continue
        known.names.update(more.names)
        known.forms.update(more.forms)
        known.types.update(more.types)
        known.mentions += more.mentions
        known.uncited += more.uncited
    cores = table.cores

    def core(form: str) -> str:
        known = cores.get(form)
        return _core(form) if known is None else known

    _merge_surnames(accs)
    _merge_aliases(accs, core)
    base_rank = {i: rank for rank, group in enumerate(table.groups) for i in group}
    same_pids = pid_map is None or len(pid_map) == 0 or int(pid_map[-1]) == len(pid_map) - 1  # none removed
    kept: set[int] = set()
    entities: list[tuple[Entity, int]] = []  # and the base rank of those taken as they were, else -1
    fresh: list[Entity] = []
    same_name: set[int] = set()  # base ranks of entities with the same keys and name, other counts
    for acc in accs.values():
        first = position.get(acc.members[0])
        rank = None if first is None else base_rank[first]
        same_keys = rank is not None and [table.keys[i][0] for i in table.groups[rank]] == acc.members
        if rank is not None and same_keys and not touched.intersection(acc.members):
            kept.add(rank)
            entity = base.entities[rank]
            entities.append((entity if same_pids or pid_map is None else _moved(entity, pid_map), rank))
            continue
        _fill(acc, table, position, pid_map, base_articles, live, new, related)
        entity = _finish(acc)
        entities.append((entity, -1))
        fresh.append(entity)
        if rank is not None and same_keys and entity.name == base.entities[rank].name:
            same_name.add(rank)
    dropped = [rank for rank in range(len(base.entities)) if rank not in kept]
    renamed = [rank for rank in dropped if rank not in same_name]
    # The name tables: the keys of the base's entities are in its prefix table; only the fresh
    # entities' names are normalised again.
    base_keys: list[list[str]] = [[] for _ in base.entities]
    for k, r in zip(base._starts.keys, base._starts.ranks.tolist(), strict=True):
        base_keys[r].append(k)
    entities.sort(key=lambda pair: (-pair[0].mentions, pair[0].name.lower()))
    starts = [base_keys[rank] if rank >= 0 else [lookup_key(n) for n in [e.name, *e.aliases]] for e, rank in entities]
    by_key, prefixes = _tables_of_keys(starts)
    index = EntityIndex([e for e, _ in entities], by_key=by_key, prefixes=prefixes)
    return ChainedEntities(index, base, fresh, dropped, renamed)


def _moved(entity: Entity, pid_map: np.ndarray) -> Entity:
    """A base entity no removed article touched, with the chain's sentence ids."""
    cited = np.array(entity.cited, dtype=np.int64).reshape(-1, 3)
    cited[:, 0] = pid_map[cited[:, 0]]
    cited.setflags(write=False)
    return Entity(
        name=entity.name,
        type=entity.type,
        aliases=entity.aliases,
        mentions=entity.mentions,
        articles=entity.articles,
        first_date=entity.first_date,
        last_date=entity.last_date,
        cited=cited,
        related=pid_map[np.asarray(entity.related, dtype=np.int64)].tolist(),
        uncited=entity.uncited,
    )


def _fill(
    acc: _Acc,
    table: KeyTable,
    position: Mapping[str, int],
    pid_map: np.ndarray | None,
    base_articles: Sequence[Mapping[str, Any]],
    live: np.ndarray,
    new: Mapping[str, _Acc],
    related: Callable[[np.ndarray], np.ndarray],
) -> None:
    """Give a merged count-only accumulator its articles, cited mentions and related sentences."""
    for key in acc.members:
        i = position.get(key)
        if i is not None:
            rows = table.docs[int(table.docs_offsets[i]) : int(table.docs_offsets[i + 1])]
            for row in rows[live[rows]].tolist():
                article = base_articles[row]
                acc.docs.setdefault(article["doc_id"], shown_date(article.get("date"), article.get("date_precision")))
            cited = np.array(table.cited[int(table.cited_offsets[i]) : int(table.cited_offsets[i + 1])])
            if pid_map is not None:
                cited[:, 0] = pid_map[cited[:, 0]]
                cited = cited[cited[:, 0] >= 0]
            acc.cited.extend(map(tuple, cited.tolist()))
            acc.related.extend(cited[related(cited[:, 0]), 0].tolist())
        more = new.get(key)
        if more is not None:
            for doc_id, date in more.docs.items():
                acc.docs.setdefault(doc_id, date)
            acc.cited.extend(more.cited)
            acc.related.extend(more.related)
