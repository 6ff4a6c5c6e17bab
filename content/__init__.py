"""Tsunagu's content: guides, lessons and FAQ as YAML, and the small library that reads them.

``load_catalog()`` gives typed, placeholder-resolved content; ``content.furigana`` the
readings of Japanese text; ``content.speech.audio_path`` the clip to play for a text.
"""

from content.loader import Catalog, ContentError, load_catalog
from content.model import FaqTopic, Guide, Lesson, Text

__all__ = ["Catalog", "ContentError", "FaqTopic", "Guide", "Lesson", "Text", "load_catalog"]
