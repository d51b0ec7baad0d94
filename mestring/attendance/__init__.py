"""Attendance per pupil and session."""
