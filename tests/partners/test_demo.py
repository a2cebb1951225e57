import pytest

from bwise.accounts.demo import seed_demo, seed_scale
from partners.models import FollowUp, Hire, Partner, PartnerEvent, PartnerKind, Stage, StageKind, Vacancy
from partners.selectors import uncontacted_partners
from partners.services import stage_save
from trajects.models import Trajectory
from trajects.state import Outcome, Phase, Status

pytestmark = pytest.mark.django_db


def _snapshot():
    return tuple(m.objects.count() for m in (Partner, Vacancy, Stage, Hire, FollowUp, PartnerEvent))


def test_demo_has_every_partner_type_stage_type_and_hires_in_nazorg():
    ctx = seed_demo()
    organisation = ctx.organisations[0]
    partners = Partner.objects.filter(organisation=organisation)
    assert set(partners.values_list("kind", flat=True)) == set(PartnerKind.values)
    assert Vacancy.objects.filter(partner__organisation=organisation, status="open").exists()
    assert uncontacted_partners(organisation.pk)
    stages = list(Stage.objects.filter(worker__organisation=organisation))
    assert {s.kind for s in stages if s.in_progress()} == set(StageKind.values)
    assert {s.kind for s in stages if s.finished()} == set(StageKind.values)
    # Stages in different states: a BVS planned before its agreement is signed, an enclave
    # still waiting for its notices, and every stage valid by the rules of its kind.
    assert any(s.kind == StageKind.BVS and s.agreement_signed_on is None for s in stages)
    assert any(s.kind == StageKind.ENCLAVE and s.works_council_informed_on is None for s in stages)
    for stage in stages:
        stage_save(stage=stage, by=stage.worker.coach, team=list(stage.team.all()))
    nazorg = Trajectory.objects.filter(
        phase=Phase.NAZORG, status=Status.OPEN, worker__organisation=organisation
    )
    assert nazorg.exists() and all(hasattr(t, "hire") for t in nazorg)
    extern = Trajectory.objects.filter(outcome=Outcome.EXTERN)
    assert all(not t.hire.follow_ups.open().exists() for t in extern)
    before = _snapshot()
    seed_demo()
    assert _snapshot() == before


def test_scale_adds_partners_and_placements():
    organisation = seed_scale(workers=120, organisation_name="Schaal vzw")
    assert Partner.objects.filter(organisation=organisation).count() >= 6
    in_stage = Trajectory.objects.filter(
        worker__organisation=organisation, phase=Phase.STAGE, status=Status.OPEN
    )
    assert Stage.objects.filter(trajectory__in=in_stage).exists()
    in_nazorg = Trajectory.objects.filter(
        worker__organisation=organisation, phase=Phase.NAZORG, status=Status.OPEN
    )
    assert Hire.objects.filter(trajectory__in=in_nazorg).count() == in_nazorg.count()
