"""H1: every value list we offer is HUD's, list by list.

HUD's values come from reports/hmis_csv/spec.py (the FY2024 HMIS CSV picklists with
the FY2026 changes applied). A list HUD defines as part of another (3.917.1, 3.12,
4.12.1 are parts of the 3.12.1 Living Situation Option List) is the whole list less
the options the Data Dictionary leaves out, as each hud_lists module's HUD_SUBSETS says.
"""

import importlib
import inspect

import pytest
from django.db import models

from reports.hmis_csv import spec

MODULES = ["clients.hud_lists", "agencies.hud_lists", "enrollments.hud_lists"]


def choices_classes(module):
    return [obj for obj in vars(module).values()
            if inspect.isclass(obj) and issubclass(obj, models.Choices) and obj.__module__ == module.__name__]


def hud_values(module, list_name: str) -> frozenset:
    subsets = getattr(module, "HUD_SUBSETS", {})
    if list_name in subsets:
        whole, left_out = subsets[list_name]
        return spec.value_list(whole) - left_out
    return spec.value_list(list_name)


def registered():
    for name in MODULES:
        module = importlib.import_module(name)
        for cls, list_name in module.HUD_LIST_NUMBERS.items():
            yield pytest.param(module, cls, list_name, id=f"{cls.__name__}-{list_name}")


@pytest.mark.parametrize("module_name", MODULES)
def test_h1_every_choices_class_in_a_hud_lists_module_names_its_hud_list(module_name):
    module = importlib.import_module(module_name)
    unregistered = sorted(c.__name__ for c in choices_classes(module) if c not in module.HUD_LIST_NUMBERS)
    assert unregistered == [], f"{module_name}: add these to HUD_LIST_NUMBERS: {unregistered}"


@pytest.mark.parametrize(("module", "cls", "list_name"), list(registered()))
def test_h1_value_list_is_hud_list(module, cls, list_name):
    ours = {int(value) for value in cls.values}
    theirs = set(hud_values(module, list_name))
    # Values we offer that HUD's list lacks, and HUD's values we do not offer: both empty.
    assert sorted(ours - theirs) == [], f"{cls.__name__} offers values not in HUD's list {list_name}"
    assert sorted(theirs - ours) == [], f"{cls.__name__} lacks values of HUD's list {list_name}"


def test_h1_prior_living_situation_offers_neither_deceased_nor_no_exit_interview():
    from enrollments.hud_lists import Destination, PriorLivingSituation

    # 24 Deceased and 30 No exit interview completed are answers about an exit only.
    assert 24 not in PriorLivingSituation.values and 30 not in PriorLivingSituation.values
    assert 24 in Destination.values and 30 in Destination.values


def test_h1_subset_lists_are_parts_of_the_living_situation_option_list():
    import enrollments.hud_lists as lists

    whole = spec.value_list("3.12.1")
    for name, (parent, left_out) in lists.HUD_SUBSETS.items():
        assert parent == "3.12.1"
        # Each left-out option is a real 3.12.1 option: a typo would silently widen the list.
        assert left_out <= whole, name
        assert 0 < len(whole - left_out) < len(whole), name
