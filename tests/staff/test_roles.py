import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import CommandError

from staff import roles
from tests.factories import StaffUserFactory

ARTICLE_WRITING = {
    "articles.add_article",
    "articles.change_article",
    "articles.view_article",
    "articles.add_reference",
    "articles.change_reference",
    "articles.delete_reference",
    "articles.view_reference",
}

IMAGE_LIBRARY = {"images.add_image", "images.change_image", "images.view_image"}
IMAGE_LIBRARY |= {"people.add_person", "people.change_person", "people.view_person"}  # and the team
PAGE_WRITING = {"pages.add_page", "pages.change_page", "pages.view_page", "pages.view_pageredirect"}

# What each role may do, app by app: the permission matrix the data migrations must produce.
EXPECTED_PERMISSIONS = {
    roles.EDITORS: {
        "taxonomy.view_condition",
        "taxonomy.view_treatment",
        *ARTICLE_WRITING,
        *IMAGE_LIBRARY,
        *PAGE_WRITING,
    },
    roles.MEDICAL_REVIEWERS: {
        *ARTICLE_WRITING,
        *IMAGE_LIBRARY,
        *PAGE_WRITING,
        "pages.publish_page",
        "pages.publish_medical_page",
        "articles.publish_article",
        "people.publish_person",
        "taxonomy.add_condition",
        "taxonomy.change_condition",
        "taxonomy.view_condition",
        "taxonomy.add_treatment",
        "taxonomy.change_treatment",
        "taxonomy.view_treatment",
    },
    roles.TRIAGE_STAFF: {
        "inquiries.view_inquiry",
        "inquiries.change_inquiry",
        "inquiries.view_attachment",
        "inquiries.view_note",
        "inquiries.add_note",
        "inquiries.view_contactlogentry",
        "inquiries.add_contactlogentry",
        "inquiries.view_priorityoverride",
        "inquiries.view_accesslogentry",
        "inquiries.view_notification",
        "taxonomy.view_treatment",
    },
    roles.DIRECTORY_MAINTAINERS: {
        "taxonomy.view_condition",
        "taxonomy.view_treatment",
        "hospitals.add_hospital",
        "hospitals.change_hospital",
        "hospitals.view_hospital",
        "hospitals.add_admissionstatus",
        "hospitals.view_admissionstatus",
        "hospitals.add_certification",
        "hospitals.change_certification",
        "hospitals.view_certification",
        "hospitals.add_hospitalcertification",
        "hospitals.change_hospitalcertification",
        "hospitals.delete_hospitalcertification",
        "hospitals.view_hospitalcertification",
        "hospitals.add_sitenotice",
        "hospitals.change_sitenotice",
        "hospitals.view_sitenotice",
    },
    roles.LEGAL_REVIEWERS: {*PAGE_WRITING, "pages.publish_page", "pages.publish_legal_page"},
}

# The admin index each role sees: app label -> model names listed there.
EXPECTED_ADMIN_INDEX = {
    roles.EDITORS: {
        "taxonomy": {"Condition", "Treatment"},
        "articles": {"Article"},
        "images": {"Image"},
        "people": {"Person"},
        "pages": {"Page", "PageRedirect"},
    },
    roles.MEDICAL_REVIEWERS: {
        "taxonomy": {"Condition", "Treatment"},
        "articles": {"Article"},
        "images": {"Image"},
        "people": {"Person"},
        "pages": {"Page", "PageRedirect"},
    },
    roles.TRIAGE_STAFF: {"inquiries": {"Inquiry", "AccessLogEntry"}, "taxonomy": {"Treatment"}},
    roles.DIRECTORY_MAINTAINERS: {
        "taxonomy": {"Condition", "Treatment"},
        "hospitals": {"Hospital", "AdmissionStatus", "Certification", "HospitalCertification", "SiteNotice"},
    },
    roles.LEGAL_REVIEWERS: {"pages": {"Page", "PageRedirect"}},
}


def permission_names(group):
    return {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.select_related("content_type")}


@pytest.mark.django_db
def test_the_migrations_create_exactly_the_five_roles():
    assert set(Group.objects.values_list("name", flat=True)) == set(roles.ALL_ROLES)


@pytest.mark.django_db
@pytest.mark.parametrize("role", roles.ALL_ROLES)
def test_each_role_holds_exactly_its_permissions(role):
    assert permission_names(Group.objects.get(name=role)) == EXPECTED_PERMISSIONS[role]


@pytest.mark.django_db
@pytest.mark.parametrize("role", roles.ALL_ROLES)
def test_each_role_sees_exactly_its_apps_in_the_admin_index(client, role):
    client.force_login(StaffUserFactory(username="someone", roles=[role]))
    response = client.get("/admin/")
    assert response.status_code == 200
    seen = {
        app["app_label"]: {model["object_name"] for model in app["models"]} for app in response.context["app_list"]
    }
    assert seen == EXPECTED_ADMIN_INDEX[role]


@pytest.mark.django_db
def test_user_and_group_administration_is_for_superusers_only(client, superuser, editor):
    client.force_login(editor)
    assert client.get("/admin/auth/user/").status_code == 403
    client.force_login(superuser)
    assert client.get("/admin/auth/user/").status_code == 200


@pytest.mark.django_db
def test_demo_accounts_are_created_with_printed_passwords_that_work(client, settings, capsys):
    settings.DEBUG = True
    call_command("create_demo_accounts")
    output = capsys.readouterr().out
    rows = [line.split() for line in output.splitlines() if line.startswith("  demo-")]
    assert {row[0] for row in rows} == {
        "demo-editor",
        "demo-reviewer",
        "demo-triage",
        "demo-directory",
        "demo-legal",
        "demo-admin",
    }
    for username, password, *_ in rows:
        assert client.login(username=username, password=password), username
    # Run again: same accounts, new passwords, roles intact.
    call_command("create_demo_accounts")
    second = {
        line.split()[0]: line.split()[1] for line in capsys.readouterr().out.splitlines() if line.startswith("  demo-")
    }
    assert all(second[username] != password for username, password, *_ in rows)
    assert Group.objects.get(name=roles.EDITORS).user_set.filter(username="demo-editor").exists()


@pytest.mark.django_db
def test_demo_accounts_are_refused_outside_debug(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="development only"):
        call_command("create_demo_accounts")
