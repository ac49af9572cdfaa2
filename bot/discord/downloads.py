"""Capped downloads of Discord attachments: stop reading as soon as a file is over the limit.

Discord announces an attachment's size, and the bot refuses oversized files before fetching
anything; but a modified client can announce a false size. `discord.Attachment.read()` would
then pull the whole file into memory before it could be measured, so uploads are read here in
chunks and dropped the moment they pass the limit.
"""

from __future__ import annotations

import aiohttp

CHUNK = 64 * 1024
TIMEOUT = aiohttp.ClientTimeout(total=60, sock_connect=10)


class TooLarge(Exception):
    """The file is larger than the limit (whatever its announced size)."""


class DownloadFailed(Exception):
    """The file could not be fetched; `reason` says why in a few words (`HTTP 404`, `timed out`).

    Discord's attachment links expire and its file host can fail: that is the user's to retry,
    not a fault of the bot, so it gets its own reply rather than the generic apology.
    """

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


async def read_capped(url: str, limit: int) -> bytes:
    """The body at `url`, or TooLarge once more than `limit` bytes arrive (or are promised);
    DownloadFailed when the host refuses, fails or does not answer in time.
    """
    try:
        return await _read_capped(url, limit)
    except aiohttp.ClientResponseError as exc:
        raise DownloadFailed(f"HTTP {exc.status}") from exc
    except TimeoutError as exc:  # aiohttp's timeouts are TimeoutError (asyncio's, since 3.11)
        raise DownloadFailed("the file host did not answer in time") from exc
    except aiohttp.ClientError as exc:
        raise DownloadFailed("the connection to the file host failed") from exc


async def _read_capped(url: str, limit: int) -> bytes:
    async with aiohttp.ClientSession(timeout=TIMEOUT) as session:
        async with session.get(url) as response:
            response.raise_for_status()
            if response.content_length is not None and response.content_length > limit:
                raise TooLarge(response.content_length)
            data = bytearray()
            async for chunk in response.content.iter_chunked(CHUNK):
                data += chunk
                if len(data) > limit:
                    raise TooLarge(len(data))
            return bytes(data)
