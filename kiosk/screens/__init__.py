"""The kiosk's screens, one module and one .kv file each: name -> "module:Class".

A screen's module (and its .kv rules) is imported the first time the screen is shown
(kiosk.screens.lazy): the kiosk starts with Home alone. An entry may also be the class.
"""

from __future__ import annotations

from kiosk.screens.base import load_rules

load_rules(__file__.replace("__init__", "base"))

_BOOKING = "kiosk.screens.booking:"
_WALK = "kiosk.screens.guide_walk:"

SCREENS: dict[str, str | type] = {
    "home": "kiosk.screens.home:HomeScreen",
    "guides": "kiosk.screens.guide_list:GuideListScreen",
    "guide": "kiosk.screens.guide_step:GuideStepScreen",
    "finder": "kiosk.screens.finder:FinderScreen",
    "guide_overview": _WALK + "GuideOverviewScreen",
    "guide_checklist": _WALK + "GuideChecklistScreen",
    "guide_handoff": _WALK + "GuideHandoffScreen",
    "faq": "kiosk.screens.faq:FaqScreen",
    "ask": "kiosk.screens.ask:AskScreen",
    "ask_keys": "kiosk.screens.ask:AskKeysScreen",
    "notice": "kiosk.screens.notice:NoticeScreen",
    "sessions": _BOOKING + "SessionsScreen",
    "consent": _BOOKING + "ConsentScreen",
    "name": _BOOKING + "NameScreen",
    "phone": _BOOKING + "PhoneScreen",
    "birth": _BOOKING + "BirthScreen",
    "device": _BOOKING + "DeviceScreen",
    "confirm": _BOOKING + "ConfirmScreen",
    "result": _BOOKING + "ResultScreen",
    "lookup_entry": "kiosk.screens.lookup:LookupEntryScreen",
    "lookup": "kiosk.screens.lookup:LookupScreen",
    "please_wait": "kiosk.screens.system:PleaseWaitScreen",
    "staff_pin": "kiosk.screens.system:StaffPinScreen",
}

__all__ = ["SCREENS"]
