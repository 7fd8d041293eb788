import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ReportData } from './report-data';
import { renderReportHtml } from './render-html';

/** A sortable, filesystem-safe run id: `<kind>-<UTC timestamp>-<random suffix>`. */
export function makeRunId(kind: string, now: Date = new Date(), suffix: string = Math.random().toString(36).slice(2, 8)): string {
  return `${kind}-${now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}-${suffix}`;
}

export interface WrittenReport {
  readonly dir: string;
  readonly resultJson: string;
  readonly reportHtml: string;
}

/**
 * Writes `<root>/<runId>/result.json` (the machine-readable result) and `report.html`
 * (self-contained charts of `report`).
 */
export async function writeReport(root: string, runId: string, result: unknown, report: ReportData): Promise<WrittenReport> {
  const dir = join(root, runId);
  await mkdir(dir, { recursive: true });
  const resultJson = join(dir, 'result.json');
  const reportHtml = join(dir, 'report.html');
  await writeFile(resultJson, `${JSON.stringify(result, null, 2)}\n`);
  await writeFile(reportHtml, renderReportHtml(report));
  return { dir, resultJson, reportHtml };
}
