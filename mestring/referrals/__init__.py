"""Pupils, guardians, referrals from a school's nærværsteam, consent and triage."""
