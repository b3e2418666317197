#!/usr/bin/env python3
"""Times faiss's exhaustive search (IndexFlatL2) on the vectors our kNN benchmark used:
the faiss side of `deeprank bench knn --against-faiss` (the target: our top-k search at
least 0.8x faiss's throughput at the same thread count).

Inputs: two numpy .npy files, float32 [N, D] database and [Q, D] queries, written by
KNNBenchmark.writeData in Sources/Benchmarking/KNNBenchmark.swift (format:
Sources/Features/NumpyArrayFile.swift). Without --database/--queries the script draws
its own Gaussian data from a seeded numpy Generator (--seed), for a standalone run.

Timed: faiss.IndexFlatL2(D), index.add(database) once, then `index.search(queries, k)`
once untimed (warm-up) and --repeats times timed; the rate is Q / median search time.
faiss.omp_set_num_threads(--threads) sets faiss's OpenMP threads (its BLAS runs inside).

faiss-cpu wheels bundle their own OpenBLAS (0.3.15 in faiss-cpu 1.15.1), which does not
recognise recent Intel CPUs: it falls back to its generic "Prescott" (SSE3) kernels, also
when OPENBLAS_CORETYPE=Cooperlake (what `deeprank` sets for its own OpenBLAS, and which
this subprocess inherits). So that faiss runs at its best, --openblas-coretype auto (the
default) sets OPENBLAS_CORETYPE before faiss is imported: SkylakeX on a CPU with AVX-512,
Haswell with AVX2, otherwise the environment is left alone; "keep" never changes it. The
core the bundled OpenBLAS chose is reported as openblas_core.

Output: a table, or with --json one JSON object on the last line with the keys of the
Swift benchmark: queries_per_s, search_ms_median, search_ms, database, dimension, k, queries,
threads, repeats, plus reference and versions. --ids-out PATH also writes the found ids
of the last search as raw little-endian int32, [Q, k] row-major, for the agreement check.

Run from the repository root, e.g.
    /opt/refenv/bin/python Tests/Reference/bench_knn_faiss.py --threads 2 --json
"""

import argparse
import ctypes
import json
import os
import platform
import time


def set_openblas_coretype(choice):
    """Sets OPENBLAS_CORETYPE for the OpenBLAS bundled with faiss (see the docstring)."""
    if choice == "keep":
        return
    if choice == "auto":
        try:
            with open("/proc/cpuinfo") as f:
                flags = next((line.split(":", 1)[1].split() for line in f if line.startswith("flags")), [])
        except OSError:
            return
        choice = "SkylakeX" if "avx512f" in flags else "Haswell" if "avx2" in flags else None
    if choice:
        os.environ["OPENBLAS_CORETYPE"] = choice


def openblas_core():
    """The kernel family of the OpenBLAS loaded into this process ("?" if none is found)."""
    try:
        with open("/proc/self/maps") as f:
            paths = {line.split()[-1] for line in f if "openblas" in line.lower() and line.split()[-1].startswith("/")}
        for path in sorted(paths):
            lib = ctypes.CDLL(path)
            lib.openblas_get_corename.restype = ctypes.c_char_p
            return lib.openblas_get_corename().decode()
    except (OSError, AttributeError):
        pass
    return "?"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database", help="float32 [N, D] .npy")
    parser.add_argument("--queries", help="float32 [Q, D] .npy")
    parser.add_argument("--size", type=int, default=100_000, help="N when drawing data")
    parser.add_argument("--dimension", type=int, default=128, help="D when drawing data")
    parser.add_argument("--query-count", type=int, default=10_000, help="Q when drawing data")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--k", type=int, default=30)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--ids-out", help="write the ids of the last search here (raw int32 [Q, k])")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--openblas-coretype", default="auto",
                        help="OPENBLAS_CORETYPE for faiss's bundled OpenBLAS: auto, keep, or a core name")
    args = parser.parse_args()
    set_openblas_coretype(args.openblas_coretype)
    import faiss  # after OPENBLAS_CORETYPE is set: the bundled OpenBLAS reads it when loaded
    import numpy as np

    if args.database and args.queries:
        database = np.load(args.database)
        queries = np.load(args.queries)
    else:
        rng = np.random.default_rng(args.seed)
        database = rng.standard_normal((args.size, args.dimension), dtype=np.float32)
        queries = rng.standard_normal((args.query_count, args.dimension), dtype=np.float32)
    for name, array in (("database", database), ("queries", queries)):
        if array.dtype != np.float32 or array.ndim != 2:
            raise SystemExit(f"{name}: expected float32 [rows, D], got {array.dtype} {array.shape}")
    if database.shape[1] != queries.shape[1]:
        raise SystemExit(f"dimensions differ: database {database.shape}, queries {queries.shape}")
    database = np.ascontiguousarray(database)
    queries = np.ascontiguousarray(queries)

    faiss.omp_set_num_threads(args.threads)
    index = faiss.IndexFlatL2(database.shape[1])
    index.add(database)
    _, ids = index.search(queries, args.k)
    times = []
    for _ in range(args.repeats):
        start = time.perf_counter()
        _, ids = index.search(queries, args.k)
        times.append(time.perf_counter() - start)
    median = float(np.median(times))
    if args.ids_out:
        ids.astype("<i4").tofile(args.ids_out)

    figures = {
        "reference": f"faiss {faiss.__version__} IndexFlatL2",
        "faiss_version": faiss.__version__,
        "faiss_compile_options": faiss.get_compile_options(),
        "openblas_core": openblas_core(),
        "openblas_coretype_env": os.environ.get("OPENBLAS_CORETYPE", ""),
        "numpy_version": np.__version__,
        "python_version": platform.python_version(),
        "database": int(database.shape[0]),
        "dimension": int(database.shape[1]),
        "queries": int(queries.shape[0]),
        "k": args.k,
        "threads": args.threads,
        "repeats": args.repeats,
        "search_ms_median": 1000 * median,
        "search_ms": [1000 * t for t in times],
        "queries_per_s": queries.shape[0] / median,
    }
    if args.json:
        print(json.dumps(figures, sort_keys=True))
    else:
        for key, value in figures.items():
            print(f"{key}: {value}")


if __name__ == "__main__":
    main()
