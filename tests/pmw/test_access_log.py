import pytest
from django.urls import reverse

from pmw.models import AccessLog


def test_one_case_page_read_is_one_entry(case, worker, as_user):
    as_user(worker).get(reverse("cases:detail", args=[case.reference]), REMOTE_ADDR="10.1.2.3")
    entry = AccessLog.objects.get()
    assert (entry.action, entry.record_type, entry.record_ref, entry.client_number) == (
        "view",
        "case",
        case.reference,
        case.client.number,
    )
    assert (entry.username, entry.role, entry.organisation) == (
        "worker",
        "worker",
        worker.organisation,
    )
    assert entry.ip_address == "10.1.2.3"


def test_a_write_is_logged_as_update(case, worker, as_user):
    as_user(worker).post(reverse("cases:change_phase", args=[case.reference]), {"to": "execution"})
    assert list(AccessLog.objects.values_list("action", flat=True)) == ["update"]


def test_entries_cannot_be_changed_or_deleted(case, worker, as_user):
    as_user(worker).get(reverse("profiles:detail", args=[case.client.number]))
    entry = AccessLog.objects.get()
    entry.action = "delete"
    with pytest.raises(ValueError, match="cannot be changed"):
        entry.save()
    with pytest.raises(ValueError, match="cannot be deleted"):
        entry.delete()
