#!/bin/sh
# Quick start: stream an answer from Portal with curl.
# Needs PORTAL_API_KEY (a key from the dashboard's API Keys page); PORTAL_BASE_URL defaults to a local Portal.
set -eu
BASE_URL="${PORTAL_BASE_URL:-http://localhost:8080/v1}"

curl -sS --no-buffer --fail-with-body "$BASE_URL/chat/completions" \
  -H "Authorization: Bearer $PORTAL_API_KEY" \
  -H "Content-Type: application/json" \
  -d '{
    "model": "oss-20b",
    "stream": true,
    "messages": [{"role": "user", "content": "Say hello in five words."}]
  }'
