"""The domain: members and roles, events, touchpoints, community threads, referrals, KPIs, digests.
Nothing in this package imports a platform SDK; it speaks community.messages types only."""
