"""The GraphiQL page (GET /api/graphql from a browser) and the Content-Security-Policy that fits it.

The page is Strawberry's: an inline stylesheet and an inline script, plus scripts and stylesheets
from a CDN (each pinned by version and by Subresource Integrity). Its policy is derived from the
page itself, so it allows exactly what the page loads and nothing else:

- script-src / style-src: the sha256 hash of each inline script and style, and the exact URL of
  each external one (no host wildcard, no 'unsafe-inline', no 'unsafe-eval');
- img-src / font-src data: (the favicon, and the images and fonts inlined in GraphiQL's CSS);
- connect-src 'self' (GraphiQL posts the queries to this same URL);
- everything else 'none', including framing (frame-ancestors), <base> and form targets.

GraphiQL's dialogs also add a small <style> for scroll locking at run time; the policy refuses it
(the dialog still works; the page behind it may scroll), which is the price of no 'unsafe-inline'.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from functools import lru_cache
from html.parser import HTMLParser

from strawberry.http.ides import get_graphql_ide_html


@dataclass(frozen=True, slots=True)
class Page:
    html: str
    policy: str


class _Loads(HTMLParser):
    """What a page loads: external script and stylesheet URLs, and the text of inline scripts and styles."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.scripts: list[str] = []
        self.styles: list[str] = []
        self.inline_scripts: list[str] = []
        self.inline_styles: list[str] = []
        self._inline: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "script" and attributes.get("src"):
            self.scripts.append(attributes["src"] or "")
        elif tag == "script":
            self.inline_scripts.append("")
            self._inline = self.inline_scripts
        elif tag == "style":
            self.inline_styles.append("")
            self._inline = self.inline_styles
        elif tag == "link" and (attributes.get("rel") or "").lower() == "stylesheet":
            self.styles.append(attributes.get("href") or "")

    def handle_data(self, data: str) -> None:
        if self._inline is not None:
            self._inline[-1] += data

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._inline = None


def _hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"


def policy_for(html: str) -> str:
    loads = _Loads()
    loads.feed(html)
    loads.close()
    scripts = [_hash(text) for text in loads.inline_scripts] + loads.scripts
    styles = [_hash(text) for text in loads.inline_styles] + loads.styles
    directives = [
        "default-src 'none'",
        "script-src " + (" ".join(scripts) or "'none'"),
        "style-src " + (" ".join(styles) or "'none'"),
        "img-src data:",
        "font-src data:",
        "connect-src 'self'",
        "base-uri 'none'",
        "form-action 'none'",
        "frame-ancestors 'none'",
    ]
    return "; ".join(directives)


@lru_cache(maxsize=1)
def graphiql() -> Page:
    """Strawberry's GraphiQL page and its policy, built once per container."""
    html = get_graphql_ide_html("graphiql")
    return Page(html, policy_for(html))
