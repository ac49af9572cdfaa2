"""The tagger's rules are compiled on their first run (`Rule.regex`, `triggers._folded`): a process
that tags one article or a question compiles only the rules its words trigger, and each compiled
rule is the pattern and flags it always was."""

from __future__ import annotations

import datetime as dt
import re

from index.time import triggers
from index.time.rules import RULES
from index.time.tagger import tag

TEXT = "The festival opened on Tuesday, 3 March 2024, and will run for nine days."


def _forget() -> None:
    for rule in RULES:
        object.__setattr__(rule, "_regex", None)
    triggers._FOLDED.clear()


def test_tagging_a_sentence_compiles_only_the_rules_it_triggers() -> None:
    want = tag(TEXT, dt.date(2024, 3, 1))
    _forget()
    got = tag(TEXT, dt.date(2024, 3, 1))
    assert [(t.start, t.end, t.value, t.type) for t in got] == [(t.start, t.end, t.value, t.type) for t in want]
    compiled = [rule.name for rule in RULES if rule._regex is not None]
    assert compiled and len(compiled) < len(RULES) // 2
    assert set(triggers._FOLDED) <= set(compiled)


def test_a_rule_compiles_its_lead_and_pattern_with_its_flags() -> None:
    _forget()
    for rule in RULES:
        assert rule.regex.pattern == f"{rule.lead}(?:{rule.pattern})" == rule.source
        assert rule.regex.flags == re.compile(rule.source, rule.flags).flags
        assert rule.regex is rule.regex  # compiled once
        fold = triggers._folded(rule)
        assert (fold is not None) == (rule.name in triggers._FOLDABLE)
        if fold is not None:
            assert fold[0].pattern == triggers._fold_pattern(rule.source)
            assert not fold[0].flags & re.I
