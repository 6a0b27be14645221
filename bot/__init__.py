"""Process wiring: configuration, platform adapters (LINE, Discord, console), the web app, workers and the CLI."""
