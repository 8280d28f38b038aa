from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pmw.audit import Action, log_access
from profiles.hooks import CLIENT_ANONYMISE_STEPS
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


def _cases_follow_municipality(client: Client) -> None:
    """Cases carry their client's municipality for the monitoring counts (a case counts
    for the region of the client's municipality): every change of it goes through here.
    The client's characteristics are counted too, so the cases' figures are marked stale."""
    client.cases.update(municipality_id=client.municipality_id, figures_stale=True)


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
    _cases_follow_municipality(client)
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


ANONYMISED_NAME = "—"
IDENTIFYING_TEXT_FIELDS = (
    "legal_name",
    "languages",
    "talents_note",
    "phone",
    "phone_key",
    "safe_channels",
    "safe_times",
    "never_use",
    "shelter_location",
    "safety_details",
)


@transaction.atomic
def client_anonymise(*, client: Client, by=None, reason: str = "request") -> Client:
    """GDPR erasure that keeps the statistics valid.

    Rows stay (cases, phases, contact moments, needs with their codes and dates), so every
    aggregate still counts this person; identifying free text is blanked, the exact birth
    date is reduced to the year, and the record is marked anonymised.
    """
    client = Client.objects.select_for_update().get(pk=client.pk)
    if client.anonymised_at:
        return client
    if client.cases.filter(closed_on__isnull=True).exists():
        raise ValidationError(
            _("Sluit eerst de lopende trajecten af; daarna kunnen de gegevens worden gewist.")
        )
    client.working_name = ANONYMISED_NAME
    client.working_name_key = ""
    for field in IDENTIFYING_TEXT_FIELDS:
        setattr(client, field, "")
    client.birth_date = None
    client.municipality = None
    client.anonymised_at = timezone.now()
    client.save()
    # Who is barred stays (the block keeps working); why says something about the person.
    client.access_blocks.update(reason="")
    _cases_follow_municipality(client)
    for step in CLIENT_ANONYMISE_STEPS:
        step(client=client)
    log_access(
        user=by,
        action=Action.DELETE,
        record_type="client",
        record_ref=client.number,
        client_number=client.number,
        detail=f"anonymised ({reason})",
        username="" if by else "system:retention",
    )
    return client
