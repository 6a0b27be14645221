"""The Discord adapter (discord.py 2): gateway events to Inbound, outbound messages to Discord messages, event
channels and the community board's forum. adapter.DiscordBot puts the pieces together; wiring.discord_bot builds it
from the service's parts."""
