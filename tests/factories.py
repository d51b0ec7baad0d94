"""factory_boy factories for the models; rows are flushed into the test's session."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import factory
from factory.alchemy import SQLAlchemyModelFactory

from mestring.accounts.enums import Role, ServiceKind
from mestring.accounts.passwords import hash_password
from mestring.extensions import db
from mestring.groups.enums import SessionMode
from mestring.models import (
    AbsenceRecord,
    CourseTemplate,
    District,
    FacilitatorAssignment,
    Group,
    GroupMembership,
    Guardian,
    Pupil,
    Referral,
    School,
    Service,
    Session,
    Term,
    User,
    Venue,
)
from mestring.outcomes.enums import PeriodKind
from mestring.referrals.enums import ReferralStatus

PASSWORD = "correct horse battery"
# argon2 is slow on purpose: hash the test password once for every user.
PASSWORD_HASH = hash_password(PASSWORD)


class Factory(SQLAlchemyModelFactory):
    class Meta:
        abstract = True
        sqlalchemy_session_factory = lambda: db.session  # noqa: E731
        sqlalchemy_session_persistence = "flush"


class DistrictFactory(Factory):
    class Meta:
        model = District

    name = factory.Sequence(lambda n: f"Bydel {n}")


class SchoolFactory(Factory):
    class Meta:
        model = School

    district = factory.SubFactory(DistrictFactory)
    name = factory.Sequence(lambda n: f"Skole {n}")
    address = "Skoleveien 1, 0275 Oslo"


class ServiceFactory(Factory):
    class Meta:
        model = Service

    district = factory.SubFactory(DistrictFactory)
    kind = ServiceKind.PPT
    name = factory.Sequence(lambda n: f"Tjeneste {n}")


class UserFactory(Factory):
    class Meta:
        model = User

    email = factory.Sequence(lambda n: f"user{n}@example.no")
    name = factory.Sequence(lambda n: f"Bruker {n}")
    password_hash = PASSWORD_HASH
    role = Role.COORDINATOR
    district = factory.SubFactory(DistrictFactory)


class PupilFactory(Factory):
    class Meta:
        model = Pupil

    school = factory.SubFactory(SchoolFactory)
    pupil_ref = factory.Sequence(lambda n: f"P-{n:04d}")
    first_name = factory.Sequence(lambda n: f"Elev{n}")
    last_name = "Hansen"
    birth_date = date(2016, 3, 14)
    grade = 4


class GuardianFactory(Factory):
    class Meta:
        model = Guardian

    pupil = factory.SubFactory(PupilFactory)
    name = "Kari Hansen"
    relation = "mor"
    phone = "+47 400 00 000"
    email = "kari@example.no"


class ReferralFactory(Factory):
    class Meta:
        model = Referral

    pupil = factory.SubFactory(PupilFactory)
    school = factory.SelfAttribute("pupil.school")
    district_id = factory.SelfAttribute("pupil.school.district_id")
    status = ReferralStatus.SUBMITTED
    submitted_at = factory.LazyFunction(lambda: datetime.now(UTC) - timedelta(days=10))
    worry_absence_10_percent = True
    worry_text = "Mye fravær fra høsten av."
    school_days = 60
    teaching_hours = 300
    days_documented = 4
    days_undocumented = 3


class TermFactory(Factory):
    class Meta:
        model = Term

    district = factory.SubFactory(DistrictFactory)
    name = factory.Sequence(lambda n: f"Vår {2027 + n}")
    starts_on = date(2027, 1, 4)
    ends_on = date(2027, 6, 18)


class CourseTemplateFactory(Factory):
    class Meta:
        model = CourseTemplate

    name = factory.Sequence(lambda n: f"Kursmal {n}")


class VenueFactory(Factory):
    class Meta:
        model = Venue

    district = factory.SubFactory(DistrictFactory)
    name = factory.Sequence(lambda n: f"Rom {n}")
    address = "Ullernchausseen 64, 0379 Oslo"


class GroupFactory(Factory):
    class Meta:
        model = Group

    district = factory.SubFactory(DistrictFactory)
    term = factory.SubFactory(TermFactory, district=factory.SelfAttribute("..district"))
    template = factory.SubFactory(CourseTemplateFactory)
    name = factory.Sequence(lambda n: f"Gruppe {n}")


class MembershipFactory(Factory):
    class Meta:
        model = GroupMembership

    group = factory.SubFactory(GroupFactory)
    referral = factory.SubFactory(ReferralFactory, status=ReferralStatus.PLACED)
    pupil = factory.SelfAttribute("referral.pupil")


class AssignmentFactory(Factory):
    class Meta:
        model = FacilitatorAssignment

    group = factory.SubFactory(GroupFactory)
    user = factory.SubFactory(UserFactory, role=Role.FACILITATOR)


class SessionFactory(Factory):
    class Meta:
        model = Session

    group = factory.SubFactory(GroupFactory)
    position = factory.Sequence(lambda n: n + 1)
    title = "Samling"
    mode = SessionMode.PHYSICAL
    starts_at = datetime.combine(date(2027, 2, 2), time(12, 0), tzinfo=UTC)
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timedelta(minutes=90))


class AbsenceRecordFactory(Factory):
    class Meta:
        model = AbsenceRecord

    pupil = factory.SubFactory(PupilFactory)
    period = PeriodKind.BASELINE
    starts_on = date(2026, 10, 5)
    ends_on = date(2027, 1, 4)
    school_days = 55
    teaching_hours = 275
    days_documented = 4
    days_undocumented = 3
