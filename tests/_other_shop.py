"""Another shop's file for the notebook tests: the non-UK lines of the bundled data under other column names."""

#: canonical column -> the other shop's column name (its ``column_map`` is the inverse).
OTHER_SHOP_COLUMNS = {
    "invoice_id": "Bill",
    "item_id": "SKU",
    "description": "Product",
    "quantity": "Units",
    "timestamp": "Ordered at",
    "unit_price": "Cost",
    "customer_id": "Client",
    "country": "Land",
}
