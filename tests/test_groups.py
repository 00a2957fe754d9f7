"""The paper's patient groups and the populations of its Kaplan–Meier panels."""

from __future__ import annotations

import blina
from blina.cohort.figures import PANELS as FIGURES
from blina.cohort.groups import add_groups


def test_groups_from_table2():
    g = add_groups(blina.load_cohort()).set_index("patient")
    assert g.index[~g["responder"]].tolist() == [6, 9, 11, 24, 26]
    assert g.index[~g["further_treatment"]].tolist() == [9, 11, 15, 16, 19, 24]
    assert g.loc[g["responder"], "therapy_type"].value_counts().to_dict() == {
        "chemotherapy": 8, "HSCT": 8, "CAR-T": 3, "blinatumomab": 3}


def test_panel_populations():
    cohort = blina.load_cohort()
    sizes = {key: len(panel.data(cohort)) for key, panel in FIGURES.items()}
    assert sizes == {"1a": 30, "1b": 30, "1c": 30, "1d": 30, "2a": 30, "2b": 30,
                     "2c": 25, "2d": 25, "2e": 22, "2f": 22}
    assert FIGURES["2e"].data(cohort)["therapy_type"].notna().all()
