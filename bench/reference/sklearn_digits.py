#!/usr/bin/python3
"""scikit-learn's LogisticRegression on exactly our digits, the reference of lib/ml's SoftmaxRegression.

Reads build/reference/digits/ (written by bench/reference/digits_export.ts: our seeded 8000/2000 split as float32
pixels), fits LogisticRegression(C=1, solver="lbfgs", tol=1e-4) on the first n training digits for each n of
DIGIT_SIZES, and writes bench/fixtures/sklearn_digits.json: test accuracy, the objective at the solution (mean
cross-entropy + |W|^2 / (2 C n), the one lib/ml minimises), iterations and fit time.

Regenerate (Debian's python with python3-sklearn):
    deno task ref:ml

With --bench it instead prints (JSON) the best of 2 fit times on all 8000 training digits, for bench/ml_bench.ts.
"""
import json
import pathlib
import sys
import time

import numpy as np
import sklearn
from sklearn.linear_model import LogisticRegression

ROOT = pathlib.Path(__file__).resolve().parents[2]
DIGITS = ROOT / "build" / "reference" / "digits"
OUT = ROOT / "bench" / "fixtures" / "sklearn_digits.json"
SIZES = [100, 300, 1000, 3000, 8000]  # DIGIT_SIZES in digits_export.ts
C, TOL = 1.0, 1e-4


def load():
    labels = json.loads((DIGITS / "labels.json").read_text())
    train = np.fromfile(DIGITS / "train.f32", dtype="<f4").astype(np.float64).reshape(-1, 784)
    test = np.fromfile(DIGITS / "test.f32", dtype="<f4").astype(np.float64).reshape(-1, 784)
    return labels["seed"], train, np.array(labels["train"]), test, np.array(labels["test"])


def fit(X, y):
    return LogisticRegression(C=C, tol=TOL, max_iter=1000).fit(X, y)


def objective(model, X, y):
    z = X @ model.coef_.T + model.intercept_
    z -= z.max(axis=1, keepdims=True)
    log_p = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
    n = len(y)
    return float(-log_p[np.arange(n), y].mean() + (model.coef_ ** 2).sum() / (2 * C * n))


def main():
    seed, Xtr, ytr, Xte, yte = load()
    rows = []
    for n in SIZES:
        start = time.perf_counter()
        model = fit(Xtr[:n], ytr[:n])
        seconds = time.perf_counter() - start
        rows.append({
            "n": n,
            "accuracy": float(model.score(Xte, yte)),
            "objective": objective(model, Xtr[:n], ytr[:n]),
            "iterations": int(model.n_iter_[0]),
            "fit_s": round(seconds, 3),
        })
        print(json.dumps(rows[-1]))
    OUT.write_text(json.dumps({"sklearn": sklearn.__version__, "seed": seed, "C": C, "tol": TOL, "rows": rows}, indent=1) + "\n")
    print(f"wrote {OUT}")


def bench():
    _, Xtr, ytr, _, _ = load()
    times = []
    for _ in range(2):
        start = time.perf_counter()
        model = fit(Xtr, ytr)
        times.append(time.perf_counter() - start)
    print(json.dumps({"sklearn": sklearn.__version__, "softmax_digits_s": min(times), "iterations": int(model.n_iter_[0])}))


if __name__ == "__main__":
    bench() if "--bench" in sys.argv else main()
