"""The CRF's attributes are read from their shipped list (`names_crf.attributes.json`) only while it
was made from the shipped model; any other list is ignored and the model itself is read."""

import json
import shutil
from pathlib import Path

from index.names import crf


def test_the_shipped_list_is_the_models_own() -> None:
    listed = crf._saved_attributes(crf.MODEL_PATH)
    assert listed is not None  # made from this model: regenerate with `python -m tools.train_names --attributes`
    assert listed == crf.model_attributes(crf.MODEL_PATH)
    assert crf.known_attributes() == listed


def test_a_list_of_another_model_is_not_trusted(tmp_path: Path) -> None:
    model = tmp_path / "names_crf.model"
    shutil.copyfile(crf.MODEL_PATH, model)
    assert crf.attributes_path(model).name == "names_crf.attributes.json"
    assert crf._known_attributes(str(model)) == crf.model_attributes(model)  # no list: read from the model
    crf.save_attributes(model)
    assert crf._saved_attributes(model) == crf.model_attributes(model)
    model.write_bytes(model.read_bytes() + b"\0")  # another model: its list no longer matches
    assert crf._saved_attributes(model) is None
    crf.attributes_path(model).write_text("not json", encoding="utf-8")
    assert crf._saved_attributes(model) is None


def test_the_list_is_in_the_models_id_order() -> None:
    # `crf.attribute_ids` takes an attribute's place in the list as its id in the model: the
    # list must be crfsuite's own dictionary, id by id (else every feature scores another's weights)
    assert crf._saved_order(crf.MODEL_PATH) == tuple(crf.model_attribute_order(crf.MODEL_PATH))
    tag = crf.c_tagger()
    if tag is not None:
        assert list(crf._saved_order(crf.MODEL_PATH) or ()) == tag.attributes()
    assert crf.attribute_ids() == {a: k for k, a in enumerate(crf.model_attribute_order(crf.MODEL_PATH))}


def test_a_sorted_list_gives_no_ids(tmp_path: Path) -> None:
    # a list written before the id order (sorted) still lists the attributes, but gives no ids
    model = tmp_path / "names_crf.model"
    shutil.copyfile(crf.MODEL_PATH, model)
    crf.save_attributes(model)
    assert crf._saved_order(model) == tuple(crf.model_attribute_order(model))
    listing = json.loads(crf.attributes_path(model).read_text(encoding="utf-8"))
    del listing["order"]
    listing["attributes"].sort()
    crf.attributes_path(model).write_text(json.dumps(listing), encoding="utf-8")
    assert crf._saved_order(model) is None
    assert crf._saved_attributes(model) == crf.model_attributes(model)
