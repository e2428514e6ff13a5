"""Formatting only: computed figures to page specs, figure cards, charts and routes."""
