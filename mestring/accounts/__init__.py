"""Districts, schools, services and the people who sign in."""
