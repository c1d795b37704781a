"""An API call whose token's last use is due to be written, while another process writes:
the call still answers (on SQLite that write is refused and skipped; it is only a hint)."""

from __future__ import annotations

from sqlalchemy import text

from audit.models.auth import ApiToken


def test_read_only_call_survives_a_write_between_its_read_and_the_last_use(
        race, engine, monkeypatch):
    visit_id = race.make_visit(status="in_progress")
    original = ApiToken.usable
    wrote = []

    def usable_then_someone_writes(self, now):
        with engine.begin() as other:  # another process commits after this request read
            other.execute(text("UPDATE visits SET narrative = 'elsewhere' WHERE id = :id"),
                          {"id": visit_id})
        wrote.append(True)
        return original(self, now)

    monkeypatch.setattr(ApiToken, "usable", usable_then_someone_writes)
    response = race.app.test_client().get(f"/api/v1/visits/{visit_id}",
                                          headers=race.headers("shopper"))
    assert wrote == [True]
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.get_json()["narrative"] == "elsewhere"
