"""The dispatcher that turns due prompt rows into messages (built with the scheduled reviews)."""
