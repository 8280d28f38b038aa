"""Re-encrypt every encrypted column under the newest key of FIELD_ENCRYPTION_KEYS."""

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.db.models import TextField, Value

from pmw.fields import EncryptedTextField, rotate


def _stored_values(model, fields):
    """The stored ciphertext: the ORM would decrypt through ``from_db_value``."""
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in fields)
    sql = f"SELECT {quote(model._meta.pk.column)}, {columns} FROM {quote(model._meta.db_table)}"  # noqa: S608 — names from model metadata
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchall()


class Command(BaseCommand):
    help = "Re-encrypt all EncryptedTextField values under the first (newest) key."

    def handle(self, *args, **options):
        for model in apps.get_models():
            fields = [f for f in model._meta.concrete_fields if isinstance(f, EncryptedTextField)]
            if not fields:
                continue
            count = 0
            with transaction.atomic():
                for pk, *tokens in _stored_values(model, fields):
                    changes = {
                        field.attname: Value(rotate(token), output_field=TextField())
                        for field, token in zip(fields, tokens, strict=True)
                        if token
                    }
                    if changes:
                        model._base_manager.filter(pk=pk).update(**changes)
                        count += 1
            self.stdout.write(f"{model._meta.label}: {count} row(s) re-encrypted")
