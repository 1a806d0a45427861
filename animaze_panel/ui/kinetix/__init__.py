"""The Kinetix page: turn a video into an emote through Kinetix's cloud API."""
