"""The Kaltura page: a live Kaltura avatar session (video, sound, say-text, interrupt)."""
