/** The one error body of the product and admin APIs, in OpenAI's shape: `{ error: { message, type, param, code } }`. */
import { z } from 'zod';

export const errorBody = z
  .object({
    error: z
      .object({
        message: z.string().min(1),
        type: z.string().min(1),
        param: z.string().nullable(),
        code: z.string().min(1),
      })
      .strict(),
  })
  .strict();

export type ErrorBody = z.infer<typeof errorBody>;
