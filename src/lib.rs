//! Test and benchmark host package: the tests live in `tests/`, the benchmarks in `benches/`.
