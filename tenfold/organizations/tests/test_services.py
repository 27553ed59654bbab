from tenfold.organizations.models import Membership
from tenfold.organizations.services import person_add


def test_adding_an_existing_admin_to_a_unit_keeps_their_role(org, team, alice, bob):
    person_add(organization=org, email=bob.email, role="admin", by=alice)
    person_add(organization=org, email=bob.email, units=[team], by=alice)
    assert Membership.objects.get(organization=org, user=bob).role == "admin"


def test_a_new_person_is_a_member_by_default(org, alice):
    membership = person_add(organization=org, email="new@example.com", by=alice)
    assert membership.role == "member"
