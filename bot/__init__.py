"""Verbatim's front ends: the command line, the local chat and the Discord bot, over index.corpus.Corpus."""
