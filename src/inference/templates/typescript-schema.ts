/**
 * JSON Schema → the TypeScript-like types harmony shows tools as (§1.3, after openai/harmony's
 * `json_schema_to_typescript`): comments for title, description and examples, `name?:` for optional
 * properties, string enums as unions, `T[]`, nested objects indented by 4, `// default: X`.
 */
import type { JsonSchema, ToolDefinition } from '../types.js';

type Schema = JsonSchema;

const isSchema = (v: unknown): v is Schema => typeof v === 'object' && v !== null && !Array.isArray(v);

function scalarType(t: unknown): string {
  switch (t) {
    case 'string':
      return 'string';
    case 'number':
    case 'integer':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'null':
      return 'null';
    default:
      return 'any';
  }
}

function variants(s: Schema): Schema[] | undefined {
  const list = s.oneOf ?? s.anyOf;
  return Array.isArray(list) ? list.filter(isSchema) : undefined;
}

export function tsType(s: Schema, indent: string): string {
  const nullable = s.nullable === true ? ' | null' : '';
  if (Array.isArray(s.enum)) return s.enum.map((v) => JSON.stringify(v)).join(' | ') + nullable;
  const alternatives = variants(s);
  if (alternatives) return alternatives.map((v) => tsType(v, indent)).join(' | ') + nullable;
  if (Array.isArray(s.type)) return s.type.map(scalarType).join(' | ') + nullable;
  if (s.type === 'array') {
    if (!isSchema(s.items)) return `Array<any>${nullable}`;
    const item = tsType(s.items, indent);
    return `${item.includes(' | ') ? `(${item})` : item}[]${nullable}`;
  }
  if (s.type === 'object' || isSchema(s.properties)) {
    if (!isSchema(s.properties) || !Object.keys(s.properties).length) return `object${nullable}`;
    return objectType(s, indent) + nullable;
  }
  return scalarType(s.type) + nullable;
}

function comments(s: Schema, indent: string): string {
  const lines: string[] = [];
  if (typeof s.title === 'string') lines.push(s.title, '');
  if (typeof s.description === 'string') lines.push(...s.description.split('\n'));
  if (Array.isArray(s.examples) && s.examples.length)
    lines.push('Examples:', ...s.examples.map((e) => `- ${JSON.stringify(e)}`));
  return lines.map((l) => `${indent}//${l ? ` ${l}` : ''}\n`).join('');
}

function defaultNote(s: Schema): string {
  if (!('default' in s)) return '';
  const value = s.default;
  const bare = Array.isArray(s.enum) && typeof value === 'string';
  return ` // default: ${bare ? value : JSON.stringify(value)}`;
}

function objectType(s: Schema, indent: string): string {
  const inner = indent === '' && s.__top === true ? '' : `${indent}    `;
  const required = new Set(Array.isArray(s.required) ? s.required : []);
  const props = Object.entries(isSchema(s.properties) ? s.properties : {});
  const lines = props.map(([name, p]) => {
    const prop = isSchema(p) ? p : {};
    const mark = required.has(name) ? '' : '?';
    return `${comments(prop, inner)}${inner}${name}${mark}: ${tsType(prop, inner)},${defaultNote(prop)}\n`;
  });
  return `{\n${lines.join('')}${indent}}`;
}

/**
 * One tool as harmony shows it in `namespace functions`.
 * @example toolType({ name: 'f', parameters: { type: 'object', properties: { a: { type: 'string' } },
 *   required: ['a'] } }, 'f') // 'type f = (_: {\na: string,\n}) => any;'
 */
export function toolType(tool: ToolDefinition, shownName: string): string {
  const head = tool.description ? comments({ description: tool.description }, '') : '';
  const params = tool.parameters;
  const hasProps = isSchema(params?.properties) && Object.keys(params.properties).length > 0;
  if (!params || !hasProps) return `${head}type ${shownName} = () => any;`;
  const lead =
    typeof params.description === 'string' ? comments({ description: params.description }, '') : '';
  return `${head}type ${shownName} = (_: ${lead}${objectType({ ...params, __top: true }, '')}) => any;`;
}
