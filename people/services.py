"""Writes to the team's profiles: the shared workflow (editorial/workflow.py).

A doctor's credentials are medical claims, so editors write profiles and medical reviewers publish
them. As for articles, published text is open only to its reviewers (a reviewer's change is itself
the review); an editor asks for it back as a draft. The cached public pages that name people (the
team pages, the bylines on articles) are kept under the "people" content version.
"""

from django.utils.translation import gettext_lazy as _

from editorial.workflow import TransitionNotAllowed, Workflow
from pagecache.versions import PEOPLE
from people.models import Person, PersonTransition

WRITE_PERMISSION = "people.change_person"
PUBLISH_PERMISSION = "people.publish_person"

__all__ = ["TransitionNotAllowed"]


class PersonWorkflow(Workflow):
    model = Person
    transition_model = PersonTransition
    transition_field = "person"
    write_permission = WRITE_PERMISSION
    page_cache_domain = PEOPLE
    restore_fields = (
        "name",
        "honorific_prefix",
        "role",
        "job_title_en",
        "job_title_de",
        "job_title_ru",
        "specialties_en",
        "specialties_de",
        "specialties_ru",
        "languages",
        "biography_en",
        "biography_de",
        "biography_ru",
        "registration",
        "portrait",
        "expires_at",
    )
    messages = {
        "submit_denied": _("You may not submit team profiles for review."),
        "submit_not_draft": _("Only a draft can be submitted for review; “%(title)s” is %(status)s."),
        "review_denied": _("Only medical reviewers may review team profiles."),
        "review_in_future": _("A review date cannot lie in the future."),
        "publish_denied": _("Only medical reviewers may publish team profiles."),
        "publish_wrong_status": _(
            "Only a profile in review (or a scheduled one) can be published; “%(title)s” is %(status)s."
        ),
        "publish_after_expiry": _("The profile would expire before it is published; change its expiry first."),
        "schedule_in_past": _("Choose a publication time in the future to schedule a profile."),
        "archive_denied": _("Only medical reviewers may archive team profiles."),
        "already_archived": _("“%(title)s” is already archived."),
        "already_draft": _("“%(title)s” is already a draft."),
        "return_denied": _("Only medical reviewers may return a published or archived profile to draft."),
        "edit_published_denied": _("Only medical reviewers may change a published profile."),
        "restore_denied": _("You may not restore team profiles."),
        "restore_published_denied": _(
            "Only medical reviewers may restore a profile that is not a draft (restoring unpublishes it)."
        ),
    }

    def publish_permission(self, obj) -> str:
        return PUBLISH_PERMISSION

    def stamp_review(self, obj, user, reviewed_on):
        obj.reviewed_by = user
        obj.last_reviewed_on = reviewed_on


workflow = PersonWorkflow()


def person_submit_for_review(*, person: Person, user) -> Person:
    return workflow.submit_for_review(obj=person, user=user)


def person_publish(*, person: Person, user, publish_at=None) -> Person:
    return workflow.publish(obj=person, user=user, publish_at=publish_at)


def person_archive(*, person: Person, user) -> Person:
    return workflow.archive(obj=person, user=user)


def person_return_to_draft(*, person: Person, user, note: str = "") -> Person:
    return workflow.return_to_draft(obj=person, user=user, note=note)


def person_restore_revision(*, person: Person, historical_record, user) -> Person:
    return workflow.restore_revision(obj=person, historical_record=historical_record, user=user)
