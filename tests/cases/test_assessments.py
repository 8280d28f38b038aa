import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from cases.models import Assessment, AssessmentDomain, MatrixVersion
from cases.services import assessment_record

TODAY = timezone.localdate
DAY = datetime.timedelta(days=1)


@pytest.fixture
def version(db):
    return MatrixVersion.objects.get(is_current=True)


def _url(case):
    return reverse("cases:add_assessment", args=[case.reference])


def test_seeded_versions_with_own_descriptions(db):
    assert MatrixVersion.objects.get(code="zrm-2017").domains.count() == 13
    assert MatrixVersion.objects.get(code="zrm-2013").domains.count() == 11
    assert not AssessmentDomain.objects.filter(description="").exists()


def test_record_through_the_form(case, worker, version, as_user):
    finances, housing = version.domains.all()[:2]
    data = {"kind": "intake", "assessed_on": TODAY().isoformat(), f"score_{finances.pk}": "2"}
    response = as_user(worker).post(_url(case), data)
    assert response.status_code == 302
    assessment = Assessment.objects.get()
    scores = {s.domain_id: s.score for s in assessment.scores.all()}
    assert scores[finances.pk] == 2 and scores[housing.pk] is None
    assert len(scores) == version.domains.count()
    assert assessment.version == version and assessment.by == worker


def test_scores_over_time_read_at_a_glance(case, worker, version, as_user):
    finances, work = version.domains.all()[:2]
    assessment_record(
        case=case,
        kind="intake",
        assessed_on=TODAY() - 20 * DAY,
        version=version,
        scores={finances.pk: 1, work.pk: 3},
        by=worker,
    )
    assessment_record(
        case=case,
        kind="review",
        assessed_on=TODAY(),
        version=version,
        scores={finances.pk: 3, work.pk: 2},
        by=worker,
    )
    page = as_user(worker).get(reverse("cases:detail", args=[case.reference])).content.decode()
    assert "gestegen van 1" in page and "gedaald van 3" in page
    assert 'class="score score-3"' in page
    assert page.index("Intake") < page.index("Tussenevaluatie")


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"assessed_on": "FUTURE"}, "toekomst"),
        ({"assessed_on": "BEFORE"}, "vóór de start"),
        ({"scores": "BAD"}, "tussen 1 en 5"),
    ],
)
def test_refusals(case, worker, version, kwargs, message):
    domain = version.domains.first()
    values = {"kind": "intake", "assessed_on": TODAY(), "scores": {domain.pk: 3}}
    values.update(kwargs)
    if values["assessed_on"] == "FUTURE":
        values["assessed_on"] = TODAY() + DAY
    if values["assessed_on"] == "BEFORE":
        values["assessed_on"] = case.opened_on - DAY
    if values["scores"] == "BAD":
        values["scores"] = {domain.pk: 7}
    with pytest.raises(ValidationError) as exc:
        assessment_record(case=case, version=version, by=worker, **values)
    assert message in " ".join(exc.value.messages)
    assert not Assessment.objects.exists()


def test_domain_of_another_version_is_refused(case, worker, version):
    other = MatrixVersion.objects.exclude(pk=version.pk).first().domains.first()
    with pytest.raises(ValidationError):
        assessment_record(
            case=case,
            kind="intake",
            assessed_on=TODAY(),
            version=version,
            scores={other.pk: 3},
            by=worker,
        )


def test_follow_up_after_closing(case, worker, version):
    case.closed_on, case.outcome = TODAY(), "fully_stopped"
    case.save()
    with pytest.raises(ValidationError):
        assessment_record(
            case=case, kind="review", assessed_on=TODAY(), version=version, scores={}, by=worker
        )
    assessment_record(
        case=case, kind="follow_up", assessed_on=TODAY(), version=version, scores={}, by=worker
    )


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("worker", 200),
        ("coordinator", 200),
        ("colleague", 404),
        ("outsider", 404),
        ("municipal", 404),
    ],
)
def test_access(request, case, who, status, as_user):
    assert as_user(request.getfixturevalue(who)).get(_url(case)).status_code == status
