"""Every write that changes a public page makes it fresh on the very next request.

Each test caches the pages first (a hit proves it), changes the content the way staff do (a
service, an admin form, an import), lets the transaction commit, and reads the pages again.
"""

import datetime
import io

import pytest
import tablib
from django.utils import timezone

from articles import services as article_services
from articles.models import Article
from hospitals.models import AdmissionStatus, Certification, HospitalCertification, SiteNotice
from hospitals.resources import HospitalResource
from tests.factories import ArticleFactory, TreatmentFactory
from tests.hospitals.factories import CertificationFactory, HospitalFactory, record_status

pytestmark = pytest.mark.django_db

Status = AdmissionStatus.Status


def cached(client, *urls):
    """Fetch each page twice: the second answer must come from the cache."""
    for url in urls:
        client.get(url)
        response = client.get(url)
        assert response.get("X-Page-Cache") == "hit", url


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """Run the block's on-commit callbacks, as a real commit would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def lutetium(db):
    return TreatmentFactory(slug="lutetium-177-prrt", name_en="Lutetium-177 therapy", name_de="Lutetium-177-Therapie")


@pytest.fixture
def hospital(lutetium):
    hospital = HospitalFactory(slug="klinik-isar", name="Klinik Isar", treatments=[lutetium])
    record_status(hospital, Status.ACCEPTING)
    return hospital


@pytest.fixture
def article(lutetium):
    return ArticleFactory(published=True, slug="prrt", title="PRRT explained", treatments=[lutetium])


ARTICLE_PAGES = ["/", "/articles/", "/articles/feed/", "/sitemap.xml"]


# --- articles ---------------------------------------------------------------------------------


def test_publishing_shows_the_article_at_once(client, commit, medical_reviewer, lutetium):
    draft = ArticleFactory(slug="new-one", title="A brand-new article", status="in_review", treatments=[lutetium])
    cached(client, *ARTICLE_PAGES)
    assert client.get("/articles/new-one/").status_code == 404
    with commit():
        article_services.article_publish(article=draft, user=medical_reviewer)
    for url in ARTICLE_PAGES:
        assert "A brand-new article" in client.get(url).text or "new-one" in client.get(url).text, url
    assert client.get("/articles/new-one/").status_code == 200


@pytest.mark.parametrize("step", ["archive", "return_to_draft"])
def test_unpublishing_removes_the_article_at_once(client, commit, medical_reviewer, article, step):
    cached(client, "/articles/", "/articles/prrt/", "/articles/feed/", "/sitemap.xml")
    with commit():
        getattr(article_services, f"article_{step}")(article=article, user=medical_reviewer)
    assert client.get("/articles/prrt/").status_code == 404
    for url in ("/articles/", "/articles/feed/", "/sitemap.xml"):
        assert "/articles/prrt/" not in client.get(url).text, url


def test_a_reviewers_edit_of_a_published_article_shows_at_once(client, commit, medical_reviewer, article):
    cached(client, "/articles/prrt/")
    client.force_login(medical_reviewer)
    data = {
        "title": "PRRT explained",
        "slug": "prrt",
        "language": "en",
        "standfirst": article.standfirst,
        "body": "## Corrected\n\nThe dose is 7.4 GBq.",
        "treatments": [t.pk for t in article.treatments.all()],
        "lead_image_alt": "",
        "expires_at_0": "",
        "expires_at_1": "",
        "review_interval_months": "12",
        "references-TOTAL_FORMS": "0",
        "references-INITIAL_FORMS": "0",
        "references-MIN_NUM_FORMS": "0",
        "references-MAX_NUM_FORMS": "1000",
        "_save": "Save",
    }
    with commit():
        response = client.post(f"/admin/articles/article/{article.pk}/change/", data)
    assert response.status_code == 302
    client.logout()
    client.cookies.clear()
    assert "The dose is 7.4 GBq." in client.get("/articles/prrt/").text


def test_recording_a_review_shows_the_new_date_at_once(client, commit, medical_reviewer, article):
    cached(client, "/articles/prrt/")
    with commit():
        article_services.article_record_review(article=article, user=medical_reviewer)
    # The reviewed-on date (the factory's review was yesterday).
    assert f'<time datetime="{timezone.localdate():%Y-%m-%d}">' in client.get("/articles/prrt/").text


def test_a_draft_being_saved_does_not_empty_the_cache(client, commit, editor):
    draft = ArticleFactory(slug="draft", status="draft")
    cached(client, "/articles/")
    with commit():
        article_services.article_submit_for_review(article=draft, user=editor)
    assert client.get("/articles/").get("X-Page-Cache") == "hit"


def test_a_rolled_back_change_keeps_the_cache(client, commit, medical_reviewer):
    draft = ArticleFactory(slug="refused", status="draft")
    cached(client, "/articles/")
    with commit(), pytest.raises(article_services.TransitionNotAllowed):
        article_services.article_publish(article=draft, user=medical_reviewer)
    assert client.get("/articles/").get("X-Page-Cache") == "hit"


# --- hospitals --------------------------------------------------------------------------------

HOSPITAL_PAGES = ["/", "/hospitals/", "/hospitals/klinik-isar/", "/hospitals/status.json", "/hospitals/status.csv"]


def test_recording_a_status_shows_it_at_once_everywhere(client, commit, hospital, article):
    cached(client, *HOSPITAL_PAGES, "/articles/prrt/", "/hospitals/?status=not_accepting")
    with commit():
        record_status(hospital, Status.NOT_ACCEPTING, reason=AdmissionStatus.Reason.LOCKDOWN)
    for url in ("/hospitals/", "/hospitals/klinik-isar/", "/articles/prrt/"):
        assert "Not admitting" in client.get(url).text, url
    assert "Klinik Isar" in client.get("/hospitals/?status=not_accepting").text
    assert client.get("/hospitals/status.json").json()["hospitals"][0]["status"] == "not_accepting"
    assert "not_accepting" in client.get("/hospitals/status.csv").text
    assert 'href="/hospitals/?status=not_accepting"><span class="badge-status badge-status-danger"' in (
        client.get("/").text
    )


def test_recording_a_status_in_the_admin_shows_it_at_once(client, commit, hospital, directory_maintainer):
    cached(client, "/hospitals/klinik-isar/")
    client.force_login(directory_maintainer)
    with commit():
        response = client.post(
            "/admin/hospitals/hospital/",
            {
                "action": "record_new_status",
                "_selected_action": [hospital.pk],
                "apply": "1",
                "status": Status.URGENT_ONLY,
                "effective_from": timezone.localdate().isoformat(),
                "reason": AdmissionStatus.Reason.CAPACITY,
                "source": AdmissionStatus.Source.PHONE,
            },
        )
    assert response.status_code == 302
    client.logout()
    client.cookies.clear()
    assert "Urgent cases only" in client.get("/hospitals/klinik-isar/").text


def _admin(client, user):
    client.force_login(user)
    return client


def _anonymous(client):
    client.logout()
    client.cookies.clear()
    return client


def test_editing_a_hospital_in_the_admin_shows_at_once(client, commit, hospital, directory_maintainer):
    cached(client, "/hospitals/", "/hospitals/klinik-isar/", "/hospitals/status.json")
    from django.contrib.admin import site

    hospital_admin = site._registry[type(hospital)]
    hospital.name = "Klinik Isar (renamed)"
    with commit():
        hospital_admin.save_model(request=None, obj=hospital, form=None, change=True)
    for url in ("/hospitals/", "/hospitals/klinik-isar/", "/hospitals/status.json"):
        assert "Klinik Isar (renamed)" in client.get(url).text, url


def test_a_certification_held_or_renamed_shows_at_once(client, commit, hospital, superuser):
    cached(client, "/hospitals/klinik-isar/")
    certification = CertificationFactory(slug="enets", name="ENETS centre")
    with commit():
        _admin(client, superuser).post(
            "/admin/hospitals/hospitalcertification/add/",
            {
                "hospital": hospital.pk,
                "certification": certification.pk,
                "valid_from": (timezone.localdate() - datetime.timedelta(days=10)).isoformat(),
                "valid_until": "",
                "reference": "",
            },
        )
    assert HospitalCertification.objects.exists()
    assert "ENETS centre" in _anonymous(client).get("/hospitals/klinik-isar/").text
    cached(client, "/hospitals/klinik-isar/")
    with commit():
        _admin(client, superuser).post(
            f"/admin/hospitals/certification/{certification.pk}/change/",
            {"name_en": "ENETS Centre of Excellence", "slug": "enets", "url": "", "description_en": ""},
        )
    assert Certification.objects.get().name == "ENETS Centre of Excellence"
    assert "ENETS Centre of Excellence" in _anonymous(client).get("/hospitals/klinik-isar/").text


def test_deleting_a_hospital_in_the_admin_removes_it_at_once(client, commit, superuser):
    HospitalFactory(slug="short-lived", name="Short-lived Klinik")
    cached(client, "/hospitals/")
    from django.contrib.admin import site

    from hospitals.models import Hospital

    with commit():
        site._registry[Hospital].delete_queryset(None, Hospital.objects.filter(slug="short-lived"))
    assert "Short-lived Klinik" not in client.get("/hospitals/").text


def test_a_hospital_import_shows_at_once(client, commit, lutetium, directory_maintainer):
    cached(client, "/hospitals/")
    data = tablib.Dataset().load(
        io.StringIO(
            "slug,name,kind,street_address,postcode,city,state,treatments\n"
            "imported,Importklinik,public,Weg 1,10115,Berlin,BE,lutetium-177-prrt\n"
        ).read(),
        format="csv",
    )
    with commit():
        result = HospitalResource().import_data(data, dry_run=False, user=directory_maintainer)
    assert not result.has_errors() and not result.has_validation_errors()
    assert "Importklinik" in client.get("/hospitals/").text


def test_a_dry_run_import_keeps_the_cache(client, commit, lutetium, directory_maintainer):
    cached(client, "/hospitals/")
    data = tablib.Dataset().load(
        "slug,name,kind,street_address,postcode,city,state,treatments\n"
        "imported,Importklinik,public,Weg 1,10115,Berlin,BE,lutetium-177-prrt\n",
        format="csv",
    )
    with commit():
        HospitalResource().import_data(data, dry_run=True, user=directory_maintainer)
    assert client.get("/hospitals/").get("X-Page-Cache") == "hit"


# --- site notices and the taxonomy ---------------------------------------------------------------


def test_a_site_notice_added_in_the_admin_shows_on_every_page_at_once(
    client, commit, hospital, article, superuser, site_pages
):
    pages = ["/", "/articles/", "/articles/prrt/", "/hospitals/", "/privacy/"]
    cached(client, *pages)
    now = timezone.localtime()
    with commit():
        response = _admin(client, superuser).post(
            "/admin/hospitals/sitenotice/add/",
            {
                "title_en": "Lockdown",
                "message_en": "Many hospitals admit urgent cases only.",
                "title_de": "",
                "message_de": "",
                "level": "warning",
                "starts_at_0": now.strftime("%Y-%m-%d"),
                "starts_at_1": (now - datetime.timedelta(minutes=1)).strftime("%H:%M:%S"),
                "ends_at_0": "",
                "ends_at_1": "",
            },
        )
    assert response.status_code == 302, response.content
    assert SiteNotice.objects.exists()
    for url in pages:
        assert "Many hospitals admit urgent cases only." in _anonymous(client).get(url).text, url


def test_renaming_a_treatment_shows_at_once(client, commit, hospital, article, superuser, lutetium):
    cached(client, "/articles/prrt/", "/hospitals/klinik-isar/", "/hospitals/")
    with commit():
        _admin(client, superuser).post(
            f"/admin/taxonomy/treatment/{lutetium.pk}/change/",
            {
                "slug": lutetium.slug,
                "name_en": "Radioligand therapy (Lu-177)",
                "name_de": "Radioligandentherapie",
                "description_en": "",
                "description_de": "",
            },
        )
    for url in ("/articles/prrt/", "/hospitals/klinik-isar/", "/hospitals/"):
        assert "Radioligand therapy (Lu-177)" in _anonymous(client).get(url).text, url


def test_the_demo_loader_refreshes_every_page(client, commit):
    from django.core.management import call_command

    cached(client, "/hospitals/")
    with commit():
        call_command("load_demo_content", stdout=io.StringIO())
    assert "Beispielklinik" in client.get("/hospitals/").text


def test_the_refresh_command_refreshes_every_page(client, commit, hospital):
    from django.core.management import call_command

    cached(client, "/hospitals/")
    HospitalFactory(slug="written-in-a-shell", name="Written in a shell")
    with commit():
        call_command("refresh_public_pages", stdout=io.StringIO())
    assert "Written in a shell" in client.get("/hospitals/").text


def test_an_unknown_domain_is_a_programming_error():
    from pagecache.versions import content_changed

    with pytest.raises(ValueError, match="Unknown content domain"):
        content_changed("articels")


def test_article_fixture_is_public(article):
    assert article in Article.objects.published()
