/**
 * Child processes for benchmarks: each server under test runs in its own process so the load generator never
 * shares its event loop. A child is ready when its stdout matches a pattern (or an HTTP probe answers); every
 * child is stopped by pid (SIGTERM, then SIGKILL after a grace period) and also when the bench exits.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';

export interface Child {
  name: string;
  pid: number;
  /** CPU time (user + system) used so far, in milliseconds, from /proc/<pid>/stat. */
  cpuMs(): number;
  /** Resident set size in bytes, from /proc/<pid>/status VmRSS. */
  rss(): number;
  /** Output captured so far (for error reports). */
  output(): string;
  stop(graceMs?: number): Promise<void>;
}

const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

const TICK_MS = 10; // USER_HZ is 100 on Linux

export function readCpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * TICK_MS; // utime, stime (fields 14 and 15)
}

export function readRss(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
  if (!match) throw new Error(`no VmRSS for pid ${pid}`);
  return Number(match[1]) * 1024;
}

/**
 * The child's environment: this process's, with `overrides` on top; a name given as undefined is removed (a
 * memory-mode Portal must not inherit the bench's DATABASE_URL and REDIS_URL — before this, spreading the
 * overrides over process.env kept them, and "memory mode" ran on PostgreSQL and Redis).
 */
export function childEnv(overrides: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const [name, value] of Object.entries(overrides)) {
    if (value === undefined) delete env[name];
    else env[name] = value;
  }
  return env;
}

/** Starts a process and waits until its output matches `ready`; returns the first capture group too. */
export async function startChild(options: {
  name: string;
  command: string;
  args: string[];
  env?: Record<string, string | undefined>;
  /** Ready when the output matches this, or (with `logFile`) when this URL answers 200. */
  ready: RegExp | string;
  /** Send the child's output to this file instead of the bench (a server that logs every request). */
  logFile?: string;
  timeoutMs?: number;
}): Promise<{ child: Child; match: RegExpMatchArray }> {
  const fd = options.logFile ? openSync(options.logFile, 'a') : undefined;
  const proc = spawn(options.command, options.args, {
    env: childEnv(options.env),
    stdio: fd === undefined ? ['ignore', 'pipe', 'pipe'] : ['ignore', fd, fd],
  });
  if (fd !== undefined) closeSync(fd);
  running.add(proc);
  let output = '';
  const readOutput = () => (options.logFile ? readFileSync(options.logFile, 'utf8').slice(-20_000) : output);
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  proc.once('exit', () => running.delete(proc));
  const timeoutMs = options.timeoutMs ?? 60_000;
  const match = await new Promise<RegExpMatchArray>((resolve, reject) => {
    let ready = false;
    const timer = setTimeout(() => fail(`not ready after ${timeoutMs} ms`), timeoutMs);
    const onData = (data: Buffer) => {
      output = (output + data.toString()).slice(-4_000);
      const m = !ready && typeof options.ready !== 'string' ? options.ready.exec(output) : null;
      if (m) succeed(m);
    };
    const succeed = (m: RegExpMatchArray) => {
      ready = true;
      clearTimeout(timer);
      resolve(m);
    };
    const fail = (why: string) => {
      if (ready) return;
      clearTimeout(timer);
      proc.kill('SIGKILL');
      reject(new Error(`${options.name} ${why}:\n${readOutput().slice(-3_000)}`));
    };
    proc.stdout?.on('data', onData);
    proc.stderr?.on('data', onData);
    proc.once('exit', (code) => fail(`exited with code ${code}`));
    if (typeof options.ready === 'string')
      waitForHttp(options.ready, timeoutMs).then(
        () => succeed([options.ready as string] as RegExpMatchArray),
        (err: Error) => fail(err.message),
      );
  });
  const pid = proc.pid!;
  const child: Child = {
    name: options.name,
    pid,
    rss: () => readRss(pid),
    cpuMs: () => readCpuMs(pid),
    output: readOutput,
    async stop(graceMs = 10_000) {
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      proc.kill('SIGTERM');
      const timer = setTimeout(() => proc.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
  return { child, match };
}

/** A port free right now on 127.0.0.1 (for servers that cannot report the port they bound). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export async function waitForHttp(url: string, timeoutMs = 60_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > end) throw new Error(`${url} did not answer 200 within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
