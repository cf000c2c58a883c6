"""Text PostgreSQL cannot hold: the NUL character and surrogate code points.

Both reach kinship in ordinary requests: JSON escapes them (`\\u0000`, a lone
`\\ud800`) and so do GraphQL strings. Arguments are read for them before a
resolver runs, so they are refused with a code instead of failing in the
database.
"""

import re
from collections.abc import Mapping
from typing import Any

from graphene.utils.str_converters import to_camel_case

UNSTORABLE = re.compile("[\x00\ud800-\udfff]")

Path = list[str | int]


def unstorable(text: str) -> str | None:
    """Return what in the text cannot be stored, or None if all of it can."""
    match = UNSTORABLE.search(text)
    if match is None:
        return None
    if match.group() == "\x00":
        return "a NUL character (U+0000)"
    return f"a surrogate code point (U+{ord(match.group()):04X})"


def find_unstorable(value: Any) -> tuple[Path, str] | None:
    """Return where in a value (its strings, keys included) text cannot be stored.

    The answer is the path to it (keys and list indexes) and what it is.
    """
    pending: list[tuple[Any, Path]] = [(value, [])]
    while pending:
        value, path = pending.pop()
        if isinstance(value, str):
            what = unstorable(value)
            if what is not None:
                return path, what
        elif isinstance(value, Mapping):
            for key, item in reversed(list(value.items())):
                what = unstorable(key) if isinstance(key, str) else None
                if what is not None:
                    return path, f"{what} in a key"
                pending.append((item, [*path, key]))
        elif isinstance(value, list | tuple):
            for index in reversed(range(len(value))):
                pending.append((value[index], [*path, index]))
    return None


def _client_name(name: str) -> str:
    # Graphene names arguments and input fields in snake_case for Python;
    # clients write them in camelCase. Names starting with _ are left alone.
    return name if name.startswith("_") else to_camel_case(name)


def written(path: Path) -> str:
    """Return a path as a client writes it: `filter.tiers[1]`."""
    text = ""
    for step in path:
        text += f"[{step}]" if isinstance(step, int) else f".{_client_name(step)}"
    return text.lstrip(".")


def field_of(path: Path) -> str | None:
    """Return the input field a path ends in, as a client names it."""
    names = [step for step in path if isinstance(step, str)]
    return _client_name(names[-1]) if names else None
