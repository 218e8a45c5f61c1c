/**
 * The simulated router's completion and task routes: `POST /api/v{1,2,3}/completions[/{session}]` answers
 * in the legacy text-completion shape (one choice per miner), as SSE (interleaved miner streams), or as a
 * pending off-chain result whose task `GET /api/v1/tasks/{sid}/{tid}` returns once it is "finished".
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomBytes } from 'node:crypto';
import { countTokens } from '../tokens.js';
import { hang, interleave, paceWhole, closeSignal, writeStream } from './answer.js';
import { numberOr, parseObject, readBody, sendError, sendJson, stringList } from './http.js';
import type { SimState, SimTask } from './state.js';
import { cachedText, hashString, type GeneratedText } from './text.js';
import { toolAnswer } from './tools/index.js';

interface MinerAnswer {
  id: string;
  generated: GeneratedText;
}

function sessionOf(pathSession: string | undefined, body: Record<string, unknown>): number | undefined {
  const raw = pathSession ?? body.session_id;
  const n = typeof raw === 'string' ? Number(raw) : raw;
  return typeof n === 'number' && Number.isInteger(n) && n >= 0 ? n : undefined;
}

function chunk(
  state: SimState,
  model: string,
  taskId: number,
  miner: MinerAnswer,
  text: string,
  finish: string | null,
  promptTokens: number,
) {
  const withUsage = finish && state.options.usage;
  return JSON.stringify({
    id: miner.id,
    object: 'text_completion',
    created: Math.floor(Date.now() / 1000),
    model,
    choices: [{ text, index: 0, logprobs: null, finish_reason: finish }],
    ...(withUsage ? { usage: usageOf(promptTokens, miner.generated.tokens) } : {}),
    task_id: taskId,
  });
}

function usageOf(prompt: number, completion: number) {
  return { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion };
}

function pendingAnswer(
  state: SimState,
  task: SimTask,
  reference: string,
): Record<string, unknown> | undefined {
  const { pendingPolls, pendingTaskId } = state.options;
  if (pendingPolls <= 0) return undefined;
  if (!pendingTaskId) {
    const attempts = state.attemptsByReference;
    const seen = (attempts.get(reference) ?? 0) + 1;
    if (attempts.size > 10_000) attempts.clear();
    attempts.set(reference, seen);
    if (seen > pendingPolls) return undefined;
  }
  state.remember({ ...task, pollsLeft: pendingPolls, finishedAt: 0 });
  return {
    status: 'ended',
    message: 'No content',
    result_data: `urn:blob:${randomBytes(16).toString('hex')}`,
    ...(pendingTaskId ? { task_id: task.id } : {}),
  };
}

export async function handleCompletion(
  req: IncomingMessage,
  res: ServerResponse,
  state: SimState,
  pathSession?: string,
) {
  const body = parseObject(await readBody(req));
  const o = state.options;
  if (!body) return sendError(res, o, 400, 'request body must be a JSON object');
  const sessionId = sessionOf(pathSession, body);
  if (sessionId === undefined) return sendError(res, o, 400, 'session_id is required');
  if (typeof body.prompt !== 'string') return sendError(res, o, 400, 'prompt is required');
  state.stats.completions++;
  if (o.hang) return hang(res);
  if (state.shouldFail()) {
    state.stats.errors++;
    return sendError(res, o, o.errorStatus, 'simulated router failure');
  }
  const model = o.sessionModels[String(sessionId)] ?? o.defaultModel;
  const maxTokens = numberOr(body.max_tokens, 1024);
  const stop = stringList(body.stop);
  const seed = o.seed ^ hashString(body.prompt);
  const taskId = state.nextTaskId();
  // A prompt with tools, a tool result or a JSON request gets the family's syntax (the same for every miner).
  const special = toolAnswer(body.prompt, o, maxTokens, stop);
  const miners: MinerAnswer[] = Array.from({ length: o.miners }, (_, m) => ({
    id: `cmpl-${taskId}-${m}`,
    generated: special ?? cachedText({ seed: seed + m, targetTokens: o.outputTokens, maxTokens, stop }),
  }));
  const promptTokens = countTokens(body.prompt);
  if (body.stream === true) {
    state.stats.streams++;
    const lists = miners.map((miner) => [
      ...miner.generated.pieces.map((p) => chunk(state, model, taskId, miner, p, null, promptTokens)),
      chunk(state, model, taskId, miner, '', miner.generated.finishReason, promptTokens),
    ]);
    return writeStream(res, state, { events: interleave(lists), perTick: lists.length });
  }
  const [firstMiner] = miners;
  if (!firstMiner) throw new Error('simulator: a task needs at least one miner');
  const first = firstMiner.generated;
  await paceWhole(state, first.tokens, closeSignal(res));
  const task: SimTask = {
    id: taskId,
    sessionId,
    createdAt: Math.floor(Date.now() / 1000),
    finishedAt: Math.floor(Date.now() / 1000),
    pollsLeft: 0,
    text: first.pieces.join(''),
    miners: miners.map((_, m) => state.minerAddress(m)),
  };
  const pending = pendingAnswer(
    state,
    task,
    typeof body.client_reference === 'string' ? body.client_reference : '',
  );
  if (pending) return sendJson(res, 200, pending);
  state.remember(task);
  // With several miners, the first one's answer is cut short (no finish_reason): clients take a complete one.
  const choices = miners.map((miner, m) => {
    const pieces = o.miners > 1 && m === 0 ? miner.generated.pieces.slice(0, 2) : miner.generated.pieces;
    const finish = o.miners > 1 && m === 0 ? null : miner.generated.finishReason;
    return { text: pieces.join(''), index: m, logprobs: null, finish_reason: finish };
  });
  const chosen = (miners[o.miners > 1 ? 1 : 0] ?? firstMiner).generated;
  sendJson(res, 200, {
    id: firstMiner.id,
    object: 'text_completion',
    created: Math.floor(Date.now() / 1000),
    model,
    choices,
    ...(o.usage ? { usage: usageOf(promptTokens, chosen.tokens) } : {}),
    task_id: taskId,
  });
}

function taskView(task: SimTask) {
  const done = task.pollsLeft <= 0;
  return {
    id: task.id,
    session_id: task.sessionId,
    assigned_miners: task.miners,
    created_at: task.createdAt,
    finished_at: done ? task.finishedAt || Math.floor(Date.now() / 1000) : 0,
    results: done ? { data: [task.text], miners: task.miners } : { data: [], miners: [] },
    status: done ? 4 : 2,
  };
}

export function handleTask(res: ServerResponse, state: SimState, sessionId: string, taskId: string) {
  const task = state.tasks.get(Number(taskId));
  if (!task || String(task.sessionId) !== sessionId)
    return sendError(res, state.options, 404, 'task not found');
  state.stats.polls++;
  const view = taskView(task);
  if (task.pollsLeft > 0) task.pollsLeft--;
  sendJson(res, 200, view);
}

export function handleTaskList(res: ServerResponse, state: SimState, sessionId: string) {
  const tasks = [...state.tasks.values()].filter((t) => String(t.sessionId) === sessionId).slice(-50);
  sendJson(res, 200, tasks.map(taskView));
}
