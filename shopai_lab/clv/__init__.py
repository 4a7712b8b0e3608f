"""Customer value (notebook 05): BG/NBD and Gamma-Gamma, customer value, holdout diagnostics, simulators."""

from shopai_lab.clv._fitting import ConvergenceError, IdentificationWarning, fit_and_note
from shopai_lab.clv.bgnbd import BetaGeoModel
from shopai_lab.clv.diagnostics import holdout_by_frequency, tracking_curve
from shopai_lab.clv.gamma_gamma import GammaGammaModel
from shopai_lab.clv.plots import plot_concentration, plot_holdout_by_frequency, plot_tracking
from shopai_lab.clv.simulate import simulate_bgnbd, simulate_gamma_gamma
from shopai_lab.clv.summary import SUMMARY_COLUMNS, TIME_UNITS, summarize_customers
from shopai_lab.clv.value import customer_value, score_customers

__all__ = [
    "BetaGeoModel",
    "ConvergenceError",
    "GammaGammaModel",
    "IdentificationWarning",
    "SUMMARY_COLUMNS",
    "TIME_UNITS",
    "customer_value",
    "fit_and_note",
    "holdout_by_frequency",
    "plot_concentration",
    "plot_holdout_by_frequency",
    "plot_tracking",
    "score_customers",
    "simulate_bgnbd",
    "simulate_gamma_gamma",
    "summarize_customers",
    "tracking_curve",
]
