import { pooledRandomBytes } from '#src/platform/ids.js';
import type { AnswerMeta } from '../format/types.js';

/** Id, model and creation time of one answer (ids look like the upstream API's own: chatcmpl-…, msg_…). */
export function answerMeta(prefix: string, model: string): AnswerMeta {
  return {
    id: prefix + pooledRandomBytes(12).toString('base64url'),
    model,
    created: Math.floor(Date.now() / 1000),
  };
}
