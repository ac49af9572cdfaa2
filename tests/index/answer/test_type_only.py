"""A follow-up that says only the type it wants ("when?") is answered with that type from the
carried story, although the previous question's carried terms match other sentences better.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from index.answer import Carry
from index.corpus import Corpus
from tests.conftest import corpus_of

BRIDGE = (
    "---\ntitle: Bridge closed to trucks\nauthor: City desk\ndate: 2026-02-01\n---\n"
    "The city council closed the Elm Street bridge to heavy trucks.\n\n"
    "The council closed the bridge after inspectors found cracks in its steel beams.\n\n"
    "Trucks closed out of the bridge must use the ring road, the council said.\n\n"
    "The rule starts on March 3, 2026.\n"
)
ORCHARD = (
    "---\ntitle: Orchard harvest\nauthor: Farm desk\ndate: 2026-02-02\n---\n"
    "The apple harvest in the valley was the largest in a decade.\n\n"
    "Growers said the warm spring helped the trees flower early.\n\n"
    "Pickers came from three nearby towns to work in the orchards.\n\n"
    "The cider press at the mill ran day and night for a week.\n\n"
    "Prices for fresh apples fell as the markets filled with fruit.\n\n"
    "Some growers stored their crop in cold rooms to sell it later.\n\n"
    "A festival in the square celebrated the end of the picking season.\n\n"
    "Children pressed juice and judged the largest apple of the year.\n"
)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    return corpus_of(tmp_path_factory.mktemp("type-only"), {"bridge.md": BRIDGE, "orchard.md": ORCHARD})


def follow_up(corpus: Corpus, carry: Carry, question: str) -> str:
    conv = replace(corpus.conversation(), carry=carry)
    first = conv.ask("Who closed the bridge?")
    assert first.hits[0].passage.doc_id == "bridge"
    answer = conv.ask(question)
    assert not answer.abstained and answer.hits[0].passage.doc_id == "bridge"
    return answer.hits[0].passage.text


def test_when_alone_is_answered_with_a_date_of_the_story(corpus: Corpus) -> None:
    assert "March 3" in follow_up(corpus, Carry(), "When?")


def test_without_the_type_weight_the_carried_terms_win(corpus: Corpus) -> None:
    # the defect: the previous question's terms match the undated sentences fully
    assert "March 3" not in follow_up(corpus, Carry(type_only=0.0), "When?")


def test_a_follow_up_with_words_of_its_own_is_not_weighed_more(corpus: Corpus) -> None:
    conv = corpus.conversation()
    conv.ask("Who closed the bridge?")
    prior = conv.prior(1)
    assert prior.typed == 0.0  # only `ask` sets it, for a question of no own word
    answer = conv.ask("When were the cracks found?")
    assert "cracks" in answer.hits[0].passage.text
