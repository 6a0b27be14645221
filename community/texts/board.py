"""Texts of the community board feature: joining, threads, posts, moderation, the web board."""

TEXTS: dict[str, tuple[str, str]] = {
    "digest.top_threads": ("■ よく話されたスレッド", "■ Most active threads"),
    "digest.top_thread": ("・[{category}] {title} ({count}件)", "- [{category}] {title} ({count} posts)"),
    "board.voice_category": ("市からの質問", "Questions from the city"),
    "board.forgotten_post": (
        "（この投稿は投稿者の依頼により削除されました）",
        "(This post was deleted at its author's request.)",
    ),
}
