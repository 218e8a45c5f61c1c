/**
 * The shared body of the three completion routes (chat completions, completions, messages): admit the
 * parsed call — a refusal becomes its error at the edge — then answer it whole or streamed in the route's
 * wire format.
 */
import type { Context } from 'hono';
import type { GatewayEnv } from '../context.js';
import type { GatewayCall } from '../gateway.js';
import type { AnswerMeta, StreamEncoder } from '../format/types.js';
import { refusal } from '../edge.js';
import { respondStream, respondWhole, type BodyBuilder, type RespondDeps } from '../respond.js';
import { answerMeta } from './meta.js';

/** One wire format's answers: the id prefix (chatcmpl-, cmpl-, msg_), a stream encoder and a whole body. */
export interface AnswerFormat {
  idPrefix: string;
  streamEncoder(meta: AnswerMeta): StreamEncoder;
  body(meta: AnswerMeta): BodyBuilder;
}

export async function serveCall(
  c: Context<GatewayEnv>,
  deps: RespondDeps,
  call: GatewayCall,
  format: AnswerFormat,
): Promise<Response> {
  c.set('call', call);
  const admitted = await deps.gateway.admit(c.get('caller'), call, c.get('requestId'));
  if (!admitted.ok) throw refusal(admitted);
  const { admission } = admitted;
  c.set('admission', admission);
  const meta = answerMeta(format.idPrefix, admission.model.id);
  return call.stream
    ? respondStream(c, deps, admission, format.streamEncoder(meta))
    : respondWhole(c, deps, admission, format.body(meta));
}
