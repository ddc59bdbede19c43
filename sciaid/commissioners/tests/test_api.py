"""The commissioners API: status codes, bodies and per-role permissions."""

from django.urls import reverse

from sciaid.commissioners.logs.choices import LogStatus
from sciaid.commissioners.models import ServiceLog
from sciaid.commissioners.tests.conftest import YEAR, on
from sciaid.experts.models import Pairing


def test_a_commissioner_logs_through_the_api_and_the_county_confirms(world, api_for, commissioner):
    api = api_for("expert")
    body = {
        "village": world.areas["village_a1"].code,
        "kind": "training",
        "served_on": on(3).isoformat(),
        "summary": "培训",
        "participants": 30,
        "households": [world.households["household_a1"].pk],
        "varieties": "稻虾1号\n鄂稻",
    }
    created = api.post(reverse("service-log-list"), body, format="json")
    assert created.status_code == 201, created.content
    assert created.json()["new_varieties"] == 2 and created.json()["status"] == "submitted"
    pk = created.json()["id"]
    assert api.post(reverse("service-log-confirm", args=[pk])).status_code == 409  # not their role
    assert api_for("county_admin_b").post(reverse("service-log-confirm", args=[pk])).status_code == 404
    confirmed = api_for("county_admin").post(reverse("service-log-confirm", args=[pk]))
    assert confirmed.status_code == 200 and confirmed.json()["status"] == LogStatus.CONFIRMED
    assert api_for("county_admin").post(reverse("service-log-confirm", args=[pk])).status_code == 409
    bad = api.post(reverse("service-log-list"), {**body, "village": world.areas["village_a3"].code}, format="json")
    assert bad.status_code == 400 and "village" in bad.json()


def test_agreements_carry_their_progress(world, api_for, commissioner):
    pairing = Pairing.objects.get(expert=commissioner)
    api = api_for("county_admin")
    body = {
        "pairing": pairing.pk,
        "starts_on": on(1).isoformat(),
        "ends_on": on(12, 31).isoformat(),
        "target_trainings": 3,
    }
    created = api.post(reverse("agreement-list"), body, format="json")
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    signed = api.post(reverse("agreement-sign", args=[pk]), {"signed_on": on(1, 3).isoformat()}, format="json")
    assert signed.status_code == 200 and signed.json()["status"] == "signed"
    listed = api.get(reverse("agreement-list")).json()["results"][0]
    assert {"key": "trainings", "target": 3, "actual": 0}.items() <= listed["progress"][0].items()
    assert api_for("expert").post(reverse("agreement-list"), body, format="json").status_code == 403
    assert api.post(reverse("agreement-terminate", args=[pk]), {}, format="json").status_code == 400


def test_batches_apply_and_decide(world, api_for, commissioner):
    admin = api_for("county_admin")
    batch = admin.post(
        reverse("batch-list"), {"county": "340422000000", "year": YEAR, "title": "第一批"}, format="json"
    )
    assert batch.status_code == 201
    pk = batch.json()["id"]
    applied = api_for("expert").post(reverse("batch-apply", args=[pk]), {"statement": "愿意"}, format="json")
    assert applied.status_code == 200, applied.content
    candidate = applied.json()["id"]
    refused = api_for("expert").post(reverse("batch-decide", args=[pk]), {"candidate": candidate, "approve": True})
    assert refused.status_code == 403
    decided = admin.post(reverse("batch-decide", args=[pk]), {"candidate": candidate, "approve": True}, format="json")
    assert decided.status_code == 200 and decided.json()["status"] == "approved"
    assert [c["id"] for c in admin.get(reverse("batch-candidates", args=[pk])).json()] == [candidate]


def test_commissioner_report(world, api_for, commissioner):
    api = api_for("county_admin")
    response = api.get(reverse("report-commissioners"), {"area": "340422000000", "year": YEAR})
    assert response.status_code == 200
    body = response.json()
    assert body["totals"]["commissioners"] == 1 and body["totals"]["covered"] == 1
    assert [row["area"]["name"] for row in body["groups"]] == ["隐贤镇", "安丰镇"]
    assert api.get(reverse("report-commissioners"), {"area": "340421000000"}).status_code == 404
    assert api.get(reverse("report-commissioners"), {"year": "20x9"}).status_code == 400
    assert api_for("expert").get(reverse("report-commissioners")).status_code == 403
    assert ServiceLog.objects.count() == 0
