"""Where a `?next=` may send the browser: a path on this site, and nothing else.

Every place that reads `next` (the login page, the staff login redirect, the public
language switch) goes through `safe_next`. A check on the raw text is not enough:
the browser (WHATWG URL parsing) and Werkzeug both rewrite the value first —
`/\t/evil.example` loses its tab and becomes `//evil.example`, another host;
`/\\evil.example` is `//evil.example` to a browser; `/\r\nX: 1` would split the header.
So the value is normalised the way a browser does it, then judged, and what is returned
is the normalised value: exactly the place the browser will go.
"""

from __future__ import annotations

from urllib.parse import urlsplit

#: leading and trailing C0 controls and spaces are stripped by URL parsers
_C0_AND_SPACE = "".join(chr(code) for code in range(0x21))
#: removed anywhere in a URL by URL parsers (and by Werkzeug's Location header)
_TAB_AND_NEWLINES = str.maketrans("", "", "\t\n\r")
#: longer than any page of ours needs; a long Location is refused by some proxies
MAX_NEXT_LENGTH = 2000


def normalise_url(target: str) -> str:
    """`target` as a browser reads it: outer controls and spaces, tabs and newlines
    removed, backslashes as slashes (what browsers do for http and https)."""
    return target.strip(_C0_AND_SPACE).translate(_TAB_AND_NEWLINES).replace("\\", "/")


def safe_next(target: str | None) -> str | None:
    """`target` normalised if it is a path on this site, else None (the caller then
    goes to its own default page: the role's home, the public schedule)."""
    if not target or len(target) > MAX_NEXT_LENGTH:
        return None
    url = normalise_url(target)
    # a path, not a scheme ("javascript:", "https:") and not an authority ("//host")
    if not url.startswith("/") or url.startswith("//"):
        return None
    # any control character left inside is not part of a page address of ours
    if any(ord(char) < 0x20 or ord(char) == 0x7F for char in url):
        return None
    parts = urlsplit(url)
    if parts.scheme or parts.netloc:
        return None
    return url
