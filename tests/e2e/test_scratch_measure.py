import pytest
from tests.factories import TEST_PASSWORD, StaffUserFactory
from tests.inquiries.helpers import pdf, triage_role, urgent_net_data, valid_data
from tests.inquiries.test_admin import make_inquiry

pytestmark = pytest.mark.django_db(transaction=True)

M = """() => ({doc: [document.documentElement.scrollWidth, document.documentElement.clientWidth],
 results: (() => {const r = document.querySelector('.results'); return r ? [r.scrollWidth, r.clientWidth] : null})(),
 widest: [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1).slice(0, 8).map(e => e.tagName + '.' + e.className + '#' + e.id + ' ' + Math.round(e.getBoundingClientRect().right))})"""


def login(page, url):
    page.goto(f"/admin/login/?next={url}")
    page.locator("#id_username").fill("hanna")
    page.locator("#id_password").fill(TEST_PASSWORD)
    page.locator("input[type=submit]").click()


def test_measure(browser, live_server):
    triage_role()
    StaffUserFactory(username="hanna", roles=["Triage staff"])
    make_inquiry(valid_data(email="a-very-long-address.of.someone@example-hospital-domain.invalid"))
    urgent = make_inquiry(urgent_net_data(message="x" * 30 + " Lebermetastasen " * 20, email="a-very-long-address.of.someone@example-hospital-domain.invalid"), files=[pdf(name="Befund-Histologie-sehr-langer-Dateiname-2026-11-30.pdf")])
    from inquiries.models import Inquiry
    from django.utils import timezone
    from datetime import timedelta
    user = StaffUserFactory(username="friederike.mustermann-schulz", roles=["Triage staff"])
    over = make_inquiry(urgent_net_data())
    Inquiry.objects.filter(pk=over.pk).update(created_at=timezone.now() - timedelta(days=12, hours=5), escalated_at=timezone.now(), status="awaiting_documents", assigned_to=user)
    for width, lang in ((1280, "en"), (1280, "de"), (360, "de")):
        ctx = browser.new_context(base_url=live_server.url, viewport={"width": width, "height": 900}, locale=lang)
        page = ctx.new_page()
        login(page, "/admin/inquiries/inquiry/")
        page.wait_for_selector("#result_list")
        print("MIN", page.evaluate("() => { const t = document.querySelector('#result_list'); t.style.width = 'min-content'; const w = t.scrollWidth; const cols = [...document.querySelectorAll('#result_list thead th')].map(e => e.className.replace('sortable ', '') + ' ' + Math.round(e.getBoundingClientRect().width)); t.style.width = ''; return [w, cols] }"))
        print(width, "queue", page.evaluate(M))
        print(page.evaluate("() => [...document.querySelectorAll('#result_list thead th')].map(e => e.className + ' ' + Math.round(e.getBoundingClientRect().width))"))
        page.screenshot(path=f"/tmp/keep/queue-{width}-{lang}.png", full_page=True)
        page.goto(f"/admin/inquiries/inquiry/{urgent.pk}/change/")
        print(width, "detail", page.evaluate(M))
        print(page.evaluate("() => [...document.querySelectorAll('.triage-form, .triage-action-grid, #content, #content-main, .triage-page .module')].map(e => e.tagName + e.className + ' ' + Math.round(e.getBoundingClientRect().width) + ' ' + getComputedStyle(e).display)"))
        print("status select", page.locator("#id_status-status").input_value())
        page.screenshot(path=f"/tmp/keep/detail-{width}-{lang}.png", full_page=True)
        ctx.close()
