"""The medical team: the doctors and editors who write and review what the portal publishes.

A profile goes through the shared workflow (editorial/workflow.py, `people.services.workflow`):
editors write it, medical reviewers publish it, because a doctor's credentials are medical claims.
Only published, listed people are named in public.

A person may be linked to a staff account: the workflow's permission checks stay on the account
(`Article.medical_reviewer`), and the public byline names the account's person with credentials.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from editorial.models import EditorialContent, EditorialQuerySet, EditorialStatus, Transition, actor_field
from images.models import Image
from languages.names import language_names, normalise_language_list


class PersonRole(models.TextChoices):
    PHYSICIAN = "physician", _("Physician")
    EDITOR = "editor", _("Medical editor")


class PersonQuerySet(EditorialQuerySet):
    def listed(self):
        """The people the public sees on the team pages and in bylines: published and listed."""
        return self.published().filter(is_listed=True)


class Person(EditorialContent, models.Model):
    name = models.CharField(_("name"), max_length=200, help_text=_("Given name and family name, without titles."))
    slug = models.SlugField(_("slug"), max_length=200, unique=True, help_text=_("The address of their team page."))
    honorific_prefix = models.CharField(
        _("academic title"),
        max_length=60,
        blank=True,
        help_text=_("As it precedes the name, e.g. “Dr. med.”, “Prof. Dr. med.”."),
    )
    role = models.CharField(_("role"), max_length=16, choices=PersonRole, default=PersonRole.PHYSICIAN)
    job_title = models.CharField(
        _("position"),
        max_length=200,
        blank=True,
        help_text=_("e.g. “Facharzt für Nuklearmedizin” (specialist in nuclear medicine)."),
    )
    specialties = models.CharField(
        _("specialties"),
        max_length=300,
        blank=True,
        help_text=_("Comma-separated, e.g. “Nuclear medicine, Oncology”."),
    )
    languages = models.CharField(
        _("languages spoken"),
        max_length=200,
        blank=True,
        help_text=_(
            "Comma-separated, as codes or names (“de, en, ru” or “German, English”); shown in the reader's language."
        ),
    )
    biography = models.TextField(_("short biography"), max_length=1500, blank=True)
    registration = models.CharField(
        _("registration"),
        max_length=300,
        blank=True,
        help_text=_(
            "Licence to practise (Approbation) and the medical chamber, e.g. “Approbation 2009, Ärztekammer Berlin”."
        ),
    )
    portrait = models.ForeignKey(
        Image,
        verbose_name=_("portrait"),
        on_delete=models.PROTECT,
        related_name="portrait_of",
        null=True,
        blank=True,
        help_text=_("From the image library, which holds its description."),
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("staff account"),
        on_delete=models.SET_NULL,
        related_name="person",
        null=True,
        blank=True,
        help_text=_("Articles this account writes or reviews name this person."),
    )
    is_listed = models.BooleanField(
        _("shown on the team pages"), default=True, help_text=_("Unticked, the person is named nowhere in public.")
    )
    is_sample = models.BooleanField(
        _("sample content"), default=False, help_text=_("An invented person for the demo.")
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=EditorialStatus,
        default=EditorialStatus.DRAFT,
        editable=False,
        help_text=_("Changed only through the workflow actions, which record who did what and when."),
    )
    publish_at = models.DateTimeField(
        _("publish at"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("When the profile becomes public. A future time means it is scheduled."),
    )
    expires_at = models.DateTimeField(
        _("expires at"),
        null=True,
        blank=True,
        help_text=_("Optional. After this time the profile is no longer public."),
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewer"),
        on_delete=models.PROTECT,
        related_name="reviewed_people",
        null=True,
        blank=True,
        editable=False,
    )
    last_reviewed_on = models.DateField(_("last review"), null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
        blank=True,
        editable=False,
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    # The revision history (`history`) is registered in people/translation.py, after the
    # per-language fields exist, so that every language's text is kept in each version.
    objects = PersonQuerySet.as_manager()

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["name"]
        permissions = [("publish_person", _("Can publish, schedule and archive team profiles"))]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="published") | models.Q(publish_at__isnull=False),
                name="person_published_has_publish_at",
                violation_error_message=_("A published profile needs a publication time."),
            ),
        ]

    def __str__(self):
        return self.display_name

    def save(self, *args, **kwargs):
        self.languages = normalise_language_list(self.languages)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("people:detail", kwargs={"slug": self.slug})

    @property
    def display_name(self) -> str:
        return f"{self.honorific_prefix} {self.name}".strip()

    @property
    def is_physician(self) -> bool:
        return self.role == PersonRole.PHYSICIAN

    def specialty_list(self) -> list[str]:
        return [part.strip() for part in (self.specialties or "").split(",") if part.strip()]

    def language_list(self) -> list[str]:
        return language_names(self.languages)


class PersonTransition(Transition):
    """One workflow step of a person's profile (editorial/models.py)."""

    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="transitions")
    actor = actor_field("person_transitions")

    class Meta(Transition.Meta):
        pass

    def __str__(self):
        return f"{self.person}: {self.from_status} → {self.to_status}"


def person_of(user) -> Person | None:
    """The public person a staff account stands for, or None (no person, not published or not listed)."""
    try:
        person = user.person
    except (AttributeError, Person.DoesNotExist):
        return None
    return person if person.is_listed and person.is_public else None
