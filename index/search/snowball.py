"""nltk's English Snowball stemmer, without importing nltk (`from nltk.stem.snowball import ...`
runs `nltk/__init__`, which imports most of nltk, numpy and pycrfsuite: 0.25-0.34 CPU s that a
one-command process paid only to stem its question; docs/scale.md, round 17).

A port of `nltk.stem.snowball.EnglishStemmer.stem` (nltk 3.10.4, `ignore_stopwords=False`), step
for step, so that the index's terms stay nltk's: the Snowball project's own builds (PyStemmer,
snowballstemmer) do not give nltk's stems ("added": nltk "ad", Snowball 3 "add"; "banization":
nltk "banize", Snowball 2.2 "baniz"), and a different stem is a different index.
`python -m bench.stemmer_check` compares the two on every word of the development data and on
generated words; `tests/index/search/test_snowball.py` keeps the tricky cases.

Derived from NLTK (Copyright (C) 2001-2026 NLTK Project; authors Peter Michael Stahl, Peter Ljunglöf,
Lakhdar Benzahia, Assem Chelli, Abdelkrim Aries), licensed under the Apache License 2.0
(https://www.apache.org/licenses/LICENSE-2.0); restructured as module-level code, same behaviour.
"""

from __future__ import annotations

_VOWELS = "aeiouy"
_DOUBLE_CONSONANTS = ("bb", "dd", "ff", "gg", "mm", "nn", "pp", "rr", "tt")
_LI_ENDING = "cdeghkmnrt"
_STEP0 = ("'s'", "'s", "'")
_STEP1A = ("sses", "ied", "ies", "us", "ss", "s")
_STEP1B = ("eedly", "ingly", "edly", "eed", "ing", "ed")
_STEP2 = (
    "ization",
    "ational",
    "fulness",
    "ousness",
    "iveness",
    "tional",
    "biliti",
    "lessli",
    "entli",
    "ation",
    "alism",
    "aliti",
    "ousli",
    "iviti",
    "fulli",
    "enci",
    "anci",
    "abli",
    "izer",
    "ator",
    "alli",
    "bli",
    "ogi",
    "li",
)
_STEP3 = ("ational", "tional", "alize", "icate", "iciti", "ative", "ical", "ness", "ful")
_STEP4 = (
    "ement",
    "ance",
    "ence",
    "able",
    "ible",
    "ment",
    "ant",
    "ent",
    "ism",
    "ate",
    "iti",
    "ous",
    "ive",
    "ize",
    "ion",
    "al",
    "er",
    "ic",
)
_SPECIAL = {
    "skis": "ski",
    "skies": "sky",
    "dying": "die",
    "lying": "lie",
    "tying": "tie",
    "idly": "idl",
    "gently": "gentl",
    "ugly": "ugli",
    "early": "earli",
    "only": "onli",
    "singly": "singl",
    "sky": "sky",
    "news": "news",
    "howe": "howe",
    "atlas": "atlas",
    "cosmos": "cosmos",
    "bias": "bias",
    "andes": "andes",
    "inning": "inning",
    "innings": "inning",
    "outing": "outing",
    "outings": "outing",
    "canning": "canning",
    "cannings": "canning",
    "herring": "herring",
    "herrings": "herring",
    "earring": "earring",
    "earrings": "earring",
    "proceed": "proceed",
    "proceeds": "proceed",
    "proceeded": "proceed",
    "proceeding": "proceed",
    "exceed": "exceed",
    "exceeds": "exceed",
    "exceeded": "exceed",
    "exceeding": "exceed",
    "succeed": "succeed",
    "succeeds": "succeed",
    "succeeded": "succeed",
    "succeeding": "succeed",
}
# Step 2's and step 3's replacements that carry R1 and R2 along (nltk's `suffix_replace` branches);
# the value is what R2 becomes when it is shorter than the suffix (nltk writes "e" for two of them).
_STEP2_REPLACE = {
    "izer": ("ize", ""),
    "ization": ("ize", ""),
    "ational": ("ate", "e"),
    "ation": ("ate", "e"),
    "ator": ("ate", "e"),
    "alism": ("al", ""),
    "aliti": ("al", ""),
    "alli": ("al", ""),
    "ousli": ("ous", ""),
    "ousness": ("ous", ""),
    "iveness": ("ive", "e"),
    "iviti": ("ive", "e"),
    "biliti": ("ble", ""),
    "bli": ("ble", ""),
}
_STEP3_REPLACE = {"ational": "ate", "icate": "ic", "iciti": "ic", "ical": "ic"}


def _r1r2(word: str) -> tuple[str, str]:
    """R1 (after the first non-vowel following a vowel) and R2 (the same within R1)."""
    r1 = ""
    r2 = ""
    if word.startswith(("gener", "commun", "arsen")):
        r1 = word[5:] if word.startswith(("gener", "arsen")) else word[6:]
    else:
        for i in range(1, len(word)):
            if word[i] not in _VOWELS and word[i - 1] in _VOWELS:
                r1 = word[i + 1 :]
                break
    for i in range(1, len(r1)):
        if r1[i] not in _VOWELS and r1[i - 1] in _VOWELS:
            r2 = r1[i + 1 :]
            break
    return r1, r2


def _replace(region: str, suffix: str, new: str, short: str = "") -> str:
    """A region's end after `suffix` becomes `new`; `short` when the region is shorter than it."""
    return region[: -len(suffix)] + new if len(region) >= len(suffix) else short


def stem(word: str) -> str:
    """The stem nltk's `SnowballStemmer("english").stem(word)` gives, for every word."""
    word = word.lower()
    if len(word) <= 2:
        return word
    special = _SPECIAL.get(word)
    if special is not None:
        return special
    word = word.replace("\u2019", "'").replace("\u2018", "'").replace("\u201b", "'")
    if word.startswith("'"):
        word = word[1:]
    if word.startswith("y"):
        word = "Y" + word[1:]
    chars = list(word)
    for i in range(1, len(chars)):
        if chars[i - 1] in _VOWELS and chars[i] == "y":
            chars[i] = "Y"
    word = "".join(chars)

    r1, r2 = _r1r2(word)

    # Step 0: possessive endings.
    for suffix in _STEP0:
        if word.endswith(suffix):
            word = word[: -len(suffix)]
            r1 = r1[: -len(suffix)]
            r2 = r2[: -len(suffix)]
            break

    # Step 1a: plurals.
    for suffix in _STEP1A:
        if word.endswith(suffix):
            if suffix == "sses":
                word, r1, r2 = word[:-2], r1[:-2], r2[:-2]
            elif suffix in ("ied", "ies"):
                cut = 2 if len(word[: -len(suffix)]) > 1 else 1
                word, r1, r2 = word[:-cut], r1[:-cut], r2[:-cut]
            elif suffix == "s" and any(letter in _VOWELS for letter in word[:-2]):
                word, r1, r2 = word[:-1], r1[:-1], r2[:-1]
            break

    # Step 1b: -ed, -ing and their -ly forms.
    for suffix in _STEP1B:
        if word.endswith(suffix):
            if suffix in ("eed", "eedly"):
                if r1.endswith(suffix):
                    word = word[: -len(suffix)] + "ee"
                    r1 = _replace(r1, suffix, "ee")
                    r2 = _replace(r2, suffix, "ee")
            elif any(letter in _VOWELS for letter in word[: -len(suffix)]):
                word, r1, r2 = word[: -len(suffix)], r1[: -len(suffix)], r2[: -len(suffix)]
                if word.endswith(("at", "bl", "iz")):
                    word += "e"
                    r1 += "e"
                    if len(word) > 5 or len(r1) >= 3:
                        r2 += "e"
                elif word.endswith(_DOUBLE_CONSONANTS):
                    word, r1, r2 = word[:-1], r1[:-1], r2[:-1]
                elif (
                    r1 == ""
                    and len(word) >= 3
                    and word[-1] not in _VOWELS
                    and word[-1] not in "wxY"
                    and word[-2] in _VOWELS
                    and word[-3] not in _VOWELS
                ) or (r1 == "" and len(word) == 2 and word[0] in _VOWELS and word[1] not in _VOWELS):
                    word += "e"
                    if len(r1) > 0:
                        r1 += "e"
                    if len(r2) > 0:
                        r2 += "e"
            break

    # Step 1c: a final y after a consonant becomes i.
    if len(word) > 2 and word[-1] in "yY" and word[-2] not in _VOWELS:
        word = word[:-1] + "i"
        r1 = r1[:-1] + "i" if len(r1) >= 1 else ""
        r2 = r2[:-1] + "i" if len(r2) >= 1 else ""

    # Step 2: derivational suffixes within R1.
    for suffix in _STEP2:
        if word.endswith(suffix):
            if r1.endswith(suffix):
                if suffix in ("tional", "entli", "fulli", "lessli"):
                    word, r1, r2 = word[:-2], r1[:-2], r2[:-2]
                elif suffix in ("enci", "anci", "abli"):
                    word = word[:-1] + "e"
                    r1 = r1[:-1] + "e" if len(r1) >= 1 else ""
                    r2 = r2[:-1] + "e" if len(r2) >= 1 else ""
                elif suffix in _STEP2_REPLACE:
                    new, short = _STEP2_REPLACE[suffix]
                    word = word[: -len(suffix)] + new
                    r1 = _replace(r1, suffix, new)
                    r2 = _replace(r2, suffix, new, short)
                elif suffix == "fulness":
                    word, r1, r2 = word[:-4], r1[:-4], r2[:-4]
                elif (suffix == "ogi" and word[-4] == "l") or (suffix == "li" and word[-3] in _LI_ENDING):
                    cut = 1 if suffix == "ogi" else 2
                    word, r1, r2 = word[:-cut], r1[:-cut], r2[:-cut]
            break

    # Step 3: more derivational suffixes.
    for suffix in _STEP3:
        if word.endswith(suffix):
            if r1.endswith(suffix):
                if suffix == "tional":
                    word, r1, r2 = word[:-2], r1[:-2], r2[:-2]
                elif suffix in _STEP3_REPLACE:
                    new = _STEP3_REPLACE[suffix]
                    word = word[: -len(suffix)] + new
                    r1 = _replace(r1, suffix, new)
                    r2 = _replace(r2, suffix, new)
                elif suffix == "alize":
                    word, r1, r2 = word[:-3], r1[:-3], r2[:-3]
                elif suffix in ("ful", "ness"):
                    word, r1, r2 = word[: -len(suffix)], r1[: -len(suffix)], r2[: -len(suffix)]
                elif suffix == "ative" and r2.endswith(suffix):
                    word, r1, r2 = word[:-5], r1[:-5], r2[:-5]
            break

    # Step 4: suffixes within R2.
    for suffix in _STEP4:
        if word.endswith(suffix):
            if r2.endswith(suffix):
                if suffix == "ion":
                    if word[-4] in "st":
                        word, r1, r2 = word[:-3], r1[:-3], r2[:-3]
                else:
                    word, r1, r2 = word[: -len(suffix)], r1[: -len(suffix)], r2[: -len(suffix)]
            break

    # Step 5: a final e, or the second l of a final ll.
    if r2.endswith("l") and word[-2] == "l":
        word = word[:-1]
    elif r2.endswith("e"):
        word = word[:-1]
    elif r1.endswith("e"):
        if len(word) >= 4 and (
            word[-2] in _VOWELS or word[-2] in "wxY" or word[-3] not in _VOWELS or word[-4] in _VOWELS
        ):
            word = word[:-1]

    return word.replace("Y", "y")


__all__ = ["stem"]
