"""The site engine behind one adapter (mkdocs), template rendering and atomic output."""
