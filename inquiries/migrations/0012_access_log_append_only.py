"""On PostgreSQL the database itself keeps the access log append-only.

A trigger refuses DELETE and any UPDATE except unlinking (setting `inquiry_id` or `user_id` to
NULL when an inquiry is erased or a user deleted). TRUNCATE, which only the test runner and an
operator with the owner's rights use, is not a row operation and stays possible. SQLite has no
such trigger (its test flush deletes rows); there the model and the admin guard it.
"""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION inquiries_access_log_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE'
       AND NEW.id = OLD.id
       AND NEW.reference = OLD.reference
       AND NEW.username = OLD.username
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
DROP TRIGGER IF EXISTS inquiries_access_log_append_only ON inquiries_accesslogentry;
CREATE TRIGGER inquiries_access_log_append_only
    BEFORE UPDATE OR DELETE ON inquiries_accesslogentry
    FOR EACH ROW EXECUTE FUNCTION inquiries_access_log_append_only();
"""

DROP = """
DROP TRIGGER IF EXISTS inquiries_access_log_append_only ON inquiries_accesslogentry;
DROP FUNCTION IF EXISTS inquiries_access_log_append_only();
"""


def run(sql):
    def operation(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return operation


class Migration(migrations.Migration):
    dependencies = [("inquiries", "0011_triage_permissions")]

    operations = [migrations.RunPython(run(CREATE), run(DROP))]
