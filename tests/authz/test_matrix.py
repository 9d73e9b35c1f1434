"""The authorisation matrix (issue 10): every route x every role gets exactly the status
in tests/authz/matrix.py, and the matrix covers exactly the routes the application has.

One test per (route, role); each runs in its own savepoint of the module's world, so a
write by an allowed role is undone before the next case."""

from __future__ import annotations

import pytest

from sigap.attendance.models import AttendanceRequest
from sigap.performance.models import DailyReport
from tests.authz import routes
from tests.authz.bodies import BODIES, PARAMS
from tests.authz.matrix import MATRIX, VISIBLE
from tests.authz.sender import send
from tests.authz.world import ROLES, World

LOGIN = "/masuk/?next="
# where an anonymous 302 goes when it is not the login page
ANON_LOCATION = {"POST /masuk/": "/", "POST /keluar/": "/masuk/"}
WEB_METHODS = ("GET", "POST")

# routes that answer 200/302 to everyone but act only within the caller's authority:
# what must (not) have changed, and who changes it
EFFECTS = {
    "POST /api/v1/daily-reports/bulk-approve": ("report", {"sup", "head"}),
    "POST /kinerja/tinjauan/setujui/": ("report", {"sup", "head"}),
    "POST /pengajuan/persetujuan/setujui/": ("request", {"sup"}),
}


def _state(world: World, what: str) -> str:
    if what == "report":
        return DailyReport.objects.get(pk=world.params["report_id"]).status
    return AttendanceRequest.objects.get(pk=world.params["request_id"]).status


def _route(key: str) -> str:
    return key.split(" ", 1)[1]


# --- the matrix covers the application, and only it ---------------------------------


def test_every_route_has_an_entry():
    covered = {_route(key) for key in MATRIX}
    missing_api = [key for key in routes.api_operations() if key not in MATRIX]
    missing_web = [path for path in routes.web_patterns() if path not in covered]
    assert missing_api == [], f"API operations without a matrix entry: {missing_api}"
    assert missing_web == [], f"URL patterns without a matrix entry: {missing_web}"


def test_every_entry_is_a_route():
    operations = set(routes.api_operations())
    patterns = set(routes.web_patterns())
    gone = [
        key
        for key in MATRIX
        if key not in operations
        and not (_route(key) in patterns and key.split(" ", 1)[0] in WEB_METHODS)
    ]
    assert gone == [], f"matrix entries for routes that no longer exist: {gone}"


def test_only_admin_and_language_switch_are_left_out():
    skipped = routes.skipped_patterns()
    assert skipped, "the admin is mounted: the allow-list is exercised"
    assert all(path.startswith(("/admin/", "/i18n/")) for path in skipped), skipped


def test_every_role_has_a_column():
    assert all(len(codes) == len(ROLES) for codes in MATRIX.values())
    assert set(VISIBLE) <= set(MATRIX) and set(EFFECTS) <= set(MATRIX)


# --- each route x role ----------------------------------------------------------------

CASES = [
    pytest.param(key, role, codes[i], id=f"{key} | {role}")
    for key, codes in MATRIX.items()
    for i, role in enumerate(ROLES)
]


@pytest.mark.parametrize(("key", "role", "expected"), CASES)
def test_matrix(key, role, expected, in_world, client):
    effect = EFFECTS.get(key)
    before = _state(in_world, effect[0]) if effect else None
    response = send(
        client, in_world, key, role, body=BODIES.get(key), params=PARAMS.get(_route(key))
    )
    assert response.status_code == expected, (
        f"{key} as {role}: got {response.status_code}, expected {expected}: "
        f"{response.content[:300]!r}"
    )
    if role == "anon" and expected == 302:
        where = ANON_LOCATION.get(key)
        location = response["Location"]
        assert location == where if where else location.startswith(LOGIN), location
    if key in VISIBLE:
        body = response.content.decode(errors="replace")
        person = in_world.people["self"]
        named = person.nip in body or person.name in body
        assert named == (role in VISIBLE[key]), f"{key} as {role}: names E = {named}"
    if effect:
        changed = _state(in_world, effect[0]) != before
        assert changed == (role in effect[1]), f"{key} as {role}: changed={changed}"


# --- a method the matrix does not list is refused (a new handler needs an entry) --------

UNLISTED = [
    pytest.param(f"{method} {path}", id=f"{method} {path}")
    for path in routes.web_patterns()
    for method in WEB_METHODS
    if f"{method} {path}" not in MATRIX
]


@pytest.mark.parametrize("key", UNLISTED)
def test_unlisted_method_is_refused(key, in_world, client):
    response = send(client, in_world, key, "hr", params=PARAMS.get(_route(key)))
    assert response.status_code == 405, f"{key}: {response.status_code}; add it to the matrix"
