import { aggregateXml, gzip, zipOf } from './test/fixtures/receiver-reports/build.ts';
import { bufferSource, readReports } from './src/receiver-reports/index.ts';
const xml = Buffer.from(aggregateXml({ records: Array.from({ length: 3 }, (_, i) => ({ ip: `198.51.100.${i + 1}` })) }));
async function time(label: string, b: Buffer, n = 3000) {
  for (let i = 0; i < 300; i++) await readReports(bufferSource('a', b));
  const t0 = performance.now(); for (let i = 0; i < n; i++) await readReports(bufferSource('a', b)); const dt = performance.now() - t0;
  console.log(label.padEnd(30), (n / dt * 1000).toFixed(0), '/s');
}
await time('xml', xml); await time('gz', gzip(xml)); await time('zip', zipOf('a.xml', xml));
