"""The worker's own pages: sign-in with a card and a PIN, a short session for a shared
tablet, and the pages in easy Dutch (docs/worker-portal.md)."""
