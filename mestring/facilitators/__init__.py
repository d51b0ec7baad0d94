"""Facilitators: profiles, unavailability, workload, and staffing groups with a ranked list."""
