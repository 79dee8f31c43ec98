"""The command palette provider: every action of the current screen and of the app."""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.dom import DOMNode


class ActionsProvider(Provider):
    """Lists each active binding of the screen and the app as a command, with its keys."""

    def _actions(self) -> Iterator[tuple[str, str, DOMNode, str]]:
        screen, app = self.screen, self.app
        # `active_bindings` already leaves out actions whose `check_action` is False.
        found: dict[str, tuple[str, DOMNode, list[str]]] = {}
        for active in screen.active_bindings.values():
            binding = active.binding
            if active.node not in (screen, app) or not binding.description:
                continue  # a focused widget's own keys (cursor moves) are not commands
            _description, _node, keys = found.setdefault(
                binding.action, (binding.description, active.node, [])
            )
            keys.append(binding.key_display or app.get_key_display(binding))
        for action, (description, node, keys) in found.items():
            yield description, "key: " + " / ".join(dict.fromkeys(keys)), node, action

    async def _run(self, node: DOMNode, action: str) -> None:
        await self.app.run_action(action, node)

    async def discover(self) -> Hits:
        """Every action, when nothing is typed yet."""
        for name, help_text, node, action in self._actions():
            yield DiscoveryHit(name, partial(self._run, node, action), help=help_text)

    async def search(self, query: str) -> Hits:
        """Actions whose description matches what was typed."""
        matcher = self.matcher(query)
        for name, help_text, node, action in self._actions():
            score = matcher.match(name)
            if score > 0:
                yield Hit(
                    score, matcher.highlight(name), partial(self._run, node, action), help=help_text
                )
