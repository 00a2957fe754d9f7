"""The audit's checks, one module per part of the paper; each module has a ``CHECKS`` table.

- :mod:`~blina.audit.checks.methods` — sections 2.2 and 2.3 (and the abstract's dosing);
- :mod:`~blina.audit.checks.characteristics` — section 3.1 and Table 1;
- :mod:`~blina.audit.checks.response` — section 3.2 (and the abstract's response figures);
- :mod:`~blina.audit.checks.toxicity` — section 3.3 and Table 3;
- :mod:`~blina.audit.checks.km_estimates` — the printed Kaplan–Meier estimates (3.4);
- :mod:`~blina.audit.checks.medians` — the printed medians;
- :mod:`~blina.audit.checks.comparisons` — log-rank p-values and group comparisons;
- :mod:`~blina.audit.checks.followup` — the follow-up;
- :mod:`~blina.audit.checks.discussion` — sections 4 and 5.

Shared helpers: :mod:`~blina.audit.checks.common` (rates and counts) and
:mod:`~blina.audit.checks.risk_sets` (the inverse Kaplan–Meier in words).
"""
