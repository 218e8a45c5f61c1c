/**
 * Tool-call ids on the wire. The inference layer gives each call a neutral id; OpenAI clients see `call_…`
 * and Anthropic clients `toolu_…`, both the neutral id's own random part, so the mapping is deterministic and
 * needs no table: an id a client sends back is used as it came (it only has to match within its conversation).
 */
const PREFIX = /^(?:call|toolu|fc)_/;

const randomPart = (id: string) => id.replace(PREFIX, '');

/** @example openaiCallId('call_abc') // 'call_abc'; openaiCallId('toolu_abc') // 'call_abc' */
export const openaiCallId = (id: string) => (id.startsWith('call_') ? id : `call_${randomPart(id)}`);

/** @example anthropicToolId('call_abc') // 'toolu_abc' */
export const anthropicToolId = (id: string) => (id.startsWith('toolu_') ? id : `toolu_${randomPart(id)}`);
