/**
 * Compiles the server into a private folder for benchmarks (.tmp/bench-build), laid out like the repo so
 * bin/portal, migrations/ and web/dist resolve the same way. A private build keeps the bench independent of
 * whoever is rebuilding dist/ at the same time, and a type error elsewhere in the tree still yields runnable
 * JavaScript (reported, not fatal).
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, symlinkSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const REPO = resolve(import.meta.dirname, '../..');
const BUILD = join(REPO, '.tmp/bench-build');

/** Returns the path of the built `portal` launcher. */
export function buildPortal(options: { skip?: boolean } = {}): string {
  const bin = join(BUILD, 'bin/portal');
  if (options.skip && existsSync(join(BUILD, 'dist/portal.js'))) return bin;
  mkdirSync(join(BUILD, 'bin'), { recursive: true });
  const started = performance.now();
  try {
    execFileSync(
      join(REPO, 'node_modules/.bin/tsc'),
      ['-p', 'tsconfig.build.json', '--outDir', join(BUILD, 'dist'), '--noEmitOnError', 'false'],
      { cwd: REPO, stdio: 'pipe' },
    );
  } catch (err) {
    const out = String((err as { stdout?: Buffer }).stdout ?? '');
    console.warn(`build: type errors in the tree (JavaScript emitted anyway):\n${out.slice(0, 1_500)}`);
  }
  // dist/package.json: "type": "module" and the #src/* alias resolved inside the build (decision 016).
  execFileSync(process.execPath, [join(REPO, 'scripts/dist-package.mjs'), join(BUILD, 'dist')], {
    cwd: REPO,
  });
  // The one-file server bundle bin/portal runs (scripts/bundle.mjs).
  execFileSync(process.execPath, [join(REPO, 'scripts/bundle.mjs'), join(BUILD, 'dist')], { cwd: REPO });
  copyFileSync(join(REPO, 'bin/portal'), bin);
  // The server reads its version from the package.json beside dist/ (the OpenAPI document names it).
  copyFileSync(join(REPO, 'package.json'), join(BUILD, 'package.json'));
  for (const dir of ['migrations', 'web'])
    if (!existsSync(join(BUILD, dir))) symlinkSync(join(REPO, dir), join(BUILD, dir));
  console.log(
    `build: server compiled into ${BUILD} in ${((performance.now() - started) / 1000).toFixed(0)} s`,
  );
  return bin;
}
