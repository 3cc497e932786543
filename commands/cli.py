"""The perfledger command line: the root group, global options and error handling.

Start-up is kept light (docs/architecture.md, "Start-up"): the groups are loaded when used
(``commands/groups.py``), and the store, the views, SQLAlchemy and eventsourcing only when a
command opens the ledger; ``--help`` and ``--version`` import none of them."""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path
from typing import Any

import click

from commands.groups import GROUPS
from commands.support import log
from commands.support.context import READ_REPLICA, Ledger, default_actor, read_replica
from commands.support.lazy import LazyCommands
from commands.support.output import finish_output
from commands.support.words import cli_words, message
from ledger.errors import LedgerError, Problems, Unproven
from ledger.store.url import DEFAULT_URL, StoreURLError, unreachable

NAME_LIMIT = 200  # characters in a person's name
CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


def configure_logging(verbose: bool) -> None:
    """structlog to stderr (console on a TTY, JSON lines otherwise), set up at the first line logged."""
    log.configure(verbose)


class Refusal(click.ClickException):
    """A one-line refusal on stderr, exit 1."""

    def show(self, file: Any = None) -> None:
        click.echo(f"error: {self.message}", err=True)


def _act(group: click.Group, words: list[str]) -> tuple[str, list[str]]:
    """The command words ("adjust approve") and the arguments after them."""
    path: list[str] = []
    command: click.Command | None = group
    rest = list(words)
    while isinstance(command, click.Group) and rest and rest[0] in command.commands:
        path.append(rest[0])
        command = command.commands[rest.pop(0)]
    return " ".join(path), rest


def _concerned(ctx: click.Context, group: click.Group, words: list[str]
               ) -> tuple[str | None, str | None, tuple[str, str] | None]:
    """The indicator and period a refused command named (its CODE and PERIOD), or the id it named
    (an adjustment's, a query's, ...: (argument, id)), for the refusal's event: read by parsing its
    words again, never by running it."""
    command: click.Command | None = group
    rest, parent = list(words), ctx
    while isinstance(command, click.Group) and rest and rest[0] in command.commands:
        name = rest.pop(0)
        command = command.commands[name]
        if isinstance(command, click.Group):
            continue
        try:
            parsed = command.make_context(name, list(rest), parent=parent, resilient_parsing=True)
        except click.ClickException:
            return None, None, None
        code = parsed.params.get("code") or parsed.params.get("indicator")
        period = parsed.params.get("period")
        from ledger.app.concerns import BY_ID  # a refusal is being recorded: the ledger is open

        named = next(((k, v) for k, v in parsed.params.items() if k in BY_ID and isinstance(v, str)), None)
        return (str(code) if isinstance(code, str) else None), (
            str(period) if period is not None else None), named
    return None, None, None


def _undecodable(words: list[str]) -> str | None:
    """Why an argument is not text (None: every one is): bytes the locale could not decode reach
    Python as lone surrogates, which no store, hash or file can take - a usage error, before
    anything is parsed or opened."""
    for number, word in enumerate(words, start=1):
        try:
            word.encode("utf-8")
        except UnicodeEncodeError:
            shown = word.encode("utf-8", "backslashreplace").decode("utf-8")
            return (f"argument {number} ({shown}) is not valid text: it holds bytes that are not UTF-8; "
                    "write it in UTF-8 (check the terminal's or the script's encoding)")
    return None


class LedgerGroup(click.Group):
    """Turns the ledger's refusals into one line and exit 1; never a traceback for user errors."""

    def main(
        self, args: Any = None, prog_name: str | None = None, complete_var: str | None = None,
        standalone_mode: bool = True, **extra: Any,
    ) -> Any:
        undecodable = _undecodable(sys.argv[1:] if args is None else list(args))
        if undecodable is not None:
            click.echo(f"error: {undecodable}", err=True)
            sys.exit(2)
        try:
            result = super().main(args, prog_name or "perfledger", complete_var,
                                  standalone_mode=False, **extra)
        except click.UsageError as error:
            hint = f" (see {error.ctx.command_path} --help)" if error.ctx else ""
            click.echo(f"error: {error.format_message()}{hint}", err=True)
            sys.exit(2)
        except click.ClickException as error:
            error.show()
            sys.exit(error.exit_code)
        except click.Abort:
            click.echo("aborted", err=True)
            sys.exit(1)
        sys.exit(result if isinstance(result, int) else 0)

    def _record_refusal(self, ctx: click.Context, words: list[str], error: LedgerError) -> None:
        """A refusal by a control is evidence: one event records who tried what (issue #6)."""
        ledger = ctx.obj
        if not isinstance(ledger, Ledger) or error.control is None or not getattr(error, "recorded", True):
            return  # a refused read changes nothing, the ledger included
        actor = ledger.actor
        if isinstance(error, Unproven):  # recorded under the login's person, or not at all
            if error.record_as is None:
                return
            actor = error.record_as
        from ledger.app.concerns import concerned

        act, arguments = _act(self, words)
        indicator, period, named = _concerned(ctx, self, words)
        try:
            app = ledger.open()
            if indicator is None and named is not None:
                indicator, period = concerned(app.core, *named)
            app.core.record_refusal(actor, act, arguments, error.control, message(error), indicator, period)
            ledger.catch_up()
        except Exception as failure:  # the refusal itself must still be reported
            why = "this database is a read replica (a hot standby)" if read_replica(failure) else failure
            click.echo(f"warning: the refusal could not be recorded ({why})", err=True)

    def invoke(self, ctx: click.Context) -> Any:
        words = [*getattr(ctx, "_protected_args", []), *ctx.args]
        try:
            result = super().invoke(ctx)
            finish_output(ctx)  # the command succeeded: its --output file, written whole
            return result
        except Problems as error:
            for problem in error.problems:
                click.echo(f"error: {cli_words(problem)}", err=True)
            raise Refusal(message(error)) from None
        except (LedgerError, StoreURLError) as error:
            if isinstance(error, LedgerError) and error.control is not None:
                self._record_refusal(ctx, words, error)
            raise Refusal(message(error) if isinstance(error, LedgerError) else str(error)) from None
        except sqlite3.DatabaseError as error:
            raise Refusal(f"the --db file is not a perfledger ledger, or is damaged (SQLite: {error}): check "
                          "--db, or restore the file from a backup") from None
        except Exception as error:
            if "eventsourcing" not in sys.modules:  # no store was opened: not one of its errors
                raise
            _store_refusal(ctx, error)
            raise

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The groups' lines, written from ``commands/groups.py`` without importing them."""
        if not isinstance(self.commands, LazyCommands):
            super().format_commands(ctx, formatter)
            return
        lazy = self.commands
        names = [name for name in self.list_commands(ctx) if not lazy.hidden(name)]
        if names:
            limit = formatter.width - 6 - max(len(name) for name in names)
            with formatter.section("Commands"):
                formatter.write_dl([(name, lazy.short_help(name, limit)) for name in names])


def _store_refusal(ctx: click.Context, error: Exception) -> None:
    """Raise the one-line refusal for an error of the event store (eventsourcing), if ERROR is one."""
    from eventsourcing.persistence import MapperDeserialisationError, PersistenceError

    if isinstance(error, MapperDeserialisationError):
        raise Refusal(
            "a stored event could not be read: the ledger may have been tampered with; "
            "run perfledger audit verify"
        ) from None
    if isinstance(error, PersistenceError):
        first = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        ledger = ctx.obj
        why = unreachable(ledger.config) if isinstance(ledger, Ledger) and "connection" in first else None
        if why is not None:
            raise Refusal(f"cannot reach the ledger's PostgreSQL database ({why}): check --db") from None
        if read_replica(error):
            raise Refusal(READ_REPLICA) from None
        raise Refusal(f"the ledger database could not be used ({first}): check --db") from None


@click.group(cls=LedgerGroup, context_settings=CONTEXT)
@click.option("--db", envvar="PERFLEDGER_DB", default=DEFAULT_URL, show_default=True, metavar="URL",
              help="sqlite:///path or postgresql://user[:password]@host:port/dbname[?schema=S]. "
                   "Three slashes name a file relative to the current folder (sqlite:///ledgers/x.db), "
                   "four an absolute path (sqlite:////srv/ledgers/x.db).")
@click.option("--actor", envvar="PERFLEDGER_ACTOR", default=None, metavar="NAME",
              help="Who is acting (default: your login name); must be on the roster.")
@click.option("--key", envvar="PERFLEDGER_KEY", default=None, metavar="FILE",
              type=click.Path(dir_okay=False, path_type=Path),
              help="Your Ed25519 private key (from key new): on a ledger with signed identity, every "
                   "write by a person with an enrolled key must be signed with it.")
@click.option("-v", "--verbose", is_flag=True, help="Log each action on stderr.")
@click.version_option(package_name="perfledger")
@click.pass_context
def cli(ctx: click.Context, db: str, actor: str | None, key: Path | None, verbose: bool) -> None:
    """perfledger: an audit-first, hash-chained ledger of performance data.

    Every return, target, adjustment and designation is an immutable event;
    reports can be regenerated exactly as they stood at any past date.
    """
    configure_logging(verbose)
    if actor is not None and len(actor) > NAME_LIMIT:
        raise Refusal(f"--actor: a name is at most {NAME_LIMIT} characters (this one is {len(actor):,})")
    ledger = Ledger(db, actor or default_actor(), claimed=actor is not None, key=key)
    ctx.obj = ctx.with_resource(_closing(ledger))


class _closing:
    def __init__(self, ledger: Ledger) -> None:
        self.ledger = ledger

    def __enter__(self) -> Ledger:
        return self.ledger

    def __exit__(self, *_: object) -> None:
        self.ledger.close()


cli.commands = LazyCommands(GROUPS)


def main() -> None:
    cli(prog_name="perfledger")


if __name__ == "__main__":
    main()
