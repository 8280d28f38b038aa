from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pmw.audit import Action, log_access
from profiles.models import (
    AccessBlock,
    Client,
    ClientNumberSequence,
    ClientSector,
    ClientTalent,
    Profile,
    name_key,
    phone_key,
)


def client_number_next(*, year: int) -> str:
    """``PMW-2026-0042``: readable on the phone, unique, never reused."""
    with transaction.atomic():
        ClientNumberSequence.objects.get_or_create(year=year)
        seq = ClientNumberSequence.objects.select_for_update().get(year=year)
        seq.last += 1
        seq.save(update_fields=["last"])
    return f"PMW-{year}-{seq.last:04d}"


def _apply_derived_fields(client: Client) -> None:
    client.working_name_key = name_key(client.working_name)
    client.phone_key = phone_key(client.phone)
    # By law a minor in sex work is a victim of exploitation (art. 273f Sr): always flag.
    if client.is_minor or client.profile == Profile.EXPLOITATION:
        client.safety_flag = True


def _set_choices(client: Client, sectors, talents) -> None:
    client.sectors.all().delete()
    ClientSector.objects.bulk_create(ClientSector(client=client, sector=s) for s in sectors)
    client.talents.all().delete()
    ClientTalent.objects.bulk_create(ClientTalent(client=client, talent=t) for t in talents)


@transaction.atomic
def client_register(*, client: Client, sectors, talents, by) -> Client:
    """Save a new client (an unsaved instance from the registration form)."""
    client.organisation_id = by.organisation_id
    client.created_by = by
    client.number = client_number_next(year=timezone.localdate().year)
    _apply_derived_fields(client)
    client.save()
    _set_choices(client, sectors, talents)
    log_access(
        user=by,
        action=Action.CREATE,
        record_type="client",
        record_ref=client.number,
        client_number=client.number,
    )
    return client


@transaction.atomic
def client_update(*, client: Client, sectors, talents, by) -> Client:
    _apply_derived_fields(client)
    client.save()
    _set_choices(client, sectors, talents)
    return client


@transaction.atomic
def access_block_create(*, client: Client, user, reason: str, by) -> AccessBlock:
    """Bar ``user`` from this client; overrides every other grant, coordinators included."""
    if user.pk == by.pk:
        raise ValidationError({"user": _("U kunt uzelf niet blokkeren.")})
    if user.organisation_id != client.organisation_id:
        raise ValidationError({"user": _("Kies een medewerker van deze organisatie.")})
    if client.cases.filter(worker=user, closed_on__isnull=True).exists():
        raise ValidationError(
            {"user": _("Deze medewerker is vaste hulpverlener: wijs eerst een ander toe.")}
        )
    block, _created = AccessBlock.objects.get_or_create(
        client=client, user=user, defaults={"reason": reason, "created_by": by}
    )
    log_access(
        user=by,
        action=Action.CREATE,
        record_type="access_block",
        record_ref=client.number,
        client_number=client.number,
        detail=f"blocked {user.username}",
    )
    return block


@transaction.atomic
def access_block_remove(*, block: AccessBlock, by) -> None:
    log_access(
        user=by,
        action=Action.DELETE,
        record_type="access_block",
        record_ref=block.client.number,
        client_number=block.client.number,
        detail=f"unblocked {block.user.username}",
    )
    block.delete()
