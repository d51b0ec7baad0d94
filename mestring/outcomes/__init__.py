"""Absence before and after the course, and the district's outcome figures."""
