"""The ingest room: seed files and uploads -> articles -> sentence passages.

`files` reads and writes the seeds folder (decoding, ids, atomic writes), `articles` parses one
article (front matter, JSONL records), `sentences` splits an article into passages.
"""

__all__: list[str] = []
