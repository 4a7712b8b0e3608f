"""ShopAI Lab: a tested library behind notebooks on AI in e-commerce operations.

Modules (one job each):

- :mod:`shopai_lab.datasets`: bundled data and an analyst's own files, in the canonical schema.
- :mod:`shopai_lab.cleaning`: raw invoice lines to clean purchases, with a drop report.
- :mod:`shopai_lab.simulate`: a seeded shop simulator with known ground truth.
- :mod:`shopai_lab.behavior`: RFM, segments, cohort retention, funnels, customer clusters.
- :mod:`shopai_lab.interactions`: sparse customer x item matrices and the house evaluation split.
- :mod:`shopai_lab.recommenders`: Popularity, ItemKNN, UserKNN, ALS, EASE, ContentKNN, Blend.
- :mod:`shopai_lab.metrics`: ranking metrics and ``evaluate()``.
- :mod:`shopai_lab.scoring`: purchase-propensity pipelines, calibration metrics, the targeting decision.
- :mod:`shopai_lab.reranking`: a learned second stage over CF candidates.
- :mod:`shopai_lab.clv`: BG/NBD and Gamma-Gamma: P(alive), expected purchases, customer value.
- :mod:`shopai_lab.pricing`: demand models, optimal prices, guard rails, elasticity estimation.
- :mod:`shopai_lab.bandits`: online price experiments and their simulator.
- :mod:`shopai_lab.plotting`: shared plot helpers.
- :mod:`shopai_lab.notebook`: ``record()`` headline metrics and read them back.
- :mod:`shopai_lab.cli`: the ``shopai-lab`` command (papermill runs, reports).
"""

__version__ = "0.1.0"
