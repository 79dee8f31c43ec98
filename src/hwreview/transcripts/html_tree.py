"""A small, bounded HTML tree (stdlib html.parser) and its text as Markdown with LaTeX math."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from html.parser import HTMLParser

Skip = Callable[["Node"], bool]
MAX_DEPTH = 256  # real chat pages nest under 100 deep; deeper is hostile (and would recurse)
MAX_NODES = 1_000_000
VOID = {
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
    "source", "track", "wbr",
}  # fmt: skip
SKIP_TAGS = {
    "style", "noscript", "svg", "button", "nav", "aside", "form", "textarea", "title",
    "template", "head", "mat-icon", "input-area-v2", "message-actions", "select", "fieldset",
}  # fmt: skip
HIDDEN_CLASSES = ("sr-only", "visually-hidden", "cdk-visually-hidden", "MathJax_Preview")
BLOCKS = {
    "p", "div", "section", "article", "main", "header", "footer", "ul", "ol", "li", "table",
    "thead", "tbody", "tr", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "hr",
    "details", "summary", "figure", "user-query", "model-response", "message-content",
}  # fmt: skip
_LANG = re.compile(r"(?:^|\s)(?:language|lang)-([\w+#.-]{1,30})")


class TooDeep(Exception):
    """The page nests elements deeper than any chat page does."""


class TooBig(Exception):
    """The page has more elements than any chat page does."""


class Node:
    """An element: its tag, attributes and children (nodes or text)."""

    __slots__ = ("attrs", "children", "parent", "tag")

    def __init__(self, tag: str, attrs: dict[str, str], parent: Node | None) -> None:
        self.tag = tag
        self.attrs = attrs
        self.children: list[Node | str] = []
        self.parent = parent

    @property
    def classes(self) -> str:
        """The class attribute ('' when absent)."""
        return self.attrs.get("class") or ""

    def has_class(self, name: str) -> bool:
        """True when `name` is one of the element's classes."""
        return name in self.classes.split()

    def iter(self) -> Iterator[Node]:
        """Every element below this one (itself first), in document order, without recursion.

        Children are visited through iterators, so a wide element costs nothing until reached.
        """
        yield self
        stack = [iter(self.children)]
        while stack:
            for child in stack[-1]:
                if isinstance(child, Node):
                    yield child
                    stack.append(iter(child.children))
                    break
            else:
                stack.pop()

    def find_all(self, test: Callable[[Node], bool], outermost: bool = False) -> list[Node]:
        """Elements passing `test` in document order; with `outermost`, none inside another."""
        found: list[Node] = []
        if test(self):
            found.append(self)
            if outermost:
                return found
        stack = [iter(self.children)]
        while stack:
            for child in stack[-1]:
                if isinstance(child, Node):
                    if test(child):
                        found.append(child)
                        if outermost:
                            continue
                    stack.append(iter(child.children))
                    break
            else:
                stack.pop()
        return found

    def first(self, test: Callable[[Node], bool], budget: int = 0) -> Node | None:
        """The first element passing `test`, or None; with a budget, among that many at most."""
        for seen, node in enumerate(self.iter(), start=1):
            if test(node):
                return node
            if budget and seen >= budget:
                break
        return None

    def short_text(self, limit: int = 80, budget: int = 200) -> str | None:
        """The element's text when short (`limit` chars, `budget` nodes at most), else None."""
        parts: list[str] = []
        size = 0
        stack = [iter(self.children)]
        while stack:
            for child in stack[-1]:
                budget -= 1
                if budget < 0:
                    return None
                if isinstance(child, str):
                    size += len(child.strip())
                    if size > limit:
                        return None
                    parts.append(child)
                    continue
                stack.append(iter(child.children))
                break
            else:
                stack.pop()
        return " ".join("".join(parts).split())

    def text(self) -> str:
        """All text below, as it is in the source (scripts included), whitespace collapsed."""
        parts: list[str] = []
        stack: list[Node | str] = [self]
        while stack:
            item = stack.pop()
            if isinstance(item, str):
                parts.append(item)
            else:
                stack.extend(reversed(item.children))
        return " ".join("".join(parts).split())


class _Builder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#root", {}, None)
        self.current = self.root
        self.depth = 0
        self.count = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.count += 1
        if self.count > MAX_NODES:
            raise TooBig
        if tag == "p" and self.current.tag == "p":  # an unclosed <p> ends at the next one
            self._close("p")
        node = Node(tag, {k: v or "" for k, v in attrs}, self.current)
        self.current.children.append(node)
        if tag in VOID:
            return
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise TooDeep
        self.current = node

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.count += 1
        self.current.children.append(Node(tag, {k: v or "" for k, v in attrs}, self.current))

    def handle_endtag(self, tag: str) -> None:
        self._close(tag)

    def _close(self, tag: str) -> None:
        node: Node | None = self.current
        steps = 0
        while node is not None and node.tag != tag and steps < 64:
            node, steps = node.parent, steps + 1
        if node is None or node.tag != tag or node.parent is None:
            return  # a stray end tag: ignore it
        while self.current is not node:
            self.current = self.current.parent  # type: ignore[assignment]
            self.depth -= 1
        self.current = node.parent
        self.depth -= 1

    def handle_data(self, data: str) -> None:
        self.current.children.append(data)


def parse_html(text: str) -> Node:
    """Parse HTML into a tree; raises TooDeep or TooBig for hostile nesting or size."""
    builder = _Builder()
    builder.feed(text)
    builder.close()
    return builder.root


def hidden(node: Node) -> bool:
    """True for an element a reader never sees: scripts, styles, buttons, hidden labels."""
    if node.tag in SKIP_TAGS:
        return True
    if node.attrs.get("aria-hidden") == "true" or "hidden" in node.attrs:
        return True
    classes = node.classes
    if any(c in classes for c in HIDDEN_CLASSES):
        return True
    # action bars (copy, edit, share buttons) and citation chips
    return any(
        token == "citation" or token.endswith("-actions") or token == "action-buttons"
        for token in classes.split()
    )


# ---------------------------------------------------------------- text with math and code


def to_markdown(node: Node, skip: Callable[[Node], bool] | None = None) -> str:
    """The element's visible text as Markdown: math as $LaTeX$, code fenced, tables piped."""
    out: list[str] = []
    _render(node, out, skip or (lambda n: False), pre=False, depth=0)
    text = "".join(out)
    text = re.sub(r"[ \t]*\n[ \t]*", "\n", text.replace("\u00a0", " "))
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.replace("\x00", "").strip()


def _render(node: Node, out: list[str], skip: Skip, pre: bool, depth: int) -> None:
    if depth > MAX_DEPTH:
        return
    ordinal = 0
    for child in node.children:
        if isinstance(child, str):
            if pre:
                out.append(child)
            else:
                out.append(re.sub(r"\s+", " ", child))
            continue
        if child.tag == "li":
            ordinal += 1
        _element(child, out, skip, pre, depth + 1, ordinal if node.tag == "ol" else 0)


def _element(
    node: Node, out: list[str], skip: Skip, pre: bool, depth: int, ordinal: int = 0
) -> None:
    tag = node.tag
    if tag == "script":
        kind = node.attrs.get("type", "")
        if kind.startswith("math/tex"):
            tex = node.text()
            out.append(f"\n\n$${tex}$$\n\n" if "display" in kind else f"${tex}$")
        return
    if skip(node) or hidden(node):
        return
    math = _math(node)
    if math is not None:
        out.append(math)
        return
    if tag == "br":
        out.append("\n")
        return
    if tag == "hr":
        out.append("\n\n---\n\n")
        return
    if tag == "pre":
        out.append(_code_block(node))
        return
    if tag == "code" and not pre:
        out.append("`" + node.text() + "`")
        return
    if tag == "table":
        out.append(_table(node, skip, depth))
        return
    if tag in ("strong", "b"):
        bold = _inline(node, skip, depth)
        out.append(f"**{bold}**" if bold.strip() else bold)
        return
    keeps = pre or _keeps_lines(node)
    if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
        out.append("\n\n" + "#" * int(tag[1]) + " ")
        _render(node, out, skip, keeps, depth)
        out.append("\n\n")
        return
    if tag == "li":
        out.append("\n" + (f"{ordinal}. " if ordinal else "- "))
        inner: list[str] = []
        _render(node, inner, skip, keeps, depth)
        out.append(re.sub(r"\s*\n\s*", " ", "".join(inner)).strip())
        return
    block = tag in BLOCKS
    if block:
        out.append("\n\n" if tag in ("p", "ul", "ol", "blockquote", "details") else "\n")
    _render(node, out, skip, keeps, depth)
    if block:
        out.append("\n\n" if tag in ("p", "ul", "ol", "blockquote", "details") else "\n")


def _keeps_lines(node: Node) -> bool:
    style = node.attrs.get("style", "").replace(" ", "")
    classes = node.classes
    return "white-space:pre" in style or "whitespace-pre" in classes or "pre-wrap" in classes


def _inline(node: Node, skip: Skip, depth: int) -> str:
    out: list[str] = []
    _render(node, out, skip, False, depth)
    return "".join(out)


def _math(node: Node) -> str | None:
    """LaTeX for a KaTeX element, Gemini's data-math holder, or a MathML annotation."""
    if "data-math" in node.attrs:
        source = node.attrs["data-math"].strip()
        display = "math-block" in node.classes or node.tag == "div"
        return f"\n\n$${source}$$\n\n" if display else f"${source}$"
    classes = node.classes.split()
    if "katex-display" in classes:
        shown = _annotation(node)
        return f"\n\n$${shown}$$\n\n" if shown is not None else None
    if "katex" in classes or node.tag == "math":
        tex = _annotation(node)
        if tex is not None:
            return f"${tex}$"
        return node.text() if node.tag == "math" else None
    if any(
        c in ("MathJax", "MathJax_Display", "MathJax_SVG", "MJX_Assistive_MathML") for c in classes
    ):
        return ""  # MathJax 2 keeps the TeX in the <script type="math/tex"> beside it
    return None


def _annotation(node: Node) -> str | None:
    found = node.first(
        lambda n: n.tag == "annotation" and "tex" in n.attrs.get("encoding", "").lower(),
        budget=5000,  # KaTeX puts its annotation first; a long search means there is none
    )
    return found.text() if found is not None else None


def _code_block(node: Node) -> str:
    code = node.first(lambda n: n.tag == "code") or node
    language = ""
    for holder in (code, node):
        found = _LANG.search(holder.classes)
        if found:
            language = found.group(1)
            break
    parts: list[str] = []
    stack: list[Node | str] = [code]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            parts.append(item)
        elif item is code or not hidden(item):
            if item.tag == "br":
                parts.append("\n")
            stack.extend(reversed(item.children))
    body = "".join(parts).strip("\n").replace("\u00a0", " ")
    # \x00 shields indentation from the squeeze in to_markdown; removed afterwards
    shielded = "\n".join("\x00" + line for line in body.split("\n"))
    return f"\n\n```{language}\n{shielded}\n```\n\n"


def _own_rows(table: Node) -> list[Node]:
    """The table's own rows (through thead/tbody/tfoot), not those of tables nested in cells."""
    rows: list[Node] = []
    for child in table.children:
        if not isinstance(child, Node):
            continue
        if child.tag == "tr":
            rows.append(child)
        elif child.tag in ("thead", "tbody", "tfoot"):
            rows += [r for r in child.children if isinstance(r, Node) and r.tag == "tr"]
    return rows


def _table(node: Node, skip: Skip, depth: int) -> str:
    rows: list[list[str]] = []
    for row in _own_rows(node):
        cells = [c for c in row.children if isinstance(c, Node) and c.tag in ("td", "th")]
        rows.append([" ".join(_inline(c, skip, depth).split()).replace("|", "\\|") for c in cells])
    rows = [r for r in rows if r]
    if not rows:
        return ""
    width = max(len(r) for r in rows)
    lines = ["| " + " | ".join(r + [""] * (width - len(r))) + " |" for r in rows]
    lines.insert(1, "|" + " --- |" * width)
    return "\n\n" + "\n".join(lines) + "\n\n"
