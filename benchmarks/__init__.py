"""Benchmarks: ``python -m benchmarks`` (``make bench``) runs every ``bench_*.py`` module's
``main()``. Each prints its results as ratio lines, e.g.
``crowd_tick_10000 / bare_step_10000 = 1.31x``. Benchmarks are not tests."""
