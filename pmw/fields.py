"""Encryption at rest for the most sensitive text (notes, legal name, shelter location).

Authenticated encryption (Fernet: AES-128-CBC with HMAC-SHA256) under a list of keys: the
first key encrypts, every key decrypts (``MultiFernet``). Rotation: put a new key first in
``FIELD_ENCRYPTION_KEYS``, deploy, run ``manage.py rotate_field_keys``, then drop the old key.
The database, its backups and its replicas only ever hold ciphertext for these columns.
"""

from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models


@lru_cache(maxsize=4)
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    if not keys:
        raise ImproperlyConfigured("FIELD_ENCRYPTION_KEYS is empty.")
    return MultiFernet([Fernet(key.encode()) for key in keys])


def fernet() -> MultiFernet:
    return _fernet(tuple(settings.FIELD_ENCRYPTION_KEYS))


def encrypt(text: str) -> str:
    return fernet().encrypt(text.encode("utf-8")).decode("ascii")


def decrypt(token: str) -> str:
    try:
        return fernet().decrypt(token.encode("ascii")).decode("utf-8")
    except InvalidToken as exc:
        # Never include the value: it may be plaintext client data after a bad migration.
        raise ImproperlyConfigured(
            "An encrypted field could not be decrypted with any key in FIELD_ENCRYPTION_KEYS."
        ) from exc


def rotate(token: str) -> str:
    """The same plaintext under the newest key (no decryption outside the library)."""
    return fernet().rotate(token.encode("ascii")).decode("ascii")


class EncryptedTextField(models.TextField):
    """Text stored as a Fernet token. Not searchable or sortable in SQL, by design.

    The empty string is stored as is, so ``blank=True`` fields keep their meaning.
    """

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return encrypt(value)

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        return decrypt(value)
