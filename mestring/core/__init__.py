"""What every domain shares: time, errors, access helpers, pagination and form bases."""
