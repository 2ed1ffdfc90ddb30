"""The hospital directory and the append-only log of admission statuses for international patients.

How to read a hospital's status (other apps: use exactly this, never the raw log):

* ``Hospital.objects.with_current_status()`` annotates every hospital with its current event's
  fields (``current_status_value``, ``current_status_effective_from``, ``current_status_verified_at``,
  ``current_status_valid_until``, ``current_status_note``, ``current_status_reason``,
  ``current_status_event_id``) and with ``current_effective_status``: the value patients may rely
  on, which is ``unknown`` when there is no event, or when the current one is stale. Filter and
  count on ``current_effective_status``.
* ``hospital.current_status`` gives a :class:`CurrentStatus` (``.effective_status``, ``.is_stale``,
  ``.recorded_status``, ``.effective_from``, ``.verified_at``, ``.note`` …). It uses the annotation
  when the hospital came from ``with_current_status()`` and runs one query otherwise.

The current event is the newest *effective* one: the latest ``effective_from`` that is not in the
future, and among events on the same day the one recorded last. It is computed when read, never
stored, so an event with a future date takes over on its day without any job, and recording an
event never changes an older one. A status is stale when it was verified longer ago than
``settings.HOSPITALS_STATUS_STALE_AFTER_DAYS`` (default 14) or its ``valid_until`` has passed.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, models
from django.db.models import Case, F, OuterRef, Q, Subquery, Value, When
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from languages.fallback import fallback_chain, translated
from languages.names import language_names, normalise_language_list
from languages.places import name_of_record, place_name

DEFAULT_STALE_AFTER_DAYS = 14


def stale_after_days() -> int:
    return getattr(settings, "HOSPITALS_STATUS_STALE_AFTER_DAYS", DEFAULT_STALE_AFTER_DAYS)


def stale_before(now: datetime | None = None) -> datetime:
    """A status verified before this moment is stale."""
    return (now or timezone.now()) - timedelta(days=stale_after_days())


class FederalState(models.TextChoices):
    BADEN_WUERTTEMBERG = "BW", _("Baden-Württemberg")
    BAVARIA = "BY", _("Bavaria")
    BERLIN = "BE", _("Berlin")
    BRANDENBURG = "BB", _("Brandenburg")
    BREMEN = "HB", _("Bremen")
    HAMBURG = "HH", _("Hamburg")
    HESSE = "HE", _("Hesse")
    LOWER_SAXONY = "NI", _("Lower Saxony")
    MECKLENBURG_WESTERN_POMERANIA = "MV", _("Mecklenburg-Western Pomerania")
    NORTH_RHINE_WESTPHALIA = "NW", _("North Rhine-Westphalia")
    RHINELAND_PALATINATE = "RP", _("Rhineland-Palatinate")
    SAARLAND = "SL", _("Saarland")
    SAXONY = "SN", _("Saxony")
    SAXONY_ANHALT = "ST", _("Saxony-Anhalt")
    SCHLESWIG_HOLSTEIN = "SH", _("Schleswig-Holstein")
    THURINGIA = "TH", _("Thuringia")


class HospitalKind(models.TextChoices):
    UNIVERSITY = "university", _("University hospital")
    PUBLIC = "public", _("Public hospital")
    PRIVATE = "private", _("Private hospital")
    CHARITY = "charity", _("Church or charity hospital")


class Certification(models.Model):
    """A kind of certification, e.g. “ENETS Centre of Excellence”."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    slug = models.SlugField(
        _("slug"), unique=True, help_text=_("Used in filter addresses. Do not change once in use.")
    )
    url = models.URLField(_("web page"), blank=True, help_text=_("Where the certifying body explains it."))
    description = models.TextField(_("description"), blank=True, help_text=_("One plain-language sentence."))

    class Meta:
        ordering = ["name_en"]  # the English source: the same order in every language
        verbose_name = _("certification")
        verbose_name_plural = _("certifications")

    def __str__(self):
        return self.name


class HospitalCertificationQuerySet(models.QuerySet):
    def valid(self, on: date | None = None):
        """Certifications held on the given day (today by default)."""
        on = on or timezone.localdate()
        return self.filter(Q(valid_from__lte=on), Q(valid_until__isnull=True) | Q(valid_until__gte=on))

    def expiring(self, within_days: int = 90, on: date | None = None):
        """Valid today and ending within the given number of days: due for re-accreditation."""
        on = on or timezone.localdate()
        return self.valid(on).filter(valid_until__lte=on + timedelta(days=within_days))


class HospitalCertification(models.Model):
    """A certification held by one hospital for a period."""

    hospital = models.ForeignKey(
        "Hospital", on_delete=models.CASCADE, related_name="hospital_certifications", verbose_name=_("hospital")
    )
    certification = models.ForeignKey(
        Certification, on_delete=models.PROTECT, related_name="holders", verbose_name=_("certification")
    )
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(
        _("valid until"), null=True, blank=True, help_text=_("Leave empty if it does not expire.")
    )
    reference = models.URLField(_("certificate link"), blank=True)

    objects = HospitalCertificationQuerySet.as_manager()

    class Meta:
        ordering = ["certification__name_en"]
        verbose_name = _("certification held")
        verbose_name_plural = _("certifications held")
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=F("valid_from")),
                name="hospital_certification_period_ordered",
            )
        ]

    def __str__(self):
        return f"{self.certification} ({self.hospital})"

    def clean(self):
        if self.valid_until and self.valid_from and self.valid_until < self.valid_from:
            raise ValidationError({"valid_until": _("The end must not be before the start.")}, code="period_reversed")

    def is_valid_on(self, on: date | None = None) -> bool:
        on = on or timezone.localdate()
        return self.valid_from <= on and (self.valid_until is None or self.valid_until >= on)


class HospitalQuerySet(models.QuerySet):
    def with_current_status(self, *, now: datetime | None = None):
        """Annotate each hospital with its current admission status; see the module docstring."""
        # Staleness is decided inside the subquery, on the one current event, so that each
        # annotation is a single correlated subquery on the (hospital, effective_from) index.
        current = current_events(now=now).filter(hospital=OuterRef("pk"))

        def field(name, output_field=None):
            return Subquery(current.values(name)[:1], output_field=output_field)

        return self.annotate(
            current_status_event_id=field("pk"),
            current_status_value=field("status"),
            current_status_effective_from=field("effective_from"),
            current_status_verified_at=field("verified_at"),
            current_status_valid_until=field("valid_until"),
            # The note in the reader's language, falling back whole (never mixed), like `event.note`.
            current_status_note=Subquery(
                current.annotate(translated_note=translated("note")).values("translated_note")[:1],
                output_field=models.TextField(),
            ),
            current_status_reason=field("reason"),
            current_effective_status=Coalesce(
                field("effective", models.CharField()),
                Value(AdmissionStatus.Status.UNKNOWN),
                output_field=models.CharField(),
            ),
            current_status_is_stale=Coalesce(
                field("stale", models.BooleanField()), Value(False), output_field=models.BooleanField()
            ),
        )

    def current_status_rows(self, *fields: str, order_by: str, now: datetime | None = None) -> list[dict]:
        """``with_current_status().values(*fields, <the four published status columns>)``, as a list.

        The same rows by the same rule (`current_events`); on PostgreSQL read with one index probe
        per hospital (a LATERAL join, `current_status_sql`) instead of one correlated subquery per
        column, which is what keeps status.json fast with thousands of hospitals.
        `tests/hospitals/test_views.py` checks that both ways agree.
        """
        if connection.vendor != "postgresql":
            return list(self.with_current_status(now=now).order_by(order_by).values(*fields, *CURRENT_STATUS_COLUMNS))
        sql, params = self.current_status_sql(*fields, order_by=order_by, now=now)
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            names = [column.name for column in cursor.description]
            keep = [(name, names.index(name)) for name in (*fields, *CURRENT_STATUS_COLUMNS)]
            return [{name: row[index] for name, index in keep} for row in cursor.fetchall()]

    def current_status_sql(self, *fields: str, order_by: str, now: datetime | None = None) -> tuple[str, tuple]:
        """PostgreSQL only: the SQL of `current_status_rows` (its columns: the fields, then the four
        status columns), for a caller that shapes the result in the database (status.json)."""
        hospitals_sql, hospitals_params = self.order_by().values("pk", *fields).query.sql_with_params()
        event = (
            current_events(now=now)
            .filter(hospital_id=RawSQL('hospital."pk"', []))
            .values("effective", "stale", "effective_from", "verified_at")[:1]
        )
        event_sql, event_params = event.query.sql_with_params()
        sql = (
            # Both parts are compiled by Django with their parameters; the column name is the model's.
            f"SELECT hospital.*, "  # noqa: S608
            f"COALESCE(current_event.effective, %s) AS current_effective_status, "
            f"COALESCE(current_event.stale, false) AS current_status_is_stale, "
            f"current_event.effective_from AS current_status_effective_from, "
            f"current_event.verified_at AS current_status_verified_at "
            f"FROM ({hospitals_sql}) hospital LEFT JOIN LATERAL ({event_sql}) current_event ON true "
            f'ORDER BY hospital."{self.model._meta.get_field(order_by).column}"'
        )
        return sql, (AdmissionStatus.Status.UNKNOWN, *hospitals_params, *event_params)

    def next_status_change(self, *, now: datetime | None = None, also_after_days=()) -> datetime | None:
        """The next moment after `now` when a current status turns stale without any new event.

        Also the next moment a status verification becomes older than each of `also_after_days`
        (the directory's "verified in the last N days" filter). Day boundaries (valid until, a
        scheduled event's first day) fall at local midnight and are not computed here. One query.
        """
        now = now or timezone.now()
        thresholds = {f"after_{days}": timedelta(days=days) for days in {stale_after_days(), *also_after_days}}
        moments = (
            self.with_current_status(now=now)
            .filter(current_status_is_stale=False)
            .aggregate(
                **{
                    name: models.Min("current_status_verified_at", filter=Q(current_status_verified_at__gt=now - age))
                    for name, age in thresholds.items()
                }
            )
        )
        candidates = [moments[name] + age for name, age in thresholds.items() if moments[name] is not None]
        return min(candidates, default=None)

    def stale(self, *, now: datetime | None = None):
        """Hospitals whose current status is due for a check (stale), from with_current_status()."""
        return self.with_current_status(now=now).filter(current_status_is_stale=True)

    def due_for_check(self, *, now: datetime | None = None):
        """Stale or never recorded: the hospitals a maintainer should call next."""
        return self.with_current_status(now=now).filter(
            Q(current_status_is_stale=True) | Q(current_status_event_id__isnull=True)
        )

    def status_summary(self, *, now: datetime | None = None) -> dict[str, int]:
        """How many hospitals have each effective status, plus how many are stale; one query."""
        rows = (
            self.with_current_status(now=now)
            .order_by()
            .values("current_effective_status", "current_status_is_stale")
            .annotate(count=models.Count("pk"))
        )
        summary = dict.fromkeys(AdmissionStatus.Status.values, 0)
        summary["stale"] = 0
        for row in rows:
            summary[row["current_effective_status"]] += row["count"]
            if row["current_status_is_stale"]:
                summary["stale"] += row["count"]
        summary["total"] = sum(summary[value] for value in AdmissionStatus.Status.values)
        return summary


# The status columns `current_status_rows` adds to the hospitals' fields (published in status.json).
CURRENT_STATUS_COLUMNS = (
    "current_effective_status",
    "current_status_is_stale",
    "current_status_effective_from",
    "current_status_verified_at",
)


def current_events(*, now: datetime | None = None):
    """Admission events in effect, newest first, each annotated with the one staleness rule.

    The first event of a hospital is its current one. Both ways of reading the current status
    (`with_current_status`, `current_status_rows`) are built on this queryset.
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    stale = Q(verified_at__lt=stale_before(now)) | Q(valid_until__lt=today)
    return (
        AdmissionStatus.objects.filter(effective_from__lte=today)
        .order_by(*AdmissionStatus.NEWEST_FIRST)
        .annotate(
            stale=Case(When(stale, then=Value(True)), default=Value(False), output_field=models.BooleanField()),
            effective=Case(
                When(stale, then=Value(AdmissionStatus.Status.UNKNOWN)),
                default=F("status"),
                output_field=models.CharField(),
            ),
        )
    )


class Hospital(models.Model):
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(
        _("slug"), unique=True, max_length=200, help_text=_("Used in the page address. Do not change once in use.")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=HospitalKind.choices)
    street_address = models.CharField(_("street address"), max_length=200)
    postcode = models.CharField(_("postcode"), max_length=5, help_text=_("Five digits."))
    city = models.CharField(
        _("city"),
        max_length=100,
        db_index=True,
        help_text=_("The German name (München, Köln); readers see their language's name for it where one exists."),
    )
    state = models.CharField(_("federal state"), max_length=2, choices=FederalState.choices, db_index=True)
    latitude = models.DecimalField(_("latitude"), max_digits=8, decimal_places=5, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=8, decimal_places=5, null=True, blank=True)
    website = models.URLField(_("website"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True, help_text=_("International format, +49 …"))
    international_office_email = models.EmailField(_("international office e-mail"), blank=True)
    international_office_languages = models.CharField(
        _("languages of the international office"),
        max_length=200,
        blank=True,
        help_text=_(
            "Comma-separated language codes or English names, e.g. “en, ar, ru” or “English, Arabic, Russian”; "
            "saved as codes and shown to each reader in their own language."
        ),
    )
    bed_count = models.PositiveIntegerField(_("beds"), null=True, blank=True)
    description = models.TextField(_("description"), blank=True, help_text=_("A short plain-language profile."))
    departments = models.TextField(_("departments and specialties"), blank=True, help_text=_("One per line."))
    treatments = models.ManyToManyField(
        "taxonomy.Treatment", blank=True, related_name="hospitals", verbose_name=_("treatments offered")
    )
    certifications = models.ManyToManyField(
        Certification,
        through=HospitalCertification,
        blank=True,
        related_name="hospitals",
        verbose_name=_("certifications"),
    )
    is_sample = models.BooleanField(
        _("sample data"), default=False, help_text=_("Invented demo record; its pages say so.")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = HospitalQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("hospital")
        verbose_name_plural = _("hospitals")
        constraints = [
            models.CheckConstraint(
                condition=Q(bed_count__isnull=True) | Q(bed_count__gte=1), name="hospital_bed_count_positive"
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("hospitals:detail", kwargs={"slug": self.slug})

    def clean(self):
        if self.postcode and not (self.postcode.isdigit() and len(self.postcode) == 5):
            raise ValidationError({"postcode": _("A German postcode has five digits.")}, code="invalid_postcode")
        self.city = name_of_record(self.city)
        self.international_office_languages = normalise_language_list(self.international_office_languages)

    @property
    def current_status(self) -> "CurrentStatus":
        """The effective current admission status; stale counts as unknown. See the module docstring."""
        if hasattr(self, "current_status_event_id"):
            if self.current_status_event_id is None:
                return CurrentStatus.none()
            return CurrentStatus(
                recorded_status=self.current_status_value,
                effective_from=self.current_status_effective_from,
                verified_at=self.current_status_verified_at,
                valid_until=self.current_status_valid_until,
                note=self.current_status_note,
                reason=self.current_status_reason,
                event_id=self.current_status_event_id,
            )
        event = self.admission_statuses.current().first()
        return CurrentStatus.from_event(event) if event else CurrentStatus.none()

    @property
    def department_list(self) -> list[str]:
        return [line.strip() for line in self.departments.splitlines() if line.strip()]

    @property
    def language_list(self) -> list[str]:
        """The international office's languages, named in the reader's language."""
        return language_names(self.international_office_languages)

    @property
    def city_name(self) -> str:
        """The city as the reader knows it (Munich, Мюнхен); `city` is the German name of record."""
        return place_name(self.city)


class AdmissionStatusQuerySet(models.QuerySet):
    def effective(self, on: date | None = None):
        """Events already in effect on the given day (today by default), newest first."""
        on = on or timezone.localdate()
        return self.filter(effective_from__lte=on).order_by(*AdmissionStatus.NEWEST_FIRST)

    def current(self, on: date | None = None):
        """The newest effective event first; take `.first()`."""
        return self.effective(on)


class AdmissionStatus(models.Model):
    """One dated, sourced statement about whether a hospital admits international patients.

    Append-only: a correction is a new event. Services record events; the admin never edits them.
    """

    class Status(models.TextChoices):
        ACCEPTING = "accepting", _("Admits international patients")
        URGENT_ONLY = "urgent_only", _("Urgent cases only")
        NOT_ACCEPTING = "not_accepting", _("Not admitting")
        UNKNOWN = "unknown", _("Status unknown")

    class Reason(models.TextChoices):
        LOCKDOWN = "lockdown", _("Lockdown rules")
        CAPACITY = "capacity", _("No capacity")
        STAFF = "staff", _("Staff shortage")
        DEPARTMENT_CLOSED = "department_closed", _("Department closed")
        OTHER = "other", _("Other")

    class Source(models.TextChoices):
        PHONE = "phone", _("Phone call")
        EMAIL = "email", _("E-mail from the international office")
        WEBSITE = "website", _("The hospital's website")
        PARTNER = "partner", _("A partner")
        OTHER = "other", _("Other")

    RESTRICTED = (Status.URGENT_ONLY, Status.NOT_ACCEPTING)
    NEWEST_FIRST = ("-effective_from", "-recorded_at", "-pk")

    hospital = models.ForeignKey(
        Hospital, on_delete=models.PROTECT, related_name="admission_statuses", verbose_name=_("hospital")
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    effective_from = models.DateField(_("effective from"), help_text=_("The day from which this status applies."))
    note = models.TextField(
        _("public note"),
        blank=True,
        max_length=500,
        help_text=_("Shown to patients, e.g. “oncology patients admitted after review of records”."),
    )
    reason = models.CharField(
        _("reason"),
        max_length=20,
        choices=Reason.choices,
        blank=True,
        help_text=_("Only for “urgent cases only” and “not admitting”."),
    )
    valid_until = models.DateField(
        _("valid until"),
        null=True,
        blank=True,
        help_text=_("Only for restrictions: after this day the status is due for re-verification."),
    )
    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    source_reference = models.CharField(
        _("source reference"),
        max_length=500,
        blank=True,
        help_text=_("Internal: who said it, a ticket number or a URL. Never shown publicly."),
    )
    verified_at = models.DateTimeField(_("verified at"), help_text=_("When the source last confirmed this status."))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now, editable=False)

    objects = AdmissionStatusQuerySet.as_manager()

    class Meta:
        ordering = ["hospital", "-effective_from", "-recorded_at", "-pk"]
        verbose_name = _("admission status")
        verbose_name_plural = _("admission statuses")
        indexes = [
            # NEWEST_FIRST whole, to its last column: the current event is the first index entry,
            # with no sort of a hospital's events (status.json probes it for every hospital).
            models.Index(
                fields=["hospital", "-effective_from", "-recorded_at", "-id"], name="admission_status_newest"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=F("effective_from")),
                name="admission_status_valid_until_after_start",
            ),
            models.CheckConstraint(
                condition=Q(reason="") | Q(status__in=["urgent_only", "not_accepting"]),
                name="admission_status_reason_only_for_restrictions",
            ),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(status__in=["urgent_only", "not_accepting"]),
                name="admission_status_valid_until_only_for_restrictions",
            ),
        ]

    def __str__(self):
        return f"{self.hospital}: {self.get_status_display()} ({self.effective_from:%Y-%m-%d})"

    def clean(self):
        errors = {}
        if self.status not in self.RESTRICTED:
            if self.reason:
                errors["reason"] = ValidationError(
                    _("A reason is only recorded for “urgent cases only” or “not admitting”."),
                    code="reason_not_allowed",
                )
            if self.valid_until:
                errors["valid_until"] = ValidationError(
                    _("Only a restriction has a “valid until” date."), code="valid_until_not_allowed"
                )
        if self.valid_until and self.effective_from and self.valid_until < self.effective_from:
            errors["valid_until"] = ValidationError(
                _("“Valid until” must not be before “effective from”."), code="valid_until_before_start"
            )
        # A few minutes of grace for clocks that differ; a confirmation cannot come from the future.
        if self.verified_at and self.verified_at > timezone.now() + timedelta(minutes=5):
            errors["verified_at"] = ValidationError(
                _("“Verified at” cannot be in the future."), code="verified_in_future"
            )
        if self._state.adding and self.hospital_id and self.effective_from:
            # The newest effective event is the current one; a new event dated before it would be
            # recorded and yet never shown, so a correction of the present is dated today or later.
            current = AdmissionStatus.objects.filter(hospital_id=self.hospital_id).current().first()
            if current is not None and self.effective_from < current.effective_from:
                errors["effective_from"] = ValidationError(
                    _(
                        "A status effective from %(date)s is already in force for %(hospital)s. A new "
                        "status takes effect only from that date or later; to correct the present, "
                        "record it effective today."
                    ),
                    code="behind_current_status",
                    params={"date": date_format(current.effective_from, "DATE_FORMAT"), "hospital": self.hospital},
                )
        if errors:
            raise ValidationError(errors)


@dataclass(frozen=True)
class CurrentStatus:
    """A hospital's current admission status as patients should read it."""

    recorded_status: str
    effective_from: date | None = None
    verified_at: datetime | None = None
    valid_until: date | None = None
    note: str = ""
    reason: str = ""
    event_id: int | None = None

    @classmethod
    def none(cls) -> "CurrentStatus":
        return cls(recorded_status=AdmissionStatus.Status.UNKNOWN)

    @classmethod
    def from_event(cls, event: AdmissionStatus) -> "CurrentStatus":
        return cls(
            recorded_status=event.status,
            effective_from=event.effective_from,
            verified_at=event.verified_at,
            valid_until=event.valid_until,
            note=event.note,
            reason=event.reason,
            event_id=event.pk,
        )

    @property
    def is_recorded(self) -> bool:
        return self.event_id is not None

    @property
    def is_stale(self) -> bool:
        """Verified too long ago, or past its valid-until date."""
        if not self.is_recorded:
            return False
        expired = self.valid_until is not None and self.valid_until < timezone.localdate()
        return self.verified_at < stale_before() or expired

    @property
    def effective_status(self) -> str:
        """What patients may rely on: the recorded status, or ``unknown`` when stale or missing."""
        if not self.is_recorded or self.is_stale:
            return AdmissionStatus.Status.UNKNOWN
        return self.recorded_status

    @property
    def label(self):
        return AdmissionStatus.Status(self.effective_status).label

    @property
    def reason_label(self):
        return AdmissionStatus.Reason(self.reason).label if self.reason else ""

    @property
    def admits_urgent_cases_only(self) -> bool:
        return self.effective_status == AdmissionStatus.Status.URGENT_ONLY


class SiteNoticeQuerySet(models.QuerySet):
    def active(self, now: datetime | None = None):
        """Notices to show right now."""
        now = now or timezone.now()
        return self.filter(Q(starts_at__lte=now), Q(ends_at__isnull=True) | Q(ends_at__gt=now)).order_by("-starts_at")

    def next_change(self, *, now: datetime | None = None) -> datetime | None:
        """The next moment after `now` when a notice appears or disappears by itself."""
        now = now or timezone.now()
        moments = self.aggregate(
            starts=models.Min("starts_at", filter=Q(starts_at__gt=now)),
            ends=models.Min("ends_at", filter=Q(ends_at__gt=now)),
        )
        return min((moment for moment in moments.values() if moment is not None), default=None)


class SiteNotice(models.Model):
    """A dated banner shown on every public page, e.g. during a lockdown."""

    class Level(models.TextChoices):
        INFO = "info", _("Information")
        WARNING = "warning", _("Warning")

    # Title and message are translated (hospitals/translation.py) and fall back together: a reader
    # gets both in one language, never a heading in one and the text in another.
    title = models.CharField(_("title"), max_length=120, help_text=_("The banner's heading."))
    message = models.TextField(_("message"), max_length=500)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices, default=Level.WARNING)
    starts_at = models.DateTimeField(_("shown from"), default=timezone.now)
    ends_at = models.DateTimeField(_("shown until"), null=True, blank=True, help_text=_("Leave empty to keep it."))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("created by"),
    )

    objects = SiteNoticeQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_at"]
        verbose_name = _("site notice")
        verbose_name_plural = _("site notices")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True) | Q(ends_at__gt=F("starts_at")), name="site_notice_period_ordered"
            )
        ]

    def __str__(self):
        return self.title

    def clean(self):
        if self.ends_at and self.starts_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": _("The end must be after the start.")}, code="period_reversed")

    def in_reader_language(self) -> dict[str, str]:
        """Title and message from the first language in the fallback chain that has the message."""
        for code in fallback_chain():
            message = getattr(self, f"message_{code}", "")
            if message:
                return {"language": code, "title": getattr(self, f"title_{code}", "") or "", "message": message}
        return {"language": "", "title": "", "message": ""}
