"""ShopAI Lab: a tested library behind notebooks on AI in e-commerce operations.

One subpackage per business question, each owning its models, simulators and plots and re-exporting
its public names (``from shopai_lab import behavior; behavior.rfm(...)``):

- :mod:`shopai_lab.data`: bundled data and an analyst's own files in the canonical schema, cleaning, synthetic shops.
- :mod:`shopai_lab.behavior`: RFM and named segments, cohort retention, funnels, customer clusters (notebook 01).
- :mod:`shopai_lab.recommend`: interactions, recommenders, blends, diversity, learned re-ranking, evaluation (02, 03).
- :mod:`shopai_lab.propensity`: session purchase models, calibration, the targeting decision, explanations (03).
- :mod:`shopai_lab.pricing`: demand models, optimal prices, elasticities, bandits, simulators (04).
- :mod:`shopai_lab.clv`: BG/NBD and Gamma-Gamma, customer value, diagnostics (05).
- :mod:`shopai_lab.forecast`: weekly demand forecasts, backtests, quantiles, inventory policies (06).
- :mod:`shopai_lab.experiments`: A/B tests, variance reduction, power, sequential tests, uplift (07).
- :mod:`shopai_lab.anomaly` and :mod:`shopai_lab.privacy`: orders that need a human; publishing safely (08).
- :mod:`shopai_lab.support`: customer-service intents, answers and hand-over (09).
- :mod:`shopai_lab.fairness`: group metrics, exposure, constrained lists, capped group prices, model cards (11).
- :mod:`shopai_lab.lab`: paths, notebook records (``record``), the ``shopai-lab`` command.

Shared by all: :mod:`shopai_lab.schema` (canonical columns and the glossary), :mod:`shopai_lab._validation`
(input checks), :mod:`shopai_lab.stats` (statistics used by several domains: the one paired bootstrap and
its result, :class:`~shopai_lab.stats.Interval`, and the one expected calibration error),
:mod:`shopai_lab.report` (sentences generated from results: money with its currency, intervals, verdicts)
and :mod:`shopai_lab.plotting` (the house plot style).
"""

import sys as _sys

if _sys.version_info < (3, 11):  # the pinned stack (numpy 2.4, pandas 3.1, scikit-learn 1.9) needs 3.11
    raise ImportError(f"ShopAI Lab needs Python 3.11 or newer; this is Python {_sys.version.split()[0]}")

__version__ = "0.1.0"
