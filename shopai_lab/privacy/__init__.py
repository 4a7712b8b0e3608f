"""Customer privacy: pseudonymous ids, k-anonymity of published tables, differentially private aggregates.

Modules (one job each):

- :mod:`~shopai_lab.privacy.pseudonymize`: keyed HMAC-SHA256 pseudonyms, and the enumeration
  attack that reverses plain and salted hashes of short ids.
- :mod:`~shopai_lab.privacy.kanonymity`: group sizes over quasi-identifiers, generalisation and
  suppression until every group has at least k rows.
- :mod:`~shopai_lab.privacy.dp`: the Laplace mechanism, the cohort retention matrix with its
  correct sensitivity, and the privacy-utility curve.
- :mod:`~shopai_lab.privacy.reading`: notebook 08's generated privacy sentences.
"""

from shopai_lab.privacy import reading
from shopai_lab.privacy.dp import (
    dp_cohort_retention,
    laplace_mechanism,
    laplace_scale,
    privacy_utility_curve,
    retention_sensitivity,
)
from shopai_lab.privacy.kanonymity import (
    anonymize,
    group_sizes,
    k_anonymity_report,
    month_to_quarter,
    month_to_year,
    suppress_all,
    top_categories,
)
from shopai_lab.privacy.pseudonymize import (
    KEY_ENV_VAR,
    enumeration_attack,
    plain_hash,
    pseudonymize,
    pseudonymize_frame,
    resolve_key,
    salted_hash,
)

__all__ = [
    "KEY_ENV_VAR",
    "anonymize",
    "dp_cohort_retention",
    "enumeration_attack",
    "group_sizes",
    "k_anonymity_report",
    "laplace_mechanism",
    "laplace_scale",
    "month_to_quarter",
    "month_to_year",
    "plain_hash",
    "privacy_utility_curve",
    "reading",
    "pseudonymize",
    "pseudonymize_frame",
    "resolve_key",
    "retention_sensitivity",
    "salted_hash",
    "suppress_all",
    "top_categories",
]
