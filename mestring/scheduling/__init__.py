"""Sessions, their changes and substitutes, closed periods and facilitators' unavailability."""
