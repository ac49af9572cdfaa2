"""SQuAD v1.1 JSON as Verbatim articles: one article a document, paragraphs as paragraphs.

Shared by the quality benchmark (`bench.squad`) and the scale benchmark (`bench.scale`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from index.corpus import Corpus

PARAGRAPH_BREAK = "\n\n"


@dataclass(frozen=True)
class Question:
    qid: str
    text: str
    doc_id: str
    answer_pos: int  # offset of the first answer's start in the article body


def load(path: Path) -> tuple[list[dict], list[Question]]:
    """JSONL-ready article records ({"id","title","text"}) and the questions with gold offsets."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))["data"]
    records, questions = [], []
    for number, article in enumerate(data):
        doc_id = f"squad{number:03d}"
        parts, offset = [], 0
        for paragraph in article["paragraphs"]:
            context = paragraph["context"].replace("\n", " ")
            for qa in paragraph["qas"]:
                if qa.get("answers"):
                    questions.append(
                        Question(qa["id"], qa["question"], doc_id, offset + qa["answers"][0]["answer_start"])
                    )
            parts.append(context)
            offset += len(context) + len(PARAGRAPH_BREAK)
        records.append(
            {
                "id": doc_id,
                "title": article["title"].replace("_", " "),
                "text": PARAGRAPH_BREAK.join(parts),
                "date": "2016-06-16",
            }
        )
    return records, questions


def write_jsonl(records: list[dict], path: Path) -> None:
    with path.open("w", encoding="utf-8") as fh:
        for record in records:
            fh.write(json.dumps(record, ensure_ascii=False) + "\n")


def corpus_of(records: list[dict[str, Any]], folder: Path, seed_file: str = "squad.jsonl") -> Corpus:
    """A corpus of `records` alone: one seed file in `folder`/seeds, its index in `folder`/index
    (the benchmarks' throwaway corpora).
    """
    from index.corpus import Corpus  # here: `bench.answer_time --code DIR` chooses `index` later

    seeds = folder / "seeds"
    seeds.mkdir(parents=True)
    write_jsonl(records, seeds / seed_file)
    return Corpus.open(seeds, folder / "index")
