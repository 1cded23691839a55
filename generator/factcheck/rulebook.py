"""The rule book: the fact-check's word knowledge, read from rules/*.yaml and compiled once at import.

Word classes are defined once, as data (rules/words.yaml): a verb is written as its lemma and its inflections
are generated ("plunge" -> plunges, plunged, plunging; irregular forms are given: "fall/fell/fallen"); a noun
gets its plural; a class may be split into values ("side": long, short) so a match says which one it is.
Patterns, cues, claims, relations, scopes and ambiguity filters are regular expressions that name classes and
other patterns by reference — ``{fall_verb}``, ``{fall_verb:past}`` (one set of forms), ``{side}``,
``{side=long}`` (one value), ``{barrier}`` — expanded when the book is compiled, in the manner of
microsoft/Recognizers-Text's ``Patterns/English/*.yaml``. A reference that names nothing, a rule that does not
compile, or a class no rule uses is an error (:class:`RuleBookError`; tests/factcheck/test_rulebook.py).

Code keeps only the mechanism (layout -> extract -> evidence -> bind -> judge); it asks the book for compiled
patterns by name (``RULES.regex("hypothetical")``), for the members of a class (``RULES.words("speech_verb")``)
and for the value a matched word stands for (``RULES.value("side", "shorts") == "short"``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

import yaml

try:  # the C loader reads the book several times faster; PyYAML without libyaml still works
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover
    from yaml import SafeLoader as _Loader  # type: ignore[assignment, unused-ignore]  # with types-PyYAML

FILES = ("words", "patterns", "scopes", "cues", "relations", "claims")
# Verb forms a reference may ask for: base ("fall"), s ("falls"), past ("fell", "fallen"), ing ("falling").
FORMS = ("base", "s", "past", "ing")
SELECTORS: dict[str, tuple[str, ...]] = {
    **{f: (f,) for f in FORMS},
    "finite": ("base", "s", "past"),  # what can follow a subject: "prices fall", "Bitcoin falls", "Bitcoin fell"
    "tensed": ("s", "past"),  # a singular subject's verb: "Bitcoin falls", "Bitcoin fell"
    "present": ("base", "s"),
}
_REF = re.compile(r"\{([a-z_][a-z0-9_]*)(?:([:=])([a-z_0-9]+))?\}")


class RuleBookError(ValueError):
    """The rule book is wrong: an unknown reference, a rule that does not compile, a malformed entry."""


# --- inflection -----------------------------------------------------------------------------------------------


def _cvc(word: str) -> bool:
    """One syllable ending consonant-vowel-consonant ("drop", "dip", "top"): its last letter doubles."""
    return len(re.findall(r"[aeiouy]+", word)) == 1 and re.search(r"(?:^|[^aeiou])[aeiou][bdfgklmnprstvz]$", word) \
        is not None


def _third(word: str) -> str:
    if re.search(r"(?:s|x|z|ch|sh)$", word):
        return word + "es"
    if re.search(r"[^aeiou]y$", word):
        return word[:-1] + "ies"
    return word + "s"


def _past(word: str) -> str:
    if word.endswith("e"):
        return word + "d"
    if re.search(r"[^aeiou]y$", word):
        return word[:-1] + "ied"
    if _cvc(word):
        return word + word[-1] + "ed"
    return word + "ed"


def _gerund(word: str) -> str:
    if word.endswith("ie"):
        return word[:-2] + "ying"
    if word.endswith("e") and not word.endswith("ee"):
        return word[:-1] + "ing"
    if _cvc(word):
        return word + word[-1] + "ing"
    return word + "ing"


def inflect(spec: str) -> dict[str, list[str]]:
    """The forms of a verb written "lemma" or "lemma/past[/participle]"; a particle may follow ("pull back")."""
    parts = [p.strip() for p in spec.split("/")]
    lemma, *rest = parts[0].split(" ", 1)
    tail = f" {rest[0]}" if rest else ""
    past = parts[1] if len(parts) > 1 else _past(lemma) + tail
    participle = parts[2] if len(parts) > 2 else past
    # A past written with the last letter doubled ("outstrip/outstripped") doubles it before -ing too.
    doubled = past.split(" ")[0] == lemma + lemma[-1] + "ed"
    gerund = lemma + lemma[-1] + "ing" if doubled else _gerund(lemma)
    return {"base": [lemma + tail], "s": [_third(lemma) + tail], "past": list(dict.fromkeys([past, participle])),
            "ing": [gerund + tail]}


def plural(noun: str) -> str:
    return _third(noun)


def _phrase(text: str) -> str:
    """A plain phrase as a pattern: letters kept, spaces any run of blanks, other characters escaped."""
    return r"\s+".join(re.escape(part) for part in text.split())


# --- the book ---------------------------------------------------------------------------------------------------


@dataclass
class WordClass:
    """A named class of words: its members as pattern fragments, by verb form and by value."""

    name: str
    members: list[str] = field(default_factory=list)  # every member, as a pattern fragment
    forms: dict[str, list[str]] = field(default_factory=dict)  # verbs: form -> fragments
    values: dict[str, WordClass] = field(default_factory=dict)
    refs: set[str] = field(default_factory=set)  # classes and patterns its members name

    def fragments(self, selector: str | None = None) -> list[str]:
        if selector is None:
            return self.members
        forms = SELECTORS.get(selector)
        if forms is None:
            raise RuleBookError(f"word class {self.name!r}: unknown form {selector!r} (one of {', '.join(SELECTORS)})")
        if not self.forms:
            raise RuleBookError(f"word class {self.name!r} has no verbs, so no form {selector!r}")
        return list(dict.fromkeys(x for f in forms for x in self.forms.get(f, ())))


def _alternation(fragments: Iterable[str]) -> str:
    # In the author's order: where a shorter phrase must not win over a longer one, the class lists the longer
    # first (a following \b or \s in the rule makes the regex try the longer forms anyway).
    return "(?:" + "|".join(dict.fromkeys(fragments)) + ")"


class RuleBook:
    """The compiled rule book."""

    def __init__(self, docs: Mapping[str, Any]) -> None:
        self.classes: dict[str, WordClass] = {}
        self.sources: dict[str, str] = {}  # pattern name -> raw source (before expansion)
        self.settings: dict[str, Any] = {}
        self.rules: dict[str, list[dict[str, Any]]] = {}  # cues, claims, relations, filters: lists of entries
        self.used: set[str] = set()  # every class and pattern some rule or the code asked for
        self._expanded: dict[str, str] = {}
        self._compiled: dict[tuple[str, int, tuple[tuple[str, str], ...]], re.Pattern[str]] = {}
        self._values: dict[str, list[tuple[str, re.Pattern[str]]]] = {}
        self._value_of: dict[tuple[str, str], str | None] = {}  # (class, matched text) -> value: texts repeat
        # References filled in for each article rather than from the book (the asset's own names).
        self.dynamic: frozenset[str] = frozenset(docs.get("patterns", {}).get("settings", {}).get("dynamic", ()))
        for name, body in (docs.get("words", {}).get("classes") or {}).items():
            self.classes[name] = self._word_class(name, body)
        for doc in docs.values():
            for name, source in (doc.get("patterns") or {}).items():
                if name in self.sources or name in self.classes:
                    raise RuleBookError(f"pattern {name!r} is defined twice")
                self.sources[name] = str(source)
            for key, value in doc.items():
                if key in ("classes", "patterns"):
                    continue
                if key == "settings":
                    self.settings.update(value)
                elif isinstance(value, list):
                    self.rules.setdefault(key, []).extend(value)
                else:
                    raise RuleBookError(f"unknown section {key!r} in the rule book")
        # Expand every pattern and every rule's pattern now: a bad reference or regex fails at import.
        for name in self.sources:
            self._compile_source(self.expand(name, mark=False), f"pattern {name}")
        for section, entries in self.rules.items():
            for n, entry in enumerate(entries):
                for slot in ("match", "before", "after_text", "unless"):
                    if slot in entry:
                        entry[f"{slot}_re"] = self.compile(str(entry[slot]), f"{section}[{n}].{slot}")

    # --- building ---

    def _word_class(self, name: str, body: Any) -> WordClass:
        wc = WordClass(name)
        if isinstance(body, list):
            body = {"words": body}
        if not isinstance(body, dict):
            raise RuleBookError(f"word class {name!r}: expected a list or a mapping")
        for spec in body.get("verbs") or ():
            for form, words in inflect(str(spec)).items():
                fragments = [_phrase(w) for w in words]
                wc.forms.setdefault(form, []).extend(fragments)
                wc.members.extend(fragments)
        for noun in body.get("nouns") or ():
            wc.members += [_phrase(str(noun)), _phrase(plural(str(noun)))]
        for phrase in body.get("phrases") or ():
            wc.members.append(_phrase(str(phrase)))
        for fragment in body.get("words") or ():  # pattern fragments, as written
            wc.members.append(str(fragment))
            wc.refs |= {m.group(1) for m in _REF.finditer(str(fragment))}
        for value, sub in (body.get("values") or {}).items():
            part = self._word_class(f"{name}={value}", sub)
            wc.values[str(value)] = part
            wc.members += part.members
            wc.refs |= part.refs
            for form, fragments in part.forms.items():
                wc.forms.setdefault(form, []).extend(fragments)
        unknown = set(body) - {"verbs", "nouns", "phrases", "words", "values", "note"}
        if unknown:
            raise RuleBookError(f"word class {name!r}: unknown keys {sorted(unknown)}")
        if not wc.members:
            raise RuleBookError(f"word class {name!r} is empty")
        return wc

    def expand(self, source_or_name: str, mark: bool = True, _stack: tuple[str, ...] = (),
               dynamic: Mapping[str, str] | None = None) -> str:
        """A pattern with every ``{reference}`` replaced by what it names (a pattern's name, or a source)."""
        if source_or_name in self.sources:
            name = source_or_name
            if mark:
                self.used.add(name)
            if dynamic is None and name in self._expanded:
                return self._expanded[name]
            if name in _stack:
                raise RuleBookError(f"pattern {name!r} refers to itself ({' -> '.join((*_stack, name))})")
            text = self._expand_refs(self.sources[name], (*_stack, name), dynamic)
            if dynamic is None:  # a pattern with references filled for one article is not kept
                self._expanded[name] = text
            return text
        return self._expand_refs(source_or_name, _stack, dynamic)

    def _expand_refs(self, source: str, stack: tuple[str, ...], dynamic: Mapping[str, str] | None = None) -> str:
        def one(m: re.Match[str]) -> str:
            name, op, arg = m.group(1), m.group(2), m.group(3)
            if name in self.dynamic:
                # Filled for each article (the asset's own names); checked at load with a pattern matching nothing.
                self.used.add(name)
                return "(?:" + (dynamic or {}).get(name, "(?!x)x") + ")"
            if name in self.sources and op is None:
                self.used.add(name)
                return "(?:" + self.expand(name, mark=False, _stack=stack, dynamic=dynamic) + ")"
            wc = self.classes.get(name)
            if wc is None:
                where = f" in {stack[-1]!r}" if stack else ""
                raise RuleBookError(f"unknown reference {m.group(0)}{where}: no word class or pattern of that name")
            self.used.add(name)
            if op == "=":
                part = wc.values.get(arg)
                if part is None:
                    raise RuleBookError(f"word class {name!r} has no value {arg!r} ({', '.join(wc.values)})")
                fragments = part.members
            else:
                fragments = wc.fragments(arg)
            self.used |= wc.refs
            return self._expand_refs(_alternation(fragments), (*stack, name), dynamic)

        return _REF.sub(one, source)

    @staticmethod
    def _compile_source(source: str, what: str, flags: int = re.I) -> re.Pattern[str]:
        try:
            return re.compile(source, flags)
        except re.error as err:
            raise RuleBookError(f"{what} does not compile: {err}") from None

    # --- asking ---

    def compile(self, source: str, what: str = "rule", flags: int = re.I,
                dynamic: Mapping[str, str] | None = None) -> re.Pattern[str]:
        """A source that names classes and patterns, compiled (case-insensitive unless ``flags`` say otherwise);
        ``dynamic`` fills the references that are given for each article."""
        key = (source, flags, tuple(sorted(dynamic.items())) if dynamic else ())
        found = self._compiled.get(key)
        if found is None:
            found = self._compiled[key] = self._compile_source(
                self.expand(source, dynamic=dynamic), what, flags)
        return found

    def regex(self, name: str, flags: int = re.I) -> re.Pattern[str]:
        """The compiled pattern called ``name``."""
        if name not in self.sources:
            raise RuleBookError(f"no pattern called {name!r} in the rule book")
        return self.compile("{" + name + "}", f"pattern {name}", flags)

    def source(self, name: str) -> str:
        """The expanded source of the pattern or class ``name`` (to build a larger pattern in code)."""
        return self.expand("{" + name + "}")

    def words(self, name: str, selector: str | None = None, value: str | None = None) -> tuple[str, ...]:
        """The plain words of a class, or of one of its values (members written without pattern syntax), lower-cased."""
        wc = self.classes.get(name)
        if wc is None:
            raise RuleBookError(f"no word class called {name!r}")
        self.used.add(name)
        if value is not None:
            if value not in wc.values:
                raise RuleBookError(f"word class {name!r} has no value {value!r}")
            wc = wc.values[value]
        out = []
        for fragment in wc.fragments(selector):
            spaced = fragment.replace(r"\s+", " ")
            if re.search(r"[()\[\]?*+|{}^$]", re.sub(r"\\.", "", spaced)):
                raise RuleBookError(f"word class {name!r}: {fragment!r} is a pattern, not a word")
            plain = re.sub(r"\\(.)", r"\1", spaced)
            out.append(plain.lower())
        return tuple(dict.fromkeys(out))

    def fragments(self, name: str) -> tuple[str, ...]:
        """The members of a class as pattern fragments (for code that builds its own pattern from them)."""
        if name not in self.classes:
            raise RuleBookError(f"no word class called {name!r}")
        self.used.add(name)
        return tuple(self.classes[name].members)

    def value(self, name: str, text: str) -> str | None:
        """Which value of the class ``name`` the matched ``text`` is ("shorts" -> "short"), None if none."""
        key = (name, text)
        if key in self._value_of:
            return self._value_of[key]
        found = self._value_of[key] = self._find_value(name, text)
        return found

    def _find_value(self, name: str, text: str) -> str | None:
        table = self._values.get(name)
        if table is None:
            wc = self.classes[name]
            table = self._values[name] = [(v, re.compile(self.expand(_alternation(part.members)), re.I))
                                          for v, part in wc.values.items()]
        for value, pattern in table:
            if pattern.fullmatch(text.strip()):
                return value
        return None

    def entries(self, section: str) -> list[dict[str, Any]]:
        """The entries of a rule section (cues, claims, relations, filters), each with its compiled patterns."""
        return self.rules.get(section, [])

    def setting(self, name: str) -> Any:
        if name not in self.settings:
            raise RuleBookError(f"no setting called {name!r} in the rule book")
        return self.settings[name]

    def unused(self) -> set[str]:
        """Classes and patterns nothing uses: dead word knowledge (a test keeps this empty)."""
        return (set(self.classes) | set(self.sources)) - self.used


def load(package: str = "generator.factcheck.rules") -> RuleBook:
    docs: dict[str, Any] = {}
    root = resources.files(package)
    for name in FILES:
        text = (root / f"{name}.yaml").read_text(encoding="utf-8")
        try:
            docs[name] = yaml.load(text, Loader=_Loader) or {}
        except yaml.YAMLError as err:
            raise RuleBookError(f"rules/{name}.yaml is not valid YAML: {err}") from None
    return RuleBook(docs)


RULES = load()
