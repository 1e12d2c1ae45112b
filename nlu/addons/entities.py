"""Rasa entity extractor for places, postcodes and organisations.

One extractor gives every entity, so each appears once in the parse result,
always with its canonical value (NLU contract):

- `plaats`: the spaCy entity ruler (built by `nlu/build_pipeline.py`) finds
  official, everyday and Frisian names; names that are also ordinary words
  (Best, Echt, Loon) count only in a place context; misspelt names
  ("amsterdm") are found by fuzzy matching after words such as "in" or in
  very short messages.
- `postcode`: "9561AB", "9561 ab" → "9561 AB"; four digits alone only where
  they are clearly a postcode: "postcode 9561", "9561 Ter Apel", the whole
  message, or an existing four-digit postcode after a word for where ("we
  wonen in 7511", "omgeving 3311") or for a door ("openingstijden ido 3311"),
  but never a year ("in 2024") or an amount or count ("1500 euro").
- `organisatie`: the fixed list of the contract; "gemeente", "de belasting"
  and "toeslagen" only where they name the organisation.
- `begrip` (not a contract entity; not in the training data): a word from the
  glossary (wegwijzer/data/glossary.yml), its value the glossary entry, with
  `role` "asked" where the message asks what it means. It may overlap the
  other entities ("wat is het CAK?").
"""

from __future__ import annotations

import re
from typing import Any, Container, Dict, List, Optional, Set, Text, Tuple

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.nlu.utils.spacy_utils import SpacyModel
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from nlu.addons.stored import StoredComponent
from wegwijzer.postcodes import DIGITS, PC6

# Words after which a name is a place: "in Best", "woont in Echt". Strong
# cues also allow a misspelt name ("in amsterdm").
STRONG_CUES = {
    "in",
    "uit",
    "nabij",
    "rond",
    "rondom",
    "vlakbij",
    "dichtbij",
    "omgeving",
    "regio",
    "buurt",
    "gemeente",
    "woont",
    "woon",
    "wonen",
    "woonachtig",
    "vanuit",
    "woonplaats",
    "postcode",
    "from",
}
LOCATIVE_CUES = STRONG_CUES | {"te", "naar", "bij", "richting", "plaats", "dorp", "stad", "at", "bedoel", "maar"}
# Place names that are also one-word replies ("best" = fine, "echt?" = really?).
INTERJECTIONS = {"best", "echt", "heel", "amen", "hoor", "made", "een"}
# "gemeente" after these words is an area, not the organisation.
AREA_WORDS = {
    "welke",
    "onze",
    "deze",
    "die",
    "elke",
    "iedere",
    "andere",
    "zelfde",
    "dezelfde",
    "jullie",
    "eigen",
    "buur",
    "hele",
    "in",
    "uit",
    "binnen",
    "per",
}
# "gemeente" after these words (optionally followed by "de") acts.
ACTING_WORDS = {"van", "bij", "naar", "met", "door", "aan", "voor", "tegen", "via", "belt", "bellen"}
# Two letters that make "1500 en" a number followed by a word, not a postcode.
NOT_POSTCODE_LETTERS = {
    "en",
    "de",
    "in",
    "op",
    "te",
    "om",
    "of",
    "is",
    "ik",
    "je",
    "we",
    "ze",
    "al",
    "nu",
    "zo",
    "er",
    "na",
    "ie",
    "da",
    "he",
    "ga",
    "ja",
    "nl",
    "ok",
    "mn",
    "uw",
    "ff",
    "km",
    "kg",
    "cm",
    "mm",
    "pm",
    "am",
    "eu",
    "pp",
    "st",
    "nr",
    "uu",
    "hé",
    "to",
    "at",
    "an",
    "it",
    "my",
    "me",
    "no",
    "so",
    "or",
}
# Four digits glued to a decimal sign are an amount ("1.500,00"), not a postcode.
PC4 = re.compile(r"(?<![\w€$.,])(" + DIGITS + r")(?![\w]|[.,]\d)")
POSTCODE_WORDS = {"postcode", "pc", "postcodegebied", "postcode:", "zip"}
# Four digits after these words are a postcode when such a postcode exists.
WHERE_WORDS = {
    "in",
    "rond",
    "rondom",
    "omgeving",
    "regio",
    "buurt",
    "bij",
    "nabij",
    "vlakbij",
    "near",
    "around",
    "area",
}
DOOR_WORDS = {
    "ido",
    "informatiepunt",
    "loket",
    "bibliotheek",
    "gemeente",
    "gemeentehuis",
    "balie",
    "buurtteam",
    "wijkteam",
    "library",
}
# ... but not where they count something: "in 1500 euro", "bij 2000 mensen".
COUNTED = {
    "euro",
    "eur",
    "€",
    "km",
    "kilometer",
    "meter",
    "mensen",
    "keer",
    "dagen",
    "uur",
    "minuten",
    "jaar",
    "people",
}
YEARS = range(1950, 2040)
SHORT_MESSAGE_TOKENS = 3


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR,
    is_trainable=True,
    model_from="SpacyNLP",
)
class WegwijzerEntityExtractor(StoredComponent, EntityExtractorMixin):
    """Places, postcodes and organisations with canonical values."""

    STORE_FILE = "entity_rules.json"

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {}

    @staticmethod
    def required_packages() -> List[Text]:
        return ["spacy", "rapidfuzz"]

    def use(self, rules: Optional[Dict[Text, Any]]) -> None:
        rules = rules or {"fuzzy_names": {}, "context_after": {}}
        self._fuzzy_names: Dict[str, str] = rules["fuzzy_names"]
        from wegwijzer.placenames import NameMatcher

        self._fuzzy_choices = list(self._fuzzy_names)
        self._matcher = NameMatcher(self._fuzzy_choices, rules.get("fuzzy_preference", {}))
        self._context_after: Dict[str, Set[str]] = {k: set(v) for k, v in rules["context_after"].items()}
        self._glossary: Optional[Dict[str, Dict[str, str]]] = rules.get("glossary")
        self._pc4: Set[str] = set(rules.get("pc4") or ())

    # -- training: take the rules from the project's data -------------------
    def train(self, training_data: TrainingData, model: SpacyModel) -> Resource:
        return self.save(self.make_rules())

    def make_rules(self) -> Dict[Text, Any]:
        import yaml

        from wegwijzer.placenames import DATA_DIR, default_place_names, normalize

        names = default_place_names()
        fuzzy_names = names.fuzzy_table()
        doc = yaml.safe_load((DATA_DIR / "organisation_names.yml").read_text(encoding="utf-8"))
        context_after = {
            canonical: sorted(normalize(w) for w in rule["after"])
            for canonical, rule in (doc.get("context_names") or {}).items()
        }
        preference = {norm: names.preference.get(norm, 0) for norm in fuzzy_names}
        from wegwijzer.glossary import tables

        with open(DATA_DIR / "pc4.csv", encoding="utf-8") as fh:
            pc4 = sorted(row.split(",", 1)[0] for row in fh.read().splitlines()[1:] if row)
        return {
            "pc4": pc4,
            "fuzzy_names": fuzzy_names,
            "fuzzy_preference": preference,
            "context_after": context_after,
            "glossary": tables(),
        }

    # -- inference -------------------------------------------------------------
    def process(self, messages: List[Message], model: SpacyModel) -> List[Message]:
        known_words = _known_words(model)
        for message in messages:
            doc = message.get("text_spacy_doc")
            if doc is None:
                doc = model.model(message.get(TEXT) or "")
            found = self.extract(doc, known_words)
            entities = list(message.get(ENTITIES, []))
            entities.extend(self.add_extractor_name(found))
            message.set(ENTITIES, entities, add_to_output=True)
        return messages

    def extract(self, doc: Any, known_words: Container[str]) -> List[Dict[Text, Any]]:
        """All entities of one spaCy doc, each (type, value) once, in text order."""
        found: List[Dict[Text, Any]] = []
        taken: List[Tuple[int, int]] = []  # character spans already used

        def add(entity: str, value: str, start: int, end: int) -> None:
            if any(s < end and start < e for s, e in taken):
                return
            taken.append((start, end))
            found.append({"entity": entity, "value": value, "start": start, "end": end, "confidence_entity": 1.0})

        for start, end, value in _postcodes(doc, self._pc4):
            add("postcode", value, start, end)

        for ent in doc.ents:
            kept = self._keep(ent, doc)
            if kept:
                add(kept, ent.ent_id_, ent.start_char, ent.end_char)

        for start, end, value in self._fuzzy_places(doc, taken, known_words):
            add("plaats", value, start, end)

        # Four digits alone are a postcode next to a place ("9561 Ter Apel",
        # "1102 in Amsterdam").
        place_starts = {f["start"] for f in found if f["entity"] == "plaats"}
        for token in doc:
            if not _is_pc4(token):
                continue
            following = list(doc[token.i + 1 : token.i + 3])
            if following and (
                following[0].idx in place_starts
                or (len(following) == 2 and following[0].lower_ == "in" and following[1].idx in place_starts)
            ):
                add("postcode", token.text, token.idx, token.idx + len(token.text))

        if self._glossary:
            from wegwijzer.glossary import spans

            for start, end, key, asked in spans(doc.text, self._glossary):
                term = {"entity": "begrip", "value": key, "start": start, "end": end, "confidence_entity": 1.0}
                if asked:
                    term["role"] = "asked"
                found.append(term)

        found.sort(key=lambda f: f["start"])
        unique: List[Dict[Text, Any]] = []
        seen: Set[Tuple[str, str]] = set()
        for f in found:
            if (f["entity"], f["value"]) not in seen:
                seen.add((f["entity"], f["value"]))
                unique.append(f)
        return unique

    def _keep(self, ent: Any, doc: Any) -> Optional[str]:
        """The entity type to give a ruler match, or None to drop it."""
        label = ent.label_
        if label == "plaats":
            return "plaats"
        if label == "organisatie":
            return "organisatie"
        if label == "plaats_ambiguous":
            return "plaats" if _in_place_context(ent, doc) else None
        if label == "plaats_capital":
            # "in Een" is the village; "in een keer" is not.
            return "plaats" if ent[0].text[:1].isupper() and _in_place_context(ent, doc) else None
        if label == "organisatie_context":
            if ent.ent_id_ == "gemeente":
                return "organisatie" if _gemeente_acts(ent, doc) else None
            after = self._context_after.get(ent.ent_id_, set())
            before = doc[ent.start - 1].lower_ if ent.start > 0 else ""
            if before in after or _capitalised_mid_sentence(ent):
                return "organisatie"
        return None

    def _fuzzy_places(
        self, doc: Any, taken: List[Tuple[int, int]], known_words: Container[str]
    ) -> List[Tuple[int, int, str]]:
        """Misspelt place names: after a place cue, or in a very short message."""
        if not self._fuzzy_choices:
            return []
        from wegwijzer.placenames import FUZZY_MIN_LENGTH, TRUNCATED_MIN_LENGTH, normalize

        words = [t for t in doc if not t.is_punct and not t.is_space]
        short = len(words) <= SHORT_MESSAGE_TOKENS
        results = []
        for token in words:
            if any(s <= token.idx < e for s, e in taken):
                continue
            prev = token.nbor(-1).lower_ if token.i > 0 else ""
            if not (short or prev in STRONG_CUES):
                continue
            for length in (3, 2, 1):
                span = doc[token.i : token.i + length]
                if len(span) < length or any(t.is_punct for t in span):
                    continue
                text = span.text
                norm = normalize(text)
                if len(norm.replace(" ", "")) < (TRUNCATED_MIN_LENGTH if prev in STRONG_CUES else FUZZY_MIN_LENGTH):
                    continue
                if length == 1 and (token.is_stop or token.like_num):
                    continue
                if length == 1 and _is_known_word(token.lower_, known_words):
                    # A Dutch word is no misspelt place ("te maken" is not
                    # Marken); after "in" a name cut short still is ("in
                    # zwol", although "zwol" is a form of "zwellen").
                    match = self._matcher.cut_short(norm) if prev in STRONG_CUES else None
                else:
                    match = self._matcher.closest(norm)
                    if match is None and length == 1 and prev in STRONG_CUES:
                        match = self._matcher.cut_short(norm)  # "in zwol": Zwolle, cut short
                if match:
                    results.append((span.start_char, span.end_char, self._fuzzy_names[match]))
                    break
        return results


_KNOWN_WORDS: Optional[Set[str]] = None


def _known_words(model: SpacyModel) -> Set[str]:
    """Dutch words (forms and lemmas of spaCy's lookup table), loaded once.

    A known word is never taken for a misspelt place ("te maken" is not
    Marken, "in delen" is not Deelen).
    """
    global _KNOWN_WORDS
    if _KNOWN_WORDS is None:
        import gzip
        import json
        from pathlib import Path

        import spacy_lookups_data

        path = Path(spacy_lookups_data.__file__).parent / "data" / "nl_lemma_lookup.json.gz"
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            table = json.load(fh)
        _KNOWN_WORDS = {w.lower() for w in table} | {w.lower() for w in table.values()}
    return _KNOWN_WORDS


def _is_known_word(word: str, known: Container[str]) -> bool:
    """A Dutch word or the plural of one ("maanden", "brieven")."""
    if word in known:
        return True
    if word.endswith("ven") and word[:-3] + "f" in known:
        return True
    stem = word[:-2]
    return word.endswith("en") and len(stem) >= 4 and (stem in known or stem[:-1] in known)


def _capitalised_mid_sentence(span: Any) -> bool:
    first = span[0]
    if not first.text[:1].isupper() or (first.is_upper and len(first.text) > 1):
        return False
    if first.i == 0:
        return False
    prev = first.nbor(-1)
    return not (prev.is_punct and prev.text in {".", "!", "?", ":"})


def _in_place_context(ent: Any, doc: Any) -> bool:
    """Is an ambiguous name (Best, Echt) used as a place here?"""
    if ent.start > 0:
        prev = doc[ent.start - 1]
        if prev.lower_ in LOCATIVE_CUES or _looks_like_postcode(prev):
            return True
    if _capitalised_mid_sentence(ent):
        return True
    # A reply that is only the name: "Leiden", "Best" (not "best" or "echt",
    # which are replies of their own).
    words = [t for t in doc if not t.is_punct]
    alone = len(words) == len(ent)
    return alone and (ent[0].text[:1].isupper() or ent.text.lower() not in INTERJECTIONS)


def _gemeente_acts(ent: Any, doc: Any) -> bool:
    """Is "gemeente" the municipality acting ("de gemeente belt"), not an area?"""
    i = ent.start
    before = doc[i - 1].lower_ if i > 0 else ""
    before2 = doc[i - 2].lower_ if i > 1 else ""
    if before in ACTING_WORDS or (before in {"de", "het"} and before2 in ACTING_WORDS):
        return True
    nxt = doc[ent.end] if ent.end < len(doc) else None
    if nxt is not None and nxt.ent_type_.startswith("plaats"):
        return False  # "gemeente Westerwolde": the area
    if nxt is not None and nxt.text[:1].isupper() and nxt.is_alpha and not nxt.is_stop:
        return False  # "gemeente Westerwolde" with an unknown name
    return not (before in AREA_WORDS or (before in {"de", "het"} and before2 in AREA_WORDS))


def _looks_like_postcode(token: Any) -> bool:
    """ "9561AB", "9561", or the "AB" of "9561 AB"."""
    if re.fullmatch(r"[1-9][0-9]{3}([A-Za-z]{2})?", token.text):
        return True
    return bool(re.fullmatch(r"[A-Za-z]{2}", token.text)) and token.i > 0 and _is_pc4(token.nbor(-1))


def _pc4_in_sentence(text: str, match: Any, before: List[str], known_pc4: Container[str]) -> bool:
    """ "we wonen in 7511", "openingstijden ido 3311": an existing postcode
    right after a word for where or for a door; not a year, not a count."""
    digits = match.group(1)
    if digits not in known_pc4 or not before:
        return False
    previous = before[-1].strip(",.")
    after = text[match.end() :].lower().split()[:1]
    if after and after[0].strip(",.!?") in COUNTED:
        return False
    if previous in WHERE_WORDS:
        return int(digits) not in YEARS
    return previous in DOOR_WORDS


def _is_pc4(token: Any) -> bool:
    return bool(re.fullmatch(r"[1-9][0-9]{3}", token.text))


def _postcodes(doc: Any, known_pc4: Container[str] = ()) -> List[Tuple[int, int, str]]:
    """Full postcodes anywhere; four digits only where clearly a postcode."""
    text = doc.text
    found = []
    for m in PC6.finditer(text):
        digits, letters = m.group(1), m.group(2)
        spaced = m.group(0)[4:5] == " "
        if letters.lower() in {"sa", "sd", "ss"}:
            continue  # never used in Dutch postcodes
        if spaced and letters.lower() in NOT_POSTCODE_LETTERS and not letters.isupper():
            continue  # "1500 en ..." is an amount followed by a word
        found.append((m.start(), m.end(), f"{digits} {letters.upper()}"))
    covered = [(s, e) for s, e, _ in found]
    words = [t for t in doc if not t.is_punct]
    only_number = (
        len(words) <= 2
        and any(_is_pc4(t) for t in words)
        and all(_is_pc4(t) or t.lower_ in POSTCODE_WORDS for t in words)
    )
    for m in PC4.finditer(text):
        if any(s <= m.start() < e for s, e in covered):
            continue
        before = [w.strip(":") for w in text[: m.start()].lower().split()[-3:]]
        after_postcode_word = any(w in POSTCODE_WORDS for w in before)
        if only_number or after_postcode_word or _pc4_in_sentence(text, m, before, known_pc4):
            found.append((m.start(), m.end(), m.group(1)))
    return found
