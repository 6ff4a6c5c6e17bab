"""`tsunagu content ...`: check the content, build its speech and the kiosk bundle, show furigana."""

from __future__ import annotations

from pathlib import Path

import click

from content.loader import CONTENT_DIR, Catalog, ContentError, load_catalog
from content.model import LANGUAGES
from content.speech import ENGINES, SPEEDS, AudioCache, CacheError, build_speech, utterances
from languages import gettext as _

DIR_OPTION = click.option(
    "--dir",
    "root",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    default=CONTENT_DIR,
    show_default=False,
    help=_("Content directory (default: the content package's own)."),
)
CACHE_OPTION = click.option(
    "--cache",
    "cache_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help=_("Audio cache directory (default: $TSUNAGU_AUDIO_CACHE, else instance/audio)."),
)


@click.group()
def content() -> None:
    """Guides, lessons and FAQ: check them, speak them, bundle them for kiosks."""


def _catalog(root: Path) -> Catalog:
    """The catalog under ``root``, or a one-line error instead of a traceback."""
    try:
        return load_catalog(root)
    except ContentError as exc:
        raise click.ClickException(str(exc)) from exc


def _synonym_errors(root: Path) -> int:
    """1 (and the reason, naming the file) when the synonym list of `tsunagu ask` is broken."""
    from content.ask.synonyms import SYNONYMS_FILE, SynonymError, load_synonyms

    try:
        load_synonyms(root / SYNONYMS_FILE)
    except SynonymError as exc:
        click.echo(str(exc))
        return 1
    return 0


@content.command()
@DIR_OPTION
@click.option(
    "--strict",
    is_flag=True,
    help=_(
        "Production mode: fail while the sample settings are in use or an item's last "
        "check is older than 12 months."
    ),
)
def check(root: Path, strict: bool) -> None:
    """Validate every content file; exit 1 when there is any error."""
    from content.review import coverage_lines, items
    from content.validate import validate
    from languages.clock import ward_today

    problems = validate(root, today=ward_today(), strict=strict)
    for problem in problems:
        click.echo(str(problem), err=not problem.is_error)
    errors = sum(p.is_error for p in problems) + _synonym_errors(root)
    if not errors:
        click.echo(_("Languages (items written and reviewed / written, unreviewed / missing):"))
        for line in coverage_lines(items(_catalog(root))):
            click.echo("  " + line)
    click.echo(
        _("%(errors)d errors, %(warnings)d warnings.")
        % {"errors": errors, "warnings": len(problems) - errors}
    )
    if errors:
        raise SystemExit(1)


@content.command()
@DIR_OPTION
@click.option(
    "--write",
    "target",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help=_("Put the table into this Markdown file, between its markers."),
)
def table(root: Path, target: Path | None) -> None:
    """Print (or write into docs/content-authors.md) the table of every item, its
    languages, its last check and its sources."""
    from content.review import markdown_table, replace_table

    generated = markdown_table(_catalog(root))
    if target is None:
        click.echo(generated)
        return
    target.write_text(
        replace_table(target.read_text(encoding="utf-8"), generated), encoding="utf-8"
    )
    click.echo(_("Wrote the content table into %(path)s") % {"path": target})


@content.command()
@click.option(
    "--engine",
    type=click.Choice(["auto", *ENGINES]),
    default="auto",
    show_default=True,
    help=_("auto tries gTTS once and speaks offline when it cannot be reached."),
)
@CACHE_OPTION
@DIR_OPTION
@click.option(
    "--lang",
    "languages",
    multiple=True,
    type=click.Choice(LANGUAGES),
    help=_("Only these languages (repeatable; default: all)."),
)
@click.option(
    "--speed",
    type=click.Choice(["normal", "slow", "both"]),
    default="both",
    show_default=True,
)
@click.option("--quiet", is_flag=True, help=_("No progress bar."))
def speech(
    engine: str,
    cache_dir: Path | None,
    root: Path,
    languages: tuple[str, ...],
    speed: str,
    quiet: bool,
) -> None:
    """Build the audio of every spoken text; clips already in the cache are kept."""
    items = utterances(
        _catalog(root),
        languages or LANGUAGES,
        SPEEDS if speed == "both" else (speed,),
    )
    try:
        report = build_speech(items, AudioCache.open(cache_dir), engine, progress=not quiet)
    except CacheError as exc:
        raise click.ClickException(str(exc)) from exc
    if report.fallback_reason:
        click.echo(
            _("gTTS could not be used (%(reason)s); the offline engine spoke instead.")
            % {"reason": report.fallback_reason},
            err=True,
        )
    for utterance, reason in report.failures:
        click.echo(
            _("Could not speak %(language)s text '%(text)s': %(reason)s")
            % {"language": utterance.language, "text": utterance.text, "reason": reason},
            err=True,
        )
    click.echo(report.summary())
    if report.failures:
        raise SystemExit(1)


@content.command()
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    default=None,
    help=_("A .zip file or a directory (default: instance/bundles/)."),
)
@CACHE_OPTION
@DIR_OPTION
def bundle(out: Path | None, cache_dir: Path | None, root: Path) -> None:
    """Write the versioned content bundle for kiosks (content, settings, media, audio)."""
    from content.bundle import build_bundle
    from content.validate import validate

    errors = [p for p in validate(root) if p.is_error]
    if errors:
        raise click.ClickException(
            _("The content has %(count)d errors; run 'tsunagu content check' first.")
            % {"count": len(errors)}
        )
    try:
        result = build_bundle(_catalog(root), AudioCache.open(cache_dir), out)
    except OSError as exc:
        raise click.ClickException(
            _("The bundle cannot be written: %(reason)s.") % {"reason": exc.strerror or exc}
        ) from exc
    if result.missing_audio:
        click.echo(
            _("%(count)d texts have no audio yet; run 'tsunagu content speech' first.")
            % {"count": result.missing_audio},
            err=True,
        )
    click.echo(
        _("Bundle %(version)s: %(files)d files in %(path)s")
        % {"version": result.version, "files": result.files, "path": result.path}
    )


@content.command()
@click.argument("text")
def furigana(text: str) -> None:
    """Print TEXT with readings after its kanji, then its reading."""
    from content.furigana import reading, segments, to_plain

    click.echo(to_plain(segments(text)))
    click.echo(reading(text))
