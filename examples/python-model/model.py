#!/usr/bin/env python3
"""A model written in Python (numpy only), served by Palladium-TS through ExternalModel.

It speaks the JSON-lines protocol of docs/external-models.md on stdin/stdout: one request per line,
one answer per line, with the request's id. Logs go to stderr (stdout is the protocol).

Classifier: nearest centroid on standardised features, probabilities from a softmax of the negative
squared distances. Regressor: least squares with a small ridge (`alpha` in the config's `params`).
The fitted state travels as the bytes of an .npz file (no pickle), base64 in the protocol.
"""
import base64
import io
import json
import sys

import numpy as np


class Model:
    def __init__(self):
        self.arrays = None

    def fit(self, X, y, kind, params):
        if kind == "classifier":
            y = np.asarray(y)
            classes = np.unique(y)
            mean, scale = X.mean(axis=0), X.std(axis=0) + 1e-12
            Z = (X - mean) / scale
            centroids = np.stack([Z[y == c].mean(axis=0) for c in classes])
            self.arrays = {"kind": np.array(kind), "classes": classes, "mean": mean, "scale": scale, "centroids": centroids}
            return {"classes": classes.tolist()}
        A = np.hstack([X, np.ones((len(X), 1))])
        alpha = float(params.get("alpha", 1e-6))
        coef = np.linalg.solve(A.T @ A + alpha * np.eye(A.shape[1]), A.T @ np.asarray(y, dtype=float))
        self.arrays = {"kind": np.array(kind), "coef": coef}
        return {}

    def predict(self, X):
        if str(self.arrays["kind"]) == "regressor":
            return (np.hstack([X, np.ones((len(X), 1))]) @ self.arrays["coef"]).tolist()
        codes = self._distances(X).argmin(axis=1)
        return self.arrays["classes"][codes].tolist()

    def predict_proba(self, X):
        if str(self.arrays["kind"]) == "regressor":
            raise ValueError("predict_proba needs a classifier")
        logits = -self._distances(X)
        logits -= logits.max(axis=1, keepdims=True)
        p = np.exp(logits)
        return (p / p.sum(axis=1, keepdims=True)).tolist()

    def save(self):
        buffer = io.BytesIO()
        np.savez(buffer, **self.arrays)
        return base64.b64encode(buffer.getvalue()).decode("ascii")

    def load(self, state):
        with np.load(io.BytesIO(base64.b64decode(state)), allow_pickle=False) as npz:
            self.arrays = {name: npz[name] for name in npz.files}

    def _distances(self, X):
        Z = (X - self.arrays["mean"]) / self.arrays["scale"]
        return ((Z[:, None, :] - self.arrays["centroids"][None, :, :]) ** 2).sum(axis=2)


def matrix(columns):
    """The protocol's X (an object of columns) as a float matrix; a missing or text value is an error naming its column."""
    out = []
    for name, values in columns.items():
        if any(v is None for v in values):
            raise ValueError(f"column '{name}' has missing values; impute them first")
        try:
            out.append(np.asarray(values, dtype=float))
        except ValueError:
            raise ValueError(f"column '{name}' is not numeric") from None
    return np.stack(out, axis=1) if out else np.zeros((0, 0))


def handle(model, request):
    op = request["op"]
    if op == "fit":
        return model.fit(matrix(request["X"]), request["y"], request.get("type", "classifier"), request.get("params") or {})
    if op == "predict":
        return {"predictions": model.predict(matrix(request["X"]))}
    if op == "predict_proba":
        return {"probabilities": model.predict_proba(matrix(request["X"]))}
    if op == "save":
        return {"state": model.save()}
    if op == "load":
        model.load(request["state"])
        return {}
    raise ValueError(f"unknown op '{op}'")


def main():
    model = Model()
    # Ends when stdin closes: the server or `pld` that started this process is gone.
    for line in sys.stdin:
        if not line.strip():
            continue
        request = json.loads(line)
        try:
            answer = {"id": request.get("id"), "result": handle(model, request)}
        except Exception as error:  # every failure goes back as this request's error
            answer = {"id": request.get("id"), "error": f"{type(error).__name__}: {error}"}
        sys.stdout.write(json.dumps(answer, allow_nan=False) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
