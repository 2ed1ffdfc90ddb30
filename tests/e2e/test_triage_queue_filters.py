"""Staff find the inquiries for one preferred hospital by searching its name in the queue's sidebar."""

import pytest

from tests.e2e.test_triage_layout import log_in
from tests.factories import StaffUserFactory
from tests.inquiries.helpers import triage_role, urgent_net_data
from tests.inquiries.test_admin import make_inquiry

pytestmark = pytest.mark.django_db(transaction=True)


def labels(language):
    """The search's label and button as the catalogue says them (the completeness test checks both are translated)."""
    from django.utils import translation

    with translation.override(language):
        return translation.gettext("Hospital name"), translation.gettext("Find")


@pytest.mark.parametrize("language", ["en", "de"])
def test_search_a_hospital_and_filter_the_queue_by_it(page, axe_check, screenshot, language):
    from tests.hospitals.factories import HospitalFactory

    triage_role()
    StaffUserFactory(username="hanna", roles=["Triage staff"])
    for number in range(12):
        HospitalFactory(name=f"Sample Klinik Nord {number}", slug=f"sample-klinik-nord-{number}")
    south = HospitalFactory(name="Sample Zentrum Süd", slug="sample-zentrum-sued")
    wanted = make_inquiry(urgent_net_data(preferred_hospital=str(south.pk)))
    other = make_inquiry(urgent_net_data())

    log_in(page, language, "/admin/inquiries/inquiry/")
    page.locator("#result_list").wait_for()
    sidebar = page.locator("#changelist-filter")
    assert sidebar.get_by_text("Sample Klinik Nord 0").count() == 0  # no list of every hospital
    label, button = labels(language)
    sidebar.get_by_label(label).fill("süd")
    sidebar.get_by_role("button", name=button).click()
    page.locator("#result_list").wait_for()
    assert page.locator("#result_list").get_by_text(other.reference).count() == 1  # a search does not filter
    axe_check(page)
    page.locator("#changelist-filter").get_by_role("link", name="Sample Zentrum Süd").click()
    page.locator("#result_list").wait_for()
    rows = page.locator("#result_list tbody tr")
    assert rows.count() == 1
    assert wanted.reference in rows.first.inner_text()
    axe_check(page)
    screenshot(page, language)
