"""Storage: SQLAlchemy models, repositories and Alembic migrations. The database is the single source of truth."""
