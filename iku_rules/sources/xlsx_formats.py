"""What a file named .xlsx is when its first bytes are text of another format an application
exports tables in: an Excel 2003 XML Spreadsheet, a web page saved as a single file
(MHTML, the *Single File Web Page* some applications such as SIPD export), or a web page
(HTML), in UTF-8 or in UTF-16. Named for what it is, the planner knows to open it in Excel
and save it as a workbook, where "damaged" or "text" would send them looking elsewhere."""

from __future__ import annotations

import re

from iku_rules.i18n import _

_XML_SPREADSHEET = "urn:schemas-microsoft-com:office:spreadsheet"
"""The namespace of an Excel 2003 XML Spreadsheet's ``<Workbook>``."""

_HEADER_LINE = re.compile(r"[a-z][a-z0-9-]*:")
"""A line of a MIME header (``MIME-Version: 1.0``), the start of an MHTML file."""


def _head(start: bytes) -> str:
    """The first bytes of a file as text, lower case, without the byte order mark and the
    white space before the first character: UTF-16 read by its mark, else UTF-8."""
    if start.startswith((b"\xff\xfe", b"\xfe\xff")):
        encoding = "utf-16-le" if start.startswith(b"\xff\xfe") else "utf-16-be"
        text = start[2 : len(start) // 2 * 2].decode(encoding, "replace")
    else:
        text = start.removeprefix(b"\xef\xbb\xbf").decode("utf-8", "replace")
    return text.lstrip().lower()


def exported(start: bytes) -> str | None:
    """The message of a file named .xlsx whose first bytes ``start`` are an Excel 2003 XML
    Spreadsheet, an MHTML file or a web page; None for any other file."""
    head = _head(start)
    if head.startswith("<") and "<workbook" in head and _XML_SPREADSHEET in head:
        return _(
            "the file is an Excel 2003 XML Spreadsheet, not an Excel workbook, though its name"
            " ends in .xlsx: open it in Excel and save it as Excel Workbook (.xlsx)"
        )
    if _HEADER_LINE.match(head) and "multipart/related" in head:
        return _(
            "the file is a web page saved as a single file (MHTML, 'Single File Web Page'),"
            " not an Excel workbook, though its name ends in .xlsx (some applications export"
            " tables so): open it in Excel and save it as Excel Workbook (.xlsx)"
        )
    if head.startswith("<"):
        return _(
            "the file is a web page (HTML), not an Excel workbook, though its name ends in"
            " .xlsx (some applications export tables so): open it in Excel and save it as"
            " Excel Workbook (.xlsx)"
        )
    return None
