#!/usr/bin/python3
"""scikit-learn's counterparts of lib/ml, fitted on exactly our splits and features.

Reads bench/fixtures/classic_features.json (written by bench/reference/classic_features.ts: our split indices,
our standardised penguins/iris features, the cars table, and the spam vocabulary learned by our CountVectorizer),
rebuilds the spam count rows from the same npm package with the same tokeniser (and checks every row sum against
ours), fits scikit-learn models with matching hyper-parameters and writes bench/fixtures/sklearn_classic.json.

Regenerate (Debian's python with python3-sklearn, not the pyenv one):
    deno task ref:ml
    # = deno run -A bench/reference/classic_features.ts && /usr/bin/python3 bench/reference/sklearn_classic.py

With --bench it instead prints fit times (JSON) of a 100-tree random forest on penguins and multinomial naive Bayes
on spam, for bench/ml_bench.ts.
"""
import json
import pathlib
import re
import sys
import time

import numpy as np
import sklearn
from sklearn.cluster import KMeans
from sklearn.decomposition import PCA
from sklearn.ensemble import AdaBoostClassifier, RandomForestClassifier
from sklearn.linear_model import LinearRegression, LogisticRegression
from sklearn.naive_bayes import GaussianNB, MultinomialNB
from sklearn.neighbors import KNeighborsClassifier
from sklearn.svm import LinearSVC
from sklearn.tree import DecisionTreeClassifier

ROOT = pathlib.Path(__file__).resolve().parents[2]
FEATURES = ROOT / "bench" / "fixtures" / "classic_features.json"
OUT = ROOT / "bench" / "fixtures" / "sklearn_classic.json"
SPAM_DIR = ROOT / "node_modules" / "@stdlib" / "datasets-spam-assassin" / "data"

# Same keys and hyper-parameters as MODELS in bench/reference/classic_features.ts.
MODELS = {
    "softmax_regression": lambda: LogisticRegression(C=1.0, max_iter=10000),
    "k_neighbors": lambda: KNeighborsClassifier(n_neighbors=5),
    "gaussian_nb": lambda: GaussianNB(),
    "decision_tree": lambda: DecisionTreeClassifier(max_depth=3, random_state=0),
    "random_forest": lambda: RandomForestClassifier(n_estimators=100, random_state=0),
    "linear_svm": lambda: LinearSVC(loss="hinge", C=1.0, max_iter=200000, random_state=0),
    "adaboost": lambda: AdaBoostClassifier(DecisionTreeClassifier(max_depth=1), n_estimators=50, algorithm="SAMME"),
}
BINARY_MODELS = {
    "logistic_regression": lambda: LogisticRegression(C=1.0, max_iter=10000),
    "linear_svm": lambda: LinearSVC(loss="hinge", C=1.0, max_iter=200000, random_state=0),
}


def tokenize_email(text):
    """Same as tokenizeEmail in lib/data/spam.ts."""
    cut = text.find("\n\n")
    body = "" if cut < 0 else text[cut + 2:]
    body = re.sub(r"=\r?\n", "", body)
    body = re.sub(r"<[^>]*>", " ", body).lower()
    return re.findall(r"[a-z]{2,20}", body)


def spam_counts(spam):
    files = json.loads((SPAM_DIR / "file_list.json").read_text())
    index = {w: j for j, w in enumerate(spam["vocabulary"])}
    X = np.zeros((len(files), len(index)))
    y = np.zeros(len(files), dtype=int)
    for i, name in enumerate(files):
        message = json.loads((SPAM_DIR / name.replace("txt", "json")).read_text())
        y[i] = 1 if message["group"].startswith("spam") else 0
        for word in tokenize_email(message["text"]):
            j = index.get(word)
            if j is not None:
                X[i, j] += 1
    checksum = int(np.dot(np.arange(1, len(files) + 1), X.sum(axis=1)))
    if checksum != spam["countChecksum"]:
        sys.exit(f"spam count rows differ from ours: checksum {checksum}, ours {spam['countChecksum']}")
    return X, y


def table(split):
    """Standardised train and test rows, computed as in standardised() of classic_features.ts."""
    X, y = np.array(split["X"], dtype=float), np.array(split["y"])
    Z = (X - np.array(split["mean"])) / np.array(split["scale"])
    train, test = split["train"], split["test"]
    return Z[train], y[train], Z[test], y[test]


def scores(split, models):
    Xtr, ytr, Xte, yte = table(split)
    return {name: float(make().fit(Xtr, ytr).score(Xte, yte)) for name, make in models.items()}


def main():
    f = json.loads(FEATURES.read_text())
    result = {"sklearn": sklearn.__version__, "seed": f["seed"], "accuracy": {}, "test_size": {}}
    for name in ("penguins", "iris"):
        result["accuracy"][name] = scores(f[name], MODELS)
        result["test_size"][name] = len(f[name]["test"])
        pca = PCA().fit(table(f[name])[0])
        result.setdefault("pca_explained_variance_ratio", {})[name] = pca.explained_variance_ratio_.tolist()
        kmeans = KMeans(n_clusters=3, n_init=10, random_state=0).fit(table(f[name])[0])
        result.setdefault("kmeans_inertia", {})[name] = float(kmeans.inertia_)
    adelie = dict(f["penguins"])
    adelie["y"] = [1 if v == 0 else 0 for v in adelie["y"]]
    result["accuracy"]["penguins_adelie"] = scores(adelie, BINARY_MODELS)
    result["test_size"]["penguins_adelie"] = len(adelie["test"])
    X, y = spam_counts(f["spam"])
    train, test = f["spam"]["train"], f["spam"]["test"]
    nb = MultinomialNB(alpha=1.0).fit(X[train], y[train])
    result["accuracy"]["spam"] = {"multinomial_nb": float(nb.score(X[test], y[test]))}
    result["test_size"]["spam"] = len(test)
    lr = LinearRegression().fit(np.array(f["cars"]["X"]), np.array(f["cars"]["y"]))
    result["cars_linear_regression"] = {"coef": lr.coef_.tolist(), "intercept": float(lr.intercept_)}
    OUT.write_text(json.dumps(result, indent=1) + "\n")
    print(json.dumps(result["accuracy"], indent=1))
    print(f"wrote {OUT}")


def best_of(fn, repeats):
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def bench():
    f = json.loads(FEATURES.read_text())
    Xtr, ytr, _, _ = table(f["penguins"])
    X, y = spam_counts(f["spam"])
    train = f["spam"]["train"]
    Xs, ys = X[train], y[train]
    print(json.dumps({
        "sklearn": sklearn.__version__,
        "random_forest_penguins_s": best_of(lambda: RandomForestClassifier(n_estimators=100, random_state=0, n_jobs=1).fit(Xtr, ytr), 3),
        "multinomial_nb_spam_s": best_of(lambda: MultinomialNB().fit(Xs, ys), 5),
    }))


if __name__ == "__main__":
    bench() if "--bench" in sys.argv else main()
