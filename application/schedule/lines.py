"""Where a key is in a TOML file. `tomllib` reports the line of a syntax error only; a value
it read fine but a policy cannot use is found here, by scanning the text for the key.

Paths are as the parsed data nests them: `("name",)`, `("pause", "disputed")`,
`("step", 2, "day")` for the `day` of the third `[[step]]`.
"""

from __future__ import annotations

import re

Path = tuple[str | int, ...]

_NAME = r"[A-Za-z0-9_.\-\"' ]+?"
ARRAY_HEADER = re.compile(rf"^\s*\[\[\s*(?P<name>{_NAME})\s*\]\]")
TABLE_HEADER = re.compile(rf"^\s*\[\s*(?P<name>{_NAME})\s*\]")
KEY = re.compile(r"""^\s*(?:"(?P<double>[^"]*)"|'(?P<single>[^']*)'"""
                 r"""|(?P<bare>[A-Za-z0-9_-]+))\s*=""")
TRIPLE_QUOTES = ('"""', "'''")


class KeyLines:
    """The line of each table header and key of a TOML text (the first, if repeated)."""

    def __init__(self, text: str) -> None:
        self._lines: dict[Path, int] = {}
        self.last_line = max(1, len(text.splitlines()))
        table: Path = ()
        arrays: dict[str, int] = {}
        inside = ""  # the quotes of a multi-line string being skipped
        for number, line in enumerate(text.splitlines(), start=1):
            if inside:
                inside = "" if line.count(inside) % 2 else inside
            elif found := ARRAY_HEADER.match(line):
                name = _unquoted(found["name"])
                index = arrays.get(name, 0)
                arrays[name] = index + 1
                table = (*name.split("."), index)
                self._lines.setdefault(table, number)
            elif found := TABLE_HEADER.match(line):
                table = tuple(_unquoted(found["name"]).split("."))
                self._lines.setdefault(table, number)
            elif found := KEY.match(line):
                key = found["double"] or found["single"] or found["bare"]
                self._lines.setdefault((*table, key), number)
                rest = line[found.end():]
                inside = next((q for q in TRIPLE_QUOTES if rest.count(q) % 2), "")

    def line(self, *path: str | int) -> int | None:
        """The line of `path`, or of the nearest table holding it; None if not found."""
        while path:
            if path in self._lines:
                return self._lines[path]
            path = path[:-1]
        return None


def _unquoted(name: str) -> str:
    return ".".join(part.strip().strip("\"'") for part in name.split("."))
