"""Handouts: lessons and guides in large print, with furigana on request (Flask test client)."""

from __future__ import annotations

import re

import pytest


@pytest.fixture
def instructor(as_role, ward):
    return as_role("instructor")


def test_a_lesson_handout_is_japanese_large_print_for_the_chosen_phone(instructor):
    response = instructor.get("/handouts/lessons/intro-01-power?device=iphone")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert '<html lang="ja">' in html
    assert "電源とボタン" in html
    assert "サイドボタンを、リンゴのマークが出るまで長押しします。" in html  # the iPhone variant
    assert "電源ボタンを、メーカーのマークが出るまで長押しします。" not in html  # not Android's
    assert "電源を切ることができる" in html  # the "I can ..." list
    assert "css/handouts.css" in html


def test_a_step_without_a_variant_for_the_phone_keeps_the_common_text(instructor):
    html = instructor.get("/handouts/lessons/intro-01-power?device=senior").get_data(as_text=True)
    # step 4 has no senior variant
    assert "電源ボタンを短く1回押すと、画面が消えます。" in html


def test_furigana_renders_ruby_only_when_asked(instructor):
    plain = instructor.get("/handouts/lessons/intro-01-power").get_data(as_text=True)
    ruby = instructor.get("/handouts/lessons/intro-01-power?furigana=1").get_data(as_text=True)
    assert "<ruby>" not in plain
    assert "<ruby>電源<rt>でんげん</rt></ruby>" in ruby
    assert len(re.findall("<ruby>", ruby)) > 50


def test_a_guide_handout_has_its_steps_and_the_hand_off_qr_code(instructor):
    response = instructor.get("/handouts/guides/juminhyo?furigana=1")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and '<html lang="ja">' in html
    assert "<ruby>" in html
    assert "<svg" in html and 'class="qr"' in html


def test_a_withdrawn_or_unknown_guide_has_no_handout(instructor):
    assert instructor.get("/handouts/guides/vaccine-voucher").status_code == 404
    assert instructor.get("/handouts/guides/no-such-guide").status_code == 404
    assert instructor.get("/handouts/lessons/no-such-lesson").status_code == 404
    assert instructor.get("/handouts/lessons/intro-01-power?device=fax").status_code == 404


def test_the_handout_list_offers_lessons_and_active_guides_only(instructor):
    html = instructor.get("/handouts/").get_data(as_text=True)
    assert "/handouts/lessons/intro-01-power?device=iphone" in html
    assert "/handouts/guides/juminhyo" in html
    assert "vaccine-voucher" not in html


def test_handouts_need_a_login(client, ward):
    response = client.get("/handouts/guides/juminhyo")
    assert response.status_code == 302 and response.location.startswith("/login")


def test_handouts_keep_to_the_content_security_policy(instructor):
    html = instructor.get("/handouts/guides/juminhyo").get_data(as_text=True)
    assert "<style" not in html and " style=" not in html
    assert not re.search(r"<script(?![^>]*\bsrc=)", html)
    assert "http://" not in html.replace("http://www.w3.org/2000/svg", "")


def test_the_lesson_handouts_phone_menu_is_labelled_as_the_model_not_the_phone_number(instructor):
    html = instructor.get("/handouts/lessons/intro-01-power").get_data(as_text=True)
    assert '<label for="device">機種</label>' in html
    assert ">電話<" not in html
