"""The kiosk's screens, one module and one .kv file each; name -> class."""

from __future__ import annotations

from kiosk.screens.base import load_rules

load_rules(__file__.replace("__init__", "base"))

from kiosk.screens.guide_list import GuideListScreen  # noqa: E402 - after the base rules
from kiosk.screens.guide_step import GuideStepScreen  # noqa: E402
from kiosk.screens.home import HomeScreen  # noqa: E402
from kiosk.screens.notice import NoticeScreen  # noqa: E402

SCREENS = {
    "home": HomeScreen,
    "guides": GuideListScreen,
    "guide": GuideStepScreen,
    "notice": NoticeScreen,
}

__all__ = ["SCREENS", "GuideListScreen", "GuideStepScreen", "HomeScreen", "NoticeScreen"]
