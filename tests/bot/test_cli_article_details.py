"""The CLI's answer to a question about the article itself: `ask` prints the byline labelled as
the article's details, `--json` carries `kind` and `details`, `ask --batch` and the chat get it too.
"""

import json


def test_ask_who_wrote_this_article(run):
    code, out, _ = run("ask", "who wrote this article?")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].startswith("About the article ") and lines[0].endswith("[000_e228878e0c08bf80]:")
    assert lines[1] == "   Author: \u201cBy Kashmira Konduparty\u201d (its byline, quoted from the article)"


def test_ask_json_carries_the_kind_and_the_details(run):
    code, out, _ = run("ask", "who wrote this article", "--json")
    data = json.loads(out)
    assert code == 0 and data["kind"] == "article" and data["abstained"] is False and data["answers"] == []
    [detail] = data["details"]
    assert detail["field"] == "author" and detail["value"] == "Kashmira Konduparty"
    assert (detail["quote"], detail["char_start"], detail["char_end"]) == ("By Kashmira Konduparty", 0, 22)
    code, out, _ = run("ask", "When does the ban take effect?", "--json")
    data = json.loads(out)
    assert data["kind"] == "passages" and data["details"] == [] and data["answers"]


def test_a_missing_field_abstains_with_its_reason(run):
    code, out, _ = run("ask", "when was this article published")
    assert code == 0 and out.startswith("Nothing in the articles answers that. (The article ")
    assert "does not give its publication date.)" in out.splitlines()[0]


def test_batch_lines_and_conversations_get_it(run, tmp_path):
    questions = tmp_path / "q.jsonl"
    questions.write_text(
        'who wrote the story about the claude code ban\n{"question": "who\'s the author", "conversation": "c"}\n',
        encoding="utf-8",
    )
    code, out, _ = run("ask", "--batch", str(questions), "--json")
    records = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and [r["kind"] for r in records] == ["article", "article"]
    assert all(r["details"][0]["quote"] == "By Kashmira Konduparty" for r in records)


def test_the_chat_answers_it_in_its_conversation(run):
    code, out, _ = run("chat", stdin="why did alibaba ban claude code?\nwho wrote this article?\n")
    assert code == 0
    assert "   Author: \u201cBy Kashmira Konduparty\u201d (its byline, quoted from the article)" in out.splitlines()
    assert "(read as a follow-up in the story of the previous questions; /new starts a new topic)" in out
