import datetime

import pytest
from django.template import Context, Template
from django.utils import timezone

from hospitals.models import AdmissionStatus, SiteNotice
from taxonomy.models import Treatment
from tests.factories import ArticleFactory, TreatmentFactory
from tests.hospitals.factories import HospitalFactory, record_status

pytestmark = pytest.mark.django_db

Status = AdmissionStatus.Status


def render(source, **context):
    return Template("{% load hospital_links %}" + source).render(Context(context))


@pytest.fixture
def lutetium():
    return TreatmentFactory(slug="lutetium-177-prrt", name_en="Lutetium-177 therapy")


def test_hospitals_offering_lists_admitting_hospitals_first_with_badges(lutetium):
    other = TreatmentFactory(slug="surgery")
    closed = HospitalFactory(name="Aaa Closed", treatments=[lutetium])
    record_status(closed, Status.NOT_ACCEPTING)
    urgent = HospitalFactory(name="Bbb Urgent", treatments=[lutetium])
    record_status(urgent, Status.URGENT_ONLY)
    accepting = HospitalFactory(name="Ccc Open", treatments=[lutetium])
    record_status(accepting, Status.ACCEPTING)
    HospitalFactory(name="Ddd Unrelated", treatments=[other])
    html = render("{% hospitals_offering treatments %}", treatments=Treatment.objects.filter(pk=lutetium.pk))
    assert html.index("Ccc Open") < html.index("Bbb Urgent") < html.index("Aaa Closed")
    assert "Ddd Unrelated" not in html
    assert "Urgent cases only" in html and "Not admitting" in html


def test_hospitals_offering_renders_nothing_without_treatments():
    assert render("{% hospitals_offering treatments %}", treatments=[]).strip() == ""


@pytest.mark.parametrize("count", [3, 60])
def test_hospitals_offering_runs_a_fixed_number_of_queries(
    lutetium, django_assert_num_queries, count, page_cache_schedule
):
    page_cache_schedule()
    for index in range(count):
        record_status(HospitalFactory(treatments=[lutetium]), Status.ACCEPTING if index % 2 else Status.URGENT_ONLY)
    treatments = [lutetium]
    with django_assert_num_queries(1):  # the hospitals with their current status
        html = render("{% hospitals_offering treatments %}", treatments=treatments)
    assert html.count('class="border-bottom py-2"') == min(count, 12)
    assert ("See all hospitals" in html) is (count > 12)


def test_the_article_page_lists_the_hospitals_offering_its_treatments(client, lutetium):
    hospital = HospitalFactory(name="Klinik Isarblick", treatments=[lutetium])
    record_status(hospital, Status.URGENT_ONLY)
    article = ArticleFactory(published=True, treatments=[lutetium])
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    assert "Hospitals offering this treatment" in response.text
    assert "Klinik Isarblick" in response.text
    assert "Urgent cases only" in response.text


def test_the_hospital_profile_links_published_articles_on_its_treatments(client, lutetium):
    hospital = HospitalFactory(treatments=[lutetium])
    published = ArticleFactory(published=True, title="Lutetium explained", treatments=[lutetium])
    ArticleFactory(title="Draft about lutetium", treatments=[lutetium])
    html = client.get(hospital.get_absolute_url()).text
    assert "Read about these treatments" in html
    assert published.get_absolute_url() in html
    assert "Draft about lutetium" not in html


def test_site_notices_show_only_while_active(client):
    now = timezone.now()
    SiteNotice.objects.create(
        title="Lockdown",
        message_en="Many hospitals admit urgent cases only.",
        message_de="Viele Kliniken nehmen nur dringende Fälle auf.",
    )
    SiteNotice.objects.create(
        title="Old notice",
        message_en="Gone",
        starts_at=now - datetime.timedelta(days=5),
        ends_at=now - datetime.timedelta(days=1),
    )
    SiteNotice.objects.create(title="Future notice", message_en="Later", starts_at=now + datetime.timedelta(days=1))
    html = client.get("/articles/").text
    assert "Many hospitals admit urgent cases only." in html
    assert "Old notice" not in html and "Future notice" not in html
    client.cookies["django_language"] = "de"
    assert "Viele Kliniken nehmen nur dringende Fälle auf." in client.get("/").text


def test_error_pages_do_not_show_site_notices(client):
    SiteNotice.objects.create(title="Lockdown", message_en="Check each hospital.")
    assert "Check each hospital." not in client.get("/no-such-page/").text
