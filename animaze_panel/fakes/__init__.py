"""Local fake peers (Animaze simulator helpers, fake cloud servers) for tests and --demo."""
