"""`tsunagu content check`: every kind of mistake gives one sentence with its file and line."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from content.cli import content
from content.loader import CONTENT_DIR
from content.validate import validate
from tests.content.conftest import edit

GUIDE = "guides/copy.yaml"
LESSON = "lessons/intro-01-power.yaml"
FAQ = "faq/koseki-juminhyo.yaml"
SETTINGS = "settings.sample.yaml"

#: (file, text in the valid fixture, what an author typed instead, every problem expected)
MISTAKES: dict[str, tuple[str, str, str, list[str]]] = {
    "yaml syntax": (
        GUIDE,
        "  ja: 住民票の写しを申し込む\n",
        "  ja: 住民票の写し: 申し込む\n",
        ["guides/copy.yaml:6: the YAML cannot be read: mapping values are not allowed here"],
    ),
    "duplicate key": (
        GUIDE,
        "category: certificates\n",
        "category: certificates\nstatus: withdrawn\n",
        ["guides/copy.yaml:5: the file has the key 'status' twice (first at line 3)"],
    ),
    "typo in a key": (
        GUIDE,
        "for_whom:\n",
        "for_whome:\n",
        [
            "guides/copy.yaml:1: the file has no 'for_whom'",
            "guides/copy.yaml:9: the file has an unknown key 'for_whome' (did you mean 'for_whom'?)",
        ],
    ),
    "typo in a step key": (
        GUIDE,
        "    screen:\n",
        "    screan:\n",
        ["guides/copy.yaml:32: step 1 has an unknown key 'screan' (did you mean 'screen'?)"],
    ),
    "step without ja": (
        GUIDE,
        "      ja: カードをスマホに当てます。\n",
        "",
        ["guides/copy.yaml:41: step 3 has no ja text"],
    ),
    "title without ja-easy": (
        GUIDE,
        "  ja-easy: じゅうみんひょうを　もうしこむ\n",
        "",
        ["guides/copy.yaml:5: title has no ja-easy text"],
    ),
    "unknown language": (
        GUIDE,
        "  ja-easy: じゅうみんひょうを　もうしこむ\n",
        "  jp-easy: じゅうみんひょうを　もうしこむ\n",
        [
            "guides/copy.yaml:5: title has no ja-easy text",
            "guides/copy.yaml:7: title has an unknown key 'jp-easy' (did you mean 'ja-easy'?)",
        ],
    ),
    "empty text": (
        GUIDE,
        "      en: Enter your PIN.\n",
        "      en: ''\n",
        ["guides/copy.yaml:40: step 2 has an empty en text"],
    ),
    "id is not the file name": (
        GUIDE,
        "id: copy\n",
        "id: copie\n",
        ["guides/copy.yaml:1: id 'copie' must equal the file name 'copy'"],
    ),
    "id with capitals": (
        GUIDE,
        "id: copy\n",
        "id: Copy\n",
        ["guides/copy.yaml:1: id 'Copy' may use only a-z, 0-9 and '-'"],
    ),
    "wrong kind": (
        GUIDE,
        "kind: guide\n",
        "kind: lesson\n",
        ["guides/copy.yaml:2: kind is 'lesson' but files in this folder must say 'guide'"],
    ),
    "status outside the enum": (
        GUIDE,
        "status: active\n",
        "status: retired\n",
        ["guides/copy.yaml:3: status is 'retired', which is not one of: active, withdrawn"],
    ),
    "duration zero": (
        GUIDE,
        "duration_minutes: 10\n",
        "duration_minutes: 0\n",
        ["guides/copy.yaml:13: duration_minutes must be a whole number greater than 0"],
    ),
    "too few steps": (
        GUIDE,
        "  - text:\n      ja: カードをスマホに当てます。\n      ja-easy: カードを　スマホに　あてます。\n"
        "      en: Hold the card to the phone.\n",
        "",
        ["guides/copy.yaml:27: steps needs at least 3 items, found 2"],
    ),
    "duplicate checklist id": (
        GUIDE,
        "  - id: pin\n",
        "  - id: card\n",
        ["guides/copy.yaml:25: checklist id 'card' is used twice (first at line 23)"],
    ),
    "unknown lesson": (
        GUIDE,
        "[intro-01-power]",
        "[intro-09-nothing]",
        ["guides/copy.yaml:53: there is no lesson 'intro-09-nothing'"],
    ),
    "missing illustration": (
        GUIDE,
        "media/card.svg",
        "media/cards.svg",
        ["guides/copy.yaml:36: step 1 illustration media/cards.svg does not exist"],
    ),
    "illustration outside media": (
        GUIDE,
        "media/card.svg",
        "media/../settings.sample.yaml",
        [
            "guides/copy.yaml:36: step 1 illustration must be a file under media/, "
            "not 'media/../settings.sample.yaml'"
        ],
    ),
    "unknown placeholder": (
        GUIDE,
        "  ja: １通{fees.copy}円です。\n",
        "  ja: １通{fees.kopy}円です。\n",
        [
            "guides/copy.yaml:15: fee (ja) uses the placeholder {fees.kopy}, "
            "which is not a value in settings.sample.yaml"
        ],
    ),
    "placeholder naming a group": (
        GUIDE,
        "  ja: １通{fees.copy}円です。\n",
        "  ja: １通{fees}円です。\n",
        [
            "guides/copy.yaml:15: fee (ja) uses the placeholder {fees}, "
            "which is not a value in settings.sample.yaml"
        ],
    ),
    "stray brace": (
        GUIDE,
        "  ja: １通{fees.copy}円です。\n",
        "  ja: １通{fees.copy円です。\n",
        [
            "guides/copy.yaml:15: fee (ja) has a brace that is not a placeholder like "
            "{fees.juminhyo_online}"
        ],
    ),
    "http hand-off": (
        GUIDE,
        '  url: "{urls.copy}"\n',
        "  url: http://example.lg.jp/copy\n",
        [
            "guides/copy.yaml:50: handoff url must be a placeholder like {urls.juminhyo} "
            "or an https:// URL"
        ],
    ),
    "sentence without 。": (
        GUIDE,
        "      ja: アプリを開きます。\n",
        "      ja: アプリを開きます\n",
        ["guides/copy.yaml:29: warning: step 1 (ja) does not end its sentence with 。"],
    ),
    "furigana in romaji": (
        GUIDE,
        "  写し: うつし\n",
        "  写し: utsushi\n",
        ["guides/copy.yaml:56: furigana for '写し' must be a reading written in kana"],
    ),
    "unknown guide in the FAQ": (
        FAQ,
        "    guide: copy\n",
        "    guide: copi\n",
        ["faq/koseki-juminhyo.yaml:8: there is no guide 'copi'"],
    ),
    "duplicate question id": (
        FAQ,
        "  - id: time\n",
        "  - id: fee\n",
        ["faq/koseki-juminhyo.yaml:13: question id 'fee' is used twice (first at line 5)"],
    ),
    "variant for a device the lesson does not cover": (
        LESSON,
        "devices: [iphone, android]\n",
        "devices: [android]\n",
        [
            "lessons/intro-01-power.yaml:13: step 1 has a variant for 'iphone', "
            "which is not in devices"
        ],
    ),
    "unknown device": (
        LESSON,
        "devices: [iphone, android]\n",
        "devices: [iphone, android, galaxy]\n",
        [
            "lessons/intro-01-power.yaml:9: device is 'galaxy', which is not one of: "
            "iphone, android, senior"
        ],
    ),
    "too few can_do": (
        LESSON,
        "  - id: power-off\n    text: {ja: 電源を切ることができる, en: I can turn the phone off}\n",
        "",
        ["lessons/intro-01-power.yaml:17: can_do needs at least 2 items, found 1"],
    ),
    "intro lesson without order": (
        LESSON,
        "order: 1\n",
        "",
        ["lessons/intro-01-power.yaml:3: an intro lesson needs an 'order'"],
    ),
    "level outside the enum": (
        LESSON,
        "level: beginner\n",
        "level: expert\n",
        [
            "lessons/intro-01-power.yaml:4: level is 'expert', which is not one of: "
            "beginner, basic, practical, advanced"
        ],
    ),
    "lesson without en": (
        LESSON,
        "title: {ja: 電源を入れる, en: Turning the phone on}\n",
        "title: {ja: 電源を入れる}\n",
        ["lessons/intro-01-power.yaml:6: title has no en text"],
    ),
    "duplicate settings key": (
        SETTINGS,
        "urls:\n",
        "fees:\n  copy: 400\nurls:\n",
        ["settings.sample.yaml:7: the settings file has the key 'fees' twice (first at line 5)"],
    ),
    "settings without the sample flag": (
        SETTINGS,
        "sample: true\n",
        "",
        ["settings.sample.yaml:1: the settings must say 'sample: true' or 'sample: false'"],
    ),
}


def reported(root: Path) -> list[str]:
    """What `content check` says about ``root``, one string per problem."""
    return [str(p) for p in validate(root)]


def test_the_valid_fixture_has_no_problem(content_dir: Path) -> None:
    assert reported(content_dir) == []


@pytest.mark.parametrize("mistake", MISTAKES, ids=list(MISTAKES))
def test_each_mistake_is_one_sentence_at_its_line(content_dir: Path, mistake: str) -> None:
    file, old, new, expected = MISTAKES[mistake]
    edit(content_dir / file, old, new)
    assert reported(content_dir) == expected


def test_a_hand_off_to_an_http_setting_is_refused_in_both_files(content_dir: Path) -> None:
    edit(content_dir / SETTINGS, "urls:\n", "urls:\n  plain: http://example.lg.jp/insecure\n")
    edit(content_dir / GUIDE, '  url: "{urls.copy}"\n', '  url: "{urls.plain}"\n')
    assert reported(content_dir) == [
        "guides/copy.yaml:50: handoff url {urls.plain} is 'http://example.lg.jp/insecure' "
        "in the settings, not an https:// URL",
        "settings.sample.yaml:8: the setting 'urls.plain' must be a public web address "
        "starting with https://",
    ]


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("urls:\n", "urls:\n  map: example.lg.jp/map\n", "urls.map"),
        ("sample: true\n", "sample: true\nphones:\n  desk: 03-1234-567８\n", "phones.desk"),
        ("fees:\n", "fees:\n  help_phone: call us\n", "fees.help_phone"),
    ],
)
def test_a_setting_not_of_its_kind_is_named(content_dir: Path, old, new, expected) -> None:
    """As the settings page refuses it: a URL must be https://, a phone number digits and
    hyphens (the page turns full-width digits into plain ones; a file must have them)."""
    edit(content_dir / SETTINGS, old, new)
    found = reported(content_dir)
    assert len(found) == 1 and f"the setting '{expected}' must be" in found[0], found


def test_a_text_in_several_languages_is_words_whatever_its_key(content_dir: Path) -> None:
    edit(
        content_dir / SETTINGS,
        "sample: true\n",
        "sample: true\nphones:\n  desk: {ja: 窓口でお尋ねください, en: Ask at the desk}\n",
    )
    assert reported(content_dir) == []


def test_an_empty_file_is_reported(content_dir: Path) -> None:
    (content_dir / GUIDE).write_text("", encoding="utf-8")
    assert reported(content_dir) == ["guides/copy.yaml:1: the file is empty"]


def test_a_tab_in_the_indentation_is_a_syntax_error_with_its_line(content_dir: Path) -> None:
    edit(content_dir / GUIDE, "      en: Open the app.\n", "\ten: Open the app.\n")
    assert reported(content_dir) == [
        "guides/copy.yaml:31: the YAML cannot be read: "
        "found character '\\t' that cannot start any token"
    ]


def test_two_intro_lessons_cannot_share_an_order(content_dir: Path) -> None:
    second = content_dir / "lessons" / "intro-02-touch.yaml"
    shutil.copy(content_dir / LESSON, second)
    edit(second, "id: intro-01-power\n", "id: intro-02-touch\n")
    assert reported(content_dir) == [
        "lessons/intro-02-touch.yaml:5: order 1 is also the order of lessons/intro-01-power.yaml"
    ]


def test_check_exits_1_on_errors_and_0_on_warnings_only(content_dir: Path) -> None:
    runner = CliRunner()
    edit(content_dir / GUIDE, "      ja: アプリを開きます。\n", "      ja: アプリを開きます\n")
    warned = runner.invoke(content, ["check", "--dir", str(content_dir)])
    assert warned.exit_code == 0, warned.output
    assert "0 errors, 1 warnings." in warned.output
    edit(content_dir / GUIDE, "status: active\n", "status: retired\n")
    failed = runner.invoke(content, ["check", "--dir", str(content_dir)])
    assert failed.exit_code == 1
    assert "guides/copy.yaml:3: status is 'retired'" in failed.output


@pytest.mark.skipif(
    not (CONTENT_DIR / "guides").is_dir(), reason="the real content is not in this checkout"
)
def test_the_shipped_content_passes_check(frozen_clock) -> None:
    from tests.conftest import TOKYO_MIDNIGHT
    from tsunagu.cli import main

    frozen_clock(TOKYO_MIDNIGHT)  # content check compares each item's checked: with today
    result = CliRunner().invoke(main, ["content", "check"])
    assert result.exit_code == 0, result.output


#: (what the illustration file holds, the problem `content check` reports at the step)
BAD_SVGS: dict[str, tuple[str, str]] = {
    "not parsing": (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 4 3">\n<title>A card</title>\n'
        '<rect width="4" height="3">\n</svg>\n',
        "step 1 illustration media/card.svg:4: it is not well-formed XML (mismatched tag)",
    ),
    "without a viewBox": (
        '<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="40" height="25">'
        "<title>A card</title></svg>\n",
        "step 1 illustration media/card.svg:2: its <svg> element has no viewBox, "
        "so it cannot be scaled",
    ),
    "not svg at all": (
        "<html><body>A card</body></html>\n",
        "step 1 illustration media/card.svg:1: its root element is <html>, "
        "not <svg> in the SVG namespace",
    ),
    "with a script": (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 4 3">\n<title>A card</title>\n'
        "<script>alert(1)</script></svg>\n",
        "step 1 illustration media/card.svg:3: it contains <script>, which a picture must not have",
    ),
    "loading another file": (
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
        'viewBox="0 0 4 3">\n<title>A card</title>\n'
        '<image xlink:href="https://example.com/card.png"/></svg>\n',
        "step 1 illustration media/card.svg:3: it refers to another file "
        "(https://example.com/card.png); a picture must be self-contained",
    ),
}


@pytest.mark.parametrize("case", BAD_SVGS, ids=list(BAD_SVGS))
def test_an_unusable_svg_is_one_error_naming_the_file_and_its_line(
    content_dir: Path, case: str
) -> None:
    body, problem = BAD_SVGS[case]
    (content_dir / "media" / "card.svg").write_text(body, encoding="utf-8")
    assert reported(content_dir) == [f"guides/copy.yaml:36: {problem}"]


def test_an_illustration_that_is_not_svg_is_reported(content_dir: Path) -> None:
    (content_dir / "media" / "card.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    edit(content_dir / GUIDE, "media/card.svg", "media/card.png")
    assert reported(content_dir) == [
        "guides/copy.yaml:36: step 1 illustration media/card.png is not an SVG file (.svg)"
    ]


def test_an_svg_without_a_title_is_a_warning(content_dir: Path) -> None:
    edit(content_dir / "media" / "card.svg", "<title>A card</title>", "")
    assert reported(content_dir) == [
        "guides/copy.yaml:36: warning: step 1 illustration media/card.svg has no <title> "
        "(its description in English)"
    ]


def test_a_picture_uploaded_on_the_staff_site_is_a_usable_illustration(content_dir: Path) -> None:
    """Issue 18: an editor's PNG under media/uploads/ (kept re-encoded by the site)."""
    (content_dir / "media" / "uploads").mkdir()
    (content_dir / "media" / "uploads" / "0123abcd.png").write_bytes(PNG_BYTES)
    edit(content_dir / GUIDE, "media/card.svg", "media/uploads/0123abcd.png")
    assert reported(content_dir) == []


def test_an_uploaded_picture_that_is_missing_or_not_png_is_reported(content_dir: Path) -> None:
    (content_dir / "media" / "uploads").mkdir()
    (content_dir / "media" / "uploads" / "fake.jpg").write_text("<svg/>", encoding="utf-8")
    edit(content_dir / GUIDE, "media/card.svg", "media/uploads/gone.png")
    assert reported(content_dir) == [
        "guides/copy.yaml:36: step 1 illustration media/uploads/gone.png does not exist"
    ]
    edit(content_dir / GUIDE, "media/uploads/gone.png", "media/uploads/fake.jpg")
    assert reported(content_dir) == [
        "guides/copy.yaml:36: step 1 illustration media/uploads/fake.jpg is not a PNG or JPEG "
        "picture"
    ]


#: a 1×1 PNG, as Pillow writes it
PNG_BYTES = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
    "0000000d4944415478da63f8cfc0f01f0005000201a2d3a4d90000000049454e44ae426082"
)
