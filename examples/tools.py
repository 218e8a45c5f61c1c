# Tool calling with the `openai` package: the model asks for get_weather, we run it and send the result
# back, and the model answers in text. Needs PORTAL_API_KEY; PORTAL_BASE_URL defaults to a local Portal.
import json
import os

from openai import OpenAI

client = OpenAI(
    base_url=os.environ.get("PORTAL_BASE_URL", "http://localhost:8080/v1"),
    api_key=os.environ["PORTAL_API_KEY"],
)

tools = [
    {
        "type": "function",
        "function": {
            "name": "get_weather",
            "description": "Current weather for a city",
            "parameters": {
                "type": "object",
                "properties": {"city": {"type": "string"}},
                "required": ["city"],
                "additionalProperties": False,
            },
        },
    }
]


def get_weather(city):
    # Your own function: here a stand-in that returns fixed weather.
    return {"city": city, "temperature_c": 18, "conditions": "light rain"}


messages = [{"role": "user", "content": "What is the weather in Paris?"}]
first = client.chat.completions.create(model="oss-20b", messages=messages, tools=tools)
reply = first.choices[0].message
messages.append(reply.model_dump(exclude_none=True))
for call in reply.tool_calls or []:
    result = get_weather(**json.loads(call.function.arguments))
    print(f"called {call.function.name}({call.function.arguments})")
    messages.append({"role": "tool", "tool_call_id": call.id, "content": json.dumps(result)})

second = client.chat.completions.create(model="oss-20b", messages=messages, tools=tools)
print(second.choices[0].message.content)
