"""The one SQLAlchemy ``MetaData`` every view table belongs to."""

from __future__ import annotations

from sqlalchemy import MetaData

metadata = MetaData()
