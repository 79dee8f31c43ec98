"""Default model, server and temperature: flags, then HWREVIEW_* variables, then hwreview.toml."""

from __future__ import annotations

import math
import os
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hwreview.errors import HwReviewError

CONFIG_NAME = "hwreview.toml"
_MAX_CONFIG = 64 * 1024
_FIELDS = ("model", "api_base", "temperature", "timeout")


@dataclass(frozen=True)
class ModelSettings:
    """The model to use and how to reach it; API keys are never part of this (litellm reads env)."""

    model: str | None = None
    api_base: str | None = None
    temperature: float | None = None
    timeout: float = 120.0


def read_config(root: Path) -> dict[str, Any]:
    """The `[llm]` table of ROOT/hwreview.toml, checked; {} when there is no file."""
    path = root / CONFIG_NAME
    try:
        if not path.is_file():
            return {}
        if path.stat().st_size > _MAX_CONFIG:
            raise HwReviewError(f"{path} is larger than 64 KB")
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise HwReviewError(f"{path}: bad TOML ({exc})") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise HwReviewError(f"cannot read {path} ({exc})") from None
    table = data.get("llm", {})
    if not isinstance(table, dict):
        raise HwReviewError(f"{path}: [llm] must be a table")
    unknown = sorted(set(table) - set(_FIELDS))
    if unknown:
        if any("key" in name.lower() for name in unknown):
            raise HwReviewError(
                f"{path}: API keys are read only from the environment, never from files"
            )
        raise HwReviewError(f"{path}: unknown setting {unknown[0]!r} (use {', '.join(_FIELDS)})")
    return table


def resolve(
    root: Path,
    model: str | None = None,
    api_base: str | None = None,
    temperature: float | None = None,
    timeout: float | None = None,
) -> ModelSettings:
    """Settings from flags, else HWREVIEW_MODEL / HWREVIEW_API_BASE, else ROOT/hwreview.toml."""
    config = read_config(root)
    model = model or os.environ.get("HWREVIEW_MODEL") or config.get("model")
    api_base = api_base or os.environ.get("HWREVIEW_API_BASE") or config.get("api_base")
    if temperature is None:
        temperature = config.get("temperature")
    if timeout is None:
        timeout = config.get("timeout", 120.0)
    for name, value in (("model", model), ("api_base", api_base)):
        if value is not None and (not isinstance(value, str) or not value.strip()):
            raise HwReviewError(f"{name} must be a non-empty string")
    if temperature is not None:
        temperature = _number("temperature", temperature, 0.0, 2.0)
    timeout = _number("timeout", timeout, 0.01, 3600.0)
    return ModelSettings(model, api_base, temperature, timeout)


def require_model(settings: ModelSettings) -> str:
    """The model name, or one line saying the three ways to give one."""
    if not settings.model:
        raise HwReviewError(
            f"no model: pass --model, set HWREVIEW_MODEL, or put model = ... in {CONFIG_NAME}"
        )
    return settings.model


def _number(name: str, value: Any, low: float, high: float) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise HwReviewError(f"{name} must be a number, got {value!r}")
    if not low <= value <= high:
        raise HwReviewError(f"{name} must be between {low:g} and {high:g}, got {value:g}")
    return float(value)
