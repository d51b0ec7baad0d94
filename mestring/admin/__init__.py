"""Administration: users, schools, services, districts, holidays and the audit log."""
