"""The folders a workspace serves: definitions read and checked, evaluations kept.

A :class:`Workspace` holds one definitions folder and one data folder. It reads the
definitions again when a file in the folder changed (its size, modification time, inode
change time or inode: :func:`~iku_rules.sources.base.file_signature`),
keeps one :class:`~iku_rules.Engine` for them (which itself reads a data file again only
when it changed) and the evaluations it made, so a page shown again costs no
evaluation.

Evaluations are made on one day (:meth:`Workspace.day`: the day the workspace was
started with, else ``IKU_TODAY``, else today), and "this year", the year the workspace
opens on, is that day's: the year a planner sees first and the day that says whether its
numbers are provisional (:mod:`iku_rules.provisional`) never disagree. Every file it
reads or writes is one of the folders' own (:func:`~iku_rules.serve.paths.confined`).

An edit is checked before it is written: the folder is copied aside with the edited
file in it and read with :func:`iku_rules.load`, which runs every check ``iku check``
runs; the problems come back placed in the real folder's files.
"""

from __future__ import annotations

import os
import secrets
import shutil
import stat
import tempfile
import threading
from collections.abc import Iterator, Mapping
from datetime import date
from pathlib import Path
from typing import Any

from attrs import frozen

from iku_rules import Definitions, Diagnostic, Engine, Evaluation, IkuError, load
from iku_rules.loader import definition_files
from iku_rules.provisional import today as day_of_evaluation
from iku_rules.serve.paths import PathRefused, confined
from iku_rules.serve.text import _
from iku_rules.sources.base import file_signature
from iku_rules.sources.cells import DataError
from iku_rules.sources.reader import data_path

DRAFT_SUFFIX = ".draft"
"""A draft of ``cascade.toml`` is kept as ``cascade.toml.draft`` beside it: the loader
reads ``*.toml`` only, so a draft never breaks the folder."""
DRAFT_BASE = "#:draft-of "  # i18n: not for planners
"""The first line of a draft names the version of the file it was made from, and the
notation its numbers were typed under (``notation=id``)."""
DRAFT_NOTATION = "notation="  # i18n: not for planners


class FileChanged(Exception):
    """A definitions file saved by someone else since the text an edit was made from."""


@frozen
class Problem:
    """A diagnostic placed in the workspace's folder (``file`` relative to it)."""

    severity: str
    message: str
    file: str
    line: int | None
    column: int | None
    suggestion: str | None

    def as_dict(self) -> dict[str, Any]:
        return {
            "severity": self.severity,
            "message": self.message,
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "suggestion": self.suggestion,
        }

    @property
    def severity_text(self) -> str:
        """The severity in the reader's language (``kesalahan``, ``peringatan``)."""
        words = {"error": _("error"), "warning": _("warning"), "note": _("note")}
        return words.get(self.severity, self.severity)

    def __str__(self) -> str:
        place = self.file if self.line is None else f"{self.file}:{self.line}:{self.column}"
        text = f"{place}: {self.severity_text}: {self.message}"
        return text + (f" ({self.suggestion})" if self.suggestion else "")


@frozen
class Checked:
    """The definitions as they would be after an edit, and their problems."""

    definitions: Definitions
    problems: tuple[Problem, ...]

    @property
    def errors(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity == "error")


class Workspace:
    """One definitions folder and one data folder, as the workspace serves them."""

    def __init__(
        self,
        definitions: str | Path,
        data: str | Path,
        *,
        backend: str = "duckdb",
        today: date | None = None,
    ):
        """``today``: the day evaluations are made on (``iku serve --today``); None: the day
        ``IKU_TODAY`` names, else today, as each page asks (a workspace left open over the
        new year evaluates the old year as over)."""
        self.root = Path(definitions)
        self.data = Path(data)
        if not self.root.is_dir():
            raise IkuError(_("no such definitions folder: {path}").format(path=self.root))
        if not self.data.is_dir():
            raise IkuError(_("no such data folder: {path}").format(path=self.data))
        self.backend = backend
        self.today = today
        self.day()  # a malformed IKU_TODAY is refused before the workspace starts
        self._lock = threading.RLock()
        self._write_lock = threading.Lock()
        self._signature: tuple[Any, ...] | None = None
        self._definitions: Definitions | None = None
        self._engine: Engine | None = None
        self._evaluations: dict[tuple[str, date, tuple[Any, ...]], Evaluation] = {}
        self._leads: dict[str, str] | None = None
        """Where each source's path led (:meth:`_read`) when the engine last evaluated."""

    # -- reading

    def toml_files(self) -> list[Path]:
        """The definition files, as the loader finds them."""
        return definition_files(self.root)

    def _files_signature(self, files: list[Path]) -> tuple[Any, ...]:
        """What tells the files from those read last (a rewrite that keeps a file's size and
        modification time included: :func:`~iku_rules.sources.base.file_signature`)."""
        return tuple(
            (str(path), signature)
            for path in files
            if (signature := file_signature(path)) is not None
        )

    def definitions(self) -> Definitions:
        """The definitions as the folder holds them now (read again when a file changed)."""
        with self._lock:
            signature = self._files_signature(self.toml_files())
            if self._definitions is None or signature != self._signature:
                self._definitions = load(self.root)
                self._signature = signature
                if self._engine is not None:
                    self._engine.close()
                self._engine = None
                self._evaluations.clear()
            return self._definitions

    def problems(self, definitions: Definitions | None = None) -> tuple[Problem, ...]:
        """What ``iku check`` says of the folder."""
        found = definitions or self.definitions()
        return tuple(self._problem(d, found.root) for d in found.diagnostics)

    def _problem(self, diagnostic: Diagnostic, root: Path) -> Problem:
        path = diagnostic.location.path
        try:
            shown = path.relative_to(root).as_posix()
        except ValueError:
            shown = path.name
        return Problem(
            diagnostic.severity,
            diagnostic.message,
            shown or ".",
            diagnostic.location.line,
            diagnostic.location.column,
            diagnostic.suggestion,
        )

    def region_level(self) -> str | None:
        """The level the region picker offers: the office's first declared level (else the
        first level its sources hold a column for); None when there is none."""
        levels = self.definitions().level_ids()
        return levels[0] if levels else None

    def day(self) -> date:
        """The day evaluations are made on: the workspace's own, else ``IKU_TODAY``, else
        today (:func:`iku_rules.provisional.today`)."""
        return self.today if self.today is not None else day_of_evaluation()

    def plan_years(self) -> list[int]:
        office = self.definitions().office
        if office is None or office.plan_start is None or office.plan_end is None:
            return [self.day().year]
        return list(range(office.plan_start, office.plan_end + 1))

    def periods(self) -> list[str]:
        """The periods a planner can choose: each plan year, its triwulan and years to date."""
        choices: list[str] = []
        for year in self.plan_years():
            choices.append(str(year))
            choices += [f"{year}-TW{q}" for q in range(1, 5)]
            choices += [f"{year}-sd-TW{q}" for q in (2, 3)]
        return choices

    def default_period(self) -> str:
        """The year the workspace opens on: the year of :meth:`day`, within the plan."""
        years = self.plan_years()
        this_year = self.day().year
        return str(min(max(this_year, years[0]), years[-1]))

    def engine(self) -> Engine:
        """The engine of the current definitions (:class:`~iku_rules.DefinitionError`
        when they have errors)."""
        with self._lock:
            definitions = self.definitions()
            if self._engine is None:
                self._engine = Engine(
                    definitions, self.data, backend=self.backend, today=self.today
                )
            return self._engine

    def _data_signature(self, engine: Engine) -> tuple[Any, ...]:
        """What tells the data from those evaluated last: every file in the data folder,
        and each source's file where it leads now, every link followed (:meth:`_read`); the
        engine made again when one leads elsewhere."""
        files = [path for path in self.data.rglob("*") if path.is_file()]
        read = self._read(engine)
        leads = {source: path for source, path, _signature in read}
        if self._leads is not None and leads != self._leads:
            engine.close()  # it watches the files it read: the next evaluation loads afresh
        self._leads = leads
        return self._files_signature(sorted(files)) + read

    def _read(self, engine: Engine) -> tuple[tuple[str, str, Any], ...]:
        """Each source's file where its path leads now (every link followed), and its
        signature. The listing of the data folder does not enter a folder that is a link,
        and the engine watches the files it read, not where a link leads: a source read
        through ``terbaru/``, re-pointed from ``april/`` to ``juli/``, changed no file of
        either, and an engine kept open read April's again (as it does for a file that is
        a link re-pointed, ``ln -sf``)."""
        found = []
        for source in engine.definitions.sources:
            try:
                path = data_path(source, self.data)
            except DataError:  # a path refused: the evaluation says why
                continue
            found.append((source.id, str(path), file_signature(path)))
        return tuple(found)

    def evaluation(self, period: str) -> Evaluation:
        """Every indicator for ``period``, for the kabupaten and each region, made on
        :meth:`day`; kept until a definition or a data file changes, or the day does (an
        evaluation of 2026 kept from 6 December would still call the year provisional in
        January)."""
        with self._lock:
            engine = self.engine()
            day = self.day()
            key = (period, day, self._data_signature(engine))
            found = self._evaluations.get(key)
            if found is None:
                found = engine.evaluate(period, by=self.region_level())
                _fetch_breakdowns(found)
                # Kept under the day it was made on (the engine's own, should the day have
                # turned while it ran).
                key = (period, found.today or day, key[2])
                self._evaluations = {k: v for k, v in self._evaluations.items() if k[1:] == key[1:]}
                self._evaluations[key] = found
            return found

    def predikat_bands(self) -> list[str]:
        """The predikat of the office's capaian scale, best first."""
        try:
            scale = self.engine().rule_tables.scale("capaian")
        except IkuError:
            return []
        return [band.label for band in scale.bands]

    def close(self) -> None:
        with self._lock:
            if self._engine is not None:
                self._engine.close()
            self._engine = None

    # -- files

    def relative(self, path: Path) -> str:
        """A definitions file's name inside the folder (``program/1.06.04-….toml``)."""
        base = self.root.resolve()
        return path.resolve().relative_to(base).as_posix()

    def definition_file(self, relative: str) -> Path:
        """The definitions file ``relative``, confined to the folder."""
        path = confined(self.root, relative)
        if path.suffix != ".toml":
            raise PathRefused(_("'{path}' is not a definitions file").format(path=relative))
        return path

    def data_file(self, relative: str) -> Path:
        return confined(self.data, relative)

    def read(self, relative: str) -> str:
        return self.definition_file(relative).read_text(encoding="utf-8")

    def write(self, relative: str, text: str, *, expected: str | None = None) -> None:
        """Write a definitions file whole or not at all; the folder is read again after.

        ``expected``: the version of the file the edit was made from; when the file is no
        longer that one (saved meanwhile by someone else, even while this edit was being
        checked) nothing is written and :class:`FileChanged` is raised. The file keeps its
        line ends (CR LF as a Windows editor writes them) on every line the edit left."""
        path = self.definition_file(relative)
        with self._write_lock:
            current = path.read_bytes().decode("utf-8")
            if expected is not None and _version(current) != expected:
                raise FileChanged(relative)
            _write_atomic(path, _line_ends_kept(current, text))
        with self._lock:
            self._signature = None

    def write_all(self, texts: Mapping[str, str], expected: Mapping[str, str]) -> None:
        """Write several definitions files (an import), each from the version ``expected``
        gives it, or none: when one of them was saved by someone else meanwhile,
        :class:`FileChanged` names it before any is written (the edits of one import
        belong together)."""
        paths = {relative: self.definition_file(relative) for relative in texts}
        with self._write_lock:
            current = {r: path.read_bytes().decode("utf-8") for r, path in paths.items()}
            for relative, text in current.items():
                if _version(text) != expected[relative]:
                    raise FileChanged(relative)
            for relative, path in paths.items():
                _write_atomic(path, _line_ends_kept(current[relative], texts[relative]))
        with self._lock:
            self._signature = None

    def check(self, edits: Mapping[str, str]) -> Checked:
        """The folder checked as it would be with ``edits`` (file → its new text) written."""
        for relative in edits:
            self.definition_file(relative)
        with tempfile.TemporaryDirectory(prefix="iku-serve-") as temp:
            shadow = Path(temp) / "definitions"
            for path in self.toml_files():
                target = shadow / path.relative_to(self.root)
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(path, target)
            for relative, text in edits.items():
                (shadow / relative).write_text(text, encoding="utf-8")
            definitions = load(shadow)
            problems = tuple(self._problem(d, shadow) for d in definitions.diagnostics)
        return Checked(definitions, problems)

    # -- drafts

    def draft_path(self, relative: str) -> Path:
        return self.definition_file(relative).with_name(
            self.definition_file(relative).name + DRAFT_SUFFIX
        )

    def _draft_text(self, relative: str) -> str | None:
        path = self.draft_path(relative)
        if path.is_symlink() or not path.is_file():
            return None
        return path.read_text(encoding="utf-8")

    def draft(self, relative: str) -> str | None:
        """The draft kept for a definitions file, if any."""
        text = self._draft_text(relative)
        if text is not None and text.startswith(DRAFT_BASE):
            return text.partition("\n")[2]
        return text

    def _draft_header(self, relative: str) -> list[str]:
        text = self._draft_text(relative)
        if text is None or not text.startswith(DRAFT_BASE):
            return []
        return text.partition("\n")[0][len(DRAFT_BASE) :].split()

    def draft_base(self, relative: str) -> str | None:
        """The version of the file the draft was made from (None: not known): a save from
        the draft over a file changed since is shown beside that change, not written over it."""
        words = self._draft_header(relative)
        return next((w for w in words if not w.startswith(DRAFT_NOTATION)), None)

    def draft_notation(self, relative: str) -> str | None:
        """The notation the draft's numbers were typed under (``id``, ``en``, ``none``: not
        declared), None when the draft does not say (kept by an older workspace)."""
        words = self._draft_header(relative)
        found = (w[len(DRAFT_NOTATION) :] for w in words if w.startswith(DRAFT_NOTATION))
        return next(found, None)

    def keep_draft(
        self, relative: str, text: str, base: str | None = None, notation: str | None = None
    ) -> None:
        """Keep ``text`` as the draft of ``relative``, made from the file's version ``base``,
        its numbers typed under ``notation`` (as :meth:`draft_notation` gives it back)."""
        words = [w for w in (base, notation and f"{DRAFT_NOTATION}{notation}") if w]
        header = f"{DRAFT_BASE}{' '.join(words)}\n" if words else ""
        _write_atomic(self.draft_path(relative), header + text)

    def discard_draft(self, relative: str) -> None:
        path = self.draft_path(relative)
        if path.is_file() and not path.is_symlink():
            os.remove(path)

    def drafts(self) -> Iterator[str]:
        for path in sorted(self.root.rglob("*.toml" + DRAFT_SUFFIX)):
            if path.is_file() and not path.is_symlink():
                yield self.relative(path)[: -len(DRAFT_SUFFIX)]


def _version(raw: str) -> str:
    """The version (:func:`~iku_rules.serve.toml_edit.version`) of a file read as bytes."""
    from iku_rules.serve.toml_edit import version

    return version(raw.replace("\r\n", "\n").replace("\r", "\n"))


def _line_ends_kept(old: str, new: str) -> str:
    """``new`` (lines ended with LF) with the line ends of ``old`` as read from the disk: the
    lines it shares with ``old`` at its start and its end keep theirs, those the edit wrote
    between them take the file's usual one (CR LF when most of its lines end so)."""
    crlf = old.count("\r\n")
    if not crlf:
        return new
    olds = old.splitlines(keepends=True)
    news = new.splitlines(keepends=True)

    def same(o: str, n: str) -> bool:
        return o.rstrip("\r\n") == n.rstrip("\n") and o.endswith("\n") == n.endswith("\n")

    start = 0
    while start < min(len(olds), len(news)) and same(olds[start], news[start]):
        start += 1
    end = 0
    while end < min(len(olds), len(news)) - start and same(olds[-1 - end], news[-1 - end]):
        end += 1
    usual = "\r\n" if crlf * 2 > old.count("\n") else "\n"
    written = [n[:-1] + usual if n.endswith("\n") else n for n in news[start : len(news) - end]]
    return "".join(olds[:start] + written + olds[len(olds) - end :])


def _write_atomic(path: Path, text: str) -> None:
    """Write through a temporary file renamed into place, so an interrupted save never
    leaves half a file. The temporary file's name does not end in ``.toml``: a save cut
    short (the power gone, the process killed) leaves no file the loader would read as
    definitions beside the real one, and none is read while the save runs."""
    temp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.saving")
    descriptor = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(text.encode("utf-8"))
            handle.flush()
            os.fsync(handle.fileno())
        if path.exists():
            os.chmod(temp, stat.S_IMODE(path.stat().st_mode))
        os.replace(temp, path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    if os.name == "posix":
        folder = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(folder)
        finally:
            os.close(folder)


def _fetch_breakdowns(evaluation: Evaluation) -> None:
    """Fetch the sub kegiatan breakdowns with the evaluation (one query per source: the first
    measure of each source fetches its source's), so that opening an explanation later reads
    them rather than the data: every page view after the first evaluation stays quick."""
    seen: set[str] = set()
    for result in evaluation.results:
        for use in result.measures:
            if use.spec.source.id not in seen:
                seen.add(use.spec.source.id)
                use.breakdown  # noqa: B018 -- read for its side effect: the fetch
