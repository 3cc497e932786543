"""One URL chooses the store: ``sqlite:///path`` or ``postgresql://user[:pw]@host:port/db``.

The library's settings are pinned here, from the URL alone, so nothing in the
operating-system environment can change where or how events are written.
"""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

DEFAULT_URL = "sqlite:///perfledger.db"
SQLITE_RECORDER = "ledger.store.sqlite:ChainedSQLiteApplicationRecorder"
POSTGRES_RECORDER = "ledger.store.postgres:ChainedPostgresApplicationRecorder"


class StoreURLError(ValueError):
    pass


@dataclass(frozen=True)
class StoreConfig:
    url: str
    backend: str  # "sqlite" | "postgres"
    env: dict[str, str]
    sqlalchemy_url: str
    schema: str | None = None
    path: Path | None = None

    @property
    def display(self) -> str:
        """The URL without any password, for messages."""
        parts = urlsplit(self.url)
        if parts.password:
            netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
            return parts._replace(netloc=netloc).geturl()
        return self.url


def parse_store_url(url: str) -> StoreConfig:
    url = url.strip()
    if url.startswith("sqlite:///"):
        raw = url[len("sqlite:///") :]
        if not raw or raw.startswith("?"):
            raise StoreURLError(f"bad --db {url!r}: name a file, e.g. sqlite:///perfledger.db")
        path = Path(unquote(raw))
        env = {
            "PERSISTENCE_MODULE": "eventsourcing.sqlite",
            "SQLITE_DBNAME": str(path),
            "SQLITE_LOCK_TIMEOUT": "30",
            "APPLICATION_RECORDER_TOPIC": SQLITE_RECORDER,
            "CREATE_TABLE": "y",
        }
        return StoreConfig(url, "sqlite", env, f"sqlite:///{path}", path=path)
    if url.startswith(("postgresql://", "postgres://")):
        if importlib.util.find_spec("psycopg") is None:
            raise StoreURLError(
                "PostgreSQL needs its driver, psycopg, which is not installed: "
                "pip install 'perfledger[postgres]' (from a checkout: pip install -e '.[postgres]')"
            )
        parts = urlsplit(url)
        dbname = parts.path.lstrip("/")
        if not parts.hostname or not dbname:
            raise StoreURLError(
                f"bad --db {url!r}: use postgresql://user[:password]@host:port/dbname"
            )
        query = parse_qs(parts.query)
        schema = (query.get("schema") or [""])[0] or None
        user = unquote(parts.username or "postgres")
        password = unquote(parts.password or "")
        port = str(parts.port or 5432)
        env = {
            "PERSISTENCE_MODULE": "eventsourcing.postgres",
            "POSTGRES_DBNAME": dbname,
            "POSTGRES_HOST": parts.hostname,
            "POSTGRES_PORT": port,
            "POSTGRES_USER": user,
            "POSTGRES_PASSWORD": password,
            "POSTGRES_SCHEMA": schema or "",
            "POSTGRES_ENABLE_DB_FUNCTIONS": "n",
            "POSTGRES_LOCK_TIMEOUT": "30",
            "POSTGRES_IDLE_IN_TRANSACTION_SESSION_TIMEOUT": "60",
            "POSTGRES_CONNECT_TIMEOUT": "10",
            "POSTGRES_POOL_SIZE": "2",
            "POSTGRES_MAX_OVERFLOW": "4",
            "APPLICATION_RECORDER_TOPIC": POSTGRES_RECORDER,
            "CREATE_TABLE": "y",
        }
        auth = user + (f":{parts.password}" if parts.password else "")
        sa_url = f"postgresql+psycopg://{auth}@{parts.hostname}:{port}/{dbname}"
        return StoreConfig(url, "postgres", env, sa_url, schema=schema)
    raise StoreURLError(
        f"unsupported --db {url!r}: use sqlite:///path or postgresql://user@host:port/dbname"
    )


def sqlite_where(path: Path) -> str:
    """Where a ``sqlite:`` URL's file is, and the rule of the slashes, for messages: three slashes
    (``sqlite:///ledgers/x.db``) name a path relative to the current folder, four
    (``sqlite:////srv/ledgers/x.db``) an absolute one."""
    if path.is_absolute():
        return f"{path} (four slashes, sqlite:////path, name an absolute path)"
    return (f"{Path.cwd() / path} (three slashes, sqlite:///path, name a path relative to the current "
            f"folder, {Path.cwd()}; four, sqlite:////path, an absolute one)")


def unreachable(config: StoreConfig) -> str | None:
    """Why the PostgreSQL server of CONFIG cannot be used now (asked with a 3-second limit), or
    None: the database is missing, the connection refused, the password wrong... in its words."""
    if config.backend != "postgres":
        return None
    import psycopg

    env = config.env
    try:
        psycopg.connect(host=env["POSTGRES_HOST"], port=env["POSTGRES_PORT"], dbname=env["POSTGRES_DBNAME"],
                        user=env["POSTGRES_USER"], password=env["POSTGRES_PASSWORD"] or None,
                        connect_timeout=3).close()
    except psycopg.Error as error:
        lines = [line.strip() for line in str(error).splitlines() if line.strip()]
        reason = next((line for line in lines if "FATAL" in line or "refused" in line),
                      lines[0] if lines else "")
        return reason.replace("FATAL:  ", "").rstrip(".") or type(error).__name__
    return None
