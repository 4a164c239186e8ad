"""The ``hylyte`` command line.

Each public module in this package (a name without a leading underscore) defines
``register(app)``, which adds its commands to the one Typer app. Heavy imports stay inside
the command functions, so ``hylyte --help`` is fast.

Exit codes: 0 ok, 1 a hylyte error (bad input, missing file), 2 usage (click's own),
3 a computation did not converge, 130 interrupted.
"""

from __future__ import annotations

import importlib
import pkgutil

import typer

app = typer.Typer(
    name="hylyte",
    help="Design and analysis of inorganic/polymer hybrid solid electrolytes.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
    rich_markup_mode=None,
)


def _register_commands() -> None:
    import hylyte.cli as pkg

    for info in sorted(pkgutil.iter_modules(pkg.__path__), key=lambda m: m.name):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"hylyte.cli.{info.name}")
        module.register(app)


@app.callback(invoke_without_command=True)
def _root(
    ctx: typer.Context,
    version: bool = typer.Option(False, "--version", help="Print the version and exit."),
) -> None:
    """Design and analysis of inorganic/polymer hybrid solid electrolytes."""
    if version:
        from hylyte import __version__

        typer.echo(__version__)
        raise typer.Exit(0)
    if ctx.invoked_subcommand is None:
        typer.echo(ctx.get_help())
        raise typer.Exit(0)


_register_commands()


def main() -> None:
    """Entry point of the ``hylyte`` script."""
    app()


__all__ = ["app", "main"]
