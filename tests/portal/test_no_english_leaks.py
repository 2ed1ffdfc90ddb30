"""Every public page, read in German and in Russian, shows no English, writes dates the language's
way and puts every count in the right grammatical form.

The content is made language-neutral here (German names, no English notes), so what this test
reads is the interface: templates, forms, help texts, error pages, dates and counts. Text marked
with another `lang` (the language switch names each language in its own words) is left out.
"""

import datetime
import re
from html.parser import HTMLParser

import pytest
from django.core.cache import cache
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import timezone, translation

from hospitals.models import AdmissionStatus, FederalState
from inquiries import checklists, links
from tests.factories import ArticleFactory, TreatmentFactory
from tests.hospitals.factories import (
    CertificationFactory,
    HospitalCertificationFactory,
    HospitalFactory,
    record_status,
)
from tests.inquiries.helpers import valid_data

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)
LANGUAGES = ["de", "ru"]

# Whole English words that no German or Russian page should show outside content. Words German
# shares with English (Status, Filter, Name, Portal, Website, Information) are not in the list.
ENGLISH = re.compile(
    r"\b(the|and|your|you|of|with|for|hospitals?|treatments?|inquiry|inquiries|sample|verified|never|"
    r"unknown|urgent|admits?|admitting|show|clear|search|previous|next|page|results?|found|days?|ago|"
    r"today|yesterday|imprint|privacy|disclaimer|home|skip|menu|send|history|about|language|please|"
    r"error|required|optional|choose|yes|no|January|February|March|May|June|July|October|December|"
    r"Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b",
    re.IGNORECASE,
)
# Words that are the same in English and the tested language's own text, where they are correct.
NOT_ENGLISH_HERE = {"de": set(), "ru": set()}
# Proper names that keep English words in German too (a country's official name), and addresses.
NAMES_AND_ADDRESSES = re.compile(r"Isle of Man|\S+@\S+|https?://\S+")

GERMAN_MONTHS = "Januar|Februar|März|April|Mai|Juni|Juli|August|September|Oktober|November|Dezember"
RUSSIAN_NOMINATIVE_MONTHS = "январь|февраль|март|апрель|май|июнь|июль|август|сентябрь|октябрь|ноябрь|декабрь"
# A German date needs the day's period ("3. Dezember 2026"); a Russian one the month's genitive.
BAD_DATES = {
    "de": re.compile(rf"\b\d{{1,2}} ({GERMAN_MONTHS})\b"),
    "ru": re.compile(rf"\b\d{{1,2}} ({RUSSIAN_NOMINATIVE_MONTHS})\b", re.IGNORECASE),
}
# German: a singular noun after a number other than 1, a plural after 1, "vor 3 Tage" (dative!).
GERMAN_NOUNS = {
    "Tag": ("Tage", "Tagen"),
    "Klinik": ("Kliniken",),
    "Ergebnis": ("Ergebnisse",),
    "Stunde": ("Stunden",),
    "Minute": ("Minuten",),
    "Datei": ("Dateien",),
    "Anfrage": ("Anfragen",),
    "Angabe": ("Angaben",),
}
# Russian: one, few, many; checked where the phrase puts the noun in the nominative/accusative.
RUSSIAN_NOUNS = {
    "день": ("день", "дня", "дней"),
    "клиника": ("клиника", "клиники", "клиник"),
    "результат": ("результат", "результата", "результатов"),
    "статья": ("статья", "статьи", "статей"),
    "час": ("час", "часа", "часов"),
    "минута": ("минуту", "минуты", "минут"),
    "ответ": ("ответ", "ответа", "ответов"),
    "файл": ("файл", "файла", "файлов"),
}


def untranslated_content(language):
    """Document names from inquiries/data that have no label in this language yet: content, which
    branch i18n translates; they drop out of this list by themselves once translated."""
    documents = checklists.load()["documents"].values()
    return [document["en"] for document in documents if not document.get(language)]


def russian_form(number):
    if number % 10 == 1 and number % 100 != 11:
        return 0
    if 2 <= number % 10 <= 4 and not 12 <= number % 100 <= 14:
        return 1
    return 2


class VisibleText(HTMLParser):
    """The text a reader meets: page text and the labels of controls, minus other languages."""

    LABELS = ("alt", "title", "placeholder", "aria-label", "aria-description")
    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

    def __init__(self, language):
        super().__init__()
        self.language, self.stack, self.parts = language, [], []

    def skipping(self):
        return any(skip for skip in self.stack)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        other_language = attrs.get("lang") not in (None, self.language)
        skip = other_language or tag in ("script", "style", "template") or attrs.get("translate") == "no"
        if not (skip or self.skipping()):
            self.parts += [attrs[name] for name in self.LABELS if attrs.get(name)]
            if tag == "meta" and attrs.get("name") == "description":
                self.parts.append(attrs.get("content", ""))
        if tag not in self.VOID:
            self.stack.append(skip)

    def handle_endtag(self, tag):
        if tag not in self.VOID and self.stack:
            self.stack.pop()

    def handle_data(self, data):
        if not self.skipping():
            self.parts.append(data)


def visible_text(html, language):
    parser = VisibleText(language)
    parser.feed(html)
    return re.sub(r"\s+", " ", " ".join(parser.parts))


def problems(html, language):
    """English words, badly written dates and wrongly inflected counts in a page."""
    text = NAMES_AND_ADDRESSES.sub(" ", visible_text(html, language))
    for label in untranslated_content(language):
        text = text.replace(label, " ")
    found = [
        f"English: {m.group(0)!r} in …{text[max(0, m.start() - 40) : m.end() + 40]}…" for m in ENGLISH.finditer(text)
    ]
    found = [f for f in found if f.split("'")[1].lower() not in NOT_ENGLISH_HERE[language]]
    found += [f"date: {m.group(0)!r}" for m in BAD_DATES[language].finditer(text)]
    if language == "de":
        for singular, plurals in GERMAN_NOUNS.items():
            for number, noun in re.findall(rf"\b(\d+) ({singular}|{'|'.join(plurals)})\b", text):
                if (int(number) == 1) != (noun == singular):
                    found.append(f"count: {number} {noun}")
        found += [f"count: {m.group(0)}" for m in re.finditer(r"\bvor \d+ Tage\b", text)]
    else:
        for forms in RUSSIAN_NOUNS.values():
            for number, noun in re.findall(rf"\b(\d+) ({'|'.join(forms)})\b", text):
                if forms.index(noun) != russian_form(int(number)) and not (
                    # After "из" and with other prepositions the genitive is right for every number.
                    re.search(rf"\b(из|для|от|до|после|в течение) {number} {noun}\b", text, re.IGNORECASE)
                ):
                    found.append(f"count: {number} {noun}")
    return found


@pytest.fixture
def content(site_pages):
    """A small directory, an article and an inquiry, named without English words."""
    today, now = timezone.localdate(), timezone.now()
    prrt = TreatmentFactory(slug="lutetium-177-prrt", name_en="Lutetium-177-PRRT", name_de="Lutetium-177-PRRT")
    isarauen = HospitalFactory(
        name="Klinikum Isarauen",
        slug="isarauen",
        city="München",
        postcode="80331",
        state=FederalState.BAVARIA,
        treatments=[prrt],
        is_sample=True,
    )
    record_status(
        isarauen, AdmissionStatus.Status.ACCEPTING, effective_from=today - 60 * DAY, verified_at=now - 60 * DAY
    )
    record_status(
        isarauen,
        AdmissionStatus.Status.URGENT_ONLY,
        effective_from=today - 5 * DAY,
        verified_at=now - 3 * DAY,
        reason=AdmissionStatus.Reason.CAPACITY,
        valid_until=today + 20 * DAY,
    )
    HospitalCertificationFactory(hospital=isarauen, certification=CertificationFactory(name="ENETS", slug="enets"))
    for number, (state, status) in enumerate(
        [(FederalState.BERLIN, "accepting"), (FederalState.HAMBURG, "not_accepting"), (FederalState.SAXONY, None)]
    ):
        hospital = HospitalFactory(name=f"Klinikum Nummer {number + 2}", city="Berlin", state=state, treatments=[prrt])
        if status:
            record_status(hospital, status, verified_at=now - DAY)
    ArticleFactory(
        published=True,
        slug="prrt",
        language="de",
        title="Lutetium-177-PRRT bei neuroendokrinen Tumoren",
        standfirst="Eine Behandlung mit radioaktiv markierten Peptiden.",
        body="## Wirkung\n\nDie Peptide binden an den Tumor.\n\n## Ablauf\n\nVier Zyklen im Abstand von acht Wochen.",
        treatments=[prrt],
    )
    return isarauen


def pages(client, hospital, language):
    """(name, html) of every public page, as a visitor in this language meets it."""
    client.cookies["django_language"] = language
    yield "home", client.get("/").text
    for url in (
        "/imprint/",
        "/privacy/",
        "/medical-disclaimer/",
        "/articles/",
        "/articles/prrt/",
        "/articles/?q=Peptide",
    ):
        yield url, client.get(url).text
    yield "articles, nothing found", client.get("/articles/?q=zzzz").text
    for query in ("", "?state=BY", "?state=HH&status=urgent_only", "?status=nonsense&verified_within=zzz"):
        yield f"/hospitals/{query}", client.get(f"/hospitals/{query}").text
    yield "hospital", client.get(hospital.get_absolute_url()).text
    yield "inquiry form", client.get("/inquiry/").text
    yield "inquiry form with errors", client.post("/inquiry/", {"website": ""}).text
    sent = client.post("/inquiry/", valid_data(contact_language=language), follow=True)
    assert sent.redirect_chain, "the inquiry was not accepted"
    yield "confirmation", sent.text
    yield "follow-up link request", client.get("/inquiry/follow-up/").text
    yield (
        "follow-up link request sent",
        client.post(
            "/inquiry/follow-up/", {"reference": "AAAA-BBBB-CCCC", "email": "a@example.invalid"}, follow=True
        ).text,
    )
    yield "follow-up link broken", client.get("/inquiry/follow-up/open/", {"token": "broken"}).text
    from inquiries.models import Inquiry

    inquiry = Inquiry.objects.latest("created_at")
    client.get("/inquiry/follow-up/open/", {"token": links.token_for(inquiry)})
    client.cookies["django_language"] = language  # opening a link sets the patient's language
    yield "follow-up page", client.get("/inquiry/follow-up/your-inquiry/").text
    yield "follow-up page with errors", client.post("/inquiry/follow-up/your-inquiry/", {"message": ""}).text
    yield "404", client.get("/no-such-page/").text
    request = RequestFactory().get("/")
    with translation.override(language):
        for template in ("400.html", "403.html", "403_csrf.html", "413.html", "500.html", "503.html"):
            yield template, render_to_string(template, {"limit_mb": 52}, request=request)


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_english_no_bad_dates_no_unpluralised_counts(client, content, language):
    cache.clear()  # the rate limits of the two inquiries sent per language
    report = {}
    for name, html in pages(client, content, language):
        assert f'lang="{language}"' in html, f"{name} is not in {language}"
        found = problems(html, language)
        if found:
            report[name] = found
    assert report == {}, "\n".join(f"{name}: {found}" for name, found in report.items())


@pytest.mark.parametrize(
    ("language", "html", "expected"),
    [
        ("de", "<p>Gilt seit dem 12 November 2026.</p>", "date: '12 November'"),
        ("de", "<p>vor 3 Tage</p>", "count: vor 3 Tage"),
        ("de", "<p>3 Klinik gefunden</p>", "count: 3 Klinik"),
        ("de", "<p>1 Kliniken gefunden</p>", "count: 1 Kliniken"),
        ("de", '<button aria-label="Show menu">≡</button>', "English: 'Show'"),
        ("ru", "<p>Найдено 5 клиники</p>", "count: 5 клиники"),
        ("ru", "<p>3 декабрь 2026</p>", "date: '3 декабрь'"),
        ("ru", "<p>Sample data</p>", "English: 'Sample'"),
    ],
)
def test_the_checks_catch_what_they_look_for(language, html, expected):
    assert any(found.startswith(expected) for found in problems(f'<html lang="{language}">{html}</html>', language))


def test_text_in_another_language_is_not_a_leak():
    html = '<html lang="de"><button lang="en">English</button><p>Sprache</p></html>'
    assert problems(html, "de") == []
    assert problems("<p>Из 3 клиник в нашем справочнике</p>", "ru") == []
