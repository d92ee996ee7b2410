"""What the outbox may show of a message: that there was a link or a code, never one that works.

An e-mail can carry a password-reset link, an invitation, a personal voting link or code,
a volunteer's answer link. Whoever reads the outbox (an admin of the municipality, the
region) is not the recipient, so every view of a message goes through :func:`mask_secrets`,
and a message that has been sent keeps only the masked body (``scrub_after_send``).
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

HIDDEN = "•••"
_URL = re.compile(r"https?://[^\s<>\"')\]]+")
# a path segment that is a word of the app (a slug, a route name, a number) stays readable
_PLAIN_SEGMENT = re.compile(r"[a-z0-9][a-z0-9-]{0,23}")
# grouped codes typed by hand (voting codes: XXXX-XXXX-XXXX)
_GROUPED_CODE = re.compile(r"\b[0-9A-Z]{4}(?:-[0-9A-Z]{4}){1,}\b")
# anything else that looks like a token: long, and letters mixed with digits or signs
_TOKEN = re.compile(r"(?<![\w@.-])[A-Za-z0-9_\-.~+/=]{20,}(?![\w@-])")


def _mask_url(match: re.Match[str]) -> str:
    url = match.group(0)
    trailing = ""
    while url and url[-1] in ".,;:!?":
        trailing, url = url[-1] + trailing, url[:-1]
    parts = urlsplit(url)
    segments = [s if not s or _PLAIN_SEGMENT.fullmatch(s) else HIDDEN for s in parts.path.split("/")]
    masked = f"{parts.scheme}://{parts.netloc}" + "/".join(segments)
    if parts.query:
        masked += "?" + "&".join(f"{pair.partition('=')[0]}={HIDDEN}" for pair in parts.query.split("&"))
    return masked + trailing


def _looks_like_token(word: str) -> bool:
    return bool(re.search(r"\d", word)) and bool(re.search(r"[A-Za-z]", word))


def _mask_words(text: str) -> str:
    text = _GROUPED_CODE.sub(lambda m: "-".join(HIDDEN for _ in m.group(0).split("-")), text)
    return _TOKEN.sub(lambda m: HIDDEN if _looks_like_token(m.group(0)) else m.group(0), text)


def mask_secrets(text: str | None) -> str:
    """``text`` with every link's secret parts and every code or token replaced by •••."""
    if not text:
        return text or ""
    out, start = [], 0
    for match in _URL.finditer(text):
        out += [_mask_words(text[start:match.start()]), _mask_url(match)]
        start = match.end()
    out.append(_mask_words(text[start:]))
    return "".join(out)
