"""The YAML front matter of an answer key: title, course and assignment."""

from __future__ import annotations

import yaml

from hwreview.errors import KeyProblem
from hwreview.limits import TooLarge, load_yaml


def front_matter(lines: list[str], errors: list[KeyProblem]) -> tuple[dict[str, str], int]:
    """Read YAML front matter between '---' lines at the top; return it and the body's start."""
    if not lines or lines[0].strip() != "---":
        return {}, 0
    for end in range(1, len(lines)):
        if lines[end].strip() in ("---", "..."):
            break
    else:
        errors.append(KeyProblem(1, "bad front matter: no closing '---' line"))
        return {}, len(lines)
    try:
        data = load_yaml("\n".join(lines[1:end])) or {}
    except TooLarge as exc:
        errors.append(KeyProblem(2, f"bad front matter: {exc}"))
        return {}, end + 1
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 2 if mark is not None else 1
        problem = getattr(exc, "problem", None) or "YAML does not parse"
        errors.append(KeyProblem(line, f"bad front matter: {problem}"))
        return {}, end + 1
    if not isinstance(data, dict):
        errors.append(KeyProblem(2, "bad front matter: expected 'key: value' lines"))
        return {}, end + 1
    meta: dict[str, str] = {}
    for key in ("title", "course", "assignment"):
        value = data.get(key)
        if value is None:
            continue
        if isinstance(value, (dict, list)):
            line = next((i + 1 for i in range(1, end) if lines[i].startswith(f"{key}:")), 2)
            errors.append(KeyProblem(line, f"bad front matter: {key} must be text"))
            continue
        meta[key] = str(value).strip()
    return meta, end + 1
