"""The medical team: the doctors and editors who write and review what the portal publishes.

A person may be linked to a staff account: the workflow's permission checks stay on the account
(`Article.medical_reviewer`), and the public byline names the account's person with credentials.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from images.models import Image
from languages.names import language_names, normalise_language_list


class PersonRole(models.TextChoices):
    PHYSICIAN = "physician", _("Physician")
    EDITOR = "editor", _("Medical editor")


class PersonQuerySet(models.QuerySet):
    def listed(self):
        """The people the public sees on the team pages and in bylines."""
        return self.filter(is_listed=True)


class Person(models.Model):
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
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = PersonQuerySet.as_manager()

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["name"]

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


def person_of(user) -> Person | None:
    """The listed person a staff account stands for, or None (no person, or not listed)."""
    try:
        person = user.person
    except (AttributeError, Person.DoesNotExist):
        return None
    return person if person.is_listed else None
