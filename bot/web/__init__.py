"""Web: the aiohttp routes (core: webhook and health), the public-page rate limit, and pages per feature."""
