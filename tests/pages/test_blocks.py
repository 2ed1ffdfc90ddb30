"""The blocks' schema: what passes, and the message an editor gets for what does not."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from pages.blocks import validate_blocks

VALID = [
    [],
    [{"type": "faq", "heading": "Questions", "items": [{"question": "Q?", "answer": "A **bold** answer."}]}],
    [{"type": "steps", "items": [{"title": "Send", "text": "Send us the reports."}]}],
    [{"type": "cta", "text": "Ready?", "label": "Send an inquiry"}],
    [{"type": "contact", "name": "Care Bridge Germany GmbH", "phone": "+49 30 0000000"}],
    [{"type": "hero", "heading": "Welcome"}, {"type": "featured_articles", "slugs": ["prrt"]}],
]

INVALID = [
    ({"type": "faq"}, "Blocks must be a JSON list"),
    (["faq"], "Block 1: each block is a JSON object"),
    ([{"type": "video"}], "Block 1: unknown type “video”"),
    ([{"type": "faq", "items": []}], "Block 1: “items” must be a non-empty list"),
    ([{"type": "faq", "items": [{"question": "Q?"}]}], "Block 1: entry 1 needs “answer” as text"),
    ([{"type": "cta", "text": "Ready?"}], "Block 1: “label” is required and must be text"),
    ([{"type": "cta", "text": "<b>Ready?</b>", "label": "Go"}], "Block 1: “text” contains HTML"),
    (
        [
            {"type": "hero", "heading": "Hi"},
            {"type": "steps", "items": [{"title": "A", "text": "<script>x</script>"}]},
        ],
        "Block 2: entry 1: “text” contains HTML",
    ),
    ([{"type": "hero", "heading": "Hi", "colour": "red"}], "Block 1: “colour” is not a field of a hero block"),
    ([{"type": "featured_articles", "slugs": [3]}], "Block 1: entry 1 of “slugs” must be text"),
]


@pytest.fixture(autouse=True)
def _english():
    """The messages are compared in English, whatever language an earlier test left active."""
    with translation.override("en"):
        yield


@pytest.mark.parametrize("blocks", VALID)
def test_valid_blocks_pass(blocks):
    validate_blocks(blocks)


@pytest.mark.parametrize(("blocks", "message"), INVALID)
def test_invalid_blocks_are_refused_with_a_clear_message(blocks, message):
    with pytest.raises(ValidationError) as refusal:
        validate_blocks(blocks)
    assert any(message in text for text in refusal.value.messages), refusal.value.messages
