#!/usr/bin/env python3
"""Writes Tests/Fixtures/metrics-reference.h5: reference values for the Swift evaluation
metrics and nearest-neighbour search (Sources/Evaluation).

References (versions recorded in the file's root attributes):
- Precision@1, R-Precision, MAP@R: pytorch-metric-learning's AccuracyCalculator
  (include precision_at_1, r_precision, mean_average_precision_at_r; k="max_bin_count";
  reference = query set, so each query is left out of its own list; its default kNN is
  faiss IndexFlatL2), stored under pml_*; the same metrics from a plain numpy
  brute-force implementation are stored too, and the script fails unless both agree
  (to 1e-12) on every set.
- Recall@K (the deep metric learning papers' "at least one same-label image among the
  first K"; pytorch-metric-learning has no such metric): numpy brute force.
- Top-k neighbour indices: numpy brute force (float64 distances, ties broken by the
  smaller index, the query left out), checked against scikit-learn
  NearestNeighbors(algorithm="brute") and faiss IndexFlatL2 where the order is
  unambiguous, and against faiss also on the tie sets (faiss breaks ties by the smaller
  id as well); the outcome of each check is an attribute.
  L1: sklearn metric="manhattan"; chi-square: sklearn additive_chi2_kernel (minus its
  value is sum (a-b)^2/(a+b)); bilinear a^T W b: numpy.
- Score-at-top-K: a straightforward numpy implementation of the paper's definition
  (`score_at_top_k` below), with its choices spelled out there.

Exactness: the "quantized" and "ties" sets have coordinates that are multiples of 1/4
(small), so every squared distance, L1 distance and inner product is exact in float32
whatever the order of summation; their ties are real ties, and the Swift search (sgemm,
||q||^2 + ||r||^2 - 2 q.r) must reproduce the tie order exactly. The "continuous" set is
Gaussian float32; the script checks that no two distances of a query are closer than a
relative 1e-5 (float32 rounding of the expansion is ~1e-6 relative at worst here, so
it cannot reorder them).

Layout:
  /sets/<name>/embeddings        float32 [n, D]
  /sets/<name>/labels            int64 [n]
  /sets/<name>/precision_at_1, r_precision, map_at_r            float64 scalars (numpy)
  /sets/<name>/pml_precision_at_1, pml_r_precision, pml_map_at_r float64 scalars (PML)
  /sets/<name>/recall_ks         int64 [m];  recall_at_k float64 [m]
  /sets/<name>/counted_queries   int64 (queries with R >= 1); r_precision_per_query,
                                 map_at_r_per_query float64, one per counted query
  /sets/<name>/neighbours        int64 [n, k] squared-L2 top-k, query left out
  /sets/<name>/l1_neighbours, bilinear_neighbours int64 [n, k], bilinear_weights
                                 float32 [D, D] (quantized set only; exact)
  /sets/<name>/chi_square_neighbours int64 [n, k] (continuous set only, on |embeddings|)
  /score_at_k/embeddings float32 [n, D]; categories int64 [n]; candidates int64;
             triplets int64 [T, 3] (query, positive, negative); attribute k;
             score, counted (int64 scalars); contributions float64 [T];
             outcomes float64 [T] (1 / 0.5 / 0); similarity_precision;
             precision_at_1, r_precision, map_at_r, recall_ks, recall_at_k (retrieval
             over the candidates labelled by category, numpy)

Run from the repository root:
    /opt/refenv/bin/python Tests/Reference/make_metric_fixtures.py
"""

import os
import platform

import faiss
import h5py
import numpy as np
import pytorch_metric_learning
import sklearn
import torch
from pytorch_metric_learning.utils.accuracy_calculator import AccuracyCalculator
from sklearn.metrics.pairwise import additive_chi2_kernel
from sklearn.neighbors import NearestNeighbors

SEED = 20140623
GENERATOR = "Tests/Reference/make_metric_fixtures.py"
OUTPUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Fixtures", "metrics-reference.h5")
RECALL_KS = [1, 2, 4, 8, 16]
NEIGHBOURS_K = 10

rng = np.random.default_rng(SEED)


# ---- reference implementations -------------------------------------------------------

def squared_distances(x):
    x = x.astype(np.float64)
    return ((x[:, None, :] - x[None, :, :]) ** 2).sum(-1)


def ranked_lists(cost):
    """Per query: all other indices by increasing cost, ties by the smaller index."""
    n = cost.shape[0]
    lists = []
    for q in range(n):
        others = np.array([j for j in range(n) if j != q])
        order = np.lexsort((others, cost[q, others]))
        lists.append(others[order])
    return lists


def retrieval_metrics(labels, lists, recall_ks):
    """P@1, Recall@K, R-Precision, MAP@R over queries with R >= 1 (Musgrave et al. 2020)."""
    p1, recall, rp, mapr, counted = [], {k: [] for k in recall_ks}, [], [], []
    for q, ranked in enumerate(lists):
        same = labels[ranked] == labels[q]
        r = int(same.sum())
        if r == 0:
            continue
        counted.append(q)
        p1.append(float(same[0]))
        for k in recall_ks:
            recall[k].append(float(same[:k].any()))
        top = same[:r]
        rp.append(top.sum() / r)
        hits = np.cumsum(top)
        precision_at_i = hits / np.arange(1, r + 1)
        mapr.append(float((precision_at_i * top).sum() / r))
    return {
        "precision_at_1": float(np.mean(p1)),
        "recall_at_k": np.array([np.mean(recall[k]) for k in recall_ks], dtype=np.float64),
        "r_precision": float(np.mean(rp)),
        "map_at_r": float(np.mean(mapr)),
        "counted_queries": np.array(counted, dtype=np.int64),
        "r_precision_per_query": np.array(rp, dtype=np.float64),
        "map_at_r_per_query": np.array(mapr, dtype=np.float64),
    }


def pml_metrics(embeddings, labels):
    calculator = AccuracyCalculator(include=("precision_at_1", "r_precision", "mean_average_precision_at_r"),
                                    k="max_bin_count", device=torch.device("cpu"))
    result = calculator.get_accuracy(torch.from_numpy(embeddings), torch.from_numpy(labels))
    return {"precision_at_1": result["precision_at_1"], "r_precision": result["r_precision"],
            "map_at_r": result["mean_average_precision_at_r"]}


def drop_self(ids, k):
    """pytorch-metric-learning's rule: remove the query from its k+1 list, or the last."""
    out = []
    for q, row in enumerate(ids):
        row = list(row)
        row.remove(q) if q in row else row.pop()
        out.append(row[:k])
    return np.array(out, dtype=np.int64)


def sklearn_neighbours(x, k, metric):
    model = NearestNeighbors(n_neighbors=k + 1, algorithm="brute", metric=metric).fit(x)
    return drop_self(model.kneighbors(x, return_distance=False), k)


def same_costs(found, expected, cost):
    """Whether two neighbour lists differ at most in the order of equal costs."""
    rows = np.arange(len(found))[:, None]
    return bool(np.array_equal(cost[rows, found], cost[rows, expected]))


def faiss_neighbours(x, k):
    index = faiss.IndexFlatL2(x.shape[1])
    index.add(x)
    return drop_self(index.search(x, k + 1)[1], k)


def min_relative_gap(cost, first=None):
    """Smallest relative gap between consecutive sorted costs of a query (other images;
    only the `first` smallest when given)."""
    gaps = []
    for q in range(cost.shape[0]):
        d = np.sort(np.delete(cost[q], q))[:first]
        gaps.append(np.min(np.diff(d) / np.maximum(d[1:], 1e-30)))
    return float(min(gaps))


def score_at_top_k(sim, categories, candidates, triplets, k):
    """The paper's Score-at-top-K: per triplet (Q, A, B), rank the candidates of Q's
    category (Q excluded) by similarity to Q, equal similarities in candidate-list order;
    if A or B is among the first k, add +1 if sim(Q, A) > sim(Q, B), -1 if <, 0 if equal."""
    contributions = []
    for q, a, b in triplets:
        pool = [c for c in candidates if categories[c] == categories[q] and c != q]
        ranked = sorted(range(len(pool)), key=lambda i: (-sim[q, pool[i]], i))
        top = {pool[i] for i in ranked[:k]}
        if a in top or b in top:
            contributions.append(float(np.sign(sim[q, a] - sim[q, b])))
        else:
            contributions.append(np.nan)
    contributions = np.array(contributions)
    counted = int(np.sum(~np.isnan(contributions)))
    contributions = np.nan_to_num(contributions, nan=0.0)
    return int(contributions.sum()), counted, contributions


# ---- data -----------------------------------------------------------------------------

def clustered(sizes, dimension, spread, quantum=None):
    """Class centres N(0, 1) * 1.5, members centre + N(0, spread); optionally rounded to
    multiples of `quantum`. Returns float32 embeddings and int64 labels, classes interleaved."""
    centres = rng.standard_normal((len(sizes), dimension)) * 1.5
    labels = np.concatenate([np.full(s, c) for c, s in enumerate(sizes)])
    rng.shuffle(labels)
    x = centres[labels] + spread * rng.standard_normal((len(labels), dimension))
    if quantum:
        x = np.round(x / quantum) * quantum
    return x.astype(np.float32), labels.astype(np.int64)


def make_sets():
    sets = {}
    # Quantized: exact arithmetic, some ties, two exact duplicates, a class of size 1.
    x, y = clustered([12, 9, 7, 5, 3, 1, 8], dimension=8, spread=1.2, quantum=0.25)
    x[10] = x[3]                      # duplicate, maybe across classes
    same = np.flatnonzero(y == y[20])
    x[same[1]] = x[same[0]]           # duplicate within a class
    sets["quantized"] = (x, y)
    # Ties: coordinates in {0, 0.25, 0.5}, 4 dimensions: many equal distances.
    y = np.repeat(np.arange(5), [8, 8, 6, 4, 1]).astype(np.int64)
    rng.shuffle(y)
    x = (rng.integers(0, 3, size=(len(y), 4)) * 0.25).astype(np.float32)
    x[y == 0, 0] += 0.5               # some class signal
    sets["ties"] = (x, y)
    # Continuous Gaussian, well separated distances.
    for attempt in range(100):
        x, y = clustered([15, 12, 10, 10, 8, 1], dimension=16, spread=1.0)
        if min_relative_gap(squared_distances(x)) > 1e-5:
            break
    else:
        raise SystemExit("no continuous set with separated distances")
    sets["continuous"] = (x, y)
    return sets


def make_score_case():
    """Three categories of 30 images (D = 6, multiples of 1/4), candidates = 75 of the 90
    (the rest play images outside the test set), 240 triplets inside categories drawn
    from the candidates, a few with A and B exact duplicates (ties)."""
    x, categories = clustered([30, 30, 30], dimension=6, spread=1.0, quantum=0.25)
    candidates = np.sort(rng.choice(90, size=75, replace=False)).astype(np.int64)
    by_category = {c: [i for i in candidates if categories[i] == c] for c in range(3)}
    triplets = []
    while len(triplets) < 240:
        c = int(rng.integers(0, 3))
        q, a, b = rng.choice(by_category[c], size=3, replace=False)
        triplets.append((int(q), int(a), int(b)))
    for t in triplets[:6]:            # exact ties: make B a copy of A
        x[t[2]] = x[t[1]]
    return x, categories, candidates, np.array(triplets, dtype=np.int64)


# ---- writing --------------------------------------------------------------------------

def main():
    sets = make_sets()
    score = make_score_case()
    with h5py.File(OUTPUT, "w", libver=("v108", "v108")) as f:
        f.attrs["generator"] = GENERATOR
        f.attrs["seed"] = np.int64(SEED)
        f.attrs["numpy_version"] = np.__version__
        f.attrs["sklearn_version"] = sklearn.__version__
        f.attrs["pytorch_metric_learning_version"] = pytorch_metric_learning.__version__
        f.attrs["torch_version"] = str(torch.__version__)
        f.attrs["faiss_version"] = faiss.__version__
        f.attrs["h5py_version"] = h5py.__version__
        f.attrs["hdf5_version"] = h5py.version.hdf5_version
        f.attrs["python_version"] = platform.python_version()

        for name, (x, y) in sets.items():
            g = f.create_group(f"sets/{name}")
            g.create_dataset("embeddings", data=x)
            g.create_dataset("labels", data=y)
            lists = ranked_lists(squared_distances(x))
            metrics = retrieval_metrics(y, lists, RECALL_KS)
            pml = pml_metrics(x, y)
            for key in ("precision_at_1", "r_precision", "map_at_r"):
                if abs(pml[key] - metrics[key]) > 1e-12:
                    raise SystemExit(f"{name}: pytorch-metric-learning {key} {pml[key]} != numpy {metrics[key]}")
                g.create_dataset(key, data=np.float64(metrics[key]))
                g.create_dataset(f"pml_{key}", data=np.float64(pml[key]))
            g.create_dataset("recall_ks", data=np.array(RECALL_KS, dtype=np.int64))
            for key in ("recall_at_k", "counted_queries", "r_precision_per_query", "map_at_r_per_query"):
                g.create_dataset(key, data=metrics[key])
            k = NEIGHBOURS_K
            expected = np.array([row[:k] for row in lists], dtype=np.int64)
            g.create_dataset("neighbours", data=expected)
            g.attrs["neighbours_k"] = np.int64(k)
            g.attrs["faiss_neighbours_agree"] = np.int64(np.array_equal(faiss_neighbours(x, k), expected))
            found = sklearn_neighbours(x, k, "euclidean")
            g.attrs["sklearn_neighbours_agree"] = np.int64(np.array_equal(found, expected))
            if not same_costs(found, expected, squared_distances(x)):
                raise SystemExit(f"{name}: sklearn neighbours differ from numpy beyond the order of ties")
            g.attrs["min_relative_distance_gap"] = min_relative_gap(squared_distances(x))
            if name == "continuous" and not (g.attrs["faiss_neighbours_agree"] and g.attrs["sklearn_neighbours_agree"]):
                raise SystemExit("continuous set: faiss or sklearn neighbours differ from numpy")

            if name == "continuous":
                # Chi-square is not exact in float32: on the continuous set, with a gap check.
                positive = np.abs(x.astype(np.float64))
                chi = -additive_chi2_kernel(positive)
                if min_relative_gap(chi, first=k + 1) <= 1e-5:
                    raise SystemExit("continuous set: chi-square distances too close for float32")
                g.create_dataset("chi_square_neighbours",
                                 data=np.array([row[:k] for row in ranked_lists(chi)], dtype=np.int64))
                g.attrs["min_relative_chi_square_gap"] = min_relative_gap(chi, first=k + 1)
            if name == "quantized":
                x64 = x.astype(np.float64)
                l1 = np.abs(x64[:, None, :] - x64[None, :, :]).sum(-1)
                l1_expected = np.array([row[:k] for row in ranked_lists(l1)], dtype=np.int64)
                g.create_dataset("l1_neighbours", data=l1_expected)
                found = sklearn_neighbours(x, k, "manhattan")
                g.attrs["sklearn_l1_neighbours_agree"] = np.int64(np.array_equal(found, l1_expected))
                if not same_costs(found, l1_expected, l1):
                    raise SystemExit("quantized set: sklearn L1 neighbours differ from numpy beyond the order of ties")
                w = (rng.integers(-4, 5, size=(x.shape[1], x.shape[1])) * 0.25).astype(np.float32)
                bilinear = -(x64 @ w.astype(np.float64) @ x64.T)
                g.create_dataset("bilinear_weights", data=w)
                g.create_dataset("bilinear_neighbours",
                                 data=np.array([row[:k] for row in ranked_lists(bilinear)], dtype=np.int64))

        x, categories, candidates, triplets = score
        g = f.create_group("score_at_k")
        k = 5
        g.attrs["k"] = np.int64(k)
        g.create_dataset("embeddings", data=x)
        g.create_dataset("categories", data=categories)
        g.create_dataset("candidates", data=candidates)
        g.create_dataset("triplets", data=triplets)
        sim = -squared_distances(x)
        total, counted, contributions = score_at_top_k(sim, categories, candidates, triplets, k)
        g.create_dataset("score", data=np.int64(total))
        g.create_dataset("counted", data=np.int64(counted))
        g.create_dataset("contributions", data=contributions)
        outcomes = np.array([1.0 if sim[q, a] > sim[q, b] else 0.5 if sim[q, a] == sim[q, b] else 0.0
                             for q, a, b in triplets])
        g.create_dataset("outcomes", data=outcomes)
        g.create_dataset("similarity_precision", data=np.float64(outcomes.mean()))
        sub = squared_distances(x[candidates])
        metrics = retrieval_metrics(categories[candidates], ranked_lists(sub), RECALL_KS)
        for key in ("precision_at_1", "r_precision", "map_at_r"):
            g.create_dataset(key, data=np.float64(metrics[key]))
        g.create_dataset("recall_ks", data=np.array(RECALL_KS, dtype=np.int64))
        g.create_dataset("recall_at_k", data=metrics["recall_at_k"])
        print(f"score@{k} = {total} over {counted} of {len(triplets)} triplets")
    print(f"wrote {OUTPUT} ({os.path.getsize(OUTPUT)} bytes)")
    with h5py.File(OUTPUT) as f:
        for name in sets:
            a = f[f"sets/{name}"].attrs
            print(name, {k: (float(v) if k.startswith("min") else int(v)) for k, v in a.items()})
            print("   P@1 %.4f  R-Prec %.4f  MAP@R %.4f  (pml: %.4f %.4f %.4f)" % tuple(
                float(f[f"sets/{name}/{key}"][()]) for key in ("precision_at_1", "r_precision", "map_at_r",
                "pml_precision_at_1", "pml_r_precision", "pml_map_at_r")))


if __name__ == "__main__":
    main()
