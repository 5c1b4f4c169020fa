/** results.json and results.md: what was measured, on what, and against which aims. */
import type { RouteResult } from './api.js';
import type { BundleResult } from './bundles.js';

export const AIMS = { bundleBytes: 1024 * 1024, loadMedianMs: 75 } as const;

export interface BenchResults {
  mode: 'full' | 'smoke';
  machine: { node: string; platform: string; arch: string; cpus: number; cpuModel: string; totalMemoryGiB: number; date: string };
  settings: {
    loadRuns: number;
    loadWarmupRuns: number;
    requestsPerRoute: number;
    warmupRequestsPerRoute: number;
    concurrencies: number[];
  };
  aims: typeof AIMS;
  notes: string[];
  bundles: (BundleResult & { sizeAim: Verdict; loadAim: Verdict })[];
  api: RouteResult[];
}

export type Verdict = 'PASS' | 'OVER';

export const verdict = (value: number, aim: number): Verdict => (value < aim ? 'PASS' : 'OVER');

export function toMarkdown(r: BenchResults): string {
  const lo = r.settings.concurrencies[0]!;
  const hi = r.settings.concurrencies[r.settings.concurrencies.length - 1]!;
  const lines: string[] = [];
  lines.push(`# Bench (${r.mode})`);
  lines.push('');
  lines.push(
    `Node ${r.machine.node} on ${r.machine.platform}/${r.machine.arch}, ${r.machine.cpus} × ${r.machine.cpuModel}, ${r.machine.totalMemoryGiB} GiB, ${r.machine.date}`,
  );
  lines.push('');
  lines.push(
    `## Bundles (aims: < ${AIMS.bundleBytes / 1024} KiB, load median < ${AIMS.loadMedianMs} ms; ${r.settings.loadRuns} load runs each, ${r.settings.loadWarmupRuns} discarded first)`,
  );
  lines.push('');
  lines.push('| Function | Bundle bytes | KiB | Map KiB | Load median ms | Load p90 ms | Size | Load | Largest input | @aws-sdk/ imports |');
  lines.push('|---|---:|---:|---:|---:|---:|:---:|:---:|---|---|');
  for (const b of r.bundles) {
    const top = b.largestInputs[0];
    const largest = top ? `${top.name} ${(top.bytes / 1024).toFixed(0)} KiB` : '';
    const externals = b.externalImports.map((e) => e.replace('@aws-sdk/', '')).join(', ');
    lines.push(
      `| ${b.id} | ${b.bytes} | ${b.kib} | ${(b.sourceMapBytes / 1024).toFixed(1)} | ${b.loadMedianMs} | ${b.loadP90Ms} | ${b.sizeAim} | ${b.loadAim} | ${largest} | ${externals} |`,
    );
  }
  lines.push('');
  lines.push(`## API latency over HTTP (${r.settings.requestsPerRoute} requests per route per concurrency, ${r.settings.warmupRequestsPerRoute} warm-up)`);
  lines.push('');
  const header = r.settings.concurrencies.flatMap((c) => [`p50@${c} ms`, `p99@${c} ms`, `req/s@${c}`]);
  lines.push(`| Route | ${header.join(' | ')} | p50@${hi} / p50@${lo} | Errors |`);
  lines.push(`|---|${header.map(() => '---:').join('|')}|---:|---:|`);
  for (const route of r.api) {
    const cells = route.results.flatMap((x) => [x.p50Ms, x.p99Ms, x.requestsPerSecond]);
    const errors = route.results.reduce((s, x) => s + x.errors, 0);
    lines.push(`| ${route.route} | ${cells.join(' | ')} | ${route.p50Ratio.toFixed(2)} | ${errors} |`);
  }
  lines.push('');
  lines.push('## Notes');
  lines.push('');
  for (const n of r.notes) lines.push(`- ${n}`);
  lines.push('');
  return lines.join('\n');
}
