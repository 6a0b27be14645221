"""The two durable queues: the inbox (webhook -> worker -> handlers) and the outbox (handlers -> sender ->
platforms)."""
