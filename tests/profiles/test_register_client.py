import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from pmw.models import AccessLog
from profiles.models import AccessBlock, Client
from tests.factories import ClientFactory

URL = reverse("profiles:register")
BASE = {
    "gender": "unknown",
    "licensing": "unknown",
    "how_started": "unknown",
    "profile": "unknown",
    "living_situation": "unknown",
}


def _post(http, **fields):
    return http.post(URL, {**BASE, **fields})


def test_registers_with_readable_number_and_logs_it(worker, as_user):
    response = _post(
        as_user(worker),
        working_name="Luna",
        sectors=["club", "online"],
        talents=["sales"],
        phone="+31 6 1234 5678",
    )
    client = Client.objects.get(working_name="Luna")
    assert re.fullmatch(rf"PMW-{timezone.localdate().year}-\d{{4}}", client.number)
    assert client.organisation == worker.organisation
    assert client.phone_key == "0612345678"
    assert sorted(client.sectors.values_list("sector", flat=True)) == ["club", "online"]
    assert response.status_code == 302
    assert AccessLog.objects.filter(action="create", client_number=client.number).count() == 1


def test_numbers_are_consecutive_and_unique(worker, as_user):
    http = as_user(worker)
    _post(http, working_name="Een")
    _post(http, working_name="Twee")
    first, second = Client.objects.order_by("pk").values_list("number", flat=True)
    assert int(second[-4:]) == int(first[-4:]) + 1


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"working_name": ""}, "working_name", "Dit veld is verplicht."),
        ({"working_name": "   "}, "working_name", "Dit veld is verplicht."),
        ({"working_name": "x" * 101}, "working_name", "niet meer dan 100 tekens"),
        ({"working_name": "A", "birth_date": "2999-01-01"}, "birth_date", "toekomst"),
        ({"working_name": "A", "birth_date": "1990-13-45"}, "birth_date", "geldige datum"),
        ({"working_name": "A", "birth_year": "1850"}, "birth_year", "tussen 1900"),
        (
            {"working_name": "A", "birth_date": "1990-05-01", "birth_year": "1991"},
            "birth_year",
            "past niet",
        ),
        ({"working_name": "A", "gender": "alien"}, "gender", "geldige keuze"),
        ({"working_name": "A", "legal_name": "y" * 151}, "legal_name", "niet meer dan 150 tekens"),
    ],
)
def test_bad_input_is_explained_next_to_the_field_and_nothing_is_saved(
    worker, as_user, fields, field, message
):
    response = _post(as_user(worker), **fields)
    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors[field])
    assert message in errors
    assert f'id="error_1_id_{field}"' in response.content.decode()
    assert not Client.objects.exists()
    assert response.context["form"]["working_name"].value() == fields["working_name"]


def test_minor_gets_safety_flag_and_visible_warning(worker, as_user):
    http = as_user(worker)
    born = timezone.localdate() - datetime.timedelta(days=16 * 365)
    _post(http, working_name="Jong", birth_date=born.isoformat())
    client = Client.objects.get(working_name="Jong")
    assert client.is_minor and client.safety_flag
    assert client.birth_year == born.year
    page = http.get(reverse("profiles:detail", args=[client.number])).content.decode()
    assert "Minderjarig." in page and "273f" in page


def test_only_a_birth_year_counts_as_minor_until_certainly_adult(worker, as_user):
    _post(as_user(worker), working_name="Grens", birth_year=timezone.localdate().year - 18)
    assert Client.objects.get(working_name="Grens").is_minor


def test_exploitation_profile_sets_safety_flag(worker, as_user):
    _post(as_user(worker), working_name="Veilig", profile="exploitation")
    assert Client.objects.get(working_name="Veilig").safety_flag


@pytest.mark.parametrize(
    "fields",
    [
        {"working_name": "Ángel"},  # same name, other accents and case
        {"working_name": "Iemand anders", "phone": "06-12345678"},  # same phone
        {"working_name": "Angelique", "birth_year": "1990"},  # similar name, same birth year
    ],
)
def test_possible_duplicate_is_warned_before_saving(worker, as_user, fields):
    existing = ClientFactory(
        created_by=worker,
        working_name="angel",
        working_name_key="angel",
        phone="+31612345678",
        phone_key="0612345678",
        birth_year=1990,
    )
    http = as_user(worker)
    response = _post(http, **fields)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Mogelijk is deze persoon al geregistreerd" in page
    assert existing.number in page
    assert Client.objects.count() == 1
    response = _post(http, **fields, confirm_new_person="on")
    assert response.status_code == 302
    assert Client.objects.count() == 2


def test_duplicate_of_colleague_is_counted_not_shown(worker, colleague, as_user):
    hidden = ClientFactory(created_by=colleague, working_name="Maya", working_name_key="maya")
    page = _post(as_user(worker), working_name="Maya").content.decode()
    assert "vergelijkbare registratie bij een collega" in page
    assert hidden.number not in page


def test_a_shown_duplicate_is_a_logged_read(worker, as_user):
    existing = ClientFactory(created_by=worker, working_name="Mira", working_name_key="mira")
    _post(as_user(worker), working_name="Mira")
    entry = AccessLog.objects.get(client_number=existing.number)
    assert (entry.action, entry.username) == (AccessLog.Action.VIEW, worker.username)


def test_a_worker_barred_from_a_client_is_not_told_it_exists(
    worker, colleague, coordinator, as_user
):
    """A block is for a colleague who knows the person: "a colleague has a similar
    registration" would tell them that person is a client."""
    known = ClientFactory(created_by=colleague, working_name="Maya", working_name_key="maya")
    AccessBlock.objects.create(
        client=known, user=worker, reason="kent de persoon", created_by=coordinator
    )
    response = _post(as_user(worker), working_name="Maya")
    assert response.status_code == 302
    assert not AccessLog.objects.filter(client_number=known.number).exists()


def test_duplicates_in_another_organisation_are_not_searched(worker, outsider, as_user):
    ClientFactory(created_by=outsider, working_name="Nina", working_name_key="nina")
    response = _post(as_user(worker), working_name="Nina")
    assert response.status_code == 302


def test_edit_client_keeps_choices_and_validates(case, worker, as_user):
    http = as_user(worker)
    url = reverse("profiles:edit", args=[case.client.number])
    response = http.post(url, {**BASE, "working_name": "Nieuwe naam", "sectors": ["street"]})
    assert response.status_code == 302
    case.client.refresh_from_db()
    assert case.client.working_name == "Nieuwe naam"
    assert list(case.client.sectors.values_list("sector", flat=True)) == ["street"]
    response = http.post(url, {**BASE, "working_name": ""})
    assert response.status_code == 200
    case.client.refresh_from_db()
    assert case.client.working_name == "Nieuwe naam"
