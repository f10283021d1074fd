"""The demo essay that `filmstrip demo` (and so `make run`) publishes on an empty site."""
