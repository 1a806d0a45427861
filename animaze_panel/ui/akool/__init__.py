"""The Akool page: a live streaming avatar you can see, hear and talk to."""
