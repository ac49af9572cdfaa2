"""Every CLI command, run in-process through `bot.cli.main` as a user would type it."""

import json
import subprocess
import sys

import pytest

from bot.cli import main

from .conftest import ROOT


@pytest.fixture
def run(seeds_dir, index_dir, monkeypatch, tmp_path, capsys):
    """Run `python -m bot --seeds S --index-dir I ARGS...`; returns (code, stdout, stderr)."""
    monkeypatch.chdir(tmp_path)  # no developer .env leaks in
    monkeypatch.delenv("DISCORD_TOKEN", raising=False)

    def _run(*args, stdin: str | None = None):
        if stdin is not None:
            monkeypatch.setattr(sys, "stdin", __import__("io").StringIO(stdin))
        code = main(["--seeds", str(seeds_dir), "--index-dir", str(index_dir), *args])
        out = capsys.readouterr()
        return code, out.out, out.err

    return _run


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
    lines = [json.loads(line) for line in out.splitlines()]
    assert [rec["question"][:10] for rec in lines] == ["When does ", "what is qo", "y" * 10]
    assert "July 10" in lines[0]["answers"][0]["text"]
    assert "error" in lines[2] and code == 2


def test_ask_without_a_question_is_usage_error(run):
    code, _, err = run("ask")
    assert code == 2 and "QUESTION" in err


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
    assert code == 1 and "added" in out and "2 articles" in out
    assert "empty.txt" in err and "missing.txt" in err
    assert (seeds_dir / "extra.md").exists()
    code, out, _ = run("ask", "chess engine", "--json")
    assert json.loads(out)["answers"][0]["title"] == "Extra"


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
    assert [e["value"] for e in events] == [
        "2026-03",
        "2026-04/2026-06",
        "2026-06",
        "2026-06-25",
        "2026-W27",
        "2026-07-02",
        "2026-07-10",
    ]
    assert all(e["uncertain"] for e in events)
    assert [e["related"] for e in events].count(True) == 2
    assert events[-1]["text"].startswith("The restriction will take effect July 10")
    code, out, _ = run("timeline")
    assert "date uncertain: article date inferred" in out


def test_timeline_filters(run):
    code, out, _ = run("timeline", "--entity", "Qwen", "--json")
    assert [e["value"] for e in json.loads(out)["events"]] == ["2026-06"]
    code, out, _ = run("timeline", "--from", "2026-07-01", "--to", "2026-07-05", "--json")
    assert [e["value"] for e in json.loads(out)["events"]] == ["2026-W27", "2026-07-02"]
    code, _, err = run("timeline", "--from", "July")
    assert code == 2 and "--from" in err


def test_entities_and_entity(run):
    code, out, _ = run("entities", "--json")
    names = {e["name"]: e["type"] for e in json.loads(out)["entities"]}
    assert names["Alibaba"] == "ORG" and names["Claude Code"] == "PRODUCT"
    assert names["Kashmira Konduparty"] == "PERSON" and "READ" not in names and "AI" not in names
    code, out, _ = run("entities", "--type", "product")
    assert "Qoder [PRODUCT]" in out and "Alibaba" not in out
    code, out, _ = run("entity", "anthropic’s")
    assert code == 0 and out.startswith("Anthropic [ORG]") and "Often in the same sentences" in out
    code, _, err = run("entity", "Nobody Atall")
    assert code == 2 and "no entity" in err


def test_source_and_about(run):
    code, out, _ = run("source", "000_e228878e0c08bf80", "--sentence", "2")
    assert code == 0 and "author: Kashmira Konduparty" in out
    assert "> [1.2] The restriction will take effect July 10" in out
    code, _, err = run("source", "missing-doc")
    assert code == 2 and "no article" in err
    code, out, _ = run("about")
    assert code == 0 and out.startswith("1 articles, 16 sentences")


def test_readme_example_is_what_the_cli_prints(run):
    """The README's `ask` example is the real output over the bundled seed article."""
    import re
    import shlex

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```\n\$ python -m bot (ask [^\n]+)\n(.*?)```", readme, re.S)
    assert block, "the README lost its ask example"
    code, out, _ = run(*shlex.split(block.group(1)))
    assert code == 0 and out == block.group(2)
