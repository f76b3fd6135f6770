"""Regex building blocks shared by the rule extractors.

Word lists from `patterns/` become one regex each. A plain `a|b|c` alternation of hundreds
of forms is tried form by form at every position; `alternation` builds a character trie
instead, so the engine branches once per character and the lists cost little on the hot path.
"""
from __future__ import annotations

import re
from typing import Callable, Iterable, Iterator

_END = ""


def _piece(char: str) -> str:
    """A written character as a regex: a space also matches no space or a dot, a dot is optional."""
    if char == " ":
        return r"[\s.]*"
    if char == ".":
        return r"\.?"
    return re.escape(char)


def _trie(words: Iterable[str], piece: Callable[[str], str]) -> str:
    """A group-free regex matching any of `words`, longest first, each character drawn by `piece`."""
    root: dict[str, dict] = {}
    for word in words:
        node = root
        for char in word:
            node = node.setdefault(char, {})
        node[_END] = {}

    def emit(node: dict[str, dict]) -> str:
        branches = [piece(char) + emit(child) for char, child in sorted(node.items()) if char != _END]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if _END in node else body

    return emit(root)


def alternation(variants: Iterable[str]) -> str:
    """A trie-shaped regex matching any written form, longest first ("Brigadir Jenderal" over "Brigadir");
    a space also matches no space or a dot, a dot is optional ("Kasat Reskrim" = "Kasatreskrim")."""
    body = _trie((re.sub(r"\s+", " ", v.strip()) for v in variants), _piece)
    return f"(?:{body})" if body else "(?!)"


def phrase_pattern(phrases: Iterable[str]) -> str:
    """A trie-shaped regex for literal phrases (longer ones win, "sabu-sabu" over "sabu"); a space
    matches any run of whitespace. Used on lower-cased text by the event extractors."""
    return _trie(phrases, lambda char: r"\s+" if char == " " else re.escape(char))


def variant_regex(variant: str) -> str:
    """One written form as a regex (same conventions as `alternation`)."""
    return alternation([variant])


_SPECIAL = set("\\[](){}.*+?^$|")
_QUANTIFIERS = ("?", "*", "+", "{")


def _skip_atom(pattern: str, index: int) -> int:
    """Index just after the atom starting at `index`: an escape, a character class, a group or one character."""
    char = pattern[index]
    if char == "\\":
        return index + 2
    if char == "[":
        index += 2 if pattern.startswith("[^", index) else 1
        if pattern[index] == "]":  # a "]" right after "[" or "[^" is a literal
            index += 1
        while pattern[index] != "]":
            index += 2 if pattern[index] == "\\" else 1
        return index + 1
    if char == "(":
        depth, index = 1, index + 1
        while depth:
            if pattern[index] in "\\[":
                index = _skip_atom(pattern, index)
                continue
            depth += {"(": 1, ")": -1}.get(pattern[index], 0)
            index += 1
        return index
    return index + 1


def top_level(pattern: str) -> list[str]:
    """The top-level alternatives of a regex: "a|(?:b|c)d" -> ["a", "(?:b|c)d"]."""
    parts, begin, index = [], 0, 0
    while index < len(pattern):
        if pattern[index] == "|":
            parts.append(pattern[begin:index])
            begin = index + 1
            index += 1
        else:
            index = _skip_atom(pattern, index)
    return [*parts, pattern[begin:]]


def _leads(alternative: str) -> list[tuple[str, str]]:
    """`alternative` (no top-level "|") as (first atom, rest) pairs, tried in the same order.

    A leading non-capturing group is distributed over what follows ("(?:a|b)c" -> a+"c", b+"c";
    "(?:a)?b" -> a+"b", then "b"), which keeps the order a backtracking matcher tries them in.
    The first atom is a literal character (the rest follows it), a class that the first
    character must match ("\\d" of "\\d{1,2}/"), or "" when any character may come first; for
    these two the rest is the whole alternative. A leading \\b is dropped: the combined regex
    checks it once at the same position.
    """
    if alternative.startswith(r"\b"):
        alternative = alternative[2:]
    if not alternative:
        return [("", alternative)]
    end = _skip_atom(alternative, 0)
    atom, tail = alternative[:end], alternative[end:]
    if atom.startswith("(?:"):
        inner = top_level(atom[3:-1])
        if not tail.startswith(_QUANTIFIERS):
            return [lead for branch in inner for lead in _leads(branch + tail)]
        if tail.startswith("?") and not tail.startswith(("??", "?+")):
            return [lead for branch in inner for lead in _leads(branch + tail[1:])] + _leads(tail[1:])
    elif atom[0] not in _SPECIAL and not tail.startswith(_QUANTIFIERS):
        return [(atom, tail)]
    elif atom[0] in "\\[" and not tail.startswith(("?", "*", "{0", "{,")):
        return [(atom, alternative)]
    return [("", alternative)]


def _is_literal(first: str) -> bool:
    return len(first) == 1 and first not in _SPECIAL


def _may_start(first: str, char: str) -> bool:
    """Whether an alternative led by `first` (see `_leads`) may start with `char`."""
    return not first or re.fullmatch(first, char) is not None


def word_start_regex(pattern: str) -> re.Pattern[str]:
    """`pattern` (a regex starting with \\b) compiled so that the matcher jumps from one of its
    possible first characters to the next instead of trying every position.

    "\\bpasal\\s+\\d" becomes "p(?<=\\b.)(?:asal\\s+\\d)": a pattern that starts with a literal is
    searched with a fast character scan, one that starts with \\b is not. Worth it when the
    alternatives start with few distinct characters ("pasal", "kuhp|uu"); with many the
    candidate positions are most of the text (use `Alternation` there). Patterns with an
    alternative that does not start with \\b and a literal are compiled as they are.
    """
    branches = top_level(pattern)
    if not all(branch.startswith(r"\b") for branch in branches):
        return re.compile(pattern)
    groups: dict[str, list[str]] = {}
    for first, rest in (lead for branch in branches for lead in _leads(branch)):
        if not _is_literal(first) or first == "\n":
            return re.compile(pattern)
        groups.setdefault(first, []).append(rest)
    try:
        return re.compile("|".join(f"{re.escape(char)}(?<=\\b.)(?:{'|'.join(rests)})" for char, rests in groups.items()))
    except re.error:  # a named group repeated by distributing a group over what follows it
        return re.compile(pattern)


class Alternation:
    """Many rules scanned as one regex; each hit says which rule fired (the first listed that matches there).

    Built from (key, rule id, pattern) triples. Patterns are written in lower case for the
    lower-cased text and start with \\b, which the combined regex checks once per position.
    Python's matcher tries every alternative of a plain `p1|p2|...` at each word boundary,
    but skips one that starts with a literal after a single character test; so the combined
    regex regroups the rules' alternatives by first character ("\\b(?:a(?:...)|b(?:...))"),
    keeping the order in which alternatives that may start alike are tried. It has no
    capturing groups (they make Python's matcher about three times slower); the few hits are
    attributed by matching, one by one where the hit starts, the rules that can start there.
    """

    def __init__(self, rules: Iterable[tuple[str, str, str]]) -> None:
        self._rules: list[tuple[str, re.Pattern[str]]] = []
        firsts: list[set[str]] = []  # per rule: the first atoms of its alternatives
        items: list[str | tuple[str, list[str]]] = []  # verbatim alternatives and (first character, rests) groups
        open_groups: dict[str, list[str]] = {}  # groups a later alternative may join without passing another
        for key, rule_id, pattern in rules:
            if re.search(r"(?<![\\?])[A-Z]", pattern) or not pattern.startswith(r"\b"):
                raise ValueError(f"rule {rule_id}: patterns must be lower case and start with \\b: {pattern!r}")
            self._rules.append((key, re.compile(pattern)))
            leads = [lead for branch in top_level(pattern) for lead in _leads(branch)]
            firsts.append({first for first, _ in leads})
            for first, rest in leads:
                if _is_literal(first):
                    if first not in open_groups:
                        open_groups[first] = []
                        items.append((first, open_groups[first]))
                    open_groups[first].append(rest)
                else:  # stays after the earlier alternatives it may compete with: their groups close
                    for char in [char for char in open_groups if _may_start(first, char)]:
                        del open_groups[char]
                    items.append(rest)
        self._combined = re.compile(r"\b(?:" + "|".join(
            item if isinstance(item, str) else f"{re.escape(item[0])}(?:{'|'.join(item[1])})" for item in items) + ")")
        self._unusual_start = [rule for rule, leads in zip(self._rules, firsts) if not all(map(_is_literal, leads))]
        self._by_first = {char: [rule for rule, leads in zip(self._rules, firsts)
                                 if any(_may_start(first, char) for first in leads)]
                          for char in {first for leads in firsts for first in leads if _is_literal(first)}}

    def scan(self, text: str, pos: int = 0, endpos: int | None = None) -> Iterator[tuple[str, int, int]]:
        """(rule key, start, end) of every hit, left to right, not overlapping."""
        for match in self._combined.finditer(text, pos, len(text) if endpos is None else endpos):
            start = match.start()
            rules = self._by_first.get(text[start], self._unusual_start)
            yield next(key for key, pattern in rules if pattern.match(text, start)), start, match.end()


def guarded_finditer(pattern: re.Pattern[str], text: str, guard: re.Pattern[str],
                     guard_text: str) -> Iterator[re.Match[str]]:
    """The matches of `pattern.finditer(text)`, with `pattern` tried only where `guard` matches in
    `guard_text` (same offsets; `guard` must match wherever `pattern` does). A case-insensitive
    pattern ("(?i:...)") makes the matcher try every alternative at every position; its
    lower-cased first words, scanned in the lower-cased text, find the few places worth trying.
    """
    pos = 0
    while (candidate := guard.search(guard_text, pos)) is not None:
        match = pattern.match(text, candidate.start())
        if match is None or match.end() == match.start():
            pos = candidate.start() + 1
        else:
            pos = match.end()
        if match is not None:
            yield match


_OPENING = re.compile(r"[^\W_]*")


def opening_word(text: str) -> str:
    """The letters and digits `text` opens with ("kab\\.?" -> "kab"): what a gate looks for."""
    return _OPENING.match(text).group()  # type: ignore[union-attr]


class WordGate:
    """A regex and the words that can open it, scanned with `guarded_finditer`.

    For patterns led by \\b, a lookbehind or a case-insensitive word, which the matcher
    would otherwise try at every position: the guard is a trie of the opening words (up to
    their first non-letter), which the matcher skips to in C. The words are lower-cased and
    searched in the lower-cased text, or with `cased` taken as written and searched in the
    text itself. `finditer` finds exactly the matches of the plain regex as long as every
    match begins with one of the words.
    """

    def __init__(self, pattern: str | re.Pattern[str], openers: Iterable[str], *, cased: bool = False) -> None:
        self.pattern = re.compile(pattern)
        heads = {opening_word(opener.strip() if cased else opener.strip().lower()) for opener in openers}
        if not heads or "" in heads:
            raise ValueError("every opening word must start with a letter or digit")
        self._guard = re.compile(phrase_pattern(sorted(heads)))

    def finditer(self, text: str, guard_text: str) -> Iterator[re.Match[str]]:
        """Matches in `text`, left to right, not overlapping; `guard_text` is the text the guard
        searches: its lower-cased twin (same offsets), or the text itself for a `cased` gate."""
        return guarded_finditer(self.pattern, text, self._guard, guard_text)
