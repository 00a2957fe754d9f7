"""The paper's Kaplan–Meier panels (Figures 1a–2f) redrawn from a survival dataset."""

from __future__ import annotations

import pandas as pd
from matplotlib.figure import Figure

from blina.cohort.figures import PANELS
from blina.plots.km import km_plot

__all__ = ["GROUP_LABELS", "panel_plot"]

#: legend names of the two-valued groupings
GROUP_LABELS = {"responder": {True: "Responders (CR/CRi)", False: "Nonresponders"},
                "further_treatment": {True: "Further treatment",
                                      False: "No further treatment"}}
_YLABEL = {"os": "Overall survival (%)", "pfs": "Progression-free survival (%)"}


def panel_plot(times: pd.DataFrame, key: str, title: str, *,
               reconstructed: bool = True) -> Figure:
    """Panel ``key`` (``"1a"`` … ``"2f"``, :data:`blina.cohort.figures.PANELS`) drawn from
    ``times`` (the cohort with survival columns, e.g. :func:`blina.load_reconstructed_survival`):
    its population, its grouping, its endpoint."""
    if key not in PANELS:
        raise ValueError(f"key must be one of {sorted(PANELS)}, got {key!r}")
    p = PANELS[key]
    d = p.data(times)  # for 2e/f: the responders who had a further therapy
    return km_plot(d[f"{p.endpoint}_months"], d[f"{p.endpoint}_event"],
                   d[p.by] if p.by else None, title=f"Figure {key}: {title}",
                   ylabel=_YLABEL[p.endpoint], labels=GROUP_LABELS.get(p.by),
                   reconstructed=reconstructed)
