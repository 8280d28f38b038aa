"""Sensitive text is encrypted at rest, authenticated, and survives key rotation."""

import io

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.db import connection

from cases.models import ContactMoment
from pmw.fields import fernet
from profiles.models import Client
from tests.factories import ClientFactory, ContactMomentFactory

OLD, NEW = Fernet.generate_key().decode(), Fernet.generate_key().decode()


def _stored(table, column, pk):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE id = %s", [pk])  # noqa: S608
        return cursor.fetchone()[0]


def test_raw_sql_returns_ciphertext(worker):
    client = ClientFactory(
        created_by=worker, legal_name="Maria Janssen", shelter_location="Opvang Zonnebloem"
    )
    moment = ContactMomentFactory(note="Vertelde over de schulden bij haar ex.")
    for table, column, pk, plain in [
        ("profiles_client", "legal_name", client.pk, "Maria Janssen"),
        ("profiles_client", "shelter_location", client.pk, "Opvang Zonnebloem"),
        ("cases_contactmoment", "note", moment.pk, "Vertelde over de schulden"),
    ]:
        stored = _stored(table, column, pk)
        assert plain not in stored and stored.startswith("gAAAAA")
    assert Client.objects.get(pk=client.pk).legal_name == "Maria Janssen"
    assert ContactMoment.objects.get(pk=moment.pk).note.startswith("Vertelde")


def test_tampered_ciphertext_is_refused(worker, settings):
    client = ClientFactory(created_by=worker, legal_name="Maria Janssen")
    token = _stored("profiles_client", "legal_name", client.pk)
    tampered = token[:-6] + ("A" if token[-6] != "A" else "B") + token[-5:]
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE profiles_client SET legal_name = %s WHERE id = %s", [tampered, client.pk]
        )
    with pytest.raises(ImproperlyConfigured, match="could not be decrypted"):
        Client.objects.get(pk=client.pk)


def test_data_written_under_the_old_key_reads_after_rotation(worker, settings):
    settings.FIELD_ENCRYPTION_KEYS = [OLD]
    moment = ContactMomentFactory(note="Geschreven onder de oude sleutel.")
    old_token = _stored("cases_contactmoment", "note", moment.pk)
    # A new key goes first; the old one stays for reading.
    settings.FIELD_ENCRYPTION_KEYS = [NEW, OLD]
    assert ContactMoment.objects.get(pk=moment.pk).note == "Geschreven onder de oude sleutel."
    call_command("rotate_field_keys", stdout=io.StringIO())
    new_token = _stored("cases_contactmoment", "note", moment.pk)
    assert new_token != old_token
    # After rotation the old key can go.
    settings.FIELD_ENCRYPTION_KEYS = [NEW]
    assert ContactMoment.objects.get(pk=moment.pk).note == "Geschreven onder de oude sleutel."
    assert fernet().decrypt(new_token.encode()) == b"Geschreven onder de oude sleutel."


def test_production_refuses_to_start_without_keys():
    import os
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env={
            "PATH": os.environ["PATH"],
            "DJANGO_SETTINGS_MODULE": "pmw.settings",
            "SECRET_KEY": "x",
            "DEBUG": "false",
        },
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "FIELD_ENCRYPTION_KEYS must be set" in result.stderr
