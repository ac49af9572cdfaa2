"""Round 28, a news desk's day (qa28news): what a desk met on the command line, each pinned."""

from __future__ import annotations

import json
import shutil

from tests.conftest import SEED


def test_a_batch_follow_up_names_its_conversation_not_the_chats_new(run, tmp_path):
    """`ask --batch` has no `/new`: a follow-up's note told a script's reader to type a chat command
    that a batch cannot take. It names the conversation the line was read in instead."""
    questions = tmp_path / "q.jsonl"
    lines = [
        {"question": "Why did Alibaba ban Claude Code?", "conversation": "ban"},
        {"question": "when?", "conversation": "ban"},
    ]
    questions.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    code, out, _ = run("ask", "--batch", str(questions), "--k", "1")
    assert code == 0
    assert "/new" not in out
    assert "(read as a follow-up in conversation 'ban', in the story of its previous questions)" in out


def test_the_chats_follow_up_note_still_offers_new(run):
    code, out, _ = run("chat", stdin="Why did Alibaba ban Claude Code?\nwhen?\n")
    assert code == 0
    assert "(read as a follow-up in the story of the previous questions; /new starts a new topic)" in out


def test_index_stats_names_a_copy_that_ingest_added(run, tmp_path):
    """README: "`ingest` and `index stats` say which articles have the same text as another". A
    syndicated copy ingested into an indexed folder was said by `ingest` only: `index stats` and
    `about --json` listed it after a whole `index build`, never after the ingest's commit."""
    code, _, _ = run("index", "stats")  # the seed indexed alone
    copy = tmp_path / "partner-copy.txt"
    shutil.copy(SEED, copy)
    code, out, _ = run("ingest", str(copy))
    assert code == 0 and "added 1 article (partner-copy)" in out
    said = f"partner-copy.txt: article 'partner-copy' has the same text as '{SEED.stem}'"
    code, out, _ = run("index", "stats")
    assert code == 0 and f"warning: {said}" in out
    code, out, _ = run("about", "--json")
    assert any(said in w for w in json.loads(out)["warnings"])
    code, out, _ = run("remove", "partner-copy")
    code, out, _ = run("index", "stats")
    assert code == 0 and "same text" not in out  # the copy's warning goes with it


def test_a_copys_warning_goes_when_its_original_is_removed(run, tmp_path):
    """After `remove` of the original, `index stats` still said the copy "has the same text as" an
    article no longer indexed, until a whole `index build`."""
    run("index", "stats")
    copy = tmp_path / "partner-copy.txt"
    shutil.copy(SEED, copy)
    run("ingest", str(copy))
    code, out, _ = run("remove", SEED.stem)
    assert code == 0
    code, out, _ = run("index", "stats")
    assert code == 0 and "articles: 1" in out and "same text" not in out
