"""The plain-text alternative of a rendered HTML e-mail.

Mail clients that cannot or will not show HTML fall back to this part, and
spam filters look at it, so it should read like a short letter: paragraphs
separated by blank lines, list items as ``- `` lines, links as
``text (url)``, and no markup left.
"""

import re
from html.parser import HTMLParser

__all__ = ["html_to_text"]

# Elements whose content a reader never sees as text.
_HIDDEN = frozenset({"head", "script", "style", "template", "title", "noscript"})
# Elements that stand apart from their neighbours by a blank line.
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_PARAGRAPHS = _HEADINGS | {"p", "blockquote", "pre", "table", "hr", "address"}
# Elements that start on a line of their own.
_SECTIONS = frozenset({"div", "section", "article", "header", "footer", "main"})
_LINES = _SECTIONS | {"tr", "nav", "aside", "dl", "dt", "dd", "caption", "center"}
_LISTS = frozenset({"ul", "ol"})
_CELLS = frozenset({"td", "th"})
_WHITESPACE = re.compile(r"\s+")
_BLANK_LINES = re.compile(r"\n{3,}")


class _TextWriter(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.breaks = 0  # line breaks owed before the next text
        self.bullet = ""  # a "- " owed before the next text
        self.hidden = 0
        self.preformatted = 0
        self.list_depth = 0
        self.links: list[tuple[str, int]] = []  # href, where its text starts

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _HIDDEN:
            self.hidden += 1
        elif tag == "br":
            self.breaks += 1
        elif tag in _LISTS:
            self.owe(1 if self.list_depth else 2)
            self.list_depth += 1
        elif tag == "li":
            self.owe(1)
            self.bullet = "  " * max(self.list_depth - 1, 0) + "- "
        elif tag in _PARAGRAPHS or tag in _LINES:
            self.owe(2 if tag in _PARAGRAPHS else 1)
            if tag == "pre":
                self.preformatted += 1
        elif tag in _CELLS and not self.at_line_start():
            self.write(" ")
        elif tag == "a":
            self.links.append((dict(attrs).get("href") or "", len(self.parts)))

    def handle_endtag(self, tag: str) -> None:
        if tag in _HIDDEN:
            self.hidden = max(self.hidden - 1, 0)
        elif tag in _LISTS:
            self.list_depth = max(self.list_depth - 1, 0)
            self.owe(1 if self.list_depth else 2)
        elif tag == "li":
            self.owe(1)
            self.bullet = ""  # an empty item leaves no stray dash behind
        elif tag in _PARAGRAPHS or tag in _LINES:
            self.owe(2 if tag in _PARAGRAPHS else 1)
            if tag == "pre":
                self.preformatted = max(self.preformatted - 1, 0)
        elif tag == "a" and self.links:
            self.close_link(*self.links.pop())

    def handle_data(self, data: str) -> None:
        if self.hidden:
            return
        if not self.preformatted:
            data = _WHITESPACE.sub(" ", data)
            if self.at_line_start() or self.parts[-1].endswith(" "):
                data = data.lstrip()
        if data:
            self.write(data)

    def close_link(self, href: str, start: int) -> None:
        text = "".join(self.parts[start:]).strip()
        target = href.strip()
        # Anchors and scripts mean nothing outside a browser.
        if not target or target.startswith(("#", "javascript:")):
            return
        shown = target.removeprefix("mailto:").removeprefix("tel:")
        if not text:
            self.write(shown)
        elif shown not in text:
            gap = "" if self.parts[-1].endswith(" ") else " "
            self.write(f"{gap}({shown})")

    def owe(self, breaks: int) -> None:
        # Inside a list, paragraphs would tear the items apart with blank lines.
        self.breaks = max(self.breaks, min(breaks, 1) if self.list_depth else breaks)

    def at_line_start(self) -> bool:
        return not self.parts or self.breaks > 0 or self.parts[-1].endswith("\n")

    def write(self, text: str) -> None:
        if self.breaks and self.parts:
            self.parts.append("\n" * self.breaks)
        self.breaks = 0
        if self.bullet:
            self.parts.append(self.bullet)
            self.bullet = ""
        self.parts.append(text)

    def text(self) -> str:
        lines = (line.rstrip() for line in "".join(self.parts).splitlines())
        return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


def html_to_text(html: str) -> str:
    """Return the readable plain text of an HTML e-mail body."""
    writer = _TextWriter()
    writer.feed(html)
    writer.close()
    return writer.text()
