// Tool calling with the `openai` package: the model asks for get_weather, we run it and send the result
// back, and the model answers in text. Needs PORTAL_API_KEY; PORTAL_BASE_URL defaults to a local Portal.
import OpenAI from 'openai';

const client = new OpenAI({
  baseURL: process.env.PORTAL_BASE_URL ?? 'http://localhost:8080/v1',
  apiKey: process.env.PORTAL_API_KEY,
});

const tools = [
  {
    type: 'function',
    function: {
      name: 'get_weather',
      description: 'Current weather for a city',
      parameters: {
        type: 'object',
        properties: { city: { type: 'string' } },
        required: ['city'],
        additionalProperties: false,
      },
    },
  },
];

// Your own function: here a stand-in that returns fixed weather.
function getWeather({ city }) {
  return { city, temperature_c: 18, conditions: 'light rain' };
}

const messages = [{ role: 'user', content: 'What is the weather in Paris?' }];
const first = await client.chat.completions.create({ model: 'oss-20b', messages, tools });
const reply = first.choices[0].message;
messages.push(reply);
for (const call of reply.tool_calls ?? []) {
  const result = getWeather(JSON.parse(call.function.arguments));
  console.log(`called ${call.function.name}(${call.function.arguments})`);
  messages.push({ role: 'tool', tool_call_id: call.id, content: JSON.stringify(result) });
}

const second = await client.chat.completions.create({ model: 'oss-20b', messages, tools });
console.log(second.choices[0].message.content);
