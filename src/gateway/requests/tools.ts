/**
 * Rules both wire formats share once the request schema has passed: tool names unique, all definitions within
 * one size bound, schemas that must be validated compile, a named tool choice names a tool, and every tool
 * result answers a call made earlier in the conversation. Each failure is a 400 naming the parameter.
 */
import { PortalError } from '#src/platform/http/errors.js';
import type { ResponseFormat, ToolChoice, ToolDefinition } from '#src/inference/types.js';
import { TOOL_LIMITS } from '#src/contracts/tool-schema.js';
import { compileSchema } from '../structured/validate.js';

export function invalid(param: string, message: string): never {
  throw new PortalError({ code: 'invalid_request_error', param, message });
}

/**
 * Checks a request's tools; `paramOf(i)` names the i-th tool's name field in the API's own terms.
 * Strict tools' schemas are compiled now, so a schema ajv cannot compile is a 400, not a failed answer.
 */
export function checkTools(
  tools: ToolDefinition[],
  param: { list: string; name(i: number): string; schema(i: number): string },
) {
  const seen = new Set<string>();
  tools.forEach((tool, i) => {
    if (seen.has(tool.name)) invalid(param.name(i), `Duplicate tool name "${tool.name}".`);
    seen.add(tool.name);
    if (tool.strict) compileOrFail(tool.parameters ?? { type: 'object' }, param.schema(i));
  });
  if (JSON.stringify(tools).length > TOOL_LIMITS.maxTotalBytes)
    invalid(
      param.list,
      `The tool definitions are larger than ${TOOL_LIMITS.maxTotalBytes / 1024} KiB in all.`,
    );
}

export function checkToolChoice(choice: ToolChoice | undefined, tools: ToolDefinition[], param: string) {
  if (!choice || choice.type === 'auto' || choice.type === 'none') return;
  if (!tools.length) invalid(param, `tool_choice "${choice.type}" needs at least one tool in "tools".`);
  if (choice.type === 'function' && !tools.some((t) => t.name === choice.name))
    invalid(param, `tool_choice names the function "${choice.name}", which is not in "tools".`);
}

export function checkResponseFormat(format: ResponseFormat | undefined, param: string) {
  if (format?.type === 'json_schema') compileOrFail(format.schema, param);
}

function compileOrFail(schema: Record<string, unknown>, param: string) {
  const compiled = compileSchema(schema);
  if (!compiled.ok) invalid(param, `The JSON Schema cannot be used: ${compiled.error}`);
}

/** The calls made so far in a conversation (id → function name), to check that results answer one of them. */
export class CallLedger {
  /** Created on the first call: a conversation without tools costs no allocation. */
  private names: Map<string, string> | undefined;
  record(id: string, name: string) {
    (this.names ??= new Map()).set(id, name);
  }
  /** The function name of the call a result answers, or a 400 naming the parameter. */
  answer(id: string, param: string): string {
    const name = this.names?.get(id);
    if (name === undefined)
      invalid(
        param,
        `The tool result refers to the call "${id.slice(0, 80)}", which no earlier assistant message made.`,
      );
    return name;
  }
}
