"""Search: a question in, the passages that answer it and the span that does, with citations.

The pipeline (pipeline.py) strings small stages together: candidates.py (dense, keyword), meetings.py
(which meetings a question names), rank.py (fusion and what the question names), facts.py (the business
of a meeting answered from what ingest read), span.py (the shortest span that answers). Every knob is in
settings.py.
"""
from index.search.pipeline import Searcher
from index.search.settings import DEFAULT, Settings
from index.search.types import Answer, Filters, Passage, Result

__all__ = ["Answer", "DEFAULT", "Filters", "Passage", "Result", "Searcher", "Settings"]
