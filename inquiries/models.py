"""A patient's inquiry, its triage result and the medical documents sent with it."""

import secrets

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

# No 0/O or 1/I/L: a reference is read out on the phone and typed from a letter.
REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def new_reference() -> str:
    """A random reference like "K7QM-3XWD-P9RT" (about 59 bits): not a sequence, not guessable."""
    characters = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(12))
    return "-".join(characters[i : i + 4] for i in range(0, 12, 4))


def attachment_path(attachment, filename: str) -> str:
    """A random file name: the patient's file name is kept in the database only."""
    return f"inquiry-documents/{secrets.token_hex(16)}{attachment.extension}"


class InquiryQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status=Inquiry.Status.NEW)

    def by_priority(self):
        """Urgent first, then high, then routine; oldest first within a priority."""
        order = models.Case(
            *(models.When(priority=p, then=models.Value(i)) for i, p in enumerate(Inquiry.Priority.values)),
            output_field=models.IntegerField(),
        )
        return self.order_by(order, "created_at")


class Inquiry(models.Model):
    class Status(models.TextChoices):
        NEW = "new", _("new")

    class Priority(models.TextChoices):
        URGENT = "urgent", _("urgent")
        HIGH = "high", _("high")
        ROUTINE = "routine", _("routine")

    class SubmitterRole(models.TextChoices):
        PATIENT = "patient", _("I am the patient")
        RELATIVE = "relative", _("I am a relative or friend of the patient")
        DOCTOR = "doctor", _("I am the patient's doctor")

    class ContactLanguage(models.TextChoices):
        GERMAN = "de", _("German")
        ENGLISH = "en", _("English")
        RUSSIAN = "ru", _("Russian")
        UKRAINIAN = "uk", _("Ukrainian")
        ARABIC = "ar", _("Arabic")
        OTHER = "other", _("Another language (please say which in the message)")

    class CancerAnswer(models.TextChoices):
        YES = "yes", _("Yes")
        SUSPECTED = "suspected", _("It is suspected, not yet confirmed")
        NO = "no", _("No")

    class TumourType(models.TextChoices):
        NEUROENDOCRINE = "neuroendocrine", _("Neuroendocrine tumour (NET)")
        LUNG = "lung", _("Lung")
        GASTROINTESTINAL = "gastrointestinal", _("Stomach, bowel, liver or pancreas")
        BREAST = "breast", _("Breast")
        PROSTATE = "prostate", _("Prostate")
        OTHER = "other", _("Other or not known")

    class Answer(models.TextChoices):
        YES = "yes", _("Yes")
        NO = "no", _("No")
        UNKNOWN = "unknown", _("I do not know")

    reference = models.CharField(_("reference"), max_length=14, unique=True, default=new_reference, editable=False)
    submission_token = models.CharField(
        _("submission token"),
        max_length=64,
        unique=True,
        editable=False,
        help_text=_("One-time token from the form; a second post of the same form finds this inquiry."),
    )
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.NEW)
    priority = models.CharField(_("priority"), max_length=10, choices=Priority, default=Priority.ROUTINE)
    triage_reasons = models.JSONField(
        _("triage reasons"), default=list, blank=True, help_text=_("Why the rules gave this priority.")
    )
    document_checklist = models.JSONField(
        _("document checklist"),
        default=list,
        blank=True,
        help_text=_("Documents a tumour board will ask for, and whether the sender says they sent them."),
    )

    submitter_role = models.CharField(_("who is writing"), max_length=20, choices=SubmitterRole)
    patient_name = models.CharField(_("patient's name"), max_length=200)
    birth_year = models.PositiveSmallIntegerField(_("patient's year of birth"))
    country = CountryField(_("country of residence"))
    email = models.EmailField(_("contact e-mail"), max_length=254)
    phone = models.CharField(_("phone"), max_length=32, blank=True, help_text=_("International format (E.164)."))
    contact_language = models.CharField(_("preferred contact language"), max_length=10, choices=ContactLanguage)
    diagnosis = models.TextField(_("diagnosis"), max_length=4000)
    is_cancer = models.CharField(_("about a cancer or tumour"), max_length=10, choices=CancerAnswer)
    tumour_type = models.CharField(_("tumour type"), max_length=20, choices=TumourType, blank=True)
    metastases = models.CharField(_("metastases known"), max_length=10, choices=Answer, blank=True)
    previous_treatments = models.TextField(_("treatments so far"), max_length=4000, blank=True)
    requested_treatment = models.ForeignKey(
        "taxonomy.Treatment",
        verbose_name=_("requested treatment"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="inquiries",
    )
    preferred_hospital = models.ForeignKey(
        "hospitals.Hospital",
        verbose_name=_("preferred hospital"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="inquiries",
    )
    doctor_two_week_start = models.CharField(_("doctor: start within two weeks"), max_length=10, choices=Answer)
    symptoms_worsening = models.CharField(_("symptoms getting rapidly worse"), max_length=10, choices=Answer)
    treatment_interrupted = models.CharField(_("treatment interrupted or postponed"), max_length=10, choices=Answer)
    travel_period = models.CharField(_("preferred travel period"), max_length=200, blank=True)
    message = models.TextField(_("message"), max_length=6000, blank=True)
    documents_sent = models.JSONField(
        _("documents the sender says they attached"), default=list, blank=True, help_text=_("Checklist codes.")
    )
    consent_health_data = models.BooleanField(_("consent to processing health data"))
    consent_phone_contact = models.BooleanField(_("consent to be contacted by phone"), default=False)
    language = models.CharField(_("language of the form"), max_length=10, default="en")

    needs_follow_up = models.BooleanField(
        _("needs follow-up"),
        default=False,
        help_text=_("Set when the e-mails could not be scheduled: contact the sender and staff by hand."),
    )
    confirmation_sent_at = models.DateTimeField(_("confirmation e-mail sent"), null=True, blank=True, editable=False)
    oncall_notified_at = models.DateTimeField(_("on-call staff notified"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("received"), auto_now_add=True, db_index=True)

    objects = InquiryQuerySet.as_manager()

    class Meta:
        verbose_name = _("inquiry")
        verbose_name_plural = _("inquiries")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(consent_health_data=True), name="inquiry_requires_health_data_consent"
            ),
            models.CheckConstraint(condition=models.Q(birth_year__gte=1900), name="inquiry_birth_year_plausible"),
            models.CheckConstraint(
                condition=models.Q(priority__in=["urgent", "high", "routine"]), name="inquiry_priority_known"
            ),
        ]

    def __str__(self):
        return self.reference

    def get_absolute_url(self):
        return reverse("inquiries:confirmation", kwargs={"reference": self.reference})

    @property
    def missing_documents(self) -> list[dict]:
        return [item for item in self.document_checklist if not item.get("sent")]


class Attachment(models.Model):
    class ContentType(models.TextChoices):
        PDF = "application/pdf", "PDF"
        JPEG = "image/jpeg", "JPEG"
        PNG = "image/png", "PNG"

    inquiry = models.ForeignKey(
        Inquiry, verbose_name=_("inquiry"), on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=200)
    original_name = models.CharField(_("original file name"), max_length=255)
    content_type = models.CharField(
        _("detected type"), max_length=40, choices=ContentType, help_text=_("Found from the content, not the name.")
    )
    size = models.PositiveBigIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    created_at = models.DateTimeField(_("received"), auto_now_add=True)

    class Meta:
        verbose_name = _("medical document")
        verbose_name_plural = _("medical documents")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return self.original_name

    @property
    def extension(self) -> str:
        return {"application/pdf": ".pdf", "image/jpeg": ".jpg", "image/png": ".png"}.get(self.content_type, "")
