/** HTML placement report. */
export { buildReportData } from './data.ts';
export type { ReportData, BuildOptions } from './data.ts';
export { renderReportHtml, scriptSafeJson } from './html.ts';
export { writeReport } from './write.ts';
