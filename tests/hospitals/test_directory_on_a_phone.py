"""The directory's one "Filter (n active)" control and the parts htmx swaps with every result."""

import pytest

pytestmark = pytest.mark.django_db


def test_the_filter_control_counts_the_filters_set_but_not_the_sorting(client):
    assert 'id="filter-summary-label">Filter</span>' in client.get("/hospitals/").text
    html = client.get("/hospitals/?state=BY&status=urgent_only&sort=name&q=+").text
    assert 'id="filter-summary-label">Filter (2 active)</span>' in html


def test_the_parts_outside_the_results_that_name_a_count_are_swapped_with_them(client):
    html = client.get("/hospitals/").text
    form = html[html.index('<form id="hospital-filters"') :]
    oob = form[form.index('hx-select-oob="') + len('hx-select-oob="') :].split('"')[0].split(",")
    assert set(oob) == {"#city-options", "#skip-to-results", "#filter-summary-label"}
    for selector in oob:
        assert f'id="{selector[1:]}"' in html


def test_without_javascript_the_filters_are_open_and_return_to_the_results(client):
    html = client.get("/hospitals/").text
    assert '<details class="filter-panel" id="filter-panel" open>' in html
    assert 'action="/hospitals/#hospital-results"' in html
