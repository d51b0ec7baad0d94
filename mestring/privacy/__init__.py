"""Guardians' consent withdrawn, retention and anonymisation, and access exports (GDPR art. 15)."""
