from pathlib import Path

import polib
from django.conf import settings
from django.urls import reverse

PO_FILES = sorted(Path(settings.BASE_DIR, "locale").glob("*/LC_MESSAGES/django.po"))


def test_there_is_an_english_translation():
    assert [p.parts[-3] for p in PO_FILES] == ["en"]


def test_every_entry_is_translated_and_none_is_fuzzy():
    for path in PO_FILES:
        po = polib.pofile(str(path))
        untranslated = [e.msgid for e in po.untranslated_entries()]
        fuzzy = [e.msgid for e in po.fuzzy_entries()]
        assert untranslated == [], f"{path}: untranslated {untranslated[:10]}"
        assert fuzzy == [], f"{path}: fuzzy {fuzzy[:10]}"


def test_pages_switch_language(case, worker, as_user):
    http = as_user(worker)
    url = reverse("cases:detail", args=[case.reference])
    assert "Contactmoment vastleggen" in http.get(url).content.decode()
    http.cookies["django_language"] = "en"
    page = http.get(url).content.decode()
    assert 'lang="en"' in page
    assert "Record contact moment" in page
    assert "Contactmoment vastleggen" not in page
