"""Pure computations on a scoped branch: AHP, scores, honor rolls, the practices' figures."""
