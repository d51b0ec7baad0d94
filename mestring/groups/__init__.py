"""Terms, course templates, venues, groups, their members and facilitators."""
