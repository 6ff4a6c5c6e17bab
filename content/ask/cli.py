"""`tsunagu ask "QUESTION"`: the ward's answers to a question typed in one's own words."""

from __future__ import annotations

import json
from pathlib import Path

import click

from content.ask import AskError, SynonymError, ask
from content.cli import DIR_OPTION
from content.loader import ContentError, load_catalog
from languages import LANGUAGES, reset_language, set_language
from languages import gettext as _


def _messages_language(language: str) -> str:
    """The catalog the CLI speaks for ``language``: やさしい日本語 has none of its own."""
    return "ja" if language == "ja-easy" else language


@click.command()
@click.argument("question")
@click.option(
    "--language",
    type=click.Choice(LANGUAGES),
    default="ja",
    show_default=True,
    help=_("Language of the answers (and of this command's words)."),
)
@click.option("--json", "as_json", is_flag=True, help=_("Print the answer as JSON."))
@DIR_OPTION
def ask_command(question: str, language: str, as_json: bool, root: Path) -> None:
    """Answer QUESTION from the ward's FAQ, guides and lessons (at most three answers)."""
    token = set_language(_messages_language(language))
    try:
        try:
            result = ask(question, language, load_catalog(root))
        except (AskError, ContentError, SynonymError) as exc:
            raise click.ClickException(str(exc)) from exc
        if as_json:
            click.echo(json.dumps(result.as_json(), ensure_ascii=False, indent=2))
            return
        if not result.confident:
            click.echo(
                _(
                    "No sure answer to this question. Please ask at the ward office counter; "
                    "these may be related:"
                )
                if result.answers
                else _("No answer to this question. Please ask at the ward office counter.")
            )
        for n, answer in enumerate(result.answers, start=1):
            click.echo(f"{n}. {answer.title}")
            click.echo(f"   {answer.text}")
    finally:
        reset_language(token)
