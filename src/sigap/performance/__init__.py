"""Daily reports, task assignments, supervisor review, monthly performance."""
