#!/bin/sh
# Tool calling with curl: the model answers with a call to get_weather (tool_choice "required") instead of
# text. Run the function yourself and send its result back as a "tool" message (see tools.mjs for the loop).
set -eu
BASE_URL="${PORTAL_BASE_URL:-http://localhost:8080/v1}"

curl -sS --fail-with-body "$BASE_URL/chat/completions" \
  -H "Authorization: Bearer $PORTAL_API_KEY" \
  -H "Content-Type: application/json" \
  -d '{
    "model": "oss-20b",
    "messages": [{"role": "user", "content": "What is the weather in Paris?"}],
    "tools": [{
      "type": "function",
      "function": {
        "name": "get_weather",
        "description": "Current weather for a city",
        "parameters": {
          "type": "object",
          "properties": {"city": {"type": "string"}},
          "required": ["city"],
          "additionalProperties": false
        }
      }
    }],
    "tool_choice": "required"
  }'
