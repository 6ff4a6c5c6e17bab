"""The facts issue 14 found out of date, as the shipped content states them now.

Residents act on what the kiosk tells them: each of these sentences was wrong or missing
once (a wasted trip to the counter, a tax payment refused), so each is held here. The
texts are the Japanese ones the kiosk shows and reads; the other languages are held to
having every text by test_five_languages.py.
"""

from __future__ import annotations

import pytest

from content import load_catalog


@pytest.fixture(scope="module")
def catalog():
    return load_catalog()


def japanese(item) -> str:
    return "\n".join(text.get("ja") for text in item.resident_texts())


def faq_answers(catalog, topic_id: str) -> str:
    topic = catalog.faq_topic(topic_id)
    return "\n".join(q.a.get("ja") for q in topic.questions)


def test_mynaportal_lesson_gives_the_insurance_card_dates(catalog):
    text = japanese(catalog.lesson("mynaportal"))
    assert "2025年12月1日で、紙の健康保険証は使えなくなりました" in text
    assert "後期高齢者医療（75歳以上）" in text and "2026年7月31日まで" in text
    assert "資格確認書が申請しなくても届きます" in text
    assert "2025年9月19日からは、スマホをマイナ保険証として使える" in text


def test_mynaportal_login_guide_has_the_smartphone_certificate_and_the_iphone_card(catalog):
    text = japanese(catalog.guide("mynaportal-login"))
    assert "2023年5月から" in text and "スマホ用電子証明書" in text
    assert "2025年6月24日から" in text and "Face IDでログインできます" in text


def test_hoikuen_fee_states_the_tokyo_rule_for_0_to_2(catalog):
    text = faq_answers(catalog, "hoikuen")
    assert "東京都では2025年9月から、0歳から2歳のクラスも、第1子から所得に関係なく無料" in text


def test_paypay_tax_says_money_lite_cannot_pay_tax_in_the_checklist(catalog):
    guide = catalog.guide("paypay-tax")
    checklist = "\n".join(item.text.get("ja") for item in guide.checklist)
    assert "PayPayマネーライト" in checklist and "税金や国保は払えません" in checklist
    lesson = japanese(catalog.lesson("cashless-payment"))
    assert "マネーライト" in lesson


def test_juminhyo_today_means_the_counter_or_a_convenience_store(catalog):
    text = japanese(catalog.guide("juminhyo"))
    assert "今日ほしい時は、オンラインでは申し込まず" in text
    assert "急ぐ時は" not in text


def test_kodomo_teate_ages_do_not_overlap_at_three(catalog):
    text = faq_answers(catalog, "kodomo-teate")
    assert "3歳未満は15,000円、3歳から高校生の年代までは10,000円" in text
    assert "3歳までは15,000円" not in text


def test_the_card_front_has_the_certificates_expiry_field(catalog):
    text = japanese(catalog.lesson("mynumber-card"))
    assert "カードの表面の「電子証明書の有効期限」の欄に書いてあります" in text


def test_koseki_wide_area_issue_is_full_copies_in_person_only(catalog):
    text = japanese(catalog.guide("koseki"))
    assert "本人が窓口に行けば、戸籍謄本（全部事項証明書）を取れます（広域交付）" in text
    assert "抄本は取れません" in text and "代理人や郵送ではできません" in text
    assert "本人や家族の戸籍証明書を取れます" not in text
