"""A Kubernetes API emulator for taster's tests: the real API's paths, verbs, content types and
status codes, served over HTTPS with bearer tokens, faithful enough that real kubectl works."""
