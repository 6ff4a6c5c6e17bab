"""The kiosk's screens, one module and one .kv file each; name -> class."""

from __future__ import annotations

from kiosk.screens.base import load_rules

load_rules(__file__.replace("__init__", "base"))

from kiosk.screens.booking import (  # noqa: E402 - after the base rules
    BirthScreen,
    ConfirmScreen,
    ConsentScreen,
    DeviceScreen,
    NameScreen,
    PhoneScreen,
    ResultScreen,
    SessionsScreen,
)
from kiosk.screens.faq import FaqScreen  # noqa: E402
from kiosk.screens.finder import FinderScreen  # noqa: E402
from kiosk.screens.guide_list import GuideListScreen  # noqa: E402
from kiosk.screens.guide_step import GuideStepScreen  # noqa: E402
from kiosk.screens.guide_walk import (  # noqa: E402 - before finder and faq: PageTurner
    GuideChecklistScreen,
    GuideHandoffScreen,
    GuideOverviewScreen,
)
from kiosk.screens.home import HomeScreen  # noqa: E402
from kiosk.screens.notice import NoticeScreen  # noqa: E402
from kiosk.screens.system import PleaseWaitScreen, StaffPinScreen  # noqa: E402

SCREENS = {
    "home": HomeScreen,
    "guides": GuideListScreen,
    "guide": GuideStepScreen,
    "finder": FinderScreen,
    "guide_overview": GuideOverviewScreen,
    "guide_checklist": GuideChecklistScreen,
    "guide_handoff": GuideHandoffScreen,
    "faq": FaqScreen,
    "notice": NoticeScreen,
    "sessions": SessionsScreen,
    "consent": ConsentScreen,
    "name": NameScreen,
    "phone": PhoneScreen,
    "birth": BirthScreen,
    "device": DeviceScreen,
    "confirm": ConfirmScreen,
    "result": ResultScreen,
    "please_wait": PleaseWaitScreen,
    "staff_pin": StaffPinScreen,
}

__all__ = ["SCREENS"]
