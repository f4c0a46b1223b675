"""The exceptions finkg raises, one tree, each with a hint and an exit code.

    FinkgError                      exit 1   anything finkg reports on purpose
     ├── InputError                 exit 2   the input cannot be read as a report
     │    ├── InputNotFound         exit 2   no such file
     │    ├── InputIsDirectory      exit 2   a directory where a file was expected
     │    ├── NotARegularFile       exit 2   a FIFO, device or socket; a symbolic link that loops
     │    ├── GlossaryError         exit 2   a --glossary file missing, undecodable, or not a glossary
     │    ├── EmptyInput            exit 3   the file is empty or only white space
     │    ├── BinaryInput           exit 4   not text (and not a PDF finkg can read)
     │    ├── NotAnAnnualReport     exit 5   text, but no annual report of a bank
     │    ├── EncryptedPdf          exit 10  a PDF that needs a password
     │    ├── DamagedPdf            exit 11  a PDF that is truncated or corrupt beyond reading
     │    ├── NoTextLayer           exit 12  a PDF with no text to read: scanned images, or fonts without a Unicode map
     │    └── InputTooLarge         exit 13  a file over the size finkg reads (--max-input-mb)
     ├── GraphError                 exit 6   a graph file is missing or not RDF
     ├── QueryError                 exit 7   unknown query name, bad SPARQL, bad parameter
     ├── OutputError                exit 8   the output cannot be written
     ├── NotConforming              exit 9   the graph violates the shapes or the report's arithmetic (finkg validate)
     ├── StoreBusy                  exit 14  the store is being written by another finkg process
     ├── RemoteStoreError           exit 15  a remote store (--store-url) cannot be reached, times out, or refuses a request
     └── SchedulerError             exit 16  the dask scheduler (--scheduler) cannot be reached or went away

The CLI prints ``finkg: error: <message> (<hint>)`` on one line and exits with the code;
no traceback reaches a user.
"""

from __future__ import annotations


class FinkgError(Exception):
    """Base class: ``message`` says what went wrong, ``hint`` what to do."""

    exit_code = 1
    hint = ""

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if hint is not None:
            self.hint = hint

    def one_line(self) -> str:
        text = " ".join(self.message.split())
        # a control character quoted from the input is shown escaped, never sent to the terminal
        text = "".join(repr(ch)[1:-1] if ord(ch) < 32 or 0x7F <= ord(ch) < 0xA0 else ch for ch in text)
        return f"{text} ({self.hint})" if self.hint else text


class InputError(FinkgError):
    exit_code = 2
    hint = "give the path of an annual report as text (.txt) or PDF; 请提供年度报告文件"


class InputNotFound(InputError):
    exit_code = 2


class InputIsDirectory(InputError):
    exit_code = 2


class NotARegularFile(InputError):
    exit_code = 2


class GlossaryError(InputError):
    exit_code = 2
    hint = "a glossary is a CSV file in UTF-8 or GB18030 with the columns zh,en[,kind]"


class EmptyInput(InputError):
    exit_code = 3


class BinaryInput(InputError):
    exit_code = 4


class NotAnAnnualReport(InputError):
    exit_code = 5
    hint = "finkg reads the annual reports (年度报告) of Chinese banks"


class EncryptedPdf(InputError):
    exit_code = 10
    hint = "decrypt it first, e.g. `qpdf --decrypt --password=PASSWORD in.pdf out.pdf`; 请先解除PDF加密"


class DamagedPdf(InputError):
    exit_code = 11
    hint = "download the report again, or repair it, e.g. `qpdf in.pdf out.pdf`; PDF文件已损坏"


class NoTextLayer(InputError):
    exit_code = 12
    hint = "run OCR on it first, e.g. `ocrmypdf -l chi_sim in.pdf out.pdf`; PDF无可提取的文字，请先OCR"


class InputTooLarge(InputError):
    exit_code = 13
    hint = "an annual report is a few MB; raise the limit with --max-input-mb if this one is real"


class GraphError(FinkgError):
    exit_code = 6
    hint = "run `finkg build` first or pass -g GRAPH; 请先运行 finkg build"


class QueryError(FinkgError):
    exit_code = 7
    hint = "see `finkg query --list`"


class OutputError(FinkgError):
    exit_code = 8
    hint = "check that the output folder is writable"


class NotConforming(FinkgError):
    exit_code = 9
    hint = "see the violations listed above"


class StoreBusy(FinkgError):
    exit_code = 14
    hint = "wait for the other build to end, or pass --wait SECONDS"


class RemoteStoreError(FinkgError):
    exit_code = 15
    hint = "check --store-url: the store's Graph Store Protocol endpoint, e.g. http://host:7878/store"


class SchedulerError(FinkgError):
    exit_code = 16
    hint = "check the address, and that `dask scheduler` runs there and this machine can reach it"


EXIT_CODES: dict[int, str] = {
    0: "success",
    1: "other finkg error",
    2: "input missing, a directory, not a regular file, or unreadable; a glossary missing or not a glossary",
    3: "input empty",
    4: "input binary (not text, not a readable PDF)",
    5: "input is not a bank annual report",
    6: "graph file missing or not RDF",
    7: "query unknown, invalid, or bad parameter",
    8: "output cannot be written",
    9: "graph fails finkg validate: SHACL shapes or the report's arithmetic",
    10: "input is an encrypted PDF",
    11: "input is a damaged or truncated PDF",
    12: "input PDF has no readable text (scanned images, or fonts without a Unicode map)",
    13: "input larger than finkg reads (--max-input-mb)",
    14: "the store (--store DIR) is being written by another finkg process",
    15: "a remote store (--store-url URL) cannot be reached, times out, or answers an HTTP error",
    16: "the dask scheduler (--scheduler ADDRESS) cannot be reached, has no workers or went away; "
        "or dask.distributed is not installed",
}
