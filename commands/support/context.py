"""The object every command receives: the store, the views, the actor, rendering.

Light at import (docs/architecture.md, "Start-up"): the store, the views and SQLAlchemy are
imported when a command first opens them, never when the CLI starts or shows its help."""

from __future__ import annotations

import getpass
import os
import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from commands.support import log
from ledger.errors import Invalid, NotInitialised
from ledger.store.url import StoreConfig, parse_store_url, sqlite_where, unreachable
from ledger.values import format_utc
from policies import authorisation
from policies.authorisation import Act

if TYPE_CHECKING:
    from sqlalchemy import Connection, Engine

    from ledger.app import LedgerApp
    from projections.catchup.runner import ViewsDiverged


def default_actor() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # pragma: no cover - no login name at all
        return "unknown"


class Ledger:
    """Lazily opens the event store and the views for the URL given by --db."""

    def __init__(self, url: str, actor: str, *, claimed: bool = True, key: Path | None = None) -> None:
        self.config: StoreConfig = parse_store_url(url)
        self.actor = actor
        self.claimed = claimed  # --actor (or PERFLEDGER_ACTOR) was given, not the login name
        self.key = key
        self._app: LedgerApp | None = None
        self._engine: Engine | None = None

    def use(self, url: str) -> None:
        """Point at another ledger (closing whatever was opened on the present one)."""
        self.close()
        self.config = parse_store_url(url)
        self._app = None
        self._engine = None

    def open(self, *, create: bool = False) -> LedgerApp:
        if self._app is None:
            path = self.config.path
            if not create and path is not None and not Path(path).exists():
                raise NotInitialised(f"no ledger at {self.config.display}, which is {sqlite_where(path)}: "
                                     "run perfledger init (or pass --db)")
            if create and path is not None and not path.absolute().parent.is_dir():
                folder = path.absolute().parent
                raise Invalid(f"no folder {folder} for the ledger file: {self.config.display} is "
                              f"{sqlite_where(path)}; create the folder, or correct --db")
            why = unreachable(self.config)  # PostgreSQL: why not, within 3 seconds, before the pool waits
            if why is not None:
                raise Invalid(f"cannot reach the ledger's PostgreSQL database ({why}): check --db")
            from ledger.app import LedgerApp

            try:
                app = self._app = LedgerApp(self.config)
            except sqlite3.DatabaseError as error:
                raise Invalid(f"{self.config.display} is not a perfledger ledger, or is damaged "
                              f"(SQLite: {error}): check --db, or restore the file from a backup") from None
            notice = app.core.store.migration.notice  # a ledger made by an earlier build, brought up to date
            if notice is not None:
                click.echo(f"notice: {notice}", err=True)
            if self.key is not None:
                app.core.identity.hold_file(self.key)
            self.actor = app.core.acting(self.actor, self.claimed)  # PostgreSQL: the login may decide
        return self._app

    @property
    def app(self) -> LedgerApp:
        return self.open()

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            from sqlalchemy.exc import DBAPIError

            from projections.catchup.engine import make_engine

            try:
                self._engine = make_engine(self.config)
            except DBAPIError as error:
                if not may_not_write(error):
                    raise
                raise Invalid("this login may only read, and this ledger's views are missing or of an "
                              "older shape: a login that may write (the ledger's owner) must build them "
                              "first, with any command (or perfledger projections rebuild)") from None
        return self._engine

    def ready(self) -> LedgerApp:
        """The app of an initialised ledger (refuses otherwise)."""
        app = self.open()
        app.core.settings()
        return app

    def authorised(self, act: Act = Act.READ) -> LedgerApp:
        """The app, once the actor is known to hold a role granting ACT: the one place a command
        checks what reaches the read side (writes are checked by the application's use cases)."""
        app = self.ready()
        app.core.authorise(self.actor, act)
        return app

    def read(self, act: Act = Act.READ) -> Connection:
        """Check the actor may read, bring the views up to date, and open a connection; refuse
        (one line, exit 1) when the views no longer follow the ledger's events. Views already up to
        date are not written to, so a login that may only read reads them; behind, it reads them as
        they stand, told so in one line."""
        quick = self._glanced(act)
        if quick is not None:
            return quick
        from projections.catchup.runner import ViewsDiverged, catch_up, check_follows, lag

        self.authorised(act)
        core = self.app.core
        try:
            check_follows(self.engine, core)
            seen, size = lag(self.engine, core)
            if seen < size and not self._followed_to(size):
                catch_up(self.engine, core)
        except ViewsDiverged as error:
            raise Invalid(diverged(error)) from None
        except Invalid:
            raise
        except Exception as error:
            if not may_not_write(error):
                self._not_caught_up(error)
                return self.engine.connect()
            seen, size = lag(self.engine, core)
            if read_replica(error):
                click.echo(f"notice: this database is a read replica (a hot standby): its views stand at "
                           f"position {seen} of the ledger's {size}, so what was recorded after position "
                           f"{seen} is not shown; they follow once the primary's views do (projections "
                           "follow, or any command there)", err=True)
            else:
                click.echo(f"notice: this login may only read: the views stand at position {seen} of the "
                           f"ledger's {size}, so what was recorded after position {seen} is not shown; a "
                           "login that may write (the ledger's owner) brings them up to date with any "
                           "command", err=True)
        return self.engine.connect()

    def _glanced(self, act: Act) -> Connection | None:
        """A read of a SQLite ledger whose views stand at its head, opened without the application
        (``projections/catchup/glance.py``): the roles are the views', which at the head are the
        roster's. None for anything else - a key given, PostgreSQL (its login may decide who acts),
        views behind, an actor without a role that grants ACT - and the full path decides."""
        if self._app is not None or self.key is not None or self.config.backend != "sqlite":
            return None
        path = self.config.path
        if path is None:
            return None
        from projections.catchup.glance import current_roles
        from projections.schema import SCHEMA_VERSION

        roles = current_roles(path, self.actor, SCHEMA_VERSION)
        if roles is None or not authorisation.may(roles, act):
            return None
        return self.engine.connect()

    def report_time(self, as_at: datetime | None) -> datetime:
        """The time a report is as at: --as-at, or the ledger's time now. A time the ledger has not
        reached yet would let the same command give different bytes later the same day, so it is
        reported as at now, with a note naming that time (give it to regenerate the same bytes)."""
        # The store's clock once the application is open (a test may set its own); before that, a
        # read that glanced (no application) takes the clock the store would (chain.utc_now).
        now = self.app.core.store.clock() if self._app is not None else datetime.now(UTC)
        if as_at is None:
            return now
        if as_at > now:
            click.echo(f"note: --as-at {format_utc(as_at)} has not been reached: reported as at "
                       f"{format_utc(now)}, the ledger's time now (give --as-at {format_utc(now)} to "
                       "regenerate these bytes)", err=True)
            return now
        return as_at

    def _followed_to(self, position: int) -> bool:
        """With ``projections follow`` running (PostgreSQL), wait for it to apply POSITION rather
        than fold events here: True once it has; False (say why) if none runs or it is too slow."""
        from projections.catchup.follow import follower_live, wait_for

        if self.config.backend != "postgres" or not follower_live(self.engine):
            return False
        timeout = follow_wait()
        seen = wait_for(self.engine, position, timeout)
        if seen >= position:
            return True
        click.echo(f"notice: the projections follower had not applied position {position} after "
                   f"{timeout:g} s (the views stand at {seen}): caught up here instead", err=True)
        return False

    def current(self) -> None:
        """Before a read: the views up to the log's head now (every write before it, this process's
        own included), by the follower if one runs, else here."""
        from projections.catchup.runner import lag

        core = self.app.core
        seen, size = lag(self.engine, core)
        if seen < size and not self._followed_to(size):
            self.catch_up()

    def catch_up(self, progress: Callable[[int], None] | None = None) -> int:
        """After a write, bring the views up to date; a failure here is a warning, never a lost
        write. With ``projections follow`` running, left to it (reads wait for it: ``read``)."""
        from projections.catchup.follow import follower_live
        from projections.catchup.runner import ViewsDiverged, catch_up

        try:
            if self.config.backend == "postgres" and follower_live(self.engine):
                return 0
            return catch_up(self.engine, self.app.core, progress)
        except ViewsDiverged as error:
            click.echo(f"warning: the events were saved, but the views cannot follow the ledger: "
                       f"{diverged(error)}", err=True)
            return 0
        except Exception as error:
            self._not_caught_up(error)
            return 0

    def _not_caught_up(self, error: Exception) -> None:
        first = (str(error).strip().splitlines() or [type(error).__name__])[0]
        log.logger().warning("views_not_caught_up", error=first)
        click.echo(f"warning: the events were saved, but the views could not catch up ({first}); "
                   "the next command will retry", err=True)

    def close(self) -> None:
        if self._engine is not None:
            self._engine.dispose()
        if self._app is not None:
            self._app.close()


FOLLOW_WAIT = "PERFLEDGER_FOLLOW_WAIT"


def follow_wait() -> float:
    """How long a read waits for the projections follower (seconds; PERFLEDGER_FOLLOW_WAIT, default 10)."""
    given = os.environ.get(FOLLOW_WAIT, "").strip()
    if not given:
        return 10.0
    try:
        seconds = float(given)
    except ValueError:
        seconds = -1.0
    if not 0 <= seconds <= 3600:
        raise Invalid(f"{FOLLOW_WAIT}={given!r} is not a number of seconds from 0 to 3600: set it to e.g. 10")
    return seconds


def may_not_write(error: BaseException) -> bool:
    """Whether ERROR is the database refusing this login a write (PostgreSQL's insufficient
    privilege or a read replica, SQLite's read-only file)."""
    cause = getattr(error, "orig", None) or error
    # 42501: insufficient privilege; 25006: a read-only transaction (a hot standby, a read replica)
    return sqlstate(error) in ("42501", "25006") or "readonly database" in str(cause)


def read_replica(error: BaseException) -> bool:
    """Whether ERROR is a hot standby (a read replica) refusing a write: SQLSTATE 25006."""
    return sqlstate(error) == "25006"


def sqlstate(error: BaseException) -> str | None:
    """The driver's SQLSTATE behind ERROR (SQLAlchemy's ``.orig``, eventsourcing's cause), if any."""
    seen: BaseException | None = error
    for _ in range(4):
        if seen is None:
            return None
        found = getattr(seen, "sqlstate", None)
        if found is not None:
            return str(found)
        seen = getattr(seen, "orig", None) or seen.__cause__ or seen.__context__
    return None


READ_REPLICA = ("this database is a read replica (a hot standby) and takes no writes: run the command "
                "against the primary (give --db its URL)")


def diverged(error: ViewsDiverged) -> str:
    """Why the views cannot be read, in the CLI's words: what they applied, what the log holds."""
    if error.replaced:
        what = (f"the event at position {error.seen}, the last the views applied, is not the one they "
                f"applied (the ledger's events now end at position {error.size})")
    else:
        what = (f"the views have applied the ledger's events up to position {error.seen}, but its events now "
                f"end at position {error.size}")
    return (f"{what}: events were removed from the end of the log (truncated, or an older copy restored), "
            "and reads would show what it no longer holds and omit what was written since; run perfledger "
            "audit verify (against a digest you kept), then perfledger projections rebuild")


pass_ledger = click.make_pass_decorator(Ledger)


def done(ledger: Ledger, message: str, **fields: Any) -> None:
    """After a write: catch the views up, log, and tell the user on stderr."""
    ledger.catch_up()
    log.logger().info(message.split(":")[0].replace(" ", "_"), actor=ledger.actor, **fields)
    click.echo(message, err=True)
