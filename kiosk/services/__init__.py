"""The kiosk's non-GUI core: the API client and the on-disk outbox (no Kivy imports)."""
