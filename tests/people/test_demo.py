import hashlib
import re
from io import StringIO

import pytest
from django.core.management import call_command

from articles.models import Article
from images.models import Image
from people.models import Person

pytestmark = pytest.mark.django_db


def test_the_demo_team_is_invented_with_drawn_portraits_and_loads_idempotently(client):
    call_command("load_demo_content", stdout=StringIO())
    portraits = {image.pk: hashlib.sha256(image.file.read()).hexdigest() for image in Image.objects.all()}
    call_command("load_demo_content", stdout=StringIO())
    assert {image.pk: hashlib.sha256(image.file.read()).hexdigest() for image in Image.objects.all()} == portraits
    people = Person.objects.all()
    assert people.count() == 3 and all(person.is_sample and person.portrait.is_sample for person in people)
    assert all(person.portrait.alt_text_de and person.portrait.alt_text_ru for person in people)
    # Published as reviewed sample data, and still published (not reset) after loading again.
    assert all(person.status == "published" and person.is_public for person in people)
    assert set(Person.objects.listed().values_list("slug", flat=True)) == {person.slug for person in people}
    reviewer = Person.objects.get(slug="jonas-muster")
    guide = Article.objects.published().get(slug="treating-neuroendocrine-tumours-in-germany")
    assert guide.medical_reviewer == reviewer.user and guide.lead_image.is_sample
    html = client.get(guide.get_absolute_url()).text
    assert 'href="/team/jonas-muster/">Dr. med. Jonas Muster</a>' in html
    assert re.search(r"<figure class=\"article-lead-image\">\s*<picture>", html)
    for language in ("de", "ru"):
        client.post("/i18n/setlang/", {"language": language, "next": "/"})
        page = client.get("/team/irina-probe/").text
        assert "Beispielperson" in page if language == "de" else "пример" in page


def test_the_demo_site_links_the_team_page_from_every_page_in_every_language(client):
    call_command("load_demo_content", stdout=StringIO())
    labels = {"en": "Our medical team", "de": "Unser medizinisches Team", "ru": "Наша медицинская команда"}
    for language, label in labels.items():
        client.post("/i18n/setlang/", {"language": language, "next": "/"})
        footer = client.get("/hospitals/").text.split("<footer", 1)[1]
        assert f'<a href="/team/">{label}</a>' in footer
        assert 'href="/team/"' in client.get("/about-us/").text.split("<main", 1)[1].split("</main>", 1)[0]
