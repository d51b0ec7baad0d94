"""The columns the referral form edits, for the pupil, the referral and each guardian."""

PUPIL_FIELDS = ("first_name", "last_name", "birth_date", "grade", "pupil_ref")
REFERRAL_FIELDS = (
    "planned_start",
    "worry_absence_10_percent",
    "worry_hours",
    "worry_present_not_in_class",
    "worry_lateness",
    "worry_text",
    "school_days",
    "teaching_hours",
    "days_documented",
    "days_undocumented",
    "hours_documented",
    "hours_undocumented",
    "late_arrivals",
    "team_meeting_date",
    "team_ppt_present",
    "team_health_present",
    "team_school_present",
    "team_district_present",
    "measures_tried",
    "pupil_voice",
    "digital_access",
    "travel_needs",
    "other_needs",
)
GUARDIAN_FIELDS = ("name", "relation", "phone", "email", "language", "interpreter_needed")
