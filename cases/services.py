import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.hooks import CASE_CLOSE_STEPS
from cases.models import (
    CLOSED_NEED_STATUSES,
    Assessment,
    AssessmentScore,
    Case,
    CaseShare,
    CaseStopReason,
    ContactMoment,
    MatrixVersion,
    Need,
    NeedStatus,
    Outcome,
    Phase,
    PhaseChange,
    WorkerChange,
)
from cases.selectors import assignable_workers
from pmw.audit import Action, log_access
from pmw.models import Role, User
from profiles.models import AccessBlock, Client


def _start_of(day: datetime.date) -> datetime.datetime:
    now = timezone.now()
    if day >= timezone.localdate(now):
        return now
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(9, 0)))


def _check_not_future(day: datetime.date, field: str) -> None:
    if day > timezone.localdate():
        raise ValidationError({field: _("Deze datum ligt in de toekomst.")})


def case_figures_changed(case_id: int) -> None:
    """What the monitoring counts of this case changed: its figures are computed again before
    the next monitoring page reads them (``monitoring.services``). Called in the same
    transaction as the write, so no page can count the new facts with old figures."""
    Case.objects.filter(pk=case_id).update(figures_stale=True)


def _require_open(case: Case) -> None:
    if not case.is_open:
        raise ValidationError(_("Dit traject is afgesloten en kan niet meer worden gewijzigd."))


def require_not_blocked(worker, client, field: str) -> None:
    """A barred colleague can never be the client's fixed worker (also after a transfer)."""
    if AccessBlock.objects.filter(client=client, user=worker).exists():
        raise ValidationError(
            {
                field: _(
                    "Deze medewerker is geblokkeerd voor deze cliënt en kan geen hulpverlener zijn."
                )
            }
        )


def _require_assignable(worker, organisation, field: str) -> None:
    if not assignable_workers(organisation).filter(pk=worker.pk).exists():
        raise ValidationError(
            {field: _("Kies een actieve PMW'er of coördinator van deze organisatie.")}
        )


@transaction.atomic
def case_open(*, client, worker, contact_route, opened_on, stop_reasons, by) -> Case:
    """One running case per client: a second one would give whoever opened it a caseload
    entry of its own (and so lasting access) next to the case that is already running."""
    _check_not_future(opened_on, "opened_on")
    _require_assignable(worker, client.organisation, "worker")
    require_not_blocked(worker, client, "worker")
    # The client's row locked: two requests at once cannot both find no running case.
    Client.objects.select_for_update().get(pk=client.pk)
    if Case.objects.filter(client=client, closed_on__isnull=True).exists():
        raise ValidationError(
            _("Deze cliënt heeft al een lopend traject. Werk daarin verder, of sluit het eerst af.")
        )
    case = Case.objects.create(
        client=client,
        organisation=client.organisation,
        municipality_id=client.municipality_id,
        worker=worker,
        contact_route=contact_route,
        opened_on=opened_on,
        phase=Phase.CONTACT,
        created_by=by,
    )
    CaseStopReason.objects.bulk_create(CaseStopReason(case=case, reason=r) for r in stop_reasons)
    PhaseChange.objects.create(
        case=case, from_phase="", to_phase=Phase.CONTACT, at=_start_of(opened_on), by=by
    )
    return case


@transaction.atomic
def case_set_stop_reasons(*, case: Case, stop_reasons) -> None:
    case.stop_reasons.all().delete()
    CaseStopReason.objects.bulk_create(CaseStopReason(case=case, reason=r) for r in stop_reasons)


@transaction.atomic
def case_change_phase(*, case: Case, to: str, by, note: str = "") -> PhaseChange:
    """Move a case to another phase; going back is allowed and kept in the history."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    _require_open(case)
    if to == case.phase:
        raise ValidationError({"to": _("Het traject is al in deze fase.")})
    change = PhaseChange.objects.create(
        case=case, from_phase=case.phase, to_phase=to, at=timezone.now(), by=by, note=note
    )
    case.phase = to
    case.figures_stale = True
    case.save(update_fields=["phase", "figures_stale"])
    return change


@transaction.atomic
def case_log_contact(*, case: Case, by, at, kind, duration_minutes, note, domains) -> ContactMoment:
    _require_open(case)
    if timezone.localdate(at) < case.opened_on:
        raise ValidationError(
            {"at": _("Een contactmoment kan niet vóór de start van het traject liggen.")}
        )
    if at > timezone.now() + datetime.timedelta(minutes=5):
        raise ValidationError({"at": _("Een contactmoment kan niet in de toekomst liggen.")})
    moment = ContactMoment.objects.create(
        case=case, at=at, kind=kind, duration_minutes=duration_minutes, worker=by, note=note
    )
    moment.domains.set(domains)
    if case.last_contact_at is None or at > case.last_contact_at:
        Case.objects.filter(pk=case.pk).update(last_contact_at=at)
        case.last_contact_at = at
    return moment


@transaction.atomic
def case_close(*, case: Case, by, outcome: str, closed_on, note: str = "") -> Case:
    """Close a case with its outcome and end all open work on it."""
    case = Case.objects.select_for_update().select_related("client").get(pk=case.pk)
    _require_open(case)
    _check_not_future(closed_on, "closed_on")
    if closed_on < case.opened_on:
        raise ValidationError(
            {"closed_on": _("De einddatum kan niet vóór de start van het traject liggen.")}
        )
    case.outcome = outcome
    case.closed_on = closed_on
    case.closing_note = note
    case.dropout_phase = case.phase if outcome == Outcome.DROPPED_OUT else ""
    case.figures_stale = True
    case.save(
        update_fields=["outcome", "closed_on", "closing_note", "dropout_phase", "figures_stale"]
    )
    for step in CASE_CLOSE_STEPS:
        step(case=case, by=by)
    return case


@transaction.atomic
def case_reassign(
    *, case: Case, to_worker, by, reason: str, extra_care_confirmed: bool = False
) -> WorkerChange:
    """Give the case another fixed worker (vaste hulpverlener).

    For clients with signs of exploitation or who are minors, the report warns against any
    change of worker: it goes through only when the coordinator confirms explicitly.
    """
    case = Case.objects.select_for_update().select_related("client").get(pk=case.pk)
    _require_open(case)
    if to_worker.pk == case.worker_id:
        raise ValidationError({"to_worker": _("Deze medewerker is al de vaste hulpverlener.")})
    _require_assignable(to_worker, case.organisation, "to_worker")
    require_not_blocked(to_worker, case.client, "to_worker")
    if case.client.needs_extra_care and not extra_care_confirmed:
        raise ValidationError(
            {"extra_care_confirmed": _("Bevestig dat deze wisseling echt nodig is.")}
        )
    change = WorkerChange.objects.create(
        case=case,
        from_worker_id=case.worker_id,
        to_worker=to_worker,
        at=timezone.now(),
        by=by,
        reason=reason,
    )
    case.worker = to_worker
    case.save(update_fields=["worker"])
    return change


@transaction.atomic
def need_create(
    *,
    case: Case,
    domain,
    description: str,
    by,
    priority: str = "normal",
    answered_by: str = "pmw",
    identified_on=None,
) -> Need:
    """Add a need to the support plan (also used by aftercare signals)."""
    _require_open(case)
    identified_on = identified_on or timezone.localdate()
    _check_not_future(identified_on, "identified_on")
    if identified_on < case.opened_on:
        raise ValidationError(
            {"identified_on": _("Een hulpvraag kan niet vóór de start van het traject liggen.")}
        )
    need = Need.objects.create(
        case=case,
        domain=domain,
        description=description,
        priority=priority,
        answered_by=answered_by,
        identified_on=identified_on,
        created_by=by,
    )
    case_figures_changed(case.pk)
    return need


@transaction.atomic
def case_share_grant(*, case: Case, user, expires_on, can_write: bool, by) -> CaseShare:
    """Share a case with a colleague until ``expires_on`` (inclusive); re-sharing updates it."""
    if expires_on < timezone.localdate():
        raise ValidationError({"expires_on": _("Kies een datum vanaf vandaag.")})
    if user.pk == case.worker_id:
        raise ValidationError({"user": _("Dit is al de vaste hulpverlener van het traject.")})
    eligible = User.objects.filter(
        pk=user.pk, organisation_id=case.organisation_id, role=Role.WORKER, is_active=True
    ).exclude(access_blocks__client_id=case.client_id)
    if not eligible.exists():
        raise ValidationError(
            {"user": _("Delen kan alleen met een actieve PMW'er van deze organisatie.")}
        )
    share, _created = CaseShare.objects.update_or_create(
        case=case,
        user=user,
        defaults={"expires_on": expires_on, "can_write": can_write, "created_by": by},
    )
    log_access(
        user=by,
        action=Action.UPDATE,
        record_type="case_share",
        record_ref=case.reference,
        client_number=case.client.number,
        detail=f"shared with {user.username} until {expires_on.isoformat()}"
        f" ({'write' if can_write else 'read'})",
    )
    return share


@transaction.atomic
def case_share_revoke(*, share: CaseShare, by) -> None:
    log_access(
        user=by,
        action=Action.DELETE,
        record_type="case_share",
        record_ref=share.case.reference,
        client_number=share.case.client.number,
        detail=f"share with {share.user.username} ended",
    )
    share.delete()


def case_texts_anonymise(*, client) -> None:
    """A step of ``client_anonymise``: blank free text in the client's cases, keep the codes."""
    cases = Case.objects.filter(client=client)
    cases.update(closing_note="")
    PhaseChange.objects.filter(case__in=cases).update(note="")
    ContactMoment.objects.filter(case__in=cases).update(note="")
    WorkerChange.objects.filter(case__in=cases).update(reason="")
    Need.objects.filter(case__in=cases).update(description="")
    Assessment.objects.filter(case__in=cases).update(note="")
    CaseShare.objects.filter(case__in=cases).delete()


RETENTION_RECORD_TYPES = ("contact_note", "case_text", "client_identity")


@transaction.atomic
def retention_enforce(*, today=None) -> dict:
    """Apply RETENTION_DAYS (per record type, counted from case closure).

    A client counts as closed when every case is closed; the clock starts at the last
    closure (for a client who never had a case: at the registration). ``contact_note``
    blanks contact-moment reports, ``case_text`` the other free text of the cases,
    ``client_identity`` anonymises the client (see client_anonymise).
    """
    from django.conf import settings
    from django.db.models import Exists, Max, OuterRef

    from profiles.services import client_anonymise

    today = today or timezone.localdate()
    done = {}
    closed_clients = (
        Client.objects.filter(anonymised_at__isnull=True)
        .filter(~Exists(Case.objects.filter(client=OuterRef("pk"), closed_on__isnull=True)))
        .annotate(last_closed=Max("cases__closed_on"))
        .filter(last_closed__isnull=False)
    )
    days = settings.RETENTION_DAYS
    cutoff = {kind: today - datetime.timedelta(days=days[kind]) for kind in days}
    due = closed_clients.filter(last_closed__lt=cutoff["contact_note"])
    done["contact_note"] = (
        ContactMoment.objects.filter(case__client__in=due.values("pk"))
        .exclude(note="")
        .update(note="")
    )
    due = closed_clients.filter(last_closed__lt=cutoff["case_text"])
    cases = Case.objects.filter(client__in=due.values("pk"))
    done["case_text"] = (
        PhaseChange.objects.filter(case__in=cases).exclude(note="").update(note="")
        + cases.exclude(closing_note="").update(closing_note="")
        + WorkerChange.objects.filter(case__in=cases).exclude(reason="").update(reason="")
        + Need.objects.filter(case__in=cases).exclude(description="").update(description="")
        + Assessment.objects.filter(case__in=cases).exclude(note="").update(note="")
    )
    identity_due = list(closed_clients.filter(last_closed__lt=cutoff["client_identity"]))
    # Registered but never given a case: the clock starts at the registration.
    identity_due += Client.objects.filter(
        anonymised_at__isnull=True,
        cases__isnull=True,
        created_at__date__lt=cutoff["client_identity"],
    )
    for client in identity_due:
        client_anonymise(client=client, reason="retention")
    done["client_identity"] = len(identity_due)
    return done


@transaction.atomic
def need_update_status(*, need: Need, status: str, by, not_met_reason: str = "", on=None) -> Need:
    """Move a need to another status. A closed status (met, not met, no longer relevant) sets
    the closing date; "not met" needs its reason; reopening clears the date and the reason."""
    need = Need.objects.select_for_update().select_related("case").get(pk=need.pk)
    _require_open(need.case)
    if status == need.status:
        raise ValidationError({"status": _("De hulpvraag heeft deze status al.")})
    if status == NeedStatus.NOT_MET and not not_met_reason:
        raise ValidationError(
            {"not_met_reason": _("Geef aan waarom de hulpvraag niet beantwoord is.")}
        )
    on = on or timezone.localdate()
    _check_not_future(on, "on")
    if status in CLOSED_NEED_STATUSES:
        if on < need.identified_on:
            raise ValidationError(
                {"on": _("Een hulpvraag kan niet worden afgerond vóór hij is vastgesteld.")}
            )
        need.closed_on = on
    else:
        need.closed_on = None
    need.status = status
    need.not_met_reason = not_met_reason if status == NeedStatus.NOT_MET else ""
    need.save(update_fields=["status", "not_met_reason", "closed_on"])
    case_figures_changed(need.case_id)
    return need


@transaction.atomic
def need_record_first_help(*, need: Need, on, by) -> Need:
    """The day the client got the first concrete help for this need (a success factor)."""
    need = Need.objects.select_for_update().select_related("case").get(pk=need.pk)
    _require_open(need.case)
    _check_not_future(on, "on")
    if on < need.identified_on:
        raise ValidationError(
            {"on": _("Eerste hulp kan niet vóór het vaststellen van de hulpvraag liggen.")}
        )
    need.first_help_on = on
    fields = ["first_help_on"]
    if need.status == NeedStatus.OPEN:
        need.status = NeedStatus.IN_PROGRESS
        fields.append("status")
    need.save(update_fields=fields)
    case_figures_changed(need.case_id)
    return need


@transaction.atomic
def assessment_record(
    *, case: Case, kind: str, assessed_on, version: MatrixVersion, scores: dict, by, note=""
) -> Assessment:
    """Record one self-sufficiency assessment; ``scores`` maps domain id -> 1..5 or None
    (not discussed). Follow-up measurements are allowed after the case is closed."""
    _check_not_future(assessed_on, "assessed_on")
    if assessed_on < case.opened_on:
        raise ValidationError(
            {"assessed_on": _("Een meting kan niet vóór de start van het traject liggen.")}
        )
    if not case.is_open and kind != "follow_up":
        raise ValidationError(_("Na het afsluiten kan alleen een vervolgmeting worden vastgelegd."))
    domain_ids = set(version.domains.values_list("pk", flat=True))
    if set(scores) - domain_ids:
        raise ValidationError(_("Een domein hoort niet bij deze versie van de matrix."))
    if any(score is not None and not 1 <= score <= 5 for score in scores.values()):
        raise ValidationError(_("Een score ligt tussen 1 en 5."))
    assessment = Assessment.objects.create(
        case=case, kind=kind, assessed_on=assessed_on, version=version, by=by, note=note
    )
    AssessmentScore.objects.bulk_create(
        AssessmentScore(assessment=assessment, domain_id=domain_id, score=score)
        for domain_id, score in scores.items()
    )
    case_figures_changed(case.pk)
    return assessment
