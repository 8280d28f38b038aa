from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from aftercare.forms import (
    AftercarePlanForm,
    AftercareStartForm,
    CheckInForm,
    FollowUpForm,
    SignalForm,
)
from aftercare.models import AftercarePlan, suggested_intensity
from aftercare.reminders.notifications import (
    notification_mark_read,
    notifications_for,
    notifications_mark_all_read,
    unread_count,
)
from aftercare.selectors import (
    get_follow_up_for_request,
    get_plan_for_request,
    last_reminder_run,
    my_week,
    plan_check_ins,
    plan_signals,
    reminders_alive,
)
from aftercare.services import (
    aftercare_plan_update,
    aftercare_start,
    check_in_log,
    follow_up_record,
    signal_record,
)
from cases.models import Phase
from cases.selectors import get_case_for_request
from pmw.audit import Action, log_access
from pmw.form_page import form_page


def start(request, reference):
    case = get_case_for_request(request, reference, write=True)
    plan = AftercarePlan.objects.filter(case=case).first()
    if case.phase == Phase.AFTERCARE and plan is not None:
        return redirect("aftercare:plan", reference=case.reference)
    suggested = suggested_intensity(case.client.profile)
    form = AftercareStartForm(request.POST or None, case=case, suggested=suggested, plan=plan)

    def save(data):
        aftercare_start(case=case, by=request.user, **data)
        messages.success(request, _("Het traject is nu in de nazorgfase."))
        return reverse("aftercare:plan", args=[case.reference])

    return form_page(
        request,
        form,
        save,
        case=case,
        back_url=_case_url(case),
        heading=_("Naar nazorg"),
        submit_label=_("Nazorg starten"),
        intro=_(
            "Voorgesteld op basis van het werkprofiel: %(intensity)s. Je kunt een andere "
            "vorm kiezen; geef dan de reden. Wil de cliënt geen nazorg, kies dan "
            "'Geen nazorg': die wens wordt vastgelegd en er komen geen herinneringen."
        )
        % {"intensity": AftercarePlan(intensity=suggested).get_intensity_display().lower()},
    )


def edit(request, reference):
    plan = get_plan_for_request(request, reference, write=True)
    case = plan.case
    suggested = suggested_intensity(case.client.profile)
    form = AftercarePlanForm(request.POST or None, case=case, suggested=suggested, plan=plan)

    def save(data):
        aftercare_plan_update(plan=plan, by=request.user, **data)
        messages.success(request, _("Het nazorgplan is gewijzigd."))
        return _plan_url(plan)

    return form_page(
        request,
        form,
        save,
        case=case,
        back_url=_case_url(case),
        heading=_("Nazorgplan wijzigen"),
        submit_label=_("Opslaan"),
        intro=_(
            "Wil de cliënt geen nazorg meer, kies dan 'Geen nazorg': er komen dan geen "
            "herinneringen meer."
        ),
    )


def plan(request, reference):
    plan = get_plan_for_request(request, reference)
    case = plan.case
    return render(
        request,
        "aftercare/plan.html",
        {
            "plan": plan,
            "case": case,
            "client": case.client,
            "check_ins": plan_check_ins(plan),
            "signals": plan_signals(plan),
            "follow_ups": case.follow_ups.select_related("recorded_by"),
        },
    )


def check_in(request, reference):
    plan = get_plan_for_request(request, reference, write=True)

    def save(data):
        check_in_log(plan=plan, by=request.user, **data)
        messages.success(request, _("Het contactmoment is vastgelegd."))
        return _plan_url(plan)

    return form_page(
        request,
        CheckInForm(request.POST or None),
        save,
        case=plan.case,
        back_url=_case_url(plan.case),
        heading=_("Contactmoment nazorg vastleggen"),
        submit_label=_("Opslaan"),
    )


def signal(request, reference):
    plan = get_plan_for_request(request, reference, write=True)

    def save(data):
        recorded = signal_record(plan=plan, by=request.user, **data)
        messages.success(request, _("Het signaal is vastgelegd."))
        if recorded.reopened_case:
            messages.info(request, _("Het traject staat weer in de uitvoeringsfase."))
        return _plan_url(plan)

    return form_page(
        request,
        SignalForm(request.POST or None),
        save,
        case=plan.case,
        back_url=_case_url(plan.case),
        heading=_("Signaal vastleggen"),
        submit_label=_("Signaal vastleggen"),
    )


def follow_up(request, reference, months):
    follow_up = get_follow_up_for_request(request, reference, months, write=True)
    case = follow_up.case

    def save(data):
        follow_up_record(follow_up=follow_up, by=request.user, **data)
        messages.success(request, _("De vervolgmeting is vastgelegd."))
        return _case_url(case)

    return form_page(
        request,
        FollowUpForm(request.POST or None),
        save,
        case=case,
        back_url=_case_url(case),
        heading=_("Vervolgmeting na %(months)s maanden") % {"months": follow_up.months},
        submit_label=_("Opslaan"),
        intro=_("Gepland op %(day)s. Vraag naar de situatie nu; niets invullen wat niet nodig is.")
        % {"day": follow_up.due_on.strftime("%d-%m-%Y")},
    )


def _plan_url(plan):
    return reverse("aftercare:plan", args=[plan.case.reference])


def _case_url(case):
    return reverse("cases:detail", args=[case.reference])


def week(request):
    user = request.user
    if not user.does_casework:
        raise Http404
    context = my_week(user)
    log_access(
        user=user,
        action=Action.VIEW,
        record_type="my_week",
        detail=(
            f"check_ins={len(context['check_ins'])} follow_ups={len(context['follow_ups'])} "
            f"signals={len(context['signals'])}"
        ),
    )
    return render(request, "aftercare/week.html", context)


def notifications(request):
    user = request.user
    if not user.does_casework:
        raise Http404
    page = Paginator(notifications_for(user), 25).get_page(request.GET.get("page"))
    log_access(
        user=user,
        action=Action.VIEW,
        record_type="notifications",
        detail=f"page={page.number} rows={len(page.object_list)}",
    )
    run = last_reminder_run()
    return render(
        request,
        "aftercare/notifications.html",
        {"page": page, "last_run": run, "alive": reminders_alive(run)},
    )


def notification_badge(request):
    """The bell's count, loaded by htmx so other pages carry no extra query."""
    if not request.user.does_casework:
        raise Http404
    return render(request, "aftercare/_bell_count.html", {"unread": unread_count(request.user)})


@require_POST
def notification_open(request, pk):
    if not request.user.does_casework:
        raise Http404
    notification = get_object_or_404(notifications_for(request.user), pk=pk)
    notification_mark_read(notification=notification)
    if request.POST.get("stay") or not url_has_allowed_host_and_scheme(
        notification.url, allowed_hosts=None
    ):
        return redirect("aftercare:notifications")
    return redirect(notification.url)


@require_POST
def notifications_read_all(request):
    if not request.user.does_casework:
        raise Http404
    notifications_mark_all_read(user=request.user)
    return redirect("aftercare:notifications")
