"""H4: whose chronic homelessness makes a household chronically homeless in the sheltered
PIT (reports/hud/hic_pit.py chronic_on_the_night). HUD: "a family with an adult head of
household (or if there is no adult in the family, a minor head of household) who meets all
of the criteria" (24 CFR 578.3); FAQ 1912: a child with a disability does not qualify the
household, the head must. Every member of a chronically homeless household is then counted
as a chronically homeless person.

Night of the count: 01/28/2026; everyone in A Shelter (an emergency shelter: no
prior-living-situation gate). "CH" below = 3.08 disabling condition yes and homeless since
01/01/2024 or earlier (over a year by the night); "not CH" = no disabling condition. Ages are
on the night (everyone born on January 1).
- H1, with children: Mae (36, head, not CH) and her son Sid (10, CH on his own answers): NOT a
  chronically homeless household (a child who is not the head).
- H2, with children: Fox (40, head, CH) and his daughter Dee (9, not CH): chronically
  homeless; Fox and Dee are CH persons.
- H3, only children: Kit (16, head, CH) and her sister Lil (13): no adult, the minor head
  carries it: chronically homeless, 2 CH persons.
- H4, only children: Ned (15, head, not CH) and his sister Ora (13, CH): not chronically
  homeless (Ora is not the head).
- H5, without children: Ray (46, head, not CH) and his partner Sue (44, CH, 3.15 = 3): an adult
  carries it (our reading, stated in chronic_on_the_night): 2 CH persons."""

from datetime import date
from types import SimpleNamespace

import pytest

from enrollments.models import Enrollment
from reports.hud import hic_pit, tables
from tests.reports.test_hud_rules import person, stay

pytestmark = pytest.mark.django_db
D = date
NIGHT = D(2026, 1, 28)
ENTRY = D(2026, 1, 5)
CH = {"disabling_condition": 1, "date_to_street_essh": D(2024, 1, 1)}


@pytest.fixture
def households(tenancy):
    t = tenancy

    def member(name, born, household, head=True, chronic=False):
        client = person(t, name, D(born, 1, 1))
        return stay(t, client, t.shelter_a, household, ENTRY, head=head, **(CH if chronic else {}))

    member("Mae", 1990, "H1")
    member("Sid", 2016, "H1", head=False, chronic=True)
    member("Fox", 1986, "H2", chronic=True)
    member("Dee", 2017, "H2", head=False)
    member("Kit", 2010, "H3", chronic=True)
    member("Lil", 2013, "H3", head=False)
    member("Ned", 2011, "H4")
    member("Ora", 2013, "H4", head=False, chronic=True)
    member("Ray", 1980, "H5")
    sue = member("Sue", 1982, "H5", head=False, chronic=True)
    Enrollment.objects.filter(pk=sue.pk).update(relationship_to_hoh=3)  # the head's spouse or partner
    return t


def pit(t):
    built = tables.build("pit", hic_pit.coc_projects(t.coc1), NIGHT, NIGHT)
    return {table.code: {label: [c.count for c in cells] for label, cells in table.rows} for table in built}


def test_h4_pit_a_chronically_homeless_child_who_is_not_the_head_does_not_make_the_household_so(households):
    tables_ = pit(households)
    families = tables_["PIT-1"]
    # Households with children: H1 (Mae, Sid) and H2 (Fox, Dee), 4 persons in ES.
    assert families["Total number of households"] == [2, 0, 0, 2]
    assert families["Total number of persons"] == [4, 0, 0, 4]
    # Only H2 is chronically homeless (Fox, its head); Sid's own status does not carry H1. Both of
    # H2's members are CH persons. TH is not asked (its nights are not homeless nights).
    assert families["Chronically homeless households"] == [1, "", 0, 1]
    assert families["Chronically homeless persons"] == [2, "", 0, 2]


def test_h4_pit_a_minor_head_carries_a_household_of_children(households):
    children = pit(households)["PIT-2"]
    # H3 and H4, households of children only: H3's head Kit is CH (no adult present), H4's head
    # Ned is not (Ora, CH, is not the head). CH persons: Kit and Lil.
    assert children["Total number of households"] == [2, 0, 0, 2]
    assert children["Chronically homeless households"] == [1, "", 0, 1]
    assert children["Chronically homeless persons"] == [2, "", 0, 2]


def test_h4_pit_an_adult_partner_carries_the_household(households):
    adults = pit(households)["PIT-3"]
    # H5: Sue, an adult who is not the head, is CH: Ray and Sue are CH persons.
    assert adults["Total number of persons"] == [2, 0, 0, 2]
    assert adults["Chronically homeless persons"] == [2, "", 0, 2]


def member(chronic, age, head):
    return SimpleNamespace(chronic=chronic, age=age, adult=age is not None and age >= 18,
                           child=age is not None and age < 18, is_head=head)


@pytest.mark.parametrize("members, expected", [
    ([member("N", 36, True), member("Y", 10, False)], False),  # a CH child, not the head
    ([member("Y", 40, True), member("N", 9, False)], True),  # the adult head
    ([member("N", 40, True), member("Y", 38, False)], True),  # another adult (our reading)
    ([member("Y", 16, True), member("N", 13, False)], True),  # a minor head, no adult present
    ([member("N", 15, True), member("Y", 13, False)], False),  # a child who is not the head
    ([member("Y", 17, True), member("N", 40, False)], False),  # a minor recorded as head beside an adult
    ([member("Y", None, True), member("N", 40, False)], True),  # a head of unknown age is not a known child
    ([member("DK", 40, True)], False),  # only "Y" counts
])
def test_h4_chronic_on_the_night_rule(members, expected):
    assert hic_pit.chronic_on_the_night({"h": members}) == {"h": expected}
