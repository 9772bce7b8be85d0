"""swfacts: facts about social work from Chinese news reports.

Stages, one module each: ingest → normalize → split → segment → (extractors) → store.
"""

__version__ = "0.1.0"
