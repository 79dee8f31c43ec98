"""Bounds on structured input from files: YAML read only when small and shallow enough."""

from __future__ import annotations

from typing import Any

import yaml

MAX_YAML_BYTES = 64 * 1024
MAX_YAML_DEPTH = 20


class TooLarge(ValueError):
    """Structured input over a size or depth bound; its message is one line."""


def yaml_depth(source: str, stop_after: int = MAX_YAML_DEPTH) -> int:
    """How deeply YAML nests, from the parser's event stream (iterative: no recursion)."""
    depth = deepest = 0
    for event in yaml.parse(source, Loader=yaml.SafeLoader):
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            deepest = max(deepest, depth)
            if deepest > stop_after:
                break
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
    return deepest


def load_yaml(source: str) -> Any:
    """yaml.safe_load, refusing (TooLarge) over MAX_YAML_BYTES or MAX_YAML_DEPTH levels.

    The depth is checked first on the event stream, because safe_load's composer recurses and
    a few thousand nested brackets end in RecursionError. Raises yaml.YAMLError as safe_load does.
    """
    if len(source) > MAX_YAML_BYTES:
        raise TooLarge(f"longer than {MAX_YAML_BYTES} characters")
    if yaml_depth(source) > MAX_YAML_DEPTH:
        raise TooLarge(f"nested more than {MAX_YAML_DEPTH} levels deep")
    return yaml.safe_load(source)
