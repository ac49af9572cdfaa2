"""Round 27 (upgrade27): an index file this user may not read (another user's index, a file
made 0600) is refused with one line that names the file once. Before, both front ends printed
"permission denied on PATH (PATH)": `storage_problem` names the file and the caller added it again.
(`serve`'s line: `test_reliability_storage.test_serve_with_an_unreadable_index_says_so_not_the_network`.)
"""

from __future__ import annotations

import errno
from pathlib import Path

from bot.cli import main
from index.corpus import Corpus


def _unreadable(path: Path):
    def open_(*args, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied", str(path))

    return open_


def _seeds(tmp_path: Path) -> Path:
    (tmp_path / "seeds").mkdir()
    return tmp_path / "seeds"


def test_the_cli_names_an_unreadable_index_file_once(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "index" / "gen-1" / "docs.npy"
    monkeypatch.setattr(Corpus, "open", _unreadable(path))
    code = main(["--seeds", str(_seeds(tmp_path)), "--index-dir", str(tmp_path / "index"), "ask", "When?"])
    err = capsys.readouterr().err
    assert code == 1 and err == f"error: permission denied on {path}\n", err


def test_an_error_without_a_file_named_by_its_problem_still_names_the_file(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "index" / "CURRENT"

    def is_a_folder(*args, **kwargs):
        raise IsADirectoryError(errno.EISDIR, "Is a directory", str(path))

    monkeypatch.setattr(Corpus, "open", is_a_folder)
    assert main(["--seeds", str(_seeds(tmp_path)), "--index-dir", str(tmp_path / "index"), "ask", "When?"]) == 1
    assert capsys.readouterr().err == f"error: Is a directory ({path})\n"
