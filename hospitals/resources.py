"""CSV import and export of hospitals and status events (django-import-export).

An import is all or nothing: any invalid row (bad value, unknown hospital or treatment, a rule of
the model broken) rolls the whole file back, and the dry run lists every row's errors. Status events
are append-only, so their import only ever adds events and stamps the importing user.
"""

from django.utils import timezone
from import_export import fields, resources, widgets

from hospitals.models import AdmissionStatus, Hospital
from languages.fallback import language_codes
from pagecache.versions import HOSPITALS, content_changed
from taxonomy.models import Treatment


class AllOrNothingResource(resources.ModelResource):
    def import_data(self, dataset, **kwargs):
        kwargs["use_transactions"] = True
        kwargs["rollback_on_validation_errors"] = True
        return super().import_data(dataset, **kwargs)

    def after_import(self, dataset, result, **kwargs):
        super().after_import(dataset, result, **kwargs)
        # Runs on commit only: a dry run or a refused file is rolled back, and the refresh with it.
        content_changed(HOSPITALS)


def translated_columns(field: str) -> list[str]:
    """The CSV columns of a translated field: the English text under its plain name, then `<name>_<code>`."""
    return [field, *(f"{field}_{code}" for code in language_codes() if code != "en")]


class HospitalResource(AllOrNothingResource):
    # The English text keeps the column name it had before translations (description, departments).
    description = fields.Field(attribute="description_en", column_name="description")
    departments = fields.Field(attribute="departments_en", column_name="departments")
    treatments = fields.Field(
        attribute="treatments",
        column_name="treatments",
        widget=widgets.ManyToManyWidget(Treatment, field="slug", separator="|"),
    )

    class Meta:
        model = Hospital
        import_id_fields = ["slug"]
        fields = [
            "slug",
            "name",
            "kind",
            "street_address",
            "postcode",
            "city",
            "state",
            "latitude",
            "longitude",
            "website",
            "phone",
            "international_office_email",
            "international_office_languages",
            "bed_count",
            *translated_columns("description"),
            *translated_columns("departments"),
            "treatments",
            "is_sample",
        ]
        export_order = fields
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True

    def import_field(self, field, instance, row, is_m2m=False, **kwargs):
        if field.attribute == "treatments" and row.get("treatments"):
            # ManyToManyWidget silently drops unknown slugs; an unknown treatment is an error here.
            slugs = {slug.strip() for slug in str(row["treatments"]).split("|") if slug.strip()}
            known = set(Treatment.objects.filter(slug__in=slugs).values_list("slug", flat=True))
            if unknown := sorted(slugs - known):
                raise ValueError(f"Unknown treatment: {', '.join(unknown)}")
        return super().import_field(field, instance, row, is_m2m=is_m2m, **kwargs)


class AdmissionStatusResource(AllOrNothingResource):
    hospital = fields.Field(
        attribute="hospital", column_name="hospital", widget=widgets.ForeignKeyWidget(Hospital, field="slug")
    )
    id = fields.Field(attribute="id", column_name="id", readonly=True)
    note = fields.Field(attribute="note_en", column_name="note")
    recorded_by = fields.Field(attribute="recorded_by", column_name="recorded_by", readonly=True)
    recorded_at = fields.Field(
        attribute="recorded_at", column_name="recorded_at", readonly=True, widget=widgets.DateTimeWidget()
    )

    class Meta:
        model = AdmissionStatus
        fields = [
            "id",
            "hospital",
            "status",
            "effective_from",
            *translated_columns("note"),
            "reason",
            "valid_until",
            "source",
            "source_reference",
            "verified_at",
            "recorded_by",
            "recorded_at",
        ]
        export_order = fields
        import_id_fields = []
        force_init_instance = True  # never load, so never change, an existing event
        clean_model_instances = True

    def dehydrate_recorded_by(self, event):
        return event.recorded_by.get_username() if event.recorded_by else ""

    def before_save_instance(self, instance, row, **kwargs):
        instance.pk = None
        instance.recorded_by = kwargs.get("user")
        instance.recorded_at = timezone.now()
