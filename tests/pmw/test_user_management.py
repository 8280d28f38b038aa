"""The organisation admin manages the accounts of the own organisation, and nothing else."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from pmw.models import Role, User
from pmw.services import user_create


def test_list_shows_only_the_own_organisation(org_admin, worker, outsider, as_user):
    page = as_user(org_admin).get(reverse("beheer:users")).content.decode()
    assert worker.username in page and outsider.username not in page


def test_create_a_user(org_admin, as_user):
    response = as_user(org_admin).post(
        reverse("beheer:user_create"),
        {
            "username": "nieuw",
            "first_name": "Nieuwe",
            "last_name": "Collega",
            "email": "nieuw@example.org",
            "role": Role.WORKER,
            "password": "een-lang-en-uniek-wachtwoord",
        },
    )
    assert response.status_code == 302
    account = User.objects.get(username="nieuw")
    assert (account.organisation, account.role) == (org_admin.organisation, Role.WORKER)


@pytest.mark.parametrize("password", ["kort", "1qaz2wsx3edc", "Q1w2e3r4t5y6"])
def test_weak_or_common_passwords_are_refused(org_admin, password):
    with pytest.raises(ValidationError) as exc:
        user_create(
            by=org_admin,
            username="zwak",
            first_name="a",
            last_name="b",
            email="z@example.org",
            role=Role.WORKER,
            password=password,
        )
    assert "password" in exc.value.message_dict


def test_change_role(org_admin, worker, as_user):
    response = as_user(org_admin).post(
        reverse("beheer:user_edit", args=[worker.pk]), {"role": Role.COORDINATOR}
    )
    assert response.status_code == 302
    worker.refresh_from_db()
    assert worker.role == Role.COORDINATOR


def test_cannot_reach_users_of_another_organisation(org_admin, outsider, as_user):
    http = as_user(org_admin)
    assert http.get(reverse("beheer:user_edit", args=[outsider.pk])).status_code == 404
    assert http.post(reverse("beheer:user_deactivate", args=[outsider.pk])).status_code == 404
    outsider.refresh_from_db()
    assert outsider.is_active


def test_deactivating_ends_the_users_sessions(org_admin, worker, case, as_user):
    worker_http = as_user(worker)
    assert worker_http.get(reverse("cases:detail", args=[case.reference])).status_code == 200
    response = as_user(org_admin).post(reverse("beheer:user_deactivate", args=[worker.pk]))
    assert response.status_code == 302
    worker.refresh_from_db()
    assert not worker.is_active
    from django.contrib.sessions.models import Session

    assert not [
        s for s in Session.objects.all() if s.get_decoded().get("_auth_user_id") == str(worker.pk)
    ]
    response = worker_http.get(reverse("cases:detail", args=[case.reference]))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_org_admin_cannot_deactivate_themself(org_admin, as_user):
    as_user(org_admin).post(reverse("beheer:user_deactivate", args=[org_admin.pk]))
    org_admin.refresh_from_db()
    assert org_admin.is_active
