"""The reconstruction layer: RECONSTRUCTED patient-level survival times and how they fare.

- :mod:`blina.reconstruction.targets` — the printed figures as targets with priority tiers;
- :mod:`blina.reconstruction.model` — the CP-SAT model;
- :mod:`blina.reconstruction.solve` — the tiers, the tie-break, the chosen dataset;
- :mod:`blina.reconstruction.files` — the file's contract, loader and writer;
- :mod:`blina.reconstruction.evaluate` — every printed figure beside its reconstructed value;
- :mod:`blina.reconstruction.cli` — ``python -m blina reconstruct``.
"""
