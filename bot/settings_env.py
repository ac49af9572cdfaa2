"""The raw values of the settings, read the way pydantic-settings reads them, without pydantic.

Environment variables first, then the `.env` file of the working directory (parsed by
python-dotenv, the parser pydantic-settings itself uses), names compared without case. Only
`bot/settings.py` decides whether a raw value may be used as it is or must be checked by the
sections of `bot/settings_schema.py`; the defaults live here so that both read the same.
"""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SEEDS_DIR = PROJECT_ROOT / "seeds"
DEFAULT_INDEX_DIR = PROJECT_ROOT / ".index"
ENV_FILE = ".env"  # relative to the working directory, as in the sections' model_config


def raw_values(names: tuple[str, ...]) -> dict[str, str]:
    """The values set for `names` (lower case), from the environment or else `.env`; a name set
    nowhere is absent.
    """
    wanted = set(names)
    found = {key.lower(): value for key, value in os.environ.items() if key.lower() in wanted}
    if len(found) < len(wanted) and Path(ENV_FILE).is_file():
        from dotenv import dotenv_values

        for key, value in dotenv_values(ENV_FILE, encoding="utf-8").items():
            if key.lower() in wanted and value is not None:
                found.setdefault(key.lower(), value)
    return found
