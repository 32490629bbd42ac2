"""The keys that work now, in one line at the bottom of the screen.

Textual's Footer rebuilds a widget per key whenever focus moves, which cost more than the
rest of a keypress here; this bar redraws one line, and only when the keys on offer change.
When the line is too narrow for every key, the first ones stay (each screen lists its most
important keys first) and the last place says where to find the rest.
"""

from __future__ import annotations

from rich.cells import cell_len
from textual import events
from textual.content import Content
from textual.dom import DOMNode
from textual.screen import Screen
from textual.widget import Widget

from facilitator.domain.record import record

MORE = "^p more"


@record
class _Key:
    display: str
    label: str
    action: str
    node: DOMNode | None
    enabled: bool


class KeyBar(Widget):
    DEFAULT_CSS = """
    KeyBar {
        dock: bottom;
        height: 1;
        background: $footer-background;
        color: $footer-description-foreground;
    }
    """

    def __init__(self, *, palette: bool = True, id: str | None = None) -> None:
        super().__init__(id=id)
        self._palette = palette
        self._keys: tuple[_Key, ...] = ()
        self._content = Content("")
        self._spans: list[tuple[int, int, _Key]] = []
        self._width = 0

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)
        self._bindings_changed(self.screen)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen[object]) -> None:
        if not self.is_attached or screen is not self.screen:
            return
        keys = self._keys_on_offer()
        if keys != self._keys:
            self._keys = keys
            self._layout()

    def _keys_on_offer(self) -> tuple[_Key, ...]:
        found: list[_Key] = []
        seen_groups: dict[str, int] = {}
        seen_actions: set[str] = set()
        for node, binding, enabled, _ in self.screen.active_bindings.values():
            if not binding.show or binding.action in seen_actions:
                continue
            seen_actions.add(binding.action)
            display = self.app.get_key_display(binding)
            group = binding.group
            if group is not None and group.compact and group.description in seen_groups:
                # One entry for a group: "← → Turn".
                index = seen_groups[group.description]
                earlier = found[index]
                found[index] = _Key(
                    f"{earlier.display} {display}",
                    earlier.label,
                    earlier.action,
                    earlier.node,
                    enabled,
                )
                continue
            label = (
                group.description if group is not None and group.compact else binding.description
            )
            if group is not None and group.compact:
                seen_groups[group.description] = len(found)
            found.append(_Key(display, label, binding.action, node, enabled))
        return tuple(found)

    def on_resize(self, event: events.Resize) -> None:
        if event.size.width != self._width:
            self._layout()

    def _layout(self) -> None:
        """Fit the keys into the width: keep them in order; if some don't fit, say how to see
        them all."""
        width = self.size.width or 80
        self._width = width
        parts: list[tuple[str, str]] = []
        spans: list[tuple[int, int, _Key]] = []
        used = 0
        keys = list(self._keys)
        for index, key in enumerate(keys):
            text = f" {key.display} "
            label = f"{key.label} "
            need = cell_len(text) + cell_len(label)
            rest = len(keys) - index - 1
            reserve = cell_len(MORE) + 2 if (rest and self._palette) else 0
            if used + need + reserve > width:
                if self._palette:
                    parts.append((f" {MORE}", "$footer-description-foreground italic"))
                break
            key_style = "bold $footer-key-foreground" if key.enabled else "$text-disabled"
            parts.append((text, key_style))
            parts.append((label, "" if key.enabled else "$text-disabled"))
            spans.append((used, used + need, key))
            used += need
        self._spans = spans
        self._content = Content.assemble(*parts)
        self.refresh()

    def render(self) -> Content:
        return self._content

    async def on_click(self, event: events.Click) -> None:
        for start, end, key in self._spans:
            if start <= event.x < end and key.enabled:
                await self.app.run_action(key.action, key.node)
                return
