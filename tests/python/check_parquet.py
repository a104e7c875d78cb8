"""Read trajectory.parquet with pyarrow and check it against trajectory.csv.

    python check_parquet.py DIR

Same columns in the same order, same row count, numbers equal to the CSV's rounding, stage
names equal. Exits non-zero with the reason on the first mismatch.
"""
import csv
import sys

import pyarrow.parquet as pq


def fail(message):
    print(f"check_parquet: {message}")
    sys.exit(1)


def main():
    directory = sys.argv[1]
    table = pq.read_table(f"{directory}/trajectory.parquet")
    rows = list(csv.DictReader(open(f"{directory}/trajectory.csv")))
    header = list(rows[0].keys())
    if table.column_names != header:
        fail(f"columns {table.column_names} != CSV {header}")
    if table.num_rows != len(rows):
        fail(f"{table.num_rows} rows, CSV has {len(rows)}")
    for name in header:
        field = table.schema.field(name)
        values = table.column(name).to_pylist()
        if name == "stage":
            if str(field.type) != "string":
                fail(f"stage has type {field.type}")
            if values != [r[name] for r in rows]:
                fail("stage names differ")
            continue
        if str(field.type) != "double" or field.nullable:
            fail(f"{name} has type {field.type}, nullable {field.nullable}")
        for k, (value, row) in enumerate(zip(values, rows)):
            text = row[name]
            decimals = len(text.split(".")[1]) if "." in text else 0
            if abs(value - float(text)) > 0.51 * 10.0 ** -decimals:
                fail(f"{name} row {k}: {value} vs CSV {text}")
    print(f"parquet ok: {table.num_rows} rows x {table.num_columns} columns")


main()
