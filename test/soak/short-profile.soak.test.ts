/**
 * The soak's short CI profile (issue #17): `npm run soak` for 3 minutes through PgBouncer in transaction
 * mode, with a fixed seed (PORTAL_SOAK_SEED replays another), every check of the report must hold. It kills
 * and stops only the private PostgreSQL / Redis / PgBouncer it starts itself, but it loads both cores for
 * three minutes and its revocation and limit checks are timing-sensitive, so it runs with the fault suites
 * (vitest.fault.config.ts: alone, one file at a time), not in the parallel main run.
 */
import { expect, it } from 'vitest';
import { describeWithPrivate } from '../support/private-services.js';
import { runSoak } from '#bench/soak/run.js';

const seed = Number(process.env.PORTAL_SOAK_SEED ?? 17);
const minutes = Number(process.env.PORTAL_SOAK_MINUTES ?? 3);

describeWithPrivate(['postgres', 'redis', 'pgbouncer'], 'soak, short profile (through PgBouncer)', () => {
  it(
    `${minutes} minutes of load and faults (seed ${seed}): every promise holds`,
    async () => {
      const report = await runSoak({
        minutes,
        seed,
        pgbouncer: true,
        workers: 6,
        maxGapMs: 150,
        rssTolerancePct: 25, // three minutes is too short for a flat RSS: the 30-minute run checks 5 %
        out: 'bench/results/soak-ci',
      });
      const failed = report.checks.filter((c) => !c.ok).map((c) => `${c.name}: ${c.value}`);
      expect(failed).toEqual([]);
    },
    (minutes * 60 + 240) * 1_000,
  );
});
