"""The command palette provider: every action of the current screen and of the app."""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.dom import DOMNode


class ActionsProvider(Provider):
    """Lists each binding of the screen and the app as a command, with its key."""

    def _actions(self) -> Iterator[tuple[str, str, DOMNode, str]]:
        screen, app = self.screen, self.app
        seen: set[str] = set()
        for node in (screen, app):
            keys_by_action: dict[str, list[str]] = {}
            descriptions: dict[str, str] = {}
            for bindings in node._bindings.key_to_bindings.values():
                for binding in bindings:
                    if binding.description:
                        keys_by_action.setdefault(binding.action, []).append(
                            binding.key_display or app.get_key_display(binding)
                        )
                        descriptions.setdefault(binding.action, binding.description)
            for action, keys in keys_by_action.items():
                name = action.split("(")[0]
                if action in seen or node.check_action(name, ()) is False:
                    continue
                seen.add(action)
                yield descriptions[action], "key: " + " / ".join(dict.fromkeys(keys)), node, action

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
