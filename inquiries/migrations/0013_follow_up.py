"""The follow-up page (issue 13): links, messages, "patient replied", the access log's actor.

Careful steps for existing data:
- every existing inquiry gets its own random follow-up key (AddField would give them all one);
- existing access-log rows get their actor: "system" where no user acted, "staff" otherwise. On
  PostgreSQL the append-only trigger (0012) is disabled for this one UPDATE inside the
  migration's transaction, then replaced by one that also refuses a change of the actor.
"""

import secrets

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import inquiries.models

TRIGGER = """
CREATE OR REPLACE FUNCTION inquiries_access_log_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE'
       AND NEW.id = OLD.id
       AND NEW.reference = OLD.reference
       AND NEW.username = OLD.username
       AND NEW.actor = OLD.actor
       AND NEW.action = OLD.action
       AND NEW.detail = OLD.detail
       AND NEW.ip_address IS NOT DISTINCT FROM OLD.ip_address
       AND NEW.created_at = OLD.created_at
       AND (NEW.inquiry_id IS NULL OR NEW.inquiry_id = OLD.inquiry_id)
       AND (NEW.user_id IS NULL OR NEW.user_id = OLD.user_id) THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'The access log is append-only.';
END;
$$ LANGUAGE plpgsql;
"""
# 0012's function, for going back.
OLD_TRIGGER = TRIGGER.replace("       AND NEW.actor = OLD.actor\n", "")
BACKFILL_ACTOR = "UPDATE inquiries_accesslogentry SET actor = 'system' WHERE user_id IS NULL AND username = 'system'"


def give_each_inquiry_its_key(apps, schema_editor):
    Inquiry = apps.get_model("inquiries", "Inquiry")
    for pk in Inquiry.objects.values_list("pk", flat=True):
        Inquiry.objects.filter(pk=pk).update(follow_up_key=secrets.token_hex(16))


def backfill_actor(apps, schema_editor):
    # Raw SQL: the model's queryset refuses updates of the log on purpose.
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE inquiries_accesslogentry DISABLE TRIGGER inquiries_access_log_append_only")
        schema_editor.execute(BACKFILL_ACTOR)
        schema_editor.execute("ALTER TABLE inquiries_accesslogentry ENABLE TRIGGER inquiries_access_log_append_only")
    else:
        schema_editor.execute(BACKFILL_ACTOR)


def trigger(sql):
    def operation(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return operation


class Migration(migrations.Migration):
    dependencies = [
        ("inquiries", "0012_access_log_append_only"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="accesslogentry",
            name="actor",
            field=models.CharField(
                choices=[("staff", "staff member"), ("patient", "patient (follow-up page)"), ("system", "system")],
                default="staff",
                help_text="Who acted: a staff member (the user), the patient through the follow-up page, or the system.",
                max_length=10,
                verbose_name="actor",
            ),
        ),
        migrations.AddField(
            model_name="inquiry",
            name="follow_up_key",
            field=models.CharField(
                default=inquiries.models.new_follow_up_key,
                editable=False,
                help_text="Part of every follow-up link; replaced when staff revoke the links.",
                max_length=32,
                verbose_name="follow-up link key",
            ),
        ),
        migrations.AddField(
            model_name="inquiry",
            name="follow_up_link_requested_at",
            field=models.DateTimeField(
                blank=True, editable=False, null=True, verbose_name="new follow-up link requested"
            ),
        ),
        migrations.AddField(
            model_name="inquiry",
            name="follow_up_link_sent_at",
            field=models.DateTimeField(blank=True, editable=False, null=True, verbose_name="follow-up link sent"),
        ),
        migrations.AddField(
            model_name="inquiry",
            name="follow_up_revoked_at",
            field=models.DateTimeField(blank=True, editable=False, null=True, verbose_name="follow-up links revoked"),
        ),
        migrations.AddField(
            model_name="inquiry",
            name="patient_documents_at",
            field=models.DateTimeField(
                blank=True,
                editable=False,
                help_text="Documents uploaded on the follow-up page that staff have not answered or marked as seen yet.",
                null=True,
                verbose_name="documents received",
            ),
        ),
        migrations.AddField(
            model_name="inquiry",
            name="patient_notified_at",
            field=models.DateTimeField(
                blank=True, editable=False, null=True, verbose_name="patient told of the last message"
            ),
        ),
        migrations.AddField(
            model_name="inquiry",
            name="patient_replied_at",
            field=models.DateTimeField(
                blank=True,
                db_index=True,
                editable=False,
                help_text="The first reply of the patient that staff have not answered or marked as seen yet.",
                null=True,
                verbose_name="patient replied",
            ),
        ),
        migrations.AddField(
            model_name="inquiry",
            name="staff_message_at",
            field=models.DateTimeField(
                blank=True, editable=False, null=True, verbose_name="last message to the patient"
            ),
        ),
        migrations.AddField(
            model_name="inquiry",
            name="status_changed_at",
            field=models.DateTimeField(
                blank=True,
                editable=False,
                help_text="When the status last changed.",
                null=True,
                verbose_name="status changed",
            ),
        ),
        migrations.AddField(
            model_name="priorityoverride",
            name="automatic",
            field=models.BooleanField(
                default=False,
                help_text="Raised by the triage rules after a reply of the patient, not by a staff member.",
                verbose_name="automatic re-triage",
            ),
        ),
        migrations.AlterField(
            model_name="accesslogentry",
            name="action",
            field=models.CharField(
                choices=[
                    ("view", "viewed"),
                    ("download", "downloaded a document"),
                    ("change", "changed"),
                    ("export", "exported"),
                    ("erase", "erased"),
                    ("anonymise", "anonymised"),
                    ("upload", "uploaded a document"),
                    ("message", "wrote a message"),
                ],
                max_length=20,
                verbose_name="action",
            ),
        ),
        migrations.AlterField(
            model_name="notification",
            name="kind",
            field=models.CharField(
                choices=[
                    ("confirmation", "confirmation to the sender"),
                    ("oncall", "urgent inquiry to on-call staff"),
                    ("escalation", "escalation: deadline passed"),
                    ("follow_up_link", "new follow-up link to the sender"),
                    ("patient_message", "message waiting, to the sender"),
                ],
                max_length=20,
                verbose_name="kind",
            ),
        ),
        migrations.CreateModel(
            name="InquiryMessage",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "author_kind",
                    models.CharField(
                        choices=[("patient", "patient"), ("staff", "staff")], max_length=10, verbose_name="from"
                    ),
                ),
                (
                    "text",
                    models.TextField(blank=True, help_text="Plain text.", max_length=4000, verbose_name="message"),
                ),
                (
                    "requested_documents",
                    models.JSONField(
                        blank=True,
                        default=list,
                        help_text="Checklist codes staff asked the patient for.",
                        verbose_name="documents asked for",
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True, db_index=True, verbose_name="written")),
                (
                    "author",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="staff member",
                    ),
                ),
                (
                    "inquiry",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="messages",
                        to="inquiries.inquiry",
                        verbose_name="inquiry",
                    ),
                ),
            ],
            options={
                "verbose_name": "message",
                "verbose_name_plural": "messages",
                "ordering": ["created_at", "pk"],
            },
        ),
        migrations.AddField(
            model_name="attachment",
            name="message",
            field=models.ForeignKey(
                blank=True,
                help_text="Empty for documents sent with the form.",
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="attachments",
                to="inquiries.inquirymessage",
                verbose_name="sent with the message",
            ),
        ),
        migrations.AddConstraint(
            model_name="inquirymessage",
            constraint=models.CheckConstraint(
                condition=models.Q(("author_kind__in", ["patient", "staff"])), name="inquiry_message_author_kind_known"
            ),
        ),
        migrations.RunPython(give_each_inquiry_its_key, migrations.RunPython.noop),
        migrations.RunPython(backfill_actor, migrations.RunPython.noop),
        migrations.RunPython(trigger(TRIGGER), trigger(OLD_TRIGGER)),
    ]
