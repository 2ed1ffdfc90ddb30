"""A patient's inquiry, its triage result and the medical documents sent with it."""

import secrets
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from inquiries import checklists

# No 0/O or 1/I/L: a reference is read out on the phone and typed from a letter.
REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def new_reference() -> str:
    """A random reference like "K7QM-3XWD-P9RT" (about 59 bits): not a sequence, not guessable."""
    characters = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(12))
    return "-".join(characters[i : i + 4] for i in range(0, 12, 4))


def attachment_path(attachment, filename: str) -> str:
    """A random file name: the patient's file name is kept in the database only."""
    return f"inquiry-documents/{secrets.token_hex(16)}{attachment.extension}"


def new_follow_up_key() -> str:
    """The random part of an inquiry's follow-up links; replacing it revokes every link sent so far."""
    return secrets.token_hex(16)


def first_response_hours() -> dict[str, int]:
    """Hours from receipt to the first response staff owe, per priority (settings.TRIAGE_FIRST_RESPONSE_HOURS)."""
    return settings.TRIAGE_FIRST_RESPONSE_HOURS


class InquiryQuerySet(models.QuerySet):
    def open(self):
        return self.exclude(status=Inquiry.Status.CLOSED)

    def by_priority(self):
        """Urgent first, then high, then routine; oldest first within a priority."""
        return self.order_by(priority_rank(), "created_at")

    def queue(self):
        """The triage queue (queue_ordering), with the deadline annotated."""
        return self.with_deadline().order_by(*queue_ordering())

    def with_deadline(self):
        """Annotate the promises, from the priority's hours in settings (one service level for all).

        `first_response_due`: receipt plus the hours; staff work to it and the sender is promised it.
        `reply_due`: after the first response, a patient's unanswered reply plus the same hours.
        `next_answer_due`: what the follow-up page promises: the first of these that is owed.
        """
        first_due = _plus_hours("created_at")
        reply_due = _plus_hours("patient_replied_at")
        next_due = models.Case(
            models.When(first_response_at__isnull=True, then=first_due),
            models.When(patient_replied_at__isnull=False, then=reply_due),
            default=models.Value(None),
            output_field=models.DateTimeField(),
        )
        return self.annotate(first_response_due=first_due, reply_due=reply_due, next_answer_due=next_due)

    def overdue(self, now):
        """Open, no first response yet, and the deadline reached (at the deadline itself it is overdue)."""
        return self.open().filter(overdue_condition(now))

    def awaiting_escalation(self, now):
        """Urgent or high, overdue, and nobody has been told yet."""
        return self.overdue(now).filter(
            priority__in=[Inquiry.Priority.URGENT, Inquiry.Priority.HIGH], escalated_at__isnull=True
        )

    def for_email(self, email: str):
        return self.filter(email__iexact=email.strip())

    def awaiting_staff_reply(self):
        """Open, and the patient has written or sent documents that no staff member has answered yet."""
        return self.open().filter(patient_replied_at__isnull=False)


def _plus_hours(field: str):
    """`field` plus the working priority's first-response hours (NULL when `field` is)."""
    hours = first_response_hours()
    return models.Case(
        *(
            models.When(
                priority=priority,
                then=models.F(field)
                + models.Value(timedelta(hours=hours[priority]), output_field=models.DurationField()),
            )
            for priority in Inquiry.Priority.values
        ),
        output_field=models.DateTimeField(),
    )


def overdue_condition(now) -> models.Q:
    """No first response and the deadline reached, as one range per priority on `created_at`.

    The same deadline as `with_deadline()`, turned around (received <= now - hours) so that the
    partial index `inquiry_awaiting_response_idx` answers it: a `CASE` in the `WHERE` reads every row.
    """
    hours = first_response_hours()
    due = models.Q()
    for priority in Inquiry.Priority.values:
        due |= models.Q(priority=priority, created_at__lte=now - timedelta(hours=hours[priority]))
    return models.Q(first_response_at__isnull=True) & due


def queue_ordering() -> list:
    """Open first, then urgent → high → routine; within a priority, unanswered patient replies first
    (the longest waiting first), then the oldest inquiry first. The queue and the admin share it.

    `queue_rank` holds the first two keys and the index `inquiry_queue_idx` is this order exactly,
    so a page of the queue reads 50 index entries whatever the size of the table.
    """
    return [
        models.F("queue_rank").asc(),
        models.F("patient_replied_at").asc(nulls_last=True),
        models.F("created_at").asc(),
        models.F("pk").asc(),
    ]


def _queue_rank(priorities, closed):
    """0, 1, 2 for an open urgent, high, routine inquiry; 3, 4, 5 for a closed one (`queue_rank`)."""
    return models.Case(
        *(
            models.When(status=closed, priority=p, then=models.Value(len(priorities) + i))
            for i, p in enumerate(priorities)
        ),
        *(models.When(priority=p, then=models.Value(i)) for i, p in enumerate(priorities)),
        output_field=models.SmallIntegerField(),
    )


def priority_rank():
    return models.Case(
        *(models.When(priority=p, then=models.Value(i)) for i, p in enumerate(Inquiry.Priority.values)),
        output_field=models.IntegerField(),
    )


class Inquiry(models.Model):
    class Status(models.TextChoices):
        NEW = "new", _("new")
        IN_TRIAGE = "in_triage", _("in triage")
        CONTACTED = "contacted", _("contacted")
        AWAITING_DOCUMENTS = "awaiting_documents", _("awaiting documents")
        REFERRED = "referred", _("referred to hospital")
        CLOSED = "closed", _("closed")

    class ClosingReason(models.TextChoices):
        TREATED = "treated", _("referred and taken on by a hospital")
        DECLINED = "declined", _("the patient decided against it")
        NO_REPLY = "no_reply", _("no reply from the sender")
        NOT_ELIGIBLE = "not_eligible", _("not something we can help with")
        DUPLICATE = "duplicate", _("duplicate of another inquiry")
        ERASED = "erased", _("erased at the person's request")
        OTHER = "other", _("other (see notes)")

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
    priority = models.CharField(
        _("priority"),
        max_length=10,
        choices=Priority,
        default=Priority.ROUTINE,
        help_text=_("The working priority: the automatic triage's unless staff overrode it."),
    )
    triage_priority = models.CharField(
        _("automatic triage priority"),
        max_length=10,
        choices=Priority,
        default=Priority.ROUTINE,
        editable=False,
        help_text=_("What the rules decided on arrival; never changed by an override."),
    )
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
    birth_year = models.PositiveSmallIntegerField(_("patient's year of birth"), null=True)
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

    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned to"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_inquiries",
    )
    assigned_at = models.DateTimeField(_("assigned"), null=True, blank=True, editable=False)
    first_response_at = models.DateTimeField(
        _("first response"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("When the inquiry first left the status new."),
    )
    escalated_at = models.DateTimeField(
        _("escalated"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("When the escalation addresses were told that the first-response deadline had passed."),
    )
    escalation_sent_at = models.DateTimeField(_("escalation e-mail sent"), null=True, blank=True, editable=False)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True, editable=False)
    closing_reason = models.CharField(_("closing reason"), max_length=20, choices=ClosingReason, blank=True)
    anonymised_at = models.DateTimeField(
        _("anonymised"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("Personal and health data were removed; reference, dates, priority and outcome remain."),
    )
    status_changed_at = models.DateTimeField(
        _("status changed"), null=True, blank=True, editable=False, help_text=_("When the status last changed.")
    )

    # The follow-up page (docs/inquiries.md): links, the patient's replies and our messages.
    follow_up_key = models.CharField(
        _("follow-up link key"),
        max_length=32,
        default=new_follow_up_key,
        editable=False,
        help_text=_("Part of every follow-up link; replaced when staff revoke the links."),
    )
    follow_up_revoked_at = models.DateTimeField(_("follow-up links revoked"), null=True, blank=True, editable=False)
    follow_up_link_requested_at = models.DateTimeField(
        _("new follow-up link requested"), null=True, blank=True, editable=False
    )
    follow_up_link_sent_at = models.DateTimeField(_("follow-up link sent"), null=True, blank=True, editable=False)
    patient_replied_at = models.DateTimeField(
        _("patient replied"),
        null=True,
        blank=True,
        editable=False,
        db_index=True,
        help_text=_("The first reply of the patient that staff have not answered or marked as seen yet."),
    )
    patient_documents_at = models.DateTimeField(
        _("documents received"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("Documents uploaded on the follow-up page that staff have not answered or marked as seen yet."),
    )
    staff_message_at = models.DateTimeField(_("last message to the patient"), null=True, blank=True, editable=False)
    patient_notified_at = models.DateTimeField(
        _("patient told of the last message"), null=True, blank=True, editable=False
    )

    # Computed by the database from status and priority on every write, whichever code path
    # writes: the queue's first sort keys, in one indexed column (docs/decisions.md).
    queue_rank = models.GeneratedField(
        expression=_queue_rank(Priority.values, Status.CLOSED),
        output_field=models.SmallIntegerField(),
        db_persist=True,
        verbose_name=_("place in the queue"),
    )

    objects = InquiryQuerySet.as_manager()

    # What the sender answered, in reading order: the one list the staff reading page and the
    # subject access export both show, so a new question cannot be left out of either.
    ANSWER_FIELDS = (
        "submitter_role",
        "patient_name",
        "birth_year",
        "country",
        "email",
        "phone",
        "contact_language",
        "diagnosis",
        "is_cancer",
        "tumour_type",
        "metastases",
        "previous_treatments",
        "requested_treatment",
        "preferred_hospital",
        "doctor_two_week_start",
        "symptoms_worsening",
        "treatment_interrupted",
        "travel_period",
        "message",
        "consent_health_data",
        "consent_phone_contact",
    )

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
            models.CheckConstraint(
                condition=~models.Q(status="closed") | ~models.Q(closing_reason=""),
                name="inquiry_closed_with_reason",
            ),
        ]
        indexes = [
            # Few rows (inquiries nobody has answered yet): overdue() and the metrics read them.
            models.Index(
                fields=["priority", "created_at"],
                condition=models.Q(first_response_at__isnull=True),
                name="inquiry_awaiting_response_idx",
            ),
            # The queue's order (queue_ordering()) exactly: the changelist's first page is a short
            # walk along this index, at a thousand inquiries or at a million.
            models.Index(
                models.F("queue_rank"),
                models.F("patient_replied_at"),  # ascending is NULLS LAST in PostgreSQL
                models.F("created_at"),
                models.F("id"),
                name="inquiry_queue_idx",
            ),
            # Open inquiries only (few, however many are closed): the dashboard counts from here.
            models.Index(
                fields=["priority", "created_at"],
                condition=~models.Q(status="closed"),
                name="inquiry_open_idx",
            ),
        ]

    def __str__(self):
        return self.reference

    @property
    def missing_documents(self) -> list[dict]:
        """The checklist items no sent document covers (a document also covers the kinds it satisfies)."""
        return checklists.missing(self.document_checklist)

    @property
    def deadline(self):
        """The first-response deadline (from the annotation when the queue computed it)."""
        annotated = getattr(self, "first_response_due", None)
        if annotated is not None:
            return annotated
        return self.created_at + timedelta(hours=first_response_hours()[self.priority])

    @property
    def first_response_time(self):
        """How long the sender waited for the first response (None while waiting)."""
        return None if self.first_response_at is None else self.first_response_at - self.created_at

    @property
    def patient_language(self) -> str:
        """The language we write to the sender in: the contact language they chose if the site speaks
        it, else the language they used the form in."""
        return self.contact_language if self.contact_language in dict(settings.LANGUAGES) else self.language

    def conversation(self) -> list:
        """The follow-up messages in order, each with its documents and the labels of what was asked for."""
        labels = {item.get("code"): checklists.label(item) for item in self.document_checklist}
        conversation = list(self.messages.select_related("author").prefetch_related("attachments"))
        for message in conversation:
            message.requested_labels = [labels.get(code, code) for code in message.requested_documents]
        return conversation

    @property
    def follow_up_stage(self) -> str:
        """The status in the patient's words (the follow-up page)."""
        return FOLLOW_UP_STAGES[self.status]

    def is_overdue(self, now) -> bool:
        return self.status != self.Status.CLOSED and self.first_response_at is None and now >= self.deadline

    @property
    def is_open(self) -> bool:
        return self.status != self.Status.CLOSED


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
    message = models.ForeignKey(
        "InquiryMessage",
        verbose_name=_("sent with the message"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="attachments",
        help_text=_("Empty for documents sent with the form."),
    )
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

    @property
    def download_name(self) -> str:
        """The sender's name with the extension of the detected type: a PDF sent as scan.html is scan.pdf."""
        stem, dot, _extension = self.original_name.rpartition(".")
        stem = (stem if dot else self.original_name).strip(" .")
        return f"{stem[:150] or 'document'}{self.extension or '.bin'}"


class PriorityOverride(models.Model):
    """A change of the working priority by staff, with its reason; the automatic triage stays as it was."""

    inquiry = models.ForeignKey(
        Inquiry, verbose_name=_("inquiry"), on_delete=models.CASCADE, related_name="priority_overrides"
    )
    from_priority = models.CharField(_("from"), max_length=10, choices=Inquiry.Priority)
    to_priority = models.CharField(_("to"), max_length=10, choices=Inquiry.Priority)
    reason = models.TextField(_("reason"), max_length=2000)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    automatic = models.BooleanField(
        _("automatic re-triage"),
        default=False,
        help_text=_("Raised by the triage rules after a reply of the patient, not by a staff member."),
    )
    created_at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        verbose_name = _("priority override")
        verbose_name_plural = _("priority overrides")
        ordering = ["created_at", "pk"]
        constraints = [models.CheckConstraint(condition=~models.Q(reason=""), name="priority_override_has_reason")]

    def __str__(self):
        return f"{self.from_priority} → {self.to_priority}"


class InquiryMessage(models.Model):
    """One message of the conversation on the follow-up page: the patient's reply or ours."""

    class AuthorKind(models.TextChoices):
        PATIENT = "patient", _("patient")
        STAFF = "staff", _("staff")

    inquiry = models.ForeignKey(Inquiry, verbose_name=_("inquiry"), on_delete=models.CASCADE, related_name="messages")
    author_kind = models.CharField(_("from"), max_length=10, choices=AuthorKind)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("staff member"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    text = models.TextField(_("message"), max_length=4000, blank=True, help_text=_("Plain text."))
    requested_documents = models.JSONField(
        _("documents asked for"), default=list, blank=True, help_text=_("Checklist codes staff asked the patient for.")
    )
    created_at = models.DateTimeField(_("written"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(author_kind__in=["patient", "staff"]), name="inquiry_message_author_kind_known"
            ),
        ]

    def __str__(self):
        return f"{self.get_author_kind_display()} {self.created_at:%Y-%m-%d %H:%M}"


class Note(models.Model):
    """An internal note by staff; the patient never sees it."""

    inquiry = models.ForeignKey(Inquiry, verbose_name=_("inquiry"), on_delete=models.CASCADE, related_name="notes")
    text = models.TextField(_("note"), max_length=6000)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("author"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("written"), auto_now_add=True)

    class Meta:
        verbose_name = _("internal note")
        verbose_name_plural = _("internal notes")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return _("Note of %(date)s") % {"date": self.created_at}


class ContactLogEntry(models.Model):
    """One attempt to reach the sender: how, and what came of it."""

    class Channel(models.TextChoices):
        PHONE = "phone", _("phone")
        EMAIL = "email", _("e-mail")
        MESSENGER = "messenger", _("messenger")
        LETTER = "letter", _("letter")

    class Outcome(models.TextChoices):
        REACHED = "reached", _("reached")
        NO_ANSWER = "no_answer", _("no answer")
        LEFT_MESSAGE = "left_message", _("left a message")
        WRONG_CONTACT = "wrong_contact", _("wrong contact details")

    inquiry = models.ForeignKey(
        Inquiry, verbose_name=_("inquiry"), on_delete=models.CASCADE, related_name="contact_log"
    )
    channel = models.CharField(_("channel"), max_length=20, choices=Channel)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome)
    summary = models.TextField(_("summary"), max_length=2000, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        verbose_name = _("contact attempt")
        verbose_name_plural = _("contact log")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.get_channel_display()}: {self.get_outcome_display()}"


class AccessLogQuerySet(models.QuerySet):
    def update(self, **kwargs):
        # Erasing a person unlinks their entries (SET NULL); nothing else rewrites the log.
        if set(kwargs) - {"inquiry", "inquiry_id", "user", "user_id"}:
            raise PermissionError("The access log is append-only.")
        return super().update(**kwargs)

    def delete(self):
        raise PermissionError("The access log is append-only.")


class AccessLogEntry(models.Model):
    """Who looked at or changed which inquiry, when and from where. Append-only."""

    class Action(models.TextChoices):
        VIEW = "view", _("viewed")
        DOWNLOAD = "download", _("downloaded a document")
        CHANGE = "change", _("changed")
        EXPORT = "export", _("exported")
        ERASE = "erase", _("erased")
        ANONYMISE = "anonymise", _("anonymised")
        UPLOAD = "upload", _("uploaded a document")
        MESSAGE = "message", _("wrote a message")

    class Actor(models.TextChoices):
        STAFF = "staff", _("staff member")
        PATIENT = "patient", _("patient (follow-up page)")
        SYSTEM = "system", _("system")

    inquiry = models.ForeignKey(
        Inquiry,
        verbose_name=_("inquiry"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="access_log",
    )
    reference = models.CharField(_("reference"), max_length=14, blank=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    username = models.CharField(_("user name"), max_length=150, blank=True)
    actor = models.CharField(
        _("actor"),
        max_length=10,
        choices=Actor,
        default=Actor.STAFF,
        help_text=_("Who acted: a staff member (the user), the patient through the follow-up page, or the system."),
    )
    action = models.CharField(_("action"), max_length=20, choices=Action)
    detail = models.CharField(_("detail"), max_length=300, blank=True)
    ip_address = models.GenericIPAddressField(_("from address"), null=True, blank=True)
    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)

    objects = AccessLogQuerySet.as_manager()

    class Meta:
        verbose_name = _("access log entry")
        verbose_name_plural = _("access log")
        ordering = ["-created_at", "-pk"]
        indexes = [
            # An inquiry's page shows its latest entries: this order exactly, for one inquiry.
            models.Index(
                models.F("inquiry"),
                models.F("created_at").desc(),
                models.F("id").desc(),
                name="access_log_inquiry_idx",
            ),
        ]

    def __str__(self):
        return f"{self.username or '-'} {self.action} {self.reference}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("The access log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("The access log is append-only.")


class NotificationQuerySet(models.QuerySet):
    def undelivered(self):
        """Failed for good or waiting for a retry (the admin dashboard and /metrics count these)."""
        return self.filter(status__in=[Notification.Status.FAILED, Notification.Status.RETRYING])


class Notification(models.Model):
    """The delivery state of one e-mail about an inquiry: retried with back-off, sent at most once."""

    class Kind(models.TextChoices):
        CONFIRMATION = "confirmation", _("confirmation to the sender")
        ONCALL = "oncall", _("urgent inquiry to on-call staff")
        ESCALATION = "escalation", _("escalation: deadline passed")
        FOLLOW_UP_LINK = "follow_up_link", _("new follow-up link to the sender")
        PATIENT_MESSAGE = "patient_message", _("message waiting, to the sender")

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting to be sent")
        RETRYING = "retrying", _("failed, will retry")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed after the last retry")

    inquiry = models.ForeignKey(
        Inquiry, verbose_name=_("inquiry"), on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind)
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.CharField(
        _("last error"), max_length=200, blank=True, help_text=_("The error's kind only, never its message.")
    )
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["inquiry", "kind"]
        constraints = [models.UniqueConstraint(fields=["inquiry", "kind"], name="notification_once_per_kind")]
        indexes = [
            models.Index(
                fields=["status"],
                condition=models.Q(status__in=["failed", "retrying"]),
                name="notification_undelivered_idx",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.get_status_display()}"


# The workflow's statuses as the follow-up page says them to the patient.
FOLLOW_UP_STAGES = {
    Inquiry.Status.NEW: _("We have received your inquiry"),
    Inquiry.Status.IN_TRIAGE: _("Being reviewed by our medical team"),
    Inquiry.Status.CONTACTED: _("We contacted you"),
    Inquiry.Status.AWAITING_DOCUMENTS: _("Waiting for your documents"),
    Inquiry.Status.REFERRED: _("Passed to a hospital"),
    Inquiry.Status.CLOSED: _("Closed"),
}


class WorkerHeartbeatQuerySet(models.QuerySet):
    def last_seen(self):
        """When any task worker last reported in, or None if none ever did."""
        return self.aggregate(last=models.Max("last_seen_at"))["last"]


class WorkerHeartbeat(models.Model):
    """A task worker's sign of life, written every few seconds (inquiries/worker.py)."""

    worker_id = models.CharField(_("worker"), max_length=64, unique=True)
    hostname = models.CharField(_("host"), max_length=255)
    pid = models.PositiveIntegerField(_("process id"))
    started_at = models.DateTimeField(_("started"))
    last_seen_at = models.DateTimeField(_("last seen"), db_index=True)
    jobs_done = models.PositiveBigIntegerField(_("jobs done"), default=0)

    objects = WorkerHeartbeatQuerySet.as_manager()

    class Meta:
        verbose_name = _("task worker heartbeat")
        verbose_name_plural = _("task worker heartbeats")
        ordering = ["-last_seen_at"]

    def __str__(self):
        return f"{self.hostname}:{self.pid}"
