# Quick start: stream an answer from Portal with the official `openai` package (pip install openai).
# Needs PORTAL_API_KEY; PORTAL_BASE_URL defaults to a local Portal.
import os

from openai import OpenAI

client = OpenAI(
    base_url=os.environ.get("PORTAL_BASE_URL", "http://localhost:8080/v1"),
    api_key=os.environ["PORTAL_API_KEY"],
)

stream = client.chat.completions.create(
    model="oss-20b",
    messages=[{"role": "user", "content": "Say hello in five words."}],
    stream=True,
)
for chunk in stream:
    if chunk.choices:
        print(chunk.choices[0].delta.content or "", end="", flush=True)
print()
