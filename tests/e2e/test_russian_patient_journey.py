"""Issue 12's "done when": a Russian-speaking patient reads the NET guide, finds a hospital in
Bavaria that admits urgent cases, and sends an inquiry, entirely in Russian, on a phone, with axe
on every page. The confirmation e-mail is in Russian too."""

import io
import re

import pytest
from django.core import mail
from django.core.management import call_command

from articles.models import Article
from inquiries import tasks
from inquiries.models import Inquiry
from tests.e2e.conftest import ARTIFACTS
from tests.e2e.test_phone_and_languages import strict_axe

pytestmark = pytest.mark.django_db(transaction=True)


def net_guide():
    """The NET treatment guide: the Russian one when the demo content has it, else the English one."""
    guides = Article.objects.published().filter(conditions__slug__contains="neuroendocrine").distinct()
    return guides.filter(language="ru").first() or guides.filter(language="en").first()


def test_a_russian_speaking_patient_reads_the_net_guide_finds_a_bavarian_hospital_and_asks(phone_page):
    call_command("load_demo_content", stdout=io.StringIO())
    page = phone_page

    def shot(name):
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"journey-ru-{name}.png"), full_page=True)

    page.goto("/")
    page.get_by_role("button", name="Русский").click()  # in the header bar, no menu to open
    page.get_by_role("heading", level=1, name=re.compile("Лечение в Германии")).wait_for()
    strict_axe(page)
    shot("home")

    # The NET guide.
    page.get_by_role("link", name="Читать статьи").click()
    page.get_by_role("heading", level=1).wait_for()
    strict_axe(page)
    guide = net_guide()
    page.get_by_role("link", name=guide.title).first.click()
    page.get_by_role("heading", level=1, name=guide.title).wait_for()
    assert page.locator("html").get_attribute("lang") == "ru"
    assert page.get_by_text("Эта статья объясняет возможности лечения в общих чертах").is_visible()
    strict_axe(page)
    shot("guide")

    # Hospitals in Bavaria that admit urgent cases.
    page.get_by_role("button", name="Показать меню").click()
    page.get_by_role("link", name="Клиники", exact=True).click()
    page.get_by_role("heading", level=1, name="Клиники в Германии, которые принимают иностранных пациентов").wait_for()
    page.locator("#filter-panel > summary").click()
    page.get_by_label("Федеральная земля").select_option(label="Бавария")
    page.get_by_label("Статус приёма").select_option(label="Только срочные случаи")
    page.wait_for_function("() => document.getElementById('filter-summary-label').textContent.includes('2')")
    page.get_by_role("button", name="Показать клиники").click()
    page.wait_for_function("() => document.activeElement.id === 'hospital-results'")
    results = page.locator("#hospital-results")
    assert re.search(r"Найден[оа]? \d+ клиник", results.inner_text())
    badges = results.locator(".badge-status")
    assert badges.count() >= 1
    assert all("Только срочные случаи" in text for text in badges.all_inner_texts())
    strict_axe(page)
    shot("directory")

    results.locator("h2 a").first.click()
    page.get_by_role("heading", level=2, name="Приём иностранных пациентов сейчас").wait_for()
    hospital = page.get_by_role("heading", level=1).inner_text()
    assert "Только срочные случаи" in page.locator("section.current-status").inner_text()
    strict_axe(page)
    shot("hospital")

    # The inquiry, about this hospital.
    page.get_by_role("link", name=re.compile("Отправить обращение о клинике")).click()
    page.get_by_role("heading", level=1, name="Отправить обращение").wait_for()
    assert page.get_by_text("Это не служба экстренной помощи").is_visible()
    preferred = page.get_by_label("Предпочтительная клиника (необязательно)")
    assert preferred.locator("option:checked").inner_text() == hospital
    page.get_by_label("Я родственник или друг пациента").check()
    page.get_by_label("Полное имя пациента").fill("Ivan Primerov")
    page.get_by_label("Год рождения пациента").fill("1962")
    page.get_by_label("Страна проживания пациента").select_option("KZ")
    page.get_by_label("Адрес эл. почты для нашего ответа").fill("syn@example.invalid")
    language = page.get_by_label("На каком языке нам ответить?")
    assert language.input_value() == "ru"  # the language the patient chose with the switch
    page.get_by_label("Диагноз своими словами").fill("Нейроэндокринная опухоль тонкой кишки, метастазы в печени")
    page.locator("#id_is_cancer_0").check()
    page.get_by_label("Вид опухоли").select_option("neuroendocrine")
    page.locator("#id_metastases_0").check()
    page.locator("#id_doctor_two_week_start_0").check()
    page.locator("#id_symptoms_worsening_0").check()
    page.locator("#id_treatment_interrupted_1").check()
    strict_axe(page)
    page.get_by_role("button", name="Отправить обращение").last.click()

    # One answer is missing: the consent. The form says so in Russian and keeps everything.
    summary = page.locator("#error-summary")
    summary.wait_for()
    assert "Пожалуйста, исправьте 1 ответ." in summary.inner_text()
    assert page.get_by_label("Полное имя пациента").input_value() == "Ivan Primerov"
    strict_axe(page)
    page.locator("#id_consent_health_data").check()
    page.get_by_role("button", name="Отправить обращение").last.click()

    page.get_by_role("heading", level=1, name="Спасибо, мы получили ваше обращение").wait_for()
    reference = page.get_by_test_id("reference")
    assert re.fullmatch(r"[2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4}", reference.inner_text())
    assert reference.evaluate("e => e.getClientRects().length") == 1  # never broken across lines
    assert "Ваше обращение отмечено как срочное" in page.content()
    assert re.search(
        r"\d{1,2} (января|февраля|марта|апреля|мая|июня|июля|августа|сентября|октября|ноября|декабря)", page.content()
    )
    strict_axe(page)
    shot("confirmation")

    inquiry = Inquiry.objects.get(reference=reference.inner_text())
    assert inquiry.contact_language == "ru" and inquiry.language == "ru"
    assert inquiry.preferred_hospital.name == hospital
    tasks.send_inquiry_confirmation.call(inquiry_id=inquiry.pk)
    (message,) = [m for m in mail.outbox if m.to == ["syn@example.invalid"]]
    assert message.subject.startswith("Мы получили ваше обращение")
    assert "Здравствуйте!" in message.body and "Hello" not in message.body
