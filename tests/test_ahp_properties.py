"""Property-based tests of the AHP engine (hypothesis)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.compute.ahp import (
    SAATY_SCALE,
    aggregate_aij,
    analyse,
    fraction_text,
)
from generator.compute.ahp_tree import analyse_tree, tree_to_json
from generator.load.hierarchy import read_hierarchy
from generator.load.judgments import build_matrix, parse_judgment

METHODS = ["eigenvector", "geometric"]


@st.composite
def reciprocal_matrices(draw, min_n=1, max_n=9):
    """A random positive reciprocal matrix with entries on Saaty's scale."""
    n = draw(st.integers(min_n, max_n))
    a = np.ones((n, n))
    for i in range(n):
        for j in range(i + 1, n):
            value = draw(st.sampled_from(SAATY_SCALE))
            a[i, j] = value
            a[j, i] = 1.0 / value
    return a


@st.composite
def positive_weights(draw, min_n=1, max_n=10):
    n = draw(st.integers(min_n, max_n))
    raw = draw(st.lists(st.floats(0.05, 20.0), min_size=n, max_size=n))
    w = np.array(raw)
    return w / w.sum()


def labels_for(n: int) -> list[str]:
    return [f"项{i + 1}" for i in range(n)]


@pytest.mark.parametrize("method", METHODS)
@given(a=reciprocal_matrices())
def test_weights_positive_and_sum_to_one(method, a):
    n = a.shape[0]
    result = analyse(a, labels_for(n), method=method)
    assert all(w > 0 for w in result.weights)
    assert math.isclose(sum(result.weights), 1.0, abs_tol=1e-12)
    # lambda_max >= n for every positive reciprocal matrix, so CI and CR are >= 0.
    assert result.lambda_max >= n - 1e-9
    assert result.ci >= 0 and result.cr >= 0
    assert result.consistent == (result.cr < result.threshold)
    if n >= 3:
        m = result.most_inconsistent
        assert m is not None and m.row < m.col
        assert m.suggested in SAATY_SCALE
        w = result.weights
        worst = max(abs(math.log(a[i, j] * w[j] / w[i])) for i in range(n) for j in range(i + 1, n))
        assert math.isclose(abs(math.log(m.epsilon)), worst, rel_tol=1e-9, abs_tol=1e-12)
    else:
        assert result.cr == 0.0 and result.most_inconsistent is None


@pytest.mark.parametrize("method", METHODS)
@given(w=positive_weights())
def test_consistent_matrix_recovers_weights(method, w):
    n = len(w)
    a = np.outer(w, 1.0 / w)  # a_ij = w_i / w_j
    result = analyse(a, labels_for(n), method=method)
    assert np.allclose(result.weights, w, rtol=1e-9, atol=1e-12)
    assert result.lambda_max == pytest.approx(n, abs=1e-9)
    assert result.cr == pytest.approx(0.0, abs=1e-9)
    assert result.consistent
    if n >= 3:
        assert result.most_inconsistent.epsilon == pytest.approx(1.0, abs=1e-9)


@pytest.mark.parametrize("method", METHODS)
@given(a=reciprocal_matrices(min_n=2), data=st.data())
def test_permuting_rows_and_columns_permutes_weights(method, a, data):
    n = a.shape[0]
    perm = data.draw(st.permutations(range(n)))
    p = np.array(perm)
    labels = labels_for(n)
    original = analyse(a, labels, method=method)
    permuted = analyse(a[np.ix_(p, p)], [labels[k] for k in perm], method=method)
    assert np.allclose(permuted.weights, np.array(original.weights)[p], rtol=1e-9, atol=1e-12)
    assert permuted.cr == pytest.approx(original.cr, rel=1e-9, abs=1e-12)
    assert dict(zip(permuted.labels, permuted.weights)) == pytest.approx(
        dict(zip(original.labels, original.weights)), rel=1e-9, abs=1e-12)


@given(st.integers(1, 8).flatmap(
    lambda n: st.lists(reciprocal_matrices(min_n=n, max_n=n), min_size=1, max_size=5)))
def test_aij_aggregate_of_reciprocal_matrices_is_reciprocal(matrices):
    g = aggregate_aij(matrices)
    assert np.allclose(g * g.T, 1.0, rtol=0, atol=1e-12)
    assert np.allclose(np.diag(g), 1.0, rtol=0, atol=1e-15)
    expected = np.prod(np.stack(matrices), axis=0) ** (1.0 / len(matrices))
    assert np.allclose(g, expected, rtol=1e-12)
    # The aggregate can be analysed like any reciprocal matrix.
    analyse(g, labels_for(g.shape[0]))


@given(a=reciprocal_matrices())
def test_upper_triangle_text_round_trip(a):
    """Writing a matrix's upper triangle as the user would gives the same matrix."""
    n = a.shape[0]
    rows = [[fraction_text(a[i, j]) for j in range(i, n)] for i in range(n)]
    build = build_matrix(rows, n)
    assert build.errors == () and build.warnings == ()
    assert np.allclose(build.matrix, a, rtol=1e-12)


@given(value=st.sampled_from(SAATY_SCALE))
def test_fraction_text_parses_back(value):
    assert parse_judgment(fraction_text(value)) == pytest.approx(value, rel=1e-12)


junk = st.recursive(
    st.none() | st.booleans() | st.integers(-5, 20) | st.floats(allow_nan=True) | st.text(max_size=5),
    lambda children: st.lists(children, max_size=5) | st.dictionaries(st.text(max_size=3), children, max_size=3),
    max_leaves=30,
)


@settings(max_examples=200)
@given(rows=junk, n=st.none() | st.integers(0, 6))
def test_build_matrix_never_raises(rows, n):
    build = build_matrix(rows, n)
    assert (build.matrix is None) == bool(build.errors)


_KEYS = ["labels", "matrix", "children", "raters", "dimensions", "indicators", "code", "name",
         "method", "ri", "cr_threshold", "title"]
_LABELS = ["甲", "乙", "丙"]
_cells = st.none() | st.sampled_from(["1", "3", "1/3", "", "x", "0", 2, 0.5, 9.0, -1, True])
_rows = st.lists(st.lists(_cells, max_size=4), max_size=4)
structured = st.recursive(
    junk | _rows | st.lists(st.sampled_from(_LABELS), max_size=4),
    lambda children: st.dictionaries(st.sampled_from(_KEYS + _LABELS), children, max_size=6)
    | st.lists(children, max_size=3),
    max_leaves=40,
)


@settings(max_examples=300)
@given(data=structured)
def test_analyse_tree_never_raises(data):
    tree = analyse_tree(read_hierarchy(data))
    tree_to_json(tree)
