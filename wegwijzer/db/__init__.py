"""The database: SQLAlchemy 2 models and sessions (SQLite by default,
any SQLAlchemy URL through DATABASE_URL). Migrations live in migrations/."""
