"""Build Wegwijzer's Dutch spaCy pipeline and save it for Rasa's SpacyNLP.

No Dutch spaCy model can be downloaded here, so the pipeline is made from
parts we have:

- `spacy.blank("nl")`: spaCy's Dutch tokenizer and stop words;
- a lookup lemmatizer with the Dutch tables of `spacy-lookups-data`;
- an entity ruler generated from the project's place data (every CBS
  woonplaats and gemeente, everyday and Frisian names, neighbourhoods) and
  the organisation list, each pattern carrying its canonical value as id.

Labels the ruler gives (the Rasa component `nlu.addons.entities` decides
what is kept):
  plaats                 a place name that is never an ordinary word
  plaats_ambiguous       a place name that is also a word (Best, Echt, Loon)
  plaats_capital         a place name that is a very common word (Een, Hem)
  organisatie            an organisation name (UWV, Belastingdienst)
  organisatie_context    a word that names an organisation only in context
                         ("de belasting", "van toeslagen", "de gemeente")

Usage: python nlu/build_pipeline.py OUTPUT_DIR   (run with nlu/.venv)
"""

from __future__ import annotations

import sys
from pathlib import Path

import spacy
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from wegwijzer.placenames import DATA_DIR, default_place_names  # noqa: E402

ORGANISATION_FILE = DATA_DIR / "organisation_names.yml"


def ruler_patterns() -> list[dict]:
    names = default_place_names()
    patterns = []
    for surface, official in names.surface_forms():
        if names.needs_capital(surface):
            label = "plaats_capital"
        elif names.is_ambiguous_word(surface):
            label = "plaats_ambiguous"
        else:
            label = "plaats"
        patterns.append({"label": label, "pattern": surface, "id": official})

    doc = yaml.safe_load(ORGANISATION_FILE.read_text(encoding="utf-8"))
    for canonical, entry in doc["organisations"].items():
        # "gemeente" is an organisation only where the municipality acts.
        label = "organisatie_context" if canonical == "gemeente" else "organisatie"
        patterns.extend({"label": label, "pattern": name, "id": canonical} for name in entry["names"])
    for canonical, rule in doc.get("context_names", {}).items():
        patterns.extend({"label": "organisatie_context", "pattern": word, "id": canonical} for word in rule["words"])
    return patterns


def build(output: Path) -> None:
    nlp = spacy.blank("nl")
    lemmatizer = nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    ruler = nlp.add_pipe(
        "entity_ruler",
        config={"phrase_matcher_attr": "LOWER", "overwrite_ents": True},
    )
    nlp.initialize()  # loads the lemma tables from spacy-lookups-data
    assert lemmatizer.lookups.has_table("lemma_lookup")
    ruler.add_patterns(ruler_patterns())
    nlp.meta["name"] = "wegwijzer_nl"
    nlp.meta["description"] = (
        "Blank Dutch pipeline with lookup lemmas and an entity ruler for Dutch "
        "places and government organisations (Wegwijzer)."
    )
    nlp.meta["sources"] = [
        {"name": "spacy-lookups-data (Dutch lemma lookup)"},
        {"name": "CBS woonplaatsen/gemeenten and GeoNames, CC BY 4.0 (see wegwijzer/data/SOURCES.md)"},
    ]
    output.mkdir(parents=True, exist_ok=True)
    nlp.to_disk(output)
    print(f"spaCy pipeline saved to {output} ({len(ruler.patterns)} ruler patterns)")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    build(Path(sys.argv[1]))
