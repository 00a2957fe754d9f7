"""The plotting layer: figures drawn from what the other layers computed (no formulas here).

- :mod:`blina.plots.style` — palette, line styles, markers, hatches, font size, new figures;
- :mod:`blina.plots.display` — a figure in a notebook as an HTML ``<figure>`` with alt text;
- :mod:`blina.plots.km` — Kaplan–Meier curves;
- :mod:`blina.plots.medians` — the two median conventions on one curve;
- :mod:`blina.plots.panels` — the paper's Figures 1a–2f redrawn;
- :mod:`blina.plots.swimmer` — each patient's course;
- :mod:`blina.plots.bars` — response by burden, adverse events;
- :mod:`blina.plots.forest` — response rates across studies;
- :mod:`blina.plots.schedule` — dose schedules;
- :mod:`blina.plots.scorecard` — the claims of the paper by section and verdict;
- :mod:`blina.plots.detection` — the km-check validation's typo detection.
"""

from blina.plots.bars import ae_plot, response_by_burden_plot
from blina.plots.detection import typo_detection_plot
from blina.plots.display import figure_html, show
from blina.plots.forest import forest_plot
from blina.plots.km import at_risk_counts, km_plot
from blina.plots.medians import median_conventions_plot
from blina.plots.panels import panel_plot
from blina.plots.schedule import schedule_plot
from blina.plots.scorecard import scorecard_plot
from blina.plots.style import COLORS, FONT, HATCHES, LINESTYLES, MARKERS
from blina.plots.swimmer import swimmer_plot

__all__ = ["COLORS", "FONT", "HATCHES", "LINESTYLES", "MARKERS", "ae_plot", "at_risk_counts",
           "figure_html", "forest_plot", "km_plot", "median_conventions_plot", "panel_plot",
           "response_by_burden_plot", "schedule_plot", "scorecard_plot", "show",
           "swimmer_plot", "typo_detection_plot"]
