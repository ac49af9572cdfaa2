"""Scripts that derive the data files shipped in index/data (run by hand, not by the bot)."""
