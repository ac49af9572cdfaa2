"""Round 24 (qa24b): the news desk's left-overs (docs/reliability.md), through the CLI."""

import json
from collections.abc import Callable
from pathlib import Path

import pytest

Run = Callable[..., tuple[int, str, str]]


def _lit(run: Run, question: str) -> tuple[str, list[str]]:
    """The first quote of `question` and its highlighted words."""
    code, out, err = run("ask", question, "--json")
    assert code == 0, err
    first = json.loads(out)["answers"][0]
    text = first["text"]
    return text, [text[s:e] for s, e in first["highlights"]]


def test_the_verb_read_through_did_is_highlighted(run: Run, tmp_path: Path) -> None:
    """ "how much did the council spend" quoted "The council spent ..." with only "council" bold:
    the form the question was read through (index.answer.do_support) is bold too."""
    (tmp_path / "pier.md").write_text(
        "# Seafront works\n\nThe council spent 2 million pounds on new decking and railings, the mayor said.\n"
    )
    code, out, err = run("ingest", str(tmp_path / "pier.md"))
    assert code == 0, out + err
    text, lit = _lit(run, "How much did the council spend?")
    assert text.startswith("The council spent") and lit == ["council", "spent"]  # "spent" stands in for "spend"
    (tmp_path / "roads.md").write_text("# Roads\n\nThe county plans to spend more on roads next year.\n")
    code, out, err = run("ingest", str(tmp_path / "roads.md"))
    assert code == 0, out + err
    text, lit = _lit(run, "How much did the council spend?")
    assert text.startswith("The council spent") and lit == ["council", "spent"]  # "spent" held for "spend"


def test_another_name_of_the_entity_is_highlighted(run: Run, tmp_path: Path) -> None:
    """ "when did gm file for bankruptcy" finds "General Motors filed ..." (index.answer.aliases):
    the other name is bold, as the question's own words are."""
    articles = [
        {"id": "profile", "text": "General Motors Corporation (GM) is an American carmaker based in Detroit."},
        {"id": "ch11", "text": "General Motors filed for bankruptcy protection on June 1, 2009."},
        {"id": "courts", "text": "Many firms file for bankruptcy each year. General elections are held in May."},
    ]
    (tmp_path / "cars.jsonl").write_text("".join(json.dumps(a) + "\n" for a in articles))
    code, out, err = run("ingest", str(tmp_path / "cars.jsonl"))
    assert code == 0, out + err
    text, lit = _lit(run, "when did gm file for bankruptcy")
    assert text.startswith("General Motors filed") and lit == ["General", "Motors", "filed", "bankruptcy"]


def test_copies_in_one_ingest_of_an_earlier_article_are_each_named_once(
    run: Run, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """An earlier article `a`, then its copies `b` and `c` in one ingest: `c` was named twice (the
    build: as `b`'s copy; the commit: as `a`'s). Each copy is named once."""
    text = "The harbour reopened on Tuesday after six months of repairs, the port authority said.\n"
    for name in "abc":
        (tmp_path / f"{name}.md").write_text(text)
    code, out, err = run("ingest", str(tmp_path / "a.md"))
    assert code == 0, out + err
    caplog.clear()
    code, out, err = run("ingest", str(tmp_path / "b.md"), str(tmp_path / "c.md"))
    assert code == 0, out + err
    said = [r.getMessage() for r in caplog.records if "same text" in r.getMessage()]
    assert len(said) == 2, said
    assert sorted(line.split("article ")[1][:3] for line in said) == ["'b'", "'c'"], said


def _source(run: Run, doc_id: str) -> dict:
    code, out, err = run("source", doc_id, "--json")
    assert code == 0, err
    return json.loads(out)


def test_a_byline_with_its_agency_or_reading_time_after_a_bar_or_dot_names_the_author(run: Run, tmp_path: Path) -> None:
    """`By Jane Doe | Reuters` and `By Jane Doe · 4 min read` were no bylines: no author, the line
    a passage and the article's derived title."""
    lines = {
        "bar": ("By Jane Doe | Reuters", "Jane Doe"),
        "dot": ("By Jane Doe · 4 min read", "Jane Doe"),
        "bullet": ("By Jane Doe and John Roe • The Associated Press", "Jane Doe and John Roe"),
        "role": ("By John Roe, Staff Writer | Reuters", "John Roe"),
    }
    for name, (byline, _) in lines.items():
        (tmp_path / f"{name}.txt").write_text(f"{byline}\n\nThe council voted on Tuesday to close the {name} pier.\n")
    code, out, err = run("ingest", *(str(tmp_path / f"{name}.txt") for name in lines))
    assert code == 0, out + err
    for name, (_, author) in lines.items():
        shown = _source(run, name)
        assert shown["author"] == author, (name, shown["author"])
        assert shown["title"].startswith("The council voted"), (name, shown["title"])
    # a bar in a sentence is no byline's
    (tmp_path / "said.txt").write_text("By Tuesday | the council said | the pier will close for good.\n")
    code, out, err = run("ingest", str(tmp_path / "said.txt"))
    assert code == 0, out + err
    assert _source(run, "said")["author"] is None


def test_a_link_with_spaces_is_printed_whole(run: Run, tmp_path: Path) -> None:
    """A CMS export's `…/pier reopens.html` was printed as written: a terminal cuts the link at the
    first space. The citation, `source` and the link asked for print it `%20`-encoded, as a browser
    sends it; `--json` keeps the address as written."""
    url = "https://example.com/news/pier reopens today.html"
    shown = "https://example.com/news/pier%20reopens%20today.html"
    (tmp_path / "pier.md").write_text(
        f"---\nurl: {url}\n---\nThe pier reopened on Tuesday after six months of repairs.\n"
    )
    code, out, err = run("ingest", str(tmp_path / "pier.md"))
    assert code == 0, out + err
    code, out, _ = run("ask", "When did the pier reopen after repairs?")
    assert code == 0 and shown in out and url not in out, out
    code, out, _ = run("source", "pier")
    assert code == 0 and f"url: {shown}\n" in out, out
    code, out, _ = run("ask", "what is the link to the pier article")
    assert code == 0 and shown in out and url not in out, out
    assert _source(run, "pier")["url"] == url
