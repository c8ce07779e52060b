"""What the system and the libraries say went wrong, told in the planners' words.

A reason a library gives (``Permission denied``, ``invalid continuation byte``, ``database
disk image is malformed``, ``IO Error: Could not set lock on file …``) is English written for
programmers: shown raw inside a translated message, it leaves a planner who reads Indonesian
with a sentence to guess at. The common causes are recognised here and told as what is wrong
with the file and what to do: an error of the system by its ``errno`` (never its English
``strerror``), bytes that are not UTF-8 by where they stand and the encoding they look saved
in, a database's error by its code or its kind. A cause not recognised keeps the library's
own text, so nothing is hidden; the callers raise their message ``from`` the library's error,
which keeps its text for developers on ``__cause__``.

>>> import errno
>>> from iku_rules.i18n import use_language
>>> with use_language("en"):
...     os_reason(FileNotFoundError(errno.ENOENT, "No such file or directory", "a.csv"))
'it does not exist (check its name and its folder)'
"""

from __future__ import annotations

import contextlib
import errno
import re
from pathlib import PurePath
from typing import NamedTuple

from iku_rules.i18n import N_, _

__all__ = [
    "Undecoded",
    "database_reason",
    "file_unreadable",
    "os_reason",
    "save_as_utf8",
    "spark_reason",
    "spark_text",
    "undecoded",
]

# -- errors of the system (OSError)

_PERMISSION = N_(
    "the system does not allow it (no permission): ask for access to the file or folder, or"
    " copy the file into a folder of your own; on Windows a file open in Excel is refused so"
    " too: close it there"
)
_DISK_FULL = N_("the disk is full: free some space and run again")
_OS_WORDS: dict[str, str] = {
    "ENOENT": N_("it does not exist (check its name and its folder)"),
    "EACCES": _PERMISSION,
    "EPERM": _PERMISSION,
    "EISDIR": N_("it is a folder, not a file"),
    "ENOTDIR": N_("a part of the path is a file, not a folder (check the path)"),
    "ENOSPC": _DISK_FULL,
    "EDQUOT": _DISK_FULL,
    "EROFS": N_(
        "the disk is read-only (a CD, a write-protected USB stick, a read-only shared folder):"
        " use a folder on another disk"
    ),
    "EEXIST": N_("a file or folder of that name is already there"),
    "ENAMETOOLONG": N_("the name is longer than the system allows: use a shorter name"),
    "ELOOP": N_("a link in the path leads round in a circle (check the links)"),
    "EBUSY": N_("the file is in use by another program: close it there and run again"),
    "ETXTBSY": N_("the file is in use by another program: close it there and run again"),
    "EIO": N_(
        "the disk could not be read or written (a failing disk, a USB stick pulled out, a"
        " shared folder lost): check it, copy the file again and run again"
    ),
    "EMFILE": N_("too many files are open at once: close other programs and run again"),
    "ENFILE": N_("too many files are open at once: close other programs and run again"),
}
"""The planners' words for the errors of the system met reading and writing files, by the
name of the errno (not every system has each: Windows has no ``ETXTBSY``)."""

_OS_REASONS: dict[int, str] = {
    getattr(errno, name): words for name, words in _OS_WORDS.items() if hasattr(errno, name)
}


def os_reason(error: OSError) -> str:
    """Why the system refused to read or write a file, in the planners' words, from the
    error's ``errno``; the system's own text (``strerror``) when the errno is none of the
    common ones."""
    known = _OS_REASONS.get(error.errno) if error.errno is not None else None
    if known is not None:
        return _(known)
    return error.strerror or str(error)


def file_unreadable(error: OSError) -> str:
    """The message of a data file the system would not open (``error``)."""
    if error.errno in _OS_REASONS:
        return _("the file cannot be read: {reason}").format(reason=os_reason(error))
    return _("the file cannot be read ({reason})").format(reason=error.strerror or error)


# -- bytes that are not UTF-8


class Undecoded(NamedTuple):
    """Where text stops being UTF-8 and why: ``line`` and ``column`` (1-based, the column
    counted in characters) of the first byte that is not, and ``message``, which says what
    the bytes look like (not where: the caller names the place as it names places)."""

    line: int
    column: int
    message: str


def save_as_utf8(found: Undecoded) -> str:
    """What a TOML file the planner writes (definitions, a rule table) that is not UTF-8 is
    told: what its bytes look like, and how to save it as UTF-8."""
    return _("{problem}; save it as UTF-8 (in Notepad or VS Code: Save As, Encoding UTF-8)").format(
        problem=found.message
    )


_BINARY_STARTS = (b"PK\x03\x04", bytes.fromhex("D0CF11E0A1B11AE1"))
"""The first bytes of a ZIP archive (an .xlsx workbook) and of an OLE2 file (an .xls)."""


def undecoded(error: UnicodeDecodeError) -> Undecoded:
    """What ``error`` (raised decoding bytes as UTF-8) means to the planner, and where.

    The encoding the bytes look saved in is told when it is cheap to tell: UTF-16 (by its
    byte order mark), binary data (a workbook, NUL bytes), a file cut short in the middle of
    a character, or ANSI (Windows-1252, what Excel and Notepad on Windows save by default)
    with the character the byte is there and the word it stands in."""
    data = bytes(error.object)
    start = error.start
    line = data.count(b"\n", 0, start) + 1
    begin = data.rfind(b"\n", 0, start) + 1
    column = len(data[begin:start].decode("utf-8", "replace").removeprefix("\ufeff")) + 1
    byte = f"0x{data[start]:02X}" if start < len(data) else "?"
    head = data[:8192]
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        message = _(
            "the file is saved as UTF-16 ('Unicode' in Notepad, 'Unicode Text' in Excel), not UTF-8"
        )
    elif data.startswith(_BINARY_STARTS[0]):
        message = _("the file is a ZIP archive (an Excel workbook, .xlsx?), not text")
    elif data.startswith(_BINARY_STARTS[1]) or b"\x00" in head:
        message = _("the file holds binary data (another program's file?), not text")
    elif _cut_short(error, data):
        message = _(
            "the file ends in the middle of a character: it was cut short (while it was copied"
            " or downloaded?); copy it again"
        )
    else:
        message = _ansi(data, begin, start, error.end, byte)
    return Undecoded(line, column, message)


def _cut_short(error: UnicodeDecodeError, data: bytes) -> bool:
    """Whether the bytes end inside a character written in UTF-8 (its first byte and some
    of the bytes after it), rather than with a byte of another encoding."""
    rest = data[error.start :]
    return (
        error.end == len(data)
        and len(rest) >= 2
        and 0xC2 <= rest[0] <= 0xF4
        and all(0x80 <= later <= 0xBF for later in rest[1:])
    )


_WORD_END = re.compile(r"[\s,;\"'=()\[\]{}]")


def _ansi(data: bytes, begin: int, start: int, end: int, byte: str) -> str:
    """The message of a byte that is not UTF-8 at ``start``: the character it is in
    Windows-1252 and the word it stands in, when its line reads in that encoding."""
    stop = data.find(b"\n", start)
    line = data[begin : len(data) if stop < 0 else stop]
    before = data[begin:start].decode("utf-8", "replace").removeprefix("\ufeff")  # UTF-8 so far
    try:
        character = data[start:end].decode("cp1252")
        after = data[end : begin + len(line)].decode("cp1252")
    except UnicodeDecodeError:
        return _("the file is not UTF-8 text: the byte {byte} cannot be read").format(byte=byte)
    word = (_WORD_END.split(before)[-1] + character + _WORD_END.split(after, maxsplit=1)[0]).strip()
    return _(
        "the file is not UTF-8 text: it looks saved as ANSI (Windows-1252), where the byte"
        " {byte} is '{character}' (in '{word}')"
    ).format(byte=byte, character=character, word=word[:40])


# -- databases: SQLite, DuckDB, PostgreSQL

_DAMAGED = N_(
    "the database file is damaged or incomplete (cut short while it was copied, or copied"
    " while a program was writing it?): copy it again from where it was made, or make it again"
)
_SQLITE_REASONS = {
    "SQLITE_CORRUPT": _DAMAGED,
    "SQLITE_NOTADB": N_(
        "the file is not a database SQLite can read (another kind of file, encrypted, or"
        " damaged): check that it is the right file, or export it again"
    ),
    "SQLITE_BUSY": N_(
        "another program is writing to the database and keeps it locked: close that program"
        " (or wait until it has finished) and run again"
    ),
    "SQLITE_LOCKED": N_(
        "another program is writing to the database and keeps it locked: close that program"
        " (or wait until it has finished) and run again"
    ),
    "SQLITE_CANTOPEN": N_(
        "the database file cannot be opened: check that it is there and that you may read it"
        " and its folder"
    ),
    "SQLITE_IOERR": N_(
        "the disk could not be read or written (a failing disk, a USB stick pulled out, a"
        " shared folder lost): check it, copy the file again and run again"
    ),
    "SQLITE_FULL": _DISK_FULL,
    "SQLITE_PERM": _PERMISSION,
    "SQLITE_NOMEM": N_(
        "the computer ran out of memory: close other programs and run again, or run on a"
        " computer with more memory"
    ),
}
"""SQLite's errors by their code's name (``sqlite_errorname``: the primary code, ignoring
the extended part after it)."""

_HOLDER, _NO_TABLE, _SQLITE_NO_TABLE, _CONVERT, _DATE_RANGE = (  # i18n: not for planners
    re.compile(r"lock is held in (?P<program>.+?) \(PID (?P<pid>\d+)\)"),
    re.compile(r"Table with name (?P<table>\S+?) does not exist"),
    re.compile(r"^no such table: (?P<table>\S+)"),
    re.compile(r"Could not convert string (['\"])(?P<value>.*?)\1 to (?P<type>[A-Z0-9_]+)"),
    re.compile(r"date field value out of range: \"(?P<value>[^\"]*)\""),
)
_TYPE_NAMES = {
    "INT8": N_("a whole number"),
    "INT16": N_("a whole number"),
    "INT32": N_("a whole number"),
    "INT64": N_("a whole number"),
    "INT128": N_("a whole number"),
    "DOUBLE": N_("a number"),
    "FLOAT": N_("a number"),
    "DECIMAL": N_("a number"),
    "DATE": N_("a date"),
    "BOOL": N_("true or false"),
}


def database_reason(error: BaseException) -> str | None:
    """Why a database engine (SQLite, DuckDB, PostgreSQL, Spark) failed, in the planners' words,
    for the common causes: the file locked by another program, damaged, not a database, a
    table that is not there, a value of the wrong type, the disk full, no permission, a
    server that does not answer or refuses the password; an error of the system met opening
    the file (:func:`os_reason`). None when the cause is not one of them (the caller then
    shows the engine's own text, as before)."""
    if isinstance(error, OSError):
        return os_reason(error) if error.errno in _OS_REASONS else None
    code = getattr(error, "sqlite_errorname", None)
    if isinstance(code, str):
        return _sqlite_reason(code, str(error))
    sqlstate = getattr(error, "sqlstate", False)
    if sqlstate is not False and type(error).__module__.startswith("psycopg"):
        return _postgres_reason(sqlstate, str(error))
    if type(error).__module__.startswith(("duckdb", "_duckdb")):
        return _duckdb_reason(type(error).__name__, str(error))
    if type(error).__module__.startswith(("pyspark", "py4j")):
        return spark_reason(error)
    return None


def _sqlite_reason(code: str, text: str) -> str | None:
    primary = "_".join(code.split("_")[:2])
    known = _SQLITE_REASONS.get(primary)
    if known is not None:
        return _(known)
    found = _SQLITE_NO_TABLE.match(text)
    if found:
        return _("the database has no table '{table}'").format(table=found["table"])
    return _common_reason(text)


def _duckdb_reason(kind: str, text: str) -> str | None:
    if "Could not set lock on file" in text:  # i18n: not for planners (a library's text, matched)
        holder = _HOLDER.search(text)
        if holder:
            return _(
                "another program has the file open and locked ({program}, process {pid}):"
                " close it there (DuckDB, DBeaver, a Python notebook…) and run again"
            ).format(program=PurePath(holder["program"]).name, pid=holder["pid"])
        return _(
            "another program has the file open and locked: close it there (DuckDB, DBeaver, a"
            " Python notebook…) and run again"
        )
    if (  # i18n: not for planners (a library's text, matched)
        kind == "SerializationException"
        or "Corrupt database file" in text
        or "not a valid DuckDB database file" in text
        or "Could not read enough bytes" in text
    ):
        return _(_DAMAGED)
    table = _NO_TABLE.search(text)  # its "Did you mean" may name DuckDB's own tables: left out
    if table:
        return _("the database has no table '{table}'").format(table=table["table"])
    converted = _CONVERT.search(text) or _DATE_RANGE.search(text)
    if converted:
        wanted = _TYPE_NAMES.get(converted.groupdict().get("type") or "DATE")
        if wanted is not None:
            return _("the value '{value}' cannot be read as {kind}").format(
                value=converted["value"], kind=_(wanted)
            )
    if kind == "OutOfMemoryException":
        return _(_SQLITE_REASONS["SQLITE_NOMEM"])
    return _common_reason(text)


def _common_reason(text: str) -> str | None:
    """The causes every engine words alike, taken from the system's own text."""
    if "No space left on device" in text:  # i18n: not for planners (a library's text, matched)
        return _(_DISK_FULL)
    if "Permission denied" in text:  # i18n: not for planners (a library's text, matched)
        return _(_PERMISSION)
    return None


_POSTGRES_REASONS = {
    "28P01": N_(
        "the database refused the user name or the password: check the user in the URL and"
        " the password (the variable named by password_env)"
    ),
    "28000": N_(
        "the database refused the user name or the password: check the user in the URL and"
        " the password (the variable named by password_env)"
    ),
    "3D000": N_("the server has no database of the name in the URL: check the name"),
    "42501": N_(
        "the database user may not read it: ask the database's administrator for read access"
        " (SELECT)"
    ),
    "53300": N_("the server has too many connections now: try again later"),
    "57P01": N_("the server is shutting down or starting: try again in a moment"),
    "57P03": N_("the server is shutting down or starting: try again in a moment"),
}
"""PostgreSQL's errors by their SQLSTATE."""


def _postgres_reason(sqlstate: object, text: str) -> str | None:
    known = _POSTGRES_REASONS.get(sqlstate) if isinstance(sqlstate, str) else None
    if known is not None:
        return _(known)
    if "Connection refused" in text:  # i18n: not for planners (a library's text, matched)
        return _(
            "nothing answers at that address: is the database server running, and are the"
            " host and the port in the URL right?"
        )
    unknown = (  # the library's texts, matched
        "could not translate host name",  # i18n: not for planners
        "Name or service not known",  # i18n: not for planners
    )
    if any(said in text for said in unknown):
        return _("the host name in the URL is not known: check it")
    if "timeout expired" in text:  # i18n: not for planners (a library's text, matched)
        return _("the server did not answer in time: check the host in the URL and the network")
    return _common_reason(text)


# -- Spark: its errors come from Java, with a condition in brackets and a stack after

# Spark's own texts, matched (i18n: not for planners)
_SPARK_CONDITION = re.compile(r"\[(?P<condition>[A-Z_]+(?:\.[A-Z_]+)?)\]")
_SPARK_CAST = re.compile(
    r'cannot cast "(?P<type>[^"]+)" to "(?P<target>[A-Z]+)'  # i18n: not for planners
)
_SPARK_COLUMN = re.compile(r"CAST\((?P<column>.+?) AS ")
_SPARK_FILE = re.compile(
    r"(?:reading file|Path does not exist:) (?P<file>\S+?)\.?(?:\s|$)"  # i18n: not for planners
)
_SPARK_VALUE = re.compile(
    r"value (?P<value>'.*?'|\S+) of the type \S+ cannot be cast to"  # i18n: not for planners
    r' "(?P<type>[A-Z]+)'
)
_SPARK_TYPES = {
    "DECIMAL": N_("a number"),
    "DOUBLE": N_("a number"),
    "FLOAT": N_("a number"),
    "INT": N_("a whole number"),
    "BIGINT": N_("a whole number"),
    "SMALLINT": N_("a whole number"),
    "TINYINT": N_("a whole number"),
    "DATE": N_("a date"),
    "TIMESTAMP": N_("a date"),
}


def spark_text(error: BaseException) -> str:
    """The first line of what Spark said, without what PySpark wraps it in: a Java error
    that PySpark does not convert reads ``An error occurred while calling o137.parquet.``,
    the words of the Java exception after it."""
    java = getattr(error, "java_exception", None)
    text = str(error).strip()
    if java is not None:
        with contextlib.suppress(Exception):  # the JVM gone: what PySpark said
            text = str(java.toString()).strip()
        text = re.sub(r"^[\w.$]+(?:Exception|Error): ", "", text)  # the Java class
    first = text.splitlines()[0] if text else type(error).__name__
    return re.sub(r"\s*SQLSTATE: \w+.*$", "", first)


def _local_path(url: str) -> str:
    """A path as Spark names it (``file:///tmp/a.parquet``, ``file:/C:/data/a.parquet``) as
    the planner's system writes it; another scheme's (``hdfs://…``) as it is."""
    if not url.startswith("file:"):
        return url
    path = url.removeprefix("file:")
    if re.match(r"^/+[A-Za-z]:", path):  # Windows: a drive letter
        return path.lstrip("/")
    return "/" + path.lstrip("/")


def spark_reason(error: BaseException) -> str | None:
    """Why Spark failed, in the planners' words, for the common causes: a table or file
    that is not there, a file that is not Parquet or is damaged, a value or a column of a
    type the declared one cannot be read from; None for another cause."""
    text = spark_text(error)
    condition = getattr(error, "getCondition", lambda: None)()
    if not isinstance(condition, str):
        found = _SPARK_CONDITION.search(text)
        condition = found["condition"] if found else ""
    text = _SPARK_CONDITION.sub("", text, count=1).strip()
    if condition == "TABLE_OR_VIEW_NOT_FOUND":
        table = re.search(r"`([^`]+)`", text)
        return _("the database has no table '{table}'").format(table=table[1] if table else "?")
    found = _SPARK_FILE.search(text)
    file = _local_path(found["file"]) if found else None
    if condition == "UNABLE_TO_INFER_SCHEMA":
        return _("it holds no Parquet file (an empty folder?): write the data into it again")
    if condition in ("FAILED_READ_FILE.FILE_NOT_EXIST", "PATH_NOT_FOUND") and file:
        return _(
            "the file {file} is not there (moved or deleted since the table was made): put it"
            " back, or make the table again from the files there now"
        ).format(file=file)
    if condition.startswith("FAILED_READ_FILE") and file:
        return _(
            "the file {file} is not a Parquet file or is damaged: write it again from where it"
            " was made"
        ).format(file=file)
    if condition == "CAST_INVALID_INPUT":
        value = _SPARK_VALUE.search(text)
        kind = _SPARK_TYPES.get(value["type"]) if value else None
        if value and kind:
            return _("the value '{value}' cannot be read as {kind}").format(
                value=value["value"].strip("'"), kind=_(kind)
            )
    cast = _SPARK_CAST.search(text)
    if condition.startswith("DATATYPE_MISMATCH") and cast:
        column = _SPARK_COLUMN.search(text)
        kind = _SPARK_TYPES.get(cast["target"])
        if column and kind:
            return _(
                "the column '{column}' holds {type}, which cannot be read as {kind}: keep it in"
                " the table as {kind}"
            ).format(column=column["column"].strip("`"), type=cast["type"], kind=_(kind))
    return _common_reason(text)
