/**
 * Runs once per `vitest run`, before any worker starts: hands the workers an id of this run, so work that
 * must happen once per run (building the dashboard for the browser suites, ./browser.ts) can tell whether
 * another worker of the same run already did it.
 */
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    runId: string;
  }
}

export default function setup(project: TestProject) {
  project.provide('runId', `${process.pid}-${Date.now()}`);
}
