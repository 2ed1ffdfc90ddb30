"""The sender's language: the site's language is the default answer to "which language should we
answer in", and a language the site speaks is the language of every e-mail to the sender."""

import re

import pytest
from django.core import mail
from django.utils import translation

from inquiries import tasks
from inquiries.forms import InquiryForm
from inquiries.services import inquiry_submit
from tests.inquiries.helpers import valid_data

pytestmark = pytest.mark.django_db

RUSSIAN_DAY_AND_MONTH = re.compile(
    r"\b\d{1,2} (января|февраля|марта|апреля|мая|июня|июля|августа|сентября|октября|ноября|декабря)\b"
)


def submit(data, language):
    form = InquiryForm(data=data)
    assert form.is_valid(), form.errors
    inquiry, _created = inquiry_submit(
        answers=form.answers(),
        documents=[],
        submission_token=form.cleaned_data["submission_token"],
        language=language,
    )
    return inquiry


@pytest.mark.parametrize("language", ["en", "de", "ru"])
def test_the_contact_language_defaults_to_the_language_the_visitor_chose(language):
    with translation.override(language):
        assert InquiryForm().fields["contact_language"].initial == language


def test_the_inquiry_form_page_preselects_the_sites_language(client):
    client.cookies["django_language"] = "ru"
    response = client.get("/inquiry/")
    assert '<option value="ru" selected>' in response.text


def test_a_sender_who_chose_russian_gets_the_confirmation_in_russian():
    inquiry = submit(valid_data(contact_language="ru"), language="en")
    assert inquiry.patient_language == "ru"
    tasks.send_inquiry_confirmation.call(inquiry_id=inquiry.pk)
    message = mail.outbox[0]
    assert message.subject.startswith("Мы получили ваше обращение")
    assert "Здравствуйте!" in message.body
    assert "Спасибо за ваше обращение" in message.body
    # The promised time in Russian words, with the day's grammatical case ("3 декабря"), whatever
    # the month the clock is pinned to.
    assert RUSSIAN_DAY_AND_MONTH.search(message.body), message.body
    for english in ("Hello", "thank you", "reference number", "days", "German time"):
        assert english not in message.body


def test_a_contact_language_the_site_does_not_speak_falls_back_to_the_forms_language():
    inquiry = submit(valid_data(contact_language="uk"), language="de")
    assert inquiry.patient_language == "de"
    tasks.send_inquiry_confirmation.call(inquiry_id=inquiry.pk)
    assert mail.outbox[0].subject.startswith("Wir haben Ihre Anfrage")
