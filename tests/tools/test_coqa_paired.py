"""`bench.coqa_conversations.paired`: a system against the conversation, turn by turn."""

from __future__ import annotations

import pytest

from bench.coqa_conversations import paired


def test_paired_counts_turns_gained_and_lost_with_the_sign_test(capsys: pytest.CaptureFixture[str]) -> None:
    base = [True, False, False, False, True, True]
    new = [True, True, True, True, False, True]  # 3 gained, 1 lost: p = 2 x (1 + 4) / 16
    paired({"conversation": base, "new": new, "same": list(base)}, "conversation")
    out = capsys.readouterr().out.splitlines()
    assert out == [
        "new against conversation: 3 turns gained, 1 lost (sign test p = 0.625)",
        "same against conversation: 0 turns gained, 0 lost (sign test p = 1)",
    ]
