"""The fake Discord refuses what Discord refuses: a message or autocomplete answer over its limits.

Without this the end-to-end tests passed bodies Discord answers with 400 "Invalid Form Body"
(a 2,534-character `/follow` reply was one), and the user got the apology instead.
"""

from __future__ import annotations

from tests.fake_discord import choice_problems, limit_problems


def test_a_message_within_the_limits_is_taken():
    embed = {"title": "t" * 256, "description": "d" * 4096, "fields": [{"name": "n", "value": "v" * 1024}] * 1}
    assert limit_problems({"content": "c" * 2000, "embeds": [embed]}) == []
    assert choice_problems({"choices": [{"name": "n" * 100, "value": "v" * 100}] * 25}) == []


def test_a_message_over_the_limits_is_refused():
    assert limit_problems({"content": "c" * 2001}) == ["content: 2001 characters > 2000"]
    assert limit_problems({"embeds": [{"description": "d" * 4097}]})
    assert limit_problems({"embeds": [{"title": "t" * 257}]})
    assert limit_problems({"embeds": [{"fields": [{"name": "n", "value": ""}]}]})  # a field needs a value
    assert limit_problems({"embeds": [{"fields": [{"name": "n", "value": "v"}] * 26}]})
    assert limit_problems({"embeds": [{"description": "d" * 4000}, {"description": "d" * 2001}]})  # 6,000 in all
    assert limit_problems({"components": [{"components": [{"custom_id": "x" * 101}]}]})


def test_an_autocomplete_answer_over_the_limits_is_refused():
    assert choice_problems({"choices": [{"name": "n", "value": "v"}] * 26})
    assert choice_problems({"choices": [{"name": "n" * 101, "value": "v"}]})
    assert choice_problems({"choices": [{"name": "", "value": "v"}]})
    assert choice_problems({"choices": [{"name": "n", "value": "v" * 101}]})
