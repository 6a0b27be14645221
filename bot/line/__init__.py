"""The LINE adapter: webhook bodies (webhook), events to Inbound (translate), outbound messages to Messaging API
models (render), outbox rows to API calls (deliver), the monthly quota (quota) and the rich menu (richmenu)."""
