"""The statistics layer: methods that know nothing about this paper.

- :mod:`blina.stats.rounding` — printed numbers: their decimals, half-up and double rounding,
  the interval of true values a printed number stands for;
- :mod:`blina.stats.inputs` — checking durations, event flags, groups and time points;
- :mod:`blina.stats.km` — the Kaplan–Meier estimator, Greenwood's variance and the log(−log)
  interval, also from a sequence of risk sets (the core the inverse solver inverts);
- :mod:`blina.stats.summaries` — medians (lifelines' and Prism's conventions) and landmark
  estimates by group;
- :mod:`blina.stats.logrank` — the log-rank test and the chi-square tail;
- :mod:`blina.stats.binomial` — Clopper–Pearson intervals.

Nothing here imports the cohort, the audit or the plots.
"""
