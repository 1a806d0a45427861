"""Local fake cloud servers for tests and ``--demo``; product code never imports them."""
