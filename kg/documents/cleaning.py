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
    r"^(share|spread|tweet|print|email)( this)?( (article|story|page|news|post))?$",
    r"^skip to (main )?content$",
    r"^(log|sign) ?in$",
    r"^(continue reading|back to top|top stor(y|ies)):?\W*$",
    r"^see (all|more)\b.{0,40}$",
    r"^see author'?s posts$",
    r"^full story:",
    r"^\d+ min(ute)?s? read$",
    r"^(\d+ )?days? left to\b.{0,40}$",
    r"^(subscribe|sign up)\b.{0,60}$",
    r"^(advertisement|related( articles| posts)?|read more|more from .{0,40})$",
    r"this field is for validation purposes",
    r"^(©|\(c\)|copyright\b)",
    r"^all rights reserved",
    r"^(scroll|click|tap|swipe)\b.{0,60}\b(see|more|here|continue)\b",
)]
GLUED_NAVIGATION = re.compile(r"[a-z&][A-Z]")
BREADCRUMB_SEPARATOR = re.compile(r"\s+[/>»|]\s+")
# A row of share buttons saved before a caption: 'Facebook Twitter Pinterest Protesters …'.
SHARE_BUTTONS = re.compile(r"^(?:(?:Facebook|Twitter|X|Pinterest|WhatsApp|LinkedIn|Reddit|Telegram|Email|Print)\s+){2,}")
SENTENCE_END = re.compile(r"[.!?:;\"”’')\]]$")
BULLET = re.compile(r"^[•·▪●◦\-*]\s*")


def is_chrome(line: str) -> bool:
    """Site furniture: subscription boxes, share buttons, copyright footers."""
    core = BULLET.sub("", line.strip())
    return any(p.search(core) for p in CHROME)


def is_navigation(line: str) -> bool:
    """Breadcrumbs: saved without separators ('HomeIran News NowIran Opposition & …') or with
    them ('Election'15 / News / The Homeland')."""
    stripped = line.strip()
    if SENTENCE_END.search(stripped):
        return False
    parts = BREADCRUMB_SEPARATOR.split(stripped)
    return len(GLUED_NAVIGATION.findall(line)) >= 2 or len(parts) >= 3 and all(len(p.split()) <= 4 for p in parts)


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
        kept.append(SHARE_BUTTONS.sub("", line.strip()) if SHARE_BUTTONS.match(line.strip()) else line.rstrip())
    return kept


def join_paragraphs(lines: list[str]) -> str:
    """Lines back to text, with at most one blank line between paragraphs."""
    text = "\n".join(lines)
    text = re.sub(r"[ \t]+\n", "\n", text)
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip() + "\n"
