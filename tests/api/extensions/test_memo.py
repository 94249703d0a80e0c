from __future__ import annotations

from timeline.api.extensions.memo import TextMemo


def test_computes_once_per_text_and_forgets_the_least_recently_used() -> None:
    computed: list[str] = []
    memo = TextMemo[int](size=2)

    def length(text: str) -> int:
        computed.append(text)
        return len(text)

    assert memo.get("{ a }", lambda: length("{ a }")) == 5
    assert memo.get("{ bb }", lambda: length("{ bb }")) == 6
    assert memo.get("{ a }", lambda: length("{ a }")) == 5  # held; now the most recent
    memo.get("{ ccc }", lambda: length("{ ccc }"))  # forgets "{ bb }"
    memo.get("{ a }", lambda: length("{ a }"))
    memo.get("{ bb }", lambda: length("{ bb }"))
    assert computed == ["{ a }", "{ bb }", "{ ccc }", "{ bb }"]
