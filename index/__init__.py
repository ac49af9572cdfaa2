"""Verbatim's library: articles to sentence passages, the BM25 index, quoted answers, timeline and entities."""
