"""Generation tokens: shared invalidation with a short process-local copy."""


def test_generation_tokens_change_on_bump_and_expire_locally(monkeypatch, db):
    from sigap.core import generations

    first = generations.generation("org", 1)
    assert generations.generation("org", 1) == first
    generations.bump("org", 1)
    second = generations.generation("org", 1)
    assert second != first
    # another process bumps it: this one sees it once its local copy is older than 2 s
    from django.core.cache import cache

    cache.set("generation:org:1", "elsewhere", None)
    assert generations.generation("org", 1) == second
    clock_now = generations.time.monotonic() + generations.LOCAL_SECONDS + 0.1
    monkeypatch.setattr(generations.time, "monotonic", lambda: clock_now)
    assert generations.generation("org", 1) == "elsewhere"
