"""Ranking on constructed cases whose right order is known by hand."""

from partners.matching import Candidate, Opening, distance, rank_candidates, rank_openings, routes_open_to

# Competencies 1, 2, 3 with cut-offs 3, 3, 2.
REQ = {1: 3, 2: 3, 3: 2}


def test_distance_sums_shortfalls_and_counts_unmeasured_as_whole_cut_off():
    assert distance({1: 3, 2: 4, 3: 2}, REQ)[0] == 0
    assert distance({1: 2, 2: 1, 3: 4}, REQ)[0] == 1 + 2
    assert distance({1: 3, 2: 3}, REQ)[0] == 2  # competency 3 never measured: its cut-off
    total, shortfalls = distance({1: 1, 2: 3, 3: None}, REQ)
    assert total == 2 + 2
    assert [row.competency_id for row in shortfalls] == [1, 3]


def test_workers_for_a_vacancy_in_known_order():
    opening = Opening(key=1, name="Magazijn", requirements=REQ, route="bvs", region="antwerpen")
    candidates = [
        Candidate(key=1, name="Ann", levels={1: 2, 2: 2, 3: 2}),  # distance 2
        Candidate(key=2, name="Bart", levels={1: 3, 2: 3, 3: 2}),  # 0
        Candidate(key=3, name="Cis", levels={1: 3, 2: 3, 3: 2}, statuut="artikel_60"),  # 0, but no BVS
        Candidate(key=4, name="Dirk", levels={1: 3, 2: 3}, region="limburg"),  # 2 (unmeasured), far
        Candidate(key=5, name="Els", levels={1: 4, 2: 4, 3: 4}, region="antwerpen"),  # 0
        Candidate(key=6, name="Fien", levels={}),  # 8
    ]
    ranked = rank_candidates(opening, candidates)
    assert [m.candidate.name for m in ranked] == ["Bart", "Els", "Ann", "Dirk", "Fien", "Cis"]
    by_name = {m.candidate.name: m for m in ranked}
    assert by_name["Cis"].blockers and "artikel 60" in by_name["Cis"].blockers[0]
    assert by_name["Dirk"].warnings == ["De job ligt in een andere regio."]
    assert by_name["Ann"].distance == 2 and not by_name["Ann"].blockers


def test_leerwerknemer_blocked_for_bvs_not_for_tbs():
    worker = Candidate(key=1, name="Lies", statuut="leerwerknemer", levels={1: 3, 2: 3, 3: 2})
    openings = [
        Opening(key=1, name="A BVS", requirements=REQ, route="bvs"),
        Opening(key=2, name="B TBS", requirements=REQ, route="tbs"),
        Opening(key=3, name="C direct", requirements=REQ),
    ]
    ranked = rank_openings(worker, openings)
    assert [m.opening.name for m in ranked] == ["B TBS", "C direct", "A BVS"]


def test_transport_precondition_is_a_warning_that_breaks_ties():
    worker = Candidate(key=1, name="Tom", preconditions=frozenset({"transport"}), levels={1: 3})
    car = Opening(key=1, name="Car needed", requirements={1: 3}, needs_own_transport=True)
    remote = Opening(key=2, name="Remote", requirements={1: 3}, reachable_by_public_transport=False)
    bus = Opening(key=3, name="Bus", requirements={1: 3})
    farther = Opening(key=4, name="Harder", requirements={1: 4})
    ranked = rank_openings(worker, [car, remote, bus, farther])
    assert [m.opening.name for m in ranked] == ["Bus", "Car needed", "Remote", "Harder"]
    assert "Vervoer" in ranked[1].warnings[0]
    # Without the precondition the car is no issue.
    free = Candidate(key=2, name="Tim", levels={1: 3})
    assert not rank_openings(free, [car])[0].warnings


def test_a_worker_measured_on_none_of_the_cut_offs_has_no_distance_yet_and_comes_after_the_measured():
    opening = Opening(key=1, name="Magazijn", requirements=REQ)
    never = Candidate(key=1, name="Aline", levels={4: 3})  # measured, but not on these
    once = Candidate(key=2, name="Zoë", levels={3: 1})  # one of three: measured
    ranked = rank_candidates(opening, [never, once])
    assert [(m.candidate.name, m.measured) for m in ranked] == [("Zoë", True), ("Aline", False)]
    # Without cut-offs every worker fits, measured or not.
    assert rank_candidates(Opening(key=2, name="Vrij", requirements={}), [never])[0].measured


def test_the_routes_a_statute_leaves_open():
    kinds = ["tbs", "bvs", "enclave"]
    assert routes_open_to("artikel_60", kinds) == ["enclave"]
    assert routes_open_to("leerwerknemer", kinds) == ["tbs", "enclave"]
    assert routes_open_to("lde", kinds) == kinds
