"""YAML loading that remembers the line of every node.

Definitions are written by people; an error must point at the line to fix.
Only YAML 1.2 booleans (``true``/``false``) are booleans here: ``yes``, ``no``,
``on`` and ``off`` stay strings, because ``yes``/``no`` are choice codes.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

Path_ = tuple[str | int, ...]


# libyaml's parser and composer are C, about eight times faster than PyYAML's
# own; the nodes they give carry the same marks, so lines are kept.
_Base: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_Base):  # type: ignore[valid-type,misc]  # a class chosen at import time
    pass


# Replace the YAML 1.1 boolean resolver with the YAML 1.2 one.
_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


def _walk(loader: _Loader, node: yaml.Node, path: Path_, lines: dict[Path_, int]) -> Any:
    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        out: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            out[key] = _walk(loader, value_node, (*path, str(key)), lines)
            lines[(*path, str(key))] = key_node.start_mark.line + 1
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_walk(loader, child, (*path, i), lines) for i, child in enumerate(node.value)]
    return loader.construct_object(node, deep=True)


def load(text: str) -> tuple[Any, dict[Path_, int]]:
    """Parse YAML text; return the data and a map from path to line number.

    >>> data, lines = load("a:\\n  - x: yes\\n")
    >>> data, lines[("a", 0, "x")]
    ({'a': [{'x': 'yes'}]}, 2)
    """
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        lines: dict[Path_, int] = {}
        return (_walk(loader, node, (), lines) if node is not None else None), lines
    finally:
        loader.dispose()


def load_path(path: Path) -> tuple[Any, dict[Path_, int]]:
    return load(path.read_text(encoding="utf-8"))


def line_of(lines: dict[Path_, int], path: Path_) -> int | None:
    """The line of ``path``, or of its nearest ancestor that has one."""
    while path:
        if path in lines:
            return lines[path]
        path = path[:-1]
    return lines.get(())


def format_path(path: Path_) -> str:
    """``("sections", 2, "items", 0)`` -> ``sections[2].items[0]``."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out
