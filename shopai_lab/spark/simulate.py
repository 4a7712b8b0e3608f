"""A large simulated shop written as Parquet parts, generated in chunks (never all in memory).

The lines follow :func:`shopai_lab.data.random_transactions` (long-tailed customers and products,
invoices of ~20 lines of one customer at one time) plus the dirt real files have, at known rates,
so the cleaning rules have work to do and their report has a known answer: cancellation invoices
(``C`` prefix, negative quantities), invoices without a customer, postage lines (``POST``) and
zero-price lines. Needs only numpy and pyarrow: Spark reads the folder it writes.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
from tqdm import tqdm

from shopai_lab._validation import require_bool, require_number, require_positive_int
from shopai_lab.data import START

#: Share of invoices that are cancellations, share without a customer; share of lines that are postage,
#: and of product lines given away at price 0.
DIRT = {"cancelled_invoices": 0.02, "anonymous_invoices": 0.05, "postage_lines": 0.01, "free_lines": 0.002}

MANIFEST = "_shop.json"


def _chunk(
    rng: np.random.Generator,
    first_invoice: int,
    n_lines: int,
    n_customers: int,
    n_items: int,
    days: int,
    lines_per_invoice: float,
    item_cdf: np.ndarray,
    customer_cdf: np.ndarray,
    item_price: np.ndarray,
):
    import pyarrow as pa
    import pyarrow.compute as pc

    n_invoices = max(1, int(round(n_lines / lines_per_invoice)))
    invoice = np.sort(rng.integers(0, n_invoices, n_lines))
    customer = np.searchsorted(customer_cdf, rng.random(n_invoices), side="right")
    seconds = np.round(rng.uniform(0, days * 86_400, n_invoices)).astype("int64")
    cancelled = rng.random(n_invoices) < DIRT["cancelled_invoices"]
    anonymous = rng.random(n_invoices) < DIRT["anonymous_invoices"]
    item = np.searchsorted(item_cdf, rng.random(n_lines), side="right")
    postage = rng.random(n_lines) < DIRT["postage_lines"]
    free = rng.random(n_lines) < DIRT["free_lines"]
    quantity = 1 + rng.poisson(3.0, n_lines)
    quantity = np.where(cancelled[invoice], -quantity, quantity)
    price = np.where(free, 0.0, np.where(postage, 18.0, item_price[item]))
    invoice_text = pc.cast(pa.array(first_invoice + invoice), pa.string())
    invoice_text = pc.if_else(
        pa.array(cancelled[invoice]), pc.binary_join_element_wise("C", invoice_text, ""), invoice_text
    )
    item_text = pc.if_else(pa.array(postage), pa.scalar("POST"), pc.cast(pa.array(item + 10_000), pa.string()))
    customer_text = pc.cast(pa.array(customer[invoice] + 100_000), pa.string())
    customer_text = pc.if_else(pa.array(anonymous[invoice]), pa.scalar(None, pa.string()), customer_text)
    stamps = pa.array(START.value // 1000 + seconds[invoice] * 1_000_000, pa.timestamp("us"))
    table = pa.table(
        {
            "customer_id": customer_text,
            "invoice_id": invoice_text,
            "item_id": item_text,
            "quantity": pa.array(quantity, pa.int64()),
            "unit_price": pa.array(price, pa.float64()),
            "timestamp": stamps,
        }
    )
    truth = {
        "lines": int(n_lines),
        "cancellation": int(cancelled[invoice].sum()),
        "missing customer": int((~cancelled[invoice] & anonymous[invoice]).sum()),
        "quantity <= 0": 0,  # only cancellation lines have negative quantities
        "unit price <= 0": int((~cancelled[invoice] & ~anonymous[invoice] & free).sum()),
        "non-product stock code": int((~cancelled[invoice] & ~anonymous[invoice] & ~free & postage).sum()),
    }
    return table, truth


def _prepare_folder(folder: Path) -> Path:
    """``folder`` made ready for a simulated shop: new, or holding only an earlier one (whose parts go)."""
    if folder.exists() and not folder.is_dir():
        raise ValueError(f"path {str(folder)!r} is a file: pass a folder (new or holding a simulated shop)")
    if folder.exists() and any(p for p in folder.iterdir() if not (p.name.startswith("part-") or p.name == MANIFEST)):
        raise ValueError(f"{str(folder)!r} holds files other than a simulated shop's: pass an empty or new folder")
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("part-*.parquet"):
        old.unlink()
    return folder


def _catalogue(random_state: int, n_items: int, n_customers: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Cumulative popularity of items and customers (Zipf-like) and item prices, shared by every chunk."""
    shared = np.random.default_rng(np.random.SeedSequence(random_state).spawn(1)[0])
    item_weight = 1.0 / np.arange(1, n_items + 1) ** 0.9
    customer_weight = 1.0 / np.arange(1, n_customers + 1) ** 0.7
    item_cdf = np.cumsum(item_weight / item_weight.sum())
    customer_cdf = np.cumsum(customer_weight / customer_weight.sum())
    item_cdf[-1] = customer_cdf[-1] = 1.0
    item_price = np.round(np.exp(shared.normal(1.0, 0.7, n_items)), 2).clip(0.1, None)
    return item_cdf, customer_cdf, item_price


def write_simulated_shop(
    path: str | Path,
    lines: int,
    n_customers: int | None = None,
    n_items: int = 20_000,
    days: int = 730,
    lines_per_invoice: float = 20.0,
    chunk_lines: int = 2_000_000,
    random_state: int = 0,
    progress: bool = True,
) -> dict:
    """Write a simulated shop of ``lines`` invoice lines as Parquet parts ``part-00000.parquet``, ...

    Parameters
    ----------
    path
        A folder (created; must be empty or hold an earlier simulated shop, which is replaced).
    lines
        Invoice lines in total.
    n_customers
        Customers; default ``lines // 100`` (at least 100).
    n_items, days, lines_per_invoice
        Catalogue size, span in days from :data:`shopai_lab.data.START`, mean lines per invoice.
    chunk_lines
        Lines generated and written at a time (the memory bound: about 100 bytes a line).
    random_state
        Seed; chunk ``i`` draws from its own stream spawned from it, so the data depend on
        ``(random_state, chunk_lines)``.
    progress
        Progress bar over chunks.

    Returns
    -------
    dict
        What was written, with the known answer of the cleaning report: ``lines``, ``parts``,
        and the lines each cleaning rule must drop but the duplicate rule (``cancellation``,
        ``missing customer``, ``quantity <= 0``, ``unit price <= 0``, ``non-product stock code``).
        Also saved as ``_shop.json`` in the folder (Spark ignores files starting with ``_``).

    Examples
    --------
    >>> import tempfile
    >>> info = write_simulated_shop(tempfile.mkdtemp(), 5_000, chunk_lines=2_000, progress=False)
    >>> info["lines"], info["parts"]
    (5000, 3)
    """
    lines = require_positive_int(lines, "lines")
    n_customers = max(100, lines // 100) if n_customers is None else require_positive_int(n_customers, "n_customers")
    n_items = require_positive_int(n_items, "n_items")
    days = require_positive_int(days, "days")
    require_number(lines_per_invoice, "lines_per_invoice", low=1)
    chunk_lines = require_positive_int(chunk_lines, "chunk_lines")
    random_state = require_positive_int(random_state, "random_state", minimum=0)
    require_bool(progress, "progress")
    import pyarrow.parquet as pq

    folder = _prepare_folder(Path(path))
    item_cdf, customer_cdf, item_price = _catalogue(random_state, n_items, n_customers)
    sizes = [chunk_lines] * (lines // chunk_lines) + ([lines % chunk_lines] if lines % chunk_lines else [])
    totals = dict.fromkeys(
        [
            "lines",
            "cancellation",
            "missing customer",
            "quantity <= 0",
            "unit price <= 0",
            "non-product stock code",
        ],
        0,
    )
    first_invoice = 500_000
    streams = np.random.SeedSequence(random_state).spawn(len(sizes) + 1)[1:]
    for part, (size, stream) in enumerate(tqdm(list(zip(sizes, streams)), disable=not progress, desc="chunks")):
        table, truth = _chunk(
            np.random.default_rng(stream),
            first_invoice,
            size,
            n_customers,
            n_items,
            days,
            lines_per_invoice,
            item_cdf,
            customer_cdf,
            item_price,
        )
        first_invoice += int(round(size / lines_per_invoice)) + 1
        pq.write_table(table, folder / f"part-{part:05d}.parquet", compression="snappy")
        for key in totals:
            totals[key] += truth[key]
    info = {
        **totals,
        "parts": len(sizes),
        "customers": n_customers,
        "items": n_items,
        "days": days,
        "random_state": random_state,
        "chunk_lines": chunk_lines,
        "dirt": DIRT,
    }
    (folder / MANIFEST).write_text(json.dumps(info, indent=1))
    return info


def read_manifest(path: str | Path) -> dict:
    """The ``_shop.json`` of a folder written by :func:`write_simulated_shop`."""
    manifest = Path(path) / MANIFEST
    if not manifest.is_file():
        raise FileNotFoundError(f"{str(path)!r} is not a simulated shop folder (no {MANIFEST})")
    return json.loads(manifest.read_text())


def pandas_lines(path: str | Path) -> pd.DataFrame:
    """The lines of a simulated shop folder read by pandas (for comparisons at sizes that fit in memory)."""
    frame = pd.read_parquet(Path(path))
    return frame.astype(
        {"customer_id": "string", "invoice_id": "string", "item_id": "string", "timestamp": "datetime64[ns]"}
    )
