"""Web-page debris in plain-text articles: what a reader skips without noticing.

Pages saved as text carry navigation, crawl banners, form fields, image slugs and
captions in other scripts. Each rule below names one kind of debris; a line is
kept unless a rule claims it. Paragraph breaks are kept so that sentence
splitting still sees them.
"""
from __future__ import annotations

import re
import unicodedata

CHROME = [re.compile(p, re.IGNORECASE) for p in (
    r"^receive updates$",
    r"^(share|tweet|print|email)( this)?( (article|story|page))?$",
    r"^(subscribe|sign up)\b.{0,60}$",
    r"^(advertisement|related( articles| posts)?|read more|more from .{0,40})$",
    r"this field is for validation purposes",
    r"^(©|\(c\)|copyright\b)",
    r"^all rights reserved",
    r"^(scroll|click|tap|swipe)\b.{0,60}\b(see|more|here|continue)\b",
)]
GLUED_NAVIGATION = re.compile(r"[a-z&][A-Z]")
SENTENCE_END = re.compile(r"[.!?:;\"”’')\]]$")
BULLET = re.compile(r"^[•·▪●◦\-*]\s*")


def is_chrome(line: str) -> bool:
    """Site furniture: subscription boxes, share buttons, copyright footers."""
    core = BULLET.sub("", line.strip())
    return any(p.search(core) for p in CHROME)


def is_navigation(line: str) -> bool:
    """Breadcrumbs saved without separators: 'HomeIran News NowIran Opposition & …'."""
    return len(GLUED_NAVIGATION.findall(line)) >= 2 and not SENTENCE_END.search(line.strip())


def is_slug(line: str) -> bool:
    """Image file names and lower-case captions: no capital letter, no sentence end."""
    stripped = line.strip()
    return bool(stripped) and not any(c.isupper() for c in stripped) and not SENTENCE_END.search(stripped)


def is_foreign_script(line: str) -> bool:
    """Lines mostly in a non-Latin script (Persian photo captions): not for an English model."""
    letters = [c for c in line if c.isalpha()]
    if not letters:
        return False
    latin = sum(1 for c in letters if "LATIN" in unicodedata.name(c, ""))
    return latin / len(letters) < 0.5


def remove_debris(lines: list[str]) -> list[str]:
    """Drop debris lines and repeats of a line already kept (titles printed twice)."""
    kept: list[str] = []
    seen: set[str] = set()
    for line in lines:
        key = line.strip()
        if not key:
            kept.append("")
            continue
        if is_chrome(key) or is_navigation(key) or is_slug(key) or is_foreign_script(key):
            continue
        if key in seen and len(key.split()) >= 3:
            continue
        seen.add(key)
        kept.append(line.rstrip())
    return kept


def join_paragraphs(lines: list[str]) -> str:
    """Lines back to text, with at most one blank line between paragraphs."""
    text = "\n".join(lines)
    text = re.sub(r"[ \t]+\n", "\n", text)
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip() + "\n"
