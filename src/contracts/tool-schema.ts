/**
 * Bounds on the JSON Schemas clients send (tool parameters, Anthropic input_schema, response_format schemas).
 * The gateway does not interpret a schema here, it only makes sure one is small and shallow enough to render
 * into a prompt and to compile with ajv, and that no `pattern` is an obvious catastrophic-backtracking regex
 * (model output is matched against it). Hostile input gets a 400 naming the parameter, never a 500.
 */
import { z } from 'zod';

export const SCHEMA_LIMITS = {
  /** Serialised size of one schema. */
  maxBytes: 64 * 1024,
  maxDepth: 32,
  /** Values (objects, arrays, scalars) in one schema. */
  maxNodes: 5_000,
  maxPatternLength: 512,
} as const;

/**
 * A repeated group (`+`, `*`, `{n,}`) that itself contains a quantifier or an alternation, e.g. `(a+)+`,
 * `(\w*)*`, `(x{1,9})+`, `(a|aa)+`: the shapes of exponential backtracking. A heuristic: it refuses some
 * harmless patterns (`(ab|cd)+`), which tool schemas rarely need.
 */
const NESTED_QUANTIFIER = /\((?:[^()\\]|\\.)*(?:[+*|]|\{\d+,?\d*\})(?:[^()\\]|\\.)*\)(?:[+*]|\{\d+,\d*\})/;

function patternProblem(pattern: unknown): string | undefined {
  if (typeof pattern !== 'string') return 'a "pattern" must be a string';
  if (pattern.length > SCHEMA_LIMITS.maxPatternLength)
    return `a "pattern" may be at most ${SCHEMA_LIMITS.maxPatternLength} characters`;
  if (NESTED_QUANTIFIER.test(pattern))
    return `the pattern "${pattern.slice(0, 60)}" repeats a group holding a quantifier or alternation (catastrophic backtracking); simplify it`;
  try {
    new RegExp(pattern, 'u');
  } catch {
    return `the pattern "${pattern.slice(0, 60)}" is not a valid regular expression`;
  }
  return undefined;
}

/**
 * What is wrong with a client's schema, or undefined when it is within bounds.
 * @example schemaProblem({ type: 'object', properties: { a: { pattern: '(a+)+$' } } }) // 'the pattern … nests …'
 */
export function schemaProblem(schema: Record<string, unknown>): string | undefined {
  let nodes = 0;
  const stack: Array<{ value: unknown; depth: number }> = [{ value: schema, depth: 1 }];
  for (let top = stack.pop(); top; top = stack.pop()) {
    const { value, depth } = top;
    if (++nodes > SCHEMA_LIMITS.maxNodes) return `the schema has more than ${SCHEMA_LIMITS.maxNodes} values`;
    if (depth > SCHEMA_LIMITS.maxDepth)
      return `the schema is nested deeper than ${SCHEMA_LIMITS.maxDepth} levels`;
    if (Array.isArray(value)) {
      for (const item of value) stack.push({ value: item, depth: depth + 1 });
    } else if (value !== null && typeof value === 'object') {
      for (const [key, item] of Object.entries(value)) {
        if (key === 'pattern' && typeof item !== 'object') {
          const problem = patternProblem(item);
          if (problem) return problem;
        }
        if (key === 'patternProperties' && item && typeof item === 'object')
          for (const p of Object.keys(item)) {
            const problem = patternProblem(p);
            if (problem) return problem;
          }
        stack.push({ value: item, depth: depth + 1 });
      }
    }
  }
  if (JSON.stringify(schema).length > SCHEMA_LIMITS.maxBytes)
    return `the schema is larger than ${SCHEMA_LIMITS.maxBytes / 1024} KiB`;
  return undefined;
}

/** A JSON Schema object within bounds (as a zod schema for the request schemas). */
export const boundedJsonSchema = z.record(z.string(), z.unknown()).superRefine((schema, ctx) => {
  const problem = schemaProblem(schema);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

/** A schema describing the arguments object of a function (type object, when a type is given). */
export const parametersSchema = boundedJsonSchema.superRefine((schema, ctx) => {
  if (schema.type !== undefined && schema.type !== 'object')
    ctx.addIssue({ code: 'custom', message: 'must describe an object (type "object")' });
});

/** Function names as OpenAI and Anthropic both accept them. */
export const toolName = z
  .string()
  .regex(/^[a-zA-Z0-9_-]{1,64}$/, 'must be 1 to 64 letters, digits, underscores or dashes');

export const TOOL_LIMITS = {
  maxTools: 128,
  maxDescription: 8_192,
  /** All tool definitions of one request, serialised. */
  maxTotalBytes: 512 * 1024,
  /** The arguments of one call sent back in the history. */
  maxArguments: 256 * 1024,
} as const;
