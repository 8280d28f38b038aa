"""On PostgreSQL the database itself refuses UPDATE and DELETE on the audit tables.

The models already refuse through the ORM; this trigger also stops raw SQL, a bulk
``QuerySet.update()`` and anyone with the application's database role. SQLite keeps the
ORM guard only (development). TRUNCATE stays possible for the database owner (test
database flushes use it); the operator's runbook keeps that right away from the app role.
"""

from django.db import migrations

TABLES = ["pmw_accesslog", "pmw_loginevent"]

CREATE_FUNCTION = """
CREATE OR REPLACE FUNCTION pmw_audit_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit tables are append-only: % on % refused', TG_OP, TG_TABLE_NAME;
END;
$$ LANGUAGE plpgsql;
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(CREATE_FUNCTION, params=None)  # the % are plpgsql, not parameters
    for table in TABLES:
        schema_editor.execute(
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION pmw_audit_append_only();"
        )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table};")
    schema_editor.execute("DROP FUNCTION IF EXISTS pmw_audit_append_only();")


class Migration(migrations.Migration):
    dependencies = [("pmw", "0003_accesslog_on_behalf_of_login_event")]

    operations = [migrations.RunPython(forwards, backwards)]
