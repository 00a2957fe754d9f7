"""The cohort layer: what Tables 1–3 say about the 30 patients, and how the paper groups them.

- :mod:`blina.cohort.groups` — responders, further treatment, therapy types, relapse, the
  OS/PFS events of section 2.4, and the named survival groups;
- :mod:`blina.cohort.figures` — the registry of the survival figures the paper prints;
- :mod:`blina.cohort.characteristics` — Table 1 summaries;
- :mod:`blina.cohort.response` — response rates with exact intervals (section 3.2);
- :mod:`blina.cohort.safety` — Table 3 with percentages and Fréchet bounds (section 3.3);
- :mod:`blina.cohort.schedule` — dose schedules (section 2.2);
- :mod:`blina.cohort.comparators` — the index study beside other blinatumomab studies.
"""
