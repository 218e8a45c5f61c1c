// Backing off without an SDK: retry "slow down" answers after the time Portal names, stop at once when
// retrying cannot help. Needs PORTAL_API_KEY; PORTAL_BASE_URL defaults to a local Portal.
const BASE_URL = process.env.PORTAL_BASE_URL ?? 'http://localhost:8080/v1';

async function chat(body, { attempts = 5 } = {}) {
  for (let attempt = 1; ; attempt++) {
    const res = await fetch(`${BASE_URL}/chat/completions`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${process.env.PORTAL_API_KEY}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify(body),
    });
    if (res.ok) return res.json();
    const { error } = await res.json();
    // insufficient_quota says x-should-retry: false — waiting a few seconds will not help.
    const retryable =
      res.headers.get('x-should-retry') !== 'false' && (res.status === 429 || res.status === 503);
    const waitMs = Number(
      res.headers.get('retry-after-ms') ?? Number(res.headers.get('retry-after') ?? 1) * 1000,
    );
    if (!retryable || attempt === attempts) throw new Error(`${res.status} ${error.code}: ${error.message}`);
    console.error(`${error.code}: retrying in ${waitMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, waitMs));
  }
}

for (const question of ['Say hello.', 'Say goodbye.']) {
  const reply = await chat({
    model: 'oss-20b',
    max_tokens: 50,
    messages: [{ role: 'user', content: question }],
  });
  console.log(reply.choices[0].message.content);
}
