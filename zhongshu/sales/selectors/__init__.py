"""Reads of sales and receivables: document lists and the document flow
(``documents``), receivables reports (``receivables``), counter sales
(``retail``)."""
