"""Every CLI command, run in-process through `bot.cli.main` as a user would type it."""

import io
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import NoReturn

import pytest

from bot.cli import main, parser
from tests.conftest import ROOT, SEED


def test_ask_prints_the_quote_and_its_citation(run):
    code, out, _ = run("ask", "When does the ban take effect?")
    assert code == 0
    first = out.splitlines()[0]
    assert "The restriction will take effect July 10" in first
    assert "Kashmira Konduparty" in out and "paragraph 1, sentence 2" in out
    assert "2026-07-02 (inferred)" not in out  # a related headline's date is not the article's


def test_ask_json_shape_and_k(run):
    code, out, _ = run("ask", "Claude Code", "--k", "2", "--json")
    data = json.loads(out)
    assert code == 0 and len(data["answers"]) == 2 and data["abstained"] is False
    assert data["answers"][0]["rank"] == 1 and "char_start" in data["answers"][0]


def test_ask_with_context(run):
    code, out, _ = run("ask", "When does the ban take effect?", "--k", "1", "--context", "1")
    assert code == 0 and "context:" in out and "Alibaba, the Chinese tech giant" in out


def test_ask_abstains_plainly(run):
    code, out, _ = run("ask", "What is the capital of France?")
    assert code == 0 and out.startswith("Nothing in the articles answers that.")


@pytest.mark.parametrize("question", ["", "   ", "x" * 10_000, "\x00\x01\x02"])
def test_ask_bad_input_is_a_clear_error(run, question):
    code, out, err = run("ask", question)
    assert code == 2 and err.startswith("error: ") and "Traceback" not in err


@pytest.mark.parametrize("question", ["🙂 ✨", "**ban** `take` effect", "@everyone when?"])
def test_ask_odd_input_still_answers(run, question):
    code, out, _ = run("ask", question, "--json")
    assert code == 0 and "question" in json.loads(out)


def test_ask_batch_jsonl(run, tmp_path):
    questions = tmp_path / "q.txt"
    questions.write_text("When does the ban take effect?\n\nwhat is qoder\n" + "y" * 5000 + "\n")
    code, out, _ = run("ask", "--batch", str(questions), "--json")
    lines = [json.loads(row) for row in out.splitlines()]
    assert [row["question"][:10] for row in lines] == ["When does ", "what is qo", "y" * 10]
    assert "July 10" in lines[0]["answers"][0]["text"]
    assert "error" in lines[2] and code == 2


def test_ask_without_a_question_is_usage_error(run):
    code, _, err = run("ask")
    assert code == 2 and "QUESTION" in err


def test_usage_errors_are_one_line(capsys):
    """argparse's own errors (unknown option, command or choice) print one line, as the README says."""
    for args in (["ask", "--bogus", "x"], ["nope"], ["timeline", "--order", "sideways"], []):
        with pytest.raises(SystemExit) as exit_:
            main(args)
        err = capsys.readouterr().err
        assert exit_.value.code == 2 and err.count("\n") == 1 and err.startswith("error: ")
        assert "usage:" not in err and "--help" in err


def test_global_options_after_the_command(seeds_dir, index_dir, tmp_path, monkeypatch, capsys):
    """`--seeds`/`--index-dir`/`-v` work after the command too; before it they are not reset."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("DISCORD_TOKEN", raising=False)
    code = main(["about", "--json", "--seeds", str(seeds_dir), "--index-dir", str(index_dir)])
    assert code == 0 and json.loads(capsys.readouterr().out)["articles"] == 1
    assert (index_dir / "CURRENT").exists()
    args = parser().parse_args(["-v", "--seeds", "S", "about"])
    assert args.verbose and args.seeds == Path("S") and args.index_dir is None


def test_chat_answers_until_quit(run):
    code, out, _ = run("chat", stdin="what is qoder\n\nquit\nnever asked\n")
    assert code == 0 and "Qoder, Alibaba’s in-house AI coding platform" in out
    assert "never asked" not in out


def test_index_build_and_stats(run):
    code, out, _ = run("index", "build")
    assert code == 0 and "sentences: 16" in out
    code, out, _ = run("index", "stats", "--json")
    assert json.loads(out)["articles"] == 1


def test_ingest_adds_articles_and_reports_bad_ones(run, tmp_path, seeds_dir):
    good = tmp_path / "extra.md"
    good.write_text("---\ntitle: Extra\ndate: 2026-07-08\n---\nQoder added a chess engine.\n")
    bad = tmp_path / "empty.txt"
    bad.write_text("")
    code, out, err = run("ingest", str(good), str(bad), str(tmp_path / "missing.txt"))
    assert code == 2 and "added" in out and "2 articles" in out
    assert "empty.txt" in err and "missing.txt" in err
    assert (seeds_dir / "extra.md").exists()
    code, out, _ = run("ask", "chess engine", "--json")
    assert json.loads(out)["answers"][0]["title"] == "Extra"


def test_ingest_and_remove_print_the_size_without_assembling_the_layers(
    run: Callable[..., tuple[int, str, str]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from index.search import layers

    code, out, _ = run("about")  # builds the index (its layers saved whole)
    assert code == 0

    def whole(*args: object, **kwargs: object) -> NoReturn:
        raise AssertionError("the chain's layers were assembled to print the index's size")

    monkeypatch.setattr(layers, "assemble_chain", whole)
    monkeypatch.setattr(layers, "assemble_objects", whole)
    extra = tmp_path / "extra.md"
    extra.write_text("---\ntitle: Extra\ndate: 2026-07-08\n---\nQoder added a chess engine.\n")
    code, out, _ = run("ingest", str(extra))
    assert code == 0 and "index: 2 articles," in out
    code, out, _ = run("remove", "extra")
    assert code == 0 and "index: 1 article," in out


def test_serve_without_token_says_what_to_do(run):
    code, _, err = run("serve")
    assert code == 2 and "DISCORD_TOKEN" in err


def test_run_without_token_starts_the_chat(run):
    code, out, _ = run("run", stdin="qoder\n")
    assert code == 0 and "local chat" in out and "Qoder" in out


def test_module_entry_point_and_help():
    result = subprocess.run([sys.executable, "-m", "bot", "--help"], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0
    for command in ("ask", "chat", "index", "ingest", "serve", "run"):
        assert command in result.stdout


def test_timeline_in_order_with_every_date_resolved(run):
    code, out, _ = run("timeline", "--json")
    events = json.loads(out)["events"]
    assert code == 0
    assert [e["when"] for e in events] == [
        "week of 29 June - 5 July 2026; March 2026",  # one sentence, both its dates, at the earliest
        "April-June 2026",
        "June 2026",
        "25 June 2026",
        "2 July 2026",
        "10 July 2026",
    ]
    assert [[d["value"] for d in e["dates"]] for e in events][0] == ["2026-W27", "2026-03"]
    assert all(e["uncertain"] and e["anchor"] == "2026-07-02" for e in events)
    assert [e["related"] for e in events].count(True) == 2
    assert events[-1]["text"].startswith("The restriction will take effect July 10")
    assert all(e["title"] and "date" in e and "url" in e for e in events)
    code, out, _ = run("timeline")
    assert "dates read from an inferred publication date" in out
    assert "\n10 July 2026 (" in out and "2026-W27" not in out and "2026-07-10" not in out  # no raw codes


def test_timeline_filters_and_order(run):
    code, out, _ = run("timeline", "--entity", "Qwen", "--json")
    assert [e["when"] for e in json.loads(out)["events"]] == ["June 2026"]
    code, out, _ = run("timeline", "--from", "2026-07-01", "--to", "2026-07-05", "--json")
    assert [e["when"] for e in json.loads(out)["events"]][1:] == ["2 July 2026"]
    for date_from, date_to, count in (("2026-07", "2026-07", 3), ("2026", "2026", 6), ("2026-07-03", None, 2)):
        args = ["--from", date_from] + (["--to", date_to] if date_to else [])
        code, out, err = run("timeline", *args, "--json")
        assert code == 0 and len(json.loads(out)["events"]) == count, (args, err)
    code, out, _ = run("timeline", "--order", "newest", "--json")
    assert [e["when"] for e in json.loads(out)["events"]][:2] == ["10 July 2026", "2 July 2026"]
    for bad in ("July", "2026-13", "2026-02-30"):
        code, _, err = run("timeline", "--from", bad)
        assert code == 2 and "--from" in err
    code, _, err = run("timeline", "--from", "2026-08", "--to", "2026-07")
    assert code == 2 and "after" in err


GM_ARTICLE = """---
title: General Motors to cut jobs
date: 2009-03-05
url: https://example.org/gm-jobs
---
General Motors said on Tuesday that it would cut 10,000 jobs by the end of 2009.

The carmaker, known as GM, lost money in every quarter of 2008.

Shares of GM fell 5% on Wednesday morning.
"""


def test_timeline_entity_resolves_aliases_and_cites_the_article(run, seeds_dir):
    (seeds_dir / "gm.md").write_text(GM_ARTICLE, encoding="utf-8")
    code, out, _ = run("timeline", "--entity", "GM", "--json")
    data = json.loads(out)
    assert code == 0 and data["entity"] == "General Motors"
    texts = [e["text"] for e in data["events"]]
    assert texts[1].startswith("General Motors said on Tuesday")  # the alias found the full name
    assert len(texts) == 3
    assert all(e["url"] == "https://example.org/gm-jobs" and e["date"] == "2009-03-05" for e in data["events"])
    assert not any(e["uncertain"] for e in data["events"])
    code, out, _ = run("timeline", "--entity", "gm")
    assert "4 March 2009, morning" in out and "General Motors to cut jobs" in out and "https://example.org" in out
    assert "inferred" not in out


def test_entities_and_entity(run):
    code, out, _ = run("entities", "--json")
    names = {e["name"]: e["type"] for e in json.loads(out)["entities"]}
    assert names["Alibaba"] == "ORG" and names["Claude Code"] == "PRODUCT"
    assert "Kashmira Konduparty" not in names  # the byline author is metadata, not a mention
    assert "READ" not in names and "AI" not in names
    code, out, _ = run("entities", "--type", "product")
    assert "Qoder [PRODUCT]" in out and "Alibaba" not in out
    code, out, _ = run("entity", "anthropic’s")
    assert code == 0 and out.startswith("Anthropic [ORG]") and "Often in the same sentences" in out
    code, _, err = run("entity", "Nobody Atall")
    assert code == 2 and "no entity" in err.lower()
    code, out, _ = run("entity", "Alibaba", "--limit", "100")  # 9 mentions in 8 sentences: each quoted once
    quoted = [line for line in out.splitlines() if line.startswith("   \u201c")]
    assert code == 0 and len(quoted) == len(set(quoted)) == 8
    code, out, _ = run("entity", "Alibaba", "--limit", "2")
    assert [line for line in out.splitlines() if line.startswith("   \u201c")] == quoted[:2]


def test_source_and_about(run):
    code, out, _ = run("source", "000_e228878e0c08bf80", "--sentence", "2")
    assert code == 0 and "author: Kashmira Konduparty" in out
    assert "> [1.2] The restriction will take effect July 10" in out
    code, _, err = run("source", "missing-doc")
    assert code == 2 and "no article" in err.lower()
    code, out, _ = run("about")
    assert code == 0 and out.startswith("1 article, 16 sentences")


def test_readme_example_is_what_the_cli_prints(run):
    """The README's `ask` example is the real output over the bundled seed article."""
    import re
    import shlex

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```\n\$ \.venv/bin/python -m bot (ask [^\n]+)\n(.*?)```", readme, re.S)
    assert block, "the README lost its ask example"
    code, out, _ = run(*shlex.split(block.group(1)))
    assert code == 0 and out == block.group(2)


# ---------------------------------------------------------------------- one set of rules, exit codes


@pytest.mark.parametrize("k", ["0", "-1", "11", "100"])
def test_ask_count_out_of_range_is_refused_with_the_rules_message(run, k):
    from bot.rules import RuleError, check_count

    code, out, err = run("ask", "When does the ban take effect?", "--k", k)
    with pytest.raises(RuleError) as expected:
        check_count(int(k))
    assert code == 2 and not out and err == f"error: {expected.value.message}\n"


@pytest.mark.parametrize("k", ["1", "10"])
def test_ask_count_within_range_gives_that_many(run, k):
    code, out, _ = run("ask", "Alibaba Claude Code", "--k", k, "--json")
    assert code == 0 and len(json.loads(out)["answers"]) == min(int(k), 16)


@pytest.mark.parametrize("question", ["hi", "why " * 100])
def test_ask_question_length_is_the_rules_limit(run, question):
    from bot.rules import MAX_QUESTION, MIN_QUESTION

    code, _, err = run("ask", question)
    assert code == 2 and (f"at least {MIN_QUESTION}" in err or f"{MAX_QUESTION} or fewer" in err)


def test_ask_with_a_question_and_batch_is_refused_as_ambiguous(run, tmp_path):
    questions = tmp_path / "q.txt"
    questions.write_text("what is qoder\n")
    code, out, err = run("ask", "x", "--batch", str(questions))
    assert code == 2 and not out and "both" in err and "one or the other" in err


def test_ingest_a_folder_says_it_is_a_folder(run, tmp_path):
    folder = tmp_path / "bad"
    folder.mkdir()
    code, _, err = run("ingest", str(folder))
    assert code == 2 and "is a folder" in err and "no such file" not in err


def test_ingest_of_one_file_given_twice_reads_it_once(run, tmp_path, seeds_dir):
    article = tmp_path / "ferry.md"
    article.write_text("---\ntitle: Ferry\n---\nThe night ferry to Skye resumed on Monday.\n", encoding="utf-8")
    code, out, err = run("ingest", str(article), str(tmp_path / "." / "ferry.md"))
    assert code == 0 and "added 1 article" in out
    assert "given twice, read once" in err and "refused" not in err


def test_ingest_accepts_a_file_name_in_any_script(run, tmp_path, seeds_dir):
    article = tmp_path / "新闻.md"
    article.write_text("---\ntitle: 新闻\n---\nQoder added a chess engine.\n", encoding="utf-8")
    code, out, err = run("ingest", str(article))
    assert code == 0 and (seeds_dir / "新闻.md").exists() and "no usable" not in err


@pytest.mark.parametrize(
    ("date_from", "date_to", "values"),
    [
        ("2026-07", None, [["2026-W27", "2026-03"], ["2026-07-02"], ["2026-07-10"]]),
        ("2026", "2026-06", [["2026-W27", "2026-03"], ["2026-04/2026-06"], ["2026-06"], ["2026-06-25"]]),
        ("2026-07-03", "2026-07-10", [["2026-W27", "2026-03"], ["2026-07-10"]]),
    ],
)
def test_timeline_accepts_the_three_date_forms(run, date_from, date_to, values):
    args = ["timeline", "--from", date_from, "--json"] + (["--to", date_to] if date_to else [])
    code, out, _ = run(*args)
    assert code == 0 and [[d["value"] for d in e["dates"]] for e in json.loads(out)["events"]] == values


def test_timeline_bad_dates_exit_2_with_the_rules_message(run):
    code, _, err = run("timeline", "--from", "2026-13")
    assert code == 2 and err.startswith("error: --from: '2026-13' is not a real date")
    code, _, err = run("timeline", "--from", "2026-08", "--to", "2026-07")
    assert code == 2 and "is after the end date" in err


def test_a_bad_setting_is_one_line_naming_it(run, monkeypatch):
    monkeypatch.setenv("ANSWER_COUNT", "abc")
    code, out, err = run("ask", "what is qoder")
    assert code == 2 and not out
    assert err == "error: the setting ANSWER_COUNT is 'abc'; it should be a whole number (see .env.example)\n"


def test_a_bad_discord_setting_does_not_break_commands_that_do_not_use_it(run, monkeypatch):
    monkeypatch.setenv("COOLDOWN_RATE", "abc")
    code, out, err = run("about")
    assert code == 0 and "16 sentences" in out and not err
    monkeypatch.setenv("DISCORD_TOKEN", "not-a-token")
    code, _, err = run("serve")
    assert code == 2 and err.count("\n") == 1 and "COOLDOWN_RATE" in err and "whole number" in err


def test_ask_shows_the_order_and_a_match_word_never_a_raw_score(run):
    code, out, _ = run("ask", "When does the ban take effect?")
    assert code == 0 and "score" not in out and "(strong match)" in out
    assert "Untitled (“Alibaba, the Chinese tech giant, has…”)" in out  # a derived title, cut and marked


def test_make_help_prints_the_documented_targets():
    import shutil

    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    result = subprocess.run(["make", "-s", "help"], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0
    for target in ("run", "test", "help"):
        assert f"make {target}:" in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["ask", "what is qoder", "--context", "9"], "number of context sentences must be from 0 to 5"),
        (["ask", "what is qoder", "--context", "-1"], "number of context sentences must be from 0 to 5"),
        (["entity", "Alibaba", "--limit", "0"], "number of sentences must be from 1 to 1000"),
        (["--seeds", "/nonexistent/articles", "about"], "does not exist"),
        (["--seeds", "/nonexistent/articles", "index", "build"], "does not exist"),
    ],
)
def test_every_count_and_folder_is_checked_with_exit_2(run, args, message):
    code, out, err = run(*args)
    assert code == 2 and not out and message in err and err.count("\n") == 1


HARBOUR = (
    "---\ntitle: Harbour almanac\ndate: 2026-01-05\n---\n"
    "The harbour festival opened on March 3, 2025, with a parade of tall ships.\n"
)


def test_chat_keeps_one_conversation_and_new_resets_it(run, seeds_dir):
    (seeds_dir / "harbour.md").write_text(HARBOUR, encoding="utf-8")
    code, out, _ = run("chat", stdin="why did alibaba ban claude code?\nwhen did it open?\n/new\nwhen did it open?\n")
    assert code == 0
    before, after = out.split("New topic")
    [follow_up] = [chunk for chunk in before.split("\n\n") if "read as a follow-up" in chunk]
    assert "000_e228878e0c08bf80" in follow_up and "harbour" not in follow_up
    assert "harbour" in after and "read as a follow-up" not in after


def test_ask_batch_jsonl_conversations_beside_plain_lines(run, seeds_dir, tmp_path):
    (seeds_dir / "harbour.md").write_text(HARBOUR, encoding="utf-8")
    lines = [
        json.dumps({"question": "why did alibaba ban claude code?", "conversation": "a"}),
        "when did it open?",
        json.dumps({"question": "when did it open?", "conversation": "a"}),
        json.dumps({"question": "when did it open?", "conversation": "b"}),
    ]
    questions = tmp_path / "q.jsonl"
    questions.write_text("\n".join(lines) + "\n")
    code, out, _ = run("ask", "--batch", str(questions), "--json")
    results = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and len(results) == 4
    docs = [r["answers"][0]["doc_id"] for r in results]
    assert docs[1] == "harbour" and docs[3] == "harbour"  # plain line, and a new conversation
    assert docs[2] == "000_e228878e0c08bf80" and results[2]["story"] == "000_e228878e0c08bf80"
    assert [r.get("conversation") for r in results] == ["a", None, "a", "b"]


# ---------------------------------------------------------------------- round 16, a user's sweep
def test_source_sentence_is_checked_before_anything_is_printed_and_kept_in_json(run):
    code, out, err = run("source", "000_e228878e0c08bf80", "--sentence", "99")
    assert code == 2 and out == "" and "sentences 1 to 16" in err  # no half answer before the error
    code, out, err = run("source", "000_e228878e0c08bf80", "--sentence", "0", "--json")
    assert code == 2 and out == "" and "sentences 1 to 16" in err  # --json does not skip the check
    code, out, _ = run("source", "000_e228878e0c08bf80", "--sentence", "2", "--json")
    data = json.loads(out)
    assert code == 0 and len(data["sentences"]) == 16  # the article's details as before
    focus = [s for s in data["context"] if s["focus"]]
    assert [s["sentence"] for s in focus] == [2] and focus[0]["text"].startswith("The restriction will take effect")
    assert [s["sentence"] for s in data["context"]] == [1, 2, 3, 4]  # two neighbours each side, as in text


@pytest.mark.parametrize("kind", ["planets", "PER", "orgs", "x"])  # qa24: the labels (people, organisation) are types
def test_entities_of_an_unknown_type_is_refused_naming_the_types(run, kind):
    code, out, err = run("entities", "--type", kind)
    assert code == 2 and out == "" and err.startswith("error: ") and "product" in err.lower()


@pytest.mark.parametrize("kind", ["product", "PRODUCT", "Org", "person", "gpe"])
def test_entities_of_a_known_type_in_any_case(run, kind):
    code, out, _ = run("entities", "--type", kind, "--json")
    assert code == 0 and all(e["type"] == kind.upper() for e in json.loads(out)["entities"])


@pytest.mark.parametrize(
    "line",
    [
        '{"question": 5, "conversation": "a"}',
        '{"qestion": "when did it open?", "conversation": "a"}',
        '{"question": "when did it open?", "conversation": "a"',
        '{"question": "when did it open?", "conversation": ["a"]}',
        '{"question": "when did it open?", "conversation": true}',  # round 22 (qa22): was conversation "True"
    ],
)
def test_ask_batch_a_broken_json_line_is_an_error_not_a_question(run, tmp_path, line):
    questions = tmp_path / "q.jsonl"
    questions.write_text(json.dumps({"question": "what is qoder", "conversation": "a"}) + "\n" + line + "\n")
    code, out, _ = run("ask", "--batch", str(questions), "--json")
    first, second = (json.loads(row) for row in out.splitlines())
    assert code == 2 and "answers" in first and "answers" not in second
    assert "line 2" in second["error"] and "question" in second["error"]


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16"])
def test_ask_batch_of_a_file_saved_with_a_byte_order_mark_reads_its_questions(run, tmp_path, encoding):
    """Notepad saves UTF-8 with a byte order mark, PowerShell's `>` writes UTF-16: the first JSON
    line was asked as its literal text (its conversation lost, so "when?" had no story), and a
    UTF-16 file was asked as mojibake, line by line, down to a question of one NUL."""
    questions = tmp_path / "q.jsonl"
    lines = [json.dumps({"question": "who banned claude code?", "conversation": "a"}), "when does the ban take effect?"]
    questions.write_bytes(("\r\n".join(lines) + "\r\n").encode(encoding))  # each with its byte order mark
    code, out, err = run("ask", "--batch", str(questions), "--json")
    rows = [json.loads(row) for row in out.splitlines()]
    assert code == 0 and len(rows) == 2, (out, err)
    assert rows[0]["question"] == "who banned claude code?" and rows[0]["conversation"] == "a"
    assert rows[1]["question"] == "when does the ban take effect?" and not rows[1]["abstained"]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16-le", "utf-16-be"])
def test_ask_batch_from_stdin_with_a_byte_order_mark_reads_its_questions(run, monkeypatch, encoding):
    """`--batch -` reads standard input as `--batch FILE` reads a file (the README: "UTF-8, or
    UTF-16 with its byte order mark"): `type q.txt | python -m bot ask --batch -` of a UTF-16 file
    asked "w h o   b a n n e d …" (each NUL read as a character), every line abstained."""
    lines = [json.dumps({"question": "who banned claude code?", "conversation": "a"}), "when does the ban take effect?"]
    data = ("\ufeff" + "\r\n".join(lines) + "\r\n").encode(encoding)
    stdin = io.TextIOWrapper(io.BufferedReader(io.BytesIO(data)), encoding="utf-8", errors="surrogateescape")
    monkeypatch.setattr(sys, "stdin", stdin)  # as Python opens a pipe: text over a buffered byte reader
    code, out, err = run("ask", "--batch", "-", "--json")
    rows = [json.loads(row) for row in out.splitlines()]
    assert code == 0 and len(rows) == 2, (out, err)
    assert rows[0]["question"] == "who banned claude code?" and rows[0]["conversation"] == "a"
    assert rows[1]["question"] == "when does the ban take effect?" and not rows[1]["abstained"]


def test_a_refused_file_is_named_once(run, tmp_path):
    """Every refusal of `ingest` named the file twice: "empty.md: refused, empty.md: skipped, no
    text", "blob.md: refused, blob.md: skipped, looks like a binary file (NUL bytes)" (the reason
    of a file's check names it already); a reason that does not name it keeps "refused"."""
    (tmp_path / "empty.md").write_text("")
    (tmp_path / "blob.md").write_bytes(b"PK\x03\x04\x00\x00zip")
    (tmp_path / "bad.jsonl").write_text("not json\n")
    code, out, err = run("ingest", str(tmp_path / "empty.md"), str(tmp_path / "blob.md"), str(tmp_path / "bad.jsonl"))
    lines = err.splitlines()
    assert code == 2 and "empty.md: skipped, no text" in lines, err
    assert "blob.md: skipped, looks like a binary file (NUL bytes)" in lines, err
    assert any(line.startswith("bad.jsonl:1: skipped, not valid JSON") for line in lines), err
    assert all(line.count(name) <= 1 for line in lines for name in ("empty.md", "blob.md", "bad.jsonl")), err


def test_follow_every_zero_is_refused_not_read_as_the_default(run, seeds_dir):
    code, out, err = run("follow", "https://news.example.com/rss.xml", "--every", "0")
    assert code == 2 and "5 to 10,080" in err and out == ""
    assert not (seeds_dir / ".feeds.json").exists() or "news.example.com" not in (seeds_dir / ".feeds.json").read_text()


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/feed",
        "http://localhost:8080/rss",
        "http://[::1]/rss",
        "http://10.0.0.5/rss",
        # other spellings of an IPv4 address that resolvers accept (round 19: followed, every poll refused)
        "http://2130706433/rss",
        "http://0x7f000001/rss",
        "http://127.1/rss",
        "http://0177.0.0.1/rss",
    ],
)
def test_follow_refuses_a_private_address_at_once(run, seeds_dir, monkeypatch, url):
    """Without FEEDS_ALLOW_PRIVATE a feed on a private or loopback address written in the URL is
    refused when followed (it was accepted, then every poll failed); with it, followed."""
    code, out, err = run("follow", url)
    assert code == 2 and out == "" and err.count("\n") == 1
    assert "private or loopback" in err or "reserved" in err
    assert run("feeds")[1].startswith("no feed is followed")
    monkeypatch.setenv("FEEDS_ALLOW_PRIVATE", "true")
    assert run("follow", url)[0] == 0


@pytest.mark.parametrize(
    ("url", "why"),
    [
        ("https://exa mple.org/feed", "host name holds a space"),
        ("https://example.org:99999/feed", "port"),
        ("https://example.org:http/feed", "port"),
    ],
)
def test_follow_refuses_an_address_that_cannot_be_dialled(run, url, why):
    """A space in the host or a port out of range was followed, then every poll failed ("cannot
    resolve exa mple.org", "Port out of range 0-65535")."""
    code, out, err = run("follow", url)
    assert code == 2 and out == "" and why in err and err.count("\n") == 1, err
    assert run("feeds")[1].startswith("no feed is followed")


def test_following_a_followed_feed_again_keeps_its_interval_unless_given(run):
    feed = "https://news.example.com/rss.xml"
    assert run("follow", feed, "--every", "60")[0] == 0
    code, out, _ = run("follow", feed)  # "am I following it?": not a change of its interval
    assert code == 0 and "already following" in out and "every 60 min" in out
    assert "every 60 min" in run("feeds")[1]
    code, out, _ = run("follow", feed, "--every", "30")
    assert code == 0 and "every 30 min" in out and "every 30 min" in run("feeds")[1]


def test_a_feed_written_with_another_case_or_a_fragment_is_the_feed_followed(run):
    """Round 22 (qa22; left since round 20): `follow https://NEWS.example.com/rss.xml` (or the same
    address with `#top`, or `HTTPS://`) after `https://news.example.com/rss.xml` was a second followed
    feed polling the same address, each of its stories read twice. Host names and schemes have no
    case and a fragment is never sent: one feed, found again however it is written."""
    feed = "https://news.example.com/rss.xml"
    assert run("follow", feed, "--every", "60")[0] == 0
    for same in ("https://NEWS.Example.com/rss.xml", "HTTPS://news.example.com/rss.xml#top"):
        code, out, _ = run("follow", same)
        assert code == 0 and "already following" in out and "every 60 min" in out, out
    assert [f["url"] for f in json.loads(run("feeds", "--json")[1])] == [feed]
    assert run("follow", "https://news.example.com/RSS.xml")[0] == 0  # a path has case: another feed
    code, out, _ = run("unfollow", "https://News.Example.COM/rss.xml#latest")
    assert code == 0 and f"stopped following {feed};" in out
    assert [f["url"] for f in json.loads(run("feeds", "--json")[1])] == ["https://news.example.com/RSS.xml"]


@pytest.mark.parametrize(
    "saved",
    [
        [{"url": "https://news.example.com/rss.xml"}],  # a list, not {"feeds": [...]}
        {"feeds": {"url": "https://news.example.com/rss.xml"}},
        {"feeds": [{"link": "https://news.example.com/rss.xml", "every": 15}]},  # a feed without its url
        {"feeds": [{"url": "https://news.example.com/rss.xml", "every": "15"}]},  # a number written as text
        {"feeds": [{"url": "https://news.example.com/rss.xml", "items": {"g1": {"doc_id": 7, "digest": "x"}}}]},
    ],
)
def test_a_feeds_file_of_the_wrong_shape_is_refused_not_read_as_no_feeds(run, seeds_dir, saved):
    """Round 22 (qa22): `.feeds.json` is written to be read and edited by people. Not valid JSON, it
    was refused ("cannot be read; fix or delete it"); valid JSON of the wrong shape was read as no
    feeds at all ("no feed is followed"), and the next `follow` wrote over it, every feed lost;
    `"every": "15"` was kept as text and every poll failed. Refused the same way, the file kept."""
    path = seeds_dir / ".feeds.json"
    path.write_text(json.dumps(saved), encoding="utf-8")
    for argv in (("feeds",), ("follow", "https://other.example.com/atom.xml")):
        code, out, err = run(*argv)
        assert code == 2 and "cannot be read" in err and "fix or delete it" in err, (argv, out, err)
    assert json.loads(path.read_text(encoding="utf-8")) == saved


def test_a_feeds_file_with_a_key_this_version_does_not_know_still_loads(run, seeds_dir):
    """Round 22 (qa22): a seen item with a key this version does not know (a newer version's file,
    a note added by hand) stopped `feeds` and every poll with a traceback (`SeenItem.__init__() got
    an unexpected keyword argument`); unknown keys are ignored, as they already were for a feed."""
    item = {"doc_id": "feed_0123456789abcdef", "digest": "d", "title": "Pier", "url": None, "note": "checked"}
    saved = {"feeds": [{"url": "https://news.example.com/rss.xml", "every": 30, "items": {"g1": item}}]}
    (seeds_dir / ".feeds.json").write_text(json.dumps(saved), encoding="utf-8")
    code, out, err = run("feeds", "--json")
    assert code == 0, err
    [feed] = json.loads(out)
    assert feed["url"] == "https://news.example.com/rss.xml" and feed["every"] == 30 and feed["items"] == 1


def test_ingest_of_a_pipe_or_a_device_says_what_it_is(run, tmp_path):
    """Round 22 (qa22): `ingest /dev/zero` or a named pipe `news.md` said "skipped, no such file",
    though the file is there (it is skipped: it may never end); it says what it is instead."""
    pipe = tmp_path / "news.md"
    os.mkfifo(pipe)
    for given in (str(pipe), "/dev/zero"):
        code, _, err = run("ingest", given)
        assert code == 2 and f"{given}: skipped, not a regular file" in err and "no such file" not in err, err
    code, _, err = run("ingest", str(tmp_path / "gone.md"))
    assert code == 2 and "gone.md: skipped, no such file" in err


def test_ingest_of_a_headline_with_a_colon_keeps_the_article(run, tmp_path):
    """`title: Breaking: fire at the warehouse`, as desks write headlines, is not valid YAML: the
    article was refused ("front matter is not valid YAML (mapping values are not allowed here)").
    A plain `key: value` line of the front matter is read as text when YAML cannot read it."""
    article = tmp_path / "fire.md"
    article.write_text(
        "---\ntitle: Breaking: fire at the Port Vale warehouse\ndate: 2026-06-01\n"
        "author: Jane Doe\nsource: Vale Herald: Evening\n---\nA fire broke out at the warehouse on Monday.\n",
        encoding="utf-8",
    )
    code, out, err = run("ingest", str(article))
    assert code == 0 and "added 1 article (fire)" in out, err
    code, out, _ = run("source", "fire", "--json")
    shown = json.loads(out)
    assert shown["title"] == "Breaking: fire at the Port Vale warehouse" and shown["date"] == "2026-06-01"
    assert shown["source"] == "Vale Herald: Evening" and shown["author"] == "Jane Doe"
    article.write_text("---\ntitle: [unclosed: list\n---\nText.\n", encoding="utf-8")  # still refused
    code, _, err = run("ingest", str(article), "--replace")
    assert code == 2 and "not valid YAML" in err


def test_removing_every_article_reports_the_empty_index(run):
    """The last article removed: the status line said the old size ("index: 1 article, 16
    sentences"), as an empty index (no rows) counted as no index at all."""
    code, out, _ = run("remove", "000_e228878e0c08bf80")
    assert code == 0 and "removed 1 article (000_e228878e0c08bf80)" in out
    assert "index: 0 articles, 0 sentences" in out, out


def test_an_id_with_an_invisible_or_control_character_is_refused(run, tmp_path, caplog):
    """A record id holding NUL, a line break or a bidi override was kept: the terminal shows it
    without the character (`a\\x00b` as `ab`), so `remove ab` found no article, and NUL cannot
    be typed at all (nor sent from Discord): an article no one could remove."""
    records = [
        {"id": doc_id, "title": "T", "text": f"Text number {n} about the fire."}
        for n, doc_id in enumerate(["a\x00b", "x\ny", "c\u202ed", "zero\u200bwidth", "ok-1"])
    ]
    collection = tmp_path / "odd.jsonl"
    collection.write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
    code, out, err = run("ingest", str(collection))
    assert code == 0 and "added 1 article (ok-1)" in out, (out, err)
    said = err + caplog.text  # the build's warnings are log lines (on stderr outside pytest)
    assert said.count("invisible or control character") == 4, said
    code, out, _ = run("about", "--json")
    assert [a["doc_id"] for a in json.loads(out)["articles_list"]] == ["000_e228878e0c08bf80", "ok-1"]


def test_an_index_folder_inside_the_articles_folder_is_refused(seeds_dir, tmp_path, monkeypatch, capsys):
    """`--index-dir SEEDS/index`: the listing of the articles read the index's own files
    (`layer_inputs.jsonl: skipped, record is not a JSON object`) and every command found the
    articles changed and wrote a new index generation. A hidden folder (`.index`) is skipped by
    the listing and stays allowed."""
    monkeypatch.chdir(tmp_path)
    code = main(["--seeds", str(seeds_dir), "--index-dir", str(seeds_dir / "index"), "about"])
    err = capsys.readouterr().err
    assert code == 2 and "inside the articles folder" in err and len(err.strip().splitlines()) == 1, err
    assert not (seeds_dir / "index").exists()
    code = main(["--seeds", str(seeds_dir), "--index-dir", str(seeds_dir / ".index"), "about"])
    assert code == 0 and "1 article" in capsys.readouterr().out


def test_a_file_given_as_the_index_or_articles_folder_is_named_as_such(seeds_dir, tmp_path, monkeypatch, capsys):
    """`INDEX_DIR` naming a file (or a path through one) failed as "another failure", exit 1,
    with the system's words ("error: File exists (PATH)", "Not a directory"); `--seeds FILE`
    said the folder "does not exist". Both are a setting to correct: one line, exit 2."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("DISCORD_TOKEN", raising=False)
    a_file = tmp_path / "notes.txt"
    a_file.write_text("not a folder", encoding="utf-8")
    for index_dir in (a_file, a_file / "index"):
        code = main(["--seeds", str(seeds_dir), "--index-dir", str(index_dir), "ask", "when does the ban take effect?"])
        err = capsys.readouterr().err
        assert code == 2 and err.strip().splitlines() == [
            f"error: the index folder {index_dir} is not a folder (a file is in its place): set INDEX_DIR "
            "(or --index-dir) to a folder"
        ], err
    code = main(["--seeds", str(a_file), "about"])
    err = capsys.readouterr().err
    assert code == 2 and f"the articles folder {a_file} is a file, not a folder" in err, err


@pytest.mark.parametrize("date", ["2026-02-30", "0000-00-00", "2026-13-01"])
def test_a_front_matter_date_that_is_no_day_skips_nothing_else(run, seeds_dir, tmp_path, date):
    """YAML reads `date: 2026-02-30` as a timestamp and raised ValueError ("day is out of range
    for month"), which no one caught: the build stopped with a traceback and every command (`ask`,
    `about`, `timeline`) failed while the file stayed in the folder. The date is read as the text
    it is (refused with a warning, as `date: yesterday` is) and the article kept."""
    (seeds_dir / "typo.md").write_text(
        f"---\ntitle: Ferry timetable\ndate: {date}\n---\nThe ferry to Elford sails at nine every morning.\n",
        encoding="utf-8",
    )
    code, out, err = run("ask", "When does the ferry to Elford sail?", "--json")
    assert code == 0 and "Traceback" not in err, err
    top = json.loads(out)["answers"][0]
    assert top["doc_id"] == "typo" and top["date"] is None
    code, out, _ = run("about", "--json")
    assert code == 0 and json.loads(out)["articles"] == 2
    assert any("typo.md" in w and date in w for w in json.loads(out)["warnings"]), out


@pytest.mark.parametrize("line", ["date: !!timestamp nope", "title: !!bool maybe"])
def test_a_front_matter_tag_that_fails_its_own_way_skips_only_its_file(run, seeds_dir, line):
    """`!!timestamp nope` raised AttributeError and `!!bool maybe` KeyError out of YAML's
    constructors: the build stopped with a traceback. The file is skipped with a warning."""
    (seeds_dir / "tagged.md").write_text(f"---\n{line}\n---\nThe ferry to Elford sails at nine.\n", encoding="utf-8")
    code, out, err = run("about", "--json")
    assert code == 0 and "Traceback" not in err, err
    about = json.loads(out)
    assert about["articles"] == 1 and any(w.startswith("tagged.md: skipped") for w in about["warnings"]), about


def test_a_headline_that_is_a_date_keeps_the_article(run, tmp_path):
    """`title: 2026-11-20` (a daily briefing's headline) is a date to YAML: the article was refused
    whole, "title is a date, not text". The title is the date as written."""
    briefing = tmp_path / "briefing.md"
    briefing.write_text(
        "---\ntitle: 2026-11-20\ndate: 2026-11-20\n---\nThe ferry to Elford sails at nine.\n", encoding="utf-8"
    )
    code, out, err = run("ingest", str(briefing))
    assert code == 0 and "added 1 article (briefing)" in out, (out, err)
    code, out, _ = run("source", "briefing", "--json")
    assert json.loads(out)["title"] == "2026-11-20"


def test_ingest_of_a_utf16_collection_reads_its_records(run, tmp_path):
    """A .jsonl saved as UTF-16 (Windows PowerShell's `>` writes it) was refused whole as "looks
    like a binary file (NUL bytes)", line by line, while a UTF-16 .md is read with a warning. It
    is stored as UTF-8, so its records can be removed and replaced as any collection's."""
    records = [{"id": f"ps-{n}", "title": "Pier", "text": f"The pier story number {n} from the desk."} for n in (1, 2)]
    collection = tmp_path / "export.jsonl"
    collection.write_bytes("\r\n".join(json.dumps(r, ensure_ascii=False) for r in records).encode("utf-16"))
    code, out, err = run("ingest", str(collection))
    assert code == 0 and "added 2 articles (ps-1, ps-2)" in out, (out, err)
    code, out, _ = run("source", "ps-2", "--json")
    assert json.loads(out)["sentences"] == ["The pier story number 2 from the desk."]
    code, out, err = run("remove", "ps-1")  # the stored collection can be edited: it is UTF-8 now
    assert code == 0 and "removed 1 article (ps-1)" in out, (out, err)
    code, out, _ = run("about", "--json")
    assert [a["doc_id"] for a in json.loads(out)["articles_list"]] == ["000_e228878e0c08bf80", "ps-2"]


def test_an_undated_article_without_an_inferred_date_says_nothing_was_inferred(run, seeds_dir):
    """No date and none to infer (no full date in the text): its absolute dates ("October 2026")
    were shown as "dates read from an inferred publication date", though none was inferred and
    none was read against one. The seed article (a date inferred) still says so."""
    (seeds_dir / "pier.md").write_text(
        "---\ntitle: Pier repairs begin\n---\nRay Singh said the pier work would finish by October 2026.\n",
        encoding="utf-8",
    )
    code, out, _ = run("timeline", "--from", "2026-10", "--to", "2026-10")
    assert code == 0 and "October 2026" in out and "finish by October 2026" in out, out
    assert "inferred publication date" not in out, out
    code, out, _ = run("timeline", "--from", "2026-07-10", "--to", "2026-07-10")
    assert code == 0 and "dates read from an inferred publication date, 2026-07-02" in out, out


def test_a_corrupt_index_is_reported_once(run, index_dir, caplog):
    """A damaged index is rebuilt with one warning: the check before the writer lock and the
    check again under it each logged it, so the same line came twice."""
    assert run("about")[0] == 0
    (index_dir / "CURRENT").write_text("garbage", encoding="utf-8")
    caplog.clear()
    code, out, err = run("ask", "when does the ban take effect?")
    assert code == 0 and "July 10" in out
    said = err + caplog.text
    assert said.count("the saved index is corrupt") >= 1
    warnings = [r for r in caplog.records if r.levelname == "WARNING" and "saved index is corrupt" in r.getMessage()]
    assert len(warnings) == 1, [r.getMessage() for r in warnings]


def test_an_id_twice_in_one_collection_is_named_as_a_repeat_not_as_indexed_elsewhere(run, seeds_dir):
    """A collection in the seeds folder with an id twice warned "skipped article 'w2', an article
    with that id is already indexed": a news desk looked for another article w2 and found none.
    The repeat is named as /ingest names it; an id an earlier file holds still says indexed."""
    records = [{"id": "w1", "text": "The pier reopened."}, {"id": "w2", "text": "The ferry ran."}]
    records.append({"id": "w2", "text": "The ferry ran again."})
    (seeds_dir / "wire.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    (seeds_dir / "zz.md").write_text("---\nid: w1\n---\nAn id the wire holds.\n", encoding="utf-8")
    code, out, _ = run("index", "stats", "--json")
    warnings = json.loads(out)["warnings"]
    assert code == 0
    assert "wire.jsonl: skipped article 'w2' after its first copy, it appears more than once in the file" in warnings
    assert "zz.md: skipped article 'w1', an article with that id is already indexed" in warnings
    assert not any("'w2', an article with that id is already indexed" in w for w in warnings)


def test_an_article_with_decomposed_accents_is_read_as_the_same_text_composed(run, tmp_path):
    """Round 20 (qa20): text from macOS, a PDF or some CMSs writes `é` as `e` and a combining
    accent (NFD). Such an article was searchable but its names came apart at every accent
    (`entities`: "Cafe", "Ju", "Mu"; `entity "Jürgen Müller"` found nothing) and its quotes and
    title held the decomposed form. Its text is now composed (NFC) when it is read."""
    import unicodedata

    text = (
        "---\ntitle: Café Müller reopens\nauthor: Zoë Brontë\ndate: 2026-11-20\n---\n"
        "The Café Müller on Riverside Walk reopened on Friday, said its owner Jürgen Müller.\n"
    )
    article = tmp_path / "cafe.md"
    article.write_text(unicodedata.normalize("NFD", text), encoding="utf-8")
    code, out, err = run("ingest", str(article))
    assert code == 0 and "added 1 article (cafe)" in out, (out, err)
    code, out, _ = run("source", "cafe", "--json")
    details = json.loads(out)
    assert details["title"] == "Café Müller reopens" and details["author"] == "Zoë Brontë"
    assert details["sentences"][0].startswith("The Café Müller on Riverside Walk")
    code, out, _ = run("entities", "--json")
    names = {e["name"] for e in json.loads(out)["entities"]}
    assert "Jürgen Müller" in names and not names & {"Ju", "Mu", "Cafe"}, names
    code, out, _ = run("entity", "Jürgen Müller")
    assert code == 0 and "its owner Jürgen Müller" in out


def test_an_id_spelled_with_a_decomposed_accent_is_found_as_typed(run, tmp_path, seeds_dir):
    """Round 20 (qa20): a Mac writes the file name `café-prices.md` with `e` and a combining
    accent (NFD). `ingest` saved it as `cafe_-prices.md` (the accent taken for punctuation; a
    Hindi `समाचार.md` lost its vowel signs the same way), and the same file put in the seeds
    folder by hand gave an id listed as "café-prices" that `source café-prices` and `remove
    café-prices`, typed on any keyboard (NFC), did not find. `ingest` keeps the name's letters
    and marks, composed; a lookup tries the id's other spelling."""
    import unicodedata

    body = "---\ntitle: {}\ndate: 2026-11-20\n---\nThe price of {} rose again.\n"
    (tmp_path / "in").mkdir()
    for stem, word in (("café-prices", "coffee"), ("समाचार", "tea")):
        path = tmp_path / "in" / f"{unicodedata.normalize('NFD', stem)}.md"
        path.write_text(body.format(word.title(), word), encoding="utf-8")
        code, out, err = run("ingest", str(path))
        assert code == 0 and f"added 1 article ({stem})" in out, (out, err)
    by_hand = unicodedata.normalize("NFD", "crème-prices")
    (seeds_dir / f"{by_hand}.md").write_text(body.format("Cream", "cream"), encoding="utf-8")
    code, out, err = run("source", "crème-prices", "--json")
    assert code == 0 and json.loads(out)["title"] == "Cream", err
    code, out, err = run("remove", "crème-prices", "café-prices", "समाचार")
    assert code == 0 and "removed 3 articles" in out.lower(), (out, err)
    code, out, _ = run("about", "--json")
    assert [a["doc_id"] for a in json.loads(out)["articles_list"]] == ["000_e228878e0c08bf80"]


def test_ingest_replace_of_two_files_holding_one_id_refuses_the_second(run, tmp_path):
    """Round 20 (qa20): `ingest --replace a.md b.md` where both hold the id `same` (two drafts, or
    `desk/x.md` and `wire/x.md`) said "saved a.md", "saved b.md", "replaced 1 article", and a.md
    was gone: the later file silently replaced the earlier one of the same command. Without
    `--replace` the second is refused naming the first; with it, it is refused the same way."""
    (tmp_path / "desk").mkdir()
    (tmp_path / "wire").mkdir()
    first, second = tmp_path / "desk" / "pier.md", tmp_path / "wire" / "pier.md"
    first.write_text("---\ntitle: Pier\n---\nThe pier reopens on Friday, the desk says.\n", encoding="utf-8")
    second.write_text("---\ntitle: Pier\n---\nThe pier stays shut until March, the wire says.\n", encoding="utf-8")
    code, out, err = run("ingest", str(first))
    assert code == 0, (out, err)
    code, out, err = run("ingest", "--replace", str(first), str(second))
    assert code == 2 and "replaced 1 article (pier)" in out, (out, err)
    assert "pier.md: refused" in err and "also holds 'pier'" in err, err
    code, out, _ = run("source", "pier", "--json")
    assert json.loads(out)["sentences"] == ["The pier reopens on Friday, the desk says."]


def test_an_id_written_with_a_decomposed_accent_is_the_same_id_composed(run, tmp_path, seeds_dir):
    """Round 21 (qa21): a front matter `id: café` (or a JSONL `"id"`) typed on a Mac, with `e` and
    a combining accent, was another id than the desk's `café`: `ingest` of the two added two
    articles that look the same ("added 2 articles (café, café)"), `source café` showed only
    one, and a JSONL record's decomposed id could not be replaced. Ids are read composed."""
    import unicodedata

    nfd = unicodedata.normalize("NFD", "café")
    (tmp_path / "desk").mkdir()
    (tmp_path / "mac").mkdir()
    desk, mac = tmp_path / "desk" / "one.md", tmp_path / "mac" / "two.md"
    desk.write_text("---\nid: café\ntitle: Desk\n---\nThe café on the quay closed on Monday.\n", encoding="utf-8")
    mac.write_text(f"---\nid: {nfd}\ntitle: Mac\n---\nThe café on the quay reopened on Tuesday.\n", encoding="utf-8")
    code, out, err = run("ingest", str(desk), str(mac))
    assert code == 2 and "added 1 article (café)" in out, (out, err)
    assert "already used" in err or "also holds" in err, err
    code, out, err = run("ingest", "--replace", str(mac))
    assert code == 0 and "replaced 1 article (café)" in out, (out, err)
    wire = tmp_path / "wire.jsonl"
    wire.write_text(
        json.dumps({"id": f"pier-{nfd}", "title": "Pier", "text": "The pier opened."}) + "\n", encoding="utf-8"
    )
    code, out, err = run("ingest", str(wire))
    assert code == 0 and "added 1 article (pier-café)" in out, (out, err)
    fixed = tmp_path / "fixed.jsonl"
    fixed.write_text(
        json.dumps({"id": "pier-café", "title": "Pier", "text": "The pier closed."}) + "\n", encoding="utf-8"
    )
    code, out, err = run("ingest", "--replace", str(fixed))
    assert code == 0 and "replaced 1 article (pier-café)" in out, (out, err)
    code, out, _ = run("about", "--json")
    ids = sorted(a["doc_id"] for a in json.loads(out)["articles_list"])
    assert ids == ["000_e228878e0c08bf80", "café", "pier-café"], [i.encode() for i in ids]
    code, out, _ = run("source", "pier-café", "--json")
    assert json.loads(out)["sentences"] == ["The pier closed."]


def test_a_name_in_an_article_dated_a_year_or_a_month_is_not_given_its_first_day(run, seeds_dir):
    """Round 21 (qa21): `entity` and `entities` gave a name's period from its articles' dates, and
    an article dated `2026` counted as 1 January ("Olaf Brandt [PERSON]: ... 2026-01-01 to
    2026-11-26"), a day no article gives; citations and `source` say `2026`. The period now
    starts or ends with the year or month as written."""
    body = "---\ntitle: {}\ndate: {}\n---\nHarbour master Olaf Brandt spoke to the Grayport council about the {}.\n"
    for stem, date, what in (
        ("yearly", "2026", "budget"),
        ("monthly", "2026-11", "tides"),
        ("daily", "2026-11-26", "ferry"),
    ):
        (seeds_dir / f"{stem}.md").write_text(body.format(stem.title(), date, what), encoding="utf-8")
    code, out, err = run("entity", "Olaf Brandt", "--json")
    assert code == 0, err
    shown = json.loads(out)
    assert (shown["first_date"], shown["last_date"]) == ("2026", "2026-11-26"), shown
    (seeds_dir / "daily.md").unlink()
    code, out, err = run("entities")
    assert code == 0 and "Olaf Brandt [PERSON]: 2 mentions in 2 articles, 2026 to 2026-11\n" in out, out


def test_a_blank_folder_option_is_refused_not_read_as_the_working_directory(monkeypatch, tmp_path, capsys):
    """Round 21 (qa21): `--seeds "$DIR"` with DIR unset was the working directory, whose `.md`
    files were then indexed (and `remove` deleted them); refused, exit 2."""
    from bot.cli import main

    monkeypatch.chdir(tmp_path)
    (tmp_path / "notes.md").write_text("My own notes, not an article.\n", encoding="utf-8")
    for option in ("--seeds", "--index-dir"):
        with pytest.raises(SystemExit) as stopped:
            main([option, "", "about"])
        assert stopped.value.code == 2
        assert "is empty" in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.md"]


def test_index_stats_forgets_the_warnings_of_a_file_removed_or_read_again(run, tmp_path):
    """Round 21 (qa21): `index stats` (and `about --json`) listed every warning of every commit
    since the last whole build: after the desk fixed a broken JSONL line with `--replace`, or
    removed the file's articles, "desk.jsonl:2: skipped, not valid JSON" was still listed as an
    ingest warning of the index. A file read again or gone takes its old warnings with it."""
    desk = tmp_path / "desk.jsonl"
    good = json.dumps({"id": "pier", "title": "Pier", "text": "The pier opened on Monday."})
    desk.write_text(good + "\n{not json\n", encoding="utf-8")
    code, out, err = run("ingest", str(desk))
    assert code == 0, (out, err)
    code, out, _ = run("index", "stats")
    assert "desk.jsonl:2: skipped, not valid JSON" in out, out
    desk.write_text(good.replace("Monday", "Tuesday") + "\n", encoding="utf-8")
    code, out, err = run("ingest", "--replace", str(desk))
    assert code == 0 and "replaced 1 article (pier)" in out, (out, err)
    code, out, _ = run("index", "stats")
    assert "desk.jsonl:2" not in out, out
    odd = tmp_path / "odd-date.md"
    odd.write_text("---\ntitle: Odd\ndate: 2026-02-30\n---\nThe ferry sailed late.\n", encoding="utf-8")
    code, out, err = run("ingest", str(odd))
    code, out, _ = run("index", "stats", "--json")
    assert any(w.startswith("odd-date.md:") for w in json.loads(out)["warnings"]), out
    code, out, err = run("remove", "odd-date")
    assert code == 0, (out, err)
    code, out, _ = run("index", "stats", "--json")
    assert not [w for w in json.loads(out)["warnings"] if "odd-date" in w], out


def test_a_front_matter_id_is_the_text_written_not_what_yaml_makes_of_it(run, tmp_path):
    """Round 21 (qa21): YAML reads a plain `id: 007` as the number 7, `0x1F` as 31, `12:30` as 750
    (base 60) and refuses `id: 2026-11-20` or `id: yes` ("front matter's id is not text"): the
    desk's `source 007` and `remove 007` found nothing. An id is the text as written."""
    written = ["007", "0x1F", "12:30", "2026-11-20", "yes", "1_000"]
    for n, value in enumerate(written):
        path = tmp_path / f"file{n}.md"
        path.write_text(
            f"---\nid: {value}\ntitle: Ferry {n}\n---\nFerry number {n} sailed at dawn.\n", encoding="utf-8"
        )
        code, out, err = run("ingest", str(path))
        assert code == 0 and f"added 1 article ({value})" in out, (value, out, err)
    code, out, _ = run("about", "--json")
    assert sorted(a["doc_id"] for a in json.loads(out)["articles_list"])[1:] == sorted(written)
    code, out, err = run("remove", "007", "12:30")
    assert code == 0 and "removed 2 articles" in out, (out, err)


def test_a_headline_or_byline_is_the_text_written_not_what_yaml_makes_of_it(run, tmp_path):
    """Round 21 (qa21): as for ids, YAML read `title: 12:30` as 750 and `title: 0x1F` as 31, and
    `title: Yes` (a one-word headline) as true, refusing the whole article ("title is a bool,
    not text"). A title, author or source is the text as written (a link of `true` is still refused)."""
    for n, title in enumerate(["12:30", "0x1F", "Yes", "007"]):
        path = tmp_path / f"head{n}.md"
        path.write_text(
            f"---\ntitle: {title}\nauthor: 1_000\n---\nHeadline number {n} ran at dawn.\n", encoding="utf-8"
        )
        code, out, err = run("ingest", str(path))
        assert code == 0, (title, out, err)
        code, out, _ = run("source", f"head{n}", "--json")
        shown = json.loads(out)
        assert (shown["title"], shown["author"]) == (title, "1_000"), shown


@pytest.mark.parametrize(
    "argv",
    [
        ("remove", ""),
        ("remove", "  "),
        ("source", ""),
        ("entity", " "),
        ("entity", "\u200b"),
        ("timeline", "--entity", ""),
        ("entities", "--type", ""),
        ("ingest", ""),
        ("ask", "--batch", ""),
        ("follow", " "),
        ("unfollow", ""),
    ],
)
def test_a_blank_argument_is_refused_not_read_as_nothing_or_everything(monkeypatch, tmp_path, capsys, argv):
    """Round 22 (qa22): a blank argument (`remove "$ID"` with ID unset, a pasted zero-width space)
    was read as a value: `timeline --entity ""` and `entities --type ""` printed everything, as if
    no filter were given; `remove ""` printed the index's size and ": no article has this id";
    `entity ""` suggested five unrelated names; `ingest ""` read the working directory (as a path
    it is `.`). Refused like a blank `--seeds` (round 21): one line, exit 2, nothing read."""
    seeds = tmp_path / "seeds"
    shutil.copytree(SEED.parent, seeds)
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("DISCORD_TOKEN", raising=False)
    with pytest.raises(SystemExit) as stopped:
        main(["--seeds", str(seeds), "--index-dir", str(tmp_path / "index"), *argv])
    out, err = capsys.readouterr()
    assert stopped.value.code == 2 and out == ""
    assert "is empty" in err and len(err.strip().splitlines()) == 1, err
    assert not (tmp_path / "index").exists()  # refused before anything was read
