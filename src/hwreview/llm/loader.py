"""Import litellm on first use, offline-safe, once, from any thread."""

from __future__ import annotations

import logging
import os
import threading
from types import ModuleType

__all__ = ["load_litellm"]

_lock = threading.Lock()
_module: ModuleType | None = None


def load_litellm() -> ModuleType:
    """Return the litellm module, importing it on the first call (~3 s: call it in a worker).

    Sets ``LITELLM_LOCAL_MODEL_COST_MAP=True`` before the import so litellm reads its bundled
    price list instead of downloading one.
    """
    global _module
    if _module is not None:
        return _module
    with _lock:
        if _module is None:
            os.environ["LITELLM_LOCAL_MODEL_COST_MAP"] = "True"
            import litellm

            litellm.suppress_debug_info = True  # no "Give Feedback" banner on every error
            litellm.turn_off_message_logging = True  # no prompt or reply in litellm's logs
            litellm.disable_streaming_logging = True  # its per-stream log handlers cost ~15 ms
            logging.getLogger("LiteLLM").setLevel(logging.CRITICAL)
            _module = litellm
    return _module
