"""Read a Parquet table with pyarrow and check it against the CSV of the same name.

    python check_parquet.py DIR [TABLE]

TABLE is `trajectory` (default) or `impacts`. Same columns in the same order, same row count,
numbers equal to the CSV's rounding, text columns (stage, body) equal, integer columns (sample)
int64, the nullable columns (the trajectory's iip_*) null exactly where the CSV cell is empty. Exits non-zero with the reason on the first mismatch.
"""
import csv
import sys

import pyarrow.parquet as pq


def fail(message):
    print(f"check_parquet: {message}")
    sys.exit(1)


def main():
    directory = sys.argv[1]
    name_of_table = sys.argv[2] if len(sys.argv) > 2 else "trajectory"
    table = pq.read_table(f"{directory}/{name_of_table}.parquet")
    rows = list(csv.DictReader(open(f"{directory}/{name_of_table}.csv")))
    header = list(rows[0].keys())
    if table.column_names != header:
        fail(f"columns {table.column_names} != CSV {header}")
    if table.num_rows != len(rows):
        fail(f"{table.num_rows} rows, CSV has {len(rows)}")
    for name in header:
        field = table.schema.field(name)
        values = table.column(name).to_pylist()
        if name in ("stage", "body"):
            if str(field.type) != "string":
                fail(f"{name} has type {field.type}")
            if values != [r[name] for r in rows]:
                fail(f"{name} values differ")
            continue
        if name == "sample":
            if str(field.type) != "int64":
                fail(f"sample has type {field.type}")
            if values != [int(r[name]) for r in rows]:
                fail("sample numbers differ")
            continue
        nullable = name.startswith("iip_")
        if str(field.type) != "double" or field.nullable != nullable:
            fail(f"{name} has type {field.type}, nullable {field.nullable}")
        for k, (value, row) in enumerate(zip(values, rows)):
            text = row[name]
            if value is None or text == "":
                if not (nullable and value is None and text == ""):
                    fail(f"{name} row {k}: {value} vs CSV {text!r}")
                continue
            decimals = len(text.split(".")[1]) if "." in text else 0
            if abs(value - float(text)) > 0.51 * 10.0 ** -decimals:
                fail(f"{name} row {k}: {value} vs CSV {text}")
    print(f"parquet ok: {table.num_rows} rows x {table.num_columns} columns")


main()
