"""The Discord front end: the client, its slash commands, views, embeds and downloads.

Imported only by `python -m bot serve`: the CLI works without discord.py loaded.
"""

__all__: list[str] = []
